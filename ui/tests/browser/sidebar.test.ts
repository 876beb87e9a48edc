/**
 * The review screen's sidebar and keyboard reach, in a real browser with the Tauri IPC mocked:
 * Tab reaches the target list, the file list and the diff (one stop each, a visible focus
 * ring), arrows move in the lists, the diff scrolls from the keyboard; the sidebar resizes (mouse
 * and keys, remembered) and hides; the file list as a tree and filtered, its paths cut at
 * directory boundaries; a whole review done without the mouse; legible colours in both themes.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { attributes, selected } from './dom';
import { REPO_PATH, file, happyScenario, hunk, review, workflowScenario, worktreeReview, type Scenario } from './fixtures';
import { RESULTS_DIR, callsOf, useApp, waitForAnswers, waitForState } from './harness';

const { open } = useApp({ quiet: true });

const DEEP_PATH = 'services/billing/internal/adapters/postgres/invoice_repository.rs';

/** A long added file deep in the tree: enough lines to scroll, a path too long for a narrow sidebar. */
const deepFile = file({ oldPath: null, newPath: DEEP_PATH }, 'added', [
  hunk(
    'h-deep-1',
    '@@ -0,0 +1,120 @@',
    Array.from({ length: 120 }, (_, line) => `+    let invoice_${line} = repository.load(${line}).await?;`),
  ),
]);

/** The demo's working tree with the deep file last. */
function deepScenario(): Scenario {
  const scenario = happyScenario();
  return { ...scenario, openReview: { ...scenario.openReview, worktree: { ok: review({ kind: 'worktree' }, 'worktree', [...worktreeReview.files, deepFile]) } } };
}

/** The `data-testid` of the focused element, and of the row or list it is in. */
async function focused(page: Page): Promise<{ testid: string | null; path: string | null; spec: string | null }> {
  return page.evaluate(() => {
    const active = document.activeElement;
    return {
      testid: active?.getAttribute('data-testid') ?? null,
      path: active?.getAttribute('data-path') ?? null,
      spec: active?.getAttribute('data-spec') ?? null,
    };
  });
}

/** Whether the focused element matches `:focus-visible` and draws a ring (an outline or a shadow). */
async function focusRing(page: Page): Promise<{ visible: boolean; ring: boolean }> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (active === null) return { visible: false, ring: false };
    const style = getComputedStyle(active);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    return { visible: active.matches(':focus-visible'), ring: outline || style.boxShadow !== 'none' };
  });
}

/** Presses Tab until `testid` has focus (at most `limit` times); the testids passed on the way. */
async function tabTo(page: Page, testid: string, limit = 40): Promise<string[]> {
  const passed: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const now = (await focused(page)).testid ?? '?';
    passed.push(now);
    if (now === testid) return passed;
  }
  throw new Error(`Tab never reached ${testid}: ${passed.join(', ')}`);
}

async function sidebarWidth(page: Page): Promise<number> {
  return page.$eval('[data-testid="sidebar"]', (element) => Math.round(element.getBoundingClientRect().width));
}

/** The diff's scroll position once a keyboard scroll (animated) has come to rest. */
async function diffScrollTop(page: Page): Promise<number> {
  return page.$eval(
    '[data-testid="diff-view"]',
    (element) =>
      new Promise<number>((resolve) => {
        let last = -1;
        let still = 0;
        const frame = () => {
          still = element.scrollTop === last ? still + 1 : 0;
          last = element.scrollTop;
          if (still >= 5) resolve(last);
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
  );
}

describe('keyboard reach', () => {
  it('Tab reaches the target list, the file list and the diff, one stop each, with a visible focus ring', async () => {
    const { page } = await open(happyScenario());
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/middleware/rate_limit.rs"]');

    // One row of each list is in the Tab order: the selected one.
    expect(await attributes(page, '[data-testid="target-item"][tabindex="0"]', 'data-spec')).toEqual(['worktree']);
    expect(await attributes(page, '[data-testid="file-item"][tabindex="0"]', 'data-path')).toEqual(['src/middleware/rate_limit.rs']);

    const toTargets = await tabTo(page, 'target-item');
    expect(await focused(page)).toMatchObject({ spec: 'worktree' });
    expect(await focusRing(page)).toEqual({ visible: true, ring: true });
    expect(toTargets.filter((testid) => testid === 'file-item')).toEqual([]);

    // The next stop after the targets is not another target.
    const toFiles = await tabTo(page, 'file-item');
    expect(toFiles.slice(0, -1)).not.toContain('target-item');
    expect(await focused(page)).toMatchObject({ path: 'src/middleware/rate_limit.rs' });
    expect(await focusRing(page)).toEqual({ visible: true, ring: true });

    const toDiff = await tabTo(page, 'diff-view');
    expect(toDiff.slice(0, -1)).not.toContain('file-item');
    // The splitter is passed on the way, and shows focus too.
    expect(toDiff).toContain('sidebar-splitter');
    expect(await focusRing(page)).toEqual({ visible: true, ring: true });

    // Shift+Tab goes back the same way.
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page)).testid).toBe('sidebar-splitter');
    expect(await focusRing(page)).toEqual({ visible: true, ring: true });
  });

  it('moves through the lists with the arrows, Home and End; Enter opens; the diff opened by keyboard scrolls with PageDown, Space and the arrows', async () => {
    const { page } = await open(deepScenario());
    await page.setViewportSize({ width: 720, height: 480 });
    await page.waitForSelector('[data-testid="diff-view"]');

    // The targets: focus moves across the sections, the selection stays until Enter.
    await page.focus('[data-testid="target-item"][data-spec="worktree"]');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ spec: 'staged' });
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ spec: 'HEAD' });
    expect(await selected(page, '[data-testid="target-item"]', 'data-spec')).toEqual(['worktree']);
    await page.keyboard.press('End');
    expect(await focused(page)).toMatchObject({ spec: 'branch:docs/readme' });
    await page.keyboard.press('Home');
    expect(await focused(page)).toMatchObject({ spec: 'worktree' });
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toMatchObject({ spec: 'worktree' });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="diff-view"][data-path="Cargo.toml"]');
    expect(await selected(page, '[data-testid="target-item"]', 'data-spec')).toEqual(['staged']);
    expect(await attributes(page, '[data-testid="target-item"][tabindex="0"]', 'data-spec')).toEqual(['staged']);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press(' ');
    await page.waitForSelector(`[data-testid="file-item"][data-path="${DEEP_PATH}"]`);
    expect(await selected(page, '[data-testid="target-item"]', 'data-spec')).toEqual(['worktree']);

    // The files.
    await page.focus('[data-testid="file-item"][aria-selected="true"]');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ path: 'src/server.rs' });
    await page.keyboard.press('End');
    expect(await focused(page)).toMatchObject({ path: DEEP_PATH });
    await page.keyboard.press('Home');
    expect(await focused(page)).toMatchObject({ path: 'src/middleware/rate_limit.rs' });
    expect(await selected(page, '[data-testid="file-item"]', 'data-path')).toEqual(['src/middleware/rate_limit.rs']);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="diff-view"][data-path="${DEEP_PATH}"]`);
    expect(await selected(page, '[data-testid="file-item"]', 'data-path')).toEqual([DEEP_PATH]);
    // Focus went on to the diff, which now scrolls from the keyboard.
    expect((await focused(page)).testid).toBe('diff-view');
    expect(await focusRing(page)).toEqual({ visible: true, ring: true });
    expect(await diffScrollTop(page)).toBe(0);
    await page.keyboard.press('PageDown');
    const afterPage = await diffScrollTop(page);
    expect(afterPage).toBeGreaterThan(200);
    await page.keyboard.press(' ');
    const afterSpace = await diffScrollTop(page);
    expect(afterSpace).toBeGreaterThan(afterPage + 200);
    await page.keyboard.press('ArrowDown');
    const afterArrow = await diffScrollTop(page);
    expect(afterArrow).toBeGreaterThan(afterSpace);
    await page.keyboard.press('PageUp');
    expect(await diffScrollTop(page)).toBeLessThan(afterArrow - 200);
    // j and k still work from the diff, and focus stays there.
    await page.keyboard.press('k');
    await page.waitForSelector('[data-testid="diff-view"][data-path="tests/legacy_limits.rs"]');
    expect((await focused(page)).testid).toBe('diff-view');
  });
});

describe('the sidebar', () => {
  it('resizes by dragging its edge and by the keyboard, within bounds, and keeps the width after a reload', async () => {
    const { page } = await open(happyScenario());
    await page.waitForSelector('[data-testid="diff-view"]');
    const splitter = page.locator('[data-testid="sidebar-splitter"]');
    expect(await splitter.getAttribute('role')).toBe('separator');
    expect(await splitter.getAttribute('aria-orientation')).toBe('vertical');
    expect(await splitter.getAttribute('aria-valuenow')).toBe('320');
    expect(await sidebarWidth(page)).toBe(320);

    // The mouse: drag the edge 100 px to the right.
    const box = await splitter.boundingBox();
    if (box === null) throw new Error('no splitter');
    await page.mouse.move(box.x + box.width / 2, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + 200, { steps: 3 });
    await page.mouse.move(box.x + box.width / 2 + 100, box.y + 200, { steps: 3 });
    await page.mouse.up();
    expect(await sidebarWidth(page)).toBe(420);
    expect(await splitter.getAttribute('aria-valuenow')).toBe('420');
    const diffLeft = await page.$eval('main.main', (element) => Math.round(element.getBoundingClientRect().left));
    expect(diffLeft).toBe(420);

    // The keyboard: arrows by 16 px, Shift by 64, Home and End to the bounds.
    await splitter.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await sidebarWidth(page)).toBe(388);
    await page.keyboard.press('Shift+ArrowRight');
    expect(await sidebarWidth(page)).toBe(452);
    await page.keyboard.press('Home');
    expect(await sidebarWidth(page)).toBe(240);
    expect(await splitter.getAttribute('aria-valuemin')).toBe('240');
    await page.keyboard.press('End');
    expect(await sidebarWidth(page)).toBe(640);
    expect(await splitter.getAttribute('aria-valuemax')).toBe('640');
    // Never narrower than the minimum, dragged too far.
    const far = await splitter.boundingBox();
    if (far === null) throw new Error('no splitter');
    await page.mouse.move(far.x + far.width / 2, far.y + 200);
    await page.mouse.down();
    await page.mouse.move(10, far.y + 200, { steps: 4 });
    await page.mouse.up();
    expect(await sidebarWidth(page)).toBe(240);
    await splitter.focus();
    await page.keyboard.press('Shift+ArrowRight');
    expect(await sidebarWidth(page)).toBe(304);

    await page.reload();
    await waitForState(page, 'ready');
    await page.waitForSelector('[data-testid="diff-view"]');
    expect(await sidebarWidth(page)).toBe(304);
    expect(await page.getAttribute('[data-testid="sidebar-splitter"]', 'aria-valuenow')).toBe('304');
  });

  it('hides and shows with its button, with \\ and with Enter on its edge; hidden stays hidden after a reload', async () => {
    const { page } = await open(happyScenario());
    await page.setViewportSize({ width: 720, height: 480 });
    await page.waitForSelector('[data-testid="diff-view"]');
    const diffWidth = () => page.$eval('main.main', (element) => Math.round(element.getBoundingClientRect().width));
    // A small window starts with a narrower sidebar (once the window's resize has been handled).
    await expect.poll(() => sidebarWidth(page)).toBe(240);
    expect(await diffWidth()).toBe(480);

    await page.click('[data-testid="sidebar-collapse"]');
    expect(await page.isHidden('[data-testid="sidebar"]')).toBe(true);
    expect(await diffWidth()).toBeGreaterThan(670);
    // Focus was in the hidden sidebar: it moved to the button that shows it again.
    expect((await focused(page)).testid).toBe('sidebar-expand');
    expect(await page.getAttribute('[data-testid="sidebar-expand"]', 'aria-expanded')).toBe('false');
    await page.keyboard.press('Enter');
    expect(await page.isVisible('[data-testid="sidebar"]')).toBe(true);
    expect((await focused(page)).testid).toBe('sidebar-collapse');

    // The key, from anywhere but a text field.
    await page.keyboard.press('\\');
    expect(await page.isHidden('[data-testid="sidebar"]')).toBe(true);
    await page.keyboard.press('\\');
    expect(await page.isVisible('[data-testid="sidebar"]')).toBe(true);
    expect(await sidebarWidth(page)).toBe(240);

    // Enter on the edge.
    await page.focus('[data-testid="sidebar-splitter"]');
    await page.keyboard.press('Enter');
    expect(await page.isHidden('[data-testid="sidebar"]')).toBe(true);
    expect((await focused(page)).testid).toBe('sidebar-expand');

    await page.reload();
    await waitForState(page, 'ready');
    await page.waitForSelector('[data-testid="diff-view"]');
    expect(await page.isHidden('[data-testid="sidebar"]')).toBe(true);
    // `/` shows it again to filter.
    await page.keyboard.press('/');
    expect(await page.isVisible('[data-testid="sidebar"]')).toBe(true);
    expect((await focused(page)).testid).toBe('file-filter');
  });
});

describe('the file list', () => {
  it('shows a tree by directory with counts, folds directories by mouse and keyboard, and j/k follow what it shows', async () => {
    const { page } = await open(deepScenario());
    await page.waitForSelector('[data-testid="diff-view"]');
    await page.click('[data-testid="file-tree-toggle"]');
    expect(await page.getAttribute('[data-testid="file-list"]', 'data-view')).toBe('tree');
    expect(await page.getAttribute('[data-testid="file-list"]', 'role')).toBe('tree');
    expect(await page.getAttribute('[data-testid="file-tree-toggle"]', 'aria-pressed')).toBe('true');

    const rows = () =>
      page.$$eval('[data-testid="file-list"] > li', (items) =>
        items.map((item) =>
          item.getAttribute('data-testid') === 'file-dir'
            ? `${item.getAttribute('aria-level')} ${item.getAttribute('title')} (${item.querySelector('[data-testid="file-dir-count"]')?.textContent ?? ''})${item.getAttribute('aria-expanded') === 'false' ? ' +' : ''}`
            : `${item.getAttribute('aria-level')} ${item.textContent?.includes(item.getAttribute('data-path')?.split('/').pop() ?? '?') ? item.getAttribute('data-path')?.split('/').pop() : '?'}`,
        ),
      );
    expect(await rows()).toEqual([
      '1 src/ (3)',
      '2 src/middleware/ (1)',
      '3 rate_limit.rs',
      '2 server.rs',
      '2 config.rs',
      '1 assets/ (1)',
      '2 logo.png',
      '1 tests/ (1)',
      '2 legacy_limits.rs',
      '1 services/billing/internal/adapters/postgres/ (1)',
      '2 invoice_repository.rs',
    ]);
    // A chain of single directories is one row, its label cut at a directory to fit.
    expect(await page.textContent('[data-testid="file-dir"][data-dir="services/billing/internal/adapters/postgres/"] .path')).toMatch(/^…\/.*postgres\/$/);
    expect(await page.textContent('[data-testid="file-dir"][data-dir="src/middleware/"] .path')).toBe('middleware/');
    // A file row shows its name only; its tooltip has the whole path.
    expect(await page.textContent(`[data-testid="file-item"][data-path="${DEEP_PATH}"] .name`)).toBe('invoice_repository.rs');
    expect(await page.getAttribute(`[data-testid="file-item"][data-path="${DEEP_PATH}"]`, 'title')).toBe(DEEP_PATH);

    // Folded with a click: its files leave the list and j steps over them.
    await page.click('[data-testid="file-dir"][data-dir="src/"]');
    expect(await rows()).toEqual([
      '1 src/ (3) +',
      '1 assets/ (1)',
      '2 logo.png',
      '1 tests/ (1)',
      '2 legacy_limits.rs',
      '1 services/billing/internal/adapters/postgres/ (1)',
      '2 invoice_repository.rs',
    ]);
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid="diff-view"][data-path="assets/logo.png"]');
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid="diff-view"][data-path="tests/legacy_limits.rs"]');
    await page.keyboard.press('k');
    await page.keyboard.press('k');
    await page.waitForSelector('[data-testid="diff-view"][data-path="assets/logo.png"]');
    // n runs on into the next shown file with hunks (the binary logo has none).
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid="diff-view"][data-path="tests/legacy_limits.rs"]');

    // The keyboard: Right unfolds, Left folds, Left on a file goes to its directory.
    await page.focus('[data-testid="file-dir"][data-dir="src/"]');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('[data-testid="file-dir"][data-dir="src/"]', 'aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatchObject({ testid: 'file-dir' });
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ path: 'src/middleware/rate_limit.rs' });
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-dir'))).toBe('src/middleware/');
    await page.keyboard.press('ArrowLeft');
    expect(await page.getAttribute('[data-testid="file-dir"][data-dir="src/middleware/"]', 'aria-expanded')).toBe('false');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('[data-testid="file-dir"][data-dir="src/middleware/"]', 'aria-expanded')).toBe('true');

    // The shown file is revealed: fold its directory, leave the target and come back (to the
    // file left, kept for the target).
    await page.click('[data-testid="file-item"][data-path="src/middleware/rate_limit.rs"]');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/middleware/rate_limit.rs"]');
    await page.click('[data-testid="file-dir"][data-dir="src/"]');
    await page.keyboard.press(']');
    await page.waitForSelector('[data-testid="diff-view"][data-path="Cargo.toml"]');
    await page.keyboard.press('[');
    await page.waitForSelector(`[data-testid="file-item"][data-path="${DEEP_PATH}"]`);
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/middleware/rate_limit.rs"]');
    expect(await page.getAttribute('[data-testid="file-dir"][data-dir="src/"]', 'aria-expanded')).toBe('true');
    expect(await selected(page, '[data-testid="file-item"]', 'data-path')).toEqual(['src/middleware/rate_limit.rs']);

    // The tree view is kept.
    await page.reload();
    await waitForState(page, 'ready');
    await page.waitForSelector('[data-testid="file-list"][data-view="tree"]');
  });

  it('filters by path with /, and j/k and n/p follow the filtered list', async () => {
    const { page } = await open(deepScenario());
    await page.waitForSelector('[data-testid="diff-view"]');
    await page.keyboard.press('/');
    expect((await focused(page)).testid).toBe('file-filter');
    await page.keyboard.type('limit');
    expect(await attributes(page, '[data-testid="file-item"]', 'data-path')).toEqual(['src/middleware/rate_limit.rs', 'tests/legacy_limits.rs']);
    expect(await page.textContent('[data-testid="file-count"]')).toBe('2 of 6');
    // Letters typed in the filter are the filter's.
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('src/middleware/rate_limit.rs');

    // Down to the list; j/k go through the filtered files only.
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ path: 'src/middleware/rate_limit.rs' });
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid="diff-view"][data-path="tests/legacy_limits.rs"]');
    await page.keyboard.press('j');
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('tests/legacy_limits.rs');
    await page.keyboard.press('k');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/middleware/rate_limit.rs"]');
    // n from the last hunk of rate_limit.rs goes on to legacy_limits.rs, not src/server.rs.
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid="diff-view"][data-path="tests/legacy_limits.rs"]');
    await page.keyboard.press('p');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/middleware/rate_limit.rs"]');

    // Nothing matches: the list says so and j does nothing.
    await page.keyboard.press('/');
    await page.keyboard.type('nothing-like-this');
    expect(await page.textContent('[data-testid="file-filter-empty"]')).toContain('No file matches');
    expect(await page.locator('[data-testid="file-item"]').count()).toBe(0);

    // Enter opens the first match and focuses its diff; Esc clears the filter.
    await page.fill('[data-testid="file-filter"]', 'invoice');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="diff-view"][data-path="${DEEP_PATH}"]`);
    expect((await focused(page)).testid).toBe('diff-view');
    await page.focus('[data-testid="file-filter"]');
    await page.keyboard.press('Escape');
    expect(await page.inputValue('[data-testid="file-filter"]')).toBe('');
    expect(await page.locator('[data-testid="file-item"]').count()).toBe(6);
    expect(await page.textContent('[data-testid="file-count"]')).toBe('6');
    // A second Esc leaves the field for the list.
    await page.keyboard.press('Escape');
    expect(await focused(page)).toMatchObject({ path: DEEP_PATH });
  });

  it('cuts long paths at directory boundaries, keeping the file name whole, with the full path in the tooltip', async () => {
    const { page } = await open(deepScenario());
    await page.waitForSelector('[data-testid="diff-view"]');
    await page.focus('[data-testid="sidebar-splitter"]');
    await page.keyboard.press('Home');
    expect(await sidebarWidth(page)).toBe(240);
    const row = `[data-testid="file-item"][data-path="${DEEP_PATH}"]`;
    await expect.poll(() => page.getAttribute(`${row} .path`, 'data-elided')).toBe('true');

    const shown = await page.$eval(row, (item) => {
      const path = item.querySelector<HTMLElement>('.path')!;
      const dir = item.querySelector<HTMLElement>('[data-testid="path-dir"]')!;
      const name = item.querySelector<HTMLElement>('[data-testid="path-name"]')!;
      return {
        dir: dir.textContent,
        name: name.textContent,
        nameClipped: name.scrollWidth > name.clientWidth,
        overflows: path.scrollWidth > path.clientWidth + 1,
        title: item.getAttribute('title'),
      };
    });
    expect(shown.name).toBe('invoice_repository.rs');
    expect(shown.nameClipped).toBe(false);
    expect(shown.overflows).toBe(false);
    expect(shown.title).toBe(DEEP_PATH);
    expect(shown.dir).toMatch(/…\/$/);
    // Every directory shown is a whole one of the path.
    const parts = DEEP_PATH.split('/').slice(0, -1);
    for (const part of (shown.dir ?? '').split('/').filter((p) => p !== '' && p !== '…')) expect(parts).toContain(part);

    // Wider, more of it shows; wide enough, all of it.
    await page.keyboard.press('End');
    await expect.poll(() => page.textContent(`${row} [data-testid="path-dir"]`)).toBe('services/billing/internal/adapters/postgres/');
    expect(await page.getAttribute(`${row} .path`, 'data-elided')).toBe('false');
    await page.screenshot({ path: `${RESULTS_DIR}/browser-sidebar-wide.png` });
  });
});

describe('without the mouse', () => {
  it('reviews a whole change with the keyboard only: open the target, every file and hunk marked viewed, approved', async () => {
    const scenario: Scenario = { ...workflowScenario(), reviewNotes: {} };
    const { page } = await open(scenario);
    await page.setViewportSize({ width: 720, height: 480 });
    await page.waitForSelector('[data-testid="coverage-text"]');
    expect(await page.textContent('[data-testid="coverage-text"]')).toBe('AI-reviewed 0/2 hunks');

    // To the targets, to the staged changes and back to the working tree.
    await tabTo(page, 'target-item');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="diff-view"][data-path="Cargo.toml"]');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/middleware/rate_limit.rs"]');
    await waitForAnswers(page, 'review_progress', { target: { kind: 'worktree' } });

    // To the files: the first one opens, focus goes to its diff.
    await tabTo(page, 'file-item');
    expect(await focused(page)).toMatchObject({ path: 'src/middleware/rate_limit.rs' });
    await page.keyboard.press('Enter');
    expect((await focused(page)).testid).toBe('diff-view');

    // Every hunk, file after file: n to it, v to mark it viewed.
    const hunks = worktreeReview.files.flatMap((f) => f.hunks.map((h) => ({ path: f.newPath ?? f.oldPath ?? '', id: h.id })));
    const visited: string[] = [];
    for (const [at, { path, id }] of hunks.entries()) {
      await page.keyboard.press('n');
      await page.waitForSelector(`[data-testid="diff-view"][data-path="${path}"]`);
      visited.push(path);
      await page.keyboard.press('v');
      await expect.poll(async () => (await callsOf(page, 'mark_viewed')).length).toBe(at + 1);
      await page.waitForSelector(`[data-hunk-id="${id}"] [data-testid="hunk-viewed"]:checked`);
      // The diff keeps focus, and scrolls from the keyboard.
      expect((await focused(page)).testid).toBe('diff-view');
    }
    expect([...new Set(visited)]).toEqual(worktreeReview.files.filter((f) => f.hunks.length > 0).map((f) => f.newPath ?? f.oldPath));
    expect((await callsOf(page, 'mark_viewed')).map((call) => [call.file, call.hunkId, call.viewed])).toEqual(hunks.map((h) => [h.path, h.id, true]));
    await expect.poll(() => page.textContent('[data-testid="coverage-text"]')).toBe('AI-reviewed 2/2 hunks');
    // Every file with hunks is ticked.
    expect(await attributes(page, '[data-testid="file-item"]:has([data-testid="file-viewed"])', 'data-path')).toEqual(
      worktreeReview.files.filter((f) => f.hunks.length > 0).map((f) => f.newPath ?? f.oldPath),
    );

    // a: the dialog, a message, Tab to Approve, Enter.
    await page.keyboard.press('a');
    const dialog = page.getByRole('dialog', { name: 'Review worktree' });
    await dialog.waitFor();
    expect(await dialog.locator('[data-testid="decision-coverage"]').textContent()).toBe('AI-reviewed 2/2 hunks');
    await page.keyboard.type('Read every hunk');
    await tabTo(page, 'decision-approve', 6);
    expect(await focusRing(page)).toEqual({ visible: true, ring: true });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await callsOf(page, 'decide')).toEqual([
      { repo: REPO_PATH, target: { kind: 'worktree' }, verdict: 'approved', message: 'Read every hunk', confirmed: false },
    ]);
    expect(await page.textContent('[data-testid="review-status"]')).toBe('Approved by Dana Smith');
    await page.screenshot({ path: `${RESULTS_DIR}/browser-sidebar-keyboard.png` });
  });
});

describe('contrast', () => {
  /**
   * The contrast of each matching element's text against what is behind it: the translucent
   * backgrounds (a selected or hovered row) laid over the first opaque one, as drawn.
   */
  async function contrasts(page: Page, selector: string): Promise<{ text: string; ratio: number }[]> {
    return page.$$eval(selector, (elements) => {
      const rgba = (value: string) => {
        const parts = (value.match(/[\d.]+/g) ?? []).map(Number);
        return { rgb: parts.slice(0, 3), alpha: parts.length === 4 ? parts[3]! : 1 };
      };
      const luminance = ([r, g, b]: number[]) =>
        [r!, g!, b!]
          .map((v) => {
            const c = v / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          })
          .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0);
      return elements.map((element) => {
        const layers: { rgb: number[]; alpha: number }[] = [];
        let behind: Element | null = element;
        let base = [255, 255, 255];
        while (behind !== null) {
          const layer = rgba(getComputedStyle(behind).backgroundColor);
          if (layer.alpha === 1 && layer.rgb.length === 3) {
            base = layer.rgb;
            break;
          }
          if (layer.alpha > 0) layers.unshift(layer);
          behind = behind.parentElement;
        }
        const background = layers.reduce((under, { rgb, alpha }) => under.map((c, i) => rgb[i]! * alpha + c * (1 - alpha)), base);
        const text = rgba(getComputedStyle(element).color);
        const color = text.rgb.map((c, i) => c * text.alpha + background[i]! * (1 - text.alpha));
        const [a, b] = [luminance(color), luminance(background)].sort((x, y) => y - x);
        return { text: element.textContent ?? '', ratio: Math.round(((a! + 0.05) / (b! + 0.05)) * 100) / 100 };
      });
    });
  }

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`draws the sidebar's paths, section labels, status letters and counts at 4.5:1 or more in the ${colorScheme} theme, selected rows included`, async () => {
      const { page } = await open(deepScenario(), { colorScheme });
      await page.waitForSelector('[data-testid="diff-view"]');
      await page.waitForSelector('[data-testid="file-item"][aria-selected="true"]');
      const selectedRow = '[data-testid="file-item"][aria-selected="true"]';
      const otherRow = '[data-testid="file-item"][aria-selected="false"]';
      const measured = {
        dirSelected: await contrasts(page, `${selectedRow} [data-testid="path-dir"]`),
        dir: await contrasts(page, `${otherRow} [data-testid="path-dir"]`),
        sectionLabels: await contrasts(page, '[data-testid="target-list"] .section-label'),
        statusSelected: await contrasts(page, `${selectedRow} > [aria-label]:first-child`),
        status: await contrasts(page, `${otherRow} > [aria-label]:first-child`),
        countsSelected: await contrasts(page, `${selectedRow} [aria-label$=" removed"] > span`),
        counts: await contrasts(page, `${otherRow} [aria-label$=" removed"] > span, ${otherRow} .binary`),
        fileCount: await contrasts(page, '[data-testid="file-count"]'),
        targetDetail: await contrasts(page, '[data-testid="target-item"] .detail'),
      };
      // Each kind was found and measured.
      for (const [kind, ratios] of Object.entries(measured)) expect(ratios.length, kind).toBeGreaterThan(0);
      const low = Object.entries(measured).flatMap(([kind, ratios]) => ratios.filter((r) => r.ratio < 4.5).map((r) => `${kind} "${r.text}" ${r.ratio}`));
      expect(low).toEqual([]);
      console.log(
        `contrast (${colorScheme}): ${Object.entries(measured)
          .map(([kind, ratios]) => `${kind} ${Math.min(...ratios.map((r) => r.ratio))}`)
          .join(', ')}`,
      );
      // The tree view's directory rows too.
      await page.click('[data-testid="file-tree-toggle"]');
      const dirs = await contrasts(page, '[data-testid="file-dir"] [data-testid="path-name"], [data-testid="file-dir"] [data-testid="path-dir"], [data-testid="file-dir-count"]');
      expect(dirs.filter((r) => r.ratio < 4.5)).toEqual([]);
      await page.screenshot({ path: `${RESULTS_DIR}/browser-sidebar-${colorScheme}.png` });
    });
  }
});
