import { describe, expect, it } from 'vitest';
import type { ChangeCounts, SideStructure, SymbolChange } from './bindings';
import { parseNote, symbolChangeList, symbolSummary } from './symbolSummary';

const zero: ChangeCounts = { added: 0, removed: 0, modified: 0, signatureChanged: 0, moved: 0, renamed: 0 };
function change(change: SymbolChange['change'], kind: SymbolChange['kind'], path: string): SymbolChange {
  const old = change === 'added' ? null : path;
  const now = change === 'removed' ? null : path;
  return { change, kind, oldPath: old, newPath: now, oldLines: null, newLines: null, oldFile: null };
}
const side = (extra: Partial<SideStructure> = {}): SideStructure => ({ symbols: 3, errors: [], notParsed: null, ...extra });

describe('symbolSummary', () => {
  it('names the kind when all changes share it', () => {
    const changes = [change('modified', 'function', 'a'), change('signatureChanged', 'method', 'C › b'), change('added', 'function', 'c')];
    expect(symbolSummary({ changes, counts: { ...zero, modified: 1, signatureChanged: 1, added: 1 } })).toBe('2 functions changed, 1 added');
  });

  it('says "symbol" for mixed kinds and singular for one', () => {
    const changes = [change('added', 'struct', 'S'), change('removed', 'function', 'f')];
    expect(symbolSummary({ changes, counts: { ...zero, added: 1, removed: 1 } })).toBe('1 symbol added, 1 removed');
  });

  it('is null when no symbol changed', () => {
    expect(symbolSummary({ changes: [], counts: zero })).toBeNull();
  });

  it('lists the changes one per line', () => {
    expect(symbolChangeList([change('modified', 'function', 'impl Cart › fn total'), change('added', 'function', 'fn f')])).toBe(
      'changed: impl Cart › fn total\nadded: fn f',
    );
  });
});

describe('parseNote', () => {
  it('says why a side was not parsed, but not for an unknown language', () => {
    const tooLarge = { reason: { kind: 'tooLarge' as const, bytes: 2e6, limit: 1048576 }, message: 'not parsed: 2000000 bytes, over the 1048576-byte limit' };
    expect(parseNote({ old: side(), new: side({ notParsed: tooLarge }) })?.text).toBe(tooLarge.message);
    const unknown = { reason: { kind: 'unknownLanguage' as const }, message: 'not parsed: no grammar for this language' };
    expect(parseNote({ old: side({ notParsed: unknown }), new: side({ notParsed: unknown }) })).toBeNull();
  });

  it('tells syntax errors of the new side with their lines', () => {
    const note = parseNote({ old: side(), new: side({ errors: [{ startLine: 4, endLine: 4, missing: '}' }, { startLine: 9, endLine: 12, missing: null }] }) });
    expect(note).toEqual({ text: 'does not parse', title: 'Syntax errors in the new side: line 4 (missing }), lines 9–12' });
  });
});
