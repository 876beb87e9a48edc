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
    // every classified capture: (start, end, pattern, class). Matches rather than captures:
    // the query engine does not order them (a tenth of its time), the sort below does.
    let mut found: Vec<(usize, usize, usize, HighlightClass)> = Vec::new();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(query, tree.root_node(), source);
    while let Some(m) = matches.next() {
        for capture in m.captures {
            if let Some(class) = classes.get(capture.index as usize).copied().flatten() {
                let range = capture.node.byte_range();
                if !range.is_empty() {
                    found.push((range.start, range.end, m.pattern_index, class));
                }
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// The reference: every capture in the order the query engine gives them.
    fn by_captures(
        language: &Language,
        source: &[u8],
    ) -> Vec<(usize, usize, usize, HighlightClass)> {
        let tree = parse::parse_tree(language, source, &SyntaxLimits::default())
            .unwrap()
            .unwrap();
        let query = &language.queries().unwrap().highlights;
        let mut found = Vec::new();
        let mut cursor = QueryCursor::new();
        let mut captures = cursor.captures(query, tree.tree.root_node(), source);
        while let Some((m, index)) = captures.next() {
            let capture = m.captures[*index];
            let name = query.capture_names()[capture.index as usize];
            if let Some(class) = HighlightClass::of_capture(name) {
                let range = capture.node.byte_range();
                if !range.is_empty() {
                    found.push((range.start, range.end, m.pattern_index, class));
                }
            }
        }
        found
    }

    /// Spans from the query's matches are those from its captures, on every fixture whole and
    /// cut short (error nodes) and on the repository's own Rust.
    #[test]
    fn spans_from_matches_are_spans_from_captures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut samples = Vec::new();
        for entry in std::fs::read_dir(root.join("tests/fixtures/syntax")).unwrap() {
            for file in std::fs::read_dir(entry.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                let content = std::fs::read(&path).unwrap();
                let language =
                    crate::syntax::detect(&path.to_string_lossy(), None, &content).unwrap();
                for cut in [content.len(), content.len() / 2] {
                    samples.push((language, content[..cut].to_vec()));
                }
            }
        }
        let rust = Language::of(crate::syntax::LanguageId::Rust);
        for dir in ["src/syntax", "src/review"] {
            for file in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = file.unwrap().path();
                if path.extension().is_some_and(|e| e == "rs") {
                    samples.push((rust, std::fs::read(&path).unwrap()));
                }
            }
        }
        for (language, source) in samples {
            let mut found = by_captures(language, &source);
            found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
            let line_starts = line_starts(&source);
            let (mut expected, mut covered_to) = (Vec::new(), 0);
            for (start, end, _, class) in found {
                if start >= covered_to {
                    covered_to = end;
                    split_lines(&line_starts, start..end, class, &mut expected);
                }
            }
            let actual = highlight(language, &source, &SyntaxLimits::default()).unwrap();
            assert_eq!(
                actual.spans,
                expected,
                "{} sample of {} bytes",
                language.name,
                source.len()
            );
        }
    }
}
