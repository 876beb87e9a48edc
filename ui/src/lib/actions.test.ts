import { describe, expect, it } from 'vitest';
import { ACTION_GROUPS, ACTION_LIST, HINTS, RECENT_LIMIT, enabled, keyGroups, keyLabel, parseRecent, remember, type ActionContext } from './actions';
import { keyAction, searchKey } from './keys';

const everything: ActionContext = {
  review: true,
  files: 5,
  since: false,
  hasWorktree: true,
  canUndo: true,
  progress: true,
  learning: true,
  agentSession: true,
  window: true,
};

describe('the action registry', () => {
  it('gives every action a label, a known group, and a key no other action has', () => {
    const groups = new Set<string>(ACTION_GROUPS.map((g) => g.id));
    const keys = new Set<string>();
    for (const action of ACTION_LIST) {
      expect(action.label.trim(), action.id).not.toBe('');
      expect(groups.has(action.group), action.id).toBe(true);
      if (action.key === undefined) continue;
      const spelled = keyLabel(action.key, false);
      expect(keys.has(spelled), `${action.id}: ${spelled}`).toBe(false);
      keys.add(spelled);
    }
    expect(new Set(ACTION_LIST.map((a) => a.label)).size).toBe(ACTION_LIST.length);
  });

  it('lists every action with a key in the keys dialog, in its group, once', () => {
    const listed = keyGroups().flatMap((group) => group.actions.map((action) => `${group.id}:${action.id}`));
    const keyed = ACTION_LIST.filter((a) => a.key !== undefined).map((a) => `${a.group}:${a.id}`);
    expect(listed.sort()).toEqual(keyed.sort());
    expect(keyGroups().map((g) => g.label)).toEqual(['Navigation', 'Review', 'Panels', 'View', 'Search', 'Window']);
  });

  it('maps each key back to its action: the key handler reads the same registry', () => {
    for (const action of ACTION_LIST) {
      if (action.key === undefined) continue;
      const input = {
        key: action.key.key,
        ctrlKey: action.key.mod === true,
        metaKey: false,
        altKey: false,
        shiftKey: action.key.shift === true,
        target: { tagName: 'BODY' },
      };
      expect(keyAction(input), action.id).toBe(action.id);
    }
  });

  it('names keys the diff search handles as that search reads them', () => {
    const asSearch = { search: 'open', searchNext: 'next', searchPrevious: 'previous' } as const;
    for (const action of ACTION_LIST.filter((a) => a.owner === 'diff')) {
      const key = action.key!;
      const input = { key: key.key, ctrlKey: key.mod === true, metaKey: false, altKey: false, shiftKey: key.shift === true, target: null };
      expect(searchKey(input, false), action.id).toBe(asSearch[action.id as keyof typeof asSearch]);
    }
  });

  it('runs everything with a review, files and the window', () => {
    expect(ACTION_LIST.filter((a) => !enabled(a.id, everything)).map((a) => a.id)).toEqual([]);
  });

  it('keeps what "Since my last review" cannot do out of it', () => {
    const since = { ...everything, since: true };
    const off = ACTION_LIST.filter((a) => !enabled(a.id, since)).map((a) => a.id);
    expect(off).toEqual(['comment', 'toggleViewed', 'explain', 'undoHunk', 'toggleRiskOrder', 'toggleFileTree', 'focusFileFilter']);
  });

  it('offers undo only on the working tree, the lessons only in learning mode, the window only in the app', () => {
    expect(enabled('undoHunk', { ...everything, canUndo: false })).toBe(false);
    expect(enabled('toggleLearn', { ...everything, learning: false })).toBe(false);
    expect(enabled('openSettings', { ...everything, window: false })).toBe(false);
    expect(enabled('decide', { ...everything, progress: false })).toBe(false);
    expect(enabled('toggleRiskOrder', { ...everything, files: 1 })).toBe(false);
    // the keys and the targets work without a review on screen
    const none = { ...everything, review: false, files: 0 };
    expect(enabled('nextTarget', none)).toBe(true);
    expect(enabled('showKeys', none)).toBe(true);
    expect(enabled('nextFile', none)).toBe(false);
  });

  it('spells keys for the platform', () => {
    expect(keyLabel({ key: 'k', mod: true }, false)).toBe('Ctrl+K');
    expect(keyLabel({ key: 'k', mod: true }, true)).toBe('⌘K');
    expect(keyLabel({ key: 'F3', shift: true }, false)).toBe('Shift+F3');
    expect(keyLabel({ key: 'N' }, true)).toBe('N');
  });

  it('builds the status bar hints from actions that have keys', () => {
    for (const hint of HINTS) for (const id of hint.actions) expect(ACTION_LIST.find((a) => a.id === id)?.key, id).toBeDefined();
  });
});

describe('recent actions', () => {
  it('keeps the most recent first, each once, at most the limit', () => {
    expect(remember(['nextFile', 'comment'], 'comment')).toEqual(['comment', 'nextFile']);
    let recent = remember([], 'nextFile');
    for (const id of ['prevFile', 'nextHunk', 'prevHunk', 'comment', 'explain', 'decide', 'sync', 'showKeys'] as const) recent = remember(recent, id);
    expect(recent).toHaveLength(RECENT_LIMIT);
    expect(recent[0]).toBe('showKeys');
    expect(recent).not.toContain('nextFile');
  });

  it('reads what was stored, leaving out what is not an action', () => {
    expect(parseRecent('["comment","nope","comment",3,"sync"]')).toEqual(['comment', 'sync']);
    expect(parseRecent('{"a":1}')).toEqual([]);
    expect(parseRecent('not json')).toEqual([]);
    expect(parseRecent(null)).toEqual([]);
    expect(parseRecent('["toString","constructor"]')).toEqual([]);
  });
});
