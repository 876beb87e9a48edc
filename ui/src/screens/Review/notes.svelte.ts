/**
 * The open review's notes: the threads the core placed on the code as it is now, and the notes
 * being written (composers). Asked for once the review is drawn and again each time it reloads
 * (a live change can move, change or outdate a note); an answer for a review no longer shown is
 * dropped.
 *
 * What the reviewer types is kept as a draft in the review database (debounced), so it survives
 * a live reload and an app restart: drafts come back with the notes and reopen their composers.
 *
 * Threads are handed to the agent only when the reviewer sends them ("Send to agent"); the
 * agent's claim that it addressed one comes back with the notes, and only the reviewer resolves.
 */
import { commands, type NoteKind, type NotesReport, type PlacedThread, type Review, type Target } from '../../lib/bindings';
import { Debouncer } from '../../lib/debounce';
import { describeError, type ErrorView } from '../../lib/errorView';
import { newThreadKey, replyKey, type LinePlace } from '../../lib/notePlaces';
import { sameTarget } from '../../lib/targetList';
import { ShownReview } from './shownReview';

/** How long typing must pause before the draft is written. */
export const DRAFT_DELAY_MS = 400;

/**
 * How often the notes are read again while a thread waits on the agent (sent, not claimed):
 * the agent receives and claims through the review database, which the repository watcher
 * does not see.
 */
export const AGENT_POLL_MS = 5000;

/** A note being written: a new thread on lines, or a reply to a thread. */
export interface Composer {
  /** The draft key: `new:PATH:SIDE:START-END` or `reply:THREAD`. */
  key: string;
  /** The lines of a new thread; `null` for a reply. */
  place: LinePlace | null;
  /** The thread replied to; `null` for a new thread. */
  threadId: string | null;
  kind: NoteKind;
  body: string;
  saving: boolean;
  error: ErrorView | null;
  /** Opened by the reviewer just now (its text box takes focus), not restored from a draft. */
  focus: boolean;
}

export class NotesState {
  /** The notes of the shown review, once they arrived. */
  report = $state.raw<NotesReport | null>(null);
  /** Notes being written, in the order they were opened. */
  composers = $state.raw<readonly Composer[]>([]);
  /** Lines picked by clicking line numbers, for `c`. */
  selection = $state.raw<LinePlace | null>(null);
  /** A thread to bring into view (the notes panel asked); `n` changes on every request. */
  jump = $state.raw<{ threadId: string; n: number } | null>(null);
  /** The last thread action that failed (resolve, change kind, send to the agent). */
  error = $state.raw<ErrorView | null>(null);
  /** Threads being sent to the agent, by id. */
  sending = $state.raw<ReadonlySet<string>>(new Set());
  /** How many threads the last "Send to agent" handed over (`n` changes on every send). */
  sent = $state.raw<{ count: number; n: number } | null>(null);
  /**
   * The reviewer using this window (`Name <email>`, from the review's progress), so that notes by
   * anyone else (brought by a sync) read as another reviewer's; `null` until known.
   */
  reviewer = $state.raw<string | null>(null);

  /** Called after a note was written, resolved or changed: what counts notes must reload. */
  readonly #onChange: () => void;
  #shown = new ShownReview();
  #request = 0;
  /** Draft writes, in order: a reload waits for them so that it reads what was typed. */
  #writes: Promise<unknown> = Promise.resolve();
  #debouncers = new Map<string, Debouncer>();
  /** When each composer was closed (the request count then): older answers must not reopen it. */
  #closed = new Map<string, number>();
  /** The next read while a thread waits on the agent. */
  #poll: ReturnType<typeof setTimeout> | null = null;

  constructor(onChange: () => void = () => undefined) {
    this.#onChange = onChange;
  }

  /** Every thread of the review, oldest first. */
  get threads(): readonly PlacedThread[] {
    return this.report?.threads ?? [];
  }

  /** Asks for the notes of `review` (each new review object, i.e. every reload, asks again). */
  show(repo: string | null, review: Review | null): void {
    const before = this.#shown.target;
    if (before !== null && (repo !== this.#shown.repo || review === null || !sameTarget(before, review.target))) {
      // Typing left for another review is written to that review's drafts first.
      for (const debouncer of this.#debouncers.values()) debouncer.flush();
    }
    const follows = this.#shown.follow(repo, review);
    if (follows === 'unchanged') return;
    if (follows === 'other') {
      if (this.#poll !== null) clearTimeout(this.#poll);
      this.#poll = null;
      // Another review: its threads, drafts and selection are its own (drafts stay in the database).
      this.#debouncers.clear();
      this.#closed.clear();
      this.report = null;
      this.composers = [];
      this.selection = null;
      this.jump = null;
      this.error = null;
      this.sending = new Set();
      this.sent = null;
    }
    void this.reload();
  }

  /** Reads the notes again (after a change made here or in the repository). */
  async reload(): Promise<void> {
    const repo = this.#shown.repo;
    const target = this.#shown.target;
    const request = ++this.#request;
    if (repo === null || target === null) return;
    await this.#writes;
    if (request !== this.#request) return;
    let result;
    try {
      result = await commands.reviewNotes(repo, target);
    } catch (error) {
      if (request === this.#request) this.error = describeError(error);
      return;
    }
    if (request !== this.#request) return;
    if (result.status === 'error') {
      this.error = describeError(result.error);
      return;
    }
    this.report = result.data;
    this.#restoreDrafts(result.data, request);
    this.#pollWhileWaiting(result.data);
  }

  /** Reads the notes again in a while if a thread waits on the agent (see [`AGENT_POLL_MS`]). */
  #pollWhileWaiting(report: NotesReport): void {
    if (this.#poll !== null) clearTimeout(this.#poll);
    this.#poll = null;
    const waiting = report.threads.some(
      (t) => !t.thread.resolved && (t.thread.handoff?.sentAt ?? null) !== null && (t.thread.handoff?.claim ?? null) === null,
    );
    if (!waiting) return;
    const request = this.#request;
    this.#poll = setTimeout(() => {
      this.#poll = null;
      // Only if nothing read the notes since: a reload schedules its own next read.
      if (request === this.#request) void this.reload();
    }, AGENT_POLL_MS);
  }

  /** Reopens the composers of drafts the reviewer left, unless closed since this answer was asked for. */
  #restoreDrafts(report: NotesReport, request: number): void {
    const open = new Set(this.composers.map((c) => c.key));
    const threads = new Set(report.threads.map((t) => t.thread.id));
    const restored: Composer[] = [];
    for (const draft of report.drafts) {
      if (open.has(draft.key) || draft.body === '') continue;
      if ((this.#closed.get(draft.key) ?? -1) >= request) continue;
      const threadId = draft.key.startsWith('reply:') ? draft.key.slice('reply:'.length) : null;
      if (threadId !== null && !threads.has(threadId)) continue;
      if (threadId === null && draft.anchor === null) continue;
      restored.push({
        key: draft.key,
        place: draft.anchor === null ? null : { ...draft.anchor },
        threadId,
        kind: draft.kind,
        body: draft.body,
        saving: false,
        error: null,
        focus: false,
      });
    }
    if (restored.length > 0) this.composers = [...this.composers, ...restored];
  }

  /** Opens (or focuses) the composer of a new thread on `place`. */
  openComposer(place: LinePlace): void {
    this.#open({ key: newThreadKey(place), place, threadId: null, kind: 'comment' });
    this.selection = null;
  }

  /** Opens (or focuses) the reply box of thread `threadId`. */
  openReply(threadId: string): void {
    const kind = this.threads.find((t) => t.thread.id === threadId)?.thread.kind ?? 'comment';
    this.#open({ key: replyKey(threadId), place: null, threadId, kind });
  }

  #open(base: Pick<Composer, 'key' | 'place' | 'threadId' | 'kind'>): void {
    const existing = this.composers.find((c) => c.key === base.key);
    if (existing !== undefined) {
      this.#update(base.key, { focus: true });
      return;
    }
    this.composers = [...this.composers, { ...base, body: '', saving: false, error: null, focus: true }];
  }

  /** The reviewer typed or picked a kind: shown at once, kept as a draft once typing pauses. */
  edit(key: string, change: { body?: string; kind?: NoteKind }): void {
    this.#update(key, { ...change, focus: false });
    this.#saveDraftSoon(key);
  }

  /** Closes a composer and drops its draft. */
  cancel(key: string): void {
    this.#debouncers.get(key)?.cancel();
    this.#debouncers.delete(key);
    const composer = this.composers.find((c) => c.key === key);
    this.#close(key);
    if (composer !== undefined) this.#writeDraft({ ...composer, body: '' });
  }

  /** Writes the note (a new thread or a reply); on success its composer closes and the notes reload. */
  async submit(key: string): Promise<void> {
    const composer = this.composers.find((c) => c.key === key);
    const repo = this.#shown.repo;
    const target = this.#shown.target;
    if (composer === undefined || repo === null || target === null || composer.saving || composer.body.trim() === '') return;
    // The note itself replaces its draft (the core drops the draft when it writes the note).
    this.#debouncers.get(key)?.cancel();
    this.#update(key, { saving: true, error: null });
    await this.#writes;
    let failed: ErrorView | null = null;
    try {
      if (composer.place !== null) {
        const { path, side, startLine, endLine } = composer.place;
        const result = await commands.addNote(repo, target, { path, side, startLine, endLine, kind: composer.kind, body: composer.body });
        if (result.status === 'error') failed = describeError(result.error);
        else if (this.#shown.isShowing(repo, target) && this.report !== null) this.report = { ...this.report, threads: [...this.report.threads, result.data] };
      } else if (composer.threadId !== null) {
        const result = await commands.replyToNote(repo, target, composer.threadId, composer.body);
        if (result.status === 'error') failed = describeError(result.error);
      }
    } catch (error) {
      failed = describeError(error);
    }
    if (!this.#shown.isShowing(repo, target)) return;
    if (failed !== null) {
      // Keep what was typed: in the box, and as a draft.
      this.#update(key, { saving: false, error: failed });
      const now = this.composers.find((c) => c.key === key);
      if (now !== undefined) this.#writeDraft(now);
      return;
    }
    this.#close(key);
    await this.reload();
    this.#onChange();
  }

  /**
   * A thread written elsewhere (an explanation pinned from the Explain panel): shown at once,
   * then the notes reload as after writing one here.
   */
  async added(placed: PlacedThread): Promise<void> {
    if (this.report !== null && !this.report.threads.some((t) => t.thread.id === placed.thread.id)) {
      this.report = { ...this.report, threads: [...this.report.threads, placed] };
    }
    await this.reload();
    this.#onChange();
  }

  async resolve(threadId: string, resolved: boolean): Promise<void> {
    await this.#act((repo, target) => commands.resolveNote(repo, target, threadId, resolved));
  }

  async setKind(threadId: string, kind: NoteKind): Promise<void> {
    await this.#act((repo, target) => commands.setNoteKind(repo, target, threadId, kind));
  }

  /** Hands threads of the shown review to the agent; their chips follow once the notes reload. */
  async sendToAgent(threadIds: readonly string[]): Promise<void> {
    const ids = threadIds.filter((id) => !this.sending.has(id));
    if (ids.length === 0) return;
    this.sending = new Set([...this.sending, ...ids]);
    let count = 0;
    await this.#act(async (repo, target) => {
      const result = await commands.sendToAgent(repo, target, ids);
      if (result.status === 'ok') count = result.data;
      return result;
    });
    const sending = new Set(this.sending);
    for (const id of ids) sending.delete(id);
    this.sending = sending;
    if (this.error === null) this.sent = { count, n: (this.sent?.n ?? 0) + 1 };
  }

  /**
   * What the agent would be handed now, as Markdown ("Copy for agent"), or `null` when it could
   * not be had (the error is shown). Records nothing.
   */
  async agentMarkdown(): Promise<string | null> {
    const repo = this.#shown.repo;
    if (repo === null) return null;
    this.error = null;
    try {
      const result = await commands.agentMarkdown(repo);
      if (result.status === 'ok') return result.data;
      this.error = describeError(result.error);
    } catch (error) {
      this.error = describeError(error);
    }
    return null;
  }

  /** Asks the diff view to bring thread `threadId` into view. */
  jumpTo(threadId: string): void {
    this.jump = { threadId, n: (this.jump?.n ?? 0) + 1 };
  }

  async #act(call: (repo: string, target: Target) => Promise<{ status: 'ok' } | { status: 'error'; error: unknown }>): Promise<void> {
    const repo = this.#shown.repo;
    const target = this.#shown.target;
    if (repo === null || target === null) return;
    this.error = null;
    try {
      const result = await call(repo, target);
      if (result.status === 'error') {
        this.error = describeError(result.error);
        return;
      }
    } catch (error) {
      this.error = describeError(error);
      return;
    }
    if (!this.#shown.isShowing(repo, target)) return;
    await this.reload();
    this.#onChange();
  }

  #close(key: string): void {
    this.#closed.set(key, this.#request);
    this.composers = this.composers.filter((c) => c.key !== key);
  }

  #update(key: string, change: Partial<Composer>): void {
    this.composers = this.composers.map((c) => (c.key === key ? { ...c, ...change } : c));
  }

  #saveDraftSoon(key: string): void {
    let debouncer = this.#debouncers.get(key);
    if (debouncer === undefined) {
      debouncer = new Debouncer(DRAFT_DELAY_MS);
      this.#debouncers.set(key, debouncer);
    }
    debouncer.schedule(() => {
      const composer = this.composers.find((c) => c.key === key);
      if (composer !== undefined && !composer.saving) this.#writeDraft(composer);
    });
  }

  /** Queues a draft write (an empty body drops the draft). A failed write loses nothing on screen. */
  #writeDraft(composer: Composer): void {
    const repo = this.#shown.repo;
    const target = this.#shown.target;
    if (repo === null || target === null) return;
    const anchor = composer.place === null ? null : { path: composer.place.path, side: composer.place.side, startLine: composer.place.startLine, endLine: composer.place.endLine };
    const draft = { key: composer.key, kind: composer.kind, body: composer.body, anchor, updatedAt: Date.now() };
    this.#writes = this.#writes.then(() => commands.saveDraft(repo, target, draft).catch(() => undefined));
  }
}
