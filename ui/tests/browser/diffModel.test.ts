/**
 * The richer diff model in a real browser, with the Tauri IPC mocked: changed words marked inside
 * the exact line text, renames with similarity, mode and type changes, symlinks and submodules,
 * lines that were not UTF-8, collapsed files and files left out for size loaded on demand.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FileDiff } from '../../src/lib/bindings';
import { attributes, expectedHunks, selected, showFile, shownHunks } from './dom';
import {
  REPO_PATH,
  benchRenamed,
  bundleGenerated,
  configRenamed,
  configTypeChanged,
  happyScenario,
  limitsModified,
  lockCollapsed,
  ratesLoadError,
  seedLoaded,
  worktreeReview,
} from './fixtures';
import { RESULTS_DIR, ipcCalls, useApp, waitForState } from './harness';

const { open } = useApp({ quiet: true });

const RICH = '[data-testid="target-item"][data-spec="e4f5a6b"]';
const RICH_TARGET = { kind: 'commit', rev: 'e4f5a6b' };

/** Opens the commit e4f5a6b, whose files exercise the richer diff model. */
async function openRich(options: { colorScheme?: 'light' | 'dark' } = {}, scenario = happyScenario()): Promise<Page> {
  const { page } = await open(scenario, options);
  await page.click(RICH);
  await waitForState(page, 'ready');
  return page;
}

/** Per shown line: its kind and the words marked in it. */
async function shownMarks(page: Page): Promise<[string, string[]][]> {
  return page.$$eval('[data-testid="diff-view"] [data-testid="diff-line"]', (rows) =>
    rows.map((row): [string, string[]] => [
      row.getAttribute('data-kind') ?? '',
      Array.from(row.querySelectorAll('[data-testid="line-text"] mark')).map((mark) => mark.textContent ?? ''),
    ]),
  );
}

function expectedMarks(file: FileDiff): [string, string[]][] {
  return file.hunks.flatMap((hunk) =>
    hunk.lines.map((line): [string, string[]] => [line.kind, line.emphasis.map((range) => line.text.slice(range.start, range.end))]),
  );
}

/** The text of each header label, by kind. */
async function shownFacts(page: Page): Promise<Record<string, string>> {
  return page.$$eval('[data-testid="diff-view"] [data-testid^="fact-"]', (facts) =>
    Object.fromEntries(facts.map((fact) => [fact.getAttribute('data-testid')!.slice('fact-'.length), fact.textContent ?? ''])),
  );
}

const squash = (text: string | null) => text?.replace(/\s+/g, ' ').trim() ?? null;

describe('changed words', () => {
  it('marks the emphasised words inside the exact line text', async () => {
    const page = await openRich();
    await showFile(page, 'src/limits.rs');

    expect(await shownHunks(page)).toEqual(expectedHunks(limitsModified));
    const marks = await shownMarks(page);
    expect(marks).toEqual(expectedMarks(limitsModified));
    expect(marks.filter(([, words]) => words.length > 0)).toEqual([
      ['removed', ['f32']],
      ['removed', ['u32']],
      ['added', ['f64']],
      ['added', ['u64']],
      ['removed', ['10', '5.0']],
      ['added', ['20', '10.0', 'retry_after: Duration::from_secs(1)']],
    ]);
    // The cell holds only text and marks (and Svelte's empty comment anchors): no stray
    // whitespace nodes, nothing but the line.
    const children = await page.$$eval('[data-testid="diff-line"] [data-testid="line-text"]', (cells) =>
      cells.flatMap((cell) =>
        Array.from(cell.childNodes)
          .filter((node) => node.nodeType !== Node.COMMENT_NODE || node.textContent !== '')
          .map((node) => (node.nodeType === Node.TEXT_NODE ? '#text' : node.nodeName)),
      ),
    );
    expect(new Set(children)).toEqual(new Set(['#text', 'MARK']));
  });

  it('marks the changed number of a renamed file and keeps its no-newline rows', async () => {
    const app = await open(happyScenario());
    const { page } = app;
    await showFile(page, 'src/config.rs');

    expect(await shownHunks(page)).toEqual(expectedHunks(configRenamed));
    expect((await shownMarks(page)).filter(([, words]) => words.length > 0)).toEqual([
      ['removed', ['8080']],
      ['added', ['3000']],
    ]);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`gives marked words a stronger background than their line in the ${colorScheme} theme`, async () => {
      const page = await openRich({ colorScheme });
      await showFile(page, 'src/limits.rs');

      const colors = await page.evaluate(() => {
        const bg = (selector: string) => getComputedStyle(document.querySelector(selector)!).backgroundColor;
        const fg = (selector: string) => getComputedStyle(document.querySelector(selector)!).color;
        return {
          addedLine: bg('[data-kind="added"]'),
          addedWord: bg('[data-kind="added"] mark'),
          removedLine: bg('[data-kind="removed"]'),
          removedWord: bg('[data-kind="removed"] mark'),
          wordText: fg('[data-kind="added"] mark'),
          lineText: fg('[data-kind="added"] [data-testid="line-text"]'),
        };
      });
      expect(colors.addedWord).not.toBe(colors.addedLine);
      expect(colors.removedWord).not.toBe(colors.removedLine);
      expect(colors.addedWord).not.toBe(colors.removedWord);
      expect(colors.addedWord).not.toBe('rgba(0, 0, 0, 0)');
      // A mark keeps the code's colour (not the browser's black on yellow).
      expect(colors.wordText).toBe(colors.lineText);
      await page.screenshot({ path: `${RESULTS_DIR}/browser-words-${colorScheme}.png` });
    });
  }
});

describe('what the file header says', () => {
  it('shows a rename as "old → new" with its similarity and its mode change', async () => {
    const page = await openRich();
    await showFile(page, 'scripts/bench.sh');

    expect(squash(await page.textContent('[data-testid="file-path"]'))).toBe('scripts/bench → scripts/bench.sh');
    expect(await shownFacts(page)).toEqual({ similarity: '92% similar', modeChange: 'mode 100644 → 100755' });
    expect(await shownHunks(page)).toEqual(expectedHunks(benchRenamed));
    await page.screenshot({ path: `${RESULTS_DIR}/browser-rename-light.png` });
    // The file list's tooltip names both paths.
    expect(await page.getAttribute('[data-testid="file-item"][data-path="scripts/bench.sh"]', 'title')).toBe(
      'scripts/bench → scripts/bench.sh',
    );
  });

  it('gives the similarity of an ordinary rename', async () => {
    const app = await open(happyScenario());
    await showFile(app.page, 'src/config.rs');
    expect(await shownFacts(app.page)).toEqual({ similarity: '88% similar' });
  });

  it('shows a type change as "file → symlink", with the old content and the link target', async () => {
    const page = await openRich();
    await showFile(page, 'config/current.toml');

    expect(await shownFacts(page)).toEqual({ kindChange: 'file → symlink' });
    await page.screenshot({ path: `${RESULTS_DIR}/browser-typechange-light.png` });
    expect(await page.getAttribute('[data-testid="diff-view"] header [aria-label="Type changed"]', 'title')).toBe('Type changed');
    expect(await shownHunks(page)).toEqual(expectedHunks(configTypeChanged));
  });

  it('labels a submodule', async () => {
    const page = await openRich();
    await showFile(page, 'vendor/governor');

    expect(await shownFacts(page)).toEqual({ entryKind: 'submodule' });
    expect((await shownMarks(page)).map(([, words]) => words[0]?.slice(0, 7))).toEqual(['3f1c9a0', '9ab2c3d']);
  });

  it('labels a symlink on both sides', async () => {
    const scenario = happyScenario();
    const link: FileDiff = {
      ...configTypeChanged,
      status: 'modified',
      oldKind: 'symlink',
      newKind: 'symlink',
      hunks: [],
      additions: 1,
      deletions: 1,
    };
    scenario.openReview.staged = { ok: { ...worktreeReview, target: { kind: 'staged' }, spec: 'staged', files: [link] } };
    const app = await open(scenario);
    const { page } = app;
    await page.keyboard.press(']');
    await waitForState(page, 'ready');
    expect(await shownFacts(page)).toEqual({ entryKind: 'symlink' });
  });

  it('flags lines that are not UTF-8 in the header and on the line', async () => {
    const page = await openRich();
    await showFile(page, 'locale/fr.po');

    expect(await shownFacts(page)).toEqual({ lossy: 'not UTF-8' });
    await page.screenshot({ path: `${RESULTS_DIR}/browser-lossy-light.png` });
    const titles = await page.$$eval('[data-testid="diff-line"]', (rows) =>
      rows.map((row) => [row.querySelector('[data-testid="line-text"]')?.textContent, row.querySelector('[data-testid="line-text"]')?.getAttribute('title') ?? null]),
    );
    expect(titles).toEqual([
      ['msgid "rate_limited"', null],
      ['msgstr "Trop de requ\uFFFDtes"', 'Not valid UTF-8: shown with replacement characters'],
      ['msgstr "Trop de requêtes, réessayez plus tard"', null],
      ['', null],
    ]);
  });

  it('says nothing extra about plain files', async () => {
    const app = await open(happyScenario());
    await showFile(app.page, 'src/server.rs');
    expect(await shownFacts(app.page)).toEqual({});
  });
});

describe('collapsed files', () => {
  it('tags them in the file list', async () => {
    const page = await openRich();
    const tags = await page.$$eval('[data-testid="file-item"]', (items) =>
      items.map((item) => [item.getAttribute('data-path'), item.querySelector('[data-testid="collapsed-tag"]')?.textContent ?? null]),
    );
    expect(tags).toEqual([
      ['Cargo.lock', 'lock file'],
      ['config/current.toml', null],
      ['db/seed.sql', null],
      ['docs/rates.csv', null],
      ['locale/fr.po', null],
      ['scripts/bench.sh', null],
      ['src/limits.rs', null],
      ['tests/golden/limits.snap', 'diff disabled'],
      ['ui/dist/app.min.js', 'generated'],
      ['vendor/governor', null],
    ]);
  });

  it('starts a lock file collapsed with its reason and counts, and shows it on request', async () => {
    const page = await openRich();
    expect(await selected(page, '[data-testid="file-item"]', 'data-path')).toEqual(['Cargo.lock']);

    expect(await page.textContent('[data-testid="collapsed-notice"]')).toContain('Lock file');
    expect(await page.textContent('[data-testid="collapsed-summary"]')).toBe('2 hunks hidden');
    expect(await shownFacts(page)).toEqual({ collapsed: 'lock file' });
    expect(squash(await page.textContent('[data-testid="diff-view"] header .counts'))).toBe(
      `+${lockCollapsed.additions} −${lockCollapsed.deletions}`,
    );
    expect(await page.$$('[data-testid="hunk"]')).toHaveLength(0);

    await page.click('[data-testid="expand-collapsed"]');
    expect(await page.$('[data-testid="collapsed-notice"]')).toBeNull();
    expect(await shownHunks(page)).toEqual(expectedHunks(lockCollapsed));

    // Opened stays opened while the reviewer moves around the same review.
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await shownHunks(page)).toEqual(expectedHunks(lockCollapsed));
  });

  it('shows a generated file on request', async () => {
    const page = await openRich();
    await showFile(page, 'ui/dist/app.min.js');
    expect(await page.textContent('[data-testid="collapsed-notice"]')).toContain('Generated file');
    await page.click('[data-testid="expand-collapsed"]');
    expect(await shownHunks(page)).toEqual(expectedHunks(bundleGenerated));
  });

  it('says so when a collapsed file has no lines to show', async () => {
    const page = await openRich();
    await showFile(page, 'tests/golden/limits.snap');

    const notice = squash(await page.textContent('[data-testid="collapsed-notice"]'));
    expect(notice).toContain('Diff disabled');
    expect(notice).toContain('.gitattributes');
    expect(await page.textContent('[data-testid="collapsed-summary"]')).toBe('Binary: there are no lines to show.');
    expect(await page.$('[data-testid="expand-collapsed"]')).toBeNull();
  });

  it('is passed by n until opened', async () => {
    const page = await openRich();
    const current = () => attributes(page, '[data-testid="hunk"][aria-current="true"]', 'data-hunk-id');

    await page.keyboard.press('n');
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('config/current.toml');
    expect(await current()).toEqual(['h-current-1']);

    await page.keyboard.press('k');
    await page.click('[data-testid="expand-collapsed"]');
    await page.keyboard.press('n');
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('Cargo.lock');
    expect(await current()).toEqual(['h-lock-1']);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`renders a collapsed file in the ${colorScheme} theme`, async () => {
      const page = await openRich({ colorScheme });
      await page.waitForSelector('[data-testid="collapsed-notice"]');
      await page.screenshot({ path: `${RESULTS_DIR}/browser-collapsed-${colorScheme}.png` });
    });
  }
});

describe('files left out for size', () => {
  it('says why and loads the diff with fileDiff', async () => {
    const page = await openRich();
    await showFile(page, 'db/seed.sql');

    expect(await page.textContent('[data-testid="omitted-reason"]')).toBe('4.2 MB — larger than the 1 MB inline limit');
    expect(await page.$$('[data-testid="hunk"]')).toHaveLength(0);
    await page.click('[data-testid="load-omitted"]');
    await page.waitForSelector('[data-testid="hunk"]');

    expect((await ipcCalls(page)).filter((call) => call.cmd === 'file_diff').at(-1)).toEqual({
      cmd: 'file_diff',
      args: { repo: REPO_PATH, target: RICH_TARGET, file: 'db/seed.sql', oldPath: 'db/seed.sql', options: null },
    });
    expect(await page.$('[data-testid="omitted-notice"]')).toBeNull();
    expect(await shownHunks(page)).toEqual(expectedHunks(seedLoaded));
    expect((await shownMarks(page)).filter(([, words]) => words.length > 0)).toEqual([
      ['removed', ['10']],
      ['added', ['20']],
    ]);

    // The loaded hunks are part of the review now: n reaches them, and coming back does not reload.
    await page.keyboard.press('n');
    expect(await attributes(page, '[data-testid="hunk"][aria-current="true"]', 'data-hunk-id')).toEqual(['h-seed-1']);
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await shownHunks(page)).toEqual(expectedHunks(seedLoaded));
    expect((await ipcCalls(page)).filter((call) => call.cmd === 'file_diff')).toHaveLength(1);
  });

  it('shows progress only when loading is slow, and no second request meanwhile', async () => {
    const scenario = happyScenario();
    scenario.delays = { file_diff: 700 };
    const page = await openRich({}, scenario);
    await showFile(page, 'db/seed.sql');

    await page.click('[data-testid="load-omitted"]');
    expect(await page.$('[data-testid="file-loading"]')).toBeNull(); // not in the first 150 ms
    expect(await page.isDisabled('[data-testid="load-omitted"]')).toBe(true);
    await page.waitForSelector('[data-testid="file-loading"]', { timeout: 2000 });
    expect(await page.textContent('[data-testid="file-loading"]')).toContain('Loading diff');
    await page.screenshot({ path: `${RESULTS_DIR}/browser-omitted-loading-light.png` });
    await page.click('[data-testid="load-omitted"]', { force: true });
    await page.waitForSelector('[data-testid="hunk"]', { timeout: 3000 });
    expect(await page.$('[data-testid="file-loading"]')).toBeNull();
    expect((await ipcCalls(page)).filter((call) => call.cmd === 'file_diff')).toHaveLength(1);
  });

  it('shows the error panel for that file when loading fails, and tries again', async () => {
    const page = await openRich();
    await showFile(page, 'docs/rates.csv');

    expect(await page.textContent('[data-testid="omitted-reason"]')).toBe('6,000 changed lines — more than the 5,000 shown inline');
    await page.click('[data-testid="load-omitted"]');
    await page.waitForSelector('[data-testid="diff-view"] [data-testid="error"]');
    expect(await page.getAttribute('[data-testid="error"]', 'data-kind')).toBe('corruptRepository');
    expect(await page.textContent('[data-testid="error-message"]')).toBe(ratesLoadError.message);
    expect(await page.textContent('[data-testid="error"] h2')).toBe('Corrupt repository');
    await page.screenshot({ path: `${RESULTS_DIR}/browser-omitted-error-light.png` });
    // One file failed; the review did not.
    expect(await page.getAttribute('[data-testid="app"]', 'data-state')).toBe('ready');
    expect(await page.isVisible('[data-testid="file-list"]')).toBe(true);

    await page.click('[data-testid="error"] button');
    await page.waitForSelector('[data-testid="diff-view"] [data-testid="error"]');
    expect((await ipcCalls(page)).filter((call) => call.cmd === 'file_diff').map((call) => call.args)).toEqual([
      { repo: REPO_PATH, target: RICH_TARGET, file: 'docs/rates.csv', oldPath: 'docs/rates.csv', options: null },
      { repo: REPO_PATH, target: RICH_TARGET, file: 'docs/rates.csv', oldPath: 'docs/rates.csv', options: null },
    ]);

    // Other files are unaffected.
    await showFile(page, 'src/limits.rs');
    expect(await page.$('[data-testid="error"]')).toBeNull();
  });

  it('says a working-tree file could not be read, and asks for a deleted file by its old path', async () => {
    const base = worktreeReview.files[0]!;
    const unreadable: FileDiff = {
      ...base,
      oldPath: 'logs/agent.log',
      newPath: 'logs/agent.log',
      status: 'modified',
      omitted: { kind: 'unreadable' },
      additions: 0,
      deletions: 0,
      hunks: [],
    };
    const deleted: FileDiff = {
      ...base,
      oldPath: 'data/dump.sql',
      newPath: null,
      newKind: null,
      newId: null,
      status: 'deleted',
      omitted: { kind: 'tooLarge', bytes: 52_428_800, limit: 1_048_576 },
      additions: 0,
      deletions: 80_000,
      hunks: [],
    };
    const scenario = happyScenario();
    scenario.openReview.worktree = { ok: { ...worktreeReview, files: [unreadable, deleted] } };
    const app = await open(scenario);
    const { page } = app;

    expect(await page.textContent('[data-testid="omitted-reason"]')).toBe('The file could not be read');
    await page.keyboard.press('j');
    expect(await page.textContent('[data-testid="omitted-reason"]')).toBe('50 MB — larger than the 1 MB inline limit');
    await page.click('[data-testid="load-omitted"]');
    await page.waitForSelector('[data-testid="diff-view"] [data-testid="error"]');
    expect((await ipcCalls(page)).filter((call) => call.cmd === 'file_diff').at(-1)).toEqual({
      cmd: 'file_diff',
      args: { repo: REPO_PATH, target: { kind: 'worktree' }, file: 'data/dump.sql', oldPath: 'data/dump.sql', options: null },
    });
    expect(await page.getAttribute('[data-testid="error"]', 'data-kind')).toBe('fileNotInTarget');
  });

  it('forgets loaded diffs when another target is opened', async () => {
    const page = await openRich();
    await showFile(page, 'db/seed.sql');
    await page.click('[data-testid="load-omitted"]');
    await page.waitForSelector('[data-testid="hunk"]');

    await page.click('[data-testid="target-item"][data-spec="worktree"]');
    await waitForState(page, 'ready');
    await page.click(RICH);
    await waitForState(page, 'ready');
    await showFile(page, 'db/seed.sql');
    expect(await page.isVisible('[data-testid="load-omitted"]')).toBe(true);
    expect(await selected(page, '[data-testid="file-item"]', 'data-path')).toEqual(['db/seed.sql']);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`renders a file left out for size in the ${colorScheme} theme`, async () => {
      const page = await openRich({ colorScheme });
      await showFile(page, 'db/seed.sql');
      await page.screenshot({ path: `${RESULTS_DIR}/browser-omitted-${colorScheme}.png` });
    });
  }
});
