/**
 * The review screen's state and the IPC calls that fill it: which repository, which targets, the
 * open review, what is selected. It composes nothing itself — every fact comes from the core
 * through the generated bindings — and only tracks the reviewer's position in what arrived.
 */
import { Channel } from '@tauri-apps/api/core';
import {
  commands,
  type FileDiff,
  type FileDiffOptions,
  type Review,
  type Target,
  type TargetInfo,
  type TargetList,
  type WatchEvent,
  type WatchMessage,
  type Workspace,
} from '../../lib/bindings';
import { carryEntries, carryIndex, carryIndices } from '../../lib/carrySelection';
import { Coalescer } from '../../lib/coalescer';
import { carryLoads, type FileLoad } from '../../lib/fileLoads';
import { describeError, type ErrorView } from '../../lib/errorView';
import { mergeEvents, refreshFor, type LiveUpdate } from '../../lib/liveRefresh';
import { stepHunkInOrder, stepInOrder, stepIndex } from '../../lib/navigation';
import { displayPath } from '../../lib/path';
import { continues, hasMore, nextAnchor, withOlder, type OlderCommits } from '../../lib/olderCommits';
import { findTarget, sameTarget } from '../../lib/targetList';
import { carryWhitespaceLoads, whitespaceMatters } from '../../lib/whitespace';
import { recall, remember, type Place } from '../../lib/targetMemory';

/** Re-exported for the views that show a load. */
export type { FileLoad };

/** The notice's title when a reload after a change fails (its message says why). */
const REFRESH_FAILED = 'Could not refresh after a change';

/** What the app root reports as `data-state`, so tests and users know where things stand. */
export type Phase = 'loading' | 'ready' | 'error';

export class ReviewSession {
  workspace = $state.raw<Workspace | null>(null);
  /** Where the shell logs, for "details are in the log" hints. */
  logFile = $state<string | null>(null);
  targetList = $state.raw<TargetList | null>(null);
  review = $state.raw<Review | null>(null);
  /** Nothing can be shown: no repository, or its targets could not be listed. */
  fatal = $state.raw<ErrorView | null>(null);
  /** The selected target could not be opened; the target list stays usable. */
  reviewError = $state.raw<ErrorView | null>(null);
  /** The target being shown or opened. */
  selectedTarget = $state.raw<Target | null>(null);
  /** The `spec` of the selected target's entry in the list (`null` if it is not listed). */
  selectedSpec = $state<string | null>(null);
  fileIndex = $state<number | null>(null);
  /** The hunk moved to with `n`/`p` in the selected file; `null` before the first. */
  hunkIndex = $state<number | null>(null);
  starting = $state(true);
  openingReview = $state(false);
  /** Files of the open review, by index, that started collapsed and were opened by the reviewer. */
  expanded = $state.raw<ReadonlySet<number>>(new Set());
  /** Full diffs requested for files whose hunks the review left out, by index. */
  loads = $state.raw<ReadonlyMap<number, FileLoad>>(new Map());
  /**
   * "Hide whitespace" (the settings' `ignoreWhitespace`): a shown file is loaded again as
   * `git diff -w` shows it and shown so once it arrived; the review stays git's.
   */
  ignoreWhitespace = $state(false);
  /** Files loaded ignoring whitespace, by index (asked for as they are shown). */
  whitespaceLoads = $state.raw<ReadonlyMap<number, FileLoad>>(new Map());
  /** Pages of HEAD's history past the list's commits ("Show older commits"). */
  older = $state.raw<OlderCommits | null>(null);
  /** A page of older commits is being asked for. */
  loadingOlder = $state(false);
  /** Asking for older commits failed; shown under the list until the next try. */
  olderError = $state.raw<ErrorView | null>(null);
  /** Where the reviewer was in each target left this session (file and hunk), by target. */
  #places: ReadonlyMap<string, Place> = new Map();

  /** The repository is being watched: the window reloads what a change makes stale. */
  watching = $state(false);
  /** The last reload a change in the repository caused. */
  lastUpdate = $state.raw<LiveUpdate | null>(null);
  /** Watching failed (to start, or for part of the tree); shown as a notice until dismissed. */
  watchError = $state.raw<ErrorView | null>(null);
  /** The last reload a change caused failed; the review on screen stays, the next reload retries. */
  refreshError = $state.raw<ErrorView | null>(null);
  /**
   * How many of the watcher's messages the window has finished with (what tests wait on before
   * asserting what a message did not do): a change once the reload it joined has run and a
   * target that reload switched to is shown, a failure once shown, a message from a stopped
   * watcher once dropped.
   */
  watchHandled = $state(0);

  /**
   * The target on screen is the one the repository suggests (the working tree when it has
   * changes, else HEAD) and the reviewer has not picked another: the window follows the
   * suggestion as an agent starts writing (HEAD → working tree) or commits (→ HEAD).
   */
  #followsDefault = false;
  /** Counts requests so that a slow answer for a target left behind is dropped. */
  #request = 0;
  /** The target being opened at the reviewer's request, until it is shown. */
  #opening: Promise<void> | null = null;
  /** The channel the current watcher reports to; messages from older ones are ignored. */
  #channel: Channel<WatchMessage> | null = null;
  /** Changes not yet reloaded for, merged. */
  #changes: WatchEvent | null = null;
  /** At most one reload in flight and one queued, however many changes arrive. */
  readonly #reloads = new Coalescer(() => this.#reload());

  get phase(): Phase {
    if (this.fatal !== null || this.reviewError !== null) return 'error';
    return this.starting || this.openingReview ? 'loading' : 'ready';
  }

  /** The targets listed: the list's, with the older commits asked for after its commits. */
  get targets(): TargetInfo[] {
    return withOlder(this.targetList?.targets ?? [], this.older);
  }

  /** HEAD's history goes on past the commits listed. */
  get moreCommits(): boolean {
    return hasMore(this.targetList?.olderCommits ?? false, this.targetList?.targets ?? [], this.older);
  }

  /** Asks for the next page of older commits and lists it after the commits shown. */
  async showOlder(): Promise<void> {
    const workspace = this.workspace;
    const listed = this.targetList;
    if (workspace === null || listed === null || this.loadingOlder) return;
    const after = nextAnchor(listed.targets, this.older);
    if (after === null) return;
    this.loadingOlder = true;
    this.olderError = null;
    try {
      const page = await commands.olderCommits(workspace.repoPath, after);
      if (this.targetList !== listed && !continues(this.targetList?.targets ?? [], this.older)) return;
      if (page.status === 'error') {
        this.olderError = describeError(page.error);
        return;
      }
      const before = continues(listed.targets, this.older) ? this.older : null;
      this.older = {
        anchor: before?.anchor ?? after,
        targets: [...(before?.targets ?? []), ...page.data.targets],
        more: page.data.more,
      };
    } catch (error) {
      this.olderError = describeError(error);
    } finally {
      this.loadingOlder = false;
    }
  }

  get selectedFile(): FileDiff | null {
    return this.fileIndex === null ? null : this.fileAt(this.fileIndex);
  }

  /** The file at `index` as it is to be shown: its full diff once loaded, else as the review has it. */
  fileAt(index: number): FileDiff | null {
    const ignoring = this.ignoreWhitespace ? this.whitespaceLoads.get(index) : undefined;
    if (ignoring?.state === 'loaded') return ignoring.file;
    const load = this.loads.get(index);
    if (load?.state === 'loaded') return load.file;
    return this.review?.files[index] ?? null;
  }

  /** A collapsed file stays closed (and `n`/`p` pass it by) until the reviewer opens it. */
  isExpanded(index: number): boolean {
    const file = this.review?.files[index];
    return file !== undefined && (file.collapsed === null || this.expanded.has(index));
  }

  expand(index: number): void {
    if (this.expanded.has(index)) return;
    this.expanded = new Set([...this.expanded, index]);
  }

  /** Asks the core for the full diff of a file whose hunks were left out; retried by calling again. */
  async loadOmitted(index: number): Promise<void> {
    const current = this.loads.get(index);
    if (current?.state === 'loading' || current?.state === 'loaded') return;
    await this.#fetchOmitted(index);
  }

  /**
   * Fetches the full diff of the file at `index` of the review on screen. A diff already shown
   * stays until the new one arrives (a reload after the agent wrote again does not flash).
   */
  async #fetchOmitted(index: number): Promise<void> {
    const file = this.review?.files[index];
    if (file === undefined || file.omitted === null) return;
    await this.#fetchFile(index, 'loads', null);
  }

  /**
   * Asks the core for the whole diff of the file at `index` (with `options`, e.g. as `git diff
   * -w` shows it) and keeps the answer in `into`: the one way both kinds of load are made.
   */
  async #fetchFile(index: number, into: 'loads' | 'whitespaceLoads', options: FileDiffOptions | null): Promise<void> {
    const review = this.review;
    const workspace = this.workspace;
    const file = review?.files[index];
    const path = file === undefined ? null : (file.newPath ?? file.oldPath);
    if (review === null || workspace === null || file === undefined || path === null) return;
    if (this[into].get(index)?.state !== 'loaded') this.#setLoadIn(into, index, { state: 'loading' });
    let load: FileLoad;
    try {
      const result = await commands.fileDiff(workspace.repoPath, review.target, path, file.oldPath, options);
      load = result.status === 'ok' ? { state: 'loaded', file: result.data } : { state: 'failed', error: describeError(result.error) };
    } catch (error) {
      load = { state: 'failed', error: describeError(error) };
    }
    // A different review arrived meanwhile: this answer belongs to nothing on screen.
    if (this.review !== review) return;
    this.#setLoadIn(into, index, load);
  }

  #setLoadIn(into: 'loads' | 'whitespaceLoads', index: number, load: FileLoad): void {
    const loads = new Map(this[into]);
    loads.set(index, load);
    this[into] = loads;
  }

  /**
   * While whitespace is hidden, asks the core for the file at `index` as `git diff -w` shows it
   * (once; a failed load is asked again). Files whitespace cannot matter to (binary, added,
   * deleted) are shown as they are.
   */
  async loadIgnoringWhitespace(index: number): Promise<void> {
    const file = this.review?.files[index];
    if (!this.ignoreWhitespace || file === undefined || !whitespaceMatters(file)) return;
    const current = this.whitespaceLoads.get(index);
    if (current?.state === 'loading' || current?.state === 'loaded') return;
    await this.#fetchIgnoringWhitespace(index);
  }

  async #fetchIgnoringWhitespace(index: number): Promise<void> {
    await this.#fetchFile(index, 'whitespaceLoads', { ignoreWhitespace: true });
  }

  /** Finds the repository, lists its targets and opens the default one. */
  async start(): Promise<void> {
    this.starting = true;
    this.fatal = null;
    try {
      const context = await commands.appContext();
      if (context.status === 'error') {
        this.fatal = describeError(context.error);
        return;
      }
      this.logFile = context.data.logFile;
      const workspace = context.data.workspace;
      this.workspace = workspace;
      const listed = await commands.listTargets(workspace.repoPath);
      if (listed.status === 'error') {
        this.fatal = describeError(listed.error);
        return;
      }
      this.targetList = listed.data;
      this.#followsDefault = true;
      await this.openTarget(listed.data.defaultTarget);
      void this.watch(workspace.repoPath);
    } catch (error) {
      this.fatal = describeError(error);
    } finally {
      this.starting = false;
    }
  }

  /** Opens the target the reviewer picked; the window stops following the suggested one. */
  pickTarget(target: Target): Promise<void> {
    this.#followsDefault = false;
    return this.openTarget(target);
  }

  /** Opens `target`, keeping the current review on screen until the new one arrives. */
  openTarget(target: Target): Promise<void> {
    const opening = this.#open(target);
    this.#opening = opening;
    void opening.finally(() => {
      if (this.#opening === opening) this.#opening = null;
    });
    return opening;
  }

  async #open(target: Target): Promise<void> {
    const workspace = this.workspace;
    if (workspace === null) return;
    const request = ++this.#request;
    this.#rememberPlace();
    this.selectedTarget = target;
    this.selectedSpec = this.#specOf(target);
    this.reviewError = null;
    this.openingReview = true;
    try {
      const result = await commands.openReview(workspace.repoPath, target);
      if (request !== this.#request) return;
      if (result.status === 'error') {
        this.review = null;
        this.reviewError = describeError(result.error);
        return;
      }
      this.review = result.data;
      this.expanded = new Set();
      this.loads = new Map();
      this.whitespaceLoads = new Map();
      this.selectedSpec = this.#specOf(target) ?? result.data.spec;
      // Back on a target left before: the same file and hunk.
      const files = result.data.files;
      const place = recall(this.#places, placeKey(target), files.map(displayPath), (index) => files[index]?.hunks.length ?? 0);
      this.fileIndex = place.file;
      this.hunkIndex = place.hunk;
    } catch (error) {
      if (request !== this.#request) return;
      this.review = null;
      this.reviewError = describeError(error);
    } finally {
      if (request === this.#request) this.openingReview = false;
    }
  }

  /**
   * Watches the repository at `repo` and reloads, quietly, whatever its changes make stale.
   * Replaces the previous watcher; a failure to start is shown as a notice.
   */
  async watch(repo: string): Promise<void> {
    const channel = new Channel<WatchMessage>();
    channel.onmessage = (message) => {
      if (this.#channel === channel) this.#onWatchMessage(message);
      else this.watchHandled += 1;
    };
    this.#channel = channel;
    try {
      const result = await commands.watchRepository(repo, channel);
      if (this.#channel !== channel) {
        // Unwatched while this one was starting: the stop may have reached the shell first.
        if (this.#channel === null && result.status === 'ok') commands.unwatchRepository().catch(() => undefined);
        return;
      }
      if (result.status === 'error') {
        this.#channel = null;
        this.watching = false;
        this.watchError = describeError(result.error);
        return;
      }
      this.watching = true;
    } catch (error) {
      if (this.#channel !== channel) return;
      this.#channel = null;
      this.watching = false;
      this.watchError = describeError(error);
    }
  }

  /** Stops watching (the window closes or moves to another repository). */
  unwatch(): void {
    if (this.#channel === null) return;
    this.#channel = null;
    this.watching = false;
    this.#changes = null;
    // Nothing to tell the reviewer if this fails: the window is going away.
    commands.unwatchRepository().catch(() => undefined);
  }

  /** The notice the window shows about live updates, if any: watching failed, or a reload did. */
  get liveNotice(): ErrorView | null {
    return this.watchError ?? this.refreshError;
  }

  dismissLiveNotice(): void {
    this.watchError = null;
    this.refreshError = null;
  }

  #onWatchMessage(message: WatchMessage): void {
    if (message.kind === 'failed') {
      this.watchError = describeError(message.error);
      this.watchHandled += 1;
      return;
    }
    this.#changes = this.#changes === null ? message.event : mergeEvents(this.#changes, message.event);
    void this.#reloads
      .request()
      .then(() => this.#opening)
      .finally(() => {
        this.watchHandled += 1;
      });
  }

  /** Reloads what the changes since the last reload make stale, keeping the reviewer's place. */
  async #reload(): Promise<void> {
    // A target the reviewer is opening is shown first; the change may postdate what it read.
    while (this.#opening !== null) await this.#opening;
    const changes = this.#changes;
    this.#changes = null;
    const workspace = this.workspace;
    const target = this.selectedTarget;
    if (changes === null || workspace === null || target === null || this.#channel === null) return;
    const stale = refreshFor(target, changes);
    if (!stale.review && !stale.targets) return;
    const request = this.#request;
    const shown = this.review;
    try {
      const [listed, opened] = await Promise.all([
        stale.targets ? commands.listTargets(workspace.repoPath) : null,
        stale.review ? commands.openReview(workspace.repoPath, target) : null,
      ]);
      if (this.workspace !== workspace) return;
      let failed: ErrorView | null = null;
      if (listed?.status === 'ok') {
        this.targetList = listed.data;
        this.selectedSpec = this.#specOf(target) ?? this.selectedSpec;
        const suggested = listed.data.defaultTarget;
        if (this.#followsDefault && request === this.#request && !sameTarget(suggested, target)) {
          // An agent started writing on a clean tree, or committed what it wrote: show that.
          this.lastUpdate = { at: Date.now(), event: changes };
          this.refreshError = null;
          void this.openTarget(suggested);
          return;
        }
      } else if (listed?.status === 'error') {
        failed = describeError(listed.error);
      }
      // The reviewer opened another target meanwhile: that answer is on its way.
      if (opened !== null && request === this.#request && this.review === shown) {
        if (opened.status === 'ok') this.#replaceReview(opened.data);
        else failed = describeError(opened.error);
      }
      this.refreshError = failed === null ? null : { ...failed, title: REFRESH_FAILED };
      if (failed === null) this.lastUpdate = { at: Date.now(), event: changes };
    } catch (error) {
      this.refreshError = { ...describeError(error), title: REFRESH_FAILED };
    }
  }

  /**
   * Reads the targets and the open review again after the window itself changed the working
   * tree (an undo), keeping the reviewer's place; the watcher's own reload may follow. A failure
   * shows as the live notice, with the review on screen kept.
   */
  async refresh(): Promise<void> {
    const workspace = this.workspace;
    const target = this.selectedTarget;
    if (workspace === null || target === null) return;
    // A target the reviewer is opening is shown first; it reads the change already.
    if (this.#opening !== null) return;
    const request = this.#request;
    const shown = this.review;
    try {
      const [listed, opened] = await Promise.all([commands.listTargets(workspace.repoPath), commands.openReview(workspace.repoPath, target)]);
      if (this.workspace !== workspace) return;
      let failed: ErrorView | null = null;
      if (listed.status === 'ok') {
        this.targetList = listed.data;
        this.selectedSpec = this.#specOf(target) ?? this.selectedSpec;
      } else {
        failed = describeError(listed.error);
      }
      if (request === this.#request && this.review === shown) {
        if (opened.status === 'ok') this.#replaceReview(opened.data);
        else failed = describeError(opened.error);
      }
      this.refreshError = failed === null ? null : { ...failed, title: REFRESH_FAILED };
    } catch (error) {
      this.refreshError = { ...describeError(error), title: REFRESH_FAILED };
    }
  }

  /** Shows a fresh copy of the open review where the reviewer left off: same file, same hunk. */
  #replaceReview(next: Review): void {
    const before = this.review?.files ?? [];
    const fileIndex = carryIndex(before, next.files, this.fileIndex);
    const was = this.fileIndex === null ? undefined : before[this.fileIndex];
    const now = fileIndex === null ? undefined : next.files[fileIndex];
    const kept = was !== undefined && now !== undefined && displayPath(was) === displayPath(now);
    this.review = next;
    this.reviewError = null;
    this.expanded = carryIndices(before, next.files, this.expanded);
    const { loads, refetch } = carryLoads(carryEntries(before, next.files, this.loads), next.files);
    this.loads = loads;
    for (const index of refetch) void this.#fetchOmitted(index);
    const ignoring = carryWhitespaceLoads(carryEntries(before, next.files, this.whitespaceLoads), next.files);
    this.whitespaceLoads = ignoring.loads;
    for (const index of ignoring.refetch) void this.#fetchIgnoringWhitespace(index);
    this.selectedSpec = this.#specOf(next.target) ?? next.spec;
    this.fileIndex = fileIndex;
    if (!kept || this.hunkIndex === null || this.hunkIndex >= now.hunks.length) this.hunkIndex = null;
  }

  /** Retries whatever failed: the start, or opening the selected target. */
  retry(): void {
    if (this.fatal !== null || this.targetList === null) {
      void this.start();
    } else if (this.selectedTarget !== null) {
      void this.openTarget(this.selectedTarget);
    }
  }

  selectFile(index: number): void {
    if (this.review === null || index < 0 || index >= this.review.files.length) return;
    this.fileIndex = index;
    this.hunkIndex = null;
  }

  /** The review's file indices in the order the list shows them (the review's, or by risk). */
  #order(order: readonly number[] | null): readonly number[] {
    const count = this.review?.files.length ?? 0;
    return order !== null && order.length === count ? order : Array.from({ length: count }, (_, index) => index);
  }

  /** Moves to the next or previous file of the list, as it is ordered (`null`: the review's order). */
  stepFile(delta: 1 | -1, order: readonly number[] | null = null): void {
    const next = stepInOrder(this.#order(order), this.fileIndex, delta);
    if (next !== null && next !== this.fileIndex) this.selectFile(next);
  }

  /** Moves to the next or previous hunk, running on into the files of the list in its order. */
  stepHunk(delta: 1 | -1, order: readonly number[] | null = null): void {
    if (this.review === null) return;
    const shown = this.#order(order);
    const counts = this.review.files.map((_, index) => (this.isExpanded(index) ? (this.fileAt(index)?.hunks.length ?? 0) : 0));
    const next = stepHunkInOrder(shown, counts, { file: this.fileIndex ?? shown[0] ?? 0, hunk: this.hunkIndex }, delta);
    if (next === null) return;
    this.fileIndex = next.file;
    this.hunkIndex = next.hunk;
  }

  /** Keeps where the reviewer is in the review shown, for coming back to its target. */
  #rememberPlace(): void {
    const review = this.review;
    const file = this.fileIndex === null ? undefined : review?.files[this.fileIndex];
    if (review === null || file === undefined) return;
    this.#places = remember(this.#places, placeKey(review.target), { path: displayPath(file), hunk: this.hunkIndex });
  }

  stepTarget(delta: 1 | -1): void {
    const targets = this.targets;
    const current = targets.findIndex((info) => info.spec === this.selectedSpec);
    const next = stepIndex(current < 0 ? null : current, targets.length, delta);
    const info = next === null ? undefined : targets[next];
    if (info !== undefined && next !== current) void this.pickTarget(info.target);
  }

  #specOf(target: Target): string | null {
    return findTarget(this.targets, target)?.spec ?? null;
  }
}

/** The key a target's place is remembered under: the target itself (a commit by how it is spelled). */
function placeKey(target: Target): string {
  return JSON.stringify(target);
}
