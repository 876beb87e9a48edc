//! `redline sync`: the local reviews and the notes ref (`refs/notes/redline`), merged both
//! ways, and exchanged with a remote through git.
//!
//! Each review recorded in the store is attached to a commit: a commit review to its commit,
//! a range or branch review to its head commit, and a working-tree or index review to the
//! commit whose tree is the content it was decided (or last noted) on, once that is committed
//! (matched by content, among HEAD's latest commits; until then it stays local). The shared
//! documents of each commit are merged (`sharing::merge`) from three sides — the local notes
//! ref, the remote's, and the store — written as one notes commit whose parents are both tips
//! (so the push is a fast-forward), and brought back into the store, so other reviewers' notes
//! and decisions show up locally. A push refused because someone pushed meanwhile is retried
//! after fetching again, with a growing pause.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Duration;

use git2::{Oid, Repository, Signature};
use serde::Serialize;
use specta::Type;
use tracing::instrument;

use crate::repo::notes_ref::{self, NoteBlob, TransportOutcome};
use crate::repo::{self, RepoError, Target};
use crate::sharing::{canonical, merge_documents, CommitReviews, DocumentError, NOTES_REF};
use crate::store::{Imported, Store};

use super::workflow::{repo_id, WorkflowError};

/// How many times a refused push is retried (after fetching and merging again).
const PUSH_ATTEMPTS: u32 = 4;
/// How far back from HEAD a committed working-tree review looks for its commit.
const ATTACH_DEPTH: usize = 200;

/// What a sync did (or, with `dry_run`, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub remote: Option<String>,
    pub dry_run: bool,
    /// Commits whose review note was written or changed.
    pub commits_written: u32,
    /// Brought into the local store from the notes ref (others' work).
    pub new_threads: u32,
    pub new_replies: u32,
    pub new_decisions: u32,
    /// Threads whose kind or resolved state someone else changed later.
    pub updated_threads: u32,
    /// The notes ref was pushed to the remote.
    pub pushed: bool,
    /// Pushes refused because the remote moved meanwhile (each followed by a new merge).
    pub retries: u32,
    /// Reviews that stay local: their content is not committed yet.
    pub local_only: Vec<String>,
    /// Notes that could not be read, one line each (`<commit>: <why>`); they are left as
    /// they are.
    pub problems: Vec<String>,
    /// When it ended, milliseconds since the Unix epoch.
    #[specta(type = f64)]
    pub synced_at: i64,
}

/// The remote a sync exchanges with by default: the current branch's upstream remote, else
/// `origin`, else the only remote; `None` when the repository has none.
pub fn default_remote(path: &Path) -> Result<Option<String>, RepoError> {
    let (repo, _) = repo::open(path)?;
    let remotes = repo.remotes().map_err(RepoError::git("list the remotes"))?;
    let names: Vec<&str> = remotes.iter().flatten().collect();
    let upstream = repo
        .head()
        .ok()
        .and_then(|head| head.name().map(str::to_owned))
        .and_then(|name| repo.branch_upstream_remote(&name).ok())
        .and_then(|buf| buf.as_str().map(str::to_owned));
    Ok(upstream
        .filter(|u| names.contains(&u.as_str()))
        .or_else(|| names.contains(&"origin").then(|| "origin".to_owned()))
        .or_else(|| (names.len() == 1).then(|| names[0].to_owned())))
}

/// The last sync of the repository containing `path` (`None`: never synced here).
pub fn last_sync(store: &Store, path: &Path) -> Result<Option<SyncReport>, WorkflowError> {
    let (repo, summary) = repo::open(path)?;
    let repo_id = repo_id(store, &repo, &summary.path)?;
    Ok(store
        .last_sync(repo_id)?
        .and_then(|(_, _, report)| serde_json::from_str(&report).ok()))
}

/// Syncs the reviews of the repository containing `path` with its notes ref and, given a
/// `remote`, with the remote's. `dry_run` computes what would change and writes nothing.
#[instrument(level = "debug", skip(store))]
pub fn sync(
    store: &Store,
    path: &Path,
    remote: Option<&str>,
    dry_run: bool,
) -> Result<SyncReport, WorkflowError> {
    let (repo, summary) = repo::open(path)?;
    let repo_id = repo_id(store, &repo, &summary.path)?;
    let mut report = exchange(store, &repo, repo_id, remote, dry_run)?;
    report.synced_at = crate::store::now_ms();
    if !dry_run {
        let json = serde_json::to_string(&report).unwrap_or_default();
        store.record_sync(repo_id, remote.unwrap_or(""), &json)?;
    }
    Ok(report)
}

fn exchange(
    store: &Store,
    repo: &Repository,
    repo_id: i64,
    remote: Option<&str>,
    dry_run: bool,
) -> Result<SyncReport, WorkflowError> {
    let mut report = SyncReport {
        remote: remote.map(str::to_owned),
        dry_run,
        ..SyncReport::default()
    };
    for attempt in 0..PUSH_ATTEMPTS {
        let remote_tip = match remote {
            Some(name) => match notes_ref::fetch_notes(repo, name, NOTES_REF)? {
                TransportOutcome::NothingThere => None,
                _ => notes_ref::ref_tip(repo, &notes_ref::fetched_ref(name))?,
            },
            None => None,
        };
        let local_tip = notes_ref::ref_tip(repo, NOTES_REF)?;
        let local = read_side(repo, local_tip)?;
        let theirs = read_side(repo, remote_tip)?;
        let (ours, local_only) = store_documents(store, repo, repo_id)?;
        report.local_only = local_only;

        let mut problems = Vec::new();
        let merged = merge_sides(&[&local, &theirs], &ours, &mut problems);
        problems.extend(missing_commits(repo, &merged, &report.local_only));
        report
            .local_only
            .retain(|key| !is_missing_commit(repo, key));
        report.problems = problems;
        let current: BTreeMap<Oid, String> = local
            .iter()
            .map(|(id, note)| (*id, note.blob.text.clone()))
            .collect();
        report.commits_written = merged
            .iter()
            .filter(|(id, text)| current.get(id) != Some(text))
            .count() as u32;
        if dry_run {
            report.new_threads = count_new(store, &merged)?;
            return Ok(report);
        }
        write_merged(repo, &merged, (local_tip, &local), (remote_tip, &theirs))?;
        let imported = import(store, repo_id, &merged)?;
        report.new_threads += imported.threads;
        report.new_replies += imported.replies;
        report.new_decisions += imported.decisions;
        report.updated_threads += imported.updated;
        let Some(name) = remote else {
            return Ok(report);
        };
        if notes_ref::ref_tip(repo, NOTES_REF)?.is_none() {
            // Nothing is shared on either side yet (no reviews, or only uncommitted ones):
            // there is no ref to push.
            return Ok(report);
        }
        match notes_ref::push_notes(repo, name, NOTES_REF)? {
            TransportOutcome::Rejected => {
                report.retries += 1;
                std::thread::sleep(Duration::from_millis(200 << attempt));
            }
            _ => {
                report.pushed = true;
                return Ok(report);
            }
        }
    }
    Err(RepoError::Transport {
        command: format!("push {}", remote.unwrap_or("")),
        reason: format!(
            "the remote's notes kept moving: {PUSH_ATTEMPTS} pushes were refused; run `redline sync` again"
        ),
    }
    .into())
}

/// Moves the local notes ref to hold `merged`, writing as few commits as it can, so syncs
/// that have nothing to add converge on one tip instead of answering each other's merge
/// commits forever:
/// - the remote has everything the local ref has and `merged` is exactly its notes: the
///   local ref fast-forwards to the remote's tip (no commit);
/// - the remote is ahead but `merged` adds to it: one commit on top of the remote's tip;
/// - the two have diverged: a merge commit with both tips as parents;
/// - the remote has nothing new: a commit on the local tip, only if `merged` differs from it.
fn write_merged(
    repo: &Repository,
    merged: &BTreeMap<Oid, String>,
    (local_tip, local): (Option<Oid>, &BTreeMap<Oid, SideNote>),
    (remote_tip, theirs): (Option<Oid>, &BTreeMap<Oid, SideNote>),
) -> Result<(), RepoError> {
    let remote_new =
        remote_tip.filter(|r| local_tip.is_none_or(|l| !notes_ref::contains(repo, l, *r)));
    let parents: Vec<Oid> = match remote_new {
        Some(remote) => {
            let ahead = local_tip.is_none_or(|l| notes_ref::contains(repo, remote, l));
            match (ahead, same_notes(merged, theirs)) {
                (true, true) => return notes_ref::move_ref(repo, NOTES_REF, remote, local_tip),
                (true, false) => vec![remote],
                (false, _) => local_tip.into_iter().chain([remote]).collect(),
            }
        }
        None if same_notes(merged, local) => return Ok(()),
        None => local_tip.into_iter().collect(),
    };
    let who = signature(repo)?;
    notes_ref::write_notes(repo, NOTES_REF, merged, &parents, local_tip, &who)?;
    Ok(())
}

/// Whether a ref side holds exactly the notes `merged` does.
fn same_notes(merged: &BTreeMap<Oid, String>, side: &BTreeMap<Oid, SideNote>) -> bool {
    merged.len() == side.len()
        && merged
            .iter()
            .all(|(id, text)| side.get(id).is_some_and(|n| &n.blob.text == text))
}

/// A note of the ref: its blob and, if it could be read, its document.
struct SideNote {
    blob: NoteBlob,
    doc: Result<CommitReviews, DocumentError>,
}

fn read_side(repo: &Repository, tip: Option<Oid>) -> Result<BTreeMap<Oid, SideNote>, RepoError> {
    let Some(tip) = tip else {
        return Ok(BTreeMap::new());
    };
    Ok(notes_ref::read_notes(repo, tip)?
        .into_iter()
        .map(|(id, blob)| {
            let doc = CommitReviews::parse(&blob.text);
            (id, SideNote { blob, doc })
        })
        .collect())
}

/// Merges, per commit, the readable documents of the ref sides and the store's. A note that
/// cannot be read is reported and kept as it is: one from a newer format, or too large to
/// read, may well be valid and is never overwritten (the store's review of that commit stays
/// local); a malformed one is replaced only by a readable version of the same commit's
/// reviews. Between two different unreadable notes, the greater text is kept, the same on
/// every clone.
fn merge_sides(
    sides: &[&BTreeMap<Oid, SideNote>],
    ours: &BTreeMap<Oid, CommitReviews>,
    problems: &mut Vec<String>,
) -> BTreeMap<Oid, String> {
    let mut commits: Vec<Oid> = sides.iter().flat_map(|s| s.keys().copied()).collect();
    commits.extend(ours.keys().copied());
    commits.sort();
    commits.dedup();
    let mut merged = BTreeMap::new();
    for commit in commits {
        let mut doc: Option<CommitReviews> = ours.get(&commit).cloned();
        let mut protected: Option<&str> = None;
        let mut malformed: Option<&str> = None;
        for side in sides {
            let Some(note) = side.get(&commit) else {
                continue;
            };
            match &note.doc {
                Ok(theirs) => {
                    doc = Some(match doc {
                        Some(d) => merge_documents(&d, theirs),
                        None => canonical(theirs),
                    });
                }
                Err(error) => {
                    let line = format!("{}: {error}", short(commit));
                    if !problems.contains(&line) {
                        problems.push(line);
                    }
                    let slot = match error {
                        DocumentError::FutureVersion { .. }
                        | DocumentError::TooLarge { .. }
                        | DocumentError::Unrecognised { .. } => &mut protected,
                        DocumentError::Malformed { .. } => &mut malformed,
                    };
                    *slot = (*slot).max(Some(note.blob.text.as_str()));
                }
            }
        }
        let text = match (protected, doc, malformed) {
            (Some(kept), _, _) => kept.to_owned(),
            (None, Some(doc), _) => doc.to_text(),
            (None, None, Some(bad)) => bad.to_owned(),
            (None, None, None) => continue,
        };
        merged.insert(commit, text);
    }
    merged
}

/// One line per note (or stored commit review) on a commit this repository does not have:
/// rewritten away, or on a branch not fetched. Its note is kept and merged as any other, but
/// no one here can see it on the code.
fn missing_commits(
    repo: &Repository,
    merged: &BTreeMap<Oid, String>,
    local_only: &[String],
) -> Vec<String> {
    let mut ids: Vec<Oid> = merged
        .keys()
        .copied()
        .filter(|id| repo.find_commit(*id).is_err())
        .collect();
    ids.extend(
        local_only
            .iter()
            .filter(|key| is_missing_commit(repo, key))
            .filter_map(|key| Oid::from_str(key).ok()),
    );
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .map(|id| {
            format!(
                "{}: the commit is not in this repository (rewritten, or not fetched): its review is kept as it is",
                short(id)
            )
        })
        .collect()
}

/// Whether a stored review key names a full commit id this repository does not have.
fn is_missing_commit(repo: &Repository, key: &str) -> bool {
    (key.len() == 40 || key.len() == 64)
        && Oid::from_str(key).is_ok_and(|id| repo.find_commit(id).is_err())
}

fn short(id: Oid) -> String {
    id.to_string().chars().take(10).collect()
}

/// The store's reviews as documents per commit, and the targets that stay local.
fn store_documents(
    store: &Store,
    repo: &Repository,
    repo_id: i64,
) -> Result<(BTreeMap<Oid, CommitReviews>, Vec<String>), WorkflowError> {
    let mut docs: BTreeMap<Oid, CommitReviews> = BTreeMap::new();
    let mut local_only = Vec::new();
    let mut recent: Option<HashMap<Oid, Oid>> = None;
    for (review_id, key) in store.reviews_of(repo_id)? {
        let mut shared = store.export_review(review_id, &key)?;
        if shared.threads.is_empty() && shared.decisions.is_empty() {
            continue;
        }
        let attached = match key.as_str() {
            "worktree" | "staged" => {
                let trees = recent.get_or_insert_with(|| recent_trees(repo));
                let commit = content_trees(&shared)
                    .into_iter()
                    .find_map(|tree| trees.get(&tree).copied());
                if let Some(commit) = commit {
                    // Committed: it is now a review of that commit.
                    shared.target = commit.to_string();
                }
                commit
            }
            _ => attach_target(repo, &key),
        };
        let Some(commit) = attached else {
            local_only.push(key);
            continue;
        };
        let tree = repo
            .find_commit(commit)
            .map(|c| c.tree_id().to_string())
            .unwrap_or_default();
        let doc = CommitReviews {
            reviews: vec![shared],
            ..CommitReviews::new(&commit.to_string(), &tree)
        };
        let entry = docs.entry(commit).or_insert_with(|| doc.clone());
        *entry = merge_documents(entry, &doc);
    }
    Ok((docs, local_only))
}

/// The head trees a review's content was decided or noted on, latest first.
fn content_trees(shared: &crate::sharing::SharedReview) -> Vec<Oid> {
    let mut trees: Vec<(i64, String)> = shared
        .decisions
        .iter()
        .map(|d| (d.decided_at, d.head_tree.clone()))
        .collect();
    trees.extend(shared.threads.iter().filter_map(|t| {
        let head = t.revision.split_once(':')?.1.to_owned();
        Some((t.notes.first().map_or(0, |n| n.created_at), head))
    }));
    trees.sort_by(|a, b| b.cmp(a));
    trees
        .into_iter()
        .filter_map(|(_, tree)| Oid::from_str(&tree).ok())
        .collect()
}

/// Tree → commit for HEAD's latest commits (newest wins).
fn recent_trees(repo: &Repository) -> HashMap<Oid, Oid> {
    let mut trees = HashMap::new();
    let Ok(mut walk) = repo.revwalk() else {
        return trees;
    };
    if walk.push_head().is_err() {
        return trees;
    }
    for id in walk.take(ATTACH_DEPTH).flatten() {
        if let Ok(commit) = repo.find_commit(id) {
            trees.entry(commit.tree_id()).or_insert(id);
        }
    }
    trees
}

/// The commit a stored review key is attached to: a commit id, or a target's head commit.
fn attach_target(repo: &Repository, key: &str) -> Option<Oid> {
    if let Ok(id) = Oid::from_str(key) {
        if key.len() >= 40 && repo.find_commit(id).is_ok() {
            return Some(id);
        }
    }
    let target = Target::parse(key).ok()?;
    repo::resolve(repo, &target).ok()?.head_commit
}

fn signature(repo: &Repository) -> Result<Signature<'static>, RepoError> {
    let reviewer = repo::reviewer(repo);
    let email = if reviewer.email.is_empty() {
        "redline@localhost".to_owned()
    } else {
        reviewer.email
    };
    Signature::now(&reviewer.name, &email).map_err(RepoError::git("make a commit signature"))
}

/// Brings every readable merged document into the store.
fn import(
    store: &Store,
    repo_id: i64,
    merged: &BTreeMap<Oid, String>,
) -> Result<Imported, WorkflowError> {
    let mut total = Imported::default();
    for text in merged.values() {
        let Ok(doc) = CommitReviews::parse(text) else {
            continue;
        };
        for review in &doc.reviews {
            let review_id = store.review_id(repo_id, &review.target)?;
            total.add(store.import_review(review_id, review)?);
        }
    }
    Ok(total)
}

/// Threads a dry run would bring into the store.
fn count_new(store: &Store, merged: &BTreeMap<Oid, String>) -> Result<u32, WorkflowError> {
    let mut count = 0;
    for text in merged.values() {
        let Ok(doc) = CommitReviews::parse(text) else {
            continue;
        };
        for review in &doc.reviews {
            for thread in &review.threads {
                if !store.note_exists(&thread.id)? {
                    count += 1;
                }
            }
        }
    }
    Ok(count)
}
