//! Where in a tree a definition can be, so the symbol search visits a fraction of the nodes.
//!
//! Running `tags.scm` over a whole tree makes the query engine step through every node, which
//! costs half as much as parsing (`benches/syntax.rs`). Two facts let the search do less,
//! both read from data rather than written by hand:
//! - a pattern of `tags.scm` can only match at a node of the kind it starts with, so the query
//!   runs only at those nodes (read from the query's own text);
//! - the grammar's `node-types.json` says which kinds may appear under which, so a subtree
//!   whose kind can never hold such a node (a string, a type, a comment, …) is not entered.
//!
//! - a definition is written with words (`fn`, `class`, `def`): a subtree whose text holds
//!   none of its language's *definition words* holds no definition, unless its kind is one
//!   under which some definition needs none of them (a Java method has no keyword of its
//!   own). Those kinds are listed beside the words in the language table; the words are
//!   found in the whole source in one pass, before the walk.
//!
//! All three are exact for trees the grammar describes; a subtree with a syntax error is
//! always entered, since error recovery puts anything anywhere. `tests/definition_words.rs`
//! proves the third from the grammar's own `grammar.json`: that every pattern of `tags.scm`
//! needs one of the words, or starts under a listed kind, and that the listed kinds are all
//! the kinds from which such a pattern is reached without passing through a word.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use serde::Deserialize;
use tree_sitter::{Language as Grammar, Query};

use super::SyntaxError;

/// The kinds at which `tags.scm` can match and the kinds that can hold them, by kind id.
#[derive(Debug, Clone)]
pub struct DefinitionSearch {
    /// Per kind id, [`STARTS`], [`FERTILE`], [`ATTACHES`], [`WITHOUT_WORDS`] and [`TOKEN`]:
    /// one table the walk reads once per node, instead of several lookups and the kind's
    /// name.
    kinds: Vec<u8>,
    /// The language's definition words; `None` when it has none (every fertile subtree is
    /// entered).
    words: Option<DefinitionWords>,
}

/// Some pattern starts at nodes of this kind.
const STARTS: u8 = 1;
/// The subtree of a node of this kind may contain a match.
const FERTILE: u8 = 2;
/// A node of this kind written right above a definition belongs to it (a comment, an
/// attribute, a decorator, an annotation).
const ATTACHES: u8 = 4;
/// A definition may be under a node of this kind with none of the language's definition
/// words in the node's text.
const WITHOUT_WORDS: u8 = 8;
/// A token: a leaf, never a definition, never attached to one (and alone in its entry).
const TOKEN: u8 = 16;

/// What the symbol search needs to know of a node's kind, read from one table entry.
#[derive(Debug, Clone, Copy)]
pub struct KindFlags(u8);

impl KindFlags {
    pub fn starts(self) -> bool {
        self.0 & STARTS != 0
    }
    pub fn fertile(self) -> bool {
        self.0 & FERTILE != 0
    }
    pub fn attaches(self) -> bool {
        self.0 & ATTACHES != 0
    }
    /// A definition may be below without a definition word in the node's text.
    pub fn without_words(self) -> bool {
        self.0 & WITHOUT_WORDS != 0
    }
    /// A token: nothing to look at or under.
    pub fn token(self) -> bool {
        self.0 & TOKEN != 0
    }
}

impl DefinitionSearch {
    /// What the search knows of kind `kind`. Kinds outside the grammar's table (`ERROR`)
    /// may contain anything.
    pub fn flags(&self, kind: u16) -> KindFlags {
        KindFlags(
            self.kinds
                .get(usize::from(kind))
                .copied()
                .unwrap_or(FERTILE | WITHOUT_WORDS),
        )
    }

    /// Where the language's definition words start in `source`.
    pub fn words_in(&self, source: &[u8]) -> MarksAhead {
        match &self.words {
            Some(words) => MarksAhead::at(words.starts_in(source)),
            None => MarksAhead::everywhere(),
        }
    }

    /// Whether a pattern of the query can match at a node of kind `kind`.
    pub fn starts_at(&self, kind: u16) -> bool {
        self.flags(kind).starts()
    }

    /// Whether the subtree of a node of kind `kind` may contain a match. Kinds the grammar's
    /// node types do not list (`ERROR`) may.
    pub fn may_contain(&self, kind: u16) -> bool {
        self.flags(kind).fertile()
    }

    /// Reads the starting kinds from `query` (compiled from `query_source`) and the kinds
    /// that can hold them from `node_types` (the grammar's `node-types.json`); `words` are
    /// the language's definition words and `without_words` the kinds under which a
    /// definition may be found without one.
    pub fn new(
        language: &'static str,
        grammar: &Grammar,
        node_types: &str,
        query: &Query,
        query_source: &str,
        words: &[&str],
        without_words: &[&str],
    ) -> Result<Self, SyntaxError> {
        let error = |message: String| SyntaxError::Query {
            language,
            which: "tags.scm",
            message,
        };
        let ids = KindIds::of(grammar);
        let mut start_names: HashSet<&str> = HashSet::new();
        for pattern in 0..query.pattern_count() {
            let text = query_source
                .get(query.start_byte_for_pattern(pattern)..)
                .unwrap_or_default();
            let names = pattern_roots(text).ok_or_else(|| {
                error(format!(
                    "pattern {} does not start with a named node kind or an alternation of them; \
                     the symbol search needs to know where each pattern starts",
                    pattern + 1
                ))
            })?;
            start_names.extend(names);
        }
        let mut kinds = vec![FERTILE; ids.count];
        for name in &start_names {
            for &id in ids.named(name) {
                kinds[usize::from(id)] |= STARTS;
            }
        }
        for (id, flags) in kinds.iter_mut().enumerate() {
            let name = u16::try_from(id)
                .ok()
                .and_then(|id| grammar.node_kind_for_id(id));
            if name.is_some_and(attaching_kind) {
                *flags |= ATTACHES;
            }
        }

        let types: Vec<NodeType> = serde_json::from_str(node_types)
            .map_err(|e| error(format!("the grammar's node-types.json does not read: {e}")))?;
        // children by parent, named kinds only (anonymous ones are tokens: leaves)
        let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut parents_of_anonymous = HashSet::new();
        for node in &types {
            if !node.named {
                if node.fields.is_empty() && node.children.is_none() && node.subtypes.is_empty() {
                    continue;
                }
                // an anonymous kind with children (an alias to a string) is never skipped
                parents_of_anonymous.insert(node.kind.as_str());
                continue;
            }
            let listed = node
                .fields
                .values()
                .chain(&node.children)
                .flat_map(|c| &c.types)
                .chain(&node.subtypes)
                .filter(|t| t.named)
                .map(|t| t.kind.as_str());
            children.entry(&node.kind).or_default().extend(listed);
        }
        // fixpoint: a kind is fertile when it starts a pattern or a child kind is fertile
        let mut fertile_names: HashSet<&str> = start_names
            .iter()
            .copied()
            .filter(|name| children.contains_key(name))
            .collect();
        loop {
            let before = fertile_names.len();
            for (parent, kids) in &children {
                if !fertile_names.contains(parent)
                    && kids.iter().any(|kid| fertile_names.contains(kid))
                {
                    fertile_names.insert(parent);
                }
            }
            if fertile_names.len() == before {
                break;
            }
        }
        for name in without_words {
            let ids = ids.named(name);
            if ids.is_empty() {
                return Err(error(format!(
                    "`{name}`, listed as searched without definition words, is not a named \
                     node kind of the grammar"
                )));
            }
            for &id in ids {
                kinds[usize::from(id)] |= WITHOUT_WORDS;
            }
        }
        // named kinds the node types do not describe stay fertile, words or not: entering
        // costs time, skipping could lose a symbol
        for (id, flags) in kinds.iter_mut().enumerate() {
            let described = u16::try_from(id)
                .ok()
                .and_then(|id| grammar.node_kind_for_id(id))
                .is_some_and(|name| children.contains_key(name));
            if !described {
                *flags |= WITHOUT_WORDS;
            }
        }
        for parent in children.keys() {
            if !fertile_names.contains(parent) {
                for &id in ids.named(parent) {
                    kinds[usize::from(id)] &= !FERTILE;
                }
            }
        }
        // anonymous kinds are tokens, leaves: there is nothing under them to look for
        for (id, flags) in kinds.iter_mut().enumerate() {
            let Ok(id) = u16::try_from(id) else { break };
            let anonymous = !grammar.node_kind_is_named(id)
                && grammar
                    .node_kind_for_id(id)
                    .is_some_and(|name| !parents_of_anonymous.contains(name));
            if anonymous {
                *flags = TOKEN;
            }
        }
        let words = DefinitionWords::new(words)
            .map_err(|e| error(format!("the definition words do not compile: {e}")))?;
        Ok(DefinitionSearch { kinds, words })
    }
}

/// A language's definition words and the automaton that finds them all in one pass.
#[derive(Debug, Clone)]
struct DefinitionWords {
    automaton: AhoCorasick,
    /// Per word: it is made of identifier characters, so as a token it is never followed by
    /// one (the grammar lexes keywords as whole identifiers; the test proves it per word).
    whole: Vec<bool>,
}

impl DefinitionWords {
    fn new(words: &[&str]) -> Result<Option<DefinitionWords>, aho_corasick::BuildError> {
        if words.is_empty() {
            return Ok(None);
        }
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(words)?;
        let whole = words
            .iter()
            .map(|word| word.bytes().all(is_identifier_byte))
            .collect();
        Ok(Some(DefinitionWords { automaton, whole }))
    }

    /// Where the words start, ascending: every place one is a token, and some where it is
    /// not (in a string, a comment).
    fn starts_in(&self, source: &[u8]) -> Vec<usize> {
        // overlapping: a word that fails the check below must not hide one starting inside it
        let mut starts: Vec<usize> = self
            .automaton
            .find_overlapping_iter(source)
            .filter(|found| {
                let whole = self.whole.get(found.pattern().as_usize()) == Some(&true);
                !whole
                    || !source
                        .get(found.end())
                        .is_some_and(|&b| is_identifier_byte(b))
            })
            .map(|found| found.start())
            .collect();
        // overlapping matches come in the order they end: a word inside another (`interface`
        // in `@interface`) comes after it
        starts.sort_unstable();
        starts
    }
}

fn is_identifier_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Where some text (a language's definition words, the marks of a test) starts in one
/// source, read in the order of a tree walk: nodes come in order of their start, so the first
/// mark at or after a node's start only moves forward.
#[derive(Debug, Clone)]
pub struct MarksAhead {
    /// `None`: no text is looked for; every node may hold what the walk looks for.
    starts: Option<Vec<usize>>,
    next: usize,
}

impl MarksAhead {
    /// As if every node held a mark.
    pub fn everywhere() -> MarksAhead {
        MarksAhead {
            starts: None,
            next: 0,
        }
    }

    /// The marks starting at `starts`, which must be ascending.
    pub fn at(starts: Vec<usize>) -> MarksAhead {
        MarksAhead {
            starts: Some(starts),
            next: 0,
        }
    }

    /// Whether a mark starts within `start..end`. Calls must come with non-decreasing
    /// `start`.
    pub fn within(&mut self, start: usize, end: usize) -> bool {
        let Some(starts) = &self.starts else {
            return true;
        };
        while starts.get(self.next).is_some_and(|&at| at < start) {
            self.next += 1;
        }
        starts.get(self.next).is_some_and(|&at| at < end)
    }
}

/// Whether a node of kind `name` written above a definition belongs to it: a comment, an
/// outer attribute (`#[…]`, `[Obsolete]`), a decorator or an annotation.
pub(super) fn attaching_kind(name: &str) -> bool {
    name.contains("comment")
        || matches!(
            name,
            "attribute_item" | "attribute_list" | "decorator" | "annotation" | "marker_annotation"
        )
}

/// Named kind ids by name: one name can have several ids (aliases).
struct KindIds {
    by_name: HashMap<&'static str, Vec<u16>>,
    count: usize,
}

impl KindIds {
    fn of(grammar: &Grammar) -> KindIds {
        let count = grammar.node_kind_count();
        let mut by_name: HashMap<&'static str, Vec<u16>> = HashMap::new();
        for id in 0..count {
            // kind counts are u16 in tree-sitter's ABI, so the conversion always succeeds
            let Ok(id) = u16::try_from(id) else { break };
            if grammar.node_kind_is_named(id) {
                if let Some(name) = grammar.node_kind_for_id(id) {
                    by_name.entry(name).or_default().push(id);
                }
            }
        }
        KindIds { by_name, count }
    }

    fn named(&self, name: &str) -> &[u16] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }
}

/// The node kinds a pattern's text starts with: `(kind …)` or `[(kind …) (other …)]`; `None`
/// for a pattern that could start anywhere (`(_)`, a token, a bare capture).
fn pattern_roots(text: &str) -> Option<Vec<&str>> {
    let text = text.trim_start();
    if let Some(inner) = text.strip_prefix('(') {
        return node_name(inner).map(|name| vec![name]);
    }
    let inner = text.strip_prefix('[')?;
    // the alternatives: `(name …)` at the alternation's top level, up to its `]`
    let mut names = Vec::new();
    let mut depth = 0usize;
    let mut chars = inner.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '(' => {
                if depth == 0 {
                    names.push(node_name(&inner[at + 1..])?);
                }
                depth += 1;
            }
            ')' => depth = depth.checked_sub(1)?,
            ']' if depth == 0 => return (!names.is_empty()).then_some(names),
            '"' if depth == 0 => return None,
            '"' => {
                // skip a string inside an alternative, escapes included
                let mut escaped = false;
                for (_, c) in chars.by_ref() {
                    match (c, escaped) {
                        ('\\', false) => escaped = true,
                        ('"', false) => break,
                        _ => escaped = false,
                    }
                }
            }
            ';' => {
                // a comment runs to the end of the line
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// The node kind at the start of `text` (after a `(`); `None` for `_` or no name.
fn node_name(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    let name = &text[..end];
    (!name.is_empty() && name != "_").then_some(name)
}

/// An entry of `node-types.json`.
#[derive(Deserialize)]
struct NodeType {
    #[serde(rename = "type")]
    kind: String,
    named: bool,
    #[serde(default)]
    fields: HashMap<String, ChildTypes>,
    #[serde(default)]
    children: Option<ChildTypes>,
    #[serde(default)]
    subtypes: Vec<KindRef>,
}

#[derive(Deserialize)]
struct ChildTypes {
    types: Vec<KindRef>,
}

#[derive(Deserialize)]
struct KindRef {
    #[serde(rename = "type")]
    kind: String,
    named: bool,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn pattern_roots_read_kinds_and_alternations() {
        assert_eq!(
            pattern_roots("(function_item name: (identifier) @name) @definition.function"),
            Some(vec!["function_item"])
        );
        assert_eq!(
            pattern_roots(
                "[\n  (class_declaration) ; a comment (not_a_kind)\n  (abstract_class_declaration \"x(\")\n] @d"
            ),
            Some(vec!["class_declaration", "abstract_class_declaration"])
        );
        assert_eq!(pattern_roots("(_ name: (identifier)) @d"), None);
        assert_eq!(pattern_roots("\"fn\" @keyword"), None);
        assert_eq!(pattern_roots("[\"fn\" (identifier)] @x"), None);
    }
}
