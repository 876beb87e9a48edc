//! Redline's notes ref (`refs/notes/redline`): read the notes of a notes commit, write a new
//! one, and move it between repositories with git's own transport (`git fetch`/`git push`,
//! so ssh, https and credential helpers work as they do for the user).
//!
//! Only Redline's own refs are written: `refs/notes/redline` and, for what a fetch brings,
//! `refs/redline/sync/<remote>`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use git2::{FileMode, Oid, Repository, Signature};

use super::RepoError;

/// Where `git fetch` puts a remote's notes ref.
pub fn fetched_ref(remote: &str) -> String {
    format!("refs/redline/sync/{remote}")
}

/// The commit a ref points at, if the ref exists.
pub fn ref_tip(repo: &Repository, name: &str) -> Result<Option<Oid>, RepoError> {
    match repo.find_reference(name) {
        Ok(reference) => Ok(reference.target()),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(RepoError::Git {
            action: format!("read {name}"),
            source: e,
        }),
    }
}

/// The notes of notes commit `tip`: annotated commit id → note blob (its bytes, lossy UTF-8
/// text). Flat and fan-out trees (`ab/cdef…`) are both read.
pub fn read_notes(repo: &Repository, tip: Oid) -> Result<BTreeMap<Oid, NoteBlob>, RepoError> {
    let commit = repo
        .find_commit(tip)
        .map_err(RepoError::git(format!("read notes commit {tip}")))?;
    let tree = commit.tree().map_err(RepoError::git(format!(
        "read the tree of notes commit {tip}"
    )))?;
    let mut notes = BTreeMap::new();
    let mut failure = None;
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() != Some(git2::ObjectType::Blob) {
            return git2::TreeWalkResult::Ok;
        }
        let name = format!("{}{}", dir.replace('/', ""), entry.name().unwrap_or(""));
        let Ok(annotated) = Oid::from_str(&name) else {
            return git2::TreeWalkResult::Ok;
        };
        if name.len() != 40 && name.len() != 64 {
            return git2::TreeWalkResult::Ok;
        }
        match repo.find_blob(entry.id()) {
            Ok(blob) => {
                notes.insert(
                    annotated,
                    NoteBlob {
                        id: entry.id(),
                        bytes: blob.size(),
                        text: String::from_utf8_lossy(blob.content()).into_owned(),
                    },
                );
                git2::TreeWalkResult::Ok
            }
            Err(e) => {
                failure = Some(RepoError::Object {
                    what: format!("note blob {} for {name}", entry.id()),
                    source: e,
                });
                git2::TreeWalkResult::Abort
            }
        }
    })
    .map_err(RepoError::git(format!("walk notes commit {tip}")))
    .or_else(|e| if failure.is_some() { Ok(()) } else { Err(e) })?;
    match failure {
        Some(e) => Err(e),
        None => Ok(notes),
    }
}

/// One note as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteBlob {
    pub id: Oid,
    pub bytes: usize,
    pub text: String,
}

/// Writes a notes commit holding `notes` (annotated commit → text) with `parents`, and moves
/// `ref_name` to it only if it still points at `expected` (another writer moved it: error).
/// Returns the new commit.
pub fn write_notes(
    repo: &Repository,
    ref_name: &str,
    notes: &BTreeMap<Oid, String>,
    parents: &[Oid],
    expected: Option<Oid>,
    who: &Signature<'_>,
) -> Result<Oid, RepoError> {
    let mut builder = repo
        .treebuilder(None)
        .map_err(RepoError::git("build the notes tree"))?;
    for (commit, text) in notes {
        let blob = repo
            .blob(text.as_bytes())
            .map_err(RepoError::git("write a review note"))?;
        builder
            .insert(commit.to_string(), blob, FileMode::Blob.into())
            .map_err(RepoError::git("build the notes tree"))?;
    }
    let tree_id = builder
        .write()
        .map_err(RepoError::git("write the notes tree"))?;
    let tree = repo
        .find_tree(tree_id)
        .map_err(RepoError::git("read the notes tree"))?;
    let parent_commits = parents
        .iter()
        .map(|id| repo.find_commit(*id))
        .collect::<Result<Vec<_>, _>>()
        .map_err(RepoError::git("read the notes history"))?;
    let parent_refs: Vec<&git2::Commit<'_>> = parent_commits.iter().collect();
    let commit = repo
        .commit(None, who, who, "Reviews by Redline", &tree, &parent_refs)
        .map_err(RepoError::git("write the notes commit"))?;
    move_ref(repo, ref_name, commit, expected)?;
    Ok(commit)
}

/// Moves `ref_name` to `target` only if it still points at `expected` (`None`: only if it
/// does not exist yet).
pub fn move_ref(
    repo: &Repository,
    ref_name: &str,
    target: Oid,
    expected: Option<Oid>,
) -> Result<(), RepoError> {
    let log = "redline sync: fast-forward";
    match expected {
        Some(old) => repo
            .reference_matching(ref_name, target, true, old, log)
            .map(|_| ()),
        None => repo.reference(ref_name, target, false, log).map(|_| ()),
    }
    .map_err(RepoError::git(format!(
        "move {ref_name} (another process may have written it meanwhile)"
    )))
}

/// Why fetching or pushing the notes ref failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportOutcome {
    Done,
    /// The remote has no notes ref yet (fetch) .
    NothingThere,
    /// The remote moved since we fetched: a push that would lose its notes was refused.
    Rejected,
}

/// Runs git in the working tree of `repo` with prompts disabled, so a missing credential fails
/// instead of waiting for a terminal the window does not have.
fn git(root: &Path, args: &[&str]) -> Result<std::process::Output, RepoError> {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| RepoError::Transport {
            command: args.first().copied().unwrap_or("").to_owned(),
            reason: format!("cannot run git ({e}); is it installed?"),
        })
}

/// Fetches `remote`'s notes ref into [`fetched_ref`].
pub fn fetch_notes(
    repo: &Repository,
    remote: &str,
    notes_ref: &str,
) -> Result<TransportOutcome, RepoError> {
    let root = super::open::root_of(repo);
    let refspec = format!("+{notes_ref}:{}", fetched_ref(remote));
    let out = git(&root, &["fetch", "--quiet", "--no-tags", remote, &refspec])?;
    if out.status.success() {
        return Ok(TransportOutcome::Done);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("couldn't find remote ref") {
        return Ok(TransportOutcome::NothingThere);
    }
    Err(RepoError::Transport {
        command: format!("fetch {remote}"),
        reason: first_line(&stderr),
    })
}

/// Pushes the local notes ref to `remote`; a non-fast-forward is [`TransportOutcome::Rejected`].
pub fn push_notes(
    repo: &Repository,
    remote: &str,
    notes_ref: &str,
) -> Result<TransportOutcome, RepoError> {
    let root = super::open::root_of(repo);
    let refspec = format!("{notes_ref}:{notes_ref}");
    let out = git(&root, &["push", "--quiet", "--porcelain", remote, &refspec])?;
    if out.status.success() {
        return Ok(TransportOutcome::Done);
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let text = format!("{stdout}{stderr}");
    if push_lost_race(&text) {
        return Ok(TransportOutcome::Rejected);
    }
    // `--porcelain` prints the refused ref as `!\tFROM:TO\t[why] (detail)`; the rest of stdout
    // is `To URL` and `Done`, which say nothing.
    let refused = stdout
        .lines()
        .find_map(|l| l.strip_prefix('!'))
        .and_then(|l| l.split('\t').nth(2))
        .map(str::to_owned);
    let error = stderr
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("fatal:") || l.starts_with("error:") || l.starts_with("remote:"))
        .map(str::to_owned);
    Err(RepoError::Transport {
        command: format!("push {remote}"),
        reason: refused.or(error).unwrap_or_else(|| first_line(&stderr)),
    })
}

/// Whether a failed push lost a race with another writer of the ref, so fetching, merging and
/// pushing again will do. Two ways: the remote had moved before the push started (a
/// non-fast-forward, `[rejected] (fetch first)`), or it moved while the push was under way
/// (`[remote rejected] (failed to update ref)`: "cannot lock ref …: is at X but expected Y").
/// A hook declining the push is `[remote rejected]` too, but not a race: it is an error.
fn push_lost_race(text: &str) -> bool {
    text.contains("[rejected]")
        || text.contains("non-fast-forward")
        || text.contains("fetch first")
        || (text.contains("[remote rejected]")
            && (text.contains("failed to update ref")
                || text.contains("cannot lock ref")
                || text.contains("but expected")
                || text.contains("incorrect old value")))
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("no message")
        .to_owned()
}

/// Whether `ancestor` is `descendant` or one of its ancestors.
pub fn contains(repo: &Repository, descendant: Oid, ancestor: Oid) -> bool {
    descendant == ancestor
        || repo
            .graph_descendant_of(descendant, ancestor)
            .unwrap_or(false)
}
