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
        Some(id) if !from_worktree || repo.find_blob(id).is_ok() => {
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
    let bytes = std::fs::metadata(full).map_err(unreadable)?.len();
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
                _ => Err(not_found(error)),
            }
        }
    }
}
