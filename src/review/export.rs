//! A review as a file: `redline export --format json` writes it, `redline import` merges it
//! into another machine's store as `redline sync` would.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tracing::instrument;

use crate::repo::Target;
use crate::sharing::{merge_documents, CommitReviews, SharedReview, FORMAT_VERSION};
use crate::store::{Imported, Store};

use super::workflow::{Opened, WorkflowError};

/// An exported review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewExport {
    /// The format version (that of `refs/notes/redline` documents).
    pub version: u32,
    pub review: SharedReview,
}

/// `target`'s review in the repository containing `path`, as a file.
#[instrument(level = "debug", skip(store))]
pub fn export_review(
    store: &Store,
    path: &Path,
    target: &Target,
) -> Result<ReviewExport, WorkflowError> {
    let opened = Opened::new(store, path, target)?;
    let review = match opened.existing_review(store)? {
        Some(id) => store.export_review(id, &opened.key)?,
        None => SharedReview {
            target: opened.key.clone(),
            threads: Vec::new(),
            decisions: Vec::new(),
            unknown: Default::default(),
        },
    };
    Ok(ReviewExport {
        version: FORMAT_VERSION,
        review,
    })
}

/// Merges an exported review (`text`, as [`export_review`] wrote it) into the store of the
/// repository containing `path`.
#[instrument(level = "debug", skip(store, text))]
pub fn import_review(store: &Store, path: &Path, text: &str) -> Result<Imported, WorkflowError> {
    let export: ReviewExport = {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| WorkflowError::InvalidImport {
                reason: e.to_string(),
            })?;
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v > u64::from(FORMAT_VERSION) => {
                return Err(WorkflowError::InvalidImport {
                    reason: format!(
                        "it was written by a newer Redline (format {v}; this one reads {FORMAT_VERSION})"
                    ),
                })
            }
            Some(_) => {}
            None => {
                return Err(WorkflowError::InvalidImport {
                    reason: "no format version: not a Redline review export".to_owned(),
                })
            }
        }
        serde_json::from_value(value).map_err(|e| WorkflowError::InvalidImport {
            reason: e.to_string(),
        })?
    };
    let (repo, summary) = crate::repo::open(path)?;
    let repo_id = super::workflow::repo_id(store, &repo, &summary.path)?;
    let review_id = store.review_id(repo_id, &export.review.target)?;
    // Merged with itself first: the canonical form, as sync would write it.
    let doc = CommitReviews {
        reviews: vec![export.review],
        ..CommitReviews::new("", "")
    };
    let canonical = merge_documents(&doc, &doc);
    let mut total = Imported::default();
    for review in &canonical.reviews {
        total.add(store.import_review(review_id, review)?);
    }
    Ok(total)
}
