//! Text for a terminal, from a repository nobody vetted: commit subjects, author, branch and
//! file names, note bodies and error messages can hold escape sequences (clear the screen,
//! retitle the window, hide text), BEL, carriage returns that overwrite a line, and bidi
//! controls that reorder what the reviewer reads. [`TerminalSafe`] writes them visibly
//! escaped instead (`\e`, `\r`, `\u{202e}`); line breaks and tabs pass. JSON and patches do
//! not go through it: they must stay exact.

use std::borrow::Cow;
use std::io::{self, Write};

/// Whether `c` is a bidirectional control: it reorders the text around it (Trojan Source).
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

fn needs_escape(c: char, keep_newlines: bool) -> bool {
    match c {
        '\n' => !keep_newlines,
        '\t' => false,
        // C0 and DEL, C1, the line and paragraph separators, bidi controls.
        c if (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) => true,
        '\u{2028}' | '\u{2029}' => true,
        c => is_bidi_control(c),
    }
}

fn escape_with(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| needs_escape(c, keep_newlines)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !needs_escape(c, keep_newlines) {
            out.push(c);
            continue;
        }
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// `text` with every terminal control and bidi control escaped visibly, newlines included:
/// for one-line messages.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    escape_with(text, false)
}

/// A writer that escapes what it is given as [`escape_line`] does, but lets line breaks pass.
pub struct TerminalSafe<W: Write> {
    inner: W,
}

impl<W: Write> TerminalSafe<W> {
    pub fn new(inner: W) -> Self {
        TerminalSafe { inner }
    }

    /// The writer underneath, for output that must be exact (JSON, patches).
    pub fn raw(&mut self) -> &mut W {
        &mut self.inner
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Text output is written in whole `str` pieces (`write!`), so a buffer is whole
        // characters; anything else is shown lossily, which is still safe.
        let text = String::from_utf8_lossy(buf);
        self.inner.write_all(escape_with(&text, true).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_and_plain_text_is_not() {
        assert_eq!(escape_line("fix: café\tok"), "fix: café\tok");
        assert_eq!(
            escape_line("\u{1b}]0;pwned\u{7}\u{1b}[2Jhi\rx"),
            "\\e]0;pwned\\a\\e[2Jhi\\rx"
        );
        assert_eq!(escape_line("a\u{202e}b\u{2066}c"), "a\\u{202e}b\\u{2066}c");
        assert_eq!(escape_line("x\u{85}y\u{7f}"), "x\\u{85}y\\x7f");
        assert_eq!(escape_line("two\nlines"), "two\\nlines");
    }

    #[test]
    fn the_writer_keeps_line_breaks() {
        let mut out = TerminalSafe::new(Vec::new());
        write!(out, "subject \u{1b}[31mred\nnext").unwrap();
        assert_eq!(
            String::from_utf8(out.raw().clone()).unwrap(),
            "subject \\e[31mred\nnext"
        );
    }
}
