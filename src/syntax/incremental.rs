//! How the old side became the new one, in the terms tree-sitter's incremental parsing takes.
//!
//! The diff already knows which lines changed; told of them, tree-sitter reparses the new side
//! reusing every subtree of the old side's tree that the edits do not touch, so a file an agent
//! changed in a few places costs a fraction of a second parse. The edits are checked against
//! the bytes first: text outside them must be the same on both sides, or the tree would be
//! reused for text it was not parsed from. Anything that does not check out (a diff of
//! filtered content, a file whose hunks were not loaded) gets `None` and a full parse.

use tree_sitter::{InputEdit, Point};

use crate::diff::LineEdit;

/// The edits that turn `old` into `new`, in the order [`tree_sitter::Tree::edit`] takes them
/// (each in the coordinates left by the ones before); `None` unless `edits` (in order, from
/// the diff of exactly these bytes) account for every difference.
pub fn input_edits(old: &[u8], new: &[u8], edits: &[LineEdit]) -> Option<Vec<InputEdit>> {
    let old_lines = line_starts(old);
    let new_lines = line_starts(new);
    let mut input = Vec::with_capacity(edits.len());
    let (mut old_done, mut new_done) = (0usize, 0usize);
    for edit in edits {
        let old_from = line_offset(old, &old_lines, edit.old_start)?;
        let old_to = line_offset(old, &old_lines, edit.old_start.checked_add(edit.old_lines)?)?;
        let new_from = line_offset(new, &new_lines, edit.new_start)?;
        let new_to = line_offset(new, &new_lines, edit.new_start.checked_add(edit.new_lines)?)?;
        // the text since the previous edit is the same on both sides
        if old_from < old_done
            || new_from < new_done
            || old[old_done..old_from] != new[new_done..new_from]
        {
            return None;
        }
        // positions so far are the new side's: earlier edits are applied
        let start_position = point_at(&new_lines, new_from);
        input.push(InputEdit {
            start_byte: new_from,
            old_end_byte: new_from + (old_to - old_from),
            new_end_byte: new_to,
            start_position,
            old_end_position: advance(start_position, &old[old_from..old_to]),
            new_end_position: advance(start_position, &new[new_from..new_to]),
        });
        (old_done, new_done) = (old_to, new_to);
    }
    (old[old_done..] == new[new_done..]).then_some(input)
}

/// Byte offsets at which lines start (after a final newline: the text's length).
pub(crate) fn line_starts(text: &[u8]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(text.len() / 32 + 2);
    starts.push(0);
    starts.extend(
        text.iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .map(|(at, _)| at + 1),
    );
    starts
}

/// Where 1-based `line` of `text` starts; one past the last line is the end of the text.
fn line_offset(text: &[u8], starts: &[usize], line: u32) -> Option<usize> {
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    match starts.get(index) {
        Some(&start) => Some(start),
        // past a last line that has no newline
        None if index == starts.len() && !text.ends_with(b"\n") => Some(text.len()),
        None => None,
    }
}

/// The row and byte column of `offset`.
fn point_at(starts: &[usize], offset: usize) -> Point {
    let row = starts
        .partition_point(|&start| start <= offset)
        .saturating_sub(1);
    let row_start = starts.get(row).copied().unwrap_or(0);
    Point::new(row, offset.saturating_sub(row_start))
}

/// The point after `text` when it starts at `from`.
fn advance(from: Point, text: &[u8]) -> Point {
    match text.iter().rposition(|&b| b == b'\n') {
        Some(last) => Point::new(
            from.row + text.iter().filter(|&&b| b == b'\n').count(),
            text.len() - last - 1,
        ),
        None => Point::new(from.row, from.column + text.len()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn edit(old_start: u32, old_lines: u32, new_start: u32, new_lines: u32) -> LineEdit {
        LineEdit {
            old_start,
            old_lines,
            new_start,
            new_lines,
        }
    }

    #[test]
    fn edits_become_byte_and_point_edits_in_application_order() {
        let old = b"a\nbb\nc\nd\n";
        let new = b"a\nXYZ\nQ\nc\n";
        // line 2 replaced by two lines, line 4 deleted
        let input = input_edits(old, new, &[edit(2, 1, 2, 2), edit(4, 1, 5, 0)]).unwrap();
        assert_eq!(input.len(), 2);
        assert_eq!(
            (
                input[0].start_byte,
                input[0].old_end_byte,
                input[0].new_end_byte
            ),
            (2, 5, 8)
        );
        assert_eq!(input[0].start_position, Point::new(1, 0));
        assert_eq!(input[0].old_end_position, Point::new(2, 0));
        assert_eq!(input[0].new_end_position, Point::new(3, 0));
        // the second edit is in the coordinates the first one left: "c\n" now ends at 10
        assert_eq!(
            (
                input[1].start_byte,
                input[1].old_end_byte,
                input[1].new_end_byte
            ),
            (10, 12, 10)
        );
        assert_eq!(input[1].start_position, Point::new(4, 0));
        assert_eq!(input[1].old_end_position, Point::new(5, 0));
    }

    #[test]
    fn a_last_line_without_newline_ends_mid_row() {
        let input = input_edits(b"a\nb", b"a\nbcd", &[edit(2, 1, 2, 1)]).unwrap();
        assert_eq!(input[0].old_end_position, Point::new(1, 1));
        assert_eq!(input[0].new_end_position, Point::new(1, 3));
        assert_eq!(input[0].new_end_byte, 5);
    }

    #[test]
    fn edits_that_do_not_account_for_every_difference_are_refused() {
        // the diff said line 1 changed, but line 3 differs too
        assert!(input_edits(b"a\nb\nc\n", b"X\nb\nZ\n", &[edit(1, 1, 1, 1)]).is_none());
        // no edits for different texts (a file whose hunks were not loaded)
        assert!(input_edits(b"a\n", b"b\n", &[]).is_none());
        // lines past the end
        assert!(input_edits(b"a\n", b"a\n", &[edit(9, 1, 9, 1)]).is_none());
        // identical texts need no edit
        assert_eq!(input_edits(b"a\n", b"a\n", &[]).map(|e| e.len()), Some(0));
    }
}
