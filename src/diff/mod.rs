//! The pure diff model: files, hunks and lines, as Redline shows them.
//!
//! Nothing here touches git or the filesystem. `repo` fills these types from git2; `review`
//! composes them; the UI receives them as data through generated TypeScript bindings.

mod collapse;
mod copy_detection;
mod file;
mod hunk;
mod patch;
mod word;

pub use collapse::{collapse_reason, PathAttributes};
pub use copy_detection::{CopySources, LineFingerprint, COPY_THRESHOLD_PERCENT};
pub use file::{Collapsed, DiffStats, EntryKind, FileDiff, FileStatus, Omission, RawPaths};
pub use hunk::{DiffLine, Hunk, HunkBuilder, HunkId, HunkShape, LineEdit, LineKind};
pub use patch::{quote_path, quote_path_bytes, write_patch, write_patch_with, PatchStyle};
pub use word::{emphasis, TextRange, MAX_EMPHASIS_LINE_CHARS};
