import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalescer';

/** A task whose runs finish only when the test says so. */
function gatedTask() {
  const gates: (() => void)[] = [];
  let runs = 0;
  const task = () =>
    new Promise<void>((resolve) => {
      runs += 1;
      gates.push(resolve);
    });
  return { task, runs: () => runs, finish: () => gates.shift()?.(), pending: () => gates.length };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Coalescer', () => {
  it('runs at once when idle', async () => {
    const gated = gatedTask();
    const coalescer = new Coalescer(gated.task);
    const done = coalescer.request();
    expect(gated.runs()).toBe(1);
    expect(coalescer.busy).toBe(true);
    gated.finish();
    await done;
    expect(coalescer.busy).toBe(false);
  });

  it('folds a burst during a run into one more run', async () => {
    const gated = gatedTask();
    const coalescer = new Coalescer(gated.task);
    const done = coalescer.request();
    for (let i = 0; i < 10; i++) void coalescer.request();
    expect(gated.runs()).toBe(1);
    gated.finish();
    await tick();
    expect(gated.runs()).toBe(2);
    gated.finish();
    await done;
    expect(gated.runs()).toBe(2);
    expect(coalescer.busy).toBe(false);
  });

  it('runs again for a request after the round ended', async () => {
    const gated = gatedTask();
    const coalescer = new Coalescer(gated.task);
    const first = coalescer.request();
    gated.finish();
    await first;
    const second = coalescer.request();
    expect(gated.runs()).toBe(2);
    gated.finish();
    await second;
  });

  it('passes a failing run on and accepts requests afterwards', async () => {
    let fail = true;
    let runs = 0;
    const coalescer = new Coalescer(async () => {
      runs += 1;
      if (fail) throw new Error('boom');
    });
    await expect(coalescer.request()).rejects.toThrow('boom');
    fail = false;
    await coalescer.request();
    expect(runs).toBe(2);
    expect(coalescer.busy).toBe(false);
  });
});
