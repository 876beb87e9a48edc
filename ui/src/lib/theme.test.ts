import { describe, expect, it } from 'vitest';
import { darkCondition } from './theme';

describe('darkCondition', () => {
  it('always, never, or as the system asks', () => {
    expect(darkCondition('dark')).toBe('all');
    expect(darkCondition('light')).toBe('not all');
    expect(darkCondition('system')).toBe('(prefers-color-scheme: dark)');
  });
});
