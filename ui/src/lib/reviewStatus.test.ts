import { describe, expect, it } from 'vitest';
import type { Coverage, Decision, DecisionState, PlacedThread } from './bindings';
import {
  NOTE_KINDS,
  THREAD_KINDS,
  coverageRatio,
  coverageText,
  coverageTitle,
  decisionTitle,
  filterThreads,
  isOtherReviewer,
  kindChoices,
  kindLabel,
  parseReviewer,
  statusView,
  targetBadge,
} from './reviewStatus';

const coverage: Coverage = { aiViewed: 3, aiHunks: 5, humanViewed: 1, humanHunks: 2 };

function decided(verdict: Decision['verdict'], stale: boolean, message: string | null = null): DecisionState {
  return {
    stale,
    decision: {
      id: 'd1',
      reviewer: { name: 'Dana', email: 'dana@acme.dev' },
      verdict,
      revision: 'a:b',
      headTree: 'b',
      coverage,
      openMustFix: 0,
      confirmedBlockers: [],
      message,
      decidedAt: 0,
    },
  };
}

describe('statusView', () => {
  it('names who approved or requested changes', () => {
    expect(statusView('approved', decided('approved', false))).toMatchObject({ text: 'Approved by Dana', tone: 'approved' });
    expect(statusView('changesRequested', decided('changesRequested', false, 'fix the limiter'))).toEqual({
      text: 'Changes requested by Dana',
      tone: 'changes',
      title: 'Dana requested changes: “fix the limiter”',
    });
  });
  it('says an approval is stale once the code changed', () => {
    expect(statusView('open', decided('approved', true))).toMatchObject({ text: 'Approval stale (the code changed since)', tone: 'stale' });
    expect(statusView('open', decided('changesRequested', true))).toMatchObject({ tone: 'stale' });
  });
  it('shows nothing before any decision', () => {
    expect(statusView('open', null)).toBeNull();
  });
});

describe('targetBadge', () => {
  it('words each status for the target list', () => {
    expect(targetBadge('approved', decided('approved', false))).toEqual({ text: 'approved', tone: 'approved' });
    expect(targetBadge('changesRequested', decided('changesRequested', false))).toEqual({ text: 'changes requested', tone: 'changes' });
    expect(targetBadge('open', decided('approved', true))).toEqual({ text: 'stale', tone: 'stale' });
    expect(targetBadge('open', null)).toBeNull();
  });
});

describe('coverage', () => {
  it('counts AI-written hunks, and names human ones apart in the title', () => {
    expect(coverageText(coverage)).toBe('AI-reviewed 3/5 hunks');
    expect(coverageText({ ...coverage, aiViewed: 0, aiHunks: 1 })).toBe('AI-reviewed 0/1 hunk');
    expect(coverageRatio(coverage)).toBe(0.6);
    expect(coverageTitle(coverage)).toBe('AI-written hunks viewed: 3 of 5. Human-written hunks, counted apart: 1 of 2 viewed.');
  });
  it('falls back to all hunks when none is AI-written', () => {
    const human: Coverage = { aiViewed: 0, aiHunks: 0, humanViewed: 1, humanHunks: 4 };
    expect(coverageText(human)).toBe('Reviewed 1/4 hunks');
    expect(coverageRatio(human)).toBe(0.25);
    expect(coverageRatio({ aiViewed: 0, aiHunks: 0, humanViewed: 0, humanHunks: 0 })).toBe(1);
  });
});

describe('filterThreads', () => {
  const thread = (id: string, kind: PlacedThread['thread']['kind'], resolved: boolean) =>
    ({ thread: { id, kind, resolved }, placement: { state: 'outdated' }, html: [] }) as unknown as PlacedThread;
  const threads = [thread('a', 'comment', false), thread('b', 'mustFix', false), thread('c', 'mustFix', true), thread('d', 'explanation', false)];
  it('filters by open/resolved and by kind', () => {
    expect(filterThreads(threads, { state: 'open', kind: 'all' }).map((t) => t.thread.id)).toEqual(['a', 'b', 'd']);
    expect(filterThreads(threads, { state: 'all', kind: 'explanation' }).map((t) => t.thread.id)).toEqual(['d']);
    expect(filterThreads(threads, { state: 'resolved', kind: 'all' }).map((t) => t.thread.id)).toEqual(['c']);
    expect(filterThreads(threads, { state: 'all', kind: 'mustFix' }).map((t) => t.thread.id)).toEqual(['b', 'c']);
    expect(filterThreads(threads, { state: 'open', kind: 'teaching' })).toEqual([]);
  });
  it('labels kinds', () => {
    expect(kindLabel('mustFix')).toBe('Must fix');
    expect(kindLabel('explanation')).toBe('Explanation');
  });
  it('offers explanation as a filter but never in a menu for writing a note', () => {
    expect(NOTE_KINDS.map((k) => k.kind)).not.toContain('explanation');
    expect(THREAD_KINDS.map((k) => k.kind)).toContain('explanation');
    expect(kindChoices('comment')).toBe(NOTE_KINDS);
    // A pinned explanation's menu shows its own kind, so it can be changed and read.
    expect(kindChoices('explanation').map((k) => k.label)).toEqual(['Comment', 'Question', 'Must fix', 'Teaching', 'Explanation']);
  });
});

describe('other reviewers', () => {
  it('reads the reviewer as the core spells it', () => {
    expect(parseReviewer('Dana Smith <dana@acme.dev>')).toEqual({ name: 'Dana Smith', email: 'dana@acme.dev' });
    expect(parseReviewer('dana')).toEqual({ name: 'dana', email: '' });
  });
  it('tells reviewers apart by e-mail, or by name when there is none, as the core does', () => {
    const me = 'Dana Smith <dana@acme.dev>';
    expect(isOtherReviewer({ name: 'Dana Smith', email: 'dana@acme.dev' }, me)).toBe(false);
    // Another name on the same address is the same reviewer (a changed user.name).
    expect(isOtherReviewer({ name: 'Dana S.', email: 'dana@acme.dev' }, me)).toBe(false);
    expect(isOtherReviewer({ name: 'Dana Smith', email: 'dana@home.example' }, me)).toBe(true);
    expect(isOtherReviewer({ name: 'Sam Lee', email: 'sam@acme.dev' }, me)).toBe(true);
    expect(isOtherReviewer({ name: 'dana', email: '' }, 'dana')).toBe(false);
    expect(isOtherReviewer({ name: 'sam', email: '' }, 'dana')).toBe(true);
  });
  it('marks no one while the reviewer is not known', () => {
    expect(isOtherReviewer({ name: 'Sam Lee', email: 'sam@acme.dev' }, null)).toBe(false);
  });
});

describe('decisionTitle', () => {
  it('names who decided, and says when it was someone else', () => {
    expect(decisionTitle(decided('approved', false), 'Dana <dana@acme.dev>')).toBe('Approved by Dana');
    expect(decisionTitle(decided('approved', false, 'Ship it'), 'Sam Lee <sam@acme.dev>')).toBe('Approved by Dana (another reviewer): “Ship it”');
    expect(decisionTitle(decided('changesRequested', false), null)).toBe('Changes requested by Dana');
  });
  it('says a stale decision was on an earlier version', () => {
    expect(decisionTitle(decided('changesRequested', true), 'Sam <sam@acme.dev>')).toBe(
      'Dana (another reviewer) requested changes on an earlier version; the code changed since',
    );
  });
});
