/**
 * Failures in a real browser: whatever goes wrong — a command error, a rejected IPC call, a thrown
 * exception, data that breaks rendering — the window shows the error panel with the exact message,
 * never a blank page.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ErrorReport, Review } from '../../src/lib/bindings';
import { attributes } from './dom';
import { REPO_PATH, happyScenario, targetList, worktreeReview } from './fixtures';
import { RESULTS_DIR, useApp, waitForState } from './harness';

// Pages here fail on purpose: only the CSP is checked after each test.
const { open } = useApp({ quiet: false });

async function shownError(page: Page) {
  return {
    state: await page.getAttribute('[data-testid="app"]', 'data-state'),
    kind: await page.getAttribute('[data-testid="error"]', 'data-kind'),
    message: await page.textContent('[data-testid="error-message"]'),
    visible: await page.isVisible('[data-testid="error"]'),
  };
}

describe('command errors', () => {
  it('shows an error result of listTargets with its exact message and kind', async () => {
    const error: ErrorReport = {
      kind: 'notARepository',
      message: `'${REPO_PATH}' is not inside a git repository (searched up to /)`,
    };
    const app = await open({ ...happyScenario(), listTargets: { err: error } }, { waitFor: 'error' });
    const { page } = app;

    expect(await shownError(page)).toEqual({ state: 'error', kind: error.kind, message: error.message, visible: true });
    expect(await page.textContent('[data-testid="error"] h2')).toBe('Not a git repository');
    expect(await page.textContent('[data-testid="error"]')).toContain('/home/dana/.local/state/redline/redline.log');
    expect(await page.$('[data-testid="target-list"]')).toBeNull();
    await page.screenshot({ path: `${RESULTS_DIR}/browser-error.png` });
  });

  it('shows an error result of appContext', async () => {
    const error: ErrorReport = { kind: 'demo', message: 'could not build the demo repository in /tmp/x: disk full' };
    const app = await open({ ...happyScenario(), appContext: { err: error } }, { waitFor: 'error' });
    expect(await shownError(app.page)).toEqual({ state: 'error', kind: 'demo', message: error.message, visible: true });
  });

  it('shows control and bidi characters of a message escaped, as the CLI shows them', async () => {
    const error: ErrorReport = {
      kind: 'corruptRepository',
      message: 'cannot read blob 1234 of evil\u001b[2J\u001b]0;owned\u0007\u202e.txt: the loose object 1234 is corrupt',
    };
    const app = await open({ ...happyScenario(), listTargets: { err: error } }, { waitFor: 'error' });
    expect(await app.page.textContent('[data-testid="error-message"]')).toBe(
      'cannot read blob 1234 of evil\\e[2J\\e]0;owned\\a\\u{202e}.txt: the loose object 1234 is corrupt',
    );
    expect(await app.page.title()).toBe('Redline');
  });

  it('tries again from the panel', async () => {
    const error: ErrorReport = { kind: 'git', message: 'could not read the index: index.lock exists' };
    const app = await open({ ...happyScenario(), listTargets: [{ err: error }, { ok: targetList }] }, { waitFor: 'error' });
    const { page } = app;

    await page.click('[data-testid="error"] button');
    await waitForState(page, 'ready');
    expect(await page.$('[data-testid="error"]')).toBeNull();
    expect(await attributes(page, '[data-testid="target-item"]', 'data-spec')).toHaveLength(targetList.targets.length);
  });
});

describe('failed calls and exceptions', () => {
  it('shows a rejected IPC call (a plain string, as Tauri rejects) as an error panel', async () => {
    const message = 'command app_context not found';
    const app = await open({ ...happyScenario(), appContext: { reject: message } }, { waitFor: 'error' });
    expect(await shownError(app.page)).toEqual({ state: 'error', kind: 'ipc', message, visible: true });
  });

  it('shows an exception thrown by openReview, keeping the targets', async () => {
    const scenario = happyScenario();
    scenario.openReview.worktree = { throw: 'IPC channel closed' };
    const app = await open(scenario, { waitFor: 'error' });
    const { page } = app;

    expect(await shownError(page)).toEqual({ state: 'error', kind: 'exception', message: 'IPC channel closed', visible: true });
    expect(await attributes(page, '[data-testid="target-item"]', 'data-spec')).toHaveLength(targetList.targets.length);
  });

  it('shows an error panel when data from the shell breaks rendering', async () => {
    const broken = {
      ...worktreeReview,
      files: [{ ...worktreeReview.files[0], hunks: null }],
    } as unknown as Review;
    const scenario = happyScenario();
    scenario.openReview.worktree = { ok: broken };
    const app = await open(scenario, { waitFor: 'error' });
    const shown = await shownError(app.page);
    expect(shown).toMatchObject({ state: 'error', kind: 'exception', visible: true });
    expect(shown.message).toMatch(/null/);
  });

  it('shows an uncaught exception thrown after start-up', async () => {
    const app = await open(happyScenario());
    const { page } = app;

    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error('something broke in a timer');
      });
    });
    await waitForState(page, 'error');
    expect(await shownError(page)).toEqual({
      state: 'error',
      kind: 'exception',
      message: 'something broke in a timer',
      visible: true,
    });
  });

  it('shows an unhandled promise rejection', async () => {
    const app = await open(happyScenario());
    const { page } = app;

    await page.evaluate(() => {
      void Promise.reject({ kind: 'internal', message: 'a worker stopped' });
    });
    await waitForState(page, 'error');
    expect(await shownError(page)).toEqual({ state: 'error', kind: 'internal', message: 'a worker stopped', visible: true });
  });
});
