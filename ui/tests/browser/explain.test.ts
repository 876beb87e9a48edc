/**
 * Explain and teach in the window, with the Tauri IPC mocked: the explain panel (the model in
 * use, or the structural summary and how to connect a model), an answer streamed piece by piece
 * over the command's channel and rendered by the core, Stop, Pin as note (a thread of kind
 * Explanation), the Teach toggle, "What will be sent" with the secrets replaced, the e key;
 * learning mode (lessons brought forward in the diff, findings' teaching open, the Learn list);
 * and a hostile answer that must stay inert.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../../src/lib/bindings';
import { showFile } from './dom';
import {
  REPO_PATH,
  explainScenario,
  findingsScenario,
  hostileAnswer,
  hostileAnswerHtml,
  modelAnswer,
  preparedWithSecrets,
  type Reply,
  type Scenario,
} from './fixtures';
import { RESULTS_DIR, callsOf, useApp } from './harness';

const { open } = useApp({ quiet: true });

interface MockWindow {
  __mock: { send: (cmd: string, message: unknown) => boolean; finish: (cmd: string, reply: unknown) => boolean };
  __redlinePwned?: unknown;
}

/** Plays the shell's part: one piece of the answer over the explain call's channel. */
async function sendPiece(page: Page, text: string): Promise<void> {
  const sent = await page.evaluate((piece) => (window as unknown as MockWindow).__mock.send('explain', { kind: 'token', text: piece }), text);
  expect(sent).toBe(true);
}

/** Answers the held explain call. */
async function finishExplain(page: Page, reply: Reply<Explanation>): Promise<void> {
  const finished = await page.evaluate((r) => (window as unknown as MockWindow).__mock.finish('explain', r), reply);
  expect(finished).toBe(true);
}

const panel = '[data-testid="explain-panel"]';
const answer = `${panel} [data-testid="explain-answer"]`;
const status = `${panel} [data-testid="explain-status"]`;

async function waitForPhase(page: Page, phase: 'streaming' | 'done' | 'stopped' | 'failed'): Promise<void> {
  await page.waitForSelector(`${panel} [data-testid="explain-result"][data-phase="${phase}"]`);
}

/** Waits until the answer's text contains `text` (the render is throttled and asynchronous). */
async function waitForAnswer(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    ([selector, wanted]) => (document.querySelector(selector!)?.textContent ?? '').includes(wanted!),
    [answer, text],
  );
}

/** Waits until the element's text is exactly `text` (it follows the reviewer's selection). */
async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(([sel, wanted]) => document.querySelector(sel!)?.textContent === wanted, [selector, text]);
}

/** The scenario with the model, its explain call held until the test answers it. */
function heldScenario(extra: Partial<Scenario> = {}): Scenario {
  return { ...explainScenario(), explain: { hold: true }, ...extra };
}

describe('without a model', () => {
  it('e explains the current hunk with the structural summary, and says how to connect a model', async () => {
    const { page } = await open(findingsScenario());
    await showFile(page, 'src/server.rs');
    await page.keyboard.press('e');
    await page.waitForSelector(panel);
    await waitForPhase(page, 'done');

    expect(await page.textContent(`${panel} [data-testid="explain-model"]`)).toContain('No model: structural summary');
    expect(await page.textContent(`${panel} [data-testid="explain-connect-hint"]`)).toContain('REDLINE_LLM_BASE_URL');
    expect(await page.textContent(status)).toBe("Redline's structural summary");
    // The summary itself, as the core rendered it, ends with how to connect a model.
    await waitForAnswer(page, 'No model is connected');
    expect(await page.textContent(`${panel} [data-testid="explain-request"]`)).toBe('Hunk 1 of src/server.rs');

    const [call] = await callsOf(page, 'explain');
    expect(call).toMatchObject({ repo: REPO_PATH, target: { kind: 'worktree' }, request: { action: { kind: 'hunk', file: 'src/server.rs', hunk: 1 }, teach: false } });
    expect(String(call?.['onEvent'])).toMatch(/^__CHANNEL__:\d+$/);
    // The summary can be pinned as a note, but there are no figures to show.
    expect(await page.isEnabled(`${panel} [data-testid="explain-pin"]`)).toBe(true);
    expect(await page.locator(`${panel} [data-testid="explain-usage"]`).count()).toBe(0);
  });

  it('e follows the hunk moved to, and does nothing while typing', async () => {
    const { page } = await open(findingsScenario());
    await showFile(page, 'src/server.rs');
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    await page.keyboard.press('e');
    await waitForPhase(page, 'done');
    expect((await callsOf(page, 'explain')).map((c) => c['request'])).toEqual([{ action: { kind: 'hunk', file: 'src/server.rs', hunk: 2 }, teach: false }]);

    await page.click(`${panel} [data-testid="explain-question"]`);
    await page.keyboard.type('see');
    expect(await callsOf(page, 'explain')).toHaveLength(1);
    expect(await page.inputValue(`${panel} [data-testid="explain-question"]`)).toBe('see');
  });
});

describe('a streamed answer', () => {
  it('appears piece by piece, rendered by the core, then whole with the model and its figures', async () => {
    const { page } = await open(heldScenario());
    await showFile(page, 'src/server.rs');
    await page.keyboard.press('e');
    await waitForPhase(page, 'streaming');
    expect(await page.textContent(`${panel} [data-testid="explain-model"]`)).toBe('Model: qwen2.5-coder:7b at http://127.0.0.1:11434/v1 (found on this machine)');
    expect(await page.locator(`${panel} [data-testid="explain-connect-hint"]`).count()).toBe(0);
    expect(await page.textContent(status)).toBe('Explaining…');
    expect(await page.isVisible(`${panel} [data-testid="explain-stop"]`)).toBe(true);

    await sendPiece(page, 'The limiter ');
    await waitForAnswer(page, 'The limiter');
    expect(await page.textContent(answer)).not.toContain('bursts');
    // Still streaming: no pin yet, Stop still there.
    expect(await page.locator(`${panel} [data-testid="explain-pin"]`).count()).toBe(0);
    expect(await page.isVisible(`${panel} [data-testid="explain-stop"]`)).toBe(true);

    await sendPiece(page, '**caps** ');
    await sendPiece(page, 'bursts.');
    await waitForAnswer(page, 'bursts.');
    // Markdown is rendered (by the core's renderer), not shown as its source.
    expect(await page.textContent(`${answer} strong`)).toBe('caps');
    expect(await page.textContent(answer)).not.toContain('**');

    await finishExplain(page, { ok: modelAnswer('The limiter **caps** bursts.') });
    await waitForPhase(page, 'done');
    expect(await page.textContent(status)).toBe('Answered by openai/qwen2.5-coder:7b');
    expect(await page.locator(`${panel} [data-testid="explain-usage"] li`).allTextContents()).toEqual([
      '812 tokens in',
      '164 tokens out',
      'first token 240 ms',
      'total 1830 ms',
    ]);
    expect(await page.locator(`${panel} [data-testid="explain-stop"]`).count()).toBe(0);
    // Every render went through the core; the last one is of the whole answer.
    const renders = (await callsOf(page, 'preview_markdown')).map((c) => c['body']);
    expect(renders.at(-1)).toBe('The limiter **caps** bursts.');
    expect(renders[0]).toBe('The limiter ');
  });

  it('says when the answer came from the cache', async () => {
    const cached = modelAnswer('Seen before.', { source: 'cache', usage: { inputTokens: null, outputTokens: null, firstTokenMs: null, totalMs: 3, attempts: 1 } });
    const { page } = await open({ ...explainScenario(), explain: { ok: cached, stream: ['Seen before.'] } });
    await showFile(page, 'src/server.rs');
    await page.keyboard.press('e');
    await waitForPhase(page, 'done');
    expect(await page.textContent(status)).toBe('Answered by openai/qwen2.5-coder:7b before (cached)');
    expect(await page.locator(`${panel} [data-testid="explain-usage"] li`).allTextContents()).toEqual(['cached', 'total 3 ms']);
  });

  it('Stop cancels the request by its id and says Stopped, keeping the text so far', async () => {
    const { page } = await open(heldScenario());
    await showFile(page, 'src/server.rs');
    await page.keyboard.press('e');
    await waitForPhase(page, 'streaming');
    await sendPiece(page, 'Partial answer');
    await waitForAnswer(page, 'Partial answer');

    await page.click(`${panel} [data-testid="explain-stop"]`);
    await waitForPhase(page, 'stopped');
    expect(await page.textContent(status)).toBe('Stopped');
    const [asked] = await callsOf(page, 'explain');
    expect(await callsOf(page, 'cancel_explain')).toEqual([{ id: asked?.['id'] }]);
    expect(String(asked?.['id'])).not.toBe('');
    expect(await page.textContent(answer)).toContain('Partial answer');
    // Nothing to pin from a stopped answer.
    expect(await page.locator(`${panel} [data-testid="explain-pin"]`).count()).toBe(0);
  });
});

describe('every hunk', () => {
  const start = `${panel} [data-testid="explain-every-start"]`;
  const progress = `${panel} [data-testid="explain-every-progress"]`;
  const result = `${panel} [data-testid="explain-every-result"]`;

  async function progressEvent(page: Page, done: number, total: number, explained: boolean): Promise<void> {
    const sent = await page.evaluate(
      (event) => (window as unknown as MockWindow).__mock.send('explain_every_hunk', event),
      { file: 'src/server.rs', hunk: done, done, total, explained },
    );
    expect(sent).toBe(true);
  }

  it('queues every hunk with a progress bar, and Stop cancels the queue by its id', async () => {
    const { page } = await open(heldScenario({ explainEveryHunk: { hold: true } }));
    await showFile(page, 'src/server.rs');
    await page.keyboard.press('e');
    await page.click(start);
    await page.waitForSelector(progress);
    expect(await page.textContent(`${panel} [data-testid="explain-every-hunk"] [role="status"]`)).toBe('Queued…');
    await progressEvent(page, 1, 3, true);
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('value') === '1', progress);
    expect(await page.getAttribute(progress, 'max')).toBe('3');
    expect(await page.textContent(`${panel} [data-testid="explain-every-hunk"] [role="status"]`)).toBe('1 of 3 hunks');

    await page.click(`${panel} [data-testid="explain-every-stop"]`);
    await page.waitForSelector(result);
    expect((await page.textContent(result))?.replace(/\s+/g, ' ').trim()).toBe('Stopped after 1 of 3 hunks');
    const [asked] = await callsOf(page, 'explain_every_hunk');
    expect(asked?.['teach']).toBe(false);
    expect(await callsOf(page, 'cancel_explain')).toContainEqual({ id: asked?.['id'] });
  });

  it('says how many hunks were explained and how many failed', async () => {
    const { page } = await open(heldScenario({ explainEveryHunk: { hold: true } }));
    await showFile(page, 'src/server.rs');
    await page.keyboard.press('e');
    await page.click(start);
    await page.waitForSelector(progress);
    await progressEvent(page, 1, 3, true);
    await progressEvent(page, 2, 3, false);
    await progressEvent(page, 3, 3, true);
    const finished = await page.evaluate(
      () => (window as unknown as MockWindow).__mock.finish('explain_every_hunk', { ok: [{}, {}, {}] }),
    );
    expect(finished).toBe(true);
    await page.waitForSelector(result);
    expect((await page.textContent(result))?.replace(/\s+/g, ' ').trim()).toBe('Explained 2 of 3 hunks; 1 failed');
    expect(await page.isVisible(start)).toBe(true);
  });
});

describe('pinning and teaching', () => {
  it('Pin as note writes a note of kind Explanation that appears in the diff with its badge', async () => {
    const text = 'Binds the listener and returns its error.';
    const { page } = await open({ ...explainScenario(), explain: { ok: modelAnswer(text), stream: [text] } });
    await showFile(page, 'src/server.rs');
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    await page.keyboard.press('e');
    await waitForPhase(page, 'done');
    const notesReads = (await callsOf(page, 'review_notes')).length;

    await page.click(`${panel} [data-testid="explain-pin"]`);
    const pinned = page.locator('[data-testid="diff-view"] [data-testid="thread"][data-thread-id="t-added-1"]');
    await pinned.waitFor();
    expect(await pinned.getAttribute('data-kind')).toBe('explanation');
    expect(await pinned.locator('[data-testid="thread-kind"]').textContent()).toBe('Explanation');
    expect(await pinned.locator('[data-testid="note-body"]').textContent()).toContain(text);
    expect(await callsOf(page, 'pin_explanation')).toEqual([
      {
        repo: REPO_PATH,
        target: { kind: 'worktree' },
        request: { action: { kind: 'hunk', file: 'src/server.rs', hunk: 2 }, teach: false },
        text,
        model: 'openai/qwen2.5-coder:7b',
      },
    ]);
    // The notes were read again, as after writing a note; the answer is pinned once.
    await page.waitForFunction((before) => (window as unknown as { __mock: { calls: { cmd: string }[] } }).__mock.calls.filter((c) => c.cmd === 'review_notes').length > before, notesReads);
    expect(await page.textContent(`${panel} [data-testid="explain-pin"]`)).toBe('Pinned');
    expect(await page.isDisabled(`${panel} [data-testid="explain-pin"]`)).toBe(true);
  });

  it('cannot pin an explanation of the whole change', async () => {
    const { page } = await open({ ...explainScenario(), explain: { ok: modelAnswer('A rate limiter for the server.') } });
    await showFile(page, 'src/server.rs');
    await page.click('[data-testid="toggle-explain"]');
    await page.click(`${panel} [data-testid="explain-change"]`);
    await waitForPhase(page, 'done');
    expect(await page.textContent(`${panel} [data-testid="explain-request"]`)).toBe('The whole change');
    expect(await page.isDisabled(`${panel} [data-testid="explain-pin"]`)).toBe(true);
    expect((await callsOf(page, 'explain')).map((c) => c['request'])).toEqual([{ action: { kind: 'change' }, teach: false }]);
  });

  it('Teach asks the same request again for a learner, and later requests follow it', async () => {
    const { page } = await open({ ...explainScenario(), explain: { ok: modelAnswer('Done.') } });
    await showFile(page, 'src/server.rs');
    await page.keyboard.press('e');
    await waitForPhase(page, 'done');

    await page.click(`${panel} [data-testid="explain-teach"]`);
    expect(await page.getAttribute(`${panel} [data-testid="explain-teach"]`, 'aria-pressed')).toBe('true');
    await page.waitForFunction(() => (window as unknown as { __mock: { calls: { cmd: string }[] } }).__mock.calls.filter((c) => c.cmd === 'explain').length === 2);
    await waitForPhase(page, 'done');
    expect(await page.textContent(`${panel} [data-testid="explain-request"]`)).toBe('Hunk 1 of src/server.rs · for a learner');

    await page.click(`${panel} [data-testid="explain-risks"]`);
    await page.waitForFunction(() => (window as unknown as { __mock: { calls: { cmd: string }[] } }).__mock.calls.filter((c) => c.cmd === 'explain').length === 3);
    expect((await callsOf(page, 'explain')).map((c) => c['request'])).toEqual([
      { action: { kind: 'hunk', file: 'src/server.rs', hunk: 1 }, teach: false },
      { action: { kind: 'hunk', file: 'src/server.rs', hunk: 1 }, teach: true },
      { action: { kind: 'risks', file: 'src/server.rs', hunk: 1 }, teach: true },
    ]);
  });

  it('asks a question about the lines selected by their numbers', async () => {
    const { page } = await open({ ...explainScenario(), explain: { ok: modelAnswer('Because.') } });
    await showFile(page, 'src/server.rs');
    await page.click('[data-testid="toggle-explain"]');
    // Without a selection, the first hunk's new lines.
    await waitForText(page, `${panel} [data-testid="explain-question-lines"]`, "Ask about lines 1–8 (this hunk's new lines)");
    await page.click('[data-testid="diff-view"] td.num[data-side="new"][data-line="43"]');
    await page.click('[data-testid="diff-view"] td.num[data-side="new"][data-line="45"]', { modifiers: ['Shift'] });
    await waitForText(page, `${panel} [data-testid="explain-question-lines"]`, 'Ask about the selected lines 43–45');
    await page.fill(`${panel} [data-testid="explain-question"]`, 'Why build the router in steps?');
    await page.click(`${panel} [data-testid="explain-ask"]`);
    await waitForPhase(page, 'done');
    expect((await callsOf(page, 'explain')).map((c) => c['request'])).toEqual([
      { action: { kind: 'question', file: 'src/server.rs', startLine: 43, endLine: 45, question: 'Why build the router in steps?' }, teach: false },
    ]);
  });

  it('lists Explanation among the kinds to filter by, never among the kinds to write', async () => {
    const { page } = await open(explainScenario());
    await showFile(page, 'src/server.rs');
    await page.waitForSelector('[data-thread-id="t-explained"]');
    const options = (selector: string) => page.$$eval(`${selector} option`, (list) => list.map((o) => o.textContent));
    expect(await options('[data-thread-id="t-router"] [data-testid="thread-kind-select"]')).toEqual(['Comment', 'Question', 'Must fix', 'Teaching']);
    expect(await options('[data-thread-id="t-explained"] [data-testid="thread-kind-select"]')).toEqual(['Comment', 'Question', 'Must fix', 'Teaching', 'Explanation']);
    await page.click('[data-testid="diff-view"] td.num[data-side="new"][data-line="45"]');
    await page.keyboard.press('c');
    await page.waitForSelector('[data-testid="composer-kind"]');
    expect(await options('[data-testid="composer-kind"]')).not.toContain('Explanation');

    await page.keyboard.press('Escape');
    await page.click('[data-testid="toggle-notes"]');
    expect(await options('[data-testid="notes-filter-kind"]')).toContain('Explanation');
    await page.selectOption('[data-testid="notes-filter-kind"]', 'explanation');
    expect(await page.$$eval('[data-testid="notes-panel-item"]', (items) => items.map((i) => i.getAttribute('data-thread-id')))).toEqual(['t-explained']);
  });
});

describe('what will be sent', () => {
  it('shows the exact messages, the estimated tokens and the secrets replaced, before anything is sent', async () => {
    const { page } = await open({ ...explainScenario(), prepareExplain: { ok: preparedWithSecrets } });
    await showFile(page, 'src/server.rs');
    await page.click('[data-testid="toggle-explain"]');
    await page.click(`${panel} [data-testid="explain-sent"] summary`);
    const messages = page.locator(`${panel} [data-testid="explain-sent-message"]`);
    await messages.first().waitFor();

    expect(await messages.evaluateAll((list) => list.map((m) => m.getAttribute('data-role')))).toEqual(['system', 'user']);
    expect(await messages.nth(1).locator('pre').textContent()).toBe(preparedWithSecrets.messages[1]?.content);
    expect(await page.textContent(`${panel} [data-testid="explain-sent-redactions"]`)).toBe(
      '2 secrets replaced: AWS access key id in code, GitHub token in enclosing symbol',
    );
    expect(await page.textContent(`${panel} [data-testid="explain-sent-tokens"]`)).toBe('About 512 tokens');
    expect(await page.textContent(`${panel} [data-testid="explain-sent-truncation"]`)).toBe('Left out to fit the model: 2 imports');
    expect(await callsOf(page, 'prepare_explain')).toEqual([
      { repo: REPO_PATH, target: { kind: 'worktree' }, request: { action: { kind: 'hunk', file: 'src/server.rs', hunk: 1 }, teach: false } },
    ]);
    // Looking sends nothing.
    expect(await callsOf(page, 'explain')).toEqual([]);
  });
});

describe('learning mode', () => {
  it('brings teaching notes and pinned explanations forward, opens the findings’ teaching, lists the lessons, and is remembered', async () => {
    const { page } = await open(explainScenario());
    await showFile(page, 'src/server.rs');
    await page.waitForSelector('[data-thread-id="t-teach"]');
    expect(await page.locator('[data-testid="thread"][data-lesson="true"]').count()).toBe(0);
    expect(await page.locator('[data-testid="toggle-learn"]').count()).toBe(0);

    await page.click('[data-testid="toggle-learning"]');
    expect(await page.getAttribute('[data-testid="toggle-learning"]', 'aria-pressed')).toBe('true');
    await page.waitForSelector('[data-thread-id="t-teach"][data-lesson="true"]');
    expect(await page.$$eval('[data-testid="diff-view"] [data-testid="thread"][data-lesson="true"]', (t) => t.map((e) => e.getAttribute('data-thread-id')))).toEqual([
      't-teach',
      't-explained',
    ]);
    expect(await page.textContent('[data-thread-id="t-explained"] [data-testid="thread-lesson"]')).toBe('Lesson');
    expect(await page.getAttribute('[data-thread-id="t-router"]', 'data-lesson')).toBeNull();

    // The Learn list opened with learning mode: the repository's lessons, grouped, bodies rendered.
    const learn = page.locator('[data-testid="learn-panel"]');
    await learn.locator('[data-testid="lesson"]').first().waitFor();
    expect(await learn.locator('[data-testid="learn-group"]').evaluateAll((g) => g.map((e) => e.getAttribute('data-source')))).toEqual([
      'teachingNote',
      'explanation',
      'finding',
    ]);
    expect(await learn.locator('[data-testid="learn-group"][data-source="teachingNote"] [data-testid="lesson-where"]').allTextContents()).toEqual([
      'src/server.rs:43 · worktree · Dana Smith',
      'src/limits.rs:12 · HEAD · Sam Lee',
    ]);
    expect(await learn.locator('[data-testid="learn-group"][data-source="teachingNote"] [data-testid="lesson-body"] strong').first().textContent()).toBe('token bucket');
    expect(await learn.locator('[data-testid="learn-group"][data-source="finding"] [data-testid="lesson-body"]').textContent()).not.toContain('**');
    expect(await callsOf(page, 'learn')).toEqual([{ repo: REPO_PATH, target: null }]);

    // Every finding's teaching is open under its line; one can still be closed.
    await showFile(page, 'src/db/tenants.rs');
    const explanations = page.locator('[data-testid="finding-explanation"]');
    await explanations.first().waitFor();
    expect(await explanations.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-finding-key')))).toEqual(['new:3', 'new:6', 'new:10', 'new:11']);
    expect(await explanations.nth(1).locator('[data-testid="finding-teaching"]').textContent()).toContain('Parameterised queries');
    await page.click('[data-testid="finding-explanation"][data-finding-key="new:6"] [data-testid="finding-explanation-close"]');
    await page.waitForSelector('[data-testid="finding-explanation"][data-finding-key="new:6"]', { state: 'detached' });
    expect(await explanations.count()).toBe(3);

    // Remembered across a restart.
    await page.reload();
    await page.waitForSelector('[data-testid="app"][data-state="ready"]');
    expect(await page.getAttribute('[data-testid="toggle-learning"]', 'aria-pressed')).toBe('true');
    await showFile(page, 'src/server.rs');
    await page.waitForSelector('[data-thread-id="t-teach"][data-lesson="true"]');

    // Off again: the notes are plain threads, findings' explanations closed.
    await page.click('[data-testid="toggle-learning"]');
    await page.waitForSelector('[data-thread-id="t-teach"]:not([data-lesson])');
    await showFile(page, 'src/db/tenants.rs');
    await page.waitForSelector('[data-testid="finding-marker"][data-finding-key="new:3"]');
    expect(await page.locator('[data-testid="finding-explanation"]').count()).toBe(0);
  });
});

describe('a hostile answer', () => {
  it('stays inert: no script runs, no image loads or fires onerror, the javascript: link is gone and a kept link does not navigate', async () => {
    const { page, context } = await open({
      ...explainScenario(),
      explain: { ok: modelAnswer(hostileAnswer), stream: [hostileAnswer.slice(0, 60), hostileAnswer.slice(60, 150), hostileAnswer.slice(150)] },
      previewMarkdown: { [hostileAnswer]: hostileAnswerHtml },
    });
    await showFile(page, 'src/server.rs');
    const start = page.url();
    await page.keyboard.press('e');
    await waitForPhase(page, 'done');
    await waitForAnswer(page, 'the docs');

    // What the core made of it is what is shown: the raw HTML as text.
    expect(await page.innerHTML(answer)).toContain(hostileAnswerHtml.trim());
    expect(await page.textContent(answer)).toContain('<script>window.__redlinePwned = "script"</script>');
    // In the whole document: no script from the answer, no image, no handler attribute, no
    // javascript: address.
    const dom = await page.evaluate((selector) => {
      const box = document.querySelector(selector)!;
      return {
        scripts: box.querySelectorAll('script').length,
        images: box.querySelectorAll('img').length,
        handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).length,
        scriptLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
        links: [...box.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')]),
      };
    }, answer);
    expect(dom).toEqual({ scripts: 0, images: 0, handlers: 0, scriptLinks: 0, links: [['the docs', 'https://example.com/docs']] });

    // Clicking the text of the dropped link and the kept link runs nothing and goes nowhere.
    await page.getByText('Run this').click();
    await page.click(`${answer} a`);
    await page.click(`${answer} a`, { button: 'middle' });
    expect(page.url()).toBe(start);
    expect(context.pages()).toHaveLength(1);
    expect(await page.getAttribute(`${answer} a`, 'title')).toBe('https://example.com/docs (not opened from Redline)');
    expect(await page.evaluate(() => (window as unknown as MockWindow).__redlinePwned)).toBeUndefined();
    expect(await page.isVisible(panel)).toBe(true);
  });
});

describe('themes', () => {
  /** The contrast of each matching element's text against the first opaque background behind it. */
  async function contrasts(page: Page, selector: string): Promise<number[]> {
    return page.$$eval(selector, (elements) => {
      const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number);
      const luminance = ([r, g, b]: number[]) =>
        [r!, g!, b!]
          .map((v) => {
            const c = v / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          })
          .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0);
      return elements.map((element) => {
        let behind: Element | null = element;
        let background = [255, 255, 255];
        while (behind !== null) {
          const parts = rgb(getComputedStyle(behind).backgroundColor);
          if (parts.length === 3 || (parts.length === 4 && parts[3] === 1)) {
            background = parts.slice(0, 3);
            break;
          }
          behind = behind.parentElement;
        }
        const [a, b] = [luminance(rgb(getComputedStyle(element).color)), luminance(background)].sort((x, y) => y - x);
        return (a! + 0.05) / (b! + 0.05);
      });
    });
  }

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`draws the explain panel, the Explanation badge and lessons legibly in the ${colorScheme} theme`, async () => {
      const { page } = await open({ ...explainScenario(), explain: { ok: modelAnswer('The limiter **caps** bursts.') } }, { colorScheme });
      await showFile(page, 'src/server.rs');
      await page.click('[data-testid="toggle-learning"]');
      await page.keyboard.press('e');
      await waitForPhase(page, 'done');
      await page.click(`${panel} [data-testid="explain-teach"]`);
      await waitForPhase(page, 'done');
      await page.waitForSelector('[data-testid="learn-panel"] [data-testid="lesson"]');

      const texts = [
        ...(await contrasts(page, `${panel} [data-testid="explain-model"] span`)),
        ...(await contrasts(page, status)),
        ...(await contrasts(page, `${panel} [data-testid="explain-usage"] li`)),
        ...(await contrasts(page, `${answer} p`)),
        ...(await contrasts(page, `${panel} [data-testid="explain-teach"]`)),
        ...(await contrasts(page, '[data-testid="toggle-learning"]')),
        ...(await contrasts(page, '[data-thread-id="t-explained"] [data-testid="thread-kind"]')),
        ...(await contrasts(page, '[data-thread-id="t-teach"] [data-testid="thread-lesson"]')),
        ...(await contrasts(page, '[data-thread-id="t-teach"] [data-testid="note-body"]')),
        ...(await contrasts(page, '[data-testid="learn-panel"] [data-testid="lesson-where"]')),
      ];
      expect(texts.length).toBeGreaterThan(14);
      for (const ratio of texts) expect(ratio).toBeGreaterThanOrEqual(4.5);
      // Focus is visible on the panel's controls.
      await page.focus(`${panel} [data-testid="explain-file"]`);
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      expect(await page.$eval(`${panel} [data-testid="explain-file"]`, (e) => getComputedStyle(e).outlineStyle)).not.toBe('none');
      await page.screenshot({ path: `${RESULTS_DIR}/browser-explain-${colorScheme}.png` });
    });
  }
});
