/**
 * The browser tests' rig: the built UI (ui/dist, from `npm run build`) served by `vite preview`
 * with the window's strict CSP, Debian's Chromium driven by playwright-core, and the Tauri IPC
 * replaced by tauriMock.js answering from a scenario.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { MockCommand, Scenario } from './fixtures';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const viteConfig = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));
const dist = fileURLToPath(new URL('../../dist/index.html', import.meta.url));
const mockSource = readFileSync(fileURLToPath(new URL('./tauriMock.js', import.meta.url)), 'utf8');

export const RESULTS_DIR = `${repoRoot}test-results`;

/** As strict as the app window's: only bundled scripts and styles, no inline code, no eval. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Rig {
  browser: Browser;
  server: PreviewServer;
  baseUrl: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts the preview server and the browser; `close()` stops whichever of them started. */
export async function startRig(): Promise<Rig> {
  if (!existsSync(dist)) throw new Error('ui/dist is missing: run `npm run build` before the browser tests');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const port = await freePort();
  const server = await preview({
    configFile: viteConfig,
    logLevel: 'error',
    preview: { host: '127.0.0.1', port, strictPort: true, open: false, headers: { 'Content-Security-Policy': CSP } },
  });
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    browser,
    server,
    baseUrl: `http://127.0.0.1:${port}/`,
    async close() {
      await Promise.allSettled([browser.close(), server.close()]);
    },
  };
}

export interface AppPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors seen so far. */
  errors: string[];
}

/** A fresh browser context (light theme unless asked) with the mock installed, at the app. */
export async function openApp(
  rig: Rig,
  scenario: Scenario,
  options: { colorScheme?: 'light' | 'dark'; waitFor?: 'loading' | 'ready' | 'error' | null } = {},
): Promise<AppPage> {
  const context = await rig.browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.addInitScript({ content: `${mockSource}\ninstallTauriMock(${JSON.stringify(scenario)});` });
  await page.goto(rig.baseUrl);
  const waitFor = options.waitFor === undefined ? 'ready' : options.waitFor;
  if (waitFor !== null) await waitForState(page, waitFor);
  return { context, page, errors };
}

/** Waits until the app root reports `state` in `data-state`. */
export async function waitForState(page: Page, state: 'loading' | 'ready' | 'error', timeout = 5000): Promise<void> {
  await page.waitForSelector(`[data-testid="app"][data-state="${state}"]`, { timeout });
}

export interface MockCall {
  cmd: MockCommand;
  args: Record<string, unknown>;
}

/**
 * Asked for after a file, a review or the target list is drawn: structure, highlighting,
 * authorship, notes, progress, the targets' review statuses, the sync status, the agent
 * sessions and the findings.
 */
const STRUCTURE_COMMANDS: readonly MockCommand[] = [
  'file_structure',
  'highlight',
  'authorship',
  'provenance',
  'target_agents',
  'uncommitted_evidence',
  'review_notes',
  'review_progress',
  'target_statuses',
  'sync_status',
  'agent_sessions',
  'review_findings',
  'file_findings',
  'findings_rules',
];

/**
 * The IPC calls the app made, in order; the structure, highlighting, authorship, notes and
 * progress requests made after drawing are left out unless `withStructure`.
 */
export async function ipcCalls(page: Page, options: { withStructure?: boolean } = {}): Promise<MockCall[]> {
  const calls = await page.evaluate(() =>
    (window as unknown as { __mock: { calls: MockCall[] } }).__mock.calls.map(({ cmd, args }) => ({ cmd, args })),
  );
  return options.withStructure === true ? calls : calls.filter((call) => !STRUCTURE_COMMANDS.includes(call.cmd));
}

/** The arguments of every call of `cmd` the app made, in order (requests after drawing included). */
export async function callsOf(page: Page, cmd: MockCommand): Promise<Record<string, unknown>[]> {
  return (await ipcCalls(page, { withStructure: true })).filter((call) => call.cmd === cmd).map((call) => call.args);
}

/**
 * Waits until `cmd` was called (with `args` among its arguments, if given) and every such call
 * was answered: the app has then handled the answers, applied or dropped (see tauriMock.js).
 */
export async function waitForAnswers(page: Page, cmd: MockCommand, args: Record<string, unknown> = {}, timeout = 5000): Promise<void> {
  await page.waitForFunction(
    ({ cmd, args }) => {
      const calls = (window as unknown as { __mock: { calls: (MockCall & { answeredAt: number | null })[] } }).__mock.calls.filter(
        (call) => call.cmd === cmd && Object.entries(args).every(([key, value]) => JSON.stringify(call.args[key]) === JSON.stringify(value)),
      );
      return calls.length > 0 && calls.every((call) => call.answeredAt !== null);
    },
    { cmd, args },
    { timeout },
  );
}

/** CSP violations the page reported. */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __mock: { cspViolations: string[] } }).__mock.cspViolations);
}

/**
 * Registers what every browser test file needs: one rig for the file, and after each test the
 * page it opened checked and closed — it must have kept to the CSP and, when `quiet`, thrown and
 * logged no error. Tests open the app with the returned `open`.
 */
export function useApp(options: { quiet: boolean }): {
  open: (scenario: Scenario, openOptions?: Parameters<typeof openApp>[2]) => Promise<AppPage>;
} {
  let rig: Rig | undefined;
  let app: AppPage | undefined;

  beforeAll(async () => {
    rig = await startRig();
  });

  afterEach(async () => {
    if (app === undefined) return;
    const { page, context, errors } = app;
    app = undefined;
    try {
      expect(await cspViolations(page)).toEqual([]);
      if (options.quiet) expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  afterAll(async () => {
    await rig?.close();
  });

  return {
    async open(scenario, openOptions) {
      if (rig === undefined) throw new Error('the rig did not start');
      app = await openApp(rig, scenario, openOptions);
      return app;
    },
  };
}
