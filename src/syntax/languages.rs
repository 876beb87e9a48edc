//! The one table of languages Redline parses: how a file is recognised, which tree-sitter
//! grammar parses it and which queries find its symbols and highlight its tokens.
//!
//! Adding a language is adding a row here and a folder `queries/<lang>/` holding
//! `tags.scm` (definitions, see `queries/rust/tags.scm` for the capture conventions) and
//! `highlights.scm`. A dialect reuses its base language's files and adds its own after them
//! (TypeScript = JavaScript + TypeScript's additions, C++ = C + C++'s). A test compiles every
//! query against its grammar.

use std::sync::OnceLock;

use serde::Serialize;
use specta::Type;
use tree_sitter::{Language as Grammar, Query};
use tree_sitter_language::LanguageFn;

use super::search::DefinitionSearch;
use super::SyntaxError;

/// A language Redline parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum LanguageId {
    Rust,
    TypeScript,
    Tsx,
    JavaScript,
    Python,
    Go,
    Java,
    C,
    Cpp,
    CSharp,
}

/// How kinds read in a symbol path: Rust's own keywords (`impl Parser › fn parse`) or words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindWords {
    Rust,
    Plain,
}

/// One row of the table.
pub struct Language {
    pub id: LanguageId,
    /// Display name, also what `.gitattributes` `linguist-language=` says (case-insensitive).
    pub name: &'static str,
    /// Other `linguist-language` spellings.
    pub aliases: &'static [&'static str],
    /// File name endings without the dot.
    pub extensions: &'static [&'static str],
    /// Whole file names that carry no telling extension.
    pub file_names: &'static [&'static str],
    /// `#!` interpreters (version digits stripped: `python3` → `python`).
    pub interpreters: &'static [&'static str],
    pub kind_words: KindWords,
    grammar: LanguageFn,
    /// The grammar's `node-types.json`: which node kinds may appear under which.
    node_types: &'static str,
    tags: &'static str,
    highlights: &'static str,
    /// Words without which none of `tags`' definitions can be written: the symbol search
    /// skips a subtree whose text holds none of them ([`super::search`]). Empty: every
    /// subtree that may hold a definition is searched.
    pub definition_words: &'static [&'static str],
    /// The node kinds under which a definition may be found with none of
    /// `definition_words` in the node's text. Derived from the grammar by
    /// `tests/definition_words.rs`, which fails, printing the right list, when it is wrong.
    pub searched_without_words: &'static [&'static str],
}

/// TypeScript's and TSX's definition words (one grammar family, one `tags.scm`).
const TYPESCRIPT_DEFINITION_WORDS: &[&str] = &[
    "function",
    "class",
    "interface",
    "enum",
    "type",
    "namespace",
    "module",
    "abstract",
    "=>",
    "{",
];

/// Every language, in [`LanguageId`] order.
pub static LANGUAGES: &[Language] = &[
    Language {
        id: LanguageId::Rust,
        name: "Rust",
        aliases: &["rs"],
        extensions: &["rs"],
        file_names: &[],
        interpreters: &["rust-script"],
        kind_words: KindWords::Rust,
        grammar: tree_sitter_rust::LANGUAGE,
        node_types: tree_sitter_rust::NODE_TYPES,
        tags: include_str!("queries/rust/tags.scm"),
        highlights: include_str!("queries/rust/highlights.scm"),
        definition_words: &[
            "fn",
            "struct",
            "enum",
            "union",
            "trait",
            "impl",
            "mod",
            "macro_rules!",
            "type",
            "const",
            "static",
            "|",
        ],
        searched_without_words: &[],
    },
    Language {
        id: LanguageId::TypeScript,
        name: "TypeScript",
        aliases: &["ts"],
        extensions: &["ts", "mts", "cts"],
        file_names: &[],
        interpreters: &["ts-node", "tsx", "deno", "bun"],
        kind_words: KindWords::Plain,
        grammar: tree_sitter_typescript::LANGUAGE_TYPESCRIPT,
        node_types: tree_sitter_typescript::TYPESCRIPT_NODE_TYPES,
        tags: include_str!("queries/typescript/tags.scm"),
        highlights: concat!(
            include_str!("queries/javascript/highlights.scm"),
            include_str!("queries/typescript/highlights.scm"),
        ),
        definition_words: TYPESCRIPT_DEFINITION_WORDS,
        searched_without_words: &["method_signature"],
    },
    Language {
        id: LanguageId::Tsx,
        name: "TSX",
        aliases: &[],
        extensions: &["tsx"],
        file_names: &[],
        interpreters: &[],
        kind_words: KindWords::Plain,
        grammar: tree_sitter_typescript::LANGUAGE_TSX,
        node_types: tree_sitter_typescript::TSX_NODE_TYPES,
        // TSX is TypeScript with JSX: the same definitions, JSX's highlights in between
        tags: include_str!("queries/typescript/tags.scm"),
        highlights: concat!(
            include_str!("queries/javascript/highlights.scm"),
            include_str!("queries/javascript/highlights-jsx.scm"),
            include_str!("queries/typescript/highlights.scm"),
        ),
        definition_words: TYPESCRIPT_DEFINITION_WORDS,
        searched_without_words: &["method_signature"],
    },
    Language {
        id: LanguageId::JavaScript,
        name: "JavaScript",
        aliases: &["js", "jsx", "node"],
        extensions: &["js", "mjs", "cjs", "jsx"],
        file_names: &["Jakefile"],
        interpreters: &["node", "nodejs"],
        kind_words: KindWords::Plain,
        grammar: tree_sitter_javascript::LANGUAGE,
        node_types: tree_sitter_javascript::NODE_TYPES,
        tags: include_str!("queries/javascript/tags.scm"),
        highlights: concat!(
            include_str!("queries/javascript/highlights.scm"),
            include_str!("queries/javascript/highlights-jsx.scm"),
        ),
        definition_words: &["function", "class", "=>", "{"],
        searched_without_words: &[],
    },
    Language {
        id: LanguageId::Python,
        name: "Python",
        aliases: &["py", "python3"],
        extensions: &["py", "pyi", "pyw"],
        file_names: &["SConstruct", "SConscript", "BUILD.bazel", "WORKSPACE"],
        interpreters: &["python", "pypy"],
        kind_words: KindWords::Plain,
        grammar: tree_sitter_python::LANGUAGE,
        node_types: tree_sitter_python::NODE_TYPES,
        tags: include_str!("queries/python/tags.scm"),
        highlights: include_str!("queries/python/highlights.scm"),
        definition_words: &["def", "class", "lambda"],
        searched_without_words: &[],
    },
    Language {
        id: LanguageId::Go,
        name: "Go",
        aliases: &["golang"],
        extensions: &["go"],
        file_names: &[],
        interpreters: &[],
        kind_words: KindWords::Plain,
        grammar: tree_sitter_go::LANGUAGE,
        node_types: tree_sitter_go::NODE_TYPES,
        tags: include_str!("queries/go/tags.scm"),
        highlights: include_str!("queries/go/highlights.scm"),
        definition_words: &["func", "struct", "interface", "type"],
        searched_without_words: &["type_alias"],
    },
    Language {
        id: LanguageId::Java,
        name: "Java",
        aliases: &[],
        extensions: &["java"],
        file_names: &[],
        interpreters: &["java"],
        kind_words: KindWords::Plain,
        grammar: tree_sitter_java::LANGUAGE,
        node_types: tree_sitter_java::NODE_TYPES,
        tags: include_str!("queries/java/tags.scm"),
        highlights: include_str!("queries/java/highlights.scm"),
        definition_words: &["class", "record", "interface", "enum", "@interface", "new"],
        searched_without_words: &[
            "program",
            "class_body",
            "interface_body",
            "enum_body",
            "enum_body_declarations",
            "enum_constant",
            "method_declaration",
            "constructor_declaration",
        ],
    },
    Language {
        id: LanguageId::C,
        name: "C",
        aliases: &[],
        extensions: &["c", "h"],
        file_names: &[],
        interpreters: &["tcc"],
        kind_words: KindWords::Plain,
        grammar: tree_sitter_c::LANGUAGE,
        node_types: tree_sitter_c::NODE_TYPES,
        tags: include_str!("queries/c/tags.scm"),
        highlights: include_str!("queries/c/highlights.scm"),
        definition_words: &["struct", "union", "enum", "typedef", "{"],
        searched_without_words: &[],
    },
    Language {
        id: LanguageId::Cpp,
        name: "C++",
        aliases: &["cpp", "c++"],
        extensions: &[
            "cc", "cpp", "cxx", "c++", "hh", "hpp", "hxx", "h++", "ipp", "tpp",
        ],
        file_names: &[],
        interpreters: &[],
        kind_words: KindWords::Plain,
        grammar: tree_sitter_cpp::LANGUAGE,
        node_types: tree_sitter_cpp::NODE_TYPES,
        tags: include_str!("queries/cpp/tags.scm"),
        highlights: concat!(
            include_str!("queries/c/highlights.scm"),
            include_str!("queries/cpp/highlights.scm"),
        ),
        definition_words: &[
            "struct",
            "union",
            "enum",
            "class",
            "namespace",
            "typedef",
            "using",
            "{",
        ],
        searched_without_words: &[
            "translation_unit",
            "preproc_if",
            "preproc_ifdef",
            "preproc_elif",
            "preproc_elifdef",
            "preproc_else",
            "field_declaration",
        ],
    },
    Language {
        id: LanguageId::CSharp,
        name: "C#",
        aliases: &["csharp", "cs"],
        extensions: &["cs", "csx"],
        file_names: &[],
        interpreters: &["dotnet-script"],
        kind_words: KindWords::Plain,
        grammar: tree_sitter_c_sharp::LANGUAGE,
        node_types: tree_sitter_c_sharp::NODE_TYPES,
        tags: include_str!("queries/c_sharp/tags.scm"),
        highlights: include_str!("queries/c_sharp/highlights.scm"),
        definition_words: &[],
        searched_without_words: &[],
    },
];

/// A language's compiled queries; compiling costs milliseconds, so it happens once per
/// process and language, on first use.
pub struct CompiledQueries {
    pub grammar: Grammar,
    pub tags: Query,
    pub highlights: Query,
    /// Where `tags` can match, for the symbol search.
    pub definitions: DefinitionSearch,
}

impl Language {
    /// The row of `id`.
    pub fn of(id: LanguageId) -> &'static Language {
        // the table is in LanguageId order (a test checks it)
        &LANGUAGES[id as usize]
    }

    /// The tree-sitter grammar.
    pub fn grammar(&self) -> Grammar {
        Grammar::new(self.grammar)
    }

    /// The text of `tags.scm`, the definitions' query.
    pub fn tags_source(&self) -> &'static str {
        self.tags
    }

    /// The compiled queries, compiled on first use.
    pub fn queries(&self) -> Result<&'static CompiledQueries, SyntaxError> {
        static COMPILED: [OnceLock<Result<CompiledQueries, SyntaxError>>; 10] =
            [const { OnceLock::new() }; 10];
        let slot = COMPILED
            .get(self.id as usize)
            .ok_or(SyntaxError::Internal {
                what: "language table larger than its query cache",
            })?;
        slot.get_or_init(|| self.compile())
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Compiles both queries (the test of every query calls this).
    pub fn compile(&self) -> Result<CompiledQueries, SyntaxError> {
        let grammar = self.grammar();
        let query = |which: &'static str, source: &str| {
            Query::new(&grammar, source).map_err(|error| SyntaxError::Query {
                language: self.name,
                which,
                message: format!("line {}: {}", error.row + 1, error.message),
            })
        };
        let tags = query("tags.scm", self.tags)?;
        let definitions = DefinitionSearch::new(
            self.name,
            &grammar,
            self.node_types,
            &tags,
            self.tags,
            self.definition_words,
            self.searched_without_words,
        )?;
        Ok(CompiledQueries {
            tags,
            highlights: query("highlights.scm", self.highlights)?,
            definitions,
            grammar,
        })
    }
}

/// Which language `path` is in: the `.gitattributes` `linguist-language` value wins (looked up
/// by the caller, since reading attributes is IO), then the file name, the extension and the
/// `#!` line of `content`. `None`: a language Redline does not parse; the file diffs as text.
pub fn detect(path: &str, attribute: Option<&str>, content: &[u8]) -> Option<&'static Language> {
    if let Some(value) = attribute {
        // an attribute naming a language we do not parse still decides: the file is not ours
        return by_name(value);
    }
    let file_name = path.rsplit('/').next().unwrap_or(path);
    if let Some(language) = LANGUAGES.iter().find(|l| l.file_names.contains(&file_name)) {
        return Some(language);
    }
    if let Some((_, extension)) = file_name.rsplit_once('.') {
        if let Some(language) = LANGUAGES.iter().find(|l| l.extensions.contains(&extension)) {
            return Some(language);
        }
        // upper-case extensions (`.C`, `.H`, `.CS`) exist; an exact match is tried first
        // because `.C` means C++ by convention
        if extension == "C" || extension == "H" {
            return Some(Language::of(LanguageId::Cpp));
        }
        let lower = extension.to_ascii_lowercase();
        if let Some(language) = LANGUAGES
            .iter()
            .find(|l| l.extensions.contains(&lower.as_str()))
        {
            return Some(language);
        }
    }
    by_shebang(content)
}

/// The language a `linguist-language` value names.
pub fn by_name(value: &str) -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| {
        l.name.eq_ignore_ascii_case(value)
            || l.aliases.iter().any(|a| a.eq_ignore_ascii_case(value))
    })
}

/// The language of a `#!` line: `#!/usr/bin/python3`, `#!/usr/bin/env -S node --flag`.
fn by_shebang(content: &[u8]) -> Option<&'static Language> {
    let rest = content.strip_prefix(b"#!")?;
    let line = &rest[..rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())];
    let line = std::str::from_utf8(line).ok()?;
    let mut words = line.split_whitespace();
    let mut program = words.next()?.rsplit('/').next()?;
    if program == "env" {
        program = words.find(|w| !w.starts_with('-'))?;
    }
    let program = program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    LANGUAGES.iter().find(|l| l.interpreters.contains(&program))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_compiles_against_its_grammar() {
        let failures: Vec<String> = LANGUAGES
            .iter()
            .filter_map(|l| l.compile().err().map(|e| e.to_string()))
            .collect();
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn table_is_in_id_order() {
        for (index, language) in LANGUAGES.iter().enumerate() {
            assert_eq!(language.id as usize, index, "{}", language.name);
        }
    }

    #[test]
    fn detects_by_attribute_name_extension_and_shebang() {
        let id = |path, attribute, content: &[u8]| detect(path, attribute, content).map(|l| l.id);
        assert_eq!(id("src/lib.rs", None, b""), Some(LanguageId::Rust));
        assert_eq!(id("ui/App.tsx", None, b""), Some(LanguageId::Tsx));
        assert_eq!(id("a/b.HPP", None, b""), Some(LanguageId::Cpp));
        assert_eq!(id("x.C", None, b""), Some(LanguageId::Cpp));
        assert_eq!(id("x.c", None, b""), Some(LanguageId::C));
        assert_eq!(
            id("tools/run", None, b"#!/usr/bin/env python3\n"),
            Some(LanguageId::Python)
        );
        assert_eq!(
            id("bin/cli", None, b"#!/usr/bin/node\n"),
            Some(LanguageId::JavaScript)
        );
        assert_eq!(
            id("bin/cli", None, b"#!/usr/bin/env -S deno run\n"),
            Some(LanguageId::TypeScript)
        );
        assert_eq!(id("x.inc", Some("C#"), b""), Some(LanguageId::CSharp));
        assert_eq!(id("x.rs", Some("Markdown"), b""), None);
        assert_eq!(id("README.md", None, b""), None);
        assert_eq!(id("BUILD.bazel", None, b""), Some(LanguageId::Python));
    }
}
