//! Code structure: which language a file is in, its symbols (functions, types, modules, with
//! nesting and ranges), which symbol each hunk touches, how the symbols changed between the
//! sides, and highlight spans.
//!
//! Pure: takes bytes and returns data; never reads git, the filesystem or the network. The
//! composer (`review::structure`) reads the blobs and passes them in. Everything is bounded
//! by [`SyntaxLimits`]: a file over a limit gets a [`NotParsed`] marker saying which limit,
//! never an error, a crash or an unbounded wait.
//!
//! Costs worth knowing (`benches/syntax.rs`, ARCHITECTURE.md "What code structure costs"):
//! tree-sitter parses ~10 MB/s of real Rust per core and parse + symbols runs at ~8 MB/s
//! (the symbol search visits only subtrees that can hold a definition); a new side is parsed
//! from the old side's tree ([`parse_next`]); files full of syntax errors parse several
//! times slower (error recovery).
//! The parser and the query engine keep explicit stacks, and our walks use tree cursors, so
//! depth never overflows a stack; nesting is still limited because recovery on deep
//! unbalanced input is slow.

mod error;
mod highlight;
mod incremental;
mod labels;
mod languages;
mod parse;
pub mod rust_api;
mod search;
mod summary;
mod symbols;

pub use error::SyntaxError;
pub use highlight::{highlight, highlight_tree, FileHighlights, HighlightClass, HighlightSpan};
pub use incremental::input_edits;
pub use labels::{label_hunks, HunkLabel};
pub use languages::{by_name, detect, CompiledQueries, KindWords, Language, LanguageId, LANGUAGES};
pub use parse::{parse_tree, ErrorRegion, NotParsed, NotParsedReason, SyntaxLimits, SyntaxTree};
pub use search::MarksAhead;
pub use summary::{compare, link_moves, ChangeCounts, ChangeKind, SymbolChange};
pub use symbols::{
    parse_next, parse_side, parse_tree_next, symbols, symbols_ignoring_words, symbols_of_tree,
    FileSymbols, LineSpan, ParsedSide, Symbol, SymbolKind,
};
