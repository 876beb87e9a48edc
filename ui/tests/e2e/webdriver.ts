// A minimal W3C WebDriver client: just what the end-to-end tests use, over fetch.
// tauri-driver forwards these calls to WebKitWebDriver, which drives the real app window.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ElementRef {
  readonly id: string;
}

export class WebDriverError extends Error {}

async function call(base: string, method: string, path: string, body?: Json, timeoutMs?: number): Promise<Json> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs),
  }).catch((error: unknown) => {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      throw new WebDriverError(`${method} ${path}: no answer within ${timeoutMs} ms`);
    }
    throw error;
  });
  const payload = (await response.json()) as { value: Json };
  if (!response.ok) {
    const value = payload.value as { error?: string; message?: string } | null;
    throw new WebDriverError(`${method} ${path}: ${value?.error ?? response.status} ${value?.message ?? ""}`);
  }
  return payload.value;
}

function elementOf(value: Json): ElementRef {
  // The W3C element key is a fixed UUID-like string; take the only value instead of spelling it.
  const id = Object.values(value as Record<string, string>)[0];
  if (typeof id !== "string") throw new WebDriverError(`not an element: ${JSON.stringify(value)}`);
  return { id };
}

export class Session {
  private constructor(
    private readonly base: string,
    readonly id: string,
  ) {}

  /**
   * Starts the app at `application` with `args` through tauri-driver at `base`. WebKitWebDriver
   * waits on an app that died before its window for as long as the test would, so a start that
   * takes over 30 s fails here, pointing at the app's own output, instead of at the test's timeout.
   * An app that does start later is ended with tauri-driver (`Driver.stop`).
   */
  static async start(base: string, application: string, args: string[]): Promise<Session> {
    const value = (await call(
      base,
      "POST",
      "/session",
      { capabilities: { alwaysMatch: { browserName: "wry", "tauri:options": { application, args } } } },
      30_000,
    ).catch((error: unknown) => {
      throw new WebDriverError(`the app did not start (its output is above): ${String(error)}`);
    })) as { sessionId: string };
    return new Session(base, value.sessionId);
  }

  private call(method: string, path: string, body?: Json): Promise<Json> {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async findAll(css: string): Promise<ElementRef[]> {
    const value = await this.call("POST", "/elements", { using: "css selector", value: css });
    return (value as Json[]).map(elementOf);
  }

  async click(element: ElementRef): Promise<void> {
    await this.call("POST", `/element/${element.id}/click`, {});
  }

  /** Types `text` into `element` (a text field). */
  async keysTo(element: ElementRef, text: string): Promise<void> {
    await this.call("POST", `/element/${element.id}/value`, { text });
  }

  async keys(text: string): Promise<void> {
    const active = elementOf(await this.call("GET", "/element/active"));
    await this.call("POST", `/element/${active.id}/value`, { text });
  }

  /** Runs `body` (a function body using `arguments`) in the page and returns its result. */
  async execute<T>(body: string, args: Json[] = []): Promise<T> {
    return (await this.call("POST", "/execute/sync", { script: body, args })) as T;
  }

  /** Polls until `css` matches at least one element. */
  async waitFor(css: string, timeoutMs = 20_000): Promise<ElementRef[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await this.findAll(css);
      if (found.length > 0) return found;
      if (Date.now() > deadline) {
        const state = await this.execute<string>(
          "return document.body ? document.body.innerText.slice(0, 500) : '(no body)'",
        );
        throw new WebDriverError(`timed out waiting for ${css}; the page shows: ${state}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A PNG of the window. */
  async screenshot(): Promise<Buffer> {
    return Buffer.from((await this.call("GET", "/screenshot")) as string, "base64");
  }

  async quit(): Promise<void> {
    await this.call("DELETE", "");
  }
}
