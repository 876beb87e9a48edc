//! A cheap estimate of how deep a source nests, taken before syn sees it.
//!
//! syn parses recursively, and its syntax trees are visited, printed and dropped recursively
//! too, so deeply nested input (10,000 parentheses, or a 100,000-term `a + a + …` chain, which
//! syn builds into a 100,000-level tree) would overflow the stack. This scan walks the bytes
//! once, skipping comments, strings and character literals, and measures two things:
//!
//! - **nesting**: brackets (`(`, `[`, `{`) and `<` (generic arguments nest types; a
//!   comparison's `<` is counted too, an over-estimate) open at once. Each level costs syn up
//!   to ~53 KB of stack in a debug build (measured: `Vec<Vec<…>>` is the worst shape).
//! - **chain**: operator characters (`+ - * / % & | ^ ! = . ?`) in the expressions being built
//!   along the open brackets; each adds one level to syn's tree, at up to ~4 KB of stack
//!   (measured: a run of unary minus is the worst). The keywords that take an expression and
//!   nest it (`return`, `break`, `yield`, `become`, `as`, `box`, `move`, `static`) count like
//!   operators: `return return … 1` and `x as u8 as u8 …` build one level per keyword.
//!   Operators in separate statements, list elements or match arms (after `;` `,` `}`) do not
//!   add up; `} else if` does, since syn nests every `else if` one level deeper.

/// How deep a source nests, as estimated by [`estimate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Depth {
    /// The most brackets and `<` open at once.
    pub nesting: u32,
    /// The longest operator chain along the open brackets.
    pub chain: u32,
}

/// Estimates how deep `source` nests (see the module docs).
pub fn estimate(source: &str) -> Depth {
    let bytes = source.as_bytes();
    let mut max = Depth::default();
    // One entry per open bracket: the nesting, chain base and chain outside it.
    let mut open: Vec<(u32, u32, u32)> = Vec::new();
    let (mut nesting, mut base, mut chain) = (0u32, 0u32, 0u32);
    let mut angles = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = skip_line(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(bytes, i);
                continue;
            }
            b'"' => {
                i = skip_string(bytes, i + 1);
                continue;
            }
            b'r' | b'b' | b'c' if starts_raw_string(bytes, i) => {
                i = skip_raw_string(bytes, i);
                continue;
            }
            b'\'' => {
                i = skip_char_or_lifetime(bytes, i);
                continue;
            }
            b'(' | b'[' | b'{' => {
                open.push((nesting, base, chain));
                nesting = nesting.saturating_add(1);
                base = base.saturating_add(chain);
                chain = 0;
            }
            b')' | b']' => {
                // The enclosing expression goes on: `a + (b) + c` is one chain.
                (nesting, base, chain) = open.pop().unwrap_or_default();
                angles = 0;
            }
            b'}' => {
                // A block usually ends a statement or item; but `if … {} else if … {}` nests
                // each `else if` one level deeper in syn's tree.
                let (outer, outer_base, outer_chain) = open.pop().unwrap_or_default();
                (nesting, base) = (outer, outer_base);
                chain = if followed_by_else(&bytes[i + 1..]) {
                    outer_chain.saturating_add(1)
                } else {
                    0
                };
                angles = 0;
            }
            b';' | b',' => {
                chain = 0;
                angles = 0;
            }
            b'<' => angles = angles.saturating_add(1),
            b'>' => angles = angles.saturating_sub(1),
            b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'!' | b'=' | b'.' | b'?' => {
                chain = chain.saturating_add(1)
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let end = bytes[i..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .map_or(bytes.len(), |n| i + n);
                if NESTING_KEYWORDS.contains(&&bytes[i..end]) {
                    chain = chain.saturating_add(1);
                }
                max.chain = max.chain.max(base.saturating_add(chain));
                i = end;
                continue;
            }
            _ => {}
        }
        max.nesting = max.nesting.max(nesting.saturating_add(angles));
        max.chain = max.chain.max(base.saturating_add(chain));
        i += 1;
    }
    max
}

/// Keywords whose operand syn parses one level deeper (see the module docs).
const NESTING_KEYWORDS: &[&[u8]] = &[
    b"return", b"break", b"yield", b"become", b"as", b"box", b"move", b"static",
];

fn followed_by_else(rest: &[u8]) -> bool {
    let start = rest
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    rest[start..].starts_with(b"else")
}

fn skip_line(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| i + n + 1)
}

/// Block comments nest in Rust.
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut level = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            level += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            level -= 1;
            i += 2;
            if level == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// From just after the opening quote to just after the closing one.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// `r"…"`, `r#"…"#`, `br"…"`, `cr#"…"#` — but not an identifier that merely starts with r.
fn starts_raw_string(bytes: &[u8], i: usize) -> bool {
    if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') {
        return false;
    }
    let mut j = i;
    if matches!(bytes[j], b'b' | b'c') {
        j += 1;
    }
    if bytes.get(j) != Some(&b'r') {
        return false;
    }
    j += 1;
    while bytes.get(j) == Some(&b'#') {
        j += 1;
    }
    bytes.get(j) == Some(&b'"')
}

fn skip_raw_string(bytes: &[u8], i: usize) -> usize {
    let mut j = i;
    while bytes.get(j) != Some(&b'r') {
        j += 1;
    }
    j += 1;
    let mut hashes = 0;
    while bytes.get(j) == Some(&b'#') {
        hashes += 1;
        j += 1;
    }
    j += 1; // the opening quote
    while j < bytes.len() {
        let closes = bytes
            .get(j + 1..j + 1 + hashes)
            .is_some_and(|s| s.iter().all(|&b| b == b'#'));
        if bytes[j] == b'"' && closes {
            return j + 1 + hashes;
        }
        j += 1;
    }
    j
}

/// `'x'`, `'\n'`, `'\u{1F600}'` are characters; `'a` in `&'a str` is a lifetime.
fn skip_char_or_lifetime(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i + 1) {
        Some(b'\\') => {
            // An escape: the closing quote is within the next few bytes.
            let end = (i + 12).min(bytes.len());
            bytes[i + 2..end]
                .iter()
                .position(|&b| b == b'\'')
                .map_or(i + 2, |n| i + 2 + n + 1)
        }
        Some(_) => {
            // One (possibly multi-byte) character and a quote, or a lifetime.
            let rest = &bytes[i + 1..];
            let width = utf8_width(rest[0]);
            if rest.get(width) == Some(&b'\'') {
                i + 1 + width + 1
            } else {
                i + 1
            }
        }
        None => i + 1,
    }
}

fn utf8_width(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::{estimate, Depth};

    fn nesting(source: &str) -> u32 {
        estimate(source).nesting
    }

    #[test]
    fn brackets_and_generics_nest() {
        assert_eq!(nesting("fn f() {}"), 1);
        assert_eq!(nesting("fn f() { g(h([1])) }"), 4);
        assert_eq!(nesting("type X = Vec<Vec<Vec<u8>>>;"), 3);
    }

    #[test]
    fn comments_strings_and_chars_do_not_count() {
        let source = "fn f() { // ((((\n /* [[[ /* ]]] */ */ let s = \"((((\"; let r = r#\"(((\"#; let c = '('; }";
        assert_eq!(nesting(source), 1);
    }

    #[test]
    fn lifetimes_are_not_chars() {
        assert_eq!(nesting("fn f<'a>(x: &'a str) -> &'a str { (x) }"), 2);
    }

    #[test]
    fn operator_chains_add_up_within_one_expression_only() {
        let chain = |source: String| estimate(&source).chain;
        assert!(chain(format!("const X: u32 = 1{};", "+1".repeat(500))) >= 500);
        assert!(chain(format!("const X: u32 = 1{};", "+(1)".repeat(500))) >= 500);
        let else_ifs = format!(
            "fn f(x: u32) {{ if x == 0 {{}} {} }}",
            "else if x == 1 {} ".repeat(500)
        );
        assert!(chain(else_ifs) >= 500);
        let items = "fn f() -> u32 { 1 + 2 }\n".repeat(500);
        assert_eq!(
            estimate(&items),
            Depth {
                nesting: 1,
                chain: 2
            }
        );
        assert!(chain(format!("const X: [u32; 500] = [{}];", "1+1,".repeat(500))) < 10);
    }
}
