//! How the symbols of a file changed between its sides, and across files for a whole review.
//!
//! Symbols are paired by path. An unpaired old symbol and an unpaired new one with the same
//! body (by hash, ignoring whitespace, and not trivially small) are one symbol that moved or
//! was renamed rather than one removed and one added.

use std::collections::HashMap;

use serde::Serialize;
use specta::Type;

use super::symbols::{FileSymbols, LineSpan, Symbol, SymbolKind};

/// Bodies with fewer non-whitespace bytes than this (`{}`, `pass`, `return x;`) are too common
/// to say two symbols are the same one.
const MIN_MOVE_WEIGHT: u32 = 16;

/// How one symbol changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    Added,
    Removed,
    /// Same signature, different body.
    Modified,
    /// Different signature (the body may have changed too).
    SignatureChanged,
    /// Same name and body under another parent or in another file.
    Moved,
    /// Same body under another name.
    Renamed,
}

/// One symbol's change. Paths and lines are per side; `old_file` is set when the symbol
/// came from another file of the review (a move across files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SymbolChange {
    pub change: ChangeKind,
    pub kind: SymbolKind,
    pub old_path: Option<String>,
    pub new_path: Option<String>,
    pub old_lines: Option<LineSpan>,
    pub new_lines: Option<LineSpan>,
    pub old_file: Option<String>,
    /// Body hash of the side that exists alone, to pair moves across files.
    #[serde(skip)]
    body: Option<(u64, u32)>,
}

#[cfg(test)]
impl SymbolChange {
    /// A change with only its kind and paths, for other modules' tests.
    pub(crate) fn for_test(
        change: ChangeKind,
        kind: SymbolKind,
        old_path: Option<&str>,
        new_path: Option<&str>,
    ) -> Self {
        SymbolChange {
            change,
            kind,
            old_path: old_path.map(str::to_owned),
            new_path: new_path.map(str::to_owned),
            old_lines: None,
            new_lines: None,
            old_file: None,
            body: None,
        }
    }
}

/// How many symbols changed in each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChangeCounts {
    pub added: u32,
    pub removed: u32,
    pub modified: u32,
    pub signature_changed: u32,
    pub moved: u32,
    pub renamed: u32,
}

impl ChangeCounts {
    /// Counts `changes`.
    pub fn of<'a>(changes: impl IntoIterator<Item = &'a SymbolChange>) -> Self {
        let mut counts = ChangeCounts::default();
        for change in changes {
            *match change.change {
                ChangeKind::Added => &mut counts.added,
                ChangeKind::Removed => &mut counts.removed,
                ChangeKind::Modified => &mut counts.modified,
                ChangeKind::SignatureChanged => &mut counts.signature_changed,
                ChangeKind::Moved => &mut counts.moved,
                ChangeKind::Renamed => &mut counts.renamed,
            } += 1;
        }
        counts
    }

    /// Adds `other` to these counts.
    pub fn add(&mut self, other: ChangeCounts) {
        self.added += other.added;
        self.removed += other.removed;
        self.modified += other.modified;
        self.signature_changed += other.signature_changed;
        self.moved += other.moved;
        self.renamed += other.renamed;
    }
}

/// The changes between the symbols of a file's old and new side, in new-side order (removed
/// symbols last, in old-side order).
pub fn compare(old: &FileSymbols, new: &FileSymbols) -> Vec<SymbolChange> {
    let old_by_path: HashMap<&str, &Symbol> =
        old.symbols.iter().map(|s| (s.path.as_str(), s)).collect();
    let new_paths: HashMap<&str, &Symbol> =
        new.symbols.iter().map(|s| (s.path.as_str(), s)).collect();
    let mut changes = Vec::new();
    for n in &new.symbols {
        match old_by_path.get(n.path.as_str()) {
            Some(o) if o.signature_hash != n.signature_hash => {
                changes.push(paired(ChangeKind::SignatureChanged, o, n))
            }
            Some(o) if o.body_hash != n.body_hash => {
                changes.push(paired(ChangeKind::Modified, o, n))
            }
            Some(_) => {}
            None => changes.push(SymbolChange {
                change: ChangeKind::Added,
                kind: n.kind,
                old_path: None,
                new_path: Some(n.path.clone()),
                old_lines: None,
                new_lines: Some(n.lines),
                old_file: None,
                body: Some((n.body_hash, n.body_weight)),
            }),
        }
    }
    for o in old
        .symbols
        .iter()
        .filter(|o| !new_paths.contains_key(o.path.as_str()))
    {
        changes.push(SymbolChange {
            change: ChangeKind::Removed,
            kind: o.kind,
            old_path: Some(o.path.clone()),
            new_path: None,
            old_lines: Some(o.lines),
            new_lines: None,
            old_file: None,
            body: Some((o.body_hash, o.body_weight)),
        });
    }
    let files = vec![None; changes.len()];
    let consumed = pair_moves(&mut changes, &files);
    drop_consumed(changes, &consumed)
}

fn paired(change: ChangeKind, old: &Symbol, new: &Symbol) -> SymbolChange {
    SymbolChange {
        change,
        kind: new.kind,
        old_path: Some(old.path.clone()),
        new_path: Some(new.path.clone()),
        old_lines: Some(old.lines),
        new_lines: Some(new.lines),
        old_file: None,
        body: None,
    }
}

/// Within one list of changes, folds each removed symbol whose body equals an added one's
/// into a move or rename of the added one; returns which entries were folded (to drop).
/// `files[i]` names the file of change `i` when the list spans files.
fn pair_moves(changes: &mut [SymbolChange], files: &[Option<&str>]) -> Vec<bool> {
    let mut consumed = vec![false; changes.len()];
    let mut removed_by_body: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, c) in changes.iter().enumerate() {
        if let (ChangeKind::Removed, Some((hash, weight))) = (c.change, c.body) {
            if weight >= MIN_MOVE_WEIGHT {
                removed_by_body.entry(hash).or_default().push(i);
            }
        }
    }
    if removed_by_body.is_empty() {
        return consumed;
    }
    for i in 0..changes.len() {
        let (ChangeKind::Added, Some((hash, weight))) = (changes[i].change, changes[i].body) else {
            continue;
        };
        if weight < MIN_MOVE_WEIGHT {
            continue;
        }
        let Some(candidates) = removed_by_body.get_mut(&hash) else {
            continue;
        };
        // the same kind of symbol first, then any
        let position = candidates
            .iter()
            .position(|&r| changes[r].kind == changes[i].kind)
            .or((!candidates.is_empty()).then_some(0));
        let Some(r) = position.map(|p| candidates.remove(p)) else {
            continue;
        };
        consumed[r] = true;
        let (old_path, old_lines) = (changes[r].old_path.clone(), changes[r].old_lines);
        let old_file = files.get(r).copied().flatten();
        let new_file = files.get(i).copied().flatten();
        let added = &mut changes[i];
        added.change =
            if old_path.as_deref().map(last_name) == added.new_path.as_deref().map(last_name) {
                ChangeKind::Moved
            } else {
                ChangeKind::Renamed
            };
        added.old_path = old_path;
        added.old_lines = old_lines;
        added.old_file = old_file
            .filter(|&old| Some(old) != new_file)
            .map(str::to_owned);
        added.body = None;
    }
    consumed
}

fn drop_consumed(changes: Vec<SymbolChange>, consumed: &[bool]) -> Vec<SymbolChange> {
    changes
        .into_iter()
        .zip(consumed)
        .filter_map(|(change, &gone)| (!gone).then_some(change))
        .collect()
}

/// The last segment of a path, without its kind word: `impl A › fn parse` → `parse`.
fn last_name(path: &str) -> &str {
    let last = path.rsplit(" › ").next().unwrap_or(path);
    let last = last.split(" #").next().unwrap_or(last);
    last.split_once(' ').map_or(last, |(_, name)| name)
}

/// Pairs symbols removed in one file with symbols added in another (a function moved to a new
/// module). `files` holds each file's path and its [`compare`] result; changes that pair
/// become moves or renames in the file they moved to, with `old_file` set.
pub fn link_moves(files: &mut [(String, Vec<SymbolChange>)]) {
    let mut owners: Vec<usize> = Vec::new();
    let mut all: Vec<SymbolChange> = Vec::new();
    for (f, (_, changes)) in files.iter_mut().enumerate() {
        owners.extend(std::iter::repeat_n(f, changes.len()));
        all.append(changes);
    }
    let paths: Vec<Option<&str>> = owners.iter().map(|&f| Some(files[f].0.as_str())).collect();
    let consumed = pair_moves(&mut all, &paths);
    drop(paths);
    for ((change, gone), owner) in all.into_iter().zip(consumed).zip(owners) {
        if !gone {
            files[owner].1.push(change);
        }
    }
}
