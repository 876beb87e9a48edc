/**
 * Findings in the window, with the Tauri IPC mocked: each finding marks its first line in the
 * gutter (on its own side) with its severity's mark; the marker opens the rule's teaching text
 * and fix hint under the line; the findings panel lists the review's findings, most severe
 * first, and jumps to one; the file list can be ordered by risk; an invalid `.redline.toml` is
 * shown in the panel while the review goes on.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { attributes, showFile } from './dom';
import { REPO_PATH, findingsScenario, happyScenario, invalidConfigError, invalidConfigScenario, type Scenario } from './fixtures';
import { RESULTS_DIR, callsOf, useApp, waitForState } from './harness';

const { open } = useApp({ quiet: true });

interface ShownMarker {
  key: string | null;
  severity: string | null;
  label: string | null;
  letter: string | null;
  /** The row the marker is on: its kind, old and new numbers, and text. */
  kind: string | null;
  old: string | null;
  new: string | null;
  text: string | null;
}

/** The gutter markers of the shown diff, in document order, with the line each sits on. */
async function markers(page: Page): Promise<ShownMarker[]> {
  return page.$$eval('[data-testid="diff-view"] [data-testid="diff-line"] [data-testid="finding-marker"]', (elements) =>
    elements.map((marker) => {
      const row = marker.closest('tr');
      const numbers = row?.querySelectorAll('td.num');
      return {
        key: marker.getAttribute('data-finding-key'),
        severity: marker.getAttribute('data-severity'),
        label: marker.getAttribute('aria-label'),
        letter: marker.textContent,
        kind: row?.getAttribute('data-kind') ?? null,
        old: numbers?.[0]?.getAttribute('data-line') ?? null,
        new: numbers?.[1]?.getAttribute('data-line') ?? null,
        text: row?.querySelector('[data-testid="line-text"]')?.textContent ?? null,
      };
    }),
  );
}

/** Each row of the findings panel: severity, rule title and where. */
async function panelRows(page: Page): Promise<[string | null, string | null, string | null][]> {
  return page.$$eval('[data-testid="findings-item"]', (items) =>
    items.map((item): [string | null, string | null, string | null] => [
      item.getAttribute('data-severity'),
      item.querySelector('[data-testid="findings-item-title"]')?.textContent ?? null,
      item.querySelector('[data-testid="findings-item-where"]')?.textContent ?? null,
    ]),
  );
}

const marker = (key: string) => `[data-testid="diff-view"] [data-testid="finding-marker"][data-finding-key="${key}"]`;

/** What the element focused says of itself: its test id and finding key. */
async function focused(page: Page): Promise<[string | null, string | null]> {
  return page.evaluate(() => [document.activeElement?.getAttribute('data-testid') ?? null, document.activeElement?.getAttribute('data-finding-key') ?? null]);
}

async function openPanel(page: Page): Promise<void> {
  await page.keyboard.press('f');
  await page.waitForSelector('[data-testid="findings-panel"]');
}

describe('gutter markers', () => {
  it('marks the first line of each finding, on its own side, with its severity', async () => {
    const { page } = await open(findingsScenario());
    await showFile(page, 'src/db/tenants.rs');
    await page.waitForSelector(marker('new:11'));

    expect(await markers(page)).toEqual([
      {
        key: 'new:3',
        severity: 'critical',
        label: 'Critical: hardcoded-secret',
        letter: 'C',
        kind: 'added',
        old: null,
        new: '3',
        text: 'const DATABASE_TOKEN: &str = "pg_tok_9fQ2xLr7Vb3KzT8mWq4N";',
      },
      {
        key: 'new:6',
        severity: 'high',
        label: 'High: sql-formatting',
        letter: 'H',
        kind: 'added',
        old: null,
        new: '6',
        text: `    let query = format!("SELECT burst FROM limits WHERE tenant = '{name}'");`,
      },
      { key: 'new:10', severity: 'medium', label: 'Medium: rust-unwrap', letter: 'M', kind: 'added', old: null, new: '10', text: '        .unwrap();' },
      { key: 'new:11', severity: 'low', label: 'Low: debug-leftover', letter: 'L', kind: 'added', old: null, new: '11', text: '    dbg!(&row);' },
    ]);
    // The gutter asked for this file's findings alone.
    expect((await callsOf(page, 'file_findings')).at(-1)).toEqual({ repo: REPO_PATH, target: { kind: 'worktree' }, file: 'src/db/tenants.rs', oldPath: null });

    // A deleted test is marked on the removed line, by its old-side number.
    await showFile(page, 'tests/limits.rs');
    await page.waitForSelector(marker('new:5'));
    expect(await markers(page)).toEqual([
      { key: 'old:4', severity: 'high', label: 'High: test-deleted', letter: 'H', kind: 'removed', old: '4', new: null, text: 'fn rejects_burst_over_limit() {' },
      {
        key: 'new:5',
        severity: 'low',
        label: 'Low: test-sleep',
        letter: 'L',
        kind: 'added',
        old: null,
        new: '5',
        text: '    std::thread::sleep(std::time::Duration::from_millis(200));',
      },
    ]);

    // A file without findings has no markers.
    await showFile(page, 'src/server.rs');
    expect(await page.locator('[data-testid="diff-view"] [data-testid="finding-marker"]').count()).toBe(0);
  });

  it('opens the teaching text and fix hint under the line, and closes it with Escape or a second click', async () => {
    const { page } = await open(findingsScenario());
    await showFile(page, 'src/db/tenants.rs');
    await page.click(marker('new:6'));

    const explanation = page.locator('[data-testid="finding-explanation"][data-finding-key="new:6"]');
    await explanation.waitFor();
    // Right under the marked line.
    expect(await explanation.evaluate((row) => row.previousElementSibling?.querySelectorAll('td.num')[1]?.getAttribute('data-line'))).toBe('6');
    expect(await explanation.locator('[data-testid="finding-severity"]').textContent()).toBe('High');
    expect(await explanation.locator('[data-testid="finding-title"]').textContent()).toBe('SQL built by string formatting');
    // Code the texts quote between backticks is shown as code.
    expect(await explanation.locator('[data-testid="finding-message"]').textContent()).toBe('SQL built with format! from name');
    expect(await explanation.locator('[data-testid="finding-message"] code').allTextContents()).toEqual(['format!', 'name']);
    expect(await explanation.locator('[data-testid="finding-teaching"]').textContent()).toContain('Parameterised queries send the values separately');
    expect(await explanation.locator('[data-testid="finding-fix"]').textContent()).toContain("Use the driver's placeholders");
    expect(await page.getAttribute(marker('new:6'), 'aria-expanded')).toBe('true');

    // Escape closes it, focus stays on the marker.
    await page.keyboard.press('Escape');
    await explanation.waitFor({ state: 'detached' });
    expect(await focused(page)).toEqual(['finding-marker', 'new:6']);
    expect(await page.getAttribute(marker('new:6'), 'aria-expanded')).toBe('false');

    // Enter on the focused marker opens it; clicking the marker again closes it.
    await page.keyboard.press('Enter');
    await explanation.waitFor();
    await page.click(marker('new:6'));
    await explanation.waitFor({ state: 'detached' });

    // One explanation at a time: opening another line's closes the first.
    await page.click(marker('new:6'));
    await explanation.waitFor();
    await page.click(marker('new:3'));
    await page.locator('[data-testid="finding-explanation"][data-finding-key="new:3"] [data-testid="finding-title"]:text-is("hard-coded secret")').waitFor();
    expect(await page.locator('[data-testid="finding-explanation"]').count()).toBe(1);
    // Its close button gives focus back to the marker.
    await page.click('[data-testid="finding-explanation-close"]');
    await page.locator('[data-testid="finding-explanation"]').waitFor({ state: 'detached' });
    expect(await focused(page)).toEqual(['finding-marker', 'new:3']);
  });

  it('reaches the markers with Tab and explains an old-side finding', async () => {
    const { page } = await open(findingsScenario());
    await showFile(page, 'tests/limits.rs');
    await page.waitForSelector(marker('old:4'));
    await page.focus(marker('old:4'));
    await page.keyboard.press('Enter');
    const explanation = page.locator('[data-testid="finding-explanation"][data-finding-key="old:4"]');
    await explanation.waitFor();
    expect(await explanation.locator('[data-testid="finding-title"]').textContent()).toBe('test deleted');
    expect(await explanation.locator('[data-testid="finding-teaching"]').textContent()).toContain('Deleting a test removes a guarantee');
    // Tab goes on to the explanation's close button, then to the next marker.
    await page.keyboard.press('Tab');
    expect((await focused(page))[0]).toBe('finding-explanation-close');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toEqual(['finding-marker', 'new:5']);
  });
});

describe('findings panel', () => {
  it('lists the findings, most severe first, then by file and line, with counts per severity', async () => {
    const { page } = await open(findingsScenario());
    await page.waitForSelector('[data-testid="findings-button-count"][data-severity="critical"]');
    expect(await page.textContent('[data-testid="toggle-findings"]')).toBe('FindingsCCritical:6');
    await openPanel(page);
    await page.waitForSelector('[data-testid="findings-item"]');

    expect(await panelRows(page)).toEqual([
      ['critical', 'hard-coded secret', 'src/db/tenants.rs:3'],
      ['high', 'SQL built by string formatting', 'src/db/tenants.rs:6'],
      ['high', 'test deleted', 'tests/limits.rs:4–7 (removed)'],
      ['medium', 'unwrap or expect in library code', 'src/db/tenants.rs:10'],
      ['low', 'debug output left in', 'src/db/tenants.rs:11'],
      ['low', 'sleep or fixed timeout in a test', 'tests/limits.rs:5'],
    ]);
    expect(await page.textContent('[data-testid="findings-total"]')).toBe('6');
    // findings feed coverage: the high-risk AI-written hunks, and those not viewed yet
    expect((await page.textContent('[data-testid="findings-high-risk"]'))?.replace(/\s+/g, ' ').trim()).toBe(
      '1 high-risk AI-written hunk, 1 not viewed',
    );
    const counts = await page.$$eval('[data-testid="findings-count"]', (chips) => chips.map((chip) => [chip.getAttribute('data-severity'), chip.textContent]));
    expect(counts).toEqual([
      ['critical', 'CCritical1'],
      ['high', 'HHigh2'],
      ['medium', 'MMedium1'],
      ['low', 'LLow2'],
    ]);

    // A count filters the list to its severity; pressed again, everything is back.
    await page.click('[data-testid="findings-count"][data-severity="high"]');
    expect(await page.getAttribute('[data-testid="findings-count"][data-severity="high"]', 'aria-pressed')).toBe('true');
    expect((await panelRows(page)).map((row) => row[0])).toEqual(['high', 'high']);
    await page.click('[data-testid="findings-count"][data-severity="high"]');
    expect(await page.locator('[data-testid="findings-item"]').count()).toBe(6);

    // f closes it again.
    await page.locator('body').focus();
    await page.keyboard.press('f');
    await page.locator('[data-testid="findings-panel"]').waitFor({ state: 'detached' });
  });

  it('opens the file of a picked finding at its line, with the explanation open', async () => {
    const { page } = await open(findingsScenario());
    await openPanel(page);
    await page.waitForSelector('[data-testid="findings-item"]');
    expect(await page.getAttribute('[data-testid="diff-view"]', 'data-path')).toBe('src/config.rs');

    await page.click('[data-testid="findings-item"][data-rule="test-deleted"]');
    await page.waitForSelector('[data-testid="diff-view"][data-path="tests/limits.rs"]');
    await page.locator('[data-testid="finding-explanation"][data-finding-key="old:4"]').waitFor();
    await expect.poll(() => focused(page)).toEqual(['finding-marker', 'old:4']);
    expect(await attributes(page, '[data-testid="file-item"][aria-selected="true"]', 'data-path')).toEqual(['tests/limits.rs']);

    // With the keyboard: Enter on a row.
    await page.focus('[data-testid="findings-item"][data-rule="debug-leftover"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/db/tenants.rs"]');
    const explanation = page.locator('[data-testid="finding-explanation"][data-finding-key="new:11"]');
    await explanation.waitFor();
    expect(await explanation.locator('[data-testid="finding-title"]').textContent()).toBe('debug output left in');
    await expect.poll(() => focused(page)).toEqual(['finding-marker', 'new:11']);
    // The marked line is in view.
    const inView = await page.$eval(marker('new:11'), (element) => {
      const box = element.getBoundingClientRect();
      const pane = element.closest('[data-testid="diff-view"]')!.getBoundingClientRect();
      return box.top >= pane.top && box.bottom <= pane.bottom;
    });
    expect(inView).toBe(true);
  });

  it('says when the review has no findings, with a spinner while they are on their way', async () => {
    // held until the spinner was seen: a delay could run out before the panel opens
    const scenario: Scenario = { ...happyScenario(), reviewFindings: { worktree: { hold: true } } };
    const { page } = await open(scenario);
    await openPanel(page);
    await page.waitForSelector('[data-testid="findings-loading"]');
    const none = { low: 0, medium: 0, high: 0, critical: 0 };
    const empty = {
      target: { kind: 'worktree' },
      spec: 'worktree',
      findings: [],
      files: [],
      rules: [],
      counts: none,
      score: 0,
      config: null,
      highRiskAiHunks: 0,
      highRiskAiUnviewed: 0,
    };
    const finished = await page.evaluate(
      (report) => (window as unknown as { __mock: { finish: (cmd: string, reply: unknown) => boolean } }).__mock.finish('review_findings', { ok: report }),
      empty,
    );
    expect(finished).toBe(true);
    await page.waitForSelector('[data-testid="findings-empty"]');
    expect(await page.textContent('[data-testid="findings-empty"]')).toBe('No findings on the added lines');
    expect(await page.locator('[data-testid="findings-loading"]').count()).toBe(0);
    expect(await page.locator('[data-testid="findings-button-count"]').count()).toBe(0);
  });

  it('shows an invalid .redline.toml in the panel, naming file, line and key, while the review goes on', async () => {
    const { page } = await open(invalidConfigScenario());
    await page.waitForSelector('[data-testid="findings-failed"]');
    await openPanel(page);
    const error = page.locator('[data-testid="findings-error"]');
    await error.waitFor();
    expect(await error.locator('strong').textContent()).toBe('Invalid configuration');
    expect(await page.textContent('[data-testid="findings-error-message"]')).toBe(invalidConfigError.message);
    expect(invalidConfigError.message).toContain('.redline.toml line 4, `findings.severity.rust-unwarp`');
    expect(await page.locator('[data-testid="findings-item"]').count()).toBe(0);

    // The review is untouched: files, diffs, no markers, no error panel, ready.
    await showFile(page, 'src/db/tenants.rs');
    await expect.poll(async () => (await callsOf(page, 'file_findings')).some((call) => call.file === 'src/db/tenants.rs')).toBe(true);
    await waitForState(page, 'ready');
    expect(await page.locator('[data-testid="diff-view"] [data-testid="diff-line"]').count()).toBe(13);
    expect(await page.locator('[data-testid="finding-marker"]').count()).toBe(0);
    expect(await page.locator('[data-testid="error-panel"]').count()).toBe(0);
    expect(await page.locator('[data-testid="workflow-error"]').count()).toBe(0);
    // Risk order falls back to the review's order.
    await page.selectOption('[data-testid="file-order"]', 'risk');
    expect(await attributes(page, '[data-testid="file-item"]', 'data-path')).toEqual([
      'src/config.rs',
      'src/db/tenants.rs',
      'src/middleware/rate_limit.rs',
      'src/server.rs',
      'tests/limits.rs',
    ]);
  });
});

describe('risk order', () => {
  it('orders the file list by risk when asked, remembers it, and j/k follow the list', async () => {
    const { page } = await open(findingsScenario());
    await page.waitForSelector('[data-testid="file-findings-badge"]');
    const byPath = ['src/config.rs', 'src/db/tenants.rs', 'src/middleware/rate_limit.rs', 'src/server.rs', 'tests/limits.rs'];
    expect(await attributes(page, '[data-testid="file-item"]', 'data-path')).toEqual(byPath);
    // Files with findings carry their count and most severe finding.
    const badges = await page.$$eval('[data-testid="file-findings-badge"]', (elements) =>
      elements.map((badge) => [badge.closest('[data-testid="file-item"]')?.getAttribute('data-path'), badge.getAttribute('data-severity'), badge.getAttribute('title')]),
    );
    expect(badges).toEqual([
      ['src/db/tenants.rs', 'critical', '4 findings, the most severe critical'],
      ['tests/limits.rs', 'high', '2 findings, the most severe high'],
    ]);

    await page.selectOption('[data-testid="file-order"]', 'risk');
    const byRisk = ['src/db/tenants.rs', 'tests/limits.rs', 'src/config.rs', 'src/middleware/rate_limit.rs', 'src/server.rs'];
    await expect.poll(() => attributes(page, '[data-testid="file-item"]', 'data-path')).toEqual(byRisk);

    // j and k move through the list as it is shown.
    await showFile(page, 'src/db/tenants.rs');
    await page.locator('body').focus();
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid="diff-view"][data-path="tests/limits.rs"]');
    await page.keyboard.press('j');
    await page.waitForSelector('[data-testid="diff-view"][data-path="src/config.rs"]');
    await page.keyboard.press('k');
    await page.waitForSelector('[data-testid="diff-view"][data-path="tests/limits.rs"]');

    // The choice survives a restart.
    await page.reload();
    await waitForState(page, 'ready');
    await page.waitForSelector('[data-testid="file-findings-badge"]');
    expect(await page.inputValue('[data-testid="file-order"]')).toBe('risk');
    expect(await attributes(page, '[data-testid="file-item"]', 'data-path')).toEqual(byRisk);

    await page.selectOption('[data-testid="file-order"]', 'path');
    expect(await attributes(page, '[data-testid="file-item"]', 'data-path')).toEqual(byPath);
  });
});

describe('themes', () => {
  /** The contrast of `element`'s text against the first opaque background behind it. */
  async function contrasts(page: Page, selector: string): Promise<number[]> {
    return page.$$eval(selector, (elements) => {
      const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number);
      const luminance = ([r, g, b]: number[]) =>
        [r!, g!, b!].map((v) => {
          const c = v / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0);
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
    it(`draws markers, the explanation and the panel legibly in the ${colorScheme} theme`, async () => {
      const { page } = await open(findingsScenario(), { colorScheme });
      await showFile(page, 'src/db/tenants.rs');
      await openPanel(page);
      await page.waitForSelector('[data-testid="findings-item"]');
      await page.click(marker('new:6'));
      await page.locator('[data-testid="finding-explanation"]').waitFor();

      const texts = [
        ...(await contrasts(page, '[data-testid="findings-item"] .severity')),
        ...(await contrasts(page, '[data-testid="findings-item"] .where')),
        ...(await contrasts(page, '[data-testid="finding-explanation"] [data-testid="finding-severity"]')),
        ...(await contrasts(page, '[data-testid="finding-explanation"] [data-testid="finding-teaching"]')),
        ...(await contrasts(page, '[data-testid="findings-count"]')),
      ];
      expect(texts.length).toBeGreaterThan(10);
      for (const ratio of texts) expect(ratio).toBeGreaterThanOrEqual(4.5);
      // The letters on the severity marks, against their fill.
      const letters = await contrasts(page, '[data-testid="finding-marker"] .mark');
      expect(letters.length).toBe(4);
      for (const ratio of letters) expect(ratio).toBeGreaterThanOrEqual(4.5);
      await page.screenshot({ path: `${RESULTS_DIR}/browser-findings-${colorScheme}.png` });
    });
  }
});
