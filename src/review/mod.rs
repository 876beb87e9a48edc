//! The composer: builds what a reviewer sees from the parts (`repo`, `diff`, and later
//! `syntax`, `findings`, `store`). The CLI and the desktop shell call only this module, so
//! everything the window shows can be produced and tested headless.

mod agent;
mod explain;
mod export;
mod findings;
mod gate;
mod history;
mod learn;
mod lines;
mod notes;
mod progress;
mod provenance;
mod revision;
mod rust_api;
mod settings;
mod start;
mod structure;
mod sync;
mod workflow;

pub use agent::{
    agent_author, agent_brief, agent_note_context, agent_reply, claim_addressed, commit_boundary,
    in_repository, inferred_boundary, latest_session, prune_snapshots, redo, send_to_agent,
    sessions, since_last_review, snapshot, undo, AgentSession, BriefScope, TurnSummary,
    UndoOutcome, QUIET_PERIOD,
};
pub use explain::{
    choose_model, explain, explain_every_hunk, pin_explanation, prepare_explain,
    structural_summary, AnswerSource, ExplainError, Explanation, HunkExplanation, LlmSettings,
    ModelChoice, ModelSource, PreparedExplain, UsageFigures,
};
pub use export::{export_review, import_review, ReviewExport};
pub use findings::{
    file_findings, findings, with_viewed, FileRisk, FindingsError, FindingsOptions, FindingsReport,
    HunkRisk,
};
pub use gate::{gate, GateCommit, GateReport, GateRules};
pub use history::{
    commit_details, older_commits, uncommitted_evidence, uncommitted_evidence_with, AgentEvidence,
    CommitDetails, PersonTime, UncommittedEvidence,
};
pub use learn::{learn, LearnReport, Lesson, LessonSource};
pub use lines::{file_lines, FileLines, LinesError, MAX_FILE_LINES};
pub use notes::{
    add_note, notes, reply, resolve_note, save_draft, set_note_kind, NewNote, NotesReport,
    PlacedThread,
};
pub use progress::{
    decide, mark_viewed, progress, target_statuses, HunkChoice, ReviewProgress, TargetStatus,
};
pub use provenance::{
    authorship, authorship_of, authorship_with, provenance, provenance_with, target_agents,
    CommitProvenance, HunkAuthorship, ProvenanceError, ProvenanceReport, TargetAgents,
    HISTORY_LIMIT, TARGET_AGENTS_LIMIT,
};
pub use revision::{interdiff, revision, Interdiff};
pub use rust_api::{rust_api, ApiReport, RustFileApi};
pub use settings::{
    save_settings, save_settings_in, settings, settings_in, DiffView, SettingsError, Theme,
    WindowSettings, CONTEXT_LINES, TAB_WIDTHS,
};
pub use start::{
    demo_workspace, open_workspace, recent_repositories, start_workspace, RecentRepository,
};
pub use structure::{
    analyse_files, file_structure, forget_cached_structure, highlight, structure, structure_with,
    symbols, FileStructure, SideStructure, StructureError, StructureReport,
};
pub use sync::{default_remote, last_sync, sync, SyncReport};
pub use workflow::WorkflowError;

use std::path::Path;

use crate::demo;

use serde::Serialize;
use specta::Type;
use tracing::instrument;

use crate::diff::{DiffStats, FileDiff};
use crate::repo::{self, DiffLimits, RepoError, RepoSummary, Target, TargetInfo};
use crate::watch::{WatchError, WatchEvent, WatchHandle};

/// The review targets of a repository, for the picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TargetList {
    pub repo: RepoSummary,
    pub targets: Vec<TargetInfo>,
    /// What to open first: the working tree when it has changes (an agent session in
    /// progress), otherwise the HEAD commit. The same as [`default_target`].
    pub default_target: Target,
    /// HEAD's history goes on past the commits listed: [`older_commits`] pages through it.
    pub older_commits: bool,
}

/// One target's changes, ready to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    pub repo: RepoSummary,
    pub target: Target,
    /// The command-line spelling of `target`.
    pub spec: String,
    /// The commit the old side comes from (`None` for a root commit's empty tree).
    pub base: Option<String>,
    /// The commit the new side comes from (`None` for the working tree and the index).
    pub head: Option<String>,
    pub stats: DiffStats,
    pub files: Vec<FileDiff>,
}

/// Lists what can be reviewed in the repository containing `path`.
#[instrument(level = "debug")]
pub fn targets(path: &Path) -> Result<TargetList, RepoError> {
    let (repo, summary) = repo::open(path)?;
    let listed = repo::available_targets(&repo)?;
    let dirty = listed
        .targets
        .iter()
        .any(|t| t.target == Target::Worktree && t.changed_files.unwrap_or(0) > 0);
    Ok(TargetList {
        repo: summary,
        targets: listed.targets,
        default_target: default_for(dirty),
        older_commits: listed.older_commits,
    })
}

/// The target `text` names in the repository containing `path`, spelled as on the command
/// line (`HEAD~3`, `v1.2..v1.3`, `main...feature`, `branch:x`, a commit id, `worktree`, …; see
/// [`Target`]), once it resolves there: what the window's command palette opens when a ref or
/// range is typed. An unknown name, a range missing an end or a tag of a tree is the error
/// `open` would give, so the reviewer reads it before asking for the review.
#[instrument(level = "debug")]
pub fn resolve_target(path: &Path, text: &str) -> Result<Target, RepoError> {
    let target = Target::parse(text)?;
    let (repo, _) = repo::open(path)?;
    repo::resolve(&repo, &target)?;
    Ok(target)
}

/// What to open when no target is named, in the repository containing `path`: the working
/// tree when it has uncommitted changes (untracked files included: an agent session in
/// progress), otherwise the HEAD commit. Decides as [`targets`] does, from the working tree's
/// status alone (no history, no branches). A working tree that cannot be read (a broken
/// index) gives HEAD, as in the target list.
#[instrument(level = "debug")]
pub fn default_target(path: &Path) -> Result<Target, RepoError> {
    let (repo, _) = repo::open(path)?;
    let dirty = repo::has_uncommitted_changes(&repo).unwrap_or_else(|error| {
        tracing::debug!(%error, "the working tree cannot be read; HEAD is the default target");
        false
    });
    Ok(default_for(dirty))
}

fn default_for(dirty: bool) -> Target {
    if dirty {
        Target::Worktree
    } else {
        Target::Commit { rev: "HEAD".into() }
    }
}

/// Opens `target` (or the [`default_target`]) in the
/// repository containing `path`, leaving out the hunks of files over the default
/// [`DiffLimits`].
pub fn open(path: &Path, target: Option<&Target>) -> Result<Review, RepoError> {
    open_with(path, target, &DiffLimits::default())
}

/// [`open`] with explicit limits; [`DiffLimits::UNLIMITED`] gives every hunk.
#[instrument(level = "debug")]
pub fn open_with(
    path: &Path,
    target: Option<&Target>,
    limits: &DiffLimits,
) -> Result<Review, RepoError> {
    let target = match target {
        Some(target) => target.clone(),
        None => default_target(path)?,
    };
    let (repo, summary) = repo::open(path)?;
    let resolved = repo::resolve(&repo, &target)?;
    let files = repo::load_diff(&repo, &resolved, limits)?;
    tracing::debug!(files = files.len(), %target, "review loaded");
    Ok(Review {
        repo: summary,
        spec: target.to_string(),
        target,
        base: resolved.base_commit.map(|id| id.to_string()),
        head: resolved.head_commit.map(|id| id.to_string()),
        stats: DiffStats::of(&files),
        files,
    })
}

/// Loads one file of `target` in full, also when [`open`] left its hunks out for size
/// ([`crate::diff::FileDiff::omitted`]). `file` is its new path (old path for deletions).
#[instrument(level = "debug")]
pub fn file_diff(
    path: &Path,
    target: &Target,
    file: &str,
    old_path: Option<&str>,
) -> Result<FileDiff, RepoError> {
    file_diff_with(path, target, file, old_path, &FileDiffOptions::default())
}

/// How [`file_diff_with`] compares a file's two sides; the default is git's (what [`open`]
/// shows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileDiffOptions {
    /// As `git diff -w`: changes in whitespace alone are no changes. The file's hunks are then
    /// not the review's, and their ids need not be the review's ids (viewed marks and notes
    /// are made on the review's hunks).
    pub ignore_whitespace: bool,
}

/// [`file_diff`] compared as `options` says (e.g. ignoring whitespace, as `git diff -w`).
/// A file whose changes are all whitespace has no hunks then.
#[instrument(level = "debug")]
pub fn file_diff_with(
    path: &Path,
    target: &Target,
    file: &str,
    old_path: Option<&str>,
    options: &FileDiffOptions,
) -> Result<FileDiff, RepoError> {
    let (repo, _) = repo::open(path)?;
    let resolved = repo::resolve(&repo, target)?;
    let content = repo::ContentOptions {
        ignore_whitespace: options.ignore_whitespace,
    };
    repo::load_file_diff_with(&repo, &resolved, file, old_path, content)?.ok_or_else(|| {
        RepoError::FileNotInTarget {
            file: file.to_owned(),
            target: target.to_string(),
        }
    })
}

/// Writes `files` as git's unified patch (what `redline review --format patch` prints), names
/// quoted as `style` says ([`patch_style`] gives the repository's).
pub fn write_patch(
    out: &mut impl std::io::Write,
    files: &[FileDiff],
    style: &crate::diff::PatchStyle,
) -> std::io::Result<()> {
    crate::diff::write_patch_with(out, files, style)
}

/// Watches the repository containing `path` and calls `on_event` with each debounced change
/// (and each error while watching) on the watcher's thread, until the handle is dropped. See
/// [`crate::watch::start`].
pub fn watch<F>(path: &Path, on_event: F) -> Result<WatchHandle, WatchError>
where
    F: FnMut(Result<WatchEvent, WatchError>) + Send + 'static,
{
    crate::watch::start(path, on_event)
}

/// Builds the demo repository at `path` (created if missing; refused if not empty): what
/// `redline demo PATH` does.
pub fn demo(path: &Path) -> Result<demo::DemoRepo, demo::DemoError> {
    demo::create(path)
}

/// The demo repository in Redline's data directory, built on first use and reused after:
/// what `redline demo` does and what the window opens outside any repository.
pub fn ensure_demo() -> Result<demo::DemoRepo, demo::DemoError> {
    demo::ensure_default()
}

/// How `--format patch` writes `files` in the repository containing `path`, as git would
/// there: names quoted by `core.quotePath` (true when unset), object ids abbreviated by
/// `core.abbrev` or git's automatic length, each extended until unique.
pub fn patch_style(
    path: &Path,
    files: &[crate::diff::FileDiff],
) -> Result<crate::diff::PatchStyle, RepoError> {
    let (repo, _) = repo::open(path)?;
    let quote_non_ascii = repo
        .config()
        .ok()
        .and_then(|c| c.get_bool("core.quotePath").ok())
        .unwrap_or(true);
    let abbrev = repo::abbrev_len(&repo);
    let ids = files
        .iter()
        .flat_map(|f| [f.old_id.as_deref(), f.new_id.as_deref()])
        .flatten()
        .filter_map(|id| git2::Oid::from_str(id).ok());
    let longer = repo::longer_ids(&repo, ids, abbrev);
    Ok(crate::diff::PatchStyle {
        quote_non_ascii,
        abbrev,
        longer,
    })
}

/// The repository a session works on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    pub repo_path: String,
    /// It is the demo repository Redline built because it was started outside any repository.
    pub is_demo: bool,
}
