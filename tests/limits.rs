//! Large, generated and vendored files: summarised in the review, loaded in full on demand.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use redline::diff::{Collapsed, Omission};
use redline::repo::Target;
use redline::review;
use support::{parse_numstat_z, TestRepo};

#[test]
fn a_file_with_too_many_changed_lines_is_summarised_and_loaded_on_demand() {
    let repo = TestRepo::new();
    repo.write("small.txt", "a\n").commit("base");
    let big: String = (0..6_000).map(|i| format!("row {i}\n")).collect();
    repo.write("data/big.csv", &big)
        .write("small.txt", "b\n")
        .commit("dump");
    let head = Target::Commit { rev: "HEAD".into() };
    let review = review::open(&repo.path(), Some(&head)).unwrap();
    let big = review
        .files
        .iter()
        .find(|f| f.display_path() == "data/big.csv")
        .unwrap();
    assert_eq!(
        big.omitted,
        Some(Omission::TooManyLines {
            lines: 6_000,
            limit: 5_000
        })
    );
    assert!(big.hunks.is_empty());
    // the counts stay exact
    let numstat = parse_numstat_z(&repo.git(&["diff", "--numstat", "-z", "HEAD~1", "HEAD"]));
    assert_eq!(
        numstat["data/big.csv"],
        Some((big.additions, big.deletions))
    );
    assert_eq!(review.stats.additions, 6_001);

    let full = review::file_diff(&repo.path(), &head, "data/big.csv", None).unwrap();
    assert_eq!(full.omitted, None);
    assert_eq!(
        full.hunks.iter().map(|h| h.line_count()).sum::<usize>(),
        6_000
    );

    let missing = review::file_diff(&repo.path(), &head, "nope.txt", None).unwrap_err();
    assert_eq!(missing.to_string(), "'nope.txt' has no changes in HEAD");
}

#[test]
fn a_file_over_the_byte_limit_is_summarised() {
    let repo = TestRepo::new();
    repo.write("x.txt", "x\n").commit("base");
    let line = "y".repeat(1023) + "\n";
    repo.write("blob.txt", line.repeat(1100))
        .commit("one big file");
    let review = review::open(&repo.path(), Some(&Target::Commit { rev: "HEAD".into() })).unwrap();
    assert!(matches!(
        review.files[0].omitted,
        Some(Omission::TooLarge {
            bytes: 1_126_400,
            limit: 1_048_576
        })
    ));
}

#[test]
fn lock_vendored_and_generated_files_are_marked_and_attributes_win() {
    let repo = TestRepo::new();
    repo.write("README.md", "r\n").commit("base");
    repo.write("Cargo.lock", "lock\n")
        .write("vendor/lib/x.go", "package x\n")
        .write("web/app.min.js", "a()\n")
        .write("src/schema.rs", "pub struct S;\n")
        .write("gen/keep.min.js", "b()\n")
        .write(
            ".gitattributes",
            "src/schema.rs linguist-generated\ngen/*.js linguist-generated=false\n",
        )
        .commit("mixed");
    let review = review::open(&repo.path(), Some(&Target::Commit { rev: "HEAD".into() })).unwrap();
    let reason = |path: &str| {
        review
            .files
            .iter()
            .find(|f| f.display_path() == path)
            .unwrap()
            .collapsed
            .clone()
    };
    assert_eq!(reason("Cargo.lock"), Some(Collapsed::LockFile));
    assert_eq!(reason("vendor/lib/x.go"), Some(Collapsed::Vendored));
    assert_eq!(reason("web/app.min.js"), Some(Collapsed::Generated));
    assert_eq!(reason("src/schema.rs"), Some(Collapsed::Generated));
    assert_eq!(reason("gen/keep.min.js"), None);
    assert_eq!(reason(".gitattributes"), None);
}
