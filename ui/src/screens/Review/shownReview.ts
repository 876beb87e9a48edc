/**
 * Which review a state decorating it (notes, progress) is for. Each new review object is worth
 * asking again for (a live reload may have moved notes or changed hunks); only a review of
 * another target (or repository) starts from nothing.
 */
import type { Review, Target } from '../../lib/bindings';
import { sameTarget } from '../../lib/targetList';

export class ShownReview {
  repo: string | null = null;
  target: Target | null = null;
  #review: Review | null = null;

  /**
   * Follows `review` of `repo`: `unchanged` for the review already followed, `reloaded` for a
   * new copy of the same target, `other` for anything else (including nothing).
   */
  follow(repo: string | null, review: Review | null): 'unchanged' | 'reloaded' | 'other' {
    if (review === this.#review && repo === this.repo) return 'unchanged';
    const same = repo !== null && review !== null && this.isShowing(repo, review.target);
    this.#review = review;
    this.repo = repo;
    this.target = review?.target ?? null;
    return same ? 'reloaded' : 'other';
  }

  /** Still showing `target` of `repo` (reloads included): an answer about it still applies. */
  isShowing(repo: string, target: Target): boolean {
    return repo === this.repo && this.target !== null && sameTarget(this.target, target);
  }
}
