import { describe, expect, it } from 'vitest';
import type { DiffLine } from './bindings';
import { NO_NEWLINE_TEXT, hunkRows, splitHunkHeader } from './diffRows';

function line(kind: DiffLine['kind'], text: string, oldLine: number | null, newLine: number | null, extra: Partial<DiffLine> = {}): DiffLine {
  return { kind, text, oldLine, newLine, noNewline: false, lossy: false, emphasis: [], ...extra };
}

describe('hunkRows', () => {
  it('gives one row per line with its sign, numbers and untouched text', () => {
    const rows = hunkRows({
      lines: [
        line('context', '  let a = 1;', 10, 10),
        line('removed', '\tlet b = 2;  ', 11, null),
        line('added', '', null, 11),
      ],
    });
    expect(rows).toEqual([
      { type: 'line', key: 'l0', kind: 'context', sign: ' ', oldLine: 10, newLine: 10, text: '  let a = 1;', lossy: false, emphasis: [] },
      { type: 'line', key: 'l1', kind: 'removed', sign: '-', oldLine: 11, newLine: null, text: '\tlet b = 2;  ', lossy: false, emphasis: [] },
      { type: 'line', key: 'l2', kind: 'added', sign: '+', oldLine: null, newLine: 11, text: '', lossy: false, emphasis: [] },
    ]);
  });

  it('puts a no-newline row right after each line that lacks its newline', () => {
    const rows = hunkRows({
      lines: [line('removed', 'end', 3, null, { noNewline: true }), line('added', 'end', null, 3, { noNewline: true })],
    });
    expect(rows.map((r) => r.type)).toEqual(['line', 'noNewline', 'line', 'noNewline']);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it('carries the lossy flag', () => {
    const [row] = hunkRows({ lines: [line('added', 'caf\uFFFD', null, 1, { lossy: true })] });
    expect(row).toMatchObject({ type: 'line', lossy: true, text: 'caf\uFFFD' });
  });

  it('cuts an emphasised line into segments that rejoin to its text', () => {
    const text = '    let listener = bind(addr).await?;';
    const start = text.indexOf('?');
    const [row] = hunkRows({ lines: [line('added', text, null, 4, { emphasis: [{ start, end: start + 1 }] })] });
    expect(row).toMatchObject({
      type: 'line',
      text,
      emphasis: [
        { text: '    let listener = bind(addr).await', emphasized: false },
        { text: '?', emphasized: true },
        { text: ';', emphasized: false },
      ],
    });
  });

  it('is empty for a hunk without lines', () => {
    expect(hunkRows({ lines: [] })).toEqual([]);
  });
});

describe('NO_NEWLINE_TEXT', () => {
  it('is what git prints', () => {
    expect(NO_NEWLINE_TEXT).toBe('\\ No newline at end of file');
  });
});

describe('splitHunkHeader', () => {
  it('separates the ranges from the function context', () => {
    expect(splitHunkHeader('@@ -12,7 +12,9 @@ fn parse(input: &str) -> Result<Ast>')).toEqual({
      range: '@@ -12,7 +12,9 @@',
      context: ' fn parse(input: &str) -> Result<Ast>',
    });
  });
  it('handles a header without context and a combined-diff header', () => {
    expect(splitHunkHeader('@@ -1 +1 @@')).toEqual({ range: '@@ -1 +1 @@', context: '' });
    expect(splitHunkHeader('@@@ -1,2 -1,2 +1,3 @@@ x')).toEqual({ range: '@@@ -1,2 -1,2 +1,3 @@@', context: ' x' });
  });
  it('keeps an unexpected header whole', () => {
    expect(splitHunkHeader('not a header')).toEqual({ range: 'not a header', context: '' });
  });
  it('always reassembles to the header', () => {
    for (const header of ['@@ -0,0 +1,3 @@', '@@ -5,3 +5,3 @@ impl A › fn b', '@@ -1 +1 @@ @@ tricky @@']) {
      const { range, context } = splitHunkHeader(header);
      expect(range + context).toBe(header);
    }
  });
});
