import { describe, expect, it } from 'vitest';
import type { FileDiff, FileRisk } from './bindings';
import { fileBadges, fileOrder, parseFileOrder } from './riskOrder';

function diff(path: string): FileDiff {
  return {
    oldPath: path,
    newPath: path,
    status: 'modified',
    oldKind: 'file',
    newKind: 'file',
    oldId: null,
    newId: null,
    similarity: null,
    binary: false,
    collapsed: null,
    omitted: null,
    additions: 1,
    deletions: 0,
    hunks: [],
  };
}

function risk(path: string, score: number, counts: Partial<FileRisk['counts']> = {}): FileRisk {
  return { path, score, counts: { critical: 0, high: 0, medium: 0, low: 0, ...counts }, hunks: [] };
}

const files = [diff('a.rs'), diff('b.rs'), diff('c.rs'), diff('d.rs')];

describe('fileOrder', () => {
  it('keeps the review order by path, or before the scores arrive', () => {
    expect(fileOrder(files, [risk('d.rs', 9)], 'path')).toEqual([0, 1, 2, 3]);
    expect(fileOrder(files, null, 'risk')).toEqual([0, 1, 2, 3]);
  });
  it('puts the riskiest first, unscored files as zero, ties in review order', () => {
    expect(fileOrder(files, [risk('a.rs', 0), risk('b.rs', 5), risk('c.rs', 12), risk('d.rs', 5)], 'risk')).toEqual([2, 1, 3, 0]);
    expect(fileOrder(files, [risk('d.rs', 1)], 'risk')).toEqual([3, 0, 1, 2]);
  });
});

describe('parseFileOrder', () => {
  it('reads what was stored, path for anything else', () => {
    expect(parseFileOrder('risk')).toBe('risk');
    expect(parseFileOrder('path')).toBe('path');
    expect(parseFileOrder(null)).toBe('path');
    expect(parseFileOrder('severity')).toBe('path');
  });
});

describe('fileBadges', () => {
  it('counts the findings of each file with any and names the most severe', () => {
    const badges = fileBadges([risk('a.rs', 3, { low: 2, medium: 1 }), risk('b.rs', 0), risk('c.rs', 40, { critical: 1, low: 1 })]);
    expect([...badges.entries()]).toEqual([
      ['a.rs', { count: 3, severity: 'medium' }],
      ['c.rs', { count: 2, severity: 'critical' }],
    ]);
    expect(fileBadges(null).size).toBe(0);
  });
});
