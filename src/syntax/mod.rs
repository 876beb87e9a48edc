//! Code structure: which language a file is in, its symbols (functions, types, modules, with
//! nesting and ranges), which symbol each hunk touches, how the symbols changed between the
//! sides, and highlight spans.
//!
//! Pure: takes bytes and returns data; never reads git, the filesystem or the network. The
//! composer (`review::structure`) reads the blobs and passes them in. Everything is bounded
//! by [`SyntaxLimits`]: a file over a limit gets a [`NotParsed`] marker saying which limit,
//! never an error, a crash or an unbounded wait.

mod error;
mod highlight;
mod labels;
mod languages;
mod parse;
pub mod rust_api;
mod summary;
mod symbols;

pub use error::SyntaxError;
pub use highlight::{highlight, FileHighlights, HighlightClass, HighlightSpan};
pub use labels::{label_hunks, HunkLabel};
pub use languages::{by_name, detect, CompiledQueries, KindWords, Language, LanguageId, LANGUAGES};
pub use parse::{ErrorRegion, NotParsed, NotParsedReason, SyntaxLimits};
pub use summary::{compare, link_moves, ChangeCounts, ChangeKind, SymbolChange};
pub use symbols::{symbols, FileSymbols, LineSpan, Symbol, SymbolKind};
