//! Canonical text of a piece of syntax: its tokens, spaced the way rustfmt would space a
//! signature (`fn parse<'a, T: Clone>(input: &'a str) -> Result<T, Error>`), independent of
//! how the source was formatted, and without comments or doc attributes. Two signatures are
//! the same exactly when their canonical texts are equal.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;

/// The canonical text of `node`.
pub fn text(node: &impl ToTokens) -> String {
    let mut out = String::new();
    write_stream(&mut out, node.to_token_stream(), Delimiter::None);
    out
}

/// What the previous token was, for deciding the space before the next one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    Start,
    Word,
    /// A keyword that a group follows with a space: `mut [u8]`, `dyn (Fn())`, `-> impl (…)`.
    Keyword,
    /// A punctuation character, and whether it is joined to the next one (`-` of `->`).
    Punct(char, bool),
    /// The `>` of `->` or `=>`.
    Arrow,
    /// The second `:` of `::`.
    PathSep,
    Group(Delimiter),
}

fn write_stream(out: &mut String, stream: TokenStream, delimiter: Delimiter) {
    let mut prev = Prev::Start;
    let mut joined = false;
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let commas = trees
        .iter()
        .filter(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
        .count();
    for (index, tree) in trees.iter().enumerate() {
        if is_trailing_comma(tree, trees.get(index + 1), delimiter, commas) {
            continue;
        }
        match tree.clone() {
            TokenTree::Ident(ident) => {
                let word = ident.to_string();
                if space_before_word(prev) {
                    out.push(' ');
                }
                prev = if matches!(
                    word.as_str(),
                    "mut" | "const" | "dyn" | "impl" | "where" | "for" | "in" | "as" | "unsafe"
                ) {
                    Prev::Keyword
                } else {
                    Prev::Word
                };
                out.push_str(&word);
            }
            TokenTree::Literal(literal) => {
                if space_before_word(prev) {
                    out.push(' ');
                }
                out.push_str(&literal.to_string());
                prev = Prev::Word;
            }
            TokenTree::Punct(punct) => {
                let c = punct.as_char();
                if space_before_punct(prev, c) {
                    out.push(' ');
                }
                out.push(c);
                prev = if c == '>' && joined {
                    Prev::Arrow
                } else if c == ':' && joined {
                    Prev::PathSep
                } else {
                    Prev::Punct(c, punct.spacing() == Spacing::Joint)
                };
                joined = punct.spacing() == Spacing::Joint;
                continue;
            }
            TokenTree::Group(group) => {
                let delimiter = group.delimiter();
                if space_before_group(prev, delimiter) {
                    out.push(' ');
                }
                let (open, close) = match delimiter {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                let inner = group.stream();
                if inner.is_empty() {
                    out.push_str(open.trim_end());
                    out.push_str(close.trim_start());
                } else {
                    out.push_str(open);
                    write_stream(out, inner, delimiter);
                    out.push_str(close);
                }
                prev = Prev::Group(delimiter);
            }
        }
        joined = false;
    }
}

/// A comma that only formatting put there: before a closing delimiter, a `>` or a `{`
/// (`where T: Clone,`) — but not the one of a one-element tuple `(T,)`.
fn is_trailing_comma(
    tree: &TokenTree,
    next: Option<&TokenTree>,
    delimiter: Delimiter,
    commas: usize,
) -> bool {
    let TokenTree::Punct(punct) = tree else {
        return false;
    };
    if punct.as_char() != ',' {
        return false;
    }
    match next {
        None => !(delimiter == Delimiter::Parenthesis && commas == 1),
        Some(TokenTree::Punct(p)) => p.as_char() == '>',
        Some(TokenTree::Group(g)) => g.delimiter() == Delimiter::Brace,
        Some(_) => false,
    }
}

/// Punctuation after which the next token sticks: `&x`, `*const`, `'a`, `#[`, `<T`, `?Sized`.
fn sticky(c: char) -> bool {
    matches!(c, '&' | '*' | '\'' | '#' | '<' | '!' | '.' | '?' | '$')
}

fn space_before_word(prev: Prev) -> bool {
    match prev {
        Prev::Start | Prev::PathSep | Prev::Punct(_, true) => false,
        Prev::Word | Prev::Keyword | Prev::Group(_) | Prev::Arrow => true,
        Prev::Punct(c, false) => !sticky(c),
    }
}

fn space_before_punct(prev: Prev, c: char) -> bool {
    match (prev, c) {
        (Prev::Start | Prev::PathSep | Prev::Punct(_, true), _) => false,
        // `x: T`, `T: ?Sized`, `a: &T`
        (Prev::Punct(':', false), _) => true,
        // no space before closing or separating punctuation: `T>`, `a,`, `x;`, `x?`, `x: T`,
        // `Trait<K>: Send`, `a::b`
        (_, '>' | ',' | ';' | '.' | '?' | ':') => false,
        // `Vec<T>`
        (Prev::Word | Prev::Keyword | Prev::Group(_), '<') => false,
        (Prev::Punct(p, false), _) => !sticky(p),
        _ => true,
    }
}

fn space_before_group(prev: Prev, delimiter: Delimiter) -> bool {
    match (prev, delimiter) {
        (Prev::Start | Prev::PathSep | Prev::Punct(_, true), _) => false,
        (_, Delimiter::Brace) => true,
        // `f(x)`, `Fn(u32)`, `[T; N]` after a word; `#[attr]`, `&[u8]`, `<(A, B)>` after punct
        (Prev::Word, _) => false,
        (Prev::Keyword | Prev::Arrow, _) => true,
        // `<T>(` of a fn's generics
        (Prev::Punct('>', false), _) => false,
        (Prev::Punct(c, false), _) => !sticky(c),
        (Prev::Group(_), _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::text;

    fn canonical(source: &str) -> String {
        let item: syn::Item = syn::parse_str(source).unwrap_or_else(|e| panic!("{source}: {e}"));
        text(&item)
    }

    #[test]
    fn signatures_print_like_rustfmt() {
        for source in [
            "fn parse<'a, T: Clone + Send>(input: &'a str, n: usize) -> Result<T, Error> where T: Default {}",
            "fn keywords(a: &mut [u8], b: Box<dyn (Fn())>) -> impl Iterator<Item = u8> {}",
            "pub unsafe extern \"C\" fn raw(p: *const u8, q: *mut [u8; 4]) -> Option<&'static mut Vec<u8>> {}",
            "fn method(&mut self, f: impl Fn(u32) -> u32, g: &dyn for<'a> Fn(&'a str)) -> (u32, bool) {}",
            "impl<T: ?Sized> crate::a::Trait<T> for Box<T> {}",
            "fn turbofish() -> Vec<[u8; 2]> where for<'a> &'a T: IntoIterator<Item = &'a u8> {}",
            "type Alias<T> = std::collections::HashMap<String, Vec<T>>;",
        ] {
            assert_eq!(canonical(source), source);
        }
    }

    #[test]
    fn trailing_commas_are_formatting_but_one_tuple_commas_are_not() {
        assert_eq!(
            canonical("fn f<T,>(a: (u8,), b: u8,) where T: Clone, {}"),
            "fn f<T>(a: (u8,), b: u8) where T: Clone {}"
        );
        assert_eq!(
            canonical("trait Backend<K>: Send + Sync where K: Ord, {}"),
            "trait Backend<K>: Send + Sync where K: Ord {}"
        );
    }

    #[test]
    fn formatting_does_not_matter() {
        assert_eq!(
            canonical("fn  f < T >( x :T )->Vec < T > where T : Clone\n{ }"),
            "fn f<T>(x: T) -> Vec<T> where T: Clone {}"
        );
    }
}
