use std::collections::HashMap;
use std::path::Path;

use git2::{
    AttrCheckFlags, AttrValue, Delta, Diff, DiffFindOptions, DiffFormat, DiffOptions, FileMode,
    Oid, Patch, Repository,
};

use super::target::{NewSide, ResolvedTarget};
use super::RepoError;
use crate::diff::{
    collapse_reason, emphasize, DiffLine, EntryKind, FileDiff, FileStatus, Hunk, HunkId, LineKind,
    Omission, PathAttributes,
};

/// When a file's hunks are left out of a review (and loaded on demand instead): a reviewer
/// cannot read them inline anyway, and they would make every review of the target slow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffLimits {
    /// Largest side, in bytes, whose hunks are shown inline.
    pub max_inline_bytes: u64,
    /// Most changed lines (added + removed) shown inline for one file.
    pub max_inline_lines: u32,
}

impl DiffLimits {
    /// No limit: every hunk of every file (for `--format patch`, on-demand loading, tests).
    pub const UNLIMITED: DiffLimits = DiffLimits {
        max_inline_bytes: u64::MAX,
        max_inline_lines: u32::MAX,
    };
}

impl Default for DiffLimits {
    /// 1 MiB and 5,000 changed lines: beyond that a file is a data dump or generated output
    /// more often than code someone reads line by line.
    fn default() -> Self {
        DiffLimits {
            max_inline_bytes: 1024 * 1024,
            max_inline_lines: 5_000,
        }
    }
}

/// Options that make libgit2 produce what `git diff -M -C` prints by default: three lines of
/// context, the indent heuristic (git's default since 2.14) and rename and copy detection.
fn diff_options(new_side: NewSide, paths: &[&str]) -> DiffOptions {
    let mut options = DiffOptions::new();
    options
        .context_lines(3)
        .indent_heuristic(true)
        // Report unreadable working-tree files as such instead of failing the whole diff.
        .include_unreadable(true);
    if new_side == NewSide::WorkingTree {
        // An agent's new files are untracked until it stages them; they are part of its work.
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .show_untracked_content(true);
    }
    for path in paths {
        options.pathspec(path);
    }
    if !paths.is_empty() {
        options.disable_pathspec_match(true);
    }
    options
}

/// Loads the diff of a resolved target as Redline's diff model, in git's path order.
pub fn load_diff(
    repo: &Repository,
    target: &ResolvedTarget,
    limits: &DiffLimits,
) -> Result<Vec<FileDiff>, RepoError> {
    let diff = compute(repo, target, &[])?;
    convert(repo, &diff, limits)
}

/// Loads one file of a resolved target in full, whatever its size: the on-demand half of
/// [`DiffLimits`]. `path` is the file's new path (old path for deletions).
pub fn load_file_diff(
    repo: &Repository,
    target: &ResolvedTarget,
    path: &str,
    old_path: Option<&str>,
) -> Result<Option<FileDiff>, RepoError> {
    let mut paths = vec![path];
    paths.extend(old_path.filter(|old| *old != path));
    let diff = compute(repo, target, &paths)?;
    let files = convert(repo, &diff, &DiffLimits::UNLIMITED)?;
    Ok(files.into_iter().find(|f| f.display_path() == path))
}

fn compute<'r>(
    repo: &'r Repository,
    target: &ResolvedTarget,
    paths: &[&str],
) -> Result<Diff<'r>, RepoError> {
    let old_tree = target
        .old_tree
        .map(|id| find_tree(repo, id, "the base tree"))
        .transpose()?;
    let mut options = diff_options(target.new_side, paths);
    let mut diff = match target.new_side {
        NewSide::Tree(id) => {
            let new_tree = find_tree(repo, id, "the head tree")?;
            repo.diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), Some(&mut options))
        }
        NewSide::Index => repo.diff_tree_to_index(old_tree.as_ref(), None, Some(&mut options)),
        NewSide::WorkingTree => {
            repo.diff_tree_to_workdir_with_index(old_tree.as_ref(), Some(&mut options))
        }
    }
    .map_err(RepoError::git("compute the diff"))?;

    let mut find = DiffFindOptions::new();
    find.renames(true).copies(true).for_untracked(true);
    diff.find_similar(Some(&mut find))
        .map_err(RepoError::git("detect renames and copies"))?;
    Ok(diff)
}

fn find_tree<'r>(repo: &'r Repository, id: Oid, what: &str) -> Result<git2::Tree<'r>, RepoError> {
    repo.find_tree(id).map_err(|source| RepoError::Object {
        what: format!("{what} {id}"),
        source,
    })
}

fn entry_kind(mode: FileMode) -> Option<EntryKind> {
    match mode {
        FileMode::Blob | FileMode::BlobGroupWritable => Some(EntryKind::File),
        FileMode::BlobExecutable => Some(EntryKind::Executable),
        FileMode::Link => Some(EntryKind::Symlink),
        FileMode::Commit => Some(EntryKind::Submodule),
        FileMode::Tree | FileMode::Unreadable => None,
    }
}

fn present_id(id: Oid) -> Option<String> {
    (!id.is_zero()).then(|| id.to_string())
}

fn path_text(path: Option<&Path>) -> Option<String> {
    path.map(|p| p.to_string_lossy().into_owned())
}

fn convert(
    repo: &Repository,
    diff: &Diff<'_>,
    limits: &DiffLimits,
) -> Result<Vec<FileDiff>, RepoError> {
    let similarities = similarities(diff)?;
    let mut files: Vec<FileDiff> = Vec::with_capacity(diff.deltas().len());
    for (index, delta) in diff.deltas().enumerate() {
        let status = match delta.status() {
            Delta::Added | Delta::Untracked => FileStatus::Added,
            Delta::Deleted => FileStatus::Deleted,
            // A conflicted file in the working tree holds the conflict markers: review them.
            Delta::Modified | Delta::Conflicted | Delta::Unreadable => FileStatus::Modified,
            Delta::Renamed => FileStatus::Renamed,
            Delta::Copied => FileStatus::Copied,
            Delta::Typechange => FileStatus::TypeChanged,
            Delta::Unmodified | Delta::Ignored => continue,
        };
        let old_path = match status {
            FileStatus::Added => None,
            _ => path_text(delta.old_file().path()),
        };
        let new_path = match status {
            FileStatus::Deleted => None,
            _ => path_text(delta.new_file().path()),
        };
        let display = new_path
            .clone()
            .or_else(|| old_path.clone())
            .unwrap_or_default();
        let mut file = FileDiff {
            old_kind: old_path.as_ref().and(entry_kind(delta.old_file().mode())),
            new_kind: new_path.as_ref().and(entry_kind(delta.new_file().mode())),
            old_id: old_path.as_ref().and(present_id(delta.old_file().id())),
            new_id: new_path.as_ref().and(present_id(delta.new_file().id())),
            similarity: similarities
                .get(&(old_path.clone(), new_path.clone()))
                .copied(),
            old_path,
            new_path,
            status,
            binary: false,
            collapsed: collapse_reason(&display, &attributes(repo, &display)),
            omitted: None,
            additions: 0,
            deletions: 0,
            hunks: Vec::new(),
        };
        if delta.status() == Delta::Unreadable {
            file.omitted = Some(Omission::Unreadable);
            files.push(file);
            continue;
        }
        let patch = Patch::from_diff(diff, index)
            .map_err(RepoError::git(format!("read the changes of {display}")))?;
        if let Some(patch) = patch {
            let loaded = patch.delta();
            file.binary = delta.flags().is_binary() || loaded.flags().is_binary();
            if file.new_id.is_none() && file.new_path.is_some() {
                file.new_id = present_id(loaded.new_file().id());
            }
            if !file.binary {
                let (_, additions, deletions) = patch
                    .line_stats()
                    .map_err(RepoError::git(format!("count the lines of {display}")))?;
                file.additions = u32::try_from(additions).unwrap_or(u32::MAX);
                file.deletions = u32::try_from(deletions).unwrap_or(u32::MAX);
                let bytes = loaded.old_file().size().max(loaded.new_file().size());
                let lines = file.additions.saturating_add(file.deletions);
                file.omitted = if bytes > limits.max_inline_bytes {
                    Some(Omission::TooLarge {
                        bytes,
                        limit: limits.max_inline_bytes,
                    })
                } else if lines > limits.max_inline_lines {
                    Some(Omission::TooManyLines {
                        lines,
                        limit: limits.max_inline_lines,
                    })
                } else {
                    None
                };
                if file.omitted.is_none() {
                    file.hunks = hunks_of(&patch, &display)?;
                }
            }
        } else {
            file.binary = delta.flags().is_binary();
        }
        push_merging_type_changes(&mut files, file);
    }
    Ok(files)
}

/// git prints a type change (file ↔ symlink ↔ submodule) as a deletion followed by an addition
/// of the same path, and libgit2 reports it the same way; a reviewer sees one entry that
/// changed kind, holding both halves' hunks in git's order.
fn push_merging_type_changes(files: &mut Vec<FileDiff>, file: FileDiff) {
    if let Some(previous) = files.last_mut() {
        if previous.status == FileStatus::Deleted
            && file.status == FileStatus::Added
            && previous.old_path == file.new_path
        {
            previous.status = FileStatus::TypeChanged;
            previous.new_path = file.new_path;
            previous.new_kind = file.new_kind;
            previous.new_id = file.new_id;
            previous.binary |= file.binary;
            previous.additions += file.additions;
            previous.omitted = previous.omitted.take().or(file.omitted);
            previous.hunks.extend(file.hunks);
            return;
        }
    }
    files.push(file);
}

/// What `.gitattributes` says about `path`. Lookup failures count as "unspecified": a broken
/// attributes file must not stop a review.
fn attributes(repo: &Repository, path: &str) -> PathAttributes {
    let flags = if repo.is_bare() {
        AttrCheckFlags::INDEX_ONLY
    } else {
        AttrCheckFlags::FILE_THEN_INDEX
    };
    let get = |name: &str| match repo.get_attr(Path::new(path), name, flags) {
        Ok(value) => match AttrValue::from_string(value) {
            AttrValue::True | AttrValue::Bytes(_) => Some(true),
            AttrValue::False => Some(false),
            AttrValue::String(value) => Some(value != "false"),
            AttrValue::Unspecified => None,
        },
        Err(_) => None,
    };
    PathAttributes {
        generated: get("linguist-generated"),
        vendored: get("linguist-vendored"),
        diff_disabled: get("diff") == Some(false),
    }
}

/// Similarity scores of renames and copies. git2 does not expose the delta's score, but
/// libgit2 prints it in the patch header (`similarity index 92%`), which costs no content.
fn similarities(
    diff: &Diff<'_>,
) -> Result<HashMap<(Option<String>, Option<String>), u32>, RepoError> {
    let mut scores = HashMap::new();
    if !diff
        .deltas()
        .any(|d| matches!(d.status(), Delta::Renamed | Delta::Copied))
    {
        return Ok(scores);
    }
    diff.print(DiffFormat::PatchHeader, |delta, _hunk, line| {
        if matches!(delta.status(), Delta::Renamed | Delta::Copied) {
            let header = String::from_utf8_lossy(line.content());
            if let Some(score) = header
                .lines()
                .find_map(|l| l.strip_prefix("similarity index "))
                .and_then(|s| s.trim_end_matches('%').parse().ok())
            {
                scores.insert(
                    (
                        path_text(delta.old_file().path()),
                        path_text(delta.new_file().path()),
                    ),
                    score,
                );
            }
        }
        true
    })
    .map_err(RepoError::git("read rename scores"))?;
    Ok(scores)
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
                emphasis: Vec::new(),
            });
        }
        emphasize(&mut lines);
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
