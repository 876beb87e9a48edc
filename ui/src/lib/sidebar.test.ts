import { describe, expect, it } from 'vitest';
import { SIDEBAR_MAX, SIDEBAR_MIN, clampSidebar, defaultSidebar, keyedWidth, parseSidebarWidth, sidebarMax } from './sidebar';

describe('sidebar width', () => {
  it('stays within its bounds, leaving the diff room', () => {
    expect(clampSidebar(50, 1280)).toBe(SIDEBAR_MIN);
    expect(clampSidebar(2000, 1280)).toBe(SIDEBAR_MAX);
    expect(clampSidebar(300.4, 1280)).toBe(300);
    expect(sidebarMax(720)).toBe(360);
    // A tiny window: the minimum still holds.
    expect(sidebarMax(400)).toBe(SIDEBAR_MIN);
  });
  it('defaults to 320 px, narrower in a small window', () => {
    expect(defaultSidebar(1280)).toBe(320);
    expect(defaultSidebar(720)).toBe(SIDEBAR_MIN);
    expect(defaultSidebar(1000)).toBe(300);
  });
  it('reads back only a stored number of pixels', () => {
    expect(parseSidebarWidth('280')).toBe(280);
    expect(parseSidebarWidth(null)).toBeNull();
    expect(parseSidebarWidth('wide')).toBeNull();
    expect(parseSidebarWidth('-5')).toBeNull();
  });
  it('moves by keys', () => {
    expect(keyedWidth('ArrowRight', false, 300, 1280)).toBe(316);
    expect(keyedWidth('ArrowLeft', true, 320, 1280)).toBe(256);
    expect(keyedWidth('ArrowLeft', false, SIDEBAR_MIN, 1280)).toBe(SIDEBAR_MIN);
    expect(keyedWidth('Home', false, 300, 1280)).toBe(SIDEBAR_MIN);
    expect(keyedWidth('End', false, 300, 1280)).toBe(SIDEBAR_MAX);
    expect(keyedWidth('Enter', false, 300, 1280)).toBeNull();
  });
});
