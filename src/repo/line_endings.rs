//! The bytes git stores for a working-tree file whose line endings it converts on the way in
//! (`git add` under `core.autocrlf`, `text`, `eol` or the older `crlf` attribute), following
//! git's `convert.c` (`convert_attrs`, `crlf_to_git`). Pure: attribute values and bytes in,
//! bytes out; `tree_diff` reads the attributes and the index.
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

/// What git does to a file's line endings when it stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CheckIn {
    /// Stored as it is (`-text`, `binary`, no attribute and no `core.autocrlf`).
    AsIs,
    /// Declared text (`text`, `eol=…`, `crlf`): every CRLF becomes LF.
    Text,
    /// Guessed (`text=auto`, `core.autocrlf`): CRLFs become LFs only in a file git takes for
    /// text whose copy in the index holds none.
    Auto,
}

/// The check-in for a path from its `text`, `crlf` and `eol` attributes and `core.autocrlf`
/// (`convert_attrs`): `text` decides, the older `crlf` only where `text` says nothing usable,
/// any `eol` makes a file not declared binary text, and `core.autocrlf` guesses for the rest.
pub(crate) fn check_in(
    text: AttrValue<'_>,
    crlf: AttrValue<'_>,
    eol: AttrValue<'_>,
    autocrlf: AutoCrlf,
) -> CheckIn {
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
        Declared::Binary => CheckIn::AsIs,
        Declared::Text => CheckIn::Text,
        Declared::Auto => CheckIn::Auto,
        Declared::Undefined => match autocrlf {
            AutoCrlf::False => CheckIn::AsIs,
            AutoCrlf::True | AutoCrlf::Input => CheckIn::Auto,
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

/// Whether a stored blob holds CRLFs git would keep under [`CheckIn::Auto`]
/// (`has_crlf_in_index`): it is text and has at least one.
pub(crate) fn holds_text_crlf(bytes: &[u8]) -> bool {
    if memchr::memchr(b'\r', bytes).is_none() {
        return false;
    }
    let stats = TextStats::of(bytes);
    !stats.binary() && stats.crlf > 0
}

/// The bytes git stores for a working-tree file of `bytes` under `check_in` (`crlf_to_git`).
/// `index_holds_crlf` is asked, only when it matters, whether the index's copy of the same
/// path [`holds_text_crlf`].
pub(crate) fn to_git(
    check_in: CheckIn,
    bytes: &[u8],
    index_holds_crlf: impl FnOnce() -> bool,
) -> Cow<'_, [u8]> {
    // without a CR there is no CRLF, whatever the rules
    if check_in == CheckIn::AsIs || memchr::memchr(b'\r', bytes).is_none() {
        return Cow::Borrowed(bytes);
    }
    let stats = TextStats::of(bytes);
    if stats.crlf == 0 {
        return Cow::Borrowed(bytes);
    }
    if check_in == CheckIn::Auto && (stats.binary() || index_holds_crlf()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(check_in: CheckIn, bytes: &[u8]) -> Vec<u8> {
        to_git(check_in, bytes, || false).into_owned()
    }

    #[test]
    fn text_turns_each_crlf_into_lf_and_keeps_a_lone_cr() {
        assert_eq!(stored(CheckIn::Text, b"a\r\nb\rc\r\n"), b"a\nb\rc\n");
        assert_eq!(stored(CheckIn::Text, b"a\r\nb\0\r\n"), b"a\nb\0\n");
        assert_eq!(stored(CheckIn::Text, b"a\r"), b"a\r");
    }

    #[test]
    fn auto_leaves_what_git_takes_for_binary_and_what_the_index_keeps_crlf_in() {
        assert_eq!(stored(CheckIn::Auto, b"a\r\nb\r\n"), b"a\nb\n");
        assert_eq!(stored(CheckIn::Auto, b"a\r\nb\rc"), b"a\r\nb\rc");
        assert_eq!(stored(CheckIn::Auto, b"a\r\n\0"), b"a\r\n\0");
        assert_eq!(stored(CheckIn::Auto, b"a\r\n\x01"), b"a\r\n\x01");
        assert_eq!(to_git(CheckIn::Auto, b"a\r\n", || true).as_ref(), b"a\r\n");
        assert_eq!(stored(CheckIn::AsIs, b"a\r\n"), b"a\r\n");
    }

    #[test]
    fn one_unprintable_byte_in_128_is_text_and_a_final_ctrl_z_is_forgiven() {
        let mut text = vec![b'x'; 128];
        text.extend_from_slice(b"\x01\r\n");
        assert_eq!(stored(CheckIn::Auto, &text).len(), text.len() - 1);
        let mut binary = vec![b'x'; 127];
        binary.extend_from_slice(b"\x01\r\n");
        assert_eq!(stored(CheckIn::Auto, &binary), binary);
        assert_eq!(stored(CheckIn::Auto, b"a\r\n\x1a"), b"a\n\x1a");
    }

    #[test]
    fn text_decides_then_crlf_then_eol_then_core_autocrlf() {
        use AttrValue::{False, String as Value, True, Unspecified as Unset};
        let check = |text, crlf, eol, auto| check_in(text, crlf, eol, auto);
        assert_eq!(check(True, False, Unset, AutoCrlf::False), CheckIn::Text);
        assert_eq!(check(False, True, Unset, AutoCrlf::True), CheckIn::AsIs);
        assert_eq!(
            check(False, Unset, Value("lf"), AutoCrlf::False),
            CheckIn::AsIs
        );
        assert_eq!(
            check(Value("auto"), Unset, Value("crlf"), AutoCrlf::False),
            CheckIn::Auto
        );
        assert_eq!(
            check(Value("input"), Unset, Unset, AutoCrlf::False),
            CheckIn::Text
        );
        assert_eq!(
            check(Value("other"), False, Unset, AutoCrlf::True),
            CheckIn::AsIs
        );
        assert_eq!(
            check(Unset, Value("input"), Unset, AutoCrlf::False),
            CheckIn::Text
        );
        assert_eq!(
            check(Unset, Unset, Value("crlf"), AutoCrlf::False),
            CheckIn::Text
        );
        assert_eq!(
            check(Unset, Unset, Value("other"), AutoCrlf::False),
            CheckIn::AsIs
        );
        assert_eq!(check(Unset, Unset, Unset, AutoCrlf::Input), CheckIn::Auto);
        assert_eq!(check(Unset, Unset, Unset, AutoCrlf::True), CheckIn::Auto);
    }
}
