/** How a file's change status is shown: a coloured letter, as in `git status --short`. */
import type { FileStatus } from './bindings';

const LETTERS: Record<FileStatus, string> = {
  added: 'A',
  deleted: 'D',
  modified: 'M',
  renamed: 'R',
  copied: 'C',
  typeChanged: 'T',
};

const LABELS: Record<FileStatus, string> = {
  added: 'Added',
  deleted: 'Deleted',
  modified: 'Modified',
  renamed: 'Renamed',
  copied: 'Copied',
  typeChanged: 'Type changed',
};

/** The one-letter code git uses for `status`. */
export function statusLetter(status: FileStatus): string {
  return LETTERS[status];
}

/** The status in words, for tooltips and screen readers. */
export function statusLabel(status: FileStatus): string {
  return LABELS[status];
}
