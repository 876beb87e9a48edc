//! Turn snapshots: the whole working tree at the end of each agent turn, as a commit under
//! `refs/redline/snapshots/<session>/<turn>`.
//!
//! The tree is written from a copy of the index ([`crate::repo::write_worktree_tree`]), so the
//! user's index, status and stash stay as they were; only Redline's own refs are written. The
//! commits are reachable from those refs, so `git gc` keeps them until
//! [`prune`] removes the refs. Turn *n*'s commit has turn *n − 1*'s as its parent (turn 1's
//! parent is the HEAD commit the session started from), so "this turn" is an ordinary diff of a
//! commit against its parent.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use git2::{Oid, Repository, Signature};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::repo::{write_worktree_tree, RepoError, SkippedFile, UntrackedCap};

/// Where snapshot refs live.
pub const SNAPSHOT_REFS: &str = "refs/redline/snapshots/";

/// Untracked files larger than this are left out of a snapshot (and listed on the turn): a
/// build artefact or a dataset the agent dropped is not code to review.
pub const MAX_UNTRACKED_BYTES: u64 = 2 * 1024 * 1024;

/// The longest agent message kept on a turn; longer ones are cut (and say so).
pub const MAX_MESSAGE_CHARS: usize = 8_000;

/// What ended a turn, best evidence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Boundary {
    /// The agent's own Stop hook ran `redline hook <agent> stop`.
    Hook,
    /// The reviewer clicked "Mark turn" or ran `redline snapshot`.
    Manual,
    /// A commit was made.
    Commit,
    /// The working tree was quiet for a while after changing: a guess, shown as such.
    Inferred,
}

impl Boundary {
    /// The spelling in snapshot commits and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Boundary::Hook => "hook",
            Boundary::Manual => "manual",
            Boundary::Commit => "commit",
            Boundary::Inferred => "inferred",
        }
    }

    /// Reads [`Boundary::as_str`]'s spelling.
    pub fn parse(text: &str) -> Option<Boundary> {
        match text.trim() {
            "hook" => Some(Boundary::Hook),
            "manual" => Some(Boundary::Manual),
            "commit" => Some(Boundary::Commit),
            "inferred" => Some(Boundary::Inferred),
            _ => None,
        }
    }
}

/// One turn of an agent session: the working tree at its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Turn {
    pub session: String,
    /// 1 for the session's first turn.
    pub seq: u32,
    /// The snapshot commit (its tree is the working tree at the turn's end).
    pub commit: String,
    /// What the turn started from: the previous turn's snapshot, or the HEAD commit the
    /// session started on (`None` in a repository without commits).
    pub parent: Option<String>,
    pub boundary: Boundary,
    /// The agent that ran the hook (`claude-code`, `codex`, `cursor`), when known.
    pub agent: Option<String>,
    /// The HEAD commit when the snapshot was taken.
    pub head: Option<String>,
    /// What the agent said it did in this turn (its last message), when the hook gave it.
    pub message: Option<String>,
    /// Untracked files left out for their size.
    pub skipped: Vec<SkippedFile>,
    /// Seconds since the Unix epoch.
    #[specta(type = f64)]
    pub taken_at: i64,
    /// Milliseconds since the Unix epoch: orders a turn against notes and claims made within
    /// the same second.
    #[specta(type = f64)]
    pub taken_at_ms: i64,
}

impl Turn {
    /// The ref that keeps this turn.
    pub fn ref_name(&self) -> String {
        ref_name(&self.session, self.seq)
    }
}

/// What to record with a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRequest {
    /// The session; see [`session_name`] for what is accepted.
    pub session: String,
    pub boundary: Boundary,
    pub agent: Option<String>,
    pub message: Option<String>,
}

/// The result of [`take_snapshot`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotOutcome {
    /// The session's latest turn: the new one, or the previous one when nothing changed.
    pub turn: Option<Turn>,
    /// A new turn was recorded (false when the working tree equals the previous turn's end).
    pub created: bool,
}

/// Why a session name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid session name '{name}': use 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'")]
pub struct InvalidSession {
    pub name: String,
}

/// Checks a session name: it becomes a ref path component, so only a safe alphabet is taken.
pub fn session_name(name: &str) -> Result<&str, InvalidSession> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && !name.ends_with(".lock")
        && !name.contains("..")
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(name)
    } else {
        Err(InvalidSession {
            name: name.to_owned(),
        })
    }
}

/// The ref of turn `seq` of `session`.
pub fn ref_name(session: &str, seq: u32) -> String {
    format!("{SNAPSHOT_REFS}{session}/{seq}")
}

/// Records the working tree as the end of a turn of `request.session`, unless it equals the
/// end of the session's previous turn.
pub fn take_snapshot(
    repo: &Repository,
    request: &SnapshotRequest,
) -> Result<SnapshotOutcome, RepoError> {
    let session = session_name(&request.session)
        .map_err(|e| RepoError::InvalidSession { name: e.name })?
        .to_owned();
    let mut cap = UntrackedCap::at(MAX_UNTRACKED_BYTES);
    let tree_id = write_worktree_tree(repo, &mut cap)?;
    let head = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    // Two hooks of one session may race: the ref is created only if absent, so the loser
    // takes the next number.
    for attempt in 0..20 {
        let previous = session_turns(repo, &session)?.pop();
        if let Some(previous) = &previous {
            let previous_tree = Oid::from_str(&previous.commit)
                .ok()
                .and_then(|id| repo.find_commit(id).ok())
                .map(|c| c.tree_id());
            if previous_tree == Some(tree_id) {
                return Ok(SnapshotOutcome {
                    turn: Some(previous.clone()),
                    created: false,
                });
            }
        }
        let seq = previous.as_ref().map_or(1, |t| t.seq + 1);
        let now_ms = crate::store::now_ms();
        let parent = match &previous {
            Some(turn) => Some(find_commit(repo, &turn.commit)?),
            None => head.clone(),
        };
        let turn = Turn {
            session: session.clone(),
            seq,
            commit: String::new(),
            parent: parent.as_ref().map(|c| c.id().to_string()),
            boundary: request.boundary,
            agent: request.agent.clone(),
            head: head.as_ref().map(|c| c.id().to_string()),
            message: request.message.as_deref().map(cap_message),
            skipped: cap.skipped.clone(),
            taken_at: now_ms / 1000,
            taken_at_ms: now_ms,
        };
        let signature = Signature::new(
            "Redline",
            "redline@localhost",
            &git2::Time::new(turn.taken_at, 0),
        )
        .map_err(RepoError::git("make the snapshot's signature"))?;
        let tree = repo
            .find_tree(tree_id)
            .map_err(RepoError::git("read the snapshot tree"))?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let commit_id = repo
            .commit(
                None,
                &signature,
                &signature,
                &commit_message(&turn),
                &tree,
                &parents,
            )
            .map_err(RepoError::git("write the snapshot commit"))?;
        let name = ref_name(&session, seq);
        match repo.reference(&name, commit_id, false, "redline: turn snapshot") {
            Ok(_) => {
                return Ok(SnapshotOutcome {
                    turn: Some(Turn {
                        commit: commit_id.to_string(),
                        ..turn
                    }),
                    created: true,
                })
            }
            Err(e) if e.code() == git2::ErrorCode::Exists => continue,
            // Another process is writing this ref right now: look again once it is done.
            Err(e) if e.code() == git2::ErrorCode::Locked => {
                std::thread::sleep(std::time::Duration::from_millis(20 * (attempt + 1)));
                continue;
            }
            Err(e) => return Err(RepoError::git(format!("write {name}"))(e)),
        }
    }
    Err(RepoError::Internal {
        what: format!(
            "could not record a turn of session {session}: other snapshots kept taking its number"
        ),
    })
}

/// Every turn of every session, oldest session first (by its first turn), turns in order.
pub fn all_turns(repo: &Repository) -> Result<BTreeMap<String, Vec<Turn>>, RepoError> {
    let mut sessions: BTreeMap<String, Vec<Turn>> = BTreeMap::new();
    let references = repo
        .references_glob(&format!("{SNAPSHOT_REFS}*"))
        .map_err(RepoError::git("list the snapshot refs"))?;
    for reference in references.flatten() {
        let Some(name) = reference.name() else {
            continue;
        };
        let Some((session, seq)) = parse_ref(name) else {
            continue;
        };
        let Some(id) = reference.target() else {
            continue;
        };
        // A snapshot whose commit is unreadable is skipped rather than failing the list.
        let Ok(commit) = repo.find_commit(id) else {
            continue;
        };
        sessions
            .entry(session.to_owned())
            .or_default()
            .push(read_turn(session, seq, &commit));
    }
    for turns in sessions.values_mut() {
        turns.sort_by_key(|t| t.seq);
    }
    Ok(sessions)
}

/// The turns of one session, in order.
pub fn session_turns(repo: &Repository, session: &str) -> Result<Vec<Turn>, RepoError> {
    Ok(all_turns(repo)?.remove(session).unwrap_or_default())
}

/// The session with the most recent turn, if any.
pub fn latest_session(repo: &Repository) -> Result<Option<String>, RepoError> {
    Ok(all_turns(repo)?
        .into_iter()
        .filter_map(|(session, turns)| {
            let last = turns.last()?;
            Some(((last.taken_at_ms, last.seq), session))
        })
        .max()
        .map(|(_, session)| session))
}

/// What [`prune`] removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Sessions whose last turn is older than this many days are removed whole.
    pub max_age_days: u32,
    /// Of each remaining session, only this many latest turns are kept.
    pub max_turns: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            max_age_days: 30,
            max_turns: 200,
        }
    }
}

/// Removes snapshot refs by `retention`, returning the refs removed. Only refs under
/// [`SNAPSHOT_REFS`] are touched; `git gc` then frees what nothing else references.
pub fn prune(repo: &Repository, retention: Retention) -> Result<Vec<String>, RepoError> {
    let cutoff = now() - i64::from(retention.max_age_days) * 86_400;
    let mut removed = Vec::new();
    for (_, turns) in all_turns(repo)? {
        let stale = turns.last().is_some_and(|t| t.taken_at < cutoff);
        let keep_from = turns.len().saturating_sub(retention.max_turns as usize);
        for (index, turn) in turns.iter().enumerate() {
            if stale || index < keep_from {
                let name = turn.ref_name();
                if let Ok(mut reference) = repo.find_reference(&name) {
                    reference
                        .delete()
                        .map_err(RepoError::git(format!("delete {name}")))?;
                    removed.push(name);
                }
            }
        }
    }
    Ok(removed)
}

fn parse_ref(name: &str) -> Option<(&str, u32)> {
    let rest = name.strip_prefix(SNAPSHOT_REFS)?;
    let (session, seq) = rest.split_once('/')?;
    session_name(session).ok()?;
    let seq: u32 = seq.parse().ok().filter(|n| *n > 0)?;
    Some((session, seq))
}

fn find_commit<'r>(repo: &'r Repository, id: &str) -> Result<git2::Commit<'r>, RepoError> {
    Oid::from_str(id)
        .and_then(|id| repo.find_commit(id))
        .map_err(RepoError::git(format!("read the snapshot commit {id}")))
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn cap_message(message: &str) -> String {
    let message = message.trim();
    if message.chars().count() <= MAX_MESSAGE_CHARS {
        return message.to_owned();
    }
    let cut: String = message.chars().take(MAX_MESSAGE_CHARS).collect();
    format!("{cut}\n[… cut by Redline at {MAX_MESSAGE_CHARS} characters]")
}

// A snapshot commit's message: a title, `Redline-*` header lines, a blank line, then the
// agent's message verbatim. The headers come first so a message can never forge one.
const HEADER_BOUNDARY: &str = "Redline-Boundary: ";
const HEADER_AGENT: &str = "Redline-Agent: ";
const HEADER_HEAD: &str = "Redline-Head: ";
const HEADER_SKIPPED: &str = "Redline-Skipped: ";
const HEADER_TIME: &str = "Redline-Time-Ms: ";

fn commit_message(turn: &Turn) -> String {
    let mut text = format!(
        "Redline snapshot: turn {} of session {}\n\n",
        turn.seq, turn.session
    );
    text.push_str(&format!("{HEADER_BOUNDARY}{}\n", turn.boundary.as_str()));
    text.push_str(&format!("{HEADER_TIME}{}\n", turn.taken_at_ms));
    if let Some(agent) = &turn.agent {
        text.push_str(&format!("{HEADER_AGENT}{}\n", one_line(agent)));
    }
    if let Some(head) = &turn.head {
        text.push_str(&format!("{HEADER_HEAD}{head}\n"));
    }
    for skipped in &turn.skipped {
        text.push_str(&format!(
            "{HEADER_SKIPPED}{} {}\n",
            skipped.bytes,
            one_line(&skipped.path)
        ));
    }
    if let Some(message) = &turn.message {
        text.push('\n');
        text.push_str(message);
        text.push('\n');
    }
    text
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

fn read_turn(session: &str, seq: u32, commit: &git2::Commit<'_>) -> Turn {
    let raw = String::from_utf8_lossy(commit.message_bytes()).into_owned();
    let mut turn = Turn {
        session: session.to_owned(),
        seq,
        commit: commit.id().to_string(),
        parent: commit.parent_ids().next().map(|id| id.to_string()),
        boundary: Boundary::Manual,
        agent: None,
        head: None,
        message: None,
        skipped: Vec::new(),
        taken_at: commit.time().seconds(),
        taken_at_ms: commit.time().seconds().saturating_mul(1000),
    };
    // Skip the title and its blank line; headers run to the next blank line.
    let mut sections = raw.splitn(3, "\n\n");
    let _title = sections.next();
    if let Some(headers) = sections.next() {
        for line in headers.lines() {
            if let Some(value) = line.strip_prefix(HEADER_BOUNDARY) {
                turn.boundary = Boundary::parse(value).unwrap_or(Boundary::Manual);
            } else if let Some(value) = line.strip_prefix(HEADER_TIME) {
                if let Ok(ms) = value.trim().parse() {
                    turn.taken_at_ms = ms;
                }
            } else if let Some(value) = line.strip_prefix(HEADER_AGENT) {
                turn.agent = Some(value.to_owned());
            } else if let Some(value) = line.strip_prefix(HEADER_HEAD) {
                turn.head = Some(value.trim().to_owned());
            } else if let Some(value) = line.strip_prefix(HEADER_SKIPPED) {
                if let Some((bytes, path)) = value.split_once(' ') {
                    turn.skipped.push(SkippedFile {
                        path: path.to_owned(),
                        bytes: bytes.parse().unwrap_or(0),
                    });
                }
            }
        }
    }
    turn.message = sections
        .next()
        .map(|m| m.trim_end().to_owned())
        .filter(|m| !m.is_empty());
    turn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_names_are_safe_ref_components() {
        for good in [
            "default",
            "a1b2-c3",
            "0f1e2d3c-aaaa-bbbb-cccc-123456789abc",
            "x.y_z",
        ] {
            assert_eq!(session_name(good), Ok(good));
        }
        for bad in [
            "",
            ".hidden",
            "a/b",
            "a..b",
            "x.lock",
            "sp ace",
            "é",
            &"a".repeat(65),
        ] {
            assert!(session_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn refs_parse_back_to_session_and_turn() {
        assert_eq!(parse_ref("refs/redline/snapshots/s1/12"), Some(("s1", 12)));
        assert_eq!(parse_ref("refs/redline/snapshots/s1/0"), None);
        assert_eq!(parse_ref("refs/redline/snapshots/s1/x"), None);
        assert_eq!(parse_ref("refs/heads/main"), None);
    }
}
