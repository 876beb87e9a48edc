/** Sizes and counts as people read them: "4.2 MB", "6,000". */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;
const GROUPED = new Intl.NumberFormat('en-US');

/**
 * A byte count in binary units (1 KB = 1024 bytes, as the core's limits are set), with one
 * decimal below 100 and none when it is `.0`: "512 B", "1 MB", "4.2 MB", "320 KB".
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  while (unit < UNITS.length - 1 && roundForDisplay(value) >= 1024) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${GROUPED.format(Math.round(value))} B`;
  return `${roundForDisplay(value)} ${UNITS[unit]}`;
}

function roundForDisplay(value: number): number {
  return value >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
}

/** A count with thousands separators: "6,000". */
export function formatCount(n: number): string {
  return GROUPED.format(n);
}
