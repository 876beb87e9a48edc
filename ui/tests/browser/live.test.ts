/**
 * The window follows the repository while an agent writes: the shell's watcher pushes changes
 * over a channel (played here by tauriMock.js), and the review reloads quietly, keeping the
 * reviewer's place.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FileDiff, TargetList, WatchEvent, WatchMessage } from '../../src/lib/bindings';
import { expectedHunks, selected, shownHunks } from './dom';
import {
  REPO_PATH,
  file,
  happyScenario,
  hunk,
  rateLimitAdded,
  review,
  seedLoaded,
  seedOmitted,
  serverModified,
  targetList,
  worktreeReview,
  type Scenario,
} from './fixtures';
import { ipcCalls, useApp } from './harness';

const { open } = useApp({ quiet: true });

const nothing: WatchEvent = { worktree: false, index: false, head: false, refs: false, paths: [], changed: 0 };
const edited = (...paths: string[]): WatchEvent => ({ ...nothing, worktree: true, paths, changed: paths.length });

/** A file long enough to scroll: 120 lines of context around one added line. */
function longFile(extra: string[]): FileDiff {
  const context = Array.from({ length: 120 }, (_, i) => ` // line ${i + 1} of the handler table`);
  const lines = [...context.slice(0, 60), '+    route("/limits", limits),', ...extra, ...context.slice(60)];
  return file({ oldPath: 'src/routes.rs', newPath: 'src/routes.rs' }, 'modified', [
    hunk(`h-routes-${extra.length}`, `@@ -1,120 +1,${121 + extra.length} @@ fn routes()`, lines),
  ]);
}

const routesBefore = longFile([]);
const routesAfter = longFile(['+    route("/quota", quota),']);
/** The working tree before and after the agent's edit, which also adds a file in front of the others. */
const before = review({ kind: 'worktree' }, 'worktree', [rateLimitAdded, routesBefore, serverModified]);
const addedFirst = file({ oldPath: null, newPath: 'src/a_quota.rs' }, 'added', [hunk('h-quota', '@@ -0,0 +1 @@', ['+pub struct Quota;'])]);
const after = review({ kind: 'worktree' }, 'worktree', [addedFirst, rateLimitAdded, routesAfter, serverModified]);

function liveScenario(): Scenario {
  return { ...happyScenario(), openReview: { ...happyScenario().openReview, worktree: [{ ok: before }, { ok: after }] } };
}

/** Plays the shell: sends `message` over the channel the window gave `watch_repository`. */
async function push(page: Page, message: WatchMessage): Promise<void> {
  const delivered = await page.evaluate((m) => (window as unknown as { __mock: { send: (cmd: string, m: unknown) => boolean } }).__mock.send('watch_repository', m), message);
  expect(delivered, 'the window gave watch_repository a channel').toBe(true);
}

async function calls(page: Page, cmd: string): Promise<number> {
  return (await ipcCalls(page)).filter((call) => call.cmd === cmd).length;
}

/** Waits until the window has finished with `count` of the watcher's messages (reloads included). */
async function handled(page: Page, count: number): Promise<void> {
  await page.waitForSelector(`main[data-watch-handled="${count}"]`, { timeout: 5000 });
}

/** Waits until the diff view shows `file`, as the reader sees it. */
async function waitForDiff(page: Page, shown: FileDiff): Promise<void> {
  await expect.poll(() => shownHunks(page), { timeout: 5000 }).toEqual(expectedHunks(shown));
}

describe('live updates', () => {
  it('reloads the review on a change, keeping the selected file and the scroll position', async () => {
    const { page } = await open(liveScenario());
    await page.waitForSelector('[data-testid="live-indicator"]');
    expect(await page.isVisible('[data-testid="live-status"]')).toBe(false);

    await page.click('[data-testid="file-item"][data-path="src/routes.rs"]');
    await waitForDiff(page, routesBefore);
    await page.$eval('[data-testid="diff-view"]', (view) => (view.scrollTop = 900));
    const scrolled = await page.$eval('[data-testid="diff-view"]', (view) => view.scrollTop);
    expect(scrolled).toBeGreaterThan(500);
    // Record whether the diff ever leaves the page or a loading state shows while it reloads.
    await page.evaluate(() => {
      const flags = ((window as unknown as { __flash: string[] }).__flash = [] as string[]);
      new MutationObserver(() => {
        if (!document.querySelector('[data-testid="diff-view"]')) flags.push('diff view gone');
        if (document.querySelector('[data-testid="loading"]')) flags.push('loading shown');
      }).observe(document.body, { subtree: true, childList: true });
    });

    await push(page, { kind: 'changed', event: edited('src/a_quota.rs', 'src/routes.rs') });

    await waitForDiff(page, routesAfter);
    expect(await selected(page, '[data-testid="file-item"]', 'data-path')).toEqual(['src/routes.rs']);
    expect(await page.$$eval('[data-testid="file-item"]', (items) => items.map((i) => i.getAttribute('data-path')))).toEqual(
      after.files.map((f) => f.newPath),
    );
    expect(await page.$eval('[data-testid="diff-view"]', (view) => view.scrollTop)).toBe(scrolled);
    expect(await page.evaluate(() => (window as unknown as { __flash: string[] }).__flash)).toEqual([]);
    expect(await page.textContent('[data-testid="live-status"]')).toBe('Updated just now · 2 files changed');
    expect(await page.getAttribute('[data-testid="app"]', 'data-state')).toBe('ready');
    expect((await ipcCalls(page)).slice(-2).map((c) => c.cmd).sort()).toEqual(['list_targets', 'open_review']);
  });

  it('keeps a full diff the reviewer loaded across reloads, fetching it again only when the file changed', async () => {
    // db/seed.sql is too large to come with the review; the agent rewrites it, then edits another file.
    const seedAgain = { ...seedOmitted, newId: 'f00d'.repeat(10), additions: 4 };
    const seedLoadedAgain: FileDiff = {
      ...seedLoaded,
      newId: seedAgain.newId,
      hunks: [
        hunk('h-seed-2', '@@ -1,4 +1,7 @@', [
          ' -- Seed data for local development.',
          '-INSERT INTO limits (tenant, burst) VALUES (1, [-10-]);',
          '+INSERT INTO limits (tenant, burst) VALUES (1, {+20+});',
          '+INSERT INTO limits (tenant, burst) VALUES (2, 20);',
          '+INSERT INTO limits (tenant, burst) VALUES (3, 5);',
          '+INSERT INTO limits (tenant, burst) VALUES (4, 1);',
          " INSERT INTO tenants (id, name) VALUES (1, 'acme');",
          " INSERT INTO tenants (id, name) VALUES (2, 'globex');",
        ]),
      ],
    };
    const scenario = happyScenario();
    scenario.openReview = {
      ...scenario.openReview,
      worktree: [
        { ok: review({ kind: 'worktree' }, 'worktree', [rateLimitAdded, seedOmitted]) },
        { ok: review({ kind: 'worktree' }, 'worktree', [rateLimitAdded, seedAgain]) },
        { ok: review({ kind: 'worktree' }, 'worktree', [addedFirst, rateLimitAdded, seedAgain]) },
      ],
    };
    scenario.fileDiff = { 'db/seed.sql': [{ ok: seedLoaded }, { ok: seedLoadedAgain }] };
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="live-indicator"]');
    await page.click('[data-testid="file-item"][data-path="db/seed.sql"]');
    await page.click('[data-testid="load-omitted"]');
    await waitForDiff(page, seedLoaded);
    await page.evaluate(() => {
      const flags = ((window as unknown as { __flash: string[] }).__flash = [] as string[]);
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="load-omitted"]')) flags.push('load button shown');
        if (document.querySelectorAll('[data-testid="hunk"]').length === 0) flags.push('hunks gone');
      }).observe(document.body, { subtree: true, childList: true });
    });

    await push(page, { kind: 'changed', event: edited('db/seed.sql') });
    await waitForDiff(page, seedLoadedAgain);
    expect(await calls(page, 'file_diff')).toBe(2);

    await push(page, { kind: 'changed', event: edited('src/a_quota.rs') });
    await handled(page, 2);
    expect(await page.$$eval('[data-testid="file-item"]', (items) => items.length)).toBe(3);
    expect(await selected(page, '[data-testid="file-item"]', 'data-path')).toEqual(['db/seed.sql']);
    expect(await calls(page, 'file_diff')).toBe(2);
    expect(await shownHunks(page)).toEqual(expectedHunks(seedLoadedAgain));
    expect(await page.evaluate(() => (window as unknown as { __flash: string[] }).__flash)).toEqual([]);
  });

  it('follows an agent that starts writing on a clean tree, and shows its commit when it commits', async () => {
    const clean: TargetList = {
      ...targetList,
      targets: targetList.targets.map((t) => (t.spec === 'worktree' ? { ...t, detail: 'no changes', changedFiles: 0 } : t)),
      defaultTarget: { kind: 'commit', rev: 'HEAD' },
    };
    const scenario = liveScenario();
    scenario.listTargets = [{ ok: clean }, { ok: targetList }, { ok: clean }];
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="live-indicator"]');
    expect(await selected(page, '[data-testid="target-item"]', 'data-spec')).toEqual(['HEAD']);

    await push(page, { kind: 'changed', event: edited('src/middleware/rate_limit.rs') });
    await page.waitForSelector('[data-testid="target-item"][data-spec="worktree"][aria-selected="true"]');
    await waitForDiff(page, rateLimitAdded);
    expect((await ipcCalls(page)).filter((c) => c.cmd === 'open_review').at(-1)?.args).toEqual({ repo: REPO_PATH, target: { kind: 'worktree' } });

    await push(page, { kind: 'changed', event: { ...nothing, worktree: true, index: true, head: true, refs: true } });
    await page.waitForSelector('[data-testid="target-item"][data-spec="HEAD"][aria-selected="true"]');
    expect(await page.getAttribute('[data-testid="app"]', 'data-state')).toBe('ready');
  });

  it('stays on the target the reviewer picked when an agent starts writing', async () => {
    const clean: TargetList = { ...targetList, defaultTarget: { kind: 'commit', rev: 'HEAD' } };
    const scenario = liveScenario();
    scenario.listTargets = [{ ok: clean }, { ok: targetList }];
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="live-indicator"]');
    await page.click('[data-testid="target-item"][data-spec="e4f5a6b"]');
    await page.waitForSelector('[data-testid="target-item"][data-spec="e4f5a6b"][aria-selected="true"]');
    await page.waitForSelector('[data-testid="app"][data-state="ready"]');

    await push(page, { kind: 'changed', event: edited('src/middleware/rate_limit.rs') });
    await handled(page, 1);
    expect(await calls(page, 'list_targets')).toBe(2);
    expect(await selected(page, '[data-testid="target-item"]', 'data-spec')).toEqual(['e4f5a6b']);
    expect((await ipcCalls(page)).filter((c) => c.cmd === 'open_review').at(-1)?.args).toEqual({
      repo: REPO_PATH,
      target: { kind: 'commit', rev: 'e4f5a6b' },
    });
  });

  it('reloads at most twice for a burst of changes: the reload in flight and one after it', async () => {
    const scenario = liveScenario();
    scenario.delays = { open_review: 300 };
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="live-indicator"]');
    const opened = await calls(page, 'open_review');

    for (let i = 0; i < 12; i++) await push(page, { kind: 'changed', event: edited(`src/gen_${i}.rs`) });
    // Every change handled: the reloads they asked for have all run.
    await handled(page, 12);
    expect((await calls(page, 'open_review')) - opened).toBe(2);
    expect(await calls(page, 'list_targets')).toBe(1 + 2);
    // The second reload covers the eleven changes that arrived during the first.
    expect(await page.textContent('[data-testid="live-status"]')).toBe('Updated just now · 11 files changed');
    await waitForDiff(page, rateLimitAdded);
  });

  it('does not reload a commit for an edit in the working tree, but updates the target list', async () => {
    const scenario = liveScenario();
    const moreFiles: TargetList = {
      ...targetList,
      targets: targetList.targets.map((t) => (t.spec === 'worktree' ? { ...t, detail: '6 changed files', changedFiles: 6 } : t)),
    };
    scenario.listTargets = [{ ok: targetList }, { ok: moreFiles }];
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="live-indicator"]');
    await page.click('[data-testid="target-item"][data-spec="HEAD"]');
    await page.waitForSelector('[data-testid="target-item"][data-spec="HEAD"][aria-selected="true"]');
    await page.waitForSelector('[data-testid="app"][data-state="ready"]');
    const opened = await calls(page, 'open_review');

    await push(page, { kind: 'changed', event: edited('src/server.rs') });

    await handled(page, 1);
    expect(await page.textContent('[data-testid="target-item"][data-spec="worktree"]')).toContain('6 changed files');
    expect(await calls(page, 'open_review')).toBe(opened);
    expect(await selected(page, '[data-testid="target-item"]', 'data-spec')).toEqual(['HEAD']);

    // A new commit (HEAD's branch moved) does reload it.
    await push(page, { kind: 'changed', event: { ...nothing, refs: true } });
    await handled(page, 2);
    expect(await calls(page, 'open_review')).toBe(opened + 1);
    expect((await ipcCalls(page)).filter((c) => c.cmd === 'open_review').at(-1)?.args).toEqual({
      repo: REPO_PATH,
      target: { kind: 'commit', rev: 'HEAD' },
    });
    expect(await page.textContent('[data-testid="live-status"]')).toBe('Updated just now · branches updated');
  });

  it('shows a watcher failure as a notice and keeps the review', async () => {
    const { page } = await open(liveScenario());
    await page.waitForSelector('[data-testid="live-indicator"]');
    const message =
      'cannot watch /home/dana/src/acme-api/node_modules: the limit of watched directories is reached; raise fs.inotify.max_user_watches (e.g. `sudo sysctl fs.inotify.max_user_watches=524288`)';

    await push(page, { kind: 'failed', error: { kind: 'watch', message } });

    await page.waitForSelector('[data-testid="live-notice"]');
    expect(await page.getAttribute('[data-testid="live-notice"]', 'data-kind')).toBe('watch');
    expect(await page.textContent('[data-testid="live-notice-title"]')).toBe('Cannot watch for changes');
    expect(await page.textContent('[data-testid="live-notice-message"]')).toBe(message);
    expect(await page.getAttribute('[data-testid="app"]', 'data-state')).toBe('ready');
    await waitForDiff(page, rateLimitAdded);
    await page.screenshot({ path: 'test-results/browser-live-notice.png' });

    await page.click('[data-testid="live-notice-dismiss"]');
    expect(await page.isVisible('[data-testid="live-notice"]')).toBe(false);
  });

  it('says so when the watcher cannot start, and shows no live dot', async () => {
    const scenario = liveScenario();
    scenario.watchRepository = { err: { kind: 'watch', message: 'cannot start a file watcher: too many are open; close other watching programs or raise fs.inotify.max_user_instances' } };
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="live-notice"]');
    expect(await page.textContent('[data-testid="live-notice-message"]')).toContain('fs.inotify.max_user_instances');
    expect(await page.isVisible('[data-testid="live-indicator"]')).toBe(false);
    await waitForDiff(page, rateLimitAdded);
  });

  it('keeps the review when a reload fails, and clears the notice when the next one works', async () => {
    const scenario = liveScenario();
    scenario.openReview = {
      ...scenario.openReview,
      worktree: [{ ok: worktreeReview }, { err: { kind: 'git', message: 'could not read the index: index.lock exists' } }, { ok: after }],
    };
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="live-indicator"]');

    await push(page, { kind: 'changed', event: edited('src/server.rs') });
    await page.waitForSelector('[data-testid="live-notice"]');
    expect(await page.textContent('[data-testid="live-notice-title"]')).toBe('Could not refresh after a change');
    expect(await page.textContent('[data-testid="live-notice-message"]')).toBe('could not read the index: index.lock exists');
    await waitForDiff(page, rateLimitAdded);

    await push(page, { kind: 'changed', event: { ...nothing, index: true } });
    await page.waitForSelector('[data-testid="live-notice"]', { state: 'detached' });
    await expect.poll(() => page.textContent('[data-testid="live-status"]')).toBe('Updated just now · index updated');
  });

  it('stops watching when the window goes away, and ignores what arrives afterwards', async () => {
    const { page } = await open(liveScenario());
    await page.waitForSelector('[data-testid="live-indicator"]');
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide')));
    expect((await ipcCalls(page)).at(-1)).toEqual({ cmd: 'unwatch_repository', args: {} });
    expect(await page.isVisible('[data-testid="live-indicator"]')).toBe(false);
    const before = await calls(page, 'open_review');
    await push(page, { kind: 'changed', event: edited('src/server.rs') });
    // The window dropped it.
    await handled(page, 1);
    expect(await calls(page, 'open_review')).toBe(before);
  });
});
