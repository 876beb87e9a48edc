use std::fmt;
use std::path::Path;

use git2::{BranchType, ErrorCode, Oid, Repository, Status, StatusOptions};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::RepoError;

/// What is to be reviewed.
///
/// Spelled on the command line as `worktree`, `staged`, `branch:NAME`, `BASE..HEAD`,
/// `BASE...HEAD`, `turn[:N|:A..B][@SESSION]` or any revision git understands (`HEAD`, `HEAD~2`, a SHA, a tag), which means
/// that commit against its first parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Target {
    /// Staged, unstaged and untracked changes against HEAD: what an agent session is writing.
    Worktree,
    /// The index against HEAD.
    Staged,
    /// One commit against its first parent (a root commit against the empty tree).
    Commit { rev: String },
    /// `base..head`, or `base...head` (then from their merge-base) when `symmetric`.
    Range {
        base: String,
        head: String,
        symmetric: bool,
    },
    /// A branch against its merge-base with the default branch.
    Branch { name: String },
    /// Turns of an agent session (see [`crate::agent::snapshot`]): the working tree at the end
    /// of turn `last` against its state at the start of turn `first`. `None` for `last` means
    /// the latest turn, for `first` the same turn as `last`, for `session` the session with
    /// the most recent turn.
    Turn {
        session: Option<String>,
        first: Option<u32>,
        last: Option<u32>,
    },
}

impl Target {
    /// Parses the command-line spelling described on [`Target`].
    pub fn parse(spec: &str) -> Result<Target, RepoError> {
        let spec = spec.trim();
        let invalid = |reason: &str| RepoError::InvalidTarget {
            spec: spec.to_owned(),
            reason: reason.to_owned(),
        };
        if spec.is_empty() {
            return Err(invalid("it is empty"));
        }
        match spec {
            "worktree" => return Ok(Target::Worktree),
            "staged" => return Ok(Target::Staged),
            _ => {}
        }
        if spec == "turn" || spec.starts_with("turn:") || spec.starts_with("turn@") {
            return parse_turn(spec).ok_or_else(|| {
                invalid("expected turn, turn:N, turn:A..B or turn:last, optionally with @SESSION")
            });
        }
        if let Some(name) = spec.strip_prefix("branch:") {
            if name.is_empty() {
                return Err(invalid("a branch name must follow 'branch:'"));
            }
            return Ok(Target::Branch {
                name: name.to_owned(),
            });
        }
        for (separator, symmetric) in [("...", true), ("..", false)] {
            if let Some((base, head)) = spec.split_once(separator) {
                if base.is_empty() || head.is_empty() {
                    return Err(invalid("a range needs both ends, e.g. main..HEAD"));
                }
                return Ok(Target::Range {
                    base: base.to_owned(),
                    head: head.to_owned(),
                    symmetric,
                });
            }
        }
        Ok(Target::Commit {
            rev: spec.to_owned(),
        })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Worktree => f.write_str("worktree"),
            Target::Staged => f.write_str("staged"),
            Target::Commit { rev } => f.write_str(rev),
            Target::Range {
                base,
                head,
                symmetric,
            } => write!(f, "{base}{}{head}", if *symmetric { "..." } else { ".." }),
            Target::Branch { name } => write!(f, "branch:{name}"),
            Target::Turn {
                session,
                first,
                last,
            } => {
                f.write_str("turn")?;
                match (first, last) {
                    (Some(first), Some(last)) if first != last => write!(f, ":{first}..{last}")?,
                    (_, Some(last)) => write!(f, ":{last}")?,
                    (Some(first), None) => write!(f, ":{first}..last")?,
                    (None, None) => {}
                }
                match session {
                    Some(session) => write!(f, "@{session}"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// Reads `turn`, `turn:last`, `turn:N`, `turn:A..B`, `turn:A..last`, each optionally followed by
/// `@SESSION`.
fn parse_turn(spec: &str) -> Option<Target> {
    let rest = spec.strip_prefix("turn")?;
    let (numbers, session) = match rest.split_once('@') {
        Some((numbers, session)) => {
            let session = crate::agent::snapshot::session_name(session).ok()?;
            (numbers, Some(session.to_owned()))
        }
        None => (rest, None),
    };
    let turn_number = |text: &str| -> Option<Option<u32>> {
        match text {
            "last" => Some(None),
            _ => text.parse::<u32>().ok().filter(|n| *n > 0).map(Some),
        }
    };
    let (first, last) = match numbers.strip_prefix(':') {
        None if numbers.is_empty() => (None, None),
        None => return None,
        Some(numbers) => match numbers.split_once("..") {
            Some((first, last)) => {
                let first = turn_number(first)?;
                let last = turn_number(last)?;
                first?;
                if let (Some(a), Some(b)) = (first, last) {
                    if a > b {
                        return None;
                    }
                }
                (first, last)
            }
            None => {
                let last = turn_number(numbers)?;
                (last, last)
            }
        },
    };
    Some(Target::Turn {
        session,
        first,
        last,
    })
}

/// The new side of a resolved target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewSide {
    Tree(Oid),
    Index,
    WorkingTree,
}

/// A target pinned to git objects: the old tree (`None` = empty tree) and the new side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTarget {
    pub old_tree: Option<Oid>,
    pub new_side: NewSide,
    /// The commit the old side comes from, if any.
    pub base_commit: Option<Oid>,
    /// The commit the new side comes from; `None` for the index and working tree.
    pub head_commit: Option<Oid>,
}

/// Pins `target` to objects of `repo`.
pub fn resolve(repo: &Repository, target: &Target) -> Result<ResolvedTarget, RepoError> {
    let root = &super::open::root_of(repo);
    match target {
        Target::Worktree | Target::Staged => {
            if repo.is_bare() {
                return Err(RepoError::BareRepository {
                    path: root.to_owned(),
                });
            }
            // Both sides of these need the index; say so plainly when it cannot be read.
            if let Err(e) = repo.index() {
                return Err(RepoError::CorruptIndex {
                    reason: e.message().to_owned(),
                });
            }
            let head = head_commit(repo, root)?;
            Ok(ResolvedTarget {
                old_tree: Some(head.tree_id()),
                new_side: if *target == Target::Staged {
                    NewSide::Index
                } else {
                    NewSide::WorkingTree
                },
                base_commit: Some(head.id()),
                head_commit: None,
            })
        }
        Target::Commit { rev } => {
            let commit = find_commit(repo, rev, root)?;
            if commit.parent_count() == 0 && is_shallow_boundary(repo, commit.id()) {
                // Reviewing it against the empty tree would show the whole project as added.
                return Err(RepoError::ShallowBoundary {
                    commit: commit.id().to_string(),
                });
            }
            // A parent that cannot be read is an error, not an empty base: the review would
            // show every file as added.
            let parent = match commit.parent_ids().next() {
                Some(id) => Some(repo.find_commit(id).map_err(|source| RepoError::Object {
                    what: format!("the parent {id} of commit {}", commit.id()),
                    source,
                })?),
                None => None,
            };
            Ok(ResolvedTarget {
                old_tree: parent.as_ref().map(|p| p.tree_id()),
                new_side: NewSide::Tree(commit.tree_id()),
                base_commit: parent.map(|p| p.id()),
                head_commit: Some(commit.id()),
            })
        }
        Target::Range {
            base,
            head,
            symmetric,
        } => {
            let base = find_commit(repo, base, root)?;
            let head = find_commit(repo, head, root)?;
            let base = if *symmetric {
                let id = repo
                    .merge_base(base.id(), head.id())
                    .map_err(RepoError::git("find the merge-base of the range"))?;
                repo.find_commit(id)
                    .map_err(RepoError::git("read the merge-base commit"))?
            } else {
                base
            };
            Ok(ResolvedTarget {
                old_tree: Some(base.tree_id()),
                new_side: NewSide::Tree(head.tree_id()),
                base_commit: Some(base.id()),
                head_commit: Some(head.id()),
            })
        }
        Target::Turn {
            session,
            first,
            last,
        } => resolve_turns(repo, root, target, session.as_deref(), *first, *last),
        Target::Branch { name } => {
            let tip = branch_tip(repo, name, root)?;
            let default = default_branch(repo).ok_or_else(|| RepoError::NoDefaultBranch {
                branch: name.clone(),
            })?;
            let base_id = repo
                .merge_base(default.1, tip)
                .map_err(RepoError::git(format!(
                    "find the merge-base of {name} and {}",
                    default.0
                )))?;
            let base = repo
                .find_commit(base_id)
                .map_err(RepoError::git("read the merge-base commit"))?;
            let head = repo
                .find_commit(tip)
                .map_err(RepoError::git(format!("read the tip of {name}")))?;
            Ok(ResolvedTarget {
                old_tree: Some(base.tree_id()),
                new_side: NewSide::Tree(head.tree_id()),
                base_commit: Some(base_id),
                head_commit: Some(tip),
            })
        }
    }
}

/// `target` with a turn target's session and turn numbers made explicit (`turn` becomes
/// `turn:7@SESSION`), so it names the same content however many turns follow; other targets
/// as they are.
pub fn pin_turns(repo: &Repository, target: &Target) -> Result<Target, RepoError> {
    match target {
        Target::Turn {
            session,
            first,
            last,
        } => {
            let root = super::open::root_of(repo);
            let (start, end) = find_turns(repo, &root, target, session.as_deref(), *first, *last)?;
            Ok(Target::Turn {
                session: Some(end.session.clone()),
                first: Some(start.seq),
                last: Some(end.seq),
            })
        }
        other => Ok(other.clone()),
    }
}

/// The first and last turn a turn target names.
fn find_turns(
    repo: &Repository,
    root: &Path,
    target: &Target,
    session: Option<&str>,
    first: Option<u32>,
    last: Option<u32>,
) -> Result<(crate::agent::snapshot::Turn, crate::agent::snapshot::Turn), RepoError> {
    use crate::agent::snapshot;
    let no_turn = |reason: String| RepoError::NoSuchTurn {
        spec: target.to_string(),
        reason,
        path: root.to_owned(),
    };
    let session = match session {
        Some(session) => session.to_owned(),
        None => snapshot::latest_session(repo)?.ok_or_else(|| {
            no_turn("no agent session has recorded a turn yet (an agent's Stop hook, `redline snapshot` or \"Mark turn\" records one)".to_owned())
        })?,
    };
    let turns = snapshot::session_turns(repo, &session)?;
    let Some(latest) = turns.last() else {
        return Err(no_turn(format!("session '{session}' has no turns")));
    };
    let last = last.unwrap_or(latest.seq);
    let first = first.unwrap_or(last);
    let find = |seq: u32| {
        turns.iter().find(|t| t.seq == seq).cloned().ok_or_else(|| {
            no_turn(format!(
                "session '{session}' has turns 1 to {} (turn {seq} was pruned or never taken)",
                latest.seq
            ))
        })
    };
    Ok((find(first)?, find(last)?))
}

/// Pins turns of an agent session: from the start of `first` to the end of `last`.
fn resolve_turns(
    repo: &Repository,
    root: &Path,
    target: &Target,
    session: Option<&str>,
    first: Option<u32>,
    last: Option<u32>,
) -> Result<ResolvedTarget, RepoError> {
    let (start, end) = find_turns(repo, root, target, session, first, last)?;
    resolve_turn_span(repo, &start, &end)
}

/// The diff from the start of turn `start` (its parent) to the end of turn `end`. Snapshot
/// commits are not the project's history, so neither side names a commit (provenance and
/// commit-keyed reviews do not apply).
pub fn resolve_turn_span(
    repo: &Repository,
    start: &crate::agent::snapshot::Turn,
    end: &crate::agent::snapshot::Turn,
) -> Result<ResolvedTarget, RepoError> {
    let tree_of = |id: &str| {
        Oid::from_str(id)
            .and_then(|id| repo.find_commit(id))
            .map(|c| c.tree_id())
            .map_err(RepoError::git(format!("read the snapshot commit {id}")))
    };
    Ok(ResolvedTarget {
        old_tree: start.parent.as_deref().map(tree_of).transpose()?,
        new_side: NewSide::Tree(tree_of(&end.commit)?),
        base_commit: None,
        head_commit: None,
    })
}

fn head_commit<'r>(repo: &'r Repository, root: &Path) -> Result<git2::Commit<'r>, RepoError> {
    match repo.head() {
        Ok(head) => {
            if let Some(id) = head.target() {
                super::objects::check(repo, id, &|| format!("the HEAD commit {id}"))?;
            }
            head.peel_to_commit()
                .map_err(RepoError::git("read the HEAD commit"))
        }
        Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => {
            Err(RepoError::EmptyRepository {
                path: root.to_owned(),
            })
        }
        Err(e) => Err(RepoError::git("read HEAD")(e)),
    }
}

fn find_commit<'r>(
    repo: &'r Repository,
    rev: &str,
    root: &Path,
) -> Result<git2::Commit<'r>, RepoError> {
    let unknown = || {
        if repo.is_shallow() {
            RepoError::BeyondShallowHistory {
                rev: rev.to_owned(),
                path: root.to_owned(),
            }
        } else {
            RepoError::UnknownRevision {
                rev: rev.to_owned(),
                path: root.to_owned(),
            }
        }
    };
    // A name that is a ref or a full id is checked before libgit2 reads the object (see
    // `objects`); `HEAD~2` and the like are read by libgit2's own walk.
    let named = repo
        .resolve_reference_from_short_name(rev)
        .ok()
        .and_then(|r| r.target())
        .or_else(|| (rev.len() == 40).then(|| Oid::from_str(rev).ok()).flatten());
    match named {
        Some(id) => super::objects::check(repo, id, &|| format!("'{rev}' (object {id})"))?,
        // libgit2 walks commits to resolve `HEAD~2`, `main^2`, `:/text` …
        None => super::objects::check_loose_commits(repo)?,
    }
    let object = repo.revparse_single(rev).map_err(|e| match e.code() {
        ErrorCode::NotFound | ErrorCode::InvalidSpec | ErrorCode::Ambiguous => unknown(),
        ErrorCode::UnbornBranch => RepoError::EmptyRepository {
            path: root.to_owned(),
        },
        _ => RepoError::git(format!("resolve '{rev}'"))(e),
    })?;
    let kind = object.kind();
    let commit = object.peel_to_commit().map_err(|_| RepoError::NotACommit {
        rev: rev.to_owned(),
        kind: kind.map_or("object", |k| k.str()).to_owned(),
    })?;
    // Its parents are read next (the base of a commit target).
    super::objects::check_commit(repo, commit.id(), &format!("'{rev}'"))?;
    Ok(commit)
}

/// Whether `id` is a commit whose parents a shallow clone cut off: git lists those in
/// `.git/shallow`, and libgit2 then reports them as parentless.
fn is_shallow_boundary(repo: &Repository, id: Oid) -> bool {
    if !repo.is_shallow() {
        return false;
    }
    let id = id.to_string();
    std::fs::read_to_string(repo.path().join("shallow"))
        .map(|list| list.lines().any(|line| line.trim() == id))
        .unwrap_or(false)
}

fn branch_tip(repo: &Repository, name: &str, root: &Path) -> Result<Oid, RepoError> {
    let branch = repo
        .find_branch(name, BranchType::Local)
        .or_else(|_| repo.find_branch(name, BranchType::Remote))
        .map_err(|_| RepoError::UnknownBranch {
            name: name.to_owned(),
            path: root.to_owned(),
        })?;
    branch
        .get()
        .peel_to_commit()
        .map(|c| c.id())
        .map_err(RepoError::git(format!("read the tip of {name}")))
}

/// The branch others branch from: what `origin/HEAD` points to, else `main`, else `master`
/// (local first, then on origin). Returns its name and tip.
pub fn default_branch(repo: &Repository) -> Option<(String, Oid)> {
    if let Ok(origin_head) = repo.find_reference("refs/remotes/origin/HEAD") {
        if let Ok(resolved) = origin_head.resolve() {
            if let (Some(name), Some(id)) = (resolved.shorthand(), resolved.target()) {
                return Some((name.to_owned(), id));
            }
        }
    }
    ["main", "master"].into_iter().find_map(|name| {
        [BranchType::Local, BranchType::Remote]
            .into_iter()
            .find_map(|kind| {
                let full = match kind {
                    BranchType::Local => name.to_owned(),
                    BranchType::Remote => format!("origin/{name}"),
                };
                let branch = repo.find_branch(&full, kind).ok()?;
                Some((full, branch.get().target()?))
            })
    })
}

/// One entry of the target picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TargetInfo {
    pub target: Target,
    /// The command-line spelling, e.g. `branch:feature` (what `redline review` accepts).
    pub spec: String,
    /// What the picker shows first: "Working tree", a commit subject, a branch name.
    pub title: String,
    /// A second line: counts, author, short id.
    pub detail: String,
    /// Author time of a commit target, seconds since the Unix epoch.
    #[specta(type = Option<f64>)]
    pub time: Option<i64>,
    /// Files changed, where knowing it costs no diff (working tree and index).
    pub changed_files: Option<u32>,
    /// The full id of the commit the new side is: a commit entry's commit, a branch's tip.
    pub commit: Option<String>,
    /// A branch with no commits of its own: the default branch it is up to date with (its
    /// review is empty; its tip is [`TargetInfo::commit`]).
    pub up_to_date_with: Option<String>,
}

/// How many commits of history the target picker lists at first, and per page after.
pub const RECENT_COMMITS: usize = 30;

/// What [`available_targets`] lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailableTargets {
    pub targets: Vec<TargetInfo>,
    /// HEAD's history goes on past the commits listed ([`older_commits`] lists them).
    pub older_commits: bool,
}

/// A page of HEAD's history older than a commit already listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CommitPage {
    /// Commit entries, newest first, as [`available_targets`] lists commits.
    pub targets: Vec<TargetInfo>,
    /// The history goes on past this page.
    pub more: bool,
}

/// Lists what can be reviewed in `repo`: the working tree and the index when they differ
/// from HEAD, HEAD's latest [`RECENT_COMMITS`] commits, and local branches other than the
/// default one.
pub fn available_targets(repo: &Repository) -> Result<AvailableTargets, RepoError> {
    let mut targets = Vec::new();
    if !repo.is_bare() {
        match count_changes(repo) {
            Ok((staged, unstaged)) => {
                targets.push(TargetInfo {
                    target: Target::Worktree,
                    spec: Target::Worktree.to_string(),
                    title: "Working tree".into(),
                    detail: match unstaged {
                        0 => "no uncommitted changes".into(),
                        _ => format!("{} changed {}", unstaged, plural(unstaged, "file", "files")),
                    },
                    time: None,
                    changed_files: Some(count_u32(unstaged)),
                    commit: None,
                    up_to_date_with: None,
                });
                if staged > 0 {
                    targets.push(TargetInfo {
                        target: Target::Staged,
                        spec: Target::Staged.to_string(),
                        title: "Staged changes".into(),
                        detail: format!("{} staged {}", staged, plural(staged, "file", "files")),
                        time: None,
                        changed_files: Some(count_u32(staged)),
                        commit: None,
                        up_to_date_with: None,
                    });
                }
            }
            // A broken index: the working tree cannot be compared; the history still can.
            Err(error) => targets.push(TargetInfo {
                target: Target::Worktree,
                spec: Target::Worktree.to_string(),
                title: "Working tree".into(),
                detail: format!("cannot be read: {error}"),
                time: None,
                changed_files: None,
                commit: None,
                up_to_date_with: None,
            }),
        }
    }

    let (mut recent, unreadable) = recent_commits(repo);
    let older_commits = recent.len() > RECENT_COMMITS;
    recent.truncate(RECENT_COMMITS);
    let listed = recent.len();
    for (index, commit) in recent.iter().enumerate() {
        let rev = if index == 0 {
            "HEAD".to_owned()
        } else {
            short_id(commit.id())
        };
        targets.push(commit_entry(commit, rev));
    }
    if let Some(error) = unreadable {
        // A commit that cannot be read ends the list there, marked, rather than failing it:
        // the working tree and the branches are still worth reviewing.
        let spec = format!("HEAD~{listed}");
        targets.push(TargetInfo {
            target: Target::Commit { rev: spec.clone() },
            spec,
            title: "(a commit that cannot be read)".into(),
            detail: format!("{} (try `git fsck`)", error.message()),
            time: None,
            changed_files: None,
            commit: None,
            up_to_date_with: None,
        });
    }

    let default = default_branch(repo);
    let branches = repo
        .branches(Some(BranchType::Local))
        .map_err(RepoError::git("list branches"))?;
    let mut branch_targets = Vec::new();
    for branch in branches {
        let (branch, _) = branch.map_err(RepoError::git("list branches"))?;
        let Some(name) = branch.name().ok().flatten().map(str::to_owned) else {
            continue; // a branch name that is not UTF-8 cannot be spelled as a target
        };
        let Some(tip) = branch.get().target() else {
            continue;
        };
        let mut up_to_date_with = None;
        let detail = match &default {
            Some((default_name, _)) if *default_name == name => continue,
            Some((default_name, default_tip)) => {
                // One unreadable branch is marked, not a failure of the whole list.
                match repo.graph_ahead_behind(tip, *default_tip) {
                    // Nothing of its own: its review against the merge-base is empty.
                    Ok((0, _)) => {
                        up_to_date_with = Some(default_name.clone());
                        format!("up to date with {default_name}")
                    }
                    Ok((ahead, _)) => format!(
                        "{ahead} {} ahead of {default_name}",
                        plural(ahead, "commit", "commits")
                    ),
                    Err(e) => format!(
                        "cannot be compared with {default_name}: {} (try `git fsck`)",
                        e.message()
                    ),
                }
            }
            None => continue, // without a default branch there is nothing to compare against
        };
        let target = Target::Branch { name: name.clone() };
        branch_targets.push(TargetInfo {
            spec: target.to_string(),
            target,
            title: name,
            detail,
            time: None,
            changed_files: None,
            commit: Some(tip.to_string()),
            up_to_date_with,
        });
    }
    branch_targets.sort_by(|a, b| a.title.cmp(&b.title));
    targets.extend(branch_targets);
    Ok(AvailableTargets {
        targets,
        older_commits,
    })
}

/// The target list's entry for `commit`, spelled `rev`: its subject, short id and author.
fn commit_entry(commit: &git2::Commit<'_>, rev: String) -> TargetInfo {
    let id = commit.id();
    let target = Target::Commit { rev };
    TargetInfo {
        spec: target.to_string(),
        target,
        title: commit.summary().unwrap_or("(no message)").to_owned(),
        detail: format!(
            "{} · {}",
            short_id(id),
            commit.author().name().unwrap_or("unknown author")
        ),
        time: Some(commit.author().when().seconds()),
        changed_files: None,
        commit: Some(id.to_string()),
        up_to_date_with: None,
    }
}

/// Up to `limit` commits of HEAD's history that come after `after` (a full commit id the
/// list already shows) in the order [`available_targets`] lists them, and whether more follow.
/// A commit HEAD's history does not reach (HEAD moved since the list was made) is an error
/// that says so.
pub fn older_commits(
    repo: &Repository,
    after: &str,
    limit: usize,
) -> Result<CommitPage, RepoError> {
    let not_listed = |reason: &str| RepoError::InvalidTarget {
        spec: after.to_owned(),
        reason: reason.to_owned(),
    };
    let after_id = Oid::from_str(after)
        .ok()
        .filter(|_| after.len() == 40)
        .ok_or_else(|| not_listed("expected a full commit id"))?;
    super::objects::check_loose_commits(repo)?;
    let mut walk = repo
        .revwalk()
        .map_err(RepoError::git("walk HEAD's history"))?;
    walk.push_head()
        .map_err(RepoError::git("walk HEAD's history"))?;
    let ids = walk.by_ref();
    let mut found = false;
    for id in ids.by_ref() {
        if id.map_err(RepoError::git("walk HEAD's history"))? == after_id {
            found = true;
            break;
        }
    }
    if !found {
        return Err(not_listed(
            "it is not in HEAD's history (HEAD moved since the list was made: reload it)",
        ));
    }
    let mut targets = Vec::new();
    let mut more = false;
    for id in ids {
        let id = id.map_err(RepoError::git("walk HEAD's history"))?;
        if targets.len() == limit {
            more = true;
            break;
        }
        let commit = repo
            .find_commit(id)
            .map_err(RepoError::git(format!("read commit {id}")))?;
        targets.push(commit_entry(&commit, short_id(id)));
    }
    Ok(CommitPage { targets, more })
}

/// HEAD's latest commits ([`RECENT_COMMITS`], and one more when there is one: the list says
/// older ones exist), newest first, and the error that ended the list early, if one did. The history walk reads every commit it passes; when one cannot be read
/// (a corrupt object, a malformed author line), the first-parent chain is listed up to it.
fn recent_commits(repo: &Repository) -> (Vec<git2::Commit<'_>>, Option<git2::Error>) {
    // libgit2's walk would spin on a corrupt loose commit: then only the checked chain below.
    let sound = super::objects::check_loose_commits(repo).is_ok();
    let walked = (|| {
        if !sound {
            return Err(git2::Error::from_str("a loose commit is corrupt"));
        }
        let mut walk = repo.revwalk()?;
        walk.push_head()?;
        walk.take(RECENT_COMMITS + 1)
            .map(|id| id.and_then(|id| repo.find_commit(id)))
            .collect::<Result<Vec<_>, _>>()
    })();
    if let Ok(commits) = walked {
        return (commits, None);
    }
    let mut commits = Vec::new();
    let checked = |id: Oid| {
        super::objects::check(repo, id, &|| format!("commit {id}"))
            .map_err(|e| git2::Error::from_str(&e.to_string()))
            .and_then(|()| repo.find_commit(id))
    };
    let mut next = repo
        .head()
        .and_then(|head| {
            head.target()
                .ok_or_else(|| git2::Error::from_str("HEAD names no commit"))
        })
        .and_then(checked);
    while commits.len() <= RECENT_COMMITS {
        match next {
            Ok(commit) => {
                let has_parent = commit.parent_count() > 0;
                next = commit.parent_id(0).and_then(checked);
                commits.push(commit);
                if !has_parent {
                    break;
                }
            }
            Err(error) => return (commits, Some(error)),
        }
    }
    (commits, None)
}

/// Counts files with staged changes and files with any uncommitted change (untracked included).
/// Whether the working tree or the index differs from HEAD (untracked files count, ignored ones
/// do not): the working-tree entry of [`available_targets`] with a non-zero count, without the
/// history and the branches. A bare repository has none; an unreadable index is an error.
pub fn has_uncommitted_changes(repo: &Repository) -> Result<bool, RepoError> {
    if repo.is_bare() {
        return Ok(false);
    }
    // Rename pairing changes counts, never emptiness: not asked for here.
    let statuses = worktree_statuses(repo, false)?;
    Ok(statuses
        .iter()
        .any(|s| !s.status().is_ignored() && s.status() != Status::CURRENT))
}

/// The status of every uncommitted change, untracked files included, ignored ones not; staged
/// renames paired when `renames`.
fn worktree_statuses(repo: &Repository, renames: bool) -> Result<git2::Statuses<'_>, RepoError> {
    let mut options = StatusOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .renames_head_to_index(renames);
    super::objects::check_head_trees(repo)?;
    repo.statuses(Some(&mut options))
        .map_err(RepoError::git("read the working tree status"))
}

fn count_changes(repo: &Repository) -> Result<(usize, usize), RepoError> {
    let statuses = worktree_statuses(repo, true)?;
    let staged_mask = Status::INDEX_NEW
        | Status::INDEX_MODIFIED
        | Status::INDEX_DELETED
        | Status::INDEX_RENAMED
        | Status::INDEX_TYPECHANGE;
    let staged = statuses
        .iter()
        .filter(|s| s.status().intersects(staged_mask))
        .count();
    let any = statuses
        .iter()
        .filter(|s| !s.status().is_ignored() && s.status() != Status::CURRENT)
        .count();
    Ok((staged, any))
}

fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn short_id(id: Oid) -> String {
    let mut text = id.to_string();
    text.truncate(7);
    text
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling_and_prints_it_back() {
        for (spec, expected) in [
            ("worktree", Target::Worktree),
            ("staged", Target::Staged),
            (
                "HEAD~2",
                Target::Commit {
                    rev: "HEAD~2".into(),
                },
            ),
            (
                "branch:agent/fix",
                Target::Branch {
                    name: "agent/fix".into(),
                },
            ),
            (
                "main..HEAD",
                Target::Range {
                    base: "main".into(),
                    head: "HEAD".into(),
                    symmetric: false,
                },
            ),
            (
                "main...feature",
                Target::Range {
                    base: "main".into(),
                    head: "feature".into(),
                    symmetric: true,
                },
            ),
        ] {
            let parsed = Target::parse(spec).unwrap();
            assert_eq!(parsed, expected);
            assert_eq!(parsed.to_string(), spec);
        }
    }

    #[test]
    fn rejects_incomplete_spellings() {
        for spec in ["", "branch:", "..HEAD", "main..."] {
            let err = Target::parse(spec).unwrap_err();
            assert!(
                matches!(err, RepoError::InvalidTarget { .. }),
                "{spec}: {err}"
            );
        }
    }
}
