//! Rules about tests: disabled, deleted (the sets of test names of both sides compared),
//! added without an assertion, waiting on the clock.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::LazyLock;

use regex::Regex;
use tree_sitter::{Node, Tree};

use super::{column_of, field_text, node_text, pattern, rust_attributes, Ctx, Report};
use crate::findings::FindingSide;
use crate::syntax::{LanguageId, MarksAhead};

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let Some(language) = ctx.language else { return };
    if ctx.new_text.is_some() {
        disabled(ctx, language);
        sleeps(ctx, language);
    }
    compare_tests(ctx, language);
}

static DISABLED: LazyLock<Vec<(LanguageId, Regex)>> = LazyLock::new(|| {
    use LanguageId::*;
    vec![
        (Rust, pattern(r"#\[\s*ignore\b")),
        (
            JavaScript,
            pattern(
                r"\b(it|test|describe|suite|context)\.skip\s*\(|(?:^|[^\w.])(xit|xdescribe|xtest|xcontext)\s*\(|\b(it|test|describe)\.todo\s*\(",
            ),
        ),
        (
            Python,
            pattern(
                r"@pytest\.mark\.(skip|skipif|xfail)\b|@unittest\.(skip|skipIf|skipUnless|expectedFailure)\b|\bpytest\.skip\s*\(|\bself\.skipTest\s*\(",
            ),
        ),
        (Go, pattern(r"\bt\.(Skip|Skipf|SkipNow)\s*\(")),
        (Java, pattern(r"@(Disabled|Ignore)\b")),
        (
            CSharp,
            pattern(r"\[\s*(Ignore|Explicit)\b|\bSkip\s*=\s*\x22"),
        ),
    ]
});
/// A test that returns early when an environment variable is (not) set.
static ENV_GUARD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\bif\b[^\n]*(env::var|var_os|getenv|os\.environ|process\.env|Getenv|LookupEnv|Environment\.GetEnvironmentVariable)[^\n]*",
    )
});

fn family(language: LanguageId) -> LanguageId {
    match language {
        LanguageId::TypeScript | LanguageId::Tsx => LanguageId::JavaScript,
        other => other,
    }
}

fn disabled(ctx: &mut Ctx<'_>, language: LanguageId) {
    let family = family(language);
    for line in ctx.added.clone() {
        let text = ctx.line(line).to_owned();
        for (lang, re) in DISABLED.iter() {
            if *lang != family {
                continue;
            }
            let Some(m) = re.find(&text) else { continue };
            if !ctx.is_code(ctx.offset(line, m.start())) {
                continue;
            }
            ctx.report(
                "test-disabled",
                line,
                Some(column_of(&text, m.start())),
                format!(
                    "test disabled with `{}`",
                    m.as_str().trim().trim_end_matches('(')
                ),
            );
        }
        // an early return on an environment check, at the start of a test
        if let Some(m) = ENV_GUARD.find(&text) {
            let offset = ctx.offset(line, m.start());
            let returns =
                text.contains("return") || ctx.line(line + 1).trim_start().starts_with("return");
            if returns
                && ctx.is_code(offset)
                && ctx.in_test(offset)
                && first_statement_of_test(ctx, offset)
            {
                ctx.report(
                    "test-disabled",
                    line,
                    Some(column_of(&text, m.start())),
                    "the test returns early on an environment check: it may never run".to_owned(),
                );
            }
        }
    }
}

/// Whether the statement at `offset` is the first of the function around it.
fn first_statement_of_test(ctx: &Ctx<'_>, offset: usize) -> bool {
    let mut node = ctx.node_at(offset);
    while let Some(current) = node {
        let parent = current.parent();
        if let Some(parent) = parent {
            let is_body = matches!(
                parent.kind(),
                "block" | "statement_block" | "compound_statement"
            );
            let in_function = parent.parent().is_some_and(|p| {
                p.kind().contains("function")
                    || p.kind().contains("method")
                    || p.kind() == "arrow_function"
            });
            if is_body && in_function {
                let first = parent
                    .named_children(&mut parent.walk())
                    .find(|c| !c.kind().contains("comment"));
                return first.is_some_and(|f| f.id() == current.id());
            }
        }
        node = parent;
    }
    false
}

static SLEEP: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(thread::sleep|tokio::time::sleep|time\.sleep|asyncio\.sleep\s*\(\s*[0-9.]|waitForTimeout|time\.Sleep|Thread\.sleep|Thread\.Sleep|Task\.Delay|setTimeout)\s*\(?|(?:^|[^\w.])sleep\s*\(\s*[0-9]",
    )
});

fn sleeps(ctx: &mut Ctx<'_>, _language: LanguageId) {
    for line in ctx.added.clone() {
        let text = ctx.line(line).to_owned();
        let Some(m) = SLEEP.find(&text) else { continue };
        let offset = ctx.offset(line, m.start());
        if ctx.is_code(offset) && ctx.in_test(offset) {
            ctx.report(
                "test-sleep",
                line,
                Some(column_of(&text, m.start())),
                format!(
                    "the test waits a fixed time: `{}`",
                    m.as_str().trim().trim_end_matches('(')
                ),
            );
        }
    }
}

/// A test found in a side: its name (qualified by its module, class or `describe`), its
/// lines and its body (for renames).
#[derive(Debug, PartialEq, Eq)]
struct TestCase {
    name: String,
    lines: (u32, u32),
    body: String,
}

/// The tests of a side that overlap `lines` (sorted; `None`: all of them): the subtrees
/// around other lines are not visited, so a small change to a large file costs little, nor
/// are those without a test's mark ([`test_marks`]).
fn tests_of(
    language: LanguageId,
    tree: &Tree,
    source: &[u8],
    test_file: bool,
    lines: Option<&[u32]>,
) -> Vec<TestCase> {
    let marks = test_marks(language, source);
    tests_within(language, tree, source, test_file, lines, marks)
}

/// [`tests_of`], entering only subtrees that hold one of `marks`.
fn tests_within(
    language: LanguageId,
    tree: &Tree,
    source: &[u8],
    test_file: bool,
    lines: Option<&[u32]>,
    mut marks: MarksAhead,
) -> Vec<TestCase> {
    let mut found = Vec::new();
    if lines.is_some_and(<[u32]>::is_empty) {
        return found;
    }
    // scopes are shared by all the nodes under them (a string per node cost more than the
    // walk); children are gathered in one reused buffer
    let mut stack: Vec<(Node<'_>, Rc<str>)> = vec![(tree.root_node(), Rc::from(""))];
    let mut children: Vec<Node<'_>> = Vec::new();
    let mut cursor = tree.walk();
    // nodes come off the stack in order of their start, as the marks' reader needs
    while let Some((node, scope)) = stack.pop() {
        let (start, end) = (
            node.start_position().row as u32 + 1,
            node.end_position().row as u32 + 1,
        );
        if lines.is_some_and(|lines| !super::touches(lines, start, end)) {
            continue;
        }
        let kind = node.kind();
        let mut child_scope: Option<String> = None;
        let name = match kind {
            "function_item"
            | "mod_item"
            | "class_definition"
            | "function_definition"
            | "function_declaration"
            | "class_declaration"
            | "method_declaration" => field_text(node, "name", source),
            _ => "",
        };
        let mut test: Option<String> = None;
        match (family(language), kind) {
            (LanguageId::Rust, "function_item")
                if rust_attributes(node, source)
                    .iter()
                    .any(|a| RUST_TEST_ATTR.is_match(a)) =>
            {
                test = Some(name.to_owned());
            }
            (LanguageId::Rust, "mod_item") => child_scope = Some(format!("{scope}{name}::")),
            (LanguageId::Python, "class_definition") => {
                child_scope = Some(format!("{scope}{name}."))
            }
            (LanguageId::Python, "function_definition")
                if name.starts_with("test") && (test_file || scope.starts_with("Test")) =>
            {
                test = Some(name.to_owned());
            }
            (LanguageId::Go, "function_declaration") => {
                let parameters = field_text(node, "parameters", source);
                if name.starts_with("Test") && parameters.contains("testing.T") {
                    test = Some(name.to_owned());
                }
            }
            (LanguageId::Java | LanguageId::CSharp, "class_declaration") => {
                child_scope = Some(format!("{scope}{name}."))
            }
            (LanguageId::Java | LanguageId::CSharp, "method_declaration") => {
                let head = source
                    .get(
                        node.start_byte()
                            ..node
                                .child_by_field_name("name")
                                .map_or(node.start_byte(), |n| n.start_byte()),
                    )
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default();
                if JVM_TEST_ATTR.is_match(&head) {
                    test = Some(name.to_owned());
                }
            }
            (LanguageId::JavaScript, "call_expression") => {
                let callee = field_text(node, "function", source);
                let base = callee.split('.').next().unwrap_or("");
                let title = node
                    .child_by_field_name("arguments")
                    .and_then(|a| a.named_child(0))
                    .filter(|a| a.kind() == "string" || a.kind() == "template_string")
                    .map(|a| {
                        node_text(a, source)
                            .trim_matches(['"', '\'', '`'])
                            .to_owned()
                    });
                if let Some(title) = title {
                    match base {
                        "describe" | "suite" | "context" => {
                            child_scope = Some(format!("{scope}{title} › "))
                        }
                        "it" | "test" if test_file => test = Some(title),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        if let Some(name) = test {
            let body = node
                .child_by_field_name("body")
                .map_or_else(|| node_text(node, source), |b| node_text(b, source));
            // the test starts at its attributes or decorators
            let mut first = node;
            while let Some(previous) = first
                .prev_named_sibling()
                .filter(|p| p.kind() == "attribute_item")
            {
                first = previous;
            }
            if let Some(decorated) = node.parent().filter(|p| p.kind() == "decorated_definition") {
                first = decorated;
            }
            found.push(TestCase {
                name: format!("{scope}{name}"),
                lines: (
                    first.start_position().row as u32 + 1,
                    node.end_position().row as u32 + 1,
                ),
                body: body.split_whitespace().collect::<Vec<_>>().join(" "),
            });
            if family(language) != LanguageId::JavaScript {
                continue;
            }
        }
        if !marks.within(node.start_byte(), node.end_byte()) && !node.has_error() {
            continue;
        }
        let child_scope = child_scope.map_or(scope, Rc::from);
        children.clear();
        children.extend(node.children(&mut cursor));
        for &child in children.iter().rev() {
            stack.push((child, Rc::clone(&child_scope)));
        }
    }
    found
}

/// Where the text every test of `language` is written with starts in `source`: a subtree
/// without it holds no test, so the search does not enter it.
fn test_marks(language: LanguageId, source: &[u8]) -> MarksAhead {
    // what the checks above require: a Rust test attribute names `test` (`rstest`,
    // `test_case`, `proptest`) or `quickcheck` and is a sibling of its function, so it lies
    // within any node above the function; a Python test's name starts with `test`; a Go
    // test's with `Test`; a JVM or .NET test's attribute is `Test…`, `Fact` or `Theory`
    let marks: &[&str] = match family(language) {
        LanguageId::Rust => &["test", "quickcheck"],
        LanguageId::Python => &["test"],
        LanguageId::Go => &["Test"],
        LanguageId::Java | LanguageId::CSharp => &["Test", "Fact", "Theory"],
        // JavaScript's `it(…)` and `describe(…)` have no text in common
        _ => return MarksAhead::everywhere(),
    };
    let mut starts: Vec<usize> = marks
        .iter()
        .flat_map(|mark| memchr::memmem::find_iter(source, mark.as_bytes()))
        .collect();
    starts.sort_unstable();
    MarksAhead::at(starts)
}

static RUST_TEST_ATTR: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^#\[\s*([\w:]*::)?(test|rstest|test_case|quickcheck|proptest)\b"));
static JVM_TEST_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"@(Test|ParameterizedTest|RepeatedTest)\b|\[\s*(Test|Fact|Theory|TestMethod|TestCase)\b",
    )
});
static ASSERTION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bassert\b|\b\w*(assert|expect|should|verify|check|must)\w*\s*[!(.]|\bt\.(Error|Errorf|Fatal|Fatalf|Fail|FailNow)\b|\brequire\.|\bpytest\.raises\b|\bself\.fail\b|\bpanic!|\bfail\s*\(|toThrow|toBe|toEqual|\bsnapshot",
    )
});

fn compare_tests(ctx: &mut Ctx<'_>, language: LanguageId) {
    let test_file = ctx.placement == crate::findings::Placement::Test
        || (family(language) == LanguageId::Go && ctx.input.path.ends_with("_test.go"));
    // a test with no removed line cannot be deleted, one with no added line cannot be new:
    // the old side is read around the removed lines; the new side around the added ones, or
    // whole when an old test lost lines (its name must then be looked for everywhere)
    let removed = ctx.input.removed_lines();
    if removed.is_empty() && ctx.added.is_empty() {
        return;
    }
    let old = ctx.input.old.as_ref().and_then(|side| {
        side.tree
            .map(|tree| tests_of(language, &tree.tree, side.bytes, test_file, Some(&removed)))
    });
    let new_lines: Option<&[u32]> = match &old {
        Some(tests) if !tests.is_empty() => None,
        _ => Some(&ctx.added),
    };
    let new = ctx.input.new.as_ref().and_then(|side| {
        side.tree
            .map(|tree| tests_of(language, &tree.tree, side.bytes, test_file, new_lines))
    });
    let (old, new) = (old.unwrap_or_default(), new.unwrap_or_default());
    let old_names: HashMap<&str, &TestCase> = old.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_names: HashMap<&str, &TestCase> = new.iter().map(|t| (t.name.as_str(), t)).collect();
    // a test renamed with the same body is the same test
    let new_bodies: Vec<&str> = new
        .iter()
        .filter(|t| !old_names.contains_key(t.name.as_str()))
        .map(|t| t.body.as_str())
        .collect();
    let old_bodies: Vec<&str> = old
        .iter()
        .filter(|t| !new_names.contains_key(t.name.as_str()))
        .map(|t| t.body.as_str())
        .collect();
    for test in &old {
        if new_names.contains_key(test.name.as_str()) || new_bodies.contains(&test.body.as_str()) {
            continue;
        }
        // the deleted test's own lines must be among those the change removed
        if !removed
            .iter()
            .any(|&l| l >= test.lines.0 && l <= test.lines.1)
        {
            continue;
        }
        let excerpt = format!("test {}", test.name);
        ctx.push(Report {
            rule: "test-deleted",
            side: FindingSide::Old,
            lines: test.lines,
            column: None,
            message: format!("test `{}` was deleted", test.name),
            excerpt: &excerpt,
            lower: false,
        });
    }
    for test in &new {
        if old_names.contains_key(test.name.as_str()) || old_bodies.contains(&test.body.as_str()) {
            continue;
        }
        if !ctx.is_added(test.lines.0) {
            continue;
        }
        let rust_panics = family(language) == LanguageId::Rust
            && (test.body.contains(".unwrap()")
                || test.body.contains(".expect(")
                || test.body.contains('?'));
        let should_panic = family(language) == LanguageId::Rust
            && (test.lines.0.saturating_sub(3)..test.lines.0)
                .any(|l| ctx.line(l).contains("should_panic"));
        if rust_panics || should_panic || ASSERTION.is_match(&test.body) {
            continue;
        }
        let excerpt = ctx.line(test.lines.0).to_owned();
        ctx.push(Report {
            rule: "test-without-assertion",
            side: FindingSide::New,
            lines: test.lines,
            column: None,
            message: format!("new test `{}` asserts nothing", test.name),
            excerpt: &excerpt,
            lower: false,
        });
    }
}

#[cfg(test)]
mod cases {
    use super::super::testing::{check_change, found, lines_of};
    use crate::findings::{Config, FindingSide};

    #[test]
    fn every_pattern_compiles() {
        assert!(!super::DISABLED.is_empty());
        let _ = (
            &*super::ENV_GUARD,
            &*super::SLEEP,
            &*super::RUST_TEST_ATTR,
            &*super::JVM_TEST_ATTR,
            &*super::ASSERTION,
        );
    }

    #[test]
    fn disabled_tests_in_each_language() {
        let rust = "#[cfg(test)]\nmod tests {\n    #[test]\n    #[ignore]\n    fn a() { assert!(true); }\n}\n";
        assert_eq!(lines_of("test-disabled", "src/lib.rs", rust), vec![4]);
        let ts = "describe(\"x\", () => {\n  it.skip(\"a\", () => { expect(1).toBe(1); });\n  xit(\"b\", () => {});\n});\n";
        assert_eq!(lines_of("test-disabled", "src/x.test.ts", ts), vec![2, 3]);
        let py =
            "import pytest\n\n@pytest.mark.skip(reason=\"flaky\")\ndef test_a():\n    assert 1\n";
        assert_eq!(lines_of("test-disabled", "tests/test_x.py", py), vec![3]);
        let go = "package x\n\nfunc TestA(t *testing.T) {\n\tt.Skip(\"later\")\n}\n";
        assert_eq!(lines_of("test-disabled", "x/a_test.go", go), vec![4]);
        let env = "#[test]\nfn live() {\n    if std::env::var(\"LIVE\").is_err() { return; }\n    assert!(call());\n}\n";
        assert_eq!(lines_of("test-disabled", "tests/live.rs", env), vec![3]);
    }

    /// The marks keep the search out of subtrees without tests, and out of no others: the
    /// tests are those of a search that enters everything, on sources with tests in every
    /// place a language allows (nested modules and classes, attributes with paths, data
    /// attributes, Go's table of subtests) and the marks in strings and names that are not
    /// tests.
    #[test]
    fn the_test_marks_lose_no_test() {
        use crate::syntax::{self, Language, LanguageId, MarksAhead, SyntaxLimits};
        let cases: &[(LanguageId, &str, usize)] = &[
            (
                LanguageId::Rust,
                "fn latest() -> &'static str { \"test\" }\n\
                 #[cfg(test)]\nmod tests {\n    mod deeper {\n        #[tokio::test]\n        async fn a() { assert!(true); }\n    }\n\
                 #[rstest]\n    #[case(1)]\n    fn b(#[case] x: u8) { assert_eq!(x, 1); }\n\
                 #[quickcheck]\n    fn c(x: u8) -> bool { x == x }\n    fn helper() {}\n}\n\
                 mod properties {\n    #[quickcheck]\n    fn reversed_twice(x: u8) -> bool { x == x }\n}\n",
                4,
            ),
            (
                LanguageId::Python,
                "def helper():\n    return 'test'\n\nclass TestThing:\n    def test_a(self):\n        assert 1\n\n    class TestInner:\n        def test_b(self):\n            assert 2\n\ndef test_c():\n    assert 3\n",
                3,
            ),
            (
                LanguageId::Go,
                "package p\n\nimport \"testing\"\n\nfunc helper() string { return \"Test\" }\n\nfunc TestA(t *testing.T) {\n\tt.Run(\"sub\", func(t *testing.T) {})\n}\n\nfunc TestB(t *testing.T) { helper() }\n",
                2,
            ),
            (
                LanguageId::Java,
                "class ThingTest {\n  @Test void a() { assertTrue(true); }\n  @ParameterizedTest @ValueSource(ints = {1}) void b(int x) {}\n  static class Inner { @RepeatedTest(2) void c() {} }\n  void helper() {}\n}\n",
                3,
            ),
            (
                LanguageId::CSharp,
                "public class ThingTests {\n  [Fact] public void A() { Assert.True(true); }\n  [Theory] [InlineData(1)] public void B(int x) {}\n  [TestMethod] public void C() {}\n  public void Helper() {}\n}\n\
                 public class Properties {\n  [Theory] [InlineData(2)] public void D(int x) {}\n}\n",
                4,
            ),
        ];
        let limits = SyntaxLimits::default();
        for (id, source, expected) in cases {
            let language = Language::of(*id);
            let tree = syntax::parse_tree(language, source.as_bytes(), &limits)
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|e| panic!("{e:?}"));
            for test_file in [false, true] {
                let marked = super::tests_of(*id, &tree.tree, source.as_bytes(), test_file, None);
                let everywhere = super::tests_within(
                    *id,
                    &tree.tree,
                    source.as_bytes(),
                    test_file,
                    None,
                    MarksAhead::everywhere(),
                );
                assert_eq!(marked, everywhere, "{}", language.name);
                if test_file {
                    assert_eq!(marked.len(), *expected, "{}: {marked:#?}", language.name);
                }
            }
        }
    }

    #[test]
    fn deleted_tests_by_name_not_lines() {
        let old = "#[cfg(test)]\nmod tests {\n    #[test]\n    fn a() {\n        assert_eq!(1, 1);\n    }\n\n    #[test]\n    fn b() {\n        assert_eq!(2, 2);\n    }\n}\n";
        let new = "#[cfg(test)]\nmod tests {\n    #[test]\n    fn a() {\n        assert_eq!(1, 1);\n    }\n}\n";
        let findings = check_change("src/lib.rs", Some(old), Some(new), &Config::default());
        let deleted: Vec<_> = findings
            .iter()
            .filter(|f| f.rule == "test-deleted")
            .collect();
        assert_eq!(deleted.len(), 1, "{findings:?}");
        assert_eq!((deleted[0].side, deleted[0].line), (FindingSide::Old, 8));
        // a test that only lost lines is still there
        let shorter = old.replace("        assert_eq!(2, 2);\n", "");
        assert_eq!(found("src/lib.rs", old, &shorter), vec![]);
        // renamed with the same body: not deleted
        let renamed = old.replace("fn b()", "fn b_renamed()");
        assert_eq!(found("src/lib.rs", old, &renamed), vec![]);
    }

    #[test]
    fn new_tests_without_assertions_and_sleeps() {
        let py = "import time\n\ndef test_a():\n    run()\n\ndef test_b():\n    assert run() == 1\n\ndef test_c():\n    time.sleep(2)\n    assert run()\n";
        assert_eq!(
            lines_of("test-without-assertion", "tests/test_x.py", py),
            vec![3]
        );
        assert_eq!(lines_of("test-sleep", "tests/test_x.py", py), vec![10]);
        let rust = "#[test]\nfn a() {\n    run();\n}\n#[test]\nfn b() {\n    run().unwrap();\n}\n";
        assert_eq!(
            lines_of("test-without-assertion", "tests/it.rs", rust),
            vec![1]
        );
        let library = "import time\n\ndef wait():\n    time.sleep(2)\n";
        assert_eq!(
            lines_of("test-sleep", "app/x.py", library),
            Vec::<u32>::new()
        );
    }
}
