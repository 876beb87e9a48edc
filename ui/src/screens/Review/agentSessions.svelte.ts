/**
 * The repository's agent sessions, for the timeline: each turn with its stats, the notes written
 * on it and the notes it claimed addressed. Asked for once the repository is known and again
 * whenever what they count may have changed (a new snapshot moves the refs and reloads the target
 * list; a note written or claimed changes the counts). "Mark turn" records the working tree as
 * the end of a turn of the latest session. An answer for a repository no longer shown, or older
 * than the latest request, is dropped.
 */
import { commands, type AgentSession, type Turn } from '../../lib/bindings';
import { describeError, type ErrorView } from '../../lib/errorView';

/** What the last "Mark turn" did: recorded a new turn, or found nothing new since `turn`. */
export interface MarkResult {
  created: boolean;
  turn: Turn | null;
}

export class AgentSessionsState {
  /** The sessions, the most recent first; `null` until they arrive. */
  sessions = $state.raw<AgentSession[] | null>(null);
  marking = $state(false);
  marked = $state.raw<MarkResult | null>(null);
  /** The last failure: listing the sessions or marking a turn. */
  error = $state.raw<ErrorView | null>(null);

  #repo: string | null = null;
  #request = 0;

  /** Lists the sessions of `repo`; a repository already shown is listed again. */
  show(repo: string | null): void {
    if (repo !== this.#repo) {
      this.#repo = repo;
      this.sessions = null;
      this.marked = null;
      this.marking = false;
      this.error = null;
    }
    void this.reload();
  }

  async reload(): Promise<void> {
    const repo = this.#repo;
    const request = ++this.#request;
    if (repo === null) return;
    try {
      const result = await commands.agentSessions(repo);
      if (request !== this.#request || repo !== this.#repo) return;
      if (result.status === 'ok') this.sessions = result.data;
      else this.error = describeError(result.error);
    } catch (error) {
      if (request === this.#request && repo === this.#repo) this.error = describeError(error);
    }
  }

  /** Records the working tree as the end of a turn of `session`, then lists the sessions again. */
  async markTurn(session: string | null): Promise<void> {
    const repo = this.#repo;
    if (repo === null || this.marking) return;
    this.marking = true;
    this.error = null;
    this.marked = null;
    try {
      const result = await commands.markTurn(repo, session);
      if (repo !== this.#repo) return;
      if (result.status === 'error') {
        this.error = describeError(result.error);
        return;
      }
      this.marked = { created: result.data.created, turn: result.data.turn };
    } catch (error) {
      if (repo === this.#repo) this.error = describeError(error);
      return;
    } finally {
      if (repo === this.#repo) this.marking = false;
    }
    await this.reload();
  }

  dismissMarked(): void {
    this.marked = null;
  }
}
