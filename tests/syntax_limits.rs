#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Structure within limits: inputs that would make a parser slow, deep or confused end in a
//! marker saying which limit was hit, in bounded time, without a crash; and with the limits
//! raised the same inputs still finish.

mod support;

use std::time::{Duration, Instant};

use redline::repo::Target;
use redline::review;
use redline::syntax::{self, FileSymbols, Language, LanguageId, NotParsedReason, SyntaxLimits};
use support::TestRepo;

fn rust() -> &'static Language {
    Language::of(LanguageId::Rust)
}

/// Symbols of `source`, asserting it took less than `bound`.
fn timed(source: &[u8], limits: &SyntaxLimits, bound: Duration) -> FileSymbols {
    let started = Instant::now();
    let symbols = syntax::symbols(rust(), source, limits).unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed < bound, "took {elapsed:?}, bound {bound:?}");
    symbols
}

fn generated_source(bytes: usize) -> Vec<u8> {
    let mut out = String::with_capacity(bytes + 200);
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&format!(
            "pub fn generated_{i}(x: u64) -> u64 {{\n    let y = x.wrapping_mul({i});\n    y ^ (y >> 7)\n}}\n\n"
        ));
        i += 1;
    }
    out.into_bytes()
}

fn reason(symbols: &FileSymbols) -> &NotParsedReason {
    &symbols
        .not_parsed
        .as_ref()
        .expect("a not-parsed marker")
        .reason
}

#[test]
fn a_5_mb_generated_file_is_too_large_by_default_and_bounded_when_allowed() {
    let source = generated_source(5 * 1024 * 1024);
    let symbols = timed(
        &source,
        &SyntaxLimits::default(),
        Duration::from_millis(500),
    );
    assert_eq!(
        *reason(&symbols),
        NotParsedReason::TooLarge {
            bytes: source.len() as u64,
            limit: 1024 * 1024
        }
    );
    assert!(symbols
        .not_parsed
        .unwrap()
        .message
        .contains("over the 1048576-byte limit"));

    // allowed: parsed, or stopped by the timeout; either way within the timeout and a margin
    let limits = SyntaxLimits {
        max_bytes: usize::MAX,
        timeout: Duration::from_secs(3),
        ..SyntaxLimits::default()
    };
    let symbols = timed(&source, &limits, Duration::from_secs(20));
    match &symbols.not_parsed {
        None => assert!(symbols.symbols.len() > 50_000, "{}", symbols.symbols.len()),
        Some(np) => assert_eq!(np.reason, NotParsedReason::Timeout { millis: 3000 }),
    }
}

#[test]
fn a_file_of_one_1_mb_line_is_marked_and_parses_when_allowed() {
    let mut source = b"const TABLE: [u8; 1] = [".to_vec();
    while source.len() < 1_000_000 {
        source.extend_from_slice(b"1, ");
    }
    source.extend_from_slice(b"1];");
    let symbols = timed(
        &source,
        &SyntaxLimits::default(),
        Duration::from_millis(500),
    );
    assert!(
        matches!(reason(&symbols), NotParsedReason::LineTooLong { bytes, limit: 65536 } if *bytes == source.len() as u64)
    );

    let limits = SyntaxLimits {
        max_line_bytes: usize::MAX,
        ..SyntaxLimits::default()
    };
    let symbols = timed(&source, &limits, Duration::from_secs(20));
    if symbols.not_parsed.is_none() {
        assert_eq!(symbols.symbols.len(), 1);
        assert_eq!(symbols.symbols[0].path, "const TABLE");
    }
}

fn nested(levels: usize) -> Vec<u8> {
    let mut source = b"fn deep() -> u32 {\n    ".to_vec();
    source.extend(std::iter::repeat_n(b'(', levels));
    source.push(b'1');
    source.extend(std::iter::repeat_n(b')', levels));
    source.extend_from_slice(b"\n}\n");
    source
}

#[test]
fn ten_thousand_levels_of_nesting_are_too_deep_by_default_and_do_not_overflow_when_allowed() {
    let source = nested(10_000);
    let symbols = timed(
        &source,
        &SyntaxLimits::default(),
        Duration::from_millis(500),
    );
    assert_eq!(
        *reason(&symbols),
        NotParsedReason::TooDeep {
            // the function's own brace is one more level
            depth: 10_001,
            limit: 1_000
        }
    );

    // allowed: the parser and every walk of ours must cope with the depth (no recursion). The
    // time limit is the test's own bound, so a slow machine cannot turn "parsed" into "timed out".
    let limits = SyntaxLimits {
        max_depth: usize::MAX,
        timeout: Duration::from_secs(20),
        ..SyntaxLimits::default()
    };
    let symbols = timed(&source, &limits, Duration::from_secs(20));
    assert_eq!(symbols.not_parsed, None);
    assert_eq!(symbols.symbols[0].path, "fn deep");
    let highlights = syntax::highlight(rust(), &source, &limits).unwrap();
    assert_eq!(highlights.not_parsed, None);
    assert!(!highlights.spans.is_empty());

    // unbalanced nesting (an AI's unfinished edit) ends in error regions, not a hang
    let mut broken = nested(10_000);
    broken.truncate(broken.len() / 2);
    let symbols = timed(&broken, &limits, Duration::from_secs(20));
    assert_eq!(symbols.not_parsed, None);
    assert!(!symbols.errors.is_empty());
}

#[test]
fn binary_data_with_a_rust_name_is_marked_binary() {
    let mut data: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    data[10] = 0;
    let symbols = timed(&data, &SyntaxLimits::default(), Duration::from_millis(200));
    assert_eq!(*reason(&symbols), NotParsedReason::Binary);
    let highlights = syntax::highlight(rust(), &data, &SyntaxLimits::default()).unwrap();
    assert_eq!(
        highlights.not_parsed.map(|np| np.reason),
        Some(NotParsedReason::Binary)
    );
}

#[test]
fn a_review_with_all_of_them_reports_each_marker_and_still_labels_the_rest() {
    let repo = TestRepo::new();
    repo.write("src/ok.rs", "fn ok() {}\n").commit("old");
    let mut binary: Vec<u8> = b"\x7fELF\0\0".to_vec();
    binary.extend((0..=255u8).cycle().take(4096));
    repo.write("src/ok.rs", "fn ok() {}\n\nfn added() {}\n")
        .write("src/generated.rs", generated_source(5 * 1024 * 1024))
        .write("src/deep.rs", nested(10_000))
        .write("src/blob.rs", binary)
        .commit("new");
    let started = Instant::now();
    let report = review::structure(&repo.path(), &Target::Commit { rev: "HEAD".into() }).unwrap();
    assert!(started.elapsed() < Duration::from_secs(20));
    let file = |path: &str| report.files.iter().find(|f| f.path == path).unwrap();
    assert!(matches!(
        file("src/generated.rs")
            .new
            .not_parsed
            .as_ref()
            .unwrap()
            .reason,
        NotParsedReason::TooLarge { .. }
    ));
    assert!(matches!(
        file("src/deep.rs").new.not_parsed.as_ref().unwrap().reason,
        NotParsedReason::TooDeep { .. }
    ));
    // git itself calls it binary: no structure, no label, no marker needed
    assert!(file("src/blob.rs").hunk_labels.is_empty());
    assert_eq!(file("src/ok.rs").counts.added, 1);
}
