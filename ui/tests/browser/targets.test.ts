/**
 * Targets and history in the sidebar, in a real browser with the Tauri IPC mocked: uncommitted
 * changes called an agent session only with evidence (and the evidence shown), a commit's
 * details from the list (`i`) and from the header, older commits paged in, a branch with nothing
 * of its own, the live mark only on what follows the repository, and each target's file and
 * hunk kept for when the reviewer comes back.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CommitDetails, TargetInfo } from '../../src/lib/bindings';
import { attributes, selected, showFile } from './dom';
import { authoredScenario, claudeTrailer, happyScenario, headReview, review, richReview, targetList, targets, type Scenario } from './fixtures';
import { callsOf, useApp, waitForAnswers } from './harness';

const { open } = useApp({ quiet: true });

const HEAD_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const PARENT_ID = 'e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3';
const ROOT_ID = '9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d';
const NOW = Math.floor(Date.now() / 1000);

const headDetails: CommitDetails = {
  id: HEAD_ID,
  shortId: 'a1b2c3d',
  message:
    'Add token-bucket rate limiter\n\nEach tenant gets a bucket of 100 requests refilled every second;\nover the limit the server answers 429 with Retry-After.\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n',
  author: { name: 'Dana Smith', email: 'dana@acme.dev', time: 1_714_550_400, offsetMinutes: 120 },
  committer: { name: 'Lee Chan', email: 'lee@acme.dev', time: 1_714_660_200, offsetMinutes: -300 },
  parents: [PARENT_ID],
  provenance: {
    id: HEAD_ID,
    shortId: 'a1b2c3d',
    summary: 'Add token-bucket rate limiter',
    author: 'Dana Smith <dana@acme.dev>',
    time: 1_714_550_400,
    attribution: claudeTrailer,
    noteErrors: [],
  },
};

const parentDetails: CommitDetails = {
  id: PARENT_ID,
  shortId: 'e4f5a6b',
  message: 'Vendor governor, seed tenants, tune limits\n',
  author: { name: 'Dana Smith', email: 'dana@acme.dev', time: NOW - 26 * 3600, offsetMinutes: 0 },
  committer: { name: 'Dana Smith', email: 'dana@acme.dev', time: NOW - 26 * 3600, offsetMinutes: 0 },
  parents: [ROOT_ID],
  provenance: { id: PARENT_ID, shortId: 'e4f5a6b', summary: 'Vendor governor, seed tenants, tune limits', author: 'Dana Smith <dana@acme.dev>', time: NOW - 26 * 3600, attribution: null, noteErrors: [] },
};

function detailsScenario(): Scenario {
  return { ...authoredScenario(), commitDetails: { [HEAD_ID]: { ok: headDetails }, [PARENT_ID]: { ok: parentDetails } } };
}

async function ready(scenario: Scenario): Promise<Page> {
  const { page } = await open(scenario);
  await page.waitForSelector('[data-testid="diff-view"]');
  return page;
}

/** Opens the listed target `spec` by a click and waits until it is shown. */
async function pick(page: Page, spec: string): Promise<void> {
  await page.click(`[data-testid="target-item"][data-spec="${spec}"]`);
  await shown(page, spec);
}

async function shown(page: Page, spec: string): Promise<void> {
  await page.waitForSelector(`[data-testid="target-item"][data-spec="${spec}"][aria-selected="true"]`);
  await page.waitForSelector('[data-testid="app"][data-state="ready"]');
}

/** The file the diff shows and the hunk moved to (`null`: none). */
async function place(page: Page): Promise<{ path: string | null; hunk: string | null }> {
  return page.evaluate(() => ({
    path: document.querySelector('[data-testid="diff-view"]')?.getAttribute('data-path') ?? null,
    hunk: document.querySelector('[data-testid="hunk"][aria-current="true"]')?.getAttribute('data-hunk-id') ?? null,
  }));
}

describe('uncommitted changes', () => {
  it('are only uncommitted changes when nothing says an agent is writing them: no agent pill on the entry or on the hunks', async () => {
    const scenario: Scenario = { ...authoredScenario(), uncommittedEvidence: { ok: { agent: false, agents: [], evidence: [] } } };
    const page = await ready(scenario);
    await waitForAnswers(page, 'uncommitted_evidence');
    await waitForAnswers(page, 'authorship');
    const evidence = '[data-testid="target-item"][data-spec="worktree"] [data-testid="target-evidence"]';
    await page.waitForSelector(evidence);
    expect(await page.getAttribute(evidence, 'data-agent')).toBe('false');
    expect(await page.textContent(evidence)).toBe('Uncommitted changesno agent seen');
    expect(await page.$$('[data-testid="target-session"]')).toHaveLength(0);
    await showFile(page, 'src/server.rs');
    expect(await page.$$('[data-testid="hunk-agent"], [data-testid="file-agent"]')).toHaveLength(0);
  });

  it('are an agent session when an agent runs in the repository, which the entry and the hunks say', async () => {
    const scenario: Scenario = {
      ...authoredScenario(),
      uncommittedEvidence: { ok: { agent: true, agents: ['Claude Code'], evidence: [{ kind: 'process', agent: 'Claude Code', command: 'claude', pid: 4242 }] } },
    };
    const page = await ready(scenario);
    const pill = '[data-testid="target-item"][data-spec="worktree"] [data-testid="target-session"]';
    await page.waitForSelector(pill);
    expect(await page.textContent(pill)).toBe('Claude Code session');
    expect(await page.getAttribute(pill, 'title')).toBe('agent process running in this repository: claude (pid 4242)');
    expect(await page.textContent('[data-testid="target-evidence"] .evidence-text')).toBe('claude running (pid 4242)');
    expect(await page.getAttribute('[data-testid="target-evidence"]', 'title')).toBe('agent process running in this repository: claude (pid 4242)');
    await showFile(page, 'src/server.rs');
    await page.waitForSelector('[data-testid="hunk-agent"]');
    expect(await page.$$eval('[data-testid="hunk-agent"]', (pills) => pills.map((p) => p.textContent))).toEqual(['Claude Code']);
    // Commits are not uncommitted: no evidence line on them.
    expect(await page.$$('[data-testid="target-item"][data-kind="commit"] [data-testid="target-evidence"]')).toHaveLength(0);
  });
});

describe('a commit’s details', () => {
  it('open with i on a listed commit: the whole message, author and committer with dates, the full id, the parents, who wrote it', async () => {
    const page = await ready(detailsScenario());
    const head = '[data-testid="target-item"][data-spec="HEAD"]';
    expect(await page.getAttribute(head, 'title')).toBe(`Add token-bucket rate limiter\na1b2c3d · Claude\n${HEAD_ID}\nPress i for details`);
    await page.focus(head);
    await page.keyboard.press('i');
    await page.waitForSelector('[data-testid="commit-subject"]');
    expect(await page.textContent('[data-testid="commit-subject"]')).toBe('Add token-bucket rate limiter');
    expect(await page.textContent('[data-testid="commit-body"]')).toBe(
      'Each tenant gets a bucket of 100 requests refilled every second;\nover the limit the server answers 429 with Retry-After.\n\nCo-Authored-By: Claude <noreply@anthropic.com>',
    );
    expect(await page.inputValue('[data-testid="commit-id"]')).toBe(HEAD_ID);
    expect(await page.innerText('[data-testid="commit-author"]')).toBe('Dana Smith <dana@acme.dev>\n2024-05-01 10:00 +02:00');
    expect(await page.innerText('[data-testid="commit-committer"]')).toBe('Lee Chan <lee@acme.dev>\n2024-05-02 09:30 -05:00');
    expect(await page.textContent('[data-testid="commit-agent"]')).toBe('Claude Code');
    expect(await page.innerText('[data-testid="commit-evidence"]')).toBe('trailer Co-Authored-By: Claude <noreply@anthropic.com>');
    // The selection did not move: `i` only shows details.
    expect(await selected(page, '[data-testid="target-item"]', 'data-spec')).toEqual(['worktree']);

    // The parent's details, then that commit opened as the review.
    await page.click('[data-testid="commit-parent"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="commit-subject"]')?.textContent === 'Vendor governor, seed tenants, tune limits');
    expect(await page.textContent('[data-testid="commit-provenance"]')).toContain('a person: no agent signature');
    expect(await page.textContent('[data-testid="commit-parents"]')).toBe('9c8d7e6');
    await page.click('[data-testid="commit-review"]');
    await shown(page, 'e4f5a6b');
    expect(await page.$$('[data-testid="commit-details"]')).toHaveLength(0);
    expect((await callsOf(page, 'open_review')).at(-1)).toEqual({ repo: '/home/dana/src/acme-api', target: { kind: 'commit', rev: 'e4f5a6b' } });
  });

  it('open from the header of a commit review, by keyboard, and close with Esc giving focus back', async () => {
    const page = await ready(detailsScenario());
    await pick(page, 'HEAD');
    const button = '[data-testid="header-commit"]';
    await page.waitForSelector(button);
    expect(await page.textContent(button)).toBe('a1b2c3d');
    expect(await page.getAttribute(button, 'aria-label')).toBe('Commit a1b2c3d: details');
    await page.focus(button);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="commit-subject"]');
    expect((await callsOf(page, 'commit_details')).at(-1)).toEqual({ repo: '/home/dana/src/acme-api', rev: HEAD_ID });
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="commit-details"]', { state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('header-commit');
    // The working tree is not a commit: no details button.
    await pick(page, 'worktree');
    expect(await page.$$(button)).toHaveLength(0);
  });

  it('say so when the commit cannot be read', async () => {
    const page = await ready({ ...detailsScenario(), commitDetails: {} });
    await page.focus('[data-testid="target-item"][data-spec="HEAD"]');
    await page.keyboard.press('i');
    await page.waitForSelector('[data-testid="commit-details-error"]');
    expect(await page.textContent('[data-testid="commit-details-error"]')).toContain(`unknown revision '${HEAD_ID}'`);
  });
});

/** Two more commits, older than the list's oldest. */
const olderPage: TargetInfo[] = [
  { target: { kind: 'commit', rev: '7a6b5c4' }, spec: '7a6b5c4', title: 'Add the tenant model', detail: '7a6b5c4 · Dana Smith', time: NOW - 50 * 86400, changedFiles: null, commit: '7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b', upToDateWith: null },
  { target: { kind: 'commit', rev: '3f2e1d0' }, spec: '3f2e1d0', title: 'Start the API', detail: '3f2e1d0 · Dana Smith', time: NOW - 60 * 86400, changedFiles: null, commit: '3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e', upToDateWith: null },
];

describe('older commits', () => {
  it('come in after the listed commits with "Show older commits", reached by Tab, and then by the keys', async () => {
    const scenario: Scenario = {
      ...happyScenario(),
      listTargets: { ok: { ...targetList, olderCommits: true } },
      olderCommits: { [ROOT_ID]: { ok: { targets: olderPage, more: false } } },
      openReview: { ...happyScenario().openReview, '3f2e1d0': { ok: review({ kind: 'commit', rev: '3f2e1d0' }, '3f2e1d0', headReview.files) } },
    };
    const page = await ready(scenario);
    await page.focus('[data-testid="target-item"][data-spec="worktree"]');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('older-commits');
    expect(await page.evaluate(() => document.activeElement?.matches(':focus-visible'))).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="target-item"][data-spec="3f2e1d0"]');
    expect(await callsOf(page, 'older_commits')).toEqual([{ repo: '/home/dana/src/acme-api', after: ROOT_ID }]);
    expect(await attributes(page, '[data-testid="target-item"]', 'data-spec')).toEqual([
      'worktree',
      'staged',
      'HEAD',
      'e4f5a6b',
      '9c8d7e6',
      '7a6b5c4',
      '3f2e1d0',
      'branch:agent/retry-queue',
      'branch:docs/readme',
    ]);
    // That was all of it.
    expect(await page.$$('[data-testid="older-commits"]')).toHaveLength(0);
    // The oldest opens like any other.
    await page.focus('[data-testid="target-item"][data-spec="9c8d7e6"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await shown(page, '3f2e1d0');
  });

  it('say why when they cannot be listed, and can be asked again', async () => {
    const scenario: Scenario = { ...happyScenario(), listTargets: { ok: { ...targetList, olderCommits: true } }, olderCommits: {} };
    const page = await ready(scenario);
    await page.click('[data-testid="older-commits"]');
    await page.waitForSelector('[data-testid="older-commits-error"]');
    expect(await page.textContent('[data-testid="older-commits-error"]')).toContain("it is not in HEAD's history");
    expect(await page.isEnabled('[data-testid="older-commits"]')).toBe(true);
  });

  it('are not offered when the list holds the whole history', async () => {
    const page = await ready(happyScenario());
    expect(await page.$$('[data-testid="older-commits"]')).toHaveLength(0);
  });
});

describe('a branch with no commits of its own', () => {
  it('is listed as up to date with its base, opens to say so, and offers its own last commit', async () => {
    const upToDate = targets.map((info) =>
      info.spec === 'branch:agent/retry-queue' ? { ...info, detail: 'up to date with main', commit: PARENT_ID, upToDateWith: 'main' } : info,
    );
    const scenario: Scenario = { ...detailsScenario(), listTargets: { ok: { ...targetList, targets: upToDate } } };
    const page = await ready(scenario);
    const entry = '[data-testid="target-item"][data-spec="branch:agent/retry-queue"]';
    expect(await page.textContent(`${entry} .detail`)).toBe('up to date with main');
    await pick(page, 'branch:agent/retry-queue');
    await page.waitForSelector('[data-testid="branch-up-to-date"]');
    expect(await page.textContent('[data-testid="branch-up-to-date"] .title')).toBe('agent/retry-queue is up to date with main');
    expect(await page.$$('[data-testid="empty-state"]')).toHaveLength(0);
    await page.click('[data-testid="branch-tip-details"]');
    await page.waitForSelector('[data-testid="commit-subject"]');
    expect(await page.textContent('[data-testid="commit-subject"]')).toBe('Vendor governor, seed tenants, tune limits');
    await page.keyboard.press('Escape');
    await page.click('[data-testid="review-branch-tip"]');
    await shown(page, 'e4f5a6b');
    expect((await callsOf(page, 'open_review')).at(-1)).toEqual({ repo: '/home/dana/src/acme-api', target: { kind: 'commit', rev: 'e4f5a6b' } });
  });

  it('with commits of its own and nothing changed still says there is nothing to review', async () => {
    const page = await ready(happyScenario());
    await pick(page, 'branch:agent/retry-queue');
    await page.waitForSelector('[data-testid="empty-state"]');
    expect(await page.$$('[data-testid="branch-up-to-date"]')).toHaveLength(0);
  });
});

describe('the live mark', () => {
  it('shows on the working tree and HEAD, which the watcher reloads, and not on an older commit', async () => {
    const page = await ready(happyScenario());
    await waitForAnswers(page, 'watch_repository');
    await page.waitForSelector('[data-testid="live-indicator"]');
    await pick(page, 'e4f5a6b');
    await page.waitForSelector('[data-testid="live-indicator"]', { state: 'detached' });
    await pick(page, 'HEAD');
    await page.waitForSelector('[data-testid="live-indicator"]');
    await pick(page, 'staged');
    expect(await page.$$('[data-testid="live-indicator"]')).toHaveLength(1);
    expect(richReview.spec).toBe('e4f5a6b');
  });
});

describe('going back to a target', () => {
  it('puts the reviewer back on the file and hunk they left, with ] and [, a click, or the palette', async () => {
    const page = await ready(happyScenario());
    await showFile(page, 'src/server.rs');
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    expect(await place(page)).toEqual({ path: 'src/server.rs', hunk: 'h-server-2' });

    // ] to the next target (its own first file), [ back.
    await page.keyboard.press(']');
    await shown(page, 'staged');
    expect(await place(page)).toEqual({ path: 'Cargo.toml', hunk: null });
    await page.keyboard.press('[');
    await shown(page, 'worktree');
    expect(await place(page)).toEqual({ path: 'src/server.rs', hunk: 'h-server-2' });

    // A click away and back; HEAD keeps its own place meanwhile.
    await pick(page, 'HEAD');
    await showFile(page, 'Cargo.toml');
    await pick(page, 'worktree');
    expect(await place(page)).toEqual({ path: 'src/server.rs', hunk: 'h-server-2' });

    // The palette.
    await page.keyboard.press('Control+k');
    await page.waitForSelector('[data-testid="palette-input"]:focus');
    await page.fill('[data-testid="palette-input"]', 'Add token-bucket');
    await page.waitForFunction(() => document.querySelector('[role="option"][data-kind="target"]') !== null);
    await page.keyboard.press('Enter');
    await shown(page, 'HEAD');
    expect(await place(page)).toEqual({ path: 'Cargo.toml', hunk: null });
  });
});

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's serious and critical WCAG 2.1 A/AA violations (contrast included), one line each. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

describe('what this adds, for axe', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious or critical violation in the ${colorScheme} theme: the evidence, older commits, the details dialog, an up-to-date branch`, async () => {
      const upToDate = targets.map((info) =>
        info.spec === 'branch:agent/retry-queue' ? { ...info, detail: 'up to date with main', commit: PARENT_ID, upToDateWith: 'main' } : info,
      );
      const scenario: Scenario = {
        ...detailsScenario(),
        listTargets: { ok: { ...targetList, targets: upToDate, olderCommits: true } },
        uncommittedEvidence: { ok: { agent: true, agents: ['Claude Code'], evidence: [{ kind: 'process', agent: 'Claude Code', command: 'claude', pid: 4242 }] } },
      };
      const { page } = await open(scenario, { colorScheme });
      await page.waitForSelector('[data-testid="target-session"]');
      await page.waitForSelector('[data-testid="older-commits"]');
      expect(await violations(page)).toEqual([]);
      await page.focus('[data-testid="target-item"][data-spec="HEAD"]');
      await page.keyboard.press('i');
      await page.waitForSelector('[data-testid="commit-evidence"]');
      expect(await violations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid="commit-details"]', { state: 'detached' });
      await pick(page, 'branch:agent/retry-queue');
      await page.waitForSelector('[data-testid="branch-up-to-date"]');
      expect(await violations(page)).toEqual([]);
    });
  }
});
