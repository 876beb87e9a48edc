/**
 * What the diff view says about a file beyond its path and counts, in words: how similar a
 * rename is, a change of entry kind or mode, why it starts collapsed, why its hunks were left
 * out. The facts come from the core; this only phrases them.
 */
import type { Collapsed, EntryKind, FileDiff, Omission } from './bindings';
import { formatBytes, formatCount } from './size';

/** The git mode of each entry kind, as `git diff` prints it in "old mode"/"new mode" lines. */
export const MODES: Record<EntryKind, string> = {
  file: '100644',
  executable: '100755',
  symlink: '120000',
  submodule: '160000',
};

/** A short fact shown as a label in the file header. */
export interface FileFact {
  /** What the fact is about; also the label's `data-testid` and style. */
  kind: 'similarity' | 'kindChange' | 'modeChange' | 'entryKind' | 'collapsed' | 'lossy';
  text: string;
  /** The longer explanation, for the tooltip. */
  title: string;
}

const KIND_NAMES: Record<EntryKind, string> = {
  file: 'file',
  executable: 'executable',
  symlink: 'symlink',
  submodule: 'submodule',
};

const KIND_TITLES: Record<EntryKind, string> = {
  file: 'A regular file',
  executable: 'An executable file',
  symlink: 'A symbolic link: the lines are the path it points to',
  submodule: 'A submodule: the lines are the commit it is pinned to',
};

/** Regular and executable files differ only in their mode bits. */
function isPlainFile(kind: EntryKind): boolean {
  return kind === 'file' || kind === 'executable';
}

/** The labels of a file's header, in reading order. */
export function fileFacts(file: FileDiff): FileFact[] {
  const facts: FileFact[] = [];
  if (file.similarity !== null && (file.status === 'renamed' || file.status === 'copied')) {
    const verb = file.status === 'copied' ? 'Copied' : 'Renamed';
    facts.push({
      kind: 'similarity',
      text: `${file.similarity}% similar`,
      title: `${verb} with ${file.similarity}% of the content unchanged, as git measures it`,
    });
  }

  const { oldKind, newKind } = file;
  if (oldKind !== null && newKind !== null && oldKind !== newKind) {
    if (isPlainFile(oldKind) && isPlainFile(newKind)) {
      facts.push({
        kind: 'modeChange',
        text: `mode ${MODES[oldKind]} → ${MODES[newKind]}`,
        title: newKind === 'executable' ? 'Made executable' : 'No longer executable',
      });
    } else {
      facts.push({
        kind: 'kindChange',
        text: `${KIND_NAMES[oldKind]} → ${KIND_NAMES[newKind]}`,
        title: `Was ${article(KIND_NAMES[oldKind])}, is now ${article(KIND_NAMES[newKind])}`,
      });
    }
  } else {
    // The same kind on both sides, or only one side: name it when it is not a plain file.
    const kind = newKind ?? oldKind;
    if (kind === 'symlink' || kind === 'submodule') {
      facts.push({ kind: 'entryKind', text: KIND_NAMES[kind], title: KIND_TITLES[kind] });
    } else if (kind === 'executable' && (oldKind === null || newKind === null)) {
      facts.push({ kind: 'modeChange', text: `mode ${MODES.executable}`, title: KIND_TITLES.executable });
    }
  }

  if (file.collapsed !== null) {
    facts.push({ kind: 'collapsed', text: collapsedTag(file.collapsed), title: collapsedReason(file.collapsed).detail });
  }

  if (file.hunks.some((hunk) => hunk.lines.some((line) => line.lossy))) {
    facts.push({
      kind: 'lossy',
      text: 'not UTF-8',
      title: 'Some lines are not valid UTF-8 and are shown with replacement characters (marked with a dotted underline)',
    });
  }
  return facts;
}

function article(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** The muted tag the file list shows for a collapsed file. */
export function collapsedTag(collapsed: Collapsed): string {
  switch (collapsed.kind) {
    case 'lockFile':
      return 'lock file';
    case 'vendored':
      return 'vendored';
    case 'generated':
      return 'generated';
    case 'diffDisabled':
      return 'diff disabled';
  }
}

/** Why a file starts collapsed: a title and a sentence for the diff pane. */
export function collapsedReason(collapsed: Collapsed): { title: string; detail: string } {
  switch (collapsed.kind) {
    case 'lockFile':
      return { title: 'Lock file', detail: 'Written by the package manager; collapsed by default.' };
    case 'vendored':
      return { title: 'Vendored code', detail: 'Third-party code kept in the repository; collapsed by default.' };
    case 'generated':
      return { title: 'Generated file', detail: 'Produced by a tool rather than written by hand; collapsed by default.' };
    case 'diffDisabled':
      return { title: 'Diff disabled', detail: 'A .gitattributes rule (-diff) asks not to show its content.' };
  }
}

/** Why a file's hunks were left out: a title and the measured reason. */
export function omissionReason(omitted: Omission): { title: string; detail: string } {
  switch (omitted.kind) {
    case 'tooLarge': {
      const size = omitted.bytes === null ? 'The file is' : formatBytes(omitted.bytes);
      const limit = omitted.limit === null ? 'the inline limit' : `the ${formatBytes(omitted.limit)} inline limit`;
      return {
        title: 'Large file not shown',
        detail: omitted.bytes === null ? `${size} larger than ${limit}` : `${size} — larger than ${limit}`,
      };
    }
    case 'tooManyLines':
      return {
        title: 'Large diff not shown',
        detail: `${formatCount(omitted.lines)} changed lines — more than the ${formatCount(omitted.limit)} shown inline`,
      };
    case 'unreadable':
      return { title: 'File not shown', detail: 'The file could not be read' };
  }
}

/**
 * Whether one hunk of `file` can be undone on its own: not when the file was added or deleted
 * as a whole (the core undoes those only whole), nor when it has no text hunks.
 */
export function undoesByHunk(file: FileDiff): boolean {
  return file.status !== 'added' && file.status !== 'deleted' && !file.binary && file.hunks.length > 0;
}
