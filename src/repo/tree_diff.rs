use git2::{Delta, Diff, DiffFindOptions, DiffOptions, Patch, Repository};

use super::target::{NewSide, ResolvedTarget};
use super::RepoError;
use crate::diff::{DiffLine, FileDiff, FileStatus, Hunk, HunkId, LineKind};

/// Options that make libgit2 produce what `git diff` prints by default: three lines of
/// context, the indent heuristic (git's default since 2.14) and rename detection.
fn diff_options(new_side: NewSide) -> DiffOptions {
    let mut options = DiffOptions::new();
    options.context_lines(3).indent_heuristic(true);
    if new_side == NewSide::WorkingTree {
        // An agent's new files are untracked until it stages them; they are part of its work.
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .show_untracked_content(true);
    }
    options
}

/// Loads the diff of a resolved target as Redline's diff model, in git's path order.
pub fn load_diff(repo: &Repository, target: &ResolvedTarget) -> Result<Vec<FileDiff>, RepoError> {
    let old_tree = target
        .old_tree
        .map(|id| repo.find_tree(id))
        .transpose()
        .map_err(RepoError::git("read the base tree"))?;
    let mut options = diff_options(target.new_side);
    let mut diff = match target.new_side {
        NewSide::Tree(id) => {
            let new_tree = repo
                .find_tree(id)
                .map_err(RepoError::git("read the head tree"))?;
            repo.diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), Some(&mut options))
        }
        NewSide::Index => repo.diff_tree_to_index(old_tree.as_ref(), None, Some(&mut options)),
        NewSide::WorkingTree => {
            repo.diff_tree_to_workdir_with_index(old_tree.as_ref(), Some(&mut options))
        }
    }
    .map_err(RepoError::git("compute the diff"))?;

    let mut find = DiffFindOptions::new();
    find.renames(true).for_untracked(true);
    diff.find_similar(Some(&mut find))
        .map_err(RepoError::git("detect renames"))?;

    convert(&diff)
}

fn convert(diff: &Diff<'_>) -> Result<Vec<FileDiff>, RepoError> {
    let mut files = Vec::with_capacity(diff.deltas().len());
    for (index, delta) in diff.deltas().enumerate() {
        let status = match delta.status() {
            Delta::Added | Delta::Untracked => FileStatus::Added,
            Delta::Deleted => FileStatus::Deleted,
            Delta::Modified => FileStatus::Modified,
            Delta::Renamed => FileStatus::Renamed,
            Delta::Copied => FileStatus::Copied,
            Delta::Typechange => FileStatus::TypeChanged,
            // Unmodified, ignored and unreadable entries are not changes to review.
            Delta::Unmodified | Delta::Ignored | Delta::Unreadable | Delta::Conflicted => continue,
        };
        let path = |file: git2::DiffFile<'_>| file.path().map(|p| p.to_string_lossy().into_owned());
        let old_path = match status {
            FileStatus::Added => None,
            _ => path(delta.old_file()),
        };
        let new_path = match status {
            FileStatus::Deleted => None,
            _ => path(delta.new_file()),
        };
        let display = new_path
            .clone()
            .or_else(|| old_path.clone())
            .unwrap_or_default();
        let patch = Patch::from_diff(diff, index)
            .map_err(RepoError::git(format!("read the changes of {display}")))?;
        let binary = delta.flags().is_binary()
            || patch
                .as_ref()
                .is_some_and(|p| p.delta().flags().is_binary());
        let hunks = match (&patch, binary) {
            (Some(patch), false) => hunks_of(patch, &display)?,
            _ => Vec::new(),
        };
        let mut file = FileDiff {
            old_path,
            new_path,
            status,
            binary,
            additions: 0,
            deletions: 0,
            hunks,
        };
        file.count_lines();
        files.push(file);
    }
    Ok(files)
}

fn hunks_of(patch: &Patch<'_>, path: &str) -> Result<Vec<Hunk>, RepoError> {
    let mut hunks = Vec::with_capacity(patch.num_hunks());
    for h in 0..patch.num_hunks() {
        let (hunk, line_count) = patch
            .hunk(h)
            .map_err(RepoError::git(format!("read a hunk of {path}")))?;
        let mut lines = Vec::with_capacity(line_count);
        for l in 0..line_count {
            let line = patch
                .line_in_hunk(h, l)
                .map_err(RepoError::git(format!("read a line of {path}")))?;
            let kind = match line.origin() {
                ' ' => LineKind::Context,
                '+' => LineKind::Added,
                '-' => LineKind::Removed,
                // '=', '>' and '<' only announce a missing newline at end of file, which the
                // line before already records in `no_newline`.
                _ => continue,
            };
            let content = line.content();
            let (body, no_newline) = match content.strip_suffix(b"\n") {
                Some(body) => (body, false),
                None => (content, true),
            };
            let (text, lossy) = match std::str::from_utf8(body) {
                Ok(text) => (text.to_owned(), false),
                Err(_) => (String::from_utf8_lossy(body).into_owned(), true),
            };
            lines.push(DiffLine {
                kind,
                old_line: line.old_lineno(),
                new_line: line.new_lineno(),
                text,
                no_newline,
                lossy,
            });
        }
        let header = String::from_utf8_lossy(hunk.header())
            .trim_end_matches(['\n', '\r'])
            .to_owned();
        hunks.push(Hunk {
            id: HunkId::of(path, &lines),
            header,
            old_start: hunk.old_start(),
            old_lines: hunk.old_lines(),
            new_start: hunk.new_start(),
            new_lines: hunk.new_lines(),
            lines,
        });
    }
    Ok(hunks)
}
