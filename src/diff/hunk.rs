use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::word::{self, TextRange};

/// The role of a line inside a hunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum LineKind {
    Context,
    Added,
    Removed,
}

impl LineKind {
    /// The prefix character of a unified diff.
    pub fn sign(self) -> char {
        match self {
            LineKind::Context => ' ',
            LineKind::Added => '+',
            LineKind::Removed => '-',
        }
    }
}

// Read from a [`Hunk`], which stores its lines compactly (see `StoredLine`).
/// One line of a hunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DiffLine<'a> {
    pub kind: LineKind,
    /// 1-based line number on the old side (context and removed lines).
    pub old_line: Option<u32>,
    /// 1-based line number on the new side (context and added lines).
    pub new_line: Option<u32>,
    /// The line without its line terminator. A `\r` of a CRLF file is kept.
    pub text: &'a str,
    /// This is the last line of its side and has no newline; git prints
    /// `\ No newline at end of file` after it.
    pub no_newline: bool,
    /// The bytes were not valid UTF-8 and `text` is a lossy rendering.
    pub lossy: bool,
    /// For a modified line (paired with its counterpart), the ranges of `text` that changed.
    pub emphasis: &'a [TextRange],
}

/// A content id for a hunk that does not depend on where the hunk sits in the file: the same
/// change moved down by an unrelated edit keeps its id. Notes and viewed-state anchor to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct HunkId(pub String);

impl HunkId {
    /// Hashes the kind and text of the changed lines (context lines excluded, since unrelated
    /// edits nearby change them) with 64-bit FNV-1a: stable across platforms and Rust versions,
    /// unlike `std`'s `DefaultHasher`.
    pub fn of<'a>(path: &str, lines: impl IntoIterator<Item = DiffLine<'a>>) -> Self {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let mut hash = OFFSET;
        let mut feed = |bytes: &[u8]| {
            for b in bytes {
                hash ^= u64::from(*b);
                hash = hash.wrapping_mul(PRIME);
            }
        };
        feed(path.as_bytes());
        feed(&[0]);
        for line in lines.into_iter().filter(|l| l.kind != LineKind::Context) {
            feed(&[line.kind.sign() as u8]);
            feed(line.text.as_bytes());
            feed(&[u8::from(line.no_newline), b'\n']);
        }
        HunkId(format!("{hash:016x}"))
    }
}

const NO_NEWLINE: u8 = 1;
const LOSSY: u8 = 2;

/// A line as stored: offsets into its hunk's buffers instead of its own allocations. A large
/// review holds hundreds of thousands of lines; one `String` and one `Vec` each cost more
/// than the text itself (measured: the model took 4.6x git's peak memory, now under 3x).
#[derive(Debug, Clone, PartialEq, Eq)]
struct StoredLine {
    /// 0 when the line has no number on that side.
    old_line: u32,
    new_line: u32,
    /// End of the text in `Hunk::text`; it starts where the previous line ends.
    text_end: u32,
    /// End of the emphasis in `Hunk::emphasis`; it starts where the previous line's ends.
    emphasis_end: u32,
    kind: LineKind,
    flags: u8,
}

/// A contiguous region of change with its surrounding context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    pub id: HunkId,
    /// The header exactly as git prints it, e.g. `@@ -12,7 +12,9 @@ fn parse(input: &str)`.
    pub header: String,
    pub old_start: u32,
    pub old_lines: u32,
    pub new_start: u32,
    pub new_lines: u32,
    lines: Vec<StoredLine>,
    text: String,
    emphasis: Vec<TextRange>,
    /// The bytes of the lines that are not UTF-8 (by line index), so a patch written back
    /// holds them exactly; `text` has their lossy rendering. Empty for nearly every hunk.
    raw_lines: Vec<(u32, Box<[u8]>)>,
    /// The header's bytes when they are not UTF-8 (function context from such a line).
    raw_header: Option<Box<[u8]>>,
}

/// A run of changed lines: `old_lines` old lines from `old_start` became `new_lines` new
/// lines from `new_start`. Starts are 1-based; for a pure insertion `old_start` is the old
/// line the new lines go before (one past the end to append), and likewise for a deletion.
/// What an incremental parser needs to reuse the old side's tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineEdit {
    pub old_start: u32,
    pub old_lines: u32,
    pub new_start: u32,
    pub new_lines: u32,
}

impl Hunk {
    /// The hunk's runs of changed lines, in order (context lines separate runs).
    pub fn line_edits(&self) -> Vec<LineEdit> {
        // an empty side's start names the line before the hunk, as in `@@ -5,0 +6,2 @@`
        let mut old_next = self.old_start + u32::from(self.old_lines == 0);
        let mut new_next = self.new_start + u32::from(self.new_lines == 0);
        let mut edits = Vec::new();
        let mut open: Option<LineEdit> = None;
        for line in self.lines() {
            match line.kind {
                LineKind::Context => {
                    edits.extend(open.take());
                    old_next += 1;
                    new_next += 1;
                }
                LineKind::Removed | LineKind::Added => {
                    let edit = open.get_or_insert(LineEdit {
                        old_start: old_next,
                        old_lines: 0,
                        new_start: new_next,
                        new_lines: 0,
                    });
                    if line.kind == LineKind::Removed {
                        edit.old_lines += 1;
                        old_next += 1;
                    } else {
                        edit.new_lines += 1;
                        new_next += 1;
                    }
                }
            }
        }
        edits.extend(open);
        edits
    }

    /// The hunk's lines, in order.
    pub fn lines(&self) -> impl ExactSizeIterator<Item = DiffLine<'_>> + Clone + '_ {
        (0..self.lines.len()).map(|index| self.line_at(index))
    }

    /// The line at `index`, if there is one.
    pub fn line(&self, index: usize) -> Option<DiffLine<'_>> {
        (index < self.lines.len()).then(|| self.line_at(index))
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// The exact bytes of line `index` (without its terminator) when they are not UTF-8 (the
    /// line is `lossy`); `None` for a line whose `text` is exact.
    pub fn raw_line(&self, index: usize) -> Option<&[u8]> {
        let index = u32::try_from(index).ok()?;
        self.raw_lines
            .binary_search_by_key(&index, |(i, _)| *i)
            .ok()
            .map(|found| &*self.raw_lines[found].1)
    }

    /// The header's exact bytes when they are not UTF-8.
    pub fn raw_header(&self) -> Option<&[u8]> {
        self.raw_header.as_deref()
    }

    fn line_at(&self, index: usize) -> DiffLine<'_> {
        let stored = &self.lines[index];
        let (text_start, emphasis_start) = match index.checked_sub(1) {
            Some(previous) => (
                self.lines[previous].text_end as usize,
                self.lines[previous].emphasis_end as usize,
            ),
            None => (0, 0),
        };
        let number = |n: u32| (n != 0).then_some(n);
        DiffLine {
            kind: stored.kind,
            old_line: number(stored.old_line),
            new_line: number(stored.new_line),
            // Offsets are char boundaries: they were taken from whole `&str`s when pushed.
            text: self
                .text
                .get(text_start..stored.text_end as usize)
                .unwrap_or_default(),
            no_newline: stored.flags & NO_NEWLINE != 0,
            lossy: stored.flags & LOSSY != 0,
            emphasis: self
                .emphasis
                .get(emphasis_start..stored.emphasis_end as usize)
                .unwrap_or_default(),
        }
    }
}

/// Builds a [`Hunk`] line by line; [`HunkBuilder::finish`] adds word emphasis and the id.
#[derive(Debug)]
pub struct HunkBuilder {
    hunk: Hunk,
}

impl HunkBuilder {
    pub fn new(
        header: String,
        old_start: u32,
        old_lines: u32,
        new_start: u32,
        new_lines: u32,
    ) -> Self {
        HunkBuilder {
            hunk: Hunk {
                id: HunkId(String::new()),
                header,
                old_start,
                old_lines,
                new_start,
                new_lines,
                lines: Vec::new(),
                text: String::new(),
                emphasis: Vec::new(),
                raw_lines: Vec::new(),
                raw_header: None,
            },
        }
    }

    /// Keeps the header's bytes, which are not UTF-8 (`header` is their lossy rendering).
    pub fn raw_header(&mut self, bytes: &[u8]) {
        self.hunk.raw_header = Some(bytes.into());
    }

    /// Adds a line whose bytes are not UTF-8: shown lossily, written back exactly.
    pub fn push_bytes(
        &mut self,
        kind: LineKind,
        old_line: Option<u32>,
        new_line: Option<u32>,
        bytes: &[u8],
        no_newline: bool,
    ) {
        let index = u32::try_from(self.hunk.lines.len()).unwrap_or(u32::MAX);
        self.hunk.raw_lines.push((index, bytes.into()));
        self.push(
            kind,
            old_line,
            new_line,
            &String::from_utf8_lossy(bytes),
            no_newline,
            true,
        );
    }

    /// Reserves room for `lines` lines of `bytes` text in total.
    pub fn reserve(&mut self, lines: usize, bytes: usize) {
        self.hunk.lines.reserve_exact(lines);
        self.hunk.text.reserve_exact(bytes);
    }

    pub fn push(
        &mut self,
        kind: LineKind,
        old_line: Option<u32>,
        new_line: Option<u32>,
        text: &str,
        no_newline: bool,
        lossy: bool,
    ) {
        self.hunk.text.push_str(text);
        let flags = if no_newline { NO_NEWLINE } else { 0 } | if lossy { LOSSY } else { 0 };
        self.hunk.lines.push(StoredLine {
            old_line: old_line.unwrap_or(0),
            new_line: new_line.unwrap_or(0),
            text_end: u32::try_from(self.hunk.text.len()).unwrap_or(u32::MAX),
            emphasis_end: 0,
            kind,
            flags,
        });
    }

    /// Computes the word emphasis of modified lines and the hunk's content id.
    pub fn finish(self, path: &str) -> Hunk {
        let mut hunk = self.hunk;
        let emphasis = {
            let lines: Vec<(LineKind, &str)> = hunk.lines().map(|l| (l.kind, l.text)).collect();
            word::emphasis(&lines)
        };
        let mut next = emphasis.into_iter().peekable();
        for index in 0..hunk.lines.len() {
            if let Some((_, ranges)) = next.next_if(|(line, _)| *line == index) {
                hunk.emphasis.extend(ranges);
            }
            hunk.lines[index].emphasis_end = u32::try_from(hunk.emphasis.len()).unwrap_or(u32::MAX);
        }
        hunk.emphasis.shrink_to_fit();
        hunk.id = HunkId::of(path, hunk.lines());
        hunk
    }
}

impl Serialize for Hunk {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Lines<'a>(&'a Hunk);
        impl Serialize for Lines<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.lines())
            }
        }
        let mut out = serializer.serialize_struct("Hunk", 7)?;
        out.serialize_field("id", &self.id)?;
        out.serialize_field("header", &self.header)?;
        out.serialize_field("oldStart", &self.old_start)?;
        out.serialize_field("oldLines", &self.old_lines)?;
        out.serialize_field("newStart", &self.new_start)?;
        out.serialize_field("newLines", &self.new_lines)?;
        out.serialize_field("lines", &Lines(self))?;
        out.end()
    }
}

// What a [`Hunk`] looks like once serialised (its lines as [`DiffLine`]s): the type the
// TypeScript bindings describe. Never constructed.
/// A contiguous region of change with its surrounding context.
#[derive(Serialize, Type)]
#[serde(rename = "Hunk", rename_all = "camelCase")]
pub struct HunkShape {
    id: HunkId,
    /// The header exactly as git prints it, e.g. `@@ -12,7 +12,9 @@ fn parse(input: &str)`.
    header: String,
    old_start: u32,
    old_lines: u32,
    new_start: u32,
    new_lines: u32,
    lines: Vec<DiffLine<'static>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hunk(lines: &[(LineKind, &str)]) -> Hunk {
        let mut builder = HunkBuilder::new("@@ -1 +1 @@".into(), 1, 1, 1, 1);
        for (i, (kind, text)) in lines.iter().enumerate() {
            builder.push(*kind, Some(i as u32 + 1), None, text, false, false);
        }
        builder.finish("x.rs")
    }

    #[test]
    fn hunk_id_ignores_context_and_position() {
        let a = hunk(&[
            (LineKind::Context, "fn a() {"),
            (LineKind::Added, "    b();"),
        ]);
        let b = hunk(&[
            (LineKind::Context, "fn renamed() {"),
            (LineKind::Context, "    other();"),
            (LineKind::Added, "    b();"),
        ]);
        assert_eq!(a.id, b.id);
    }

    #[test]
    fn hunk_id_distinguishes_kind_text_and_path() {
        let added = hunk(&[(LineKind::Added, "x")]);
        let removed = hunk(&[(LineKind::Removed, "x")]);
        let other = hunk(&[(LineKind::Added, "y")]);
        assert_ne!(added.id, removed.id);
        assert_ne!(added.id, other.id);
        assert_ne!(added.id, HunkId::of("b.rs", added.lines()));
        assert_eq!(added.id.0.len(), 16);
    }

    #[test]
    fn lines_read_back_what_was_pushed_and_serialise_like_git_lines() {
        let mut builder = HunkBuilder::new("@@ -1,2 +1,2 @@ fn f()".into(), 1, 2, 1, 2);
        builder.push(LineKind::Removed, Some(1), None, "let x = 1;", false, false);
        builder.push(LineKind::Added, None, Some(1), "let x = 2;", false, false);
        builder.push(
            LineKind::Context,
            Some(2),
            Some(2),
            "caf\u{fffd}",
            true,
            true,
        );
        let hunk = builder.finish("f.rs");
        assert_eq!(hunk.line_count(), 3);
        let lines: Vec<DiffLine<'_>> = hunk.lines().collect();
        assert_eq!(lines[0].text, "let x = 1;");
        assert_eq!(lines[0].emphasis, [TextRange { start: 8, end: 9 }]);
        assert_eq!(lines[1].new_line, Some(1));
        assert_eq!(lines[1].old_line, None);
        assert!(lines[2].no_newline && lines[2].lossy && lines[2].emphasis.is_empty());
        assert_eq!(hunk.line(3), None);
        let json = serde_json::to_value(&hunk).unwrap();
        assert_eq!(json["header"], "@@ -1,2 +1,2 @@ fn f()");
        assert_eq!(json["oldLines"], 2);
        assert_eq!(
            json["lines"][1],
            serde_json::json!({
                "kind": "added", "oldLine": null, "newLine": 1, "text": "let x = 2;",
                "noNewline": false, "lossy": false, "emphasis": [{"start": 8, "end": 9}]
            })
        );
    }

    /// `@@ -3,6 +3,6 @@`: a changed line, then after context a deletion and an insertion
    #[test]
    fn line_edits_are_the_runs_between_context_lines() {
        let mut builder = HunkBuilder::new("@@ -3,6 +3,6 @@".into(), 3, 6, 3, 6);
        let lines = [
            (LineKind::Context, Some(3), Some(3)),
            (LineKind::Removed, Some(4), None),
            (LineKind::Added, None, Some(4)),
            (LineKind::Context, Some(5), Some(5)),
            (LineKind::Removed, Some(6), None),
            (LineKind::Context, Some(7), Some(6)),
            (LineKind::Added, None, Some(7)),
            (LineKind::Context, Some(8), Some(8)),
        ];
        for (kind, old, new) in lines {
            builder.push(kind, old, new, "x", false, false);
        }
        let edit = |old_start, old_lines, new_start, new_lines| LineEdit {
            old_start,
            old_lines,
            new_start,
            new_lines,
        };
        assert_eq!(
            builder.finish("x.rs").line_edits(),
            vec![edit(4, 1, 4, 1), edit(6, 1, 6, 0), edit(8, 0, 7, 1)]
        );
    }

    /// `@@ -0,0 +1,2 @@` (a new file) and `@@ -5,0 +6 @@` (lines appended after line 5)
    #[test]
    fn line_edits_of_pure_insertions_start_after_the_named_line() {
        let mut builder = HunkBuilder::new("@@ -0,0 +1,2 @@".into(), 0, 0, 1, 2);
        builder.push(LineKind::Added, None, Some(1), "a", false, false);
        builder.push(LineKind::Added, None, Some(2), "b", false, false);
        let new_file = builder.finish("x.rs").line_edits();
        assert_eq!(
            new_file,
            vec![LineEdit {
                old_start: 1,
                old_lines: 0,
                new_start: 1,
                new_lines: 2
            }]
        );
        let mut builder = HunkBuilder::new("@@ -5,0 +6 @@".into(), 5, 0, 6, 1);
        builder.push(LineKind::Added, None, Some(6), "c", false, false);
        assert_eq!(
            builder.finish("x.rs").line_edits(),
            vec![LineEdit {
                old_start: 6,
                old_lines: 0,
                new_start: 6,
                new_lines: 1
            }]
        );
    }
}
