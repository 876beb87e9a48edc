import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Debouncer } from './debounce';

describe('Debouncer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs only the last action, once the delay has passed without another', () => {
    const runs: string[] = [];
    const debouncer = new Debouncer(400);
    debouncer.schedule(() => runs.push('a'));
    vi.advanceTimersByTime(300);
    debouncer.schedule(() => runs.push('ab'));
    vi.advanceTimersByTime(399);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual(['ab']);
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual(['ab']);
  });

  it('runs the pending action at once on flush, and nothing after a cancel', () => {
    const runs: string[] = [];
    const debouncer = new Debouncer(400);
    debouncer.schedule(() => runs.push('x'));
    expect(debouncer.pending).toBe(true);
    debouncer.flush();
    expect(runs).toEqual(['x']);
    expect(debouncer.pending).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual(['x']);
    debouncer.schedule(() => runs.push('y'));
    debouncer.cancel();
    vi.advanceTimersByTime(1000);
    debouncer.flush();
    expect(runs).toEqual(['x']);
  });
});
