/**
 * Structure in the diff, with the Tauri IPC mocked: each hunk names the symbol it changes next
 * to git's header, the file header sums up the symbol changes, tokens are coloured per theme —
 * all applied after the plain diff is drawn, never changing a line's text, and an answer for a
 * file no longer shown is dropped. Likewise who wrote what: an agent pill on AI-written hunks
 * beside git's header, a marker on files with AI-written hunks, an agent pill on commit targets
 * an agent wrote, and an answer for a review no longer shown dropped.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { attributes, expectedHunks, showFile, shownHunks } from './dom';
import { REPO_PATH, authoredScenario, happyScenario, rateLimitAdded, serverModified, structuredScenario, type Scenario } from './fixtures';
import { ipcCalls, useApp, waitForAnswers } from './harness';

const { open } = useApp({ quiet: true });

/** Each hunk's symbol label, `null` where it has none. */
async function hunkSymbols(page: Page): Promise<(string | null)[]> {
  return page.$$eval('[data-testid="diff-view"] [data-testid="hunk"]', (hunks) =>
    hunks.map((hunk) => hunk.querySelector('[data-testid="hunk-symbol"]')?.textContent ?? null),
  );
}

/** Per coloured token of the shown diff: its line's kind, its class and its text. */
async function tokens(page: Page): Promise<[string, string, string][]> {
  return page.$$eval('[data-testid="diff-view"] [data-testid="diff-line"] .tok', (spans) =>
    spans.map((span): [string, string, string] => [
      span.closest('[data-testid="diff-line"]')?.getAttribute('data-kind') ?? '',
      Array.from(span.classList).find((c: string) => c.startsWith('tok-')) ?? '',
      span.textContent ?? '',
    ]),
  );
}

describe('hunk symbols', () => {
  it('names the enclosing symbol beside git header, which stays exactly git', async () => {
    const { page } = await open(structuredScenario());
    await showFile(page, 'src/server.rs');
    await page.waitForSelector('[data-testid="hunk-symbol"]');

    expect(await hunkSymbols(page)).toEqual([null, 'fn serve']);
    expect(await shownHunks(page)).toEqual(expectedHunks(serverModified));
    expect(await page.textContent('[data-testid="symbol-summary"]')).toBe('1 function changed');
    expect(await page.getAttribute('[data-testid="symbol-summary"]', 'title')).toBe('changed: fn serve');
    expect((await ipcCalls(page, { withStructure: true })).filter((call) => call.cmd === 'file_structure').at(-1)?.args).toEqual({
      repo: REPO_PATH,
      target: { kind: 'worktree' },
      file: 'src/server.rs',
      oldPath: 'src/server.rs',
    });
  });

  it('sums up an added file and labels its hunk with the new side', async () => {
    const { page } = await open(structuredScenario());
    await page.waitForSelector('[data-testid="hunk-symbol"]');
    expect(await hunkSymbols(page)).toEqual(['impl RateLimiter']);
    expect(await page.textContent('[data-testid="symbol-summary"]')).toBe('2 symbols added');
    // an added file has no old side to highlight
    expect((await ipcCalls(page, { withStructure: true })).filter((call) => call.cmd === 'highlight').map((call) => call.args)).toEqual([
      { repo: REPO_PATH, blobId: rateLimitAdded.newId, path: 'src/middleware/rate_limit.rs' },
    ]);
  });

  it('shows the diff plain when the structure fails, and says when a side was not parsed', async () => {
    const scenario: Scenario = {
      ...structuredScenario(),
      fileStructure: {
        'src/server.rs': { err: { kind: 'internal', message: 'boom' } },
        'src/middleware/rate_limit.rs': {
          ok: {
            path: 'src/middleware/rate_limit.rs',
            language: 'rust',
            old: { symbols: 0, errors: [], notParsed: null },
            new: {
              symbols: 0,
              errors: [],
              notParsed: { reason: { kind: 'tooLarge', bytes: 2_000_000, limit: 1_048_576 }, message: 'not parsed: 2000000 bytes, over the 1048576-byte limit' },
            },
            hunkLabels: [],
            changes: [],
            counts: { added: 0, removed: 0, modified: 0, signatureChanged: 0, moved: 0, renamed: 0 },
          },
        },
      },
    };
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="structure-note"]');
    expect(await page.textContent('[data-testid="structure-note"]')).toBe('not parsed: 2000000 bytes, over the 1048576-byte limit');
    expect(await page.$('[data-testid="symbol-summary"]')).toBeNull();

    await showFile(page, 'src/server.rs');
    await page.waitForSelector('.tok');
    expect(await hunkSymbols(page)).toEqual([null, null]);
    expect(await page.$('[data-testid="structure-note"]')).toBeNull();
    expect(await shownHunks(page)).toEqual(expectedHunks(serverModified));
  });

  it('drops a late answer for a file no longer shown', async () => {
    const scenario: Scenario = {
      ...structuredScenario(),
      delays: { 'file_structure:src/server.rs': 400, [`highlight:${serverModified.newId}`]: 400, [`highlight:${serverModified.oldId}`]: 400 },
    };
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="hunk-symbol"]');
    // server.rs is asked for, then left before its answers arrive
    await showFile(page, 'src/server.rs');
    await showFile(page, 'src/middleware/rate_limit.rs');
    // server.rs's late answers arrive while rate_limit.rs is shown
    await waitForAnswers(page, 'file_structure', { file: 'src/middleware/rate_limit.rs' });
    await waitForAnswers(page, 'file_structure', { file: 'src/server.rs' });
    await waitForAnswers(page, 'highlight', { blobId: serverModified.oldId });
    await waitForAnswers(page, 'highlight', { blobId: serverModified.newId });

    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('src/middleware/rate_limit.rs');
    expect(await hunkSymbols(page)).toEqual(['impl RateLimiter']);
    expect(await page.textContent('[data-testid="symbol-summary"]')).toBe('2 symbols added');
    expect(await tokens(page)).toEqual([]);
    expect((await ipcCalls(page, { withStructure: true })).filter((call) => call.cmd === 'file_structure').map((call) => call.args.file)).toEqual([
      'src/middleware/rate_limit.rs',
      'src/server.rs',
      'src/middleware/rate_limit.rs',
    ]);

    // back on server.rs, its answers apply once they arrive
    await showFile(page, 'src/server.rs');
    await page.waitForSelector('[data-testid="hunk-symbol"]', { timeout: 2000 });
    expect(await hunkSymbols(page)).toEqual([null, 'fn serve']);
  });
});

describe('highlighting', () => {
  it('colours tokens on each side without changing the text or the changed-word marks', async () => {
    const { page } = await open(structuredScenario());
    await showFile(page, 'src/server.rs');
    await page.waitForSelector('.tok');

    expect(await tokens(page)).toEqual([
      ['removed', 'tok-keyword', 'let'],
      ['removed', 'tok-type', 'Router'],
      ['removed', 'tok-string', '"/health"'],
      ['added', 'tok-keyword', 'let'],
      ['added', 'tok-type', 'RateLimiter'],
      ['added', 'tok-function', 'new'],
      ['added', 'tok-function', '.layer'],
      ['context', 'tok-type', 'tracing'],
      ['context', 'tok-string', '"listening"'],
    ]);
    expect(await shownHunks(page)).toEqual(expectedHunks(serverModified));
    // nothing but text and token spans in these lines (no marks in this fixture)
    const children = await page.$$eval('[data-testid="line-text"]', (cells) =>
      cells.flatMap((cell) =>
        Array.from(cell.querySelectorAll('*')).map((element) => element.nodeName),
      ),
    );
    expect(new Set(children)).toEqual(new Set(['SPAN']));
  });

  it('keeps the changed-word marks around coloured tokens', async () => {
    const words = { ...structuredScenario() };
    const line = serverModified.hunks[1]!.lines.find((l) => l.newLine === 43)!;
    const marked = structuredClone(serverModified);
    marked.hunks[1]!.lines.find((l) => l.newLine === 43)!.emphasis = [{ start: 8, end: 29 }];
    const review = (words.openReview.worktree as { ok: { files: typeof serverModified[] } }).ok;
    words.openReview = { ...words.openReview, worktree: { ok: { ...review, files: review.files.map((f) => (f.newPath === 'src/server.rs' ? marked : f)) } as never } };
    const { page } = await open(words);
    await showFile(page, 'src/server.rs');
    await page.waitForSelector('mark .tok');

    const row = page.locator('[data-testid="diff-line"][data-kind="added"]', { hasText: 'let limiter' });
    expect(await row.locator('[data-testid="line-text"]').textContent()).toBe(line.text);
    expect(await row.locator('mark').allTextContents()).toEqual([line.text.slice(8, 29)]);
    expect(await row.locator('mark .tok').allTextContents()).toEqual(['RateLimiter']);
    expect(await row.locator('.tok-keyword').textContent()).toBe('let');
  });

  it('uses theme colours, light and dark', async () => {
    const colours: Record<string, string[]> = {};
    for (const scheme of ['light', 'dark'] as const) {
      const { page, context } = await open(structuredScenario(), { colorScheme: scheme });
      await showFile(page, 'src/server.rs');
      await page.waitForSelector('[data-testid="hunk-symbol"]');
      await page.waitForSelector('.tok');
      colours[scheme] = await page.$$eval('.tok-keyword, .tok-type, .tok-string, .tok-function, [data-testid="hunk-symbol"]', (elements) =>
        [...new Set(elements.map((e) => `${e.className.split(' ').find((c: string) => c.startsWith('tok-') || c === 'hunk-symbol')}=${getComputedStyle(e).color}`))],
      );
      await page.screenshot({ path: `${process.cwd()}/test-results/structure-${scheme}.png` });
      if (scheme === 'light') await context.close();
    }
    expect(colours.light).toEqual([
      'hunk-symbol=rgb(5, 80, 174)',
      'tok-keyword=rgb(207, 34, 46)',
      'tok-type=rgb(149, 56, 0)',
      'tok-string=rgb(10, 48, 105)',
      'tok-function=rgb(130, 80, 223)',
    ]);
    expect(colours.dark).toEqual([
      'hunk-symbol=rgb(121, 192, 255)',
      'tok-keyword=rgb(255, 123, 114)',
      'tok-type=rgb(255, 166, 87)',
      'tok-string=rgb(165, 214, 255)',
      'tok-function=rgb(210, 168, 255)',
    ]);
  });
});

/** Each shown hunk's agent pill, `null` where it has none. */
async function hunkAgents(page: Page): Promise<(string | null)[]> {
  return page.$$eval('[data-testid="diff-view"] [data-testid="hunk"]', (hunks) =>
    hunks.map((hunk) => hunk.querySelector('[data-testid="hunk-agent"]')?.textContent ?? null),
  );
}

/** The spec and agent of every target with an agent pill. */
async function targetAgents(page: Page): Promise<[string | null, string | null][]> {
  return page.$$eval('[data-testid="target-item"]', (items) =>
    items
      .filter((item) => item.querySelector('[data-testid="target-agent"]') !== null)
      .map((item): [string | null, string | null] => [
        item.getAttribute('data-spec'),
        item.querySelector('[data-testid="target-agent"]')?.textContent ?? null,
      ]),
  );
}

/** Opens HEAD (rate_limit.rs and Cargo.toml) and waits for its files. */
async function openHead(page: Page): Promise<void> {
  await page.click('[data-testid="target-item"][data-spec="HEAD"]');
  await page.waitForSelector('[data-testid="file-item"][data-path="Cargo.toml"]');
}

describe('authorship: who wrote what, applied after the review is drawn', () => {
  it('marks the agent session hunks and files of the working tree, keeping git header exact', async () => {
    const { page } = await open(authoredScenario());
    await page.waitForSelector('[data-testid="hunk-agent"]');

    expect(await hunkAgents(page)).toEqual(['agent session']);
    expect(await shownHunks(page)).toEqual(expectedHunks(rateLimitAdded));
    expect(await attributes(page, '[data-testid="file-item"]:has([data-testid="file-agent"])', 'data-path')).toEqual([
      'src/middleware/rate_limit.rs',
      'src/server.rs',
    ]);

    await page.click('[data-testid="file-item"][data-path="src/server.rs"]');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/server.rs"]');
    expect(await hunkAgents(page)).toEqual([null, 'agent session']);
    expect(await shownHunks(page)).toEqual(expectedHunks(serverModified));

    const calls = await ipcCalls(page, { withStructure: true });
    expect(calls.filter((c) => c.cmd === 'authorship').map((c) => c.args)).toEqual([{ repo: REPO_PATH, target: { kind: 'worktree' } }]);
    expect(calls.filter((c) => c.cmd === 'provenance').map((c) => c.args)).toEqual([{ repo: REPO_PATH, target: null }]);
  });

  it('names the agent of a commit target in the list and on its hunks', async () => {
    const { page } = await open(authoredScenario());
    await page.waitForSelector('[data-testid="target-agent"]');
    expect(await targetAgents(page)).toEqual([['HEAD', 'Claude Code']]);

    await openHead(page);
    await page.waitForSelector('[data-testid="hunk-agent"]');
    expect(await hunkAgents(page)).toEqual(['Claude Code']);
    expect(await page.getAttribute('[data-testid="hunk-agent"]', 'title')).toBe('26 added lines written by an AI agent (a1b2c3d)');
    expect(await attributes(page, '[data-testid="file-item"]:has([data-testid="file-agent"])', 'data-path')).toEqual([
      'src/middleware/rate_limit.rs',
    ]);
  });

  it('names the agents of a branch in the list, and how much of it they wrote', async () => {
    const scenario = authoredScenario();
    scenario.targetAgents = {
      ok: [
        { spec: 'branch:agent/retry-queue', agents: ['Devin', 'Claude Code'], aiCommits: 3, commits: 4 },
        { spec: 'branch:docs/readme', agents: [], aiCommits: 0, commits: 2 },
      ],
    };
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="target-item"][data-spec="branch:agent/retry-queue"] [data-testid="target-agent"]');
    expect(await targetAgents(page)).toEqual([
      ['HEAD', 'Claude Code'],
      ['branch:agent/retry-queue', 'Devin +1'],
    ]);
    expect(await page.getAttribute('[data-spec="branch:agent/retry-queue"] [data-testid="target-agent"]', 'title')).toBe(
      '3 of 4 commits written by AI agents (Devin, Claude Code)',
    );
    const calls = await ipcCalls(page, { withStructure: true });
    expect(calls.filter((c) => c.cmd === 'target_agents').map((c) => c.args)).toEqual([
      {
        repo: REPO_PATH,
        targets: [
          { kind: 'branch', name: 'agent/retry-queue' },
          { kind: 'branch', name: 'docs/readme' },
        ],
      },
    ]);
  });

  it('shows no pills for human code or when provenance fails', async () => {
    const { page } = await open(happyScenario());
    // Every answer has arrived: no authorship for the hunks, provenance and target agents failed.
    await page.waitForSelector('main[data-authorship="worktree"]');
    await waitForAnswers(page, 'authorship');
    await waitForAnswers(page, 'provenance');
    await waitForAnswers(page, 'target_agents');
    expect(await page.$$('[data-testid="hunk-agent"], [data-testid="file-agent"], [data-testid="target-agent"]')).toHaveLength(0);
  });

  it('draws the review without waiting, and drops the answer for a review no longer shown', async () => {
    const { page } = await open({ ...authoredScenario(), delays: { authorship: 400 } });
    // The diff is on screen while its authorship is still on the way.
    expect(await shownHunks(page)).toEqual(expectedHunks(rateLimitAdded));
    expect(await hunkAgents(page)).toEqual([null]);

    // HEAD shares the hunk id h-rate-1: the working tree's late answer must not label it.
    await openHead(page);
    await page.waitForSelector('[data-testid="hunk-agent"]');
    expect(await hunkAgents(page)).toEqual(['Claude Code']);
  });

  it('clears the pills of the previous target at once when another is opened', async () => {
    const { page } = await open({ ...authoredScenario(), delays: { 'authorship:HEAD': 600 } });
    await page.waitForSelector('[data-testid="hunk-agent"]');
    expect(await hunkAgents(page)).toEqual(['agent session']);

    // HEAD's h-rate-1 shares its id with the working tree's: no "agent session" pill on it.
    await openHead(page);
    expect(await hunkAgents(page)).toEqual([null]);
    expect(await page.$$('[data-testid="file-agent"]')).toHaveLength(0);
    await page.waitForSelector('[data-testid="hunk-agent"]');
    expect(await hunkAgents(page)).toEqual(['Claude Code']);
  });
});

describe('authorship themes', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`gives the agent pill its own colours in the ${colorScheme} theme`, async () => {
      const { page } = await open(authoredScenario(), { colorScheme });
      await page.waitForSelector('[data-testid="hunk-agent"]');
      const colours = await page.$eval('[data-testid="hunk-agent"]', (pill) => {
        const style = getComputedStyle(pill);
        const page = getComputedStyle(document.body);
        return { fg: style.color, bg: style.backgroundColor, pageBg: page.backgroundColor };
      });
      expect(colours.fg).not.toBe(colours.bg);
      expect(colours.bg).not.toBe(colours.pageBg);
    });
  }
});
