import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Throttle } from './throttle';

describe('Throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the first action at once and the latest of the next ones once the interval is up', () => {
    const throttle = new Throttle(150);
    const runs: string[] = [];
    throttle.schedule(() => runs.push('a'));
    expect(runs).toEqual(['a']);
    throttle.schedule(() => runs.push('b'));
    throttle.schedule(() => runs.push('c'));
    expect(runs).toEqual(['a']);
    vi.advanceTimersByTime(149);
    expect(runs).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual(['a', 'c']);
    expect(throttle.pending).toBe(false);
  });

  it('runs at once again after a quiet interval', () => {
    const throttle = new Throttle(150);
    const runs: number[] = [];
    throttle.schedule(() => runs.push(1));
    vi.advanceTimersByTime(400);
    throttle.schedule(() => runs.push(2));
    expect(runs).toEqual([1, 2]);
  });

  it('flushes what is pending now, once', () => {
    const throttle = new Throttle(150);
    const runs: number[] = [];
    throttle.schedule(() => runs.push(1));
    throttle.schedule(() => runs.push(2));
    throttle.flush();
    expect(runs).toEqual([1, 2]);
    vi.advanceTimersByTime(500);
    throttle.flush();
    expect(runs).toEqual([1, 2]);
  });

  it('drops what is pending on cancel', () => {
    const throttle = new Throttle(150);
    const runs: number[] = [];
    throttle.schedule(() => runs.push(1));
    throttle.schedule(() => runs.push(2));
    throttle.cancel();
    vi.advanceTimersByTime(500);
    expect(runs).toEqual([1]);
  });
});
