//! The agent loop: turns of an agent session, notes handed to the agent and its claims, and
//! undoing a hunk of its change (composes `agent`, `repo`, `notes` and `store`).

use std::path::Path;

use git2::Repository;
use serde::Serialize;
use specta::Type;
use tracing::instrument;

use crate::agent::handoff::{AgentBrief, AgentNote, AgentReply, CodeState, RejectedEdit};
use crate::agent::snapshot::{self, SnapshotOutcome, SnapshotRequest, Turn};
use crate::diff::{DiffStats, FileDiff, LineKind};
use crate::notes::{Author, Placement, Thread};
use crate::repo::blob::{side_content, Side, SideContent};
use crate::repo::{self, DiffLimits, RepoError, Target};
use crate::store::Store;

use super::notes::place_threads;
use super::progress::HunkChoice;
use super::workflow::{repo_id, Opened, WorkflowError};

/// The largest file a hunk can be undone in.
const MAX_UNDO_BYTES: u64 = 4 * 1024 * 1024;

/// Records the working tree of the repository containing `path` as the end of a turn.
#[instrument(level = "debug")]
pub fn snapshot(path: &Path, request: &SnapshotRequest) -> Result<SnapshotOutcome, RepoError> {
    let (repo, _) = repo::open(path)?;
    snapshot::take_snapshot(&repo, request)
}

/// Removes old turn snapshots of the repository containing `path` (see
/// [`snapshot::prune`]); returns the refs removed.
pub fn prune_snapshots(
    path: &Path,
    retention: snapshot::Retention,
) -> Result<Vec<String>, RepoError> {
    let (repo, _) = repo::open(path)?;
    snapshot::prune(&repo, retention)
}

/// Whether `path` is (inside) a repository: a Stop hook run elsewhere records nothing.
pub fn in_repository(path: &Path) -> bool {
    repo::contains_repository(path)
}

/// The session with the most recent turn in the repository containing `path`, if any.
pub fn latest_session(path: &Path) -> Result<Option<String>, RepoError> {
    let (repo, _) = repo::open(path)?;
    snapshot::latest_session(&repo)
}

/// One turn as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TurnSummary {
    pub turn: Turn,
    /// The target that reviews this turn alone: `turn:N@SESSION`.
    pub spec: String,
    pub target: Target,
    pub stats: DiffStats,
    /// Paths the turn changed (at most 50).
    pub files: Vec<String>,
    /// Notes written on this turn's review.
    pub notes_written: u32,
    /// Threads the agent claimed addressed during this turn.
    pub claimed: Vec<String>,
}

/// An agent session: its turns, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AgentSession {
    pub session: String,
    /// The agent that reported its turns, when a hook did.
    pub agent: Option<String>,
    pub turns: Vec<TurnSummary>,
}

/// Every agent session of the repository containing `path`, the most recent first.
#[instrument(level = "debug", skip(store))]
pub fn sessions(store: &Store, path: &Path) -> Result<Vec<AgentSession>, WorkflowError> {
    let (repo, summary) = repo::open(path)?;
    let repo_id = repo_id(store, &repo, &summary.path)?;
    let claims = store.claims(repo_id)?;
    let mut sessions = Vec::new();
    for (session, turns) in snapshot::all_turns(&repo)? {
        let mut summaries = Vec::with_capacity(turns.len());
        let mut previous_at = i64::MIN;
        for turn in turns {
            let target = Target::Turn {
                session: Some(session.clone()),
                first: Some(turn.seq),
                last: Some(turn.seq),
            };
            let (stats, files) = turn_changes(&repo, &turn)?;
            let notes_written = match store.find_review(repo_id, &target.to_string())? {
                Some(review) => u32::try_from(store.threads(review)?.len()).unwrap_or(u32::MAX),
                None => 0,
            };
            let ends_ms = turn.taken_at_ms;
            let claimed = claims
                .iter()
                .filter(|(_, at)| *at > previous_at && *at <= ends_ms)
                .map(|(id, _)| id.clone())
                .collect();
            previous_at = ends_ms;
            summaries.push(TurnSummary {
                spec: target.to_string(),
                target,
                stats,
                files,
                notes_written,
                claimed,
                turn,
            });
        }
        let agent = summaries.iter().rev().find_map(|t| t.turn.agent.clone());
        sessions.push(AgentSession {
            session,
            agent,
            turns: summaries,
        });
    }
    sessions.sort_by_key(|s| std::cmp::Reverse(s.turns.last().map(|t| t.turn.taken_at)));
    Ok(sessions)
}

/// A turn's stats and (at most 50) changed paths. A snapshot commit never changes, so each is
/// computed once per process: the window lists the session's turns on every refresh.
fn turn_changes(repo: &Repository, turn: &Turn) -> Result<(DiffStats, Vec<String>), RepoError> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock, PoisonError};
    type Changes = (DiffStats, Vec<String>);
    static KNOWN: OnceLock<Mutex<HashMap<String, Changes>>> = OnceLock::new();
    let known = KNOWN.get_or_init(|| Mutex::new(HashMap::new()));
    let key = format!("{}:{}", turn.parent.as_deref().unwrap_or(""), turn.commit);
    if let Some(found) = known
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return Ok(found.clone());
    }
    let files = turn_files(repo, turn)?;
    let changes = (
        DiffStats::of(&files),
        files
            .iter()
            .take(50)
            .map(|f| f.display_path().to_owned())
            .collect(),
    );
    known
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key, changes.clone());
    Ok(changes)
}

fn turn_files(repo: &Repository, turn: &Turn) -> Result<Vec<FileDiff>, RepoError> {
    let resolved = repo::resolve_turn_span(repo, turn, turn)?;
    repo::load_diff(repo, &resolved, &DiffLimits::default())
}

/// Hands threads of `target`'s review to the agent: the next Stop hook, `notes --for-agent`
/// or MCP `list_review_notes` gives them to it. Returns how many were sent (resolved threads
/// are not).
#[instrument(level = "debug", skip(store))]
pub fn send_to_agent(
    store: &Store,
    path: &Path,
    target: &Target,
    thread_ids: &[String],
) -> Result<u32, WorkflowError> {
    let opened = Opened::new(store, path, target)?;
    let review_id = opened.review_id(store)?;
    let threads = store.threads(review_id)?;
    let mut ids = Vec::with_capacity(thread_ids.len());
    for wanted in thread_ids {
        let found: Vec<&Thread> = threads
            .iter()
            .filter(|t| t.id.starts_with(wanted.as_str()))
            .collect();
        match found.as_slice() {
            [one] if !wanted.is_empty() => ids.push(one.id.clone()),
            _ => return Err(crate::store::StoreError::NoSuchNote { id: wanted.clone() }.into()),
        }
    }
    Ok(store.send_threads(review_id, &ids)?)
}

/// Which notes a brief holds, and whether handing it over is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BriefScope {
    /// Only what was not handed over before, recorded as received now: a Stop hook,
    /// `notes --for-agent`. Each note reaches the agent once, so a hook never loops.
    New,
    /// Every open sent note (and the latest undone edits), recorded as received: the agent
    /// asked for them (MCP `list_review_notes`).
    AllSent,
    /// Every open sent note, recording nothing: what the reviewer previews or copies.
    Preview,
}

/// How many undone edits a full brief repeats.
const MAX_REJECTED_IN_FULL_BRIEF: usize = 20;

/// What the agent is handed: the open threads sent to it (in any review of the repository),
/// each placed on the working tree as it is now, and the edits the reviewer undid.
#[instrument(level = "debug", skip(store))]
pub fn agent_brief(
    store: &Store,
    path: &Path,
    scope: BriefScope,
) -> Result<AgentBrief, WorkflowError> {
    let (repo, summary) = repo::open(path)?;
    let repo_id = repo_id(store, &repo, &summary.path)?;
    let only_new = scope == BriefScope::New;
    let sent = store.sent_threads(repo_id, only_new)?;
    let mut undos: Vec<crate::store::UndoRecord> = store
        .undos(repo_id, only_new)?
        .into_iter()
        .filter(|u| u.redone_at.is_none())
        .collect();
    if !only_new && undos.len() > MAX_REJECTED_IN_FULL_BRIEF {
        undos.drain(..undos.len() - MAX_REJECTED_IN_FULL_BRIEF);
    }
    let notes = if sent.is_empty() {
        Vec::new()
    } else {
        let threads: Vec<Thread> = sent.iter().map(|(_, _, t)| t.clone()).collect();
        let placements = place_on_worktree(&repo, &threads)?;
        sent.iter()
            .zip(placements)
            .map(|((_, review, thread), placement)| agent_note(review, thread, &placement))
            .collect()
    };
    let brief = AgentBrief {
        notes,
        rejected: undos
            .iter()
            .map(|u| RejectedEdit {
                path: u.path.clone(),
                excerpt: u.summary.clone(),
            })
            .collect(),
        omitted: 0,
    }
    .sanitised();
    if scope != BriefScope::Preview {
        let ids: Vec<String> = brief.notes.iter().map(|n| n.id.clone()).collect();
        store.mark_delivered(&ids)?;
        let undo_ids: Vec<String> = undos.iter().map(|u| u.id.clone()).collect();
        store.mark_undos_delivered(&undo_ids)?;
    }
    Ok(brief)
}

/// Places threads on the working tree (or on HEAD when the working tree cannot be read).
fn place_on_worktree(
    repo: &Repository,
    threads: &[Thread],
) -> Result<Vec<Placement>, WorkflowError> {
    let resolved = repo::resolve(repo, &Target::Worktree)?;
    let files = repo::load_diff(repo, &resolved, &DiffLimits::default())?;
    place_threads(repo, &resolved, &files, threads)
}

fn agent_note(review: &str, thread: &Thread, placement: &Placement) -> AgentNote {
    let anchor = &thread.anchor;
    let (path, start_line, end_line, code_state) = match placement {
        Placement::Current {
            path,
            start_line,
            end_line,
        } => (path.clone(), *start_line, *end_line, CodeState::Unchanged),
        Placement::Changed {
            path,
            start_line,
            end_line,
        } => (path.clone(), *start_line, *end_line, CodeState::Changed),
        Placement::Outdated => (
            anchor.path.clone(),
            anchor.start_line,
            anchor.end_line,
            CodeState::Gone,
        ),
    };
    let first = thread.notes.first();
    AgentNote {
        id: thread.id.clone(),
        kind: thread.kind,
        path,
        start_line,
        end_line,
        symbol: anchor.symbol.clone(),
        code_state,
        code: anchor.lines.clone(),
        body: first.map(|n| n.body.clone()).unwrap_or_default(),
        author: first.map(|n| n.author.name.clone()).unwrap_or_default(),
        replies: thread
            .notes
            .iter()
            .skip(1)
            .map(|n| AgentReply {
                author: n.author.name.clone(),
                body: n.body.clone(),
            })
            .collect(),
        claim: thread.handoff.claim.clone(),
        review: review.to_owned(),
    }
}

/// One thread sent to the agent, as the agent sees it, found by id (or unique prefix) among
/// the reviews of the repository containing `path`.
#[instrument(level = "debug", skip(store))]
pub fn agent_note_context(
    store: &Store,
    path: &Path,
    thread_id: &str,
) -> Result<AgentNote, WorkflowError> {
    let (repo, summary) = repo::open(path)?;
    let repo_id = repo_id(store, &repo, &summary.path)?;
    let (review_id, id) = store.find_thread(repo_id, thread_id)?;
    let thread = store
        .threads(review_id)?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| crate::store::StoreError::NoSuchNote { id: id.clone() })?;
    let review = store.review_key(review_id)?;
    let placement = place_on_worktree(&repo, std::slice::from_ref(&thread))?
        .pop()
        .unwrap_or(Placement::Outdated);
    let note = agent_note(&review, &thread, &placement);
    Ok(AgentBrief {
        notes: vec![note],
        ..AgentBrief::default()
    }
    .sanitised()
    .notes
    .remove(0))
}

/// The agent replies in a thread (as `agent`; a reply from the agent does not withdraw its
/// claim, a human's does).
#[instrument(level = "debug", skip(store, body))]
pub fn agent_reply(
    store: &Store,
    path: &Path,
    thread_id: &str,
    agent: &str,
    body: &str,
) -> Result<crate::notes::NoteEntry, WorkflowError> {
    let body = crate::notes::check_body(body)?;
    let (repo, summary) = repo::open(path)?;
    let repo_id = repo_id(store, &repo, &summary.path)?;
    let (review_id, id) = store.find_thread(repo_id, thread_id)?;
    Ok(store.add_reply(review_id, &id, &agent_author(agent), body)?)
}

/// How an agent signs its replies.
pub fn agent_author(agent: &str) -> Author {
    let name = crate::agent::handoff::clean(agent.trim(), 60).replace('\n', " ");
    Author {
        name: format!("{} (agent)", if name.is_empty() { "agent" } else { &name }),
        email: String::new(),
    }
}

/// The agent claims it addressed a thread. The claim records the working tree's tree now,
/// the evidence the reviewer checks; the thread stays open until a human resolves it.
#[instrument(level = "debug", skip(store, message))]
pub fn claim_addressed(
    store: &Store,
    path: &Path,
    thread_id: &str,
    agent: &str,
    message: &str,
) -> Result<AgentNote, WorkflowError> {
    let message = crate::notes::check_body(message)?;
    let (repo, summary) = repo::open(path)?;
    let repo_id = repo_id(store, &repo, &summary.path)?;
    let (_, id) = store.find_thread(repo_id, thread_id)?;
    let tree = repo::take_revision(&repo, &Target::Worktree)
        .ok()
        .map(|r| r.head_tree);
    store.claim_thread(repo_id, &id, agent.trim(), message, tree.as_deref())?;
    agent_note_context(store, path, &id)
}

/// A hunk or file of the agent's change the reviewer undid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UndoOutcome {
    pub id: String,
    pub path: String,
    /// The lines reverted, as a unified-diff excerpt.
    pub excerpt: String,
}

/// Reverts hunk `hunk` (or the whole file) of `file` in the working tree: the agent's
/// uncommitted change, so only `worktree` is accepted. The file's bytes before are kept so
/// [`redo`] can put them back, and the undo is told to the agent with the next notes.
#[instrument(level = "debug", skip(store))]
pub fn undo(
    store: &Store,
    path: &Path,
    target: &Target,
    file: &str,
    hunk: &HunkChoice,
) -> Result<UndoOutcome, WorkflowError> {
    if *target != Target::Worktree {
        return Err(WorkflowError::CannotUndo {
            reason: format!(
                "only the working tree's changes can be undone, not {target} (it is history)"
            ),
        });
    }
    let opened = Opened::new(store, path, target)?;
    let diff =
        repo::load_file_diff(&opened.repo, &opened.resolved, file, None)?.ok_or_else(|| {
            RepoError::FileNotInTarget {
                file: file.to_owned(),
                target: target.to_string(),
            }
        })?;
    if diff.binary || diff.omitted.is_some() && !matches!(hunk, HunkChoice::All) {
        return Err(WorkflowError::CannotUndo {
            reason: format!("{file} has no text hunks to undo one by one; undo the whole file"),
        });
    }
    let root = worktree_root(&opened.repo)?;
    let old = match side_content(
        &opened.repo,
        &opened.resolved,
        &diff,
        Side::Old,
        MAX_UNDO_BYTES,
    )? {
        SideContent::Bytes(bytes) => Some(bytes),
        SideContent::Absent => None,
        SideContent::TooLarge { bytes } => {
            return Err(WorkflowError::FileTooLarge {
                path: file.to_owned(),
                bytes,
                limit: MAX_UNDO_BYTES,
            })
        }
    };
    let new_path = diff.new_path.clone();
    let disk_path = root.join(new_path.as_deref().unwrap_or(file));
    let current = match std::fs::symlink_metadata(&disk_path) {
        Ok(m) if m.is_file() => {
            if m.len() > MAX_UNDO_BYTES {
                return Err(WorkflowError::FileTooLarge {
                    path: file.to_owned(),
                    bytes: m.len(),
                    limit: MAX_UNDO_BYTES,
                });
            }
            Some(
                std::fs::read(&disk_path).map_err(|e| RepoError::Unreadable {
                    path: file.to_owned(),
                    reason: e.to_string(),
                })?,
            )
        }
        Ok(_) => {
            return Err(WorkflowError::CannotUndo {
                reason: format!("{file} is not a regular file in the working tree"),
            })
        }
        Err(_) => None,
    };
    let (after, excerpt, hunk_id) = match hunk_index(&diff, hunk) {
        None => {
            let excerpt = diff
                .hunks
                .iter()
                .map(hunk_excerpt)
                .collect::<Vec<_>>()
                .join("");
            (old.clone(), excerpt, None)
        }
        Some(found) => {
            let h = found.map_err(|h| WorkflowError::NoSuchHunk {
                path: file.to_owned(),
                hunk: h,
                count: diff.hunks.len(),
                target: target.to_string(),
            })?;
            let (Some(current), Some(old)) = (&current, &old) else {
                return Err(WorkflowError::CannotUndo {
                    reason: format!(
                        "{file} was added or deleted as a whole: undo the whole file instead"
                    ),
                });
            };
            let reverted =
                revert_hunk(current, old, h).ok_or_else(|| WorkflowError::CannotUndo {
                    reason: format!(
                        "{file} changed on disk while the hunk was read; look again and retry"
                    ),
                })?;
            (Some(reverted), hunk_excerpt(h), Some(h.id.0.clone()))
        }
    };
    write_file(&disk_path, after.as_deref(), file)?;
    let id = store.record_undo(&crate::store::UndoRecord {
        id: crate::store::new_id(),
        repo_id: opened.repo_id,
        target: opened.key.clone(),
        path: file.to_owned(),
        hunk_id,
        before: current,
        after,
        summary: excerpt.clone(),
        redone_at: None,
    })?;
    Ok(UndoOutcome {
        id,
        path: file.to_owned(),
        excerpt,
    })
}

/// The hunk `choice` names in `diff`: `None` for the whole file, else the hunk or the
/// spelling that names none.
fn hunk_index<'d>(
    diff: &'d FileDiff,
    choice: &HunkChoice,
) -> Option<Result<&'d crate::diff::Hunk, String>> {
    match choice {
        HunkChoice::All => None,
        HunkChoice::Index(n) => Some(
            n.checked_sub(1)
                .and_then(|i| diff.hunks.get(i))
                .ok_or_else(|| n.to_string()),
        ),
        HunkChoice::Id(id) => Some(
            diff.hunks
                .iter()
                .find(|h| !id.is_empty() && h.id.0.starts_with(id.as_str()))
                .ok_or_else(|| id.clone()),
        ),
    }
}

/// Puts back the file as it was before the latest undo in the repository containing `path`
/// that was not redone yet, if the file was not changed since. Returns what was redone.
#[instrument(level = "debug", skip(store))]
pub fn redo(store: &Store, path: &Path) -> Result<UndoOutcome, WorkflowError> {
    let (repo, summary) = repo::open(path)?;
    let repo_id = repo_id(store, &repo, &summary.path)?;
    let Some(last) = store
        .undos(repo_id, false)?
        .into_iter()
        .rev()
        .find(|u| u.redone_at.is_none())
    else {
        return Err(WorkflowError::CannotUndo {
            reason: "nothing to redo: no undo since the last redo".to_owned(),
        });
    };
    let disk_path = worktree_root(&repo)?.join(&last.path);
    let now = std::fs::read(&disk_path).ok();
    if now != last.after {
        return Err(WorkflowError::CannotUndo {
            reason: format!(
                "{} changed since the undo; redoing would overwrite those changes",
                last.path
            ),
        });
    }
    write_file(&disk_path, last.before.as_deref(), &last.path)?;
    store.mark_redone(&last.id)?;
    Ok(UndoOutcome {
        id: last.id,
        path: last.path,
        excerpt: last.summary,
    })
}

/// The hunk as unified-diff text.
fn hunk_excerpt(hunk: &crate::diff::Hunk) -> String {
    let mut text = format!("{}\n", hunk.header);
    for line in hunk.lines() {
        text.push(line.kind.sign());
        text.push_str(line.text);
        text.push('\n');
    }
    text
}

/// Lines of `bytes`, each with its terminator.
fn split_lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split_inclusive(|&b| b == b'\n').collect()
}

/// `current` with `hunk`'s new-side lines replaced by its old-side lines taken from `old`
/// (byte for byte, terminators included). `None` when `current` no longer holds the hunk's
/// new lines where the hunk says.
fn revert_hunk(current: &[u8], old: &[u8], hunk: &crate::diff::Hunk) -> Option<Vec<u8>> {
    let current_lines = split_lines(current);
    let old_lines = split_lines(old);
    // An empty side's start names the line before the hunk (`@@ -5,0 +6,2 @@`).
    let new_from = (hunk.new_start as usize).saturating_sub(usize::from(hunk.new_lines > 0));
    let old_from = (hunk.old_start as usize).saturating_sub(usize::from(hunk.old_lines > 0));
    let new_to = new_from + hunk.new_lines as usize;
    let old_to = old_from + hunk.old_lines as usize;
    let expected: Vec<&str> = hunk
        .lines()
        .filter(|l| l.kind != LineKind::Removed)
        .map(|l| l.text)
        .collect();
    let region = current_lines.get(new_from..new_to)?;
    let matches = region.len() == expected.len()
        && region.iter().zip(&expected).all(|(line, text)| {
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            line == text.as_bytes() || String::from_utf8_lossy(line) == *text
        });
    if !matches {
        return None;
    }
    let replacement = old_lines.get(old_from..old_to)?;
    let mut out = Vec::with_capacity(current.len());
    for line in &current_lines[..new_from] {
        out.extend_from_slice(line);
    }
    for line in replacement {
        out.extend_from_slice(line);
    }
    for line in &current_lines[new_to..] {
        out.extend_from_slice(line);
    }
    Some(out)
}

/// Writes (or, for `None`, removes) a working-tree file, through a temporary file and a
/// rename so a crash leaves the old or the new content, never half of one.
fn write_file(disk_path: &Path, content: Option<&[u8]>, shown: &str) -> Result<(), WorkflowError> {
    let failed = |e: std::io::Error| WorkflowError::CannotUndo {
        reason: format!("cannot write {shown}: {e}"),
    };
    match content {
        None => match std::fs::remove_file(disk_path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(failed(e)),
        },
        Some(bytes) => {
            let dir = disk_path
                .parent()
                .ok_or_else(|| WorkflowError::CannotUndo {
                    reason: format!("{shown} has no parent directory"),
                })?;
            std::fs::create_dir_all(dir).map_err(failed)?;
            let permissions = std::fs::metadata(disk_path).ok().map(|m| m.permissions());
            let temporary = dir.join(format!(".redline-undo-{}", crate::store::new_id()));
            std::fs::write(&temporary, bytes).map_err(failed)?;
            if let Some(permissions) = permissions {
                std::fs::set_permissions(&temporary, permissions).map_err(failed)?;
            }
            std::fs::rename(&temporary, disk_path).map_err(|e| {
                let _ = std::fs::remove_file(&temporary);
                failed(e)
            })
        }
    }
}

fn worktree_root(repo: &Repository) -> Result<std::path::PathBuf, WorkflowError> {
    repo.workdir().map(Path::to_owned).ok_or_else(|| {
        RepoError::BareRepository {
            path: repo.path().to_owned(),
        }
        .into()
    })
}

/// How long the working tree must stay quiet after changing before the window infers the end
/// of a turn (when no agent hook reports turns).
pub const QUIET_PERIOD: std::time::Duration = std::time::Duration::from_secs(30);

/// A hook-reported turn this recent means the agent's hook is installed and working: no
/// turn is inferred beside it.
const HOOK_FRESHNESS_MS: i64 = 60 * 60 * 1000;

/// A session whose last turn is older than this is over: an inferred turn starts a new one.
const SESSION_GAP_MS: i64 = 8 * 60 * 60 * 1000;

/// A commit was made (HEAD moved) while an agent session is open: records the working tree as
/// a turn with the `commit` boundary. Nothing when no session has turns, HEAD did not move
/// since its last turn, or nothing changed.
pub fn commit_boundary(path: &Path) -> Result<Option<SnapshotOutcome>, RepoError> {
    let (repo, _) = repo::open(path)?;
    let Some(session) = snapshot::latest_session(&repo)? else {
        return Ok(None);
    };
    let Some(last) = snapshot::session_turns(&repo, &session)?.pop() else {
        return Ok(None);
    };
    let head = repo
        .head()
        .ok()
        .and_then(|h| h.target())
        .map(|id| id.to_string());
    if head.is_none() || head == last.head {
        return Ok(None);
    }
    let outcome = snapshot::take_snapshot(
        &repo,
        &SnapshotRequest {
            session,
            boundary: snapshot::Boundary::Commit,
            agent: last.agent,
            message: None,
        },
    )?;
    Ok(outcome.created.then_some(outcome))
}

/// The working tree has been quiet for [`QUIET_PERIOD`] after changing: records an inferred
/// turn, unless an agent hook reports turns, or the working tree equals HEAD or the last turn.
pub fn inferred_boundary(path: &Path) -> Result<Option<SnapshotOutcome>, RepoError> {
    let (repo, _) = repo::open(path)?;
    let now = crate::store::now_ms();
    let latest = match snapshot::latest_session(&repo)? {
        Some(session) => snapshot::session_turns(&repo, &session)?.pop(),
        None => None,
    };
    if let Some(last) = &latest {
        if last.boundary == snapshot::Boundary::Hook && now - last.taken_at_ms < HOOK_FRESHNESS_MS {
            return Ok(None);
        }
    }
    let revision = repo::take_revision(&repo, &Target::Worktree)?;
    if revision.base_tree == revision.head_tree && latest.is_none() {
        return Ok(None); // nothing uncommitted, no session: no agent at work
    }
    let session = match latest {
        Some(last) if now - last.taken_at_ms < SESSION_GAP_MS => last.session,
        _ => format!("watch-{}", now / 1000),
    };
    let outcome = snapshot::take_snapshot(
        &repo,
        &SnapshotRequest {
            session,
            boundary: snapshot::Boundary::Inferred,
            agent: None,
            message: None,
        },
    )?;
    Ok(outcome.created.then_some(outcome))
}

/// What changed in the working tree since the reviewer last marked a hunk of its review
/// viewed: "since my last review".
#[instrument(level = "debug", skip(store))]
pub fn since_last_review(store: &Store, path: &Path) -> Result<super::Interdiff, WorkflowError> {
    let target = Target::Worktree;
    let opened = Opened::new(store, path, &target)?;
    let last = match opened.existing_review(store)? {
        Some(review_id) => store
            .viewed_marks(review_id, opened.reviewer.key())?
            .into_iter()
            .max_by_key(|mark| mark.viewed_at),
        None => None,
    };
    let Some(last) = last else {
        return Err(WorkflowError::NoEarlierReview {
            target: target.to_string(),
        });
    };
    let since: repo::RevisionId =
        last.revision
            .parse()
            .map_err(|_| WorkflowError::NoEarlierReview {
                target: target.to_string(),
            })?;
    Ok(super::interdiff(path, &target, &since)?)
}
