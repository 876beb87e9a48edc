//! Deep Rust analysis with syn: the public API surface of a file and how it changed between
//! two sides (breaking or not), and the sites where code is `unsafe` or may panic.
//!
//! Pure: it takes source text and returns data. Every entry point checks the source against
//! [`MAX_BYTES`], [`MAX_DEPTH`] and [`MAX_CHAIN`] first and parses on a thread of its own (see
//! [`parse`]), so no input — a syntax error, a 1 MB line, 10,000 nested brackets — can crash
//! the caller; each gives a [`RustParseError`] instead.

mod canonical;
pub mod depth;
mod diff;
mod error;
pub mod parse;
mod risky;
mod surface;

pub use diff::{diff, ApiChange, ApiDiff, ChangeKind};
pub use error::RustParseError;
pub use parse::{MAX_BYTES, MAX_CHAIN, MAX_DEPTH, PARSE_STACK_BYTES};
pub use risky::{RiskKind, RiskySite};
pub use surface::{ApiItem, ApiItemKind, ApiSurface, Visibility};

use serde::Serialize;
use specta::Type;

/// Everything this module knows about one Rust source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RustAnalysis {
    pub surface: ApiSurface,
    pub risky: Vec<RiskySite>,
}

/// The module path a file's items live in, from its path in the repository, by Cargo's
/// conventions: `src/lib.rs`, `src/main.rs` and other crate roots are `crate`,
/// `src/a/b.rs` and `src/a/b/mod.rs` are `crate::a::b`. Files outside a `src/` directory
/// (tests, examples, build scripts) are crate roots of their own.
pub fn module_of(path: &str) -> String {
    let path = path.strip_suffix(".rs").unwrap_or(path);
    let inside = match path.rsplit_once("src/") {
        Some((before, inside)) if before.is_empty() || before.ends_with('/') => inside,
        _ => return "crate".into(),
    };
    let mut segments: Vec<&str> = inside.split('/').collect();
    if matches!(segments.last(), Some(&"mod")) {
        segments.pop();
    }
    if matches!(segments.as_slice(), [] | ["lib" | "main"] | ["bin", ..]) {
        return "crate".into();
    }
    std::iter::once("crate")
        .chain(segments)
        .collect::<Vec<_>>()
        .join("::")
}

/// Parses `source` (items in module `module`, e.g. `crate` or [`module_of`] its path) and
/// returns its API surface and risky sites.
pub fn analyze(source: &str, module: &str) -> Result<RustAnalysis, RustParseError> {
    parse::with_file(source, |file| RustAnalysis {
        surface: surface::surface(file, module),
        risky: risky::risky_sites(file, module),
    })
}

/// The API surface of `source` alone.
pub fn surface_of(source: &str, module: &str) -> Result<ApiSurface, RustParseError> {
    parse::with_file(source, |file| surface::surface(file, module))
}

/// The risky sites of `source` alone.
pub fn risky_sites_of(source: &str, module: &str) -> Result<Vec<RiskySite>, RustParseError> {
    parse::with_file(source, |file| risky::risky_sites(file, module))
}

/// The API changes from `old` to `new` source, both in module `module`.
pub fn api_diff(old: &str, new: &str, module: &str) -> Result<ApiDiff, RustParseError> {
    Ok(diff(&surface_of(old, module)?, &surface_of(new, module)?))
}
