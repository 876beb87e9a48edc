//! Review progress: viewed hunks, AI-review coverage, decisions, and each target's status
//! (composes `repo`, provenance's per-hunk authorship, the pure `progress` module, `store`).

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;
use specta::Type;
use tracing::instrument;

use crate::diff::HunkId;
use crate::progress::viewed::file_mark_id;
use crate::progress::{
    approval_blockers, file_views, hunk_views, Coverage, Decision, DecisionState, FileView,
    HunkView, ReviewStatus, Verdict, ViewedMark,
};
use crate::provenance::SignatureTable;
use crate::repo::{RepoError, Revision, Target};
use crate::store::{new_id, now_ms, Store};

use super::workflow::{Opened, WorkflowError};
use super::{authorship_with, Review};

/// Where a review stands for the reviewer: what they viewed, the coverage, the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReviewProgress {
    pub target: Target,
    /// The command-line spelling of `target`.
    pub spec: String,
    /// The target's revision now (`BASE_TREE:HEAD_TREE`).
    pub revision: String,
    /// The reviewer (git's `user.name <user.email>`).
    pub reviewer: String,
    /// Every hunk of the review, in order.
    pub hunks: Vec<HunkView>,
    pub files: Vec<FileView>,
    /// AI-written hunks are those [`super::authorship`] marks `ai_written`.
    pub coverage: Coverage,
    /// Hunk ids of the AI-written hunks.
    pub ai_hunks: Vec<HunkId>,
    pub open_must_fix: u32,
    /// The latest decision, stale when the target changed since.
    pub decision: Option<DecisionState>,
    pub status: ReviewStatus,
}

/// The reviewer's progress on `target` in the repository containing `path`.
#[instrument(level = "debug", skip(store))]
pub fn progress(
    store: &Store,
    path: &Path,
    target: &Target,
) -> Result<ReviewProgress, WorkflowError> {
    let opened = Opened::new(store, path, target)?;
    let review = opened.review(path, target)?;
    let revision = opened.revision(target)?;
    progress_of(store, path, &opened, &review, &revision)
}

fn progress_of(
    store: &Store,
    path: &Path,
    opened: &Opened,
    review: &Review,
    revision: &Revision,
) -> Result<ReviewProgress, WorkflowError> {
    let review_id = opened.existing_review(store)?;
    let (marks, open_must_fix, decision) = match review_id {
        Some(id) => (
            store.viewed_marks(id, opened.reviewer.key())?,
            store.open_must_fix(id)?,
            store.latest_decision(id)?,
        ),
        None => (Vec::new(), 0, None),
    };
    let hunks = hunk_views(&review.files, &marks);
    let files = file_views(&review.files, &hunks, &marks);
    let table = SignatureTable::load().map_err(super::ProvenanceError::from)?;
    let authorship = authorship_with(path, review, &table)?;
    let ai: HashSet<HunkId> = authorship
        .into_iter()
        .filter(|a| a.ai_written)
        .map(|a| a.hunk_id)
        .collect();
    let coverage = Coverage::of(&hunks, |id| ai.contains(id));
    let decision = decision.map(|d| DecisionState::of(d, &revision.head_tree));
    Ok(ReviewProgress {
        target: review.target.clone(),
        spec: review.spec.clone(),
        revision: revision.id.to_string(),
        reviewer: opened.reviewer.to_string(),
        status: DecisionState::status(decision.as_ref()),
        ai_hunks: hunks
            .iter()
            .filter(|h| ai.contains(&h.hunk_id))
            .map(|h| h.hunk_id.clone())
            .collect(),
        hunks,
        files,
        coverage,
        open_must_fix,
        decision,
    })
}

/// Which hunks of a file a viewed mark is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HunkChoice {
    /// Every hunk of the file (and the file itself when it has none).
    All,
    /// The n-th hunk, 1-based, as listed.
    Index(usize),
    /// A hunk by its content id.
    Id(String),
}

impl HunkChoice {
    /// Reads `3` (the third hunk) or a hunk id.
    pub fn parse(text: &str) -> HunkChoice {
        match text.parse::<usize>() {
            Ok(n) => HunkChoice::Index(n),
            Err(_) => HunkChoice::Id(text.to_owned()),
        }
    }
}

/// Marks hunks of `file` viewed (or unviewed) by the reviewer at the target's current
/// revision, and returns the progress after it.
#[instrument(level = "debug", skip(store))]
pub fn mark_viewed(
    store: &Store,
    path: &Path,
    target: &Target,
    file: &str,
    hunk: &HunkChoice,
    viewed: bool,
) -> Result<ReviewProgress, WorkflowError> {
    let opened = Opened::new(store, path, target)?;
    let review = opened.review(path, target)?;
    let Some(diff) = review.files.iter().find(|f| f.display_path() == file) else {
        return Err(RepoError::FileNotInTarget {
            file: file.to_owned(),
            target: target.to_string(),
        }
        .into());
    };
    let revision = opened.revision(target)?;
    let revision_id = revision.id.to_string();
    let mark = |id: HunkId, old_start, old_lines| ViewedMark {
        hunk_id: id,
        path: file.to_owned(),
        old_start,
        old_lines,
        revision: revision_id.clone(),
        viewed_at: 0,
    };
    let no_hunk = |hunk: String| WorkflowError::NoSuchHunk {
        path: file.to_owned(),
        hunk,
        count: diff.hunks.len(),
        target: target.to_string(),
    };
    let marks: Vec<ViewedMark> = match hunk {
        HunkChoice::All if diff.hunks.is_empty() => vec![mark(file_mark_id(diff), 0, 0)],
        HunkChoice::All => diff
            .hunks
            .iter()
            .map(|h| mark(h.id.clone(), h.old_start, h.old_lines))
            .collect(),
        HunkChoice::Index(n) => {
            let h = n
                .checked_sub(1)
                .and_then(|i| diff.hunks.get(i))
                .ok_or_else(|| no_hunk(n.to_string()))?;
            vec![mark(h.id.clone(), h.old_start, h.old_lines)]
        }
        HunkChoice::Id(id) => {
            let h = diff
                .hunks
                .iter()
                .find(|h| &h.id.0 == id)
                .ok_or_else(|| no_hunk(id.clone()))?;
            vec![mark(h.id.clone(), h.old_start, h.old_lines)]
        }
    };
    let review_id = opened.review_id(store)?;
    store.set_viewed(review_id, opened.reviewer.key(), &marks, viewed)?;
    progress_of(store, path, &opened, &review, &revision)
}

/// Records the reviewer's decision on the target's current revision. Approving with open
/// must-fix notes or AI-written hunks not viewed fails with
/// [`WorkflowError::NeedsConfirmation`] unless `confirmed`; the decision then records what
/// was confirmed.
#[instrument(level = "debug", skip(store, message))]
pub fn decide(
    store: &Store,
    path: &Path,
    target: &Target,
    verdict: Verdict,
    message: Option<&str>,
    confirmed: bool,
) -> Result<ReviewProgress, WorkflowError> {
    let opened = Opened::new(store, path, target)?;
    let review = opened.review(path, target)?;
    let revision = opened.revision(target)?;
    let before = progress_of(store, path, &opened, &review, &revision)?;
    let blockers = match verdict {
        Verdict::Approved => approval_blockers(&before.coverage, before.open_must_fix),
        Verdict::ChangesRequested => Vec::new(),
    };
    if !blockers.is_empty() && !confirmed {
        return Err(WorkflowError::NeedsConfirmation { blockers });
    }
    let decision = Decision {
        id: new_id(),
        reviewer: opened.reviewer.clone(),
        verdict,
        revision: revision.id.to_string(),
        head_tree: revision.head_tree.clone(),
        coverage: before.coverage,
        open_must_fix: before.open_must_fix,
        confirmed_blockers: blockers,
        message: message
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_owned),
        decided_at: now_ms(),
    };
    let review_id = opened.review_id(store)?;
    store.add_decision(review_id, &decision)?;
    progress_of(store, path, &opened, &review, &revision)
}

/// A target's review status, for the target list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TargetStatus {
    pub target: Target,
    pub status: ReviewStatus,
    /// The latest decision, if any, and whether the target changed since.
    pub decision: Option<DecisionState>,
    pub coverage: Coverage,
    pub open_must_fix: u32,
}

/// The status of each of `targets` that has a review (targets never reviewed are left out).
#[instrument(level = "debug", skip(store, targets))]
pub fn target_statuses(
    store: &Store,
    path: &Path,
    targets: &[Target],
) -> Result<Vec<TargetStatus>, WorkflowError> {
    let mut statuses = Vec::new();
    for target in targets {
        let opened = match Opened::new(store, path, target) {
            Ok(opened) => opened,
            // A target that vanished (a deleted branch) is no error for the list.
            Err(WorkflowError::Repo(
                RepoError::UnknownBranch { .. } | RepoError::UnknownRevision { .. },
            )) => continue,
            Err(e) => return Err(e),
        };
        if opened.existing_review(store)?.is_none() {
            continue;
        }
        let review = opened.review(path, target)?;
        let revision = opened.revision(target)?;
        let progress = progress_of(store, path, &opened, &review, &revision)?;
        statuses.push(TargetStatus {
            target: target.clone(),
            status: progress.status,
            decision: progress.decision,
            coverage: progress.coverage,
            open_must_fix: progress.open_must_fix,
        });
    }
    Ok(statuses)
}
