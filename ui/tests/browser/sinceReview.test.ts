/**
 * "Since my last review" in a real browser, with the Tauri IPC mocked: only what changed in the
 * working tree since the reviewer's last viewed mark, drawn as a diff (read-only) in place of the
 * review, with its files in the files panel; a plain message when nothing was viewed yet, when
 * nothing changed and when the base moved; offered only while the working tree is a target.
 */
import type { WatchMessage } from '../../src/lib/bindings';
import { describe, expect, it } from 'vitest';
import { attributes, expectedHunks, shownHunks } from './dom';
import {
  REPO_PATH,
  agentScenario,
  interdiff,
  limitsSinceReview,
  serverSinceReview,
  sinceReview,
  targetList,
  workflowScenario,
  type Scenario,
} from './fixtures';
import { RESULTS_DIR, callsOf, useApp } from './harness';

const { open } = useApp({ quiet: true });

const OPEN = '[data-testid="since-review-open"]';

describe('since my last review', () => {
  it('shows only what changed since the last viewed mark, read-only, in place of the review, and goes back', async () => {
    const { page } = await open({ ...agentScenario(), sinceLastReview: { ok: sinceReview } });
    // Near the agent session's timeline.
    await page.waitForSelector('[data-testid="agent-session"] + .since-entry [data-testid="since-review-open"]');
    expect(await page.getAttribute(OPEN, 'aria-pressed')).toBe('false');
    await page.click(OPEN);

    const view = page.locator('[data-testid="since-review"]');
    await page.waitForSelector('[data-testid="since-review"][data-state="loaded"]');
    expect(await callsOf(page, 'since_last_review')).toEqual([{ repo: REPO_PATH }]);
    expect(await page.getAttribute(OPEN, 'aria-pressed')).toBe('true');
    expect(await view.locator('[data-testid="since-review-summary"]').textContent()).toBe('2 files changed');
    expect(await view.getByLabel('2 added, 1 removed').count()).toBe(1);
    expect(await view.locator('[data-testid="since-review-base-changed"]').count()).toBe(0);

    // Its files, not the working tree's, in the files panel; the first one shown.
    expect(await attributes(page, '[data-testid="file-item"]', 'data-path')).toEqual(['src/server.rs', 'src/limits.rs']);
    expect(await page.textContent('[data-testid="since-review-count"]')).toBe('2');
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('src/server.rs');
    expect(await shownHunks(page)).toEqual(expectedHunks(serverSinceReview));
    // Read-only: no viewed checkbox, no undo, no notes.
    expect(await page.locator('[data-testid="hunk-viewed"], [data-testid="undo-hunk"], [data-testid="undo-file"], [data-testid="thread"]').count()).toBe(0);
    expect(await page.textContent('.statusbar .position')).toBe('since your last review · file 1 of 2');

    // Another file by click, and back with k; c, v and u do nothing here.
    await page.click('[data-testid="file-item"][data-path="src/limits.rs"]');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/limits.rs"]');
    expect(await shownHunks(page)).toEqual(expectedHunks(limitsSinceReview));
    await page.keyboard.press('k');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/server.rs"]');
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/limits.rs"]');
    for (const key of ['c', 'v', 'u']) await page.keyboard.press(key);
    expect(await page.locator('[data-testid="composer"], [data-testid="undo-dialog"]').count()).toBe(0);
    expect(await callsOf(page, 'mark_viewed')).toEqual([]);
    await page.screenshot({ path: `${RESULTS_DIR}/since-last-review.png` });

    // Back to the review: the working tree's files and diff again.
    await page.click('[data-testid="since-review-close"]');
    expect(await page.locator('[data-testid="since-review"]').count()).toBe(0);
    expect(await attributes(page, '[data-testid="file-item"]', 'data-path')).toContain('src/middleware/rate_limit.rs');
    expect(await page.getAttribute(OPEN, 'aria-pressed')).toBe('false');
    await page.waitForSelector('[data-testid="diff-view"] [data-testid="undo-file"]');

    // Esc closes it too.
    await page.click(OPEN);
    await page.waitForSelector('[data-testid="since-review"][data-state="loaded"]');
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-testid="since-review"]').count()).toBe(0);
  });

  it('says so when nothing of the working tree was viewed yet (unknownRevision)', async () => {
    const { page } = await open(agentScenario());
    await page.click(OPEN);
    const nothing = page.locator('[data-testid="since-review"][data-state="nothingViewed"] [data-testid="since-review-nothing-viewed"]');
    await nothing.waitFor();
    expect(await nothing.textContent()).toContain('Nothing viewed yet');
    expect(await nothing.textContent()).toContain('Mark hunks of the working tree viewed');
    expect(await page.locator('[data-testid="since-review"] [data-testid="error"]').count()).toBe(0);
    expect(await page.locator('[data-testid="file-item"]').count()).toBe(0);
  });

  it('says when nothing changed since, and when the base moved in between', async () => {
    const scenario: Scenario = {
      ...agentScenario(),
      sinceLastReview: [{ ok: interdiff([]) }, { ok: interdiff([limitsSinceReview], { baseChanged: true }) }],
    };
    const { page } = await open(scenario);
    await page.click(OPEN);
    await page.waitForSelector('[data-testid="since-review-unchanged"]');
    expect(await page.textContent('[data-testid="since-review-unchanged"]')).toContain('Nothing changed since your last review');
    expect(await page.textContent('[data-testid="since-review-summary"]')).toBe('No changes');

    await page.click('[data-testid="since-review-close"]');
    await page.click(OPEN);
    await page.waitForSelector('[data-testid="since-review-base-changed"]');
    expect(await page.textContent('[data-testid="since-review-base-changed"]')).toContain('The base moved since your last review');
    expect(await shownHunks(page)).toEqual(expectedHunks(limitsSinceReview));
  });

  it('shows another failure with the error panel, and Try again asks again', async () => {
    const scenario: Scenario = {
      ...agentScenario(),
      sinceLastReview: [{ err: { kind: 'databaseLocked', message: 'the review database is busy' } }, { ok: sinceReview }],
    };
    const { page } = await open(scenario);
    await page.click(OPEN);
    const error = page.locator('[data-testid="since-review"] [data-testid="error"]');
    await error.waitFor();
    expect(await error.getAttribute('data-kind')).toBe('databaseLocked');
    await error.locator('button', { hasText: 'Try again' }).click();
    await page.waitForSelector('[data-testid="since-review"][data-state="loaded"]');
    expect((await callsOf(page, 'since_last_review')).length).toBe(2);
  });

  it('asks again when the working tree changes under it, keeping the file shown', async () => {
    const moved = interdiff([serverSinceReview, limitsSinceReview, { ...limitsSinceReview, oldPath: 'src/tenants.rs', newPath: 'src/tenants.rs' }]);
    const { page } = await open({ ...agentScenario(), sinceLastReview: [{ ok: sinceReview }, { ok: moved }] });
    await page.click(OPEN);
    await page.waitForSelector('[data-testid="since-review"][data-state="loaded"]');
    await page.click('[data-testid="file-item"][data-path="src/limits.rs"]');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/limits.rs"]');

    const changed: WatchMessage = { kind: 'changed', event: { worktree: true, index: false, head: false, refs: false, paths: ['src/tenants.rs'], changed: 1 } };
    const delivered = await page.evaluate(
      (m) => (window as unknown as { __mock: { send: (cmd: string, m: unknown) => boolean } }).__mock.send('watch_repository', m),
      changed,
    );
    expect(delivered).toBe(true);
    await expect.poll(() => attributes(page, '[data-testid="file-item"]', 'data-path')).toEqual(['src/server.rs', 'src/limits.rs', 'src/tenants.rs']);
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('src/limits.rs');
    expect(await page.getAttribute('[data-testid="file-item"][data-path="src/limits.rs"]', 'aria-selected')).toBe('true');
  });

  it('closes when a target or a turn is picked', async () => {
    const { page } = await open({ ...agentScenario(), sinceLastReview: { ok: sinceReview } });
    await page.click(OPEN);
    await page.waitForSelector('[data-testid="since-review"][data-state="loaded"]');
    await page.click('[data-testid="turn"][data-seq="3"] [data-testid="turn-open"]');
    await page.waitForSelector('[data-testid="hunk"][data-hunk-id="h-turn3-1"]');
    expect(await page.locator('[data-testid="since-review"]').count()).toBe(0);

    await page.click(OPEN);
    await page.waitForSelector('[data-testid="since-review"][data-state="loaded"]');
    await page.click('[data-testid="target-item"][data-spec="HEAD"]');
    await page.waitForSelector('.statusbar .spec:text-is("HEAD")');
    expect(await page.locator('[data-testid="since-review"]').count()).toBe(0);
  });

  it('is offered only while the working tree is a target, with or without an agent session', async () => {
    const withoutSession = await open(workflowScenario());
    await withoutSession.page.waitForSelector(OPEN);
    expect(await withoutSession.page.locator('[data-testid="agent-session"]').count()).toBe(0);
    await withoutSession.context.close();

    const clean: Scenario = {
      ...agentScenario(),
      listTargets: { ok: { ...targetList, targets: targetList.targets.filter((t) => t.target.kind !== 'worktree'), defaultTarget: { kind: 'commit', rev: 'HEAD' } } },
    };
    const { page } = await open(clean);
    await page.waitForSelector('[data-testid="target-item"][data-spec="HEAD"]');
    await page.waitForSelector('[data-testid="agent-session"]');
    expect(await page.locator(OPEN).count()).toBe(0);
  });
});
