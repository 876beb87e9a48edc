//! Review notes as data: threads of notes anchored to lines, and where each anchor lands after
//! the agent rewrote the code ([`anchor`]). Pure: no git, no SQLite; `store` keeps them and
//! `review` composes.

pub mod anchor;
pub mod markdown;

use serde::{Deserialize, Serialize};
use specta::Type;

pub use anchor::{
    capture, place, place_all, AnchorError, AnchorSide, NoteAnchor, Placement, SideFile, SymbolSpan,
};

/// What a note asks of the code's author.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum NoteKind {
    /// A remark; needs no answer.
    Comment,
    /// The reviewer wants an answer before deciding.
    Question,
    /// Blocks approval until resolved.
    MustFix,
    /// Written for a learner: why the code is (or should be) this way.
    Teaching,
    /// A language model's explanation a reviewer pinned to the code (with the model named).
    Explanation,
}

impl NoteKind {
    /// Every kind, in the order menus list them.
    pub const ALL: [NoteKind; 5] = [
        NoteKind::Comment,
        NoteKind::Question,
        NoteKind::MustFix,
        NoteKind::Teaching,
        NoteKind::Explanation,
    ];

    /// The spelling used on the command line and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Comment => "comment",
            NoteKind::Question => "question",
            NoteKind::MustFix => "must-fix",
            NoteKind::Teaching => "teaching",
            NoteKind::Explanation => "explanation",
        }
    }

    /// Reads [`NoteKind::as_str`]'s spelling (also `mustfix` and `must_fix`).
    pub fn parse(text: &str) -> Option<NoteKind> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "comment" => Some(NoteKind::Comment),
            "question" => Some(NoteKind::Question),
            "must-fix" | "mustfix" => Some(NoteKind::MustFix),
            "teaching" => Some(NoteKind::Teaching),
            "explanation" => Some(NoteKind::Explanation),
            _ => None,
        }
    }
}

impl std::fmt::Display for NoteKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who wrote a note or made a decision: git's `user.name` and `user.email`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Author {
    pub name: String,
    /// Empty when git has no `user.email`.
    pub email: String,
}

impl Author {
    /// The key a reviewer's viewed marks and decisions are stored under: the e-mail address,
    /// or the name when there is none.
    pub fn key(&self) -> &str {
        if self.email.is_empty() {
            &self.name
        } else {
            &self.email
        }
    }
}

impl std::fmt::Display for Author {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.email.is_empty() {
            f.write_str(&self.name)
        } else {
            write!(f, "{} <{}>", self.name, self.email)
        }
    }
}

/// One note of a thread: the first one, or a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NoteEntry {
    /// Random and time-ordered (UUID v7): unique across machines, so synced notes merge by id.
    pub id: String,
    pub author: Author,
    /// Markdown.
    pub body: String,
    /// Milliseconds since the Unix epoch.
    #[specta(type = f64)]
    pub created_at: i64,
    #[specta(type = f64)]
    pub updated_at: i64,
}

/// A thread: a note anchored to lines, and its replies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Thread {
    /// The id of the first note.
    pub id: String,
    pub kind: NoteKind,
    pub resolved: bool,
    /// Where it was written.
    pub anchor: NoteAnchor,
    /// The revision it was written on (`BASE_TREE:HEAD_TREE`).
    pub revision: String,
    /// The first note, then the replies, oldest first.
    pub notes: Vec<NoteEntry>,
    /// Whether the thread was handed to the agent, and what the agent said about it.
    #[serde(default)]
    pub handoff: Handoff,
}

/// A thread's way to the agent and back: sent by the reviewer, received by the agent, claimed
/// addressed by it. Only a human resolves; a human reply after a claim withdraws the claim.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Handoff {
    /// When the reviewer sent it to the agent (milliseconds since the Unix epoch).
    #[specta(type = Option<f64>)]
    pub sent_at: Option<i64>,
    /// When the agent received it.
    #[specta(type = Option<f64>)]
    pub delivered_at: Option<i64>,
    pub claim: Option<Claim>,
}

/// An agent's claim that it addressed a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Claim {
    /// Who claimed: the agent's name as it gave it.
    pub by: String,
    /// What it says it did.
    pub message: String,
    #[specta(type = f64)]
    pub at: i64,
    /// The working tree's tree when it claimed: the evidence is compared against it.
    pub tree: Option<String>,
}

/// The characters a note body may hold at most: a note is prose, not a file.
pub const MAX_BODY_CHARS: usize = 65_536;

/// Why a note body was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("a note needs some text: the body is empty")]
    Empty,
    #[error("a note holds at most {MAX_BODY_CHARS} characters; this one has {chars}")]
    TooLong { chars: usize },
}

/// Checks a note body: not blank, not huge. Returns it with trailing whitespace trimmed.
pub fn check_body(body: &str) -> Result<&str, BodyError> {
    let body = body.trim_end();
    if body.trim().is_empty() {
        return Err(BodyError::Empty);
    }
    let chars = body.chars().count();
    if chars > MAX_BODY_CHARS {
        return Err(BodyError::TooLong { chars });
    }
    Ok(body)
}
