//! Unit-test helpers: a changed file from two texts, checked by every rule. The integration
//! tests (`tests/findings_rules.rs`) do the same through real git repositories.

use crate::diff::{FileStatus, Hunk, HunkBuilder, LineKind};
use crate::findings::{check_file, Config, FileInput, Finding, SideInput};
use crate::syntax::{self, FileSymbols, SyntaxLimits};

/// One hunk of the whole file from a line-level LCS diff of `old` and `new` (tests use
/// small texts).
fn hunk(path: &str, old: &str, new: &str) -> Hunk {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut builder = HunkBuilder::new("@@ @@".into(), 1, a.len() as u32, 1, b.len() as u32);
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            builder.push(
                LineKind::Context,
                Some(i as u32 + 1),
                Some(j as u32 + 1),
                a[i],
                false,
                false,
            );
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            builder.push(
                LineKind::Added,
                None,
                Some(j as u32 + 1),
                b[j],
                false,
                false,
            );
            j += 1;
        } else {
            builder.push(
                LineKind::Removed,
                Some(i as u32 + 1),
                None,
                a[i],
                false,
                false,
            );
            i += 1;
        }
    }
    builder.finish(path)
}

/// Checks `path` changed from `old` (`None`: added) to `new` (`None`: deleted).
pub fn check_change(
    path: &str,
    old: Option<&str>,
    new: Option<&str>,
    config: &Config,
) -> Vec<Finding> {
    let language = syntax::detect(path, None, new.or(old).unwrap_or("").as_bytes());
    let limits = SyntaxLimits::default();
    let parse = |text: Option<&str>| {
        text.and_then(|text| language.map(|l| syntax::parse_side(l, text.as_bytes(), &limits)))
            .transpose()
            .expect("parses")
    };
    let (old_parsed, new_parsed) = (parse(old), parse(new));
    let empty = FileSymbols::empty();
    let old_text = old.map(str::to_owned);
    let new_text = new.map(str::to_owned);
    let hunks = vec![hunk(path, old.unwrap_or(""), new.unwrap_or(""))];
    let companions = Vec::new();
    let input = FileInput {
        path,
        status: match (old, new) {
            (None, _) => FileStatus::Added,
            (_, None) => FileStatus::Deleted,
            _ => FileStatus::Modified,
        },
        language,
        old: old_text.as_deref().map(|text| SideInput {
            path,
            bytes: text.as_bytes(),
            tree: old_parsed.as_ref().and_then(|p| p.tree.as_ref()),
            symbols: old_parsed.as_ref().map_or(&empty, |p| &p.symbols),
        }),
        new: new_text.as_deref().map(|text| SideInput {
            path,
            bytes: text.as_bytes(),
            tree: new_parsed.as_ref().and_then(|p| p.tree.as_ref()),
            symbols: new_parsed.as_ref().map_or(&empty, |p| &p.symbols),
        }),
        hunks: &hunks,
        companions: &companions,
    };
    check_file(&input, config)
}

/// The (rule, line) pairs of `new` added to `old` at `path`.
pub fn found(path: &str, old: &str, new: &str) -> Vec<(String, u32)> {
    check_change(path, Some(old), Some(new), &Config::default())
        .into_iter()
        .map(|f| (f.rule, f.line))
        .collect()
}

/// The (rule, line) pairs of an added file.
pub fn found_added(path: &str, new: &str) -> Vec<(String, u32)> {
    check_change(path, None, Some(new), &Config::default())
        .into_iter()
        .map(|f| (f.rule, f.line))
        .collect()
}

/// `found_added`, only `rule`'s lines.
pub fn lines_of(rule: &str, path: &str, new: &str) -> Vec<u32> {
    found_added(path, new)
        .into_iter()
        .filter(|(r, _)| r == rule)
        .map(|(_, line)| line)
        .collect()
}
