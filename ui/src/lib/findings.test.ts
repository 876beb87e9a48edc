import { describe, expect, it } from 'vitest';
import type { Finding, Hunk } from './bindings';
import {
  codePieces,
  countSeverities,
  filterBySeverity,
  highestIn,
  markerLabel,
  mostSevere,
  placeFindings,
  sameLine,
  sortFindings,
  totalOf,
  whereOf,
} from './findings';

function finding(rule: string, severity: Finding['severity'], path: string, line: number, extra: Partial<Finding> = {}): Finding {
  return { rule, severity, path, side: 'new', line, endLine: line, column: null, message: `${rule} here`, excerpt: '', hunk: null, ...extra };
}

/** A hunk of context line 1, removed old 2, added new 2 and 3, context 4/5. */
const hunk: Hunk = {
  id: 'h1',
  header: '@@ -1,3 +1,4 @@',
  oldStart: 1,
  oldLines: 3,
  newStart: 1,
  newLines: 4,
  lines: [
    { kind: 'context', oldLine: 1, newLine: 1, text: 'a', emphasis: [], noNewline: false, lossy: false },
    { kind: 'removed', oldLine: 2, newLine: null, text: 'b', emphasis: [], noNewline: false, lossy: false },
    { kind: 'added', oldLine: null, newLine: 2, text: 'B', emphasis: [], noNewline: false, lossy: false },
    { kind: 'added', oldLine: null, newLine: 3, text: 'C', emphasis: [], noNewline: false, lossy: false },
    { kind: 'context', oldLine: 3, newLine: 4, text: 'd', emphasis: [], noNewline: false, lossy: false },
  ],
};
const file = { oldPath: 'src/a.rs', newPath: 'src/a.rs', hunks: [hunk] };

describe('sortFindings', () => {
  it('puts the most severe first, then the review file order, then the line', () => {
    const found = [
      finding('debug-leftover', 'low', 'src/a.rs', 3),
      finding('rust-unwrap', 'medium', 'src/b.rs', 9),
      finding('sql-formatting', 'high', 'src/b.rs', 4),
      finding('rust-unwrap', 'medium', 'src/a.rs', 12),
      finding('hardcoded-secret', 'critical', 'src/b.rs', 20),
      finding('rust-panic', 'medium', 'src/a.rs', 2),
    ];
    expect(sortFindings(found, ['src/b.rs', 'src/a.rs']).map((f) => `${f.severity} ${f.path}:${f.line}`)).toEqual([
      'critical src/b.rs:20',
      'high src/b.rs:4',
      'medium src/b.rs:9',
      'medium src/a.rs:2',
      'medium src/a.rs:12',
      'low src/a.rs:3',
    ]);
  });
  it('orders files it was not told about by path, after the known ones, and does not change its input', () => {
    const found = [finding('x', 'low', 'z.rs', 1), finding('x', 'low', 'b.rs', 1), finding('x', 'low', 'a.rs', 1)];
    expect(sortFindings(found, ['z.rs']).map((f) => f.path)).toEqual(['z.rs', 'a.rs', 'b.rs']);
    expect(found.map((f) => f.path)).toEqual(['z.rs', 'b.rs', 'a.rs']);
  });
  it('breaks ties on one line by column, then rule', () => {
    const found = [finding('b', 'low', 'a.rs', 1, { column: 5 }), finding('c', 'low', 'a.rs', 1, { column: 2 }), finding('a', 'low', 'a.rs', 1, { column: 5 })];
    expect(sortFindings(found).map((f) => f.rule)).toEqual(['c', 'a', 'b']);
  });
});

describe('counts and severities', () => {
  it('counts per severity and finds the highest', () => {
    const counts = countSeverities([finding('a', 'low', 'a', 1), finding('b', 'high', 'a', 1), finding('c', 'low', 'a', 1)]);
    expect(counts).toEqual({ critical: 0, high: 1, medium: 0, low: 2 });
    expect(totalOf(counts)).toBe(3);
    expect(highestIn(counts)).toBe('high');
    expect(highestIn({ critical: 0, high: 0, medium: 0, low: 0 })).toBeNull();
    expect(mostSevere(['low', 'critical', 'medium'])).toBe('critical');
    expect(mostSevere([])).toBeNull();
  });
  it('filters by the chosen severities, all when none is chosen', () => {
    const found = [finding('a', 'low', 'a', 1), finding('b', 'high', 'a', 1), finding('c', 'critical', 'a', 1)];
    expect(filterBySeverity(found, new Set()).length).toBe(3);
    expect(filterBySeverity(found, new Set(['high', 'critical'])).map((f) => f.rule)).toEqual(['b', 'c']);
  });
});

describe('labels', () => {
  it('names each finding of a marker by severity and rule', () => {
    expect(markerLabel([finding('sql-formatting', 'high', 'a', 1)])).toBe('High: sql-formatting');
    expect(markerLabel([finding('hardcoded-secret', 'critical', 'a', 1), finding('debug-leftover', 'low', 'a', 1)])).toBe(
      'Critical: hardcoded-secret, Low: debug-leftover',
    );
  });
  it('says where a finding is', () => {
    expect(whereOf(finding('x', 'low', 'src/a.rs', 4))).toBe('src/a.rs:4');
    expect(whereOf(finding('x', 'low', 'src/a.rs', 4, { endLine: 6 }))).toBe('src/a.rs:4–6');
    expect(whereOf(finding('x', 'high', 'tests/t.rs', 2, { side: 'old' }))).toBe('tests/t.rs:2 (removed)');
  });
  it('tells lines apart by path, side and number', () => {
    const at = { path: 'a', side: 'new' as const, line: 3 };
    expect(sameLine(at, { ...at })).toBe(true);
    expect(sameLine(at, { ...at, side: 'old' })).toBe(false);
    expect(sameLine(at, null)).toBe(false);
  });
});

describe('placeFindings', () => {
  it('puts each finding on the row of its first line on its own side, the most severe first', () => {
    const places = placeFindings(file, [
      finding('debug-leftover', 'low', 'src/a.rs', 2),
      finding('sql-formatting', 'high', 'src/a.rs', 2),
      finding('test-deleted', 'high', 'src/a.rs', 2, { side: 'old' }),
      finding('other-file', 'high', 'src/b.rs', 2),
    ]);
    expect([...places.byRow.keys()].sort()).toEqual(['new:2', 'old:2']);
    expect(places.byRow.get('new:2')?.map((f) => f.rule)).toEqual(['sql-formatting', 'debug-leftover']);
    expect(places.byRow.get('old:2')?.map((f) => f.rule)).toEqual(['test-deleted']);
    expect(places.offscreen).toEqual([]);
  });
  it('marks the rest of a range as continued, and lists findings on lines not shown apart', () => {
    const places = placeFindings(file, [
      finding('long-function', 'low', 'src/a.rs', 2, { endLine: 4 }),
      finding('stub', 'high', 'src/a.rs', 3, { endLine: 4 }),
      finding('ci-workflow-changed', 'medium', 'src/a.rs', 40),
    ]);
    expect([...places.continued.entries()].sort()).toEqual([
      ['new:3', 'low'],
      ['new:4', 'high'],
    ]);
    expect(places.offscreen.map((f) => f.rule)).toEqual(['ci-workflow-changed']);
  });
  it('matches a deleted file by its old path and a renamed one by its new path', () => {
    const deleted = { oldPath: 'tests/t.rs', newPath: null, hunks: [hunk] };
    expect(placeFindings(deleted, [finding('test-deleted', 'high', 'tests/t.rs', 2, { side: 'old' })]).byRow.has('old:2')).toBe(true);
    const renamed = { oldPath: 'src/old.rs', newPath: 'src/new.rs', hunks: [hunk] };
    expect(placeFindings(renamed, [finding('x', 'low', 'src/old.rs', 2)]).byRow.size).toBe(0);
    expect(placeFindings(renamed, [finding('x', 'low', 'src/new.rs', 2)]).byRow.size).toBe(1);
  });
});

describe('codePieces', () => {
  it('cuts quoted code out of a text, keeping an unpaired backtick as text', () => {
    expect(codePieces('`.unwrap()` in library code')).toEqual([
      { text: '.unwrap()', code: true },
      { text: ' in library code', code: false },
    ]);
    expect(codePieces('use `?` or `map_err`.')).toEqual([
      { text: 'use ', code: false },
      { text: '?', code: true },
      { text: ' or ', code: false },
      { text: 'map_err', code: true },
      { text: '.', code: false },
    ]);
    expect(codePieces('a ` alone')).toEqual([{ text: 'a ` alone', code: false }]);
    expect(codePieces('')).toEqual([]);
  });
});
