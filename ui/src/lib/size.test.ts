import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount } from './size';

describe('formatBytes', () => {
  it('shows bytes below one kilobyte as they are', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1023)).toBe('1,023 B');
  });
  it('uses binary units, so the 1 MiB limit reads "1 MB"', () => {
    expect(formatBytes(1024)).toBe('1 KB');
    expect(formatBytes(1024 * 1024)).toBe('1 MB');
    expect(formatBytes(1024 * 1024 * 1024)).toBe('1 GB');
  });
  it('keeps one decimal below 100 and drops a trailing .0', () => {
    expect(formatBytes(4.2 * 1024 * 1024)).toBe('4.2 MB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12.04 * 1024 * 1024)).toBe('12 MB');
    expect(formatBytes(320.4 * 1024)).toBe('320 KB');
  });
  it('moves to the next unit instead of showing "1024 KB"', () => {
    expect(formatBytes(1024 * 1024 - 10)).toBe('1 MB');
  });
});

describe('formatCount', () => {
  it('groups thousands', () => {
    expect(formatCount(6000)).toBe('6,000');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});
