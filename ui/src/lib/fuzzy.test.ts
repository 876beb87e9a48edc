import { describe, expect, it } from 'vitest';
import { fuzzyMatch, matchRuns } from './fuzzy';

const score = (query: string, text: string) => fuzzyMatch(query, text)?.score ?? null;

describe('fuzzyMatch', () => {
  it('matches a subsequence, case-insensitive, and nothing else', () => {
    expect(fuzzyMatch('nxf', 'Next file')?.positions).toEqual([0, 2, 5]);
    expect(fuzzyMatch('NEXT', 'next file')?.positions).toEqual([0, 1, 2, 3]);
    expect(fuzzyMatch('fn', 'Next file')).toBeNull();
    expect(fuzzyMatch('files', 'file')).toBeNull();
    expect(fuzzyMatch('q', '')).toBeNull();
  });

  it('matches everything with an empty query', () => {
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, positions: [] });
    expect(fuzzyMatch('  ', 'anything')).toEqual({ score: 0, positions: [] });
  });

  it('takes spaces in the query as separators of words', () => {
    expect(fuzzyMatch('next f', 'Next file')?.positions).toEqual([0, 1, 2, 3, 5]);
  });

  it('prefers word starts to letters inside words', () => {
    // "nf": N(ext) F(ile) beats co-nf-ig, though that one is contiguous
    expect(score('nf', 'Next file')!).toBeGreaterThan(score('nf', 'confirm')!);
    // the positions chosen are the word starts, not the first letters found
    expect(fuzzyMatch('sf', 'show findings')?.positions).toEqual([0, 5]);
    expect(fuzzyMatch('rl', 'src/rate_limit.rs')?.positions).toEqual([4, 9]);
    // camelCase humps are word starts too
    expect(fuzzyMatch('rl', 'RateLimiter')?.positions).toEqual([0, 4]);
  });

  it('prefers contiguous runs to scattered letters', () => {
    expect(score('file', 'Next file')!).toBeGreaterThan(score('file', 'fix it lately, e')!);
    expect(fuzzyMatch('view', 'Mark the hunk viewed')?.positions).toEqual([14, 15, 16, 17]);
  });

  it('breaks ties by an earlier match and a shorter text', () => {
    expect(score('a', 'a.rs')!).toBeGreaterThan(score('a', 'a_longer_name.rs')!);
    expect(score('x', 'x y')!).toBeGreaterThan(score('x', 'y x')!);
  });

  it('finds the best alignment, not the first', () => {
    // a greedy match would take the "s" of "source", then "er" of "server"; the best takes
    // "ser" from "server", one run at a word start
    expect(fuzzyMatch('ser', 'source/server.rs')?.positions).toEqual([7, 8, 9]);
  });
});

describe('matchRuns', () => {
  it('cuts the text into matched and unmatched runs', () => {
    expect(matchRuns('Next file', [0, 1, 5])).toEqual([
      { text: 'Ne', hit: true },
      { text: 'xt ', hit: false },
      { text: 'f', hit: true },
      { text: 'ile', hit: false },
    ]);
    expect(matchRuns('abc', [])).toEqual([{ text: 'abc', hit: false }]);
  });
});
