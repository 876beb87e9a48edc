import { describe, expect, it } from 'vitest';
import { relativeTime } from './relativeTime';

// 2024-06-15T12:00:00Z
const NOW_MS = Date.UTC(2024, 5, 15, 12, 0, 0);
const now = NOW_MS / 1000;

describe('relativeTime', () => {
  it('says "just now" under a minute, and for times in the future', () => {
    expect(relativeTime(now, NOW_MS)).toBe('just now');
    expect(relativeTime(now - 59, NOW_MS)).toBe('just now');
    expect(relativeTime(now + 3600, NOW_MS)).toBe('just now');
  });
  it('counts minutes and hours, rounding down', () => {
    expect(relativeTime(now - 60, NOW_MS)).toBe('1 min ago');
    expect(relativeTime(now - 59 * 60 - 59, NOW_MS)).toBe('59 min ago');
    expect(relativeTime(now - 3600, NOW_MS)).toBe('1 h ago');
    expect(relativeTime(now - 23 * 3600 - 3599, NOW_MS)).toBe('23 h ago');
  });
  it('says "yesterday", then days, then weeks', () => {
    expect(relativeTime(now - 24 * 3600, NOW_MS)).toBe('yesterday');
    expect(relativeTime(now - 2 * 86400, NOW_MS)).toBe('2 days ago');
    expect(relativeTime(now - 6 * 86400, NOW_MS)).toBe('6 days ago');
    expect(relativeTime(now - 7 * 86400, NOW_MS)).toBe('last week');
    expect(relativeTime(now - 20 * 86400, NOW_MS)).toBe('2 weeks ago');
  });
  it('gives the UTC date past five weeks', () => {
    expect(relativeTime(Date.UTC(2024, 2, 12, 23, 30) / 1000, NOW_MS)).toBe('12 Mar 2024');
    expect(relativeTime(0, NOW_MS)).toBe('1 Jan 1970');
  });
});
