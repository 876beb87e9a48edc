//! What the command palette opens when a ref or range is typed: `review::resolve_target`
//! parses the text as the command line does and resolves it in the repository, or says why not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use redline::repo::{RepoError, Target};
use redline::review::resolve_target;
use support::TestRepo;

/// main: three commits tagged v1.0 and v1.1 at the first two; feature: one commit off the second.
fn history() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("a.txt", "one\n").commit("first");
    repo.git(&["tag", "v1.0"]);
    repo.write("a.txt", "two\n").commit("second");
    repo.git(&["tag", "-a", "v1.1", "-m", "release 1.1"]);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("b.txt", "feature\n").commit("on feature");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("a.txt", "three\n").commit("third");
    repo
}

fn commit(rev: &str) -> Target {
    Target::Commit { rev: rev.into() }
}

fn range(base: &str, head: &str, symmetric: bool) -> Target {
    Target::Range {
        base: base.into(),
        head: head.into(),
        symmetric,
    }
}

#[test]
fn refs_commits_and_ranges_resolve_to_the_target_the_command_line_names() {
    let repo = history();
    let path = repo.path();
    let short = repo
        .git(&["rev-parse", "--short", "HEAD~1"])
        .trim()
        .to_owned();
    let cases = [
        ("main", commit("main")),
        ("HEAD~2", commit("HEAD~2")),
        ("v1.1", commit("v1.1")),
        (short.as_str(), commit(&short)),
        ("  HEAD  ", commit("HEAD")),
        ("v1.0..v1.1", range("v1.0", "v1.1", false)),
        ("main...feature", range("main", "feature", true)),
        (
            "branch:feature",
            Target::Branch {
                name: "feature".into(),
            },
        ),
        ("worktree", Target::Worktree),
        ("staged", Target::Staged),
    ];
    for (text, expected) in cases {
        let target = resolve_target(&path, text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(target, expected, "{text}");
    }
}

#[test]
fn an_unknown_ref_is_named_in_the_error() {
    let repo = history();
    let error = resolve_target(&repo.path(), "mian").unwrap_err();
    assert!(
        matches!(&error, RepoError::UnknownRevision { rev, .. } if rev == "mian"),
        "{error:?}"
    );
    assert!(
        error.to_string().starts_with("unknown revision 'mian' in "),
        "{error}"
    );

    // either end of a range
    let error = resolve_target(&repo.path(), "v1.0..v9").unwrap_err();
    assert!(
        matches!(&error, RepoError::UnknownRevision { rev, .. } if rev == "v9"),
        "{error:?}"
    );
    let error = resolve_target(&repo.path(), "nope...main").unwrap_err();
    assert!(
        matches!(&error, RepoError::UnknownRevision { rev, .. } if rev == "nope"),
        "{error:?}"
    );
    // past the root commit
    let error = resolve_target(&repo.path(), "HEAD~7").unwrap_err();
    assert!(
        matches!(&error, RepoError::UnknownRevision { rev, .. } if rev == "HEAD~7"),
        "{error:?}"
    );
    // a branch that does not exist
    let error = resolve_target(&repo.path(), "branch:mian").unwrap_err();
    assert!(
        matches!(&error, RepoError::UnknownBranch { name, .. } if name == "mian"),
        "{error:?}"
    );
}

#[test]
fn malformed_text_says_what_is_wrong_with_it() {
    let repo = history();
    for (text, reason) in [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("main..", "a range needs both ends, e.g. main..HEAD"),
        ("...feature", "a range needs both ends, e.g. main..HEAD"),
        ("branch:", "a branch name must follow 'branch:'"),
    ] {
        let error = resolve_target(&repo.path(), text).unwrap_err();
        assert!(
            matches!(&error, RepoError::InvalidTarget { reason: r, .. } if r == reason),
            "{text:?}: {error:?}"
        );
    }
}

#[test]
fn a_name_that_is_not_a_commit_is_refused() {
    let repo = history();
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]).trim().to_owned();
    repo.git(&["tag", "a-tree", &tree]);
    let error = resolve_target(&repo.path(), "a-tree").unwrap_err();
    assert!(
        matches!(&error, RepoError::NotACommit { kind, .. } if kind == "tree"),
        "{error:?}"
    );
}

#[test]
fn outside_a_repository_the_error_is_the_repository_s() {
    let dir = TestRepo::empty_dir();
    let error = resolve_target(&dir.path(), "HEAD").unwrap_err();
    assert!(
        matches!(error, RepoError::NotARepository { .. }),
        "{error:?}"
    );
}
