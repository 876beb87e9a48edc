//! What the window opens: the repository it was started on, one the reviewer picks on the start
//! screen (a recent one, a folder, the demo), and the list of recent repositories.

use std::path::Path;

use serde::Serialize;
use specta::Type;
use tracing::instrument;

use super::workflow::{repo_id, WorkflowError};
use super::Workspace;
use crate::demo::DemoError;
use crate::repo;
use crate::store::Store;

/// A repository the reviewer used before, for the start screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RecentRepository {
    /// The working tree's root, as recorded.
    pub path: String,
    /// The last part of `path`, the name a reviewer knows it by.
    pub name: String,
    /// When it was last used (milliseconds since the Unix epoch): the latest thing Redline
    /// recorded about it: opening it, a review, a note, a viewed mark, a decision or a sync.
    #[specta(type = f64)]
    pub last_used: i64,
}

/// The repository to open at start-up without asking: the one named on the command line
/// (checked when it is opened, so its error reaches the window), else the one containing `cwd`;
/// `None` outside any repository (the window shows its start screen).
pub fn start_workspace(requested: Option<&Path>, cwd: &Path) -> Option<Workspace> {
    let path = match requested {
        Some(path) => path,
        None if repo::contains_repository(cwd) => cwd,
        None => return None,
    };
    Some(Workspace {
        repo_path: path.display().to_string(),
        is_demo: false,
    })
}

/// The repository at `path`, chosen by the reviewer. When it opens, it is recorded in `store` so
/// that the start screen lists it next time (a failure to record it is logged, not returned: the
/// repository still opens). One that does not open is returned all the same: the window shows
/// why, and opens it once it can.
#[instrument(level = "debug", skip(store))]
pub fn open_workspace(store: &Store, path: &Path) -> Workspace {
    if let Err(error) = remember(store, path) {
        tracing::info!(%error, path = %path.display(), "the repository is not recorded as recent");
    }
    Workspace {
        repo_path: path.display().to_string(),
        is_demo: false,
    }
}

/// The demo repository in Redline's data directory (built on first use), to open.
pub fn demo_workspace() -> Result<Workspace, DemoError> {
    let demo = super::ensure_demo()?;
    Ok(Workspace {
        repo_path: demo.path.display().to_string(),
        is_demo: true,
    })
}

fn remember(store: &Store, path: &Path) -> Result<i64, WorkflowError> {
    let (repo, summary) = repo::open(path)?;
    let id = repo_id(store, &repo, &summary.path)?;
    store.mark_opened(id)?;
    Ok(id)
}

/// The repositories recorded in `store` whose paths still exist, the most recently used first.
#[instrument(level = "debug", skip(store))]
pub fn recent_repositories(store: &Store) -> Result<Vec<RecentRepository>, WorkflowError> {
    Ok(store
        .repos_by_last_use()?
        .into_iter()
        .filter(|used| Path::new(&used.path).is_dir())
        .map(|used| RecentRepository {
            name: Path::new(&used.path)
                .file_name()
                .map_or_else(|| used.path.clone(), |n| n.to_string_lossy().into_owned()),
            path: used.path,
            last_used: used.last_used,
        })
        .collect())
}
