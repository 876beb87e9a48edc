//! Findings: the risks AI-written code tends to hide, flagged on the lines a change adds.
//!
//! Pure: [`check_file`] takes one changed file (both sides' bytes and trees, its hunks) and
//! returns [`Finding`]s; it never reads git, the filesystem or the network. The composer
//! (`review::findings`) reads the blobs, parses them and applies the repository's
//! [`Config`] (`.redline.toml`).
//!
//! Precision comes first: on real code such risks are a few per thousand added lines, and a
//! noisy tool is ignored. So a rule fires only on an **added** line, only where it can tell
//! (code, not a comment or a string, unless the rule is about comments or strings), and the
//! definitions in [`catalog`] (the rules' data: `rules.toml`) are narrow on purpose.
//! `tests/findings_corpus.rs` scores the rules on real agent-written commits.

pub mod catalog;
pub mod config;
mod context;
pub mod dependencies;
mod rules;
pub mod sarif;
pub mod score;
pub mod secrets;

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::diff::HunkId;

pub use catalog::{rule, rules, RuleInfo};
pub use config::{Config, ConfigError};
pub use context::{FileInput, Placement, SideInput};
pub use score::{file_score, hunk_score, SeverityCounts};

/// How much a finding matters, lowest first (the order is used: `--fail-on medium` fails on
/// medium, high and critical).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// Worth a look: a habit, not a defect.
    Low,
    /// Likely a defect or a gap in the change.
    Medium,
    /// A defect or a risk that must be answered before merging.
    High,
    /// A leaked secret or a security boundary opened.
    Critical,
}

impl Severity {
    /// All severities, lowest first.
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lower-case word used in `.redline.toml`, `--fail-on` and the text output.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The severity a word names (`low`, `medium`, `high`, `critical`), any case.
    pub fn parse(word: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|s| s.word().eq_ignore_ascii_case(word.trim()))
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

/// Which side of the change a finding's lines are on: almost always the new side (what was
/// added); a deleted test is on the old side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FindingSide {
    Old,
    New,
}

/// One risk on the lines a change adds (or, for a deleted test, removes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The rule's id, e.g. `rust-unwrap` (see [`rules`]).
    pub rule: String,
    /// The rule's default severity, or what `.redline.toml` set it to; some rules lower it
    /// for test or cleanup code (said in their definition).
    pub severity: Severity,
    /// The file's display path (new path; old path for a deletion).
    pub path: String,
    pub side: FindingSide,
    /// 1-based first line on `side`.
    pub line: u32,
    /// 1-based last line on `side` (= `line` for a one-line finding).
    pub end_line: u32,
    /// 1-based column of the first character, in characters, when the rule knows it.
    pub column: Option<u32>,
    /// What this occurrence is, specific to it: "`.unwrap()` in library code".
    pub message: String,
    /// The code the rule matched, at most one line of 200 characters; secrets are
    /// redacted here (never the secret itself).
    pub excerpt: String,
    /// The hunk holding the finding's first line, set by the composer (`None` for a
    /// finding about the whole file, e.g. a changed CI workflow).
    pub hunk: Option<HunkId>,
}

/// Checks one changed file: every rule that applies to its language and path, on its added
/// lines (and, for the rules that compare, both sides). Findings come back sorted by line.
pub fn check_file(input: &FileInput<'_>, config: &Config) -> Vec<Finding> {
    let mut findings = rules::run(input, config);
    findings.sort_by(|a, b| {
        (a.side == FindingSide::Old, a.line, a.column, &a.rule).cmp(&(
            b.side == FindingSide::Old,
            b.line,
            b.column,
            &b.rule,
        ))
    });
    findings.dedup_by(|a, b| a.rule == b.rule && a.line == b.line && a.side == b.side);
    findings
}
