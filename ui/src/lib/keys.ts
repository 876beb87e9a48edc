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
  | 'undoHunk';

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
