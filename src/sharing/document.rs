//! The JSON a commit's note in `refs/notes/redline` holds: every review of that commit, with
//! its threads, replies and decisions. Versioned; fields this version does not know are kept
//! when the document is rewritten, so an older Redline never strips a newer one's data.
//! The format is described in `docs/sharing.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::notes::{Author, NoteAnchor, NoteKind};
use crate::progress::{Blocker, Coverage, Verdict};

/// The notes ref reviews travel in.
pub const NOTES_REF: &str = "refs/notes/redline";
/// The format version this Redline writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// The largest note read: a review is prose, and a huge blob in the ref is someone's mistake.
pub const MAX_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;

/// The reviews of one commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitReviews {
    pub version: u32,
    /// The commit the note is on.
    pub commit: String,
    /// Its tree: an amended commit with the same content finds its reviews by it.
    pub tree: String,
    pub reviews: Vec<SharedReview>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// One review (one target) of the commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedReview {
    /// The target as the store keys it: a commit id, `main..feature`, `branch:NAME`, `worktree`.
    pub target: String,
    pub threads: Vec<SharedThread>,
    pub decisions: Vec<SharedDecision>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// A thread, with when each changeable field last changed (for last-writer-wins merges).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedThread {
    pub id: String,
    pub kind: NoteKind,
    /// Milliseconds since the epoch when `kind` was last set.
    pub kind_at: i64,
    pub resolved: bool,
    /// Milliseconds since the epoch when `resolved` was last set.
    pub resolved_at: i64,
    /// A [`NoteAnchor`], kept as JSON so fields a newer Redline added survive a rewrite.
    pub anchor: Value,
    pub revision: String,
    /// The first note, then the replies.
    pub notes: Vec<SharedNote>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// One note of a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedNote {
    pub id: String,
    /// An [`Author`], kept as JSON (see [`SharedThread::anchor`]).
    pub author: Value,
    pub body: String,
    pub created_at: i64,
    pub updated_at: i64,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// A decision, as in [`crate::progress::Decision`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedDecision {
    pub id: String,
    /// An [`Author`], kept as JSON (see [`SharedThread::anchor`]).
    pub reviewer: Value,
    pub verdict: Verdict,
    pub revision: String,
    pub head_tree: String,
    /// A [`Coverage`], kept as JSON.
    pub coverage: Value,
    pub open_must_fix: u32,
    /// [`Blocker`]s, kept as JSON (a later Redline may name new reasons).
    pub confirmed_blockers: Value,
    pub message: Option<String>,
    pub decided_at: i64,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// Plain data to JSON: cannot fail for these types (string keys, no custom serialisers).
fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl SharedThread {
    /// The anchor, if this version can read it.
    pub fn note_anchor(&self) -> Option<NoteAnchor> {
        serde_json::from_value(self.anchor.clone()).ok()
    }

    /// A thread in the shared form.
    pub fn anchored(anchor: &NoteAnchor) -> Value {
        json(anchor)
    }
}

impl SharedNote {
    /// The author, if this version can read it.
    pub fn note_author(&self) -> Option<Author> {
        serde_json::from_value(self.author.clone()).ok()
    }

    /// An author in the shared form.
    pub fn by(author: &Author) -> Value {
        json(author)
    }
}

impl SharedDecision {
    /// The reviewer, if this version can read it.
    pub fn decided_by(&self) -> Option<Author> {
        serde_json::from_value(self.reviewer.clone()).ok()
    }

    /// The coverage recorded, if this version can read it.
    pub fn recorded_coverage(&self) -> Option<Coverage> {
        serde_json::from_value(self.coverage.clone()).ok()
    }

    /// The decision as this version knows decisions, if it can read every part.
    pub fn decision(&self) -> Option<crate::progress::Decision> {
        Some(crate::progress::Decision {
            id: self.id.clone(),
            reviewer: self.decided_by()?,
            verdict: self.verdict,
            revision: self.revision.clone(),
            head_tree: self.head_tree.clone(),
            coverage: self.recorded_coverage()?,
            open_must_fix: self.open_must_fix,
            confirmed_blockers: serde_json::from_value::<Vec<Blocker>>(
                self.confirmed_blockers.clone(),
            )
            .ok()?,
            message: self.message.clone(),
            decided_at: self.decided_at,
        })
    }
}

impl From<crate::progress::Decision> for SharedDecision {
    fn from(d: crate::progress::Decision) -> Self {
        SharedDecision {
            id: d.id,
            reviewer: json(&d.reviewer),
            verdict: d.verdict,
            revision: d.revision,
            head_tree: d.head_tree,
            coverage: json(&d.coverage),
            open_must_fix: d.open_must_fix,
            confirmed_blockers: json(&d.confirmed_blockers),
            message: d.message,
            decided_at: d.decided_at,
            unknown: BTreeMap::new(),
        }
    }
}

/// Why a commit's note could not be read. Reported per commit; the others still count.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("the review note is {bytes} bytes, more than the {MAX_DOCUMENT_BYTES} read")]
    TooLarge { bytes: usize },
    #[error("the review note was written by a newer Redline (format {found}; this one reads {FORMAT_VERSION}): left as it is")]
    FutureVersion { found: u64 },
    #[error("the review note is not valid: {reason}")]
    Malformed { reason: String },
    /// Valid JSON of this format version that this Redline cannot read (a value it does not
    /// know, e.g. a note kind added later without a version bump): kept as it is, like a
    /// newer format.
    #[error(
        "the review note holds something this Redline does not know ({reason}): left as it is"
    )]
    Unrecognised { reason: String },
}

impl CommitReviews {
    /// An empty document for `commit` with `tree`.
    pub fn new(commit: &str, tree: &str) -> Self {
        CommitReviews {
            version: FORMAT_VERSION,
            commit: commit.to_owned(),
            tree: tree.to_owned(),
            reviews: Vec::new(),
            unknown: BTreeMap::new(),
        }
    }

    /// Reads a note's text.
    pub fn parse(text: &str) -> Result<CommitReviews, DocumentError> {
        if text.len() > MAX_DOCUMENT_BYTES {
            return Err(DocumentError::TooLarge { bytes: text.len() });
        }
        let value: Value = serde_json::from_str(text).map_err(|e| DocumentError::Malformed {
            reason: e.to_string(),
        })?;
        match value.get("version").and_then(Value::as_u64) {
            Some(v) if v > u64::from(FORMAT_VERSION) => {
                return Err(DocumentError::FutureVersion { found: v })
            }
            Some(_) => {}
            None => {
                return Err(DocumentError::Malformed {
                    reason: "no format version".to_owned(),
                })
            }
        }
        serde_json::from_value(value).map_err(|e| DocumentError::Unrecognised {
            reason: e.to_string(),
        })
    }

    /// The note's text: pretty JSON, keys in a stable order, so equal documents are equal
    /// blobs and a sync that changes nothing writes nothing.
    pub fn to_text(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}
