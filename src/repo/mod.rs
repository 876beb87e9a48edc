//! Everything that reads git: opening a repository, resolving review targets, loading diffs.
//!
//! This is an IO edge. It turns git2 objects into the pure types of [`crate::diff`] and
//! returns [`RepoError`]s whose messages name what failed, so the CLI and the window can show
//! them as they are.

mod abbrev;
mod attributes;
pub mod blob;
mod check_in;
mod error;
mod identity;
pub mod notes_ref;
mod objects;
mod open;
mod provenance;
mod revision;
mod target;
mod tree_diff;

pub use abbrev::{abbrev_len, longer_ids};
pub use attributes::Attributes;
pub use blob::read_blob;
pub use error::RepoError;
pub use identity::{has_commits, reviewer, root_commits};
pub use open::{contains_repository, open, RepoSummary};
pub use provenance::{blame_in_range, head_history, range_commits, BlamedLine, RangeCommit};
pub use revision::{
    load_interdiff, take_revision, write_worktree_tree, ParseRevisionIdError, Revision, RevisionId,
    SkippedFile, UntrackedCap,
};
pub use target::{
    available_targets, has_uncommitted_changes, older_commits, pin_turns, resolve,
    resolve_turn_span, AvailableTargets, CommitPage, NewSide, ResolvedTarget, Target, TargetInfo,
    RECENT_COMMITS,
};
pub use tree_diff::{load_diff, load_file_diff, load_file_diff_with, ContentOptions, DiffLimits};
