/** Commit times as a reviewer reads them: "5 min ago", "yesterday", "3 weeks ago", "12 Mar 2023". */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Says how long before `nowMs` (milliseconds since the epoch) the moment `seconds` (seconds since
 * the epoch, as git stores author times) was. Past a month it gives the UTC date instead. A time in
 * the future (clock skew between machines) reads as "just now" rather than a negative age.
 */
export function relativeTime(seconds: number, nowMs: number): string {
  const age = Math.floor(nowMs / 1000 - seconds);
  if (age < MINUTE) return 'just now';
  if (age < HOUR) return `${Math.floor(age / MINUTE)} min ago`;
  if (age < DAY) return `${Math.floor(age / HOUR)} h ago`;
  if (age < 2 * DAY) return 'yesterday';
  if (age < WEEK) return `${Math.floor(age / DAY)} days ago`;
  if (age < 5 * WEEK) {
    const weeks = Math.floor(age / WEEK);
    return weeks === 1 ? 'last week' : `${weeks} weeks ago`;
  }
  const date = new Date(seconds * 1000);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** The full local date and time, for a tooltip. */
export function absoluteTime(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString();
}
