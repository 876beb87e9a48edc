/**
 * The review screen in a real browser, with the Tauri IPC mocked: targets, files, the diff as
 * text, keyboard navigation, switching targets, themes.
 */
import { describe, expect, it } from 'vitest';
import { attributes, expectedHunks, selected, shownHunks } from './dom';
import {
  REPO_PATH,
  configRenamed,
  happyScenario,
  legacyDeleted,
  rateLimitAdded,
  serverModified,
  targets,
  unknownBranchError,
  worktreeReview,
} from './fixtures';
import { RESULTS_DIR, ipcCalls, useApp, waitForState } from './harness';

// Every page must keep to the CSP and throw nothing.
const { open } = useApp({ quiet: true });

const worktreePaths = ['src/middleware/rate_limit.rs', 'src/server.rs', 'src/config.rs', 'assets/logo.png', 'tests/legacy_limits.rs'];

describe('start-up', () => {
  it('lists the targets and opens the default target', async () => {
    const app = await open(happyScenario());
    const { page } = app;

    expect(await attributes(page, '[data-testid="target-list"] [data-testid="target-item"]', 'data-spec')).toEqual(
      targets.map((t) => t.spec),
    );
    expect(await selected(page, '[data-testid="target-item"]', 'data-spec')).toEqual(['worktree']);

    expect(await ipcCalls(page)).toEqual([
      // The window first reads its settings and asks which repository it was started on.
      { cmd: 'settings', args: {} },
      { cmd: 'opened_repository', args: {} },
      { cmd: 'app_context', args: {} },
      { cmd: 'list_targets', args: { repo: REPO_PATH } },
      { cmd: 'open_review', args: { repo: REPO_PATH, target: { kind: 'worktree' } } },
      // Once the first review is on screen, the window watches the repository.
      { cmd: 'watch_repository', args: { repo: REPO_PATH, onEvent: expect.stringMatching(/^__CHANNEL__:\d+$/) } },
    ]);

    expect(await attributes(page, '[data-testid="file-list"] [data-testid="file-item"]', 'data-path')).toEqual(worktreePaths);
    expect(await selected(page, '[data-testid="file-item"]', 'data-path')).toEqual(['src/middleware/rate_limit.rs']);
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('src/middleware/rate_limit.rs');
    expect(await shownHunks(page)).toEqual(expectedHunks(rateLimitAdded));

    const { additions, deletions, files } = worktreeReview.stats;
    expect((await page.textContent('[data-testid="review-stats"]'))?.replace(/\s+/g, ' ').trim()).toBe(
      `+${additions} −${deletions} in ${files} files`,
    );
    expect(await page.isVisible('[data-testid="demo-badge"]')).toBe(true);
    expect(await page.textContent('[data-testid="repo-branch"]')).toContain('agent/rate-limit');
    // Commit entries show how long ago they were written.
    expect(await page.textContent('[data-spec="HEAD"]')).toContain('2 h ago');
  });
});

describe('the header', () => {
  it('gives the repository’s folders away before its name as the window narrows, and keeps every control on screen', async () => {
    const { page } = await open(happyScenario());
    await page.waitForSelector('[data-testid="review-stats"]');
    const seen: { width: number; dir: number; dirCut: boolean; nameCut: boolean; lastRight: number }[] = [];
    for (let width = 1900; width >= 1000; width -= 20) {
      await page.setViewportSize({ width, height: 800 });
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      seen.push(
        await page.evaluate((width) => {
          const part = (selector: string) => document.querySelector<HTMLElement>(`[data-testid="repo-path"] ${selector}`);
          // cut when its text, laid out whole, is wider than the box (an ellipsis shows at any
          // overflow, also one below a pixel, which scrollWidth rounds away)
          const cut = (element: HTMLElement | null) => {
            if (element === null) return true;
            const range = document.createRange();
            range.selectNodeContents(element);
            return range.getBoundingClientRect().width > element.getBoundingClientRect().width + 0.01;
          };
          const [dir, name] = [part('.repo-dir'), part('.repo-name')];
          const buttons = [...document.querySelectorAll<HTMLElement>('header button')];
          return {
            width,
            dir: dir?.clientWidth ?? -1,
            dirCut: cut(dir),
            nameCut: cut(name),
            lastRight: Math.max(...buttons.map((b) => b.getBoundingClientRect().right)),
          };
        }, width),
      );
    }
    for (const state of seen) {
      // the name is cut only once the folders are gone
      if (state.nameCut) expect(state.dir, JSON.stringify(state)).toBe(0);
      // this scenario's header holds every control from the window's default width (1,280) up
      if (state.width >= 1280) expect(state.lastRight, JSON.stringify(state)).toBeLessThanOrEqual(state.width);
    }
    // whole when there is room; the folders give way when there is not
    expect(seen[0]).toMatchObject({ dirCut: false, nameCut: false });
    expect(seen.some((state) => state.dirCut && !state.nameCut)).toBe(true);
    expect(await page.getAttribute('[data-testid="repo-path"]', 'title')).toBe(REPO_PATH);
  });
});

describe('the diff view', () => {
  it('shows a clicked file with its exact hunk headers and lines', async () => {
    const app = await open(happyScenario());
    const { page } = app;

    await page.click('[data-testid="file-item"][data-path="src/server.rs"]');
    expect(await selected(page, '[data-testid="file-item"]', 'data-path')).toEqual(['src/server.rs']);
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('src/server.rs');
    const hunks = await shownHunks(page);
    expect(hunks).toEqual(expectedHunks(serverModified));
    // A tab and trailing blanks survive untouched.
    expect(hunks[1]?.rows).toContainEqual({ kind: 'context', sign: ' ', text: '\taxum::serve(listener, app).await?;  ' });
  });

  it('shows a renamed file as "old → new" with the no-newline rows git prints', async () => {
    const app = await open(happyScenario());
    const { page } = app;

    await page.click('[data-testid="file-item"][data-path="src/config.rs"]');
    expect((await page.textContent('[data-testid="file-path"]'))?.replace(/\s+/g, ' ').trim()).toBe('src/settings.rs → src/config.rs');
    const hunks = await shownHunks(page);
    expect(hunks).toEqual(expectedHunks(configRenamed));
    expect(hunks[0]?.rows.slice(-4)).toEqual([
      { kind: 'removed', sign: '-', text: 'pub const DEFAULT_PORT: u16 = 8080;' },
      { noNewline: '\\ No newline at end of file' },
      { kind: 'added', sign: '+', text: 'pub const DEFAULT_PORT: u16 = 3000;' },
      { noNewline: '\\ No newline at end of file' },
    ]);
    expect(await page.$$eval('[data-testid="no-newline"]', (rows) => rows.map((r) => r.textContent))).toEqual([
      '\\ No newline at end of file',
      '\\ No newline at end of file',
    ]);
  });

  it('shows a notice instead of the content of a binary file', async () => {
    const app = await open(happyScenario());
    const { page } = app;

    await page.click('[data-testid="file-item"][data-path="assets/logo.png"]');
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('assets/logo.png');
    expect(await page.textContent('[data-testid="binary-notice"]')).toContain('Binary file not shown');
    expect(await page.$$('[data-testid="hunk"]')).toHaveLength(0);
  });

  it('keeps line numbers out of the copied text and in their gutters', async () => {
    const app = await open(happyScenario());
    const { page } = app;

    const numbers = await page.$$eval('[data-testid="diff-line"]', (rows) =>
      rows.slice(0, 3).map((row) => Array.from(row.querySelectorAll('td[data-line]')).map((td) => td.getAttribute('data-line'))),
    );
    expect(numbers).toEqual([['1'], ['2'], ['3']]);
  });
});

describe('the keyboard', () => {
  it('moves between files with j and k', async () => {
    const app = await open(happyScenario());
    const { page } = app;

    await page.keyboard.press('j');
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('src/server.rs');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('j'); // already at the last file: stays
    expect(await selected(page, '[data-testid="file-item"]', 'data-path')).toEqual([legacyDeleted.oldPath]);
    await page.keyboard.press('k');
    expect(await selected(page, '[data-testid="file-item"]', 'data-path')).toEqual(['assets/logo.png']);
    // Modified keys belong to the system.
    await page.keyboard.press('Control+j');
    expect(await selected(page, '[data-testid="file-item"]', 'data-path')).toEqual(['assets/logo.png']);
  });

  it('moves between hunks with n and p, highlighting and scrolling to them', async () => {
    const app = await open(happyScenario());
    const { page } = app;
    const current = () => attributes(page, '[data-testid="hunk"][aria-current="true"]', 'data-hunk-id');

    await page.click('[data-testid="file-item"][data-path="src/server.rs"]');
    expect(await current()).toEqual([]);
    await page.keyboard.press('n');
    expect(await current()).toEqual(['h-server-1']);
    await page.keyboard.press('n');
    expect(await current()).toEqual(['h-server-2']);
    // The hunk moved to is in view, below the sticky file header.
    const inView = await page.$eval('[data-testid="hunk"][aria-current="true"] [data-testid="hunk-header"]', (header) => {
      const pane = header.closest('[data-testid="diff-view"]')!.getBoundingClientRect();
      const box = header.getBoundingClientRect();
      return box.top >= pane.top && box.bottom <= pane.bottom;
    });
    expect(inView).toBe(true);

    // Past the last hunk of a file, n runs on into the next file.
    await page.keyboard.press('n');
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('src/config.rs');
    expect(await current()).toEqual(['h-config-1']);
    await page.keyboard.press('p');
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('src/server.rs');
    expect(await current()).toEqual(['h-server-2']);
    await page.keyboard.press('p');
    expect(await current()).toEqual(['h-server-1']);
  });

  it('ignores the keys while the user types in a field', async () => {
    const app = await open(happyScenario());
    const { page } = app;

    await page.evaluate(() => {
      const input = document.createElement('input');
      input.id = 'probe';
      document.body.append(input);
    });
    await page.focus('#probe');
    await page.keyboard.type('jjn');
    expect(await selected(page, '[data-testid="file-item"]', 'data-path')).toEqual(['src/middleware/rate_limit.rs']);
    expect(await page.inputValue('#probe')).toBe('jjn');
  });
});

describe('switching targets', () => {
  it('opens a clicked target with openReview and shows its files', async () => {
    const app = await open(happyScenario());
    const { page } = app;

    await page.click('[data-testid="target-item"][data-spec="HEAD"]');
    await waitForState(page, 'ready');
    expect((await ipcCalls(page)).at(-1)).toEqual({
      cmd: 'open_review',
      args: { repo: REPO_PATH, target: { kind: 'commit', rev: 'HEAD' } },
    });
    expect(await selected(page, '[data-testid="target-item"]', 'data-spec')).toEqual(['HEAD']);
    expect(await attributes(page, '[data-testid="file-item"]', 'data-path')).toEqual(['src/middleware/rate_limit.rs', 'Cargo.toml']);
  });

  it('steps through targets with ] and [', async () => {
    const app = await open(happyScenario());
    const { page } = app;

    await page.keyboard.press(']');
    await waitForState(page, 'ready');
    expect((await ipcCalls(page)).at(-1)?.args).toEqual({ repo: REPO_PATH, target: { kind: 'staged' } });
    expect(await attributes(page, '[data-testid="file-item"]', 'data-path')).toEqual(['Cargo.toml']);
    await page.keyboard.press('[');
    await waitForState(page, 'ready');
    expect((await ipcCalls(page)).at(-1)?.args).toEqual({ repo: REPO_PATH, target: { kind: 'worktree' } });
    expect(await selected(page, '[data-testid="target-item"]', 'data-spec')).toEqual(['worktree']);
  });

  it('shows an empty state for a target without changes', async () => {
    const app = await open(happyScenario());
    const { page } = app;

    await page.click('[data-testid="target-item"][data-spec="branch:agent/retry-queue"]');
    await waitForState(page, 'ready');
    expect((await ipcCalls(page)).at(-1)?.args).toEqual({
      repo: REPO_PATH,
      target: { kind: 'branch', name: 'agent/retry-queue' },
    });
    expect(await page.textContent('[data-testid="empty-state"]')).toContain('No changes in this target');
    expect(await page.$$('[data-testid="file-item"]')).toHaveLength(0);
    expect(await page.$('[data-testid="diff-view"]')).toBeNull();
  });

  it('shows the error of a target that cannot be opened and keeps the targets usable', async () => {
    const app = await open(happyScenario());
    const { page } = app;

    await page.click('[data-testid="target-item"][data-spec="branch:docs/readme"]');
    await waitForState(page, 'error');
    expect(await page.getAttribute('[data-testid="error"]', 'data-kind')).toBe('unknownBranch');
    expect(await page.textContent('[data-testid="error-message"]')).toBe(unknownBranchError.message);
    await page.click('[data-testid="target-item"][data-spec="worktree"]');
    await waitForState(page, 'ready');
    expect(await page.$('[data-testid="error"]')).toBeNull();
    expect(await attributes(page, '[data-testid="file-item"]', 'data-path')).toEqual(worktreePaths);
  });

  it('shows a loading indicator only when loading is slow', async () => {
    const scenario = happyScenario();
    scenario.delays = { open_review: 600 };
    const app = await open(scenario, { waitFor: 'loading' });
    const { page } = app;

    await page.waitForSelector('[data-testid="loading"]', { timeout: 2000 });
    // Not in the first 150 ms of the request, measured on the page's own clock (the mock
    // records when open_review was called and when the indicator first appeared), so a slow
    // machine cannot make the check pass or fail by itself.
    const { calledAt, shownAt } = await page.evaluate(() => {
      const mock = (window as unknown as {
        __mock: { calls: { cmd: string; at: number }[]; firstSeen: Record<string, number> };
      }).__mock;
      const call = mock.calls.filter((c) => c.cmd === 'open_review').at(-1);
      return { calledAt: call?.at ?? Number.NaN, shownAt: mock.firstSeen['loading'] ?? Number.NaN };
    });
    // a few ms of slack: the indicator's timer starts as loading begins, just before the call
    expect(shownAt - calledAt).toBeGreaterThanOrEqual(145);
    await waitForState(page, 'ready');
    expect(await page.$('[data-testid="loading"]')).toBeNull();
  });
});

describe('themes', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`renders in the ${colorScheme} theme`, async () => {
      const app = await open(happyScenario(), { colorScheme });
      const { page } = app;

      await page.click('[data-testid="file-item"][data-path="src/server.rs"]');
      await page.keyboard.press('n');
      await page.keyboard.press('n');
      const colors = await page.evaluate(() => {
        const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
        return {
          page: getComputedStyle(document.body).backgroundColor,
          text: getComputedStyle(document.body).color,
          added: style('[data-testid="diff-line"][data-kind="added"]').backgroundColor,
          removed: style('[data-testid="diff-line"][data-kind="removed"]').backgroundColor,
          code: style('[data-testid="line-text"]').fontFamily,
          whiteSpace: style('[data-testid="line-text"]').whiteSpace,
        };
      });
      expect(colors.page).toBe(colorScheme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(13, 17, 23)');
      expect(colors.text).not.toBe(colors.page);
      expect(colors.added).not.toBe(colors.removed);
      expect(colors.added).not.toBe('rgba(0, 0, 0, 0)');
      expect(colors.code).toMatch(/mono/i);
      expect(colors.whiteSpace).toBe('pre');
      await page.screenshot({ path: `${RESULTS_DIR}/browser-review-${colorScheme}.png` });
    });
  }
});
