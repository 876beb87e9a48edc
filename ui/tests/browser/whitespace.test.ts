/**
 * "Hide whitespace": `w` or the header's button shows the file as `git diff -w` does (loaded
 * through file_diff with ignoreWhitespace), remembered in the settings; the window says that
 * whitespace changes are hidden; a hunk only the whitespace-free diff has cannot be marked
 * viewed, and the window says why. In a real browser with the Tauri IPC mocked.
 */
import { describe, expect, it } from 'vitest';
import type { FileDiff } from '../../src/lib/bindings';
import { attributes, showFile } from './dom';
import { REPO_PATH, configRenamed, file, happyScenario, hunk, serverModified, type Scenario } from './fixtures';
import { callsOf, useApp, waitForAnswers } from './harness';

const { open } = useApp({ quiet: true });

/** src/server.rs as `git diff -w` shows it: the first hunk as in the review, the second smaller (a new id). */
const serverIgnoringWhitespace: FileDiff = file({ oldPath: 'src/server.rs', newPath: 'src/server.rs' }, 'modified', [
  serverModified.hunks[0]!,
  hunk('h-server-2w', '@@ -40,5 +42,5 @@ async fn serve(config: Config) -> anyhow::Result<()> {', [
    '     let addr = SocketAddr::from(([127, 0, 0, 1], config.port));',
    '-    let listener = TcpListener::bind(addr).await.unwrap();',
    '+    let listener = TcpListener::bind(addr).await?;',
    '     tracing::info!(%addr, "listening");',
    ' \taxum::serve(listener, app).await?;  ',
    '     Ok(())',
  ]),
]);

/** src/config.rs changed only in whitespace: no hunk without it. */
const configIgnoringWhitespace: FileDiff = { ...configRenamed, hunks: [], additions: 0, deletions: 0 };

function scenario(changes: Partial<Scenario> = {}): Scenario {
  return {
    ...happyScenario(),
    fileDiffIgnoringWhitespace: {
      'src/server.rs': { ok: serverIgnoringWhitespace },
      'src/config.rs': { ok: configIgnoringWhitespace },
    },
    ...changes,
  };
}

const button = '[data-testid="toggle-whitespace"]';
const notice = '[data-testid="whitespace-notice"]';

describe('hide whitespace', () => {
  it('w shows the file as git diff -w does, says so, keeps it in the settings; w again shows the review', async () => {
    const { page } = await open(scenario());
    await showFile(page, 'src/server.rs');
    expect(await page.getAttribute(button, 'aria-pressed')).toBe('false');
    expect(await attributes(page, '[data-testid="hunk"]', 'data-hunk-id')).toEqual(['h-server-1', 'h-server-2']);
    expect(await page.$(notice)).toBeNull();

    await page.keyboard.press('w');
    await page.waitForSelector('[data-testid="hunk"][data-hunk-id="h-server-2w"]');
    expect(await page.getAttribute(button, 'aria-pressed')).toBe('true');
    expect(await attributes(page, '[data-testid="hunk"]', 'data-hunk-id')).toEqual(['h-server-1', 'h-server-2w']);
    expect(await callsOf(page, 'file_diff')).toEqual([
      { repo: REPO_PATH, target: { kind: 'worktree' }, file: 'src/server.rs', oldPath: 'src/server.rs', options: { ignoreWhitespace: true } },
    ]);
    expect(await page.getAttribute(notice, 'data-state')).toBe('shown');
    expect(await page.textContent(notice)).toContain(
      "Whitespace changes are hidden (5 changed lines not shown). 1 hunk differs from the review's and cannot be marked viewed here.",
    );
    await waitForAnswers(page, 'save_settings');
    expect(await callsOf(page, 'save_settings')).toEqual([
      { settings: { theme: 'system', diffView: 'unified', tabWidth: 4, ignoreWhitespace: true, contextLines: 3 } },
    ]);

    await page.keyboard.press('w');
    await page.waitForSelector('[data-testid="hunk"][data-hunk-id="h-server-2"]');
    expect(await page.$(notice)).toBeNull();
    expect(await page.getAttribute(button, 'aria-pressed')).toBe('false');
    expect((await callsOf(page, 'save_settings')).at(-1)).toMatchObject({ settings: { ignoreWhitespace: false } });
    // Shown again, the file is not asked for again.
    await page.click(button);
    await page.waitForSelector('[data-testid="hunk"][data-hunk-id="h-server-2w"]');
    expect(await callsOf(page, 'file_diff')).toHaveLength(1);
  });

  it("marks the review's own hunks viewed, and says why a hunk only the -w diff has cannot be", async () => {
    const { page } = await open(scenario());
    await showFile(page, 'src/server.rs');
    await page.click(button);
    await page.waitForSelector('[data-testid="hunk"][data-hunk-id="h-server-2w"]');
    // The first hunk is the review's: its checkbox is there; the second is not one of the review's.
    await page.waitForSelector('[data-hunk-id="h-server-1"] [data-testid="hunk-viewed"]');
    expect(await page.locator('[data-hunk-id="h-server-2w"] [data-testid="hunk-viewed"]').count()).toBe(0);
    // Its box is there, disabled, and says why.
    const unavailable = page.locator('[data-hunk-id="h-server-2w"] [data-testid="hunk-viewed-unavailable"]');
    expect(await unavailable.isDisabled()).toBe(true);
    expect(await page.getAttribute('[data-hunk-id="h-server-2w"] .viewed-toggle', 'title')).toContain('show whitespace (w) to mark it viewed');
    expect(await page.locator('[data-hunk-id="h-server-1"] [data-testid="hunk-viewed-unavailable"]').count()).toBe(0);

    await page.keyboard.press('n');
    await page.keyboard.press('n');
    await page.keyboard.press('v');
    await page.waitForSelector('[data-testid="whitespace-viewed-refusal"]');
    expect(await page.textContent('[data-testid="whitespace-viewed-refusal"]')).toContain("Ignoring whitespace made this hunk differ from the review's hunks");
    expect(await page.getAttribute(notice, 'title')).toContain('show whitespace (w) to mark it viewed');
    expect(await callsOf(page, 'mark_viewed')).toEqual([]);

    // The review's own hunk is marked as ever.
    await page.keyboard.press('p');
    await page.keyboard.press('v');
    await waitForAnswers(page, 'mark_viewed');
    expect(await callsOf(page, 'mark_viewed')).toEqual([
      { repo: REPO_PATH, target: { kind: 'worktree' }, file: 'src/server.rs', hunkId: 'h-server-1', viewed: true },
    ]);
    expect(await page.$('[data-testid="whitespace-viewed-refusal"]')).toBeNull();
  });

  it('is remembered: the window starts with whitespace hidden, and the settings dialog switches it at once', async () => {
    const { page } = await open(
      scenario({ settings: { ok: { theme: 'system', diffView: 'unified', tabWidth: 4, ignoreWhitespace: true, contextLines: 3 } } }),
    );
    await page.waitForSelector(`${button}[aria-pressed="true"]`);
    // The first file is new: whitespace cannot matter to it, and it is not asked for again.
    expect(await page.textContent(notice)).toContain('Whitespace changes are hidden.');
    expect(await callsOf(page, 'file_diff')).toEqual([]);

    await showFile(page, 'src/config.rs');
    await page.waitForSelector(`${notice}:has-text("only whitespace changed in this file")`);
    expect(await callsOf(page, 'file_diff')).toEqual([
      { repo: REPO_PATH, target: { kind: 'worktree' }, file: 'src/config.rs', oldPath: 'src/settings.rs', options: { ignoreWhitespace: true } },
    ]);
    expect(await page.locator('[data-testid="hunk"]').count()).toBe(0);

    await page.click('[data-testid="open-settings"]');
    await page.waitForSelector('[data-testid="settings-dialog"]');
    expect(await page.isChecked('[data-testid="settings-ignore-whitespace"]')).toBe(true);
    await page.uncheck('[data-testid="settings-ignore-whitespace"]');
    await page.waitForSelector(`${button}[aria-pressed="false"]`);
    expect(await page.$(notice)).toBeNull();
    expect(await page.locator('[data-testid="hunk"]').count()).toBe(configRenamed.hunks.length);
    await waitForAnswers(page, 'save_settings');
    expect((await callsOf(page, 'save_settings')).at(-1)).toMatchObject({ settings: { ignoreWhitespace: false } });
  });

  it('says so while the file is compared, and shows the review when that fails', async () => {
    const failing = scenario({
      fileDiffIgnoringWhitespace: { 'src/server.rs': { err: { kind: 'corruptRepository', message: 'cannot read blob 1234 of src/server.rs' } } },
      delays: { 'file_diff:src/server.rs': 300 },
    });
    const { page } = await open(failing);
    await showFile(page, 'src/server.rs');
    await page.keyboard.press('w');
    await page.waitForSelector(`${notice}[data-state="loading"]`);
    expect(await page.textContent(notice)).toContain('comparing this file without whitespace');
    await page.waitForSelector(`${notice}[data-state="failed"]`);
    expect(await page.textContent(notice)).toContain('cannot read blob 1234 of src/server.rs');
    expect(await attributes(page, '[data-testid="hunk"]', 'data-hunk-id')).toEqual(['h-server-1', 'h-server-2']);
    // "Show whitespace" in the notice turns it off.
    await page.click('[data-testid="whitespace-show"]');
    await page.waitForSelector(`${button}[aria-pressed="false"]`);
    expect(await page.$(notice)).toBeNull();
  });
});
