use serde::{Deserialize, Serialize};
use specta::Type;

use super::word::TextRange;

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

/// One line of a hunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DiffLine {
    pub kind: LineKind,
    /// 1-based line number on the old side (context and removed lines).
    pub old_line: Option<u32>,
    /// 1-based line number on the new side (context and added lines).
    pub new_line: Option<u32>,
    /// The line without its line terminator. A `\r` of a CRLF file is kept.
    pub text: String,
    /// This is the last line of its side and has no newline; git prints
    /// `\ No newline at end of file` after it.
    pub no_newline: bool,
    /// The bytes were not valid UTF-8 and `text` is a lossy rendering.
    pub lossy: bool,
    /// For a modified line (paired with its counterpart), the ranges of `text` that changed.
    pub emphasis: Vec<TextRange>,
}

/// A content id for a hunk that does not depend on where the hunk sits in the file: the same
/// change moved down by an unrelated edit keeps its id. Notes and viewed-state anchor to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Type)]
#[serde(transparent)]
pub struct HunkId(pub String);

impl HunkId {
    /// Hashes the kind and text of the changed lines (context lines excluded, since unrelated
    /// edits nearby change them) with 64-bit FNV-1a: stable across platforms and Rust versions,
    /// unlike `std`'s `DefaultHasher`.
    pub fn of(path: &str, lines: &[DiffLine]) -> Self {
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
        for line in lines.iter().filter(|l| l.kind != LineKind::Context) {
            feed(&[line.kind.sign() as u8]);
            feed(line.text.as_bytes());
            feed(&[u8::from(line.no_newline), b'\n']);
        }
        HunkId(format!("{hash:016x}"))
    }
}

/// A contiguous region of change with its surrounding context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Hunk {
    pub id: HunkId,
    /// The header exactly as git prints it, e.g. `@@ -12,7 +12,9 @@ fn parse(input: &str)`.
    pub header: String,
    pub old_start: u32,
    pub old_lines: u32,
    pub new_start: u32,
    pub new_lines: u32,
    pub lines: Vec<DiffLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: LineKind, text: &str) -> DiffLine {
        DiffLine {
            kind,
            old_line: None,
            new_line: None,
            text: text.to_owned(),
            no_newline: false,
            lossy: false,
            emphasis: Vec::new(),
        }
    }

    #[test]
    fn hunk_id_ignores_context_and_position() {
        let a = [
            line(LineKind::Context, "fn a() {"),
            line(LineKind::Added, "    b();"),
        ];
        let mut b = a.clone();
        b[0].text = "fn renamed() {".into();
        b[1].new_line = Some(40);
        assert_eq!(HunkId::of("x.rs", &a), HunkId::of("x.rs", &b));
    }

    #[test]
    fn hunk_id_distinguishes_kind_text_and_path() {
        let added = [line(LineKind::Added, "x")];
        let removed = [line(LineKind::Removed, "x")];
        let other = [line(LineKind::Added, "y")];
        let id = HunkId::of("a.rs", &added);
        assert_ne!(id, HunkId::of("a.rs", &removed));
        assert_ne!(id, HunkId::of("a.rs", &other));
        assert_ne!(id, HunkId::of("b.rs", &added));
        assert_eq!(id.0.len(), 16);
    }
}
