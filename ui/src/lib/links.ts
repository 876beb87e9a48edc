/**
 * Links in rendered Markdown (note bodies, model answers, lessons) never navigate the window:
 * the window is the app, and a link in text the reviewer did not write (a model's answer, a
 * synced note) must not take it anywhere. The core keeps only http, https and mailto links; a
 * click on one is stopped here, and its address stays readable in its tooltip.
 */

/** What the handlers need of an element (an `Element` in the window, a stand-in in tests). */
interface LinkLike {
  title: string;
  getAttribute(name: string): string | null;
}
interface Closest {
  closest(selector: 'a'): LinkLike | null;
}

/** The link an event happened on or inside, if any. */
function linkOf(target: unknown): LinkLike | null {
  if (typeof target !== 'object' || target === null || typeof (target as Partial<Closest>).closest !== 'function') return null;
  return (target as Closest).closest('a');
}

/** For `onclick` and `onauxclick` on a container of rendered Markdown: a link does nothing. */
export function stopLinkNavigation(event: { target: unknown; preventDefault(): void }): void {
  if (linkOf(event.target) !== null) event.preventDefault();
}

/** For `onmouseover` and `onfocusin`: a link shows where it points, since following it is not offered. */
export function showLinkAddress(event: { target: unknown }): void {
  const link = linkOf(event.target);
  if (link === null || link.title !== '') return;
  const address = link.getAttribute('href');
  if (address !== null) link.title = `${address} (not opened from Redline)`;
}
