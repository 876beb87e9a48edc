use serde::{Deserialize, Serialize};
use specta::Type;

use super::hunk::{Hunk, LineKind};

/// What happened to a file between the two sides of a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FileStatus {
    Added,
    Deleted,
    Modified,
    Renamed,
    Copied,
    /// The entry changed kind, e.g. a regular file became a symlink.
    TypeChanged,
}

impl FileStatus {
    /// The one-letter code `git diff --name-status` uses.
    pub fn letter(self) -> char {
        match self {
            FileStatus::Added => 'A',
            FileStatus::Deleted => 'D',
            FileStatus::Modified => 'M',
            FileStatus::Renamed => 'R',
            FileStatus::Copied => 'C',
            FileStatus::TypeChanged => 'T',
        }
    }
}

/// One changed file: its paths on both sides, its status and its hunks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileDiff {
    /// Path on the old side; `None` for added files.
    pub old_path: Option<String>,
    /// Path on the new side; `None` for deleted files.
    pub new_path: Option<String>,
    pub status: FileStatus,
    /// Either side holds binary content (detected like git: a NUL byte in the first 8000 bytes,
    /// or a `-diff` / `binary` attribute). Binary files have no hunks.
    pub binary: bool,
    /// Lines added, counted like `git diff --numstat`.
    pub additions: u32,
    /// Lines removed, counted like `git diff --numstat`.
    pub deletions: u32,
    pub hunks: Vec<Hunk>,
}

impl FileDiff {
    /// The path a reviewer knows the file by: the new path, or the old one for deletions.
    pub fn display_path(&self) -> &str {
        self.new_path
            .as_deref()
            .or(self.old_path.as_deref())
            .unwrap_or_default()
    }

    /// Recounts `additions` and `deletions` from the hunks.
    pub fn count_lines(&mut self) {
        let (mut added, mut removed) = (0u32, 0u32);
        for line in self.hunks.iter().flat_map(|h| &h.lines) {
            match line.kind {
                LineKind::Added => added += 1,
                LineKind::Removed => removed += 1,
                LineKind::Context => {}
            }
        }
        self.additions = added;
        self.deletions = removed;
    }
}

/// Totals over a set of files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DiffStats {
    pub files: u32,
    pub additions: u32,
    pub deletions: u32,
}

impl DiffStats {
    pub fn of(files: &[FileDiff]) -> Self {
        files.iter().fold(
            DiffStats {
                files: u32::try_from(files.len()).unwrap_or(u32::MAX),
                ..DiffStats::default()
            },
            |acc, f| DiffStats {
                additions: acc.additions.saturating_add(f.additions),
                deletions: acc.deletions.saturating_add(f.deletions),
                ..acc
            },
        )
    }
}
