use std::path::{Path, PathBuf};

use git2::{ErrorCode, Repository, RepositoryOpenFlags};
use serde::Serialize;
use specta::Type;

use super::RepoError;

/// What the window header shows about the repository under review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RepoSummary {
    /// The working tree root (or the git dir of a bare repository).
    pub path: String,
    /// The checked-out branch, `None` when HEAD is detached.
    pub branch: Option<String>,
    /// Full id of the HEAD commit.
    pub head: String,
    /// First line of the HEAD commit's message.
    pub head_summary: String,
}

/// Opens the repository containing `path` (the path itself or any parent, like `git` does).
///
/// Refuses paths that do not exist, directories outside any repository and repositories without
/// a single commit, each with its own error.
pub fn open(path: &Path) -> Result<(Repository, RepoSummary), RepoError> {
    // libgit2 re-hashes every object it reads; git does not (it checks zlib, as libgit2 still
    // does). On a large review that hashing was 15% of the time.
    git2::opts::strict_hash_verification(false);
    if !path.exists() {
        return Err(RepoError::PathNotFound {
            path: path.to_owned(),
        });
    }
    let repo = Repository::open_ext(
        path,
        RepositoryOpenFlags::empty(),
        std::iter::empty::<&str>(),
    )
    .map_err(|e| match e.code() {
        ErrorCode::NotFound => RepoError::NotARepository {
            path: path.to_owned(),
        },
        _ => RepoError::Git {
            action: format!("open the repository at {}", path.display()),
            source: e,
        },
    })?;
    let root = root_of(&repo);
    let summary = summarise(&repo, &root)?;
    Ok((repo, summary))
}

fn summarise(repo: &Repository, root: &Path) -> Result<RepoSummary, RepoError> {
    let head = match repo.head() {
        Ok(head) => head,
        Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => {
            return Err(RepoError::EmptyRepository {
                path: root.to_owned(),
            })
        }
        Err(e) => return Err(RepoError::git("read HEAD")(e)),
    };
    if let Some(id) = head.target() {
        super::objects::check(repo, id, &|| format!("the HEAD commit {id}"))?;
    }
    let commit = match head.peel_to_commit() {
        Ok(commit) => commit,
        Err(error) => {
            let kind = head.peel(git2::ObjectType::Any).ok().and_then(|o| o.kind());
            return Err(match kind {
                Some(kind) if kind != git2::ObjectType::Commit => RepoError::NotACommit {
                    rev: "HEAD".to_owned(),
                    kind: kind.str().to_owned(),
                },
                _ => RepoError::git("read the HEAD commit")(error),
            });
        }
    };
    Ok(RepoSummary {
        path: root.display().to_string(),
        branch: if head.is_branch() {
            head.shorthand().map(str::to_owned)
        } else {
            None
        },
        head: commit.id().to_string(),
        head_summary: commit.summary().unwrap_or_default().to_owned(),
    })
}

/// The working tree root, or the git dir of a bare repository, as people write it: git2
/// reports both with a trailing slash, which would leak into every message.
pub(crate) fn root_of(repo: &Repository) -> PathBuf {
    repo.workdir()
        .unwrap_or_else(|| repo.path())
        .components()
        .collect()
}

/// Whether `path` is inside a git repository (the path itself or a parent).
pub fn contains_repository(path: &Path) -> bool {
    Repository::open_ext(
        path,
        RepositoryOpenFlags::empty(),
        std::iter::empty::<&str>(),
    )
    .is_ok()
}
