/**
 * Split view, in a real browser with the IPC mocked: the old side's lines on the left and the
 * new side's on the right, a change's removed lines facing its added ones, context on both
 * sides; changed words and syntax colours on each side; git's no-newline marker under the side
 * it belongs to; line numbers of either side select lines for a note, and the note is drawn
 * under the row; switching back and forth with the buttons and with `s`.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { showFile } from './dom';
import { structuredScenario } from './fixtures';
import { callsOf, useApp } from './harness';

const { open } = useApp({ quiet: true });

/** Each split row as [old number, old text, new number, new text]; '' where a side is empty. */
async function splitTable(page: Page): Promise<string[][]> {
  return page.$$eval('[data-testid="split-line"]', (rows) =>
    rows.map((row) => {
      const cells = Array.from(row.children) as HTMLElement[];
      const side = (at: number) => [cells[at]!.dataset['line'] ?? '', cells[at + 3]!.textContent ?? ''];
      return [...side(0), ...side(4)];
    }),
  );
}

async function splitOn(page: Page) {
  await page.click('[data-testid="view-split"]');
  await page.waitForSelector('table.lines[data-view="split"]');
}

describe('split view', () => {
  it('lines a change up side by side: removed lines facing added ones, context on both sides', async () => {
    const { page } = await open(structuredScenario());
    await showFile(page, 'src/server.rs');
    await splitOn(page);
    expect(await page.getAttribute('[data-testid="view-split"]', 'aria-pressed')).toBe('true');
    expect(await page.locator('[data-testid="diff-line"]').count()).toBe(0);

    const rows = await splitTable(page);
    // The second hunk (`async fn serve`): two lines replaced by five.
    const serve = rows.slice(rows.findIndex(([old]) => old === '40'));
    expect(serve.slice(0, 7)).toEqual([
      ['40', '    let addr = SocketAddr::from(([127, 0, 0, 1], config.port));', '42', '    let addr = SocketAddr::from(([127, 0, 0, 1], config.port));'],
      ['41', '    let app = Router::new().route("/health", get(health));', '43', '    let limiter = RateLimiter::new(config.burst, config.per_second);'],
      ['42', '    let listener = TcpListener::bind(addr).await.unwrap();', '44', '    let app = Router::new()'],
      ['', '', '45', '        .route("/health", get(health))'],
      ['', '', '46', '        .layer(limiter.into_layer());'],
      ['', '', '47', '    let listener = TcpListener::bind(addr).await?;'],
      ['43', '    tracing::info!(%addr, "listening");', '48', '    tracing::info!(%addr, "listening");'],
    ]);
    // An empty side is marked as such, not as a removed or added line.
    const empty = await page.$$eval('[data-testid="split-line"] td.text.empty', (cells) => cells.map((c) => c.getAttribute('data-side')));
    expect(empty).toEqual(['old', 'old', 'old', 'old', 'old']);
  });

  it('colours each side with its own highlighting and marks changed words on both sides', async () => {
    const { page } = await open(structuredScenario());
    await showFile(page, 'src/server.rs');
    await splitOn(page);
    // Old line 41 and new line 43 each take their own side's tokens.
    const tokens = (side: string, line: string) =>
      page.$$eval(
        `[data-testid="split-line"] td.num[data-side="${side}"][data-line="${line}"] ~ td.text[data-side="${side}"] .tok`,
        (spans) => spans.map((s) => `${[...s.classList].find((c) => c.startsWith('tok-'))}:${s.textContent}`),
      );
    await expect.poll(() => tokens('old', '41')).toEqual(['tok-keyword:let', 'tok-type:Router', 'tok-string:"/health"']);
    expect(await tokens('new', '43')).toEqual(['tok-keyword:let', 'tok-type:RateLimiter', 'tok-function:new']);

    // src/config.rs: the port changed, each side's word marked, each side without a final newline.
    await showFile(page, 'src/config.rs');
    await page.waitForSelector('table.lines[data-view="split"]');
    const words = await page.$$eval('[data-testid="split-line"] td.text mark.word', (marks) =>
      marks.map((m) => `${(m.closest('td') as HTMLElement).dataset['side']}:${m.textContent}`),
    );
    expect(words).toEqual(['old:8080', 'new:3000']);
    const markers = await page.$$eval('.no-newline-row [data-testid="no-newline"]', (cells) => cells.map((c) => c.textContent));
    expect(markers).toEqual(['\\ No newline at end of file', '\\ No newline at end of file']);
  });

  it('selects lines of either side by their numbers and writes the note under the row', async () => {
    const { page } = await open(structuredScenario());
    await showFile(page, 'src/server.rs');
    await splitOn(page);
    await page.click('[data-testid="split-line"] td.num[data-side="old"][data-line="42"]');
    expect(await page.textContent('[data-testid="line-selection"] span')).toBe('Old line 42 selected');
    expect(await page.$$eval('td.text[data-selected="true"]', (cells) => cells.map((c) => `${(c as HTMLElement).dataset['side']}:${c.textContent}`))).toEqual([
      'old:    let listener = TcpListener::bind(addr).await.unwrap();',
    ]);
    await page.click('[data-testid="split-line"] td.num[data-side="new"][data-line="45"]');
    await page.click('[data-testid="split-line"] td.num[data-side="new"][data-line="47"]', { modifiers: ['Shift'] });
    expect(await page.textContent('[data-testid="line-selection"] span')).toBe('New lines 45–47 selected');
    await page.click('[data-testid="comment-selection"]');
    // The composer sits under the row of new line 47, across both sides.
    const row = page.locator('[data-testid="notes-row"]');
    await row.waitFor();
    expect(await row.getAttribute('data-after-new')).toBe('47');
    expect(await row.locator('td').getAttribute('colspan')).toBe('8');
  });

  it('switches back to one column, and toggles with s', async () => {
    const { page } = await open(structuredScenario());
    await showFile(page, 'src/server.rs');
    await splitOn(page);
    await page.click('[data-testid="view-unified"]');
    await page.waitForSelector('table.lines[data-view="unified"]');
    expect(await page.locator('[data-testid="split-line"]').count()).toBe(0);
    expect(await page.locator('[data-testid="diff-line"]').count()).toBeGreaterThan(0);

    await page.locator('[data-testid="diff-view"]').focus();
    await page.keyboard.press('s');
    await page.waitForSelector('table.lines[data-view="split"]');
    await page.keyboard.press('s');
    await page.waitForSelector('table.lines[data-view="unified"]');
  });

  it('is remembered: the settings open the window in split view, and s saves the choice', async () => {
    const settings = { theme: 'system', diffView: 'split', tabWidth: 4, ignoreWhitespace: false, contextLines: 3 } as const;
    const { page } = await open({ ...structuredScenario(), settings: { ok: settings } });
    await showFile(page, 'src/server.rs');
    await page.waitForSelector('table.lines[data-view="split"]');
    await page.locator('[data-testid="diff-view"]').focus();
    await page.keyboard.press('s');
    await page.waitForSelector('table.lines[data-view="unified"]');
    expect((await callsOf(page, 'save_settings')).map((call) => (call['settings'] as { diffView: string }).diffView)).toEqual(['unified']);
  });
});
