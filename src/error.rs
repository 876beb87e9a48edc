//! How failures cross to the outside: a stable kind plus the one-line message.
//!
//! Each module keeps its own typed error (`RepoError`, `DemoError`, …); this is the shape they
//! take at the edges — the CLI's exit message, the `{ kind, message }` the window shows and
//! tests assert on.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::demo::DemoError;
use crate::repo::RepoError;
use crate::watch::WatchError;

/// A stable, machine-readable name for every failure the app can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    PathNotFound,
    NotARepository,
    BareRepository,
    EmptyRepository,
    UnknownRevision,
    UnknownBranch,
    InvalidTarget,
    FileNotInTarget,
    /// Lines asked of a file that cannot be given: a range outside the file or over the
    /// limit, or a binary file.
    InvalidLines,
    NoDefaultBranch,
    /// A working-tree file could not be read (permissions).
    Unreadable,
    /// An object could not be read: missing or corrupt.
    CorruptRepository,
    /// The history a target needs was cut off by a shallow clone.
    ShallowHistory,
    Git,
    Demo,
    /// The repository cannot be watched for changes (e.g. the kernel's inotify limits); the
    /// message names the setting to raise. The review itself still works, without live updates.
    Watch,
    /// A configuration file is malformed; the message names the file and line.
    InvalidConfig,
    /// Another process holds the review database's write lock for too long.
    DatabaseLocked,
    /// The review database was written by a newer Redline; it was left untouched.
    DatabaseTooNew,
    /// The data directory cannot be created or written.
    DataDirUnusable,
    /// The review database failed (corrupt, or an unexpected SQLite error).
    Database,
    /// No such note (thread) in the review.
    NoSuchNote,
    /// A note cannot be written as asked: empty body, a line the file does not have, …
    InvalidNote,
    /// Approving needs a confirmation: open must-fix notes or AI-written hunks not viewed.
    NeedsConfirmation,
    /// A file given to `redline import` is not a review export this version reads.
    InvalidImport,
    /// An agent's hook configuration could not be read or written, or a hook got input it
    /// does not understand.
    HookConfig,
    /// An undo or redo of the agent's edit could not be done (the file changed, not a worktree target…).
    CannotUndo,
    /// No model server answers at the configured or detected address (refused, or the
    /// connection timed out): start one or configure another.
    LlmUnreachable,
    /// A model server was reached but the request failed: an error status, a timeout, a
    /// malformed or cut-off answer; the message says which.
    Llm,
    /// The user stopped the operation (e.g. the stop button of a streaming answer).
    Cancelled,
    /// A bug on our side, e.g. a worker thread that stopped; the log file has details.
    Internal,
}

/// A failure as the user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ErrorReport {
    pub kind: ErrorKind,
    /// One line, naming what failed and where.
    pub message: String,
}

impl From<&RepoError> for ErrorReport {
    fn from(error: &RepoError) -> Self {
        let kind = match error {
            RepoError::PathNotFound { .. } => ErrorKind::PathNotFound,
            RepoError::NotARepository { .. } => ErrorKind::NotARepository,
            RepoError::BareRepository { .. } => ErrorKind::BareRepository,
            RepoError::EmptyRepository { .. } => ErrorKind::EmptyRepository,
            RepoError::UnknownRevision { .. } | RepoError::NoSuchTurn { .. } => {
                ErrorKind::UnknownRevision
            }
            RepoError::UnknownBranch { .. } => ErrorKind::UnknownBranch,
            RepoError::InvalidTarget { .. } | RepoError::InvalidSession { .. } => {
                ErrorKind::InvalidTarget
            }
            RepoError::FileNotInTarget { .. } => ErrorKind::FileNotInTarget,
            RepoError::NoDefaultBranch { .. } => ErrorKind::NoDefaultBranch,
            RepoError::Object { .. }
            | RepoError::CorruptObject { .. }
            | RepoError::CorruptIndex { .. } => ErrorKind::CorruptRepository,
            RepoError::ShallowBoundary { .. } | RepoError::BeyondShallowHistory { .. } => {
                ErrorKind::ShallowHistory
            }
            RepoError::NotACommit { .. } => ErrorKind::InvalidTarget,
            RepoError::Unreadable { .. } => ErrorKind::Unreadable,
            RepoError::Internal { .. } => ErrorKind::Internal,
            RepoError::Git { .. } | RepoError::Transport { .. } => ErrorKind::Git,
        };
        ErrorReport {
            kind,
            message: error.to_string(),
        }
    }
}

impl From<&DemoError> for ErrorReport {
    fn from(error: &DemoError) -> Self {
        ErrorReport {
            kind: ErrorKind::Demo,
            message: error.to_string(),
        }
    }
}

impl From<&WatchError> for ErrorReport {
    fn from(error: &WatchError) -> Self {
        match error {
            WatchError::Repo(repo) => ErrorReport::from(repo),
            WatchError::WatchLimit { .. }
            | WatchError::InstanceLimit
            | WatchError::Watch { .. }
            | WatchError::Thread { .. } => ErrorReport {
                kind: ErrorKind::Watch,
                message: error.to_string(),
            },
        }
    }
}

impl From<RepoError> for ErrorReport {
    fn from(error: RepoError) -> Self {
        ErrorReport::from(&error)
    }
}

impl From<DemoError> for ErrorReport {
    fn from(error: DemoError) -> Self {
        ErrorReport::from(&error)
    }
}

impl From<WatchError> for ErrorReport {
    fn from(error: WatchError) -> Self {
        ErrorReport::from(&error)
    }
}

impl From<crate::agent::hooks::HookError> for ErrorReport {
    fn from(error: crate::agent::hooks::HookError) -> Self {
        ErrorReport {
            kind: ErrorKind::HookConfig,
            message: error.to_string(),
        }
    }
}
