//! The bytes `git add` stores for a working-tree file whose content it converts on the way in
//! and Redline can convert the same way: line endings (`core.autocrlf`, the `text`, `eol` and
//! older `crlf` attributes) and `ident`, following git's `convert.c` (`convert_attrs`,
//! `crlf_to_git`, `ident_to_git`). Pure: attribute values and bytes in, bytes out;
//! `tree_diff` reads the attributes and the index. Filter drivers and working-tree encodings
//! are not converted here: the first would run a command the repository configures.
//!
//! Only the check-in direction matters to Redline: a new file in the working tree is paired
//! with its source by the content git would store, and a pair is diffed from that content.

use std::borrow::Cow;

use git2::AttrValue;

/// `core.autocrlf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AutoCrlf {
    False,
    True,
    Input,
}

/// What git does to a file when it stores it, of what Redline can do too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CheckIn {
    pub line_endings: LineEndings,
    /// The `ident` attribute: `$Id: … $` is stored as `$Id$`.
    pub ident: bool,
}

impl CheckIn {
    /// Stored as it is.
    pub(crate) const AS_IS: CheckIn = CheckIn {
        line_endings: LineEndings::AsIs,
        ident: false,
    };
}

/// What git does to a file's line endings when it stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineEndings {
    /// Stored as it is (`-text`, `binary`, no attribute and no `core.autocrlf`).
    AsIs,
    /// Declared text (`text`, `eol=…`, `crlf`): every CRLF becomes LF.
    Text,
    /// Guessed (`text=auto`, `core.autocrlf`): CRLFs become LFs only in a file git takes for
    /// text whose copy in the index holds none.
    Auto,
}

/// The line endings of a path from its `text`, `crlf` and `eol` attributes and
/// `core.autocrlf` (`convert_attrs`): `text` decides, the older `crlf` only where `text` says
/// nothing usable, any `eol` makes a file not declared binary text, and `core.autocrlf`
/// guesses for the rest.
pub(crate) fn line_endings(
    text: AttrValue<'_>,
    crlf: AttrValue<'_>,
    eol: AttrValue<'_>,
    autocrlf: AutoCrlf,
) -> LineEndings {
    #[derive(PartialEq)]
    enum Declared {
        Undefined,
        Binary,
        Text,
        Auto,
    }
    let declared = |value: &AttrValue<'_>| match value {
        AttrValue::True => Declared::Text,
        AttrValue::False => Declared::Binary,
        AttrValue::String("input") => Declared::Text,
        AttrValue::String("auto") => Declared::Auto,
        _ => Declared::Undefined,
    };
    let mut action = declared(&text);
    if action == Declared::Undefined {
        action = declared(&crlf);
    }
    let eol_set = matches!(eol, AttrValue::String("lf" | "crlf"));
    if eol_set && action == Declared::Undefined {
        action = Declared::Text;
    }
    match action {
        Declared::Binary => LineEndings::AsIs,
        Declared::Text => LineEndings::Text,
        Declared::Auto => LineEndings::Auto,
        Declared::Undefined => match autocrlf {
            AutoCrlf::False => LineEndings::AsIs,
            AutoCrlf::True | AutoCrlf::Input => LineEndings::Auto,
        },
    }
}

/// git's counts of a buffer (`gather_stats`).
#[derive(Default)]
struct TextStats {
    nul: usize,
    lone_cr: usize,
    crlf: usize,
    printable: usize,
    nonprintable: usize,
}

impl TextStats {
    fn of(bytes: &[u8]) -> TextStats {
        let mut stats = TextStats::default();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    stats.crlf += 1;
                    i += 1;
                }
                b'\r' => stats.lone_cr += 1,
                b'\n' => {}
                // backspace, tab, escape and form feed count as printable
                0x08 | b'\t' | 0x1b | 0x0c => stats.printable += 1,
                0 => {
                    stats.nul += 1;
                    stats.nonprintable += 1;
                }
                0x7f | 1..=0x1f => stats.nonprintable += 1,
                _ => stats.printable += 1,
            }
            i += 1;
        }
        // a final ^Z (DOS end of file) is not held against the file
        if bytes.last() == Some(&0x1a) {
            stats.nonprintable -= 1;
        }
        stats
    }

    /// `convert_is_binary`: a lone CR, a NUL, or more than one unprintable byte in 128.
    fn binary(&self) -> bool {
        self.lone_cr > 0 || self.nul > 0 || (self.printable >> 7) < self.nonprintable
    }
}

/// Whether a stored blob holds CRLFs git would keep under [`LineEndings::Auto`]
/// (`has_crlf_in_index`): it is text and has at least one.
pub(crate) fn holds_text_crlf(bytes: &[u8]) -> bool {
    if memchr::memchr(b'\r', bytes).is_none() {
        return false;
    }
    let stats = TextStats::of(bytes);
    !stats.binary() && stats.crlf > 0
}

/// Whether any check-in could store `bytes` as other bytes: only CRs and `$Id:` are ever
/// changed, so without either no attribute needs to be looked up (lookups are not cheap).
pub(crate) fn may_change(bytes: &[u8]) -> bool {
    memchr::memchr(b'\r', bytes).is_some() || memchr::memmem::find(bytes, b"$Id:").is_some()
}

/// The bytes git stores for a working-tree file of `bytes` under `check_in`: line endings
/// first, then `ident`, in git's order. `index_holds_crlf` is asked, only when it matters,
/// whether the index's copy of the same path [`holds_text_crlf`].
pub(crate) fn to_git(
    check_in: CheckIn,
    bytes: &[u8],
    index_holds_crlf: impl FnOnce() -> bool,
) -> Cow<'_, [u8]> {
    let converted = crlf_to_git(check_in.line_endings, bytes, index_holds_crlf);
    if !check_in.ident {
        return converted;
    }
    match ident_to_git(&converted) {
        Some(stored) => Cow::Owned(stored),
        None => converted,
    }
}

/// `crlf_to_git`.
fn crlf_to_git(
    line_endings: LineEndings,
    bytes: &[u8],
    index_holds_crlf: impl FnOnce() -> bool,
) -> Cow<'_, [u8]> {
    // without a CR there is no CRLF, whatever the rules
    if line_endings == LineEndings::AsIs || memchr::memchr(b'\r', bytes).is_none() {
        return Cow::Borrowed(bytes);
    }
    let stats = TextStats::of(bytes);
    if stats.crlf == 0 {
        return Cow::Borrowed(bytes);
    }
    if line_endings == LineEndings::Auto && (stats.binary() || index_holds_crlf()) {
        return Cow::Borrowed(bytes);
    }
    let mut stored = Vec::with_capacity(bytes.len() - stats.crlf);
    let mut rest = bytes;
    while let Some(at) = memchr::memchr(b'\r', rest) {
        stored.extend_from_slice(&rest[..at]);
        // under Auto there is no lone CR (that file would be binary); under Text one stays
        if rest.get(at + 1) != Some(&b'\n') {
            stored.push(b'\r');
        }
        rest = &rest[at + 1..];
    }
    stored.extend_from_slice(rest);
    Cow::Owned(stored)
}

/// `ident_to_git`: each `$Id: … $` that ends on its own line becomes `$Id$`; `None` when
/// there is none.
fn ident_to_git(bytes: &[u8]) -> Option<Vec<u8>> {
    memchr::memmem::find(bytes, b"$Id:")?;
    let mut stored = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(dollar) = memchr::memchr(b'$', rest) {
        stored.extend_from_slice(&rest[..=dollar]);
        rest = &rest[dollar + 1..];
        // git wants more than "Id:" after the dollar before it looks for the closing one
        if rest.len() > 3 && rest.starts_with(b"Id:") {
            let Some(end) = memchr::memchr(b'$', &rest[3..]) else {
                break;
            };
            if memchr::memchr(b'\n', &rest[3..3 + end]).is_some() {
                continue;
            }
            stored.extend_from_slice(b"Id$");
            rest = &rest[3 + end + 1..];
        }
    }
    stored.extend_from_slice(rest);
    Some(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(line_endings: LineEndings, bytes: &[u8]) -> Vec<u8> {
        let check_in = CheckIn {
            line_endings,
            ident: false,
        };
        to_git(check_in, bytes, || false).into_owned()
    }

    #[test]
    fn text_turns_each_crlf_into_lf_and_keeps_a_lone_cr() {
        assert_eq!(stored(LineEndings::Text, b"a\r\nb\rc\r\n"), b"a\nb\rc\n");
        assert_eq!(stored(LineEndings::Text, b"a\r\nb\0\r\n"), b"a\nb\0\n");
        assert_eq!(stored(LineEndings::Text, b"a\r"), b"a\r");
    }

    #[test]
    fn auto_leaves_what_git_takes_for_binary_and_what_the_index_keeps_crlf_in() {
        assert_eq!(stored(LineEndings::Auto, b"a\r\nb\r\n"), b"a\nb\n");
        assert_eq!(stored(LineEndings::Auto, b"a\r\nb\rc"), b"a\r\nb\rc");
        assert_eq!(stored(LineEndings::Auto, b"a\r\n\0"), b"a\r\n\0");
        assert_eq!(stored(LineEndings::Auto, b"a\r\n\x01"), b"a\r\n\x01");
        assert_eq!(
            crlf_to_git(LineEndings::Auto, b"a\r\n", || true).as_ref(),
            b"a\r\n"
        );
        assert_eq!(stored(LineEndings::AsIs, b"a\r\n"), b"a\r\n");
    }

    #[test]
    fn one_unprintable_byte_in_128_is_text_and_a_final_ctrl_z_is_forgiven() {
        let mut text = vec![b'x'; 128];
        text.extend_from_slice(b"\x01\r\n");
        assert_eq!(stored(LineEndings::Auto, &text).len(), text.len() - 1);
        let mut binary = vec![b'x'; 127];
        binary.extend_from_slice(b"\x01\r\n");
        assert_eq!(stored(LineEndings::Auto, &binary), binary);
        assert_eq!(stored(LineEndings::Auto, b"a\r\n\x1a"), b"a\n\x1a");
    }

    #[test]
    fn text_decides_then_crlf_then_eol_then_core_autocrlf() {
        use AttrValue::{False, String as Value, True, Unspecified as Unset};
        let check = |text, crlf, eol, auto| line_endings(text, crlf, eol, auto);
        assert_eq!(
            check(True, False, Unset, AutoCrlf::False),
            LineEndings::Text
        );
        assert_eq!(check(False, True, Unset, AutoCrlf::True), LineEndings::AsIs);
        assert_eq!(
            check(False, Unset, Value("lf"), AutoCrlf::False),
            LineEndings::AsIs
        );
        assert_eq!(
            check(Value("auto"), Unset, Value("crlf"), AutoCrlf::False),
            LineEndings::Auto
        );
        assert_eq!(
            check(Value("input"), Unset, Unset, AutoCrlf::False),
            LineEndings::Text
        );
        assert_eq!(
            check(Value("other"), False, Unset, AutoCrlf::True),
            LineEndings::AsIs
        );
        assert_eq!(
            check(Unset, Value("input"), Unset, AutoCrlf::False),
            LineEndings::Text
        );
        assert_eq!(
            check(Unset, Unset, Value("crlf"), AutoCrlf::False),
            LineEndings::Text
        );
        assert_eq!(
            check(Unset, Unset, Value("other"), AutoCrlf::False),
            LineEndings::AsIs
        );
        assert_eq!(
            check(Unset, Unset, Unset, AutoCrlf::Input),
            LineEndings::Auto
        );
        assert_eq!(
            check(Unset, Unset, Unset, AutoCrlf::True),
            LineEndings::Auto
        );
    }

    #[test]
    fn ident_empties_each_id_that_closes_on_its_line_after_the_line_endings() {
        let check_in = CheckIn {
            line_endings: LineEndings::Text,
            ident: true,
        };
        let stored = |bytes: &[u8]| to_git(check_in, bytes, || false).into_owned();
        assert_eq!(stored(b"a $Id: 1f2e $ b\r\n"), b"a $Id$ b\n");
        assert_eq!(stored(b"$Id: x\n$ $Id: y $"), b"$Id: x\n$ $Id$");
        assert_eq!(stored(b"$Id$ and $Id: open"), b"$Id$ and $Id: open");
        assert_eq!(stored(b"$Id:$"), b"$Id$");
        assert_eq!(stored(b"$Id:"), b"$Id:");
        for changed in [&b"a\r\n"[..], b"$Id: x $", b"a\rb"] {
            assert!(may_change(changed));
        }
        assert!(!may_change(b"$Id$ a\n"));
        assert_eq!(stored(b"$$Id: z $"), b"$$Id$");
    }
}
