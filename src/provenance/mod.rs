//! AI provenance: which agent wrote a commit or a line, and the evidence (pure logic and data).
//!
//! - [`signature`]: the signature table (built-in `signatures.toml` + the user's config).
//! - [`trailer`]: commit trailers parsed like `git interpret-trailers`.
//! - [`agent`]: matching a commit's author, committer and message against the table.
//! - [`notes`]: AI-authorship git notes of provenance tools (git-ai, whogitit, Agent Note,
//!   SourceTrace), parsed into per-file line ranges.
//! - [`line_author`]: who wrote one line, given the commit that wrote it (blame), the commit's
//!   attribution and its notes; a note that attributes lines wins over the commit's signature.
//!
//! Matching is anchored on structured evidence (addresses, bot logins, trailer keys, exact
//! footers), never on a word in prose: "Revert what Claude suggested" is a human commit.

pub mod agent;
pub mod line_author;
pub mod notes;
pub mod signature;
pub mod trailer;

pub use agent::{attribute, with_notes, Attribution, CommitFacts, Evidence, EvidenceKind};
pub use line_author::{author_of_line, CommitAuthorship, LineAuthor};
pub use notes::{NoteAttribution, NoteError, NoteTool};
pub use signature::{
    agent_processes, user_config_path, AgentKind, ConfigError, ProcessSignature, Signature,
    SignatureTable,
};
pub use trailer::{body_trailers, parse_trailers, Identity, Trailer};
