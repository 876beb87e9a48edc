/** The review screen's single-key shortcuts, GitHub-style, and when they must not fire. */

export type KeyAction =
  | 'nextFile'
  | 'prevFile'
  | 'nextHunk'
  | 'prevHunk'
  | 'nextTarget'
  | 'prevTarget'
  | 'comment'
  | 'toggleViewed'
  | 'decide'
  | 'toggleNotes'
  | 'toggleFindings'
  | 'explain'
  | 'undoHunk'
  | 'toggleSidebar'
  | 'focusFileFilter';

/** The key bindings, in the order a help line lists them. */
export const KEY_BINDINGS: readonly { key: string; action: KeyAction; label: string }[] = [
  { key: 'j', action: 'nextFile', label: 'next file' },
  { key: 'k', action: 'prevFile', label: 'previous file' },
  { key: 'n', action: 'nextHunk', label: 'next hunk' },
  { key: 'p', action: 'prevHunk', label: 'previous hunk' },
  { key: ']', action: 'nextTarget', label: 'next target' },
  { key: '[', action: 'prevTarget', label: 'previous target' },
  { key: 'c', action: 'comment', label: 'comment on the hunk or the selected lines' },
  { key: 'v', action: 'toggleViewed', label: 'mark the hunk viewed (or not)' },
  { key: 'a', action: 'decide', label: 'approve or request changes' },
  { key: 'N', action: 'toggleNotes', label: 'show or hide the notes panel' },
  { key: 'f', action: 'toggleFindings', label: 'show or hide the findings panel' },
  { key: 'e', action: 'explain', label: 'explain the current hunk' },
  { key: 'u', action: 'undoHunk', label: 'undo the hunk in the working tree (asks first)' },
  { key: '\\', action: 'toggleSidebar', label: 'hide or show the sidebar' },
  { key: '/', action: 'focusFileFilter', label: 'filter the files' },
];

/** The parts of a `KeyboardEvent` that decide the action (a plain object in tests). */
export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Already handled by someone else (e.g. a focused widget). */
  defaultPrevented?: boolean;
  /** Part of an IME composition. */
  isComposing?: boolean;
  /** Where focus is: the element the event was sent to. */
  target: { tagName?: string; isContentEditable?: boolean } | null;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** True when the key goes to something the user is typing into. */
export function isTyping(target: KeyInput['target']): boolean {
  if (target === null) return false;
  return target.isContentEditable === true || TYPING_TAGS.has((target.tagName ?? '').toUpperCase());
}

/**
 * The action a key press asks for, or `null`: not a binding, a modifier is held (those belong to
 * the system and the webview), or the user is typing.
 */
export function keyAction(input: KeyInput): KeyAction | null {
  if (input.ctrlKey || input.metaKey || input.altKey) return null;
  if (input.defaultPrevented || input.isComposing) return null;
  if (isTyping(input.target)) return null;
  return KEY_BINDINGS.find((binding) => binding.key === input.key)?.action ?? null;
}

/** `,` opens the settings on any screen, under the same conditions as the single-key shortcuts. */
export const SETTINGS_KEY = ',';

export function opensSettings(input: KeyInput): boolean {
  if (input.key !== SETTINGS_KEY || input.ctrlKey || input.metaKey || input.altKey) return false;
  return !input.defaultPrevented && input.isComposing !== true && !isTyping(input.target);
}

/** What a key asks of the search in the diff. */
export type SearchKey = 'open' | 'next' | 'previous';

/** The search keys, for help lines: the platform's Find, and F3 (Shift: back). */
export const SEARCH_BINDINGS: readonly { key: string; mac: string; label: string }[] = [
  { key: 'Ctrl+F', mac: '⌘F', label: 'search in the diff' },
  { key: 'F3', mac: 'F3', label: 'next match (Shift: previous)' },
];

/**
 * The search action of a key press, wherever focus is: `Ctrl+F` (`⌘F` on macOS) opens the
 * search, F3 and Shift+F3 go to the next and previous match. Enter and Escape belong to the
 * search field itself.
 */
export function searchKey(input: KeyInput & { shiftKey: boolean }, mac: boolean): SearchKey | null {
  if (input.isComposing) return null;
  const find = mac ? input.metaKey && !input.ctrlKey : input.ctrlKey && !input.metaKey;
  if (find && !input.altKey && !input.shiftKey && input.key.toLowerCase() === 'f') return 'open';
  if (input.key === 'F3' && !input.ctrlKey && !input.metaKey && !input.altKey) return input.shiftKey ? 'previous' : 'next';
  return null;
}

/** The window runs on macOS (where the platform's modifier is ⌘). */
export function isMac(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}
