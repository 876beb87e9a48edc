//! Where a note is, and where it goes when the agent rewrites the code.
//!
//! A [`NoteAnchor`] records more than a line number: the hunk the note was written in (by its
//! content id), the enclosing symbol, the anchored lines themselves and three lines of context
//! on each side. [`place`] finds the same code in the files as they are now, best evidence
//! first:
//!
//! 1. **Same hunk**: the hunk still exists (same content id, same path) and holds the same
//!    lines at the same offset: the note keeps its place in it, wherever the hunk moved.
//! 2. **Same lines**: the anchored lines, exactly, anywhere in the files given (its own file
//!    first, then the others: a function moved to another file). Several matches (the line
//!    duplicated elsewhere) are told apart by how much context around each agrees, the
//!    enclosing symbol, the file and the distance from where the note was.
//! 3. **Same code, other layout**: the lines equal once whitespace is ignored, across line
//!    breaks (a reformat that joined or split lines), matched on whole lines only.
//! 4. **Changed code, same place**: the lines were edited, but the context or the enclosing
//!    symbol is still there and the code is similar (tokens): the note follows and says the
//!    code under it changed.
//! 5. Else **outdated**: the note keeps the snippet it was written on.
//!
//! Short, common lines (`}`, a blank line, `return;`) are weak evidence: they are accepted
//! only where context or the symbol agrees, so a note on a closing brace does not jump to
//! another one.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::diff::HunkId;

/// Lines of context kept above and below the anchored lines.
pub const CONTEXT_LINES: usize = 3;
/// The most lines one note may cover.
pub const MAX_ANCHOR_LINES: u32 = 500;

/// Which side of the diff a note is on: the code before (removed lines) or after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum AnchorSide {
    Old,
    New,
}

/// Where a note was written, with what it takes to find the same code again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NoteAnchor {
    /// The file's path on `side`.
    pub path: String,
    pub side: AnchorSide,
    /// First and last line of the note, 1-based, inclusive.
    pub start_line: u32,
    pub end_line: u32,
    /// The hunk holding `start_line`, if the note was on a hunk.
    pub hunk_id: Option<HunkId>,
    /// `start_line` minus the hunk's first line on `side`.
    pub hunk_offset: Option<u32>,
    /// The innermost symbol holding the lines: `impl Cart › fn total`.
    pub symbol: Option<String>,
    /// The anchored lines as written on: the snippet an outdated note still shows.
    pub lines: Vec<String>,
    /// Up to three lines above and below.
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// FNV-1a of `before`, `lines` and `after`: equal when the code and its context are.
    pub context_hash: String,
}

/// One file of one side as it is now, to place notes in.
#[derive(Debug, Clone)]
pub struct SideFile<'a> {
    pub path: &'a str,
    /// The file's lines without terminators.
    pub lines: Vec<&'a str>,
    /// The hunks of the current review on this side.
    pub hunks: Vec<HunkSpan>,
    /// The file's symbols on this side (empty when it is not parsed).
    pub symbols: Vec<SymbolSpan>,
}

/// A hunk's lines on one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HunkSpan {
    pub id: HunkId,
    /// First line, 1-based; for an empty side, the line before the hunk.
    pub start: u32,
    /// Lines on this side (0 for a pure insertion on the old side).
    pub lines: u32,
}

/// A symbol's lines on one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolSpan {
    /// `impl Cart › fn total`.
    pub path: String,
    pub start: u32,
    pub end: u32,
}

/// Where a note is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(
    tag = "state",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Placement {
    /// The lines the note was written on, found here (maybe moved, maybe in another file).
    Current {
        path: String,
        start_line: u32,
        end_line: u32,
    },
    /// The code the note was on was edited; the note follows it here by its context and
    /// symbol. The reviewer should check the note still applies.
    Changed {
        path: String,
        start_line: u32,
        end_line: u32,
    },
    /// The code is gone or could not be found; the note shows the snippet it was written on.
    Outdated,
}

/// Why a note could not be anchored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorError {
    #[error("{path} has no line {line} on the {side} side (it has {lines} lines)")]
    NoSuchLine {
        path: String,
        line: u32,
        lines: u32,
        side: &'static str,
    },
    #[error("invalid line range {start}-{end}: the first line comes after the last")]
    BackwardRange { start: u32, end: u32 },
    #[error("a note covers at most {MAX_ANCHOR_LINES} lines; {start}-{end} is {count}")]
    TooManyLines { start: u32, end: u32, count: u32 },
}

/// Anchors a note on lines `start..=end` of `file` (on `side`).
pub fn capture(
    file: &SideFile<'_>,
    side: AnchorSide,
    start: u32,
    end: u32,
) -> Result<NoteAnchor, AnchorError> {
    let count = file.lines.len() as u32;
    if start > end {
        return Err(AnchorError::BackwardRange { start, end });
    }
    for line in [start, end] {
        if line == 0 || line > count {
            return Err(AnchorError::NoSuchLine {
                path: file.path.to_owned(),
                line,
                lines: count,
                side: match side {
                    AnchorSide::Old => "old",
                    AnchorSide::New => "new",
                },
            });
        }
    }
    if end - start + 1 > MAX_ANCHOR_LINES {
        return Err(AnchorError::TooManyLines {
            start,
            end,
            count: end - start + 1,
        });
    }
    let (first, last) = (start as usize - 1, end as usize);
    let owned = |lines: &[&str]| lines.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    let lines = owned(&file.lines[first..last]);
    let before = owned(&file.lines[first.saturating_sub(CONTEXT_LINES)..first]);
    let after = owned(&file.lines[last..(last + CONTEXT_LINES).min(file.lines.len())]);
    let hunk = file
        .hunks
        .iter()
        .find(|h| h.lines > 0 && h.start <= start && start < h.start + h.lines);
    Ok(NoteAnchor {
        path: file.path.to_owned(),
        side,
        start_line: start,
        end_line: end,
        hunk_id: hunk.map(|h| h.id.clone()),
        hunk_offset: hunk.map(|h| start - h.start),
        symbol: innermost_symbol(&file.symbols, start, end).map(|s| s.path.clone()),
        context_hash: context_hash(&before, &lines, &after),
        lines,
        before,
        after,
    })
}

/// FNV-1a (64 bit) of the context and the lines, as 16 hex digits.
pub fn context_hash(before: &[String], lines: &[String], after: &[String]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (part, text) in [(0u8, before), (1, lines), (2, after)] {
        for line in text {
            for b in [part].iter().chain(line.as_bytes()).chain(b"\n") {
                hash ^= u64::from(*b);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    format!("{hash:016x}")
}

/// Places one note in `files` (see the module doc). For many notes, [`place_all`] indexes the
/// files once.
pub fn place(anchor: &NoteAnchor, files: &[SideFile<'_>]) -> Placement {
    Placer::new(files).place(anchor)
}

/// Places every note in `files`, which must all be of the notes' side.
pub fn place_all(anchors: &[NoteAnchor], files: &[SideFile<'_>]) -> Vec<Placement> {
    let placer = Placer::new(files);
    anchors.iter().map(|a| placer.place(a)).collect()
}

/// The files indexed for placing notes in.
pub struct Placer<'f, 'a> {
    files: &'f [SideFile<'a>],
    /// Exact line text → (file, 0-based line) where it occurs.
    by_line: HashMap<&'a str, Vec<(usize, usize)>>,
    /// Per file, its text without whitespace, and where each line starts in it.
    squeezed: Vec<Squeezed>,
    /// Per file, each line's word hashes, computed when a note first needs them.
    tokens: Vec<std::cell::OnceCell<Vec<Vec<u64>>>>,
}

struct Squeezed {
    text: String,
    /// Byte offset in `text` where each line starts; one more entry for the end.
    starts: Vec<usize>,
}

/// What placing one anchor needs over and over, worked out once.
struct Facts<'n> {
    anchor: &'n NoteAnchor,
    /// Whether each context line (above, then below) is too common to count as evidence.
    before_weak: Vec<bool>,
    after_weak: Vec<bool>,
    /// The last segment of the anchor's symbol path (`fn total` of `impl Cart › fn total`).
    symbol_name: Option<&'n str>,
}

impl<'n> Facts<'n> {
    fn of(anchor: &'n NoteAnchor) -> Self {
        let weak = |lines: &[String]| {
            lines
                .iter()
                .map(|l| is_weak(std::slice::from_ref(l)))
                .collect()
        };
        Facts {
            anchor,
            before_weak: weak(&anchor.before),
            after_weak: weak(&anchor.after),
            symbol_name: anchor.symbol.as_deref().map(last_segment),
        }
    }
}

/// How well a candidate place agrees with the anchor, beyond the lines themselves.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Evidence {
    /// Context lines (non-trivial ones) that agree.
    context: u32,
    /// The enclosing symbol's path is the anchor's (2), or its last segment is (1).
    symbol: u32,
    same_file: bool,
}

impl Evidence {
    fn score(&self) -> u32 {
        self.context * 10 + self.symbol * 12 + u32::from(self.same_file) * 5
    }

    /// Enough to trust a weak (short, common) line, or a similar but edited one.
    fn supports(&self) -> bool {
        self.context >= 2 || self.symbol >= 2 || (self.context >= 1 && self.symbol >= 1)
    }
}

impl<'f, 'a> Placer<'f, 'a> {
    pub fn new(files: &'f [SideFile<'a>]) -> Self {
        let mut by_line: HashMap<&'a str, Vec<(usize, usize)>> = HashMap::new();
        let mut squeezed = Vec::with_capacity(files.len());
        for (f, file) in files.iter().enumerate() {
            let mut text = String::new();
            let mut starts = Vec::with_capacity(file.lines.len() + 1);
            for (i, line) in file.lines.iter().enumerate() {
                by_line.entry(*line).or_default().push((f, i));
                starts.push(text.len());
                text.extend(line.chars().filter(|c| !c.is_whitespace()));
            }
            starts.push(text.len());
            squeezed.push(Squeezed { text, starts });
        }
        Placer {
            files,
            by_line,
            squeezed,
            tokens: files.iter().map(|_| std::cell::OnceCell::new()).collect(),
        }
    }

    /// Places one note (see the module doc).
    pub fn place(&self, anchor: &NoteAnchor) -> Placement {
        if anchor.lines.is_empty() {
            return Placement::Outdated;
        }
        if let Some(found) = self.in_same_hunk(anchor) {
            return found;
        }
        let facts = Facts::of(anchor);
        if let Some(found) = self.same_lines(&facts) {
            return found;
        }
        if let Some(found) = self.same_code(&facts) {
            return found;
        }
        self.similar_code(&facts).unwrap_or(Placement::Outdated)
    }

    fn in_same_hunk(&self, anchor: &NoteAnchor) -> Option<Placement> {
        let (id, offset) = (anchor.hunk_id.as_ref()?, anchor.hunk_offset?);
        let (f, file) = self
            .files
            .iter()
            .enumerate()
            .find(|(_, file)| file.path == anchor.path)?;
        let hunk = file.hunks.iter().find(|h| &h.id == id)?;
        let start = (hunk.start + offset) as usize;
        self.lines_equal(f, start.checked_sub(1)?, &anchor.lines)
            .then(|| current(file, start, anchor.lines.len()))
    }

    fn lines_equal(&self, f: usize, first: usize, lines: &[String]) -> bool {
        let file = &self.files[f].lines;
        first + lines.len() <= file.len() && lines.iter().zip(&file[first..]).all(|(a, b)| a == b)
    }

    fn same_lines(&self, facts: &Facts<'_>) -> Option<Placement> {
        let anchor = facts.anchor;
        // Look the snippet up by its rarest line: fewer places to check.
        let (key, places) = anchor
            .lines
            .iter()
            .enumerate()
            .map(|(k, line)| (k, self.by_line.get(line.as_str())))
            .min_by_key(|(_, places)| places.map_or(0, Vec::len))?;
        let places = places?;
        let found: Vec<(usize, usize, usize)> = places
            .iter()
            .filter_map(|&(f, i)| Some((f, i.checked_sub(key)?)))
            .filter(|&(f, first)| self.lines_equal(f, first, &anchor.lines))
            .map(|(f, first)| (f, first, first + anchor.lines.len()))
            .collect();
        let weak = is_weak(&anchor.lines);
        let best = match found.as_slice() {
            // The usual case: the code is in one place only; nothing to weigh.
            [(f, first, end)] if !weak => (*f, *first, *end),
            _ => found
                .into_iter()
                .filter_map(|(f, first, end)| {
                    let evidence = self.evidence(facts, f, first, end, false);
                    (!weak || evidence.supports()).then_some((f, first, end, evidence))
                })
                .max_by(|a, b| self.rank(anchor, a).cmp(&self.rank(anchor, b)))
                .map(|(f, first, end, _)| (f, first, end))?,
        };
        Some(current(&self.files[best.0], best.1 + 1, best.2 - best.1))
    }

    fn same_code(&self, facts: &Facts<'_>) -> Option<Placement> {
        let anchor = facts.anchor;
        let wanted: String = anchor
            .lines
            .iter()
            .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
            .collect();
        if wanted.is_empty() {
            return None;
        }
        let weak = wanted.len() < WEAK_CHARS;
        let mut found = Vec::new();
        for (f, squeezed) in self.squeezed.iter().enumerate() {
            for (offset, _) in squeezed.text.match_indices(wanted.as_str()) {
                // Whole lines only: `total+=1` must not match inside `total+=10`.
                let Ok(first) = squeezed.starts.binary_search(&offset) else {
                    continue;
                };
                let Ok(end) = squeezed.starts.binary_search(&(offset + wanted.len())) else {
                    continue;
                };
                // Empty lines share their start with the next line: begin at the first line
                // with text and end after the last, leaving blank lines at either end out.
                let first = last_of_equal(&squeezed.starts, first);
                let end = first_of_equal(&squeezed.starts, end).max(first + 1);
                found.push((f, first, end));
            }
        }
        let best = found
            .into_iter()
            .filter_map(|(f, first, end)| {
                let evidence = self.evidence(facts, f, first, end, true);
                (!weak || evidence.supports()).then_some((f, first, end, evidence))
            })
            .max_by(|a, b| self.rank(anchor, a).cmp(&self.rank(anchor, b)))?;
        Some(current(&self.files[best.0], best.1 + 1, best.2 - best.1))
    }

    fn similar_code(&self, facts: &Facts<'_>) -> Option<Placement> {
        let anchor = facts.anchor;
        let mut wanted = word_hashes(anchor.lines.iter().map(String::as_str));
        if wanted.is_empty() {
            return None;
        }
        wanted.sort_unstable();
        let n = anchor.lines.len();
        let mut starts: Vec<(usize, usize)> = Vec::new();
        // Where the anchor's context lines are now, each tells where the lines would start. A
        // line repeated all over a file (`Ok(())`) tells nothing and would only cost time.
        let context = anchor
            .before
            .iter()
            .zip(&facts.before_weak)
            .enumerate()
            .map(|(k, line)| (line, -((anchor.before.len() - k) as i64)))
            .chain(
                anchor
                    .after
                    .iter()
                    .zip(&facts.after_weak)
                    .enumerate()
                    .map(|(k, line)| (line, (k + n) as i64)),
            );
        for ((line, weak), offset) in context {
            if *weak {
                continue;
            }
            let Some(places) = self.by_line.get(line.as_str()) else {
                continue;
            };
            for run in places.chunk_by(|a, b| a.0 == b.0) {
                if run.len() > MAX_CONTEXT_REPEATS {
                    continue;
                }
                for &(f, i) in run {
                    if let Ok(start) = usize::try_from(i as i64 - offset) {
                        starts.push((f, start));
                    }
                }
            }
        }
        for (f, file) in self.files.iter().enumerate() {
            // Inside the symbol the note was in.
            if let Some(symbol) = &anchor.symbol {
                for span in file.symbols.iter().filter(|s| &s.path == symbol) {
                    for line in span.start..=span.end.min(span.start + 2_000) {
                        starts.push((f, line.saturating_sub(1) as usize));
                    }
                }
            }
            // Near where it was.
            if file.path == anchor.path {
                let at = anchor.start_line.saturating_sub(1) as usize;
                for line in at.saturating_sub(20)..at + 20 {
                    starts.push((f, line));
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        let mut best: Option<(f64, usize, usize)> = None;
        let mut window = Vec::new();
        for (f, first) in starts {
            let file = &self.files[f];
            if first >= file.lines.len() {
                continue;
            }
            let end = (first + n).min(file.lines.len());
            let lines = self.line_tokens(f);
            window.clear();
            for line in &lines[first..end] {
                window.extend_from_slice(line);
            }
            window.sort_unstable();
            let similarity = dice_sorted(&wanted, &window);
            if similarity < MIN_SIMILARITY {
                continue;
            }
            let evidence = self.evidence(facts, f, first, end, true);
            if !evidence.supports() {
                continue;
            }
            let score = similarity * 100.0 + f64::from(evidence.score());
            if best.is_none_or(|(s, ..)| score > s) {
                best = Some((score, f, first));
            }
        }
        let (_, f, first) = best?;
        let file = &self.files[f];
        let end = (first + n).min(file.lines.len());
        Some(Placement::Changed {
            path: file.path.to_owned(),
            start_line: first as u32 + 1,
            end_line: end as u32,
        })
    }

    /// Each line's word hashes for file `f`, computed once.
    fn line_tokens(&self, f: usize) -> &[Vec<u64>] {
        self.tokens[f].get_or_init(|| {
            self.files[f]
                .lines
                .iter()
                .map(|line| word_hashes(std::iter::once(*line)))
                .collect()
        })
    }

    /// Orders candidates: more evidence first, then the note's own file, then the nearest.
    fn rank(
        &self,
        anchor: &NoteAnchor,
        (f, first, _, evidence): &(usize, usize, usize, Evidence),
    ) -> (u32, u32, std::cmp::Reverse<u32>) {
        let same_file = self.files[*f].path == anchor.path;
        let distance = (*first as i64 + 1 - i64::from(anchor.start_line)).unsigned_abs() as u32;
        (
            evidence.score(),
            u32::from(same_file),
            std::cmp::Reverse(if same_file { distance } else { u32::MAX }),
        )
    }

    /// How well the place `first..end` (0-based, exclusive) of file `f` agrees with the
    /// anchor's context and symbol. `loose` compares context ignoring whitespace.
    fn evidence(
        &self,
        facts: &Facts<'_>,
        f: usize,
        first: usize,
        end: usize,
        loose: bool,
    ) -> Evidence {
        let anchor = facts.anchor;
        let file = &self.files[f];
        let squeezed = &self.squeezed[f];
        let agrees = |(want, weak): (&String, &bool), have: Option<usize>| {
            let Some(i) = have.filter(|i| *i < file.lines.len()) else {
                return false;
            };
            if *weak {
                return false;
            }
            if loose {
                let have = &squeezed.text[squeezed.starts[i]..squeezed.starts[i + 1]];
                want.chars().filter(|c| !c.is_whitespace()).eq(have.chars())
            } else {
                want == file.lines[i]
            }
        };
        let mut context = 0;
        for (k, want) in anchor
            .before
            .iter()
            .zip(&facts.before_weak)
            .rev()
            .enumerate()
        {
            context += u32::from(agrees(want, first.checked_sub(k + 1)));
        }
        for (k, want) in anchor.after.iter().zip(&facts.after_weak).enumerate() {
            context += u32::from(agrees(want, Some(end + k)));
        }
        let symbol = match (
            &anchor.symbol,
            innermost_symbol(&file.symbols, first as u32 + 1, end.max(first + 1) as u32),
        ) {
            (Some(want), Some(have)) if want == &have.path => 2,
            (Some(_), Some(have)) if facts.symbol_name == Some(last_segment(&have.path)) => 1,
            _ => 0,
        };
        Evidence {
            context,
            symbol,
            same_file: file.path == anchor.path,
        }
    }
}

/// Below this many non-whitespace characters, lines are too common to place a note alone.
const WEAK_CHARS: usize = 8;
/// Edited code must share at least this much (Dice over words) to carry a note.
const MIN_SIMILARITY: f64 = 0.5;
/// A context line found more often than this in a file says nothing about where a note goes.
const MAX_CONTEXT_REPEATS: usize = 3;

fn is_weak(lines: &[String]) -> bool {
    lines
        .iter()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).count())
        .sum::<usize>()
        < WEAK_CHARS
}

fn last_of_equal(starts: &[usize], mut index: usize) -> usize {
    while index + 2 < starts.len() && starts[index + 1] == starts[index] {
        index += 1;
    }
    index
}

fn first_of_equal(starts: &[usize], mut index: usize) -> usize {
    while index > 0 && starts[index - 1] == starts[index] {
        index -= 1;
    }
    index
}

fn current(file: &SideFile<'_>, start: usize, count: usize) -> Placement {
    Placement::Current {
        path: file.path.to_owned(),
        start_line: start as u32,
        end_line: (start + count.max(1) - 1) as u32,
    }
}

fn last_segment(path: &str) -> &str {
    // A char search: this runs for every candidate place.
    match path.rfind('›') {
        Some(i) => path[i + '›'.len_utf8()..].trim_start(),
        None => path,
    }
}

/// The smallest symbol whose lines hold `start..=end`.
fn innermost_symbol(symbols: &[SymbolSpan], start: u32, end: u32) -> Option<&SymbolSpan> {
    symbols
        .iter()
        .filter(|s| s.start <= start && end <= s.end)
        .min_by_key(|s| s.end - s.start)
}

/// Words (identifier and number runs) and single punctuation characters.
fn tokens<'t>(lines: impl Iterator<Item = &'t str>) -> Vec<&'t str> {
    let mut out = Vec::new();
    for line in lines {
        let mut word: Option<usize> = None;
        for (i, c) in line.char_indices() {
            let wordy = c.is_alphanumeric() || c == '_';
            match (wordy, word) {
                (true, None) => word = Some(i),
                (true, Some(_)) => {}
                (false, start) => {
                    if let Some(s) = start {
                        out.push(&line[s..i]);
                        word = None;
                    }
                    if !c.is_whitespace() {
                        out.push(&line[i..i + c.len_utf8()]);
                    }
                }
            }
        }
        if let Some(s) = word {
            out.push(&line[s..]);
        }
    }
    out
}

/// FNV-1a hashes of the words of [`tokens`] (punctuation left out: `::`, `=>` and `(` are in
/// every other line of code and would make unrelated lines look alike), compared by number.
fn word_hashes<'t>(lines: impl Iterator<Item = &'t str>) -> Vec<u64> {
    tokens(lines)
        .into_iter()
        .filter(|t| {
            t.chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .map(|token| {
            token.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, b| {
                (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            })
        })
        .collect()
}

/// Dice's coefficient of two sorted multisets: 1 for equal, 0 for nothing shared.
fn dice_sorted(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0u32);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * f64::from(shared) / (a.len() + b.len()) as f64
}

/// Dice's coefficient of two token multisets: 1 for equal, 0 for nothing shared.
#[cfg(test)]
fn dice(a: &[&str], b: &[&str]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let mut counts: HashMap<&str, i32> = HashMap::new();
    for t in a {
        *counts.entry(t).or_default() += 1;
    }
    let mut shared = 0;
    for t in b {
        if let Some(c) = counts.get_mut(t) {
            if *c > 0 {
                *c -= 1;
                shared += 1;
            }
        }
    }
    2.0 * f64::from(shared) / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_words_and_punctuation() {
        assert_eq!(
            tokens(["let total = a+b;"].into_iter()),
            ["let", "total", "=", "a", "+", "b", ";"]
        );
    }

    #[test]
    fn dice_is_one_for_equal_and_zero_for_disjoint() {
        assert_eq!(dice(&["a", "b"], &["b", "a"]), 1.0);
        assert_eq!(dice(&["a"], &["b"]), 0.0);
        assert!((dice(&["a", "b", "c"], &["a", "b", "d"]) - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn dice_on_sorted_hashes_equals_dice_on_words() {
        let pairs = [
            ("let total = a + b;", "let total = a + b + tax;"),
            ("fn total(x: u32) -> u32 {", "fn sum(x: u32) -> u32 {"),
            ("a a b", "a b b"),
        ];
        let words = |line| {
            tokens([line].into_iter())
                .into_iter()
                .filter(|t: &&str| t.chars().all(|c| c.is_alphanumeric() || c == '_'))
                .collect::<Vec<_>>()
        };
        for (a, b) in pairs {
            let (ta, tb) = (words(a), words(b));
            let (mut ha, mut hb) = (word_hashes([a].into_iter()), word_hashes([b].into_iter()));
            ha.sort_unstable();
            hb.sort_unstable();
            assert!(
                (dice(&ta, &tb) - dice_sorted(&ha, &hb)).abs() < 1e-12,
                "{a} / {b}"
            );
        }
    }

    #[test]
    fn capture_refuses_lines_outside_the_file() {
        let file = SideFile {
            path: "a.rs",
            lines: vec!["one", "two"],
            hunks: vec![],
            symbols: vec![],
        };
        assert_eq!(
            capture(&file, AnchorSide::New, 3, 3),
            Err(AnchorError::NoSuchLine {
                path: "a.rs".into(),
                line: 3,
                lines: 2,
                side: "new"
            })
        );
        assert_eq!(
            capture(&file, AnchorSide::New, 2, 1),
            Err(AnchorError::BackwardRange { start: 2, end: 1 })
        );
    }
}
