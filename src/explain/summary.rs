//! The explanation given without a model: what the change does to the code's structure,
//! read off the analysis — symbols added, removed and changed, signature and Rust API
//! changes, the risky sites the findings rules flagged, lock and generated files — as
//! Markdown. Deterministic: the same change always reads the same, and nothing is guessed.

use crate::diff::{Collapsed, FileStatus};
use crate::findings::Finding;
use crate::syntax::rust_api::ApiDiff;
use crate::syntax::{ChangeKind, SymbolChange};

/// One changed file, as far as the summary goes.
pub struct SummaryFile<'a> {
    pub path: &'a str,
    pub old_path: Option<&'a str>,
    pub status: FileStatus,
    pub additions: u32,
    pub deletions: u32,
    pub collapsed: Option<Collapsed>,
    pub changes: &'a [SymbolChange],
    pub api: Option<&'a ApiDiff>,
    pub findings: &'a [Finding],
}

/// How to connect a model, said at the end of every summary.
pub const CONNECT_HINT: &str = "_No language model is configured, so this is Redline's \
structural summary. To get explanations, run a model server on this machine (Ollama on port \
11434 or llama.cpp's `llama-server` on 8080 are found by themselves) or set \
`REDLINE_LLM_BASE_URL` and `REDLINE_LLM_MODEL` (and `REDLINE_LLM_API_KEY`, \
`REDLINE_LLM_PROVIDER=anthropic` for a remote one)._";

/// The summary of `files` (the whole change, or the one file asked about).
pub fn summarize(title: &str, files: &[SummaryFile<'_>]) -> String {
    let mut out = format!("## {title}\n\n");
    let (additions, deletions) = files
        .iter()
        .fold((0u32, 0u32), |(a, d), f| (a + f.additions, d + f.deletions));
    let count = files.len();
    out.push_str(&format!(
        "{count} file{} changed, +{additions} −{deletions}.\n",
        if count == 1 { "" } else { "s" }
    ));
    let mut sections: Vec<(&str, Vec<String>)> = vec![
        ("Files", Vec::new()),
        ("Symbols added", Vec::new()),
        ("Symbols removed", Vec::new()),
        ("Signatures changed", Vec::new()),
        ("Bodies changed", Vec::new()),
        ("Moved or renamed", Vec::new()),
        ("Rust public API", Vec::new()),
        ("Risks flagged on added lines", Vec::new()),
        ("Skipped by default", Vec::new()),
    ];
    for file in files {
        let what = match file.status {
            FileStatus::Added => "added".to_owned(),
            FileStatus::Deleted => "deleted".to_owned(),
            FileStatus::Renamed => format!("renamed from `{}`", file.old_path.unwrap_or("?")),
            FileStatus::Copied => format!("copied from `{}`", file.old_path.unwrap_or("?")),
            FileStatus::TypeChanged => "changed kind".to_owned(),
            FileStatus::Modified => "modified".to_owned(),
        };
        if let Some(collapsed) = &file.collapsed {
            let why = match collapsed {
                Collapsed::LockFile => "a lock file",
                Collapsed::Vendored => "vendored code",
                Collapsed::Generated => "generated",
                Collapsed::DiffDisabled => "marked not to diff",
            };
            sections[8].1.push(format!(
                "`{}` ({why}), +{} −{}",
                file.path, file.additions, file.deletions
            ));
            continue;
        }
        sections[0].1.push(format!(
            "`{}`: {what}, +{} −{}",
            file.path, file.additions, file.deletions
        ));
        for change in file.changes {
            let name = change
                .new_path
                .as_deref()
                .or(change.old_path.as_deref())
                .unwrap_or("?");
            let line = format!("`{name}` in `{}`", file.path);
            let index = match change.change {
                ChangeKind::Added => 1,
                ChangeKind::Removed => 2,
                ChangeKind::SignatureChanged => 3,
                ChangeKind::Modified => 4,
                ChangeKind::Moved | ChangeKind::Renamed => 5,
            };
            let line = match change.change {
                ChangeKind::Renamed => format!(
                    "`{}` renamed to `{name}` in `{}`",
                    change.old_path.as_deref().unwrap_or("?"),
                    file.path
                ),
                ChangeKind::Moved => match &change.old_file {
                    Some(from) => format!("`{name}` moved from `{from}` to `{}`", file.path),
                    None => format!("`{name}` moved within `{}`", file.path),
                },
                _ => line,
            };
            sections[index].1.push(line);
        }
        if let Some(api) = file.api {
            for change in &api.changes {
                let verdict = if change.breaking {
                    "**breaking**"
                } else {
                    "compatible"
                };
                sections[6]
                    .1
                    .push(format!("{verdict}: `{}` — {}", change.path, change.reason));
            }
        }
        for finding in file.findings {
            sections[7].1.push(format!(
                "{} `{}` at `{}:{}`: {}",
                finding.severity, finding.rule, file.path, finding.line, finding.message
            ));
        }
    }
    for (heading, lines) in sections {
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {heading}\n\n"));
        const SHOWN: usize = 40;
        for line in lines.iter().take(SHOWN) {
            out.push_str(&format!("- {line}\n"));
        }
        if lines.len() > SHOWN {
            out.push_str(&format!("- … and {} more\n", lines.len() - SHOWN));
        }
    }
    out.push('\n');
    out.push_str(CONNECT_HINT);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{FindingSide, Severity};
    use crate::syntax::SymbolKind;

    #[test]
    fn the_summary_lists_structure_risks_and_skipped_files() {
        let changes = vec![SymbolChange::for_test(
            ChangeKind::Added,
            SymbolKind::Function,
            None,
            Some("fn parse"),
        )];
        let findings = vec![Finding {
            rule: "rust-unwrap".into(),
            severity: Severity::Medium,
            path: "src/lib.rs".into(),
            side: FindingSide::New,
            line: 7,
            end_line: 7,
            column: None,
            message: "`.unwrap()` in library code".into(),
            excerpt: String::new(),
            hunk: None,
        }];
        let files = [
            SummaryFile {
                path: "src/lib.rs",
                old_path: None,
                status: FileStatus::Modified,
                additions: 10,
                deletions: 2,
                collapsed: None,
                changes: &changes,
                api: None,
                findings: &findings,
            },
            SummaryFile {
                path: "Cargo.lock",
                old_path: None,
                status: FileStatus::Modified,
                additions: 40,
                deletions: 3,
                collapsed: Some(Collapsed::LockFile),
                changes: &[],
                api: None,
                findings: &[],
            },
        ];
        let text = summarize("HEAD", &files);
        assert!(
            text.starts_with("## HEAD\n\n2 files changed, +50 −5."),
            "{text}"
        );
        assert!(
            text.contains("### Symbols added\n\n- `fn parse` in `src/lib.rs`"),
            "{text}"
        );
        assert!(
            text.contains("medium `rust-unwrap` at `src/lib.rs:7`"),
            "{text}"
        );
        assert!(
            text.contains("`Cargo.lock` (a lock file), +40 −3"),
            "{text}"
        );
        assert!(text.ends_with(&format!("{CONNECT_HINT}\n")));
        assert_eq!(text, summarize("HEAD", &files), "deterministic");
    }
}
