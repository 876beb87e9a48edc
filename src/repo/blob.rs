//! Whole file contents, for analyses that need files rather than hunks (syn's API surface,
//! tree-sitter symbols, highlighting): one side of a changed file, or a blob by id.

use std::path::Path;

use git2::{ObjectType, Oid, Repository};

use super::target::{NewSide, ResolvedTarget};
use super::RepoError;
use crate::diff::{EntryKind, FileDiff};

/// Which side of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Old,
    New,
}

/// What one side of a file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SideContent {
    /// No such side (an added file's old side), or not a regular file (a symlink, a
    /// submodule).
    Absent,
    /// Larger than the caller's limit: not read.
    TooLarge {
        bytes: u64,
    },
    Bytes(Vec<u8>),
}

/// Reads `side` of `file`, a file of the diff of `target` in `repo`, from the object
/// database, or from the working tree when git has not hashed it. Files over `max_bytes`
/// are not read.
pub fn side_content(
    repo: &Repository,
    target: &ResolvedTarget,
    file: &FileDiff,
    side: Side,
    max_bytes: u64,
) -> Result<SideContent, RepoError> {
    let (id, path, kind) = match side {
        Side::Old => (&file.old_id, &file.old_path, file.old_kind),
        Side::New => (&file.new_id, &file.new_path, file.new_kind),
    };
    if !matches!(kind, Some(EntryKind::File | EntryKind::Executable)) {
        return Ok(SideContent::Absent);
    }
    let Some(path) = path else {
        return Ok(SideContent::Absent);
    };
    let stored = id.as_deref().and_then(|id| Oid::from_str(id).ok());
    let from_worktree = side == Side::New && target.new_side == NewSide::WorkingTree;
    match stored {
        Some(id)
            if !from_worktree
                || (super::objects::check(repo, id, &|| format!("blob {id} of {path}"))
                    .is_ok()
                    && repo.find_blob(id).is_ok()) =>
        {
            blob_content(repo, id, path, max_bytes)
        }
        _ if from_worktree => {
            let root = super::open::root_of(repo);
            read_file(&root.join(path), path, max_bytes)
        }
        _ => Ok(SideContent::Absent),
    }
}

fn read_file(full: &Path, path: &str, max_bytes: u64) -> Result<SideContent, RepoError> {
    let unreadable = |error: std::io::Error| RepoError::Unreadable {
        path: path.to_owned(),
        reason: error.to_string(),
    };
    let metadata = std::fs::metadata(full).map_err(unreadable)?;
    if !metadata.is_file() {
        // Only regular files are opened: a FIFO would block the read forever.
        return Err(RepoError::Unreadable {
            path: path.to_owned(),
            reason: format!("it is {}, not a regular file", special_kind(&metadata)),
        });
    }
    let bytes = metadata.len();
    if bytes > max_bytes {
        return Ok(SideContent::TooLarge { bytes });
    }
    std::fs::read(full)
        .map(SideContent::Bytes)
        .map_err(unreadable)
}

/// The content of blob `id`; for a working-tree side git may have hashed a file that is not
/// in the object database, so `path` (relative to the working tree) is read when its content
/// has that id.
pub fn read_blob(repo: &Repository, id: &str, path: Option<&str>) -> Result<Vec<u8>, RepoError> {
    let oid = Oid::from_str(id).map_err(|_| RepoError::InvalidTarget {
        spec: id.to_owned(),
        reason: "not a blob id".to_owned(),
    })?;
    let not_found = |source| RepoError::Object {
        what: format!("blob {id}"),
        source,
    };
    super::objects::check(repo, oid, &|| format!("blob {id}"))?;
    match repo.find_blob(oid) {
        Ok(blob) => Ok(blob.content().to_vec()),
        Err(error) => {
            let Some(full) = path.and_then(|p| repo.workdir().map(|w| w.join(p))) else {
                return Err(not_found(error));
            };
            match Oid::hash_file(ObjectType::Blob, &full) {
                Ok(hashed) if hashed == oid => {
                    std::fs::read(&full).map_err(|e| RepoError::Unreadable {
                        path: full.display().to_string(),
                        reason: e.to_string(),
                    })
                }
                // The file is there but no longer this content: the agent wrote it again.
                Ok(_) => Err(RepoError::Unreadable {
                    path: path.unwrap_or_default().to_owned(),
                    reason: format!(
                        "it changed since its version {id} was read; reload the review"
                    ),
                }),
                Err(_) => Err(not_found(error)),
            }
        }
    }
}

/// Reads the file at `path` on `side` of `target`, whether or not the target changes it (a
/// note may sit on a file the agent has since reverted): the old tree, or the new side's
/// tree, index entry or working-tree file. Files over `max_bytes` are not read.
pub fn path_content(
    repo: &Repository,
    target: &ResolvedTarget,
    side: Side,
    path: &str,
    max_bytes: u64,
) -> Result<SideContent, RepoError> {
    let from_tree = |tree: Oid| -> Result<SideContent, RepoError> {
        let tree = repo.find_tree(tree).map_err(|source| RepoError::Object {
            what: format!("tree {tree}"),
            source,
        })?;
        let Ok(entry) = tree.get_path(Path::new(path)) else {
            return Ok(SideContent::Absent);
        };
        if entry.kind() != Some(ObjectType::Blob) || entry.filemode() == 0o120000 {
            return Ok(SideContent::Absent);
        }
        blob_content(repo, entry.id(), path, max_bytes)
    };
    match (side, target.new_side) {
        (Side::Old, _) => match target.old_tree {
            Some(tree) => from_tree(tree),
            None => Ok(SideContent::Absent),
        },
        (Side::New, NewSide::Tree(tree)) => from_tree(tree),
        (Side::New, NewSide::Index) => {
            let index = repo.index().map_err(RepoError::git("read the index"))?;
            match index.get_path(Path::new(path), 0) {
                Some(entry) if entry.mode != 0o120000 && entry.mode != 0o160000 => {
                    blob_content(repo, entry.id, path, max_bytes)
                }
                _ => Ok(SideContent::Absent),
            }
        }
        (Side::New, NewSide::WorkingTree) => {
            let full = super::open::root_of(repo).join(path);
            match std::fs::symlink_metadata(&full) {
                Ok(meta) if meta.is_file() => read_file(&full, path, max_bytes),
                _ => Ok(SideContent::Absent),
            }
        }
    }
}

fn blob_content(
    repo: &Repository,
    id: Oid,
    path: &str,
    max_bytes: u64,
) -> Result<SideContent, RepoError> {
    super::objects::check(repo, id, &|| format!("blob {id} of {path}"))?;
    let blob = repo.find_blob(id).map_err(|source| RepoError::Object {
        what: format!("blob {id} of {path}"),
        source,
    })?;
    let bytes = blob.size() as u64;
    if bytes > max_bytes {
        return Ok(SideContent::TooLarge { bytes });
    }
    Ok(SideContent::Bytes(blob.content().to_vec()))
}

/// What a working-tree entry that is neither a file, a directory nor a symlink is, for people.
pub(crate) fn special_kind(metadata: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else {
        "a special file"
    }
}
