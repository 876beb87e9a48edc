//! One file's diff ignoring whitespace (`review::file_diff_with`, the window's "Hide
//! whitespace"): equal to `git diff -w` for commits, the index and the working tree, byte for
//! byte as a patch; a change in whitespace alone leaves no hunk; hunks untouched by whitespace
//! keep the review's ids.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use pretty_assertions::assert_eq;
use redline::diff::FileDiff;
use redline::error::{ErrorKind, ErrorReport};
use redline::repo::Target;
use redline::review::{self, FileDiffOptions};
use support::TestRepo;

const IGNORE: FileDiffOptions = FileDiffOptions {
    ignore_whitespace: true,
};

fn head() -> Target {
    Target::Commit { rev: "HEAD".into() }
}

const BASE: &str = "fn main() {\n    let a = 1;\n    let b  =  2;\n    let c = a + b;\n    println!(\"{c}\");\n}\n\n// one\n// two\n// three\n// four\n// five\n// six\n// seven\n\nfn other() {\n    let x = 1;\n}\n";

/// `BASE` re-indented with a tab on one line, spaces moved on another, a real change beside
/// them, and a second hunk far below with no whitespace change at all.
const EDITED: &str = "fn main() {\n\tlet a = 1;\n    let b = 2;  \n    let c = a * b;\n    println!(\"{c}\");\n}\n\n// one\n// two\n// three\n// four\n// five\n// six\n// seven\n\nfn other() {\n    let x = 2;\n}\n";

fn repo_with_edit() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("src/main.rs", BASE)
        .write("spaces.txt", "a b\n  c\nd\n")
        .commit("base");
    repo.write("src/main.rs", EDITED)
        .write("spaces.txt", "a  b\n\tc\nd \n")
        .commit("edit");
    repo
}

/// `file` as `git diff` prints it, through the same patch writer as `--format patch`.
fn patch_of(repo: &TestRepo, file: &FileDiff) -> String {
    let files = [file.clone()];
    let style = review::patch_style(&repo.path(), &files).unwrap();
    let mut out = Vec::new();
    review::write_patch(&mut out, &files, &style).unwrap();
    String::from_utf8(out).unwrap()
}

fn git_diff(repo: &TestRepo, args: &[&str]) -> String {
    let mut all = vec!["diff", "-M", "-C", "--no-color", "--no-ext-diff"];
    all.extend(args);
    repo.git(&all)
}

/// `patch` without its `similarity index` lines: rename scores are rename detection's (see
/// tests/rename_parity.rs), which `-w` does not change.
fn without_score(patch: &str) -> String {
    patch
        .lines()
        .filter(|line| !line.starts_with("similarity index "))
        .map(|line| format!("{line}\n"))
        .collect()
}

fn changed(file: &FileDiff) -> Vec<String> {
    file.hunks
        .iter()
        .flat_map(|h| {
            h.lines()
                .filter(|l| l.kind != redline::diff::LineKind::Context)
                .map(|l| format!("{}{}", l.kind.sign(), l.text))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn a_commit_ignoring_whitespace_is_git_diff_w() {
    let repo = repo_with_edit();
    let path = repo.path();
    let ignoring = review::file_diff_with(&path, &head(), "src/main.rs", None, &IGNORE).unwrap();
    assert_eq!(
        patch_of(&repo, &ignoring),
        git_diff(&repo, &["-w", "HEAD~1", "HEAD", "--", "src/main.rs"])
    );
    assert_eq!(
        changed(&ignoring),
        [
            "-    let c = a + b;",
            "+    let c = a * b;",
            "-    let x = 1;",
            "+    let x = 2;"
        ]
    );
    assert_eq!((ignoring.additions, ignoring.deletions), (2, 2));

    // Without the option it is the review's file, whitespace changes and all.
    let plain = review::file_diff(&path, &head(), "src/main.rs", None).unwrap();
    assert_eq!(
        patch_of(&repo, &plain),
        git_diff(&repo, &["HEAD~1", "HEAD", "--", "src/main.rs"])
    );
    assert_eq!((plain.additions, plain.deletions), (4, 4));
    let opened = review::open(&path, Some(&head())).unwrap();
    assert_eq!(opened.files[1], plain);
    assert_eq!(
        review::file_diff_with(
            &path,
            &head(),
            "src/main.rs",
            None,
            &FileDiffOptions::default()
        )
        .unwrap(),
        plain
    );
}

#[test]
fn hunk_ids_change_only_where_whitespace_changed() {
    let repo = repo_with_edit();
    let path = repo.path();
    let plain = review::file_diff(&path, &head(), "src/main.rs", None).unwrap();
    let ignoring = review::file_diff_with(&path, &head(), "src/main.rs", None, &IGNORE).unwrap();
    assert_eq!((plain.hunks.len(), ignoring.hunks.len()), (2, 2));
    // The first hunk lost its whitespace lines: other changed lines, another id.
    assert_ne!(plain.hunks[0].id, ignoring.hunks[0].id);
    // The second had none: the same hunk, the same id (a viewed mark on it still counts).
    assert_eq!(plain.hunks[1].id, ignoring.hunks[1].id);
    assert_eq!(plain.hunks[1], ignoring.hunks[1]);
}

#[test]
fn a_change_in_whitespace_alone_leaves_no_hunk() {
    let repo = repo_with_edit();
    let path = repo.path();
    let plain = review::file_diff(&path, &head(), "spaces.txt", None).unwrap();
    assert_eq!(plain.hunks.len(), 1);
    assert_eq!((plain.additions, plain.deletions), (3, 3));

    let ignoring = review::file_diff_with(&path, &head(), "spaces.txt", None, &IGNORE).unwrap();
    assert!(ignoring.hunks.is_empty(), "{:?}", ignoring.hunks);
    assert_eq!((ignoring.additions, ignoring.deletions), (0, 0));
    assert_eq!(ignoring.new_path.as_deref(), Some("spaces.txt"));
    assert!(!ignoring.binary);
    // git prints nothing at all for it.
    assert_eq!(
        git_diff(&repo, &["-w", "HEAD~1", "HEAD", "--", "spaces.txt"]),
        ""
    );
}

#[test]
fn the_working_tree_and_the_index_ignoring_whitespace_are_git_diff_w() {
    let repo = TestRepo::new();
    repo.write("src/main.rs", BASE).commit("base");
    let path = repo.path();

    // Staged: the index against HEAD.
    repo.write("src/main.rs", EDITED);
    repo.git(&["add", "src/main.rs"]);
    let staged =
        review::file_diff_with(&path, &Target::Staged, "src/main.rs", None, &IGNORE).unwrap();
    assert_eq!(
        patch_of(&repo, &staged),
        git_diff(&repo, &["-w", "--cached", "--", "src/main.rs"])
    );
    assert_eq!(changed(&staged).len(), 4);

    // The working tree, with more edits on top of the staged ones: a file git has hashed but
    // not stored, read through git's filters.
    let worktree_text = EDITED
        .replace("    println!(\"{c}\");\n", "        println!(\"{c}\");\n")
        .replace("// four\n", "// FOUR\n");
    repo.write("src/main.rs", &worktree_text);
    let worktree =
        review::file_diff_with(&path, &Target::Worktree, "src/main.rs", None, &IGNORE).unwrap();
    assert_eq!(
        patch_of(&repo, &worktree),
        git_diff(&repo, &["-w", "HEAD", "--", "src/main.rs"])
    );
    assert!(changed(&worktree).contains(&"+// FOUR".to_owned()));
    assert!(!changed(&worktree)
        .iter()
        .any(|line| line.contains("println")));

    // An untracked file is all additions, whitespace or not.
    repo.write("new.txt", "  indented\n");
    let added = review::file_diff_with(&path, &Target::Worktree, "new.txt", None, &IGNORE).unwrap();
    assert_eq!(changed(&added), ["+  indented"]);
    // Nothing was staged or written by reading.
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "MM src/main.rs\n?? new.txt\n"
    );
}

#[test]
fn a_renamed_file_ignoring_whitespace_keeps_its_rename() {
    let repo = TestRepo::new();
    repo.write("old.rs", BASE).commit("base");
    repo.git(&["mv", "old.rs", "new.rs"]);
    repo.write("new.rs", EDITED).commit("rename");
    let path = repo.path();
    let ignoring =
        review::file_diff_with(&path, &head(), "new.rs", Some("old.rs"), &IGNORE).unwrap();
    assert_eq!(ignoring.old_path.as_deref(), Some("old.rs"));
    assert_eq!(
        without_score(&patch_of(&repo, &ignoring)),
        without_score(&git_diff(
            &repo,
            &["-w", "HEAD~1", "HEAD", "--", "old.rs", "new.rs"]
        ))
    );
    assert_eq!(changed(&ignoring).len(), 4);

    // Renamed again in the working tree (its new file only intended to be added).
    std::fs::rename(path.join("new.rs"), path.join("newer.rs")).unwrap();
    std::fs::write(
        path.join("newer.rs"),
        BASE.replace("let x = 1;", "let x = 3;"),
    )
    .unwrap();
    repo.git(&["add", "-N", "newer.rs"]);
    let ignoring = review::file_diff_with(
        &path,
        &Target::Worktree,
        "newer.rs",
        Some("new.rs"),
        &IGNORE,
    )
    .unwrap();
    assert_eq!(ignoring.old_path.as_deref(), Some("new.rs"));
    assert_eq!(
        without_score(&patch_of(&repo, &ignoring)),
        without_score(&git_diff(
            &repo,
            &["-w", "HEAD", "--", "new.rs", "newer.rs"]
        ))
    );
    assert_eq!(changed(&ignoring).len(), 4);
}

fn error_of(result: Result<FileDiff, redline::repo::RepoError>) -> ErrorReport {
    ErrorReport::from(result.expect_err("expected an error"))
}

#[test]
fn bad_input_is_refused_with_what_was_asked() {
    let repo = repo_with_edit();
    let path = repo.path();

    let missing = error_of(review::file_diff_with(
        &path,
        &head(),
        "no/such/file.rs",
        None,
        &IGNORE,
    ));
    assert_eq!(missing.kind, ErrorKind::FileNotInTarget);
    assert!(
        missing.message.contains("no/such/file.rs"),
        "{}",
        missing.message
    );
    assert!(missing.message.contains("HEAD"), "{}", missing.message);

    let unknown = error_of(review::file_diff_with(
        &path,
        &Target::Commit {
            rev: "no-such-branch".into(),
        },
        "src/main.rs",
        None,
        &IGNORE,
    ));
    assert_eq!(unknown.kind, ErrorKind::UnknownRevision);
    assert!(
        unknown.message.contains("no-such-branch"),
        "{}",
        unknown.message
    );

    let outside = TestRepo::empty_dir();
    let not_a_repo = error_of(review::file_diff_with(
        &outside.path(),
        &head(),
        "src/main.rs",
        None,
        &IGNORE,
    ));
    assert_eq!(not_a_repo.kind, ErrorKind::NotARepository);

    let nowhere = error_of(review::file_diff_with(
        Path::new("/no/such/place"),
        &head(),
        "src/main.rs",
        None,
        &IGNORE,
    ));
    assert_eq!(nowhere.kind, ErrorKind::PathNotFound);
}
