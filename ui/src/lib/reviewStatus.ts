/**
 * How the review's standing reads: note kinds, the decision, coverage, and the target list's
 * badge. The facts (status, staleness, counts) come computed from the core; this only words them.
 */
import type { Author, Coverage, DecisionState, NoteKind, PlacedThread, ReviewStatus } from './bindings';
import { countOf } from './plural';

/**
 * Note kinds a reviewer writes, in the order a menu offers them, with their labels. A model's
 * explanation is not among them: only pinning an answer makes one.
 */
export const NOTE_KINDS: readonly { kind: NoteKind; label: string }[] = [
  { kind: 'comment', label: 'Comment' },
  { kind: 'question', label: 'Question' },
  { kind: 'mustFix', label: 'Must fix' },
  { kind: 'teaching', label: 'Teaching' },
];

/** Every kind a thread can have, for filtering the threads. */
export const THREAD_KINDS: readonly { kind: NoteKind; label: string }[] = [...NOTE_KINDS, { kind: 'explanation', label: 'Explanation' }];

export function kindLabel(kind: NoteKind): string {
  return THREAD_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

/** A thread's kind menu: the kinds a reviewer writes, and the thread's own when it is not one of them. */
export function kindChoices(current: NoteKind): readonly { kind: NoteKind; label: string }[] {
  return NOTE_KINDS.some((k) => k.kind === current) ? NOTE_KINDS : [...NOTE_KINDS, { kind: current, label: kindLabel(current) }];
}

/** What the header says about the decision: its text and tone (for colour). */
export interface StatusView {
  text: string;
  tone: 'approved' | 'changes' | 'stale' | 'open';
  title: string;
}

/**
 * The review's standing: "Approved by Dana", "Changes requested by Dana", or, when the code
 * changed since the last decision, "Approval stale (the code changed since)". `null` when
 * nothing was decided yet.
 */
export function statusView(status: ReviewStatus, decision: DecisionState | null): StatusView | null {
  if (decision === null) return null;
  const who = decision.decision.reviewer.name;
  const message = decision.decision.message;
  const said = message === null ? '' : `: “${message}”`;
  if (decision.stale) {
    return decision.decision.verdict === 'approved'
      ? { text: 'Approval stale (the code changed since)', tone: 'stale', title: `${who} approved an earlier version${said}` }
      : { text: 'Changes requested earlier (the code changed since)', tone: 'stale', title: `${who} requested changes on an earlier version${said}` };
  }
  if (status === 'approved') return { text: `Approved by ${who}`, tone: 'approved', title: `${who} approved this version${said}` };
  if (status === 'changesRequested') return { text: `Changes requested by ${who}`, tone: 'changes', title: `${who} requested changes${said}` };
  return null;
}

/** The target list's badge for a reviewed target: approved, changes requested or stale. */
export function targetBadge(status: ReviewStatus, decision: DecisionState | null): { text: string; tone: StatusView['tone'] } | null {
  if (decision !== null && decision.stale) return { text: 'stale', tone: 'stale' };
  if (status === 'approved') return { text: 'approved', tone: 'approved' };
  if (status === 'changesRequested') return { text: 'changes requested', tone: 'changes' };
  return null;
}

/** "AI-reviewed 3/5 hunks", or what there is when no hunk is AI-written. */
export function coverageText(coverage: Coverage): string {
  if (coverage.aiHunks === 0) return `Reviewed ${coverage.humanViewed}/${coverage.humanHunks} hunks`;
  return `AI-reviewed ${coverage.aiViewed}/${coverage.aiHunks} ${coverage.aiHunks === 1 ? 'hunk' : 'hunks'}`;
}

/** The meter's fill, 0 to 1: AI-written hunks viewed (all hunks when none is AI-written). */
export function coverageRatio(coverage: Coverage): number {
  const [viewed, total] = coverage.aiHunks === 0 ? [coverage.humanViewed, coverage.humanHunks] : [coverage.aiViewed, coverage.aiHunks];
  return total === 0 ? 1 : viewed / total;
}

/** The meter's title: both counts, human-written hunks counted apart. */
export function coverageTitle(coverage: Coverage): string {
  return (
    `AI-written hunks viewed: ${coverage.aiViewed} of ${coverage.aiHunks}. ` +
    `Human-written hunks, counted apart: ${coverage.humanViewed} of ${coverage.humanHunks} viewed.`
  );
}

/** Which threads the notes panel lists. */
export interface ThreadFilter {
  state: 'open' | 'resolved' | 'all';
  kind: NoteKind | 'all';
}

export function filterThreads(threads: readonly PlacedThread[], filter: ThreadFilter): PlacedThread[] {
  return threads.filter(
    (t) =>
      (filter.state === 'all' || t.thread.resolved === (filter.state === 'resolved')) && (filter.kind === 'all' || t.thread.kind === filter.kind),
  );
}

/** "2 must-fix open", for the header. */
export function mustFixText(count: number): string {
  return `${countOf(count, 'must-fix', 'must-fix')} open`;
}

/** The key the core files a reviewer under: the e-mail address, or the name when there is none. */
function authorKey(author: Author): string {
  return author.email === '' ? author.name : author.email;
}

/** The reviewer as `ReviewProgress.reviewer` spells it (`Name <email>`, or `Name`) as an author. */
export function parseReviewer(reviewer: string): Author {
  const match = /^(.*?)\s*<([^<>]*)>\s*$/.exec(reviewer);
  return match === null ? { name: reviewer.trim(), email: '' } : { name: (match[1] ?? '').trim(), email: (match[2] ?? '').trim() };
}

/**
 * Whether `author` is someone other than `reviewer` (the one using this window), compared as the
 * core compares reviewers. `false` while the reviewer is not known yet.
 */
export function isOtherReviewer(author: Author, reviewer: string | null): boolean {
  if (reviewer === null) return false;
  return authorKey(author) !== authorKey(parseReviewer(reviewer));
}

/**
 * The target list badge's title: who decided, and whether it still holds.
 * "Approved by Sam Lee (another reviewer): “Ship it”", "Dana Smith requested changes on an earlier version".
 */
export function decisionTitle(state: DecisionState, reviewer: string | null): string {
  const decision = state.decision;
  const who = isOtherReviewer(decision.reviewer, reviewer) ? `${decision.reviewer.name} (another reviewer)` : decision.reviewer.name;
  const said = decision.message === null ? '' : `: “${decision.message}”`;
  const approved = decision.verdict === 'approved';
  if (state.stale) return `${who} ${approved ? 'approved' : 'requested changes on'} an earlier version; the code changed since${said}`;
  return `${approved ? 'Approved' : 'Changes requested'} by ${who}${said}`;
}
