// Hostile repositories in the real window: a corrupt loose object and escape sequences in what
// a commit carries. The window says what the CLI says, in place, and stays usable; a commit
// subject, an author name and a file name holding ESC sequences, BEL and a bidi override are
// shown visibly escaped as the CLI shows them (`\e`, `\a`, `\u{202e}`), never as controls.
//
// The repositories are built here with git, isolated from the user's git configuration; the
// window and the CLI keep their review database in the driver's temporary REDLINE_DATA_DIR.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { Driver, cliBin, click, git, isolatedEnv, saveScreenshot, scratchDir, until } from "./harness";
import type { Session } from "./webdriver";

/** The real CLI, with the window's isolated environment: its exit status, stdout and stderr. */
function redline(driver: Driver, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(cliBin, args, {
    encoding: "utf8",
    env: isolatedEnv({ REDLINE_DATA_DIR: driver.dataDir }),
    timeout: 30_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A fresh repository in `parent`, with an identity and no signing of its own. */
function newRepo(parent: string, name: string): string {
  const repo = join(parent, name);
  mkdirSync(repo);
  git(repo, ["init", "-q", "-b", "main"]);
  git(repo, ["config", "user.name", "E2E Author"]);
  git(repo, ["config", "user.email", "author@example.com"]);
  git(repo, ["config", "commit.gpgsign", "false"]);
  return repo;
}

/**
 * Terminal and bidi controls that must never reach the screen raw: C0 (but tab and line
 * break, which `innerText` itself produces between blocks), DEL, C1, the line and paragraph
 * separators and the bidi controls.
 */
const CONTROLS = String.raw`[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]`;

/** The raw control characters in the text of the elements `css` matches, as code points. */
const READ_CONTROLS = `
  const found = [];
  for (const element of document.querySelectorAll(arguments[0])) {
    for (const char of element.textContent.match(new RegExp(arguments[1], "gu")) ?? []) found.push(char.codePointAt(0));
  }
  return found;
`;

describe("hostile repositories in the real window", () => {
  const scratch = scratchDir();
  let driver: Driver;
  let session: Session | undefined;

  beforeAll(async () => {
    driver = await Driver.start();
  });

  afterAll(async () => {
    await session?.quit().catch(() => undefined);
    driver?.stop();
    scratch.remove();
  });

  async function open(repo: string): Promise<Session> {
    await session?.quit().catch(() => undefined);
    session = undefined;
    session = await driver.open(repo);
    return session;
  }

  test("a corrupt loose object: the window shows the CLI's message in place of the diff, quickly, and stays usable", async () => {
    const repo = newRepo(scratch.path, "corrupt");
    writeFileSync(join(repo, "a.txt"), "one\ntwo\nthree\n");
    writeFileSync(join(repo, "b.txt"), "bee\n");
    git(repo, ["add", "."]);
    git(repo, ["commit", "-q", "-m", "First"]);
    writeFileSync(join(repo, "a.txt"), "one\nTWO\nthree\nfour\n");
    git(repo, ["commit", "-q", "-a", "-m", "Second"]);
    // HEAD's blob of a.txt, a loose object, cut to half its bytes.
    const blob = git(repo, ["rev-parse", "HEAD:a.txt"]).trim();
    const object = join(repo, ".git/objects", blob.slice(0, 2), blob.slice(2));
    chmodSync(object, 0o644);
    truncateSync(object, Math.floor(statSync(object).size / 2));
    const parent = git(repo, ["rev-parse", "HEAD~1"]).trim();

    // What the CLI says: one line, on stderr, and a failure.
    const cli = redline(driver, ["review", "HEAD", "--repo", repo]);
    expect(cli.status, `the CLI fails: ${cli.stdout}${cli.stderr}`).not.toBe(0);
    const cliLines = cli.stderr.trimEnd().split("\n");
    expect(cliLines, "the CLI prints one line").toHaveLength(1);
    const cliMessage = cliLines[0]!.replace(/^error: /, "");
    for (const part of [blob, "a.txt", "is corrupt", "git fsck"]) expect(cliMessage).toContain(part);

    // The window opens HEAD (the working tree is clean) and says the same in place of the diff.
    const started = Date.now();
    const app = await open(repo);
    await app.waitFor('[data-testid="error"][data-kind="corruptRepository"]', 10_000);
    const opened = Date.now() - started;
    const shown = await app.execute<{ message: string; state: string | null; selected: string | null; inMain: boolean }>(`
      const error = document.querySelector('[data-testid="error"]');
      return {
        message: error.querySelector('[data-testid="error-message"]').textContent,
        state: document.querySelector('[data-testid="app"]').getAttribute("data-state"),
        selected: document.querySelector('[data-testid="target-item"][aria-selected="true"]')?.getAttribute("data-spec") ?? null,
        inMain: error.closest("main.main") !== null,
      };`);
    expect(shown.message).toBe(cliMessage);
    for (const part of [blob, "a.txt", "is corrupt", "git fsck"]) expect(shown.message).toContain(part);
    expect(shown.inMain, "the message is in the diff's place, beside the target list").toBe(true);
    expect(shown.selected).toBe("HEAD");
    expect(opened, "the window does not hang on the corrupt object").toBeLessThan(20_000);
    await saveScreenshot(app, "e2e-hostile-corrupt-object");

    // Still usable: the target list lists both commits, and the parent opens normally.
    const commits = await app.execute<string[]>(
      `return [...document.querySelectorAll('[data-testid="target-item"][data-kind="commit"]')].map((item) => item.getAttribute("data-spec"));`,
    );
    expect(commits).toHaveLength(2);
    expect(commits[0]).toBe("HEAD");
    const parentSpec = commits[1]!;
    expect(parent.startsWith(parentSpec), `${parentSpec} names the parent commit ${parent}`).toBe(true);
    await click(app, `[data-testid="target-item"][data-spec="${parentSpec}"]`);
    await app.waitFor(`[data-testid="target-item"][data-spec="${parentSpec}"][aria-selected="true"]`);
    await app.waitFor('[data-testid="app"][data-state="ready"]');
    await until(app, `return !document.querySelector('[data-testid="error"]');`, "the error gone with the parent open");
    const files = await app.execute<string[]>(`return [...document.querySelectorAll('[data-testid="file-item"]')].map((f) => f.getAttribute("data-path"));`);
    expect(files).toEqual(git(repo, ["diff-tree", "--root", "--no-commit-id", "--name-only", "-r", parent]).trim().split("\n"));
    await app.waitFor('[data-testid="diff-view"][data-path="a.txt"] [data-testid="hunk"]');
    const added = await app.execute<string[]>(
      `return [...document.querySelectorAll('[data-testid="diff-view"] [data-testid="diff-line"][data-kind="added"] [data-testid="line-text"]')].map((t) => t.textContent);`,
    );
    expect(added).toEqual(["one", "two", "three"]);

    // Back to HEAD: the same message again, within a few seconds.
    const again = Date.now();
    await click(app, '[data-testid="target-item"][data-spec="HEAD"]');
    await app.waitFor('[data-testid="error"][data-kind="corruptRepository"]', 5_000);
    expect(Date.now() - again).toBeLessThan(5_000);
    expect(await app.execute<string>(`return document.querySelector('[data-testid="error-message"]').textContent;`)).toBe(cliMessage);
    expect(await app.execute<number>(`return document.querySelectorAll('[data-testid="target-item"][data-kind="commit"]').length;`)).toBe(2);
  });

  test("escape sequences and a bidi override in a subject, an author and a file name: shown escaped as the CLI shows them", async () => {
    const repo = newRepo(scratch.path, "escapes");
    writeFileSync(join(repo, "README.md"), "# Base\n");
    git(repo, ["add", "."]);
    git(repo, ["commit", "-q", "-m", "Base"]);
    const subject = "\u001b[2J\u001b]0;owned\u0007 subject \u202ereversed";
    const author = "Mallory \u001b]0;owned\u0007\u001b[2J\u202eEve";
    const path = "evil\u001b[31mname\u202e.txt";
    writeFileSync(join(repo, path), "hello\n");
    git(repo, ["add", "."]);
    git(repo, ["commit", "-q", "--author", `${author} <mallory@example.com>`, "-m", subject]);
    expect(git(repo, ["log", "-1", "--format=%an%x00%s"]).trimEnd()).toBe(`${author}\u0000${subject}`);

    // The CLI's spelling of each.
    const shownSubject = String.raw`\e[2J\e]0;owned\a subject \u{202e}reversed`;
    const shownAuthor = String.raw`Mallory \e]0;owned\a\e[2J\u{202e}Eve`;
    const shownPath = String.raw`evil\e[31mname\u{202e}.txt`;
    const targets = redline(driver, ["targets", "--repo", repo]);
    expect(targets.status, targets.stderr).toBe(0);
    const headLine = targets.stdout.split("\n").find((line) => line.includes(" HEAD "));
    expect(headLine).toContain(shownSubject);
    expect(headLine).toContain(shownAuthor);
    const review = redline(driver, ["review", "HEAD", "--repo", repo]);
    expect(review.status, review.stderr).toBe(0);
    expect(review.stdout).toContain(shownPath);

    const app = await open(repo);
    const titleBefore = await app.execute<string>("return document.title;");
    await app.waitFor('[data-testid="target-item"][data-spec="HEAD"][aria-selected="true"]');
    await app.waitFor('[data-testid="diff-view"] [data-testid="hunk"]');
    const shown = await app.execute<{ title: string; detail: string; file: string; filePath: string; header: string; dataPath: string }>(`
      const entry = document.querySelector('[data-testid="target-item"][data-spec="HEAD"]');
      const file = document.querySelector('[data-testid="file-item"]');
      return {
        title: entry.querySelector(".title").textContent,
        detail: entry.querySelector(".detail").textContent,
        file: file.querySelector(".path").textContent,
        dataPath: file.getAttribute("data-path"),
        filePath: file.title,
        header: document.querySelector('[data-testid="diff-view"] [data-testid="file-path"]').textContent.trim(),
      };`);
    expect(shown.title).toBe(shownSubject);
    expect(shown.detail).toContain(shownAuthor);
    expect(shown.file).toBe(shownPath);
    expect(shown.filePath).toBe(shownPath);
    expect(shown.header).toBe(shownPath);
    // The attribute keeps the real path: it names the file, it is not shown.
    expect(shown.dataPath).toBe(path);

    // No control reaches the screen raw: the target list, the file list, the diff's header, the whole page.
    for (const css of ['[data-testid="target-list"]', '[data-testid="file-list"]', '[data-testid="file-path"]', "body"]) {
      expect(await app.execute<number[]>(READ_CONTROLS, [css, CONTROLS]), `raw controls in ${css}`).toEqual([]);
    }
    expect(
      await app.execute<number[]>(`return [...document.body.innerText.matchAll(new RegExp(arguments[0], "gu"))].map((m) => m[0].codePointAt(0));`, [CONTROLS]),
      "raw controls in what the window shows",
    ).toEqual([]);
    // The OSC sequence retitled nothing.
    const title = await app.execute<string>("return document.title;");
    expect(title).toBe("Redline");
    expect(title).toBe(titleBefore);
    await saveScreenshot(app, "e2e-hostile-escapes");
  });
});
