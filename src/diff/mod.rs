//! The pure diff model: files, hunks and lines, as Redline shows them.
//!
//! Nothing here touches git or the filesystem. `repo` fills these types from git2; `review`
//! composes them; the UI receives them as data through generated TypeScript bindings.

mod collapse;
mod file;
mod hunk;
mod patch;
mod rewrites;
mod word;

pub use collapse::{collapse_reason, PathAttributes};
pub use file::{Collapsed, DiffStats, EntryKind, FileDiff, FileStatus, Omission, RawPaths};
pub use hunk::{DiffLine, Hunk, HunkBuilder, HunkId, HunkShape, LineEdit, LineKind};
pub use patch::{quote_path, quote_path_bytes, write_patch, write_patch_with, PatchStyle};
pub use rewrites::{
    is_binary, ChunkCounts, ContentNeeded, RewriteChange, RewriteMode, RewriteOutcome, RewritePlan,
    RewriteSide, DEFAULT_MIN_SCORE, DEFAULT_RENAME_LIMIT, MAX_SCORE,
};
pub use word::{emphasis, TextRange, MAX_EMPHASIS_LINE_CHARS};
