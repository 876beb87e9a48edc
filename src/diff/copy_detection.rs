//! Finds the file an added file was copied from, by content, like `git diff -C`.
//!
//! libgit2 can detect copies, but compares every added file with every candidate through
//! similarity signatures, which on a large agent change costs more than the whole diff
//! (measured: a quarter of the review time on the benchmark). Here each candidate's lines are
//! hashed once into an inverted index, and an added file's score against all candidates comes
//! from one pass over its own lines.
//!
//! The score is git's: bytes of the new file found in the source, over the larger of the two
//! sizes, in percent; a copy needs 50% (git's default `-C` threshold).

/// git's default minimum similarity for `-C`.
pub const COPY_THRESHOLD_PERCENT: u32 = 50;

/// A file's lines, hashed: what copy detection compares. Computing it is the costly part
/// (reading and hashing the file), so callers may do it on several threads.
///
/// Sorted vectors rather than hash maps: a large change has hundreds of thousands of distinct
/// lines, and maps of small vectors cost several times the data (measured: they alone raised
/// the review's peak memory by a third).
#[derive(Debug, Clone, Default)]
pub struct LineFingerprint {
    size: u64,
    /// (line hash, occurrences, length in bytes), sorted by hash, one entry per distinct line
    lines: Vec<(u64, u32, u32)>,
}

impl LineFingerprint {
    pub fn of(content: &[u8]) -> Self {
        let mut hashes: Vec<(u64, u32)> = content
            .split_inclusive(|&b| b == b'\n')
            .map(|line| (fnv1a(line), u32::try_from(line.len()).unwrap_or(u32::MAX)))
            .collect();
        hashes.sort_unstable();
        let mut lines: Vec<(u64, u32, u32)> = Vec::with_capacity(hashes.len());
        for (hash, len) in hashes {
            match lines.last_mut() {
                Some(last) if last.0 == hash => last.1 += 1,
                _ => lines.push((hash, 1, len)),
            }
        }
        lines.shrink_to_fit();
        LineFingerprint {
            size: content.len() as u64,
            lines,
        }
    }
}

/// Candidate sources, indexed by their lines.
#[derive(Debug, Default)]
pub struct CopySources {
    /// (line hash, source, occurrences in that source), sorted by hash
    postings: Vec<(u64, u32, u32)>,
    sizes: Vec<u64>,
}

impl CopySources {
    /// Indexes the sources, in order; their position is what [`Self::best_source`] returns.
    pub fn new(sources: impl IntoIterator<Item = LineFingerprint>) -> Self {
        let mut index = CopySources::default();
        for (source, fingerprint) in sources.into_iter().enumerate() {
            let source = u32::try_from(source).unwrap_or(u32::MAX);
            index.sizes.push(fingerprint.size);
            index.postings.extend(
                fingerprint
                    .lines
                    .iter()
                    .map(|&(hash, count, _)| (hash, source, count)),
            );
        }
        index.postings.sort_unstable();
        index
    }

    /// The source `content` was most likely copied from and its similarity in percent, if
    /// any reaches `threshold` percent. Ties go to the earlier source.
    pub fn best_source(&self, content: &LineFingerprint, threshold: u32) -> Option<(usize, u32)> {
        if self.sizes.is_empty() || content.size == 0 {
            return None;
        }
        let mut shared = vec![0u64; self.sizes.len()];
        for &(hash, count, len) in &content.lines {
            let first = self.postings.partition_point(|p| p.0 < hash);
            for &(_, source, source_count) in
                self.postings[first..].iter().take_while(|p| p.0 == hash)
            {
                shared[source as usize] += u64::from(count.min(source_count)) * u64::from(len);
            }
        }
        let size = content.size;
        shared
            .iter()
            .enumerate()
            .map(|(source, &bytes)| {
                let larger = size.max(self.sizes[source]).max(1);
                (source, u32::try_from(bytes * 100 / larger).unwrap_or(100))
            })
            .filter(|&(_, score)| score >= threshold)
            .fold(None, |best: Option<(usize, u32)>, candidate| match best {
                Some(b) if b.1 >= candidate.1 => Some(b),
                _ => Some(candidate),
            })
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_source_of_an_edited_copy_with_gits_score() {
        let a = "fn a() {}\n".repeat(10) + "fn unique_a() {}\n";
        let b: String = (0..20)
            .map(|i| format!("const B{i}: u8 = {i};\n"))
            .collect();
        let sources = CopySources::new([a.as_bytes(), b.as_bytes()].map(LineFingerprint::of));
        let copy = b.replace("B0: u8 = 0", "B0: u8 = 9");
        let (source, score) = sources
            .best_source(&LineFingerprint::of(copy.as_bytes()), 50)
            .unwrap();
        assert_eq!(source, 1);
        // 19 of 20 lines shared; the changed line is one byte longer
        let expected =
            (b.len() as u64 - "const B0: u8 = 0;\n".len() as u64) * 100 / copy.len() as u64;
        assert_eq!(u64::from(score), expected);
    }

    #[test]
    fn nothing_below_the_threshold_or_from_empty_input() {
        let of = LineFingerprint::of;
        let sources = CopySources::new([of(b"one\ntwo\nthree\nfour\n")]);
        assert_eq!(
            sources.best_source(&of(b"one\nalpha\nbeta\ngamma\n"), 50),
            None
        );
        assert_eq!(sources.best_source(&of(b""), 50), None);
        assert_eq!(CopySources::new([]).best_source(&of(b"x\n"), 50), None);
    }

    #[test]
    fn repeated_lines_count_only_as_often_as_the_source_has_them() {
        let sources = CopySources::new([LineFingerprint::of(b"}\n")]);
        // ten closing braces share one with the source: 2 of 20 bytes
        let braces = LineFingerprint::of("}\n".repeat(10).as_bytes());
        assert_eq!(sources.best_source(&braces, 1), Some((0, 10)));
    }
}
