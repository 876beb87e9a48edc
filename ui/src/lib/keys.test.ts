import { describe, expect, it } from 'vitest';
import { isMac, isTyping, keyAction, searchKey, type KeyInput } from './keys';

function press(key: string, extra: Partial<KeyInput> = {}): KeyInput {
  return { key, ctrlKey: false, metaKey: false, altKey: false, target: { tagName: 'BODY' }, ...extra };
}

describe('keyAction', () => {
  it('maps the sidebar keys', () => {
    expect(keyAction(press('\\'))).toBe('toggleSidebar');
    expect(keyAction(press('/'))).toBe('focusFileFilter');
    expect(keyAction(press('/', { target: { tagName: 'INPUT' } }))).toBeNull();
  });
  it('maps the review keys', () => {
    expect(keyAction(press('j'))).toBe('nextFile');
    expect(keyAction(press('k'))).toBe('prevFile');
    expect(keyAction(press('n'))).toBe('nextHunk');
    expect(keyAction(press('p'))).toBe('prevHunk');
    expect(keyAction(press(']'))).toBe('nextTarget');
    expect(keyAction(press('['))).toBe('prevTarget');
    expect(keyAction(press('u'))).toBe('undoHunk');
    expect(keyAction(press('f'))).toBe('toggleFindings');
    expect(keyAction(press('e'))).toBe('explain');
  });
  it('ignores other keys, and shifted letters', () => {
    expect(keyAction(press('x'))).toBeNull();
    expect(keyAction(press('J'))).toBeNull();
    expect(keyAction(press('Enter'))).toBeNull();
  });
  it('leaves modified keys to the system', () => {
    expect(keyAction(press('j', { ctrlKey: true }))).toBeNull();
    expect(keyAction(press('n', { metaKey: true }))).toBeNull();
    expect(keyAction(press('p', { altKey: true }))).toBeNull();
  });
  it('does nothing while typing, composing, or when the event was handled', () => {
    expect(keyAction(press('j', { target: { tagName: 'INPUT' } }))).toBeNull();
    expect(keyAction(press('j', { target: { tagName: 'textarea' } }))).toBeNull();
    expect(keyAction(press('j', { target: { tagName: 'DIV', isContentEditable: true } }))).toBeNull();
    expect(keyAction(press('j', { isComposing: true }))).toBeNull();
    expect(keyAction(press('j', { defaultPrevented: true }))).toBeNull();
  });
  it('works when focus is on a button or nowhere', () => {
    expect(keyAction(press('j', { target: { tagName: 'BUTTON' } }))).toBe('nextFile');
    expect(keyAction(press('j', { target: null }))).toBe('nextFile');
  });
});

describe('isTyping', () => {
  it('recognises form fields and editable content only', () => {
    expect(isTyping({ tagName: 'SELECT' })).toBe(true);
    expect(isTyping({ tagName: 'LI' })).toBe(false);
    expect(isTyping({})).toBe(false);
  });
});

describe('keys with the modifier, and keys that work while typing', () => {
  it('opens the palette with Ctrl+K, or ⌘K on macOS, even from a text field', () => {
    expect(keyAction(press('k', { ctrlKey: true }))).toBe('palette');
    expect(keyAction(press('K', { ctrlKey: true }))).toBe('palette');
    expect(keyAction(press('k', { ctrlKey: true, target: { tagName: 'INPUT' } }))).toBe('palette');
    expect(keyAction(press('k', { metaKey: true }), true)).toBe('palette');
    expect(keyAction(press('k', { metaKey: true }), false)).toBeNull();
    expect(keyAction(press('k', { ctrlKey: true }), true)).toBeNull();
    expect(keyAction(press('k', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(keyAction(press('k', { ctrlKey: true, altKey: true }))).toBeNull();
  });
  it('leaves Ctrl+K to a field that handled it, or to a composition', () => {
    expect(keyAction(press('k', { ctrlKey: true, defaultPrevented: true }))).toBeNull();
    expect(keyAction(press('k', { ctrlKey: true, isComposing: true }))).toBeNull();
  });
  it('shows the keys with ?, but not while typing one', () => {
    expect(keyAction(press('?', { shiftKey: true }))).toBe('showKeys');
    expect(keyAction(press('?', { shiftKey: true, target: { tagName: 'TEXTAREA' } }))).toBeNull();
  });
  it('tells F3 from Shift+F3', () => {
    expect(keyAction(press('F3'))).toBe('searchNext');
    expect(keyAction(press('F3', { shiftKey: true }))).toBe('searchPrevious');
    expect(keyAction(press('F3', { target: { tagName: 'INPUT' } }))).toBe('searchNext');
  });
  it('reads , as the settings', () => {
    expect(keyAction(press(','))).toBe('openSettings');
  });
});

describe('searchKey', () => {
  const key = (k: string, extra: Partial<KeyInput & { shiftKey: boolean }> = {}) => ({ ...press(k), shiftKey: false, ...extra });

  it('opens the search with the platform Find, even while typing', () => {
    expect(searchKey(key('f', { ctrlKey: true }), false)).toBe('open');
    expect(searchKey(key('F', { ctrlKey: true }), false)).toBe('open');
    expect(searchKey(key('f', { ctrlKey: true, target: { tagName: 'INPUT' } }), false)).toBe('open');
    expect(searchKey(key('f', { metaKey: true }), true)).toBe('open');
    expect(searchKey(key('f', { metaKey: true }), false)).toBeNull();
    expect(searchKey(key('f', { ctrlKey: true }), true)).toBeNull();
    expect(searchKey(key('f', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(searchKey(key('f', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(searchKey(key('f'), false)).toBeNull();
  });

  it('steps with F3 and Shift+F3', () => {
    expect(searchKey(key('F3'), false)).toBe('next');
    expect(searchKey(key('F3', { shiftKey: true }), true)).toBe('previous');
    expect(searchKey(key('F3', { ctrlKey: true }), false)).toBeNull();
    expect(searchKey(key('F3', { isComposing: true }), false)).toBeNull();
  });

  it('knows macOS', () => {
    expect(isMac('MacIntel')).toBe(true);
    expect(isMac('Linux x86_64')).toBe(false);
    expect(isMac('Win32')).toBe(false);
  });
});
