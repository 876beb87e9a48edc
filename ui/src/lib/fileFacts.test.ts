import { describe, expect, it } from 'vitest';
import type { DiffLine, FileDiff } from './bindings';
import { collapsedReason, collapsedTag, fileFacts, omissionReason, undoesByHunk } from './fileFacts';

function file(extra: Partial<FileDiff>): FileDiff {
  return {
    oldPath: 'a.txt',
    newPath: 'a.txt',
    status: 'modified',
    oldKind: 'file',
    newKind: 'file',
    oldId: '1111111',
    newId: '2222222',
    similarity: null,
    binary: false,
    collapsed: null,
    omitted: null,
    additions: 0,
    deletions: 0,
    hunks: [],
    ...extra,
  };
}

function line(text: string, lossy: boolean): DiffLine {
  return { kind: 'added', oldLine: null, newLine: 1, text, noNewline: false, lossy, emphasis: [] };
}

const texts = (f: FileDiff) => fileFacts(f).map((fact) => [fact.kind, fact.text]);

describe('fileFacts', () => {
  it('says nothing about a plain modified file', () => {
    expect(fileFacts(file({}))).toEqual([]);
  });

  it('gives the similarity of a rename or a copy', () => {
    expect(texts(file({ status: 'renamed', oldPath: 'b.txt', similarity: 92 }))).toEqual([['similarity', '92% similar']]);
    const copy = fileFacts(file({ status: 'copied', oldPath: 'b.txt', similarity: 100 }));
    expect(copy).toEqual([{ kind: 'similarity', text: '100% similar', title: expect.stringMatching(/^Copied/) }]);
  });

  it('names a mode change with git modes', () => {
    expect(texts(file({ oldKind: 'file', newKind: 'executable' }))).toEqual([['modeChange', 'mode 100644 → 100755']]);
    expect(texts(file({ oldKind: 'executable', newKind: 'file' }))).toEqual([['modeChange', 'mode 100755 → 100644']]);
  });

  it('names a type change by kind', () => {
    const change = fileFacts(file({ status: 'typeChanged', oldKind: 'file', newKind: 'symlink' }));
    expect(change).toEqual([{ kind: 'kindChange', text: 'file → symlink', title: 'Was a file, is now a symlink' }]);
    expect(texts(file({ status: 'typeChanged', oldKind: 'symlink', newKind: 'executable' }))).toEqual([
      ['kindChange', 'symlink → executable'],
    ]);
  });

  it('labels symlinks and submodules, also when added or deleted', () => {
    expect(texts(file({ oldKind: 'symlink', newKind: 'symlink' }))).toEqual([['entryKind', 'symlink']]);
    expect(texts(file({ status: 'added', oldPath: null, oldKind: null, newKind: 'submodule' }))).toEqual([
      ['entryKind', 'submodule'],
    ]);
    expect(texts(file({ status: 'deleted', newPath: null, newKind: null, oldKind: 'symlink' }))).toEqual([['entryKind', 'symlink']]);
  });

  it('gives the mode of an added executable', () => {
    expect(texts(file({ status: 'added', oldPath: null, oldKind: null, newKind: 'executable' }))).toEqual([
      ['modeChange', 'mode 100755'],
    ]);
  });

  it('flags lines that were not UTF-8, once', () => {
    const hunk = { id: 'h', header: '@@ -0,0 +1,2 @@', oldStart: 0, oldLines: 0, newStart: 1, newLines: 2 };
    const lossy = file({ hunks: [{ ...hunk, lines: [line('ok', false), line('caf\uFFFD', true), line('\uFFFD', true)] }] });
    expect(texts(lossy)).toEqual([['lossy', 'not UTF-8']]);
    expect(texts(file({ hunks: [{ ...hunk, lines: [line('ok', false)] }] }))).toEqual([]);
  });

  it('names why a file starts collapsed', () => {
    expect(fileFacts(file({ collapsed: { kind: 'lockFile' } }))).toEqual([
      { kind: 'collapsed', text: 'lock file', title: 'Written by the package manager; collapsed by default.' },
    ]);
  });

  it('lists facts in reading order', () => {
    const f = file({ status: 'renamed', oldPath: 'run', newPath: 'run.sh', similarity: 97, oldKind: 'file', newKind: 'executable' });
    expect(fileFacts(f).map((fact) => fact.kind)).toEqual(['similarity', 'modeChange']);
  });
});

describe('collapsed files', () => {
  it('has a tag and a reason for every kind', () => {
    expect(collapsedTag({ kind: 'lockFile' })).toBe('lock file');
    expect(collapsedTag({ kind: 'vendored' })).toBe('vendored');
    expect(collapsedTag({ kind: 'generated' })).toBe('generated');
    expect(collapsedTag({ kind: 'diffDisabled' })).toBe('diff disabled');
    expect(collapsedReason({ kind: 'diffDisabled' }).detail).toContain('.gitattributes');
    expect(collapsedReason({ kind: 'lockFile' }).title).toBe('Lock file');
  });
});

describe('omissionReason', () => {
  it('gives the size and the limit of a file too large to show', () => {
    expect(omissionReason({ kind: 'tooLarge', bytes: 4.2 * 1024 * 1024, limit: 1024 * 1024 }).detail).toBe(
      '4.2 MB — larger than the 1 MB inline limit',
    );
    expect(omissionReason({ kind: 'tooLarge', bytes: null, limit: null }).detail).toBe('The file is larger than the inline limit');
  });
  it('gives the number of changed lines and the limit', () => {
    expect(omissionReason({ kind: 'tooManyLines', lines: 6000, limit: 5000 }).detail).toBe(
      '6,000 changed lines — more than the 5,000 shown inline',
    );
  });
  it('says when the file could not be read', () => {
    expect(omissionReason({ kind: 'unreadable' })).toEqual({ title: 'File not shown', detail: 'The file could not be read' });
  });
});

describe('undoesByHunk', () => {
  const hunk = { id: 'h1', header: '@@ -1 +1 @@', oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: [line('x', false)] };
  it('undoes a modified, renamed or copied text file hunk by hunk', () => {
    for (const status of ['modified', 'renamed', 'copied'] as const) expect(undoesByHunk(file({ status, hunks: [hunk] }))).toBe(true);
  });
  it('undoes an added or deleted file, a binary one or one without hunks only whole', () => {
    expect(undoesByHunk(file({ status: 'added', oldPath: null, hunks: [hunk] }))).toBe(false);
    expect(undoesByHunk(file({ status: 'deleted', newPath: null, hunks: [hunk] }))).toBe(false);
    expect(undoesByHunk(file({ binary: true }))).toBe(false);
    expect(undoesByHunk(file({ hunks: [] }))).toBe(false);
  });
});
