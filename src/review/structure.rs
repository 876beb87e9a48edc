//! The structure of a review: for every changed file in a language Redline parses, both sides'
//! symbols, each hunk's enclosing symbol on each side, and how the symbols changed; and
//! highlight spans of one side on demand.
//!
//! A separate call from [`super::open`] rather than fields of [`super::Review`]: parsing both
//! sides of every file costs many times the diff itself (`benches/syntax.rs`, 900-file
//! synthetic range on 2 cores: `open` 0.13 s, `structure` 4.6 s cold and 0.21 s with the
//! symbols cached), so the window shows the diff first and the labels when they arrive.
//!
//! Symbols and highlights are cached in memory per blob id (an LRU here in the composer):
//! what a blob parses to never changes, so a refresh parses only the blobs an agent wrote.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex};

use git2::Repository;
use serde::Serialize;
use specta::Type;
use tracing::instrument;

use crate::diff::FileDiff;
use crate::error::{ErrorKind, ErrorReport};
use crate::repo::blob::{side_content, Side, SideContent};
use crate::repo::{self, Attributes, DiffLimits, RepoError, ResolvedTarget, Target};
use crate::syntax::{
    self, ChangeCounts, ErrorRegion, FileHighlights, FileSymbols, HunkLabel, Language, LanguageId,
    NotParsed, NotParsedReason, SymbolChange, SyntaxError, SyntaxLimits,
};

/// Why a structure could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum StructureError {
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
}

impl From<&StructureError> for ErrorReport {
    fn from(error: &StructureError) -> Self {
        match error {
            StructureError::Repo(error) => error.into(),
            StructureError::Syntax(error) => ErrorReport {
                kind: ErrorKind::Internal,
                message: error.to_string(),
            },
        }
    }
}

/// One side of a file, as far as structure goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SideStructure {
    /// How many symbols the side defines.
    pub symbols: u32,
    /// Regions that do not parse ("does not parse" findings start here).
    pub errors: Vec<ErrorRegion>,
    /// Why the side was not parsed, if it was not.
    pub not_parsed: Option<NotParsed>,
}

impl From<&FileSymbols> for SideStructure {
    fn from(symbols: &FileSymbols) -> Self {
        SideStructure {
            symbols: symbols.symbols.len() as u32,
            errors: symbols.errors.clone(),
            not_parsed: symbols.not_parsed.clone(),
        }
    }
}

/// One changed file's structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileStructure {
    /// New path (old path for a deletion), as in the review's file list.
    pub path: String,
    pub language: Option<LanguageId>,
    pub old: SideStructure,
    pub new: SideStructure,
    /// One label per hunk, keyed by hunk id.
    pub hunk_labels: Vec<HunkLabel>,
    pub changes: Vec<SymbolChange>,
    pub counts: ChangeCounts,
}

/// The structure of a whole review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StructureReport {
    pub target: Target,
    /// The command-line spelling of `target`.
    pub spec: String,
    /// Files in the review's order; files in languages Redline does not parse are listed with
    /// `language: null` and no labels.
    pub files: Vec<FileStructure>,
    /// Symbol changes over all files.
    pub counts: ChangeCounts,
}

/// The structure of `target` in the repository containing `path`.
pub fn structure(path: &Path, target: &Target) -> Result<StructureReport, StructureError> {
    structure_with(path, target, &SyntaxLimits::default())
}

/// [`structure`] with explicit limits.
#[instrument(level = "debug")]
pub fn structure_with(
    path: &Path,
    target: &Target,
    limits: &SyntaxLimits,
) -> Result<StructureReport, StructureError> {
    let (repo, _) = repo::open(path)?;
    let resolved = repo::resolve(&repo, target)?;
    let files = repo::load_diff(&repo, &resolved, &DiffLimits::default())?;
    let mut structures = analyse_files(&repo, &resolved, &files, limits)?;
    link_moves_across_files(&mut structures);
    let mut counts = ChangeCounts::default();
    for file in &structures {
        counts.add(file.counts);
    }
    Ok(StructureReport {
        spec: target.to_string(),
        target: target.clone(),
        files: structures,
        counts,
    })
}

/// The structure of one file of `target` (`file` is its new path, old path for deletions),
/// for the window, which asks file by file as the reviewer opens them: the whole review's
/// [`structure`] parses every file and takes seconds cold on a large change. Its hunk ids
/// are those of [`super::file_diff`], the same as the review's for the same content. Moves
/// are paired within the file only; a symbol moved from another file counts as added here.
#[instrument(level = "debug")]
pub fn file_structure(
    path: &Path,
    target: &Target,
    file: &str,
    old_path: Option<&str>,
) -> Result<FileStructure, StructureError> {
    let (repo, _) = repo::open(path)?;
    let resolved = repo::resolve(&repo, target)?;
    let diff = repo::load_file_diff(&repo, &resolved, file, old_path)?.ok_or_else(|| {
        RepoError::FileNotInTarget {
            file: file.to_owned(),
            target: target.to_string(),
        }
    })?;
    let attributes = Attributes::new(&repo);
    analyse_file(
        &repo,
        &resolved,
        &diff,
        &attributes,
        &SyntaxLimits::default(),
    )
}

/// Analyses `files` of `resolved` on all cores: each worker opens the repository itself
/// (a git2 repository cannot be shared between threads) and takes every n-th file.
pub fn analyse_files(
    repo: &Repository,
    resolved: &ResolvedTarget,
    files: &[FileDiff],
    limits: &SyntaxLimits,
) -> Result<Vec<FileStructure>, StructureError> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(files.len().max(1));
    let attributes = Attributes::new(repo);
    let location = repo.workdir().unwrap_or_else(|| repo.path()).to_owned();
    let results: Vec<Result<Vec<(usize, FileStructure)>, StructureError>> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|worker| {
                    let (location, attributes) = (&location, &attributes);
                    scope.spawn(move || {
                        let repo = Repository::open(location)
                            .map_err(RepoError::git("open the repository in a worker"))?;
                        files
                            .iter()
                            .enumerate()
                            .skip(worker)
                            .step_by(workers)
                            .map(|(i, file)| {
                                Ok((i, analyse_file(&repo, resolved, file, attributes, limits)?))
                            })
                            .collect()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle
                        .join()
                        .unwrap_or(Err(StructureError::Syntax(SyntaxError::Internal {
                            what: "a structure worker stopped",
                        })))
                })
                .collect()
        });
    let mut indexed = Vec::with_capacity(files.len());
    for result in results {
        indexed.extend(result?);
    }
    indexed.sort_by_key(|(i, _)| *i);
    Ok(indexed.into_iter().map(|(_, file)| file).collect())
}

fn analyse_file(
    repo: &Repository,
    resolved: &ResolvedTarget,
    file: &FileDiff,
    attributes: &Attributes,
    limits: &SyntaxLimits,
) -> Result<FileStructure, StructureError> {
    let path = file.display_path().to_owned();
    let unparsed = |language| FileStructure {
        path: path.clone(),
        language,
        old: SideStructure::from(&FileSymbols::empty()),
        new: SideStructure::from(&FileSymbols::empty()),
        hunk_labels: Vec::new(),
        changes: Vec::new(),
        counts: ChangeCounts::default(),
    };
    if file.binary {
        return Ok(unparsed(None));
    }
    // sides over the limit are not read at all; the marker still gives their size
    let max = limits.max_bytes as u64;
    let old = side_content(repo, resolved, file, Side::Old, max)?;
    let new = side_content(repo, resolved, file, Side::New, max)?;
    let attribute = attributes.language(repo, &path);
    let sample = match (&new, &old) {
        (SideContent::Bytes(bytes), _) | (_, SideContent::Bytes(bytes)) => bytes.as_slice(),
        _ => &[],
    };
    let Some(language) = syntax::detect(&path, attribute.as_deref(), sample) else {
        return Ok(unparsed(None));
    };
    let old = side_symbols(language, file.old_id.as_deref(), &old, limits)?;
    let new = side_symbols(language, file.new_id.as_deref(), &new, limits)?;
    let changes = syntax::compare(&old, &new);
    Ok(FileStructure {
        path: path.clone(),
        language: Some(language.id),
        old: SideStructure::from(&*old),
        new: SideStructure::from(&*new),
        hunk_labels: syntax::label_hunks(&file.hunks, &old, &new),
        counts: ChangeCounts::of(&changes),
        changes,
    })
}

fn side_symbols(
    language: &Language,
    id: Option<&str>,
    content: &SideContent,
    limits: &SyntaxLimits,
) -> Result<Arc<FileSymbols>, SyntaxError> {
    let bytes = match content {
        SideContent::Absent => return Ok(Arc::new(FileSymbols::empty())),
        SideContent::TooLarge { bytes } => {
            return Ok(Arc::new(FileSymbols::not_parsed(
                NotParsedReason::TooLarge {
                    bytes: *bytes,
                    limit: limits.max_bytes as u64,
                }
                .into(),
            )))
        }
        SideContent::Bytes(bytes) => bytes,
    };
    let key = id
        .filter(|_| *limits == SyntaxLimits::default())
        .map(|id| (id.to_owned(), language.id));
    if let Some(key) = &key {
        if let Some(cached) = SYMBOLS.lock().unwrap_or_else(|e| e.into_inner()).get(key) {
            return Ok(cached);
        }
    }
    let symbols = Arc::new(syntax::symbols(language, bytes, limits)?);
    if let Some(key) = key {
        SYMBOLS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, Arc::clone(&symbols));
    }
    Ok(symbols)
}

fn link_moves_across_files(files: &mut [FileStructure]) {
    let mut lists: Vec<(String, Vec<SymbolChange>)> = files
        .iter_mut()
        .map(|f| (f.path.clone(), std::mem::take(&mut f.changes)))
        .collect();
    syntax::link_moves(&mut lists);
    for (file, (_, changes)) in files.iter_mut().zip(lists) {
        file.counts = ChangeCounts::of(&changes);
        file.changes = changes;
    }
}

/// Results computed from one blob, by (blob id, language), least recently used dropped
/// first. In memory only: what a blob parses to never changes, so a refresh (the agent wrote
/// again) parses only the blobs that are new, and a restart costs one cold analysis.
struct BlobCache<T> {
    entries: HashMap<BlobKey, (u64, Arc<T>)>,
    tick: u64,
    capacity: usize,
}

/// A blob id and the language its content was analysed as.
type BlobKey = (String, LanguageId);

impl<T> BlobCache<T> {
    fn new(capacity: usize) -> Mutex<Self> {
        Mutex::new(BlobCache {
            entries: HashMap::new(),
            tick: 0,
            capacity,
        })
    }

    fn get(&mut self, key: &BlobKey) -> Option<Arc<T>> {
        self.tick += 1;
        let tick = self.tick;
        self.entries.get_mut(key).map(|(used, value)| {
            *used = tick;
            Arc::clone(value)
        })
    }

    fn insert(&mut self, key: BlobKey, value: Arc<T>) {
        if self.entries.len() >= self.capacity {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, (used, _))| *used)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                self.entries.remove(&oldest);
            }
        }
        self.tick += 1;
        self.entries.insert(key, (self.tick, value));
    }
}

/// Symbols of sides analysed with the default limits (other limits are not cached): a few
/// thousand files' worth, some tens of MB at most.
static SYMBOLS: LazyLock<Mutex<BlobCache<FileSymbols>>> = LazyLock::new(|| BlobCache::new(4096));

/// Highlighted sides: a reviewer moves back and forth between a few files.
static HIGHLIGHTS: LazyLock<Mutex<BlobCache<FileHighlights>>> =
    LazyLock::new(|| BlobCache::new(128));

/// Empties the in-memory caches of symbols and highlights, so the next analysis is cold (for
/// benchmarks and tests that measure one).
pub fn forget_cached_structure() {
    SYMBOLS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entries
        .clear();
    HIGHLIGHTS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entries
        .clear();
}

/// The symbols of blob `blob_id` (one side of a file), whose language is told by `path_hint`:
/// the outline a reviewer navigates by. Cached per blob id, shared with [`structure`].
#[instrument(level = "debug")]
pub fn symbols(
    path: &Path,
    blob_id: &str,
    path_hint: &str,
) -> Result<Arc<FileSymbols>, StructureError> {
    let (repo, _) = repo::open(path)?;
    let content = repo::read_blob(&repo, blob_id, Some(path_hint))?;
    let attribute = Attributes::new(&repo).language(&repo, path_hint);
    let Some(language) = syntax::detect(path_hint, attribute.as_deref(), &content) else {
        return Ok(Arc::new(FileSymbols::not_parsed(
            NotParsedReason::UnknownLanguage.into(),
        )));
    };
    Ok(side_symbols(
        language,
        Some(blob_id),
        &SideContent::Bytes(content),
        &SyntaxLimits::default(),
    )?)
}

/// Highlight spans of blob `blob_id`, whose language is told by `path_hint` (its path in the
/// review). Cached per blob id. A working-tree side that git hashed but did not store is read
/// from `path_hint` in the working tree.
#[instrument(level = "debug")]
pub fn highlight(
    path: &Path,
    blob_id: &str,
    path_hint: &str,
) -> Result<Arc<FileHighlights>, StructureError> {
    let (repo, _) = repo::open(path)?;
    let content = repo::read_blob(&repo, blob_id, Some(path_hint))?;
    let attribute = Attributes::new(&repo).language(&repo, path_hint);
    let Some(language) = syntax::detect(path_hint, attribute.as_deref(), &content) else {
        return Ok(Arc::new(FileHighlights {
            spans: Vec::new(),
            not_parsed: Some(NotParsedReason::UnknownLanguage.into()),
        }));
    };
    let key = (blob_id.to_owned(), language.id);
    if let Some(cached) = HIGHLIGHTS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
    {
        return Ok(cached);
    }
    let highlights = Arc::new(syntax::highlight(
        language,
        &content,
        &SyntaxLimits::default(),
    )?);
    HIGHLIGHTS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, Arc::clone(&highlights));
    Ok(highlights)
}

impl From<StructureError> for ErrorReport {
    fn from(error: StructureError) -> Self {
        (&error).into()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// The window's per-file call gives what the whole review gives for that file (the demo's
    /// changes move nothing across files), for every target that changes a parsed file.
    #[test]
    fn one_file_structure_is_that_file_of_the_review() {
        let scratch = tempfile::tempdir().unwrap();
        let demo = scratch.path().join("demo");
        crate::demo::create(&demo).unwrap();
        for target in [Target::Worktree, Target::Commit { rev: "HEAD".into() }] {
            let review = structure(&demo, &target).unwrap();
            let parsed: Vec<_> = review
                .files
                .iter()
                .filter(|f| f.language.is_some())
                .collect();
            assert!(!parsed.is_empty(), "{target} changes a parsed file");
            for whole in parsed {
                let one = file_structure(&demo, &target, &whole.path, None).unwrap();
                assert_eq!(&one, whole, "{} of {target}", whole.path);
            }
        }
    }
}
