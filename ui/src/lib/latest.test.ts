import { describe, expect, it } from 'vitest';
import { LatestRequest } from './latest';

describe('LatestRequest', () => {
  it('asks once per key and applies only the latest answer', () => {
    const latest = new LatestRequest();
    const first = latest.begin('a');
    expect(first?.()).toBe(true);
    expect(latest.begin('a')).toBeNull();
    const second = latest.begin('b');
    expect(first?.()).toBe(false);
    expect(second?.()).toBe(true);
  });

  it('drops answers on their way after a reset and asks again', () => {
    const latest = new LatestRequest();
    const first = latest.begin('a');
    latest.reset();
    expect(first?.()).toBe(false);
    expect(latest.begin('a')?.()).toBe(true);
  });
});
