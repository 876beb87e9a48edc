//! The symbol search skips a subtree whose text holds none of its language's definition
//! words (`src/syntax/search.rs`). These tests prove from each grammar's own `grammar.json`
//! that this loses no definition, and check on real and awkward sources that the symbols are
//! the same as a search that ignores the words.
//!
//! The proof, per language with words:
//! 1. the tokens every node of a kind is written with (`required_tokens`): a `seq` needs what
//!    any of its parts needs, a `choice` what all of its branches need, a `repeat` nothing;
//! 2. a kind is *guarded* when one of those tokens is a definition word: a node of that kind
//!    always has the word in its text;
//! 3. a pattern of `tags.scm` is *covered* when its node, or a node it requires below it, is
//!    guarded (for an alternation: every branch);
//! 4. the kinds searched without words are exactly those from which the root of an uncovered
//!    pattern can be reached, down the grammar's `node-types.json`, without passing through a
//!    guarded kind; `Language::searched_without_words` must list exactly them;
//! 5. a word made of identifier characters is only counted when no identifier character
//!    follows it, which is sound when the grammar lexes keywords as whole identifiers (its
//!    `word` rule): proven by matching the word rule against the word and the word followed
//!    by each identifier character.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::process::Command;

use redline::syntax::{self, Language, LanguageId, SyntaxLimits, LANGUAGES};
use serde_json::Value;

/// Where each language's grammar comes from: the crate and the folder of its `grammar.json`.
fn grammar_source(id: LanguageId) -> (&'static str, &'static str) {
    match id {
        LanguageId::Rust => ("tree-sitter-rust", "src"),
        LanguageId::TypeScript => ("tree-sitter-typescript", "typescript/src"),
        LanguageId::Tsx => ("tree-sitter-typescript", "tsx/src"),
        LanguageId::JavaScript => ("tree-sitter-javascript", "src"),
        LanguageId::Python => ("tree-sitter-python", "src"),
        LanguageId::Go => ("tree-sitter-go", "src"),
        LanguageId::Java => ("tree-sitter-java", "src"),
        LanguageId::C => ("tree-sitter-c", "src"),
        LanguageId::Cpp => ("tree-sitter-cpp", "src"),
        LanguageId::CSharp => ("tree-sitter-c-sharp", "src"),
    }
}

/// The folders of this build's packages, from `cargo metadata` (offline: the sources are
/// already on disk for the build).
fn package_dirs() -> HashMap<String, PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--locked",
            "--filter-platform",
        ])
        .arg(host_triple())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|package| {
            let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap());
            (
                package["name"].as_str().unwrap().to_owned(),
                manifest.parent().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The triple of this machine, for `cargo metadata` to skip other platforms' packages
/// (which are not downloaded).
fn host_triple() -> String {
    let output = Command::new("rustc").arg("-vV").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_owned()
}

/// A set of tokens, or every token (what a rule with no finite derivation requires, and the
/// start of the fixpoint).
#[derive(Clone, PartialEq, Debug)]
enum Tokens {
    All,
    Some(BTreeSet<String>),
}

impl Tokens {
    fn none() -> Tokens {
        Tokens::Some(BTreeSet::new())
    }
    fn union(self, other: Tokens) -> Tokens {
        match (self, other) {
            (Tokens::Some(mut a), Tokens::Some(b)) => {
                a.extend(b);
                Tokens::Some(a)
            }
            _ => Tokens::All,
        }
    }
    fn intersection(self, other: Tokens) -> Tokens {
        match (self, other) {
            (Tokens::All, x) | (x, Tokens::All) => x,
            (Tokens::Some(a), Tokens::Some(b)) => {
                // a string in both, or one that is not a whole word and lies within a token
                // of the other branch (`{` within `{|`): the text has it either way
                let within = |small: &String, tokens: &BTreeSet<String>| {
                    tokens.contains(small)
                        || (!is_whole_word(small)
                            && tokens.iter().any(|t| t.contains(small.as_str())))
                };
                let mut both: BTreeSet<String> =
                    a.iter().filter(|t| within(t, &b)).cloned().collect();
                both.extend(b.iter().filter(|t| within(t, &a)).cloned());
                Tokens::Some(both)
            }
        }
    }
}

struct Grammar {
    json: Value,
    /// Names of external tokens: the external scanner may write them with any text, or none.
    externals: HashSet<String>,
    /// The tokens every derivation of each rule is written with.
    rules: HashMap<String, Tokens>,
}

impl Grammar {
    fn read(id: LanguageId, packages: &HashMap<String, PathBuf>) -> Grammar {
        let (package, folder) = grammar_source(id);
        let path = packages[package].join(folder).join("grammar.json");
        let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let externals = json["externals"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["name"].as_str().or(e["value"].as_str()))
            .map(str::to_owned)
            .collect();
        let mut grammar = Grammar {
            externals,
            rules: json["rules"]
                .as_object()
                .unwrap()
                .keys()
                .map(|name| (name.clone(), Tokens::All))
                .collect(),
            json,
        };
        // greatest fixpoint from "every token": a token stays only if every finite
        // derivation of the rule has it
        loop {
            let next: HashMap<String, Tokens> = grammar.json["rules"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(name, rule)| (name.clone(), grammar.required_tokens(rule)))
                .collect();
            if next == grammar.rules {
                break;
            }
            grammar.rules = next;
        }
        grammar
    }

    fn required_tokens(&self, rule: &Value) -> Tokens {
        let members = || rule["members"].as_array().unwrap().iter();
        match rule["type"].as_str().unwrap() {
            "STRING" => {
                let value = rule["value"].as_str().unwrap();
                if self.externals.contains(value) {
                    Tokens::none()
                } else {
                    Tokens::Some(BTreeSet::from([value.to_owned()]))
                }
            }
            "PATTERN" | "BLANK" | "REPEAT" => Tokens::none(),
            "SEQ" => members().fold(Tokens::none(), |acc, m| acc.union(self.required_tokens(m))),
            "CHOICE" => members().fold(Tokens::All, |acc, m| {
                acc.intersection(self.required_tokens(m))
            }),
            "REPEAT1" | "FIELD" | "PREC" | "PREC_LEFT" | "PREC_RIGHT" | "PREC_DYNAMIC"
            | "ALIAS" | "RESERVED" => self.required_tokens(&rule["content"]),
            // one token made of parts: its strings are in its text, but a whole word among
            // them is not a token of its own (`token(seq("type", /\w+/))` is one identifier)
            "TOKEN" | "IMMEDIATE_TOKEN" => match self.required_tokens(&rule["content"]) {
                Tokens::Some(parts) if rule["content"]["type"] != "STRING" => Tokens::Some(
                    parts
                        .into_iter()
                        .filter(|part| !is_whole_word(part))
                        .collect(),
                ),
                tokens => tokens,
            },
            "SYMBOL" => {
                let name = rule["name"].as_str().unwrap();
                if self.externals.contains(name) {
                    Tokens::none()
                } else {
                    self.rules[name].clone()
                }
            }
            other => panic!("grammar.json rule type {other} is not known to this proof"),
        }
    }

    /// The tokens every node of named kind `kind` is written with: what the rule of that
    /// name needs (when it is visible) and what every alias to that name needs.
    fn kind_tokens(&self, kind: &str) -> Tokens {
        let mut tokens = Tokens::All;
        let mut produced = false;
        if !kind.starts_with('_') {
            if let Some(rule) = self.rules.get(kind) {
                tokens = tokens.intersection(rule.clone());
                produced = true;
            }
        }
        let mut aliases = Vec::new();
        collect_aliases(&self.json["rules"], kind, &mut aliases);
        for content in aliases {
            tokens = tokens.intersection(self.required_tokens(content));
            produced = true;
        }
        if produced {
            tokens
        } else {
            Tokens::none()
        }
    }

    /// The grammar's `word` rule as an anchored regular expression.
    fn word_pattern(&self) -> Option<regex::Regex> {
        let word = self.json["word"].as_str()?;
        let expression = regex_of(&self.json["rules"][word])?;
        Some(regex::Regex::new(&format!("^(?:{expression})$")).unwrap())
    }
}

/// A lexical rule as a regular expression; `None` for a rule that refers to others.
fn regex_of(rule: &Value) -> Option<String> {
    let members = || rule["members"].as_array().unwrap().iter().map(regex_of);
    Some(match rule["type"].as_str().unwrap() {
        "PATTERN" => format!("(?:{})", rule["value"].as_str().unwrap()),
        "STRING" => regex::escape(rule["value"].as_str().unwrap()),
        "BLANK" => String::new(),
        "SEQ" => members().collect::<Option<Vec<_>>>()?.concat(),
        "CHOICE" => format!("(?:{})", members().collect::<Option<Vec<_>>>()?.join("|")),
        "REPEAT" => format!("(?:{})*", regex_of(&rule["content"])?),
        "REPEAT1" => format!("(?:{})+", regex_of(&rule["content"])?),
        "TOKEN" | "IMMEDIATE_TOKEN" | "PREC" | "PREC_LEFT" | "PREC_RIGHT" | "PREC_DYNAMIC" => {
            regex_of(&rule["content"])?
        }
        _ => return None,
    })
}

fn collect_aliases<'a>(rule: &'a Value, kind: &str, into: &mut Vec<&'a Value>) {
    match rule {
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("ALIAS")
                && map.get("value").and_then(Value::as_str) == Some(kind)
                && map.get("named") == Some(&Value::Bool(true))
            {
                into.push(&map["content"]);
            }
            for value in map.values() {
                collect_aliases(value, kind, into);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_aliases(item, kind, into)),
        _ => {}
    }
}

fn is_whole_word(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether every node of kind `kind` has one of `words` in its text, as the search finds
/// words: a whole word only as a whole token, any other word also inside a token.
fn guarded(grammar: &Grammar, kind: &str, words: &[&str]) -> bool {
    match grammar.kind_tokens(kind) {
        Tokens::All => true,
        Tokens::Some(tokens) => tokens.iter().any(|token| {
            words
                .iter()
                .any(|w| token == w || (!is_whole_word(w) && token.contains(w)))
        }),
    }
}

/// A pattern of a query, as far as the proof needs it.
#[derive(Debug)]
enum Pattern {
    Node {
        kind: Option<String>,
        children: Vec<Pattern>,
        optional: bool,
    },
    Alternation {
        branches: Vec<Pattern>,
        optional: bool,
    },
    /// A string, an anchor, a negated field, a predicate: requires nothing the proof uses.
    Other,
}

struct QueryReader<'a> {
    text: &'a [u8],
    at: usize,
}

impl QueryReader<'_> {
    fn skip_space(&mut self) {
        while let Some(&c) = self.text.get(self.at) {
            if c == b';' {
                while self.text.get(self.at).is_some_and(|&c| c != b'\n') {
                    self.at += 1;
                }
            } else if c.is_ascii_whitespace() {
                self.at += 1;
            } else {
                break;
            }
        }
    }

    fn name(&mut self) -> String {
        let start = self.at;
        while self.text.get(self.at).is_some_and(|&c| {
            c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'?' | b'!' | b'#')
        }) {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.text[start..self.at]).into_owned()
    }

    /// Captures and a quantifier after a pattern; whether the quantifier makes it optional.
    fn suffix(&mut self) -> bool {
        let mut optional = false;
        loop {
            self.skip_space();
            match self.text.get(self.at) {
                Some(b'?' | b'*') => {
                    optional = true;
                    self.at += 1;
                }
                Some(b'+') => self.at += 1,
                Some(b'@') => {
                    self.at += 1;
                    self.name();
                }
                _ => return optional,
            }
        }
    }

    fn pattern(&mut self) -> Pattern {
        self.skip_space();
        match self.text[self.at] {
            b'(' => {
                self.at += 1;
                self.skip_space();
                if self.text[self.at] == b'#' {
                    self.skip_to_close(b'(', b')');
                    return Pattern::Other;
                }
                let name = self.name();
                let children = self.children_until(b')');
                let optional = self.suffix();
                Pattern::Node {
                    kind: (name != "_").then_some(name),
                    children,
                    optional,
                }
            }
            b'[' => {
                self.at += 1;
                let branches = self.children_until(b']');
                let optional = self.suffix();
                Pattern::Alternation { branches, optional }
            }
            b'"' => {
                self.at += 1;
                while self.text[self.at] != b'"' {
                    self.at += if self.text[self.at] == b'\\' { 2 } else { 1 };
                }
                self.at += 1;
                self.suffix();
                Pattern::Other
            }
            b'.' => {
                self.at += 1;
                Pattern::Other
            }
            b'!' => {
                self.at += 1;
                self.name();
                Pattern::Other
            }
            other => panic!(
                "tags.scm: unexpected {:?} at byte {}",
                char::from(other),
                self.at
            ),
        }
    }

    /// The children up to `close`, which is consumed.
    fn children_until(&mut self, close: u8) -> Vec<Pattern> {
        let mut children = Vec::new();
        loop {
            self.skip_space();
            if self.text[self.at] == close {
                self.at += 1;
                return children;
            }
            children.push(self.child());
        }
    }

    /// A child: a pattern, perhaps after `field:`.
    fn child(&mut self) -> Pattern {
        self.skip_space();
        let start = self.at;
        if self.text[self.at].is_ascii_alphabetic() {
            self.name();
            if self.text.get(self.at) == Some(&b':') {
                self.at += 1;
                return self.pattern();
            }
            self.at = start;
        }
        self.pattern()
    }

    fn skip_to_close(&mut self, open: u8, close: u8) {
        let mut depth = 1;
        while depth > 0 {
            match self.text[self.at] {
                c if c == open => depth += 1,
                c if c == close => depth -= 1,
                b'"' => {
                    self.at += 1;
                    while self.text[self.at] != b'"' {
                        self.at += if self.text[self.at] == b'\\' { 2 } else { 1 };
                    }
                }
                _ => {}
            }
            self.at += 1;
        }
    }

    fn patterns(mut self) -> Vec<Pattern> {
        let mut patterns = Vec::new();
        loop {
            self.skip_space();
            if self.at >= self.text.len() {
                return patterns;
            }
            patterns.push(self.pattern());
        }
    }
}

fn covered(pattern: &Pattern, grammar: &Grammar, words: &[&str]) -> bool {
    match pattern {
        Pattern::Node {
            kind,
            children,
            optional,
        } => {
            !optional
                && (kind.as_deref().is_some_and(|k| guarded(grammar, k, words))
                    || children.iter().any(|c| covered(c, grammar, words)))
        }
        Pattern::Alternation { branches, optional } => {
            !optional && branches.iter().all(|b| covered(b, grammar, words))
        }
        Pattern::Other => false,
    }
}

/// The kinds a pattern can start at.
fn roots(pattern: &Pattern) -> Vec<&str> {
    match pattern {
        Pattern::Node { kind, .. } => kind.as_deref().into_iter().collect(),
        Pattern::Alternation { branches, .. } => branches.iter().flat_map(roots).collect(),
        Pattern::Other => Vec::new(),
    }
}

/// Named child kinds by named parent kind, from `node-types.json`.
fn node_children(node_types: &str) -> HashMap<String, BTreeSet<String>> {
    let types: Vec<Value> = serde_json::from_str(node_types).unwrap();
    let mut children: HashMap<String, BTreeSet<String>> = HashMap::new();
    for node in types.iter().filter(|n| n["named"] == true) {
        let entry = children
            .entry(node["type"].as_str().unwrap().to_owned())
            .or_default();
        let lists = node["fields"]
            .as_object()
            .into_iter()
            .flat_map(|f| f.values())
            .chain(node.get("children"))
            .flat_map(|c| c["types"].as_array().unwrap());
        let subtypes = node["subtypes"].as_array().into_iter().flatten();
        for kind in lists.chain(subtypes).filter(|t| t["named"] == true) {
            entry.insert(kind["type"].as_str().unwrap().to_owned());
        }
    }
    children
}

/// What `searched_without_words` must be for `language`.
fn derived_kinds(language: &Language, packages: &HashMap<String, PathBuf>) -> BTreeSet<String> {
    let grammar = Grammar::read(language.id, packages);
    let words = language.definition_words;
    let (package, folder) = grammar_source(language.id);
    let node_types =
        std::fs::read_to_string(packages[package].join(folder).join("node-types.json")).unwrap();
    let children = node_children(&node_types);
    let patterns = QueryReader {
        text: language.tags_source().as_bytes(),
        at: 0,
    }
    .patterns();
    assert!(!patterns.is_empty(), "{}: no patterns read", language.name);
    let mut kinds: BTreeSet<String> = patterns
        .iter()
        .filter(|p| !covered(p, &grammar, words))
        .flat_map(|p| roots(p))
        .map(str::to_owned)
        .collect();
    loop {
        let before = kinds.len();
        for (parent, kids) in &children {
            if !kinds.contains(parent)
                && !guarded(&grammar, parent, words)
                && kids.iter().any(|k| kinds.contains(k))
            {
                kinds.insert(parent.clone());
            }
        }
        if kinds.len() == before {
            return kinds;
        }
    }
}

#[test]
fn searched_without_words_lists_exactly_the_kinds_the_grammar_requires() {
    let packages = package_dirs();
    let mut checked = 0;
    for language in LANGUAGES {
        if language.definition_words.is_empty() {
            assert!(
                language.searched_without_words.is_empty(),
                "{}: kinds listed without any definition words",
                language.name
            );
            continue;
        }
        let derived = derived_kinds(language, &packages);
        let listed: BTreeSet<String> = language
            .searched_without_words
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(
            listed, derived,
            "{}: searched_without_words should be {:?}",
            language.name, derived
        );
        checked += 1;
    }
    assert!(
        checked >= 4,
        "only {checked} languages have definition words"
    );
}

/// What the generated lexers (`parser.c`) may produce: the strings of the tokens the main
/// lexer (`ts_lex`) accepts, and of those the keyword lexer (`ts_lex_keywords`) accepts.
struct Lexers {
    main: BTreeSet<String>,
    keywords: BTreeSet<String>,
}

impl Lexers {
    fn read(parser_c: &str) -> Lexers {
        // `[anon_sym_fn] = "fn",` in `ts_symbol_names`
        let names_start = parser_c.find("ts_symbol_names[]").expect("ts_symbol_names");
        let names_end = names_start + parser_c[names_start..].find("};").unwrap();
        let names: HashMap<&str, String> = parser_c[names_start..names_end]
            .lines()
            .filter_map(|line| {
                let (symbol, text) = line.trim().strip_prefix('[')?.split_once("] = \"")?;
                Some((symbol, text.strip_suffix("\",")?.replace("\\\\", "\\")))
            })
            .collect();
        let body = |start: &str| {
            let from = parser_c.find(start).unwrap_or_else(|| panic!("{start}"));
            let to = from + parser_c[from..].find("\n}\n").unwrap();
            &parser_c[from..to]
        };
        let accepted = |body: &str| -> BTreeSet<String> {
            body.match_indices("ACCEPT_TOKEN(")
                .filter_map(|(at, call)| {
                    let rest = &body[at + call.len()..];
                    names.get(&rest[..rest.find(')')?]).cloned()
                })
                .collect()
        };
        Lexers {
            main: accepted(body(
                "static bool ts_lex(TSLexer *lexer, TSStateId state) {",
            )),
            keywords: accepted(body(
                "static bool ts_lex_keywords(TSLexer *lexer, TSStateId state) {",
            )),
        }
    }
}

/// A whole word is counted only where no identifier character follows it. That is sound
/// when the word is only ever a keyword: the keyword lexer runs on the whole lexeme of the
/// grammar's `word` rule and accepts the keyword only when it is all of it, and the main
/// lexer never produces it. Both are read from the generated lexers; the `word` rule must go
/// on over every identifier character after the word, so the lexeme is never cut before one.
#[test]
fn whole_definition_words_are_keywords_the_grammar_lexes_as_whole_identifiers() {
    let packages = package_dirs();
    let mut checked = 0;
    for language in LANGUAGES {
        let whole: Vec<&str> = language
            .definition_words
            .iter()
            .copied()
            .filter(|w| is_whole_word(w))
            .collect();
        if whole.is_empty() {
            continue;
        }
        let grammar = Grammar::read(language.id, &packages);
        let pattern = grammar.word_pattern().unwrap_or_else(|| {
            panic!(
                "{}: whole definition words need a grammar whose `word` rule is a regular expression",
                language.name
            )
        });
        let (package, folder) = grammar_source(language.id);
        let parser_c =
            std::fs::read_to_string(packages[package].join(folder).join("parser.c")).unwrap();
        let lexers = Lexers::read(&parser_c);
        assert!(
            lexers.keywords.len() > 10 && lexers.main.len() > 10,
            "{}: the lexers were not read ({} keywords, {} tokens)",
            language.name,
            lexers.keywords.len(),
            lexers.main.len()
        );
        for word in whole {
            assert!(
                lexers.keywords.contains(word) && !lexers.main.contains(word),
                "{}: `{word}` is not lexed as a keyword only (keyword lexer: {}, main lexer: {})",
                language.name,
                lexers.keywords.contains(word),
                lexers.main.contains(word)
            );
            assert!(
                pattern.is_match(word),
                "{}: `{word}` is not lexed through the word rule",
                language.name
            );
            for next in (b'a'..=b'z')
                .chain(b'A'..=b'Z')
                .chain(b'0'..=b'9')
                .chain([b'_'])
            {
                let longer = format!("{word}{}", char::from(next));
                assert!(
                    pattern.is_match(&longer),
                    "{}: the word rule stops before `{longer}`, so `{word}` could be a token followed by an identifier character",
                    language.name
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} whole words checked");
}

/// The proof's own parts, on cases whose answer is known: a `choice` needs only what all
/// branches need, a pattern under an optional quantifier requires nothing.
#[test]
fn the_proof_reads_rules_and_patterns_as_tree_sitter_does() {
    let packages = package_dirs();
    let rust = Grammar::read(LanguageId::Rust, &packages);
    let tokens = |kind: &str| match rust.kind_tokens(kind) {
        Tokens::Some(tokens) => tokens,
        Tokens::All => panic!("{kind}: every token"),
    };
    assert!(tokens("function_item").contains("fn"));
    assert!(tokens("closure_parameters").contains("|"));
    // `impl` items need `impl`, `for` only in a trait impl
    assert!(tokens("impl_item").contains("impl"));
    assert!(!tokens("impl_item").contains("for"));
    // a block's statements repeat: a block needs only its braces
    assert_eq!(
        tokens("block"),
        BTreeSet::from(["{".to_owned(), "}".to_owned()])
    );

    let patterns = QueryReader {
        text: b"(let_declaration pattern: (identifier) @name value: (closure_expression body: (_) @body)) @d\n\
                ; a comment (struct_item)\n\
                (let_declaration value: (closure_expression)? @c) @d\n\
                [(function_item) (struct_item)] @d",
        at: 0,
    }
    .patterns();
    assert_eq!(patterns.len(), 3);
    assert!(covered(&patterns[0], &rust, &["|"]));
    assert!(!covered(&patterns[1], &rust, &["|"]));
    assert!(covered(&patterns[2], &rust, &["fn", "struct"]));
    assert!(!covered(&patterns[2], &rust, &["fn"]));
    assert_eq!(roots(&patterns[2]), ["function_item", "struct_item"]);
}

/// Sources that put the words where they are not tokens and definitions where the search
/// could miss them: the symbols must be those of the search that ignores the words.
#[test]
fn symbols_are_those_of_a_search_that_ignores_the_words() {
    let cases: &[(LanguageId, &str, usize)] = &[
        (
            LanguageId::Rust,
            r#"
// fn in a comment, "struct" in a string, fn_name and types as identifiers
fn outer() {
    let types = "fn struct";
    let fn_name = 1;
    let add = |a: u8| a + 1;
    let nothing = || 0;
    if types.len() > fn_name { inner_call(|x| x) }
    match add(1) { _ => { fn nested() {} } }
    { struct Local; impl Local { const C: u8 = 0; } }
}
macro_rules! m { () => {} }
mod m2 { pub type T = u8; static S: u8 = 0; union U { a: u8 } trait Tr { fn f(&self); } }
enum E { A }
"#,
            15,
        ),
        (
            LanguageId::Rust,
            // error recovery: a definition inside a broken statement
            "fn a() { let x = ; fn b() {} struct }\nfn c( {}\n",
            3,
        ),
        (
            LanguageId::Python,
            r#"
# def in a comment
class A:
    x = "def class lambda"
    def f(self):
        inner = lambda y: y
        defs = [1]
        if defs:
            def g(): pass
    async def h(self): pass
square = lambda v: v * v
@decorated
def k(): pass
"#,
            7,
        ),
        (
            LanguageId::Go,
            r#"
package p
// func in a comment
type (
    A struct{}
    B interface{}
    C = int
)
func F() { g := func() {}; _ = g; s := "func"; _ = s; type L struct{} }
func (a *A) M() {}
"#,
            7,
        ),
        (
            LanguageId::Java,
            r#"
// class in a comment
class A {
    String s = "class interface";
    void m() { Runnable r = new Runnable() { public void run() {} }; class Local {} }
    A() {}
    interface I { void n(); }
    enum E { X { void y() {} } }
    record R(int a) {}
    @interface Ann {}
}
"#,
            11,
        ),
        (
            LanguageId::TypeScript,
            r#"
// function in a comment
const s = "class function";
const functional = 1, types = 2;
const arrow = (x: number) => x;
const f2 = function () {};
class A {
  m() { return { inner() { return 1; } }; }
  field = () => 0;
  overload(x: string): void;
  overload(x: any) {}
}
abstract class B { abstract n(): void; }
interface I { sig(): void; prop: { deep(): void } }
type T = { a: number };
enum E { X }
namespace N { export function g() {} }
declare module "m" { function h(): void; }
function* gen() {}
"#,
            20,
        ),
        (
            LanguageId::C,
            r#"
/* struct in a comment */
typedef int T;
struct S { int a; };
union U { int a; };
enum E { A };
int f(void) { const char *s = "struct"; struct Inner { int b; } i; return 0; }
static int *g(int x) { return 0; }
int h(int x) { int y = x; if (y) { y++; } return y; }
"#,
            8,
        ),
        (
            LanguageId::JavaScript,
            r#"
// function in a comment
const s = "class function";
const functional = 1;
const arrow = (x) => x;
const f2 = function () {};
class A {
  m() { return { inner() { return 1; } }; }
  field = () => 0;
}
function* gen() {}
"#,
            7,
        ),
        (
            LanguageId::Cpp,
            r#"
/* class in a comment */
namespace outer {
class A {
  void declared();
  int defined() { return 0; }
#ifdef DEBUG
  void debug_only();
#endif
};
struct S { int a; };
union U { int a; };
enum E { X };
typedef int T;
using V = long;
}
int f(int x) { auto add = [](int y) { return y; }; const char *s = "struct"; return x; }
"#,
            12,
        ),
        (
            // a class body and a method with none of the words in their text
            LanguageId::Java,
            "class B { void m() { run(); } B() {} }\n",
            3,
        ),
    ];
    let limits = SyntaxLimits::default();
    for (id, source, expected) in cases {
        let language = Language::of(*id);
        let pruned = syntax::symbols(language, source.as_bytes(), &limits).unwrap();
        let full = syntax::symbols_ignoring_words(language, source.as_bytes(), &limits).unwrap();
        assert_eq!(pruned, full, "{}:\n{source}", language.name);
        let paths: Vec<&str> = pruned.symbols.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(
            pruned.symbols.len(),
            *expected,
            "{}: {paths:#?}",
            language.name
        );
    }
}

/// Every Rust file of this repository, with and without the words: the same symbols.
#[test]
fn this_repository_s_rust_has_the_same_symbols_either_way() {
    let limits = SyntaxLimits::default();
    let rust = Language::of(LanguageId::Rust);
    let mut files = 0;
    let mut symbols = 0;
    let mut pending = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR"))];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && !["target", "node_modules"].contains(&name.as_str()) {
                    pending.push(path);
                }
            } else if name.ends_with(".rs") {
                let source = std::fs::read(&path).unwrap();
                let pruned = syntax::symbols(rust, &source, &limits).unwrap();
                let full = syntax::symbols_ignoring_words(rust, &source, &limits).unwrap();
                assert_eq!(pruned, full, "{}", path.display());
                files += 1;
                symbols += pruned.symbols.len();
            }
        }
    }
    assert!(
        files > 100 && symbols > 1000,
        "{files} files, {symbols} symbols"
    );
}
