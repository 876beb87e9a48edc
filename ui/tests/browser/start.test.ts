/**
 * The window without a repository and around one: the start screen (recent repositories, a folder
 * from the system's dialog, the demo), the error screens' way out (another folder, the demo) and
 * their recovery when the repository becomes valid, and the settings dialog (theme at once, tab
 * width, kept through the core). In a real browser with the Tauri IPC mocked.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ErrorReport, RecentRepository } from '../../src/lib/bindings';
import { attributes } from './dom';
import { REPO_PATH, happyScenario, targetList, type Scenario } from './fixtures';
import { RESULTS_DIR, callsOf, useApp, waitForAnswers, waitForState } from './harness';

const { open } = useApp({ quiet: true });

const OTHER_PATH = '/home/dana/src/billing';
const DEMO_PATH = '/home/dana/.local/share/redline/demo';
const HOUR = 3600 * 1000;

const recent: RecentRepository[] = [
  { path: REPO_PATH, name: 'acme-api', lastUsed: Date.now() - 2 * HOUR },
  { path: OTHER_PATH, name: 'billing', lastUsed: Date.now() - 50 * HOUR },
];

/** Started outside any repository: the start screen, with recent repositories. */
function outsideScenario(): Scenario {
  return {
    ...happyScenario(),
    openedRepository: { ok: null },
    recentRepositories: { ok: recent },
    appContext: { ok: { workspace: { repoPath: REPO_PATH, isDemo: false }, logFile: null } },
  };
}

const emptyRepository: ErrorReport = {
  kind: 'emptyRepository',
  message: `'${REPO_PATH}' has no commits yet: commit something, then open it again`,
};

/** Waits until the window shows `view` and has settled. */
async function waitForView(page: Page, view: 'start' | 'review', state: 'ready' | 'error' = 'ready', timeout = 5000): Promise<void> {
  await page.waitForSelector(`[data-testid="app"][data-view="${view}"][data-state="${state}"]`, { timeout });
}

/** Changes what the mocked core answers next. */
async function answer(page: Page, changes: Partial<Scenario>): Promise<void> {
  await page.evaluate((changes) => {
    Object.assign((window as unknown as { __mock: { scenario: Scenario } }).__mock.scenario, changes);
  }, changes);
}

describe('the start screen', () => {
  it('lists recent repositories, most recent first, and opens one', async () => {
    const { page } = await open(outsideScenario());
    expect(await page.getAttribute('[data-testid="app"]', 'data-view')).toBe('start');
    expect(await attributes(page, '[data-testid="recent-item"]', 'data-path')).toEqual([REPO_PATH, OTHER_PATH]);
    const first = await page.textContent('[data-testid="recent-item"]');
    expect(first).toContain('acme-api');
    expect(first).toContain('2 h ago');
    expect(await callsOf(page, 'app_context')).toEqual([]);
    await page.screenshot({ path: `${RESULTS_DIR}/browser-start.png` });

    await page.click(`[data-testid="recent-item"][data-path="${REPO_PATH}"]`);
    await waitForView(page, 'review');
    expect(await callsOf(page, 'open_repository')).toEqual([{ path: REPO_PATH }]);
    expect(await attributes(page, '[data-testid="target-item"]', 'data-spec')).toHaveLength(targetList.targets.length);
    expect(await page.textContent('[data-testid="repo-path"]')).toContain('acme-api');
  });

  it('says so when there are no recent repositories yet', async () => {
    const { page } = await open({ ...outsideScenario(), recentRepositories: { ok: [] } });
    await page.waitForSelector('[data-testid="recent-empty"]');
    expect(await page.$('[data-testid="recent-item"]')).toBeNull();
  });

  it('opens the demo', async () => {
    const scenario = outsideScenario();
    scenario.appContext = { ok: { workspace: { repoPath: DEMO_PATH, isDemo: true }, logFile: null } };
    const { page } = await open(scenario);
    await page.click('[data-testid="start-open-demo"]');
    await waitForView(page, 'review');
    expect(await callsOf(page, 'open_demo')).toEqual([{}]);
    expect(await page.isVisible('[data-testid="demo-badge"]')).toBe(true);
  });

  it('asks the system for a folder and opens it; a cancelled dialog opens nothing', async () => {
    const { page } = await open({ ...outsideScenario(), dialogOpen: [{ ok: null }, { ok: OTHER_PATH }] });
    await page.click('[data-testid="start-open-folder"]');
    await waitForAnswers(page, 'plugin:dialog|open');
    expect(await callsOf(page, 'plugin:dialog|open')).toEqual([{ options: { directory: true, multiple: false, title: 'Open a git repository' } }]);
    expect(await callsOf(page, 'open_repository')).toEqual([]);
    expect(await page.getAttribute('[data-testid="app"]', 'data-view')).toBe('start');

    await page.click('[data-testid="start-open-folder"]');
    await waitForView(page, 'review');
    expect(await callsOf(page, 'open_repository')).toEqual([{ path: OTHER_PATH }]);
  });

  it('shows why a choice could not be opened and stays', async () => {
    const failed: ErrorReport = { kind: 'demo', message: 'could not build the demo repository in /tmp/x: disk full' };
    const { page } = await open({ ...outsideScenario(), openDemo: { err: failed } });
    await page.click('[data-testid="start-open-demo"]');
    await page.waitForSelector('[data-testid="start-screen"] [data-testid="error"]');
    expect(await page.textContent('[data-testid="error-message"]')).toBe(failed.message);
    // The start screen's own buttons are the way on: the panel does not repeat them.
    expect(await page.$('[data-testid="error-open-demo"]')).toBeNull();
    expect(await page.getAttribute('[data-testid="app"]', 'data-view')).toBe('start');
  });

  it('is where "Open another repository" leads from a review', async () => {
    const { page } = await open({ ...happyScenario(), recentRepositories: { ok: recent } });
    await page.click('[data-testid="open-another"]');
    await waitForView(page, 'start');
    expect(await attributes(page, '[data-testid="recent-item"]', 'data-path')).toEqual([REPO_PATH, OTHER_PATH]);
    await page.click(`[data-testid="recent-item"][data-path="${OTHER_PATH}"]`);
    await waitForView(page, 'review');
    expect(await callsOf(page, 'open_repository')).toEqual([{ path: OTHER_PATH }]);
  });
});

describe('error screens', () => {
  it('offer another folder and the demo besides trying again', async () => {
    const scenario = { ...happyScenario(), listTargets: { err: emptyRepository }, dialogOpen: { ok: OTHER_PATH } };
    const { page } = await open(scenario, { waitFor: 'error' });
    expect(await page.textContent('[data-testid="error"] h2')).toBe('Empty repository');
    const buttons = await page.$$eval('[data-testid="error"] button', (nodes) => nodes.map((node) => node.textContent?.trim()));
    expect(buttons).toEqual(['Try again', 'Open folder…', 'Open demo']);

    await answer(page, {
      listTargets: { ok: targetList },
      appContext: { ok: { workspace: { repoPath: OTHER_PATH, isDemo: false }, logFile: null } },
    });
    await page.click('[data-testid="error-open-folder"]');
    await waitForView(page, 'review');
    expect(await callsOf(page, 'open_repository')).toEqual([{ path: OTHER_PATH }]);
    expect(await page.$('[data-testid="error"]')).toBeNull();
  });

  it('open the demo from the panel', async () => {
    const { page } = await open({ ...happyScenario(), listTargets: { err: emptyRepository } }, { waitFor: 'error' });
    await answer(page, {
      listTargets: { ok: targetList },
      appContext: { ok: { workspace: { repoPath: DEMO_PATH, isDemo: true }, logFile: null } },
    });
    await page.click('[data-testid="error-open-demo"]');
    await waitForView(page, 'review');
    expect(await callsOf(page, 'open_demo')).toEqual([{}]);
    expect(await page.isVisible('[data-testid="demo-badge"]')).toBe(true);
  });

  it('recover by themselves once the repository gets its first commit', async () => {
    const { page } = await open({ ...happyScenario(), listTargets: { err: emptyRepository } }, { waitFor: 'error' });
    expect(await page.isVisible('[data-testid="error-recovering"]')).toBe(true);
    // The window looks again (listing the targets) and finds it still empty.
    await page.waitForFunction(() => (window as unknown as { __mock: { calls: { cmd: string }[] } }).__mock.calls.filter((c) => c.cmd === 'list_targets').length >= 2);
    expect(await page.getAttribute('[data-testid="app"]', 'data-state')).toBe('error');

    await answer(page, { listTargets: { ok: targetList } });
    await waitForView(page, 'review', 'ready', 15000);
    expect(await page.$('[data-testid="error"]')).toBeNull();
    expect(await attributes(page, '[data-testid="target-item"]', 'data-spec')).toHaveLength(targetList.targets.length);
  });

  it('do not offer another repository for an error that is not about the repository', async () => {
    const error: ErrorReport = { kind: 'git', message: 'could not read the index: index.lock exists' };
    const { page } = await open({ ...happyScenario(), listTargets: { err: error } }, { waitFor: 'error' });
    expect(await page.$('[data-testid="error-open-folder"]')).toBeNull();
    expect(await page.$('[data-testid="error-recovering"]')).toBeNull();
  });
});

/** The page's background colour and the diff's tab size, as drawn. */
async function drawn(page: Page): Promise<{ background: string; tabSize: string | null }> {
  return page.evaluate(() => {
    const lines = document.querySelector('[data-testid="diff-view"] table.lines');
    return {
      background: getComputedStyle(document.body).backgroundColor,
      tabSize: lines === null ? null : getComputedStyle(lines).tabSize,
    };
  });
}

const LIGHT_BG = 'rgb(255, 255, 255)';
const DARK_BG = 'rgb(13, 17, 23)';

describe('settings', () => {
  it('switch the theme at once and keep it through the core', async () => {
    const { page } = await open(happyScenario());
    expect((await drawn(page)).background).toBe(LIGHT_BG);

    await page.click('[data-testid="open-settings"]');
    await page.waitForSelector('[data-testid="settings-dialog"]');
    await page.check('[data-testid="settings-theme-dark"]');
    await page.waitForFunction((dark) => getComputedStyle(document.body).backgroundColor === dark, DARK_BG);
    await waitForAnswers(page, 'save_settings');
    expect(await callsOf(page, 'save_settings')).toEqual([{ settings: { theme: 'dark', diffView: 'unified', tabWidth: 4, ignoreWhitespace: false, contextLines: 3 } }]);
    await page.screenshot({ path: `${RESULTS_DIR}/browser-settings-dark.png` });

    await page.check('[data-testid="settings-theme-system"]');
    await page.waitForFunction((light) => getComputedStyle(document.body).backgroundColor === light, LIGHT_BG);
    await page.keyboard.press('Escape');
    expect(await page.$('[data-testid="settings-dialog"]')).toBeNull();
  });

  it('a light theme wins over a dark system', async () => {
    const { page } = await open(happyScenario(), { colorScheme: 'dark' });
    expect((await drawn(page)).background).toBe(DARK_BG);
    await page.keyboard.press(',');
    await page.check('[data-testid="settings-theme-light"]');
    await page.waitForFunction((light) => getComputedStyle(document.body).backgroundColor === light, LIGHT_BG);
  });

  it('open with `,` and set the tab width of the diff', async () => {
    const { page } = await open(happyScenario());
    expect((await drawn(page)).tabSize).toBe('4');
    await page.keyboard.press(',');
    await page.waitForSelector('[data-testid="settings-dialog"]');
    await page.fill('[data-testid="settings-tab-width"]', '8');
    await page.dispatchEvent('[data-testid="settings-tab-width"]', 'change');
    await page.waitForFunction(() => {
      const lines = document.querySelector('[data-testid="diff-view"] table.lines');
      return lines !== null && getComputedStyle(lines).tabSize === '8';
    });
    await waitForAnswers(page, 'save_settings');
    expect((await callsOf(page, 'save_settings')).at(-1)).toEqual({ settings: { theme: 'system', diffView: 'unified', tabWidth: 8, ignoreWhitespace: false, contextLines: 3 } });
  });

  it('are applied as the window starts', async () => {
    const { page } = await open({ ...happyScenario(), settings: { ok: { theme: 'dark', diffView: 'unified', tabWidth: 2, ignoreWhitespace: false, contextLines: 3 } } });
    await page.waitForFunction((dark) => getComputedStyle(document.body).backgroundColor === dark, DARK_BG);
    expect((await drawn(page)).tabSize).toBe('2');
  });

  it('name the file, line and key of an invalid config file', async () => {
    const message = '/home/dana/.config/redline/config.toml:5: window.theme: expected one of "system", "light", "dark", not "purple"';
    const { page } = await open({ ...happyScenario(), settings: { err: { kind: 'invalidConfig', message } } });
    await page.click('[data-testid="open-settings"]');
    expect(await page.textContent('[data-testid="settings-error"]')).toBe(message);
    // The window works on with the defaults.
    expect((await drawn(page)).background).toBe(LIGHT_BG);
    await waitForState(page, 'ready');
  });
});
