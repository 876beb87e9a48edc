//! Rust API analysis with syn: one test per breaking and non-breaking change the API diff
//! knows (each a pair of sources), the surface of a fixture crate, the risky-sites detector,
//! inputs syn cannot or must not parse, and `redline api` on a real repository.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use pretty_assertions::assert_eq;
use redline::syntax::rust_api::{
    analyze, api_diff, module_of, risky_sites_of, surface_of, ApiChange, ApiItemKind, ChangeKind,
    RiskKind, RustParseError, Visibility, MAX_CHAIN, MAX_DEPTH,
};
use support::{text, TestRepo};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rust_api");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

/// The one API change from `old` to `new`.
fn only_change(old: &str, new: &str) -> ApiChange {
    let diff = api_diff(old, new, "crate").unwrap();
    assert_eq!(diff.changes.len(), 1, "expected one change: {diff:#?}");
    assert_eq!(
        diff.breaking,
        u32::from(diff.changes[0].breaking),
        "breaking count"
    );
    diff.changes.into_iter().next().unwrap()
}

/// Asserts the one change is at `path`, of kind `change`, breaking, for a reason containing
/// `reason`.
fn assert_breaking(old: &str, new: &str, path: &str, change: ChangeKind, reason: &str) {
    let found = only_change(old, new);
    assert_eq!(
        (found.path.as_str(), found.change),
        (path, change),
        "{found:#?}"
    );
    assert!(found.breaking, "should be breaking: {found:#?}");
    assert!(found.reason.contains(reason), "reason: {}", found.reason);
}

fn assert_compatible(old: &str, new: &str, path: &str, change: ChangeKind, reason: &str) {
    let found = only_change(old, new);
    assert_eq!(
        (found.path.as_str(), found.change),
        (path, change),
        "{found:#?}"
    );
    assert!(!found.breaking, "should not be breaking: {found:#?}");
    assert!(found.reason.contains(reason), "reason: {}", found.reason);
}

// ---- breaking ----

#[test]
fn removed_pub_fn_breaks() {
    assert_breaking(
        "pub fn parse(input: &str) -> u32 { 0 }\npub fn keep() {}",
        "pub fn keep() {}",
        "crate::parse",
        ChangeKind::Removed,
        "public fn removed",
    );
}

#[test]
fn changed_parameters_break() {
    let change = only_change(
        "pub fn parse(input: &str) -> u32 { 0 }",
        "pub fn parse(input: &str, strict: bool) -> u32 { 0 }",
    );
    assert!(change.breaking);
    assert_eq!(change.reason, "parameters changed");
    assert_eq!(
        change.old.as_deref(),
        Some("pub fn parse(input: &str) -> u32")
    );
    assert_eq!(
        change.new.as_deref(),
        Some("pub fn parse(input: &str, strict: bool) -> u32")
    );
}

#[test]
fn changed_return_type_breaks() {
    assert_breaking(
        "pub fn parse() -> u32 { 0 }",
        "pub fn parse() -> Option<u32> { None }",
        "crate::parse",
        ChangeKind::Changed,
        "return type changed",
    );
}

#[test]
fn added_generic_parameter_breaks() {
    assert_breaking(
        "pub fn parse(input: &str) {}",
        "pub fn parse<R: std::io::Read>(input: &str) {}",
        "crate::parse",
        ChangeKind::Changed,
        "generic parameter added",
    );
}

#[test]
fn tightened_where_clause_breaks() {
    assert_breaking(
        "pub fn show<T>(value: T) {}",
        "pub fn show<T>(value: T) where T: std::fmt::Debug {}",
        "crate::show",
        ChangeKind::Changed,
        "where-clause changed",
    );
}

#[test]
fn changed_receiver_breaks() {
    assert_breaking(
        "pub struct S;\nimpl S { pub fn get(&self) -> u32 { 0 } }",
        "pub struct S;\nimpl S { pub fn get(&mut self) -> u32 { 0 } }",
        "crate::S::get",
        ChangeKind::Changed,
        "parameters changed",
    );
}

#[test]
fn tightened_impl_bounds_break_its_methods() {
    assert_breaking(
        "pub struct S<T>(T);\nimpl<T> S<T> { pub fn get(&self) {} }",
        "pub struct S<T>(T);\nimpl<T: Clone> S<T> { pub fn get(&self) {} }",
        "crate::S::get",
        ChangeKind::Changed,
        "impl block header changed",
    );
}

#[test]
fn narrowed_visibility_breaks() {
    assert_breaking(
        "pub fn parse() {}",
        "pub(crate) fn parse() {}",
        "crate::parse",
        ChangeKind::Changed,
        "visibility narrowed from pub to pub(crate)",
    );
}

#[test]
fn module_made_private_breaks_its_items() {
    let diff = api_diff(
        "pub mod a { pub fn f() {} }",
        "mod a { pub fn f() {} }",
        "crate",
    )
    .unwrap();
    let paths: Vec<(&str, bool)> = diff
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.breaking))
        .collect();
    assert_eq!(paths, [("crate::a", true), ("crate::a::f", true)]);
    assert!(diff.changes[1].reason.contains("no longer reachable"));
}

#[test]
fn added_required_trait_method_breaks() {
    assert_breaking(
        "pub trait Store { fn get(&self) -> u32; }",
        "pub trait Store { fn get(&self) -> u32; fn put(&mut self, v: u32); }",
        "crate::Store::put",
        ChangeKind::Added,
        "required trait method added",
    );
}

#[test]
fn added_required_associated_type_breaks() {
    assert_breaking(
        "pub trait Store {}",
        "pub trait Store { type Key: Ord; }",
        "crate::Store::Key",
        ChangeKind::Added,
        "required trait associated type added",
    );
}

#[test]
fn removed_default_of_trait_method_breaks() {
    assert_breaking(
        "pub trait Store { fn size(&self) -> u32 { 0 } }",
        "pub trait Store { fn size(&self) -> u32; }",
        "crate::Store::size",
        ChangeKind::Changed,
        "lost its default",
    );
}

#[test]
fn variant_added_to_exhaustive_enum_breaks() {
    assert_breaking(
        "pub enum Mode { Fast, Slow }",
        "pub enum Mode { Fast, Slow, Auto }",
        "crate::Mode::Auto",
        ChangeKind::Added,
        "not #[non_exhaustive]",
    );
}

#[test]
fn removed_variant_breaks() {
    assert_breaking(
        "pub enum Mode { Fast, Slow }",
        "pub enum Mode { Fast }",
        "crate::Mode::Slow",
        ChangeKind::Removed,
        "public enum variant removed",
    );
}

#[test]
fn changed_variant_fields_break() {
    assert_breaking(
        "pub enum Shape { Circle(f64) }",
        "pub enum Shape { Circle { radius: f64 } }",
        "crate::Shape::Circle",
        ChangeKind::Changed,
        "variant fields changed",
    );
}

#[test]
fn pub_field_added_to_struct_with_only_pub_fields_breaks() {
    assert_breaking(
        "pub struct Point { pub x: i32 }",
        "pub struct Point { pub x: i32, pub y: i32 }",
        "crate::Point::y",
        ChangeKind::Added,
        "fields were all public",
    );
}

#[test]
fn private_field_added_to_struct_with_only_pub_fields_breaks() {
    assert_breaking(
        "pub struct Point { pub x: i32 }",
        "pub struct Point { pub x: i32, cache: u32 }",
        "crate::Point",
        ChangeKind::Changed,
        "a private field was added",
    );
}

#[test]
fn changed_field_type_breaks() {
    assert_breaking(
        "pub struct Point { pub x: i32 }",
        "pub struct Point { pub x: i64 }",
        "crate::Point::x",
        ChangeKind::Changed,
        "type changed",
    );
}

#[test]
fn non_exhaustive_added_breaks() {
    assert_breaking(
        "pub enum Mode { Fast }",
        "#[non_exhaustive]\npub enum Mode { Fast }",
        "crate::Mode",
        ChangeKind::Changed,
        "became #[non_exhaustive]",
    );
}

#[test]
fn removed_trait_impl_breaks() {
    assert_breaking(
        "pub struct S;\nimpl Clone for S { fn clone(&self) -> S { S } }",
        "pub struct S;",
        "crate::impl Clone for S",
        ChangeKind::Removed,
        "trait impl removed",
    );
}

#[test]
fn changed_associated_type_of_trait_impl_breaks() {
    assert_breaking(
        "pub struct S;\nimpl Iterator for S { type Item = u8; fn next(&mut self) -> Option<u8> { None } }",
        "pub struct S;\nimpl Iterator for S { type Item = u16; fn next(&mut self) -> Option<u16> { None } }",
        "crate::impl Iterator for S",
        ChangeKind::Changed,
        "signature changed",
    );
}

#[test]
fn removed_re_export_breaks() {
    assert_breaking(
        "pub use crate::inner::Parser;\npub use crate::inner::Lexer as Tokens;",
        "pub use crate::inner::Parser;",
        "crate::Tokens",
        ChangeKind::Removed,
        "public re-export removed",
    );
}

#[test]
fn changed_const_type_breaks_but_not_its_value() {
    assert_breaking(
        "pub const LIMIT: u32 = 10;",
        "pub const LIMIT: u64 = 10;",
        "crate::LIMIT",
        ChangeKind::Changed,
        "type changed",
    );
    let diff = api_diff(
        "pub const LIMIT: u32 = 10;",
        "pub const LIMIT: u32 = 20;",
        "crate",
    )
    .unwrap();
    assert!(diff.is_empty(), "{diff:#?}");
}

#[test]
fn qualifier_change_breaks() {
    assert_breaking(
        "pub fn run() {}",
        "pub unsafe fn run() {}",
        "crate::run",
        ChangeKind::Changed,
        "qualifiers changed",
    );
}

// ---- not breaking ----

#[test]
fn added_pub_item_is_compatible() {
    assert_compatible(
        "pub fn parse() {}",
        "pub fn parse() {}\npub fn parse_strict() {}",
        "crate::parse_strict",
        ChangeKind::Added,
        "public fn added",
    );
}

#[test]
fn added_provided_trait_method_is_compatible() {
    assert_compatible(
        "pub trait Store { fn get(&self) -> u32; }",
        "pub trait Store { fn get(&self) -> u32; fn len(&self) -> usize { 0 } }",
        "crate::Store::len",
        ChangeKind::Added,
        "provided trait method added",
    );
}

#[test]
fn default_given_to_trait_method_is_compatible() {
    assert_compatible(
        "pub trait Store { fn size(&self) -> u32; }",
        "pub trait Store { fn size(&self) -> u32 { 0 } }",
        "crate::Store::size",
        ChangeKind::Changed,
        "gained a default",
    );
}

#[test]
fn widened_visibility_is_compatible() {
    assert_compatible(
        "pub(crate) fn parse() {}",
        "pub fn parse() {}",
        "crate::parse",
        ChangeKind::Changed,
        "visibility widened from pub(crate) to pub",
    );
}

#[test]
fn doc_changes_are_compatible() {
    assert_compatible(
        "/// Parses.\npub fn parse(input: &str) {}",
        "/// Parses `input`, strictly.\n#[inline]\npub fn parse(input: &str) {}",
        "crate::parse",
        ChangeKind::Changed,
        "documentation changed",
    );
}

#[test]
fn renamed_parameters_are_compatible() {
    assert_compatible(
        "pub fn copy(a: &str, b: &str) {}",
        "pub fn copy(from: &str, mut to: &str) {}",
        "crate::copy",
        ChangeKind::Changed,
        "parameter names changed",
    );
}

#[test]
fn becoming_const_fn_is_compatible() {
    assert_compatible(
        "pub fn zero() -> u32 { 0 }",
        "pub const fn zero() -> u32 { 0 }",
        "crate::zero",
        ChangeKind::Changed,
        "became a const fn",
    );
}

#[test]
fn variant_added_to_non_exhaustive_enum_is_compatible() {
    assert_compatible(
        "#[non_exhaustive]\npub enum Mode { Fast }",
        "#[non_exhaustive]\npub enum Mode { Fast, Slow }",
        "crate::Mode::Slow",
        ChangeKind::Added,
        "public enum variant added",
    );
}

#[test]
fn field_added_to_struct_with_private_fields_is_compatible() {
    assert_compatible(
        "pub struct Config { pub name: String, secret: u32 }",
        "pub struct Config { pub name: String, pub retries: u32, secret: u32 }",
        "crate::Config::retries",
        ChangeKind::Added,
        "public field added",
    );
}

#[test]
fn defaulted_generic_parameter_added_to_type_is_compatible() {
    assert_compatible(
        "pub struct Stack<T> { items: Vec<T> }",
        "pub struct Stack<T, const N: usize = 8> { items: Vec<T> }",
        "crate::Stack",
        ChangeKind::Changed,
        "generic parameter with a default added",
    );
}

#[test]
fn added_trait_impl_is_compatible() {
    assert_compatible(
        "pub struct S;",
        "pub struct S;\nimpl Default for S { fn default() -> S { S } }",
        "crate::impl Default for S",
        ChangeKind::Added,
        "public trait impl added",
    );
}

#[test]
fn non_exhaustive_removed_is_compatible() {
    assert_compatible(
        "#[non_exhaustive]\npub struct Options { pub fast: bool }",
        "pub struct Options { pub fast: bool }",
        "crate::Options",
        ChangeKind::Changed,
        "no longer #[non_exhaustive]",
    );
}

#[test]
fn private_items_and_bodies_are_not_api() {
    let old = "fn helper(a: u32) {}\npub(crate) fn internal() {}\npub fn run() { helper(1) }\nstruct Hidden;\nimpl Hidden { pub fn m(&self) {} }";
    let new = "fn helper(a: u64, b: u8) {}\npub(crate) fn internal(x: u8) {}\npub fn run() { helper(1, 2); helper(3, 4) }\nstruct Hidden;\nimpl Hidden { pub fn m(&mut self) {} }";
    let diff = api_diff(old, new, "crate").unwrap();
    assert!(diff.is_empty(), "{diff:#?}");
}

// ---- the surface ----

#[test]
fn surface_records_paths_kinds_visibility_and_signatures() {
    let surface = surface_of(&fixture("surface.rs"), "crate::store").unwrap();
    let rows: Vec<String> = surface
        .items
        .iter()
        .map(|item| {
            format!(
                "{:<5} {:<38} {:<11} {:<12} {}{}",
                item.line,
                item.path,
                format!("{:?}", item.kind),
                item.visibility.keyword(),
                if item.exported { "" } else { "(internal) " },
                item.signature
            ) + if item.required { "  [required]" } else { "" }
        })
        .collect();
    insta::assert_snapshot!(rows.join("\n"));
}

#[test]
fn visibility_levels_are_told_apart() {
    let surface = surface_of(
        "pub fn a() {}\npub(crate) fn b() {}\npub(super) fn c() {}\npub(in crate::x) fn d() {}\nfn e() {}\npub(self) fn f() {}",
        "crate::x::y",
    )
    .unwrap();
    let levels: Vec<Visibility> = surface.items.into_iter().map(|i| i.visibility).collect();
    assert_eq!(
        levels,
        [
            Visibility::Public,
            Visibility::Crate,
            Visibility::Super,
            Visibility::InPath {
                path: "crate::x".into()
            },
            Visibility::Private,
            Visibility::Private,
        ]
    );
}

#[test]
fn surface_json_is_camel_case_without_internals() {
    let surface = surface_of("pub trait T { fn f(&self); }", "crate").unwrap();
    insta::assert_json_snapshot!(surface);
}

#[test]
fn module_paths_follow_cargo_layout() {
    for (path, module) in [
        ("src/lib.rs", "crate"),
        ("src/main.rs", "crate"),
        ("src/repo/mod.rs", "crate::repo"),
        (
            "src/syntax/rust_api/diff.rs",
            "crate::syntax::rust_api::diff",
        ),
        ("crates/core/src/a.rs", "crate::a"),
        ("src/bin/tool.rs", "crate"),
        ("tests/cli.rs", "crate"),
        ("build.rs", "crate"),
    ] {
        assert_eq!(module_of(path), module, "{path}");
    }
}

// ---- risky sites ----

#[test]
fn risky_sites_are_found_with_position_and_enclosing_fn() {
    let sites = risky_sites_of(&fixture("risky.rs"), "crate::io").unwrap();
    let rows: Vec<String> = sites
        .iter()
        .map(|s| {
            format!(
                "{}:{} {:?} {} in {}{}",
                s.line,
                s.column,
                s.kind,
                s.text,
                s.enclosing.as_deref().unwrap_or("-"),
                if s.in_test { " (test)" } else { "" }
            )
        })
        .collect();
    insta::assert_snapshot!(rows.join("\n"));
    // debug_assert! and unwrap_or are not panics
    assert!(sites
        .iter()
        .all(|s| s.text != "debug_assert!" && s.text != "unwrap_or"));
}

#[test]
fn risky_sites_cover_every_kind() {
    let sites = risky_sites_of(&fixture("risky.rs"), "crate").unwrap();
    for kind in [
        RiskKind::UnsafeBlock,
        RiskKind::UnsafeFn,
        RiskKind::UnsafeImpl,
        RiskKind::UnsafeTrait,
        RiskKind::Unwrap,
        RiskKind::Expect,
        RiskKind::Panic,
        RiskKind::Todo,
        RiskKind::Unimplemented,
        RiskKind::Unreachable,
        RiskKind::Assert,
    ] {
        assert!(sites.iter().any(|s| s.kind == kind), "no {kind:?}");
    }
}

// ---- inputs that do not parse or must not be parsed ----

#[test]
fn syntax_error_is_typed_with_its_position() {
    let error = analyze("pub fn ok() {}\n\npub fn broken( {\n", "crate").unwrap_err();
    let RustParseError::Syntax { line, message, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*line, 3, "{error}");
    assert!(!message.is_empty());
    assert!(
        error.to_string().starts_with("Rust syntax error at 3:"),
        "{error}"
    );
}

#[test]
fn ten_thousand_nested_levels_are_too_deep_not_a_crash() {
    let nested = format!(
        "fn f() {{ let x = {}1{}; }}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let error = analyze(&nested, "crate").unwrap_err();
    assert_eq!(
        error,
        RustParseError::TooDeep {
            depth: 10_001,
            limit: MAX_DEPTH
        }
    );
    let blocks = format!("fn f() {}{}", "{".repeat(10_000), "}".repeat(10_000));
    assert!(matches!(
        analyze(&blocks, "crate"),
        Err(RustParseError::TooDeep { .. })
    ));
    let types = format!(
        "type T = {}u8{};",
        "Vec<".repeat(10_000),
        ">".repeat(10_000)
    );
    assert!(matches!(
        analyze(&types, "crate"),
        Err(RustParseError::TooDeep { .. })
    ));
}

#[test]
fn nesting_just_under_the_limits_parses_on_a_small_stack() {
    // The limits hold on the parser thread whatever the caller's stack: run from a thread
    // with a 256 KB stack.
    let worst = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let depth = MAX_DEPTH as usize - 2;
            let types = format!(
                "pub type T = {}u8{};",
                "Vec<".repeat(depth),
                ">".repeat(depth)
            );
            let blocks = format!("pub fn f() {}{}", "{".repeat(depth), "}".repeat(depth));
            let unary = format!(
                "pub const X: i32 = {}1;",
                "-".repeat(MAX_CHAIN as usize - 2)
            );
            [types, blocks, unary].map(|source| analyze(&source, "crate").map(|_| ()))
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(worst, [Ok(()), Ok(()), Ok(())]);
}

#[test]
fn chained_keywords_are_too_deep_not_a_stack_overflow() {
    // Regression: 140 KB of `return return … 1` (or `break`, or `as u8 as u8 …`) aborted
    // `redline api` with a stack overflow: the depth scan did not count keywords that nest.
    let n = 20_000;
    let shapes = [
        format!("pub fn f() -> i32 {{ {}1 }}", "return ".repeat(n)),
        format!("pub fn f() {{ loop {{ {}1 }} }}", "break ".repeat(n)),
        format!("pub const X: u8 = 1{};", " as u8".repeat(n)),
    ];
    for source in &shapes {
        assert!(source.len() > 100_000);
        assert!(
            matches!(
                analyze(source, "crate"),
                Err(RustParseError::TooDeep { limit, .. }) if limit == MAX_CHAIN
            ),
            "{}",
            &source[..40]
        );
    }
    // Just under the limit they parse, on the parser's own stack, whatever the caller's.
    let near = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let k = MAX_CHAIN as usize - 4;
            [
                format!("pub fn f() -> i32 {{ {}1 }}", "return ".repeat(k)),
                format!("pub fn f() {{ loop {{ {}1 }} }}", "break ".repeat(k)),
                format!("pub const X: u8 = 1{};", " as u8".repeat(k)),
            ]
            .map(|source| analyze(&source, "crate").map(|_| ()))
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(near, [Ok(()), Ok(()), Ok(())]);
}

#[test]
fn a_one_megabyte_line_is_analysed_or_refused_quickly() {
    let start = std::time::Instant::now();
    let sum = format!("pub const X: u32 = 0{};", " + 1".repeat(250_000));
    assert!(matches!(
        analyze(&sum, "crate"),
        Err(RustParseError::TooDeep { limit, .. }) if limit == MAX_CHAIN
    ));
    let calls = "pub fn f() { g(1); h(2).unwrap(); }".repeat(30_000);
    assert!(calls.len() > 1_000_000 && !calls.contains('\n'));
    let analysis = analyze(&calls, "crate").unwrap();
    assert_eq!(analysis.risky.len(), 30_000);
    assert!(analysis.risky.iter().all(|s| s.line == 1));
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
}

#[test]
fn too_large_source_is_refused_before_parsing() {
    let big = "// padding\n".repeat(900_000);
    assert!(matches!(
        analyze(&big, "crate"),
        Err(RustParseError::TooLarge { .. })
    ));
}

// ---- end to end ----

#[test]
fn redline_api_reports_breaking_changes_of_a_commit() {
    let repo = TestRepo::new();
    repo.write("src/lib.rs", fixture("e2e_old.rs"))
        .write("README.md", "not rust\n")
        .commit("first");
    repo.write("src/lib.rs", fixture("e2e_new.rs"))
        .write("src/broken.rs", "pub fn half( {\n")
        .write("README.md", "still not rust\n")
        .commit("agent rewrite");

    let out = repo.redline(&["api", "HEAD", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    insta::assert_json_snapshot!(json);

    let out = repo.redline(&["api", "HEAD"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    insta::assert_snapshot!(text(&out.stdout));
}

#[test]
fn redline_api_reads_the_working_tree() {
    let repo = TestRepo::new();
    repo.write("src/lib.rs", "pub fn a() {}\n").commit("first");
    // Without a target: the HEAD commit while the working tree is clean …
    let out = repo.redline(&["api", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["spec"], "HEAD", "{}", text(&out.stderr));
    repo.write(
        "src/lib.rs",
        "pub fn a(x: u8) { x.checked_add(1).unwrap(); }\n",
    );
    // … and the working tree once an agent writes to it.
    let out = repo.redline(&["api", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["spec"], "worktree");
    let file = &json["files"][0];
    assert_eq!(file["api"]["breaking"], 1);
    assert_eq!(file["api"]["changes"][0]["kind"], "fn");
    assert_eq!(file["risky"][0]["kind"], "unwrap");
    assert_eq!(file["risky"][0]["enclosing"], "crate::a");
}

#[test]
fn binary_data_with_an_rs_name_is_not_text() {
    let repo = TestRepo::new();
    repo.write("src/lib.rs", "pub fn a() {}\n").commit("first");
    repo.write("src/lib.rs", [0u8, 159, 146, 150, 0, 1, 2])
        .commit("binary");
    let out = repo.redline(&["api", "HEAD", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["newError"]["kind"], "notText");
    assert_eq!(json["files"][0]["api"], serde_json::Value::Null);
}

#[test]
fn every_item_kind_is_seen() {
    let surface = surface_of(&fixture("surface.rs"), "crate").unwrap();
    let kinds: std::collections::BTreeSet<ApiItemKind> =
        surface.items.iter().map(|i| i.kind).collect();
    assert_eq!(kinds.len(), 19, "{kinds:?}");
}
