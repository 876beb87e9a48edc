//! Viewed hunks: a mark per hunk per reviewer, keyed by the hunk's content id.
//!
//! A hunk whose content the agent changed after it was viewed has a new id, so its mark no
//! longer applies: it is unviewed again, and shown as *changed since viewed* when an old mark
//! covers the same lines of the old side (the side an agent's rewrite leaves in place).

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::diff::{FileDiff, HunkId};

/// A reviewer's mark on one hunk, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ViewedMark {
    pub hunk_id: HunkId,
    /// The file's display path when it was viewed.
    pub path: String,
    /// The hunk's lines on the old side when it was viewed (as in its `@@` header).
    pub old_start: u32,
    pub old_lines: u32,
    /// The revision it was viewed at.
    pub revision: String,
    /// Milliseconds since the Unix epoch.
    #[specta(type = f64)]
    pub viewed_at: i64,
}

/// Whether the reviewer has seen a hunk as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ViewState {
    Unviewed,
    Viewed,
    /// Viewed once; the agent has changed it since.
    ChangedSinceViewed,
}

/// One hunk's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HunkView {
    pub hunk_id: HunkId,
    pub path: String,
    pub state: ViewState,
}

/// One file's state: viewed when every hunk is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileView {
    pub path: String,
    pub hunks: u32,
    pub viewed: u32,
    /// Hunks changed since they were viewed.
    pub changed: u32,
    /// Every hunk is viewed (a file without hunks, e.g. binary, once it is marked).
    pub viewed_all: bool,
}

/// The state of every hunk of `files` given the reviewer's `marks`, in the files' order.
pub fn hunk_views(files: &[FileDiff], marks: &[ViewedMark]) -> Vec<HunkView> {
    let ids: std::collections::HashSet<&HunkId> = marks.iter().map(|m| &m.hunk_id).collect();
    let live: std::collections::HashSet<&HunkId> = files
        .iter()
        .flat_map(|f| f.hunks.iter().map(|h| &h.id))
        .collect();
    // Marks of hunks that no longer exist: evidence that a hunk there changed.
    let gone: Vec<&ViewedMark> = marks
        .iter()
        .filter(|m| !live.contains(&m.hunk_id))
        .collect();
    let mut views = Vec::new();
    for file in files {
        let path = file.display_path();
        for hunk in &file.hunks {
            let state = if ids.contains(&hunk.id) {
                ViewState::Viewed
            } else if gone.iter().any(|m| {
                m.path == path && overlaps(m.old_start, m.old_lines, hunk.old_start, hunk.old_lines)
            }) {
                ViewState::ChangedSinceViewed
            } else {
                ViewState::Unviewed
            };
            views.push(HunkView {
                hunk_id: hunk.id.clone(),
                path: path.to_owned(),
                state,
            });
        }
    }
    views
}

/// The per-file roll-up of [`hunk_views`]. A file without hunks (binary, mode only, or left
/// out for size) is viewed when a mark with its file id exists (see [`file_mark_id`]).
pub fn file_views(files: &[FileDiff], views: &[HunkView], marks: &[ViewedMark]) -> Vec<FileView> {
    files
        .iter()
        .map(|file| {
            let path = file.display_path();
            let mine = views.iter().filter(|v| v.path == path);
            let (mut hunks, mut viewed, mut changed) = (0, 0, 0);
            for view in mine {
                hunks += 1;
                viewed += u32::from(view.state == ViewState::Viewed);
                changed += u32::from(view.state == ViewState::ChangedSinceViewed);
            }
            let viewed_all = if hunks == 0 {
                let id = file_mark_id(file);
                marks.iter().any(|m| m.hunk_id == id)
            } else {
                viewed == hunks
            };
            FileView {
                path: path.to_owned(),
                hunks,
                viewed,
                changed,
                viewed_all,
            }
        })
        .collect()
}

/// The mark id of a file with no hunks: its path and both blob ids, so a new version of the
/// file is unviewed again.
pub fn file_mark_id(file: &FileDiff) -> HunkId {
    HunkId(format!(
        "file:{}:{}:{}",
        file.display_path(),
        file.old_id.as_deref().unwrap_or("-"),
        file.new_id.as_deref().unwrap_or("-")
    ))
}

/// Whether two old-side line spans share a line. A pure insertion (no old lines) sits after
/// line `start`: it is taken as that one line so an edited insertion still meets its mark.
fn overlaps(a_start: u32, a_lines: u32, b_start: u32, b_lines: u32) -> bool {
    let a_end = a_start + a_lines.max(1);
    let b_end = b_start + b_lines.max(1);
    a_start < b_end && b_start < a_end
}

/// How much of a review's AI-written code a human has looked at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    /// AI-written hunks viewed, and in all.
    pub ai_viewed: u32,
    pub ai_hunks: u32,
    /// The other hunks (human-written), counted apart.
    pub human_viewed: u32,
    pub human_hunks: u32,
}

impl Coverage {
    /// Viewed AI-written hunks over all of them, 0–100, rounded down (so 99.6% is not 100);
    /// 100 when there are none.
    pub fn percent(&self) -> u32 {
        (self.ai_viewed * 100)
            .checked_div(self.ai_hunks)
            .unwrap_or(100)
    }

    /// Every AI-written hunk was viewed.
    pub fn complete(&self) -> bool {
        self.ai_viewed == self.ai_hunks
    }

    /// Counts `views`, where `ai_written` tells whether a hunk is AI-written.
    pub fn of<'v>(
        views: impl IntoIterator<Item = &'v HunkView>,
        ai_written: impl Fn(&HunkId) -> bool,
    ) -> Coverage {
        let mut coverage = Coverage::default();
        for view in views {
            let seen = u32::from(view.state == ViewState::Viewed);
            if ai_written(&view.hunk_id) {
                coverage.ai_hunks += 1;
                coverage.ai_viewed += seen;
            } else {
                coverage.human_hunks += 1;
                coverage.human_viewed += seen;
            }
        }
        coverage
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_rounds_down_so_only_everything_is_100() {
        let c = Coverage {
            ai_viewed: 199,
            ai_hunks: 200,
            ..Coverage::default()
        };
        assert_eq!(c.percent(), 99);
        assert!(!c.complete());
        assert_eq!(Coverage::default().percent(), 100);
        assert!(Coverage::default().complete());
    }

    #[test]
    fn an_insertion_meets_a_mark_at_its_line_but_not_the_next_hunk() {
        assert!(overlaps(10, 0, 10, 3));
        assert!(overlaps(10, 3, 12, 0));
        assert!(!overlaps(10, 3, 13, 2));
        assert!(!overlaps(20, 0, 21, 0));
    }
}
