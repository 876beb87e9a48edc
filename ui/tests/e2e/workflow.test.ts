// The review workflow in the real window, on the demo repository: notes and viewed marks kept
// in the review database across a restart, followed as an agent rewrites the file, and an
// approval that goes stale when the code changes again. The database lives in the driver's
// temporary REDLINE_DATA_DIR, never in the user's.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { Driver, buildDemo, click, saveScreenshot, scratchDir, showFile, until } from "./harness";
import type { Session } from "./webdriver";

const FILE = "src/discount.rs";

/** Each hunk of the shown file: id, viewed state, whether its checkbox is ticked, its added lines. */
const READ_HUNKS = `
  return [...document.querySelectorAll('[data-testid="diff-view"] [data-testid="hunk"]')].map((hunk) => ({
    id: hunk.getAttribute("data-hunk-id"),
    state: hunk.getAttribute("data-viewed"),
    checked: hunk.querySelector('[data-testid="hunk-viewed"]')?.checked ?? null,
    added: [...hunk.querySelectorAll('[data-testid="diff-line"][data-kind="added"] [data-testid="line-text"]')].map((t) => t.textContent),
  }));
`;
type ShownHunk = { id: string; state: string | null; checked: boolean | null; added: string[] };

/** Each thread: id, kind, placement, body text, and the new line number of the line row above it. */
const READ_THREADS = `
  return [...document.querySelectorAll('[data-testid="thread"]')].map((thread) => {
    const row = thread.closest('tr');
    const line = row ? row.previousElementSibling : null;
    return {
      id: thread.getAttribute("data-thread-id"),
      kind: thread.getAttribute("data-kind"),
      placement: thread.getAttribute("data-placement"),
      resolved: thread.getAttribute("data-resolved"),
      body: thread.querySelector('[data-testid="note-body"]')?.textContent.trim() ?? null,
      afterNewLine: line ? line.querySelectorAll("td.num")[1]?.getAttribute("data-line") ?? null : null,
      afterText: line ? line.querySelector('[data-testid="line-text"]')?.textContent ?? null : null,
    };
  });
`;
type ShownThread = {
  id: string;
  kind: string;
  placement: string;
  resolved: string;
  body: string | null;
  afterNewLine: string | null;
  afterText: string | null;
};

const NOTE = "Coupon codes must be matched case-insensitively.";
/** The line the note is written on: the first hunk's last added line. */
const NOTED = "    Coupon { code: String, off: Cents, minimum: Cents },";

describe("the review workflow on the demo repository", () => {
  const scratch = scratchDir();
  let driver: Driver;
  let demo: string;
  let session: Session | undefined;

  beforeAll(async () => {
    demo = buildDemo(scratch.path);
    driver = await Driver.start();
  });

  afterAll(async () => {
    await session?.quit().catch(() => undefined);
    driver?.stop();
    scratch.remove();
  });

  async function openWindow(): Promise<Session> {
    await session?.quit().catch(() => undefined);
    session = await driver.open(demo);
    await session.waitFor('[data-testid="target-item"][data-spec="worktree"][aria-selected="true"]');
    await session.waitFor('[data-testid="coverage-text"]');
    return session;
  }

  test("keeps notes and viewed hunks across a restart, follows an agent's rewrite, and an approval goes stale", async () => {
    let app = await openWindow();
    await showFile(app, FILE);
    const before = await app.execute<ShownHunk[]>(READ_HUNKS);
    expect(before.length).toBe(2);
    expect(before.map((h) => h.checked)).toEqual([false, false]);
    const noted = before[0]!.added.indexOf(NOTED);
    expect(noted, `the first hunk adds ${NOTED}`).toBeGreaterThanOrEqual(0);
    const notedLine = await app.execute<string>(`
      const rows = document.querySelectorAll('[data-testid="hunk"]')[0].querySelectorAll('[data-testid="diff-line"][data-kind="added"]');
      return rows[${noted}].querySelectorAll("td.num")[1].getAttribute("data-line");`);

    // Both hunks viewed (the checkbox on each hunk header): the file gets its tick.
    for (const hunk of before) {
      await click(app, `[data-hunk-id="${hunk.id}"] [data-testid="hunk-viewed"]`);
      await until(app, `return document.querySelector('[data-hunk-id="${hunk.id}"]')?.getAttribute("data-viewed") === "viewed";`, `hunk ${hunk.id} viewed`);
    }
    await app.waitFor(`[data-testid="file-item"][data-path="${FILE}"] [data-testid="file-viewed"]`);

    // A must-fix note on the noted line: click its number, Comment, type, pick the kind, save.
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
    await until(app, `return document.querySelector('[data-testid="open-must-fix"]')?.textContent === "1 must-fix open";`, "the must-fix count");
    // Written to the temporary data directory, not the user's.
    expect(existsSync(join(driver.dataDir, "redline.db"))).toBe(true);

    // Restart: the note and the viewed marks come back from the database.
    app = await openWindow();
    await showFile(app, FILE);
    await until(app, `return document.querySelector('[data-testid="thread"]') !== null;`, "the note after a restart");
    let threads = await app.execute<ShownThread[]>(READ_THREADS);
    expect(threads).toEqual([
      expect.objectContaining({ kind: "mustFix", placement: "current", resolved: "false", body: NOTE, afterNewLine: notedLine, afterText: NOTED }),
    ]);
    await until(app, `return [...document.querySelectorAll('[data-testid="hunk"]')].every((h) => h.getAttribute("data-viewed") === "viewed");`, "viewed hunks after a restart");
    expect((await app.execute<ShownHunk[]>(READ_HUNKS)).map((h) => [h.id, h.checked])).toEqual(before.map((h) => [h.id, true]));
    await app.waitFor(`[data-testid="file-item"][data-path="${FILE}"] [data-testid="file-viewed"]`);
    await saveScreenshot(app, "e2e-workflow-restart");

    // The agent rewrites the file: three lines above the noted code, and an edit in the second (viewed) hunk.
    const path = join(demo, FILE);
    const original = readFileSync(path, "utf8");
    const lines = original.split("\n");
    lines.splice(2, 0, "// Prices are in cents throughout.", "// Discounts never make a total negative.", "");
    const edited = "            Discount::Coupon { .. } => Cents(0),";
    const editedAt = lines.indexOf(edited);
    expect(editedAt, "the second hunk's line to edit").toBeGreaterThan(0);
    lines[editedAt] = "            Discount::Coupon { .. } => Cents::default(),";
    writeFileSync(path, lines.join("\n"));

    await until(app, `return document.querySelector('[data-testid="hunk-changed"]') !== null;`, "the rewritten hunk marked changed since viewed");
    const movedLine = String(Number(notedLine) + 3);
    await until(app, `return document.querySelector('[data-testid="thread"]')?.closest("tr")?.previousElementSibling?.querySelectorAll("td.num")[1]?.getAttribute("data-line") === "${movedLine}";`, "the note on its moved line");
    threads = await app.execute<ShownThread[]>(READ_THREADS);
    expect(threads).toEqual([expect.objectContaining({ kind: "mustFix", placement: "current", afterNewLine: movedLine, afterText: NOTED })]);
    const after = await app.execute<ShownHunk[]>(READ_HUNKS);
    // The new hunk at the top is unviewed, the noted hunk (unchanged) still viewed, the rewritten one changed since viewed.
    expect(after.map((h) => h.state)).toEqual(["unviewed", "viewed", "changedSinceViewed"]);
    expect(after[1]!.id).toBe(before[0]!.id);
    expect(after[2]!.added).toContain("            Discount::Coupon { .. } => Cents::default(),");
    expect(after[2]!.checked).toBe(false);
    await app.waitFor(`[data-testid="file-item"][data-path="${FILE}"] [data-testid="file-changed"]`);
    await saveScreenshot(app, "e2e-workflow-rewritten");

    // Resolve the must-fix note, then approve, confirming (not every AI-written hunk is viewed).
    await click(app, '[data-testid="thread"] [data-testid="thread-resolve"]');
    await until(app, `return document.querySelector('[data-testid="thread"]')?.getAttribute("data-resolved") === "true" && !document.querySelector('[data-testid="open-must-fix"]');`, "the note resolved");
    await click(app, '[data-testid="open-decision"]');
    await app.waitFor('[role="dialog"][data-testid="decision-dialog"]');
    await click(app, '[data-testid="decision-approve"]');
    await app.waitFor('[data-testid="decision-blockers"]');
    const reasons = await app.execute<string>(`return document.querySelector('[data-testid="decision-blockers"] p').textContent;`);
    expect(reasons).toMatch(/AI-written hunks viewed/);
    expect(reasons).not.toMatch(/must-fix/);
    await click(app, '[data-testid="decision-confirm"]');
    await click(app, '[data-testid="decision-approve"]');
    await until(app, `return !document.querySelector('[role="dialog"]');`, "the dialog closed");
    await until(app, `return document.querySelector('[data-testid="review-status"]')?.textContent.startsWith("Approved by ");`, "Approved in the header");
    await until(app, `return document.querySelector('[data-testid="target-item"][data-spec="worktree"] [data-testid="target-status"]')?.textContent === "approved";`, "approved in the target list");
    await saveScreenshot(app, "e2e-workflow-approved");

    // One more change: the approval is for code that is no longer there.
    writeFileSync(path, `${lines.join("\n")}// one more line from the agent\n`);
    await until(app, `return document.querySelector('[data-testid="review-status"]')?.textContent === "Approval stale (the code changed since)";`, "the approval stale");
    await until(app, `return document.querySelector('[data-testid="target-item"][data-spec="worktree"] [data-testid="target-status"]')?.textContent === "stale";`, "stale in the target list");
    await saveScreenshot(app, "e2e-workflow-stale");
  });
});
