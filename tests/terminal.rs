//! Repository text never drives the reviewer's terminal: commit subjects, author, branch and
//! file names with escape sequences, BEL, carriage returns and bidi controls are printed
//! visibly escaped in text output and error messages, and exactly in JSON.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::{redline, text, TestRepo};

const SUBJECT: &str = "fix \u{1b}]0;pwned\u{7}\u{1b}[2J totals\u{202e}txt.exe";
const AUTHOR: &str = "Eve \u{1b}[8mhidden";
const FILE: &str = "src/\u{1b}[31mred\u{202e}.rs";
const BRANCH: &str = "feature/\u{202e}evil";

fn hostile_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("src/base.rs", "fn base() {}\n").commit("base");
    repo.git(&["checkout", "-q", "-b", BRANCH]);
    repo.write(FILE, "fn red() {}\n");
    repo.git(&["add", "-A"]);
    let out = support::git_command()
        .args(["commit", "-q", "-m", SUBJECT])
        .current_dir(repo.path())
        .env("GIT_AUTHOR_NAME", AUTHOR)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    repo
}

/// What a terminal would act on: ESC, BEL, CR, and the bidi controls used here.
fn assert_inert(what: &str, bytes: &[u8]) {
    let shown = text(bytes);
    for bad in ['\u{1b}', '\u{7}', '\r', '\u{202e}'] {
        assert!(!shown.contains(bad), "{what} prints {bad:?} raw: {shown}");
    }
}

#[test]
fn text_output_escapes_what_the_repository_wrote() {
    let repo = hostile_repo();
    for args in [
        &["targets"][..],
        &["provenance"],
        &["review", "HEAD"],
        &["symbols", "HEAD"],
        &["status", "HEAD"],
    ] {
        let out = repo.redline(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert_inert(&format!("{args:?}"), &out.stdout);
        assert_inert(&format!("{args:?} (stderr)"), &out.stderr);
    }
    let provenance = text(&repo.redline(&["provenance"]).stdout);
    assert!(
        provenance.contains("fix \\e]0;pwned\\a\\e[2J totals\\u{202e}txt.exe"),
        "{provenance}"
    );
    let review = text(&repo.redline(&["review", "HEAD"]).stdout);
    assert!(review.contains("src/\\e[31mred\\u{202e}.rs"), "{review}");
}

#[test]
fn json_output_keeps_the_exact_text() {
    let repo = hostile_repo();
    let out = repo.redline(&["provenance", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["commits"][0]["summary"], SUBJECT);
    let out = repo.redline(&["review", "HEAD", "--format", "json"]);
    let review: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(review["files"][0]["newPath"], FILE);
}

#[test]
fn error_messages_escape_what_the_user_or_repository_gave() {
    let repo = hostile_repo();
    let out = redline(&[
        "review",
        "--repo",
        repo.path().to_str().unwrap(),
        "\u{1b}[2Jnope\nmore",
    ]);
    assert!(!out.status.success());
    assert_inert("error", &out.stderr);
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("\\e[2Jnope\\nmore"), "{stderr}");
}
