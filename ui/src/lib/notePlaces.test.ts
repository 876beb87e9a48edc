import { describe, expect, it } from 'vitest';
import type { DiffLine, FileDiff, Hunk, NoteKind, PlacedThread, Placement } from './bindings';
import {
  hunkNotePlace,
  isSelected,
  newThreadKey,
  outdatedIn,
  placeOnRows,
  placedLines,
  replyKey,
  rowKeysOf,
  selectLines,
  threadPlace,
} from './notePlaces';

function line(kind: DiffLine['kind'], oldLine: number | null, newLine: number | null): DiffLine {
  return { kind, oldLine, newLine, text: '', noNewline: false, lossy: false, emphasis: [] };
}

/** src/a.rs renamed from src/old_a.rs: old 10–13 became new 10–13 with line 11 replaced. */
const hunk: Hunk = {
  id: 'h1',
  header: '@@ -10,3 +10,3 @@',
  oldStart: 10,
  oldLines: 3,
  newStart: 10,
  newLines: 3,
  lines: [line('context', 10, 10), line('removed', 11, null), line('added', null, 11), line('context', 12, 12)],
};
const file = { oldPath: 'src/old_a.rs', newPath: 'src/a.rs', hunks: [hunk] } as Pick<FileDiff, 'oldPath' | 'newPath' | 'hunks'>;

function placed(id: string, side: 'old' | 'new', path: string, placement: Placement, kind: NoteKind = 'comment'): PlacedThread {
  return {
    thread: {
      id,
      kind,
      resolved: false,
      anchor: { path, side, startLine: 1, endLine: 1, hunkId: null, hunkOffset: null, symbol: null, lines: ['x'], before: [], after: [], contextHash: '0' },
      revision: 'a:b',
      notes: [],
    },
    placement,
    html: [],
    evidence: null,
  };
}

describe('placedLines', () => {
  it('reads the placed lines of a current or changed placement, nothing of an outdated one', () => {
    expect(placedLines({ state: 'current', path: 'a', startLine: 2, endLine: 4 })).toEqual({ path: 'a', startLine: 2, endLine: 4 });
    expect(placedLines({ state: 'changed', path: 'b', startLine: 7, endLine: 7 })).toEqual({ path: 'b', startLine: 7, endLine: 7 });
    expect(placedLines({ state: 'outdated' })).toBeNull();
  });
});

describe('rowKeysOf', () => {
  it('gives added lines their new number, removed lines their old one, context lines both', () => {
    expect(rowKeysOf(line('added', null, 11))).toEqual(['new:11']);
    expect(rowKeysOf(line('removed', 11, null))).toEqual(['old:11']);
    expect(rowKeysOf(line('context', 12, 14))).toEqual(['old:12', 'new:14']);
  });
});

describe('placeOnRows', () => {
  it('puts a thread under the line its range ends on, counted on its own side', () => {
    const onNew = placed('n', 'new', 'src/a.rs', { state: 'current', path: 'src/a.rs', startLine: 10, endLine: 11 });
    const onOld = placed('o', 'old', 'src/old_a.rs', { state: 'changed', path: 'src/old_a.rs', startLine: 11, endLine: 11 });
    const onContextOld = placed('c', 'old', 'src/old_a.rs', { state: 'current', path: 'src/old_a.rs', startLine: 12, endLine: 12 });
    const places = placeOnRows(file, [onNew, onOld, onContextOld], threadPlace);
    expect([...places.byRow.entries()].map(([key, items]) => [key, items.map((t) => t.thread.id)])).toEqual([
      ['new:11', ['n']],
      ['old:11', ['o']],
      ['old:12', ['c']],
    ]);
    expect(places.offscreen).toEqual([]);
  });

  it('keeps threads of other files and outdated ones out, and lists lines the diff does not show apart', () => {
    const elsewhere = placed('e', 'new', 'src/b.rs', { state: 'current', path: 'src/b.rs', startLine: 11, endLine: 11 });
    // written on src/a.rs's new side, but the old path is not where new-side notes are
    const wrongSide = placed('w', 'new', 'src/old_a.rs', { state: 'current', path: 'src/old_a.rs', startLine: 11, endLine: 11 });
    const outdated = placed('x', 'new', 'src/a.rs', { state: 'outdated' });
    const far = placed('f', 'new', 'src/a.rs', { state: 'current', path: 'src/a.rs', startLine: 40, endLine: 42 });
    const places = placeOnRows(file, [elsewhere, wrongSide, outdated, far], threadPlace);
    expect(places.byRow.size).toBe(0);
    expect(places.offscreen.map((t) => t.thread.id)).toEqual(['f']);
  });
});

describe('outdatedIn', () => {
  it('lists the outdated threads written on this file, by the path of their side', () => {
    const mine = placed('m', 'old', 'src/old_a.rs', { state: 'outdated' });
    const other = placed('o', 'new', 'src/b.rs', { state: 'outdated' });
    const current = placed('c', 'new', 'src/a.rs', { state: 'current', path: 'src/a.rs', startLine: 11, endLine: 11 });
    expect(outdatedIn(file, [mine, other, current]).map((t) => t.thread.id)).toEqual(['m']);
  });
});

describe('hunkNotePlace', () => {
  it('writes on the last added line, on the new side', () => {
    const twoAdded: Pick<Hunk, 'lines'> = { lines: [line('added', null, 3), line('added', null, 4), line('context', 3, 5)] };
    expect(hunkNotePlace(file, twoAdded)).toEqual({ path: 'src/a.rs', side: 'new', startLine: 4, endLine: 4 });
    expect(hunkNotePlace(file, hunk)).toEqual({ path: 'src/a.rs', side: 'new', startLine: 11, endLine: 11 });
  });

  it('writes on the last removed line, on the old side, of a hunk that only removes', () => {
    const removal: Pick<Hunk, 'lines'> = { lines: [line('context', 1, 1), line('removed', 2, null), line('removed', 3, null), line('context', 4, 2)] };
    expect(hunkNotePlace({ oldPath: 'gone.rs', newPath: null }, removal)).toEqual({ path: 'gone.rs', side: 'old', startLine: 3, endLine: 3 });
  });

  it('has no place in a hunk without changed lines', () => {
    expect(hunkNotePlace(file, { lines: [line('context', 1, 1)] })).toBeNull();
  });
});

describe('draft keys', () => {
  it('spells them as the core does', () => {
    expect(newThreadKey({ path: 'src/a.rs', side: 'old', startLine: 3, endLine: 5 })).toBe('new:src/a.rs:old:3-5');
    expect(replyKey('0190-abc')).toBe('reply:0190-abc');
  });
});

describe('selectLines', () => {
  it('selects a clicked line and extends the selection with a shift-click, either way', () => {
    const one = selectLines(null, 'src/a.rs', 'new', 12, true);
    expect(one).toEqual({ path: 'src/a.rs', side: 'new', startLine: 12, endLine: 12 });
    const down = selectLines(one, 'src/a.rs', 'new', 15, true);
    expect(down).toEqual({ path: 'src/a.rs', side: 'new', startLine: 12, endLine: 15 });
    expect(selectLines(down, 'src/a.rs', 'new', 9, true)).toEqual({ path: 'src/a.rs', side: 'new', startLine: 9, endLine: 15 });
  });

  it('starts again on a plain click, another side or another file', () => {
    const range = { path: 'src/a.rs', side: 'new' as const, startLine: 12, endLine: 15 };
    expect(selectLines(range, 'src/a.rs', 'new', 20, false)).toEqual({ path: 'src/a.rs', side: 'new', startLine: 20, endLine: 20 });
    expect(selectLines(range, 'src/old_a.rs', 'old', 13, true)).toEqual({ path: 'src/old_a.rs', side: 'old', startLine: 13, endLine: 13 });
    expect(selectLines(range, 'src/b.rs', 'new', 13, true)).toEqual({ path: 'src/b.rs', side: 'new', startLine: 13, endLine: 13 });
  });
});

describe('isSelected', () => {
  it('marks the rows whose number on the selection side is in range', () => {
    const oldSel = { path: 'src/old_a.rs', side: 'old' as const, startLine: 11, endLine: 12 };
    expect(hunk.lines.map((l) => isSelected(oldSel, 'src/old_a.rs', l))).toEqual([false, true, false, true]);
    const newSel = { path: 'src/a.rs', side: 'new' as const, startLine: 10, endLine: 11 };
    expect(hunk.lines.map((l) => isSelected(newSel, 'src/a.rs', l))).toEqual([true, false, true, false]);
    expect(hunk.lines.map((l) => isSelected(newSel, 'src/old_a.rs', l))).toEqual([false, false, false, false]);
  });
});
