import { describe, expect, it } from 'vitest';
import type { FileDiff, Hunk } from './bindings';
import type { FileLoad } from './fileLoads';
import { NOT_THE_REVIEWS_HUNK, carryWhitespaceLoads, foreignHunks, whitespaceMatters, whitespaceNotice } from './whitespace';

function hunk(id: string): Hunk {
  return { id, header: '@@ -1 +1 @@', oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: [] };
}

function file(path: string, ids: string[], counts: [number, number] = [2, 2], sides: [string | null, string | null] = ['a1', 'b1']): FileDiff {
  return {
    oldPath: path,
    newPath: path,
    status: 'modified',
    oldKind: 'file',
    newKind: 'file',
    oldId: sides[0],
    newId: sides[1],
    similarity: null,
    binary: false,
    collapsed: null,
    omitted: null,
    additions: counts[0],
    deletions: counts[1],
    hunks: ids.map(hunk),
  };
}

const loaded = (f: FileDiff): FileLoad => ({ state: 'loaded', file: f });

describe('carryWhitespaceLoads', () => {
  it('keeps a file compared on the same blobs and fetches a changed one again, showing the old meanwhile', () => {
    const same = file('a.rs', ['x']);
    const before = file('b.rs', ['y']);
    const { loads, refetch } = carryWhitespaceLoads(
      new Map([
        [0, loaded(same)],
        [1, loaded(before)],
      ]),
      [same, file('b.rs', ['y'], [2, 2], ['a1', 'b2'])],
    );
    expect(loads).toEqual(new Map([[0, loaded(same)], [1, loaded(before)]]));
    expect(refetch).toEqual([1]);
  });

  it('asks again for a load still on its way and drops failed loads and files gone', () => {
    const failed: FileLoad = { state: 'failed', error: { kind: 'git', title: 'Git error', message: 'boom' } };
    const { loads, refetch } = carryWhitespaceLoads(
      new Map<number, FileLoad>([
        [0, { state: 'loading' }],
        [1, failed],
        [5, loaded(file('gone.rs', []))],
      ]),
      [file('a.rs', []), file('b.rs', [])],
    );
    expect([...loads.keys()]).toEqual([0]);
    expect(refetch).toEqual([0]);
  });
});

describe('foreignHunks', () => {
  it("names the hunks that are not the review's", () => {
    expect(foreignHunks(file('a.rs', ['same', 'new']), file('a.rs', ['same', 'old', 'other']))).toEqual(new Set(['new']));
    expect(foreignHunks(file('a.rs', ['same']), file('a.rs', ['same']))).toEqual(new Set());
  });
});

describe('whitespaceMatters', () => {
  it('is false for binary files and files with one side', () => {
    expect(whitespaceMatters(file('a.rs', []))).toBe(true);
    expect(whitespaceMatters({ ...file('a.png', []), binary: true })).toBe(false);
    expect(whitespaceMatters({ ...file('new.rs', []), status: 'added', oldId: null })).toBe(false);
  });
});

describe('whitespaceNotice', () => {
  const reviewed = file('a.rs', ['ws', 'real'], [5, 4]);

  it('says whitespace is hidden while the file is compared, and when it failed', () => {
    expect(whitespaceNotice(reviewed, { state: 'loading' })).toMatchObject({ state: 'loading', text: expect.stringContaining('Whitespace changes are hidden') });
    const failed = whitespaceNotice(reviewed, { state: 'failed', error: { kind: 'git', title: 'Git error', message: 'cannot read blob' } });
    expect(failed.state).toBe('failed');
    expect(failed.text).toContain('cannot read blob');
  });

  it('counts the lines hidden and the hunks that cannot be marked viewed', () => {
    const notice = whitespaceNotice(reviewed, loaded(file('a.rs', ['ws2', 'real'], [1, 1])));
    expect(notice.text).toBe("Whitespace changes are hidden (7 changed lines not shown). 1 hunk differs from the review's and cannot be marked viewed here.");
    expect(notice.detail).toContain(NOT_THE_REVIEWS_HUNK);
    const same = whitespaceNotice(reviewed, loaded(file('a.rs', ['ws', 'real'], [5, 4])));
    expect(same.text).toBe('Whitespace changes are hidden.');
    expect(same.detail).not.toContain(NOT_THE_REVIEWS_HUNK);
  });

  it('says when only whitespace changed', () => {
    expect(whitespaceNotice(reviewed, loaded(file('a.rs', [], [0, 0]))).text).toBe('Whitespace changes are hidden: only whitespace changed in this file.');
  });
});
