//! Revisions of a review and the interdiff: "what the agent changed since you last looked".

use std::path::Path;

use serde::Serialize;
use specta::Type;
use tracing::instrument;

use crate::diff::{DiffStats, FileDiff};
use crate::repo::{self, DiffLimits, RepoError, RepoSummary, Revision, RevisionId, Target};

/// Takes a snapshot of `target` in the repository containing `path`, to compare with later
/// (see [`interdiff`]). Taking it again without changes gives the same [`Revision::id`].
#[instrument(level = "debug")]
pub fn revision(path: &Path, target: &Target) -> Result<Revision, RepoError> {
    let (repo, _) = repo::open(path)?;
    repo::take_revision(&repo, target)
}

/// What changed in a target since an earlier revision of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Interdiff {
    pub repo: RepoSummary,
    pub target: Target,
    /// The command-line spelling of `target`.
    pub spec: String,
    /// The revision the reviewer last looked at.
    pub from: RevisionId,
    /// The target now.
    pub to: Revision,
    /// The base moved between the two revisions (e.g. the agent committed its work). The files
    /// still compare the content of `from` with the content of `to`.
    pub base_changed: bool,
    pub stats: DiffStats,
    /// The changes from `from`'s head tree to `to`'s: empty when nothing changed.
    pub files: Vec<FileDiff>,
}

/// Compares `target` now with its revision `since`: only what changed since then.
#[instrument(level = "debug")]
pub fn interdiff(path: &Path, target: &Target, since: &RevisionId) -> Result<Interdiff, RepoError> {
    let (repo, summary) = repo::open(path)?;
    let to = repo::take_revision(&repo, target)?;
    let files = repo::load_interdiff(&repo, since, &to.id, &DiffLimits::default())?;
    tracing::debug!(files = files.len(), %target, from = %since, to = %to.id, "interdiff loaded");
    Ok(Interdiff {
        repo: summary,
        spec: target.to_string(),
        target: target.clone(),
        from: *since,
        base_changed: since.base_tree() != to.id.base_tree(),
        stats: DiffStats::of(&files),
        to,
        files,
    })
}
