//! `redline`: review AI-written code from the terminal. Prints what the desktop app shows.
#![forbid(unsafe_code)]

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use redline::error::{ErrorKind, ErrorReport};
use redline::findings::{self, Severity};
use redline::notes::{AnchorSide, NoteKind};
use redline::progress::Verdict;
use redline::repo::{DiffLimits, Target};
use redline::review;
use redline::store::Store;

mod cli;

/// Review AI-written code: see what an agent changed, file by file, hunk by hunk.
#[derive(Debug, Parser)]
#[command(name = "redline", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the changes of a review target: files, statuses and line counts.
    #[command(after_help = TARGET_HELP)]
    Review {
        /// What to review (see below). Default: the working tree when it has uncommitted
        /// changes, otherwise the HEAD commit.
        target: Option<String>,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        /// Output format. `json` is the exact data the desktop app receives; `patch` is what
        /// `git diff -M -C` prints, every hunk included.
        #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
        format: ReviewFormat,
    },
    /// List the commits of a range and who wrote them: an AI agent (with the evidence: trailers,
    /// bot authors, footers, provenance notes), a dependency bot, or a human.
    #[command(after_help = PROVENANCE_HELP)]
    Provenance {
        /// The commits to list, spelled like review targets (see below). Default: the latest
        /// 50 commits of HEAD.
        range: Option<String>,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        /// Output format. `json` includes every piece of evidence.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the current revision of a target: an id naming its content (base and head tree),
    /// to pass to `redline interdiff --since` later.
    #[command(after_help = REVISION_HELP)]
    Revision {
        /// The target to snapshot, spelled like review targets. Default: worktree.
        target: Option<String>,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        /// Output format. `text` prints the id alone; `json` adds the trees, commits and time.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show what changed in a target since an earlier revision of it: what the agent changed
    /// since you last looked.
    #[command(after_help = REVISION_HELP)]
    Interdiff {
        /// The revision you looked at, as printed by `redline revision`.
        #[arg(
            long,
            value_name = "REVISION",
            required_unless_present = "since_review"
        )]
        since: Option<redline::repo::RevisionId>,
        /// Since you last marked a hunk of the working tree's review viewed (the working tree
        /// only): what the agent changed since your last review.
        #[arg(long, conflicts_with_all = ["since", "target"])]
        since_review: bool,
        /// The target, spelled like review targets. Default: worktree.
        target: Option<String>,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        /// Output format. `json` is the exact data the desktop app receives.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Watch a repository and print one JSON line per change, until interrupted: which targets
    /// changed (working tree, index, HEAD, refs) and a sample of the changed paths.
    #[command(after_help = WATCH_HELP)]
    Watch {
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
    /// Show how a target changes the public API of its Rust files, marking breaking changes
    /// (removed or changed pub items, narrowed visibility, new required trait items, …), and
    /// where the new code is `unsafe` or may panic.
    #[command(after_help = TARGET_HELP)]
    Api {
        /// What to review, spelled like review targets (see below). Default: as for `review`.
        target: Option<String>,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        /// Output format. `json` includes every item's old and new signature.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List the symbols a target changes, file by file: functions, methods, types and
    /// modules added, removed, modified, with a changed signature, moved or renamed; and the
    /// files that do not parse.
    #[command(after_help = TARGET_HELP)]
    Symbols {
        /// What to review, spelled like review targets (see below). Default: as for `review`.
        target: Option<String>,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        /// Output format. `json` adds every hunk's enclosing symbol on each side.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List a review's notes, each placed on the code as it is now: current, moved with its
    /// code, on code that changed since, or outdated (with the snippet it was written on).
    #[command(after_help = TARGET_HELP)]
    Notes {
        /// The review's target, spelled like review targets (see below). Default: as for
        /// `review`.
        target: Option<String>,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        /// Output format. `md` reads well pasted into a pull request.
        #[arg(long, value_enum, default_value_t = NotesFormat::Text)]
        format: NotesFormat,
        /// Print the notes the reviewer sent to the agent (from every review of the
        /// repository), as Markdown instructions, and record them as received. For agents.
        #[arg(long)]
        for_agent: bool,
        /// With --for-agent: wait until the reviewer sends notes.
        #[arg(long, requires = "for_agent")]
        wait: bool,
        /// With --wait: give up after this many seconds (then print that none were sent).
        #[arg(long, requires = "wait", value_name = "SECONDS")]
        timeout: Option<u64>,
    },
    /// Write, answer or resolve a review note.
    #[command(subcommand)]
    Note(NoteCommand),
    /// Mark a file's hunks (or one hunk) viewed, at the target's current revision. A hunk the
    /// agent changes afterwards is unviewed again.
    #[command(after_help = VIEWED_HELP)]
    Viewed {
        /// The review's target, spelled like review targets.
        target: String,
        /// `PATH` for every hunk of the file, `PATH:N` for its N-th hunk, `PATH:ID` for a hunk id.
        file: String,
        /// Remove the marks instead.
        #[arg(long)]
        unview: bool,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
    /// Approve a target's current revision (or request changes). Refuses, saying why, while
    /// must-fix notes are open or AI-written hunks are not all viewed, unless --yes.
    Approve {
        /// The review's target, spelled like review targets.
        target: String,
        /// Request changes instead of approving.
        #[arg(long)]
        request_changes: bool,
        /// A message to record with the decision.
        #[arg(long, short = 'm', value_name = "TEXT")]
        message: Option<String>,
        /// Approve even with open must-fix notes or coverage under 100% (recorded as confirmed).
        #[arg(long, short = 'y')]
        yes: bool,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
    /// Show a review's status: the decision (and whether the code changed since), the
    /// AI-review coverage, open must-fix notes.
    #[command(after_help = TARGET_HELP)]
    Status {
        /// The review's target. Default: as for `review`.
        target: Option<String>,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = NotesFormat::Text)]
        format: NotesFormat,
    },
    /// Share reviews through git: merge the local reviews with the notes ref
    /// (refs/notes/redline) and, with --remote, fetch the remote's, merge, and push.
    #[command(after_help = SYNC_HELP)]
    Sync {
        /// The remote to exchange reviews with (e.g. origin). Without it, only the local
        /// notes ref is written, ready to push.
        #[arg(long, value_name = "NAME")]
        remote: Option<String>,
        /// Show what would change; write and push nothing.
        #[arg(long)]
        dry_run: bool,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Explain a change with a language model, streamed as it is written: the whole change
    /// (as a pull-request description), a file, a hunk, what could go wrong with a hunk, or a
    /// question about lines. `--teach` explains for a junior developer. Without a model,
    /// prints Redline's structural summary of the change and how to connect one.
    #[command(after_help = EXPLAIN_HELP)]
    Explain {
        /// What to explain, spelled like review targets. Default: as for `review`.
        target: Option<String>,
        /// The file (its path in the review).
        #[arg(long, value_name = "PATH")]
        file: Option<String>,
        /// The file's hunk, 1-based (needs --file).
        #[arg(long, value_name = "N", requires = "file")]
        hunk: Option<u32>,
        /// What could go wrong with the hunk, instead of what it does (needs --hunk).
        #[arg(long, requires = "hunk")]
        risks: bool,
        /// A question about lines of the file (needs --file and --lines).
        #[arg(long, value_name = "TEXT", requires = "lines")]
        question: Option<String>,
        /// The lines the question is about, new side: FIRST-LAST or LINE.
        #[arg(long, value_name = "FIRST-LAST", requires = "file")]
        lines: Option<String>,
        /// Explain for a junior developer: concepts, why, what good looks like, what to check.
        #[arg(long)]
        teach: bool,
        /// Print exactly what would be sent to the model (secrets redacted) and send nothing.
        #[arg(long)]
        show_prompt: bool,
        /// Explain every hunk of the target, two at a time, with progress on stderr.
        #[arg(long, conflicts_with_all = ["file", "show_prompt"])]
        every_hunk: bool,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
    /// Keep a model server's API key in the OS keyring (never in a file): `set` reads the key
    /// from stdin, `remove` forgets it. Explanations use it for that server when
    /// REDLINE_LLM_API_KEY is not set.
    #[command(subcommand)]
    ModelKey(ModelKeyCommand),
    /// The lessons of a repository's reviews as Markdown: teaching notes, pinned
    /// explanations, and for a target the teaching texts of its findings.
    Learn {
        /// One review's lessons (with its findings). Default: every review of the repository.
        target: Option<String>,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
    /// Flag the risks AI-written code tends to hide on the lines a target adds: unwrap and
    /// panics, swallowed errors, disabled or deleted tests, widened permissions, secrets,
    /// new dependencies, SQL and shell built from strings, and more (`--rules` lists them).
    /// Reads `.redline.toml` (rules off, severities, ignored paths, secret patterns).
    #[command(after_help = CHECK_HELP)]
    Check {
        /// What to check, spelled like review targets (see below). Default: as for `review`.
        target: Option<String>,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        /// Output format: `sarif` is SARIF 2.1.0 for code-scanning services.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Exit 1 when a finding is at or above this severity (low, medium, high, critical).
        #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
        fail_on: Option<Severity>,
        /// List the rules with what each teaches, and exit.
        #[arg(long)]
        rules: bool,
    },
    /// Check a range for merging: exits 1 with every reason when an AI-written commit lacks
    /// an approval of its current content, coverage is too low, or must-fix notes are open.
    /// Reads the reviews in refs/notes/redline (fetch it first in CI).
    #[command(after_help = GATE_HELP)]
    Gate {
        /// The commits to check, spelled like review targets (main..HEAD, branch:NAME, a commit).
        range: String,
        /// Every AI-written commit must be approved at its current content (the default when
        /// no other check is named).
        #[arg(long)]
        require_approval: bool,
        /// Approvals must record at least this AI-review coverage, in percent.
        #[arg(long, value_name = "PCT", value_parser = clap::value_parser!(u32).range(0..=100))]
        min_coverage: Option<u32>,
        /// No must-fix note may be open on the range's reviews.
        #[arg(long)]
        no_open_must_fix: bool,
        /// Print the verdict but always exit 0 (to watch a gate before enforcing it).
        #[arg(long)]
        report: bool,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Export a review: Markdown for a pull-request description (decision, coverage, notes by
    /// file), or JSON that `redline import` reads.
    #[command(after_help = TARGET_HELP)]
    Export {
        /// The review's target. Default: as for `review`.
        target: Option<String>,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Md)]
        format: ExportFormat,
    },
    /// Import a review exported as JSON, merging it like `redline sync` does (nothing local is
    /// lost; a note both have keeps its later edit).
    Import {
        /// The file `redline export --format json` wrote (`-` for standard input).
        file: PathBuf,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
    /// Record the working tree as the end of an agent turn ("Mark turn"): a snapshot commit
    /// under refs/redline/snapshots/SESSION/N, without touching the index, stash or files.
    #[command(after_help = AGENT_HELP)]
    Snapshot(cli::agent::SnapshotArgs),
    /// List agent sessions and their turns: files, lines, notes written, notes claimed.
    #[command(after_help = AGENT_HELP)]
    Turns {
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        #[arg(long, value_enum, default_value_t = cli::agent::AgentFormat::Text)]
        format: cli::agent::AgentFormat,
    },
    /// Manage turn snapshots.
    #[command(subcommand)]
    Snapshots(cli::agent::SnapshotsCommand),
    /// Install or remove Redline's Stop hook in an agent's configuration.
    #[command(subcommand, after_help = AGENT_HELP)]
    Hooks(cli::agent::HooksCommand),
    /// Run by an agent's Stop hook (reads the agent's JSON on standard input): records the turn
    /// and answers with the notes the reviewer sent, as the agent's next instruction.
    Hook {
        #[arg(value_parser = cli::agent::parse_agent)]
        agent: redline::agent::hooks::HookAgent,
        #[arg(value_enum)]
        event: cli::agent::HookEvent,
    },
    /// Revert one hunk (or every change) of a file in the working tree: keep the rest of the
    /// agent's edit. Asks first; `redline redo` puts it back.
    #[command(after_help = UNDO_HELP)]
    Undo(cli::agent::UndoArgs),
    /// Put back what the latest `redline undo` reverted, if the file was not changed since.
    Redo {
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
    /// Serve the review notes to agents over MCP (stdio): list_review_notes,
    /// get_note_context, reply_to_note, claim_addressed.
    #[command(after_help = MCP_HELP)]
    Mcp {
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
    /// List what can be reviewed: working tree, staged changes, recent commits, branches.
    Targets {
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Build a demo repository with human and AI-agent commits, branches and an uncommitted
    /// agent session, to try Redline on.
    Demo {
        /// Where to build it; must not exist or be empty. Default: the demo the desktop app
        /// opens outside a repository (`~/.local/share/redline/demo` on Linux), reused if it
        /// is already there.
        path: Option<PathBuf>,
    },
}

/// `redline note …`
#[derive(Debug, Subcommand)]
enum NoteCommand {
    /// Write a note on lines of a file of the target, as git's user.name and user.email.
    #[command(after_help = NOTE_HELP)]
    Add {
        /// The review's target, spelled like review targets.
        target: String,
        /// `PATH:LINE` or `PATH:FIRST-LAST`: new-side line numbers (old side with --old).
        place: String,
        /// The note, in Markdown. `-` reads it from standard input.
        text: String,
        /// comment, question, must-fix or teaching.
        #[arg(long, short = 'k', default_value = "comment", value_parser = parse_kind)]
        kind: NoteKind,
        /// The lines are old-side line numbers (a note on removed code).
        #[arg(long)]
        old: bool,
        /// The repository (or any directory inside it).
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
    /// Reply to a note thread.
    Reply {
        target: String,
        /// The thread's id, as `redline notes` prints it (a unique prefix is enough).
        id: String,
        /// The reply, in Markdown. `-` reads it from standard input.
        text: String,
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
    /// Hand notes to the agent: the next Stop hook, `notes --for-agent` or MCP gives them to
    /// it. Without ids, every open must-fix note of the review.
    Send {
        target: String,
        /// Thread ids (unique prefixes are enough).
        ids: Vec<String>,
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
    /// For agents: claim a note addressed, saying what was done. The reviewer sees the claim
    /// with the evidence and confirms it; only a person resolves a note.
    Claim {
        /// The thread's id (a unique prefix is enough).
        id: String,
        /// What was done (`-` reads standard input).
        text: String,
        /// Who claims.
        #[arg(long, default_value = "agent", value_name = "NAME")]
        agent: String,
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
    /// Resolve a note thread (or open it again with --reopen).
    Resolve {
        target: String,
        /// The thread's id, as `redline notes` prints it (a unique prefix is enough).
        id: String,
        #[arg(long)]
        reopen: bool,
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
}

fn parse_kind(text: &str) -> Result<NoteKind, String> {
    NoteKind::parse(text).ok_or_else(|| {
        format!("unknown kind '{text}': expected comment, question, must-fix or teaching")
    })
}

const NOTE_HELP: &str = "\
Examples:
  redline note add worktree src/cart.ts:42 'This drops the discount' --kind must-fix
  redline note add HEAD src/lib.rs:10-14 - < note.md
Notes live in Redline's database (REDLINE_DATA_DIR, default ~/.local/share/redline), not in the
repository. They follow the code as the agent rewrites it: see `redline notes`.";

const VIEWED_HELP: &str = "\
Examples:
  redline viewed worktree src/cart.ts        # every hunk of the file
  redline viewed worktree src/cart.ts:2      # its second hunk
  redline viewed worktree src/cart.ts --unview
Hunks are numbered as `redline notes`, `redline status --format json` and the window list them.";

const SYNC_HELP: &str = "\
Reviews of commits, ranges and branches are shared; a working-tree review is shared once its
content is committed (it attaches to the commit with that content). Merging keeps everything:
notes and decisions are united by id, a changed kind or resolved state keeps the later write.
Transport is git's own (git fetch / git push), so ssh, https and credential helpers work.

Example:
  redline sync --remote origin";

const GATE_HELP: &str = "\
Exit status: 0 when every check passes (or with --report), 1 with every reason otherwise.
Human-only ranges pass. In CI, fetch the reviews first:
  git fetch origin refs/notes/redline:refs/notes/redline
  redline gate origin/main..HEAD --require-approval --no-open-must-fix
See docs/sharing.md for GitHub Actions and GitLab CI steps.";

const AGENT_HELP: &str = "\
An agent session is cut into turns: `redline hooks install claude-code` (or codex, cursor) makes
the agent's Stop hook record each turn; without a hook, run `redline snapshot` or click \"Mark
turn\". Review one turn with `redline review turn` (the latest), `turn:3`, `turn:2..4` or
`turn:3@SESSION`. Snapshots are commits under refs/redline/snapshots; untracked files over 2 MiB
and ignored files are left out; `redline snapshots prune` removes old ones.";

const UNDO_HELP: &str = "\
Examples:
  redline undo worktree src/cart.ts:2     # the second hunk
  redline undo worktree src/cart.ts --yes # every change to the file
The file's previous bytes are kept in Redline's database for one-step `redline redo`. The agent
is told which of its edits were undone with the next notes it gets.";

const MCP_HELP: &str = "\
Configure it in the agent, e.g. for Claude Code:
  claude mcp add redline -- redline mcp -C /path/to/repo
Tools: list_review_notes (the notes the reviewer sent, with anchors and code), get_note_context,
reply_to_note, claim_addressed. The agent can never resolve a note: a person confirms claims.";

const TARGET_HELP: &str = "\
Targets:
  worktree          staged, unstaged and untracked changes against HEAD
  staged            the index against HEAD
  REV               one commit against its first parent (HEAD, HEAD~2, a SHA, a tag)
  BASE..HEAD        the changes between two commits
  BASE...HEAD       the changes on HEAD since it forked from BASE
  branch:NAME       a branch against its merge-base with the default branch
  turn              the latest agent turn; turn:N, turn:A..B, turn:N@SESSION (see `redline turns`)";

const EXPLAIN_HELP: &str = "\
Which model: REDLINE_LLM_BASE_URL and REDLINE_LLM_MODEL (with REDLINE_LLM_API_KEY and
REDLINE_LLM_PROVIDER=openai|anthropic) win; else [llm] in the config file
(~/.config/redline/config.toml: provider, base-url, model, api-key-env, context-tokens,
answer-tokens); else a server found on this machine (Ollama :11434, llama.cpp :8080,
LM Studio :1234, vLLM :8000). Nothing leaves the machine unless you name a remote server.
Secrets in the code are replaced by placeholders before anything is sent (--show-prompt
prints what would be sent). Answers are cached: asking again is instant.";

const CHECK_HELP: &str = "\
Targets: as for `redline review` (worktree, staged, REV, BASE..HEAD, BASE...HEAD, branch:NAME,
turn). Only lines the target adds are checked; code that was there before is never flagged.

Configuration, in .redline.toml at the repository's root (see docs/findings.md):
  [findings]
  disable = [\"ts-any\"]              rules turned off
  ignore = [\"vendor/**\"]            paths not checked (globs)
  long-function-lines = 80           the long-function threshold (default 60)
  [findings.severity]
  debug-leftover = \"medium\"         severity overrides
  [[findings.secret]]
  name = \"Acme token\"               extra secret patterns (regular expressions)
  pattern = \"acme_[A-Za-z0-9]{32}\"

Exit status: 1 with --fail-on when a finding is at or above that severity, or on an error.";

const PROVENANCE_HELP: &str = "\
Ranges:
  (none)            the latest 50 commits of HEAD
  REV               that one commit (HEAD, a SHA, a tag)
  BASE..HEAD        commits on HEAD that BASE does not have
  BASE...HEAD       commits on HEAD since it forked from BASE
  branch:NAME       the branch's commits since its merge-base with the default branch
  worktree, staged  uncommitted changes (an agent's or a person's), no commits

Signatures: built in, plus [[provenance.signature]] entries in the config file
(~/.config/redline/config.toml on Linux); see docs/provenance.md.";

const REVISION_HELP: &str = "\
A revision is BASE_TREE:HEAD_TREE, the git tree ids of the target's two sides; the same content
always has the same revision. For worktree and staged, Redline writes the head tree into the
repository's object database without touching the index or the files; nothing refers to it, so
`git gc` prunes it after two weeks (gc.pruneExpire), and an older revision is then unknown.

Example:
  since=$(redline revision)           # when you have read the agent's changes
  redline interdiff --since \"$since\"   # later: only what it changed since";

const WATCH_HELP: &str = "\
Each line is a JSON object:
  {\"worktree\":true,\"index\":false,\"head\":false,\"refs\":false,\"paths\":[\"src/a.rs\"],\"changed\":1}
worktree: files changed; index: the staging area changed; head: HEAD moved (checkout);
refs: a commit or branch changed. paths is a sample (at most 20) of the changed files, changed
their number. A burst of writes is reported once it has been quiet for 250 ms, and at least
every second while it lasts. Gitignored files and git's internals are not reported.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReviewFormat {
    /// A summary for people.
    Text,
    /// Everything, as JSON.
    Json,
    /// A unified patch, as git prints it.
    Patch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// A pull-request description.
    Md,
    /// The review as `redline import` reads it.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum NotesFormat {
    /// A summary for people.
    Text,
    /// Everything, as JSON.
    Json,
    /// Markdown, for a pull request.
    Md,
}

#[derive(Debug, Subcommand)]
enum ModelKeyCommand {
    /// Store the key read from stdin for the server at --base-url.
    Set {
        /// The server's API base URL (e.g. https://api.anthropic.com/v1).
        #[arg(long, value_name = "URL")]
        base_url: String,
        /// openai (any OpenAI-compatible server) or anthropic.
        #[arg(long, default_value = "openai")]
        provider: String,
    },
    /// Forget the key of the server at --base-url.
    Remove {
        #[arg(long, value_name = "URL")]
        base_url: String,
        #[arg(long, default_value = "openai")]
        provider: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    /// Findings by file, riskiest first, for people.
    Text,
    /// The findings, per-file and per-hunk scores and the rules' teaching texts.
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

fn parse_severity(word: &str) -> Result<Severity, String> {
    Severity::parse(word)
        .ok_or_else(|| format!("'{word}' is not a severity (low, medium, high or critical)"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A summary for people.
    Text,
    /// Everything, as JSON.
    Json,
}

fn main() -> ExitCode {
    redline::logging::init_cli();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Report(report)) if report.kind == ErrorKind::NeedsConfirmation => {
            eprintln!(
                "error: {} (pass --yes to approve anyway)",
                cli::terminal::escape_line(&report.message)
            );
            ExitCode::FAILURE
        }
        Err(Failure::Report(report)) => {
            eprintln!("error: {}", cli::terminal::escape_line(&report.message));
            ExitCode::FAILURE
        }
        Err(Failure::Refused) => ExitCode::FAILURE,
        // The reader went away (`redline review | head`): not an error worth a message.
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Output(e)) => {
            eprintln!("error: cannot write the output: {e}");
            ExitCode::FAILURE
        }
    }
}

enum Failure {
    Report(ErrorReport),
    Output(io::Error),
    /// A check said no (the gate); what it printed says why.
    Refused,
}

impl<E: Into<ErrorReport>> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure::Report(error.into())
    }
}

fn run(command: Command) -> Result<(), Failure> {
    if let Command::Mcp { repo } = &command {
        // The MCP transport writes to stdout from its own threads: it must not be locked here.
        return Ok(redline::agent::mcp::serve_stdio(repo)?);
    }
    let stdout = io::stdout();
    // Text goes through TerminalSafe; JSON, patches and watch lines take `out.raw()`.
    let mut out = cli::terminal::TerminalSafe::new(io::BufWriter::new(stdout.lock()));
    match command {
        Command::Review {
            target,
            repo,
            format,
        } => {
            let target = target.as_deref().map(Target::parse).transpose()?;
            let limits = match format {
                // a patch is for tools: it must be complete
                ReviewFormat::Patch => DiffLimits::UNLIMITED,
                ReviewFormat::Text | ReviewFormat::Json => DiffLimits::default(),
            };
            let review = review::open_with(&repo, target.as_ref(), &limits)?;
            match format {
                ReviewFormat::Json => write_json(out.raw(), &review),
                ReviewFormat::Text => cli::review::write_review(&mut out, &review),
                ReviewFormat::Patch => {
                    let style = review::patch_style(&repo, &review.files)?;
                    review::write_patch(out.raw(), &review.files, &style)
                }
            }
        }
        Command::Provenance {
            range,
            repo,
            format,
        } => {
            let target = range.as_deref().map(Target::parse).transpose()?;
            let report = review::provenance(&repo, target.as_ref())?;
            match format {
                Format::Json => write_json(out.raw(), &report),
                Format::Text => cli::provenance::write_provenance(&mut out, &report),
            }
        }
        Command::Revision {
            target,
            repo,
            format,
        } => {
            let target = Target::parse(target.as_deref().unwrap_or("worktree"))?;
            let revision = review::revision(&repo, &target)?;
            match format {
                Format::Json => write_json(out.raw(), &revision),
                Format::Text => cli::revision::write_revision(&mut out, &revision),
            }
        }
        Command::Interdiff {
            since,
            since_review,
            target,
            repo,
            format,
        } => {
            let interdiff = match since {
                Some(since) if !since_review => {
                    let target = Target::parse(target.as_deref().unwrap_or("worktree"))?;
                    review::interdiff(&repo, &target, &since)?
                }
                _ => review::since_last_review(&open_store()?, &repo)?,
            };
            match format {
                Format::Json => write_json(out.raw(), &interdiff),
                Format::Text => cli::revision::write_interdiff(&mut out, &interdiff),
            }
        }
        Command::Watch { repo } => {
            let (sender, events) = std::sync::mpsc::channel();
            let watcher = review::watch(&repo, move |event| {
                // Fails only when the printing loop below has ended, and then we stop anyway.
                let _ = sender.send(event);
            })?;
            cli::watch::write_events(out.raw(), watcher.root(), &events)
        }
        Command::Api {
            target,
            repo,
            format,
        } => {
            let target = target.as_deref().map(Target::parse).transpose()?;
            let report = review::rust_api(&repo, target.as_ref())?;
            match format {
                Format::Json => write_json(out.raw(), &report),
                Format::Text => cli::api::write_api(&mut out, &report),
            }
        }
        Command::Symbols {
            target,
            repo,
            format,
        } => {
            let target = target_or_default(&repo, target.as_deref())?;
            let report = review::structure(&repo, &target)?;
            match format {
                Format::Json => write_json(out.raw(), &report),
                Format::Text => cli::symbols::write_symbols(&mut out, &report),
            }
        }
        Command::Notes {
            repo,
            for_agent: true,
            wait,
            timeout,
            format,
            ..
        } => {
            let format = match format {
                NotesFormat::Json => cli::agent::AgentFormat::Json,
                NotesFormat::Text | NotesFormat::Md => cli::agent::AgentFormat::Md,
            };
            cli::agent::notes_for_agent(&mut out, &repo, wait, timeout, format)?;
            Ok(())
        }
        Command::Notes {
            target,
            repo,
            format,
            ..
        } => {
            let target = target_or_default(&repo, target.as_deref())?;
            let store = open_store()?;
            let report = review::notes(&store, &repo, &target)?;
            match format {
                NotesFormat::Json => write_json(out.raw(), &report),
                NotesFormat::Text => cli::notes::write_notes(&mut out, &report),
                NotesFormat::Md => cli::notes::write_notes_markdown(&mut out, &report),
            }
        }
        Command::Note(NoteCommand::Add {
            target,
            place,
            text,
            kind,
            old,
            repo,
        }) => {
            let target = Target::parse(&target)?;
            let (path, start_line, end_line) = parse_place(&place)?;
            let note = review::NewNote {
                path,
                side: if old {
                    AnchorSide::Old
                } else {
                    AnchorSide::New
                },
                start_line,
                end_line,
                kind,
                body: read_text(text)?,
            };
            let store = open_store()?;
            let placed = review::add_note(&store, &repo, &target, &note)?;
            writeln!(
                out,
                "Added {} note {} on {}:{}",
                placed.thread.kind,
                placed.thread.id,
                placed.thread.anchor.path,
                cli::notes::line_range(
                    placed.thread.anchor.start_line,
                    placed.thread.anchor.end_line
                )
            )
        }
        Command::Note(NoteCommand::Reply {
            target,
            id,
            text,
            repo,
        }) => {
            let target = Target::parse(&target)?;
            let store = open_store()?;
            let id = cli::notes::find_thread(&review::notes(&store, &repo, &target)?, &id)?;
            let reply = review::reply(&store, &repo, &target, &id, &read_text(text)?)?;
            writeln!(out, "Replied {} to note {id}", reply.id)
        }
        Command::Note(NoteCommand::Resolve {
            target,
            id,
            reopen,
            repo,
        }) => {
            let target = Target::parse(&target)?;
            let store = open_store()?;
            let id = cli::notes::find_thread(&review::notes(&store, &repo, &target)?, &id)?;
            review::resolve_note(&store, &repo, &target, &id, !reopen)?;
            writeln!(
                out,
                "{} note {id}",
                if reopen { "Reopened" } else { "Resolved" }
            )
        }
        Command::Viewed {
            target,
            file,
            unview,
            repo,
        } => {
            let target = Target::parse(&target)?;
            let store = open_store()?;
            let review = review::open(&repo, Some(&target))?;
            let (path, hunk) = cli::notes::split_file_hunk(&review, &file);
            let progress = review::mark_viewed(&store, &repo, &target, &path, &hunk, !unview)?;
            cli::notes::write_viewed(&mut out, &progress, &path, !unview)
        }
        Command::Approve {
            target,
            request_changes,
            message,
            yes,
            repo,
        } => {
            let target = Target::parse(&target)?;
            let verdict = if request_changes {
                Verdict::ChangesRequested
            } else {
                Verdict::Approved
            };
            let store = open_store()?;
            let progress =
                review::decide(&store, &repo, &target, verdict, message.as_deref(), yes)?;
            cli::notes::write_decided(&mut out, &progress)
        }
        Command::Status {
            target,
            repo,
            format,
        } => {
            let target = target_or_default(&repo, target.as_deref())?;
            let store = open_store()?;
            let progress = review::progress(&store, &repo, &target)?;
            match format {
                NotesFormat::Json => write_json(out.raw(), &progress),
                NotesFormat::Text => cli::notes::write_status(&mut out, &progress),
                NotesFormat::Md => cli::notes::write_status_markdown(&mut out, &progress),
            }
        }
        Command::Sync {
            remote,
            dry_run,
            repo,
            format,
        } => {
            let store = open_store()?;
            let report = review::sync(&store, &repo, remote.as_deref(), dry_run)?;
            match format {
                Format::Json => write_json(out.raw(), &report),
                Format::Text => cli::sharing::write_sync(&mut out, &report),
            }
        }
        Command::Explain {
            target,
            file,
            hunk,
            risks,
            question,
            lines,
            teach,
            show_prompt,
            every_hunk,
            repo,
        } => {
            let target = target_or_default(&repo, target.as_deref())?;
            if every_hunk {
                return cli::explain::every_hunk(&mut out, &repo, &target, teach);
            }
            let action = explain_action(file, hunk, risks, question, lines.as_deref())?;
            let request = redline::explain::ExplainRequest { action, teach };
            return cli::explain::run(&mut out, &repo, &target, &request, show_prompt);
        }
        Command::ModelKey(command) => {
            let (base_url, provider) = match &command {
                ModelKeyCommand::Set { base_url, provider }
                | ModelKeyCommand::Remove { base_url, provider } => (base_url, provider),
            };
            let provider = match provider.to_ascii_lowercase().as_str() {
                "openai" => redline::llm::Provider::OpenAi,
                "anthropic" => redline::llm::Provider::Anthropic,
                other => {
                    return Err(ErrorReport {
                        kind: ErrorKind::InvalidConfig,
                        message: format!("--provider {other}: expected openai or anthropic"),
                    }
                    .into())
                }
            };
            match command {
                ModelKeyCommand::Set { .. } => {
                    let mut key = String::new();
                    io::stdin().read_line(&mut key).map_err(Failure::Output)?;
                    let key = key.trim();
                    if key.is_empty() {
                        return Err(ErrorReport {
                            kind: ErrorKind::InvalidConfig,
                            message: "no key on stdin (pipe it in: redline model-key set --base-url URL < key.txt)".to_owned(),
                        }
                        .into());
                    }
                    redline::llm::keys::store_key(provider, base_url, &redline::llm::ApiKey::new(key))?;
                    writeln!(out, "key stored in the OS keyring for {base_url}")
                }
                ModelKeyCommand::Remove { .. } => {
                    if redline::llm::keys::remove_key(provider, base_url)? {
                        writeln!(out, "key removed for {base_url}")
                    } else {
                        writeln!(out, "no key was stored for {base_url}")
                    }
                }
            }
        }
        Command::Learn { target, repo } => {
            let target = target.as_deref().map(Target::parse).transpose()?;
            let store = open_store()?;
            let report = review::learn(&store, &repo, target.as_ref())?;
            let title = match &target {
                Some(target) => target.to_string(),
                None => repo.display().to_string(),
            };
            out.write_all(report.markdown(&title).as_bytes())
        }
        Command::Check {
            target,
            repo,
            format,
            fail_on,
            rules,
        } => {
            if rules {
                return cli::check::write_rules(&mut out)
                    .and_then(|()| out.flush())
                    .map_err(Failure::Output);
            }
            let target = target_or_default(&repo, target.as_deref())?;
            let options = review::FindingsOptions { authorship: true };
            let report = review::findings(&repo, &target, options)?;
            // The reviewer's viewed marks, when the review database opens: a check in CI
            // without one still reports the findings.
            let report = match Store::open_default() {
                Ok(store) => review::with_viewed(&store, &repo, &target, report.clone())
                    .unwrap_or(report),
                Err(_) => report,
            };
            match format {
                CheckFormat::Json => write_json(out.raw(), &report),
                CheckFormat::Sarif => {
                    write_json(out.raw(), &findings::sarif::to_sarif(&report.findings))
                }
                CheckFormat::Text => cli::check::write_findings(&mut out, &report),
            }
            .and_then(|()| out.flush())
            .map_err(Failure::Output)?;
            if let Some(threshold) = fail_on {
                if report.counts.at_least(threshold) > 0 {
                    return Err(Failure::Refused);
                }
            }
            Ok(())
        }
        Command::Gate {
            range,
            require_approval,
            min_coverage,
            no_open_must_fix,
            report: report_only,
            repo,
            format,
        } => {
            let target = Target::parse(&range)?;
            let rules = review::GateRules {
                require_approval: require_approval || (min_coverage.is_none() && !no_open_must_fix),
                min_coverage,
                no_open_must_fix,
            };
            let report = review::gate(&repo, &target, &rules)?;
            match format {
                Format::Json => write_json(out.raw(), &report),
                Format::Text => cli::sharing::write_gate(&mut out, &report, report_only),
            }
            .and_then(|()| out.flush())
            .map_err(Failure::Output)?;
            if !report.passed && !report_only {
                return Err(Failure::Refused);
            }
            Ok(())
        }
        Command::Export {
            target,
            repo,
            format,
        } => {
            let target = target_or_default(&repo, target.as_deref())?;
            let store = open_store()?;
            match format {
                ExportFormat::Json => {
                    write_json(out.raw(), &review::export_review(&store, &repo, &target)?)
                }
                ExportFormat::Md => {
                    let progress = review::progress(&store, &repo, &target)?;
                    let notes = review::notes(&store, &repo, &target)?;
                    cli::notes::write_status_markdown(&mut out, &progress)
                        .and_then(|()| writeln!(out))
                        .and_then(|()| cli::notes::write_notes_markdown(&mut out, &notes))
                }
            }
        }
        Command::Import { file, repo } => {
            let text = if file.as_os_str() == "-" {
                read_text("-".to_owned())?
            } else {
                std::fs::read_to_string(&file).map_err(|e| ErrorReport {
                    kind: ErrorKind::PathNotFound,
                    message: format!("cannot read {}: {e}", file.display()),
                })?
            };
            let store = open_store()?;
            let imported = review::import_review(&store, &repo, &text)?;
            writeln!(
                out,
                "Imported {} new threads, {} replies and {} decisions; {} threads updated",
                imported.threads, imported.replies, imported.decisions, imported.updated
            )
        }
        Command::Snapshot(args) => Ok(cli::agent::snapshot(&mut out, args)?),
        Command::Turns { repo, format } => Ok(cli::agent::turns(&mut out, &repo, format)?),
        Command::Snapshots(cli::agent::SnapshotsCommand::Prune {
            max_age_days,
            max_turns,
            repo,
        }) => Ok(cli::agent::prune(
            &mut out,
            &repo,
            redline::agent::snapshot::Retention {
                max_age_days,
                max_turns,
            },
        )?),
        Command::Hooks(command) => Ok(cli::agent::hooks_command(&mut out, command)?),
        Command::Hook { agent, event } => Ok(cli::agent::hook(out.raw(), agent, event)?),
        Command::Undo(args) => Ok(cli::agent::undo(&mut out, args)?),
        Command::Redo { repo } => Ok(cli::agent::redo(&mut out, &repo)?),
        Command::Mcp { .. } => Ok(()), // served above, before stdout is locked
        Command::Note(NoteCommand::Send { target, ids, repo }) => {
            Ok(cli::agent::send(&mut out, &repo, &target, &ids)?)
        }
        Command::Note(NoteCommand::Claim {
            id,
            text,
            agent,
            repo,
        }) => Ok(cli::agent::claim(
            &mut out,
            &repo,
            &id,
            &read_text(text)?,
            &agent,
        )?),
        Command::Targets { repo, format } => {
            let list = review::targets(&repo)?;
            match format {
                Format::Json => write_json(out.raw(), &list),
                Format::Text => cli::review::write_targets(&mut out, &list),
            }
        }
        Command::Demo { path } => {
            let demo = match path {
                Some(path) => review::demo(&path)?,
                None => review::ensure_demo()?,
            };
            writeln!(
                out,
                "Built a demo repository in {}: {} commits on main ({} by AI agents), branches {}, \
                 and uncommitted agent changes.\nTry: redline review --repo {}",
                demo.path.display(),
                demo.commits,
                demo.ai_commits,
                demo.branches.join(", "),
                demo.path.display()
            )
        }
    }
    .and_then(|()| out.flush())
    .map_err(Failure::Output)
}

/// Opens the review database, saying so on stderr when an unreadable one was set aside.
fn open_store() -> Result<Store, ErrorReport> {
    let store = Store::open_default()?;
    if let Some(backup) = store.recovered_from() {
        eprintln!(
            "warning: the review database was not readable; it was kept as {} and a new one started",
            backup.display()
        );
    }
    Ok(store)
}

/// The explain action the flags name.
fn explain_action(
    file: Option<String>,
    hunk: Option<u32>,
    risks: bool,
    question: Option<String>,
    lines: Option<&str>,
) -> Result<redline::explain::ExplainAction, ErrorReport> {
    use redline::explain::ExplainAction;
    Ok(match (file, hunk, question) {
        (None, _, _) => ExplainAction::Change,
        (Some(file), Some(hunk), _) if risks => ExplainAction::Risks { file, hunk },
        (Some(file), Some(hunk), _) => ExplainAction::Hunk { file, hunk },
        (Some(file), None, Some(question)) => {
            let (_, start_line, end_line) =
                parse_place(&format!("{file}:{}", lines.unwrap_or("")))?;
            ExplainAction::Question {
                file,
                start_line,
                end_line,
                question,
            }
        }
        (Some(file), None, None) => ExplainAction::File { file },
    })
}

fn target_or_default(repo: &std::path::Path, spec: Option<&str>) -> Result<Target, ErrorReport> {
    match spec {
        Some(spec) => Ok(Target::parse(spec)?),
        None => Ok(review::default_target(repo)?),
    }
}

/// Reads `PATH:LINE` or `PATH:FIRST-LAST`.
fn parse_place(place: &str) -> Result<(String, u32, u32), ErrorReport> {
    let invalid = |why: &str| ErrorReport {
        kind: ErrorKind::InvalidNote,
        message: format!("invalid place '{place}': {why} (expected PATH:LINE or PATH:FIRST-LAST)"),
    };
    let (path, lines) = place
        .rsplit_once(':')
        .ok_or_else(|| invalid("no line number"))?;
    if path.is_empty() {
        return Err(invalid("no path"));
    }
    let number = |text: &str| {
        text.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| invalid("line numbers start at 1"))
    };
    let (start, end) = match lines.split_once('-') {
        Some((start, end)) => (number(start)?, number(end)?),
        None => {
            let line = number(lines)?;
            (line, line)
        }
    };
    Ok((path.to_owned(), start, end))
}

/// The note text, or standard input for `-`.
fn read_text(text: String) -> Result<String, Failure> {
    if text != "-" {
        return Ok(text);
    }
    let mut body = String::new();
    io::Read::read_to_string(&mut io::stdin(), &mut body).map_err(|e| {
        Failure::Report(ErrorReport {
            kind: ErrorKind::InvalidNote,
            message: format!("cannot read the note from standard input: {e}"),
        })
    })?;
    Ok(body)
}

pub(crate) fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}
