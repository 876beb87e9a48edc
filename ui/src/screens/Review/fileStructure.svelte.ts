/**
 * The structure of the file on screen — its hunks' enclosing symbols, its symbol changes — and
 * both sides' highlighting, asked for when the file is shown and applied when they arrive: the
 * diff is drawn plain first and never waits. An answer for a file no longer shown is dropped.
 *
 * Sides are highlighted by blob id (`oldId`, `newId`). A working-tree side git hashed but did
 * not store is read from the working tree by the core; a side without an id (a working-tree
 * file git has not hashed) is not highlighted, and its context lines take the old side's
 * colours, which are the same text.
 */
import { LatestRequest } from '../../lib/latest';
import { commands, type FileDiff, type FileStructure, type HighlightSpan, type HunkLabel, type Target } from '../../lib/bindings';

/** One side's spans by 1-based line, for the blob they were computed from. */
export interface SideHighlights {
  blobId: string;
  byLine: ReadonlyMap<number, HighlightSpan[]>;
}

function byLine(spans: readonly HighlightSpan[]): Map<number, HighlightSpan[]> {
  const lines = new Map<number, HighlightSpan[]>();
  for (const span of spans) {
    const list = lines.get(span.line);
    if (list === undefined) lines.set(span.line, [span]);
    else list.push(span);
  }
  return lines;
}

/** What decides whether a file's answers still apply: its place and both sides' content. */
function keyOf(repo: string, target: Target, file: FileDiff): string {
  return JSON.stringify([repo, target, file.oldPath, file.newPath, file.oldId, file.newId, file.hunks.map((h) => h.id)]);
}

export class FileStructureState {
  /** The shown file's structure, once it arrived. */
  structure = $state.raw<FileStructure | null>(null);
  /** Hunk labels by hunk id. */
  labels = $state.raw<ReadonlyMap<string, HunkLabel>>(new Map());
  old = $state.raw<SideHighlights | null>(null);
  new = $state.raw<SideHighlights | null>(null);

  #latest = new LatestRequest();
  #path: string | null = null;

  /** Asks for the structure and highlighting of `file` (nothing for `null`, binary or empty files). */
  show(repo: string | null, target: Target | null, file: FileDiff | null): void {
    const path = file === null ? null : (file.newPath ?? file.oldPath);
    if (repo === null || target === null || file === null || path === null || file.binary || file.hunks.length === 0) {
      this.#latest.reset();
      this.#path = null;
      this.#clear();
      return;
    }
    const current = this.#latest.begin(keyOf(repo, target, file));
    if (current === null) return;
    // The same file reloaded keeps its labels (by hunk id) and colours (by blob id) until the
    // new answers arrive; another file starts plain.
    if (path !== this.#path) this.#clear();
    this.#path = path;

    void commands.fileStructure(repo, target, path, file.oldPath).then(
      (result) => {
        if (!current()) return;
        if (result.status === 'error') {
          this.structure = null;
          this.labels = new Map();
          return;
        }
        this.structure = result.data;
        this.labels = new Map(result.data.hunkLabels.map((label) => [label.hunk, label]));
      },
      () => undefined,
    );
    const sides: ['old' | 'new', string | null, string | null][] = [
      ['old', file.oldKind === 'file' || file.oldKind === 'executable' ? file.oldId : null, file.oldPath],
      ['new', file.newKind === 'file' || file.newKind === 'executable' ? file.newId : null, file.newPath],
    ];
    for (const [side, blobId, sidePath] of sides) {
      if (blobId === null || sidePath === null) {
        this[side] = null;
        continue;
      }
      if (this[side]?.blobId === blobId) continue;
      void commands.highlight(repo, blobId, sidePath).then(
        (result) => {
          if (!current()) return;
          this[side] = result.status === 'ok' ? { blobId, byLine: byLine(result.data.spans) } : null;
        },
        () => undefined,
      );
    }
  }

  #clear(): void {
    this.structure = null;
    this.labels = new Map();
    this.old = null;
    this.new = null;
  }
}
