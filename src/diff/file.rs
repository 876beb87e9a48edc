use serde::{Deserialize, Serialize};
use specta::Type;

use super::hunk::{Hunk, HunkShape, LineKind};

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

/// What a tree entry is, from its git mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum EntryKind {
    /// Mode 100644.
    File,
    /// Mode 100755.
    Executable,
    /// Mode 120000: the content is the link's target.
    Symlink,
    /// Mode 160000: a gitlink; the "content" is the submodule's commit id.
    Submodule,
}

impl EntryKind {
    /// The octal mode git prints in `new file mode …` lines.
    pub fn mode(self) -> &'static str {
        match self {
            EntryKind::File => "100644",
            EntryKind::Executable => "100755",
            EntryKind::Symlink => "120000",
            EntryKind::Submodule => "160000",
        }
    }
}

/// Why a file is collapsed by default: a reviewer rarely reads it line by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Collapsed {
    /// A dependency lock file (`Cargo.lock`, `package-lock.json`, …).
    LockFile,
    /// Third-party code kept in the repository (`vendor/`, `third_party/`, or a
    /// `linguist-vendored` attribute).
    Vendored,
    /// Produced by a tool (`*.min.js`, `*.pb.go`, …, or a `linguist-generated` attribute).
    Generated,
    /// The `-diff` attribute (or `diff=false`) says not to show its content.
    DiffDisabled,
}

/// Why a file's hunks were left out of a review; [`crate::review::file_diff`] loads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Omission {
    /// One side is larger than the inline limit.
    TooLarge {
        #[specta(type = f64)]
        bytes: u64,
        #[specta(type = f64)]
        limit: u64,
    },
    /// The diff has more changed lines than the inline limit.
    TooManyLines { lines: u32, limit: u32 },
    /// The working-tree file could not be read (permissions, a vanished file).
    Unreadable,
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
    /// Kind of the old entry; `None` for added files.
    pub old_kind: Option<EntryKind>,
    /// Kind of the new entry; `None` for deleted files.
    pub new_kind: Option<EntryKind>,
    /// Blob (or submodule commit) id of the old side, hex; `None` for added files.
    pub old_id: Option<String>,
    /// Blob (or submodule commit) id of the new side, hex; `None` for deleted files and for
    /// working-tree files git has not hashed.
    pub new_id: Option<String>,
    /// For renames and copies, how similar the two sides are in percent, as git reports it.
    pub similarity: Option<u32>,
    /// Either side holds binary content (detected like git: a NUL byte in the first 8000 bytes,
    /// or a `binary` / `-diff` attribute). Binary files have no hunks.
    pub binary: bool,
    /// Set when the file is one a reviewer usually skips; the UI collapses it.
    pub collapsed: Option<Collapsed>,
    /// Set when the hunks were left out because the file is too large to show inline.
    pub omitted: Option<Omission>,
    /// Lines added, counted like `git diff --numstat` (also when hunks are omitted).
    pub additions: u32,
    /// Lines removed, counted like `git diff --numstat` (also when hunks are omitted).
    pub deletions: u32,
    #[specta(type = Vec<HunkShape>)]
    pub hunks: Vec<Hunk>,
    /// The paths' bytes when they are not UTF-8 (`old_path` and `new_path` are then lossy
    /// renderings), so a patch names the files exactly. Not sent to the window.
    #[serde(skip)]
    #[specta(skip)]
    pub raw_paths: Option<Box<RawPaths>>,
    /// For a type change, whether each half is binary: the old entry, printed first as a
    /// deletion, then the new one, printed as an addition (`binary` says either is). A
    /// symlink replaced by a binary file prints its removal as text, as git does. Not sent
    /// to the window.
    #[serde(skip)]
    #[specta(skip)]
    pub binary_halves: Option<[bool; 2]>,
}

/// A file's paths as bytes, kept only when one of them is not UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPaths {
    pub old: Option<Vec<u8>>,
    pub new: Option<Vec<u8>>,
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
        for line in self.hunks.iter().flat_map(Hunk::lines) {
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
