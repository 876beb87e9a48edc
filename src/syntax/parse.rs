//! Parsing within limits: a file over a limit is not parsed, and the marker says which limit
//! and by how much, so the window can say "not parsed: 5.2 MB over the 1 MB limit" and still
//! show the text diff.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use serde::Serialize;
use specta::Type;
use tree_sitter::{ParseOptions, Parser, Tree};

use super::languages::{Language, LanguageId};
use super::SyntaxError;

/// How much a file may cost to parse. Every limit is a value a caller can change (tests and
/// benchmarks do) and each has its own [`NotParsedReason`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntaxLimits {
    /// Largest side parsed, in bytes.
    pub max_bytes: usize,
    /// Longest line parsed, in bytes: minified and generated one-liners have no symbols worth
    /// listing and make every highlight span enormous.
    pub max_line_bytes: usize,
    /// Deepest bracket nesting parsed. The parser copes with deep trees, but error recovery on
    /// them is slow and no reviewer reads such code as structure.
    pub max_depth: usize,
    /// Longest parse; tree-sitter checks it while parsing.
    pub timeout: Duration,
}

impl Default for SyntaxLimits {
    /// 1 MiB (as the diff's inline limit), 64 KiB lines, 1,000 levels, 2 s.
    fn default() -> Self {
        SyntaxLimits {
            max_bytes: 1024 * 1024,
            max_line_bytes: 64 * 1024,
            max_depth: 1_000,
            timeout: Duration::from_secs(2),
        }
    }
}

/// Why a side was not parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
// Sizes cross IPC as numbers: all are far below 2^53.
pub enum NotParsedReason {
    TooLarge {
        #[specta(type = f64)]
        bytes: u64,
        #[specta(type = f64)]
        limit: u64,
    },
    LineTooLong {
        #[specta(type = f64)]
        bytes: u64,
        #[specta(type = f64)]
        limit: u64,
    },
    TooDeep {
        #[specta(type = f64)]
        depth: u64,
        #[specta(type = f64)]
        limit: u64,
    },
    Binary,
    Timeout {
        #[specta(type = f64)]
        millis: u64,
    },
    UnknownLanguage,
    /// The file could not be read (permissions, a name that is not UTF-8 in the working tree,
    /// a file replaced meanwhile): this one file is marked, the others are analysed.
    Unreadable {
        reason: String,
    },
}

/// A side that has no structure, and why; its text still diffs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NotParsed {
    pub reason: NotParsedReason,
    /// The reason in words, for the CLI and the window.
    pub message: String,
}

impl From<NotParsedReason> for NotParsed {
    fn from(reason: NotParsedReason) -> Self {
        let message = match &reason {
            NotParsedReason::TooLarge { bytes, limit } => {
                format!("not parsed: {bytes} bytes, over the {limit}-byte limit")
            }
            NotParsedReason::LineTooLong { bytes, limit } => {
                format!("not parsed: a line of {bytes} bytes, over the {limit}-byte line limit")
            }
            NotParsedReason::TooDeep { depth, limit } => {
                format!("not parsed: nested {depth} levels deep, over the limit of {limit}")
            }
            NotParsedReason::Binary => "not parsed: binary content".to_owned(),
            NotParsedReason::Timeout { millis } => {
                format!("not parsed: parsing took longer than {millis} ms")
            }
            NotParsedReason::UnknownLanguage => "not parsed: no grammar for this language".into(),
            NotParsedReason::Unreadable { reason } => {
                format!("not parsed: the file cannot be read ({reason})")
            }
        };
        NotParsed { reason, message }
    }
}

/// A region of a side that does not parse: an `ERROR` node (unexpected text) or a `MISSING`
/// one (the parser inserted a token that is not there, e.g. a closing brace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ErrorRegion {
    /// 1-based first line.
    pub start_line: u32,
    /// 1-based last line (inclusive).
    pub end_line: u32,
    /// For a missing token, which one (`}`, `;`, …).
    pub missing: Option<String>,
}

/// At most this many error regions are reported per side; past that the file is simply
/// "does not parse" and listing more helps nobody.
const MAX_ERROR_REGIONS: usize = 50;

/// Checks the limits that can be checked on the bytes alone, cheapest first.
pub(crate) fn check_input(source: &[u8], limits: &SyntaxLimits) -> Result<(), NotParsed> {
    if source.len() > limits.max_bytes {
        return Err(NotParsedReason::TooLarge {
            bytes: source.len() as u64,
            limit: limits.max_bytes as u64,
        }
        .into());
    }
    // git's rule: a NUL in the first 8,000 bytes makes a file binary
    if memchr::memchr(0, &source[..source.len().min(8000)]).is_some() {
        return Err(NotParsedReason::Binary.into());
    }
    let longest = longest_line(source);
    if longest > limits.max_line_bytes {
        return Err(NotParsedReason::LineTooLong {
            bytes: longest as u64,
            limit: limits.max_line_bytes as u64,
        }
        .into());
    }
    let depth = bracket_depth(source);
    if depth > limits.max_depth {
        return Err(NotParsedReason::TooDeep {
            depth: depth as u64,
            limit: limits.max_depth as u64,
        }
        .into());
    }
    Ok(())
}

/// The length of the longest line, its line break not counted.
fn longest_line(source: &[u8]) -> usize {
    let mut longest = 0;
    let mut line_start = 0;
    for newline in memchr::memchr_iter(b'\n', source) {
        longest = longest.max(newline - line_start);
        line_start = newline + 1;
    }
    longest.max(source.len() - line_start)
}

/// The deepest nesting of `(`, `[` and `{`. An approximation (brackets in strings and comments
/// count too) that is good enough for a limit and costs two vectorised passes over the bytes
/// (openers and closers), before any parsing: a byte-by-byte loop cost 3% of the symbol
/// search (`benches/syntax.rs`).
fn bracket_depth(source: &[u8]) -> usize {
    let mut opens = memchr::memchr3_iter(b'(', b'[', b'{', source).peekable();
    let mut closes = memchr::memchr3_iter(b')', b']', b'}', source).peekable();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    while let Some(&open) = opens.peek() {
        match closes.peek() {
            Some(&close) if close < open => {
                depth = depth.saturating_sub(1);
                closes.next();
            }
            _ => {
                depth += 1;
                deepest = deepest.max(depth);
                opens.next();
            }
        }
    }
    deepest
}

/// A side's syntax tree, kept to highlight the side without parsing it again and to parse
/// its next version incrementally ([`super::parse_next`]). Belongs to the exact bytes and
/// language it was parsed from. Cloning is cheap (the copies share their nodes); the tree
/// itself takes ~50x its source in memory, so keep few.
#[derive(Debug, Clone)]
pub struct SyntaxTree {
    pub(crate) tree: Tree,
}

/// Parses `source` as `language` within `limits`, for callers that keep the tree.
pub fn parse_tree(
    language: &Language,
    source: &[u8],
    limits: &SyntaxLimits,
) -> Result<Result<SyntaxTree, NotParsed>, SyntaxError> {
    Ok(parse(language, source, limits)?.map(|tree| SyntaxTree { tree }))
}

/// Parses `source` within `limits`.
pub(crate) fn parse(
    language: &Language,
    source: &[u8],
    limits: &SyntaxLimits,
) -> Result<Result<Tree, NotParsed>, SyntaxError> {
    parse_from(language, source, None, limits)
}

thread_local! {
    /// One parser per language per thread: a new parser starts with empty stacks and grows
    /// them on every file, which costs a fifth of the parse on small files
    /// (`benches/syntax.rs`, "parse alone").
    static PARSERS: RefCell<Vec<(LanguageId, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// Parses `source` within `limits`; with `previous`, the tree of an earlier version of
/// `source` already told of the edits ([`Tree::edit`]), tree-sitter reuses the subtrees the
/// edits did not touch.
pub(crate) fn parse_from(
    language: &Language,
    source: &[u8],
    previous: Option<&Tree>,
    limits: &SyntaxLimits,
) -> Result<Result<Tree, NotParsed>, SyntaxError> {
    if let Err(not_parsed) = check_input(source, limits) {
        return Ok(Err(not_parsed));
    }
    let grammar = &language.queries()?.grammar;
    PARSERS.with(|parsers| {
        let mut parsers = parsers.borrow_mut();
        let index = match parsers.iter().position(|(id, _)| *id == language.id) {
            Some(index) => index,
            None => {
                let mut parser = Parser::new();
                parser
                    .set_language(grammar)
                    .map_err(|error| SyntaxError::Grammar {
                        language: language.name,
                        message: error.to_string(),
                    })?;
                parsers.push((language.id, parser));
                parsers.len() - 1
            }
        };
        let parser = &mut parsers[index].1;
        let started = Instant::now();
        let timeout = limits.timeout;
        let mut over_time = |_: &tree_sitter::ParseState| {
            if started.elapsed() > timeout {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let mut read = |offset: usize, _| source.get(offset..).unwrap_or_default();
        let tree = parser.parse_with_options(
            &mut read,
            previous,
            Some(ParseOptions::new().progress_callback(&mut over_time)),
        );
        match tree {
            Some(tree) => Ok(Ok(tree)),
            None => {
                // a cancelled parse would otherwise resume on the next call
                parser.reset();
                Ok(Err(NotParsedReason::Timeout {
                    millis: timeout.as_millis() as u64,
                }
                .into()))
            }
        }
    })
}

/// The regions of `tree` that do not parse. Walks with a cursor (no recursion, whatever the
/// depth) and only into subtrees that contain an error.
pub(crate) fn error_regions(tree: &Tree) -> Vec<ErrorRegion> {
    let mut regions = Vec::new();
    let root = tree.root_node();
    if !root.has_error() {
        return regions;
    }
    let mut cursor = root.walk();
    'walk: loop {
        let node = cursor.node();
        let is_region = node.is_error() || node.is_missing();
        if is_region {
            regions.push(ErrorRegion {
                start_line: node.start_position().row as u32 + 1,
                end_line: node.end_position().row as u32 + 1,
                missing: node.is_missing().then(|| node.kind().to_owned()),
            });
            if regions.len() == MAX_ERROR_REGIONS {
                break;
            }
        }
        // descend only where an error hides; an ERROR node's own contents are one region
        if !is_region && node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-by-byte definitions the vectorised scans must agree with.
    fn depth_by_bytes(source: &[u8]) -> usize {
        let (mut depth, mut deepest) = (0usize, 0usize);
        for &b in source {
            match b {
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        deepest
    }

    fn longest_by_lines(source: &[u8]) -> usize {
        source
            .split(|&b| b == b'\n')
            .map(<[u8]>::len)
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn input_scans_agree_with_their_byte_by_byte_definitions() {
        let cases: &[&[u8]] = &[
            b"",
            b"\n",
            b"no brackets at all",
            b"fn f() { a[(1)] }\n",
            b")))((( }]) [[{",
            b"{\n  (\n    [\n  )\n}}}}((",
            b"line one\nline two is longer\n\nlast line without break",
            b"trailing\n",
        ];
        for source in cases {
            assert_eq!(bracket_depth(source), depth_by_bytes(source), "{source:?}");
            assert_eq!(longest_line(source), longest_by_lines(source), "{source:?}");
        }
        // a long pseudo-random mix, past the vector width of the scans
        let mut state = 0x2545_f491_u32;
        let mixed: Vec<u8> = (0..100_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                b"()[]{}\nab"[(state % 9) as usize]
            })
            .collect();
        assert_eq!(bracket_depth(&mixed), depth_by_bytes(&mixed));
        assert_eq!(longest_line(&mixed), longest_by_lines(&mixed));
        assert_eq!(bracket_depth(b"((([[[{{{"), 9);
    }
}
