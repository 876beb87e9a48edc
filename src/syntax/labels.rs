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

/// Labels every hunk, each side by where the hunk changes it: the lines it removes (old
/// side) or adds (new side), plus the lines around each point where the other side inserts
/// (a method added between two others lands in their `impl`). Blank lines do not count: a
/// separator line added with a function is not outside it. When no one symbol holds the
/// whole change (a hunk spanning two functions), the label is the symbol holding its first
/// changed line, as git's hunk header names the function a hunk starts in.
pub fn label_hunks(hunks: &[Hunk], old: &FileSymbols, new: &FileSymbols) -> Vec<HunkLabel> {
    hunks
        .iter()
        .map(|hunk| {
            let (old_side, new_side) = changed_sides(hunk);
            HunkLabel {
                hunk: hunk.id.clone(),
                old: old_side.label(old),
                new: new_side.label(new),
            }
        })
        .collect()
}

/// Where a hunk changes one side.
#[derive(Default)]
struct SideChange {
    /// The side's own changed lines.
    changed: Option<LineSpan>,
    /// The side's lines around points where the other side has lines this one lacks.
    around: Option<LineSpan>,
}

impl SideChange {
    fn label(&self, symbols: &FileSymbols) -> Option<String> {
        let whole = match (self.changed, self.around) {
            (Some(a), Some(b)) => LineSpan {
                start: a.start.min(b.start),
                end: a.end.max(b.end),
            },
            (Some(span), None) | (None, Some(span)) => span,
            (None, None) => return None,
        };
        symbols
            .enclosing(whole)
            .or_else(|| {
                // the first changed line, or the first line after an earlier insertion
                let first = match self.around {
                    Some(around) => self.changed?.start.min(around.start + 1),
                    None => self.changed?.start,
                };
                symbols.enclosing(LineSpan {
                    start: first,
                    end: first,
                })
            })
            .map(|s| s.path.clone())
    }
}

fn widen(span: &mut Option<LineSpan>, line: u32) {
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
}

/// The old and new side's changes. An insertion point is bounded by the last line before it
/// and the first after it on that side; at the start or end of the hunk the missing bound is
/// the line beyond, which no symbol contains unless one spans the whole hunk.
fn changed_sides(hunk: &Hunk) -> (SideChange, SideChange) {
    let (mut old, mut new) = (SideChange::default(), SideChange::default());
    // the next line number on each side, and whether the other side has an open insertion
    let (mut next_old, mut next_new) = (hunk.old_start, hunk.new_start);
    let (mut old_gap, mut new_gap) = (false, false);
    for line in hunk.lines() {
        let blank = line.text.trim().is_empty();
        match line.kind {
            LineKind::Removed => {
                if !blank {
                    widen(&mut old.changed, next_old);
                    new_gap = true;
                }
                next_old += 1;
            }
            LineKind::Added => {
                if !blank {
                    widen(&mut new.changed, next_new);
                    old_gap = true;
                }
                next_new += 1;
            }
            LineKind::Context => {
                next_old += 1;
                next_new += 1;
            }
        }
        // a gap closed by the side's own changed lines is a replacement: those lines already
        // say where the change is
        match line.kind {
            LineKind::Context => {
                if old_gap {
                    close_gap(&mut old.around, next_old, true);
                }
                if new_gap {
                    close_gap(&mut new.around, next_new, true);
                }
                (old_gap, new_gap) = (false, false);
            }
            LineKind::Removed if !blank => old_gap = false,
            LineKind::Added if !blank => new_gap = false,
            _ => {}
        }
    }
    if old_gap {
        close_gap(&mut old.around, next_old, false);
    }
    if new_gap {
        close_gap(&mut new.around, next_new, false);
    }
    (old, new)
}

/// Records an insertion point: it ends before line `next` of the side, or before `next - 1`
/// when that line (the one closing the gap) was already counted.
fn close_gap(around: &mut Option<LineSpan>, next: u32, closing_line_consumed: bool) {
    let after = if closing_line_consumed {
        next - 1
    } else {
        next
    };
    // the line before the insertion is the one before `after`; line 0 (before the file)
    // belongs to no symbol
    widen(around, after.saturating_sub(1));
    widen(around, after);
}
