//! Decisions: a reviewer approves or requests changes on one revision of a target. Bound to
//! the head tree they were made on: any later change to the target makes a decision *stale*,
//! shown as such and never carried over to the new content.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::Coverage;
use crate::notes::Author;

/// What the reviewer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    Approved,
    ChangesRequested,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Approved => "approved",
            Verdict::ChangesRequested => "changes requested",
        }
    }
}

/// A decision as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub id: String,
    pub reviewer: Author,
    pub verdict: Verdict,
    /// The revision decided on (`BASE_TREE:HEAD_TREE`).
    pub revision: String,
    /// Its head tree: the content the decision is bound to.
    pub head_tree: String,
    /// Coverage and open must-fix notes when it was made.
    pub coverage: Coverage,
    pub open_must_fix: u32,
    /// The reviewer approved although [`approval_blockers`] named reasons not to, and
    /// confirmed it.
    pub confirmed_blockers: Vec<Blocker>,
    pub message: Option<String>,
    /// Milliseconds since the Unix epoch.
    #[specta(type = f64)]
    pub decided_at: i64,
}

/// The review's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ReviewStatus {
    /// No decision yet, or the last one is stale.
    Open,
    ChangesRequested,
    Approved,
}

/// The latest decision and whether the target changed since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DecisionState {
    pub decision: Decision,
    /// The target's content is no longer what was decided on.
    pub stale: bool,
}

impl DecisionState {
    /// The latest decision against the target's current head tree.
    pub fn of(decision: Decision, head_tree: &str) -> DecisionState {
        DecisionState {
            stale: decision.head_tree != head_tree,
            decision,
        }
    }

    /// What the review's status is: a stale decision leaves it open.
    pub fn status(state: Option<&DecisionState>) -> ReviewStatus {
        match state {
            Some(s) if !s.stale => match s.decision.verdict {
                Verdict::Approved => ReviewStatus::Approved,
                Verdict::ChangesRequested => ReviewStatus::ChangesRequested,
            },
            _ => ReviewStatus::Open,
        }
    }
}

/// A reason not to approve yet, which the reviewer must confirm to approve anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Blocker {
    /// Must-fix notes are still open.
    OpenMustFix { count: u32 },
    /// Not every AI-written hunk was viewed.
    IncompleteCoverage { viewed: u32, total: u32 },
}

impl std::fmt::Display for Blocker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Blocker::OpenMustFix { count: 1 } => f.write_str("1 must-fix note is open"),
            Blocker::OpenMustFix { count } => write!(f, "{count} must-fix notes are open"),
            Blocker::IncompleteCoverage { viewed, total } => write!(
                f,
                "{viewed} of {total} AI-written hunks viewed ({}%)",
                Coverage {
                    ai_viewed: *viewed,
                    ai_hunks: *total,
                    ..Coverage::default()
                }
                .percent()
            ),
        }
    }
}

/// Why approving now needs a confirmation: open must-fix notes, coverage under 100%.
/// Requesting changes never does.
pub fn approval_blockers(coverage: &Coverage, open_must_fix: u32) -> Vec<Blocker> {
    let mut blockers = Vec::new();
    if open_must_fix > 0 {
        blockers.push(Blocker::OpenMustFix {
            count: open_must_fix,
        });
    }
    if !coverage.complete() {
        blockers.push(Blocker::IncompleteCoverage {
            viewed: coverage.ai_viewed,
            total: coverage.ai_hunks,
        });
    }
    blockers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blockers_name_open_must_fix_and_missing_coverage() {
        let full = Coverage {
            ai_viewed: 4,
            ai_hunks: 4,
            ..Coverage::default()
        };
        assert_eq!(approval_blockers(&full, 0), []);
        let half = Coverage {
            ai_viewed: 2,
            ..full
        };
        let blockers = approval_blockers(&half, 2);
        assert_eq!(
            blockers.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "2 must-fix notes are open",
                "2 of 4 AI-written hunks viewed (50%)"
            ]
        );
    }
}
