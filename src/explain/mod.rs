//! Explain and teach: what a reviewer (or a junior developer) asks about a change, turned
//! into what a language model is sent — and, with no model at all, a deterministic summary
//! of the change from its structure.
//!
//! Pure: takes the change's data and returns data. The composer (`review::explain`) reads
//! the repository, calls [`crate::llm`] and caches answers in the store.
//!
//! - [`ExplainRequest`]: the action (explain a hunk, a file, the whole change; what could go
//!   wrong; a free question about a selection), each with a teach variant.
//! - [`context`]: what the model sees — the hunk, its enclosing symbol's full text, the
//!   file's imports, related findings — cut to a token budget in a stated order, secrets
//!   redacted.
//! - [`prompt`]: the messages, with the code delimited as data, never as instructions.
//! - [`summary`]: the structural summary given when no model is configured.

pub mod context;
pub mod prompt;
pub mod summary;

use serde::{Deserialize, Serialize};
use specta::Type;

/// What is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
pub enum ExplainAction {
    /// What one hunk does and why.
    Hunk { file: String, hunk: u32 },
    /// What a file's changes do.
    File { file: String },
    /// The whole change, as a pull-request description.
    Change,
    /// What could go wrong with a hunk: failure modes, edge cases, what to test.
    Risks { file: String, hunk: u32 },
    /// A free question about selected lines of a file (new side).
    Question {
        file: String,
        start_line: u32,
        end_line: u32,
        question: String,
    },
}

impl ExplainAction {
    /// The file the action is about, if one.
    pub fn file(&self) -> Option<&str> {
        match self {
            ExplainAction::Hunk { file, .. }
            | ExplainAction::File { file }
            | ExplainAction::Risks { file, .. }
            | ExplainAction::Question { file, .. } => Some(file),
            ExplainAction::Change => None,
        }
    }

    /// A short name for logs and the cache: `hunk`, `file`, `change`, `risks`, `question`.
    pub fn name(&self) -> &'static str {
        match self {
            ExplainAction::Hunk { .. } => "hunk",
            ExplainAction::File { .. } => "file",
            ExplainAction::Change => "change",
            ExplainAction::Risks { .. } => "risks",
            ExplainAction::Question { .. } => "question",
        }
    }
}

/// An action and whether it is asked for a learner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExplainRequest {
    pub action: ExplainAction,
    /// The teach variant: concepts involved, why the code is written this way, what good
    /// looks like, what to check next time.
    pub teach: bool,
}
