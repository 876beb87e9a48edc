//! What the model is shown about the code, within a token budget.
//!
//! The parts, in the order they are cut when the budget is short (the last is cut last):
//! 1. the file's imports (kept to the first lines),
//! 2. the related findings (kept to the first few),
//! 3. the enclosing symbol's text (kept to the lines around the hunk),
//! 4. the hunk itself (its middle is cut, its start and end kept).
//!
//! The budget is the model's context window less the answer's tokens and the prompt's own
//! words; tokens are estimated as one per three bytes, which overestimates for code in
//! English (about four), so the window is never exceeded. Every part is redacted of secrets
//! before it is measured.

use serde::Serialize;
use specta::Type;

use crate::findings::config::SecretPattern;
use crate::findings::secrets;

/// Tokens are estimated from bytes: one token per this many bytes (real tokenizers give about
/// four for English and code; three overestimates, so a budget computed with it holds).
pub const BYTES_PER_TOKEN: usize = 3;

/// The estimated tokens of `text`.
pub fn tokens(text: &str) -> usize {
    text.len().div_ceil(BYTES_PER_TOKEN)
}

/// One part of the context, before the budget is applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeContext {
    pub path: String,
    /// The language's display name (`Rust`), if Redline parses it.
    pub language: Option<String>,
    /// The changed code as a unified diff (`+`/`-`/` ` lines), or the selected lines.
    pub code: String,
    /// The full text of the symbol around the code (new side), with its path
    /// (`impl Parser › fn parse`).
    pub enclosing: Option<(String, String)>,
    /// The file's import lines.
    pub imports: Vec<String>,
    /// Findings on these lines: `rule: message (line N)`.
    pub findings: Vec<String>,
    /// Extra lines the action adds (a whole-change summary, a file list).
    pub notes: Vec<String>,
}

/// A secret taken out of the context: what kind, and in which part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Redaction {
    pub kind: String,
    /// `code`, `enclosing symbol`, `imports`, `findings`, `question`.
    pub part: String,
}

/// What was cut to fit the budget.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Truncation {
    pub imports_dropped: u32,
    pub findings_dropped: u32,
    pub enclosing_lines_dropped: u32,
    pub code_lines_dropped: u32,
}

impl Truncation {
    pub fn is_empty(&self) -> bool {
        *self == Truncation::default()
    }
}

/// Replaces the secrets in every part of `context` with placeholders and lists them.
pub fn redact(context: &mut CodeContext, extra: &[SecretPattern]) -> Vec<Redaction> {
    let mut found = Vec::new();
    let mut one = |text: &mut String, part: &str| {
        let (clean, secrets) = secrets::redact(text, extra);
        for secret in secrets {
            found.push(Redaction {
                kind: secret.kind,
                part: part.to_owned(),
            });
        }
        *text = clean;
    };
    one(&mut context.code, "code");
    if let Some((_, text)) = &mut context.enclosing {
        one(text, "enclosing symbol");
    }
    for line in &mut context.imports {
        one(line, "imports");
    }
    for line in &mut context.findings {
        one(line, "findings");
    }
    for line in &mut context.notes {
        one(line, "notes");
    }
    found
}

/// Cuts `context` to `budget` estimated tokens, in the order the module states.
pub fn fit(context: &mut CodeContext, budget: usize) -> Truncation {
    let mut cut = Truncation::default();
    let size = |c: &CodeContext| -> usize {
        tokens(&c.code)
            + c.enclosing
                .as_ref()
                .map_or(0, |(p, t)| tokens(p) + tokens(t))
            + c.imports.iter().map(|l| tokens(l) + 1).sum::<usize>()
            + c.findings.iter().map(|l| tokens(l) + 1).sum::<usize>()
            + c.notes.iter().map(|l| tokens(l) + 1).sum::<usize>()
    };
    while size(context) > budget && !context.imports.is_empty() {
        context.imports.pop();
        cut.imports_dropped += 1;
    }
    while size(context) > budget && !context.findings.is_empty() {
        context.findings.pop();
        cut.findings_dropped += 1;
    }
    if size(context) > budget {
        let over = size(context) - budget;
        if let Some((_, text)) = &mut context.enclosing {
            cut.enclosing_lines_dropped = shrink_middle(text, over);
        }
    }
    if size(context) > budget {
        if let Some((_, text)) = &context.enclosing {
            if text.is_empty() {
                context.enclosing = None;
            }
        }
    }
    while size(context) > budget && !context.notes.is_empty() {
        context.notes.pop();
    }
    if size(context) > budget {
        let over = size(context) - budget;
        cut.code_lines_dropped = shrink_middle(&mut context.code, over);
    }
    cut
}

/// Removes lines from the middle of `text` until it is `over` tokens shorter (or only a
/// marker is left), replacing them with one marker line. Returns how many lines went.
fn shrink_middle(text: &mut String, over: usize) -> u32 {
    let lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return 0;
    }
    let goal = tokens(text).saturating_sub(over + 12);
    // keep as many lines from both ends as fit in the goal, alternating
    let (mut head, mut tail) = (0usize, 0usize);
    let mut kept = 0usize;
    loop {
        let next = if head <= tail {
            lines.get(head)
        } else {
            lines.get(lines.len() - 1 - tail)
        };
        let Some(line) = next else { break };
        if head + tail >= lines.len() || kept + tokens(line) + 1 > goal {
            break;
        }
        kept += tokens(line) + 1;
        if head <= tail {
            head += 1;
        } else {
            tail += 1;
        }
    }
    let dropped = lines.len() - head - tail;
    if dropped == 0 {
        return 0;
    }
    let mut out: Vec<String> = lines[..head].iter().map(|l| (*l).to_owned()).collect();
    out.push(format!(
        "… {dropped} lines left out to fit the model's context …"
    ));
    out.extend(lines[lines.len() - tail..].iter().map(|l| (*l).to_owned()));
    *text = out.join("\n");
    dropped as u32
}

/// The import lines of a source file, by the conventions of the languages Redline reads
/// (at most `limit`).
pub fn imports(source: &str, limit: usize) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_go_block = false;
    for line in source.lines() {
        let trimmed = line.trim_start();
        let import = in_go_block
            || trimmed.starts_with("use ")
            || trimmed.starts_with("pub use ")
            || trimmed.starts_with("import ")
            || (trimmed.starts_with("from ") && trimmed.contains(" import "))
            || trimmed.starts_with("#include")
            || (trimmed.starts_with("using ") && trimmed.ends_with(';'))
            || trimmed.starts_with("extern crate ")
            || (trimmed.starts_with("const ") && trimmed.contains("require("));
        if trimmed.starts_with("import (") {
            in_go_block = true;
        } else if in_go_block && trimmed.starts_with(')') {
            in_go_block = false;
            found.push(line.to_owned());
            continue;
        }
        if import {
            found.push(line.to_owned());
            if found.len() >= limit {
                break;
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> CodeContext {
        CodeContext {
            path: "src/lib.rs".into(),
            language: Some("Rust".into()),
            code: (0..200)
                .map(|i| format!("+    let value_{i} = compute({i});"))
                .collect::<Vec<_>>()
                .join("\n"),
            enclosing: Some((
                "fn run".into(),
                (0..100)
                    .map(|i| format!("    step({i});"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )),
            imports: (0..30).map(|i| format!("use crate::m{i};")).collect(),
            findings: vec!["rust-unwrap: `.unwrap()` in library code (line 3)".into(); 5],
            notes: Vec::new(),
        }
    }

    #[test]
    fn a_context_within_budget_is_untouched() {
        let mut c = context();
        let before = c.clone();
        assert!(fit(&mut c, 100_000).is_empty());
        assert_eq!(c, before);
    }

    #[test]
    fn parts_are_cut_in_the_stated_order_and_the_budget_holds() {
        for budget in [4_000, 2_500, 1_200, 600, 200] {
            let mut c = context();
            let cut = fit(&mut c, budget);
            let size = tokens(&c.code)
                + c.enclosing
                    .as_ref()
                    .map_or(0, |(p, t)| tokens(p) + tokens(t))
                + c.imports.iter().map(|l| tokens(l) + 1).sum::<usize>()
                + c.findings.iter().map(|l| tokens(l) + 1).sum::<usize>();
            assert!(size <= budget, "budget {budget}: {size} tokens, {cut:?}");
            // nothing later in the order is cut while something earlier is left
            if cut.findings_dropped > 0 {
                assert!(c.imports.is_empty(), "{budget}");
            }
            if cut.enclosing_lines_dropped > 0 {
                assert!(c.findings.is_empty(), "{budget}");
            }
            if cut.code_lines_dropped > 0 {
                assert!(
                    c.enclosing
                        .as_ref()
                        .is_none_or(|(_, t)| t.lines().count() <= 2),
                    "{budget}"
                );
                assert!(c.code.contains("lines left out"), "{budget}");
                assert!(
                    c.code.starts_with("+    let value_0 "),
                    "{budget}: the start is kept"
                );
            }
        }
    }

    #[test]
    fn secrets_are_replaced_in_every_part() {
        let key = "AKIAIOSFODNN7REDLINE";
        let mut c = CodeContext {
            code: format!("+let aws = \"{key}\";"),
            enclosing: Some(("fn f".into(), format!("let k = \"{key}\";"))),
            ..CodeContext::default()
        };
        let redactions = redact(&mut c, &[]);
        assert!(
            !c.code.contains(key) && !c.enclosing.as_ref().is_some_and(|(_, t)| t.contains(key))
        );
        assert_eq!(
            redactions
                .iter()
                .map(|r| r.part.as_str())
                .collect::<Vec<_>>(),
            ["code", "enclosing symbol"]
        );
    }

    #[test]
    fn imports_of_each_language() {
        let rust = "//! doc\nuse std::io;\npub use crate::a::B;\n\nfn main() {}\n";
        assert_eq!(imports(rust, 10), ["use std::io;", "pub use crate::a::B;"]);
        let go = "package x\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc f() {}\n";
        assert_eq!(imports(go, 10).len(), 4);
        let py = "import os\nfrom a import b\nx = 1\n";
        assert_eq!(imports(py, 1), ["import os"]);
    }
}
