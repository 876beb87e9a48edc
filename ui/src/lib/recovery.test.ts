import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { offersOtherRepository, recheckDelay, recheckUntilValid, recoversBySelf } from './recovery';

describe('which errors offer another repository', () => {
  it('offers one for errors about the repository as a whole, not for a file or a request', () => {
    expect(offersOtherRepository('emptyRepository')).toBe(true);
    expect(offersOtherRepository('notARepository')).toBe(true);
    expect(offersOtherRepository('demo')).toBe(true);
    expect(offersOtherRepository('fileNotInTarget')).toBe(false);
    expect(offersOtherRepository('exception')).toBe(false);
  });

  it('looks again by itself only where the repository can become valid', () => {
    expect(recoversBySelf('emptyRepository')).toBe(true);
    expect(recoversBySelf('pathNotFound')).toBe(true);
    expect(recoversBySelf('corruptRepository')).toBe(false);
    expect(recoversBySelf('git')).toBe(false);
  });
});

describe('recheckDelay', () => {
  it('doubles from one second to at most fifteen', () => {
    expect([0, 1, 2, 3, 4, 5, 40].map(recheckDelay)).toEqual([1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });
});

describe('recheckUntilValid', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('checks after each delay until valid, then reports once', async () => {
    const answers = [false, false, true];
    const check = vi.fn(() => Promise.resolve(answers.shift() ?? true));
    const onvalid = vi.fn();
    recheckUntilValid(check, onvalid, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(999);
    expect(check).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(check).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(check).toHaveBeenCalledTimes(2);
    expect(onvalid).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(4000);
    expect(check).toHaveBeenCalledTimes(3);
    expect(onvalid).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60000);
    expect(check).toHaveBeenCalledTimes(3);
  });

  it('stops when aborted, and takes a failed check as not yet', async () => {
    const check = vi.fn(() => Promise.reject(new Error('ipc closed')));
    const onvalid = vi.fn();
    const stop = new AbortController();
    recheckUntilValid(check, onvalid, stop.signal);
    await vi.advanceTimersByTimeAsync(3000);
    expect(check).toHaveBeenCalledTimes(2);
    stop.abort();
    await vi.advanceTimersByTimeAsync(60000);
    expect(check).toHaveBeenCalledTimes(2);
    expect(onvalid).not.toHaveBeenCalled();
  });
});
