/**
 * The review workflow in a real browser, with the Tauri IPC mocked: notes under their lines,
 * writing one (and its draft surviving reloads), hunks marked viewed, the decision dialog and
 * the target list's review badges. The mock keeps what the test writes as the core would.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WatchMessage } from '../../src/lib/bindings';
import { attributes, showFile } from './dom';
import { REPO_PATH, decisionState, outdatedThread, workflowProgress, workflowScenario, type Scenario } from './fixtures';
import { RESULTS_DIR, callsOf, useApp, waitForState } from './harness';

const { open } = useApp({ quiet: true });

/** Each thread on a line: its id and the old and new numbers of the line row right above it. */
async function threadRows(page: Page): Promise<{ id: string | null; old: string | null; new: string | null }[]> {
  return page.$$eval('[data-testid="notes-row"] [data-testid="thread"]', (threads) =>
    threads.map((thread) => {
      const line = thread.closest('tr')?.previousElementSibling;
      const numbers = line?.getAttribute('data-testid') === 'diff-line' ? line.querySelectorAll('td.num') : null;
      return {
        id: thread.getAttribute('data-thread-id'),
        old: numbers?.[0]?.getAttribute('data-line') ?? null,
        new: numbers?.[1]?.getAttribute('data-line') ?? null,
      };
    }),
  );
}

describe('threads in the diff', () => {
  it('shows each thread under the line its range ends on, counted on its own side, with the body the core rendered', async () => {
    const { page } = await open(workflowScenario());
    await showFile(page, 'src/server.rs');
    await page.waitForSelector('[data-thread-id="t-current"]');

    // In the diff's order: t-changed (old line 42) under the removed line 42, t-current (new
    // lines 43–44) under the added line 44.
    expect(await threadRows(page)).toEqual([
      { id: 't-changed', old: '42', new: null },
      { id: 't-current', old: null, new: '44' },
    ]);
    const current = page.locator('[data-thread-id="t-current"]');
    expect(await current.locator('[data-testid="thread-kind"]').textContent()).toBe('Question');
    expect(await current.locator('[data-testid="note-author"]').textContent()).toBe('Dana Smith');
    // The body is the core's HTML, not its Markdown source.
    expect(await current.locator('[data-testid="note-body"] strong').textContent()).toBe('burst');
    expect(await current.locator('[data-testid="thread-changed"]').count()).toBe(0);
    // The note whose code the agent edited since says so.
    expect(await page.locator('[data-thread-id="t-changed"] [data-testid="thread-changed"]').textContent()).toBe('Code changed since this note');
  });

  it('lists an outdated thread at the top of its file, with the lines it was written on', async () => {
    const { page } = await open(workflowScenario());
    await showFile(page, 'src/server.rs');
    const outdated = page.locator('[data-testid="file-notes"] [data-thread-id="t-outdated"]');
    await outdated.waitFor();
    expect(await outdated.getAttribute('data-placement')).toBe('outdated');
    expect(await outdated.locator('[data-testid="thread-snippet"] pre').textContent()).toBe(outdatedThread.thread.anchor.lines.join('\n'));
    expect(await outdated.locator('[data-testid="thread-snippet"]').textContent()).toContain('Written on src/server.rs · new lines 12–13');
    // A thread on a line the diff does not show is listed there too, saying where it is.
    const far = page.locator('[data-testid="file-notes"] [data-thread-id="t-far"]');
    expect(await far.locator('[data-testid="thread-offscreen"]').textContent()).toBe('line 30, not shown in the diff');
    expect(await far.locator('[data-testid="thread-snippet"] pre').textContent()).toBe('    // Health checks are never rate limited.');
    expect(await attributes(page, '[data-testid="file-notes"] [data-testid="thread"]', 'data-thread-id')).toEqual(['t-outdated', 't-far']);
    // Not on any line, and not in another file.
    expect(await threadRows(page)).not.toContainEqual(expect.objectContaining({ id: 't-outdated' }));
    await showFile(page, 'src/middleware/rate_limit.rs');
    expect(await page.locator('[data-testid="thread"]').count()).toBe(0);
  });
});

describe('the composer', () => {
  it('writes a must-fix note with c on the current hunk (its last added line), previewed, saved with Ctrl+Enter; the thread appears there', async () => {
    const { page } = await open(workflowScenario());
    await showFile(page, 'src/server.rs');
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    await page.keyboard.press('c');
    const composer = page.locator('[data-testid="composer"]');
    await composer.waitFor();
    // The last added line of `@@ -40,9 +42,10 @@` is new line 47.
    expect(await composer.getAttribute('data-key')).toBe('new:src/server.rs:new:47-47');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('composer-body');
    expect(await composer.locator('[data-testid="composer-kind"]').inputValue()).toBe('comment');

    await page.keyboard.type('**Unbounded** retries on bind');
    await composer.locator('[data-testid="composer-kind"]').selectOption('mustFix');
    await composer.locator('[data-testid="composer-preview-tab"]').click();
    await composer.locator('[data-testid="composer-preview"] strong').waitFor();
    expect(await composer.locator('[data-testid="composer-preview"] strong').textContent()).toBe('Unbounded');
    expect(await callsOf(page, 'preview_markdown')).toEqual([{ body: '**Unbounded** retries on bind' }]);
    await composer.getByRole('button', { name: 'Write' }).click();
    await composer.locator('[data-testid="composer-body"]').focus();
    await page.keyboard.press('Control+Enter');

    await page.waitForSelector('[data-testid="notes-row"] [data-thread-id="t-added-1"]');
    expect(await callsOf(page, 'add_note')).toEqual([
      {
        repo: REPO_PATH,
        target: { kind: 'worktree' },
        note: { path: 'src/server.rs', side: 'new', startLine: 47, endLine: 47, kind: 'mustFix', body: '**Unbounded** retries on bind' },
      },
    ]);
    expect(await page.locator('[data-testid="composer"]').count()).toBe(0);
    expect(await threadRows(page)).toContainEqual({ id: 't-added-1', old: null, new: '47' });
    expect(await page.locator('[data-thread-id="t-added-1"] [data-testid="thread-kind"]').textContent()).toBe('Must fix');
    // Two must-fix notes are open now, and the header says so once the progress reloads.
    await expect.poll(() => page.textContent('[data-testid="open-must-fix"]')).toBe('2 must-fix open');
  });

  it('comments on lines picked by clicking line numbers (shift-click extends), and Esc cancels', async () => {
    const { page } = await open(workflowScenario());
    await showFile(page, 'src/server.rs');
    await page.click('[data-testid="diff-line"] td[data-side="new"][data-line="43"]');
    await page.click('[data-testid="diff-line"] td[data-side="new"][data-line="45"]', { modifiers: ['Shift'] });
    expect(await page.textContent('[data-testid="line-selection"]')).toContain('New lines 43–45 selected');
    expect(await page.locator('[data-testid="diff-line"][data-selected="true"]').count()).toBe(3);
    await page.keyboard.press('c');
    const composer = page.locator('[data-testid="composer"]');
    expect(await composer.getAttribute('data-key')).toBe('new:src/server.rs:new:43-45');
    // Under the last selected line.
    const above = await composer.evaluate((form) => form.closest('tr')?.previousElementSibling?.querySelectorAll('td.num')[1]?.getAttribute('data-line'));
    expect(above).toBe('45');

    await page.keyboard.type('x');
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-testid="composer"]').count()).toBe(0);
    // Cancelling drops the draft (an empty body deletes it).
    await expect.poll(async () => (await callsOf(page, 'save_draft')).at(-1)).toMatchObject({ draft: { key: 'new:src/server.rs:new:43-45', body: '' } });
  });

  it('keeps what is typed as a draft, once typing pauses, through a live reload and an app restart', async () => {
    const { page } = await open(workflowScenario());
    // The first file's only hunk: its last added line is 26.
    await page.keyboard.press('c');
    await page.locator('[data-testid="composer-body"]').waitFor();
    await page.keyboard.type('Is the refill tested with a fake clock?', { delay: 20 });
    const key = 'new:src/middleware/rate_limit.rs:new:26-26';
    await expect.poll(() => callsOf(page, 'save_draft'), { timeout: 3000 }).toHaveLength(1);
    // One write for the whole sentence: the draft is saved once typing pauses.
    expect(await callsOf(page, 'save_draft')).toEqual([
      {
        repo: REPO_PATH,
        target: { kind: 'worktree' },
        draft: {
          key,
          kind: 'comment',
          body: 'Is the refill tested with a fake clock?',
          anchor: { path: 'src/middleware/rate_limit.rs', side: 'new', startLine: 26, endLine: 26 },
          updatedAt: expect.any(Number),
        },
      },
    ]);

    // The agent writes: the review and its notes reload; the composer stays with its text.
    const message: WatchMessage = { kind: 'changed', event: { worktree: true, index: false, head: false, refs: false, paths: ['src/server.rs'], changed: 1 } };
    await page.evaluate((m) => (window as unknown as { __mock: { send: (cmd: string, m: unknown) => boolean } }).__mock.send('watch_repository', m), message);
    await expect.poll(async () => (await callsOf(page, 'review_notes')).length).toBe(2);
    expect(await page.locator(`[data-testid="composer"][data-key="${key}"] [data-testid="composer-body"]`).inputValue()).toBe('Is the refill tested with a fake clock?');

    // The window restarts: the draft comes back from the notes.
    await page.reload();
    await waitForState(page, 'ready');
    const restored = page.locator(`[data-testid="composer"][data-key="${key}"] [data-testid="composer-body"]`);
    await restored.waitFor();
    expect(await restored.inputValue()).toBe('Is the refill tested with a fake clock?');
    // A restored draft does not take the keyboard: j still moves to the next file.
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/server.rs"]');
  });
});

describe('viewed hunks', () => {
  it('marks the current hunk viewed with v: the hunk checkbox, the file tick and the coverage follow; v again unmarks', async () => {
    const { page } = await open(workflowScenario());
    await page.waitForSelector('[data-testid="coverage-text"]');
    expect(await page.textContent('[data-testid="coverage-text"]')).toBe('AI-reviewed 0/2 hunks');
    expect(await page.locator('[data-testid="file-item"][data-path="src/middleware/rate_limit.rs"] [data-testid="file-viewed"]').count()).toBe(0);

    await page.keyboard.press('v');
    await page.waitForSelector('[data-testid="file-item"][data-path="src/middleware/rate_limit.rs"] [data-testid="file-viewed"]');
    expect(await callsOf(page, 'mark_viewed')).toEqual([
      { repo: REPO_PATH, target: { kind: 'worktree' }, file: 'src/middleware/rate_limit.rs', hunkId: 'h-rate-1', viewed: true },
    ]);
    expect(await page.isChecked('[data-hunk-id="h-rate-1"] [data-testid="hunk-viewed"]')).toBe(true);
    expect(await page.textContent('[data-testid="coverage-text"]')).toBe('AI-reviewed 1/2 hunks');
    // Only that file is ticked.
    expect(await attributes(page, '[data-testid="file-item"]:has([data-testid="file-viewed"])', 'data-path')).toEqual(['src/middleware/rate_limit.rs']);

    await page.keyboard.press('v');
    await expect.poll(() => page.locator('[data-testid="file-viewed"]').count()).toBe(0);
    expect((await callsOf(page, 'mark_viewed')).at(-1)).toMatchObject({ hunkId: 'h-rate-1', viewed: false });
    expect(await page.isChecked('[data-hunk-id="h-rate-1"] [data-testid="hunk-viewed"]')).toBe(false);
  });

  it('says which hunks changed since they were viewed, on the hunk and in the file list', async () => {
    const { page } = await open(workflowScenario());
    await page.waitForSelector('[data-testid="file-item"][data-path="src/server.rs"] [data-testid="file-changed"]');
    expect(await attributes(page, '[data-testid="file-item"]:has([data-testid="file-changed"])', 'data-path')).toEqual(['src/server.rs']);
    await showFile(page, 'src/server.rs');
    expect(await attributes(page, '[data-testid="hunk"]:has([data-testid="hunk-changed"])', 'data-hunk-id')).toEqual(['h-server-2']);
    expect(await page.textContent('[data-hunk-id="h-server-2"] [data-testid="hunk-changed"]')).toBe('Changed since viewed');
    expect(await page.isChecked('[data-hunk-id="h-server-2"] [data-testid="hunk-viewed"]')).toBe(false);
    // Viewing it again clears the badge.
    await page.click('[data-hunk-id="h-server-2"] [data-testid="hunk-viewed"]');
    await expect.poll(() => page.locator('[data-testid="hunk-changed"]').count()).toBe(0);
    expect((await callsOf(page, 'mark_viewed')).at(-1)).toMatchObject({ file: 'src/server.rs', hunkId: 'h-server-2', viewed: true });
  });
});

describe('the decision', () => {
  it('asks to confirm an approval the core refuses (open must-fix, coverage), and approves with confirmed=true once ticked', async () => {
    const { page } = await open(workflowScenario());
    await page.waitForSelector('[data-testid="coverage-text"]');
    await page.keyboard.press('a');
    const dialog = page.getByRole('dialog', { name: 'Review worktree' });
    await dialog.waitFor();
    expect(await dialog.locator('[data-testid="decision-coverage"]').textContent()).toBe('AI-reviewed 0/2 hunks');
    expect(await dialog.locator('[data-testid="decision-must-fix"]').textContent()).toBe('1');
    expect(await dialog.locator('[data-testid="decision-status"]').textContent()).toBe('Open, no decision yet');
    // Keys typed in the dialog are the dialog's: j does not move to the next file.
    await page.keyboard.type('jLooks right');
    expect(await dialog.locator('[data-testid="decision-message"]').inputValue()).toBe('jLooks right');
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('src/middleware/rate_limit.rs');

    await dialog.locator('[data-testid="decision-approve"]').click();
    await dialog.locator('[data-testid="decision-blockers"]').waitFor();
    expect(await dialog.locator('[data-testid="decision-blockers"]').textContent()).toContain('1 must-fix note is open; 0 of 2 AI-written hunks viewed');
    expect(await dialog.locator('[data-testid="decision-approve"]').isDisabled()).toBe(true);
    expect(await callsOf(page, 'decide')).toEqual([
      { repo: REPO_PATH, target: { kind: 'worktree' }, verdict: 'approved', message: 'jLooks right', confirmed: false },
    ]);

    await dialog.locator('[data-testid="decision-confirm"]').check();
    await dialog.locator('[data-testid="decision-approve"]').click();
    await dialog.waitFor({ state: 'detached' });
    expect((await callsOf(page, 'decide')).at(-1)).toEqual({
      repo: REPO_PATH,
      target: { kind: 'worktree' },
      verdict: 'approved',
      message: 'jLooks right',
      confirmed: true,
    });
    expect(await page.textContent('[data-testid="review-status"]')).toBe('Approved by Dana Smith');
    // The target list asks for the statuses again after the decision.
    await expect.poll(async () => (await callsOf(page, 'target_statuses')).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps focus inside the dialog and closes it with Esc, giving focus back', async () => {
    const { page } = await open(workflowScenario());
    await page.waitForSelector('[data-testid="coverage-text"]');
    await page.keyboard.press('a');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('decision-message');
    const inside = () => page.evaluate(() => document.querySelector('[role="dialog"]')?.contains(document.activeElement) ?? false);
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      expect(await inside()).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await inside()).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await callsOf(page, 'decide')).toEqual([]);
  });

  it('approves without asking when nothing blocks, and requests changes with one call', async () => {
    const scenario: Scenario = {
      ...workflowScenario(),
      reviewNotes: {},
      reviewProgress: { worktree: { ok: { ...workflowProgress, aiHunks: [], coverage: { aiViewed: 0, aiHunks: 0, humanViewed: 0, humanHunks: 5 }, openMustFix: 0 } } },
    };
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="coverage-text"]');
    await page.keyboard.press('a');
    await page.click('[data-testid="decision-request-changes"]');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
    expect(await page.textContent('[data-testid="review-status"]')).toBe('Changes requested by Dana Smith');
    await page.keyboard.press('a');
    await page.click('[data-testid="decision-approve"]');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
    expect((await callsOf(page, 'decide')).map((call) => [call.verdict, call.confirmed])).toEqual([
      ['changesRequested', false],
      ['approved', false],
    ]);
    expect(await page.textContent('[data-testid="review-status"]')).toBe('Approved by Dana Smith');
  });

  it('says when the approval went stale', async () => {
    const scenario: Scenario = {
      ...workflowScenario(),
      reviewProgress: { worktree: { ok: { ...workflowProgress, decision: decisionState('approved', true), status: 'open' } } },
    };
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="review-status"]');
    expect(await page.textContent('[data-testid="review-status"]')).toBe('Approval stale (the code changed since)');
    expect(await page.getAttribute('[data-testid="review-status"]', 'data-tone')).toBe('stale');
  });
});

describe('the target list', () => {
  it('shows the review status and coverage of each reviewed target, asked for after the list is drawn', async () => {
    const scenario: Scenario = {
      ...workflowScenario(),
      targetStatuses: {
        ok: [
          { target: { kind: 'commit', rev: 'HEAD' }, status: 'approved', decision: decisionState('approved', false), coverage: { aiViewed: 1, aiHunks: 1, humanViewed: 0, humanHunks: 1 }, openMustFix: 0 },
          { target: { kind: 'staged' }, status: 'changesRequested', decision: decisionState('changesRequested', false), coverage: { aiViewed: 0, aiHunks: 0, humanViewed: 1, humanHunks: 1 }, openMustFix: 1 },
          { target: { kind: 'branch', name: 'agent/retry-queue' }, status: 'open', decision: decisionState('approved', true), coverage: { aiViewed: 2, aiHunks: 3, humanViewed: 0, humanHunks: 0 }, openMustFix: 0 },
        ],
      },
    };
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="target-status"]');
    const badges = await page.$$eval('[data-testid="target-item"]', (items) =>
      items.map((item) => [item.getAttribute('data-spec'), item.querySelector('[data-testid="target-status"]')?.textContent ?? null, item.querySelector('[data-testid="target-coverage"]')?.textContent ?? null]),
    );
    expect(badges).toEqual([
      ['worktree', null, null],
      ['staged', 'changes requested', 'Reviewed 1/1 hunks'],
      ['HEAD', 'approved', 'AI-reviewed 1/1 hunk'],
      ['e4f5a6b', null, null],
      ['9c8d7e6', null, null],
      ['branch:agent/retry-queue', 'stale', 'AI-reviewed 2/3 hunks'],
      ['branch:docs/readme', null, null],
    ]);
    const [call] = await callsOf(page, 'target_statuses');
    expect(call?.targets).toHaveLength(7);
    await page.screenshot({ path: `${RESULTS_DIR}/browser-workflow-targets-light.png` });
  });
});

describe('the notes panel', () => {
  it('lists the threads (N), filters them by state and kind, and jumps to one', async () => {
    const { page } = await open(workflowScenario());
    await page.waitForSelector('[data-testid="coverage-text"]');
    await page.keyboard.press('N');
    const panel = page.locator('[data-testid="notes-panel"]');
    await panel.waitFor();
    expect(await attributes(page, '[data-testid="notes-panel-item"]', 'data-thread-id')).toEqual(['t-current', 't-changed', 't-outdated', 't-far']);
    await panel.locator('[data-testid="notes-filter-kind"]').selectOption('mustFix');
    expect(await attributes(page, '[data-testid="notes-panel-item"]', 'data-thread-id')).toEqual(['t-changed']);

    await page.click('[data-testid="notes-panel-item"][data-thread-id="t-changed"]');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/server.rs"]');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-thread-id'))).toBe('t-changed');

    // Resolving it moves it out of the open ones and the must-fix count drops.
    await page.click('[data-thread-id="t-changed"] [data-testid="thread-resolve"]');
    await expect.poll(() => attributes(page, '[data-testid="notes-panel-item"]', 'data-thread-id')).toEqual([]);
    expect(await callsOf(page, 'resolve_note')).toEqual([{ repo: REPO_PATH, target: { kind: 'worktree' }, threadId: 't-changed', resolved: true }]);
    await expect.poll(() => page.locator('[data-testid="open-must-fix"]').count()).toBe(0);
    await panel.locator('[data-testid="notes-filter-state"]').selectOption('resolved');
    expect(await attributes(page, '[data-testid="notes-panel-item"]', 'data-thread-id')).toEqual(['t-changed']);
    expect(await page.textContent('[data-thread-id="t-changed"] [data-testid="thread-resolve"]')).toBe('Reopen');

    await page.keyboard.press('N');
    await panel.waitFor({ state: 'detached' });
  });
});

describe('the look', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`draws threads, a composer, the viewed checkboxes and the header in the ${colorScheme} theme`, async () => {
      const { page } = await open(workflowScenario(), { colorScheme });
      await showFile(page, 'src/server.rs');
      await page.waitForSelector('[data-thread-id="t-current"]');
      await page.click('[data-testid="diff-line"] td[data-side="new"][data-line="47"]');
      await page.keyboard.press('c');
      await page.keyboard.type('Does `bind` fail loudly now?');
      await page.screenshot({ path: `${RESULTS_DIR}/browser-workflow-${colorScheme}.png` });
      expect(await page.locator('[data-testid="composer"]').count()).toBe(1);
    });
  }
});
