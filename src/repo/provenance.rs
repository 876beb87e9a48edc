//! What provenance needs from git: the commits of a range with their notes, and blame
//! restricted to the range.

use std::collections::HashSet;

use git2::{BlameOptions, DiffOptions, Oid, Repository, Sort};

use super::target::ResolvedTarget;
use super::RepoError;

/// One commit of a range, as git stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeCommit {
    pub id: Oid,
    pub author_name: String,
    pub author_email: String,
    pub committer_name: String,
    pub committer_email: String,
    /// The raw message (lossy UTF-8).
    pub message: String,
    /// Author time, seconds since the Unix epoch.
    pub time: i64,
    /// `(notes ref, note text)` for each requested ref that has a note on this commit.
    pub notes: Vec<(String, String)>,
    /// Paths the commit changed against its first parent (new path, or old path of a deletion).
    pub paths: Vec<String>,
}

/// The commits of `resolved`, newest first: those reachable from the head commit and not from
/// the base commit (`git log base..head`), at most `limit`. Empty for the working tree and the
/// index, whose changes are not committed. With each, the notes found under `note_refs`.
pub fn range_commits(
    repo: &Repository,
    resolved: &ResolvedTarget,
    note_refs: &[&str],
    limit: usize,
) -> Result<Vec<RangeCommit>, RepoError> {
    let Some(head) = resolved.head_commit else {
        return Ok(Vec::new());
    };
    super::objects::check_loose_commits(repo)?;
    let mut walk = repo.revwalk().map_err(RepoError::git("walk the range"))?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
        .map_err(RepoError::git("walk the range"))?;
    walk.push(head)
        .map_err(RepoError::git(format!("walk the history of {head}")))?;
    if let Some(base) = resolved.base_commit {
        walk.hide(base)
            .map_err(RepoError::git(format!("hide the history of {base}")))?;
    }
    let mut commits = Vec::new();
    for id in walk.take(limit) {
        let id = id.map_err(RepoError::git("walk the range"))?;
        commits.push(read_commit(repo, id, note_refs)?);
    }
    Ok(commits)
}

/// The latest `limit` commits of HEAD's history, newest first, read like [`range_commits`].
pub fn head_history(
    repo: &Repository,
    note_refs: &[&str],
    limit: usize,
) -> Result<Vec<RangeCommit>, RepoError> {
    super::objects::check_loose_commits(repo)?;
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(RepoError::git("read the HEAD commit"))?;
    let resolved = ResolvedTarget {
        old_tree: None,
        new_side: super::target::NewSide::Tree(head.tree_id()),
        base_commit: None,
        head_commit: Some(head.id()),
    };
    range_commits(repo, &resolved, note_refs, limit)
}

fn read_commit(repo: &Repository, id: Oid, note_refs: &[&str]) -> Result<RangeCommit, RepoError> {
    let commit = repo
        .find_commit(id)
        .map_err(RepoError::git(format!("read commit {id}")))?;
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let author = commit.author();
    let committer = commit.committer();
    let mut notes = Vec::new();
    for notes_ref in note_refs {
        match repo.find_note(Some(notes_ref), id) {
            Ok(note) => notes.push(((*notes_ref).to_owned(), text(note.message_bytes()))),
            Err(e) if e.code() == git2::ErrorCode::NotFound => {}
            Err(e) => return Err(RepoError::git(format!("read the {notes_ref} note of {id}"))(e)),
        }
    }
    Ok(RangeCommit {
        id,
        author_name: text(author.name_bytes()),
        author_email: text(author.email_bytes()),
        committer_name: text(committer.name_bytes()),
        committer_email: text(committer.email_bytes()),
        message: text(commit.message_bytes()),
        time: author.when().seconds(),
        notes,
        paths: changed_paths(repo, &commit)?,
    })
}

fn changed_paths(repo: &Repository, commit: &git2::Commit<'_>) -> Result<Vec<String>, RepoError> {
    let id = commit.id();
    let tree_id = commit.tree_id();
    super::objects::check(repo, tree_id, &|| {
        format!("the tree {tree_id} of commit {id}")
    })?;
    for parent in commit.parent_ids() {
        let parent_tree = repo.find_commit(parent).map(|p| p.tree_id());
        if let Ok(parent_tree) = parent_tree {
            super::objects::check(repo, parent_tree, &|| {
                format!("the tree {parent_tree} of commit {parent}")
            })?;
        }
    }
    let tree = commit
        .tree()
        .map_err(RepoError::git(format!("read the tree of {id}")))?;
    let parent_tree = match commit.parents().next() {
        Some(parent) => Some(
            parent
                .tree()
                .map_err(RepoError::git(format!("read the parent tree of {id}")))?,
        ),
        None => None,
    };
    super::objects::check_trees(repo, parent_tree.as_ref().map(|t| t.id()), Some(tree.id()))?;
    let mut options = DiffOptions::new();
    options.skip_binary_check(true);
    let diff = repo
        .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut options))
        .map_err(RepoError::git(format!("list the files changed by {id}")))?;
    Ok(diff
        .deltas()
        .filter_map(|d| d.new_file().path().or_else(|| d.old_file().path()))
        .map(|p| p.to_string_lossy().into_owned())
        .collect())
}

/// One line of the head side, and the commit of the range that last changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlamedLine {
    /// 1-based line number in the head version of the file.
    pub line: u32,
    /// The commit that wrote the line; `None` when it is older than the range.
    pub commit: Option<Oid>,
    /// The file's path in that commit (it may have been renamed since).
    pub orig_path: String,
    /// The line's number in that commit's version of the file.
    pub orig_line: u32,
}

/// Blame of `path` at the head of `resolved`, restricted to the range: git's blame from the
/// head commit, stopping at the base commit, and only commits in `range` (as listed by
/// [`range_commits`]) count as writers; every other line is older than the range.
pub fn blame_in_range(
    repo: &Repository,
    resolved: &ResolvedTarget,
    range: &HashSet<Oid>,
    path: &str,
) -> Result<Vec<BlamedLine>, RepoError> {
    let Some(head) = resolved.head_commit else {
        return Ok(Vec::new());
    };
    // Blame walks the history inside libgit2.
    super::objects::check_loose_commits(repo)?;
    let mut options = BlameOptions::new();
    options.newest_commit(head);
    if let Some(base) = resolved.base_commit {
        options.oldest_commit(base);
    }
    let blame = repo
        .blame_file(std::path::Path::new(path), Some(&mut options))
        .map_err(RepoError::git(format!("blame {path} at {head}")))?;
    let mut lines = Vec::new();
    for hunk in blame.iter() {
        let commit = hunk.final_commit_id();
        let in_range = !hunk.is_boundary() && range.contains(&commit);
        let orig_path = hunk
            .path()
            .map_or_else(|| path.to_owned(), |p| p.to_string_lossy().into_owned());
        let start = u32::try_from(hunk.final_start_line()).unwrap_or(u32::MAX);
        let orig_start = u32::try_from(hunk.orig_start_line()).unwrap_or(u32::MAX);
        let count = u32::try_from(hunk.lines_in_hunk()).unwrap_or(u32::MAX);
        for offset in 0..count {
            lines.push(BlamedLine {
                line: start.saturating_add(offset),
                commit: in_range.then_some(commit),
                orig_path: orig_path.clone(),
                orig_line: orig_start.saturating_add(offset),
            });
        }
    }
    Ok(lines)
}
