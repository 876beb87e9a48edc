//! Lines of a file's side by number (`review::file_lines`, the core half of "expand context"):
//! committed blobs, working-tree files git hashed but did not store, ranges cut at the end of
//! the file, and refusals named clearly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use pretty_assertions::assert_eq;
use redline::error::{ErrorKind, ErrorReport};
use redline::repo::Target;
use redline::review::{self, FileLines, MAX_FILE_LINES};
use support::TestRepo;

fn numbered(count: usize) -> String {
    (1..=count).map(|n| format!("line {n}\n")).collect()
}

/// The ids of the old and new side of `file` in `target`'s review.
fn sides(repo: &TestRepo, target: &Target, file: &str) -> (Option<String>, Option<String>) {
    let review = review::open(&repo.path(), Some(target)).unwrap();
    let file = review
        .files
        .iter()
        .find(|f| f.display_path() == file)
        .unwrap();
    (file.old_id.clone(), file.new_id.clone())
}

fn strings(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| (*l).to_owned()).collect()
}

#[test]
fn lines_of_both_sides_of_a_commit() {
    let repo = TestRepo::new();
    repo.write("a.txt", numbered(30)).commit("base");
    repo.write("a.txt", numbered(30).replace("line 15\n", "line fifteen\n"))
        .commit("edit");
    let head = Target::Commit { rev: "HEAD".into() };
    let (old, new) = sides(&repo, &head, "a.txt");
    let (old, new) = (old.unwrap(), new.unwrap());

    let got = review::file_lines(&repo.path(), &old, "a.txt", 14, 16).unwrap();
    assert_eq!(
        got,
        FileLines {
            lines: strings(&["line 14", "line 15", "line 16"]),
            total: 30,
            lossy: vec![false; 3],
        }
    );
    let got = review::file_lines(&repo.path(), &new, "a.txt", 15, 15).unwrap();
    assert_eq!(got.lines, ["line fifteen"]);

    // Past the end: cut to the last line, the total says where the file ends.
    let got = review::file_lines(&repo.path(), &new, "a.txt", 28, 40).unwrap();
    assert_eq!(got.lines, ["line 28", "line 29", "line 30"]);
    assert_eq!(got.total, 30);
    // The whole file at the limit.
    let got = review::file_lines(&repo.path(), &new, "a.txt", 1, MAX_FILE_LINES).unwrap();
    assert_eq!(got.lines.len(), 30);
    assert_eq!(got.lines[29], "line 30");
}

#[test]
fn a_working_tree_side_git_did_not_store_is_read_from_the_file() {
    let repo = TestRepo::new();
    repo.write("a.txt", numbered(10)).commit("base");
    repo.write("a.txt", numbered(12));
    repo.write("new.txt", "one\r\ntwo\r\nno newline");
    let (_, modified) = sides(&repo, &Target::Worktree, "a.txt");
    let (_, added) = sides(&repo, &Target::Worktree, "new.txt");
    let (modified, added) = (modified.unwrap(), added.unwrap());
    // Neither is in the object database: only the working tree has them.
    for id in [&modified, &added] {
        assert!(!repo.git_output(&["cat-file", "-e", id]).status.success());
    }

    let got = review::file_lines(&repo.path(), &modified, "a.txt", 11, 12).unwrap();
    assert_eq!(got.lines, ["line 11", "line 12"]);
    assert_eq!(got.total, 12);
    let got = review::file_lines(&repo.path(), &added, "new.txt", 1, 3).unwrap();
    assert_eq!(got.lines, ["one\r", "two\r", "no newline"]);
    assert_eq!(got.total, 3);

    // Reading stored nothing.
    assert!(!repo
        .git_output(&["cat-file", "-e", &modified])
        .status
        .success());
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        " M a.txt\n?? new.txt\n"
    );

    // The file changed since: its content no longer has that id, and old lines are not passed
    // off as the new ones.
    repo.write("a.txt", numbered(13));
    let error =
        ErrorReport::from(review::file_lines(&repo.path(), &modified, "a.txt", 1, 2).unwrap_err());
    assert_eq!(error.kind, ErrorKind::Unreadable);
    assert_eq!(
        error.message,
        format!("cannot read a.txt: it changed since its version {modified} was read; reload the review")
    );
}

#[test]
fn invalid_utf8_lines_are_shown_lossily_and_flagged() {
    let repo = TestRepo::new();
    repo.write("latin1.txt", b"caf\xe9\nplain\n").commit("base");
    let id = repo
        .git(&["rev-parse", "HEAD:latin1.txt"])
        .trim()
        .to_owned();
    let got = review::file_lines(&repo.path(), &id, "latin1.txt", 1, 2).unwrap();
    assert_eq!(got.lines, ["caf\u{fffd}", "plain"]);
    assert_eq!(got.lossy, [true, false]);
}

fn refused(repo: &TestRepo, id: &str, path: &str, start: u32, end: u32) -> ErrorReport {
    ErrorReport::from(review::file_lines(&repo.path(), id, path, start, end).unwrap_err())
}

#[test]
fn ranges_outside_the_file_or_over_the_limit_are_refused() {
    let repo = TestRepo::new();
    repo.write("a.txt", numbered(5)).commit("base");
    let id = repo.git(&["rev-parse", "HEAD:a.txt"]).trim().to_owned();
    let cases = [
        (
            0,
            3,
            "cannot read lines 0 to 3 of a.txt: lines are numbered from 1 and the range must not run backwards",
        ),
        (
            4,
            2,
            "cannot read lines 4 to 2 of a.txt: lines are numbered from 1 and the range must not run backwards",
        ),
        (6, 8, "a.txt has 5 lines; there is no line 6"),
        (
            1,
            MAX_FILE_LINES + 1,
            "cannot read 10001 lines of a.txt at once (at most 10000): ask for a smaller range",
        ),
        (
            3,
            u32::MAX,
            "cannot read 4294967293 lines of a.txt at once (at most 10000): ask for a smaller range",
        ),
    ];
    for (start, end, message) in cases {
        let error = refused(&repo, &id, "a.txt", start, end);
        assert_eq!(error.kind, ErrorKind::InvalidLines, "{start}..={end}");
        assert_eq!(error.message, message);
    }
}

#[test]
fn binary_blobs_and_unknown_ids_are_refused() {
    let repo = TestRepo::new();
    repo.write("logo.bin", b"PNG\x00\x01\x02\nmore\n")
        .commit("base");
    let id = repo.git(&["rev-parse", "HEAD:logo.bin"]).trim().to_owned();
    let error = refused(&repo, &id, "logo.bin", 1, 1);
    assert_eq!(error.kind, ErrorKind::InvalidLines);
    assert_eq!(
        error.message,
        format!("logo.bin (blob {id}) is a binary file: it has no lines to show")
    );

    let error = refused(&repo, "not-an-id", "a.txt", 1, 1);
    assert_eq!(error.kind, ErrorKind::InvalidTarget);
    assert!(error.message.contains("not-an-id"), "{}", error.message);

    let absent = "0123456789abcdef0123456789abcdef01234567";
    let error = refused(&repo, absent, "a.txt", 1, 1);
    assert_eq!(error.kind, ErrorKind::CorruptRepository);
    assert!(error.message.contains(absent), "{}", error.message);

    let outside = TestRepo::empty_dir();
    let error = refused(&outside, &id, "logo.bin", 1, 1);
    assert_eq!(error.kind, ErrorKind::NotARepository);
}
