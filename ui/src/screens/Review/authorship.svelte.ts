/**
 * Who wrote the open review's hunks, and which of the listed commits an agent wrote: asked for
 * once the review (or the target list) is drawn, applied when the answer arrives. Nothing waits
 * for it, an answer for a review no longer shown is dropped, and a failure shows no pills.
 */
import { commands, type CommitProvenance, type HunkAuthorship, type Review, type TargetAgents, type TargetInfo, type UncommittedEvidence } from '../../lib/bindings';
import { agentsByFile, agentsByHunk } from '../../lib/authorship';
import { LatestRequest } from '../../lib/latest';
import { isUncommitted, withEvidence } from '../../lib/uncommitted';

export class AuthorshipState {
  /** The AI-written hunks of the shown review, by hunk id. */
  hunks = $state.raw<ReadonlyMap<string, HunkAuthorship>>(new Map());
  /** The agents of each file's AI-written hunks, by display path. */
  files = $state.raw<ReadonlyMap<string, string[]>>(new Map());
  /** HEAD's recent history with its attribution, newest first. */
  history = $state.raw<readonly CommitProvenance[]>([]);
  /** The agents of the listed branches and ranges, by spec. */
  targetAgents = $state.raw<ReadonlyMap<string, TargetAgents>>(new Map());
  /** The spec of the review whose authorship answer has arrived (what tests wait on). */
  answered = $state<string | null>(null);
  /**
   * What says the uncommitted changes are an agent's (`null` until known, or when the list has
   * no uncommitted target): without it, uncommitted hunks are a person's as much as an agent's.
   */
  evidence = $state.raw<UncommittedEvidence | null>(null);

  /** The shown review's authorship as the core gave it, and whether it is uncommitted. */
  #list: readonly HunkAuthorship[] = [];
  #uncommitted = false;
  #evidence = new LatestRequest();

  #review = new LatestRequest();
  /** The repository and target the shown pills are for. */
  #shownFor: string | null = null;
  #history = new LatestRequest();
  #targetAgents = new LatestRequest();

  /** Asks who wrote the hunks of `review` (nothing for `null` or a review without hunks). */
  show(repo: string | null, review: Review | null): void {
    const hunkIds = review?.files.flatMap((f) => f.hunks.map((h) => h.id)) ?? [];
    if (repo === null || review === null || hunkIds.length === 0) {
      this.#review.reset();
      this.#shownFor = null;
      this.hunks = new Map();
      this.files = new Map();
      this.answered = review?.spec ?? null;
      return;
    }
    const current = this.#review.begin(JSON.stringify([repo, review.target, hunkIds]));
    if (current === null) return;
    this.answered = null;
    // The same target reloaded keeps its pills until the new answer arrives; another target
    // (whose hunks may share ids with this one's) starts without.
    const shownFor = JSON.stringify([repo, review.target]);
    if (shownFor !== this.#shownFor) {
      this.hunks = new Map();
      this.files = new Map();
    }
    this.#shownFor = shownFor;
    void commands.authorship(repo, review.target).then(
      (result) => {
        if (!current()) return;
        this.#list = result.status === 'ok' ? result.data : [];
        this.#uncommitted = isUncommitted(review.target);
        this.#apply();
        this.answered = review.spec;
      },
      () => undefined,
    );
  }

  /** The pills of the shown review: uncommitted hunks named as the evidence says. */
  #apply(): void {
    const list = this.#uncommitted ? withEvidence(this.#list, this.evidence) : this.#list;
    this.hunks = agentsByHunk(list);
    this.files = agentsByFile(list);
  }

  /**
   * Asks what says the uncommitted changes are an agent's, when the list has an uncommitted
   * target (each time it reloads: an agent may have started or stopped).
   */
  showEvidence(repo: string | null, targets: readonly TargetInfo[] | null): void {
    const uncommitted = targets?.filter((t) => isUncommitted(t.target)) ?? [];
    if (repo === null || uncommitted.length === 0) {
      this.#evidence.reset();
      this.evidence = null;
      this.#apply();
      return;
    }
    const current = this.#evidence.begin(JSON.stringify([repo, uncommitted.map((t) => [t.spec, t.detail]), Date.now()]));
    if (current === null) return;
    void commands.uncommittedEvidence(repo).then(
      (result) => {
        if (!current()) return;
        this.evidence = result.status === 'ok' ? result.data : null;
        this.#apply();
      },
      () => undefined,
    );
  }

  /**
   * Asks for the attribution of HEAD's recent history, which the commit targets come from, and
   * for the agents of the listed branches and ranges.
   */
  showHistory(repo: string | null, targets: readonly TargetInfo[] | null): void {
    this.#showBranches(repo, targets);
    const commits = targets?.filter((t) => t.target.kind === 'commit') ?? [];
    if (repo === null || commits.length === 0) {
      this.#history.reset();
      this.history = [];
      return;
    }
    const current = this.#history.begin(JSON.stringify([repo, commits.map((t) => [t.spec, t.detail])]));
    if (current === null) return;
    void commands.provenance(repo, null).then(
      (result) => {
        if (!current()) return;
        this.history = result.status === 'ok' ? result.data.commits : [];
      },
      () => undefined,
    );
  }

  #showBranches(repo: string | null, targets: readonly TargetInfo[] | null): void {
    const ranges = targets?.filter((t) => t.target.kind === 'branch' || t.target.kind === 'range') ?? [];
    if (repo === null || ranges.length === 0) {
      this.#targetAgents.reset();
      this.targetAgents = new Map();
      return;
    }
    // a branch's detail says how far ahead it is: it changes when the branch moves
    const current = this.#targetAgents.begin(JSON.stringify([repo, ranges.map((t) => [t.spec, t.detail])]));
    if (current === null) return;
    void commands.targetAgents(
      repo,
      ranges.map((t) => t.target),
    ).then(
      (result) => {
        if (!current()) return;
        this.targetAgents = new Map(result.status === 'ok' ? result.data.map((agents) => [agents.spec, agents]) : []);
      },
      () => undefined,
    );
  }
}
