//! Revisions: snapshots of a target, and the interdiff between two of them.
//!
//! An agent keeps rewriting the code under review. A [`Revision`] pins what a target looked like
//! at one moment as two tree objects (base and head), so a reviewer can later ask "what changed
//! since I last looked" ([`load_interdiff`]) without Redline keeping copies of files.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use git2::{Index, IndexEntry, IndexTime, ObjectType, Oid, Repository, Status, StatusOptions};
use git2::{StatusShow, Statuses};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::target::{resolve, NewSide, ResolvedTarget, Target};
use super::{DiffLimits, RepoError};
use crate::diff::FileDiff;

/// Identifies the content of a revision: its base tree and head tree.
///
/// Equal content gives an equal id, whenever and however often it is taken, so ids can be
/// compared and stored. Spelled `BASE_TREE:HEAD_TREE` (full hex ids), which is also how it
/// crosses IPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RevisionId {
    base_tree: Oid,
    head_tree: Oid,
}

impl RevisionId {
    /// The id of a revision with these trees.
    pub fn new(base_tree: Oid, head_tree: Oid) -> Self {
        RevisionId {
            base_tree,
            head_tree,
        }
    }

    /// The tree the target is compared against (the empty tree for a root commit).
    pub fn base_tree(&self) -> Oid {
        self.base_tree
    }

    /// The tree of the reviewed content.
    pub fn head_tree(&self) -> Oid {
        self.head_tree
    }
}

impl fmt::Display for RevisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.base_tree, self.head_tree)
    }
}

/// Why a revision id could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid revision id '{spec}': expected BASE_TREE:HEAD_TREE, two full hex object ids")]
pub struct ParseRevisionIdError {
    spec: String,
}

impl FromStr for RevisionId {
    type Err = ParseRevisionIdError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let invalid = || ParseRevisionIdError {
            spec: spec.to_owned(),
        };
        let (base, head) = spec.trim().split_once(':').ok_or_else(invalid)?;
        // Abbreviations are refused: an abbreviated tree id may become ambiguous later, and an
        // id names content only when it is complete.
        let full = |hex: &str| {
            (hex.len() == 40 || hex.len() == 64) && hex.bytes().all(|b| b.is_ascii_hexdigit())
        };
        if !full(base) || !full(head) {
            return Err(invalid());
        }
        let base = Oid::from_str(base).map_err(|_| invalid())?;
        let head = Oid::from_str(head).map_err(|_| invalid())?;
        Ok(RevisionId::new(base, head))
    }
}

impl Serialize for RevisionId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RevisionId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spec = String::deserialize(deserializer)?;
        spec.parse().map_err(serde::de::Error::custom)
    }
}

impl Type for RevisionId {
    // It crosses IPC as its string spelling (see the Serialize impl).
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        <String as Type>::definition(types)
    }
}

/// A snapshot of a target: the trees it compared at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    /// Base and head tree: equal for equal content.
    pub id: RevisionId,
    /// The base tree id, hex (the empty tree for a root commit).
    pub base_tree: String,
    /// The head tree id, hex. For the working tree and the index this tree is written by
    /// Redline and is referenced by nothing; see [`take_revision`].
    pub head_tree: String,
    /// The commit the base side comes from, if any.
    pub base_commit: Option<String>,
    /// The commit the head side comes from; `None` for the working tree and the index.
    pub head_commit: Option<String>,
    /// When the snapshot was taken, seconds since the Unix epoch.
    #[specta(type = f64)]
    pub taken_at: i64,
}

/// Takes a snapshot of `target`.
///
/// For commits, ranges and branches the head tree is the commit's tree. For `staged` it is a
/// tree of the index, for `worktree` a tree of the working tree's content, untracked
/// (non-ignored) files included. Those two are built in an in-memory copy of the index and
/// written to the object database: the user's index file and working tree are not touched. The
/// tree and blob objects written that way are unreferenced, so `git gc` prunes them once they
/// are older than `gc.pruneExpire` (two weeks by default); an old revision may then be gone.
///
/// Cheap when little changed: only the paths `git status` reports as changed in the working
/// tree are read and hashed, and unchanged directories reuse the index's cached trees.
pub fn take_revision(repo: &Repository, target: &Target) -> Result<Revision, RepoError> {
    let resolved = resolve(repo, target)?;
    let head_tree = match resolved.new_side {
        NewSide::Tree(id) => id,
        NewSide::Index => write_index_tree(repo, None)?,
        NewSide::WorkingTree => write_index_tree(repo, Some(&mut UntrackedCap::none()))?,
    };
    let base_tree = match resolved.old_tree {
        Some(id) => id,
        None => Oid::hash_object(ObjectType::Tree, b"")
            .map_err(RepoError::git("compute the empty tree id"))?,
    };
    let taken_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Ok(Revision {
        id: RevisionId::new(base_tree, head_tree),
        base_tree: base_tree.to_string(),
        head_tree: head_tree.to_string(),
        base_commit: resolved.base_commit.map(|id| id.to_string()),
        head_commit: resolved.head_commit.map(|id| id.to_string()),
        taken_at,
    })
}

/// What changed in the reviewed content between two revisions: the diff of their head trees.
///
/// When the base moved too (the agent committed), this still compares the content the reviewer
/// saw with the content now, which is what "changed since I last looked" means.
pub fn load_interdiff(
    repo: &Repository,
    from: &RevisionId,
    to: &RevisionId,
    limits: &DiffLimits,
) -> Result<Vec<FileDiff>, RepoError> {
    for id in [from, to] {
        if repo.find_tree(id.head_tree).is_err() {
            // Either never taken in this repository, or pruned by `git gc` (see take_revision).
            return Err(RepoError::UnknownRevision {
                rev: id.to_string(),
                path: super::open::root_of(repo),
            });
        }
    }
    let resolved = ResolvedTarget {
        old_tree: Some(from.head_tree),
        new_side: NewSide::Tree(to.head_tree),
        base_commit: None,
        head_commit: None,
    };
    super::load_diff(repo, &resolved, limits)
}

/// An untracked file left out of a working-tree tree because it is larger than the cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SkippedFile {
    pub path: String,
    #[specta(type = f64)]
    pub bytes: u64,
}

/// How large an untracked file may be to go into a working-tree tree, and what was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntrackedCap {
    /// `None`: no limit.
    pub max_bytes: Option<u64>,
    /// Filled while the tree is written.
    pub skipped: Vec<SkippedFile>,
}

impl UntrackedCap {
    /// Every untracked (non-ignored) file is taken, whatever its size.
    pub fn none() -> Self {
        UntrackedCap {
            max_bytes: None,
            skipped: Vec::new(),
        }
    }

    /// Untracked files over `max_bytes` are left out (and listed in `skipped`).
    pub fn at(max_bytes: u64) -> Self {
        UntrackedCap {
            max_bytes: Some(max_bytes),
            skipped: Vec::new(),
        }
    }
}

/// Writes a tree of the working tree's content (tracked files as they are on disk, untracked
/// non-ignored files up to `cap`) without touching the index file or the working tree, and
/// returns its id. See [`take_revision`] for how.
pub fn write_worktree_tree(repo: &Repository, cap: &mut UntrackedCap) -> Result<Oid, RepoError> {
    write_index_tree(repo, Some(cap))
}

/// Writes a tree of the index, or of the index with the working tree's changes applied (when
/// `worktree` is given), and returns its id. Works on a copy of the index read from its file,
/// so the repository's own (shared, cached) index object and the file stay as they are.
fn write_index_tree(
    repo: &Repository,
    worktree: Option<&mut UntrackedCap>,
) -> Result<Oid, RepoError> {
    let index_path = repo.path().join("index");
    // A repository whose index was never written (fresh `git init`) has no file: start empty.
    let mut index = if index_path.exists() {
        Index::open(&index_path).map_err(RepoError::git(format!(
            "read the index {}",
            index_path.display()
        )))?
    } else {
        Index::new().map_err(RepoError::git("create an empty index"))?
    };
    if let Some(cap) = worktree {
        apply_worktree(repo, &mut index, cap)?;
    }
    index.write_tree_to(repo).map_err(RepoError::git(
        "write a tree of the index (unmerged paths?)",
    ))
}

/// Brings the in-memory `index` up to the working tree for every path `git status` reports as
/// changed, new (untracked, not ignored), deleted or unmerged.
fn apply_worktree(
    repo: &Repository,
    index: &mut Index,
    cap: &mut UntrackedCap,
) -> Result<(), RepoError> {
    let root = repo
        .workdir()
        .ok_or_else(|| RepoError::BareRepository {
            path: super::open::root_of(repo),
        })?
        .to_owned();
    let statuses = worktree_statuses(repo)?;
    let filemode = repo
        .config()
        .and_then(|c| c.get_bool("core.filemode"))
        .unwrap_or(true);
    let changed = Status::WT_NEW
        | Status::WT_MODIFIED
        | Status::WT_DELETED
        | Status::WT_TYPECHANGE
        | Status::WT_RENAMED
        | Status::CONFLICTED;
    for entry in statuses.iter() {
        if !entry.status().intersects(changed) {
            continue;
        }
        let raw = entry.path_bytes();
        // Untracked directories are reported with a trailing slash: only nested repositories,
        // since untracked directories are otherwise recursed into.
        let relative = raw.strip_suffix(b"/").unwrap_or(raw).to_vec();
        let relative_path = path_of(&relative)?;
        let absolute = root.join(&relative_path);
        let existing = index.get_path(&relative_path, 0);
        if let (Some(max), true) = (cap.max_bytes, entry.status().contains(Status::WT_NEW)) {
            let bytes = std::fs::symlink_metadata(&absolute).map_or(0, |m| m.len());
            if bytes > max && existing.is_none() {
                cap.skipped.push(SkippedFile {
                    path: String::from_utf8_lossy(&relative).into_owned(),
                    bytes,
                });
                continue;
            }
        }
        // Removing first also clears the stages of an unmerged path, which would otherwise
        // make writing the tree fail.
        match index.remove_path(&relative_path) {
            Ok(()) => {}
            Err(e) if e.code() == git2::ErrorCode::NotFound => {}
            Err(e) => {
                return Err(RepoError::git(format!(
                    "update the index copy for {}",
                    relative_path.display()
                ))(e))
            }
        }
        let Some((id, mode, size)) = worktree_blob(repo, &absolute, existing.as_ref(), filemode)?
        else {
            continue; // deleted, or a directory that is not a repository: nothing to add
        };
        index
            .add(&IndexEntry {
                ctime: IndexTime::new(0, 0),
                mtime: IndexTime::new(0, 0),
                dev: 0,
                ino: 0,
                mode,
                uid: 0,
                gid: 0,
                file_size: size,
                id,
                flags: 0,
                flags_extended: 0,
                path: relative,
            })
            .map_err(RepoError::git(format!(
                "add {} to the index copy",
                relative_path.display()
            )))?;
    }
    Ok(())
}

fn worktree_statuses(repo: &Repository) -> Result<Statuses<'_>, RepoError> {
    let mut options = StatusOptions::new();
    options
        .show(StatusShow::Workdir)
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .renames_index_to_workdir(false);
    super::objects::check_head_trees(repo)?;
    repo.statuses(Some(&mut options))
        .map_err(RepoError::git("read the working tree status"))
}

const MODE_FILE: u32 = 0o100_644;
const MODE_EXECUTABLE: u32 = 0o100_755;
const MODE_SYMLINK: u32 = 0o120_000;
const MODE_GITLINK: u32 = 0o160_000;

/// Hashes the working tree entry at `absolute` into the object database like `git add` would
/// (filters such as `core.autocrlf` applied), returning its id, mode and size; `None` when it
/// is gone.
fn worktree_blob(
    repo: &Repository,
    absolute: &Path,
    existing: Option<&IndexEntry>,
    filemode: bool,
) -> Result<Option<(Oid, u32, u32)>, RepoError> {
    let metadata = match std::fs::symlink_metadata(absolute) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(RepoError::Git {
                action: format!("read {}", absolute.display()),
                source: git2::Error::from_str(&e.to_string()),
            })
        }
    };
    if metadata.is_dir() {
        // A submodule or nested repository is recorded as a link to its checked-out commit.
        let head = Repository::open(absolute)
            .ok()
            .and_then(|nested| nested.head().ok()?.target());
        return Ok(head.map(|id| (id, MODE_GITLINK, 0)));
    }
    let hash_error = || {
        RepoError::git(format!(
            "hash {} into the object database",
            absolute.display()
        ))
    };
    if metadata.file_type().is_symlink() {
        // A symlink's blob is its target path; `blob_path` would follow the link.
        let target = std::fs::read_link(absolute).map_err(|e| RepoError::Git {
            action: format!("read the symlink {}", absolute.display()),
            source: git2::Error::from_str(&e.to_string()),
        })?;
        let id = repo.blob(&path_bytes(&target)).map_err(hash_error())?;
        let size = u32::try_from(metadata.len()).unwrap_or(u32::MAX);
        return Ok(Some((id, MODE_SYMLINK, size)));
    }
    if !metadata.is_file() {
        // A FIFO would block the read forever, a device would stream; neither is content.
        return Err(RepoError::Unreadable {
            path: absolute.display().to_string(),
            reason: format!(
                "it is {}, not a regular file",
                super::blob::special_kind(&metadata)
            ),
        });
    }
    let id = repo.blob_path(absolute).map_err(hash_error())?;
    let mode = if !filemode {
        // core.filemode=false: the executable bit on disk means nothing, keep the recorded one.
        existing.map_or(MODE_FILE, |e| e.mode)
    } else if is_executable(&metadata) {
        MODE_EXECUTABLE
    } else {
        MODE_FILE
    };
    let size = u32::try_from(metadata.len()).unwrap_or(u32::MAX);
    Ok(Some((id, mode, size)))
}

#[cfg(unix)]
fn is_executable(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_metadata: &std::fs::Metadata) -> bool {
    false
}

/// A symlink target as git stores it.
fn path_bytes(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        // Git stores symlink targets with forward slashes.
        path.to_string_lossy().replace('\\', "/").into_bytes()
    }
}

/// A repository path (bytes, `/`-separated) as a filesystem path relative to the root.
fn path_of(bytes: &[u8]) -> Result<PathBuf, RepoError> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Ok(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        // Git stores paths as UTF-8 on Windows.
        std::str::from_utf8(bytes)
            .map(PathBuf::from)
            .map_err(|_| RepoError::Git {
                action: format!(
                    "read the path {} reported by git status",
                    String::from_utf8_lossy(bytes)
                ),
                source: git2::Error::from_str("the path is not UTF-8"),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_their_spelling() {
        let base = Oid::from_str("4b825dc642cb6eb9a060e54bf8d69288fbee4904").unwrap();
        let head = Oid::from_str("1111111111111111111111111111111111111111").unwrap();
        let id = RevisionId::new(base, head);
        let spelled = id.to_string();
        assert_eq!(
            spelled,
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904:1111111111111111111111111111111111111111"
        );
        assert_eq!(spelled.parse::<RevisionId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{spelled}\""));
        assert_eq!(serde_json::from_str::<RevisionId>(&json).unwrap(), id);
    }

    #[test]
    fn refuses_partial_or_malformed_ids() {
        for spec in [
            "",
            "4b825dc",
            "4b825dc:1111111",
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904:zz11111111111111111111111111111111111111",
        ] {
            assert!(spec.parse::<RevisionId>().is_err(), "{spec}");
        }
    }
}
