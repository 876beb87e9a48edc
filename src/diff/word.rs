//! Intra-line emphasis: which words of a modified line changed.
//!
//! Within a hunk, a run of removed lines directly followed by a run of added lines is a
//! modification; its lines are paired by position (as GitHub does) and each pair is diffed
//! word by word. Tokens are runs of word characters, runs of whitespace, or single other
//! characters, so `foo(bar)` → `foo(baz)` emphasises `bar`/`baz`, not the parenthesis.
//!
//! imara-diff's Histogram algorithm does the token diff: it is the fastest maintained Rust
//! diff library (it is what gitoxide and helix use), needs no allocation per comparison beyond
//! its interner, and gives git-like results.

use imara_diff::{Algorithm, Diff, InternedInput};
use serde::Serialize;
use specta::Type;

use super::hunk::LineKind;

/// A range of a line's text in UTF-16 code units, so the UI can slice JavaScript strings with
/// it directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

/// Longer lines are not emphasised: minified or generated lines make word diffs slow and
/// the emphasis unreadable.
pub const MAX_EMPHASIS_LINE_CHARS: usize = 1_000;
/// Pairs whose changed tokens exceed this share of all tokens are rewrites, not edits;
/// emphasising nearly everything helps no one, so they get none.
const MAX_CHANGED_SHARE: f64 = 0.6;

/// The emphasis of one hunk's modified lines: for each line that has any, its index and the
/// changed ranges of its text, in line order.
pub fn emphasis(lines: &[(LineKind, &str)]) -> Vec<(usize, Vec<TextRange>)> {
    let pairs = modified_pairs(lines);
    let mut out = Vec::new();
    // One interner for the whole hunk: it keeps its allocations between pairs.
    let mut input = InternedInput::default();
    for (old, new) in pairs {
        if let Some((old_ranges, new_ranges)) =
            changed_ranges(&mut input, lines[old].1, lines[new].1)
        {
            out.push((old, old_ranges));
            out.push((new, new_ranges));
        }
    }
    out.sort_by_key(|(line, _)| *line);
    out
}

/// Index pairs (removed, added) of the modified lines of a hunk.
fn modified_pairs(lines: &[(LineKind, &str)]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].0 != LineKind::Removed {
            i += 1;
            continue;
        }
        let removed_start = i;
        while i < lines.len() && lines[i].0 == LineKind::Removed {
            i += 1;
        }
        let added_start = i;
        while i < lines.len() && lines[i].0 == LineKind::Added {
            i += 1;
        }
        let count = (added_start - removed_start).min(i - added_start);
        pairs.extend((0..count).map(|k| (removed_start + k, added_start + k)));
    }
    pairs
}

/// The changed ranges of both lines, or `None` when the pair should not be emphasised.
fn changed_ranges<'a>(
    input: &mut InternedInput<&'a str>,
    old: &'a str,
    new: &'a str,
) -> Option<(Vec<TextRange>, Vec<TextRange>)> {
    let too_long = |text: &str| {
        text.len() > MAX_EMPHASIS_LINE_CHARS && text.chars().count() > MAX_EMPHASIS_LINE_CHARS
    };
    if too_long(old) || too_long(new) {
        return None;
    }
    let old_tokens = tokens(old);
    let new_tokens = tokens(new);
    // Tokens shared at both ends cannot be part of the change; leaving them out of the
    // interner saves hashing most of a typically long, slightly edited line.
    let prefix = old_tokens
        .iter()
        .zip(&new_tokens)
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = old_tokens[prefix..]
        .iter()
        .rev()
        .zip(new_tokens[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let old_middle = &old_tokens[prefix..old_tokens.len() - suffix];
    let new_middle = &new_tokens[prefix..new_tokens.len() - suffix];
    input.clear();
    input.update_before(old_middle.iter().copied());
    input.update_after(new_middle.iter().copied());
    let mut diff = Diff::compute(Algorithm::Histogram, input);
    diff.postprocess_no_heuristic(input);
    let changed = diff.count_removals() + diff.count_additions();
    let total = old_tokens.len() + new_tokens.len();
    if changed == 0 || f64::from(changed) > MAX_CHANGED_SHARE * total as f64 {
        return None;
    }
    let shift = |range: std::ops::Range<u32>| {
        let by = u32::try_from(prefix).unwrap_or(u32::MAX);
        range.start + by..range.end + by
    };
    let old_ranges: Vec<_> = diff.hunks().map(|h| shift(h.before)).collect();
    let new_ranges: Vec<_> = diff.hunks().map(|h| shift(h.after)).collect();
    Some((
        ranges(&old_tokens, &old_ranges),
        ranges(&new_tokens, &new_ranges),
    ))
}

/// Splits a line into word runs, whitespace runs and single other characters.
fn tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Word,
        Space,
        Other,
    }
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut previous: Option<Class> = None;
    for (index, c) in text.char_indices() {
        let current = class(c);
        if let Some(p) = previous {
            if p != current || current == Class::Other {
                out.push(&text[start..index]);
                start = index;
            }
        }
        previous = Some(current);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Converts token ranges to UTF-16 ranges, merging adjacent ones.
fn ranges(tokens: &[&str], token_ranges: &[std::ops::Range<u32>]) -> Vec<TextRange> {
    let mut offsets = Vec::with_capacity(tokens.len() + 1);
    let mut offset = 0u32;
    offsets.push(0);
    for token in tokens {
        offset += token.encode_utf16().count() as u32;
        offsets.push(offset);
    }
    let mut out: Vec<TextRange> = Vec::new();
    for range in token_ranges.iter().filter(|r| r.start < r.end) {
        let start = offsets[range.start as usize];
        let end = offsets[range.end as usize];
        match out.last_mut() {
            Some(last) if last.end == start => last.end = end,
            _ => out.push(TextRange { start, end }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The emphasised substrings of each line.
    fn emphasised(lines: &[(LineKind, &str)]) -> Vec<Vec<String>> {
        let mut out = vec![Vec::new(); lines.len()];
        for (line, ranges) in emphasis(lines) {
            let units: Vec<u16> = lines[line].1.encode_utf16().collect();
            out[line] = ranges
                .iter()
                .map(|r| String::from_utf16_lossy(&units[r.start as usize..r.end as usize]))
                .collect();
        }
        out
    }

    #[test]
    fn tokens_split_words_spaces_and_punctuation() {
        assert_eq!(
            tokens("let x_1 = foo(bar);"),
            ["let", " ", "x_1", " ", "=", " ", "foo", "(", "bar", ")", ";"]
        );
        assert_eq!(tokens(""), Vec::<&str>::new());
    }

    #[test]
    fn a_changed_argument_is_emphasised_on_both_sides() {
        let lines = [
            (LineKind::Context, "fn f() {"),
            (LineKind::Removed, "    call(alpha, 1);"),
            (LineKind::Added, "    call(beta, 1);"),
        ];
        assert_eq!(
            emphasised(&lines),
            [vec![], vec!["alpha".to_owned()], vec!["beta".to_owned()]]
        );
    }

    #[test]
    fn pairs_lines_by_position_and_leaves_extra_lines_alone() {
        let lines = [
            (LineKind::Removed, "a = 1"),
            (LineKind::Removed, "b = 2"),
            (LineKind::Added, "a = 10"),
            (LineKind::Added, "b = 20"),
            (LineKind::Added, "c = 30"),
        ];
        assert_eq!(
            emphasised(&lines),
            [vec!["1"], vec!["2"], vec!["10"], vec!["20"], vec![]]
                .map(|v| v.into_iter().map(str::to_owned).collect::<Vec<_>>())
        );
    }

    #[test]
    fn rewrites_and_pure_additions_get_no_emphasis() {
        let lines = [
            (LineKind::Removed, "completely different words here"),
            (LineKind::Added, "nothing in common at all, really"),
            (LineKind::Context, ""),
            (LineKind::Added, "only added"),
        ];
        assert!(emphasis(&lines).is_empty());
    }

    #[test]
    fn ranges_count_utf16_units() {
        let lines = [
            (LineKind::Removed, "say(\"héllo 👋\", x)"),
            (LineKind::Added, "say(\"héllo 👋\", y)"),
        ];
        let result = emphasis(&lines);
        // `say("héllo 👋", ` is 16 UTF-16 units: the emoji takes two.
        assert_eq!(result[0], (0, vec![TextRange { start: 16, end: 17 }]));
        assert_eq!(emphasised(&lines)[1], ["y"]);
    }

    #[test]
    fn overlong_lines_are_left_alone() {
        let long = "x".repeat(MAX_EMPHASIS_LINE_CHARS + 1);
        let (old, new) = (format!("{long} a"), format!("{long} b"));
        assert!(emphasis(&[(LineKind::Removed, &old), (LineKind::Added, &new)]).is_empty());
    }
}
