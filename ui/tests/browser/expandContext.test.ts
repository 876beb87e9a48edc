/**
 * Unchanged lines around the hunks, in a real browser with the IPC mocked: the gap between two
 * hunks expands down from the hunk above, up from the hunk below, or all at once; the gap after
 * the last hunk grows down until the file's end; the lines read are the new side's, numbered on
 * both sides, in unified and split view; a line that cannot be read says why; the context-lines
 * setting opens every gap by its extra lines.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { showFile } from './dom';
import { happyScenario, serverModified, type Scenario } from './fixtures';
import { callsOf, useApp, waitForAnswers } from './harness';

const { open } = useApp({ quiet: true });

const TOTAL = 60;

/** src/server.rs as the working tree has it: the hunks' new lines where they are, unchanged lines elsewhere. */
function serverLines(): string[] {
  const lines = Array.from({ length: TOTAL }, (_, n) => `    // unchanged line ${n + 1}`);
  for (const hunk of serverModified.hunks) for (const line of hunk.lines) if (line.newLine !== null) lines[line.newLine - 1] = line.text;
  return lines;
}

function linesScenario(extra: Partial<Scenario> = {}): Scenario {
  return { ...happyScenario(), fileLines: { [serverModified.newId!]: serverLines() }, ...extra };
}

/** The expanded lines as [old number, new number, text], in order. */
async function contextLines(page: Page): Promise<[string | null, string | null, string][]> {
  return page.$$eval('[data-testid="context-line"]', (rows) =>
    rows.map((row) => {
      const numbers = row.querySelectorAll<HTMLElement>('td.num');
      return [numbers[0]!.dataset['line'] ?? null, numbers[numbers.length - 1]!.dataset['line'] ?? null, row.querySelector('[data-testid="line-text"]')!.textContent ?? ''];
    }),
  );
}

const gap = (before: number) => `[data-testid="gap"][data-gap="${before}"]`;

describe('unchanged lines around the hunks', () => {
  it('expand down, up and all between two hunks, reading the new side by line numbers', async () => {
    const { page } = await open(linesScenario());
    await showFile(page, 'src/server.rs');
    // Between the hunks: new lines 9-41 (old 7-39) are left out.
    await page.waitForSelector(`${gap(1)} [data-testid="expand-all"]`);
    expect(await page.textContent(`${gap(1)} [data-testid="expand-all"]`)).toBe('Show all 33 unchanged lines');
    expect(await page.locator('[data-testid="context-line"]').count()).toBe(0);

    await page.click(`${gap(1)} [data-testid="expand-down"]`);
    await page.waitForSelector('[data-testid="context-line"]');
    const down = await contextLines(page);
    expect(down).toHaveLength(20);
    expect(down[0]).toEqual(['7', '9', '    // unchanged line 9']);
    expect(down[19]).toEqual(['26', '28', '    // unchanged line 28']);
    expect((await callsOf(page, 'file_lines')).map(({ blobId, path, start, end }) => ({ blobId, path, start, end }))).toEqual([
      { blobId: serverModified.newId, path: 'src/server.rs', start: 9, end: 28 },
    ]);
    expect(await page.textContent(`${gap(1)} [data-testid="expand-all"]`)).toBe('Show all 13 unchanged lines');

    // Up from the second hunk: the 13 left, so the expander goes.
    await page.click(`${gap(1)} [data-testid="expand-up"]`);
    await page.waitForSelector(`${gap(1)} [data-testid="gap-expander"]`, { state: 'detached' });
    const all = await contextLines(page);
    expect(all.map(([, line]) => line)).toEqual(Array.from({ length: 33 }, (_, n) => String(9 + n)));
    expect(all.at(-1)).toEqual(['39', '41', '    // unchanged line 41']);
  });

  it('grows the gap after the last hunk to the end of the file, and shows the lines in split view', async () => {
    const { page } = await open(linesScenario());
    await showFile(page, 'src/server.rs');
    const tail = gap(serverModified.hunks.length);
    await page.waitForSelector(`${tail} [data-testid="expand-down"]`);
    // The file's end is not known before a read.
    expect(await page.locator(`${tail} [data-testid="expand-all"]`).count()).toBe(0);
    await page.click(`${tail} [data-testid="expand-down"]`);
    await page.waitForSelector(`${tail} [data-testid="gap-expander"]`, { state: 'detached' });
    const lines = await contextLines(page);
    expect(lines.map(([, line]) => line)).toEqual(Array.from({ length: TOTAL - 51 }, (_, n) => String(52 + n)));
    // The last hunk ends at old line 46 and new line 51.
    expect(lines[0]).toEqual(['47', '52', '    // unchanged line 52']);

    await page.click('[data-testid="view-split"]');
    await page.waitForSelector('table.lines[data-view="split"]');
    const split = await page.$$eval('[data-testid="context-line"]', (rows) =>
      rows.map((row) => Array.from(row.querySelectorAll<HTMLElement>('td.text')).map((cell) => `${cell.dataset['side']}:${cell.textContent}`)),
    );
    expect(split[0]).toEqual(['old:    // unchanged line 52', 'new:    // unchanged line 52']);
  });

  it('says why lines could not be read, and keeps the expander', async () => {
    const { page } = await open(linesScenario({ fileLines: {} }));
    await showFile(page, 'src/server.rs');
    await page.click(`${gap(1)} [data-testid="expand-down"]`);
    await page.waitForSelector('[data-testid="gap-error"]');
    expect(await page.textContent('[data-testid="gap-error"]')).toContain(`cannot read blob ${serverModified.newId}`);
    expect(await page.locator('[data-testid="context-line"]').count()).toBe(0);
    expect(await page.isVisible(`${gap(1)} [data-testid="expand-all"]`)).toBe(true);
  });

  it('opens every gap by the extra lines the context-lines setting asks for', async () => {
    const { page } = await open(
      linesScenario({ settings: { ok: { theme: 'system', diffView: 'unified', tabWidth: 4, ignoreWhitespace: false, contextLines: 5 } } }),
    );
    await showFile(page, 'src/server.rs');
    await waitForAnswers(page, 'file_lines');
    await page.waitForSelector('[data-testid="context-line"]');
    // Two lines more than git's three: under the first hunk, over the second, under the last.
    expect((await contextLines(page)).map(([, line]) => line)).toEqual(['9', '10', '40', '41', '52', '53']);
  });
});
