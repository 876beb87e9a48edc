/**
 * What an error screen offers when the repository itself cannot be shown — not there, not a
 * repository, empty, bare, corrupt, or the demo could not be built: open another folder or the
 * demo, and, for a repository that can become valid by itself (a folder that is created, `git
 * init`, a first commit), look again now and then until it opens.
 */

/** Errors about the repository as a whole: another one can be opened instead. */
const REPOSITORY_KINDS: ReadonlySet<string> = new Set([
  'pathNotFound',
  'notARepository',
  'bareRepository',
  'emptyRepository',
  'corruptRepository',
  'demo',
]);

/** Errors that go away as the user works in a terminal: the folder appears, `git init`, a first commit. */
const RECOVERING_KINDS: ReadonlySet<string> = new Set(['pathNotFound', 'notARepository', 'emptyRepository']);

/** An error of this kind offers "Open folder…" and "Open demo". */
export function offersOtherRepository(kind: string): boolean {
  return REPOSITORY_KINDS.has(kind);
}

/** An error of this kind is checked again by itself until the repository opens. */
export function recoversBySelf(kind: string): boolean {
  return RECOVERING_KINDS.has(kind);
}

/** The first wait before looking again, and the longest. */
export const RECHECK_FIRST_MS = 1000;
export const RECHECK_MAX_MS = 15000;

/** How long to wait before look number `attempt` (0-based): doubling from 1 s, at most 15 s. */
export function recheckDelay(attempt: number): number {
  return Math.min(RECHECK_MAX_MS, RECHECK_FIRST_MS * 2 ** Math.max(0, Math.min(attempt, 16)));
}

/**
 * Calls `check` after each delay of `recheckDelay` until it says yes, then `onvalid` once; stops
 * for good when `signal` aborts. A check that throws counts as a no.
 */
export function recheckUntilValid(check: () => Promise<boolean>, onvalid: () => void, signal: AbortSignal): void {
  let attempt = 0;
  const next = () => {
    if (signal.aborted) return;
    const timer = setTimeout(() => {
      void check()
        .catch(() => false)
        .then((valid) => {
          if (signal.aborted) return;
          if (valid) onvalid();
          else next();
        });
    }, recheckDelay(attempt));
    attempt += 1;
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  };
  next();
}
