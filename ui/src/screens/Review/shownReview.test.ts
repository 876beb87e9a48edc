import { describe, expect, it } from 'vitest';
import type { Review, Target } from '../../lib/bindings';
import { ShownReview } from './shownReview';

function reviewOf(target: Target): Review {
  return { target } as Review;
}

describe('ShownReview', () => {
  it('tells a reload of the same target from another target, and the same object from both', () => {
    const shown = new ShownReview();
    const first = reviewOf({ kind: 'worktree' });
    expect(shown.follow('/r', first)).toBe('other');
    expect(shown.follow('/r', first)).toBe('unchanged');
    // A live reload: a new object for an equal target (targets arrive as fresh JSON objects).
    expect(shown.follow('/r', reviewOf({ kind: 'worktree' }))).toBe('reloaded');
    expect(shown.follow('/r', reviewOf({ kind: 'commit', rev: 'HEAD' }))).toBe('other');
    expect(shown.follow('/other', reviewOf({ kind: 'commit', rev: 'HEAD' }))).toBe('other');
    expect(shown.follow('/other', null)).toBe('other');
    expect(shown.follow('/other', reviewOf({ kind: 'commit', rev: 'HEAD' }))).toBe('other');
  });

  it('says whether an answer about a target still applies, reloads included', () => {
    const shown = new ShownReview();
    shown.follow('/r', reviewOf({ kind: 'branch', name: 'x' }));
    shown.follow('/r', reviewOf({ kind: 'branch', name: 'x' }));
    expect(shown.isShowing('/r', { kind: 'branch', name: 'x' })).toBe(true);
    expect(shown.isShowing('/r', { kind: 'branch', name: 'y' })).toBe(false);
    expect(shown.isShowing('/s', { kind: 'branch', name: 'x' })).toBe(false);
  });
});
