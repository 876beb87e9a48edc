/** The review screen's sidebar: its width (dragged or keyed, remembered) and whether it is shown. */

/** Where the width and the collapsed state are kept (localStorage). */
export const SIDEBAR_WIDTH_KEY = 'redline.sidebarWidth';
export const SIDEBAR_COLLAPSED_KEY = 'redline.sidebarCollapsed';
/** Where the file list's tree view choice is kept. */
export const FILE_TREE_KEY = 'redline.fileTree';

export const SIDEBAR_MIN = 240;
export const SIDEBAR_MAX = 640;
export const SIDEBAR_DEFAULT = 320;
/** What the diff keeps at least, however wide the sidebar is dragged. */
export const DIFF_MIN = 360;
/** One arrow-key step, and one with Shift. */
export const SIDEBAR_STEP = 16;
export const SIDEBAR_BIG_STEP = 64;

/** The widest the sidebar may be in a window `windowWidth` wide (never under the minimum). */
export function sidebarMax(windowWidth: number): number {
  return Math.max(SIDEBAR_MIN, Math.min(SIDEBAR_MAX, Math.round(windowWidth - DIFF_MIN)));
}

/** `width` within the bounds for the window, in whole pixels. */
export function clampSidebar(width: number, windowWidth: number): number {
  return Math.min(sidebarMax(windowWidth), Math.max(SIDEBAR_MIN, Math.round(width)));
}

/** The width when none was chosen: 320 px, narrower in a small window (30% of it, the minimum at least). */
export function defaultSidebar(windowWidth: number): number {
  return clampSidebar(Math.min(SIDEBAR_DEFAULT, Math.max(SIDEBAR_MIN, Math.round(windowWidth * 0.3))), windowWidth);
}

/** The stored width, or `null` when nothing usable was stored. */
export function parseSidebarWidth(stored: string | null): number | null {
  if (stored === null || !/^\d{2,4}$/.test(stored.trim())) return null;
  return Number(stored.trim());
}

/**
 * The width a key on the splitter asks for: ArrowLeft/ArrowRight a step (a bigger one with
 * Shift), Home/End the narrowest/widest. `null` for any other key.
 */
export function keyedWidth(key: string, shift: boolean, width: number, windowWidth: number): number | null {
  const step = shift ? SIDEBAR_BIG_STEP : SIDEBAR_STEP;
  switch (key) {
    case 'ArrowLeft':
      return clampSidebar(width - step, windowWidth);
    case 'ArrowRight':
      return clampSidebar(width + step, windowWidth);
    case 'Home':
      return SIDEBAR_MIN;
    case 'End':
      return sidebarMax(windowWidth);
    default:
      return null;
  }
}
