//! Review notes: write, reply, resolve, and list them placed on the code as it is now
//! (composes `repo` for file contents, `syntax` for symbols, the pure `notes::anchor` for
//! placing, and `store`).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use git2::Repository;
use serde::{Deserialize, Serialize};
use specta::Type;
use tracing::instrument;

use crate::diff::FileDiff;
use crate::notes::anchor::{HunkSpan, Placer};
use crate::notes::{
    capture, check_body, AnchorSide, NoteEntry, NoteKind, Placement, SideFile, SymbolSpan, Thread,
};
use crate::repo::blob::{path_content, side_content, Side, SideContent};
use crate::repo::{Attributes, ResolvedTarget, Target};
use crate::store::{Draft, Store};

use super::structure::content_symbols;
use super::workflow::{Opened, WorkflowError};

/// The largest file a note can be written on or placed in (as for symbols).
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// A note to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NewNote {
    /// The file as the review lists it (new path; old path for a deleted file).
    pub path: String,
    pub side: AnchorSide,
    pub start_line: u32,
    pub end_line: u32,
    pub kind: NoteKind,
    /// Markdown.
    pub body: String,
}

/// A thread and where it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlacedThread {
    pub thread: Thread,
    pub placement: Placement,
    /// Each note's body as safe HTML ([`crate::notes::markdown::to_safe_html`]), in order.
    pub html: Vec<String>,
    /// For a thread the agent claims addressed: where it lands in the working tree now, where
    /// the agent works (the evidence for the claim, whatever target the review is of).
    pub evidence: Option<Placement>,
}

impl PlacedThread {
    fn new(thread: Thread, placement: Placement) -> Self {
        let html = thread
            .notes
            .iter()
            .map(|n| crate::notes::markdown::to_safe_html(&n.body))
            .collect();
        PlacedThread {
            thread,
            placement,
            html,
            evidence: None,
        }
    }
}

/// A review's notes, placed on the target as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NotesReport {
    pub target: Target,
    /// The command-line spelling of `target`.
    pub spec: String,
    /// Oldest first.
    pub threads: Vec<PlacedThread>,
    pub open: u32,
    pub resolved: u32,
    pub open_must_fix: u32,
    /// Notes being written, kept across refreshes and restarts.
    pub drafts: Vec<Draft>,
}

/// The notes of `target` in the repository containing `path`, each placed on the code as it
/// is now (see [`crate::notes::anchor`]).
#[instrument(level = "debug", skip(store))]
pub fn notes(store: &Store, path: &Path, target: &Target) -> Result<NotesReport, WorkflowError> {
    let opened = Opened::new(store, path, target)?;
    let (threads, drafts) = match opened.existing_review(store)? {
        Some(id) => (store.threads(id)?, store.drafts(id)?),
        None => (Vec::new(), Vec::new()),
    };
    let placements = if threads.is_empty() {
        Vec::new()
    } else {
        let review = opened.review(path, target)?;
        place_threads(&opened.repo, &opened.resolved, &review.files, &threads)?
    };
    let mut report = NotesReport {
        spec: target.to_string(),
        target: target.clone(),
        threads: Vec::with_capacity(threads.len()),
        open: 0,
        resolved: 0,
        open_must_fix: 0,
        drafts,
    };
    let evidence = claim_evidence(&opened, path, target, &threads, &placements)?;
    for ((thread, placement), evidence) in threads.into_iter().zip(placements).zip(evidence) {
        if thread.resolved {
            report.resolved += 1;
        } else {
            report.open += 1;
            report.open_must_fix += u32::from(thread.kind == NoteKind::MustFix);
        }
        report.threads.push(PlacedThread {
            evidence,
            ..PlacedThread::new(thread, placement)
        });
    }
    Ok(report)
}

/// The evidence for each claimed thread: its placement on the working tree (the target's own
/// placement when the target is the working tree).
fn claim_evidence(
    opened: &Opened,
    path: &Path,
    target: &Target,
    threads: &[Thread],
    placements: &[Placement],
) -> Result<Vec<Option<Placement>>, WorkflowError> {
    let claimed: Vec<usize> = (0..threads.len())
        .filter(|&i| threads[i].handoff.claim.is_some() && !threads[i].resolved)
        .collect();
    let mut evidence = vec![None; threads.len()];
    if claimed.is_empty() {
        return Ok(evidence);
    }
    if *target == Target::Worktree {
        for i in claimed {
            evidence[i] = Some(placements[i].clone());
        }
        return Ok(evidence);
    }
    let Ok(resolved) = crate::repo::resolve(&opened.repo, &Target::Worktree) else {
        return Ok(evidence); // no working tree (bare, corrupt index): no evidence to show
    };
    let worktree = opened.review(path, &Target::Worktree)?;
    let subset: Vec<Thread> = claimed.iter().map(|&i| threads[i].clone()).collect();
    let placed = place_threads(&opened.repo, &resolved, &worktree.files, &subset)?;
    for (i, placement) in claimed.into_iter().zip(placed) {
        evidence[i] = Some(placement);
    }
    Ok(evidence)
}

/// Writes a new thread on lines of a file of `target`, as the reviewer (git's `user.name`
/// and `user.email`), on the target's current revision.
#[instrument(level = "debug", skip(store, note), fields(file = %note.path))]
pub fn add_note(
    store: &Store,
    path: &Path,
    target: &Target,
    note: &NewNote,
) -> Result<PlacedThread, WorkflowError> {
    let body = check_body(&note.body)?;
    let opened = Opened::new(store, path, target)?;
    let file = crate::repo::load_file_diff(&opened.repo, &opened.resolved, &note.path, None)?
        .ok_or_else(|| crate::repo::RepoError::FileNotInTarget {
            file: note.path.clone(),
            target: target.to_string(),
        })?;
    let side = match note.side {
        AnchorSide::Old => Side::Old,
        AnchorSide::New => Side::New,
    };
    let side_path = match note.side {
        AnchorSide::Old => file.old_path.clone(),
        AnchorSide::New => file.new_path.clone(),
    };
    let no_side = |reason| WorkflowError::NoSuchSide {
        path: note.path.clone(),
        side: if side == Side::Old { "old" } else { "new" },
        reason,
        target: target.to_string(),
    };
    let Some(side_path) = side_path else {
        return Err(no_side(if side == Side::Old {
            "added"
        } else {
            "deleted"
        }));
    };
    let content = match side_content(&opened.repo, &opened.resolved, &file, side, MAX_FILE_BYTES)? {
        SideContent::Bytes(bytes) => bytes,
        SideContent::TooLarge { bytes } => {
            return Err(WorkflowError::FileTooLarge {
                path: note.path.clone(),
                bytes,
                limit: MAX_FILE_BYTES,
            })
        }
        SideContent::Absent => return Err(no_side("not a regular file")),
    };
    let text = String::from_utf8_lossy(&content);
    let attributes = Attributes::new(&opened.repo);
    let blob = match side {
        Side::Old => file.old_id.as_deref(),
        Side::New => file.new_id.as_deref(),
    };
    let symbols = content_symbols(&opened.repo, &attributes, &side_path, blob, &content)?;
    let side_file = SideFile {
        path: &side_path,
        lines: split_lines(&text),
        hunks: hunk_spans(&file, side),
        symbols: symbol_spans(&symbols),
    };
    let anchor = capture(&side_file, note.side, note.start_line, note.end_line)?;
    let revision = opened.revision(target)?;
    let review_id = opened.review_id(store)?;
    let thread = store.add_thread(
        review_id,
        note.kind,
        &anchor,
        &revision.id.to_string(),
        &opened.reviewer,
        body,
    )?;
    let placement = Placement::Current {
        path: anchor.path.clone(),
        start_line: anchor.start_line,
        end_line: anchor.end_line,
    };
    Ok(PlacedThread::new(thread, placement))
}

/// Replies to thread `thread_id` of `target`'s review.
#[instrument(level = "debug", skip(store, body))]
pub fn reply(
    store: &Store,
    path: &Path,
    target: &Target,
    thread_id: &str,
    body: &str,
) -> Result<NoteEntry, WorkflowError> {
    let body = check_body(body)?;
    let opened = Opened::new(store, path, target)?;
    let review_id = opened.review_id(store)?;
    let entry = store.add_reply(review_id, thread_id, &opened.reviewer, body)?;
    // A person answering after the agent claimed the thread addressed means it is not.
    store.clear_claim(review_id, thread_id)?;
    Ok(entry)
}

/// Resolves thread `thread_id` (or opens it again when `resolved` is false).
#[instrument(level = "debug", skip(store))]
pub fn resolve_note(
    store: &Store,
    path: &Path,
    target: &Target,
    thread_id: &str,
    resolved: bool,
) -> Result<(), WorkflowError> {
    let opened = Opened::new(store, path, target)?;
    let review_id = opened.review_id(store)?;
    Ok(store.set_resolved(review_id, thread_id, resolved)?)
}

/// Changes the kind of thread `thread_id`.
#[instrument(level = "debug", skip(store))]
pub fn set_note_kind(
    store: &Store,
    path: &Path,
    target: &Target,
    thread_id: &str,
    kind: NoteKind,
) -> Result<(), WorkflowError> {
    let opened = Opened::new(store, path, target)?;
    let review_id = opened.review_id(store)?;
    Ok(store.set_kind(review_id, thread_id, kind)?)
}

/// Keeps a note being typed (an empty body drops it).
#[instrument(level = "debug", skip(store, draft), fields(key = %draft.key))]
pub fn save_draft(
    store: &Store,
    path: &Path,
    target: &Target,
    draft: &Draft,
) -> Result<(), WorkflowError> {
    let opened = Opened::new(store, path, target)?;
    let review_id = opened.review_id(store)?;
    Ok(store.save_draft(review_id, draft)?)
}

/// Places `threads` on the target as it is now: each side's notes in the files they were
/// written on first; a note not found there as it was written is then looked for in every
/// changed file of its side (code moved to another file).
pub(super) fn place_threads(
    repo: &Repository,
    resolved: &ResolvedTarget,
    files: &[FileDiff],
    threads: &[Thread],
) -> Result<Vec<Placement>, WorkflowError> {
    let attributes = Attributes::new(repo);
    let mut placements = vec![Placement::Outdated; threads.len()];
    for side in [AnchorSide::Old, AnchorSide::New] {
        let mine: Vec<usize> = (0..threads.len())
            .filter(|&i| threads[i].anchor.side == side)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let own_paths: BTreeSet<&str> = mine
            .iter()
            .map(|&i| threads[i].anchor.path.as_str())
            .collect();
        let loaded = load_side(
            repo,
            resolved,
            &attributes,
            files,
            side,
            own_paths.into_iter(),
        )?;
        let side_files = loaded.side_files();
        let placer = Placer::new(&side_files);
        let mut retry = Vec::new();
        for &i in &mine {
            let placement = placer.place(&threads[i].anchor);
            if !matches!(placement, Placement::Current { .. }) {
                retry.push(i);
            }
            placements[i] = placement;
        }
        if retry.is_empty() {
            continue;
        }
        let changed = files.iter().filter_map(|f| match side {
            AnchorSide::Old => f.old_path.as_deref(),
            AnchorSide::New => f.new_path.as_deref(),
        });
        let all_paths: BTreeSet<&str> = changed
            .chain(mine.iter().map(|&i| threads[i].anchor.path.as_str()))
            .collect();
        let wider = load_side(
            repo,
            resolved,
            &attributes,
            files,
            side,
            all_paths.into_iter(),
        )?;
        let wider_files = wider.side_files();
        let placer = Placer::new(&wider_files);
        for i in retry {
            placements[i] = placer.place(&threads[i].anchor);
        }
    }
    Ok(placements)
}

/// Files of one side, read, with their hunks and symbols: what [`SideFile`]s borrow from.
struct LoadedSide {
    files: Vec<LoadedFile>,
}

struct LoadedFile {
    path: String,
    text: String,
    hunks: Vec<HunkSpan>,
    symbols: Vec<SymbolSpan>,
}

impl LoadedSide {
    fn side_files(&self) -> Vec<SideFile<'_>> {
        self.files
            .iter()
            .map(|f| SideFile {
                path: &f.path,
                lines: split_lines(&f.text),
                hunks: f.hunks.clone(),
                symbols: f.symbols.clone(),
            })
            .collect()
    }
}

fn load_side<'p>(
    repo: &Repository,
    resolved: &ResolvedTarget,
    attributes: &Attributes,
    files: &[FileDiff],
    side: AnchorSide,
    paths: impl Iterator<Item = &'p str>,
) -> Result<LoadedSide, WorkflowError> {
    let git_side = match side {
        AnchorSide::Old => Side::Old,
        AnchorSide::New => Side::New,
    };
    let by_path: HashMap<&str, &FileDiff> = files
        .iter()
        .filter_map(|f| {
            let p = match side {
                AnchorSide::Old => f.old_path.as_deref(),
                AnchorSide::New => f.new_path.as_deref(),
            };
            p.map(|p| (p, f))
        })
        .collect();
    let mut loaded = Vec::new();
    for path in paths {
        let diff = by_path.get(path).copied();
        let content = match diff {
            Some(file) => side_content(repo, resolved, file, git_side, MAX_FILE_BYTES)?,
            None => path_content(repo, resolved, git_side, path, MAX_FILE_BYTES)?,
        };
        let SideContent::Bytes(bytes) = content else {
            continue;
        };
        let blob = diff.and_then(|f| match side {
            AnchorSide::Old => f.old_id.as_deref(),
            AnchorSide::New => f.new_id.as_deref(),
        });
        let symbols = content_symbols(repo, attributes, path, blob, &bytes)?;
        loaded.push(LoadedFile {
            path: path.to_owned(),
            text: String::from_utf8_lossy(&bytes).into_owned(),
            hunks: diff.map(|f| hunk_spans(f, git_side)).unwrap_or_default(),
            symbols: symbol_spans(&symbols),
        });
    }
    Ok(LoadedSide { files: loaded })
}

/// A file's lines without terminators (`\r` of CRLF kept, as the diff keeps it).
fn split_lines(text: &str) -> Vec<&str> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return Vec::new();
    }
    text.split('\n').collect()
}

fn hunk_spans(file: &FileDiff, side: Side) -> Vec<HunkSpan> {
    file.hunks
        .iter()
        .map(|h| match side {
            Side::Old => HunkSpan {
                id: h.id.clone(),
                start: h.old_start,
                lines: h.old_lines,
            },
            Side::New => HunkSpan {
                id: h.id.clone(),
                start: h.new_start,
                lines: h.new_lines,
            },
        })
        .collect()
}

fn symbol_spans(symbols: &crate::syntax::FileSymbols) -> Vec<SymbolSpan> {
    symbols
        .symbols
        .iter()
        .map(|s| SymbolSpan {
            path: s.path.clone(),
            start: s.lines.start,
            end: s.lines.end,
        })
        .collect()
}
