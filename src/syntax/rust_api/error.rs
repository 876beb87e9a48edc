use serde::Serialize;
use specta::Type;

/// Why a Rust source could not be analysed. Never a panic: AI-written code often does not
/// parse, and a reviewer still gets the rest of the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RustParseError {
    /// syn rejected the source: the first syntax error, 1-based line and column.
    #[error("Rust syntax error at {line}:{column}: {message}")]
    Syntax {
        line: u32,
        column: u32,
        message: String,
    },
    /// The code nests deeper than [`super::MAX_DEPTH`]; syn parses recursively, so it was not
    /// parsed at all (see [`super::depth`] for how depth is estimated).
    #[error("not parsed: the code nests {depth} levels deep, more than the limit of {limit}")]
    TooDeep { depth: u32, limit: u32 },
    /// The source is larger than [`super::MAX_BYTES`].
    #[error("not parsed: the file has {bytes} bytes, more than the limit of {limit}")]
    TooLarge { bytes: u32, limit: u32 },
    /// The content is not UTF-8 text (binary data with a `.rs` name?); `offset` is the first
    /// invalid byte.
    #[error("not parsed: not UTF-8 text (invalid byte at offset {offset})")]
    NotText { offset: u32 },
    /// The parser thread could not be started or stopped abnormally: a bug or exhausted
    /// resources, not a problem of the source.
    #[error("not parsed: {message}")]
    Internal { message: String },
    /// The file could not be read; the other files are still analysed.
    #[error("not parsed: the file cannot be read ({reason})")]
    Unreadable { reason: String },
}
