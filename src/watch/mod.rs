//! Watches a working tree and its git refs; reports debounced "target changed" events.
//!
//! An agent rewriting a thousand files produces tens of thousands of filesystem events; the
//! window needs to know once that the working tree changed. [`start`] watches the working tree
//! and, in the git dir, HEAD, the index, refs and packed-refs, drops gitignored paths (but not
//! files git tracks in ignored directories) and git's internals, and reports each burst as one
//! [`WatchEvent`] once it settles ([`QUIET_PERIOD`], [`MAX_LATENCY`]).
//!
//! The pure half (`classify`: which paths matter; `batch`: how they coalesce) is
//! apart from the IO half (notify, gitignore, the thread) so it can be tested without timing.
//! The worker does its own debouncing rather than using `notify-debouncer-full`: that crate
//! debounces each path separately and has no bound on latency, while a review needs one quiet
//! period across all paths and a refresh at least every second during long bursts.

mod batch;
mod classify;
mod error;
mod worker;

pub use batch::{WatchEvent, MAX_LATENCY, MAX_SAMPLE_PATHS, QUIET_PERIOD};
pub use error::WatchError;
pub use worker::{start, WatchHandle};
