/**
 * axe-core (the npm package, the engine browsers' own audits use) on every screen of the window,
 * in both themes, in a real browser with the IPC mocked: the start screen, the review (unified
 * and split, with findings, notes, agent authorship), each panel (findings, notes, explain,
 * lessons), the dialogs (command palette, keys, settings, decision), "Since my last review", an
 * error screen and an empty target. No serious or critical violation of WCAG 2.1 A/AA may be
 * left, colour contrast included; each one found is listed with its element.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { showFile } from './dom';
import {
  REPO_PATH,
  agentScenario,
  emptyBranchReview,
  explainScenario,
  findingsScenario,
  happyScenario,
  sinceReview,
  structuredScenario,
  unknownBranchError,
  workflowScenario,
  type Scenario,
} from './fixtures';
import { useApp, waitForState } from './harness';

const { open } = useApp({ quiet: true });

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe's serious and critical WCAG 2.1 A/AA violations on the page as it is now. */
async function violations(page: Page): Promise<Violation[]> {
  // Evaluated through the debugger, so the page's strict CSP (no inline scripts) does not apply.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 8).map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`) }));
  });
}

interface Screen {
  name: string;
  scenario: () => Scenario;
  /** Brings the window to the screen (after it is ready, unless `waitFor` says otherwise). */
  show: (page: Page) => Promise<void>;
  waitFor?: 'ready' | 'error';
}

const pressed = (key: string) => async (page: Page) => {
  await page.locator('[data-testid="diff-view"]').focus();
  await page.keyboard.press(key);
};

const SCREENS: Screen[] = [
  {
    name: 'start screen',
    scenario: () => ({
      ...happyScenario(),
      openedRepository: { ok: null },
      recentRepositories: { ok: [{ path: REPO_PATH, name: 'acme-api', lastUsed: Date.now() - 3_600_000 }] },
    }),
    show: async (page) => {
      await page.waitForSelector('[data-testid="app"][data-view="start"]');
    },
  },
  {
    name: 'review (unified, highlighted)',
    scenario: structuredScenario,
    show: async (page) => {
      await showFile(page, 'src/server.rs');
      await page.waitForSelector('.tok');
    },
  },
  {
    name: 'review (split view)',
    scenario: structuredScenario,
    show: async (page) => {
      await showFile(page, 'src/server.rs');
      await page.click('[data-testid="view-split"]');
      await page.waitForSelector('table.lines[data-view="split"]');
    },
  },
  {
    name: 'findings panel and markers',
    scenario: findingsScenario,
    show: async (page) => {
      await showFile(page, 'src/db/tenants.rs');
      await page.waitForSelector('[data-testid="finding-marker"]');
      await pressed('f')(page);
      await page.waitForSelector('[data-testid="findings-panel"]');
      await page.click('[data-testid="finding-marker"]');
      await page.waitForSelector('[data-testid="finding-explanation"]');
    },
  },
  {
    name: 'notes panel and threads',
    scenario: workflowScenario,
    show: async (page) => {
      await showFile(page, 'src/server.rs');
      await page.waitForSelector('[data-testid="thread"]');
      await pressed('N')(page);
      await page.waitForSelector('[data-testid="notes-panel"]');
    },
  },
  {
    name: 'explain panel',
    scenario: explainScenario,
    show: async (page) => {
      await showFile(page, 'src/server.rs');
      await pressed('e')(page);
      await page.waitForSelector('[data-testid="explain-panel"]');
      await page.waitForSelector('[data-testid="explain-result"][data-phase="done"]');
    },
  },
  {
    name: 'agent session and authorship',
    scenario: agentScenario,
    show: async (page) => {
      await page.waitForSelector('[data-testid="agent-session"]');
    },
  },
  {
    name: 'since my last review',
    scenario: () => ({ ...agentScenario(), sinceLastReview: { ok: sinceReview } }),
    show: async (page) => {
      await page.click('[data-testid="since-review-open"]');
      await page.waitForSelector('[data-testid="since-review"][data-state="loaded"]');
    },
  },
  {
    name: 'command palette',
    scenario: happyScenario,
    show: async (page) => {
      await page.keyboard.press('Control+k');
      await page.waitForSelector('[data-testid="palette-option"]');
    },
  },
  {
    name: 'keys dialog',
    scenario: happyScenario,
    show: async (page) => {
      await page.keyboard.press('?');
      await page.waitForSelector('[data-testid="keys-dialog"]');
    },
  },
  {
    name: 'settings dialog',
    scenario: happyScenario,
    show: async (page) => {
      await page.keyboard.press(',');
      await page.waitForSelector('[data-testid="settings-tab-width"]');
    },
  },
  {
    name: 'decision dialog',
    scenario: workflowScenario,
    show: async (page) => {
      await page.waitForSelector('[data-testid="coverage-text"]');
      await page.keyboard.press('a');
      await page.waitForSelector('[role="dialog"]');
    },
  },
  {
    name: 'an empty target',
    scenario: () => ({ ...happyScenario(), openReview: { ...happyScenario().openReview, worktree: { ok: emptyBranchReview } } }),
    show: async (page) => {
      await page.waitForSelector('[data-testid="empty-state"]');
    },
  },
  {
    name: 'error screen',
    scenario: () => ({ ...happyScenario(), listTargets: { err: unknownBranchError } }),
    waitFor: 'error',
    show: async (page) => {
      await page.waitForSelector('[data-testid="error"]');
    },
  },
];

for (const theme of ['light', 'dark'] as const) {
  describe(`every screen in the ${theme} theme`, () => {
    for (const screen of SCREENS) {
      it(`${screen.name}: no serious or critical axe violation`, async () => {
        const { page } = await open(screen.scenario(), { colorScheme: theme, waitFor: screen.waitFor ?? 'ready' });
        if (screen.waitFor === 'error') await waitForState(page, 'error');
        await screen.show(page);
        expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(theme === 'dark');
        expect(await violations(page)).toEqual([]);
      });
    }
  });
}
