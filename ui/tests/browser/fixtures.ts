/**
 * What the mocked shell answers in the browser tests: a small but realistic repository under
 * review. Typed with the generated bindings, so a renamed field fails `npm run check`.
 */
import type {
  AppContext,
  DiffLine,
  ErrorReport,
  FileDiff,
  Hunk,
  RepoSummary,
  Review,
  Target,
  TargetInfo,
  TargetList,
} from '../../src/lib/bindings';

/** How the mock answers one call: a value, a command error, a raw rejection, or a thrown Error. */
export type Reply<T> = { ok: T } | { err: ErrorReport } | { reject: unknown } | { throw: string };

export type MockCommand = 'app_context' | 'list_targets' | 'open_review';

/** One reply for every call, or one per call in turn (the last one repeats). */
export type Replies<T> = Reply<T> | Reply<T>[];

export interface Scenario {
  appContext: Replies<AppContext>;
  listTargets: Replies<TargetList>;
  /** Keyed by the target's spec (`worktree`, `HEAD`, `branch:x`, …). */
  openReview: Record<string, Replies<Review>>;
  /** Milliseconds each command takes to answer. */
  delays?: Partial<Record<MockCommand, number>>;
}

export const REPO_PATH = '/home/dana/src/acme-api';

const NOW = Math.floor(Date.now() / 1000);

export const repo: RepoSummary = {
  path: REPO_PATH,
  branch: 'agent/rate-limit',
  head: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  headSummary: 'Add token-bucket rate limiter',
};

/**
 * A hunk from unified-diff lines: `+added`, `-removed`, ` context`, and `\` after a line that
 * has no newline at the end. Line numbers and counts are computed as git would.
 */
export function hunk(id: string, header: string, lines: string[]): Hunk {
  const match = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(header);
  if (match === null) throw new Error(`bad hunk header ${header}`);
  const oldStart = Number(match[1]);
  const newStart = Number(match[2]);
  let oldLine = oldStart === 0 ? 1 : oldStart;
  let newLine = newStart === 0 ? 1 : newStart;
  const out: DiffLine[] = [];
  for (const raw of lines) {
    if (raw === '\\') {
      const last = out.at(-1);
      if (last === undefined) throw new Error('no line before \\');
      last.noNewline = true;
      continue;
    }
    const sign = raw[0];
    const text = raw.slice(1);
    const base = { text, noNewline: false, lossy: false };
    if (sign === '+') out.push({ ...base, kind: 'added', oldLine: null, newLine: newLine++ });
    else if (sign === '-') out.push({ ...base, kind: 'removed', oldLine: oldLine++, newLine: null });
    else if (sign === ' ') out.push({ ...base, kind: 'context', oldLine: oldLine++, newLine: newLine++ });
    else throw new Error(`bad diff line ${raw}`);
  }
  return {
    id,
    header,
    oldStart,
    oldLines: out.filter((l) => l.kind !== 'added').length,
    newStart,
    newLines: out.filter((l) => l.kind !== 'removed').length,
    lines: out,
  };
}

function file(
  paths: { oldPath: string | null; newPath: string | null },
  status: FileDiff['status'],
  hunks: Hunk[],
  binary = false,
): FileDiff {
  const lines = hunks.flatMap((h) => h.lines);
  return {
    ...paths,
    status,
    binary,
    additions: lines.filter((l) => l.kind === 'added').length,
    deletions: lines.filter((l) => l.kind === 'removed').length,
    hunks,
  };
}

function review(target: Target, spec: string, files: FileDiff[]): Review {
  return {
    repo,
    target,
    spec,
    base: target.kind === 'worktree' || target.kind === 'staged' ? repo.head : '0f1e2d3c4b5a69788796a5b4c3d2e1f001234567',
    head: target.kind === 'worktree' || target.kind === 'staged' ? null : repo.head,
    stats: {
      files: files.length,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
    },
    files,
  };
}

export const rateLimitAdded = file({ oldPath: null, newPath: 'src/middleware/rate_limit.rs' }, 'added', [
  hunk('h-rate-1', '@@ -0,0 +1,26 @@', [
    '+use std::time::{Duration, Instant};',
    '+',
    '+/// A token bucket: `capacity` requests at once, refilled at `per_second`.',
    '+pub struct RateLimiter {',
    '+    capacity: u32,',
    '+    tokens: f64,',
    '+    per_second: f64,',
    '+    last: Instant,',
    '+}',
    '+',
    '+impl RateLimiter {',
    '+    pub fn new(capacity: u32, per_second: f64) -> Self {',
    '+        Self { capacity, tokens: capacity as f64, per_second, last: Instant::now() }',
    '+    }',
    '+',
    '+    /// Takes a token if one is left; `false` means the caller must answer 429.',
    '+    pub fn try_acquire(&mut self) -> bool {',
    '+        let elapsed = self.last.elapsed();',
    '+        self.refill(elapsed);',
    '+        if self.tokens < 1.0 {',
    '+            return false;',
    '+        }',
    '+        self.tokens -= 1.0;',
    '+        true',
    '+    }',
    '+}',
  ]),
]);

export const serverModified = file({ oldPath: 'src/server.rs', newPath: 'src/server.rs' }, 'modified', [
  hunk('h-server-1', '@@ -1,6 +1,8 @@', [
    ' use std::net::SocketAddr;',
    ' ',
    '+use crate::middleware::rate_limit::RateLimiter;',
    '+',
    ' use axum::{routing::get, Router};',
    ' use tokio::net::TcpListener;',
    ' ',
    ' use crate::config::Config;',
  ]),
  hunk('h-server-2', '@@ -40,9 +42,10 @@ async fn serve(config: Config) -> anyhow::Result<()> {', [
    '     let addr = SocketAddr::from(([127, 0, 0, 1], config.port));',
    '-    let app = Router::new().route("/health", get(health));',
    '-    let listener = TcpListener::bind(addr).await.unwrap();',
    '+    let limiter = RateLimiter::new(config.burst, config.per_second);',
    '+    let app = Router::new()',
    '+        .route("/health", get(health))',
    '+        .layer(limiter.into_layer());',
    '+    let listener = TcpListener::bind(addr).await?;',
    '     tracing::info!(%addr, "listening");',
    ' \taxum::serve(listener, app).await?;  ',
    '     Ok(())',
    ' }',
  ]),
]);

export const configRenamed = file({ oldPath: 'src/settings.rs', newPath: 'src/config.rs' }, 'renamed', [
  hunk('h-config-1', '@@ -10,4 +10,6 @@ pub struct Config {', [
    '     pub port: u16,',
    '+    pub burst: u32,',
    '+    pub per_second: f64,',
    ' }',
    ' ',
    '-pub const DEFAULT_PORT: u16 = 8080;',
    '\\',
    '+pub const DEFAULT_PORT: u16 = 3000;',
    '\\',
  ]),
]);

export const logoBinary = file({ oldPath: 'assets/logo.png', newPath: 'assets/logo.png' }, 'modified', [], true);

export const legacyDeleted = file({ oldPath: 'tests/legacy_limits.rs', newPath: null }, 'deleted', [
  hunk('h-legacy-1', '@@ -1,5 +0,0 @@', [
    '-#[test]',
    '-#[ignore = "flaky on CI"]',
    '-fn limits_requests() {',
    '-    todo!()',
    '-}',
  ]),
]);

export const cargoStaged = file({ oldPath: 'Cargo.toml', newPath: 'Cargo.toml' }, 'modified', [
  hunk('h-cargo-1', '@@ -8,3 +8,4 @@ edition = "2021"', [
    ' [dependencies]',
    ' axum = "0.8"',
    '+governor = "0.10"',
    ' tokio = { version = "1", features = ["full"] }',
  ]),
]);

export const worktreeReview = review({ kind: 'worktree' }, 'worktree', [
  rateLimitAdded,
  serverModified,
  configRenamed,
  logoBinary,
  legacyDeleted,
]);

export const stagedReview = review({ kind: 'staged' }, 'staged', [cargoStaged]);

export const headReview = review({ kind: 'commit', rev: 'HEAD' }, 'HEAD', [rateLimitAdded, cargoStaged]);

export const emptyBranchReview = review({ kind: 'branch', name: 'agent/retry-queue' }, 'branch:agent/retry-queue', []);

function target(target: Target, spec: string, title: string, detail: string, extra: Partial<TargetInfo> = {}): TargetInfo {
  return { target, spec, title, detail, time: null, changedFiles: null, ...extra };
}

export const targets: TargetInfo[] = [
  target({ kind: 'worktree' }, 'worktree', 'Working tree', '5 changed files', { changedFiles: 5 }),
  target({ kind: 'staged' }, 'staged', 'Staged changes', '1 staged file', { changedFiles: 1 }),
  target({ kind: 'commit', rev: 'HEAD' }, 'HEAD', 'Add token-bucket rate limiter', 'a1b2c3d · Claude', { time: NOW - 2 * 3600 }),
  target({ kind: 'commit', rev: 'e4f5a6b' }, 'e4f5a6b', 'Wire the config loader into server start-up', 'e4f5a6b · Dana Smith', {
    time: NOW - 26 * 3600,
  }),
  target({ kind: 'commit', rev: '9c8d7e6' }, '9c8d7e6', 'Initial commit', '9c8d7e6 · Dana Smith', { time: NOW - 40 * 86400 }),
  target({ kind: 'branch', name: 'agent/retry-queue' }, 'branch:agent/retry-queue', 'agent/retry-queue', '3 commits ahead of main'),
  target({ kind: 'branch', name: 'docs/readme' }, 'branch:docs/readme', 'docs/readme', '1 commit ahead of main'),
];

export const targetList: TargetList = { repo, targets, defaultTarget: { kind: 'worktree' } };

export const unknownBranchError: ErrorReport = {
  kind: 'unknownBranch',
  message: `no branch named 'docs/readme' in ${REPO_PATH}`,
};

/** The repository above, opened as the demo, with every target answering. */
export function happyScenario(): Scenario {
  return {
    appContext: { ok: { workspace: { repoPath: REPO_PATH, isDemo: true }, logFile: '/home/dana/.local/state/redline/redline.log' } },
    listTargets: { ok: targetList },
    openReview: {
      worktree: { ok: worktreeReview },
      staged: { ok: stagedReview },
      HEAD: { ok: headReview },
      'branch:agent/retry-queue': { ok: emptyBranchReview },
      'branch:docs/readme': { err: unknownBranchError },
    },
  };
}
