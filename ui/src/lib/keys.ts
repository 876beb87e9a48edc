/**
 * Which action a key press asks for, and when keys must not fire. The keys themselves are in the
 * action registry (lib/actions.ts), shared with the command palette and the keys dialog.
 */
import { ACTION_LIST, type ActionId, type KeySpec } from './actions';

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
  /** Shift held (a character key says it itself: `N`, `?`). */
  shiftKey?: boolean;
  /** Where focus is: the element the event was sent to. */
  target: { tagName?: string; isContentEditable?: boolean } | null;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** True when the key goes to something the user is typing into. */
export function isTyping(target: KeyInput['target']): boolean {
  if (target === null) return false;
  return target.isContentEditable === true || TYPING_TAGS.has((target.tagName ?? '').toUpperCase());
}

/** A key the platform's modifier or a function key makes: it works while typing. */
function worksWhileTyping(key: KeySpec): boolean {
  return key.mod === true || /^F\d{1,2}$/.test(key.key);
}

/** Whether `input` is the press of `key` (`mac`: the modifier is ⌘, else Ctrl). */
export function pressed(key: KeySpec, input: KeyInput, mac: boolean): boolean {
  if (input.altKey) return false;
  const [mod, other] = mac ? [input.metaKey, input.ctrlKey] : [input.ctrlKey, input.metaKey];
  if (other || mod !== (key.mod === true)) return false;
  if (key.key.length === 1) {
    // A character says whether Shift was held (`N`, `?`); with the modifier, the letter's case does not count.
    if (key.mod === true) return input.shiftKey !== true && input.key.toLowerCase() === key.key.toLowerCase();
    return input.key === key.key;
  }
  return input.key === key.key && (input.shiftKey === true) === (key.shift === true);
}

/**
 * The action a key press asks for, or `null`: no action has that key, the event was handled or
 * is part of a composition, or the user is typing (single keys; Ctrl+K, Ctrl+F and F3 work in
 * a text field too). Which actions run, and who handles each key, the caller decides.
 */
export function keyAction(input: KeyInput, mac = false): ActionId | null {
  if (input.defaultPrevented || input.isComposing) return null;
  const typing = isTyping(input.target);
  for (const action of ACTION_LIST) {
    const key = action.key;
    if (key === undefined || !pressed(key, input, mac)) continue;
    return typing && !worksWhileTyping(key) ? null : action.id;
  }
  return null;
}

/** `,` opens the settings on any screen, under the same conditions as the single-key shortcuts. */
export function opensSettings(input: KeyInput): boolean {
  return keyAction(input) === 'openSettings';
}

/** What a key asks of the search in the diff. */
export type SearchKey = 'open' | 'next' | 'previous';

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
