import { describe, expect, it } from 'vitest';
import { opensSettings, type KeyInput } from './keys';

const press = (key: string, more: Partial<KeyInput> = {}): KeyInput => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: { tagName: 'BODY' },
  ...more,
});

describe('opensSettings', () => {
  it('is `,` alone, not while typing or with a modifier', () => {
    expect(opensSettings(press(','))).toBe(true);
    expect(opensSettings(press('.'))).toBe(false);
    expect(opensSettings(press(',', { ctrlKey: true }))).toBe(false);
    expect(opensSettings(press(',', { target: { tagName: 'INPUT' } }))).toBe(false);
    expect(opensSettings(press(',', { defaultPrevented: true }))).toBe(false);
  });
});
