//! Symbols of one side of a file: the definitions `tags.scm` finds, nested by range, each
//! with a path (`impl Parser › fn parse_expr`) and hashes of its signature and body that the
//! change summary compares.

use serde::Serialize;
use specta::Type;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, Query, QueryCursor, QueryMatch, Tree, TreeCursor};

use super::incremental;
use super::languages::{KindWords, Language};
use super::parse::{self, ErrorRegion, NotParsed, SyntaxLimits, SyntaxTree};
use super::search;
use super::SyntaxError;
use crate::diff::LineEdit;

/// What a symbol defines. From the capture name in `tags.scm` (`@definition.<kind>`), except
/// that a function directly inside a type is a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum SymbolKind {
    Function,
    Method,
    Constructor,
    Closure,
    Class,
    Struct,
    Union,
    Enum,
    Trait,
    Interface,
    Impl,
    Module,
    Namespace,
    Type,
    Constant,
    /// A Rust `static`: one place in memory, unlike a constant.
    Static,
    Macro,
}

impl SymbolKind {
    fn from_capture(name: &str) -> Option<SymbolKind> {
        Some(match name.strip_prefix("definition.")? {
            "function" => SymbolKind::Function,
            "method" => SymbolKind::Method,
            "constructor" => SymbolKind::Constructor,
            "closure" => SymbolKind::Closure,
            "class" => SymbolKind::Class,
            "struct" => SymbolKind::Struct,
            "union" => SymbolKind::Union,
            "enum" => SymbolKind::Enum,
            "trait" => SymbolKind::Trait,
            "interface" => SymbolKind::Interface,
            "impl" => SymbolKind::Impl,
            "module" => SymbolKind::Module,
            "namespace" => SymbolKind::Namespace,
            "type" => SymbolKind::Type,
            "constant" => SymbolKind::Constant,
            "static" => SymbolKind::Static,
            "macro" => SymbolKind::Macro,
            _ => return None,
        })
    }

    /// Kinds whose functions are methods.
    fn holds_methods(self) -> bool {
        matches!(
            self,
            SymbolKind::Class
                | SymbolKind::Struct
                | SymbolKind::Trait
                | SymbolKind::Interface
                | SymbolKind::Impl
                | SymbolKind::Enum
        )
    }

    /// The word in a symbol path.
    pub fn word(self, words: KindWords) -> &'static str {
        match (self, words) {
            (SymbolKind::Function | SymbolKind::Method, KindWords::Rust) => "fn",
            (SymbolKind::Module, KindWords::Rust) => "mod",
            (SymbolKind::Constant, KindWords::Rust) => "const",
            (SymbolKind::Macro, KindWords::Rust) => "macro",
            (SymbolKind::Function, _) => "function",
            (SymbolKind::Method, _) => "method",
            (SymbolKind::Constructor, _) => "constructor",
            (SymbolKind::Closure, _) => "closure",
            (SymbolKind::Class, _) => "class",
            (SymbolKind::Struct, _) => "struct",
            (SymbolKind::Union, _) => "union",
            (SymbolKind::Enum, _) => "enum",
            (SymbolKind::Trait, _) => "trait",
            (SymbolKind::Interface, _) => "interface",
            (SymbolKind::Impl, _) => "impl",
            (SymbolKind::Module, _) => "module",
            (SymbolKind::Namespace, _) => "namespace",
            (SymbolKind::Type, _) => "type",
            (SymbolKind::Constant, _) => "constant",
            (SymbolKind::Static, _) => "static",
            (SymbolKind::Macro, _) => "macro",
        }
    }
}

/// 1-based, inclusive line range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LineSpan {
    pub start: u32,
    pub end: u32,
}

impl LineSpan {
    /// Whether `other` lies within this span.
    pub fn contains(&self, other: LineSpan) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A named definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Symbol {
    pub kind: SymbolKind,
    pub name: String,
    /// Enclosing symbols and this one: `impl Parser › fn parse_expr`. Unique within a side
    /// (a repeated path, e.g. an overload, gets ` #2`, ` #3`).
    pub path: String,
    pub lines: LineSpan,
    /// First line of the doc comments and attributes written right above it (`lines.start`
    /// when there are none): a hunk changing them changes this symbol.
    pub attached_from: u32,
    /// Byte range in the side's content.
    pub start_byte: u32,
    pub end_byte: u32,
    /// Index of the enclosing symbol in [`FileSymbols::symbols`].
    pub parent: Option<u32>,
    /// Hash of the text before the body (name, parameters, return type …), whitespace
    /// ignored.
    #[serde(skip)]
    pub signature_hash: u64,
    /// Hash of the body without nested symbols, whitespace ignored: a changed method changes
    /// the method, not its class.
    #[serde(skip)]
    pub body_hash: u64,
    /// Non-whitespace bytes hashed into `body_hash`: tiny bodies (`{}`) are not evidence that
    /// two symbols are the same one moved.
    #[serde(skip)]
    pub body_weight: u32,
}

/// One side's structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileSymbols {
    /// Symbols in source order (a parent before its children).
    pub symbols: Vec<Symbol>,
    /// Regions that do not parse; symbols are then best effort.
    pub errors: Vec<ErrorRegion>,
    /// Set when the side was not parsed at all (no symbols, no errors).
    pub not_parsed: Option<NotParsed>,
}

impl FileSymbols {
    /// A side with no structure, and why.
    pub fn not_parsed(reason: NotParsed) -> Self {
        FileSymbols {
            symbols: Vec::new(),
            errors: Vec::new(),
            not_parsed: Some(reason),
        }
    }

    /// A side that does not exist (the old side of an added file): nothing, and no marker.
    pub fn empty() -> Self {
        FileSymbols {
            symbols: Vec::new(),
            errors: Vec::new(),
            not_parsed: None,
        }
    }

    /// The innermost symbol containing all of `lines`, its doc comments and attributes
    /// included.
    pub fn enclosing(&self, lines: LineSpan) -> Option<&Symbol> {
        // symbols are in source order with parents first, so the last container is the
        // innermost one
        self.symbols.iter().rfind(|s| {
            let attached = LineSpan {
                start: s.attached_from,
                end: s.lines.end,
            };
            attached.contains(lines)
        })
    }
}

/// Parses `source` as `language` within `limits` and lists its symbols.
pub fn symbols(
    language: &Language,
    source: &[u8],
    limits: &SyntaxLimits,
) -> Result<FileSymbols, SyntaxError> {
    Ok(parse_side(language, source, limits)?.symbols)
}

/// A side's symbols and the tree they came from (none for a side that was not parsed), from
/// which [`parse_next`] parses a later version of the side incrementally.
pub struct ParsedSide {
    pub symbols: FileSymbols,
    pub tree: Option<SyntaxTree>,
}

/// [`symbols`], keeping the tree.
pub fn parse_side(
    language: &Language,
    source: &[u8],
    limits: &SyntaxLimits,
) -> Result<ParsedSide, SyntaxError> {
    let tree = parse::parse(language, source, limits)?;
    of_tree(language, tree, source)
}

/// The symbols of `source`, which the diff's `edits` made from `previous_source`, parsed from
/// `previous` (the tree of `previous_source`): only what the edits touched is parsed again.
/// The same symbols as [`symbols`] gives (tests compare them on every fixture); a side the
/// edits do not account for, or one without a tree, is parsed in full.
pub fn parse_next(
    language: &Language,
    previous: Option<SyntaxTree>,
    previous_source: &[u8],
    source: &[u8],
    edits: &[LineEdit],
    limits: &SyntaxLimits,
) -> Result<ParsedSide, SyntaxError> {
    let tree = parse_tree_next(language, previous, previous_source, source, edits, limits)?;
    of_tree(language, tree.map(|t| t.tree), source)
}

/// The tree of [`parse_next`] without the symbols, for a caller that starts other work on the
/// tree before extracting them ([`symbols_of_tree`]).
pub fn parse_tree_next(
    language: &Language,
    previous: Option<SyntaxTree>,
    previous_source: &[u8],
    source: &[u8],
    edits: &[LineEdit],
    limits: &SyntaxLimits,
) -> Result<Result<SyntaxTree, NotParsed>, SyntaxError> {
    // editing a clone leaves the original (and its other clones) as they were
    let edited = previous.map(|p| p.tree).and_then(|mut tree| {
        let input = incremental::input_edits(previous_source, source, edits)?;
        for edit in &input {
            tree.edit(edit);
        }
        Some(tree)
    });
    Ok(
        parse::parse_from(language, source, edited.as_ref(), limits)?
            .map(|tree| SyntaxTree { tree }),
    )
}

/// The symbols of `source` from its tree ([`super::parse_tree`], [`parse_tree_next`]): what
/// [`symbols`] gives.
pub fn symbols_of_tree(
    language: &Language,
    tree: &SyntaxTree,
    source: &[u8],
) -> Result<FileSymbols, SyntaxError> {
    Ok(FileSymbols {
        symbols: extract(language, &tree.tree, source)?,
        errors: parse::error_regions(&tree.tree),
        not_parsed: None,
    })
}

fn of_tree(
    language: &Language,
    tree: Result<Tree, NotParsed>,
    source: &[u8],
) -> Result<ParsedSide, SyntaxError> {
    let tree = match tree {
        Ok(tree) => SyntaxTree { tree },
        Err(not_parsed) => {
            return Ok(ParsedSide {
                symbols: FileSymbols::not_parsed(not_parsed),
                tree: None,
            })
        }
    };
    Ok(ParsedSide {
        symbols: symbols_of_tree(language, &tree, source)?,
        tree: Some(tree),
    })
}

/// A definition as the query found it, before nesting.
struct Found {
    kind: SymbolKind,
    name: String,
    start: usize,
    end: usize,
    /// Where the comments and attributes written right before the definition start (`start`
    /// when there are none).
    lead: usize,
    lines: LineSpan,
    body: Option<(usize, usize)>,
}

/// [`symbols`] by a walk that ignores the definition words: the same symbols, more slowly;
/// for the tests and the benchmark that check the words lose nothing.
#[doc(hidden)]
pub fn symbols_ignoring_words(
    language: &Language,
    source: &[u8],
    limits: &SyntaxLimits,
) -> Result<FileSymbols, SyntaxError> {
    let tree = match parse::parse(language, source, limits)? {
        Ok(tree) => tree,
        Err(not_parsed) => return Ok(FileSymbols::not_parsed(not_parsed)),
    };
    Ok(FileSymbols {
        symbols: extract_with(language, &tree, source, false)?,
        errors: parse::error_regions(&tree),
        not_parsed: None,
    })
}

fn extract(language: &Language, tree: &Tree, source: &[u8]) -> Result<Vec<Symbol>, SyntaxError> {
    extract_with(language, tree, source, true)
}

/// The search; `by_words`: skip subtrees without a definition word ([`search`]).
fn extract_with(
    language: &Language,
    tree: &Tree,
    source: &[u8],
    by_words: bool,
) -> Result<Vec<Symbol>, SyntaxError> {
    let queries = language.queries()?;
    let mut found: Vec<Found> = Vec::new();
    let mut cursor = QueryCursor::new();
    // the search below runs the query at each node where a pattern can start, for matches
    // that start at that node only
    cursor.set_max_start_depth(Some(0));
    let search = &queries.definitions;
    // per depth: where the run of comments and attributes that ends at the previous
    // sibling starts, and where that sibling ends; what [`lead_start`] finds, without
    // stepping back through siblings (which tree-sitter does from the first one)
    let mut levels: Vec<(Option<usize>, usize)> = vec![(None, 0)];
    let mut words = if by_words {
        search.words_in(source)
    } else {
        search::MarksAhead::everywhere()
    };
    let mut walk = tree.walk();
    loop {
        let node = walk.node();
        let flags = search.flags(node.kind_id());
        if flags.token() {
            // half the nodes the walk meets: nothing at them, under them or attached to them
            if let Some(level) = levels.last_mut() {
                *level = (None, node.end_byte());
            }
            if next_unentered(&mut walk, &mut levels) {
                continue;
            }
            break;
        }
        let start = node.start_byte();
        // no definition word in its text: no definition at or below this node, unless error
        // recovery made one up (a missing `fn` is no text)
        let (search_here, enter) = if flags.without_words() || words.within(start, node.end_byte())
        {
            (flags.starts(), flags.fertile() || node.has_error())
        } else {
            let broken = node.has_error();
            (flags.starts() && broken, broken)
        };
        let lead = match levels.last() {
            Some(&(Some(run), previous_end)) if adjacent(source, previous_end, start) => run,
            _ => start,
        };
        if search_here {
            let mut matches = cursor.matches(&queries.tags, node, source);
            while let Some(m) = matches.next() {
                let lead_of = |n: Node| {
                    if n == node {
                        lead
                    } else {
                        lead_start(n, source)
                    }
                };
                found.extend(definition(&queries.tags, m, source, lead_of));
            }
        }
        if let Some(level) = levels.last_mut() {
            *level = (flags.attaches().then_some(lead), node.end_byte());
        }
        if enter && walk.goto_first_child() {
            // a first child starts where its parent does and inherits what is above it
            levels.push((Some(lead), start));
            continue;
        }
        if !next_unentered(&mut walk, &mut levels) {
            break;
        }
    }
    finish(language, found, source)
}

/// Moves the walk to the next node that is not under the current one, leaving the levels
/// it climbs out of; `false` when the walk is over.
fn next_unentered(walk: &mut TreeCursor, levels: &mut Vec<(Option<usize>, usize)>) -> bool {
    loop {
        if walk.goto_next_sibling() {
            return true;
        }
        if !walk.goto_parent() {
            return false;
        }
        levels.pop();
    }
}

/// The definition one match of `tags.scm` describes, if it has a kind and a name.
fn definition(
    query: &Query,
    m: &QueryMatch,
    source: &[u8],
    lead_of: impl Fn(Node) -> usize,
) -> Option<Found> {
    let names = query.capture_names();
    let mut definition: Option<(SymbolKind, Node)> = None;
    let (mut name, mut qualifier, mut receiver, mut body) = (None, None, None, None);
    for capture in m.captures {
        let node = capture.node;
        match names.get(capture.index as usize).copied() {
            Some("name") => name = Some(node),
            Some("name.trait") => qualifier = Some(node),
            Some("name.receiver") => receiver = Some(node),
            Some("body") => body = Some(node),
            Some(other) => {
                if let Some(kind) = SymbolKind::from_capture(other) {
                    definition = Some((kind, node));
                }
            }
            None => {}
        }
    }
    let ((kind, node), name) = (definition?, name?);
    let text = |n: Node| one_line(&String::from_utf8_lossy(&source[n.byte_range()]));
    let name = match (qualifier, receiver) {
        (Some(t), _) => format!("{} for {}", text(t), text(name)),
        (None, Some(r)) => format!("({}) {}", text(r), text(name)),
        (None, None) => text(name),
    };
    Some(Found {
        kind,
        name,
        start: node.start_byte(),
        end: node.end_byte(),
        lead: lead_of(node),
        lines: LineSpan {
            start: node.start_position().row as u32 + 1,
            end: end_line(node),
        },
        body: body.map(|b| (b.start_byte(), b.end_byte())),
    })
}

/// Orders what the search found and nests it into symbols.
fn finish(
    language: &Language,
    mut found: Vec<Found>,
    source: &[u8],
) -> Result<Vec<Symbol>, SyntaxError> {
    // parents first: by start, the longer range first
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    found.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.kind == b.kind);
    Ok(nest(language, found, source))
}

/// Where the doc comments, attributes, decorators and annotations right before `node` start:
/// they belong to it, so adding a documented method changes the method, not its class. A
/// blank line ends them (a comment above one is about the section, not the definition), and
/// an inner attribute (`#![…]`) belongs to its enclosing item.
fn lead_start(node: Node, source: &[u8]) -> usize {
    let mut lead = node.start_byte();
    let mut current = node;
    loop {
        let Some(before) = current.prev_sibling() else {
            // the first child of a wrapper that starts with it (Python's decorated definition):
            // what is written before the wrapper is before the definition too
            match current.parent() {
                Some(parent) if parent.start_byte() == lead => {
                    current = parent;
                    continue;
                }
                _ => break,
            }
        };
        if !(attaches(before) && adjacent(source, before.end_byte(), lead)) {
            break;
        }
        lead = before.start_byte();
        current = before;
    }
    lead
}

/// Whether `node` is written above a definition and belongs to it: a comment, an outer
/// attribute (`#[…]`, `[Obsolete]`), a decorator or an annotation.
fn attaches(node: Node) -> bool {
    search::attaching_kind(node.kind())
}

/// Whether only whitespace with at most one line break lies between `end` and `start`: a
/// blank line separates.
fn adjacent(source: &[u8], end: usize, start: usize) -> bool {
    let gap = source.get(end..start).unwrap_or_default();
    gap.iter().all(u8::is_ascii_whitespace) && gap.iter().filter(|&&b| b == b'\n').count() <= 1
}

/// The last line a node covers: a node ending at column 0 ends on the line before.
fn end_line(node: Node) -> u32 {
    let end = node.end_position();
    let row = if end.column == 0 && end.row > node.start_position().row {
        end.row - 1
    } else {
        end.row
    };
    row as u32 + 1
}

/// Names spread over lines (`impl<T>\n  Trait for X`) read as one line with single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn nest(language: &Language, found: Vec<Found>, source: &[u8]) -> Vec<Symbol> {
    let mut symbols: Vec<Symbol> = Vec::with_capacity(found.len());
    let mut ends: Vec<usize> = Vec::with_capacity(found.len());
    let mut stack: Vec<usize> = Vec::new();
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for f in &found {
        while stack.last().is_some_and(|&top| ends[top] <= f.start) {
            stack.pop();
        }
        let parent = stack.last().copied();
        let kind = match (f.kind, parent) {
            (SymbolKind::Function, Some(p)) if symbols[p].kind.holds_methods() => {
                SymbolKind::Method
            }
            (kind, _) => kind,
        };
        let label = format!("{} {}", kind.word(language.kind_words), f.name);
        let mut path = match parent {
            Some(p) => format!("{} › {label}", symbols[p].path),
            None => label,
        };
        let count = seen.entry(path.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            path = format!("{path} #{count}");
        }
        symbols.push(Symbol {
            kind,
            name: f.name.clone(),
            path,
            lines: f.lines,
            attached_from: f.lines.start.saturating_sub(
                source[f.lead..f.start]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count() as u32,
            ),
            start_byte: f.start as u32,
            end_byte: f.end as u32,
            parent: parent.map(|p| p as u32),
            signature_hash: 0,
            body_hash: 0,
            body_weight: 0,
        });
        ends.push(f.end);
        stack.push(symbols.len() - 1);
    }
    hash_symbols(&mut symbols, &found, source);
    symbols
}

/// Fills the signature and body hashes. A body skips its direct children's ranges, so a
/// change inside a method shows as that method's change only.
fn hash_symbols(symbols: &mut [Symbol], found: &[Found], source: &[u8]) {
    let mut children: Vec<Vec<(usize, usize)>> = vec![Vec::new(); symbols.len()];
    for (s, f) in symbols.iter().zip(found) {
        if let Some(p) = s.parent {
            children[p as usize].push((f.lead, f.end));
        }
    }
    for (i, (symbol, f)) in symbols.iter_mut().zip(found).enumerate() {
        let (body_start, body_end) = f.body.unwrap_or((f.start, f.end));
        let mut signature = Fnv::default();
        signature.add_text(&source[f.start..body_start.max(f.start)]);
        // a definition without a separate body is all signature
        if f.body.is_none() {
            signature.add_text(&source[f.start..f.end]);
        }
        let mut body = Fnv::default();
        // its doc comments and attributes count as the definition's body: changing them
        // modifies it
        body.add_text(&source[f.lead..f.start]);
        let mut at = body_start;
        for &(child_start, child_end) in &children[i] {
            if child_start >= at && child_end <= body_end {
                body.add_text(&source[at..child_start]);
                // a separator after a child (`reset = () => {};`) belongs to it: adding the
                // child must not make its class look changed
                let separators = source[child_end..body_end]
                    .iter()
                    .take_while(|b| b.is_ascii_whitespace() || matches!(b, b';' | b','))
                    .count();
                at = child_end + separators;
            }
        }
        body.add_text(&source[at..body_end.max(at)]);
        symbol.signature_hash = signature.hash;
        symbol.body_hash = body.hash;
        symbol.body_weight = body.weight;
    }
}

/// FNV-1a over non-whitespace bytes: fast, stable across runs, and blind to re-indentation.
struct Fnv {
    hash: u64,
    weight: u32,
}

impl Default for Fnv {
    fn default() -> Self {
        Fnv {
            hash: 0xcbf2_9ce4_8422_2325,
            weight: 0,
        }
    }
}

impl Fnv {
    fn add_text(&mut self, bytes: &[u8]) {
        for &b in bytes.iter().filter(|b| !b.is_ascii_whitespace()) {
            self.hash ^= u64::from(b);
            self.hash = self.hash.wrapping_mul(0x0100_0000_01b3);
            self.weight = self.weight.saturating_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::syntax::LANGUAGES;

    /// The reference: `tags.scm` run over the whole tree, every node visited.
    fn extract_by_whole_query(language: &Language, tree: &Tree, source: &[u8]) -> Vec<Symbol> {
        let query = &language.queries().unwrap().tags;
        let mut found = Vec::new();
        let mut cursor = QueryCursor::new();
        let mut matches = cursor.matches(query, tree.root_node(), source);
        while let Some(m) = matches.next() {
            found.extend(definition(query, m, source, |n| lead_start(n, source)));
        }
        finish(language, found, source).unwrap()
    }

    /// Every fixture of every language, as written and cut off at several points (which
    /// leaves unclosed definitions and error nodes), and the repository's own Rust sources.
    fn samples() -> Vec<(&'static Language, Vec<u8>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut samples = Vec::new();
        for entry in std::fs::read_dir(root.join("tests/fixtures/syntax")).unwrap() {
            for file in std::fs::read_dir(entry.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                let name = path.to_string_lossy().into_owned();
                let content = std::fs::read(&path).unwrap();
                let language = crate::syntax::detect(&name, None, &content).unwrap();
                for cut in [content.len(), content.len() * 2 / 3, content.len() / 3] {
                    samples.push((language, content[..cut].to_vec()));
                }
            }
        }
        let rust = crate::syntax::Language::of(crate::syntax::LanguageId::Rust);
        for dir in ["src/syntax", "src/review", "src/diff", "src/repo"] {
            for file in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = file.unwrap().path();
                if path.extension().is_some_and(|e| e == "rs") {
                    samples.push((rust, std::fs::read(&path).unwrap()));
                }
            }
        }
        samples
    }

    #[test]
    fn the_pruned_search_finds_what_the_whole_query_finds() {
        let mut compared = std::collections::BTreeMap::new();
        for (language, source) in samples() {
            let tree = parse::parse(language, &source, &SyntaxLimits::default())
                .unwrap()
                .unwrap();
            let expected = extract_by_whole_query(language, &tree, &source);
            let actual = extract(language, &tree, &source).unwrap();
            assert_eq!(
                actual,
                expected,
                "{} sample of {} bytes",
                language.name,
                source.len()
            );
            *compared.entry(language.name).or_insert(0) += expected.len();
        }
        // every language was compared on symbols, not on empty lists
        for language in LANGUAGES {
            assert!(
                compared.get(language.name).is_some_and(|&n| n > 5),
                "{} compared on {:?} symbols",
                language.name,
                compared.get(language.name)
            );
        }
    }

    #[test]
    fn the_search_skips_subtrees_that_cannot_hold_a_definition() {
        let rust = Language::of(crate::syntax::LanguageId::Rust);
        let queries = rust.queries().unwrap();
        let kind = |name: &str| queries.grammar.id_for_node_kind(name, true);
        let search = &queries.definitions;
        assert!(search.starts_at(kind("function_item")));
        assert!(search.starts_at(kind("let_declaration")));
        assert!(!search.starts_at(kind("call_expression")));
        // a block holds items, an expression can hold a closure's block
        assert!(search.may_contain(kind("block")));
        assert!(search.may_contain(kind("call_expression")));
        // strings, comments, macro token trees and lifetimes never hold one
        for barren in ["string_literal", "line_comment", "token_tree", "lifetime"] {
            assert!(!search.may_contain(kind(barren)), "{barren}");
        }
    }
}
