import { describe, expect, it } from 'vitest';
import { countOf } from './plural';

describe('countOf', () => {
  it('uses the singular for exactly one', () => {
    expect(countOf(1, 'file', 'files')).toBe('1 file');
    expect(countOf(0, 'file', 'files')).toBe('0 files');
    expect(countOf(12, 'hunk', 'hunks')).toBe('12 hunks');
  });
});
