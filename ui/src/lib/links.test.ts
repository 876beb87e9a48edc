import { describe, expect, it } from 'vitest';
import { showLinkAddress, stopLinkNavigation } from './links';

/** A stand-in for an element inside (or not inside) a link. */
function inside(link: { title: string; href: string | null } | null) {
  const anchor = link === null ? null : { title: link.title, getAttribute: (name: string) => (name === 'href' ? link.href : null) };
  return { closest: (selector: string) => (selector === 'a' ? anchor : null), anchor };
}

function click(target: unknown) {
  let prevented = false;
  stopLinkNavigation({ target, preventDefault: () => (prevented = true) });
  return prevented;
}

describe('stopLinkNavigation', () => {
  it('stops a click on or inside a link', () => {
    expect(click(inside({ title: '', href: 'https://example.com' }))).toBe(true);
  });
  it('leaves other clicks alone', () => {
    expect(click(inside(null))).toBe(false);
    expect(click(null)).toBe(false);
    expect(click({})).toBe(false);
  });
});

describe('showLinkAddress', () => {
  it('puts the address in the tooltip once', () => {
    const element = inside({ title: '', href: 'https://example.com/a' });
    showLinkAddress({ target: element });
    expect(element.anchor?.title).toBe('https://example.com/a (not opened from Redline)');
    const titled = inside({ title: 'kept', href: 'https://example.com/b' });
    showLinkAddress({ target: titled });
    expect(titled.anchor?.title).toBe('kept');
  });
});
