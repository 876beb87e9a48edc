//! Risk scores: which hunks, files and reviews deserve the closest look. A score is a plain
//! number so lists sort by it; its parts are stated here so a reviewer can reason about it.
//!
//! - A finding weighs by severity: low 1, medium 4, high 10, critical 25.
//! - A hunk scores its findings' weights plus its size (⌊log2(1 + changed lines)⌋: a 1-line
//!   change adds 1, a 1,000-line one 9), times 1.5 when an AI agent wrote it.
//! - A file scores its hunks plus its whole-file findings (a changed CI workflow, a
//!   dependency), and a quarter more when it is library code changed by a review that
//!   touches no test.
//! - A review scores the sum of its files.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::{Finding, Severity};

/// What a finding of `severity` adds to a score.
pub fn weight(severity: Severity) -> u32 {
    match severity {
        Severity::Low => 1,
        Severity::Medium => 4,
        Severity::High => 10,
        Severity::Critical => 25,
    }
}

/// The score of one hunk with `findings`, `changed_lines` added and removed lines, written
/// by an AI agent or not.
pub fn hunk_score<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    changed_lines: u32,
    ai_written: bool,
) -> u32 {
    let weights: u32 = findings.into_iter().map(|f| weight(f.severity)).sum();
    let size = (changed_lines.saturating_add(1)).ilog2();
    ai_factor(weights + size, ai_written)
}

/// The score of a file from its hunks' scores and its whole-file findings.
pub fn file_score<'a>(
    hunk_scores: impl IntoIterator<Item = u32>,
    file_findings: impl IntoIterator<Item = &'a Finding>,
    ai_written: bool,
    untested_library_code: bool,
) -> u32 {
    let hunks: u32 = hunk_scores.into_iter().sum();
    let whole: u32 = file_findings.into_iter().map(|f| weight(f.severity)).sum();
    let score = hunks + ai_factor(whole, ai_written);
    if untested_library_code {
        score + score / 4
    } else {
        score
    }
}

fn ai_factor(score: u32, ai_written: bool) -> u32 {
    if ai_written {
        score + score / 2
    } else {
        score
    }
}

/// How many findings of each severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SeverityCounts {
    pub low: u32,
    pub medium: u32,
    pub high: u32,
    pub critical: u32,
}

impl SeverityCounts {
    /// Counts `findings`.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut counts = SeverityCounts::default();
        for finding in findings {
            *match finding.severity {
                Severity::Low => &mut counts.low,
                Severity::Medium => &mut counts.medium,
                Severity::High => &mut counts.high,
                Severity::Critical => &mut counts.critical,
            } += 1;
        }
        counts
    }

    /// Findings at or above `severity`.
    pub fn at_least(&self, severity: Severity) -> u32 {
        [
            (Severity::Low, self.low),
            (Severity::Medium, self.medium),
            (Severity::High, self.high),
            (Severity::Critical, self.critical),
        ]
        .into_iter()
        .filter(|(s, _)| *s >= severity)
        .map(|(_, n)| n)
        .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::FindingSide;

    fn finding(severity: Severity) -> Finding {
        Finding {
            rule: "rust-unwrap".into(),
            severity,
            path: "src/lib.rs".into(),
            side: FindingSide::New,
            line: 1,
            end_line: 1,
            column: None,
            message: String::new(),
            excerpt: String::new(),
            hunk: None,
        }
    }

    #[test]
    fn a_hunk_scores_its_findings_its_size_and_its_author() {
        assert_eq!(hunk_score([], 0, false), 0);
        assert_eq!(hunk_score([], 1, false), 1);
        assert_eq!(hunk_score([], 1000, false), 9);
        let high = finding(Severity::High);
        assert_eq!(hunk_score([&high], 3, false), 12);
        assert_eq!(hunk_score([&high], 3, true), 18);
    }

    #[test]
    fn untested_library_code_weighs_a_quarter_more() {
        let medium = finding(Severity::Medium);
        assert_eq!(file_score([12, 4], [&medium], false, false), 20);
        assert_eq!(file_score([12, 4], [&medium], false, true), 25);
        assert_eq!(file_score([0], [&medium], true, false), 6);
    }

    #[test]
    fn counts_at_least_a_severity() {
        let all = Severity::ALL.map(finding);
        let counts = SeverityCounts::of(&all);
        assert_eq!(counts.at_least(Severity::Low), 4);
        assert_eq!(counts.at_least(Severity::High), 2);
        assert_eq!(counts.at_least(Severity::Critical), 1);
    }
}
