//! What every review-workflow action starts from: the repository, the target's diff and
//! revision now, the reviewer, and the review's row in the store.

use std::path::Path;

use git2::Repository;

use crate::error::{ErrorKind, ErrorReport};
use crate::notes::{AnchorError, Author, BodyError};
use crate::progress::Blocker;
use crate::repo::{self, DiffLimits, RepoError, ResolvedTarget, Revision, Target};
use crate::store::{Store, StoreError};
use crate::syntax::SyntaxError;

use super::Review;

/// Why a review action failed. Messages are one line and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    #[error(transparent)]
    Anchor(#[from] AnchorError),
    #[error(transparent)]
    Body(#[from] BodyError),
    #[error("{path} is {bytes} bytes, too large to hold a note (the limit is {limit} bytes)")]
    FileTooLarge {
        path: String,
        bytes: u64,
        limit: u64,
    },
    #[error("{path} has no {side} side to write a note on (it is {reason} in {target})")]
    NoSuchSide {
        path: String,
        side: &'static str,
        reason: &'static str,
        target: String,
    },
    #[error(
        "{path} has no hunk '{hunk}' in {target} (it has {count}: give 1 to {count} or a hunk id)"
    )]
    NoSuchHunk {
        path: String,
        hunk: String,
        count: usize,
        target: String,
    },
    #[error("not approved: {}", blockers.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    NeedsConfirmation { blockers: Vec<Blocker> },
    #[error(transparent)]
    Provenance(#[from] super::ProvenanceError),
    #[error("cannot import the review: {reason}")]
    InvalidImport { reason: String },
    #[error("cannot undo: {reason}")]
    CannotUndo { reason: String },
    #[error("nothing of {target} was marked viewed yet, so there is no last review to compare with: review it first")]
    NoEarlierReview { target: String },
}

impl From<&WorkflowError> for ErrorReport {
    fn from(error: &WorkflowError) -> Self {
        let kind = match error {
            WorkflowError::Repo(e) => return ErrorReport::from(e),
            WorkflowError::Provenance(e) => return ErrorReport::from(e),
            WorkflowError::Store(e) => match e {
                StoreError::Locked { .. } => ErrorKind::DatabaseLocked,
                StoreError::TooNew { .. } => ErrorKind::DatabaseTooNew,
                StoreError::ReadOnly { .. } | StoreError::DataDir { .. } => {
                    ErrorKind::DataDirUnusable
                }
                StoreError::NoSuchNote { .. } => ErrorKind::NoSuchNote,
                StoreError::Corrupt { .. } | StoreError::Sqlite { .. } => ErrorKind::Database,
            },
            WorkflowError::Syntax(_) => ErrorKind::Internal,
            WorkflowError::Anchor(_)
            | WorkflowError::Body(_)
            | WorkflowError::FileTooLarge { .. }
            | WorkflowError::NoSuchSide { .. } => ErrorKind::InvalidNote,
            WorkflowError::NoSuchHunk { .. } => ErrorKind::FileNotInTarget,
            WorkflowError::NeedsConfirmation { .. } => ErrorKind::NeedsConfirmation,
            WorkflowError::InvalidImport { .. } => ErrorKind::InvalidImport,
            WorkflowError::CannotUndo { .. } => ErrorKind::CannotUndo,
            WorkflowError::NoEarlierReview { .. } => ErrorKind::UnknownRevision,
        };
        ErrorReport {
            kind,
            message: error.to_string(),
        }
    }
}

impl From<WorkflowError> for ErrorReport {
    fn from(error: WorkflowError) -> Self {
        ErrorReport::from(&error)
    }
}

impl From<StoreError> for ErrorReport {
    fn from(error: StoreError) -> Self {
        ErrorReport::from(WorkflowError::Store(error))
    }
}

/// A target opened for a review action.
pub(super) struct Opened {
    pub repo: Repository,
    pub resolved: ResolvedTarget,
    /// The store's key for the review: the commit id for a commit target (so `HEAD` and its
    /// id are one review), the target's spelling otherwise.
    pub key: String,
    pub repo_id: i64,
    pub reviewer: Author,
}

impl Opened {
    /// Opens `target` in the repository containing `path` and finds (or records) it in the
    /// store.
    pub fn new(store: &Store, path: &Path, target: &Target) -> Result<Opened, WorkflowError> {
        let (repo, summary) = repo::open(path)?;
        let resolved = repo::resolve(&repo, target)?;
        let key = match (target, resolved.head_commit) {
            (Target::Commit { .. }, Some(id)) => id.to_string(),
            // `turn` means the latest turn: key the review by the turn it is now.
            (Target::Turn { .. }, _) => repo::pin_turns(&repo, target)?.to_string(),
            _ => target.to_string(),
        };
        let repo_id = repo_id(store, &repo, &summary.path)?;
        let reviewer = repo::reviewer(&repo);
        Ok(Opened {
            repo,
            resolved,
            key,
            repo_id,
            reviewer,
        })
    }

    /// The review's id, created on first use.
    pub fn review_id(&self, store: &Store) -> Result<i64, StoreError> {
        match self.existing_review(store)? {
            Some(id) => Ok(id),
            None => store.review_id(self.repo_id, &self.key),
        }
    }

    /// The review's id if anything was ever recorded for it. A commit rewritten without
    /// changing its content (`git commit --amend` of the message, a rebase that kept the tree)
    /// keeps the review of the commit it replaced: a review of another commit with the same
    /// tree.
    pub fn existing_review(&self, store: &Store) -> Result<Option<i64>, StoreError> {
        if let Some(id) = store.find_review(self.repo_id, &self.key)? {
            return Ok(Some(id));
        }
        let Some(head) = self
            .resolved
            .head_commit
            .filter(|_| self.is_commit_review())
        else {
            return Ok(None);
        };
        let Ok(tree) = self.repo.find_commit(head).map(|c| c.tree_id()) else {
            return Ok(None);
        };
        for (id, key) in store.reviews_of(self.repo_id)? {
            let same = git2::Oid::from_str(&key)
                .ok()
                .filter(|_| key.len() >= 40)
                .and_then(|other| self.repo.find_commit(other).ok())
                .is_some_and(|other| other.tree_id() == tree);
            if same {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// The review is of one commit (its key is the commit id).
    fn is_commit_review(&self) -> bool {
        self.resolved
            .head_commit
            .is_some_and(|head| head.to_string() == self.key)
    }

    /// The target's diff now, as [`super::open`] gives it.
    pub fn review(&self, path: &Path, target: &Target) -> Result<Review, RepoError> {
        super::open_with(path, Some(target), &DiffLimits::default())
    }

    /// The target's revision now.
    pub fn revision(&self, target: &Target) -> Result<Revision, RepoError> {
        repo::take_revision(&self.repo, target)
    }
}

/// The store's id of `repo`: a row recorded at its path whose root commit it still has
/// (no history walk), else found or recorded by its root commits.
pub(super) fn repo_id(store: &Store, repo: &Repository, path: &str) -> Result<i64, WorkflowError> {
    for known in store.repos_at(path)? {
        if !known.roots.is_empty() && repo::has_commits(repo, &known.roots) {
            return Ok(known.id);
        }
    }
    let roots = repo::root_commits(repo)?;
    // A row with these roots elsewhere is this clone, moved, unless its old path still holds
    // a repository with the same history (then both clones exist and each has its reviews).
    let still_there = |old: &str| {
        Repository::open(old).is_ok_and(|other| {
            other
                .workdir()
                .map(|w| w.components().collect::<std::path::PathBuf>())
                != repo.workdir().map(|w| w.components().collect())
                && repo::has_commits(&other, &roots)
        })
    };
    Ok(store.identify_repo_with(path, &roots, still_there)?)
}
