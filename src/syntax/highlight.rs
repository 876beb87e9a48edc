//! Highlight spans of one side from the language's `highlights.scm`, mapped to the few
//! classes the window styles. Spans are per line (a block comment over three lines is three
//! spans) so the UI can colour a line without knowing its neighbours.

use serde::Serialize;
use specta::Type;
use streaming_iterator::StreamingIterator;
use tree_sitter::QueryCursor;

use super::incremental::line_starts;
use super::languages::Language;
use super::parse::{self, NotParsed, SyntaxLimits, SyntaxTree};
use super::SyntaxError;

/// What the UI styles. Grammar capture names (`function.method`, `string.special`, …) map
/// onto these by their first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum HighlightClass {
    Keyword,
    Function,
    Type,
    String,
    Number,
    Comment,
    Constant,
    Variable,
    Property,
    Operator,
    Punctuation,
    Attribute,
    Tag,
}

impl HighlightClass {
    /// The class of a capture name; `None` for captures the UI leaves plain.
    pub fn of_capture(name: &str) -> Option<HighlightClass> {
        let first = name.split('.').next().unwrap_or(name);
        Some(match (first, name) {
            (_, "variable.builtin") => HighlightClass::Keyword,
            ("keyword" | "conditional" | "repeat" | "include" | "storageclass", _) => {
                HighlightClass::Keyword
            }
            ("function" | "method" | "constructor", _) => HighlightClass::Function,
            ("type" | "module" | "namespace", _) => HighlightClass::Type,
            ("string" | "escape" | "character", _) => HighlightClass::String,
            ("number" | "float", _) => HighlightClass::Number,
            ("comment", _) => HighlightClass::Comment,
            ("constant" | "boolean" | "label", _) => HighlightClass::Constant,
            ("variable" | "parameter", _) => HighlightClass::Variable,
            ("property" | "field", _) => HighlightClass::Property,
            ("operator", _) => HighlightClass::Operator,
            ("punctuation" | "delimiter", _) => HighlightClass::Punctuation,
            ("attribute", _) => HighlightClass::Attribute,
            ("tag", _) => HighlightClass::Tag,
            _ => return None,
        })
    }
}

/// A coloured stretch of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HighlightSpan {
    /// 1-based line.
    pub line: u32,
    /// Byte offsets within the line, end exclusive.
    pub start: u32,
    pub end: u32,
    pub class: HighlightClass,
}

/// One side's highlighting, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileHighlights {
    /// Spans in line order, not overlapping.
    pub spans: Vec<HighlightSpan>,
    pub not_parsed: Option<NotParsed>,
}

/// Highlights `source` as `language` within `limits`.
pub fn highlight(
    language: &Language,
    source: &[u8],
    limits: &SyntaxLimits,
) -> Result<FileHighlights, SyntaxError> {
    match parse::parse_tree(language, source, limits)? {
        Ok(tree) => highlight_tree(language, &tree, source),
        Err(not_parsed) => Ok(FileHighlights {
            spans: Vec::new(),
            not_parsed: Some(not_parsed),
        }),
    }
}

/// Highlights `source` from its tree, parsed before.
pub fn highlight_tree(
    language: &Language,
    tree: &SyntaxTree,
    source: &[u8],
) -> Result<FileHighlights, SyntaxError> {
    let tree = &tree.tree;
    let query = &language.queries()?.highlights;
    let classes: Vec<Option<HighlightClass>> = query
        .capture_names()
        .iter()
        .map(|name| HighlightClass::of_capture(name))
        .collect();
    let line_starts = line_starts(source);
    // every classified capture: (start, end, pattern, class)
    let mut found: Vec<(usize, usize, usize, HighlightClass)> = Vec::new();
    let mut cursor = QueryCursor::new();
    let mut captures = cursor.captures(query, tree.root_node(), source);
    while let Some((m, index)) = captures.next() {
        let Some(capture) = m.captures.get(*index) else {
            continue;
        };
        if let Some(class) = classes.get(capture.index as usize).copied().flatten() {
            let range = capture.node.byte_range();
            if !range.is_empty() {
                found.push((range.start, range.end, m.pattern_index, class));
            }
        }
    }
    // Of captures of the same node the later pattern wins: the grammars' files list general
    // patterns (`(identifier) @variable`) before specific ones (a function's name). Of nested
    // captures the outer one wins (a string keeps its escapes).
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
    let mut spans = Vec::new();
    let mut covered_to = 0usize;
    for (start, end, _, class) in found {
        if start < covered_to {
            continue;
        }
        covered_to = end;
        split_lines(&line_starts, start..end, class, &mut spans);
    }
    Ok(FileHighlights {
        spans,
        not_parsed: None,
    })
}

/// Cuts a byte range into per-line spans, leaving out the newlines themselves.
fn split_lines(
    line_starts: &[usize],
    range: std::ops::Range<usize>,
    class: HighlightClass,
    spans: &mut Vec<HighlightSpan>,
) {
    let first = line_starts
        .partition_point(|&s| s <= range.start)
        .saturating_sub(1);
    for (line, &line_start) in line_starts.iter().enumerate().skip(first) {
        if line_start >= range.end {
            break;
        }
        let line_end = line_starts
            .get(line + 1)
            .map_or(usize::MAX, |next| next - 1);
        let start = range.start.max(line_start);
        let end = range.end.min(line_end);
        if start < end {
            spans.push(HighlightSpan {
                line: line as u32 + 1,
                start: (start - line_start) as u32,
                end: (end - line_start) as u32,
                class,
            });
        }
    }
}
