import { describe, expect, it } from 'vitest';
import type { FileDiff, Hunk } from './bindings';
import {
  canPin,
  changeRequest,
  explainId,
  fileRequest,
  hunkRequest,
  modelText,
  questionLines,
  questionRequest,
  redactionText,
  requestTitle,
  risksRequest,
  sameRequest,
  truncationText,
  usageItems,
  withTeach,
} from './explainRequest';

function hunk(id: string, newStart: number, newLines: number): Hunk {
  return { id, header: `@@ -1 +${newStart},${newLines} @@`, oldStart: 1, oldLines: 1, newStart, newLines, lines: [] };
}

function file(extra: Partial<FileDiff> = {}): FileDiff {
  return {
    oldPath: 'src/old.rs',
    newPath: 'src/new.rs',
    status: 'renamed',
    oldKind: 'file',
    newKind: 'file',
    oldId: '1',
    newId: '2',
    similarity: 90,
    binary: false,
    collapsed: null,
    omitted: null,
    additions: 0,
    deletions: 0,
    hunks: [hunk('a', 3, 4), hunk('b', 20, 0), hunk('c', 40, 1)],
    ...extra,
  };
}

describe('requests', () => {
  it('counts hunks from 1 and names the file by its review path', () => {
    expect(hunkRequest(file(), 0, false)).toEqual({ action: { kind: 'hunk', file: 'src/new.rs', hunk: 1 }, teach: false });
    expect(risksRequest(file(), 2, true)).toEqual({ action: { kind: 'risks', file: 'src/new.rs', hunk: 3 }, teach: true });
    expect(hunkRequest(file(), 3, false)).toBeNull();
    expect(hunkRequest(file(), -1, false)).toBeNull();
    expect(fileRequest(file({ newPath: null, status: 'deleted' }), false)).toEqual({ action: { kind: 'file', file: 'src/old.rs' }, teach: false });
    expect(changeRequest(true)).toEqual({ action: { kind: 'change' }, teach: true });
  });

  it('asks again for a learner with the same action', () => {
    const request = hunkRequest(file(), 1, false)!;
    expect(withTeach(request, true)).toEqual({ action: request.action, teach: true });
    expect(sameRequest(request, withTeach(request, false))).toBe(true);
    expect(sameRequest(request, withTeach(request, true))).toBe(false);
    expect(sameRequest(request, null)).toBe(false);
  });

  it('asks a question about the selected new lines, else the current hunk’s new lines', () => {
    const selection = { path: 'src/new.rs', side: 'new' as const, startLine: 5, endLine: 7 };
    expect(questionLines(file(), selection, 2)).toEqual({ startLine: 5, endLine: 7, from: 'selection' });
    // A selection of old lines, or in another file, is not what the core asks about.
    expect(questionLines(file(), { ...selection, side: 'old', path: 'src/old.rs' }, 2)).toEqual({ startLine: 40, endLine: 40, from: 'hunk' });
    expect(questionLines(file(), { ...selection, path: 'src/other.rs' }, null)).toEqual({ startLine: 3, endLine: 6, from: 'hunk' });
    // A hunk that only removes lines, or a deleted file, has no new lines to ask about.
    expect(questionLines(file(), null, 1)).toBeNull();
    expect(questionLines(file({ newPath: null }), null, 0)).toBeNull();
  });

  it('sends the question trimmed, with snake_case lines as the core reads them, and never a blank one', () => {
    const lines = { startLine: 5, endLine: 7, from: 'selection' as const };
    expect(questionRequest(file(), lines, '  Why a loop?  ', false)).toEqual({
      action: { kind: 'question', file: 'src/new.rs', startLine: 5, endLine: 7, question: 'Why a loop?' },
      teach: false,
    });
    expect(questionRequest(file(), lines, '   ', false)).toBeNull();
  });

  it('titles each request and pins all but the whole change', () => {
    expect(requestTitle(hunkRequest(file(), 0, false)!)).toBe('Hunk 1 of src/new.rs');
    expect(requestTitle(risksRequest(file(), 0, false)!)).toBe('What could go wrong in hunk 1 of src/new.rs');
    expect(requestTitle(fileRequest(file(), false))).toBe('The changes to src/new.rs');
    expect(requestTitle(changeRequest(false))).toBe('The whole change');
    const question = questionRequest(file(), { startLine: 4, endLine: 4, from: 'hunk' }, 'Why?', false)!;
    expect(requestTitle(question)).toBe('Line 4 of src/new.rs: “Why?”');
    expect(canPin(changeRequest(false))).toBe(false);
    expect(canPin(question)).toBe(true);
    expect(canPin(fileRequest(file(), true))).toBe(true);
  });

  it('makes a new id for each explanation', () => {
    expect(explainId()).not.toBe(explainId());
  });
});

describe('wording', () => {
  it('names the model and where it came from', () => {
    expect(modelText({ model: 'llama3.1:8b', baseUrl: 'http://127.0.0.1:11434/v1', source: 'detected', contextTokens: 8192 })).toBe(
      'llama3.1:8b at http://127.0.0.1:11434/v1 (found on this machine)',
    );
    expect(modelText({ model: 'm', baseUrl: 'u', source: 'environment', contextTokens: 1 })).toBe('m at u (from REDLINE_LLM_*)');
  });

  it('counts the secrets replaced, by kind and part', () => {
    expect(redactionText([])).toBeNull();
    expect(
      redactionText([
        { kind: 'AWS access key id', part: 'code' },
        { kind: 'GitHub token', part: 'enclosing symbol' },
        { kind: 'AWS access key id', part: 'code' },
      ]),
    ).toBe('3 secrets replaced: AWS access key id in code (2), GitHub token in enclosing symbol');
    expect(redactionText([{ kind: 'private key', part: 'imports' }])).toBe('1 secret replaced: private key in imports');
  });

  it('says what was left out to fit', () => {
    expect(truncationText({ importsDropped: 0, findingsDropped: 0, enclosingLinesDropped: 0, codeLinesDropped: 0 })).toBeNull();
    expect(truncationText({ importsDropped: 2, findingsDropped: 1, enclosingLinesDropped: 0, codeLinesDropped: 14 })).toBe(
      'Left out to fit the model: 2 imports, 1 finding, 14 code lines',
    );
  });

  it('lists the figures the server reported, and says when the answer was cached', () => {
    expect(usageItems('model', { inputTokens: 812, outputTokens: 164, firstTokenMs: 240, totalMs: 1830, attempts: 1 }).map((i) => i.text)).toEqual([
      '812 tokens in',
      '164 tokens out',
      'first token 240 ms',
      'total 1830 ms',
    ]);
    expect(usageItems('cache', { inputTokens: null, outputTokens: null, firstTokenMs: null, totalMs: 2, attempts: 1 }).map((i) => i.text)).toEqual([
      'cached',
      'total 2 ms',
    ]);
    expect(usageItems('model', { inputTokens: 1, outputTokens: 1, firstTokenMs: null, totalMs: null, attempts: 3 }).map((i) => i.key)).toEqual(['in', 'out', 'attempts']);
    expect(usageItems('structure', null)).toEqual([]);
  });
});
