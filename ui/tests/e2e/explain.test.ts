// Explain and Findings in the real window, against a model server of the test's own: a tiny
// OpenAI-compatible `POST /v1/chat/completions` on 127.0.0.1 that streams what each test tells it
// to and records what it was sent. The app finds it through REDLINE_LLM_BASE_URL and
// REDLINE_LLM_MODEL, set in tauri-driver's environment, which WebKitWebDriver and the app inherit.
//
// What is checked: a hostile answer (a script, an image with onerror, a javascript: link)
// streamed piece by piece is inert in the real WebKit window while its Markdown is rendered;
// the secret in the code never reaches the server (seen from outside the app); Stop closes the
// connection to the server; the hard-coded secret's finding marks its line in the gutter and
// opens the rule's teaching text.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { Driver, click, desktopBin, git, resultsDir, saveScreenshot, scratchDir, showFile, until } from "./harness";
import type { Session } from "./webdriver";

const SECRET = "AKIAQWERTYUIOPASDF12";
const FILE = "app/settings.py";
const MODEL = "e2e-model";
const docsDir = resolve("docs");

/** One request the server received, and when its response was closed before it ended. */
interface Received {
  path: string;
  body: string;
  /** Resolves when the client closed the connection before the response ended. */
  aborted: Promise<void>;
}

/** What the server does with the next chat completion. */
type Plan =
  | { kind: "stream"; before: string[]; release: Promise<void>; after: string[] }
  | { kind: "stall"; first: string };

/** A model server of the test's own. `plan` says what the next chat completion gets. */
class ModelServer {
  readonly received: Received[] = [];
  private readonly plans: Plan[] = [];
  private readonly open = new Set<ServerResponse>();
  private waiters: (() => void)[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ModelServer> {
    const server = createServer();
    const model = new ModelServer(server);
    server.on("request", (request, response) => void model.handle(request, response));
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    return model;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  plan(plan: Plan): void {
    this.plans.push(plan);
  }

  /** Waits until `count` requests have arrived, at most `timeoutMs`. */
  async requests(count: number, timeoutMs = 15_000): Promise<Received[]> {
    await within(
      new Promise<void>((done) => {
        const check = () => (this.received.length >= count ? done() : this.waiters.push(check));
        check();
      }),
      timeoutMs,
      `${count} request(s) at the model server`,
    );
    return this.received;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let abort = () => {};
    const received: Received = {
      path: request.url ?? "",
      body: Buffer.concat(chunks).toString("utf8"),
      aborted: new Promise<void>((done) => (abort = done)),
    };
    // The response closed before we ended it: the client went away.
    response.once("close", () => {
      this.open.delete(response);
      if (!response.writableEnded) abort();
    });
    this.received.push(received);
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();

    const plan = request.method === "POST" && request.url === "/v1/chat/completions" ? this.plans.shift() : undefined;
    if (plan === undefined) {
      response.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not here"}}');
      return;
    }
    this.open.add(response);
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const piece = (text: string) => response.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text } }] })}\n\n`);
    if (plan.kind === "stall") {
      piece(plan.first);
      return; // never more, never ended: only the client can close it
    }
    for (const text of plan.before) piece(text);
    await plan.release;
    for (const text of plan.after) piece(text);
    response.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } })}\n\n`);
    response.end("data: [DONE]\n\n");
  }

  async stop(): Promise<void> {
    for (const response of this.open) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

/** `promise`, or a failure naming `what` after `timeoutMs`. */
async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A gate the test opens: `promise` resolves once `open` is called. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((done) => (open = done));
  return { promise, open };
}

/** A repository whose HEAD adds a planted AWS key and some code to a Python file. */
function secretRepo(parent: string): string {
  const repo = join(parent, "secret");
  mkdirSync(join(repo, "app"), { recursive: true });
  git(repo, ["init", "-q", "-b", "main"]);
  git(repo, ["config", "user.name", "E2E Author"]);
  git(repo, ["config", "user.email", "author@example.com"]);
  git(repo, ["config", "commit.gpgsign", "false"]);
  writeFileSync(join(repo, FILE), 'import os\n\n\ndef region():\n    return os.environ.get("AWS_REGION", "eu-west-1")\n');
  git(repo, ["add", "."]);
  git(repo, ["commit", "-q", "-m", "Read the region"]);
  writeFileSync(
    join(repo, FILE),
    `import os\n\nAWS_KEY = "${SECRET}"\n\n\ndef region():\n    return os.environ.get("AWS_REGION", "eu-west-1")\n\n\ndef client():\n    return {"key": AWS_KEY, "region": region()}\n`,
  );
  git(repo, ["commit", "-q", "-a", "-m", "Add the AWS client"]);
  return repo;
}

/** The hostile answer, cut mid-tag and mid-link so no piece is whole on its own. */
const HOSTILE_BEFORE = [
  "This hunk adds an **AWS client** for the ",
  "region.\n\n<scr",
  "ipt>window.__pwned = 1</script>\n\n",
];
const HOSTILE_AFTER = [
  '<img src=x onerror="window.__pwned=2">\n\n',
  "- reads `AWS_REGION`\n- builds the client\n\n",
  "Then [click me](javascript:window.__p",
  "wned=3) to run it, or read [the docs](https://example.com/docs).\n",
];

const panel = '[data-testid="explain-panel"]';
const answer = `${panel} [data-testid="explain-answer"]`;

/** What the answer box holds that could run or navigate, and what it renders. */
const READ_ANSWER = `
  const box = document.querySelector(arguments[0]);
  return {
    text: box.textContent,
    strong: [...box.querySelectorAll("strong")].map((e) => e.textContent),
    items: [...box.querySelectorAll("li")].map((e) => e.textContent),
    scripts: box.querySelectorAll("script").length,
    images: box.querySelectorAll("img").length,
    handlers: [...box.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith("on"))).length,
    scriptLinks: box.querySelectorAll('a[href^="javascript:" i]').length,
    links: [...box.querySelectorAll("a")].map((a) => [a.textContent, a.getAttribute("href")]),
    pwned: typeof window.__pwned,
  };
`;

interface ShownAnswer {
  text: string;
  strong: string[];
  items: string[];
  scripts: number;
  images: number;
  handlers: number;
  scriptLinks: number;
  links: [string, string][];
  pwned: string;
}

/** The viewport centre of the first occurrence of `text` inside `css`, from a Range of the text itself. */
const TEXT_CENTRE = `
  const box = document.querySelector(arguments[0]);
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(arguments[1]);
    if (at < 0) continue;
    node.parentElement.scrollIntoView({ block: "nearest" });
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + arguments[1].length);
    const rect = range.getBoundingClientRect();
    return { x: Math.round(rect.left + rect.width / 2), y: Math.round(rect.top + rect.height / 2), on: document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2)?.tagName ?? null };
  }
  return null;
`;

/** A real pointer click at viewport coordinates (W3C actions), as a reviewer's mouse would. */
async function clickAt(driver: Driver, session: Session, x: number, y: number): Promise<void> {
  const response = await fetch(`${driver.base}/session/${session.id}/actions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      actions: [
        {
          type: "pointer",
          id: "mouse",
          parameters: { pointerType: "mouse" },
          actions: [
            { type: "pointerMove", duration: 0, origin: "viewport", x, y },
            { type: "pointerDown", button: 0 },
            { type: "pointerUp", button: 0 },
          ],
        },
      ],
    }),
  });
  expect(response.ok, `pointer actions: ${await response.text()}`).toBe(true);
}

/** Opens the Explain panel (unless a previous test left it open) and waits for the model. */
async function openExplainPanel(session: Session): Promise<void> {
  if ((await session.findAll('[data-testid="toggle-explain"][aria-pressed="true"]')).length === 0) await click(session, '[data-testid="toggle-explain"]');
  await session.waitFor(`${panel} [data-testid="explain-model"][data-model="model"]`);
}

/** Whether a redline-desktop process opened on `repo` is running (from /proc: the e2e tests run on Linux). */
function appRunning(repo: string): boolean {
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let argv: string[];
    let state: string;
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "";
    } catch {
      continue; // gone meanwhile
    }
    if (argv[0] === desktopBin && argv.includes(repo) && state !== "Z") return true;
  }
  return false;
}

/** Waits until no app opened on `repo` runs, at most `timeoutMs`. */
async function appExited(repo: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (appRunning(repo)) {
    if (Date.now() > deadline) throw new Error(`the app on ${repo} still runs ${timeoutMs} ms after its session ended`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Saves a screenshot under test-results; with `REDLINE_UPDATE_SCREENSHOTS=1` also as the
 * README's `docs/<docsName>` (a test run must not change tracked files unasked). */
async function screenshotTo(session: Session, name: string, docsName: string): Promise<void> {
  await saveScreenshot(session, name);
  if (process.env.REDLINE_UPDATE_SCREENSHOTS !== "1") return;
  mkdirSync(docsDir, { recursive: true });
  copyFileSync(join(resultsDir, `${name}.png`), join(docsDir, docsName));
}

describe("explain and findings in the real window", () => {
  const scratch = scratchDir();
  let server: ModelServer;
  let driver: Driver;
  let session: Session;
  let repo: string;

  beforeAll(async () => {
    repo = secretRepo(scratch.path);
    server = await ModelServer.start();
    driver = await Driver.start({ REDLINE_LLM_BASE_URL: server.baseUrl, REDLINE_LLM_MODEL: MODEL });
    session = await driver.open(repo);
    expect(appRunning(repo), "the app is found by its command line (afterAll waits for it to exit)").toBe(true);
    await session.waitFor('[data-testid="target-item"][data-spec="HEAD"][aria-selected="true"]');
    await showFile(session, FILE);
  });

  afterAll(async () => {
    await session?.quit().catch(() => undefined);
    // The app exits a moment after the session ends; stopping tauri-driver before then can
    // orphan it (WebKitWebDriver gone mid-close), and an orphan holds the test run open.
    if (repo !== undefined) await appExited(repo, 10_000);
    driver?.stop();
    await server?.stop();
    scratch.remove();
  });

  test("a hostile answer streamed by the model is rendered as Markdown and stays inert; the planted key never reaches the server", async () => {
    const release = gate();
    server.plan({ kind: "stream", before: HOSTILE_BEFORE, release: release.promise, after: HOSTILE_AFTER });
    const start = await session.execute<string>("return window.location.href;");

    await openExplainPanel(session);
    expect(await session.execute<string>(`return document.querySelector(arguments[0]).textContent.trim();`, [`${panel} [data-testid="explain-model"]`])).toBe(
      `Model: ${MODEL} at ${server.baseUrl} (from REDLINE_LLM_*)`,
    );
    const before = server.received.length;
    await click(session, `${panel} [data-testid="explain-hunk"]`);

    // Streaming: the first pieces (a script cut in two) are shown, still inert, Stop offered.
    await until(session, `return (document.querySelector(${JSON.stringify(answer)})?.textContent ?? "").includes("window.__pwned = 1");`, "the first pieces of the answer");
    await session.waitFor(`${panel} [data-testid="explain-result"][data-phase="streaming"] [data-testid="explain-stop"]`);
    const midway = await session.execute<ShownAnswer>(READ_ANSWER, [answer]);
    expect(midway.strong).toEqual(["AWS client"]);
    expect(midway.scripts).toBe(0);
    expect(midway.pwned).toBe("undefined");

    release.open();
    await session.waitFor(`${panel} [data-testid="explain-result"][data-phase="done"]`);
    await until(session, `return (document.querySelector(${JSON.stringify(answer)})?.textContent ?? "").includes("the docs");`, "the whole answer rendered");
    const shown = await session.execute<ShownAnswer>(READ_ANSWER, [answer]);
    // The Markdown is rendered; the raw HTML is text; the javascript: link is its text alone.
    expect(shown.strong).toEqual(["AWS client"]);
    expect(shown.items).toEqual(["reads AWS_REGION", "builds the client"]);
    expect(shown.text).toContain("<script>window.__pwned = 1</script>");
    expect(shown.text).toContain('<img src=x onerror="window.__pwned=2">');
    expect(shown.text).toContain("Then click me to run it");
    expect(shown.text).not.toContain("javascript:");
    expect({ scripts: shown.scripts, images: shown.images, handlers: shown.handlers, scriptLinks: shown.scriptLinks, links: shown.links }).toEqual({
      scripts: 0,
      images: 0,
      handlers: 0,
      scriptLinks: 0,
      links: [["the docs", "https://example.com/docs"]],
    });
    expect(shown.pwned).toBe("undefined");
    expect(await session.execute<string>(`return document.querySelector(arguments[0]).textContent;`, [`${panel} [data-testid="explain-status"]`])).toBe(
      `Answered by openai/${MODEL}`,
    );
    const figures = await session.execute<string[]>(`return [...document.querySelectorAll(arguments[0])].map((li) => li.textContent);`, [`${panel} [data-testid="explain-usage"] li`]);
    expect(figures.slice(0, 2)).toEqual(["5 tokens in", "3 tokens out"]);
    expect(await session.execute<string>(`return document.querySelector(arguments[0])?.textContent ?? "";`, [`${panel} [data-testid="explain-result-redactions"]`])).toBe(
      "1 secret replaced: AWS access key id in code",
    );
    await screenshotTo(session, "e2e-explain-answer", "explain.png");

    // Clicking the text the javascript: link became, then the kept link: nothing runs, the window stays on the app.
    const at = await session.execute<{ x: number; y: number; on: string | null } | null>(TEXT_CENTRE, [answer, "click me"]);
    expect(at, "the link's text is in the answer").not.toBeNull();
    expect(at!.on).toBe("P");
    await clickAt(driver, session, at!.x, at!.y);
    await click(session, `${answer} a[href="https://example.com/docs"]`);
    await session.waitFor(`${answer} a[title="https://example.com/docs (not opened from Redline)"]`);
    expect(await session.execute<string>("return window.location.href;")).toBe(start);
    expect(await session.execute<string>("return typeof window.__pwned;")).toBe("undefined");
    await session.waitFor(`${panel} [data-testid="explain-result"][data-phase="done"]`);

    // What left the machine: the hunk, with the key replaced (the server is outside the app).
    const [sent] = (await server.requests(before + 1)).slice(before).filter((r) => r.path === "/v1/chat/completions");
    expect(sent, "one chat completion asked").toBeDefined();
    const body = JSON.parse(sent!.body) as { model: string; stream: boolean; messages: { role: string; content: string }[] };
    expect(body.model).toBe(MODEL);
    expect(body.stream).toBe(true);
    expect(sent!.body).not.toContain(SECRET);
    expect(sent!.body).not.toContain("QWERTYUIOPASDF");
    const prompt = body.messages.map((m) => m.content).join("\n");
    expect(prompt).toContain("AWS_KEY = \"[REDACTED: AWS access key id]\"");
    expect(prompt).toContain('return {"key": AWS_KEY, "region": region()}');
    expect(server.received.map((r) => r.body).join("\n")).not.toContain(SECRET);
  });

  test("Stop ends a stalled answer: the panel says Stopped and the server sees the connection closed", async () => {
    server.plan({ kind: "stall", first: "Partial answer **so far**" });
    const before = server.received.length;
    await openExplainPanel(session);
    // The file, not the hunk again: another prompt, so not the cached answer.
    await click(session, `${panel} [data-testid="explain-file"]`);
    const [request] = (await server.requests(before + 1)).slice(before);
    expect(request!.path).toBe("/v1/chat/completions");
    expect(request!.body).not.toContain(SECRET);
    await until(session, `return (document.querySelector(${JSON.stringify(answer)})?.textContent ?? "").includes("Partial answer so far");`, "the first piece");
    await session.waitFor(`${panel} [data-testid="explain-result"][data-phase="streaming"]`);
    expect(await session.execute<string>(`return document.querySelector(arguments[0]).textContent;`, [`${panel} [data-testid="explain-request"]`])).toBe(
      `The changes to ${FILE}`,
    );

    await click(session, `${panel} [data-testid="explain-stop"]`);
    await session.waitFor(`${panel} [data-testid="explain-result"][data-phase="stopped"]`, 10_000);
    expect(await session.execute<string>(`return document.querySelector(arguments[0]).textContent;`, [`${panel} [data-testid="explain-status"]`])).toBe("Stopped");
    await within(request!.aborted, 10_000, "the app to close the stalled connection");
    // Stopped, not failed: no Stop left, nothing to pin, no error shown.
    expect(await session.findAll(`${panel} [data-testid="explain-stop"]`)).toHaveLength(0);
    expect(await session.findAll(`${panel} [data-testid="explain-pin"]`)).toHaveLength(0);
    expect(server.received.length, "Stop asks nothing more").toBe(before + 1);
  });

  test("the hard-coded key's finding marks its line in the gutter and opens the rule's teaching text", async () => {
    if ((await session.findAll('[data-testid="toggle-findings"][aria-pressed="true"]')).length === 0) await click(session, '[data-testid="toggle-findings"]');
    const item = `[data-testid="findings-panel"] [data-testid="findings-item"][data-rule="hardcoded-secret"]`;
    await session.waitFor(item);
    const listed = await session.execute<{ severity: string; path: string; side: string; line: string }[]>(
      `return [...document.querySelectorAll(arguments[0])].map((e) => ({ severity: e.dataset.severity, path: e.dataset.path, side: e.dataset.side, line: e.dataset.line }));`,
      [item],
    );
    expect(listed).toEqual([{ severity: "critical", path: FILE, side: "new", line: "3" }]);

    // The marker: on new line 3, the line that holds the key, critical.
    const marker = `[data-testid="diff-view"][data-path="${FILE}"] [data-testid="diff-line"] [data-testid="finding-marker"][data-finding-key="new:3"]`;
    await session.waitFor(marker);
    const onLine = await session.execute<{ severity: string; rules: string; kind: string; line: string; text: string; label: string }>(
      `const marker = document.querySelector(arguments[0]);
       const row = marker.closest("tr");
       return {
         severity: marker.dataset.severity,
         rules: marker.dataset.rules,
         label: marker.getAttribute("aria-label"),
         kind: row.dataset.kind,
         line: row.querySelectorAll("td.num")[1].getAttribute("data-line"),
         text: row.querySelector('[data-testid="line-text"]').textContent,
       };`,
      [marker],
    );
    expect(onLine).toEqual({
      severity: "critical",
      rules: "hardcoded-secret",
      label: "Critical: hardcoded-secret",
      kind: "added",
      line: "3",
      text: `AWS_KEY = "${SECRET}"`,
    });
    expect(git(repo, ["show", `HEAD:${FILE}`]).split("\n")[2]).toBe(onLine.text);

    // Clicking it opens the explanation under that line: the rule's teaching text and fix.
    await click(session, marker);
    const explanation = `[data-testid="finding-explanation"][data-finding-key="new:3"]`;
    await session.waitFor(explanation);
    const rules = readFileSync(resolve("src/findings/rules.toml"), "utf8");
    const rule = rules.slice(rules.indexOf('id = "hardcoded-secret"'));
    const teaching = /teaching = """([\s\S]*?)"""/.exec(rule)![1]!.replace(/\\\n\s*/g, "");
    const fix = /fix = "([^"]*)"/.exec(rule)![1]!;
    const opened = await session.execute<{ under: string | null; severity: string; title: string; teaching: string; fix: string; expanded: string | null }>(
      `const row = document.querySelector(arguments[0]);
       const text = (id) => row.querySelector('[data-testid="' + id + '"]').textContent;
       return {
         under: row.previousElementSibling.querySelectorAll("td.num")[1].getAttribute("data-line"),
         severity: text("finding-severity"),
         title: text("finding-title"),
         teaching: text("finding-teaching"),
         fix: text("finding-fix"),
         expanded: document.querySelector(arguments[1]).getAttribute("aria-expanded"),
       };`,
      [explanation, marker],
    );
    expect(opened).toEqual({
      under: "3",
      severity: "Critical",
      title: "hard-coded secret",
      teaching: `Why it matters${teaching}`,
      fix: `How to fix${fix}`,
      expanded: "true",
    });

    // The picture: the Findings panel alone beside the diff, the explanation open.
    if ((await session.findAll('[data-testid="toggle-explain"][aria-pressed="true"]')).length > 0) await click(session, '[data-testid="toggle-explain"]');
    await until(session, `return document.querySelector('${panel}') === null;`, "the Explain panel closed");
    await session.waitFor('[data-testid="findings-panel"]');
    await screenshotTo(session, "e2e-findings-panel", "findings.png");
  });
});
