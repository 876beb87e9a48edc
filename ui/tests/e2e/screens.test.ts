// Every screen of the real window on the demo repository, in the light and the dark theme,
// reached as a user reaches it (keys, buttons, the settings dialog for the theme), each
// screenshot checked to show the screen (its own element, and text drawn: a blank or
// single-colour window fails). With REDLINE_UPDATE_SCREENSHOTS=1 the screenshots also become
// the README's docs/screens/<screen>-<theme>.png.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { Driver, buildDemo, isolatedEnv, saveScreenshot, scratchDir, until } from "./harness";
import type { Session } from "./webdriver";

const resultsDir = fileURLToPath(new URL("../../../test-results", import.meta.url));
const docsDir = fileURLToPath(new URL("../../../docs/screens", import.meta.url));

/** WebDriver's codes for keys that are not characters. */
const ESCAPE = "\uE00C";
const CONTROL = "\uE009";
const RELEASE = "\uE000";

interface Screen {
  name: string;
  /** What a user does to get there from the review, and the element that shows it is there. */
  open: (session: Session) => Promise<void>;
  shows: string;
  /** How the screen is left, back to the review. */
  close?: (session: Session) => Promise<void>;
}

/** Sends `keys` to the page as typed on the review (focus on the diff, not in a text field). */
async function press(session: Session, keys: string): Promise<void> {
  await session.execute("document.querySelector('[data-testid=\"diff-view\"]')?.focus(); return true;");
  await session.keys(keys);
}

async function clickOn(session: Session, css: string): Promise<void> {
  const [element] = await session.waitFor(css);
  await session.click(element!);
}

/** Escape to the element that has focus (a dialog keeps it while open). */
const escape = (session: Session) => session.keys(ESCAPE);
const again = (key: string) => (session: Session) => press(session, key);

const SCREENS: Screen[] = [
  { name: "review", open: async () => undefined, shows: '[data-testid="diff-line"]' },
  { name: "split", open: again("s"), shows: 'table.lines[data-view="split"]', close: again("s") },
  { name: "findings", open: again("f"), shows: '[data-testid="findings-panel"]', close: again("f") },
  { name: "notes", open: again("N"), shows: '[data-testid="notes-panel"]', close: again("N") },
  {
    name: "explain",
    open: again("e"),
    shows: '[data-testid="explain-result"][data-phase="done"]',
    close: (session) => clickOn(session, 'button[aria-label="Close the explain panel"]'),
  },
  { name: "palette", open: again(`${CONTROL}k${RELEASE}`), shows: '[data-testid="palette-option"]', close: escape },
  { name: "keys", open: again("?"), shows: '[data-testid="keys-dialog"]', close: escape },
  { name: "settings", open: again(","), shows: '[data-testid="settings-tab-width"]', close: escape },
  { name: "decision", open: again("a"), shows: '[role="dialog"] [data-testid="decision-coverage"]', close: escape },
  {
    name: "start",
    open: (session) => clickOn(session, '[data-testid="open-another"]'),
    shows: '[data-testid="app"][data-view="start"] [data-testid="recent-item"]',
  },
];

/** True once no finite animation or transition is running. */
const SETTLED = `return document.getAnimations().every((a) => a.playState !== "running" || a.effect.getComputedTiming().iterations === Infinity);`;

/** How many colours the PNG at `path` has (ImageMagick): a blank window has one or two. */
function colours(path: string): number {
  return Number(execFileSync("identify", ["-format", "%k", path], { encoding: "utf8" }).trim());
}

describe("every screen in both themes", () => {
  const scratch = scratchDir();
  let driver: Driver;
  // The theme is saved in the tests' HOME like a user's: put back what was there, for the
  // other end-to-end tests.
  const config = join(isolatedEnv().HOME ?? "", ".config/redline/config.toml");
  const before = existsSync(config) ? readFileSync(config) : null;

  beforeAll(async () => {
    driver = await Driver.start();
  });

  afterAll(() => {
    driver?.stop();
    scratch.remove();
    if (before === null) rmSync(config, { force: true });
    else writeFileSync(config, before);
  });

  for (const theme of ["light", "dark"] as const) {
    test(`${theme}: each screen drawn, with text`, { timeout: 240_000 }, async () => {
      const demo = buildDemo(join(scratch.path, theme));
      const session = await driver.open(demo);
      try {
        await session.waitFor('[data-testid="app"][data-state="ready"] [data-testid="diff-line"]', 60_000);
        // The theme, as a user sets it: the settings dialog.
        await press(session, ",");
        await clickOn(session, `[data-testid="settings-theme-${theme}"]`);
        await clickOn(session, '[data-testid="settings-close"]');
        await session.waitFor('[data-testid="diff-line"]');
        const dark = await session.execute<boolean>(
          "return getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number).reduce((a, b) => a + b, 0) < 3 * 128;",
        );
        expect(dark, `the ${theme} theme is applied`).toBe(theme === "dark");

        for (const screen of SCREENS) {
          await screen.open(session);
          try {
            await session.waitFor(screen.shows, 30_000);
          } catch (error) {
            await saveScreenshot(session, `screen-${screen.name}-${theme}-failed`);
            throw error;
          }
          // Dialogs fade in: the screenshot waits for every finite animation to end (the LIVE dot pulses for ever).
          await until(session, SETTLED, `${screen.name}: animations ended`);
          const name = `screen-${screen.name}-${theme}`;
          await saveScreenshot(session, name);
          const path = join(resultsDir, `${name}.png`);
          expect(colours(path), `${name}: text is drawn`).toBeGreaterThan(64);
          if (process.env.REDLINE_UPDATE_SCREENSHOTS === "1") {
            mkdirSync(docsDir, { recursive: true });
            copyFileSync(path, join(docsDir, `${screen.name}-${theme}.png`));
          }
          await screen.close?.(session);
        }
      } finally {
        await session.quit();
      }
    });
  }
});
