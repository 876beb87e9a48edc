/**
 * Reading a diff, with the Tauri IPC mocked: Ctrl+F searches the shown file (or every loaded file
 * of the review), its matches marked in added, removed and context lines over the changed-word
 * marks and the syntax colours without changing a line's text; hunk headers stick under the file
 * header inside a long hunk; the current hunk is marked and focusable; a live change that lands
 * below the visible area is announced by a pill that scrolls to it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FileDiff, FileHighlights, HighlightClass, HighlightSpan, WatchEvent } from '../../src/lib/bindings';
import { expectedHunks, shownHunks } from './dom';
import { handlersLong, happyScenario, hunk, limitsModified, review, serverModified, type Scenario } from './fixtures';
import { useApp, waitForAnswers } from './harness';

const { open } = useApp({ quiet: true });

/** Spans over the words of one line of `diff` on `side` (each word's first occurrence). */
function spans(diff: FileDiff, side: 'old' | 'new', line: number, words: [string, HighlightClass][]): HighlightSpan[] {
  const text = diff.hunks
    .flatMap((h) => h.lines)
    .find((l) => (side === 'old' ? l.oldLine === line && l.kind !== 'added' : l.newLine === line && l.kind !== 'removed'))?.text;
  if (text === undefined) throw new Error(`no ${side} line ${line}`);
  const bytes = new TextEncoder();
  return words.map(([word, cls]) => {
    const at = text.indexOf(word);
    if (at < 0) throw new Error(`no ${word} in ${text}`);
    const start = bytes.encode(text.slice(0, at)).length;
    return { line, start, end: start + bytes.encode(word).length, class: cls };
  });
}

/** src/limits.rs coloured: a removed and an added line whose changed words are also tokens, and a context line. */
const limitsHighlights: { old: FileHighlights; new: FileHighlights } = {
  old: {
    spans: spans(limitsModified, 'old', 7, [
      ['pub', 'keyword'],
      ['window_secs', 'variable'],
      ['u32', 'type'],
    ]),
    notParsed: null,
  },
  new: {
    spans: [
      ...spans(limitsModified, 'new', 5, [['u32', 'type']]),
      ...spans(limitsModified, 'new', 7, [
        ['pub', 'keyword'],
        ['u64', 'type'],
      ]),
    ],
    notParsed: null,
  },
};

/** The working tree holds the limits (shown first), a file with a long hunk, and the server. */
function searchScenario(reviews: FileDiff[][] = [[limitsModified, handlersLong(), serverModified]]): Scenario {
  const scenario = happyScenario();
  return {
    ...scenario,
    openReview: { ...scenario.openReview, worktree: reviews.map((files) => ({ ok: review({ kind: 'worktree' }, 'worktree', files) })) },
    highlight: {
      [limitsModified.oldId!]: { ok: limitsHighlights.old },
      [limitsModified.newId!]: { ok: limitsHighlights.new },
    },
  };
}

const HIT = '[data-testid="diff-view"] [data-testid="search-hit"]';

/** Per match mark: its line's kind, its match number, whether it is current, its text. */
async function hits(page: Page): Promise<[string, number, boolean, string][]> {
  return page.$$eval(HIT, (marks) =>
    marks.map((mark): [string, number, boolean, string] => [
      mark.closest('[data-testid="diff-line"]')?.getAttribute('data-kind') ?? '',
      Number(mark.getAttribute('data-match')),
      mark.classList.contains('current'),
      mark.textContent ?? '',
    ]),
  );
}

const count = (page: Page) => page.textContent('[data-testid="diff-search-count"]');

async function search(page: Page, query: string): Promise<void> {
  await page.fill('[data-testid="diff-search-input"]', query);
}

/** Whether the element's box lies in the pane, below its sticky top (file header, search bar). */
async function inView(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (element) => {
    const pane = element.closest('[data-testid="diff-view"]')!;
    const top = pane.querySelector('[data-testid="diff-top"]')!.getBoundingClientRect().bottom;
    const bottom = pane.getBoundingClientRect().bottom;
    const box = element.getBoundingClientRect();
    return box.top >= top && box.bottom <= bottom;
  });
}

async function openSearch(page: Page): Promise<void> {
  await page.keyboard.press('Control+f');
  await page.waitForSelector('[data-testid="diff-search-input"]');
}

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

describe('search in the diff', () => {
  it('opens with Ctrl+F focused, and marks matches in context, removed and added lines with a count', async () => {
    const { page } = await open(searchScenario());
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/limits.rs"]');
    expect(await page.$('[data-testid="diff-search"]')).toBeNull();

    await openSearch(page);
    expect(await focusedTestId(page)).toBe('diff-search-input');
    expect(await count(page)).toBe('');

    // "u32" in a context line and a removed one, "u64" in an added one.
    await page.click('[data-testid="diff-search-regex"]');
    await search(page, 'u\\d\\d');
    await expect.poll(() => count(page)).toBe('1 of 3');
    expect(await hits(page)).toEqual([
      ['context', 0, true, 'u32'],
      ['removed', 1, false, 'u32'],
      ['added', 2, false, 'u64'],
    ]);
    expect(await page.getAttribute('[data-testid="diff-search-regex"]', 'aria-pressed')).toBe('true');
    // The lines read exactly as before.
    expect(await shownHunks(page)).toEqual(expectedHunks(limitsModified));
  });

  it('steps with Enter, Shift+Enter, F3 and Shift+F3, wrapping around', async () => {
    const { page } = await open(searchScenario());
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/limits.rs"]');
    await openSearch(page);
    await search(page, 'window_secs');
    await expect.poll(() => count(page)).toBe('1 of 4');
    const current = async () => (await hits(page)).filter(([, , isCurrent]) => isCurrent).map(([kind, n]) => `${kind} ${n}`);
    expect(await current()).toEqual(['removed 0']);

    await page.keyboard.press('Enter');
    expect(await count(page)).toBe('2 of 4');
    expect(await current()).toEqual(['added 1']);
    await page.keyboard.press('F3');
    expect(await count(page)).toBe('3 of 4');
    await page.keyboard.press('Shift+Enter');
    expect(await count(page)).toBe('2 of 4');
    await page.keyboard.press('Shift+F3');
    await page.keyboard.press('Shift+F3');
    expect(await count(page)).toBe('4 of 4');
    expect(await current()).toEqual(['added 3']);
    await page.keyboard.press('Enter');
    expect(await count(page)).toBe('1 of 4');
    // F3 works from outside the field too, and the buttons step as well.
    await page.click('[data-testid="diff-search-next"]');
    expect(await count(page)).toBe('2 of 4');
    await page.click('[data-testid="diff-search-prev"]');
    expect(await count(page)).toBe('1 of 4');
    await page.keyboard.press('F3');
    expect(await count(page)).toBe('2 of 4');
    expect(await page.getAttribute(`${HIT}[aria-current="true"]`, 'data-match')).toBe('1');
  });

  it('brings the current match into view in a long file', async () => {
    const { page } = await open(searchScenario());
    await page.click('[data-testid="file-item"][data-path="src/handlers.rs"]');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/handlers.rs"]');
    await openSearch(page);
    await search(page, 'quota');
    // Line 10, the added route (twice), line 170, and the second hunk.
    await expect.poll(() => count(page)).toBe('1 of 5');
    expect(await inView(page, `${HIT}.current`)).toBe(true);
    const scrolledTo: number[] = [];
    for (const expected of ['2 of 5', '3 of 5', '4 of 5', '5 of 5']) {
      await page.keyboard.press('Enter');
      expect(await count(page)).toBe(expected);
      expect(await inView(page, `${HIT}.current`), expected).toBe(true);
      scrolledTo.push(await page.$eval('[data-testid="diff-view"]', (view) => view.scrollTop));
    }
    // It moved down the file to get there.
    expect(scrolledTo[0]).toBeGreaterThan(0);
    expect(scrolledTo[2]!).toBeGreaterThan(scrolledTo[0]!);
    // And back to the top on wrapping around.
    await page.keyboard.press('Enter');
    expect(await count(page)).toBe('1 of 5');
    expect(await inView(page, `${HIT}.current`)).toBe(true);
  });

  it('matches literally unless regex is on, and ignores case unless asked', async () => {
    const { page } = await open(searchScenario());
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/limits.rs"]');
    await openSearch(page);

    // Literal: the dot and brackets mean themselves.
    await search(page, '[limits]');
    await expect.poll(() => count(page)).toBe('1 of 1');
    expect((await hits(page)).map(([, , , text]) => text)).toEqual(['[limits]']);
    await search(page, 'u\\d\\d');
    await expect.poll(() => count(page)).toBe('No results');
    expect(await hits(page)).toEqual([]);

    // Case: "limits" finds "limits", "[limits]" and "Limits"; with case on, only the exact one.
    await search(page, 'LIMITS');
    await expect.poll(() => count(page)).toBe('1 of 3');
    await page.click('[data-testid="diff-search-case"]');
    await expect.poll(() => count(page)).toBe('No results');
    expect(await page.getAttribute('[data-testid="diff-search-case"]', 'aria-pressed')).toBe('true');
    await search(page, 'Limits');
    await expect.poll(() => count(page)).toBe('1 of 1');
    expect(await hits(page)).toEqual([['context', 0, true, 'Limits']]);

    // Regex: alternatives; an invalid expression says so and marks nothing.
    await page.click('[data-testid="diff-search-regex"]');
    await search(page, 'f32|f64');
    await expect.poll(() => count(page)).toBe('1 of 2');
    expect((await hits(page)).map(([kind, , , text]) => `${kind} ${text}`)).toEqual(['removed f32', 'added f64']);
    await search(page, 'per_second: (');
    await expect.poll(() => count(page)).toBe('Invalid expression');
    expect(await page.getAttribute('[data-testid="diff-search-input"]', 'aria-invalid')).toBe('true');
    expect(await hits(page)).toEqual([]);
  });

  it('marks matches over the changed-word marks and the syntax colours, the text unchanged', async () => {
    const { page } = await open(searchScenario());
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/limits.rs"]');
    await waitForAnswers(page, 'highlight');
    await page.waitForSelector('[data-testid="diff-line"][data-kind="removed"] .tok-type');
    const before = await page.$$eval('[data-testid="diff-line"] [data-testid="line-text"]', (cells) => cells.map((cell) => cell.textContent));

    await openSearch(page);
    // Across the plain text and into the changed word: "window_secs: u32" on the removed line.
    await search(page, 'secs: u');
    await expect.poll(() => count(page)).toBe('1 of 2');
    const removed = await page.$eval('[data-testid="diff-line"][data-kind="removed"]:has([data-testid="search-hit"])', (row) => ({
      text: row.querySelector('[data-testid="line-text"]')?.textContent,
      // Each hit mark: its text, whether it sits in a changed-word mark, the token class inside it.
      marks: Array.from(row.querySelectorAll('[data-testid="search-hit"]')).map((mark) => [
        mark.textContent,
        mark.closest('mark.word') !== null,
        Array.from(mark.querySelector('.tok')?.classList ?? []).find((c) => c.startsWith('tok-')) ?? null,
        mark.getAttribute('data-match'),
      ]),
      words: Array.from(row.querySelectorAll('mark.word')).map((word) => word.textContent),
      tokens: Array.from(row.querySelectorAll('.tok')).map((token) => token.textContent),
    }));
    expect(removed).toEqual({
      text: '    pub window_secs: u32,',
      marks: [
        ['secs', false, 'tok-variable', '0'],
        [': ', false, null, '0'],
        ['u', true, 'tok-type', '0'],
      ],
      words: ['u32'],
      // The tokens are cut where the match starts and ends, keeping their colours.
      tokens: ['pub', 'window_', 'secs', 'u', '32'],
    });
    // No line's text changed, searching or not.
    expect(await page.$$eval('[data-testid="diff-line"] [data-testid="line-text"]', (cells) => cells.map((cell) => cell.textContent))).toEqual(before);
    expect(await shownHunks(page)).toEqual(expectedHunks(limitsModified));

    // Closing takes the marks away and leaves the emphasis and colours as they were.
    await page.keyboard.press('Escape');
    expect(await page.$$(HIT)).toHaveLength(0);
    expect(await page.$$eval('[data-testid="diff-line"][data-kind="removed"] mark.word', (m) => m.map((w) => w.textContent))).toEqual(['f32', 'u32', '10', '5.0']);
    expect(await page.$$eval('[data-testid="diff-line"][data-kind="removed"] .tok', (t) => t.map((s) => s.textContent))).toEqual(['pub', 'window_secs', 'u32']);
  });

  it('closes with Escape, giving focus back to where it was', async () => {
    const { page } = await open(searchScenario());
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/limits.rs"]');
    await page.focus('[data-testid="hunk-row"]');
    await openSearch(page);
    await search(page, 'burst');
    await expect.poll(() => count(page)).toBe('1 of 3');

    await page.keyboard.press('Escape');
    expect(await page.$('[data-testid="diff-search"]')).toBeNull();
    expect(await page.$$(HIT)).toHaveLength(0);
    expect(await focusedTestId(page)).toBe('hunk-row');
    // The review keys work again at once.
    await page.keyboard.press('n');
    expect(await page.getAttribute('[data-testid="hunk"][aria-current="true"]', 'data-hunk-id')).toBe('h-limits-1');

    // Opening again keeps the query, selected to be typed over.
    await openSearch(page);
    expect(await page.inputValue('[data-testid="diff-search-input"]')).toBe('burst');
    expect(await page.evaluate(() => { const input = document.activeElement as HTMLInputElement; return [input.selectionStart, input.selectionEnd]; })).toEqual([0, 5]);
    await expect.poll(() => count(page)).toBe('1 of 3');
    // The close button closes too.
    await page.click('[data-testid="diff-search-close"]');
    expect(await page.$('[data-testid="diff-search"]')).toBeNull();
  });

  it('searches every loaded file of the review, stepping into the next file', async () => {
    const { page } = await open(searchScenario());
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/limits.rs"]');
    await openSearch(page);
    await search(page, 'tenant');
    await expect.poll(() => count(page)).toBe('1 of 1');
    // Searching the shown file alone: another file shown has its own matches, none current yet.
    await page.click('[data-testid="file-item"][data-path="src/handlers.rs"]');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/handlers.rs"]');
    await expect.poll(() => count(page)).toBe('2 results');
    expect(await page.$$(`${HIT}.current`)).toHaveLength(0);
    await page.click('[data-testid="file-item"][data-path="src/limits.rs"]');
    await expect.poll(() => count(page)).toBe('1 result');

    await page.click('[data-testid="diff-search-all"]');
    expect(await page.getAttribute('[data-testid="diff-search-all"]', 'aria-pressed')).toBe('true');
    // One in the limits, two in the handlers.
    await expect.poll(() => count(page)).toBe('1 of 3');
    expect(await page.getAttribute('[data-testid="diff-search-count"]', 'title')).toBe('in 2 files');
    await page.focus('[data-testid="diff-search-input"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/handlers.rs"]');
    expect(await count(page)).toBe('2 of 3');
    await page.waitForSelector(`${HIT}.current`);
    expect(await inView(page, `${HIT}.current`)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await count(page)).toBe('3 of 3');
    await expect.poll(() => inView(page, `${HIT}.current`)).toBe(true);
    expect(await page.textContent(`${HIT}.current`)).toBe('tenant');
    // Back to the first: in the limits again.
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/limits.rs"]');
    expect(await count(page)).toBe('1 of 3');
    expect(await page.textContent(`${HIT}.current`)).toBe('tenant');
  });
});

describe('hunk headers', () => {
  it('stick under the file header while their long hunk is read', async () => {
    const { page } = await open(searchScenario());
    await page.click('[data-testid="file-item"][data-path="src/handlers.rs"]');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/handlers.rs"]');

    const boxes = () =>
      page.$eval('[data-testid="diff-view"]', (view) => {
        // The header's cells stick (a table row's own box stays where the row is).
        const header = view.querySelector('[data-testid="hunk"][data-hunk-id="h-handlers-1"] [data-testid="hunk-header"]')!.closest('td')!.getBoundingClientRect();
        return {
          pane: view.getBoundingClientRect().top,
          top: (({ top, bottom }) => ({ top, bottom }))(view.querySelector('[data-testid="diff-top"]')!.getBoundingClientRect()),
          header: { top: header.top, bottom: header.bottom },
          headerShown: (view.querySelector('[data-testid="hunk"][data-hunk-id="h-handlers-1"] [data-testid="hunk-header"]') as HTMLElement).checkVisibility(),
        };
      });
    for (const scrollTop of [800, 2000, 3200]) {
      await page.$eval('[data-testid="diff-view"]', (view, y) => (view.scrollTop = y), scrollTop);
      await expect.poll(() => page.$eval('[data-testid="diff-view"]', (view) => view.scrollTop)).toBe(scrollTop);
      const box = await boxes();
      // The file header stays at the pane's top, the hunk header right under it.
      expect(Math.abs(box.top.top - box.pane), `file header at ${scrollTop}`).toBeLessThan(1);
      expect(Math.abs(box.header.top - box.top.bottom), `hunk header at ${scrollTop}`).toBeLessThan(1);
      expect(box.headerShown).toBe(true);
      // It is the header on top there: nothing of the lines is drawn over it.
      const atHeader = await page.evaluate(({ y }) => document.elementFromPoint(700, y)?.closest('[data-testid="hunk-row"]')?.closest('[data-testid="hunk"]')?.getAttribute('data-hunk-id') ?? null, {
        y: (box.header.top + box.header.bottom) / 2,
      });
      expect(atHeader).toBe('h-handlers-1');
    }
    // Past its hunk, the header scrolls away with it and the next one takes its place.
    await page.$eval('[data-testid="diff-view"]', (view) => (view.scrollTop = view.scrollHeight));
    const last = await page.$eval('[data-testid="hunk"][data-hunk-id="h-handlers-2"] [data-testid="hunk-header"]', (header) => header.closest('td')!.getBoundingClientRect().top);
    const top = await page.$eval('[data-testid="diff-top"]', (element) => element.getBoundingClientRect().bottom);
    expect(last).toBeGreaterThanOrEqual(top - 1);
  });

  it('mark the current hunk with a tinted header and a rule, and can be focused', async () => {
    const { page } = await open(searchScenario());
    await page.click('[data-testid="file-item"][data-path="src/server.rs"]');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/server.rs"]');
    const looks = () =>
      page.$$eval('[data-testid="hunk"]', (hunks) =>
        hunks.map((hunk) => {
          const row = hunk.querySelector('[data-testid="hunk-row"]') as HTMLElement;
          const band = getComputedStyle(row.querySelector('.hunk-band')!);
          const firstLine = getComputedStyle(hunk.querySelector('[data-testid="diff-line"] td')!);
          return {
            id: hunk.getAttribute('data-hunk-id'),
            tabIndex: row.tabIndex,
            band: band.backgroundImage,
            weight: band.fontWeight,
            rule: firstLine.boxShadow,
          };
        }),
      );
    const plain = await looks();
    // Before any move, the first header is the one in the Tab order.
    expect(plain.map((h) => h.tabIndex)).toEqual([0, -1]);

    await page.keyboard.press('n');
    await page.keyboard.press('n');
    const marked = await looks();
    expect(await page.getAttribute('[data-testid="hunk"][aria-current="true"]', 'data-hunk-id')).toBe('h-server-2');
    expect(marked.map((h) => h.tabIndex)).toEqual([-1, 0]);
    const [other, current] = marked;
    expect(current!.band).not.toBe(other!.band);
    expect(current!.weight).toBe('600');
    expect(current!.rule).toMatch(/4px 0px 0px 0px inset/);
    expect(other!.rule).toBe('none');
    expect(await page.getAttribute('[data-testid="hunk"][aria-current="true"] [data-testid="hunk-row"]', 'aria-label')).toBe(
      'Hunk 2 of 2: @@ -40,9 +42,10 @@ (current)',
    );

    // It takes focus; focus follows n and p while on a header.
    await page.focus('[data-testid="hunk"][aria-current="true"] [data-testid="hunk-row"]');
    expect(await focusedTestId(page)).toBe('hunk-row');
    await page.keyboard.press('p');
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="hunk"]')?.getAttribute('data-hunk-id'))).toBe('h-server-1');
  });
});

describe('live changes below the fold', () => {
  const nothing: WatchEvent = { worktree: false, index: false, head: false, refs: false, paths: [], changed: 0 };

  async function push(page: Page): Promise<void> {
    const delivered = await page.evaluate(
      (event) => (window as unknown as { __mock: { send: (cmd: string, m: unknown) => boolean } }).__mock.send('watch_repository', { kind: 'changed', event }),
      { ...nothing, worktree: true, paths: ['src/handlers.rs'], changed: 1 },
    );
    expect(delivered).toBe(true);
  }

  it('says a change landed below, and scrolls to it when asked', async () => {
    const { page } = await open(
      searchScenario([
        [limitsModified, handlersLong(), serverModified],
        [limitsModified, handlersLong(true), serverModified],
      ]),
    );
    await page.waitForSelector('[data-testid="live-indicator"]');
    await page.click('[data-testid="file-item"][data-path="src/handlers.rs"]');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/handlers.rs"]');
    expect(await page.$('[data-testid="changes-below"]')).toBeNull();

    await push(page);
    await page.waitForSelector('[data-testid="hunk"][data-hunk-id="h-handlers-3"]');
    await page.waitForSelector('main[data-watch-handled="1"]');
    // The reader stays where they were; the new hunk is named and announced.
    expect(await page.$eval('[data-testid="diff-view"]', (view) => view.scrollTop)).toBe(0);
    expect(await page.getAttribute('[data-testid="hunk"][data-hunk-id="h-handlers-3"]', 'data-new')).toBe('true');
    expect(await page.getAttribute('[data-testid="hunk"][data-hunk-id="h-handlers-2"]', 'data-new')).toBeNull();
    expect(await page.textContent('[data-testid="hunk"][data-hunk-id="h-handlers-3"] [data-testid="hunk-new"]')).toBe('New');
    expect(await page.textContent('[data-testid="changes-below"]')).toBe('1 change below ↓');
    expect(await page.isVisible('[data-testid="changes-below"]')).toBe(true);
    // Over the lines at the bottom of the pane.
    const pill = await page.$eval('[data-testid="changes-below"]', (button) => {
      const pane = button.closest('[data-testid="diff-view"]')!.getBoundingClientRect();
      const box = button.getBoundingClientRect();
      return { inPane: box.top >= pane.top && box.bottom <= pane.bottom, nearBottom: pane.bottom - box.bottom < 40 };
    });
    expect(pill).toEqual({ inPane: true, nearBottom: true });

    await page.click('[data-testid="changes-below"]');
    expect(await inView(page, '[data-testid="hunk"][data-hunk-id="h-handlers-3"] [data-testid="diff-line"]')).toBe(true);
    expect(await page.$('[data-testid="changes-below"]')).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="hunk"]')?.getAttribute('data-hunk-id'))).toBe('h-handlers-3');
  });

  it('says nothing for a change in view, and the cue goes once the reader scrolls to it', async () => {
    const limitsMore: FileDiff = {
      ...limitsModified,
      hunks: [...limitsModified.hunks, hunk('h-limits-3', '@@ -40,2 +41,3 @@ fn check()', [' fn check() {', '+    validate();', ' }'])],
    };
    const { page } = await open(
      searchScenario([
        [limitsModified, handlersLong(), serverModified],
        [limitsMore, handlersLong(), serverModified],
        [limitsMore, handlersLong(true), serverModified],
      ]),
    );
    await page.waitForSelector('[data-testid="live-indicator"]');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/limits.rs"]');

    // A short file: the new hunk is in sight, marked new, no cue.
    await push(page);
    await page.waitForSelector('[data-testid="hunk"][data-hunk-id="h-limits-3"][data-new="true"]');
    await page.waitForSelector('main[data-watch-handled="1"]');
    expect(await page.$('[data-testid="changes-below"]')).toBeNull();

    // Reading the end of the long file when the agent adds a hunk under it.
    await page.click('[data-testid="file-item"][data-path="src/handlers.rs"]');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/handlers.rs"]');
    await page.$eval('[data-testid="diff-view"]', (view) => (view.scrollTop = view.scrollHeight));
    await push(page);
    await page.waitForSelector('[data-testid="hunk"][data-hunk-id="h-handlers-3"][data-new="true"]');
    await page.waitForSelector('main[data-watch-handled="2"]');
    await page.waitForSelector('[data-testid="changes-below"]');
    expect(await page.textContent('[data-testid="changes-below"]')).toBe('1 change below ↓');
    // Scrolling down to it takes the cue away.
    await page.$eval('[data-testid="diff-view"]', (view) => (view.scrollTop = view.scrollHeight));
    await page.waitForSelector('[data-testid="changes-below"]', { state: 'detached' });
    expect(await page.getAttribute('[data-testid="hunk"][data-hunk-id="h-handlers-3"]', 'data-new')).toBe('true');
  });
});
