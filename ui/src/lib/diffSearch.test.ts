import { describe, expect, it } from 'vitest';
import type { DiffLine } from './bindings';
import { compileSearch, escapeRegExp, findInFiles, findInHunks, findInLine, matchCount, matchesByLine, searchRuns, stepMatch, type SearchOptions } from './diffSearch';
import { emphasisSegments } from './emphasis';
import { lineRuns } from './lineRuns';

const opts = (query: string, extra: Partial<SearchOptions> = {}): SearchOptions => ({ query, caseSensitive: false, regex: false, ...extra });

function pattern(query: string, extra: Partial<SearchOptions> = {}): RegExp {
  const matcher = compileSearch(opts(query, extra));
  if (matcher === null || !matcher.ok) throw new Error(`no pattern for ${query}`);
  return matcher.pattern;
}

const texts = (text: string, ranges: { start: number; end: number }[]) => ranges.map((r) => text.slice(r.start, r.end));

describe('compileSearch', () => {
  it('has nothing to search for an empty query', () => {
    expect(compileSearch(opts(''))).toBeNull();
    expect(compileSearch(opts('', { regex: true }))).toBeNull();
  });

  it('escapes a literal query, so every character means itself', () => {
    const text = 'a.b axb (x) [y] {z} a+b $1 ^c | \\d /';
    for (const query of ['a.b', '(x)', '[y]', '{z}', 'a+b', '$1', '^c', '|', '\\d', '/']) {
      expect(texts(text, findInLine(text, pattern(query))), query).toEqual([query]);
    }
    expect(escapeRegExp('a.b*c')).toBe('a\\.b\\*c');
  });

  it('takes a regular expression in regex mode, and says why an invalid one cannot be searched', () => {
    expect(texts('a.b axb', findInLine('a.b axb', pattern('a.b', { regex: true })))).toEqual(['a.b', 'axb']);
    const bad = compileSearch(opts('(unclosed', { regex: true }));
    expect(bad).toMatchObject({ ok: false });
    expect(bad !== null && !bad.ok && bad.error.length > 0).toBe(true);
    // Valid only outside Unicode mode: still searched.
    expect(texts('a-b', findInLine('a-b', pattern('\\-', { regex: true })))).toEqual(['-']);
  });

  it('ignores case unless asked', () => {
    expect(texts('Limit limit LIMIT', findInLine('Limit limit LIMIT', pattern('limit')))).toEqual(['Limit', 'limit', 'LIMIT']);
    expect(texts('Limit limit LIMIT', findInLine('Limit limit LIMIT', pattern('limit', { caseSensitive: true })))).toEqual(['limit']);
    expect(texts('Ünïcode ünïcode', findInLine('Ünïcode ünïcode', pattern('ÜNÏ')))).toEqual(['Ünï', 'ünï']);
  });
});

describe('findInLine', () => {
  it('gives UTF-16 offsets, as the emphasis ranges are', () => {
    const text = 'let 🦀 = "crab"; // 🦀';
    const ranges = findInLine(text, pattern('🦀'));
    expect(ranges).toEqual([
      { start: 4, end: 6 },
      { start: 20, end: 22 },
    ]);
    expect(texts(text, ranges)).toEqual(['🦀', '🦀']);
  });

  it('finds matches that do not overlap, and skips empty ones', () => {
    expect(findInLine('aaaa', pattern('aa'))).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
    ]);
    expect(findInLine('abc', pattern('x*', { regex: true }))).toEqual([]);
    expect(findInLine('abc', pattern('^', { regex: true }))).toEqual([]);
    expect(texts('🦀b🦀', findInLine('🦀b🦀', pattern('b*', { regex: true })))).toEqual(['b']);
    expect(findInLine('', pattern('a'))).toEqual([]);
  });

  it('stops at the limit', () => {
    expect(findInLine('aaaaa', pattern('a'), 3)).toHaveLength(3);
  });
});

const line = (text: string, kind: DiffLine['kind'] = 'context'): DiffLine => ({ kind, oldLine: 1, newLine: 1, text, emphasis: [], noNewline: false, lossy: false });

describe('findInHunks', () => {
  const hunks = [{ lines: [line('fn limit()'), line('no'), line('limit limit', 'added')] }, { lines: [line('LIMIT', 'removed')] }];

  it('lists every match in reading order', () => {
    expect(findInHunks(hunks, pattern('limit'))).toEqual([
      { file: 0, hunk: 0, line: 0, start: 3, end: 8 },
      { file: 0, hunk: 0, line: 2, start: 0, end: 5 },
      { file: 0, hunk: 0, line: 2, start: 6, end: 11 },
      { file: 0, hunk: 1, line: 0, start: 0, end: 5 },
    ]);
    expect(findInHunks(hunks, pattern('limit'), 2)).toHaveLength(2);
  });

  it('groups them by line with the number of the first', () => {
    const byLine = matchesByLine(findInHunks(hunks, pattern('limit')));
    expect(byLine.get('0:2')).toEqual({
      first: 1,
      ranges: [
        { start: 0, end: 5 },
        { start: 6, end: 11 },
      ],
    });
    expect(byLine.get('1:0')?.first).toBe(3);
    expect(byLine.has('0:1')).toBe(false);
  });

  it('searches several files in the order given, numbering across them', () => {
    const files = [
      { index: 4, hunks: [{ lines: [line('limit')] }] },
      { index: 1, hunks: hunks },
    ];
    const all = findInFiles(files, pattern('limit'));
    expect(all.map((m) => m.file)).toEqual([4, 1, 1, 1, 1]);
    expect(findInFiles(files, pattern('limit'), 3)).toHaveLength(3);
    expect(matchesByLine(all, 1).get('0:0')).toEqual({ first: 1, ranges: [{ start: 3, end: 8 }] });
    expect(matchesByLine(all, 4).get('0:0')?.first).toBe(0);
    expect(matchesByLine(all, 7).size).toBe(0);
  });
});

describe('searchRuns', () => {
  const joined = (runs: { pieces: { text: string }[] }[]) => runs.flatMap((run) => run.pieces.map((piece) => piece.text)).join('');

  it('leaves a line without matches as it is', () => {
    const runs = lineRuns('let x = 1;', [], [{ start: 0, end: 3, class: 'keyword' }]);
    expect(searchRuns(runs, [])).toEqual([
      {
        emphasized: false,
        pieces: [
          { text: 'let', cls: 'keyword', hit: null },
          { text: ' x = 1;', cls: null, hit: null },
        ],
      },
    ]);
  });

  it('cuts across emphasis and syntax spans without losing a character', () => {
    // "per_second: f64," with `f64` emphasised and `per_second` a variable, searching "d: f".
    const text = '    pub per_second: f64,';
    const emphasis = emphasisSegments(text, [{ start: 20, end: 23 }]);
    const runs = lineRuns(text, emphasis, [
      { start: 8, end: 18, class: 'variable' },
      { start: 20, end: 23, class: 'type' },
    ]);
    const ranges = findInLine(text, pattern('d: f'));
    expect(ranges).toEqual([{ start: 17, end: 21 }]);
    const cut = searchRuns(runs, ranges, 5);
    expect(joined(cut)).toBe(text);
    expect(cut.map((run) => run.emphasized)).toEqual([false, true, false]);
    expect(cut.flatMap((run) => run.pieces.filter((p) => p.hit !== null).map((p) => [p.text, p.cls, p.hit, run.emphasized]))).toEqual([
      ['d', 'variable', 5, false],
      [': ', null, 5, false],
      ['f', 'type', 5, true],
    ]);
  });

  it('numbers several matches of a line from the first', () => {
    const text = 'a-a-a';
    const cut = searchRuns(lineRuns(text, [], []), findInLine(text, pattern('a')), 7);
    expect(cut[0]?.pieces.map((p) => [p.text, p.hit])).toEqual([
      ['a', 7],
      ['-', null],
      ['a', 8],
      ['-', null],
      ['a', 9],
    ]);
  });

  it('keeps surrogate pairs whole', () => {
    const text = 'x🦀y🦀';
    const cut = searchRuns(lineRuns(text, [], [{ start: 1, end: 5, class: 'string' }]), findInLine(text, pattern('🦀y')));
    expect(joined(cut)).toBe(text);
    expect(cut[0]?.pieces.map((p) => [p.text, p.cls, p.hit])).toEqual([
      ['x', null, null],
      ['🦀', 'string', 0],
      ['y', null, 0],
      ['🦀', null, null],
    ]);
  });
});

describe('matchCount and stepMatch', () => {
  it('says where the current match is among all', () => {
    expect(matchCount(2, 12)).toBe('3 of 12');
    expect(matchCount(null, 12)).toBe('12 results');
    expect(matchCount(null, 1)).toBe('1 result');
    expect(matchCount(null, 0)).toBe('No results');
    expect(matchCount(0, 10, 10)).toBe('1 of 10+');
  });

  it('steps forward and back, wrapping around', () => {
    expect(stepMatch(null, 3, 1)).toBe(0);
    expect(stepMatch(null, 3, -1)).toBe(2);
    expect(stepMatch(2, 3, 1)).toBe(0);
    expect(stepMatch(0, 3, -1)).toBe(2);
    expect(stepMatch(1, 3, 1)).toBe(2);
    expect(stepMatch(null, 0, 1)).toBeNull();
  });
});
