/**
 * The Explain panel's state: the model in use, the answer being streamed for the last request
 * and what became of it (done, stopped, failed), pinning it as a note, and what a request would
 * send (asked for when the reviewer opens "What will be sent").
 *
 * A model's answer is Markdown written by a program fed the code under review: it is shown only
 * as the core renders it (`previewMarkdown`: no raw HTML, no script, only http/https/mailto
 * links), also while it streams: the text so far is rendered again at most every
 * `RENDER_INTERVAL_MS`, and once more, whole, when the answer is complete.
 */
import { Channel } from '@tauri-apps/api/core';
import {
  commands,
  type ExplainEvent,
  type ExplainRequest,
  type HunkDone,
  type Explanation,
  type ModelStatus,
  type PlacedThread,
  type PreparedExplain,
  type Target,
} from '../../lib/bindings';
import { describeError, type ErrorView } from '../../lib/errorView';
import { canPin, explainId, sameRequest, withTeach } from '../../lib/explainRequest';
import { sameTarget } from '../../lib/targetList';
import { Throttle } from '../../lib/throttle';

/** How often a streaming answer is rendered again. */
export const RENDER_INTERVAL_MS = 150;

/** Where the last request stands. */
export type ExplainPhase = 'idle' | 'streaming' | 'done' | 'stopped' | 'failed';

export class ExplainState {
  /** The model explanations use; `null` when there is none (structural summaries). */
  model = $state.raw<ModelStatus | null>(null);
  /** The model was asked for and the answer arrived. */
  modelKnown = $state(false);
  modelError = $state.raw<ErrorView | null>(null);
  /** Asked for a learner: new requests, and the toggle that asks the last one again. */
  teach = $state(false);
  /** The request the panel shows the answer to. */
  request = $state.raw<ExplainRequest | null>(null);
  phase = $state<ExplainPhase>('idle');
  /** The answer's Markdown so far (whole once done). */
  text = $state('');
  /** `text` as the core rendered it (safe HTML), as of the last render. */
  html = $state<string | null>(null);
  /** The answer could not be rendered: the panel shows it as plain text. */
  renderFailed = $state(false);
  /** The finished answer, with its source, model and figures. */
  result = $state.raw<Explanation | null>(null);
  error = $state.raw<ErrorView | null>(null);
  /** Stop was pressed and the core has not answered yet. */
  stopping = $state(false);
  pinning = $state(false);
  /** The note the answer was pinned as. */
  pinned = $state.raw<PlacedThread | null>(null);
  pinError = $state.raw<ErrorView | null>(null);
  /** What a request would send, for the request it was asked for. */
  prepared = $state.raw<{ request: ExplainRequest; data: PreparedExplain } | null>(null);
  preparing = $state(false);
  prepareError = $state.raw<ErrorView | null>(null);

  /** "Explain every hunk": how far the queue got, and how it ended. */
  everyHunk = $state.raw<EveryHunkProgress | null>(null);

  #repo: string | null = null;
  /** The id Stop names to the core while every hunk is being explained. */
  #everyId: string | null = null;
  #target: Target | null = null;
  /** Counts requests: pieces and answers of an older one are dropped. */
  #asked = 0;
  /** The id Stop names to the core, while a request streams. */
  #id: string | null = null;
  #renders = 0;
  #renderShown = 0;
  #throttle = new Throttle(RENDER_INTERVAL_MS);
  #prepares = 0;
  #modelAsked = false;
  /** Called with the note an answer was pinned as (the notes reload). */
  readonly #onPinned: (placed: PlacedThread) => void;

  constructor(onPinned: (placed: PlacedThread) => void = () => undefined) {
    this.#onPinned = onPinned;
  }

  /** Follows the shown review: another target (or repository) stops and forgets the answer. */
  show(repo: string | null, target: Target | null): void {
    const same = repo === this.#repo && target !== null && this.#target !== null && sameTarget(target, this.#target);
    if (same) return;
    this.#repo = repo;
    this.#target = target;
    this.stop();
    this.#asked += 1;
    this.#throttle.cancel();
    this.request = null;
    this.phase = 'idle';
    this.#clearAnswer();
    this.prepared = null;
    this.prepareError = null;
  }

  /** Asks which model is in use, once (the panel opened). */
  async loadModel(): Promise<void> {
    if (this.#modelAsked) return;
    this.#modelAsked = true;
    try {
      const result = await commands.modelStatus();
      if (result.status === 'ok') this.model = result.data;
      else this.modelError = describeError(result.error);
    } catch (error) {
      this.modelError = describeError(error);
    }
    this.modelKnown = true;
  }

  /** Explains `request`, streaming the answer; a request still streaming is stopped. */
  async ask(request: ExplainRequest): Promise<void> {
    const repo = this.#repo;
    const target = this.#target;
    if (repo === null || target === null) return;
    this.stop();
    const asked = ++this.#asked;
    const id = explainId();
    this.#id = id;
    this.#throttle.cancel();
    this.request = request;
    this.teach = request.teach;
    this.phase = 'streaming';
    this.#clearAnswer();
    void this.loadModel();

    const channel = new Channel<ExplainEvent>();
    channel.onmessage = (event) => {
      if (asked !== this.#asked || event.kind !== 'token') return;
      this.text += event.text;
      this.#throttle.schedule(() => void this.#render(asked));
    };
    let failed: unknown = null;
    let answer: Explanation | null = null;
    try {
      const result = await commands.explain(repo, target, request, id, channel);
      if (result.status === 'ok') answer = result.data;
      else failed = result.error;
    } catch (error) {
      failed = error;
    }
    if (asked !== this.#asked) return;
    this.#id = null;
    const stopped = this.stopping;
    this.stopping = false;
    if (answer !== null) {
      // The answer is the whole text, whatever pieces arrived (or were still on their way).
      this.result = answer;
      this.text = answer.text;
      this.phase = 'done';
    } else {
      this.phase = stopped ? 'stopped' : 'failed';
      this.error = stopped ? null : describeError(failed);
    }
    this.#throttle.cancel();
    await this.#render(asked);
  }

  /** Explains every hunk of the review as a queue (the core runs two at a time); each answer
   * is cached, so asking for any hunk afterwards is instant. */
  async explainEveryHunk(): Promise<void> {
    const repo = this.#repo;
    const target = this.#target;
    if (repo === null || target === null || this.everyHunk?.state === 'running') return;
    const id = explainId();
    this.#everyId = id;
    this.everyHunk = { state: 'running', done: 0, total: 0, failed: 0, error: null };
    const channel = new Channel<HunkDone>();
    channel.onmessage = (event) => {
      if (this.#everyId !== id || this.everyHunk === null) return;
      this.everyHunk = {
        ...this.everyHunk,
        done: event.done,
        total: event.total,
        failed: this.everyHunk.failed + (event.explained ? 0 : 1),
      };
    };
    let outcome: EveryHunkProgress['state'] = 'done';
    let error: ErrorView | null = null;
    try {
      const result = await commands.explainEveryHunk(repo, target, this.teach, id, channel);
      if (result.status === 'error') {
        outcome = result.error.kind === 'cancelled' ? 'stopped' : 'failed';
        error = outcome === 'failed' ? describeError(result.error) : null;
      } else if (this.everyHunk !== null && result.data.length < this.everyHunk.total) {
        outcome = 'stopped';
      }
    } catch (failure) {
      outcome = 'failed';
      error = describeError(failure);
    }
    if (this.#everyId !== id || this.everyHunk === null) return;
    this.#everyId = null;
    this.everyHunk = { ...this.everyHunk, state: outcome, error };
  }

  /** Stops "explain every hunk"; what was explained stays cached. */
  stopEveryHunk(): void {
    const id = this.#everyId;
    if (id === null) return;
    commands.cancelExplain(id).catch(() => undefined);
  }

  /** Stops the request streaming, if any; its text so far stays. */
  stop(): void {
    const id = this.#id;
    if (id === null || this.phase !== 'streaming' || this.stopping) return;
    this.stopping = true;
    commands.cancelExplain(id).catch(() => undefined);
  }

  /** Asks the shown request again for a learner, or not (new requests follow the choice too). */
  async setTeach(teach: boolean): Promise<void> {
    this.teach = teach;
    const request = this.request;
    if (request !== null && request.teach !== teach) await this.ask(withTeach(request, teach));
  }

  /** The shown answer can be pinned: done, on lines (not the whole change), not pinned yet. */
  get canPin(): boolean {
    return this.phase === 'done' && this.request !== null && canPin(this.request) && this.pinned === null;
  }

  /** Pins the shown answer as a note of kind explanation. */
  async pin(): Promise<void> {
    const repo = this.#repo;
    const target = this.#target;
    const request = this.request;
    const answer = this.result;
    if (repo === null || target === null || request === null || answer === null || !canPin(request) || this.pinning) return;
    const asked = this.#asked;
    this.pinning = true;
    this.pinError = null;
    try {
      const result = await commands.pinExplanation(repo, target, request, answer.text, answer.model);
      if (asked !== this.#asked) return;
      if (result.status === 'ok') {
        this.pinned = result.data;
        this.#onPinned(result.data);
      } else {
        this.pinError = describeError(result.error);
      }
    } catch (error) {
      if (asked === this.#asked) this.pinError = describeError(error);
    } finally {
      if (asked === this.#asked) this.pinning = false;
    }
  }

  /** Asks what `request` would send, unless that is what is shown already. */
  async prepare(request: ExplainRequest): Promise<void> {
    const repo = this.#repo;
    const target = this.#target;
    if (repo === null || target === null) return;
    if (this.prepared !== null && sameRequest(this.prepared.request, request)) return;
    const asked = ++this.#prepares;
    this.preparing = true;
    this.prepareError = null;
    try {
      const result = await commands.prepareExplain(repo, target, request);
      if (asked !== this.#prepares) return;
      if (result.status === 'ok') this.prepared = { request, data: result.data };
      else this.prepareError = describeError(result.error);
    } catch (error) {
      if (asked === this.#prepares) this.prepareError = describeError(error);
    } finally {
      if (asked === this.#prepares) this.preparing = false;
    }
  }

  #clearAnswer(): void {
    this.text = '';
    this.html = null;
    this.renderFailed = false;
    this.result = null;
    this.error = null;
    this.stopping = false;
    this.pinned = null;
    this.pinning = false;
    this.pinError = null;
  }

  /** Renders the text so far through the core; a render finishing after a later one is dropped. */
  async #render(asked: number): Promise<void> {
    const text = this.text;
    const render = ++this.#renders;
    let html: string;
    try {
      html = await commands.previewMarkdown(text);
    } catch {
      if (asked === this.#asked && render > this.#renderShown) this.renderFailed = true;
      return;
    }
    if (asked !== this.#asked || render < this.#renderShown) return;
    this.#renderShown = render;
    this.html = html;
    this.renderFailed = false;
  }
}

/** How "explain every hunk" stands. */
export interface EveryHunkProgress {
  state: 'running' | 'done' | 'stopped' | 'failed';
  done: number;
  /** 0 until the first hunk is done (the core counts the queue first). */
  total: number;
  failed: number;
  error: ErrorView | null;
}
