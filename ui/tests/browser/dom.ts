/** Reads the review screen back out of the page, in the shapes the fixtures are written in. */
import type { Page } from 'playwright-core';
import type { FileDiff } from '../../src/lib/bindings';

export type ShownRow = { kind: string; sign: string; text: string } | { noNewline: string };
export interface ShownHunk {
  id: string | null;
  header: string | null;
  rows: ShownRow[];
}

/** What the diff view shows, hunk by hunk, exactly as text. */
export async function shownHunks(page: Page): Promise<ShownHunk[]> {
  return page.$$eval('[data-testid="diff-view"] [data-testid="hunk"]', (hunks) =>
    hunks.map((hunk) => ({
      id: hunk.getAttribute('data-hunk-id'),
      header: hunk.querySelector('[data-testid="hunk-header"]')?.textContent ?? null,
      rows: Array.from(hunk.querySelectorAll('[data-testid="diff-line"], [data-testid="no-newline"]')).map((row) =>
        row.getAttribute('data-testid') === 'no-newline'
          ? { noNewline: row.textContent ?? '' }
          : {
              kind: row.getAttribute('data-kind') ?? '',
              sign: row.querySelector('[data-testid="line-sign"]')?.textContent ?? '<missing>',
              text: row.querySelector('[data-testid="line-text"]')?.textContent ?? '<missing>',
            },
      ),
    })),
  );
}

const SIGN = { context: ' ', added: '+', removed: '-' } as const;

/** What the diff view must show for `file`, per the DOM contract. */
export function expectedHunks(file: FileDiff): ShownHunk[] {
  return file.hunks.map((hunk) => ({
    id: hunk.id,
    header: hunk.header,
    rows: hunk.lines.flatMap((line): ShownRow[] => {
      const row = { kind: line.kind, sign: SIGN[line.kind], text: line.text };
      return line.noNewline ? [row, { noNewline: '\\ No newline at end of file' }] : [row];
    }),
  }));
}

/** `attr` of every element matching `selector`, in document order. */
export async function attributes(page: Page, selector: string, attr: string): Promise<(string | null)[]> {
  return page.$$eval(selector, (elements, name) => elements.map((e) => e.getAttribute(name)), attr);
}

/** The value of `attr` on the element matching `selector` whose aria-selected is "true". */
export async function selected(page: Page, selector: string, attr: string): Promise<(string | null)[]> {
  return attributes(page, `${selector}[aria-selected="true"]`, attr);
}

/** Picks `path` in the file list and waits for its diff. */
export async function showFile(page: Page, path: string): Promise<void> {
  await page.click(`[data-testid="file-item"][data-path="${path}"]`);
  await page.waitForSelector(`[data-testid="diff-view"][data-path="${path}"]`);
}
