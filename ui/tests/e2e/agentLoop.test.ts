// The agent loop in the real window, with the real CLI as the agent's side: three turns recorded
// by `redline snapshot` (as the agent's Stop hook would), the timeline of the session, one turn
// opened alone and compared with git, a must-fix note written in the window and sent to the
// agent, received and claimed addressed through the CLI, confirmed in the window, one hunk of
// the agent's change undone and put back, compared byte for byte with the file on disk, and
// "Since my last review" showing only the agent's edit after the reviewer's viewed marks.
//
// The repository is built here with git, isolated from the user's git configuration; the CLI
// runs with the driver's REDLINE_DATA_DIR, so the window and the "agent" share one database
// (a temporary one, never the user's).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { Driver, cliBin, click, isolatedEnv, saveScreenshot, scratchDir, showFile, until } from "./harness";
import type { Session } from "./webdriver";

const SESSION = "e2e";
const AGENT = "claude-code";

/** The added lines of the shown file, hunk after hunk. */
const READ_ADDED = `
  return [...document.querySelectorAll('[data-testid="diff-view"] [data-testid="diff-line"][data-kind="added"] [data-testid="line-text"]')].map((t) => t.textContent);
`;

/** The lines of the base commit's src/pricing.ts (and of every version, apart from two lines). */
function pricingLines(): string[] {
  const lines = ["// Prices, in cents.", 'export const CURRENCY = "EUR";', "export const ROUNDING = 1;"];
  for (let n = 4; n <= 40; n++) lines.push(`export const STEP_${String(n).padStart(2, "0")} = ${n};`);
  return lines;
}
/** Turn 1 edits line 3; turn 3 edits line 34: two hunks of the working tree, far apart. */
const PRICING_TURN1 = "export const ROUNDING = 5;";
const PRICING_TURN3 = "export const STEP_34 = 340;";

const CART_BASE = ['import { CURRENCY } from "./pricing";', "", "export function label(cents: number): string {", "  return `${cents} ${CURRENCY}`;", "}", ""].join("\n");
/** The line of cart.ts the note is written on, added in turn 2. */
const NOTED = "  return items.reduce((sum, item) => sum + item, 0);";
const CART_TURN2 = `${CART_BASE}\nexport function total(items: number[]): number {\n${NOTED}\n}\n`;
/** The agent's fix of the noted line, after the note. */
const FIXED = "  return Math.max(0, items.reduce((sum, item) => sum + item, 0));";

const MESSAGES = [
  "Added a tax module and coarser rounding.\nRounding now steps by 5 cents.",
  "Added total() to the cart.",
  "Raised step 34 and documented the currency.\nAlso touched the README.",
];
const NOTE = "A total must never be negative: clamp it at zero.";
const CLAIM = "Clamped the total at zero with Math.max.";

describe("the agent loop in the real window", () => {
  const scratch = scratchDir();
  let driver: Driver;
  let repo: string;
  let session: Session | undefined;

  function git(args: string[]): string {
    return execFileSync("git", ["-c", "core.quotepath=off", ...args], {
      cwd: repo,
      encoding: "utf8",
      env: isolatedEnv(),
      maxBuffer: 64 * 1024 * 1024,
    });
  }

  /** The real CLI, as the agent runs it, on the window's review database. */
  function redline(args: string[]): string {
    return execFileSync(cliBin, args, {
      cwd: repo,
      encoding: "utf8",
      env: isolatedEnv({ REDLINE_DATA_DIR: driver.dataDir }),
    });
  }

  function write(path: string, text: string): void {
    mkdirSync(join(repo, path, ".."), { recursive: true });
    writeFileSync(join(repo, path), text);
  }

  function snapshot(message: string): void {
    redline(["snapshot", "-C", repo, "--session", SESSION, "--boundary", "hook", "--agent", AGENT, "-m", message]);
  }

  beforeAll(async () => {
    repo = join(scratch.path, "repo");
    mkdirSync(repo);
    git(["init", "-q", "-b", "main"]);
    git(["config", "user.name", "E2E Reviewer"]);
    git(["config", "user.email", "reviewer@example.com"]);
    git(["config", "commit.gpgsign", "false"]);
    write("src/pricing.ts", `${pricingLines().join("\n")}\n`);
    write("src/cart.ts", CART_BASE);
    write("README.md", "# Shop\n\nPrices are in cents.\n");
    git(["add", "."]);
    git(["commit", "-q", "-m", "Initial shop"]);
    driver = await Driver.start();
  });

  afterAll(async () => {
    await session?.quit().catch(() => undefined);
    driver?.stop();
    scratch.remove();
  });

  test("shows the turns, one turn alone, a note's way to the agent and back, undoes and redoes a hunk, and what changed since the last review", async () => {
    // The agent's three turns, each ended by its Stop hook (here: the same CLI call the hook makes).
    const pricing = pricingLines();
    pricing[2] = PRICING_TURN1;
    write("src/pricing.ts", `${pricing.join("\n")}\n`);
    write("src/tax.ts", "export const VAT = 0.2;\n");
    snapshot(MESSAGES[0]!);
    write("src/cart.ts", CART_TURN2);
    snapshot(MESSAGES[1]!);
    pricing[33] = PRICING_TURN3;
    const agentPricing = `${pricing.join("\n")}\n`;
    write("src/pricing.ts", agentPricing);
    write("README.md", "# Shop\n\nPrices are in cents, in euros.\n");
    snapshot(MESSAGES[2]!);
    expect(git(["for-each-ref", "--format=%(refname)", `refs/redline/snapshots/${SESSION}`]).trim().split("\n")).toEqual(
      [1, 2, 3].map((n) => `refs/redline/snapshots/${SESSION}/${n}`),
    );

    session = await driver.open(repo);
    const app = session;

    // The timeline: three turns, newest first, each ended by the agent's hook, with what it said.
    await app.waitFor(`[data-testid="agent-session"][data-session="${SESSION}"]`);
    await until(app, `return document.querySelectorAll('[data-testid="turn"]').length === 3;`, "three turns");
    const turns = await app.execute<{ seq: string; boundary: string; said: string }[]>(`
      return [...document.querySelectorAll('[data-testid="turn"]')].map((turn) => ({
        seq: turn.getAttribute("data-seq"),
        boundary: turn.querySelector('[data-testid="turn-boundary"]').textContent.trim(),
        said: turn.querySelector('[data-testid="turn-message-preview"]').textContent,
      }));`);
    expect(turns).toEqual([3, 2, 1].map((seq) => ({ seq: String(seq), boundary: AGENT, said: MESSAGES[seq - 1]!.split("\n")[0] })));
    await click(app, '[data-testid="turn"][data-seq="3"] [data-testid="turn-message-toggle"]');
    await until(app, `return document.querySelector('[data-testid="turn"][data-seq="3"] [data-testid="turn-message"]')?.textContent === ${JSON.stringify(MESSAGES[2])};`, "turn 3's whole message");

    // Turn 3 alone: the files and added lines of git's diff between the snapshots of turns 2 and 3.
    await click(app, '[data-testid="turn"][data-seq="3"] [data-testid="turn-open"]');
    await until(app, `return document.querySelector('.statusbar .spec')?.textContent === "turn:3@${SESSION}";`, "turn 3 open");
    const [from, to] = [`refs/redline/snapshots/${SESSION}/2`, `refs/redline/snapshots/${SESSION}/3`];
    const gitFiles = git(["diff", "--name-only", from, to]).trim().split("\n").sort();
    expect(gitFiles).toEqual(["README.md", "src/pricing.ts"]);
    await until(
      app,
      `return [...document.querySelectorAll('[data-testid="file-item"]')].map((f) => f.getAttribute("data-path")).sort().join("\\n") === ${JSON.stringify(gitFiles.join("\n"))};`,
      "the files of turn 3",
    );
    for (const path of gitFiles) {
      const added = git(["diff", from, to, "--", path])
        .split("\n")
        .filter((line) => line.startsWith("+") && !line.startsWith("+++"))
        .map((line) => line.slice(1));
      await showFile(app, path);
      expect(await app.execute<string[]>(READ_ADDED), `the added lines of ${path} in turn 3`).toEqual(added);
    }
    expect(await app.execute<number>(`return document.querySelectorAll('[data-testid="undo-hunk"], [data-testid="undo-file"]').length;`)).toBe(0);
    await saveScreenshot(app, "e2e-agent-loop-turn");

    // Back to the working tree: a must-fix note on the line turn 2 added, written in the window.
    await click(app, '[data-testid="target-item"][data-spec="worktree"]');
    await until(app, `return document.querySelector('.statusbar .spec')?.textContent === "worktree";`, "the working tree open");
    await showFile(app, "src/cart.ts");
    const notedLine = CART_TURN2.split("\n").indexOf(NOTED) + 1;
    await click(app, `[data-testid="diff-line"] td[data-side="new"][data-line="${notedLine}"]`);
    await click(app, '[data-testid="comment-selection"]');
    const [body] = await app.waitFor('[data-testid="composer"] [data-testid="composer-body"]');
    await app.keysTo(body!, NOTE);
    await app.execute(`
      const select = document.querySelector('[data-testid="composer"] [data-testid="composer-kind"]');
      select.value = "mustFix";
      select.dispatchEvent(new Event("change", { bubbles: true }));`);
    await click(app, '[data-testid="composer-save"]');
    await until(app, `return document.querySelector('[data-testid="thread"][data-kind="mustFix"]') !== null && !document.querySelector('[data-testid="composer"]');`, "the note saved");
    const id = await app.execute<string>(`return document.querySelector('[data-testid="thread"]').getAttribute("data-thread-id");`);
    const chip = `document.querySelector('[data-testid="thread"][data-thread-id="${id}"] [data-testid="thread-handoff"]')?.textContent`;

    // Send to agent: the chip reads sent.
    await click(app, `[data-thread-id="${id}"] [data-testid="thread-send"]`);
    await until(app, `return ${chip} === "Sent to agent";`, "the chip reading sent");

    // The agent asks for its notes: it gets this one, once, and the window (reloaded) says received.
    const forAgent = redline(["notes", "--for-agent", "-C", repo]);
    expect(forAgent).toContain(NOTE);
    expect(forAgent).toContain(id);
    expect(forAgent).toContain("src/cart.ts");
    expect(redline(["notes", "--for-agent", "-C", repo])).not.toContain(NOTE);
    await click(app, '[data-testid="target-item"][data-spec="worktree"]');
    await showFile(app, "src/cart.ts");
    await until(app, `return ${chip} === "Received by agent";`, "the chip reading received");

    // The agent fixes the line and claims the note addressed; the thread shows the claim and the evidence.
    write("src/cart.ts", CART_TURN2.replace(NOTED, FIXED));
    expect(redline(["note", "claim", id, CLAIM, "--agent", AGENT, "-C", repo])).toContain("addressed");
    await until(
      app,
      `return [...document.querySelectorAll('[data-testid="diff-view"][data-path="src/cart.ts"] [data-testid="line-text"]')].some((t) => t.textContent === ${JSON.stringify(FIXED)});`,
      "the fix shown live",
    );
    await click(app, '[data-testid="target-item"][data-spec="worktree"]');
    await showFile(app, "src/cart.ts");
    await until(app, `return ${chip} === "Agent claims addressed";`, "the chip reading claimed");
    const thread = `document.querySelector('[data-testid="thread"][data-thread-id="${id}"]')`;
    expect(await app.execute<string>(`return ${thread}.querySelector('[data-testid="thread-claim-message"]').textContent;`)).toBe(CLAIM);
    const evidence = await app.execute<{ text: string; warning: string }>(`
      const e = ${thread}.querySelector('[data-testid="thread-evidence"]');
      return { text: e.textContent.trim(), warning: e.getAttribute("data-warning") };`);
    expect(evidence).toEqual({ text: "The code was changed since the note", warning: "false" });
    await saveScreenshot(app, "e2e-agent-loop-claim");

    // Confirm resolved: the note is resolved, the claim and the button gone.
    await click(app, `[data-thread-id="${id}"] [data-testid="thread-confirm"]`);
    await until(app, `return ${thread}?.getAttribute("data-resolved") === "true";`, "the note resolved");
    expect(await app.execute<number>(`return ${thread}.querySelectorAll('[data-testid="thread-claim"], [data-testid="thread-confirm"]').length;`)).toBe(0);
    const resolved = JSON.parse(redline(["notes", "worktree", "-C", repo, "--format", "json"])) as { threads: { thread: { id: string; resolved: boolean } }[] };
    expect(resolved.threads.map((t) => [t.thread.id, t.thread.resolved])).toEqual([[id, true]]);

    // Undo turn 3's hunk of src/pricing.ts: the file is the agent's with that hunk reverted.
    const pricingPath = join(repo, "src/pricing.ts");
    expect(readFileSync(pricingPath, "utf8")).toBe(agentPricing);
    const reverted = [...pricing];
    reverted[33] = pricingLines()[33]!;
    const expected = `${reverted.join("\n")}\n`;
    await showFile(app, "src/pricing.ts");
    const hunks = await app.execute<{ id: string; added: string[] }[]>(`
      return [...document.querySelectorAll('[data-testid="diff-view"] [data-testid="hunk"]')].map((hunk) => ({
        id: hunk.getAttribute("data-hunk-id"),
        added: [...hunk.querySelectorAll('[data-testid="diff-line"][data-kind="added"] [data-testid="line-text"]')].map((t) => t.textContent),
      }));`);
    expect(hunks.map((h) => h.added)).toEqual([[PRICING_TURN1], [PRICING_TURN3]]);
    await click(app, `[data-hunk-id="${hunks[1]!.id}"] [data-testid="undo-hunk"]`);
    await app.waitFor('[data-testid="undo-dialog"]');
    expect(await app.execute<string>(`return document.querySelector('[data-testid="undo-dialog"] [data-testid="undo-file"]').textContent;`)).toBe("src/pricing.ts");
    expect(readFileSync(pricingPath, "utf8"), "nothing is undone before the confirmation").toBe(agentPricing);
    await click(app, '[data-testid="undo-dialog"] [data-testid="undo-confirm"]');
    await app.waitFor('[data-testid="undo-notice"][data-state="undone"]');
    expect(readFileSync(pricingPath, "utf8")).toBe(expected);
    await until(
      app,
      `return [...document.querySelectorAll('[data-testid="diff-view"][data-path="src/pricing.ts"] [data-testid="hunk"]')].map((h) => h.getAttribute("data-hunk-id")).join() === ${JSON.stringify(hunks[0]!.id)};`,
      "the review without the undone hunk",
    );
    await saveScreenshot(app, "e2e-agent-loop-undone");

    // Redo puts the agent's bytes back exactly.
    await click(app, '[data-testid="undo-redo"]');
    await app.waitFor('[data-testid="undo-notice"][data-state="redone"]');
    expect(readFileSync(pricingPath, "utf8")).toBe(agentPricing);
    await until(app, `return document.querySelectorAll('[data-testid="diff-view"][data-path="src/pricing.ts"] [data-testid="hunk"]').length === 2;`, "both hunks back");
    await saveScreenshot(app, "e2e-agent-loop");

    // Since my last review: the reviewer marks src/pricing.ts viewed, the agent edits it once
    // more; only that edit is shown, read-only.
    await click(app, '[data-testid="undo-notice-dismiss"]');
    for (const hunk of await app.execute<string[]>(`return [...document.querySelectorAll('[data-testid="diff-view"] [data-testid="hunk"]')].map((h) => h.getAttribute("data-hunk-id"));`)) {
      await click(app, `[data-hunk-id="${hunk}"] [data-testid="hunk-viewed"]`);
      await until(app, `return document.querySelector('[data-hunk-id="${hunk}"]')?.getAttribute("data-viewed") === "viewed";`, `hunk ${hunk} viewed`);
    }
    const later = [...pricing];
    later[19] = "export const STEP_20 = 200;";
    write("src/pricing.ts", `${later.join("\n")}\n`);
    await until(app, `return document.querySelectorAll('[data-testid="diff-view"][data-path="src/pricing.ts"] [data-testid="hunk"]').length === 3;`, "the agent's new edit shown live");
    await click(app, '[data-testid="since-review-open"]');
    await app.waitFor('[data-testid="since-review"][data-state="loaded"]');
    await until(
      app,
      `return [...document.querySelectorAll('[data-testid="file-item"]')].map((f) => f.getAttribute("data-path")).join() === "src/pricing.ts";`,
      "only src/pricing.ts changed since the last review",
    );
    expect(await app.execute<string[]>(READ_ADDED)).toEqual(["export const STEP_20 = 200;"]);
    expect(await app.execute<number>(`return document.querySelectorAll('[data-testid="undo-hunk"], [data-testid="hunk-viewed"]').length;`)).toBe(0);
    await saveScreenshot(app, "e2e-agent-loop-since-review");
  });
});
