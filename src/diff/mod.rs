//! The pure diff model: files, hunks and lines, as Redline shows them.
//!
//! Nothing here touches git or the filesystem. `repo` fills these types from git2; `review`
//! composes them; the UI receives them as data through generated TypeScript bindings.

mod file;
mod hunk;

pub use file::{DiffStats, FileDiff, FileStatus};
pub use hunk::{DiffLine, Hunk, HunkId, LineKind};
