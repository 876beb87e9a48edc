/**
 * Every action of the review window, in one registry: its name, its key, its group in the keys
 * dialog, and when it can run. The key handler (lib/keys.ts), the command palette, the keys
 * dialog and the status bar's hints all read this list, so an action cannot be reachable from
 * one and not the others. Adding an action is one entry here and one case in ReviewScreen's
 * `run` (its switch is exhaustive, so `npm run check` fails until the case is there).
 */

/** A key that runs an action. */
export interface KeySpec {
  /** `KeyboardEvent.key`: a character (`j`, `N`, `?`, its case and shift included) or a name (`F3`). */
  key: string;
  /** With the platform's modifier: Ctrl, or ⌘ on macOS. */
  mod?: boolean;
  /** With Shift, for named keys (`Shift+F3`); a character already says whether Shift was held. */
  shift?: boolean;
}

/** The keys dialog's sections, in its order. */
export const ACTION_GROUPS = [
  { id: 'navigation', label: 'Navigation' },
  { id: 'review', label: 'Review' },
  { id: 'panels', label: 'Panels' },
  { id: 'view', label: 'View' },
  { id: 'search', label: 'Search' },
  { id: 'window', label: 'Window' },
] as const;

export type ActionGroup = (typeof ACTION_GROUPS)[number]['id'];

/**
 * Where the window stands, for deciding which actions can run: built by the review screen from
 * its state each time it changes.
 */
export interface ActionContext {
  /** A review is shown (its files may be none). */
  review: boolean;
  /** How many files the review has. */
  files: number;
  /** "Since my last review" is shown in place of the review (read-only). */
  since: boolean;
  /** The working tree is a target ("Since my last review" can open). */
  hasWorktree: boolean;
  /** The shown target is the working tree: its hunks can be undone. */
  canUndo: boolean;
  /** The review's progress is known (a decision can be made). */
  progress: boolean;
  /** Learning mode is on. */
  learning: boolean;
  /** An agent session is listed (a turn can be marked). */
  agentSession: boolean;
  /** The window's own actions (open another repository, settings) are offered. */
  window: boolean;
}

/**
 * Who handles an action's key: the review screen (`screen`), the app root on every screen
 * (`window`: the settings), or the diff view's search (`diff`: Ctrl+F, F3). The palette runs
 * every action through the review screen's `run`.
 */
export type KeyOwner = 'screen' | 'window' | 'diff';

export interface ActionSpec {
  /** The name the palette lists and matches. */
  label: string;
  group: ActionGroup;
  key?: KeySpec;
  /** Who handles the key (the screen unless said). */
  owner?: KeyOwner;
  /** Other words the palette matches it by. */
  keywords?: string;
  /** When it can run; always unless given. */
  when?: (context: ActionContext) => boolean;
  /** Left out of the palette's list (opening the palette from the palette). */
  notInPalette?: boolean;
}

const reviewing = (c: ActionContext) => c.review;
/** Moving through files and hunks works in "Since my last review" too (through its files). */
const moving = (c: ActionContext) => c.review || c.since;
const editable = (c: ActionContext) => c.review && !c.since;
const manyFiles = (c: ActionContext) => c.review && !c.since && c.files > 1;

/** The registry, in the order the keys dialog lists each group. */
export const ACTIONS = {
  nextFile: { label: 'Next file', group: 'navigation', key: { key: 'j' }, when: moving },
  prevFile: { label: 'Previous file', group: 'navigation', key: { key: 'k' }, when: moving },
  nextHunk: { label: 'Next hunk', group: 'navigation', key: { key: 'n' }, when: moving },
  prevHunk: { label: 'Previous hunk', group: 'navigation', key: { key: 'p' }, when: moving },
  nextTarget: { label: 'Next target', group: 'navigation', key: { key: ']' }, keywords: 'commit branch' },
  prevTarget: { label: 'Previous target', group: 'navigation', key: { key: '[' }, keywords: 'commit branch' },

  comment: { label: 'Comment on the hunk or the selected lines', group: 'review', key: { key: 'c' }, keywords: 'note', when: editable },
  toggleViewed: { label: 'Mark the hunk viewed (or not)', group: 'review', key: { key: 'v' }, keywords: 'seen', when: editable },
  decide: { label: 'Approve or request changes…', group: 'review', key: { key: 'a' }, keywords: 'decision review', when: (c) => c.review && c.progress },
  explain: { label: 'Explain the current hunk', group: 'review', key: { key: 'e' }, keywords: 'llm model ask', when: editable },
  undoHunk: { label: 'Undo the hunk in the working tree…', group: 'review', key: { key: 'u' }, keywords: 'revert discard', when: (c) => editable(c) && c.canUndo },
  sinceLastReview: { label: 'Since my last review (show or close)', group: 'review', keywords: 'interdiff changed', when: (c) => c.hasWorktree },
  copyForAgent: { label: 'Copy for agent', group: 'review', keywords: 'clipboard handoff notes', when: reviewing },
  markTurn: { label: 'Mark a turn of the agent session', group: 'review', keywords: 'snapshot', when: (c) => c.agentSession },
  sync: { label: 'Sync reviews through git', group: 'review', keywords: 'push pull share remote' },

  toggleNotes: { label: 'Show or hide the notes panel', group: 'panels', key: { key: 'N' }, when: reviewing },
  toggleFindings: { label: 'Show or hide the findings panel', group: 'panels', key: { key: 'f' }, keywords: 'risks', when: reviewing },
  toggleExplain: { label: 'Show or hide the explain panel', group: 'panels', when: reviewing },
  toggleLearning: { label: 'Learning mode (on or off)', group: 'panels', keywords: 'teach junior', when: reviewing },
  toggleLearn: { label: 'Show or hide the lessons', group: 'panels', keywords: 'learn', when: (c) => c.review && c.learning },
  toggleSidebar: { label: 'Hide or show the sidebar', group: 'panels', key: { key: '\\' } },

  toggleRiskOrder: { label: 'Order the files by risk (or by path)', group: 'view', keywords: 'sort findings', when: manyFiles },
  toggleFileTree: { label: 'Show the files as a tree (or a list)', group: 'view', keywords: 'directories folders', when: manyFiles },
  toggleSplit: { label: 'Split view: side by side (or one column)', group: 'view', key: { key: 's' }, keywords: 'unified diff layout columns', when: reviewing },
  toggleWhitespace: { label: 'Hide whitespace changes (or show them)', group: 'view', key: { key: 'w' }, keywords: 'ignore spaces indentation git diff -w', when: reviewing },

  search: { label: 'Search in the diff', group: 'search', key: { key: 'f', mod: true }, owner: 'diff', keywords: 'find', when: reviewing },
  searchNext: { label: 'Next match', group: 'search', key: { key: 'F3' }, owner: 'diff', keywords: 'find', when: reviewing },
  searchPrevious: { label: 'Previous match', group: 'search', key: { key: 'F3', shift: true }, owner: 'diff', keywords: 'find', when: reviewing },
  focusFileFilter: { label: 'Filter the files', group: 'search', key: { key: '/' }, keywords: 'find path', when: manyFiles },

  palette: { label: 'Command palette', group: 'window', key: { key: 'k', mod: true }, notInPalette: true },
  showKeys: { label: 'Keyboard shortcuts', group: 'window', key: { key: '?' }, keywords: 'keys help' },
  openSettings: { label: 'Settings', group: 'window', key: { key: ',' }, owner: 'window', keywords: 'theme preferences', when: (c) => c.window },
  openFolder: { label: 'Open folder…', group: 'window', keywords: 'repository', when: (c) => c.window },
  openDemo: { label: 'Open the demo', group: 'window', keywords: 'repository', when: (c) => c.window },
  openAnother: { label: 'Open another repository (recent, folder, demo)', group: 'window', keywords: 'start screen recent', when: (c) => c.window },
} as const satisfies Record<string, ActionSpec>;

export type ActionId = keyof typeof ACTIONS;

export interface Action extends ActionSpec {
  id: ActionId;
}

/** The registry as a list, in its order. */
export const ACTION_LIST: readonly Action[] = (Object.keys(ACTIONS) as ActionId[]).map((id) => ({ id, ...(ACTIONS[id] as ActionSpec) }));

export function actionOf(id: ActionId): Action {
  return { id, ...(ACTIONS[id] as ActionSpec) };
}

/** Whether `id` can run in `context`. */
export function enabled(id: ActionId, context: ActionContext): boolean {
  const when = (ACTIONS[id] as ActionSpec).when;
  return when === undefined ? true : when(context);
}

/** The keys dialog's sections: each group with its actions that have a key, in registry order. */
export function keyGroups(): { id: ActionGroup; label: string; actions: Action[] }[] {
  return ACTION_GROUPS.map((group) => ({ ...group, actions: ACTION_LIST.filter((a) => a.group === group.id && a.key !== undefined) }));
}

/** How a key is written for the reader: `j`, `Ctrl+K` (`⌘K` on macOS), `Shift+F3`. */
export function keyLabel(key: KeySpec, mac: boolean): string {
  const name = key.key.length === 1 && key.mod ? key.key.toUpperCase() : key.key;
  if (key.mod) return mac ? `⌘${name}` : `Ctrl+${name}`;
  if (key.shift) return `Shift+${name}`;
  return name;
}

/**
 * The status bar's hints: a word each for the keys used most, pairs sharing one word. Read from
 * the registry (keys and whether each can run), so a changed key shows here too.
 */
export const HINTS: readonly { actions: readonly ActionId[]; label: string }[] = [
  { actions: ['nextFile', 'prevFile'], label: 'files' },
  { actions: ['nextHunk', 'prevHunk'], label: 'hunks' },
  { actions: ['prevTarget', 'nextTarget'], label: 'targets' },
  { actions: ['comment'], label: 'comment' },
  { actions: ['toggleViewed'], label: 'viewed' },
  { actions: ['decide'], label: 'approve' },
  { actions: ['toggleNotes'], label: 'notes' },
  { actions: ['toggleFindings'], label: 'findings' },
  { actions: ['explain'], label: 'explain' },
  { actions: ['undoHunk'], label: 'undo hunk' },
];

/** The palette's memory of the actions run from it: most recent first, at most `RECENT_LIMIT`. */
export const RECENT_KEY = 'redline.palette.recent';
export const RECENT_LIMIT = 8;

/** `recent` with `id` moved to the front. */
export function remember(recent: readonly ActionId[], id: ActionId): ActionId[] {
  return [id, ...recent.filter((other) => other !== id)].slice(0, RECENT_LIMIT);
}

/** The remembered list as stored (JSON), unknown or repeated ids left out; anything else: none. */
export function parseRecent(stored: string | null): ActionId[] {
  if (stored === null) return [];
  try {
    const parsed: unknown = JSON.parse(stored);
    if (!Array.isArray(parsed)) return [];
    const ids = parsed.filter((id): id is ActionId => typeof id === 'string' && Object.hasOwn(ACTIONS, id));
    return [...new Set(ids)].slice(0, RECENT_LIMIT);
  } catch {
    return [];
  }
}
