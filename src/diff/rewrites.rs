//! Which added file was renamed or copied from which file: git's `diff -M -C` pairing.
//!
//! A reviewer must see the pairs `git diff -M -C` shows, so this follows git's rename
//! detection (`diffcore-rename.c`, `diffcore-delta.c`) step by step, in our own code:
//!
//! 1. Destinations are the added files; sources are the deleted files and, for copies, the
//!    modified ones (type changes included). A modified source stays where it is, so it
//!    counts as already used once.
//! 2. Exact renames: a destination takes a source with the same blob, preferring a source not
//!    used yet, then one with the same file name.
//! 3. Past the rename limit (destinations left × sources > limit²), nothing else is paired.
//! 4. Otherwise every destination left is scored against every source with git's estimate:
//!    files cut into chunks ending at a newline or after 64 bytes, hashed into git's buckets,
//!    the bytes of the destination found in the source over the larger size. Each destination
//!    keeps its four best sources; all kept candidates are sorted by score (then same file
//!    name first, then the order they were found).
//! 5. Renames first: each destination takes its best candidate whose source is a deleted file
//!    not used yet; then copies: each destination still alone takes its best candidate.
//! 6. In path order of the destinations, every use of a source but its last is a copy; the
//!    last is the rename, unless the source still exists (a modified file), when all are
//!    copies. A deleted file that was renamed or copied is no longer shown as deleted.
//!
//! With `-C` git does not use its file-name shortcut (`find_basename_matches`): copy
//! detection wants the full comparison, so neither does this module.

use std::collections::HashMap;

/// git's full similarity (100%): scores are in 1/60000ths, as git keeps them.
pub const MAX_SCORE: u32 = 60_000;

/// git's default minimum score for `-M` and `-C` (50%).
pub const DEFAULT_MIN_SCORE: u32 = 30_000;

/// git's default `diff.renameLimit`.
pub const DEFAULT_RENAME_LIMIT: u64 = 1_000;

/// git looks for a NUL in this many first bytes to call a file binary.
const BINARY_SNIFF_BYTES: usize = 8_000;

/// git's chunks end at a newline or after this many bytes.
const CHUNK_BYTES: u32 = 64;

/// The prime git reduces chunk hashes modulo (diffcore-delta.c's HASHBASE).
const HASH_BASE: u32 = 107_927;

/// Candidates each destination keeps (git's NUM_CANDIDATE_PER_DST).
const CANDIDATES_PER_DESTINATION: usize = 4;

/// Below this many comparisons, threads cost more than they save.
const MIN_PARALLEL_COMPARISONS: usize = 20_000;

/// What git's rename detection needs to know of a file's mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RewriteMode {
    /// A regular file, executable or not: the only kind compared by content.
    File,
    /// A symbolic link: paired only with an identical link.
    Symlink,
    /// A submodule: paired only with the same commit.
    Submodule,
}

/// One side of a change, as rename detection sees it.
#[derive(Debug, Clone, Copy)]
pub struct RewriteSide<'a> {
    /// The path, as git stores it (bytes, `/`-separated).
    pub path: &'a [u8],
    /// The object id (a blob, or a commit for submodules), in any fixed spelling.
    pub id: &'a str,
    /// What kind of entry it is (regular files only are compared by content).
    pub mode: RewriteMode,
    /// The object's size in bytes (0 for submodules).
    pub size: u64,
}

/// One entry of the diff, in git's path order: what was there and what is there now.
#[derive(Debug, Clone, Copy)]
pub enum RewriteChange<'a> {
    /// A new file: its new side may have been renamed or copied from a source.
    Added(RewriteSide<'a>),
    /// A removed file: its old side may have been renamed or copied.
    Deleted(RewriteSide<'a>),
    /// Both sides exist (a modification or a type change): the old side may be copied.
    Modified(RewriteSide<'a>),
}

/// What became of a change once pairs are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RewriteOutcome {
    /// Shown as it was given.
    Unchanged,
    /// A deleted file that was renamed or copied: no longer shown.
    Absorbed,
    /// An added file renamed from the change at index `source`.
    Renamed { source: usize, score: u32 },
    /// An added file copied from the change at index `source`.
    Copied { source: usize, score: u32 },
}

impl RewriteOutcome {
    /// The similarity git prints (`similarity index N%`) for a score.
    pub fn percent(score: u32) -> u32 {
        // git computes it in double precision and truncates
        (f64::from(score) * 100.0 / f64::from(MAX_SCORE)) as u32
    }
}

/// What was decided without reading any content, and what content is still needed.
#[derive(Debug)]
pub struct RewritePlan {
    /// Change index of each source, in order.
    sources: Vec<usize>,
    /// Change index of each destination, in order.
    destinations: Vec<usize>,
    /// Uses of each source so far (a modified file counts its own).
    used: Vec<u32>,
    /// Whether each source is still there (modified) rather than deleted.
    modified: Vec<bool>,
    /// The source each destination is paired with, and the score.
    paired: Vec<Option<(usize, u32)>>,
    /// Whether destinations left are compared with sources by content.
    inexact: bool,
    /// Sizes and modes by source and destination, copied out of the changes.
    source_sides: Vec<SideFacts>,
    destination_sides: Vec<SideFacts>,
    changes: usize,
    /// Destinations left × sources, when they exceeded the rename limit.
    limit_exceeded: Option<u64>,
}

#[derive(Debug, Clone)]
struct SideFacts {
    /// The file name (after the last `/`), as a number: equal names, equal numbers.
    name: u32,
    mode: RewriteMode,
    size: u64,
}

impl SideFacts {
    fn of<'a>(side: &RewriteSide<'a>, names: &mut HashMap<&'a [u8], u32>) -> Self {
        let basename = match side.path.iter().rposition(|&b| b == b'/') {
            Some(slash) => &side.path[slash + 1..],
            None => side.path,
        };
        let next = u32::try_from(names.len()).unwrap_or(u32::MAX);
        SideFacts {
            name: *names.entry(basename).or_insert(next),
            mode: side.mode,
            size: side.size,
        }
    }
}

/// Which side of which change a content request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentNeeded {
    /// The old side of the change at this index (a source).
    Old(usize),
    /// The new side of the change at this index (a destination).
    New(usize),
}

impl RewritePlan {
    /// Finds the exact renames and copies of `changes` (given in git's path order) and decides
    /// whether the rest is compared by content, given git's `diff.renameLimit` (`0`: none).
    pub fn new(changes: &[RewriteChange<'_>], rename_limit: u64) -> RewritePlan {
        let mut names = HashMap::new();
        let mut sources = Vec::new();
        let mut destinations = Vec::new();
        let mut used = Vec::new();
        let mut modified = Vec::new();
        let mut source_sides = Vec::new();
        let mut destination_sides = Vec::new();
        let mut source_ids: Vec<&str> = Vec::new();
        let mut source_paths: Vec<&[u8]> = Vec::new();
        let mut destination_ids: Vec<(&str, &[u8])> = Vec::new();
        for (index, change) in changes.iter().enumerate() {
            match change {
                RewriteChange::Added(side) => {
                    destinations.push(index);
                    destination_sides.push(SideFacts::of(side, &mut names));
                    destination_ids.push((side.id, side.path));
                }
                RewriteChange::Deleted(side) | RewriteChange::Modified(side) => {
                    sources.push(index);
                    source_sides.push(SideFacts::of(side, &mut names));
                    source_ids.push(side.id);
                    source_paths.push(side.path);
                    let stays = matches!(change, RewriteChange::Modified(_));
                    used.push(u32::from(stays));
                    modified.push(stays);
                }
            }
        }
        let mut plan = RewritePlan {
            paired: vec![None; destinations.len()],
            sources,
            destinations,
            used,
            modified,
            inexact: false,
            source_sides,
            destination_sides,
            changes: changes.len(),
            limit_exceeded: None,
        };
        if plan.sources.is_empty() || plan.destinations.is_empty() {
            return plan;
        }

        // Exact renames: sources by object id, in source order.
        let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
        for (source, id) in source_ids.iter().enumerate() {
            by_id.entry(id).or_default().push(source);
        }
        for (destination, (id, _)) in destination_ids.iter().enumerate() {
            let Some(candidates) = by_id.get(id) else {
                continue;
            };
            let target = &plan.destination_sides[destination];
            let mut best: Option<(usize, u32)> = None;
            // git gives up looking after this many identical candidates
            let mut patience = 100;
            for &source in candidates {
                let facts = &plan.source_sides[source];
                if (facts.mode != RewriteMode::File || target.mode != RewriteMode::File)
                    && facts.mode != target.mode
                {
                    continue;
                }
                let score =
                    u32::from(plan.used[source] == 0) + u32::from(facts.name == target.name);
                if best.is_none_or(|(_, best_score)| score > best_score) {
                    best = Some((source, score));
                    if score == 2 {
                        break;
                    }
                }
                patience -= 1;
                if patience == 0 {
                    break;
                }
            }
            if let Some((source, _)) = best {
                plan.record(destination, source, MAX_SCORE);
            }
        }

        let left = plan.paired.iter().filter(|p| p.is_none()).count() as u64;
        let comparisons = left.saturating_mul(plan.sources.len() as u64);
        if left == 0 {
            return plan;
        }
        if rename_limit > 0 && comparisons > rename_limit.saturating_mul(rename_limit) {
            plan.limit_exceeded = Some(comparisons);
            return plan;
        }
        plan.inexact = true;
        plan
    }

    fn record(&mut self, destination: usize, source: usize, score: u32) {
        self.used[source] += 1;
        self.paired[destination] = Some((source, score));
    }

    /// Destinations left × sources, when that exceeded the rename limit and only exact renames
    /// and copies were looked for (git warns "inexact rename detection was skipped").
    pub fn limit_exceeded(&self) -> Option<u64> {
        self.limit_exceeded
    }

    /// The sides whose content the comparison reads: those of a destination left and a source
    /// whose sizes are close enough to be similar (git skips the rest without reading them).
    pub fn content_needed(&self) -> Vec<ContentNeeded> {
        if !self.inexact {
            return Vec::new();
        }
        let mut source_needed = vec![false; self.sources.len()];
        let mut needed = Vec::new();
        for (destination, facts) in self.destination_sides.iter().enumerate() {
            if self.paired[destination].is_some() || facts.mode != RewriteMode::File {
                continue;
            }
            let mut any = false;
            for (source, source_facts) in self.source_sides.iter().enumerate() {
                if source_facts.mode == RewriteMode::File
                    && sizes_may_match(source_facts.size, facts.size)
                {
                    source_needed[source] = true;
                    any = true;
                }
            }
            if any {
                needed.push(ContentNeeded::New(self.destinations[destination]));
            }
        }
        needed.extend(
            source_needed
                .iter()
                .enumerate()
                .filter(|(_, &needed)| needed)
                .map(|(source, _)| ContentNeeded::Old(self.sources[source])),
        );
        needed
    }

    /// Compares what is left by content and returns one outcome per change. `chunks` holds
    /// the [`ChunkCounts`] of the sides [`Self::content_needed`] asked for (a side missing
    /// there is never similar).
    pub fn finish(
        mut self,
        chunks: &HashMap<ContentNeeded, ChunkCounts>,
        threads: usize,
    ) -> Vec<RewriteOutcome> {
        if self.inexact {
            self.pair_by_content(chunks, threads);
        }
        self.outcomes()
    }

    fn pair_by_content(&mut self, chunks: &HashMap<ContentNeeded, ChunkCounts>, threads: usize) {
        let left: Vec<usize> = (0..self.destinations.len())
            .filter(|&d| self.paired[d].is_none())
            .collect();
        let source_chunks: Vec<Option<&ChunkCounts>> = self
            .sources
            .iter()
            .map(|&change| chunks.get(&ContentNeeded::Old(change)))
            .collect();
        // Each destination's chunks are spread over a table of git's buckets, so scoring a
        // source is one pass over the source's chunks (measured: twice as fast as merging the
        // two sorted lists, on a 1,200-file range).
        let best_of = |destination: usize, table: &mut Vec<u32>| {
            let facts = &self.destination_sides[destination];
            let counts = chunks
                .get(&ContentNeeded::New(self.destinations[destination]))
                .filter(|_| facts.mode == RewriteMode::File);
            if let Some(new) = counts {
                for &(bucket, bytes) in &new.buckets {
                    table[bucket as usize] = bytes;
                }
            }
            let mut kept = [Candidate::EMPTY; CANDIDATES_PER_DESTINATION];
            for (source, source_facts) in self.source_sides.iter().enumerate() {
                let score = match (source_chunks[source], counts) {
                    (Some(old), Some(_))
                        if source_facts.mode == RewriteMode::File
                            && facts.size > 0
                            && sizes_may_match(source_facts.size, facts.size) =>
                    {
                        let copied: u64 = old
                            .buckets
                            .iter()
                            .map(|&(bucket, bytes)| u64::from(bytes.min(table[bucket as usize])))
                            .sum();
                        score(copied, source_facts.size, facts.size)
                    }
                    _ => 0,
                };
                keep_if_better(
                    &mut kept,
                    Candidate {
                        destination: Some(destination),
                        source,
                        score,
                        same_name: source_facts.name == facts.name,
                    },
                );
            }
            if let Some(new) = counts {
                for &(bucket, _) in &new.buckets {
                    table[bucket as usize] = 0;
                }
            }
            kept
        };
        let comparisons = left.len() * self.sources.len();
        let threads = if comparisons < MIN_PARALLEL_COMPARISONS {
            1
        } else {
            threads.clamp(1, left.len().max(1))
        };
        let chunk = left.len().div_ceil(threads).max(1);
        let work = |mine: &[usize]| {
            let mut table = vec![0u32; HASH_BASE as usize];
            mine.iter()
                .map(|&d| best_of(d, &mut table))
                .collect::<Vec<_>>()
        };
        let kept: Vec<[Candidate; CANDIDATES_PER_DESTINATION]> = if threads == 1 {
            work(&left)
        } else {
            std::thread::scope(|scope| {
                let workers: Vec<_> = left
                    .chunks(chunk)
                    .map(|mine| scope.spawn(|| work(mine)))
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|worker| {
                        // a panicking comparison is a bug: propagate it as one
                        worker
                            .join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    })
                    .collect()
            })
        };
        let mut all: Vec<Candidate> = kept.into_iter().flatten().collect();
        // git sorts with a stable sort: equal candidates keep the order they were found in
        all.sort_by(Candidate::order);

        for copies in [false, true] {
            for candidate in &all {
                let Some(destination) = candidate.destination else {
                    break;
                };
                if candidate.score < DEFAULT_MIN_SCORE {
                    break;
                }
                if self.paired[destination].is_some()
                    || (!copies && self.used[candidate.source] > 0)
                {
                    continue;
                }
                self.record(destination, candidate.source, candidate.score);
            }
        }
    }

    fn outcomes(&self) -> Vec<RewriteOutcome> {
        let mut outcomes = vec![RewriteOutcome::Unchanged; self.changes];
        for (source, &change) in self.sources.iter().enumerate() {
            if !self.modified[source] && self.used[source] > 0 {
                outcomes[change] = RewriteOutcome::Absorbed;
            }
        }
        let mut uses = self.used.clone();
        for (destination, &change) in self.destinations.iter().enumerate() {
            let Some((source, score)) = self.paired[destination] else {
                continue;
            };
            uses[source] -= 1;
            let source_change = self.sources[source];
            outcomes[change] = if uses[source] > 0 {
                RewriteOutcome::Copied {
                    source: source_change,
                    score,
                }
            } else {
                RewriteOutcome::Renamed {
                    source: source_change,
                    score,
                }
            };
        }
        outcomes
    }
}

/// git's size test before reading content: files whose sizes differ by more than half the
/// larger cannot reach 50%.
fn sizes_may_match(a: u64, b: u64) -> bool {
    let (max, min) = (a.max(b), a.min(b));
    let delta = max - min;
    // git compares in double precision
    (max as f64) * f64::from(MAX_SCORE - DEFAULT_MIN_SCORE) >= (delta as f64) * f64::from(MAX_SCORE)
}

/// git's `estimate_similarity` score from the bytes of the new file found in the old one.
fn score(copied: u64, old_size: u64, new_size: u64) -> u32 {
    let max = old_size.max(new_size);
    // git: (int)(src_copied * MAX_SCORE / max_size), MAX_SCORE being a double
    (copied as f64 * f64::from(MAX_SCORE) / max as f64) as u32
}

/// A source kept for a destination (git's `diff_score`).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// `None` for an empty slot.
    destination: Option<usize>,
    source: usize,
    score: u32,
    same_name: bool,
}

impl Candidate {
    const EMPTY: Candidate = Candidate {
        destination: None,
        source: 0,
        score: 0,
        same_name: false,
    };

    /// git's `score_compare`: empty slots last, higher scores first, then the same file name.
    fn order(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
        match (a.destination, b.destination) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => b
                .score
                .cmp(&a.score)
                .then_with(|| b.same_name.cmp(&a.same_name)),
        }
    }
}

/// git's `record_if_better`: the new candidate replaces the worst kept one (the first of the
/// worst, in slot order) if it sorts strictly before it.
fn keep_if_better(kept: &mut [Candidate; CANDIDATES_PER_DESTINATION], candidate: Candidate) {
    let mut worst = 0;
    for slot in 1..CANDIDATES_PER_DESTINATION {
        if Candidate::order(&kept[slot], &kept[worst]).is_gt() {
            worst = slot;
        }
    }
    if Candidate::order(&kept[worst], &candidate).is_gt() {
        kept[worst] = candidate;
    }
}

/// A file's content as git's similarity estimate sees it: its chunks (ending at a newline or
/// after 64 bytes), hashed into git's buckets, with the bytes each bucket holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChunkCounts {
    /// (bucket, bytes), sorted by bucket, one entry per bucket
    buckets: Vec<(u32, u32)>,
}

impl ChunkCounts {
    /// Cuts and hashes `content` as git does. In a text file (see [`is_binary`]) the CR of a
    /// CRLF is not counted, so a file converted between line endings stays similar.
    pub fn of(content: &[u8], binary: bool) -> ChunkCounts {
        let mut buckets: Vec<(u32, u32)> = Vec::with_capacity(content.len() / 24 + 1);
        let (mut accum1, mut accum2, mut bytes) = (0u32, 0u32, 0u32);
        let mut rest = content;
        while let Some((&c, after)) = rest.split_first() {
            rest = after;
            if !binary && c == b'\r' && rest.first() == Some(&b'\n') {
                continue;
            }
            let old1 = accum1;
            accum1 = (accum1 << 7) ^ (accum2 >> 25);
            accum2 = (accum2 << 7) ^ (old1 >> 25);
            accum1 = accum1.wrapping_add(u32::from(c));
            bytes += 1;
            if bytes < CHUNK_BYTES && c != b'\n' {
                continue;
            }
            buckets.push((bucket(accum1, accum2), bytes));
            (accum1, accum2, bytes) = (0, 0, 0);
        }
        if bytes > 0 {
            buckets.push((bucket(accum1, accum2), bytes));
        }
        buckets.sort_unstable_by_key(|&(hash, _)| hash);
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(buckets.len());
        for (hash, count) in buckets {
            match merged.last_mut() {
                Some(last) if last.0 == hash => last.1 = last.1.wrapping_add(count),
                _ => merged.push((hash, count)),
            }
        }
        merged.shrink_to_fit();
        ChunkCounts { buckets: merged }
    }

    /// Bytes of `new` found in `self` (git's `src_copied`): per bucket, the smaller count.
    pub fn copied_into(&self, new: &ChunkCounts) -> u64 {
        let (mut old, mut new) = (
            self.buckets.iter().peekable(),
            new.buckets.iter().peekable(),
        );
        let mut copied = 0u64;
        while let (Some(&&(a, a_count)), Some(&&(b, b_count))) = (old.peek(), new.peek()) {
            match a.cmp(&b) {
                std::cmp::Ordering::Less => {
                    old.next();
                }
                std::cmp::Ordering::Greater => {
                    new.next();
                }
                std::cmp::Ordering::Equal => {
                    copied += u64::from(a_count.min(b_count));
                    old.next();
                    new.next();
                }
            }
        }
        copied
    }
}

fn bucket(accum1: u32, accum2: u32) -> u32 {
    accum1.wrapping_add(accum2.wrapping_mul(0x61)) % HASH_BASE
}

/// git's test for a binary file when no attribute decides: a NUL in the first 8,000 bytes.
pub fn is_binary(content: &[u8]) -> bool {
    content[..content.len().min(BINARY_SNIFF_BYTES)].contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side<'a>(path: &'a str, id: &'a str, size: u64) -> RewriteSide<'a> {
        RewriteSide {
            path: path.as_bytes(),
            id,
            mode: RewriteMode::File,
            size,
        }
    }

    fn lines(range: std::ops::Range<u32>) -> String {
        range.map(|n| format!("line number {n}\n")).collect()
    }

    /// Runs the whole detection, hashing the content the plan asks for.
    fn detect(changes: &[RewriteChange<'_>], contents: &[(usize, &str)]) -> Vec<RewriteOutcome> {
        let plan = RewritePlan::new(changes, DEFAULT_RENAME_LIMIT);
        let chunks = plan
            .content_needed()
            .into_iter()
            .map(|need| {
                let (ContentNeeded::Old(change) | ContentNeeded::New(change)) = need;
                let text = contents.iter().find(|(c, _)| *c == change).unwrap().1;
                (need, ChunkCounts::of(text.as_bytes(), false))
            })
            .collect();
        plan.finish(&chunks, 1)
    }

    #[test]
    fn chunks_end_at_a_newline_or_after_64_bytes() {
        let long = "x".repeat(100) + "\n";
        let counts = ChunkCounts::of(long.as_bytes(), false);
        let mut sizes: Vec<u32> = counts.buckets.iter().map(|b| b.1).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, vec![37, 64]);
    }

    #[test]
    fn a_crlf_text_file_counts_like_its_lf_twin_but_a_binary_one_does_not() {
        let lf = b"one\ntwo\nthree\n";
        let crlf = b"one\r\ntwo\r\nthree\r\n";
        assert_eq!(
            ChunkCounts::of(crlf, false),
            ChunkCounts::of(lf, false),
            "text: the CR of CRLF is not counted"
        );
        let binary = ChunkCounts::of(crlf, true);
        assert_eq!(binary.copied_into(&ChunkCounts::of(lf, true)), 0);
        assert_eq!(binary.buckets.iter().map(|b| b.1).sum::<u32>(), 17);
    }

    #[test]
    fn a_file_is_binary_when_a_nul_is_in_its_first_8000_bytes() {
        assert!(is_binary(b"a\0b"));
        let late = [vec![b'a'; BINARY_SNIFF_BYTES], vec![0]].concat();
        assert!(!is_binary(&late));
    }

    #[test]
    fn the_percent_is_truncated_as_git_does() {
        assert_eq!(RewriteOutcome::percent(MAX_SCORE), 100);
        assert_eq!(RewriteOutcome::percent(MAX_SCORE - 1), 99);
        assert_eq!(RewriteOutcome::percent(DEFAULT_MIN_SCORE), 50);
    }

    #[test]
    fn an_exact_rename_prefers_an_unused_source_then_the_same_file_name() {
        // two deleted files and a modified one hold the same blob
        let changes = [
            RewriteChange::Deleted(side("a/one.rs", "1", 10)),
            RewriteChange::Modified(side("b/two.rs", "1", 10)),
            RewriteChange::Deleted(side("c/two.rs", "1", 10)),
            RewriteChange::Added(side("d/two.rs", "1", 10)),
            RewriteChange::Added(side("e/two.rs", "1", 10)),
        ];
        let outcomes = detect(&changes, &[]);
        assert_eq!(
            outcomes,
            vec![
                RewriteOutcome::Absorbed,
                RewriteOutcome::Unchanged,
                RewriteOutcome::Absorbed,
                // unused and the same name: c/two.rs
                RewriteOutcome::Renamed {
                    source: 2,
                    score: MAX_SCORE
                },
                // c/two.rs is used; a/one.rs is not
                RewriteOutcome::Renamed {
                    source: 0,
                    score: MAX_SCORE
                },
            ]
        );
    }

    #[test]
    fn a_deleted_source_paired_twice_is_copied_first_and_renamed_last() {
        let text = lines(0..40);
        let edited = text.replace("line number 3\n", "line number three\n");
        let changes = [
            RewriteChange::Deleted(side("old.txt", "1", text.len() as u64)),
            RewriteChange::Added(side("p.txt", "2", edited.len() as u64)),
            RewriteChange::Added(side("q.txt", "1", text.len() as u64)),
        ];
        let outcomes = detect(&changes, &[(0, &text), (1, &edited), (2, &text)]);
        assert_eq!(outcomes[0], RewriteOutcome::Absorbed);
        let RewriteOutcome::Copied { source: 0, score } = outcomes[1] else {
            panic!("p.txt: {:?}", outcomes[1]);
        };
        let copied = ChunkCounts::of(text.as_bytes(), false)
            .copied_into(&ChunkCounts::of(edited.as_bytes(), false));
        assert_eq!(
            score,
            (copied as f64 * 60_000.0 / edited.len() as f64) as u32
        );
        assert_eq!(
            outcomes[2],
            RewriteOutcome::Renamed {
                source: 0,
                score: MAX_SCORE
            }
        );
    }

    #[test]
    fn a_modified_source_is_only_copied_and_a_deleted_one_is_renamed_first() {
        let text = lines(0..40);
        let copy = text.replace("line number 7\n", "line seven\n");
        let changes = [
            RewriteChange::Modified(side("kept.txt", "1", text.len() as u64)),
            RewriteChange::Added(side("new.txt", "2", copy.len() as u64)),
        ];
        let outcomes = detect(&changes, &[(0, &text), (1, &copy)]);
        assert!(matches!(
            outcomes[..],
            [
                RewriteOutcome::Unchanged,
                RewriteOutcome::Copied { source: 0, .. }
            ]
        ));

        // a less similar deleted file still wins the rename pass
        let far = text
            .replace("line number 1\n", "LINE 1\n")
            .replace("line number 2\n", "LINE 2\n");
        let changes = [
            RewriteChange::Modified(side("kept.txt", "1", text.len() as u64)),
            RewriteChange::Deleted(side("gone.txt", "3", far.len() as u64)),
            RewriteChange::Added(side("new.txt", "2", copy.len() as u64)),
        ];
        let outcomes = detect(&changes, &[(0, &text), (1, &far), (2, &copy)]);
        assert!(matches!(
            outcomes[..],
            [
                RewriteOutcome::Unchanged,
                RewriteOutcome::Absorbed,
                RewriteOutcome::Renamed { source: 1, .. }
            ]
        ));
    }

    #[test]
    fn past_the_rename_limit_only_exact_pairs_are_found() {
        let text = lines(0..40);
        let edited = text.replace("line number 3\n", "line number three\n");
        let changes = [
            RewriteChange::Deleted(side("a.txt", "1", text.len() as u64)),
            RewriteChange::Deleted(side("b.txt", "3", text.len() as u64)),
            RewriteChange::Added(side("c.txt", "2", edited.len() as u64)),
            RewriteChange::Added(side("d.txt", "3", text.len() as u64)),
        ];
        // one destination left × two sources > 1²
        let plan = RewritePlan::new(&changes, 1);
        assert_eq!(plan.limit_exceeded(), Some(2));
        assert!(plan.content_needed().is_empty());
        assert_eq!(
            plan.finish(&HashMap::new(), 1),
            vec![
                RewriteOutcome::Unchanged,
                RewriteOutcome::Absorbed,
                RewriteOutcome::Unchanged,
                RewriteOutcome::Renamed {
                    source: 1,
                    score: MAX_SCORE
                },
            ]
        );
    }

    #[test]
    fn files_of_very_different_sizes_are_never_read() {
        let changes = [
            RewriteChange::Deleted(side("a.txt", "1", 100)),
            RewriteChange::Added(side("b.txt", "2", 201)),
        ];
        let plan = RewritePlan::new(&changes, DEFAULT_RENAME_LIMIT);
        assert!(plan.content_needed().is_empty());
        let changes = [
            RewriteChange::Deleted(side("a.txt", "1", 100)),
            RewriteChange::Added(side("b.txt", "2", 200)),
        ];
        let plan = RewritePlan::new(&changes, DEFAULT_RENAME_LIMIT);
        assert_eq!(
            plan.content_needed(),
            vec![ContentNeeded::New(1), ContentNeeded::Old(0)]
        );
    }
}
