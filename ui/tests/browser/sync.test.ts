/**
 * Sharing reviews through git in a real browser, with the Tauri IPC mocked: the last sync on
 * load, the Sync button (its spinner, then the summary), others' notes and decisions appearing
 * marked as another reviewer's, and a sync that fails or could not read some notes leaving the
 * review usable.
 */
import { describe, expect, it } from 'vitest';
import { showFile } from './dom';
import { REPO_PATH, samApproval, samThread, syncReport, workflowScenario, type Scenario } from './fixtures';
import { RESULTS_DIR, callsOf, useApp, waitForState } from './harness';

const { open } = useApp({ quiet: true });

const HOUR = 3600_000;

describe('the last sync', () => {
  it('shows when the reviews were last synced, from sync_status, and where the button sends them', async () => {
    const scenario: Scenario = {
      ...workflowScenario(),
      syncStatus: { ok: { remote: 'origin', last: syncReport({ syncedAt: Date.now() - 26 * HOUR }) } },
    };
    const { page } = await open(scenario);
    await expect.poll(() => page.locator('[data-testid="sync-status"]').textContent()).toBe('Synced yesterday');
    expect(await callsOf(page, 'sync_status')).toEqual([{ repo: REPO_PATH }]);
    const button = page.getByRole('button', { name: 'Sync reviews', exact: true });
    // the title also carries the line, which a narrow header hides
    expect(await button.getAttribute('title')).toBe('Share reviews with origin through git\nSynced yesterday');
    expect(await button.textContent()).toContain('Sync');
    // Its title says everything the sync did.
    expect(await page.getAttribute('[data-testid="sync-status"]', 'title')).toContain('From others: 0 new threads, 0 replies, 0 decisions');
    expect(await callsOf(page, 'sync_reviews')).toEqual([]);
  });

  it('says so before the first sync, and that there is no remote', async () => {
    const { page } = await open({ ...workflowScenario(), syncStatus: { ok: { remote: null, last: null } } });
    await expect.poll(() => page.locator('[data-testid="sync-status"]').textContent()).toBe('Not synced yet');
    expect(await page.getAttribute('[data-testid="sync-button"]', 'title')).toBe('Write reviews to refs/notes/redline (no remote)\nNot synced yet');
  });

  it('is never shown cut short: where the header has no room for it, it turns invisible and the button’s title says it', async () => {
    const scenario: Scenario = {
      ...workflowScenario(),
      syncStatus: { ok: { remote: 'origin', last: syncReport({ syncedAt: Date.now() - 26 * HOUR, newThreads: 2 }) } },
    };
    const { page } = await open(scenario);
    await expect.poll(() => page.locator('[data-testid="sync-status"]').textContent()).toBe('Synced yesterday · 2 new notes from others');
    const states: { width: number; squeezed: boolean; cut: boolean; opacity: string }[] = [];
    for (let width = 900; width <= 2000; width += 100) {
      await page.setViewportSize({ width, height: 800 });
      // a resize is measured on the next frames
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      states.push(
        await page.evaluate((width) => {
          const status = document.querySelector<HTMLElement>('[data-testid="sync-status"]');
          const lines = [...(status?.querySelectorAll<HTMLElement>('.when, .news') ?? [])];
          return {
            width,
            squeezed: status?.dataset['squeezed'] === 'true',
            cut: lines.some((line) => line.scrollWidth > line.clientWidth + 1),
            opacity: status === null ? '' : getComputedStyle(status).opacity,
          };
        }, width),
      );
    }
    // visible means whole; cut means invisible; both happen in the sweep
    for (const state of states) {
      expect(state.cut, JSON.stringify(state)).toBe(state.squeezed);
      expect(state.opacity, JSON.stringify(state)).toBe(state.squeezed ? '0' : '1');
    }
    expect(states.some((s) => s.squeezed)).toBe(true);
    expect(states.some((s) => !s.squeezed)).toBe(true);
    // still in the page for screen readers, and in the button's title for the eye
    expect(await page.locator('[data-testid="sync-status"]').getAttribute('role')).toBe('status');
    expect(await page.getAttribute('[data-testid="sync-button"]', 'title')).toBe(
      'Share reviews with origin through git\nSynced yesterday · 2 new notes from others',
    );
  });

  it('is in the focus order with the header buttons, and Enter syncs', async () => {
    const { page } = await open(workflowScenario());
    await page.waitForSelector('[data-testid="coverage-text"]');
    await page.focus('[data-testid="sync-button"]');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('toggle-notes');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sync-button');
    await page.keyboard.press('Enter');
    await expect.poll(() => callsOf(page, 'sync_reviews')).toEqual([{ repo: REPO_PATH }]);
    await expect.poll(() => page.locator('[data-testid="sync-status"]').textContent()).toBe('Synced just now');
  });
});

describe('syncing', () => {
  it('shows a spinner while it runs, then the summary; others’ thread and decision appear marked as another reviewer’s', async () => {
    const scenario: Scenario = {
      ...workflowScenario(),
      syncStatus: { ok: { remote: 'origin', last: syncReport({ syncedAt: Date.now() - 26 * HOUR }) } },
      syncReviews: { ok: syncReport({ newThreads: 2, newReplies: 1, newDecisions: 1, pushed: true, commitsWritten: 1 }) },
      syncBrings: { worktree: { threads: [samThread], decision: samApproval } },
      delays: { sync_reviews: 600 },
    };
    const { page } = await open(scenario);
    await showFile(page, 'src/server.rs');
    await page.waitForSelector('[data-thread-id="t-current"]');
    await expect.poll(() => page.locator('[data-testid="sync-status"]').textContent()).toBe('Synced yesterday');
    expect(await page.locator('[data-thread-id="t-sam"]').count()).toBe(0);
    const notesBefore = (await callsOf(page, 'review_notes')).length;
    const progressBefore = (await callsOf(page, 'review_progress')).length;
    const statusesBefore = (await callsOf(page, 'target_statuses')).length;

    await page.click('[data-testid="sync-button"]');
    await page.waitForSelector('[data-testid="sync-spinner"]');
    const button = page.locator('[data-testid="sync-button"]');
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    expect(await button.textContent()).toContain('Syncing…');
    // A second click while it runs starts nothing (forced: Playwright waits for an aria-disabled button).
    await button.click({ force: true });
    await page.waitForSelector('[data-testid="sync-spinner"]', { state: 'detached' });
    expect(await callsOf(page, 'sync_reviews')).toEqual([{ repo: REPO_PATH }]);
    expect(await button.getAttribute('aria-disabled')).toBe('false');
    expect(await page.textContent('[data-testid="sync-status"]')).toBe('Synced just now · 3 new notes from others · 1 decision');
    expect(await page.getAttribute('[data-testid="sync-status"]', 'title')).toContain('Fetched from and pushed to origin');

    // The notes, the progress and the target list reload: Sam's thread is on its line, his name
    // marked as another reviewer's; Dana's own notes are not.
    const sam = page.locator('[data-thread-id="t-sam"] [data-testid="note-author"]');
    await sam.waitFor();
    expect(await sam.textContent()).toBe('Sam Lee');
    expect(await sam.getAttribute('data-by')).toBe('other');
    expect(await sam.getAttribute('title')).toBe('Written by another reviewer (sam@acme.dev)');
    const dana = page.locator('[data-thread-id="t-current"] [data-testid="note-author"]');
    expect(await dana.getAttribute('data-by')).toBe('reviewer');
    expect(await dana.getAttribute('title')).toBe('dana@acme.dev');
    expect((await callsOf(page, 'review_notes')).length).toBeGreaterThan(notesBefore);
    expect((await callsOf(page, 'review_progress')).length).toBeGreaterThan(progressBefore);
    await expect.poll(async () => (await callsOf(page, 'target_statuses')).length).toBeGreaterThan(statusesBefore);

    // Sam's approval: in the header, and on the target list with his name in the badge's title.
    await expect.poll(() => page.locator('[data-testid="review-status"]').textContent()).toBe('Approved by Sam Lee');
    const badge = page.locator('[data-testid="target-item"][data-spec="worktree"] [data-testid="target-status"]');
    await badge.waitFor();
    expect(await badge.textContent()).toBe('approved');
    expect(await badge.getAttribute('data-by')).toBe('other');
    expect(await badge.getAttribute('title')).toBe('Approved by Sam Lee (another reviewer): “Fine once the port question is answered”');
    await page.screenshot({ path: `${RESULTS_DIR}/browser-sync-light.png` });
  });

  it('shows a failed sync as a notice in the header; the review stays usable and a later sync works', async () => {
    const scenario: Scenario = {
      ...workflowScenario(),
      syncStatus: { ok: { remote: 'origin', last: syncReport({ syncedAt: Date.now() - 26 * HOUR }) } },
      syncReviews: [
        { err: { kind: 'git', message: "git fetch origin failed: fatal: '/srv/git/acme.git' does not appear to be a git repository" } },
        { ok: syncReport({ newReplies: 1 }) },
      ],
    };
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="coverage-text"]');
    await page.click('[data-testid="sync-button"]');
    const notice = page.locator('[data-testid="sync-error"]');
    await notice.waitFor();
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await notice.getAttribute('data-kind')).toBe('git');
    expect(await notice.textContent()).toContain("git fetch origin failed: fatal: '/srv/git/acme.git' does not appear to be a git repository");
    expect(await notice.getAttribute('title')).toContain('Synced yesterday');
    await page.screenshot({ path: `${RESULTS_DIR}/browser-sync-failed-light.png` });

    // Not an error screen: the app is ready, the diff is there and the keys still work.
    await waitForState(page, 'ready');
    expect(await page.locator('[data-testid="error-panel"]').count()).toBe(0);
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/server.rs"]');
    await page.waitForSelector('[data-thread-id="t-current"]');

    // Dismissed, the last good sync shows again; the next sync succeeds and clears the notice.
    await page.click('[data-testid="sync-error-dismiss"]');
    expect(await notice.count()).toBe(0);
    expect(await page.textContent('[data-testid="sync-status"]')).toBe('Synced yesterday');
    await page.click('[data-testid="sync-button"]');
    await expect.poll(() => page.locator('[data-testid="sync-status"]').textContent()).toBe('Synced just now · 1 new note from others');
    expect(await notice.count()).toBe(0);
  });

  it('warns about notes it could not read, listing them on demand', async () => {
    const problems = ['a1b2c3d: the note is not JSON (expected value at line 1 column 1)', 'e4f5a6b: written by a newer Redline (schema version 9)'];
    const { page } = await open({ ...workflowScenario(), syncReviews: { ok: syncReport({ problems }) } });
    await page.waitForSelector('[data-testid="coverage-text"]');
    await page.click('[data-testid="sync-button"]');
    const warning = page.locator('[data-testid="sync-problems"]');
    await warning.waitFor();
    expect((await warning.textContent())?.trim()).toMatch(/2 notes could not be read$/);
    expect(await warning.getAttribute('title')).toBe(problems.join('\n'));
    expect(await warning.getAttribute('aria-expanded')).toBe('false');
    await warning.click();
    expect(await page.$$eval('[data-testid="sync-problem-list"] li', (items) => items.map((li) => li.textContent))).toEqual(problems);
    expect(await warning.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="sync-problem-list"]', { state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sync-problems');
  });
});
