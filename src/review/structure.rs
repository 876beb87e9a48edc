//! The structure of a review: for every changed file in a language Redline parses, both sides'
//! symbols, each hunk's enclosing symbol on each side, and how the symbols changed; and
//! highlight spans of one side on demand.
//!
//! A separate call from [`super::open`] rather than fields of [`super::Review`]: parsing both
//! sides of every file costs many times the diff itself (`benches/syntax.rs`, 945-file
//! synthetic range on 2 cores: `open` 0.12 s, `structure` 1.4 s cold and 0.14 s with the
//! symbols cached; tree-sitter alone needs 1.0 s to parse the sides), so the window shows the
//! diff first and the labels when they arrive.
//!
//! Symbols and highlights are cached in memory per blob id (an LRU here in the composer):
//! what a blob parses to never changes, so a refresh parses only the blobs an agent wrote.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Condvar, LazyLock, Mutex};

use git2::Repository;
use serde::Serialize;
use specta::Type;
use tracing::instrument;

use crate::diff::{FileDiff, Hunk, LineEdit};
use crate::error::{ErrorKind, ErrorReport};
use crate::findings::{self, Finding};
use crate::repo::blob::{path_content, side_content, Side, SideContent};
use crate::repo::{self, Attributes, DiffLimits, RepoError, ResolvedTarget, Target};
use crate::syntax::{
    self, ChangeCounts, ErrorRegion, FileHighlights, FileSymbols, HunkLabel, Language, LanguageId,
    NotParsed, NotParsedReason, SymbolChange, SyntaxError, SyntaxLimits, SyntaxTree,
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
    let request = FileRequest {
        repo: &repo,
        resolved: &resolved,
        file: &diff,
        attributes: &attributes,
        limits: &SyntaxLimits::default(),
        keep: KeepTrees::Yes,
        check: None,
    };
    Ok(analyse_file(&request)?.structure)
}

/// Analyses `files` of `resolved` on all cores: each worker opens the repository itself
/// (a git2 repository cannot be shared between threads) and takes every n-th file.
pub fn analyse_files(
    repo: &Repository,
    resolved: &ResolvedTarget,
    files: &[FileDiff],
    limits: &SyntaxLimits,
) -> Result<Vec<FileStructure>, StructureError> {
    Ok(analyse_files_checked(repo, resolved, files, limits, None)?
        .into_iter()
        .map(|analysed| analysed.structure)
        .collect())
}

/// One file analysed: its structure and, when asked, its findings.
pub(super) struct Analysed {
    pub structure: FileStructure,
    pub findings: Vec<Finding>,
}

/// [`analyse_files`], also running the findings rules with `check`'s configuration on the
/// trees the analysis parses (parsing is most of the cost; the rules add little).
pub(super) fn analyse_files_checked(
    repo: &Repository,
    resolved: &ResolvedTarget,
    files: &[FileDiff],
    limits: &SyntaxLimits,
    check: Option<&findings::Config>,
) -> Result<Vec<Analysed>, StructureError> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(files.len().max(1));
    let attributes = Attributes::new(repo);
    let location = repo.workdir().unwrap_or_else(|| repo.path()).to_owned();
    let results: Vec<Result<Vec<(usize, Analysed)>, StructureError>> =
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
                                let request = FileRequest {
                                    repo: &repo,
                                    resolved,
                                    file,
                                    attributes,
                                    limits,
                                    keep: KeepTrees::No,
                                    check,
                                };
                                Ok((i, analyse_file(&request)?))
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

/// Whether an analysis keeps the trees it parses ([`TREES`]): the window's per-file analysis
/// does (highlighting and the agent's next version follow); a whole review's does not, since
/// its hundreds of files would only push the shown file's trees out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum KeepTrees {
    Yes,
    No,
}

/// Everything one file's analysis needs.
pub(super) struct FileRequest<'a> {
    pub repo: &'a Repository,
    pub resolved: &'a ResolvedTarget,
    pub file: &'a FileDiff,
    pub attributes: &'a Attributes,
    pub limits: &'a SyntaxLimits,
    pub keep: KeepTrees,
    /// Run the findings rules with this configuration.
    pub check: Option<&'a findings::Config>,
}

pub(super) fn analyse_file(request: &FileRequest<'_>) -> Result<Analysed, StructureError> {
    let FileRequest {
        repo,
        resolved,
        file,
        attributes,
        limits,
        keep,
        check,
    } = *request;
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
        return Ok(Analysed {
            structure: unparsed(None),
            findings: Vec::new(),
        });
    }
    // findings are skipped for ignored paths and when they are cached
    let check = check.filter(|config| !config.ignores(&path));
    let findings_key = check.and_then(|config| findings_key(file, &path, config));
    let cached_findings = findings_key.as_ref().and_then(|key| cached(&FINDINGS, key));
    let check = check.filter(|_| cached_findings.is_none());
    // sides over the limit are not read at all; the marker still gives their size
    let max = limits.max_bytes as u64;
    // A side that cannot be read marks this file; the rest of the review is still analysed.
    let read = |side| match side_content(repo, resolved, file, side, max) {
        Err(RepoError::Unreadable { reason, .. }) => Ok((SideContent::Absent, Some(reason))),
        other => other.map(|content| (content, None)),
    };
    let ((old, old_unreadable), (new, new_unreadable)) = (read(Side::Old)?, read(Side::New)?);
    let attribute = attributes.language(repo, &path);
    let sample = match (&new, &old) {
        (SideContent::Bytes(bytes), _) | (_, SideContent::Bytes(bytes)) => bytes.as_slice(),
        _ => &[],
    };
    let language = syntax::detect(&path, attribute.as_deref(), sample);
    let finish = |structure: FileStructure, findings: Vec<Finding>| {
        let findings = match cached_findings.as_deref() {
            Some(cached) => cached.clone(),
            None => {
                if let Some(key) = findings_key.clone() {
                    store(&FINDINGS, key, Arc::new(findings.clone()), 1);
                }
                findings
            }
        };
        Analysed {
            structure,
            findings,
        }
    };
    let Some(language) = language else {
        let findings = match check {
            Some(config) => {
                let sides = CheckedSides {
                    old: (&old, None, &FileSymbols::empty()),
                    new: (&new, None, &FileSymbols::empty()),
                };
                check_sides(request, None, &sides, config)?
            }
            None => Vec::new(),
        };
        return Ok(finish(unparsed(None), findings));
    };
    let mut trees = (None, None);
    let (old_symbols, new_symbols) = if old_unreadable.is_some() || new_unreadable.is_some() {
        // Not through the caches: they are keyed by blob id, and this content is not all there.
        let side = |content: &SideContent, unreadable: Option<String>| match unreadable {
            Some(reason) => Ok(Arc::new(FileSymbols::not_parsed(
                NotParsedReason::Unreadable { reason }.into(),
            ))),
            None => side_symbols(language, content, limits).map(Arc::new),
        };
        (side(&old, old_unreadable)?, side(&new, new_unreadable)?)
    } else {
        let parsed = both_sides(language, file, &old, &new, limits, keep, check.is_some())?;
        trees = (parsed.old_tree, parsed.new_tree);
        (parsed.old, parsed.new)
    };
    let findings = match check {
        Some(config) => {
            // Sides whose symbols came from the cache were not parsed now: parse them for
            // the rules (the window's per-file analysis finds them in the tree cache).
            let tree_of = |content: &SideContent, id: Option<&str>, have: Option<SyntaxTree>| {
                if have.is_some() {
                    return Ok::<_, SyntaxError>(have);
                }
                let SideContent::Bytes(bytes) = content else {
                    return Ok(None);
                };
                if let Some(tree) = cache_key(id, language, limits)
                    .as_ref()
                    .and_then(|key| cached(&TREES, key))
                {
                    return Ok(Some((*tree).clone()));
                }
                Ok(syntax::parse_tree(language, bytes, limits)?.ok())
            };
            let old_tree = tree_of(&old, file.old_id.as_deref(), trees.0.take())?;
            let new_tree = tree_of(&new, file.new_id.as_deref(), trees.1.take())?;
            let sides = CheckedSides {
                old: (&old, old_tree.as_ref(), &old_symbols),
                new: (&new, new_tree.as_ref(), &new_symbols),
            };
            check_sides(request, Some(language), &sides, config)?
        }
        None => Vec::new(),
    };
    let changes = syntax::compare(&old_symbols, &new_symbols);
    let structure = FileStructure {
        path: path.clone(),
        language: Some(language.id),
        old: SideStructure::from(&*old_symbols),
        new: SideStructure::from(&*new_symbols),
        hunk_labels: syntax::label_hunks(&file.hunks, &old_symbols, &new_symbols),
        counts: ChangeCounts::of(&changes),
        changes,
    };
    Ok(finish(structure, findings))
}

/// Both sides of a file as the rules see them: content, tree, symbols.
struct CheckedSides<'a> {
    old: (&'a SideContent, Option<&'a SyntaxTree>, &'a FileSymbols),
    new: (&'a SideContent, Option<&'a SyntaxTree>, &'a FileSymbols),
}

/// Runs the findings rules on one file, reading the new side's lockfiles for a manifest.
fn check_sides(
    request: &FileRequest<'_>,
    language: Option<&'static Language>,
    sides: &CheckedSides<'_>,
    config: &findings::Config,
) -> Result<Vec<Finding>, StructureError> {
    let file = request.file;
    let old_path = file.old_path.as_deref().unwrap_or(file.display_path());
    let new_path = file.new_path.as_deref().unwrap_or(file.display_path());
    let old = match sides.old.0 {
        SideContent::Bytes(bytes) => Some(findings::SideInput {
            path: old_path,
            bytes,
            tree: sides.old.1,
            symbols: sides.old.2,
        }),
        _ => None,
    };
    let new = match sides.new.0 {
        SideContent::Bytes(bytes) => Some(findings::SideInput {
            path: new_path,
            bytes,
            tree: sides.new.1,
            symbols: sides.new.2,
        }),
        _ => None,
    };
    let mut companions = Vec::new();
    if new.is_some() && findings::dependencies::is_manifest(new_path) {
        for lockfile in findings::dependencies::lockfiles_for(new_path) {
            if let SideContent::Bytes(bytes) = path_content(
                request.repo,
                request.resolved,
                Side::New,
                &lockfile,
                LOCKFILE_MAX_BYTES,
            )? {
                companions.push((lockfile, bytes));
            }
        }
    }
    let input = findings::FileInput {
        path: file.display_path(),
        status: file.status,
        language,
        old,
        new,
        hunks: &file.hunks,
        companions: &companions,
    };
    Ok(findings::check_file(&input, config))
}

/// Lockfiles larger than this are not read (the rule then cannot say a dependency is missing
/// from it, and says nothing).
const LOCKFILE_MAX_BYTES: u64 = 16 * 1024 * 1024;

fn findings_key(file: &FileDiff, path: &str, config: &findings::Config) -> Option<FindingsKey> {
    // an added or deleted file has one side; a working-tree file git has not hashed has no id
    let old = match (&file.old_id, file.old_path.is_some()) {
        (Some(id), _) => id.clone(),
        (None, false) => String::new(),
        (None, true) => return None,
    };
    let new = match (&file.new_id, file.new_path.is_some()) {
        (Some(id), _) => id.clone(),
        (None, false) => String::new(),
        (None, true) => return None,
    };
    // a manifest's findings depend on its lockfile, which is another blob
    if findings::dependencies::is_manifest(path) {
        return None;
    }
    Some((old, new, path.to_owned(), config.fingerprint))
}

/// Both sides' symbols, and the trees parsed on the way (none for a side that came from the
/// cache).
struct ParsedSides {
    old: Arc<FileSymbols>,
    new: Arc<FileSymbols>,
    old_tree: Option<SyntaxTree>,
    new_tree: Option<SyntaxTree>,
}

/// Both sides' symbols, from the cache where it has them. A new side with no cached symbols
/// is parsed from the old side's tree (cached, or parsed now), told of the diff's edits:
/// tree-sitter then reparses only what the edits touched. Both trees are kept for the
/// highlighting that follows and for the next version an agent writes; with `want_trees`
/// they are also returned, for the findings rules.
fn both_sides(
    language: &Language,
    file: &FileDiff,
    old: &SideContent,
    new: &SideContent,
    limits: &SyntaxLimits,
    keep: KeepTrees,
    want_trees: bool,
) -> Result<ParsedSides, SyntaxError> {
    let old_key = cache_key(file.old_id.as_deref(), language, limits);
    let new_key = cache_key(file.new_id.as_deref(), language, limits);
    let cached_old = old_key.as_ref().and_then(cached_symbols);
    let cached_new = new_key.as_ref().and_then(cached_symbols);
    if let (None, SideContent::Bytes(old_bytes), SideContent::Bytes(new_bytes)) =
        (&cached_new, old, new)
    {
        // The window's analysis (trees kept) highlights each side on the other core as soon
        // as its tree exists: the window asks for both highlights next.
        return std::thread::scope(|scope| {
            let highlight_aside = |key: &Option<BlobKey>, tree: &SyntaxTree, side: Side| {
                let bytes: &[u8] = match side {
                    Side::Old => old_bytes,
                    Side::New => new_bytes,
                };
                let claim = match (keep, key) {
                    (KeepTrees::Yes, Some(key)) => claim_highlight(key),
                    _ => None,
                };
                if let Some(claim) = claim {
                    let tree = tree.clone();
                    scope.spawn(move || highlight_claimed(language, claim, &tree, bytes));
                }
            };
            let cached_tree = old_key.as_ref().and_then(|key| cached(&TREES, key));
            let (old_symbols, old_tree) = match (cached_old, cached_tree) {
                (Some(symbols), Some(tree)) => {
                    highlight_aside(&old_key, &tree, Side::Old);
                    (symbols, Some((*tree).clone()))
                }
                (cached_old, _) => {
                    let tree = syntax::parse_tree(language, old_bytes, limits)?;
                    if let Ok(tree) = &tree {
                        highlight_aside(&old_key, tree, Side::Old);
                    }
                    let (symbols, tree) = match tree {
                        Ok(tree) => match cached_old {
                            Some(symbols) => (symbols, Some(tree)),
                            None => {
                                let symbols = syntax::symbols_of_tree(language, &tree, old_bytes)?;
                                (remember(old_key.clone(), symbols), Some(tree))
                            }
                        },
                        Err(not_parsed) => (
                            cached_old.unwrap_or_else(|| {
                                remember(old_key.clone(), FileSymbols::not_parsed(not_parsed))
                            }),
                            None,
                        ),
                    };
                    if keep == KeepTrees::Yes {
                        remember_tree(old_key.clone(), tree.clone(), old_bytes.len());
                    }
                    (symbols, tree)
                }
            };
            let edits: Vec<LineEdit> = file.hunks.iter().flat_map(Hunk::line_edits).collect();
            let kept_old = if want_trees { old_tree.clone() } else { None };
            let new_tree =
                syntax::parse_tree_next(language, old_tree, old_bytes, new_bytes, &edits, limits)?;
            let (new_symbols, new_tree) = match new_tree {
                Ok(tree) => {
                    highlight_aside(&new_key, &tree, Side::New);
                    (
                        syntax::symbols_of_tree(language, &tree, new_bytes)?,
                        Some(tree),
                    )
                }
                Err(not_parsed) => (FileSymbols::not_parsed(not_parsed), None),
            };
            if keep == KeepTrees::Yes {
                remember_tree(new_key.clone(), new_tree.clone(), new_bytes.len());
            }
            Ok(ParsedSides {
                old: old_symbols,
                new: remember(new_key, new_symbols),
                old_tree: kept_old,
                new_tree: if want_trees { new_tree } else { None },
            })
        });
    }
    let mut trees = (None, None);
    let side = |content: &SideContent,
                key: Option<BlobKey>,
                cached: Option<Arc<FileSymbols>>,
                slot: &mut Option<SyntaxTree>| {
        match (cached, content) {
            (Some(symbols), _) => Ok::<_, SyntaxError>(symbols),
            (None, SideContent::Bytes(bytes)) if want_trees => {
                let parsed = syntax::parse_side(language, bytes, limits)?;
                *slot = parsed.tree;
                Ok(remember(key, parsed.symbols))
            }
            (None, content) => Ok(remember(key, side_symbols(language, content, limits)?)),
        }
    };
    let old = side(old, old_key, cached_old, &mut trees.0)?;
    let new = side(new, new_key, cached_new, &mut trees.1)?;
    Ok(ParsedSides {
        old,
        new,
        old_tree: trees.0,
        new_tree: trees.1,
    })
}

/// The cache key of a side: sides analysed with other than the default limits are not cached.
fn cache_key(id: Option<&str>, language: &Language, limits: &SyntaxLimits) -> Option<BlobKey> {
    id.filter(|_| *limits == SyntaxLimits::default())
        .map(|id| (id.to_owned(), language.id))
}

fn cached<T, K: Clone + Eq + std::hash::Hash>(
    cache: &Mutex<BlobCache<T, K>>,
    key: &K,
) -> Option<Arc<T>> {
    cache.lock().unwrap_or_else(|e| e.into_inner()).get(key)
}

fn cached_symbols(key: &BlobKey) -> Option<Arc<FileSymbols>> {
    cached(&SYMBOLS, key)
}

/// Puts `value` in `cache`, dropping what it pushes out only after the lock is released:
/// freeing a tree walks all its nodes, and other threads wait for the lock meanwhile.
fn store<T, K: Clone + Eq + std::hash::Hash>(
    cache: &Mutex<BlobCache<T, K>>,
    key: K,
    value: Arc<T>,
    weight: usize,
) {
    let removed = cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, value, weight);
    drop(removed);
}

/// Caches `symbols` under `key`, if there is one.
fn remember(key: Option<BlobKey>, symbols: FileSymbols) -> Arc<FileSymbols> {
    let symbols = Arc::new(symbols);
    if let Some(key) = key {
        store(&SYMBOLS, key, Arc::clone(&symbols), 1);
    }
    symbols
}

/// Caches the tree of a side of `bytes` bytes under `key`, if there are both.
fn remember_tree(key: Option<BlobKey>, tree: Option<SyntaxTree>, bytes: usize) {
    if let (Some(key), Some(tree)) = (key, tree) {
        store(&TREES, key, Arc::new(tree), bytes);
    }
}

/// The symbols of one side, parsed in full.
fn side_symbols(
    language: &Language,
    content: &SideContent,
    limits: &SyntaxLimits,
) -> Result<FileSymbols, SyntaxError> {
    match content {
        SideContent::Absent => Ok(FileSymbols::empty()),
        SideContent::TooLarge { bytes } => Ok(FileSymbols::not_parsed(
            NotParsedReason::TooLarge {
                bytes: *bytes,
                limit: limits.max_bytes as u64,
            }
            .into(),
        )),
        SideContent::Bytes(bytes) => syntax::symbols(language, bytes, limits),
    }
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
struct BlobCache<T, K = BlobKey> {
    entries: HashMap<K, Entry<T>>,
    tick: u64,
    /// The most the entries' weights may add up to.
    capacity: usize,
    weight: usize,
}

struct Entry<T> {
    used: u64,
    value: Arc<T>,
    weight: usize,
}

/// A blob id and the language its content was analysed as.
type BlobKey = (String, LanguageId);

impl<T, K: Clone + Eq + std::hash::Hash> BlobCache<T, K> {
    fn new(capacity: usize) -> Mutex<Self> {
        Mutex::new(BlobCache {
            entries: HashMap::new(),
            tick: 0,
            capacity,
            weight: 0,
        })
    }

    fn get(&mut self, key: &K) -> Option<Arc<T>> {
        self.tick += 1;
        let tick = self.tick;
        self.entries.get_mut(key).map(|entry| {
            entry.used = tick;
            Arc::clone(&entry.value)
        })
    }

    /// Keeps `value`, removing the least recently used entries to make room, and returns
    /// what it removed (for the caller to drop outside the lock); a value heavier than the
    /// whole cache is not kept.
    #[must_use = "the removed values are to be dropped after the lock is released"]
    fn insert(&mut self, key: K, value: Arc<T>, weight: usize) -> Vec<Arc<T>> {
        let mut removed = Vec::new();
        if weight > self.capacity {
            removed.push(value);
            return removed;
        }
        if let Some(old) = self.entries.remove(&key) {
            self.weight -= old.weight;
            removed.push(old.value);
        }
        while self.weight + weight > self.capacity {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, entry)| entry.used)
                .map(|(key, _)| key.clone());
            let Some(oldest) = oldest else { break };
            if let Some(entry) = self.entries.remove(&oldest) {
                self.weight -= entry.weight;
                removed.push(entry.value);
            }
        }
        self.tick += 1;
        self.weight += weight;
        let used = self.tick;
        self.entries.insert(
            key,
            Entry {
                used,
                value,
                weight,
            },
        );
        removed
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.weight = 0;
    }
}

/// Symbols of sides analysed with the default limits (other limits are not cached): a few
/// thousand files' worth, some tens of MB at most.
static SYMBOLS: LazyLock<Mutex<BlobCache<FileSymbols>>> = LazyLock::new(|| BlobCache::new(4096));

/// Highlighted sides: a reviewer moves back and forth between a few files.
static HIGHLIGHTS: LazyLock<Mutex<BlobCache<FileHighlights>>> =
    LazyLock::new(|| BlobCache::new(128));

/// Syntax trees of the sides last analysed, weighed by their source's bytes: both sides of
/// the file on screen, so highlighting it parses nothing and the agent's next version of it
/// is parsed incrementally. A tree takes ~50x its source (`benches/syntax.rs`), so 2 MiB of
/// source is ~100 MB at most.
static TREES: LazyLock<Mutex<BlobCache<SyntaxTree>>> =
    LazyLock::new(|| BlobCache::new(2 * 1024 * 1024));

/// Findings of a file, by (old blob id, new blob id, path, configuration fingerprint): a
/// refresh after the agent wrote checks only the files it changed.
static FINDINGS: LazyLock<Mutex<BlobCache<Vec<Finding>, FindingsKey>>> =
    LazyLock::new(|| BlobCache::new(8192));

/// What a file's findings depend on besides the rules: both blobs, the path (rules read it:
/// test code, manifests) and the configuration.
type FindingsKey = (String, String, String, u64);

/// Empties the in-memory caches of symbols and highlights, so the next analysis is cold (for
/// benchmarks and tests that measure one).
pub fn forget_cached_structure() {
    SYMBOLS.lock().unwrap_or_else(|e| e.into_inner()).clear();
    HIGHLIGHTS.lock().unwrap_or_else(|e| e.into_inner()).clear();
    TREES.lock().unwrap_or_else(|e| e.into_inner()).clear();
    FINDINGS.lock().unwrap_or_else(|e| e.into_inner()).clear();
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
    let limits = SyntaxLimits::default();
    let key = cache_key(Some(blob_id), language, &limits);
    if let Some(cached) = key.as_ref().and_then(cached_symbols) {
        return Ok(cached);
    }
    let symbols = syntax::symbols(language, &content, &limits)?;
    Ok(remember(key, symbols))
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
    // a side another request is highlighting (the window's file structure, which highlights
    // both sides it parses) is waited for, not highlighted twice
    let claim = loop {
        let (busy, done) = &*HIGHLIGHTING;
        let mut busy = busy.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cached) = cached(&HIGHLIGHTS, &key) {
            return Ok(cached);
        }
        if busy.insert(key.clone()) {
            break HighlightClaim { key: key.clone() };
        }
        drop(
            done.wait_while(busy, |busy| busy.contains(&key))
                .unwrap_or_else(|e| e.into_inner()),
        );
    };
    // the tree the structure of this file left, else a parse kept for the structure to come
    let highlights = match cached(&TREES, &key) {
        Some(tree) => syntax::highlight_tree(language, &tree, &content)?,
        None => match syntax::parse_tree(language, &content, &SyntaxLimits::default())? {
            Ok(tree) => {
                let highlights = syntax::highlight_tree(language, &tree, &content)?;
                remember_tree(Some(key.clone()), Some(tree), content.len());
                highlights
            }
            Err(not_parsed) => FileHighlights {
                spans: Vec::new(),
                not_parsed: Some(not_parsed),
            },
        },
    };
    let highlights = Arc::new(highlights);
    store(&HIGHLIGHTS, key, Arc::clone(&highlights), 1);
    drop(claim);
    Ok(highlights)
}

/// Sides being highlighted, and the signal that one is done.
static HIGHLIGHTING: LazyLock<(Mutex<HashSet<BlobKey>>, Condvar)> =
    LazyLock::new(|| (Mutex::new(HashSet::new()), Condvar::new()));

/// The right to highlight one side: taken by one thread at a time; whoever else asks waits
/// until it is released (on success, error or panic) and then reads the cache.
struct HighlightClaim {
    key: BlobKey,
}

impl Drop for HighlightClaim {
    fn drop(&mut self) {
        let (busy, done) = &*HIGHLIGHTING;
        busy.lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.key);
        done.notify_all();
    }
}

/// Claims `key` for highlighting, unless it is highlighted already or being highlighted.
fn claim_highlight(key: &BlobKey) -> Option<HighlightClaim> {
    let mut busy = HIGHLIGHTING.0.lock().unwrap_or_else(|e| e.into_inner());
    if cached(&HIGHLIGHTS, key).is_some() || !busy.insert(key.clone()) {
        return None;
    }
    Some(HighlightClaim { key: key.clone() })
}

/// Highlights a side from its tree and caches the spans; on an error nothing is cached, and
/// the window's own request reports it.
fn highlight_claimed(language: &Language, claim: HighlightClaim, tree: &SyntaxTree, bytes: &[u8]) {
    if let Ok(highlights) = syntax::highlight_tree(language, tree, bytes) {
        store(&HIGHLIGHTS, claim.key.clone(), Arc::new(highlights), 1);
    }
    drop(claim);
}

impl From<StructureError> for ErrorReport {
    fn from(error: StructureError) -> Self {
        (&error).into()
    }
}

/// The symbols of one side's `content` (cached by `blob_id` when it has one), for placing
/// notes: an unknown language has none.
pub(super) fn content_symbols(
    repo: &Repository,
    attributes: &Attributes,
    path_hint: &str,
    blob_id: Option<&str>,
    content: &[u8],
) -> Result<Arc<FileSymbols>, SyntaxError> {
    let attribute = attributes.language(repo, path_hint);
    let Some(language) = syntax::detect(path_hint, attribute.as_deref(), content) else {
        return Ok(Arc::new(FileSymbols::empty()));
    };
    let limits = SyntaxLimits::default();
    let key = cache_key(blob_id, language, &limits);
    if let Some(cached) = key.as_ref().and_then(cached_symbols) {
        return Ok(cached);
    }
    let symbols = syntax::symbols(language, content, &limits)?;
    Ok(remember(key, symbols))
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

    fn git(dir: &Path, args: &[&str]) {
        // Without the user's or the system's git configuration.
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("HOME", dir)
            .env_remove("XDG_CONFIG_HOME")
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    /// Versions of each fixture pair: as written, the new side broken in the middle (an
    /// unclosed brace), and the new side cut short.
    fn versions(old: &[u8], new: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
        let middle = new.len() / 2;
        let at = new[middle..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(new.len(), |p| middle + p + 1);
        let broken = [&new[..at], b"{ ( [\n".as_slice(), &new[at..]].concat();
        vec![
            (old.to_vec(), new.to_vec()),
            (old.to_vec(), broken),
            (new.to_vec(), new[..at].to_vec()),
        ]
    }

    /// The new side, parsed from the old side's tree with the diff's edits, has what a full
    /// parse of it has, for every fixture language, whole, broken and cut; and the edits of
    /// these diffs are the kind the incremental path takes.
    #[test]
    fn the_new_side_parsed_from_the_old_tree_equals_a_full_parse() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax");
        let mut compared = 0;
        for entry in std::fs::read_dir(&fixtures).unwrap() {
            let dir = entry.unwrap().path();
            let mut names: Vec<String> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort_by_key(|n| !n.to_lowercase().starts_with("old"));
            let (old, new) = (
                std::fs::read(dir.join(&names[0])).unwrap(),
                std::fs::read(dir.join(&names[1])).unwrap(),
            );
            let file = names[1].clone();
            let language = syntax::detect(&file, None, &new).unwrap();
            for (old, new) in versions(&old, &new) {
                let scratch = tempfile::tempdir().unwrap();
                let root = scratch.path();
                git(root, &["init", "-q"]);
                std::fs::write(root.join(&file), &old).unwrap();
                git(root, &["add", "-A"]);
                git(root, &["commit", "-qm", "old"]);
                std::fs::write(root.join(&file), &new).unwrap();
                let (repo, _) = repo::open(root).unwrap();
                let resolved = repo::resolve(&repo, &Target::Worktree).unwrap();
                let diff = repo::load_file_diff(&repo, &resolved, &file, None)
                    .unwrap()
                    .unwrap();
                let edits: Vec<LineEdit> = diff.hunks.iter().flat_map(Hunk::line_edits).collect();
                assert!(
                    syntax::input_edits(&old, &new, &edits).is_some(),
                    "{file}: the diff's edits account for every difference"
                );
                let limits = SyntaxLimits::default();
                // limits other than the default bypass the cache: both sides are parsed here
                let uncached = SyntaxLimits {
                    max_bytes: limits.max_bytes - 1,
                    ..limits
                };
                let parsed = both_sides(
                    language,
                    &diff,
                    &SideContent::Bytes(old.clone()),
                    &SideContent::Bytes(new.clone()),
                    &uncached,
                    KeepTrees::No,
                    false,
                )
                .unwrap();
                let (old_symbols, new_symbols) = (parsed.old, parsed.new);
                assert_eq!(
                    *old_symbols,
                    syntax::symbols(language, &old, &limits).unwrap()
                );
                assert_eq!(
                    *new_symbols,
                    syntax::symbols(language, &new, &limits).unwrap(),
                    "{file}: {} bytes became {}",
                    old.len(),
                    new.len()
                );
                compared += 1;
            }
        }
        assert_eq!(compared, 30, "ten languages, three versions each");
    }

    /// The window's path: the file's structure leaves both sides' trees, highlighting then
    /// parses nothing and gives what a fresh parse gives, and the agent's next version is
    /// parsed from the old side's kept tree with the symbols of a full parse.
    #[test]
    fn kept_trees_highlight_and_parse_the_next_version_as_a_full_parse_would() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax/rust");
        let old = std::fs::read(fixtures.join("old.rs")).unwrap();
        let new = std::fs::read(fixtures.join("new.rs")).unwrap();
        let scratch = tempfile::tempdir().unwrap();
        let root = scratch.path();
        git(root, &["init", "-q"]);
        std::fs::write(root.join("lib.rs"), &old).unwrap();
        git(root, &["add", "-A"]);
        git(root, &["commit", "-qm", "old"]);
        std::fs::write(root.join("lib.rs"), &new).unwrap();
        let rust = Language::of(LanguageId::Rust);
        let limits = SyntaxLimits::default();

        let first = file_structure(root, &Target::Worktree, "lib.rs", None).unwrap();
        let diff = super::super::file_diff(root, &Target::Worktree, "lib.rs", None).unwrap();
        for (id, bytes) in [(&diff.old_id, &old), (&diff.new_id, &new)] {
            let key = (id.clone().unwrap(), LanguageId::Rust);
            assert!(
                cached(&TREES, &key).is_some(),
                "the structure kept the tree"
            );
            let shown = highlight(root, &key.0, "lib.rs").unwrap();
            assert_eq!(*shown, syntax::highlight(rust, bytes, &limits).unwrap());
        }
        assert_eq!(
            first.new.symbols as usize,
            syntax::symbols(rust, &new, &limits).unwrap().symbols.len()
        );

        // the agent writes again: a function renamed and one appended
        let next = [
            String::from_utf8(new.clone())
                .unwrap()
                .replacen("fn ", "fn renamed_", 1),
            "\nfn appended() -> u32 {\n    7\n}\n".to_owned(),
        ]
        .concat()
        .into_bytes();
        std::fs::write(root.join("lib.rs"), &next).unwrap();
        let again = file_structure(root, &Target::Worktree, "lib.rs", None).unwrap();
        let diff = super::super::file_diff(root, &Target::Worktree, "lib.rs", None).unwrap();
        let key = (diff.new_id.clone().unwrap(), LanguageId::Rust);
        let kept = cached_symbols(&key).unwrap();
        assert_eq!(*kept, syntax::symbols(rust, &next, &limits).unwrap());
        assert_eq!(again.new.symbols as usize, kept.symbols.len());
        let shown = highlight(root, &key.0, "lib.rs").unwrap();
        assert_eq!(*shown, syntax::highlight(rust, &next, &limits).unwrap());
    }

    #[test]
    fn the_tree_cache_keeps_the_recently_used_within_its_weight() {
        let cache = BlobCache::<u32>::new(100);
        let mut cache = cache.lock().unwrap();
        let key = |name: &str| (name.to_owned(), LanguageId::Rust);
        let _removed = cache.insert(key("a"), Arc::new(1), 40);
        let _removed = cache.insert(key("b"), Arc::new(2), 40);
        assert_eq!(cache.get(&key("a")).as_deref(), Some(&1));
        // c needs room: b, used least recently, goes
        let removed = cache.insert(key("c"), Arc::new(3), 40);
        assert_eq!(removed, vec![Arc::new(2)]);
        assert!(cache.get(&key("b")).is_none());
        assert_eq!(cache.weight, 80);
        // heavier than the whole cache: not kept, nothing dropped
        let removed = cache.insert(key("d"), Arc::new(4), 101);
        assert_eq!(removed, vec![Arc::new(4)]);
        assert!(cache.get(&key("d")).is_none());
        assert_eq!(cache.entries.len(), 2);
        // the same key again replaces, not adds
        let removed = cache.insert(key("a"), Arc::new(5), 10);
        assert_eq!(removed, vec![Arc::new(1)]);
        assert_eq!(
            (cache.weight, cache.get(&key("a")).as_deref()),
            (50, Some(&5))
        );
    }
}
