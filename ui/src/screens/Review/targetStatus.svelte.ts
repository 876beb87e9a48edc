/**
 * The review status of each listed target (approved, changes requested, stale) and its
 * coverage, asked for each time the target list is drawn and after the reviewer decides or
 * marks hunks; the latest answer wins and a failure shows no badges.
 */
import { commands, type TargetInfo, type TargetStatus } from '../../lib/bindings';
import { Debouncer } from '../../lib/debounce';
import { LatestRequest } from '../../lib/latest';
import { findTarget } from '../../lib/targetList';

export class TargetStatusState {
  /** Statuses of the targets that have a review, by spec. */
  statuses = $state.raw<ReadonlyMap<string, TargetStatus>>(new Map());

  #latest = new LatestRequest();
  #repo: string | null = null;
  #targets: readonly TargetInfo[] | null = null;
  #generation = 0;
  /** Marking hunks one after another (`v`, `n`, `v` …) asks once they pause. */
  #soon = new Debouncer(800);

  /** Asks for the statuses of `targets` (each new list asks again). */
  show(repo: string | null, targets: readonly TargetInfo[] | null): void {
    if (repo === this.#repo && targets === this.#targets) return;
    this.#repo = repo;
    this.#targets = targets;
    this.refresh();
  }

  /** Asks again once changes pause: a viewed mark changed the open target's coverage. */
  refreshSoon(): void {
    this.#soon.schedule(() => this.refresh());
  }

  /** Asks again: a decision or a note changed the open target's status. */
  refresh(): void {
    this.#soon.cancel();
    const repo = this.#repo;
    const targets = this.#targets;
    if (repo === null || targets === null || targets.length === 0) {
      this.#latest.reset();
      this.statuses = new Map();
      return;
    }
    const current = this.#latest.begin(JSON.stringify([repo, targets.map((t) => t.spec), ++this.#generation]));
    if (current === null) return;
    void commands.targetStatuses(
      repo,
      targets.map((t) => t.target),
    ).then(
      (result) => {
        if (!current()) return;
        const bySpec = new Map<string, TargetStatus>();
        if (result.status === 'ok') {
          for (const status of result.data) {
            const info = findTarget(targets, status.target);
            if (info !== undefined) bySpec.set(info.spec, status);
          }
        }
        this.statuses = bySpec;
      },
      () => undefined,
    );
  }
}
