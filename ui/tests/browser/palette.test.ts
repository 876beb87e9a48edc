/**
 * The command palette (Ctrl+K, or the header's Commands button) and the keys dialog (`?`), in a
 * real browser with the Tauri IPC mocked: actions run by part of their name, targets and files
 * opened by name, typed refs and ranges checked by the core (its error shown in the palette),
 * every key of the action registry listed, and focus given back where it was. Keyboard only,
 * except where the mouse is the point.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ACTION_LIST, keyLabel } from '../../src/lib/actions';
import { attributes } from './dom';
import { REPO_PATH, happyScenario, headReview, review, worktreeReview, type Scenario } from './fixtures';
import { callsOf, useApp, waitForAnswers } from './harness';

const { open } = useApp({ quiet: true });

const PALETTE = '[data-testid="command-palette"]';
const INPUT = '[data-testid="palette-input"]';
const OPTION = '[data-testid="palette-option"]';

const rangeReview = review({ kind: 'range', base: 'v1.2', head: 'v1.3', symmetric: false }, 'v1.2..v1.3', headReview.files);
const symmetricReview = review({ kind: 'range', base: 'main', head: 'agent/retry-queue', symmetric: true }, 'main...agent/retry-queue', headReview.files);

/** The demo repository with two tags a range can name. */
function scenario(): Scenario {
  const base = happyScenario();
  return {
    ...base,
    refs: ['HEAD', 'main', 'e4f5a6b', '9c8d7e6', 'agent/retry-queue', 'docs/readme', 'v1.2', 'v1.3'],
    openReview: { ...base.openReview, 'v1.2..v1.3': { ok: rangeReview }, 'main...agent/retry-queue': { ok: symmetricReview } },
  };
}

/** The app on the working tree's review, its diff drawn. */
async function ready(): Promise<Page> {
  const { page } = await open(scenario());
  await page.waitForSelector('[data-testid="diff-view"]');
  return page;
}

async function openPalette(page: Page): Promise<void> {
  await page.keyboard.press('Control+k');
  await page.waitForSelector(`${PALETTE} ${INPUT}:focus`);
}

/** The options shown: kind and label. */
async function options(page: Page): Promise<{ kind: string; label: string }[]> {
  return page.$$eval(OPTION, (items) => items.map((item) => ({ kind: item.getAttribute('data-kind') ?? '', label: item.querySelector('.label')?.textContent ?? '' })));
}

/** The option the combobox points at (aria-activedescendant), read through the ARIA wiring. */
async function activeOption(page: Page): Promise<{ kind: string; label: string; selected: string | null } | null> {
  return page.$eval(INPUT, (input) => {
    const id = input.getAttribute('aria-activedescendant');
    const option = id === null ? null : document.getElementById(id);
    if (option === null) return null;
    return { kind: option.getAttribute('data-kind') ?? '', label: option.querySelector('.label')?.textContent ?? '', selected: option.getAttribute('aria-selected') };
  });
}

/** Types `text` into the palette and waits for its first option to be `label`. */
async function typeFor(page: Page, text: string, label: string): Promise<void> {
  await page.fill(INPUT, text);
  await page.waitForFunction(
    ({ option, label }) => document.querySelector(option)?.querySelector('.label')?.textContent === label,
    { option: OPTION, label },
  );
}

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

describe('the command palette', () => {
  it('opens with Ctrl+K as a combobox over a listbox, and moves with the arrows', async () => {
    const page = await ready();
    await openPalette(page);
    expect(await page.getAttribute(INPUT, 'role')).toBe('combobox');
    const listId = await page.getAttribute(INPUT, 'aria-controls');
    expect(await page.getAttribute(`#${listId}`, 'role')).toBe('listbox');
    expect(await page.$$eval(`#${listId} > li`, (items) => items.every((item) => item.getAttribute('role') === 'option'))).toBe(true);

    // everything is offered: actions with their keys, the targets, the files
    const shown = await options(page);
    expect(shown[0]).toEqual({ kind: 'action', label: 'Next file' });
    expect(shown.filter((o) => o.kind === 'target').map((o) => o.label)).toEqual(happyTargets());
    expect(shown.filter((o) => o.kind === 'file').map((o) => o.label)).toEqual(worktreeReview.files.map((f) => f.newPath ?? f.oldPath));
    expect(await page.textContent(`${OPTION}[data-kind="action"] kbd`)).toBe('j');
    // the palette does not list itself
    expect(shown.some((o) => o.label === 'Command palette')).toBe(false);

    expect(await activeOption(page)).toEqual({ kind: 'action', label: 'Next file', selected: 'true' });
    await page.keyboard.press('ArrowDown');
    expect(await activeOption(page)).toEqual({ kind: 'action', label: 'Previous file', selected: 'true' });
    expect(await page.$$eval(`${OPTION}[aria-selected="true"]`, (items) => items.length)).toBe(1);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    // round to the last: the last file
    expect(await activeOption(page)).toEqual({ kind: 'file', label: worktreeReview.files.at(-1)?.oldPath ?? '', selected: 'true' });
  });

  it('runs an action by part of its name, then lists it first', async () => {
    const page = await ready();
    expect(await page.$('[data-testid="notes-panel"]')).toBeNull();
    await openPalette(page);
    await typeFor(page, 'notes pan', 'Show or hide the notes panel');
    // the matched letters are marked
    expect(await page.$$eval(`${OPTION}:first-child mark`, (marks) => marks.map((m) => m.textContent).join(''))).toBe('notespan');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="notes-panel"]');
    expect(await page.$(PALETTE)).toBeNull();

    await openPalette(page);
    expect((await options(page))[0]).toEqual({ kind: 'action', label: 'Show or hide the notes panel' });
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="notes-panel"]', { state: 'detached' });
  });

  it('opens a target by its subject', async () => {
    const page = await ready();
    await openPalette(page);
    await typeFor(page, 'vendor gov', 'Vendor governor, seed tenants, tune limits');
    await page.keyboard.press('Enter');
    await waitForAnswers(page, 'open_review', { target: { kind: 'commit', rev: 'e4f5a6b' } });
    await page.waitForSelector('.statusbar .spec:text-is("e4f5a6b")');
  });

  it('opens a file of the review by its path, its diff focused', async () => {
    const page = await ready();
    await openPalette(page);
    await typeFor(page, 'srvr', 'src/server.rs');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="file-item"][aria-selected="true"][data-path="src/server.rs"]');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'diff-view');
  });

  it('opens a typed range once the core says what it names', async () => {
    const page = await ready();
    await openPalette(page);
    await page.fill(INPUT, 'v1.2..v1.3');
    // a range is listed first, as what was typed
    expect((await options(page))[0]).toEqual({ kind: 'typed', label: 'v1.2..v1.3' });
    await page.waitForSelector('[data-testid="palette-typed-state"][data-state="ok"]');
    expect((await page.textContent('[data-testid="palette-typed-state"]'))?.trim()).toBe('a range');
    expect(await callsOf(page, 'resolve_target')).toEqual([{ repo: REPO_PATH, text: 'v1.2..v1.3' }]);
    await page.keyboard.press('Enter');
    await waitForAnswers(page, 'open_review', { target: { kind: 'range', base: 'v1.2', head: 'v1.3', symmetric: false } });
    await page.waitForSelector('.statusbar .spec:text-is("v1.2..v1.3")');
    expect(await page.$(PALETTE)).toBeNull();
  });

  it('opens a typed symmetric range at once with Enter, without waiting for the pause', async () => {
    const page = await ready();
    await openPalette(page);
    await page.fill(INPUT, 'main...agent/retry-queue');
    await page.keyboard.press('Enter');
    await waitForAnswers(page, 'open_review', { target: { kind: 'range', base: 'main', head: 'agent/retry-queue', symmetric: true } });
    expect(await callsOf(page, 'resolve_target')).toEqual([{ repo: REPO_PATH, text: 'main...agent/retry-queue' }]);
  });

  it("shows the core's error for a ref that names nothing, and opens nothing", async () => {
    const page = await ready();
    await openPalette(page);
    await page.fill(INPUT, 'mian');
    // not shaped like a ref: listed last, said to be none, its reason shown once reached with the arrows
    expect((await options(page)).at(-1)).toEqual({ kind: 'typed', label: 'mian' });
    await page.waitForSelector('[data-testid="palette-typed-state"][data-state="error"]');
    expect(await page.textContent('[data-testid="palette-typed-state"]')).toContain('not a ref or commit');
    expect(await page.$('[data-testid="palette-error"]')).toBeNull();
    await page.keyboard.press('ArrowUp');
    expect(await activeOption(page)).toEqual({ kind: 'typed', label: 'mian', selected: 'true' });
    await page.waitForSelector('[data-testid="palette-error"]');
    expect(await page.textContent('[data-testid="palette-error"]')).toBe(`unknown revision 'mian' in ${REPO_PATH}`);
    await page.keyboard.press('Enter');
    await waitForAnswers(page, 'resolve_target', { text: 'mian' });
    expect(await page.$(PALETTE)).not.toBeNull();
    expect((await callsOf(page, 'open_review')).map((call) => call.target)).toEqual([{ kind: 'worktree' }]);

    // either end of a range
    await page.fill(INPUT, 'v1.2..v9');
    await page.waitForSelector('[data-testid="palette-error"]:text-is("unknown revision \'v9\' in /home/dana/src/acme-api")');
    await page.fill(INPUT, 'main..');
    await page.waitForSelector('[data-testid="palette-error"]:text-is("invalid target \'main..\': a range needs both ends, e.g. main..HEAD")');
  });

  it('runs the search in the diff from its name', async () => {
    const page = await ready();
    await openPalette(page);
    await typeFor(page, 'search in', 'Search in the diff');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="diff-search-input"]:focus');
  });

  it('gives focus back where it was on Escape, also to a text field it opened from', async () => {
    const page = await ready();
    await page.focus('[data-testid="toggle-notes"]');
    await openPalette(page);
    await page.keyboard.press('Escape');
    await page.waitForSelector(PALETTE, { state: 'detached' });
    expect(await focusedTestId(page)).toBe('toggle-notes');

    // Ctrl+K works from a text field; its own keys (like ?) do not open anything
    await page.focus('[data-testid="file-filter"]');
    await page.keyboard.type('?');
    expect(await page.inputValue('[data-testid="file-filter"]')).toBe('?');
    expect(await page.$('[data-testid="keys-dialog"]')).toBeNull();
    await openPalette(page);
    await page.keyboard.press('Escape');
    await page.waitForSelector(PALETTE, { state: 'detached' });
    expect(await focusedTestId(page)).toBe('file-filter');
  });

  it('opens from the header button and runs a clicked option', async () => {
    const page = await ready();
    expect(await page.getAttribute('[data-testid="open-palette"]', 'title')).toContain('Ctrl+K');
    expect(await page.getAttribute('[data-testid="open-palette"]', 'aria-label')).toBe('Command palette');
    await page.click('[data-testid="open-palette"]');
    await page.waitForSelector(`${INPUT}:focus`);
    await page.fill(INPUT, 'explain panel');
    await page.click(`${OPTION}:has-text("Show or hide the explain panel")`);
    await page.waitForSelector('[data-testid="explain-panel"]');
  });
});

describe('the keys dialog', () => {
  it('lists every key of the action registry, grouped, and closes with Escape', async () => {
    const page = await ready();
    await page.focus('[data-testid="toggle-notes"]');
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid="keys-dialog"]');
    expect(await focusedTestId(page)).toBe('keys-close');

    const keyed = ACTION_LIST.filter((action) => action.key !== undefined);
    const rows = await page.$$eval('[data-testid="keys-row"]', (items) =>
      items.map((item) => ({
        group: item.closest('[data-testid="keys-group"]')?.getAttribute('data-group') ?? '',
        action: item.getAttribute('data-action') ?? '',
        key: item.querySelector('[data-testid="keys-key"]')?.textContent ?? '',
        label: item.querySelector('dd')?.textContent ?? '',
      })),
    );
    expect(rows).toEqual(keyed.map((action) => ({ group: action.group, action: action.id, key: keyLabel(action.key!, false), label: action.label })));
    expect(await attributes(page, '[data-testid="keys-group"]', 'data-group')).toEqual(['navigation', 'review', 'panels', 'view', 'search', 'window'].filter((g) => keyed.some((a) => a.group === g)));

    // focus stays inside: Tab from its only button comes back to it
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('keys-close');
    // its keys are its own: j does not move through the files behind it
    await page.keyboard.press('j');
    expect(await page.getAttribute('[data-testid="file-item"][aria-selected="true"]', 'data-path')).toBe(worktreeReview.files[0]?.newPath ?? null);

    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="keys-dialog"]', { state: 'detached' });
    expect(await focusedTestId(page)).toBe('toggle-notes');
  });

  it('opens from the status bar and the palette too', async () => {
    const page = await ready();
    await page.click('[data-testid="status-keys"]');
    await page.waitForSelector('[data-testid="keys-dialog"]');
    await page.click('[data-testid="keys-close"]');
    await page.waitForSelector('[data-testid="keys-dialog"]', { state: 'detached' });
    await openPalette(page);
    await typeFor(page, 'keyboard', 'Keyboard shortcuts');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="keys-dialog"]');
  });
});

function happyTargets(): string[] {
  const list = happyScenario().listTargets;
  if (Array.isArray(list) || !('ok' in list)) throw new Error('the happy scenario lists its targets once');
  return list.ok.targets.map((t) => t.title);
}
