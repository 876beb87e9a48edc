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

use super::hunk::{DiffLine, LineKind};

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

/// Sets `emphasis` on the paired removed/added lines of one hunk.
pub fn emphasize(lines: &mut [DiffLine]) {
    let pairs = modified_pairs(lines);
    if pairs.is_empty() {
        return;
    }
    // One interner for the whole hunk: it keeps its allocations between pairs.
    let ranges: Vec<_> = {
        let mut input = InternedInput::default();
        pairs
            .iter()
            .map(|&(old, new)| changed_ranges(&mut input, &lines[old].text, &lines[new].text))
            .collect()
    };
    for ((old, new), ranges) in pairs.into_iter().zip(ranges) {
        if let Some((old_ranges, new_ranges)) = ranges {
            lines[old].emphasis = old_ranges;
            lines[new].emphasis = new_ranges;
        }
    }
}

/// Index pairs (removed, added) of the modified lines of a hunk.
fn modified_pairs(lines: &[DiffLine]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].kind != LineKind::Removed {
            i += 1;
            continue;
        }
        let removed_start = i;
        while i < lines.len() && lines[i].kind == LineKind::Removed {
            i += 1;
        }
        let added_start = i;
        while i < lines.len() && lines[i].kind == LineKind::Added {
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
    input.clear();
    input.update_before(old_tokens.iter().copied());
    input.update_after(new_tokens.iter().copied());
    let mut diff = Diff::compute(Algorithm::Histogram, input);
    diff.postprocess_no_heuristic(input);
    let changed = diff.count_removals() + diff.count_additions();
    let total = old_tokens.len() + new_tokens.len();
    if changed == 0 || f64::from(changed) > MAX_CHANGED_SHARE * total as f64 {
        return None;
    }
    let old_ranges: Vec<_> = diff.hunks().map(|h| h.before).collect();
    let new_ranges: Vec<_> = diff.hunks().map(|h| h.after).collect();
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

    fn line(kind: LineKind, text: &str) -> DiffLine {
        DiffLine {
            kind,
            old_line: None,
            new_line: None,
            text: text.into(),
            no_newline: false,
            lossy: false,
            emphasis: Vec::new(),
        }
    }

    fn emphasised(line: &DiffLine) -> Vec<String> {
        let units: Vec<u16> = line.text.encode_utf16().collect();
        line.emphasis
            .iter()
            .map(|r| String::from_utf16_lossy(&units[r.start as usize..r.end as usize]))
            .collect()
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
        let mut lines = vec![
            line(LineKind::Context, "fn f() {"),
            line(LineKind::Removed, "    call(alpha, 1);"),
            line(LineKind::Added, "    call(beta, 1);"),
        ];
        emphasize(&mut lines);
        assert!(lines[0].emphasis.is_empty());
        assert_eq!(emphasised(&lines[1]), ["alpha"]);
        assert_eq!(emphasised(&lines[2]), ["beta"]);
    }

    #[test]
    fn pairs_lines_by_position_and_leaves_extra_lines_alone() {
        let mut lines = vec![
            line(LineKind::Removed, "a = 1"),
            line(LineKind::Removed, "b = 2"),
            line(LineKind::Added, "a = 10"),
            line(LineKind::Added, "b = 20"),
            line(LineKind::Added, "c = 30"),
        ];
        emphasize(&mut lines);
        assert_eq!(emphasised(&lines[0]), ["1"]);
        assert_eq!(emphasised(&lines[2]), ["10"]);
        assert_eq!(emphasised(&lines[1]), ["2"]);
        assert_eq!(emphasised(&lines[3]), ["20"]);
        assert!(lines[4].emphasis.is_empty());
    }

    #[test]
    fn rewrites_and_pure_additions_get_no_emphasis() {
        let mut lines = vec![
            line(LineKind::Removed, "completely different words here"),
            line(LineKind::Added, "nothing in common at all, really"),
            line(LineKind::Context, ""),
            line(LineKind::Added, "only added"),
        ];
        emphasize(&mut lines);
        assert!(lines.iter().all(|l| l.emphasis.is_empty()));
    }

    #[test]
    fn ranges_count_utf16_units() {
        let mut lines = vec![
            line(LineKind::Removed, "say(\"héllo 👋\", x)"),
            line(LineKind::Added, "say(\"héllo 👋\", y)"),
        ];
        emphasize(&mut lines);
        // `say("héllo 👋", ` is 16 UTF-16 units: the emoji takes two.
        assert_eq!(lines[0].emphasis, [TextRange { start: 16, end: 17 }]);
        assert_eq!(emphasised(&lines[1]), ["y"]);
    }

    #[test]
    fn overlong_lines_are_left_alone() {
        let long = "x".repeat(MAX_EMPHASIS_LINE_CHARS + 1);
        let mut lines = vec![
            line(LineKind::Removed, &format!("{long} a")),
            line(LineKind::Added, &format!("{long} b")),
        ];
        emphasize(&mut lines);
        assert!(lines.iter().all(|l| l.emphasis.is_empty()));
    }
}
