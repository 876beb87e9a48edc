#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Golden tests of code structure, one per language, on the fixtures under
//! tests/fixtures/syntax/<lang>/ (an old and a new version of one file): both sides' symbols
//! with kinds and line ranges, each hunk's labels, and the change summary, computed on a real
//! repository whose two commits hold the two versions.

mod support;

use std::path::Path;

use redline::repo::Target;
use redline::review;
use redline::syntax::{self, FileSymbols, SyntaxLimits};
use serde_json::{json, Value};
use support::TestRepo;

/// Symbols as one line each: kind, path, lines. Easier to review than nested JSON.
fn outline(symbols: &FileSymbols) -> Vec<String> {
    symbols
        .symbols
        .iter()
        .map(|s| {
            format!(
                "{:?} {} [{}-{}]",
                s.kind, s.path, s.lines.start, s.lines.end
            )
        })
        .collect()
}

fn golden(dir: &str, old_name: &str, new_name: &str) -> Value {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/syntax")
        .join(dir);
    let old = std::fs::read(fixtures.join(old_name)).unwrap();
    let new = std::fs::read(fixtures.join(new_name)).unwrap();
    // the file keeps the new name on both sides, so the diff pairs the versions
    let file = new_name;
    let language = syntax::detect(file, None, &new).expect("a language");
    let limits = SyntaxLimits::default();
    let old_symbols = syntax::symbols(language, &old, &limits).unwrap();
    let new_symbols = syntax::symbols(language, &new, &limits).unwrap();
    assert!(
        old_symbols.errors.is_empty(),
        "{dir}/{old_name} does not parse"
    );
    assert!(
        new_symbols.errors.is_empty(),
        "{dir}/{new_name} does not parse"
    );

    let repo = TestRepo::new();
    repo.write(file, &old).commit("old");
    repo.write(file, &new).commit("new");
    let report = review::structure(&repo.path(), &Target::Commit { rev: "HEAD".into() }).unwrap();
    assert_eq!(report.files.len(), 1);
    let structure = &report.files[0];
    let labels: Vec<String> = structure
        .hunk_labels
        .iter()
        .map(|l| {
            format!(
                "{} | {}",
                l.old.as_deref().unwrap_or("-"),
                l.new.as_deref().unwrap_or("-")
            )
        })
        .collect();
    let changes: Vec<String> = structure
        .changes
        .iter()
        .map(|c| {
            format!(
                "{:?} {:?}: {} -> {}",
                c.change,
                c.kind,
                c.old_path.as_deref().unwrap_or("-"),
                c.new_path.as_deref().unwrap_or("-")
            )
        })
        .collect();
    json!({
        "language": language.name,
        "old": outline(&old_symbols),
        "new": outline(&new_symbols),
        "hunkLabels (old | new)": labels,
        "changes": changes,
        "counts": structure.counts,
    })
}

#[test]
fn rust() {
    insta::assert_json_snapshot!(golden("rust", "old.rs", "new.rs"));
}

#[test]
fn typescript() {
    insta::assert_json_snapshot!(golden("typescript", "old.ts", "new.ts"));
}

#[test]
fn tsx() {
    insta::assert_json_snapshot!(golden("tsx", "old.tsx", "new.tsx"));
}

#[test]
fn javascript() {
    insta::assert_json_snapshot!(golden("javascript", "old.js", "new.js"));
}

#[test]
fn python() {
    insta::assert_json_snapshot!(golden("python", "old.py", "new.py"));
}

#[test]
fn go() {
    insta::assert_json_snapshot!(golden("go", "old.go", "new.go"));
}

#[test]
fn java() {
    insta::assert_json_snapshot!(golden("java", "Old.java", "New.java"));
}

#[test]
fn c() {
    insta::assert_json_snapshot!(golden("c", "old.c", "new.c"));
}

#[test]
fn cpp() {
    insta::assert_json_snapshot!(golden("cpp", "old.cpp", "new.cpp"));
}

#[test]
fn c_sharp() {
    insta::assert_json_snapshot!(golden("c_sharp", "Old.cs", "New.cs"));
}

#[test]
fn a_function_moved_to_another_file_is_a_move_not_a_removal_and_an_addition() {
    let repo = TestRepo::new();
    let body =
        "fn checksum(data: &[u8]) -> u32 {\n    data.iter().map(|&b| u32::from(b)).sum()\n}\n";
    repo.write("src/a.rs", format!("fn keep() {{}}\n\n{body}"))
        .write("src/b.rs", "fn other() {}\n")
        .commit("old");
    repo.write("src/a.rs", "fn keep() {}\n")
        .write("src/b.rs", format!("fn other() {{}}\n\n{body}"))
        .commit("new");
    let report = review::structure(&repo.path(), &Target::Commit { rev: "HEAD".into() }).unwrap();
    let changes: Vec<_> = report.files.iter().flat_map(|f| &f.changes).collect();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].change, syntax::ChangeKind::Moved);
    assert_eq!(changes[0].old_file.as_deref(), Some("src/a.rs"));
    assert_eq!(report.counts.moved, 1);
}

/// The change summary of one file changed from `old` to `new`: `(change, path)` pairs.
fn changes_of(file: &str, old: &str, new: &str) -> Vec<(String, String)> {
    let repo = TestRepo::new();
    repo.write(file, old).commit("old");
    repo.write(file, new).commit("new");
    let report = review::structure(&repo.path(), &Target::Commit { rev: "HEAD".into() }).unwrap();
    report.files[0]
        .changes
        .iter()
        .map(|c| {
            let path = c.new_path.clone().or_else(|| c.old_path.clone()).unwrap();
            (format!("{:?}", c.change), path)
        })
        .collect()
}

/// Doc comments, attributes, decorators and annotations belong to the definition under them:
/// adding a documented method adds the method and leaves its class unmodified, in every
/// language that writes them outside the definition's node; editing only the comment
/// modifies the method.
#[test]
fn comments_and_attributes_above_a_definition_belong_to_it() {
    let cases = [
        (
            "a.rs",
            "struct A;\nimpl A {\n    fn one(&self) -> u32 {\n        1\n    }\n}\n",
            "struct A;\nimpl A {\n    fn one(&self) -> u32 {\n        1\n    }\n\n    /// Two.\n    #[inline]\n    fn two(&self) -> u32 {\n        2\n    }\n}\n",
            "impl A › fn two",
        ),
        (
            "c.ts",
            "class C {\n  one(): number {\n    return 1;\n  }\n}\n",
            "class C {\n  one(): number {\n    return 1;\n  }\n\n  /** Two. */\n  two(): number {\n    return 2;\n  }\n}\n",
            "class C › method two",
        ),
        (
            "C.java",
            "class C {\n  int one() {\n    return 1;\n  }\n}\n",
            "class C {\n  int one() {\n    return 1;\n  }\n\n  /** Two. */\n  @Override\n  int two() {\n    return 2;\n  }\n}\n",
            "class C › method two",
        ),
        (
            "c.py",
            "class C:\n    def one(self):\n        return 1\n",
            "class C:\n    def one(self):\n        return 1\n\n    # Two.\n    @property\n    def two(self):\n        return 2\n",
            "class C › method two",
        ),
        (
            "c.go",
            "package c\n\ntype C struct{}\n",
            "package c\n\ntype C struct{}\n\n// Two is two.\nfunc Two() int {\n\treturn 2\n}\n",
            "function Two",
        ),
        (
            "C.cs",
            "class C {\n  int One() { return 1; }\n}\n",
            "class C {\n  int One() { return 1; }\n\n  /// <summary>Two.</summary>\n  [Obsolete]\n  int Two() { return 2; }\n}\n",
            "class C › method Two",
        ),
    ];
    for (file, old, new, added) in cases {
        assert_eq!(
            changes_of(file, old, new),
            vec![("Added".to_owned(), added.to_owned())],
            "{file}"
        );
    }
    // the comment alone changed: the method is modified, its class is not
    let (file, _, new, method) = cases[0];
    let edited = new.replace("/// Two.", "/// Two, always.");
    assert_eq!(
        changes_of(file, new, &edited),
        vec![("Modified".to_owned(), method.to_owned())]
    );
}

/// A hunk that adds a documented method, or changes only a method's doc comment, is
/// labelled with the method, not with the class around it.
#[test]
fn a_hunk_in_a_doc_comment_is_labelled_with_the_documented_symbol() {
    let old =
        "struct A;\n\nimpl A {\n    /// One.\n    fn one(&self) -> u32 {\n        1\n    }\n}\n";
    let new = "struct A;\n\nimpl A {\n    /// One.\n    fn one(&self) -> u32 {\n        1\n    }\n\n    /// Two.\n    #[inline]\n    fn two(&self) -> u32 {\n        2\n    }\n}\n";
    let repo = TestRepo::new();
    repo.write("a.rs", old).commit("old");
    repo.write("a.rs", old.replace("/// One.", "/// One, always."))
        .commit("new");
    let report = review::structure(&repo.path(), &Target::Commit { rev: "HEAD".into() }).unwrap();
    let labels: Vec<(Option<&str>, Option<&str>)> = report.files[0]
        .hunk_labels
        .iter()
        .map(|l| (l.old.as_deref(), l.new.as_deref()))
        .collect();
    assert_eq!(
        labels,
        vec![(Some("impl A › fn one"), Some("impl A › fn one"))]
    );

    let repo = TestRepo::new();
    let spaced = |text: &str| {
        text.replace(
            "    }\n}\n",
            "    }\n\n    fn pad1() {}\n    fn pad2() {}\n    fn pad3() {}\n    fn pad4() {}\n}\n",
        )
    };
    repo.write("a.rs", spaced(old)).commit("old");
    repo.write("a.rs", spaced(new)).commit("new");
    let report = review::structure(&repo.path(), &Target::Commit { rev: "HEAD".into() }).unwrap();
    let labels: Vec<Option<&str>> = report.files[0]
        .hunk_labels
        .iter()
        .map(|l| l.new.as_deref())
        .collect();
    assert_eq!(labels, vec![Some("impl A › fn two")]);
}

/// A Rust `static` is a static, not a constant: one place in memory.
#[test]
fn rust_statics_and_constants_are_told_apart() {
    let rust = syntax::Language::of(syntax::LanguageId::Rust);
    let source = b"const LIMIT: u32 = 10;\nstatic COUNTER: AtomicU32 = AtomicU32::new(0);\n";
    let symbols = syntax::symbols(rust, source, &SyntaxLimits::default()).unwrap();
    let paths: Vec<(syntax::SymbolKind, &str)> = symbols
        .symbols
        .iter()
        .map(|s| (s.kind, s.path.as_str()))
        .collect();
    assert_eq!(
        paths,
        vec![
            (syntax::SymbolKind::Constant, "const LIMIT"),
            (syntax::SymbolKind::Static, "static COUNTER"),
        ]
    );
}

#[test]
fn a_file_that_does_not_parse_keeps_best_effort_symbols_and_reports_where() {
    let source =
        b"fn good() -> u32 {\n    1\n}\n\nfn broken( {\n    let x = ;\n}\n\nfn after() {}\n";
    let rust = syntax::Language::of(syntax::LanguageId::Rust);
    let symbols = syntax::symbols(rust, source, &SyntaxLimits::default()).unwrap();
    assert!(!symbols.errors.is_empty());
    let names: Vec<&str> = symbols.symbols.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"good"), "{names:?}");
    assert!(
        symbols.errors.iter().all(|e| e.start_line >= 5),
        "{:?}",
        symbols.errors
    );
}

#[test]
fn gitattributes_language_wins_over_the_extension() {
    let repo = TestRepo::new();
    repo.write(".gitattributes", "*.tmpl linguist-language=Python\n")
        .write("gen.tmpl", "def old():\n    return 1\n")
        .commit("old");
    repo.write(
        "gen.tmpl",
        "def new():\n    return 1\n\ndef more():\n    return 2\n",
    )
    .commit("new");
    let report = review::structure(&repo.path(), &Target::Commit { rev: "HEAD".into() }).unwrap();
    let file = report.files.iter().find(|f| f.path == "gen.tmpl").unwrap();
    assert_eq!(file.language, Some(syntax::LanguageId::Python));
    assert!(!file.changes.is_empty());
}

#[test]
fn unknown_languages_have_no_structure_but_stay_in_the_report() {
    let repo = TestRepo::new();
    repo.write("notes.txt", "a\n").commit("old");
    repo.write("notes.txt", "b\n").commit("new");
    let report = review::structure(&repo.path(), &Target::Commit { rev: "HEAD".into() }).unwrap();
    assert_eq!(report.files.len(), 1);
    assert_eq!(report.files[0].language, None);
    assert!(report.files[0].hunk_labels.is_empty());
}

#[test]
fn highlight_spans_map_to_the_ui_classes_and_are_cached_per_blob() {
    use syntax::HighlightClass as C;
    let repo = TestRepo::new();
    repo.write("lib.rs", "// doc\nfn main() {\n    let s = \"hi\";\n}\n")
        .commit("one");
    let id = repo.git(&["rev-parse", "HEAD:lib.rs"]).trim().to_owned();
    let first = review::highlight(&repo.path(), &id, "lib.rs").unwrap();
    let second = review::highlight(&repo.path(), &id, "lib.rs").unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&first, &second),
        "second call is served from the cache"
    );
    let class_at = |line: u32, start: u32| {
        first
            .spans
            .iter()
            .find(|s| s.line == line && s.start == start)
            .map(|s| s.class)
    };
    assert_eq!(class_at(1, 0), Some(C::Comment));
    assert_eq!(class_at(2, 0), Some(C::Keyword));
    assert_eq!(class_at(2, 3), Some(C::Function));
    assert_eq!(class_at(3, 12), Some(C::String));
}

#[test]
fn redline_symbols_prints_the_change_summary() {
    let repo = TestRepo::new();
    repo.write("app.py", "def a():\n    return 1\n")
        .commit("old");
    repo.write(
        "app.py",
        "def a(x):\n    return 1\n\ndef b():\n    return 2\n",
    )
    .commit("new");
    let out = repo.redline(&["symbols", "HEAD"]);
    assert!(out.status.success(), "{}", support::text(&out.stderr));
    let text = support::text(&out.stdout);
    assert!(
        text.contains("1 added, 0 removed, 0 modified, 1 signature changed"),
        "{text}"
    );
    assert!(text.contains("+ function b"), "{text}");
    let json = repo.redline(&["symbols", "HEAD", "--format", "json"]);
    let value: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["counts"]["added"], 1);
    assert_eq!(value["files"][0]["hunkLabels"][0]["new"], "function a");
}

#[test]
fn every_language_highlights_its_fixture_with_keywords_and_functions() {
    use syntax::HighlightClass as C;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax");
    for language in syntax::LANGUAGES {
        let dir = root.join(
            format!("{:?}", language.id)
                .to_lowercase()
                .replace("csharp", "c_sharp"),
        );
        let file = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_stem().is_some_and(|s| s.eq_ignore_ascii_case("new")))
            .unwrap();
        let source = std::fs::read(&file).unwrap();
        let highlights = syntax::highlight(language, &source, &SyntaxLimits::default()).unwrap();
        let classes: std::collections::HashSet<C> =
            highlights.spans.iter().map(|s| s.class).collect();
        for wanted in [C::Keyword, C::Function] {
            assert!(
                classes.contains(&wanted),
                "{}: no {wanted:?} in {classes:?}",
                language.name
            );
        }
        // spans are per line, in order, and never overlap
        for pair in highlights.spans.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            assert!(
                (a.line, a.end) <= (b.line, b.start),
                "{}: {a:?} then {b:?}",
                language.name
            );
        }
    }
}

#[test]
fn the_working_tree_of_an_agent_session_is_labelled_too() {
    let repo = TestRepo::new();
    repo.write(
        "src/cart.ts",
        "export class Cart {\n  total(): number {\n    return 0;\n  }\n}\n",
    )
    .commit("old");
    // uncommitted: a modified file and a new, untracked one
    repo.write(
        "src/cart.ts",
        "export class Cart {\n  total(): number {\n    return 1;\n  }\n}\n",
    )
    .write("src/new.py", "def fresh():\n    return 1\n");
    let report = review::structure(&repo.path(), &Target::Worktree).unwrap();
    let file = |path: &str| report.files.iter().find(|f| f.path == path).unwrap();
    assert_eq!(
        file("src/cart.ts").hunk_labels[0].new.as_deref(),
        Some("class Cart › method total")
    );
    assert_eq!(file("src/new.py").counts.added, 1);
}

#[test]
fn the_outline_of_one_side_comes_by_blob_id() {
    let repo = TestRepo::new();
    repo.write(
        "src/shapes.py",
        "class Circle:\n    def area(self):\n        return 1\n",
    )
    .commit("one");
    let id = repo
        .git(&["rev-parse", "HEAD:src/shapes.py"])
        .trim()
        .to_owned();
    let outline = review::symbols(&repo.path(), &id, "src/shapes.py").unwrap();
    let paths: Vec<&str> = outline.symbols.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(paths, ["class Circle", "class Circle › method area"]);
    let unknown = review::symbols(&repo.path(), &id, "shapes.txt").unwrap();
    assert!(unknown.not_parsed.is_some());
}
