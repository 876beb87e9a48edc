//! Rules about the shape of code: functions that are long or became long, stubs, code left
//! in comments, and code that no longer parses.

use std::sync::LazyLock;

use regex::Regex;

use super::{node_text, pattern, Ctx, Report};
use crate::findings::FindingSide;
use crate::syntax::{self, LanguageId, Symbol, SymbolKind, SyntaxLimits};

pub(super) fn check(ctx: &mut Ctx<'_>) {
    if ctx.language.is_none() {
        return;
    }
    functions(ctx);
    commented_out_code(ctx);
    parse_errors(ctx);
}

fn is_function(symbol: &Symbol) -> bool {
    matches!(
        symbol.kind,
        SymbolKind::Function | SymbolKind::Method | SymbolKind::Constructor
    )
}

fn length(symbol: &Symbol) -> u32 {
    symbol.lines.end.saturating_sub(symbol.lines.start) + 1
}

fn functions(ctx: &mut Ctx<'_>) {
    let Some(new) = &ctx.input.new else { return };
    let old_symbols = ctx.input.old.as_ref().map(|side| side.symbols);
    let threshold = ctx.config.long_function_lines;
    let mut reports = Vec::new();
    for symbol in new.symbols.symbols.iter().filter(|s| is_function(s)) {
        let touched = ctx.added_within(symbol.lines.start, symbol.lines.end);
        if !touched {
            continue;
        }
        let before = old_symbols.and_then(|old| {
            old.symbols
                .iter()
                .find(|s| is_function(s) && s.path == symbol.path)
        });
        let now = length(symbol);
        let span = (symbol.lines.start, symbol.lines.end);
        match before.map(length) {
            None if now > threshold => reports.push((
                "long-function",
                span,
                format!(
                    "new function `{}` is {now} lines long (threshold {threshold})",
                    symbol.name
                ),
            )),
            Some(was) if was <= threshold && now > threshold => reports.push((
                "long-function",
                span,
                format!(
                    "`{}` grew from {was} to {now} lines, over the threshold of {threshold}",
                    symbol.name
                ),
            )),
            Some(was) if was > threshold && now > was + 5 => reports.push((
                "long-function-grew",
                span,
                format!(
                    "`{}` was already {was} lines long and grew to {now}",
                    symbol.name
                ),
            )),
            _ => {}
        }
        if let Some(marker) = stub_marker(ctx, symbol) {
            reports.push(("stub", span, format!("`{}` only {marker}", symbol.name)));
        }
    }
    for (rule, lines, message) in reports {
        let excerpt = ctx.line(lines.0).to_owned();
        ctx.push(Report {
            rule,
            side: FindingSide::New,
            lines,
            column: None,
            message,
            excerpt: &excerpt,
            lower: false,
        });
    }
}

static STUB_BODIES: LazyLock<Vec<(LanguageId, Regex, &'static str)>> = LazyLock::new(|| {
    use LanguageId::*;
    let marker =
        r#"(?i)[^"'`]*(not\s+(yet\s+)?implemented|todo|unimplemented|implement\s+me)[^"'`]*"#;
    vec![
        (
            Rust,
            pattern(r"^\{\s*(todo|unimplemented)!\s*\([^;]*\)\s*;?\s*\}$"),
            "panics with a not-implemented marker",
        ),
        (
            Python,
            pattern(r"^raise\s+NotImplementedError\b[^\n]*$"),
            "raises NotImplementedError",
        ),
        (
            JavaScript,
            pattern(&format!(
                r#"^\{{\s*throw\s+new\s+Error\s*\(\s*["'`]{marker}["'`]\s*\)\s*;?\s*\}}$"#
            )),
            "throws a not-implemented error",
        ),
        (
            Java,
            pattern(
                r"^\{\s*throw\s+new\s+(UnsupportedOperationException|NotImplementedException)\s*\([^;]*\)\s*;\s*\}$",
            ),
            "throws a not-implemented exception",
        ),
        (
            CSharp,
            pattern(
                r"^(\{\s*throw\s+new\s+NotImplementedException\s*\([^;]*\)\s*;\s*\}|=>\s*throw\s+new\s+NotImplementedException\s*\([^;]*\))$",
            ),
            "throws NotImplementedException",
        ),
        (
            Go,
            pattern(&format!(
                r#"^\{{\s*panic\s*\(\s*["`]{marker}["`]\s*\)\s*\}}$"#
            )),
            "panics with a not-implemented marker",
        ),
    ]
});

/// What a function's body holds when it is only a not-implemented marker (comments aside):
/// `todo!()`, `raise NotImplementedError`, `pass` with a TODO, …
fn stub_marker(ctx: &Ctx<'_>, symbol: &Symbol) -> Option<&'static str> {
    let language = ctx.language?;
    let family = match language {
        LanguageId::TypeScript | LanguageId::Tsx => LanguageId::JavaScript,
        other => other,
    };
    let source = ctx.new_bytes();
    let node = ctx
        .tree?
        .root_node()
        .descendant_for_byte_range(symbol.start_byte as usize, symbol.end_byte as usize)?;
    let body = node.child_by_field_name("body")?;
    // the marker must be something this change wrote
    let body_lines = (
        body.start_position().row as u32 + 1,
        body.end_position().row as u32 + 1,
    );
    if !ctx.added_within(body_lines.0, body_lines.1) {
        return None;
    }
    let attached = source
        .get(symbol.start_byte as usize..body.start_byte())
        .map(String::from_utf8_lossy)
        .unwrap_or_default();
    let decorators = ctx.line(symbol.attached_from.max(1));
    if ["abstractmethod", "overload", "abc.abstract"]
        .iter()
        .any(|d| attached.contains(d) || decorators.contains(d))
        || attached.contains("abstract ")
    {
        return None;
    }
    let mut text = String::new();
    let mut cursor = body.walk();
    let mut comments = String::new();
    for child in body.children(&mut cursor) {
        if child.kind().contains("comment") {
            comments.push_str(node_text(child, source));
            continue;
        }
        text.push_str(node_text(child, source));
        text.push(' ');
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if family == LanguageId::Python {
        let only_pass = text == "pass" || text == "...";
        let todo = comments.to_ascii_lowercase().contains("todo")
            || source_of_lines(ctx, body_lines)
                .to_ascii_lowercase()
                .contains("todo");
        if only_pass && todo && !in_protocol(node, source) {
            return Some("passes, with a TODO");
        }
        if in_protocol(node, source) {
            return None;
        }
    }
    STUB_BODIES
        .iter()
        .find(|(lang, re, _)| *lang == family && re.is_match(&text))
        .map(|(_, _, what)| *what)
}

fn source_of_lines(ctx: &Ctx<'_>, lines: (u32, u32)) -> String {
    (lines.0..=lines.1)
        .map(|l| ctx.line(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A Python method of a `Protocol` or `ABC` class: its body is a declaration.
fn in_protocol(node: tree_sitter::Node<'_>, source: &[u8]) -> bool {
    let mut parent = node.parent();
    while let Some(current) = parent {
        if current.kind() == "class_definition" {
            let bases = super::field_text(current, "superclasses", source);
            return ["Protocol", "ABC", "Interface"]
                .iter()
                .any(|b| bases.contains(b));
        }
        parent = current.parent();
    }
    false
}

static PROSE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(the|a|an|is|are|was|we|this|that|should|will|would|can|could|must|because|when|which|note|todo|fixme|hack|xxx|see|e\.g|i\.e)\b",
    )
});
static CODE_SHAPE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"([;{}]\s*$|\)\s*$|^\s*(let|const|var|return|def|fn|func|import|from\s+\S+\s+import|if\s.*[:{]\s*$|for\s.*[:{]\s*$|while\s.*[:{]\s*$|print\(|console\.|self\.|this\.)|^\s*[\w.\[\]]+\s*(=|\+=|-=|:=)\s*\S)",
    )
});

/// A run of added line comments whose text reads and parses as code.
fn commented_out_code(ctx: &mut Ctx<'_>) {
    let Some(language) = ctx.input.language else {
        return;
    };
    let marker = match language.id {
        LanguageId::Python => "#",
        _ => "//",
    };
    let mut runs: Vec<(u32, u32, Vec<String>)> = Vec::new();
    for &line in &ctx.added {
        let text = ctx.line(line);
        let trimmed = text.trim_start();
        let Some(rest) = trimmed.strip_prefix(marker) else {
            continue;
        };
        // doc comments, shebangs and directives are not code left behind
        if rest.starts_with(['/', '!']) || (marker == "#" && rest.starts_with('!')) {
            continue;
        }
        let column = text.len() - trimmed.len();
        if !matches!(
            ctx.lexical(ctx.offset(line, column)),
            super::Lexical::Comment
        ) {
            continue;
        }
        let body = rest.strip_prefix(' ').unwrap_or(rest).to_owned();
        // prose ends a run: only lines that look like code are joined and parsed
        if body.trim().is_empty()
            || !CODE_SHAPE.is_match(&body)
            || PROSE.find_iter(&body).count() >= 2
            || body.contains("http")
        {
            continue;
        }
        match runs.last_mut() {
            Some((_, end, lines)) if *end + 1 == line => {
                *end = line;
                lines.push(body);
            }
            _ => runs.push((line, line, vec![body])),
        }
    }
    for (start, end, lines) in runs {
        let text = lines.join("\n");
        if text
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .filter(|w| !w.is_empty())
            .count()
            < 2
        {
            continue;
        }
        if !parses_as_code(language, &text) {
            continue;
        }
        let excerpt = ctx.line(start).to_owned();
        ctx.push(Report {
            rule: "commented-out-code",
            side: FindingSide::New,
            lines: (start, end),
            column: None,
            message: format!(
                "{} line{} of code left in comments",
                end - start + 1,
                if end > start { "s" } else { "" }
            ),
            excerpt: &excerpt,
            lower: false,
        });
    }
}

/// Whether `text` parses without an error as `language`, as it stands or inside a function
/// body (statements are not top-level items in every grammar).
fn parses_as_code(language: &'static syntax::Language, text: &str) -> bool {
    let wrapped = match language.id {
        LanguageId::Go => format!("package p\nfunc _() {{\n{text}\n}}\n"),
        LanguageId::Java => format!("class P {{ void p() {{\n{text}\n}} }}\n"),
        LanguageId::C | LanguageId::Cpp => format!("void p(void) {{\n{text}\n}}\n"),
        LanguageId::Rust => format!("fn p() {{\n{text}\n}}\n"),
        _ => text.to_owned(),
    };
    let limits = SyntaxLimits::default();
    [text.to_owned(), wrapped].iter().any(|candidate| {
        matches!(
            syntax::parse_tree(language, candidate.as_bytes(), &limits),
            Ok(Ok(tree)) if !tree.tree.root_node().has_error()
        )
    })
}

/// A syntax error on or next to an added line, where the old side parsed.
fn parse_errors(ctx: &mut Ctx<'_>) {
    let Some(new) = &ctx.input.new else { return };
    if new.symbols.errors.is_empty() || new.symbols.not_parsed.is_some() {
        return;
    }
    if ctx
        .input
        .old
        .as_ref()
        .is_some_and(|old| !old.symbols.errors.is_empty())
    {
        return;
    }
    let regions = new.symbols.errors.clone();
    for region in regions {
        let near = ctx
            .added
            .iter()
            .any(|&l| l + 1 >= region.start_line && l <= region.end_line + 1);
        if !near {
            continue;
        }
        let message = match &region.missing {
            Some(token) => format!("does not parse: `{token}` missing"),
            None => "does not parse here".to_owned(),
        };
        let excerpt = ctx.line(region.start_line).to_owned();
        ctx.push(Report {
            rule: "does-not-parse",
            side: FindingSide::New,
            lines: (region.start_line, region.end_line),
            column: None,
            message,
            excerpt: &excerpt,
            lower: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{found, lines_of};

    #[test]
    fn every_pattern_compiles() {
        assert!(!super::STUB_BODIES.is_empty());
        let _ = (&*super::PROSE, &*super::CODE_SHAPE);
    }

    fn function(name: &str, lines: usize) -> String {
        let body: String = (0..lines.saturating_sub(2))
            .map(|i| format!("    let x{i} = {i};\n"))
            .collect();
        format!("pub fn {name}() {{\n{body}}}\n")
    }

    #[test]
    fn long_functions_new_crossed_and_grown() {
        let short = function("a", 50);
        let long = function("a", 70);
        let longer = function("a", 80);
        assert_eq!(lines_of("long-function", "src/lib.rs", &long), vec![1]);
        assert_eq!(
            found("src/lib.rs", &short, &long),
            vec![("long-function".to_owned(), 1)]
        );
        assert_eq!(
            found("src/lib.rs", &long, &longer),
            vec![("long-function-grew".to_owned(), 1)]
        );
        let slightly = function("a", 73);
        assert_eq!(found("src/lib.rs", &long, &slightly), vec![]);
    }

    #[test]
    fn stubs_in_each_language() {
        assert_eq!(
            lines_of(
                "stub",
                "src/lib.rs",
                "pub fn a() -> u8 {\n    todo!()\n}\npub fn b() -> u8 {\n    todo!();\n    1\n}\n"
            ),
            vec![1]
        );
        let py = "def a():\n    raise NotImplementedError\n\ndef b():\n    pass  # TODO\n\nclass P(Protocol):\n    def c(self):\n        ...\n\nclass Q:\n    @abstractmethod\n    def d(self):\n        raise NotImplementedError\n";
        assert_eq!(lines_of("stub", "app/x.py", py), vec![1, 4]);
        let ts = "export function a(): number {\n  throw new Error(\"Not implemented\");\n}\nexport function b(): number {\n  throw new Error(\"bad input\");\n}\n";
        assert_eq!(lines_of("stub", "src/x.ts", ts), vec![1]);
    }

    #[test]
    fn commented_out_code_not_prose() {
        let rust = "pub fn a() {\n    // let x = compute(1);\n    // x.save()?;\n    // This is why we do not save here.\n    /// Docs.\n    let y = 1;\n}\n";
        assert_eq!(lines_of("commented-out-code", "src/lib.rs", rust), vec![2]);
        let py = "def f():\n    # result = g(x)\n    # the value is cached\n    return 1\n";
        assert_eq!(lines_of("commented-out-code", "app/x.py", py), vec![2]);
    }

    #[test]
    fn code_that_no_longer_parses() {
        let old = "pub fn a() -> u8 {\n    1\n}\n";
        let new = "pub fn a() -> u8 {\n    let x = (1;\n    x\n}\n";
        assert!(found("src/lib.rs", old, new)
            .iter()
            .any(|(rule, line)| rule == "does-not-parse" && *line <= 2));
    }
}
