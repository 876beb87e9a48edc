import { describe, expect, it } from 'vitest';
import type { DiffLine } from './bindings';
import { BLOCK_LINES, NO_NEWLINE_TEXT, VIRTUAL_MIN_LINES, blockKeyOf, firstBlocks, hunkBlocks, hunkRows, splitHunkHeader, splitRows } from './diffRows';

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

/** `count` lines of `kind`, numbered on from `from`. */
function run(kind: DiffLine['kind'], count: number, from = 1): DiffLine[] {
  return Array.from({ length: count }, (_, n) =>
    line(kind, `${kind} ${from + n}`, kind === 'added' ? null : from + n, kind === 'removed' ? null : from + n),
  );
}

describe('hunkRows of a range', () => {
  it('gives the rows of those lines only, keyed as in the whole hunk', () => {
    const lines = run('added', 10);
    const rows = hunkRows({ lines }, 4, 7);
    expect(rows.map((r) => r.key)).toEqual(['l4', 'l5', 'l6']);
  });
});

describe('hunkBlocks', () => {
  it('cuts a long hunk into blocks of BLOCK_LINES lines that cover it once, in order', () => {
    const lines = run('added', BLOCK_LINES * 2 + 7);
    const blocks = hunkBlocks({ lines }, 3);
    expect(blocks.map((b) => [b.key, b.start, b.end])).toEqual([
      ['3:0', 0, BLOCK_LINES],
      [`3:${BLOCK_LINES}`, BLOCK_LINES, BLOCK_LINES * 2],
      [`3:${BLOCK_LINES * 2}`, BLOCK_LINES * 2, BLOCK_LINES * 2 + 7],
    ]);
    expect(blockKeyOf(blocks, BLOCK_LINES * 2 + 6)).toBe(`3:${BLOCK_LINES * 2}`);
    expect(blockKeyOf(blocks, BLOCK_LINES * 2 + 7)).toBeNull();
  });

  it('does not end a block between the removed and the added lines of one change', () => {
    // The change's removed lines end right before the block's edge; its added lines follow.
    const lines = [...run('context', BLOCK_LINES - 3), ...run('removed', 3, 500), ...run('added', 4, 500), ...run('context', 5, 600)];
    const blocks = hunkBlocks({ lines }, 0);
    expect(blocks[0]!.end).toBe(BLOCK_LINES + 4);
    expect(blocks.map((b) => b.end).at(-1)).toBe(lines.length);
  });

  it('counts the no-newline rows in a block', () => {
    const lines = [line('removed', 'a', 1, null, { noNewline: true }), line('added', 'b', null, 1, { noNewline: true })];
    expect(hunkBlocks({ lines }, 0)[0]!.rows).toBe(4);
  });
});

describe('firstBlocks', () => {
  it('draws every block of a short file', () => {
    const hunks = [{ lines: run('added', VIRTUAL_MIN_LINES - 1) }];
    expect(firstBlocks(hunks, 100, 20, 30).size).toBe(hunkBlocks(hunks[0]!, 0).length);
  });

  it('draws the blocks of a long file that fill the height asked, from the top', () => {
    const hunks = [{ lines: run('added', 5000) }, { lines: run('added', 50, 6000) }];
    // 30 px of header, then blocks of BLOCK_LINES × 20 px: the third block starts just past the height.
    const height = 30 + BLOCK_LINES * 20 * 2 - 1;
    expect([...firstBlocks(hunks, height, 20, 30)]).toEqual(['0:0', `0:${BLOCK_LINES}`]);
  });
});

describe('splitRows', () => {
  it('puts context lines on both sides and pairs a change\'s removed lines with its added ones', () => {
    const rows = hunkRows({
      lines: [
        line('context', 'a', 1, 1),
        line('removed', 'b', 2, null),
        line('removed', 'c', 3, null),
        line('added', 'B', null, 2),
        line('context', 'd', 4, 3),
        line('added', 'e', null, 4),
      ],
    });
    const split = splitRows(rows).map((row) => (row.type === 'pair' ? [row.old?.text ?? null, row.new?.text ?? null] : row.type));
    expect(split).toEqual([
      ['a', 'a'],
      ['b', 'B'],
      ['c', null],
      ['d', 'd'],
      [null, 'e'],
    ]);
  });

  it('puts git\'s no-newline marker under the side that lacks it', () => {
    const rows = hunkRows({ lines: [line('removed', 'end', 3, null, { noNewline: true }), line('added', 'end', null, 3)] });
    const split = splitRows(rows);
    expect(split.map((row) => row.type)).toEqual(['pair', 'noNewline']);
    expect(split[1]).toMatchObject({ old: true, new: false });
  });

  it('gives unique keys', () => {
    const rows = hunkRows({ lines: [...run('removed', 3), ...run('added', 5), ...run('context', 2, 9)] });
    const keys = splitRows(rows).map((row) => row.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
