//! The agent loop on the command line: `snapshot`, `turns`, `snapshots prune`, `hooks`,
//! `hook`, `undo`, `redo`, `notes --for-agent` and `note send|claim`.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::{Args, Subcommand, ValueEnum};
use redline::agent::handoff::AgentBrief;
use redline::agent::hooks::{self, HookAgent, InstallOutcome, UninstallOutcome};
use redline::agent::snapshot::{Boundary, Retention, SnapshotRequest};
use redline::error::{ErrorKind, ErrorReport};
use redline::repo::Target;
use redline::review::{self, AgentSession, HunkChoice};
use redline::store::Store;

use super::terminal::TerminalSafe;

/// `redline snapshot`
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The agent session the turn belongs to. Default: the session with the latest turn, or
    /// `manual` when there is none.
    #[arg(long, value_name = "NAME")]
    pub session: Option<String>,
    /// What ended the turn: manual, hook, commit or inferred.
    #[arg(long, default_value = "manual", value_parser = parse_boundary)]
    pub boundary: Boundary,
    /// The agent that worked in this turn (e.g. claude-code).
    #[arg(long, value_name = "NAME")]
    pub agent: Option<String>,
    /// What the agent said it did (`-` reads standard input).
    #[arg(long, short = 'm', value_name = "TEXT")]
    pub message: Option<String>,
    /// The repository (or any directory inside it).
    #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
    pub repo: PathBuf,
}

fn parse_boundary(text: &str) -> Result<Boundary, String> {
    Boundary::parse(text).ok_or_else(|| {
        format!("unknown boundary '{text}': expected manual, hook, commit or inferred")
    })
}

/// `redline snapshots …`
#[derive(Debug, Subcommand)]
pub enum SnapshotsCommand {
    /// Remove old turn snapshots (only Redline's refs/redline/snapshots refs; `git gc` then
    /// frees what nothing else uses).
    Prune {
        /// Remove whole sessions whose last turn is older than this.
        #[arg(long, default_value_t = 30, value_name = "DAYS")]
        max_age_days: u32,
        /// Keep at most this many latest turns per session.
        #[arg(long, default_value_t = 200, value_name = "N")]
        max_turns: u32,
        #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
        repo: PathBuf,
    },
}

/// `redline hooks …`
#[derive(Debug, Subcommand)]
pub enum HooksCommand {
    /// Add `redline hook AGENT stop` to the agent's user-level hook configuration
    /// (~/.claude/settings.json, ~/.codex/hooks.json, ~/.cursor/hooks.json).
    Install {
        #[arg(value_parser = parse_agent)]
        agent: HookAgent,
    },
    /// Remove exactly what `install` added: the file is restored byte for byte when it was
    /// not changed since, otherwise only Redline's hook entry is taken out.
    Uninstall {
        #[arg(value_parser = parse_agent)]
        agent: HookAgent,
    },
    /// Say for each agent whether Redline's hook is installed.
    Status,
}

pub fn parse_agent(text: &str) -> Result<HookAgent, String> {
    HookAgent::parse(text)
        .ok_or_else(|| format!("unknown agent '{text}': expected claude-code, codex or cursor"))
}

/// The hook events `redline hook AGENT EVENT` handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HookEvent {
    /// The agent finished a turn.
    Stop,
}

/// `redline undo`
#[derive(Debug, Args)]
pub struct UndoArgs {
    /// Only `worktree`: the agent's uncommitted change.
    pub target: String,
    /// `PATH` for the whole file, `PATH:N` for its N-th hunk, `PATH:ID` for a hunk id.
    pub file: String,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[arg(long, short = 'C', default_value = ".", value_name = "PATH")]
    pub repo: PathBuf,
}

/// Output formats of the agent commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AgentFormat {
    /// For people.
    Text,
    /// Everything, as JSON.
    Json,
    /// Markdown, as handed to the agent.
    Md,
}

pub fn open_store() -> Result<Store, ErrorReport> {
    Ok(Store::open_default()?)
}

/// `redline snapshot`
pub fn snapshot(out: &mut TerminalSafe<impl Write>, args: SnapshotArgs) -> Result<(), ErrorReport> {
    let session = match args.session {
        Some(session) => session,
        None => review::latest_session(&args.repo)?.unwrap_or_else(|| "manual".to_owned()),
    };
    let message = match args.message.as_deref() {
        Some("-") => Some(read_stdin(1 << 20)?),
        other => other.map(str::to_owned),
    };
    let outcome = review::snapshot(
        &args.repo,
        &SnapshotRequest {
            session,
            boundary: args.boundary,
            agent: args.agent,
            message,
        },
    )?;
    let result = match (&outcome.turn, outcome.created) {
        (Some(turn), true) => {
            let mut text = writeln!(
                out,
                "Recorded turn {} of session {} ({}): review it with `redline review {}`",
                turn.seq,
                turn.session,
                turn.boundary.as_str(),
                Target::Turn {
                    session: Some(turn.session.clone()),
                    first: Some(turn.seq),
                    last: Some(turn.seq)
                }
            );
            for skipped in &turn.skipped {
                text = text.and_then(|()| {
                    writeln!(
                        out,
                        "  left out {} ({} bytes: untracked and over the size cap)",
                        skipped.path, skipped.bytes
                    )
                });
            }
            text
        }
        (Some(turn), false) => writeln!(
            out,
            "No changes since turn {} of session {}: no turn recorded",
            turn.seq, turn.session
        ),
        (None, _) => Ok(()),
    };
    result.map_err(output_error)
}

/// `redline turns`
pub fn turns(
    out: &mut TerminalSafe<impl Write>,
    repo: &Path,
    format: AgentFormat,
) -> Result<(), ErrorReport> {
    let store = open_store()?;
    let sessions = review::sessions(&store, repo)?;
    match format {
        AgentFormat::Json => crate::write_json(out.raw(), &sessions),
        AgentFormat::Text | AgentFormat::Md => write_sessions(out, &sessions),
    }
    .map_err(output_error)
}

fn write_sessions(out: &mut impl Write, sessions: &[AgentSession]) -> io::Result<()> {
    if sessions.is_empty() {
        return writeln!(
            out,
            "No agent turns recorded yet. Install a hook (`redline hooks install claude-code`) or run `redline snapshot` at the end of a turn."
        );
    }
    for session in sessions {
        writeln!(
            out,
            "Session {}{}",
            session.session,
            session
                .agent
                .as_deref()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default()
        )?;
        for turn in session.turns.iter().rev() {
            writeln!(
                out,
                "  turn {:>3}  {:<8}  {} files  +{} -{}  {} notes  {} claimed   {}",
                turn.turn.seq,
                turn.turn.boundary.as_str(),
                turn.stats.files,
                turn.stats.additions,
                turn.stats.deletions,
                turn.notes_written,
                turn.claimed.len(),
                turn.spec
            )?;
            if let Some(message) = &turn.turn.message {
                let first = message.lines().next().unwrap_or_default();
                writeln!(out, "            said: {first}")?;
            }
        }
    }
    Ok(())
}

/// `redline snapshots prune`
pub fn prune(
    out: &mut TerminalSafe<impl Write>,
    repo: &Path,
    retention: Retention,
) -> Result<(), ErrorReport> {
    let removed = review::prune_snapshots(repo, retention)?;
    writeln!(out, "Removed {} snapshot refs", removed.len()).map_err(output_error)
}

fn home() -> Result<PathBuf, ErrorReport> {
    dirs::home_dir().ok_or_else(|| ErrorReport {
        kind: ErrorKind::HookConfig,
        message: "cannot tell the home directory (set HOME)".to_owned(),
    })
}

/// `redline hooks …`
pub fn hooks_command(
    out: &mut TerminalSafe<impl Write>,
    command: HooksCommand,
) -> Result<(), ErrorReport> {
    let home = home()?;
    let data_dir = redline::store::data_dir();
    let text = match command {
        HooksCommand::Install { agent } => {
            let executable = std::env::current_exe().map_err(|e| ErrorReport {
                kind: ErrorKind::HookConfig,
                message: format!("cannot tell where the redline executable is: {e}"),
            })?;
            let command = hooks::hook_command(&executable, agent);
            match hooks::install(agent, &home, &command)? {
                InstallOutcome::Installed(installation) => {
                    hooks::save_record(&data_dir, &installation)?;
                    let mut text = format!(
                        "Installed the {agent} Stop hook in {}: it runs `{command}` at the end of each turn.",
                        installation.path.display()
                    );
                    match agent {
                        HookAgent::Codex => text.push_str(
                            "\nCodex asks you to review and trust new hooks: open /hooks in Codex once.",
                        ),
                        HookAgent::Cursor => text.push_str(
                            "\nCursor also runs Claude Code's hooks: install only one of the two for Cursor.",
                        ),
                        HookAgent::ClaudeCode => {}
                    }
                    text
                }
                InstallOutcome::AlreadyInstalled { path } => {
                    format!(
                        "The {agent} Stop hook is already installed in {}",
                        path.display()
                    )
                }
            }
        }
        HooksCommand::Uninstall { agent } => {
            let record = hooks::load_record(&data_dir, agent);
            let outcome = hooks::uninstall(agent, &home, record.as_ref())?;
            hooks::forget_record(&data_dir, agent)?;
            match outcome {
                UninstallOutcome::Restored { path } => {
                    format!("Removed the {agent} Stop hook: {} is as it was before", path.display())
                }
                UninstallOutcome::Removed { path } => format!(
                    "Removed the {agent} Stop hook from {} (the file changed since the install, so only Redline's entry was taken out)",
                    path.display()
                ),
                UninstallOutcome::NotInstalled { path } => {
                    format!("No Redline hook in {}: nothing to remove", path.display())
                }
            }
        }
        HooksCommand::Status => {
            let mut lines = Vec::new();
            for agent in HookAgent::ALL {
                let installed = hooks::is_installed(agent, &home)?;
                lines.push(format!(
                    "{:<12} {} ({})",
                    agent.as_str(),
                    if installed {
                        "installed"
                    } else {
                        "not installed"
                    },
                    agent.config_path(&home).display()
                ));
            }
            lines.join("\n")
        }
    };
    writeln!(out, "{text}").map_err(output_error)
}

/// `redline hook AGENT stop`: run by the agent at the end of each turn. Records the turn and
/// answers with the notes the reviewer sent, in the agent's format; prints nothing when there
/// are none. Never fails the agent's turn for Redline's sake: problems go to stderr.
pub fn hook(out: &mut impl Write, agent: HookAgent, _event: HookEvent) -> Result<(), ErrorReport> {
    let input = read_first_json(4 << 20)?;
    let input = hooks::parse_stop_input(agent, &input)?;
    let cwd = match &input.cwd {
        Some(cwd) => cwd.clone(),
        None => std::env::current_dir().map_err(|e| ErrorReport {
            kind: ErrorKind::HookConfig,
            message: format!(
                "the hook input names no directory and the current one is unusable: {e}"
            ),
        })?,
    };
    if !review::in_repository(&cwd) {
        return Ok(()); // not a repository: nothing to record, nothing to say
    }
    let session = input
        .session
        .as_deref()
        .map(session_from_agent)
        .unwrap_or_else(|| agent.as_str().to_owned());
    review::snapshot(
        &cwd,
        &SnapshotRequest {
            session,
            boundary: Boundary::Hook,
            agent: Some(agent.as_str().to_owned()),
            message: input.last_message.clone(),
        },
    )?;
    let store = open_store()?;
    let brief = review::agent_brief(&store, &cwd, review::BriefScope::New)?;
    if brief.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", hooks::stop_output(agent, &brief.to_markdown())).map_err(output_error)
}

/// An agent's session id as a snapshot session name: the safe characters, at most 64.
fn session_from_agent(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .take(64)
        .collect();
    if cleaned.is_empty() {
        "agent".to_owned()
    } else {
        cleaned
    }
}

/// `redline notes --for-agent [--wait [--timeout S]]`
pub fn notes_for_agent(
    out: &mut TerminalSafe<impl Write>,
    repo: &Path,
    wait: bool,
    timeout: Option<u64>,
    format: AgentFormat,
) -> Result<(), ErrorReport> {
    let store = open_store()?;
    let brief = if wait {
        let deadline = timeout.map(|s| Instant::now() + Duration::from_secs(s));
        loop {
            let brief = review::agent_brief(&store, repo, review::BriefScope::New)?;
            if !brief.is_empty() || deadline.is_some_and(|d| Instant::now() >= d) {
                break brief;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    } else {
        review::agent_brief(&store, repo, review::BriefScope::New)?
    };
    write_brief(out, &brief, format).map_err(output_error)
}

fn write_brief(
    out: &mut TerminalSafe<impl Write>,
    brief: &AgentBrief,
    format: AgentFormat,
) -> io::Result<()> {
    match format {
        AgentFormat::Json => crate::write_json(out.raw(), brief),
        AgentFormat::Text | AgentFormat::Md if brief.is_empty() => {
            writeln!(out, "No notes were sent to the agent.")
        }
        // The brief is sanitised (no control characters), and agents read it raw.
        AgentFormat::Text | AgentFormat::Md => write!(out.raw(), "{}", brief.to_markdown()),
    }
}

/// `redline undo`
pub fn undo(out: &mut TerminalSafe<impl Write>, args: UndoArgs) -> Result<(), ErrorReport> {
    let target = Target::parse(&args.target)?;
    let store = open_store()?;
    let review = review::open(&args.repo, Some(&target))?;
    let (path, hunk) = super::notes::split_file_hunk(&review, &args.file);
    if !args.yes {
        let what = match &hunk {
            HunkChoice::All => format!("every change to {path}"),
            HunkChoice::Index(n) => format!("hunk {n} of {path}"),
            HunkChoice::Id(id) => format!("hunk {id} of {path}"),
        };
        if !io::stdin().is_terminal() {
            return Err(ErrorReport {
                kind: ErrorKind::NeedsConfirmation,
                message: format!("undoing {what} rewrites the file: pass --yes to confirm"),
            });
        }
        eprint!("Undo {what} in the working tree? [y/N] ");
        let mut answer = String::new();
        io::stdin()
            .read_line(&mut answer)
            .map_err(|e| ErrorReport {
                kind: ErrorKind::NeedsConfirmation,
                message: format!("cannot read the answer: {e}"),
            })?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return writeln!(out, "Nothing undone").map_err(output_error);
        }
    }
    let outcome = review::undo(&store, &args.repo, &target, &path, &hunk)?;
    writeln!(
        out,
        "Undid {} in {} (`redline redo` puts it back; the agent is told with the next notes)",
        match hunk {
            HunkChoice::All => "the file's changes".to_owned(),
            _ => "the hunk".to_owned(),
        },
        outcome.path
    )
    .map_err(output_error)
}

/// `redline redo`
pub fn redo(out: &mut TerminalSafe<impl Write>, repo: &Path) -> Result<(), ErrorReport> {
    let store = open_store()?;
    let outcome = review::redo(&store, repo)?;
    writeln!(out, "Redid the change to {}", outcome.path).map_err(output_error)
}

/// `redline note send`
pub fn send(
    out: &mut TerminalSafe<impl Write>,
    repo: &Path,
    target: &str,
    ids: &[String],
) -> Result<(), ErrorReport> {
    let target = Target::parse(target)?;
    let store = open_store()?;
    let ids = if ids.is_empty() {
        // Every open must-fix note of the review.
        review::notes(&store, repo, &target)?
            .threads
            .into_iter()
            .filter(|t| !t.thread.resolved && t.thread.kind == redline::notes::NoteKind::MustFix)
            .map(|t| t.thread.id)
            .collect()
    } else {
        ids.to_vec()
    };
    let sent = review::send_to_agent(&store, repo, &target, &ids)?;
    writeln!(out, "Sent {sent} notes to the agent").map_err(output_error)
}

/// `redline note claim`
pub fn claim(
    out: &mut TerminalSafe<impl Write>,
    repo: &Path,
    id: &str,
    message: &str,
    agent: &str,
) -> Result<(), ErrorReport> {
    let store = open_store()?;
    let note = review::claim_addressed(&store, repo, id, agent, message)?;
    writeln!(
        out,
        "Claimed note {} addressed; the reviewer confirms it",
        note.id
    )
    .map_err(output_error)
}

/// The first JSON value on standard input, as bytes: an agent that writes its hook input
/// and keeps the pipe open must not keep the hook (and so the agent) waiting for an end.
fn read_first_json(limit: u64) -> Result<Vec<u8>, ErrorReport> {
    let failed = |reason: String| ErrorReport {
        kind: ErrorKind::HookConfig,
        message: format!("cannot read the hook input: {reason}"),
    };
    let mut reader = io::BufReader::new(io::stdin().take(limit));
    // Cursor on Windows may start with a byte-order mark.
    {
        let start = io::BufRead::fill_buf(&mut reader).map_err(|e| failed(e.to_string()))?;
        if start.starts_with(b"\xEF\xBB\xBF") {
            io::BufRead::consume(&mut reader, 3);
        }
    }
    let mut values = serde_json::Deserializer::from_reader(reader).into_iter::<serde_json::Value>();
    match values.next() {
        Some(Ok(value)) => serde_json::to_vec(&value).map_err(|e| failed(e.to_string())),
        Some(Err(e)) => Err(failed(e.to_string())),
        None => Err(failed("standard input was empty".to_owned())),
    }
}

fn read_stdin(limit: u64) -> Result<String, ErrorReport> {
    let mut text = String::new();
    io::stdin()
        .take(limit)
        .read_to_string(&mut text)
        .map_err(|e| ErrorReport {
            kind: ErrorKind::HookConfig,
            message: format!("cannot read standard input: {e}"),
        })?;
    Ok(text)
}

fn output_error(e: io::Error) -> ErrorReport {
    ErrorReport {
        kind: ErrorKind::Internal,
        message: format!("cannot write the output: {e}"),
    }
}
