// Starts what the end-to-end tests need: tauri-driver (which starts WebKitWebDriver) on free
// ports, the real binaries, and git as the reference.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir, userInfo } from "node:os";
import { join, resolve } from "node:path";

import { Session } from "./webdriver";

const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), ".cache/redline/target");
export const desktopBin = process.env.REDLINE_DESKTOP_BIN ?? join(targetDir, "debug/redline-desktop");
export const cliBin = process.env.REDLINE_CLI_BIN ?? join(targetDir, "debug/redline");
export const resultsDir = resolve("test-results");

/**
 * The environment of every git, CLI and app process the end-to-end tests start: no system or
 * global git configuration and an empty HOME of the tests' own, so a user's
 * `init.defaultBranch`, `core.autocrlf`, excludes file or commit signing cannot change what a
 * test sees (the app reads git's configuration through libgit2, which looks in HOME).
 */
export const isolatedGit: Readonly<Record<string, string>> = {
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  HOME: testHome(),
};

function testHome(): string {
  const home = join(tmpdir(), `redline-e2e-home-${userInfo().username}`);
  mkdirSync(home, { recursive: true });
  return home;
}

/** `process.env` with `isolatedGit` applied (and no XDG_CONFIG_HOME), plus `extra`. */
export function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...isolatedGit, ...extra };
  delete env.XDG_CONFIG_HOME;
  return env;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

export class Driver {
  private constructor(
    private readonly process: ChildProcess,
    readonly base: string,
    /** Where the apps this driver starts keep their review database (`REDLINE_DATA_DIR`). */
    readonly dataDir: string,
  ) {}

  /**
   * Starts tauri-driver. The apps it starts keep their review database in a fresh temporary
   * directory (removed by `stop`), never in the user's: `REDLINE_DATA_DIR` is set in
   * tauri-driver's environment, which WebKitWebDriver and the app inherit. Every app started
   * by one driver shares that directory, so a restart finds what the previous run wrote.
   * `env` adds variables the apps inherit the same way (e.g. `REDLINE_LLM_BASE_URL`).
   */
  static async start(env: Record<string, string> = {}): Promise<Driver> {
    const [port, nativePort] = [await freePort(), await freePort()];
    const dataDir = mkdtempSync(join(tmpdir(), "redline-e2e-data-"));
    const child = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
      stdio: ["ignore", "inherit", "inherit"],
      // WebKitWebDriver and the app inherit this: they see no user git configuration either.
      env: isolatedEnv({ ...env, REDLINE_DATA_DIR: dataDir }),
    });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        const response = await fetch(`${base}/status`);
        if (response.ok) break;
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error("tauri-driver did not start within 15 s");
      await new Promise((done) => setTimeout(done, 100));
    }
    return new Driver(child, base, dataDir);
  }

  /** Opens the real app on `repo` and waits until it has finished loading. */
  async open(repo: string): Promise<Session> {
    const session = await Session.start(this.base, desktopBin, [repo]);
    await session.waitFor('[data-testid="app"]:not([data-state="loading"])', 30_000);
    return session;
  }

  /**
   * Stops tauri-driver, once the apps it started have exited. A session's `quit` returns before
   * its app has exited (15–80 ms later); killing tauri-driver in that window can leave the app
   * running with no parent, and vitest then waits 10 s for it at the end. So this waits (up to
   * 5 s) until no process under tauri-driver is the app, then ends any that remain. It waits
   * synchronously so the tests' `afterAll` hooks can keep calling `driver.stop()` as they are.
   */
  stop(): void {
    const driverPid = this.process.pid;
    if (driverPid !== undefined && this.process.exitCode === null) {
      const apps = () => descendants(driverPid).filter(isDesktopApp);
      const deadline = Date.now() + 5_000;
      while (apps().length > 0 && Date.now() < deadline) sleepSync(10);
      for (const pid of apps()) {
        try {
          process.kill(pid);
        } catch {
          // already gone
        }
      }
    }
    this.process.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The processes under `root` (children, their children, …), from /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  for (let queue = [root]; queue.length > 0; ) {
    const next = children.get(queue.pop()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

/** Whether `pid` runs the desktop binary (an exited process that is not yet reaped does not). */
function isDesktopApp(pid: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, "") === realpathSync(desktopBin);
  } catch {
    return false;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function git(repo: string, args: string[]): string {
  return execFileSync("git", ["-c", "core.quotepath=off", ...args], {
    cwd: repo,
    encoding: "utf8",
    env: isolatedEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The lines of `git diff` output from the first hunk header on. */
export function hunkLines(gitDiff: string): string[] {
  const lines = gitDiff.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const first = lines.findIndex((line) => line.startsWith("@@"));
  return first < 0 ? [] : lines.slice(first);
}

export function scratchDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), "redline-e2e-"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function buildDemo(parent: string): string {
  const path = join(parent, "demo");
  execFileSync(cliBin, ["demo", path], { stdio: "pipe", env: isolatedEnv() });
  return path;
}

export async function saveScreenshot(session: Session, name: string): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.png`), await session.screenshot());
}

/** Polls `script` (a function body) in the page until it returns a truthy value. */
export async function until<T>(session: Session, script: string, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await session.execute<T>(script);
    if (value) return value;
    if (Date.now() > deadline) {
      const text = await session.execute<string>("return document.body ? document.body.innerText.slice(0, 800) : ''");
      throw new Error(`timed out waiting for ${what}; the page shows: ${text}`);
    }
    await new Promise((done) => setTimeout(done, 120));
  }
}

/** Clicks the first element matching `css`, scrolled into view as a reviewer would (lists scroll inside their panels). */
export async function click(session: Session, css: string): Promise<void> {
  const [element] = await session.waitFor(css);
  await session.execute(`document.querySelector(arguments[0])?.scrollIntoView({ block: "nearest" });`, [css]);
  await session.click(element!);
}

/** Opens `path` in the file list and waits for its hunks. */
export async function showFile(session: Session, path: string): Promise<void> {
  await click(session, `[data-testid="file-item"][data-path="${path}"]`);
  await session.waitFor(`[data-testid="diff-view"][data-path="${path}"] [data-testid="hunk"]`);
}
