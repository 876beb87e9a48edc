// The real Redline window, driven like a user drives it, compared with what git prints.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { Driver, buildDemo, click, git, hunkLines, isolatedEnv, saveScreenshot, scratchDir } from "./harness";
import type { Session } from "./webdriver";

/** The diff pane as text: each hunk header, then each line as sign + text, in order. */
const READ_DIFF = `
  const view = document.querySelector('[data-testid="diff-view"]');
  if (!view) return null;
  const rows = [];
  const selector = '[data-testid="hunk-header"], [data-testid="diff-line"], [data-testid="no-newline"]';
  for (const row of view.querySelectorAll(selector)) {
    if (row.getAttribute("data-testid") === "diff-line") {
      rows.push(row.querySelector('[data-testid="line-sign"]').textContent +
        row.querySelector('[data-testid="line-text"]').textContent);
    } else {
      rows.push(row.textContent);
    }
  }
  return { path: view.getAttribute("data-path"), rows };
`;

async function showFile(session: Session, path: string): Promise<string[]> {
  const [item] = await session.waitFor(`[data-testid="file-item"][data-path="${path}"]`);
  await session.click(item!);
  await session.waitFor(`[data-testid="diff-view"][data-path="${path}"]`);
  const shown = await session.execute<{ path: string; rows: string[] } | null>(READ_DIFF);
  expect(shown?.path).toBe(path);
  return shown?.rows ?? [];
}

async function openTarget(session: Session, spec: string): Promise<void> {
  const [item] = await session.waitFor(`[data-testid="target-item"][data-spec="${spec}"]`);
  await session.click(item!);
  await session.waitFor(`[data-testid="target-item"][data-spec="${spec}"][aria-selected="true"]`);
  await session.waitFor('[data-testid="app"][data-state="ready"]');
}

/** Paths git reports as modified (not added, deleted or renamed) for `diffArgs`. */
function modifiedPaths(repo: string, diffArgs: string[]): string[] {
  return git(repo, ["diff", "-M", "--name-status", ...diffArgs])
    .split("\n")
    .filter((line) => line.startsWith("M\t"))
    .map((line) => line.slice(2));
}

/** tauri-driver and a scratch directory, for the tests of one `describe` that open their own repositories. */
function useDriver(): { driver: Driver; scratch: string } {
  const scratch = scratchDir();
  const used = { scratch: scratch.path } as { driver: Driver; scratch: string };

  beforeAll(async () => {
    used.driver = await Driver.start();
  });

  afterAll(() => {
    used.driver?.stop();
    scratch.remove();
  });

  return used;
}

/** A fresh demo repository opened in the real window for the tests of one `describe`. */
function useDemoWindow(): { session: Session; demo: string } {
  const scratch = scratchDir();
  let driver: Driver | undefined;
  const opened = {} as { session: Session; demo: string };

  beforeAll(async () => {
    opened.demo = buildDemo(scratch.path);
    driver = await Driver.start();
    opened.session = await driver.open(opened.demo);
  });

  afterAll(async () => {
    await opened.session?.quit().catch(() => undefined);
    driver?.stop();
    scratch.remove();
  });

  return opened;
}

describe("the review window on the demo repository", () => {
  const app = useDemoWindow();

  test("opens the agent session in the working tree and shows each file's diff as git prints it", async () => {
    await app.session.waitFor('[data-testid="target-item"][data-spec="worktree"][aria-selected="true"]');
    const paths = modifiedPaths(app.demo, ["HEAD"]);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      const expected = hunkLines(git(app.demo, ["diff", "--no-color", "--no-ext-diff", "HEAD", "--", path]));
      expect(expected.length).toBeGreaterThan(0);
      expect(await showFile(app.session, path)).toEqual(expected);
    }
    await saveScreenshot(app.session, "e2e-worktree");
  });

  test("shows the HEAD commit and an agent branch as git prints them", async () => {
    for (const [spec, range] of [
      ["HEAD", ["HEAD~1", "HEAD"]],
      ["branch:agent/bulk-discounts", ["main...agent/bulk-discounts"]],
    ] as const) {
      await openTarget(app.session, spec);
      const paths = modifiedPaths(app.demo, [...range]);
      expect(paths.length, `${spec} modifies files`).toBeGreaterThan(0);
      for (const path of paths) {
        const expected = hunkLines(git(app.demo, ["diff", "--no-color", "--no-ext-diff", ...range, "--", path]));
        expect(await showFile(app.session, path)).toEqual(expected);
      }
    }
    await saveScreenshot(app.session, "e2e-branch");
  });

  test("labels a Rust hunk with its enclosing symbol and highlights its tokens, the header still git's", async () => {
    await openTarget(app.session, "worktree");
    const path = "src/discount.rs";
    const expected = hunkLines(git(app.demo, ["diff", "--no-color", "--no-ext-diff", "HEAD", "--", path]));
    expect(await showFile(app.session, path)).toEqual(expected);
    // structure and colours arrive after the plain diff
    await app.session.waitFor('[data-testid="diff-view"] [data-testid="hunk-symbol"]');
    await app.session.waitFor('[data-testid="diff-view"] [data-testid="line-text"] .tok-keyword');
    const shown = await app.session.execute<{ symbols: string[]; keywords: string[] }>(`
      const view = document.querySelector('[data-testid="diff-view"]');
      return {
        symbols: [...view.querySelectorAll('[data-testid="hunk-symbol"]')].map((e) => e.textContent),
        keywords: [...view.querySelectorAll('[data-testid="line-text"] .tok-keyword')].map((e) => e.textContent),
      };
    `);
    expect(shown.symbols).toContain("impl Discount › fn apply");
    expect(shown.keywords.length).toBeGreaterThan(0);
    // the coloured lines still read exactly as git prints them
    const again = await app.session.execute<{ path: string; rows: string[] } | null>(READ_DIFF);
    expect(again?.rows).toEqual(expected);
    await saveScreenshot(app.session, "e2e-structure");
  });

  test("names the agents that wrote a commit or a branch in the target list, and a commit's on its hunks; human ones have none", async () => {
    // HEAD~1 of the demo, "feat: Add low-stock alerts to inventory", was written with Aider.
    const aider = git(app.demo, ["rev-parse", "--short=7", "HEAD~1"]).trim();
    const [pill] = await app.session.waitFor(`[data-testid="target-item"][data-spec="${aider}"] [data-testid="target-agent"]`);
    expect(pill).toBeDefined();
    const listed = await app.session.execute<{ agent: string | null; human: number }>(`
      return {
        agent: document.querySelector('[data-testid="target-item"][data-spec="${aider}"] [data-testid="target-agent"]')?.textContent ?? null,
        human: document.querySelectorAll('[data-testid="target-item"][data-spec="HEAD"] [data-testid="target-agent"]').length,
      };
    `);
    expect(listed.agent).toContain("Aider");
    expect(listed.human).toBe(0);
    // The demo's agent branch: one commit by Cursor (the newest), one by OpenAI Codex.
    const branch = '[data-testid="target-item"][data-spec="branch:agent/bulk-discounts"] [data-testid="target-agent"]';
    await app.session.waitFor(branch);
    const branchPill = await app.session.execute<{ text: string | null; title: string | null }>(`
      const pill = document.querySelector('${branch}');
      return { text: pill?.textContent ?? null, title: pill?.getAttribute("title") ?? null };
    `);
    expect(branchPill).toEqual({ text: "Cursor +1", title: "2 of 2 commits written by AI agents (Cursor, OpenAI Codex)" });
    const humanBranch = await app.session.execute<number>(
      `return document.querySelectorAll('[data-testid="target-item"][data-spec="branch:maya/report-csv"] [data-testid="target-agent"]').length;`,
    );
    expect(humanBranch).toBe(0);

    await openTarget(app.session, aider);
    await app.session.waitFor('[data-testid="diff-view"] [data-testid="hunk-agent"]');
    await app.session.waitFor('[data-testid="file-item"] [data-testid="file-agent"]');
    const agents = await app.session.execute<string[]>(
      `return [...document.querySelectorAll('[data-testid="diff-view"] [data-testid="hunk-agent"]')].map((e) => e.textContent);`,
    );
    expect(agents.length).toBeGreaterThan(0);
    for (const agent of agents) expect(agent).toContain("Aider");
    await saveScreenshot(app.session, "e2e-authorship");

    // The human commit after it: no pill arrives on its hunks, once its authorship answered.
    await openTarget(app.session, "HEAD");
    await app.session.waitFor('main[data-authorship="HEAD"]');
    const human = await app.session.execute<number>(
      `return document.querySelectorAll('[data-testid="hunk-agent"], [data-testid="file-agent"]').length;`,
    );
    expect(human).toBe(0);
  });

  test("lists the same files as git for the selected target", async () => {
    await openTarget(app.session, "HEAD");
    const shown = await app.session.execute<string[]>(
      `return [...document.querySelectorAll('[data-testid="file-item"]')].map((e) => e.getAttribute("data-path"));`,
    );
    const expected = git(app.demo, ["diff", "-M", "--name-only", "HEAD~1", "HEAD"]).trim().split("\n");
    expect([...shown].sort()).toEqual([...expected].sort());
  });
});

describe("the review window while an agent writes", () => {
  const app = useDemoWindow();

  test("shows a line written into a tracked file as git diff does, without being asked", async () => {
    await app.session.waitFor('[data-testid="target-item"][data-spec="worktree"][aria-selected="true"]');
    await app.session.waitFor('[data-testid="live-indicator"]');
    const [file] = modifiedPaths(app.demo, ["HEAD"]);
    if (file === undefined) throw new Error("the demo's working tree modifies no tracked file");
    // Look at the file first; from here on nothing is clicked.
    await showFile(app.session, file);

    const content = readFileSync(join(app.demo, file), "utf8");
    const line = `// written by the e2e test at ${new Date().toISOString()}`;
    appendFileSync(join(app.demo, file), `${content.endsWith("\n") ? "" : "\n"}${line}\n`);
    const expected = hunkLines(git(app.demo, ["diff", "--no-color", "--no-ext-diff", "HEAD", "--", file]));
    expect(expected).toContain(`+${line}`);

    const deadline = Date.now() + 20_000;
    let shown: { path: string; rows: string[] } | null = null;
    while (Date.now() < deadline) {
      shown = await app.session.execute<{ path: string; rows: string[] } | null>(READ_DIFF);
      if (shown !== null && shown.rows.includes(`+${line}`)) break;
      await new Promise((done) => setTimeout(done, 200));
    }
    expect(shown?.path).toBe(file);
    expect(shown?.rows).toEqual(expected);
    const status = await app.session.execute<string | null>(
      `return document.querySelector('[data-testid="live-status"]')?.textContent ?? null;`,
    );
    expect(status).toMatch(/^Updated just now · \d+ files? changed$/);
    await saveScreenshot(app.session, "e2e-live");
  });
});

describe("the review window on a clean tree when an agent starts writing", () => {
  const used = useDriver();

  test("switches from HEAD to the working tree and shows the new file as git does", async () => {
    const repo = join(used.scratch, "clean");
    execFileSync("git", ["init", "-q", "-b", "main", repo], { env: isolatedEnv() });
    writeFileSync(join(repo, "README.md"), "# Clean\n");
    git(repo, ["add", "-A"]);
    git(repo, ["-c", "user.name=Dana", "-c", "user.email=dana@example.com", "commit", "-qm", "Initial commit"]);
    const session = await used.driver.open(repo);
    try {
      await session.waitFor('[data-testid="target-item"][data-spec="HEAD"][aria-selected="true"]');
      await session.waitFor('[data-testid="live-indicator"]');

      writeFileSync(join(repo, "quota.py"), "def quota(tenant):\n    return 10\n");
      await session.waitFor('[data-testid="target-item"][data-spec="worktree"][aria-selected="true"]', 20_000);
      await session.waitFor('[data-testid="diff-view"][data-path="quota.py"]', 20_000);
      const shown = await session.execute<{ path: string; rows: string[] } | null>(READ_DIFF);
      // git diff --no-index exits with 1 when the files differ
      const noIndex = spawnSync("git", ["diff", "--no-color", "--no-index", "/dev/null", "quota.py"], {
        cwd: repo,
        encoding: "utf8",
        env: isolatedEnv(),
      });
      const expected = hunkLines(noIndex.stdout);
      expect(expected).toContain("+def quota(tenant):");
      expect(shown?.rows).toEqual(expected);
    } finally {
      await session.quit().catch(() => undefined);
    }
  });
});

describe("Redline's own demo repository", () => {
  const used = useDriver();

  test("at the window's default size the header shows every control, and the repository's name and branch whole", async () => {
    const config = JSON.parse(readFileSync("tauri.conf.json", "utf8")) as { app: { windows: { width: number }[] } };
    // opened as a reviewer opens it: from the panel of a folder that is not a repository
    const session = await used.driver.open(used.scratch);
    try {
      await click(session, '[data-testid="error-open-demo"]');
      await session.waitFor('[data-testid="demo-badge"]', 60_000);
      // the header is full once the review's standing and the watcher are in it
      await session.waitFor('[data-testid="review-stats"]');
      await session.waitFor('[data-testid="coverage"]');
      await session.waitFor('[data-testid="live-indicator"]');
      const header = await session.execute<{ buttons: number; width: number; nameCut: boolean; branchCut: boolean; lastRight: number }>(`
        // cut when its text, laid out whole, is wider than its box (an ellipsis shows at any overflow)
        const cut = (element) => {
          if (element === null) return true;
          const range = document.createRange();
          range.selectNodeContents(element);
          return range.getBoundingClientRect().width > element.getBoundingClientRect().width + 0.01;
        };
        const buttons = [...document.querySelectorAll("header button")];
        return {
          buttons: buttons.length,
          width: window.innerWidth,
          nameCut: cut(document.querySelector('[data-testid="repo-path"] .repo-name')),
          branchCut: cut(document.querySelector('[data-testid="repo-branch"] .branch-name')),
          lastRight: Math.max(...buttons.map((button) => button.getBoundingClientRect().right)),
        };`);
      await saveScreenshot(session, "e2e-demo-header");
      expect(header.width).toBe(config.app.windows[0]!.width);
      expect(header).toMatchObject({ nameCut: false, branchCut: false });
      expect(header.buttons).toBeGreaterThan(8);
      expect(header.lastRight).toBeLessThanOrEqual(header.width);
    } finally {
      await session.quit().catch(() => undefined);
    }
  });
});

describe("the review window on bad input", () => {
  const used = useDriver();

  async function errorShownFor(repo: string): Promise<{ kind: string | null; message: string | null }> {
    const session = await used.driver.open(repo);
    try {
      await session.waitFor('[data-testid="error"]');
      return await session.execute(`
        const panel = document.querySelector('[data-testid="error"]');
        return { kind: panel.getAttribute("data-kind"),
                 message: panel.querySelector('[data-testid="error-message"]').textContent };`);
    } finally {
      await session.quit().catch(() => undefined);
    }
  }

  test("a path that does not exist", async () => {
    expect(await errorShownFor("/not/a/repo")).toEqual({
      kind: "pathNotFound",
      message: "no such directory: /not/a/repo",
    });
  });

  test("a directory outside any repository", async () => {
    expect(await errorShownFor(used.scratch)).toEqual({
      kind: "notARepository",
      message: `not a git repository: ${used.scratch}`,
    });
  });

  test("a repository without commits", async () => {
    const empty = `${used.scratch}/empty`;
    execFileSync("git", ["init", "-q", empty], { env: isolatedEnv() });
    expect(await errorShownFor(empty)).toEqual({
      kind: "emptyRepository",
      message: `repository has no commits yet: ${empty}`,
    });
  });
});
