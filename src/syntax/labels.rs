//! Which symbol each hunk touches, on each side: what a reviewer reads before the lines
//! (`impl Parser › fn parse_expr`).

use serde::Serialize;
use specta::Type;

use super::symbols::{FileSymbols, LineSpan};
use crate::diff::{Hunk, HunkId, LineKind};

/// A hunk's enclosing symbol paths; `None` where the change is outside any symbol (imports,
/// top-level statements) or the side does not exist or was not parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HunkLabel {
    pub hunk: HunkId,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Labels every hunk: the old side by the lines it removes, the new side by the lines it adds.
/// A side without changed lines (a pure insertion seen from the old side) is labelled by the
/// hunk's whole range on that side, context included, which is where the insertion lands.
pub fn label_hunks(hunks: &[Hunk], old: &FileSymbols, new: &FileSymbols) -> Vec<HunkLabel> {
    hunks
        .iter()
        .map(|hunk| {
            let (removed, added) = changed_spans(hunk);
            let old_span = removed.or_else(|| whole(hunk.old_start, hunk.old_lines));
            let new_span = added.or_else(|| whole(hunk.new_start, hunk.new_lines));
            HunkLabel {
                hunk: hunk.id.clone(),
                old: old_span
                    .and_then(|s| old.enclosing(s))
                    .map(|s| s.path.clone()),
                new: new_span
                    .and_then(|s| new.enclosing(s))
                    .map(|s| s.path.clone()),
            }
        })
        .collect()
}

fn whole(start: u32, lines: u32) -> Option<LineSpan> {
    (lines > 0).then(|| LineSpan {
        start,
        end: start + lines - 1,
    })
}

/// The spans of removed (old side) and added (new side) lines.
fn changed_spans(hunk: &Hunk) -> (Option<LineSpan>, Option<LineSpan>) {
    let mut removed: Option<LineSpan> = None;
    let mut added: Option<LineSpan> = None;
    let widen = |span: &mut Option<LineSpan>, line: u32| {
        *span = Some(match *span {
            Some(s) => LineSpan {
                start: s.start.min(line),
                end: s.end.max(line),
            },
            None => LineSpan {
                start: line,
                end: line,
            },
        });
    };
    for line in hunk.lines() {
        match (line.kind, line.old_line, line.new_line) {
            (LineKind::Removed, Some(n), _) => widen(&mut removed, n),
            (LineKind::Added, _, Some(n)) => widen(&mut added, n),
            _ => {}
        }
    }
    (removed, added)
}
