//! The detectors behind `rules.toml`. Each family lives in its own file and reads the file
//! through [`Ctx`]: the new side's lines, which of them were added, and (for a parsed
//! language) what the tree says about a position — code, comment or string, inside a test,
//! inside `main`.

mod code;
mod files;
mod shape;
mod tests;

use std::borrow::Cow;

use regex::Regex;
use tree_sitter::{Node, Tree};

use super::context::Placement;
use super::{catalog, dependencies, secrets, Config, FileInput, Finding, FindingSide};
use crate::syntax::LanguageId;

/// Runs every enabled rule on `input`.
pub(super) fn run(input: &FileInput<'_>, config: &Config) -> Vec<Finding> {
    let mut ctx = Ctx::new(input, config);
    files::check(&mut ctx);
    if ctx.new_text.is_some() {
        secret_lines(&mut ctx);
        code::check(&mut ctx);
        shape::check(&mut ctx);
    }
    tests::check(&mut ctx);
    let mut found = ctx.out;
    if dependencies::is_manifest(input.path) {
        found.extend(dependencies::check(input, config));
    }
    found
}

/// `hardcoded-secret` on every added line, whatever the file (the detector knows formats,
/// not languages).
fn secret_lines(ctx: &mut Ctx<'_>) {
    if !ctx.config.enabled("hardcoded-secret") {
        return;
    }
    for line in ctx.added.clone() {
        let text = ctx.line(line).to_owned();
        // a minified or data line this long is not where a person writes a key
        if text.len() > 4_000 {
            continue;
        }
        let found = secrets::find_secrets(&text, &ctx.config.secrets);
        let Some(first) = found.first() else {
            continue;
        };
        // the excerpt never carries the secret itself
        let mut excerpt = text.clone();
        for secret in found.iter().rev() {
            if excerpt.is_char_boundary(secret.start) && excerpt.is_char_boundary(secret.end) {
                excerpt.replace_range(secret.start..secret.end, "[REDACTED]");
            }
        }
        let column = column_of(&text, first.start);
        let message = format!("{} written into the code", first.kind);
        ctx.report_with_excerpt("hardcoded-secret", line, Some(column), message, &excerpt);
    }
}

/// What the rules share about one file.
pub(super) struct Ctx<'a> {
    pub input: &'a FileInput<'a>,
    pub config: &'a Config,
    pub language: Option<LanguageId>,
    pub placement: Placement,
    /// The new side as text (lossy for invalid UTF-8); `None` for a deletion.
    pub new_text: Option<Cow<'a, str>>,
    /// Byte offset of each new-side line's start (index = line - 1).
    line_starts: Vec<usize>,
    /// New-side lines the change added, ascending.
    pub added: Vec<u32>,
    added_flags: Vec<bool>,
    pub tree: Option<&'a Tree>,
    pub out: Vec<Finding>,
}

impl<'a> Ctx<'a> {
    fn new(input: &'a FileInput<'a>, config: &'a Config) -> Self {
        let new_text = input
            .new
            .as_ref()
            .map(|side| String::from_utf8_lossy(side.bytes));
        let mut line_starts = vec![0];
        if let Some(text) = &new_text {
            line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        }
        let added = input.added_lines();
        let mut added_flags = vec![false; line_starts.len() + 2];
        for &line in &added {
            if let Some(flag) = added_flags.get_mut(line as usize) {
                *flag = true;
            }
        }
        Ctx {
            input,
            config,
            language: input.language.map(|l| l.id),
            placement: input.placement(),
            new_text,
            line_starts,
            added,
            added_flags,
            tree: input.new.as_ref().and_then(|s| s.tree).map(|t| &t.tree),
            out: Vec::new(),
        }
    }

    /// The text of new-side line `line` (1-based), without its terminator.
    pub fn line(&self, line: u32) -> &str {
        let Some(text) = &self.new_text else {
            return "";
        };
        let index = (line as usize).saturating_sub(1);
        let Some(&start) = self.line_starts.get(index) else {
            return "";
        };
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(text.len(), |next| next - 1);
        text.get(start..end.max(start))
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    /// Whether the change added a line within `start..=end`.
    pub fn added_within(&self, start: u32, end: u32) -> bool {
        touches(&self.added, start, end)
    }

    pub fn is_added(&self, line: u32) -> bool {
        self.added_flags
            .get(line as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The byte offset in the new side of byte `column` of `line`.
    pub fn offset(&self, line: u32, column: usize) -> usize {
        self.line_starts
            .get((line as usize).saturating_sub(1))
            .map_or(0, |start| start + column)
    }

    /// The smallest node at new-side byte `offset`.
    pub fn node_at(&self, offset: usize) -> Option<Node<'a>> {
        self.tree?
            .root_node()
            .descendant_for_byte_range(offset, offset + 1)
    }

    /// What the tree says is at byte `offset` of the new side. Without a tree every position
    /// counts as code, so only rules that hold without one should ask.
    pub fn lexical(&self, offset: usize) -> Lexical {
        let mut node = self.node_at(offset);
        while let Some(current) = node {
            let kind = current.kind();
            if matches!(
                kind,
                "template_substitution"
                    | "interpolation"
                    | "string_interpolation"
                    | "interpolated_string_expression_content"
            ) {
                return Lexical::Code;
            }
            if kind.contains("comment") {
                return Lexical::Comment;
            }
            if kind.contains("string") || kind == "char_literal" || kind == "rune_literal" {
                // an interpolated string's holes are code; the rest is text
                return Lexical::String;
            }
            node = current.parent();
        }
        Lexical::Code
    }

    /// Whether `offset` is code (not in a comment or a string).
    pub fn is_code(&self, offset: usize) -> bool {
        self.lexical(offset) == Lexical::Code
    }

    /// Whether `offset` is in test code: a test file, or (by the tree) a Rust item under a
    /// test attribute, a Python `test_*` function, a JS/TS `it`/`test`/`describe` body.
    pub fn in_test(&self, offset: usize) -> bool {
        if self.placement == Placement::Test {
            return true;
        }
        let source = self.new_bytes();
        let mut node = self.node_at(offset);
        while let Some(current) = node {
            match (self.language, current.kind()) {
                (Some(LanguageId::Rust), "function_item" | "mod_item" | "impl_item")
                    if rust_attributes(current, source)
                        .iter()
                        .any(|a| TEST_ATTRIBUTE.is_match(a)) =>
                {
                    return true;
                }
                (Some(LanguageId::Python), "function_definition")
                    if field_text(current, "name", source).starts_with("test") =>
                {
                    return true;
                }
                (
                    Some(LanguageId::JavaScript | LanguageId::TypeScript | LanguageId::Tsx),
                    "call_expression",
                ) => {
                    let callee = field_text(current, "function", source);
                    let callee = callee.split('.').next().unwrap_or("");
                    if matches!(
                        callee,
                        "it" | "test" | "describe" | "beforeEach" | "afterEach"
                    ) {
                        return true;
                    }
                }
                (Some(LanguageId::Go), "function_declaration")
                    if field_text(current, "name", source).starts_with("Test") =>
                {
                    return true;
                }
                _ => {}
            }
            node = current.parent();
        }
        false
    }

    /// Whether `offset` is in a program's entry point: Rust or Go `main`, Java's or C#'s
    /// static `main`/`Main` method, Python's `if __name__ == "__main__":` block.
    pub fn in_main(&self, offset: usize) -> bool {
        let source = self.new_bytes();
        let mut node = self.node_at(offset);
        while let Some(current) = node {
            match current.kind() {
                "function_item" | "function_declaration"
                    if field_text(current, "name", source) == "main" =>
                {
                    return true;
                }
                // Java's `static void main`, C#'s `static void Main`
                "method_declaration"
                    if matches!(field_text(current, "name", source), "main" | "Main")
                        && current.child_by_field_name("name").is_some_and(|name| {
                            source
                                .get(current.start_byte()..name.start_byte())
                                .is_some_and(|head| head.windows(6).any(|w| w == b"static"))
                        }) =>
                {
                    return true;
                }
                "if_statement"
                    if self.language == Some(LanguageId::Python)
                        && field_text(current, "condition", source).contains("__name__") =>
                {
                    return true;
                }
                _ => {}
            }
            node = current.parent();
        }
        false
    }

    /// The innermost function enclosing `offset`: its name.
    pub fn enclosing_function(&self, offset: usize) -> Option<String> {
        let source = self.new_bytes();
        let mut node = self.node_at(offset);
        while let Some(current) = node {
            if current.kind().contains("function") || current.kind().contains("method") {
                let name = field_text(current, "name", source);
                if !name.is_empty() {
                    return Some(name.to_owned());
                }
            }
            node = current.parent();
        }
        None
    }

    pub fn new_bytes(&self) -> &'a [u8] {
        self.input.new.as_ref().map_or(&[], |side| side.bytes)
    }

    /// Reports `rule` at new-side `line`, with the line as excerpt.
    pub fn report(&mut self, rule: &str, line: u32, column: Option<u32>, message: String) {
        let excerpt = self.line(line).to_owned();
        self.report_with_excerpt(rule, line, column, message, &excerpt);
    }

    pub fn report_with_excerpt(
        &mut self,
        rule: &str,
        line: u32,
        column: Option<u32>,
        message: String,
        excerpt: &str,
    ) {
        self.push(Report {
            rule,
            side: FindingSide::New,
            lines: (line, line),
            column,
            message,
            excerpt,
            lower: false,
        });
    }

    /// Reports a finding as described; `lower` drops the severity one step (test and
    /// cleanup code, where a rule says so).
    pub fn push(&mut self, report: Report<'_>) {
        if !self.config.enabled(report.rule) {
            return;
        }
        let Some(info) = catalog::rule(report.rule) else {
            return;
        };
        let severity = match self.config.severity_override(report.rule) {
            Some(severity) => severity,
            None if report.lower => super::Severity::Low.max(lower(info.severity)),
            None => info.severity,
        };
        self.out.push(Finding {
            rule: report.rule.to_owned(),
            severity,
            path: self.input.path.to_owned(),
            side: report.side,
            line: report.lines.0,
            end_line: report.lines.1.max(report.lines.0),
            column: report.column,
            message: report.message,
            excerpt: excerpt_of(report.excerpt),
            hunk: None,
        });
    }
}

/// Whether sorted `lines` hold one within `start..=end` (a binary search: rules ask this for
/// every node they visit).
pub(super) fn touches(lines: &[u32], start: u32, end: u32) -> bool {
    let first = lines.partition_point(|&l| l < start);
    lines.get(first).is_some_and(|&l| l <= end)
}

/// One finding to report.
pub(super) struct Report<'r> {
    pub rule: &'r str,
    pub side: FindingSide,
    /// First and last line.
    pub lines: (u32, u32),
    pub column: Option<u32>,
    pub message: String,
    pub excerpt: &'r str,
    pub lower: bool,
}

fn lower(severity: super::Severity) -> super::Severity {
    use super::Severity::*;
    match severity {
        Critical => High,
        High => Medium,
        Medium | Low => Low,
    }
}

/// What a position is, lexically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lexical {
    Code,
    Comment,
    String,
}

static TEST_ATTRIBUTE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    pattern(r"(^|[^\w])(test|rstest|test_case|quickcheck|proptest)([^\w]|$)")
});

/// Compiles one of the rules' constant patterns.
// Provably infallible: every pattern is a constant, and `every_pattern_compiles` (in the
// rule files' tests) forces each one, so a build that passed its tests cannot fail here.
#[allow(clippy::expect_used)]
pub(super) fn pattern(source: &str) -> Regex {
    Regex::new(source).expect("the rules' patterns are constants compiled by the unit tests")
}

/// The attributes written right above a Rust item (`#[test]`, `#[cfg(test)]`).
pub(super) fn rust_attributes<'s>(node: Node<'_>, source: &'s [u8]) -> Vec<&'s str> {
    let mut attributes = Vec::new();
    let mut previous = node.prev_named_sibling();
    while let Some(sibling) = previous {
        match sibling.kind() {
            "attribute_item" => attributes.push(node_text(sibling, source)),
            "line_comment" | "block_comment" => {}
            _ => break,
        }
        previous = sibling.prev_named_sibling();
    }
    // an inner `#![cfg(test)]` in a module file marks the whole module
    attributes
}

pub(super) fn node_text<'s>(node: Node<'_>, source: &'s [u8]) -> &'s str {
    source
        .get(node.start_byte()..node.end_byte())
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .unwrap_or("")
}

pub(super) fn field_text<'s>(node: Node<'_>, field: &str, source: &'s [u8]) -> &'s str {
    node.child_by_field_name(field)
        .map_or("", |child| node_text(child, source))
}

/// 1-based character column of byte `offset` in `line`.
pub(super) fn column_of(line: &str, offset: usize) -> u32 {
    line.get(..offset)
        .map_or(1, |before| before.chars().count() as u32 + 1)
}

/// A line as an excerpt: trimmed, at most 200 characters.
fn excerpt_of(line: &str) -> String {
    let trimmed = line.trim();
    if trimmed.chars().count() <= 200 {
        trimmed.to_owned()
    } else {
        let mut cut: String = trimmed.chars().take(199).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
pub(super) mod testing;
