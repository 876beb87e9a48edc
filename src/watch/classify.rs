//! Which filesystem events matter to a review, decided from paths and event kinds alone.
//!
//! Pure: takes the repository's layout and a path, touches nothing. Gitignore rules need the
//! repository and are applied afterwards by the worker, to working-tree paths only.

use std::path::{Component, Path, PathBuf};

use notify::event::{AccessKind, MetadataKind, ModifyKind};
use notify::EventKind;

/// Where a repository keeps its parts. Paths as the watcher reports them: the same prefixes it
/// was asked to watch, so no canonicalisation is needed to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The working tree root.
    pub workdir: PathBuf,
    /// The git dir of this working tree: HEAD and the index live here.
    pub git_dir: PathBuf,
    /// The git dir shared by all working trees: refs and packed-refs live here. Equal to
    /// `git_dir` except in a linked worktree (`git worktree add`).
    pub common_dir: PathBuf,
}

/// What a changed path means for the targets of a review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathClass {
    /// A working-tree path, relative to the root, `/`-separated.
    Worktree(String),
    /// The index (the staged target changed).
    Index,
    /// HEAD (checkout, detach: every target relative to HEAD changed).
    Head,
    /// A ref or packed-refs (commit, branch created or moved).
    Refs,
    /// Anything else: git's objects, logs, lock files, config; paths outside the repository.
    Noise,
}

/// Classifies one path reported by the watcher.
pub(crate) fn classify(layout: &Layout, path: &Path) -> PathClass {
    if let Some(class) = classify_git_path(layout, path) {
        return class;
    }
    let Ok(relative) = path.strip_prefix(&layout.workdir) else {
        return PathClass::Noise;
    };
    let mut parts = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy()),
            // `..` or a root inside a relative path: not a path of this working tree.
            _ => return PathClass::Noise,
        }
    }
    match parts.first() {
        // The root itself changes when an entry is added; the entry's own event says which.
        None => PathClass::Noise,
        // `.git` is the git dir (handled above), or a file pointing to it in a linked worktree;
        // nested repositories' `.git` dirs are internals too.
        Some(_) if parts.iter().any(|p| p == ".git") => PathClass::Noise,
        Some(_) => PathClass::Worktree(parts.join("/")),
    }
}

fn classify_git_path(layout: &Layout, path: &Path) -> Option<PathClass> {
    let mut inside = false;
    if let Ok(relative) = path.strip_prefix(&layout.git_dir) {
        inside = true;
        if relative == Path::new("HEAD") {
            return Some(PathClass::Head);
        }
        if relative == Path::new("index") {
            return Some(PathClass::Index);
        }
    }
    if let Ok(relative) = path.strip_prefix(&layout.common_dir) {
        inside = true;
        // Git writes `X.lock` and renames it over `X`; the rename reports `X` itself.
        let is_lock = relative
            .file_name()
            .is_some_and(|name| name.to_string_lossy().ends_with(".lock"));
        if !is_lock
            && (relative == Path::new("packed-refs")
                || relative.components().next() == Some(Component::Normal("refs".as_ref())))
        {
            return Some(PathClass::Refs);
        }
    }
    inside.then_some(PathClass::Noise)
}

/// Whether an event of this kind can change content. Opening, reading and closing a file
/// (what `git status` or Redline itself does) cannot, nor can an access-time update.
pub(crate) fn is_relevant(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(notify::event::AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessMode, CreateKind, DataChange};

    fn layout() -> Layout {
        Layout {
            workdir: "/w".into(),
            git_dir: "/w/.git".into(),
            common_dir: "/w/.git".into(),
        }
    }

    fn class(path: &str) -> PathClass {
        classify(&layout(), Path::new(path))
    }

    #[test]
    fn working_tree_paths_are_relative_and_slash_separated() {
        assert_eq!(
            class("/w/src/lib.rs"),
            PathClass::Worktree("src/lib.rs".into())
        );
        assert_eq!(
            class("/w/Cargo.lock"),
            PathClass::Worktree("Cargo.lock".into())
        );
        assert_eq!(class("/w"), PathClass::Noise);
        assert_eq!(class("/elsewhere/file"), PathClass::Noise);
    }

    #[test]
    fn git_files_that_change_targets_are_named() {
        assert_eq!(class("/w/.git/HEAD"), PathClass::Head);
        assert_eq!(class("/w/.git/index"), PathClass::Index);
        assert_eq!(class("/w/.git/packed-refs"), PathClass::Refs);
        assert_eq!(class("/w/.git/refs/heads/main"), PathClass::Refs);
        assert_eq!(class("/w/.git/refs/heads/agent/fix"), PathClass::Refs);
    }

    #[test]
    fn git_internals_and_lock_files_are_noise() {
        for path in [
            "/w/.git",
            "/w/.git/objects/ab/cdef0123",
            "/w/.git/objects/pack/pack-1.idx",
            "/w/.git/logs/HEAD",
            "/w/.git/logs/refs/heads/main",
            "/w/.git/index.lock",
            "/w/.git/HEAD.lock",
            "/w/.git/refs/heads/main.lock",
            "/w/.git/packed-refs.lock",
            "/w/.git/ORIG_HEAD",
            "/w/.git/config",
            "/w/vendor/dep/.git/index",
        ] {
            assert_eq!(class(path), PathClass::Noise, "{path}");
        }
    }

    #[test]
    fn a_linked_worktree_reads_head_and_index_from_its_own_git_dir() {
        let layout = Layout {
            workdir: "/wt".into(),
            git_dir: "/main/.git/worktrees/wt".into(),
            common_dir: "/main/.git".into(),
        };
        let class = |p: &str| classify(&layout, Path::new(p));
        assert_eq!(class("/main/.git/worktrees/wt/HEAD"), PathClass::Head);
        assert_eq!(class("/main/.git/worktrees/wt/index"), PathClass::Index);
        assert_eq!(class("/main/.git/refs/heads/wt"), PathClass::Refs);
        assert_eq!(class("/main/.git/HEAD"), PathClass::Noise);
        assert_eq!(class("/main/.git/worktrees/other/HEAD"), PathClass::Noise);
        assert_eq!(class("/wt/.git"), PathClass::Noise);
        assert_eq!(
            class("/wt/src/a.rs"),
            PathClass::Worktree("src/a.rs".into())
        );
    }

    #[test]
    fn reads_are_not_changes() {
        assert!(!is_relevant(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_relevant(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_relevant(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(is_relevant(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_relevant(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(is_relevant(&EventKind::Create(CreateKind::File)));
        assert!(is_relevant(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::Permissions
        ))));
    }
}
