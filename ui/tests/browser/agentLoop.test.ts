/**
 * The agent loop in a real browser, with the Tauri IPC mocked: the latest session's timeline of
 * turns (opening one turn alone, Mark turn), notes sent to the agent and their state, the
 * agent's claim with the evidence and the reviewer's confirmation, Copy for agent, and undoing a
 * hunk of the working tree with its confirmation and redo.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AgentSession } from '../../src/lib/bindings';
import { attributes, showFile } from './dom';
import {
  REPO_PATH,
  agentNotes,
  agentScenario,
  changedThread,
  claimedThread,
  doubtfulThread,
  demoSession,
  file,
  outdatedThread,
  review,
  serverModified,
  workflowScenario,
  worktreeReview,
  type Scenario,
} from './fixtures';
import { RESULTS_DIR, callsOf, useApp } from './harness';

const { open } = useApp({ quiet: true });

function turnRow(page: Page, seq: number) {
  return page.locator(`[data-testid="turn"][data-seq="${seq}"]`);
}

describe('the agent session timeline', () => {
  it('lists the latest session turn by turn, newest first: time, what ended it, files, +/−, notes written and claimed', async () => {
    const { page } = await open(agentScenario());
    await page.waitForSelector('[data-testid="agent-session"]');
    expect(await page.getAttribute('[data-testid="agent-session"]', 'data-session')).toBe('demo');
    expect(await attributes(page, '[data-testid="turn"]', 'data-seq')).toEqual(['3', '2', '1']);

    // The agent's hook ended turns 1 and 3: they name the agent; turn 2's end is a guess, and says so.
    expect(await turnRow(page, 3).locator('[data-testid="turn-boundary"]').textContent()).toBe('claude-code');
    expect(await turnRow(page, 2).getAttribute('data-boundary')).toBe('inferred');
    expect(await turnRow(page, 2).locator('[data-testid="turn-boundary"]').textContent()).toBe('Inferred (a guess)');

    const first = turnRow(page, 1);
    expect(await first.locator('[data-testid="turn-time"]').textContent()).toBe('30 min ago');
    expect(await first.locator('[data-testid="turn-files"]').textContent()).toBe('2 files');
    expect(await first.locator('[data-testid="turn-files"]').getAttribute('title')).toBe('src/middleware/rate_limit.rs\nsrc/server.rs');
    expect(await first.getByLabel('28 added, 0 removed').count()).toBe(1);
    expect(await first.locator('[data-testid="turn-notes"]').textContent()).toBe('2 notes');
    expect(await first.locator('[data-testid="turn-claimed"]').count()).toBe(0);
    // Turn 3 addressed the must-fix note, named in the title once the notes are known.
    const claimed = turnRow(page, 3).locator('[data-testid="turn-claimed"]');
    expect(await claimed.textContent()).toBe('1 addressed');
    await expect.poll(() => claimed.getAttribute('title')).toContain('No unwrap on bind: report the port in use.');
    expect(await turnRow(page, 3).locator('[data-testid="turn-notes"]').count()).toBe(0);
  });

  it("folds the agent's message to its first line and unfolds it as plain text, never as HTML", async () => {
    const { page } = await open(agentScenario());
    const third = turnRow(page, 3);
    await third.waitFor();
    const toggle = third.locator('[data-testid="turn-message-toggle"]');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await third.locator('[data-testid="turn-message-preview"]').textContent()).toBe('Fixed the <b>unwrap</b> on bind');
    expect(await third.locator('[data-testid="turn-message"]').count()).toBe(0);

    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const message = third.locator('[data-testid="turn-message"]');
    expect(await message.textContent()).toBe(demoSession.turns[2]?.turn.message);
    expect(await message.locator('b, script').count()).toBe(0);
    // A turn without a message has nothing to unfold.
    expect(await turnRow(page, 2).locator('[data-testid="turn-message-toggle"]').count()).toBe(0);
    // Enter folds it again from the keyboard.
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  });

  it('opens a turn alone when it is clicked, with its target', async () => {
    const { page } = await open(agentScenario());
    await turnRow(page, 3).locator('[data-testid="turn-open"]').click();
    await page.waitForSelector('[data-testid="hunk"][data-hunk-id="h-turn3-1"]');
    expect((await callsOf(page, 'open_review')).at(-1)).toEqual({ repo: REPO_PATH, target: { kind: 'turn', session: 'demo', first: 3, last: 3 } });
    expect(await turnRow(page, 3).locator('[data-testid="turn-open"]').getAttribute('aria-current')).toBe('true');
    expect(await turnRow(page, 1).locator('[data-testid="turn-open"]').getAttribute('aria-current')).toBeNull();
    expect(await page.textContent('.statusbar .spec')).toBe('turn:3@demo');
    // Only the turn's change is shown; a turn is history, so nothing offers to undo it.
    expect(await attributes(page, '[data-testid="file-item"]', 'data-path')).toEqual(['src/server.rs']);
    expect(await page.locator('[data-testid="undo-hunk"]').count()).toBe(0);
    // No listed target is selected while a turn is open.
    expect(await page.locator('[data-testid="target-item"][aria-selected="true"]').count()).toBe(0);
  });

  it('marks a turn with Mark turn, then lists the session again', async () => {
    const fourth = { ...demoSession.turns[2]!, turn: { ...demoSession.turns[2]!.turn, seq: 4, boundary: 'manual' as const, agent: null, message: null }, spec: 'turn:4@demo', claimed: [] };
    const after: AgentSession = { ...demoSession, turns: [...demoSession.turns, { ...fourth, target: { kind: 'turn', session: 'demo', first: 4, last: 4 } }] };
    const scenario: Scenario = {
      ...agentScenario(),
      agentSessions: [{ ok: [demoSession] }, { ok: [after] }],
      markTurn: { ok: { turn: fourth.turn, created: true } },
    };
    const { page } = await open(scenario);
    await page.waitForSelector('[data-testid="turn"]');
    await page.click('[data-testid="mark-turn"]');
    await expect.poll(() => attributes(page, '[data-testid="turn"]', 'data-seq')).toEqual(['4', '3', '2', '1']);
    expect(await callsOf(page, 'mark_turn')).toEqual([{ repo: REPO_PATH, session: 'demo' }]);
    expect(await page.textContent('[data-testid="mark-turn-result"]')).toBe('Turn 4 recorded');
    expect(await turnRow(page, 4).locator('[data-testid="turn-boundary"]').textContent()).toBe('Marked');
  });

  it('is not there when the repository has no agent session', async () => {
    const { page } = await open(workflowScenario());
    await expect.poll(async () => (await callsOf(page, 'agent_sessions')).length).toBeGreaterThan(0);
    await page.waitForSelector('[data-testid="target-item"]');
    expect(await page.locator('[data-testid="agent-session"]').count()).toBe(0);
  });
});

describe('notes to the agent', () => {
  it('sends an open thread with Send to agent; its chip then says it was sent', async () => {
    const { page } = await open(agentScenario());
    await showFile(page, 'src/server.rs');
    const thread = page.locator('[data-thread-id="t-changed"]');
    await thread.waitFor();
    expect(await thread.locator('[data-testid="thread-handoff"]').count()).toBe(0);
    await thread.locator('[data-testid="thread-send"]').click();

    await expect.poll(() => thread.locator('[data-testid="thread-handoff"]').textContent()).toBe('Sent to agent');
    expect(await callsOf(page, 'send_to_agent')).toEqual([{ repo: REPO_PATH, target: { kind: 'worktree' }, threadIds: ['t-changed'] }]);
    expect(await thread.getAttribute('data-handoff')).toBe('sent');
    // Waiting for the agent: nothing to send again.
    expect(await thread.locator('[data-testid="thread-send"]').count()).toBe(0);
    // A thread the agent received can be sent again (after a reply, say).
    const received = page.locator('[data-thread-id="t-received"]');
    expect(await received.locator('[data-testid="thread-handoff"]').textContent()).toBe('Received by agent');
    expect(await received.locator('[data-testid="thread-send"]').textContent()).toBe('Send again');
  });

  it('reads the notes again while a thread waits on the agent, so its claim shows without a reload', async () => {
    const at = Date.now();
    const waiting = { ...changedThread, thread: { ...changedThread.thread, handoff: { sentAt: at, deliveredAt: at + 1, claim: null } } };
    const scenario: Scenario = {
      ...agentScenario(),
      reviewNotes: { worktree: { ok: { ...agentNotes, threads: [waiting], open: 1, openMustFix: 0 } } },
    };
    const { page } = await open(scenario);
    await showFile(page, 'src/server.rs');
    const chip = page.locator('[data-thread-id="t-changed"] [data-testid="thread-handoff"]');
    await expect.poll(() => chip.textContent()).toBe('Received by agent');
    const asked = (await callsOf(page, 'review_notes')).length;
    // The agent claims it, through the database: nothing in the repository changes.
    await page.evaluate(() => {
      const mock = (window as unknown as { __mock: { scenario: Scenario } }).__mock;
      const notes = mock.scenario.reviewNotes?.['worktree'];
      if (notes && 'ok' in notes) {
        const placed = notes.ok.threads[0]!;
        placed.thread = {
          ...placed.thread,
          handoff: {
            sentAt: placed.thread.handoff?.sentAt ?? null,
            deliveredAt: placed.thread.handoff?.deliveredAt ?? null,
            claim: { by: 'claude-code', message: 'Done', at: Date.now(), tree: null },
          },
        };
      }
    });
    await expect.poll(() => chip.textContent(), { timeout: 12_000 }).toBe('Agent claims addressed');
    expect((await callsOf(page, 'review_notes')).length).toBeGreaterThan(asked);
  });

  it('sends every open must-fix note not sent yet from the notes panel, at once', async () => {
    const mustFixOutdated = { ...outdatedThread, thread: { ...outdatedThread.thread, kind: 'mustFix' as const } };
    const scenario: Scenario = {
      ...agentScenario(),
      reviewNotes: { worktree: { ok: { ...agentNotes, threads: [changedThread, mustFixOutdated, claimedThread], open: 3, openMustFix: 3 } } },
    };
    const { page } = await open(scenario);
    await page.click('[data-testid="toggle-notes"]');
    const button = page.locator('[data-testid="send-must-fix"]');
    await expect.poll(() => button.textContent()).toBe('Send open must-fix notes to agent2');
    await button.click();

    await expect.poll(() => page.textContent('[data-testid="sent-status"]')).toBe('2 notes sent to the agent');
    expect(await callsOf(page, 'send_to_agent')).toEqual([{ repo: REPO_PATH, target: { kind: 'worktree' }, threadIds: ['t-changed', 't-outdated'] }]);
    await expect.poll(() => button.isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="notes-panel-item"][data-thread-id="t-changed"] [data-testid="notes-panel-handoff"]').textContent()).toBe('sent');
    const claimed = page.locator('[data-testid="notes-panel-item"][data-thread-id="t-claimed"] [data-testid="notes-panel-handoff"]');
    expect(await claimed.textContent()).toBe('claimed');
    expect(await claimed.getAttribute('title')).toBe('Agent claims addressed');
  });

  it("shows the agent's claim with the evidence from the code, warns when the code is unchanged, and Confirm resolved resolves", async () => {
    const { page } = await open(agentScenario());
    await showFile(page, 'src/server.rs');
    const claimed = page.locator('[data-thread-id="t-claimed"]');
    await claimed.waitFor();
    expect(await claimed.locator('[data-testid="thread-handoff"]').textContent()).toBe('Agent claims addressed');
    // The claim is the agent's text, shown as text.
    expect(await claimed.locator('[data-testid="thread-claim-message"]').textContent()).toBe('Bind errors now return the port in the error <em>and</em> exit non-zero.');
    expect(await claimed.locator('[data-testid="thread-claim"] em').count()).toBe(0);
    const evidence = claimed.locator('[data-testid="thread-evidence"]');
    expect((await evidence.textContent())?.trim()).toBe('The code was changed since the note');
    expect(await evidence.getAttribute('data-warning')).toBe('false');

    // Claimed, but the code under the note is as it was: a warning.
    const doubtful = page.locator('[data-thread-id="t-doubtful"] [data-testid="thread-evidence"]');
    expect(await doubtful.getAttribute('data-warning')).toBe('true');
    expect(await doubtful.textContent()).toContain('The code is unchanged since the note');

    await claimed.locator('[data-testid="thread-confirm"]').click();
    await expect.poll(() => claimed.getAttribute('data-resolved')).toBe('true');
    expect(await callsOf(page, 'resolve_note')).toEqual([{ repo: REPO_PATH, target: { kind: 'worktree' }, threadId: 't-claimed', resolved: true }]);
    expect(await claimed.locator('[data-testid="thread-claim"]').count()).toBe(0);
    expect(await claimed.locator('[data-testid="thread-confirm"]').count()).toBe(0);
  });

  it("weighs a claim against the working tree, not the reviewed target's own content", async () => {
    // A note on a turn's review: the turn still holds the old line (placement current), but in
    // the working tree, where the agent works, the line is gone (the core's evidence).
    const onTurn = { ...doubtfulThread, evidence: { state: 'outdated' as const } };
    const scenario = agentScenario();
    const { page } = await open({
      ...scenario,
      reviewNotes: { worktree: { ok: { ...agentNotes, threads: [onTurn], open: 1, openMustFix: 0 } } },
    });
    await showFile(page, 'src/server.rs');
    const evidence = page.locator('[data-thread-id="t-doubtful"] [data-testid="thread-evidence"]');
    await evidence.waitFor();
    expect(await evidence.getAttribute('data-warning')).toBe('false');
    expect(await evidence.textContent()).toContain('The code was changed since the note');
  });

  it('copies what the agent would be handed to the clipboard', async () => {
    const markdown = '# Review notes for the agent\n\n1. **must-fix** src/server.rs:42\n';
    const { page, context } = await open({ ...agentScenario(), agentMarkdown: { ok: markdown } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.click('[data-testid="toggle-notes"]');
    await page.click('[data-testid="copy-for-agent"]');
    await expect.poll(() => page.textContent('[data-testid="copy-for-agent-status"]')).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(markdown);
    expect(await callsOf(page, 'agent_markdown')).toEqual([{ repo: REPO_PATH }]);
    expect(await page.locator('[data-testid="copy-for-agent-dialog"]').count()).toBe(0);
  });

  it('shows the text to copy by hand when the clipboard cannot be written', async () => {
    const markdown = '# Review notes for the agent\n\nNothing sent yet.\n';
    const { page } = await open({ ...agentScenario(), agentMarkdown: { ok: markdown } });
    await page.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('not allowed')) }, configurable: true });
    });
    await page.click('[data-testid="toggle-notes"]');
    await page.click('[data-testid="copy-for-agent"]');
    const text = page.locator('[data-testid="copy-for-agent-dialog"] [data-testid="copy-for-agent-text"]');
    await text.waitFor();
    expect(await text.inputValue()).toBe(markdown);
    // Selected, ready for Ctrl+C; Esc closes.
    expect(await text.evaluate((t: HTMLTextAreaElement) => [t.selectionStart, t.selectionEnd])).toEqual([0, markdown.length]);
    // Its Copy button copies the selection with the editing command, which needs the click.
    await page.click('[data-testid="copy-for-agent-copy"]');
    expect(await page.textContent('[data-testid="copy-for-agent-manual-status"]')).toBe('Copied');
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-testid="copy-for-agent-dialog"]').count()).toBe(0);
  });
});

/** The working tree after the second hunk of src/server.rs was undone. */
const serverWithoutSecond = file({ oldPath: 'src/server.rs', newPath: 'src/server.rs' }, 'modified', [serverModified.hunks[0]!]);
const afterUndo = review({ kind: 'worktree' }, 'worktree', worktreeReview.files.map((f) => (f.newPath === 'src/server.rs' ? serverWithoutSecond : f)));

describe('undoing a hunk of the working tree', () => {
  it('asks first, naming the file and hunk; then undoes it, reloads, and Redo puts it back', async () => {
    const scenario: Scenario = {
      ...agentScenario(),
      openReview: { ...agentScenario().openReview, worktree: [{ ok: worktreeReview }, { ok: afterUndo }, { ok: worktreeReview }] },
    };
    const { page } = await open(scenario);
    await showFile(page, 'src/server.rs');
    await page.click('[data-hunk-id="h-server-2"] [data-testid="undo-hunk"]');
    const dialog = page.locator('[data-testid="undo-dialog"]');
    await dialog.waitFor();
    expect(await dialog.locator('[data-testid="undo-file"]').textContent()).toBe('src/server.rs');
    expect(await dialog.locator('[data-testid="undo-hunk"]').textContent()).toBe('@@ -40,9 +42,10 @@ async fn serve(config: Config) -> anyhow::Result<()> {');
    expect(await dialog.locator('[data-testid="undo-lines"]').textContent()).toContain('+    let listener = TcpListener::bind(addr).await?;');
    // Nothing is undone before the reviewer confirms; Cancel leaves it all.
    await dialog.locator('[data-testid="undo-cancel"]').click();
    expect(await page.locator('[data-testid="undo-dialog"]').count()).toBe(0);
    expect(await callsOf(page, 'undo_hunk')).toEqual([]);

    // From the keyboard: n n moves to the second hunk, u asks, Enter confirms.
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    await page.keyboard.press('u');
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('undo-confirm');
    await page.keyboard.press('Enter');

    await page.waitForSelector('[data-testid="undo-notice"][data-state="undone"]');
    expect(await callsOf(page, 'undo_hunk')).toEqual([{ repo: REPO_PATH, target: { kind: 'worktree' }, file: 'src/server.rs', hunkId: 'h-server-2' }]);
    expect(await page.textContent('[data-testid="undo-notice-title"]')).toBe('Hunk undone');
    // The review reloaded where the reviewer was: the same file, without the hunk.
    await expect.poll(() => attributes(page, '[data-testid="hunk"]', 'data-hunk-id')).toEqual(['h-server-1']);
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('src/server.rs');

    await page.click('[data-testid="undo-redo"]');
    await page.waitForSelector('[data-testid="undo-notice"][data-state="redone"]');
    expect(await callsOf(page, 'redo_undo')).toEqual([{ repo: REPO_PATH }]);
    await expect.poll(() => attributes(page, '[data-testid="hunk"]', 'data-hunk-id')).toEqual(['h-server-1', 'h-server-2']);
    expect(await page.textContent('[data-testid="undo-notice-title"]')).toBe('Change put back');
    expect(await page.locator('[data-testid="undo-redo"]').count()).toBe(0);
    await page.screenshot({ path: `${RESULTS_DIR}/agent-loop-undo.png` });
  });

  it('undoes every change of a file from its header (no hunk id); an added file only whole', async () => {
    const { page } = await open(agentScenario());
    // The first file was added by the agent: it is undone whole, from its header; u does nothing.
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/middleware/rate_limit.rs"] [data-testid="undo-file"]');
    expect(await page.locator('[data-testid="undo-hunk"]').count()).toBe(0);
    await page.keyboard.press('n');
    await page.keyboard.press('u');
    expect(await page.locator('[data-testid="undo-dialog"]').count()).toBe(0);
    await showFile(page, 'src/server.rs');
    await page.click('[data-testid="undo-file"]');
    const dialog = page.locator('[data-testid="undo-dialog"]');
    expect(await dialog.locator('[data-testid="undo-what"]').textContent()).toContain('src/server.rs');
    expect(await dialog.locator('[data-testid="undo-what"]').textContent()).toContain(`2 hunks, +${serverModified.additions} −${serverModified.deletions}`);
    expect(await dialog.locator('[data-testid="undo-confirm"]').textContent()).toBe('Undo file changes');
    await dialog.locator('[data-testid="undo-confirm"]').click();
    await page.waitForSelector('[data-testid="undo-notice"]');
    expect(await callsOf(page, 'undo_hunk')).toEqual([{ repo: REPO_PATH, target: { kind: 'worktree' }, file: 'src/server.rs', hunkId: null }]);
    expect(await page.textContent('[data-testid="undo-notice-title"]')).toBe('File changes undone');
  });

  it('shows why an undo failed, and leaves the review as it was', async () => {
    const { page } = await open({
      ...agentScenario(),
      undoHunk: { err: { kind: 'cannotUndo', message: 'src/server.rs changed on disk while the hunk was read; look again and retry' } },
    });
    await showFile(page, 'src/server.rs');
    await page.click('[data-hunk-id="h-server-1"] [data-testid="undo-hunk"]');
    await page.click('[data-testid="undo-confirm"]');
    await expect.poll(() => page.textContent('[data-testid="workflow-error"]')).toBe(
      'Cannot undo: src/server.rs changed on disk while the hunk was read; look again and retry',
    );
    expect(await page.locator('[data-testid="undo-notice"]').count()).toBe(0);
    expect(await attributes(page, '[data-testid="hunk"]', 'data-hunk-id')).toEqual(['h-server-1', 'h-server-2']);
  });

  it('is offered on the working tree only', async () => {
    const { page } = await open(agentScenario());
    await page.waitForSelector('[data-testid="undo-file"]');
    await page.click('[data-testid="target-item"][data-spec="HEAD"]');
    await page.waitForSelector('.statusbar .spec:text-is("HEAD")');
    await page.waitForSelector('[data-testid="hunk"][data-hunk-id="h-rate-1"]');
    expect(await page.locator('[data-testid="undo-hunk"], [data-testid="undo-file"]').count()).toBe(0);
    await page.keyboard.press('n');
    await page.keyboard.press('u');
    expect(await page.locator('[data-testid="undo-dialog"]').count()).toBe(0);
  });
});

describe('in the dark theme', () => {
  it('draws the timeline and the claims, the warning set apart from the page', async () => {
    const scenario = agentScenario();
    const { page } = await open(scenario, { colorScheme: 'dark' });
    await showFile(page, 'src/server.rs');
    await page.locator('[data-thread-id="t-claimed"]').scrollIntoViewIfNeeded();
    await turnRow(page, 3).locator('[data-testid="turn-message-toggle"]').click();
    await page.screenshot({ path: `${RESULTS_DIR}/agent-loop-dark.png` });
    const colors = await page.locator('[data-thread-id="t-doubtful"] [data-testid="thread-evidence"]').evaluate((e) => {
      const style = getComputedStyle(e);
      return { color: style.color, background: style.backgroundColor };
    });
    expect(colors.color).not.toBe(colors.background);
    // A light text on a dark page: the warning is readable in the dark theme.
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(13, 17, 23)');
  });
});
