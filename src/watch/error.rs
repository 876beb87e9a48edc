use std::path::PathBuf;

use crate::repo::RepoError;

/// Why a repository could not be watched, or stopped being watched completely.
///
/// Messages are one line and name the path and, for the kernel's limits, the setting to raise.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The repository could not be opened.
    #[error(transparent)]
    Repo(#[from] RepoError),
    /// inotify's per-user limit of watched directories is reached (Linux).
    #[error(
        "cannot watch {}: the limit of watched directories is reached; raise \
         fs.inotify.max_user_watches (e.g. `sudo sysctl fs.inotify.max_user_watches=524288`)",
        path.display()
    )]
    WatchLimit { path: PathBuf },
    /// inotify's per-user limit of watcher instances is reached (Linux).
    #[error(
        "cannot start a file watcher: too many are open; close other watching programs or raise \
         fs.inotify.max_user_instances"
    )]
    InstanceLimit,
    /// Any other failure to watch a path, or of the watcher while it runs.
    #[error("cannot watch {}: {source}", path.display())]
    Watch {
        path: PathBuf,
        #[source]
        source: notify::Error,
    },
    /// The watcher's thread could not be started.
    #[error("cannot start the watcher thread for {}: {source}", path.display())]
    Thread {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl WatchError {
    /// Names a notify failure for `path`, recognising the kernel limits.
    pub(crate) fn from_notify(path: PathBuf, error: notify::Error) -> WatchError {
        match &error.kind {
            notify::ErrorKind::MaxFilesWatch => WatchError::WatchLimit {
                path: error.paths.first().cloned().unwrap_or(path),
            },
            // inotify_init fails with EMFILE when max_user_instances is reached.
            notify::ErrorKind::Io(io) if io.raw_os_error() == Some(EMFILE) => {
                WatchError::InstanceLimit
            }
            _ => WatchError::Watch {
                path: error.paths.first().cloned().unwrap_or(path),
                source: error,
            },
        }
    }
}

/// "Too many open files": the errno inotify_init reports for the instance limit.
const EMFILE: i32 = 24;
