use std::collections::HashMap;
use std::path::Path;

use git2::{Delta, Diff, DiffOptions, ErrorClass, FileMode, ObjectType, Oid, Patch, Repository};

use super::attributes::{Attributes, DeclaredDiff};
use super::check_in::{self, AutoCrlf, CheckIn};
use super::target::{NewSide, ResolvedTarget};
use super::RepoError;
use crate::diff::{
    collapse_reason, is_binary, ChunkCounts, ContentNeeded, EntryKind, FileDiff, FileStatus, Hunk,
    HunkBuilder, LineKind, Omission, RawPaths, RewriteChange, RewriteMode, RewriteOutcome,
    RewritePlan, RewriteSide, DEFAULT_RENAME_LIMIT,
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

/// How file contents are compared: git's defaults, or as a `git diff` option asks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContentOptions {
    /// `git diff -w`: whitespace is ignored when comparing lines, so a change in whitespace
    /// alone is no change (libgit2's `ignore_whitespace`, git's `XDF_IGNORE_WHITESPACE`).
    pub ignore_whitespace: bool,
}

impl ContentOptions {
    fn apply(self, options: &mut DiffOptions) {
        options.ignore_whitespace(self.ignore_whitespace);
    }
}

/// Loads the diff of a resolved target as Redline's diff model, in git's path order.
pub fn load_diff(
    repo: &Repository,
    target: &ResolvedTarget,
    limits: &DiffLimits,
) -> Result<Vec<FileDiff>, RepoError> {
    let computed = compute(repo, target, &[], ContentOptions::default())?;
    convert(
        repo,
        &computed,
        target.new_side,
        limits,
        ContentOptions::default(),
    )
}

/// Loads one file of a resolved target in full, whatever its size: the on-demand half of
/// [`DiffLimits`]. `path` is the file's new path (old path for deletions).
pub fn load_file_diff(
    repo: &Repository,
    target: &ResolvedTarget,
    path: &str,
    old_path: Option<&str>,
) -> Result<Option<FileDiff>, RepoError> {
    load_file_diff_with(repo, target, path, old_path, ContentOptions::default())
}

/// [`load_file_diff`] with the contents compared as `content` says (e.g. `git diff -w`). The
/// file's hunks may then differ from the review's, and so may their ids.
pub fn load_file_diff_with(
    repo: &Repository,
    target: &ResolvedTarget,
    path: &str,
    old_path: Option<&str>,
    content: ContentOptions,
) -> Result<Option<FileDiff>, RepoError> {
    let mut paths = vec![path];
    paths.extend(old_path.filter(|old| *old != path));
    let computed = compute(repo, target, &paths, content)?;
    let files = convert(
        repo,
        &computed,
        target.new_side,
        &DiffLimits::UNLIMITED,
        content,
    )?;
    Ok(files.into_iter().find(|f| f.display_path() == path))
}

/// libgit2's diff of a target, before Redline reads it.
struct Computed<'r> {
    diff: Diff<'r>,
    attributes: Attributes,
}

fn compute<'r>(
    repo: &'r Repository,
    target: &ResolvedTarget,
    paths: &[&str],
    content: ContentOptions,
) -> Result<Computed<'r>, RepoError> {
    // libgit2 must not meet a corrupt loose object: it would spin (see `objects`).
    let new_tree_id = match target.new_side {
        NewSide::Tree(id) => Some(id),
        NewSide::Index | NewSide::WorkingTree => None,
    };
    super::objects::check_trees(repo, target.old_tree, new_tree_id)?;
    let old_tree = target
        .old_tree
        .map(|id| find_tree(repo, id, "the base tree"))
        .transpose()?;
    let mut options = diff_options(target.new_side, paths);
    content.apply(&mut options);
    let diff = match target.new_side {
        NewSide::Tree(id) => {
            let new_tree = find_tree(repo, id, "the head tree")?;
            repo.diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), Some(&mut options))
        }
        NewSide::Index => repo.diff_tree_to_index(old_tree.as_ref(), None, Some(&mut options)),
        NewSide::WorkingTree => {
            repo.diff_tree_to_workdir_with_index(old_tree.as_ref(), Some(&mut options))
        }
    }
    .map_err(|error| match unreadable_path(&error) {
        Some(path) => RepoError::Unreadable {
            path,
            reason: "permission denied".into(),
        },
        None => RepoError::git("compute the diff")(error),
    })?;

    // Rename detection reads the added and deleted blobs; modified files' blobs are checked
    // where they are read, on the diffing threads.
    for delta in diff.deltas() {
        let file = match delta.status() {
            Delta::Added => delta.new_file(),
            Delta::Deleted => delta.old_file(),
            _ => continue,
        };
        let path = path_text(file.path()).unwrap_or_default();
        let id = file.id();
        super::objects::check(repo, id, &|| format!("blob {id} of {path}"))?;
    }

    let attributes = Attributes::covering(
        repo,
        diff.deltas().flat_map(|delta| {
            [delta.old_file().path_bytes(), delta.new_file().path_bytes()]
                .into_iter()
                .flatten()
        }),
    );
    Ok(Computed { diff, attributes })
}

/// git's `core.autocrlf` in `repo` (a key without a value is true, as for git).
fn autocrlf(repo: &Repository) -> AutoCrlf {
    let Ok(config) = repo.config() else {
        return AutoCrlf::False;
    };
    match config.get_string("core.autocrlf") {
        Ok(value) if value.eq_ignore_ascii_case("input") => AutoCrlf::Input,
        _ => match config.get_bool("core.autocrlf") {
            Ok(true) => AutoCrlf::True,
            _ => AutoCrlf::False,
        },
    }
}

/// The file named by libgit2's "failed open - '<path>' is locked: Permission denied" (its
/// wording for any file it may not open): while comparing the working tree, git has to read
/// files whose timestamps cannot tell whether they changed, and one unreadable file fails the
/// whole comparison.
fn unreadable_path(error: &git2::Error) -> Option<String> {
    if !matches!(error.class(), ErrorClass::Os | ErrorClass::Filesystem)
        || !error.message().contains("Permission denied")
    {
        return None;
    }
    let (_, rest) = error.message().split_once('\'')?;
    let (path, _) = rest.split_once('\'')?;
    Some(path.to_owned())
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

/// The delta's path bytes when one of them is not UTF-8 (see [`FileDiff::raw_paths`]).
fn raw_paths(delta: &git2::DiffDelta<'_>, status: FileStatus) -> Option<Box<RawPaths>> {
    let old = (status != FileStatus::Added)
        .then(|| delta.old_file().path_bytes())
        .flatten();
    let new = (status != FileStatus::Deleted)
        .then(|| delta.new_file().path_bytes())
        .flatten();
    let lossy = |bytes: Option<&[u8]>| bytes.is_some_and(|b| std::str::from_utf8(b).is_err());
    (lossy(old) || lossy(new)).then(|| {
        Box::new(RawPaths {
            old: old.map(<[u8]>::to_vec),
            new: new.map(<[u8]>::to_vec),
        })
    })
}

fn path_text(path: Option<&Path>) -> Option<String> {
    path.map(|p| p.to_string_lossy().into_owned())
}

/// A delta whose metadata is known and whose content is still to be diffed.
struct Pending {
    file: FileDiff,
    /// Its delta in the git2 `Diff` (the raw paths of both sides are read there).
    delta: usize,
    /// Where its content comes from.
    content: ContentSource,
}

enum ContentSource {
    /// The sides are blobs in the object database (a missing side is empty): diffable on
    /// any thread.
    Blobs {
        old: Option<(Oid, String)>,
        new: Option<(Oid, String)>,
    },
    /// A stored old side (none for an addition) and a working-tree file's bytes as git would
    /// store them ([`stored_form`]), the very bytes its pairing was scored on.
    BlobAndFile {
        old: Option<(Oid, String)>,
        new: (Vec<u8>, String),
    },
    /// Through the git2 `Diff`: submodules (gitlinks), working-tree deletions, and working-tree
    /// files `convert` did not read (in conflict, over the size it reads, unreadable).
    DiffIndex(usize),
    /// Nothing to read (an unreadable working-tree file).
    None,
}

/// The largest working-tree file read to be paired or converted: git's default
/// `core.bigFileThreshold`, above which git takes a file for binary without reading it.
const MAX_PAIRED_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Below this many blob pairs, threads cost more than they save.
const MIN_PARALLEL_FILES: usize = 32;

fn convert(
    repo: &Repository,
    computed: &Computed<'_>,
    new_side: NewSide,
    limits: &DiffLimits,
    content_options: ContentOptions,
) -> Result<Vec<FileDiff>, RepoError> {
    let Computed { diff, attributes } = computed;
    let autocrlf = match new_side {
        NewSide::WorkingTree => autocrlf(repo),
        NewSide::Tree(_) | NewSide::Index => AutoCrlf::False,
    };
    let blobs_stored = new_side != NewSide::WorkingTree;
    let attributes_exist = attributes.exist();
    // a new file is paired only with a deleted or modified one (see `detect_rewrites`)
    let may_pair = diff.deltas().any(|delta| {
        matches!(
            delta.status(),
            Delta::Deleted
                | Delta::Modified
                | Delta::Typechange
                | Delta::Conflicted
                | Delta::Unreadable
        )
    });
    let mut pending: Vec<Pending> = Vec::with_capacity(diff.deltas().len());
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
            // git's pairing comes after, in `detect_rewrites`
            similarity: None,
            binary: delta.flags().is_binary(),
            collapsed: collapse_reason(&display, &attributes.collapse(repo, &display)),
            omitted: (delta.status() == Delta::Unreadable).then_some(Omission::Unreadable),
            old_path,
            new_path,
            status,
            additions: 0,
            deletions: 0,
            hunks: Vec::new(),
            raw_paths: raw_paths(&delta, status),
            binary_halves: None,
        };
        let blob_side = |path: &Option<String>, id: &Option<String>, kind: Option<EntryKind>| {
            if kind == Some(EntryKind::Submodule) {
                return None;
            }
            path.as_ref()
                .zip(id.as_ref())
                .and_then(|(path, id)| Some((Oid::from_str(id).ok()?, path.clone())))
        };
        let content = match (
            blob_side(&file.old_path, &file.old_id, file.old_kind),
            blob_side(&file.new_path, &file.new_id, file.new_kind),
        ) {
            _ if file.omitted.is_some() => ContentSource::None,
            // a working-tree file's id names content git has not stored
            (Some(old), Some(new)) if blobs_stored => ContentSource::Blobs {
                old: Some(old),
                new: Some(new),
            },
            // Without attributes files an addition or deletion needs no diff driver, so it can
            // be diffed as a buffer on any thread too.
            (old, new)
                if blobs_stored
                    && !attributes_exist
                    && matches!(file.status, FileStatus::Added | FileStatus::Deleted)
                    && old.is_some() != new.is_some() =>
            {
                ContentSource::Blobs { old, new }
            }
            // working-tree files (unless read below), deletions and submodules
            _ => ContentSource::DiffIndex(index),
        };
        // A changed working-tree file is read once, here, as git would store it: libgit2 would
        // read it again, on one thread, and convert it its own way, which differs from git's
        // in places (only the first `$Id$`; CRLFs kept beside a binary index copy). A file in
        // conflict has no stored side to compare with: libgit2 shows it.
        let content = match content {
            ContentSource::DiffIndex(_)
                if new_side == NewSide::WorkingTree
                    && matches!(file.status, FileStatus::Modified | FileStatus::Added)
                    && delta.status() != Delta::Conflicted
                    && matches!(
                        file.new_kind,
                        Some(EntryKind::File | EntryKind::Executable | EntryKind::Symlink)
                    ) =>
            {
                let path = diff
                    .get_delta(index)
                    .and_then(|delta| delta.new_file().path_bytes());
                let read = match (path, &file.new_path) {
                    // A file over the inline limit shows no hunks: held in memory until all
                    // are diffed, it would cost more than libgit2 reading it once. A new one
                    // that may be paired is read all the same (up to git's big-file size).
                    (Some(path), Some(new_path)) => {
                        let max_len = match file.status {
                            FileStatus::Added if may_pair => MAX_PAIRED_FILE_BYTES,
                            _ => limits.max_inline_bytes.min(MAX_PAIRED_FILE_BYTES),
                        };
                        working_file_up_to(repo, path, file.new_kind, max_len)
                            .map(|bytes| (path, bytes, new_path.clone()))
                    }
                    _ => None,
                };
                match read {
                    Some((path, bytes, new_path)) => {
                        let converted = check_in::may_change(&bytes);
                        let stored =
                            stored_form(repo, attributes, autocrlf, path, file.new_kind, bytes);
                        // libgit2 hashed what is on disk: git's id unless git converts it
                        if converted || file.new_id.is_none() {
                            file.new_id = Some(
                                Oid::hash_object(ObjectType::Blob, &stored)
                                    .map_err(RepoError::git("hash a working-tree file"))?
                                    .to_string(),
                            );
                        }
                        ContentSource::BlobAndFile {
                            old: blob_side(&file.old_path, &file.old_id, file.old_kind),
                            new: (stored, new_path),
                        }
                    }
                    // unreadable now: libgit2 reads it, and says why
                    None => content,
                }
            }
            content => content,
        };
        pending.push(Pending {
            file,
            delta: index,
            content,
        });
    }
    pending = detect_rewrites(repo, diff, new_side, pending, attributes)?;

    let blob_jobs: Vec<usize> = pending
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            matches!(
                p.content,
                ContentSource::Blobs { .. } | ContentSource::BlobAndFile { .. }
            )
        })
        .map(|(slot, _)| slot)
        .collect();
    let mut contents = diff_blobs(
        repo,
        &pending,
        &blob_jobs,
        limits,
        attributes,
        content_options,
    )?;
    let mut files = Vec::with_capacity(pending.len());
    for (
        slot,
        Pending {
            mut file, content, ..
        },
    ) in pending.into_iter().enumerate()
    {
        match content {
            ContentSource::Blobs { .. } | ContentSource::BlobAndFile { .. } => {
                if let Some(content) = contents.remove(&slot) {
                    content.apply_to(&mut file);
                }
            }
            ContentSource::DiffIndex(index) => {
                let display = file.display_path().to_owned();
                if let Some(delta) = diff.get_delta(index) {
                    let id = delta.old_file().id();
                    super::objects::check(repo, id, &|| format!("blob {id} of {display}"))?;
                }
                let patch = match Patch::from_diff(diff, index) {
                    Ok(patch) => patch,
                    // A working-tree file the user cannot read (permissions, removed meanwhile)
                    // must not hide the rest of the review: mark it and go on.
                    Err(error)
                        if new_side == NewSide::WorkingTree
                            && matches!(error.class(), ErrorClass::Os | ErrorClass::Filesystem) =>
                    {
                        let path: &str = &display;
                        tracing::warn!(path, %error, "working-tree file unreadable");
                        file.omitted = Some(Omission::Unreadable);
                        None
                    }
                    Err(error) => {
                        return Err(RepoError::git(format!("read the changes of {display}"))(
                            error,
                        ))
                    }
                };
                if let Some(patch) = patch {
                    if file.new_id.is_none() && file.new_path.is_some() {
                        file.new_id = present_id(patch.delta().new_file().id());
                    }
                    FileContent::of(&patch, &display, limits)?.apply_to(&mut file);
                }
                // libgit2 leaves a working-tree file it does not read (declared `binary` or
                // `-diff`) without an id; git's patch names the one it would store
                if new_side == NewSide::WorkingTree && file.new_id.is_none() {
                    let path = diff
                        .get_delta(index)
                        .and_then(|delta| delta.new_file().path_bytes().map(<[u8]>::to_vec));
                    if let Some((path, bytes)) =
                        path.filter(|_| file.new_path.is_some()).and_then(|path| {
                            Some((path.clone(), working_file(repo, &path, file.new_kind)?))
                        })
                    {
                        let stored =
                            stored_form(repo, attributes, autocrlf, &path, file.new_kind, bytes);
                        file.new_id = Some(
                            Oid::hash_object(ObjectType::Blob, &stored)
                                .map_err(RepoError::git("hash a working-tree file"))?
                                .to_string(),
                        );
                    }
                }
            }
            ContentSource::None => {}
        }
        push_merging_type_changes(&mut files, file);
    }
    Ok(files)
}

/// What diffing a file's content yields.
struct FileContent {
    binary: bool,
    additions: u32,
    deletions: u32,
    omitted: Option<Omission>,
    hunks: Vec<Hunk>,
}

impl FileContent {
    fn of(patch: &Patch<'_>, path: &str, limits: &DiffLimits) -> Result<FileContent, RepoError> {
        let loaded = patch.delta();
        let mut content = FileContent {
            binary: loaded.flags().is_binary(),
            additions: 0,
            deletions: 0,
            omitted: None,
            hunks: Vec::new(),
        };
        if content.binary {
            return Ok(content);
        }
        let (_, additions, deletions) = patch
            .line_stats()
            .map_err(RepoError::git(format!("count the lines of {path}")))?;
        content.additions = u32::try_from(additions).unwrap_or(u32::MAX);
        content.deletions = u32::try_from(deletions).unwrap_or(u32::MAX);
        let bytes = loaded.old_file().size().max(loaded.new_file().size());
        let lines = content.additions.saturating_add(content.deletions);
        content.omitted = if bytes > limits.max_inline_bytes {
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
        if content.omitted.is_none() {
            content.hunks = hunks_of(patch, path)?;
        }
        Ok(content)
    }

    fn apply_to(self, file: &mut FileDiff) {
        file.binary |= self.binary;
        file.additions = self.additions;
        file.deletions = self.deletions;
        file.omitted = self.omitted;
        file.hunks = self.hunks;
    }
}

/// Pairs renamed and copied files as `git diff -M -C` does (see [`RewritePlan`]): added files
/// become renames or copies of a deleted or modified file, and deleted files that were renamed
/// or copied leave the list. Stored sides are read from the object database; a new
/// working-tree file from disk, in the form git would store it ([`stored_form`]).
fn detect_rewrites(
    repo: &Repository,
    diff: &Diff<'_>,
    new_side: NewSide,
    pending: Vec<Pending>,
    attributes: &Attributes,
) -> Result<Vec<Pending>, RepoError> {
    // The change each pending entry is (type changes are a deletion and an addition of the
    // same path in libgit2, one modified pair in git), and the sides' facts.
    struct Facts<'p> {
        slot: usize,
        kind: u8,
        path: Vec<u8>,
        id: String,
        mode: RewriteMode,
        size: u64,
        /// A new working-tree file's bytes as `convert` read them: it is not in the object
        /// database.
        file: Option<&'p [u8]>,
    }
    const ADDED: u8 = 0;
    const DELETED: u8 = 1;
    const MODIFIED: u8 = 2;
    // without a deleted or modified file there is no source to pair with, and no reason to
    // read the added files (in a working tree, that means reading them from disk)
    if !pending.iter().any(|p| {
        matches!(
            p.file.status,
            FileStatus::Deleted | FileStatus::Modified | FileStatus::TypeChanged
        )
    }) {
        return Ok(pending);
    }
    let odb = repo
        .odb()
        .map_err(RepoError::git("open the object database"))?;
    let size_of = |id: &str, mode: RewriteMode, path: &[u8]| -> Result<u64, RepoError> {
        if mode == RewriteMode::Submodule {
            return Ok(0);
        }
        let oid = Oid::from_str(id).map_err(RepoError::git("read an object id"))?;
        let what = || format!("blob {id} of {}", String::from_utf8_lossy(path));
        super::objects::check(repo, oid, &what)?;
        let (size, _) = odb.read_header(oid).map_err(|source| RepoError::Object {
            what: what(),
            source,
        })?;
        Ok(size as u64)
    };
    let mode_of = |kind: Option<EntryKind>| match kind {
        Some(EntryKind::Symlink) => RewriteMode::Symlink,
        Some(EntryKind::Submodule) => RewriteMode::Submodule,
        _ => RewriteMode::File,
    };
    let mut facts: Vec<Facts> = Vec::new();
    let mut slot = 0;
    while slot < pending.len() {
        let file = &pending[slot].file;
        let delta = diff.get_delta(pending[slot].delta);
        let old_bytes = delta.as_ref().and_then(|d| d.old_file().path_bytes());
        let new_bytes = delta.as_ref().and_then(|d| d.new_file().path_bytes());
        let type_change = file.status == FileStatus::Deleted
            && pending.get(slot + 1).is_some_and(|next| {
                next.file.status == FileStatus::Added && next.file.new_path == file.old_path
            });
        let (kind, path, id, entry_kind) = match file.status {
            FileStatus::Added => (ADDED, new_bytes, &file.new_id, file.new_kind),
            FileStatus::Deleted if !type_change => {
                (DELETED, old_bytes, &file.old_id, file.old_kind)
            }
            _ => (MODIFIED, old_bytes, &file.old_id, file.old_kind),
        };
        let unstored = kind == ADDED
            && new_side == NewSide::WorkingTree
            && entry_kind != Some(EntryKind::Submodule);
        if unstored {
            // `convert` read it and hashed it as git would store it (nothing is written); one
            // it could not read is left out of the pairing, as an addition
            let read = match (&pending[slot].content, &file.new_id) {
                (
                    ContentSource::BlobAndFile {
                        new: (bytes, _), ..
                    },
                    Some(id),
                ) => Some((bytes.as_slice(), id.clone())),
                _ => None,
            };
            if let (Some(path), Some((bytes, id))) = (path, read) {
                facts.push(Facts {
                    slot,
                    kind,
                    path: path.to_vec(),
                    size: bytes.len() as u64,
                    id,
                    mode: mode_of(entry_kind),
                    file: Some(bytes),
                });
            }
        } else if let (Some(path), Some(id)) = (path, id) {
            let mode = mode_of(entry_kind);
            facts.push(Facts {
                slot,
                kind,
                path: path.to_vec(),
                size: size_of(id, mode, path)?,
                id: id.clone(),
                mode,
                file: None,
            });
        }
        // the addition half of a type change is not an added file for git
        slot += if type_change { 2 } else { 1 };
    }
    let changes: Vec<RewriteChange<'_>> = facts
        .iter()
        .map(|f| {
            let side = RewriteSide {
                path: &f.path,
                id: &f.id,
                mode: f.mode,
                size: f.size,
            };
            match f.kind {
                ADDED => RewriteChange::Added(side),
                DELETED => RewriteChange::Deleted(side),
                _ => RewriteChange::Modified(side),
            }
        })
        .collect();
    let plan = RewritePlan::new(&changes, rename_limit(repo));
    if let Some(comparisons) = plan.limit_exceeded() {
        tracing::warn!(
            comparisons,
            "inexact rename detection skipped: too many files (diff.renameLimit)"
        );
    }
    let needed = plan.content_needed();
    let chunk_counts = parallel_map(repo, &needed, |repo, need| {
        let change = match *need {
            ContentNeeded::Old(change) | ContentNeeded::New(change) => &facts[change],
        };
        let path = String::from_utf8_lossy(&change.path);
        let blob;
        let content = match change.file {
            Some(bytes) => bytes,
            None => {
                let oid = Oid::from_str(&change.id).map_err(RepoError::git("read an object id"))?;
                blob = repo.find_blob(oid).map_err(|source| RepoError::Object {
                    what: format!("blob {oid} of {path}"),
                    source,
                })?;
                blob.content()
            }
        };
        // Binary or text only decides whether the CR of a CRLF counts, so a file without CR
        // needs no attribute lookup. `-diff` (and `binary`) make a file binary for git
        // whatever it holds.
        let binary = content.contains(&b'\r')
            && (is_binary(content) || attributes.collapse(repo, &path).diff_disabled);
        Ok(ChunkCounts::of(content, binary))
    })?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let outcomes = plan.finish(&needed.into_iter().zip(chunk_counts).collect(), threads);
    let mut absorbed = vec![false; pending.len()];
    let mut pairs: Vec<(usize, usize, u32, FileStatus)> = Vec::new();
    for (change, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            RewriteOutcome::Unchanged => {}
            RewriteOutcome::Absorbed => absorbed[facts[change].slot] = true,
            RewriteOutcome::Renamed { source, score } => pairs.push((
                facts[change].slot,
                facts[source].slot,
                score,
                FileStatus::Renamed,
            )),
            RewriteOutcome::Copied { source, score } => pairs.push((
                facts[change].slot,
                facts[source].slot,
                score,
                FileStatus::Copied,
            )),
        }
    }
    drop(facts);
    let mut pending = pending;
    for (slot, source_slot, score, status) in pairs {
        let source = &pending[source_slot];
        let (Some(old_path), Some(old_id)) =
            (source.file.old_path.clone(), source.file.old_id.clone())
        else {
            continue;
        };
        let old_kind = source.file.old_kind;
        let old_bytes = diff
            .get_delta(source.delta)
            .and_then(|d| d.old_file().path_bytes().map(<[u8]>::to_vec));
        let new_bytes = diff
            .get_delta(pending[slot].delta)
            .and_then(|d| d.new_file().path_bytes().map(<[u8]>::to_vec));
        let target = &mut pending[slot];
        let new_side = target.file.new_path.clone().zip(target.file.new_id.clone());
        let old = Oid::from_str(&old_id).ok().map(|id| (id, old_path.clone()));
        let read = std::mem::replace(&mut target.content, ContentSource::None);
        target.content = match (old_kind, target.file.new_kind, new_side, read) {
            (Some(EntryKind::Submodule), ..)
            | (_, Some(EntryKind::Submodule), ..)
            | (_, _, None, _) => ContentSource::None,
            // a working-tree file, from the bytes its pairing was scored on
            (_, _, Some(_), ContentSource::BlobAndFile { new, .. }) => {
                ContentSource::BlobAndFile { old, new }
            }
            (_, _, Some((new_path, new_id)), _) => ContentSource::Blobs {
                old,
                new: Oid::from_str(&new_id).ok().map(|id| (id, new_path)),
            },
        };
        if target.file.new_id.as_ref() == Some(&old_id) {
            // the same content: nothing to diff, nothing binary to announce (git prints
            // no "Binary files differ" for an exact rename)
            target.content = ContentSource::None;
            target.file.binary = false;
        }
        let file = &mut target.file;
        file.status = status;
        file.similarity = Some(RewriteOutcome::percent(score));
        file.old_kind = old_kind;
        file.old_path = Some(old_path);
        file.old_id = Some(old_id);
        let lossy = |bytes: &Option<Vec<u8>>| {
            bytes
                .as_deref()
                .is_some_and(|b| std::str::from_utf8(b).is_err())
        };
        file.raw_paths = (lossy(&old_bytes) || lossy(&new_bytes)).then(|| {
            Box::new(RawPaths {
                old: old_bytes,
                new: new_bytes,
            })
        });
    }
    Ok(pending
        .into_iter()
        .zip(absorbed)
        .filter_map(|(p, gone)| (!gone).then_some(p))
        .collect())
}

/// The bytes on disk of the working-tree entry at `path` (a file's content, a symlink's
/// target), before any check-in conversion ([`stored_form`]); `None` when it cannot be read
/// or is not a file or a symlink (a FIFO is never opened).
fn working_file(repo: &Repository, path: &[u8], kind: Option<EntryKind>) -> Option<Vec<u8>> {
    working_file_up_to(repo, path, kind, u64::MAX)
}

/// [`working_file`], or `None` for a file larger than `max_len` bytes.
fn working_file_up_to(
    repo: &Repository,
    path: &[u8],
    kind: Option<EntryKind>,
    max_len: u64,
) -> Option<Vec<u8>> {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let full = super::open::root_of(repo).join(std::ffi::OsStr::from_bytes(path));
    let metadata = std::fs::symlink_metadata(&full).ok()?;
    if metadata.len() > max_len {
        return None;
    }
    match kind {
        Some(EntryKind::Symlink) if metadata.file_type().is_symlink() => std::fs::read_link(&full)
            .ok()
            .map(|target| target.into_os_string().into_vec()),
        Some(EntryKind::File | EntryKind::Executable) if metadata.is_file() => {
            std::fs::read(&full).ok()
        }
        _ => None,
    }
}

/// A working-tree file's `bytes` as `git add` would store them: line endings and `ident`
/// converted as its attributes and `core.autocrlf` say ([`check_in`]). A symlink's target is
/// kept.
fn stored_form(
    repo: &Repository,
    attributes: &Attributes,
    autocrlf: AutoCrlf,
    path: &[u8],
    kind: Option<EntryKind>,
    bytes: Vec<u8>,
) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    if !matches!(kind, Some(EntryKind::File | EntryKind::Executable))
        || !check_in::may_change(&bytes)
    {
        return bytes;
    }
    let path = Path::new(std::ffi::OsStr::from_bytes(path));
    let check_in = attributes.check_in(repo, path, autocrlf);
    if check_in == CheckIn::AS_IS {
        return bytes;
    }
    let stored = match check_in::to_git(check_in, &bytes, || index_holds_crlf(repo, path)) {
        std::borrow::Cow::Owned(stored) => Some(stored),
        std::borrow::Cow::Borrowed(_) => None,
    };
    stored.unwrap_or(bytes)
}

/// Whether the index's copy of `path` holds CRLFs git keeps ([`check_in::holds_text_crlf`]);
/// of a conflicted path, "ours" (stage 2), as git reads it.
fn index_holds_crlf(repo: &Repository, path: &Path) -> bool {
    let Ok(index) = repo.index() else {
        return false;
    };
    [0, 2]
        .into_iter()
        .find_map(|stage| index.get_path(path, stage))
        .and_then(|entry| repo.find_blob(entry.id).ok())
        .is_some_and(|blob| check_in::holds_text_crlf(blob.content()))
}

/// git's `diff.renameLimit` of the repository (0: no limit), or git's default.
fn rename_limit(repo: &Repository) -> u64 {
    repo.config()
        .ok()
        .and_then(|config| config.get_i64("diff.renameLimit").ok())
        .map_or(DEFAULT_RENAME_LIMIT, |limit| {
            u64::try_from(limit).unwrap_or(0)
        })
}

/// Runs `work` over `items` on several threads when there are many, keeping their order.
/// Each thread opens its own handle on the repository: git2 handles are not shared across
/// threads.
fn parallel_map<T: Sync, R: Send>(
    repo: &Repository,
    items: &[T],
    work: impl Fn(&Repository, &T) -> Result<R, RepoError> + Sync,
) -> Result<Vec<R>, RepoError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    if threads == 1 || items.len() < MIN_PARALLEL_FILES {
        return items.iter().map(|item| work(repo, item)).collect();
    }
    let git_dir = repo.path().to_owned();
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|mine| {
                let (git_dir, work) = (&git_dir, &work);
                scope.spawn(move || {
                    let repo = Repository::open(git_dir)
                        .map_err(RepoError::git("open the repository in a worker"))?;
                    mine.iter()
                        .map(|item| work(&repo, item))
                        .collect::<Result<Vec<R>, RepoError>>()
                })
            })
            .collect();
        let mut all = Vec::with_capacity(items.len());
        for worker in workers {
            all.extend(worker.join().unwrap_or_else(|_| {
                Err(RepoError::Internal {
                    what: "a diff worker thread stopped".into(),
                })
            })?);
        }
        Ok(all)
    })
}

/// The sides of a [`ContentSource::BlobAndFile`].
struct BlobAndFile<'a> {
    old: &'a Option<(Oid, String)>,
    bytes: &'a [u8],
    new_path: &'a str,
}

/// The content of a stored old side (empty when there is none) against a working-tree
/// file's bytes, with the paths' diff driver when attributes files exist.
fn diff_blob_and_file(
    repo: &Repository,
    sides: &BlobAndFile<'_>,
    display: &str,
    limits: &DiffLimits,
    attributes: &Attributes,
    content_options: ContentOptions,
) -> Result<FileContent, RepoError> {
    let mut options = DiffOptions::new();
    options.context_lines(3).indent_heuristic(true);
    content_options.apply(&mut options);
    let failed = || RepoError::git(format!("diff {display}"));
    let Some((id, old_path)) = sides.old else {
        // an addition: without a stored side libgit2 looks up no diff driver, so what the
        // `diff` attribute declares (text, binary, a driver's `binary`) is applied here
        match attributes.declared_diff(repo, sides.new_path) {
            DeclaredDiff::Binary => {
                return Ok(FileContent {
                    binary: true,
                    additions: 0,
                    deletions: 0,
                    omitted: None,
                    hunks: Vec::new(),
                })
            }
            DeclaredDiff::Text => {
                options.force_text(true);
            }
            DeclaredDiff::Driver(name) => {
                let binary = repo
                    .config()
                    .ok()
                    .and_then(|config| config.get_bool(&format!("diff.{name}.binary")).ok());
                match binary {
                    Some(true) => options.force_binary(true),
                    Some(false) => options.force_text(true),
                    None => &mut options,
                };
            }
            DeclaredDiff::Unspecified => {}
        }
        let patch = Patch::from_buffers(&[], None, sides.bytes, None, Some(&mut options))
            .map_err(failed())?;
        return FileContent::of(&patch, display, limits);
    };
    super::objects::check(repo, *id, &|| format!("blob {id} of {old_path}"))?;
    let blob = repo.find_blob(*id).map_err(|source| RepoError::Object {
        what: format!("blob {id} of {old_path}"),
        source,
    })?;
    let paths = attributes
        .exist()
        .then(|| (Path::new(old_path.as_str()), Path::new(sides.new_path)));
    let patch = Patch::from_blob_and_buffer(
        &blob,
        paths.map(|p| p.0),
        sides.bytes,
        paths.map(|p| p.1),
        Some(&mut options),
    )
    .map_err(failed())?;
    FileContent::of(&patch, display, limits)
}

/// Diffs the blob pairs of `slots` (indexes into `pending`), in parallel when there are many.
fn diff_blobs(
    repo: &Repository,
    pending: &[Pending],
    slots: &[usize],
    limits: &DiffLimits,
    attributes: &Attributes,
    content_options: ContentOptions,
) -> Result<HashMap<usize, FileContent>, RepoError> {
    let attributes_exist = attributes.exist();
    // With a path, libgit2 looks up the file's diff driver in the attributes (a realpath and
    // a stat per directory level); without attributes files the default driver is the answer.
    let path_of = |side: &Option<(Oid, String)>| {
        side.as_ref()
            .filter(|_| attributes_exist)
            .map(|(_, path)| path.clone())
    };
    let contents = parallel_map(repo, slots, |repo, &slot| {
        let display = pending[slot].file.display_path();
        let (old, new) = match &pending[slot].content {
            ContentSource::Blobs { old, new } => (old, new),
            ContentSource::BlobAndFile {
                old,
                new: (bytes, new_path),
            } => {
                let (sides, path) = (
                    BlobAndFile {
                        old,
                        bytes,
                        new_path,
                    },
                    display,
                );
                return diff_blob_and_file(repo, &sides, path, limits, attributes, content_options)
                    .map(Some);
            }
            _ => return Ok(None),
        };
        let find = |side: &Option<(Oid, String)>| {
            side.as_ref()
                .map(|(id, _)| {
                    super::objects::check(repo, *id, &|| format!("blob {id} of {display}"))?;
                    repo.find_blob(*id).map_err(|source| RepoError::Object {
                        what: format!("blob {id} of {display}"),
                        source,
                    })
                })
                .transpose()
        };
        let (old_blob, new_blob) = (find(old)?, find(new)?);
        let mut options = DiffOptions::new();
        options.context_lines(3).indent_heuristic(true);
        content_options.apply(&mut options);
        let patch = match (&old_blob, &new_blob) {
            (Some(old_blob), Some(new_blob)) => {
                let (old_path, new_path) = (path_of(old), path_of(new));
                Patch::from_blobs(
                    old_blob,
                    old_path.as_deref().map(Path::new),
                    new_blob,
                    new_path.as_deref().map(Path::new),
                    Some(&mut options),
                )
                .or_else(|error| {
                    // libgit2 reads the index for the diff driver even without a path; with
                    // an index it cannot read, the blobs are diffed as plain buffers, which
                    // is what the default driver does.
                    if old_path.is_none() && new_path.is_none() && repo.index().is_err() {
                        Patch::from_buffers(
                            old_blob.content(),
                            None,
                            new_blob.content(),
                            None,
                            Some(&mut options),
                        )
                    } else {
                        Err(error)
                    }
                })
            }
            // an addition or deletion: the missing side is empty
            _ => Patch::from_buffers(
                old_blob.as_ref().map_or(&[][..], |b| b.content()),
                None,
                new_blob.as_ref().map_or(&[][..], |b| b.content()),
                None,
                Some(&mut options),
            ),
        }
        .map_err(RepoError::git(format!("diff {display}")))?;
        Ok(Some(FileContent::of(&patch, display, limits)?))
    })?;
    Ok(slots
        .iter()
        .zip(contents)
        .filter_map(|(&slot, content)| Some((slot, content?)))
        .collect())
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
            previous.binary_halves = Some([previous.binary, file.binary]);
            previous.binary |= file.binary;
            previous.additions += file.additions;
            previous.omitted = previous.omitted.take().or(file.omitted);
            previous.hunks.extend(file.hunks);
            return;
        }
    }
    files.push(file);
}

fn hunks_of(patch: &Patch<'_>, path: &str) -> Result<Vec<Hunk>, RepoError> {
    let mut hunks = Vec::with_capacity(patch.num_hunks());
    for h in 0..patch.num_hunks() {
        let (hunk, line_count) = patch
            .hunk(h)
            .map_err(RepoError::git(format!("read a hunk of {path}")))?;
        // git ends the function context where its 80 bytes end, then drops the whitespace
        // that leaves at the end (xdiff's `def_ff`); libgit2 keeps it.
        let mut header_bytes = hunk.header();
        while let Some(rest) = header_bytes
            .strip_suffix(b"\n")
            .or_else(|| header_bytes.strip_suffix(b"\r"))
            .or_else(|| header_bytes.strip_suffix(b" "))
            .or_else(|| header_bytes.strip_suffix(b"\t"))
        {
            header_bytes = rest;
        }
        let mut builder = HunkBuilder::new(
            String::from_utf8_lossy(header_bytes).into_owned(),
            hunk.old_start(),
            hunk.old_lines(),
            hunk.new_start(),
            hunk.new_lines(),
        );
        if std::str::from_utf8(header_bytes).is_err() {
            builder.raw_header(header_bytes);
        }
        let mut lines = Vec::with_capacity(line_count);
        for l in 0..line_count {
            let line = patch
                .line_in_hunk(h, l)
                .map_err(RepoError::git(format!("read a line of {path}")))?;
            lines.push(line);
        }
        builder.reserve(lines.len(), lines.iter().map(|l| l.content().len()).sum());
        for line in &lines {
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
            match std::str::from_utf8(body) {
                Ok(text) => builder.push(
                    kind,
                    line.old_lineno(),
                    line.new_lineno(),
                    text,
                    no_newline,
                    false,
                ),
                Err(_) => {
                    builder.push_bytes(kind, line.old_lineno(), line.new_lineno(), body, no_newline)
                }
            }
        }
        hunks.push(builder.finish(path));
    }
    Ok(hunks)
}
