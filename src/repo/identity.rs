//! Who the reviewer is and which repository this is, as git knows them. Read only: nothing
//! here writes the repository or its configuration.

use git2::{Oid, Repository, Sort};

use super::RepoError;
use crate::notes::Author;

/// The reviewer: git's `user.name` and `user.email` for this repository (its config, the
/// user's, the system's), else the login name from the environment.
pub fn reviewer(repo: &Repository) -> Author {
    let config = repo.config().ok();
    let read = |key: &str| {
        config
            .as_ref()
            .and_then(|c| c.get_string(key).ok())
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let name = read("user.name")
        .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "unknown reviewer".to_owned());
    Author {
        name,
        email: read("user.email").unwrap_or_default(),
    }
}

/// The root commit of HEAD's first-parent history (empty for a repository without commits):
/// what identifies a project across clones and moves. Walks the whole first-parent chain, so
/// callers look in the store first (see `review`).
pub fn root_commits(repo: &Repository) -> Result<Vec<String>, RepoError> {
    let Ok(head) = repo.head() else {
        return Ok(Vec::new());
    };
    let Some(start) = head.target() else {
        return Ok(Vec::new());
    };
    super::objects::check_loose_commits(repo)?;
    let mut walk = repo.revwalk().map_err(RepoError::git("walk the history"))?;
    walk.set_sorting(Sort::NONE)
        .map_err(RepoError::git("walk the history"))?;
    walk.simplify_first_parent()
        .map_err(RepoError::git("walk the history"))?;
    walk.push(start)
        .map_err(RepoError::git("walk the history"))?;
    let mut last: Option<Oid> = None;
    for id in walk {
        last = Some(id.map_err(RepoError::git("walk the history"))?);
    }
    Ok(last.map(|id| vec![id.to_string()]).unwrap_or_default())
}

/// Whether every commit of `roots` is in `repo`: a cheap check that a repository recorded at
/// this path is still the same project.
pub fn has_commits(repo: &Repository, roots: &[String]) -> bool {
    roots.iter().all(|root| {
        Oid::from_str(root)
            .ok()
            .is_some_and(|id| repo.find_commit(id).is_ok())
    })
}
