//! Revisions and the interdiff, on real repositories, with git as the reference.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use redline::error::{ErrorKind, ErrorReport};
use redline::repo::{RevisionId, Target};
use redline::review;
use support::{parse_numstat_z, text, LineCounts, TestRepo};

const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

fn numbered(lines: usize, tag: &str) -> String {
    (1..=lines).map(|i| format!("{tag} line {i}\n")).collect()
}

/// A committed project with three files and an ignore rule.
fn project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("a.txt", numbered(10, "a"))
        .write("b.txt", numbered(5, "b"))
        .write("c.txt", numbered(5, "c"))
        .write(".gitignore", "*.log\n")
        .commit("project");
    repo
}

/// The tree `git add -A && git write-tree` would write, computed on a throwaway copy of the
/// index so the repository's own index stays as it is.
fn git_worktree_tree(repo: &TestRepo) -> String {
    let scratch = tempfile::tempdir().unwrap();
    let index = scratch.path().join("index");
    std::fs::copy(repo.path().join(".git/index"), &index).unwrap();
    let run = |args: &[&str]| {
        let out = support::git_command()
            .args(args)
            .current_dir(repo.path())
            .env("GIT_INDEX_FILE", &index)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
        text(&out.stdout).trim().to_owned()
    };
    run(&["add", "-A"]);
    run(&["write-tree"])
}

/// `git write-tree` of the index as it is, also on a copy (write-tree stores its cache in the
/// index file).
fn git_index_tree(repo: &TestRepo) -> String {
    let scratch = tempfile::tempdir().unwrap();
    let index = scratch.path().join("index");
    std::fs::copy(repo.path().join(".git/index"), &index).unwrap();
    let out = support::git_command()
        .args(["write-tree"])
        .current_dir(repo.path())
        .env("GIT_INDEX_FILE", &index)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).trim().to_owned()
}

#[test]
fn same_content_gives_the_same_revision_id() {
    let repo = project();
    repo.write("a.txt", numbered(10, "A"));
    let first = review::revision(&repo.path(), &Target::Worktree).unwrap();
    let again = review::revision(&repo.path(), &Target::Worktree).unwrap();
    assert_eq!(first.id, again.id);

    repo.write("b.txt", "changed\n");
    let changed = review::revision(&repo.path(), &Target::Worktree).unwrap();
    assert_ne!(changed.id, first.id);

    repo.write("b.txt", numbered(5, "b"));
    let back = review::revision(&repo.path(), &Target::Worktree).unwrap();
    assert_eq!(
        back.id, first.id,
        "the same content again is the same revision"
    );
}

#[test]
fn commit_revisions_are_the_commit_trees() {
    let repo = project();
    repo.write("a.txt", "rewritten\n").commit("second");
    let head = review::revision(&repo.path(), &Target::Commit { rev: "HEAD".into() }).unwrap();
    assert_eq!(
        head.head_tree,
        repo.git(&["rev-parse", "HEAD^{tree}"]).trim()
    );
    assert_eq!(
        head.base_tree,
        repo.git(&["rev-parse", "HEAD~1^{tree}"]).trim()
    );
    assert_eq!(
        head.head_commit.as_deref(),
        Some(repo.git(&["rev-parse", "HEAD"]).trim())
    );

    let root = review::revision(
        &repo.path(),
        &Target::Commit {
            rev: "HEAD~1".into(),
        },
    )
    .unwrap();
    assert_eq!(
        root.base_tree, EMPTY_TREE,
        "a root commit is based on the empty tree"
    );
    assert_eq!(
        root.id.to_string(),
        format!("{EMPTY_TREE}:{}", root.head_tree)
    );
}

#[test]
fn worktree_revision_is_the_tree_git_would_write_and_touches_nothing() {
    let repo = project();
    repo.write("a.txt", numbered(12, "a")); // modified, not staged
    repo.write("new/staged.txt", "staged\n");
    repo.git(&["add", "new/staged.txt"]); // new, staged
    repo.write("new/untracked.txt", "an agent's new file\n"); // untracked
    repo.write("debug.log", "ignored\n"); // ignored
    std::fs::remove_file(repo.path().join("b.txt")).unwrap(); // deleted, not staged
    repo.write("run.sh", "#!/bin/sh\necho hi\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let script = repo.path().join("run.sh");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::os::unix::fs::symlink("a.txt", repo.path().join("link")).unwrap();
    }

    // `git status` may refresh the index itself, so it runs before the bytes are read.
    let status_before = repo.git(&["status", "--porcelain=v1", "--untracked-files=all"]);
    let index_before = std::fs::read(repo.path().join(".git/index")).unwrap();

    let revision = review::revision(&repo.path(), &Target::Worktree).unwrap();

    let index_after = std::fs::read(repo.path().join(".git/index")).unwrap();
    assert!(index_before == index_after, "the index file was modified");
    let status_after = repo.git(&["status", "--porcelain=v1", "--untracked-files=all"]);
    assert_eq!(status_before, status_after);

    let files = repo.git(&["ls-tree", "-r", "--name-only", &revision.head_tree]);
    let files: Vec<&str> = files.lines().collect();
    assert!(files.contains(&"new/untracked.txt"), "{files:?}");
    assert!(!files.contains(&"debug.log"), "{files:?}");
    assert!(!files.contains(&"b.txt"), "{files:?}");
    assert_eq!(
        repo.git(&["cat-file", "-p", &format!("{}:a.txt", revision.head_tree)]),
        numbered(12, "a")
    );

    assert_eq!(revision.head_tree, git_worktree_tree(&repo));
    assert_eq!(
        revision.base_tree,
        repo.git(&["rev-parse", "HEAD^{tree}"]).trim()
    );
}

#[test]
fn staged_revision_is_the_tree_of_the_index() {
    let repo = project();
    repo.write("a.txt", "staged edit\n");
    repo.git(&["add", "a.txt"]);
    repo.write("a.txt", "unstaged edit on top\n");
    repo.write("untracked.txt", "not staged\n");
    let index_before = std::fs::read(repo.path().join(".git/index")).unwrap();

    let revision = review::revision(&repo.path(), &Target::Staged).unwrap();

    assert!(index_before == std::fs::read(repo.path().join(".git/index")).unwrap());
    assert_eq!(revision.head_tree, git_index_tree(&repo));
}

/// Every file of the working tree except `.git`, by relative path.
fn files_of(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_name() == ".git" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// What git reports between two saved states of a working tree: both committed in a scratch
/// repository, compared with `git diff -M --numstat`.
fn git_numstat_between(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> LineCounts {
    let scratch = TestRepo::new();
    for (path, content) in before {
        scratch.write(path, content);
    }
    scratch.commit("before");
    for path in before.keys() {
        std::fs::remove_file(scratch.path().join(path)).unwrap();
    }
    for (path, content) in after {
        scratch.write(path, content);
    }
    scratch.commit("after");
    parse_numstat_z(&scratch.git(&["diff", "-M", "--numstat", "-z", "HEAD~1", "HEAD"]))
}

#[test]
fn interdiff_shows_exactly_what_changed_since_the_revision() {
    let repo = project();
    // The agent's first round, which the reviewer reads.
    repo.write(
        "a.txt",
        numbered(10, "a").replace("a line 2\n", "a line two\n"),
    );
    repo.write("new.txt", numbered(4, "new"));
    let seen = review::revision(&repo.path(), &Target::Worktree).unwrap();
    let before = files_of(&repo.path());

    // The agent's second round.
    repo.write(
        "a.txt",
        numbered(10, "a")
            .replace("a line 2\n", "a line two\n")
            .replace("a line 8\n", "a line eight\n"),
    );
    std::fs::remove_file(repo.path().join("b.txt")).unwrap();
    repo.write("new.txt", numbered(6, "new"));
    repo.write("other.txt", "another file\n");
    let after = files_of(&repo.path());

    let interdiff = review::interdiff(&repo.path(), &Target::Worktree, &seen.id).unwrap();
    assert_eq!(interdiff.from, seen.id);
    assert!(!interdiff.base_changed);

    let ours: LineCounts = interdiff
        .files
        .iter()
        .map(|f| {
            let counts = (!f.binary).then_some((f.additions, f.deletions));
            (f.display_path().to_owned(), counts)
        })
        .collect();
    let expected = git_numstat_between(&before, &after);
    assert_eq!(ours, expected);
    assert!(!ours.contains_key("c.txt"), "untouched in both rounds");

    // Only the second edit of a.txt, not the first one the reviewer already saw.
    let a = interdiff
        .files
        .iter()
        .find(|f| f.display_path() == "a.txt")
        .unwrap();
    let changed: Vec<&str> = a
        .hunks
        .iter()
        .flat_map(|h| h.lines())
        .filter(|l| l.kind != redline::diff::LineKind::Context)
        .map(|l| l.text)
        .collect();
    assert_eq!(changed, ["a line 8", "a line eight"]);
}

#[test]
fn committing_the_seen_work_moves_the_base_but_changes_nothing() {
    let repo = project();
    repo.write("a.txt", "agent edit\n");
    let seen = review::revision(&repo.path(), &Target::Worktree).unwrap();
    repo.commit("agent commits what was reviewed");

    let interdiff = review::interdiff(&repo.path(), &Target::Worktree, &seen.id).unwrap();
    assert!(interdiff.base_changed);
    assert!(interdiff.files.is_empty(), "{:?}", interdiff.files);
    assert_eq!(interdiff.to.id.head_tree(), seen.id.head_tree());
}

#[test]
fn a_revision_unknown_to_the_repository_is_named() {
    let repo = project();
    let id: RevisionId = format!("{EMPTY_TREE}:{}", "1".repeat(40)).parse().unwrap();
    let error = review::interdiff(&repo.path(), &Target::Worktree, &id).unwrap_err();
    let report = ErrorReport::from(&error);
    assert_eq!(report.kind, ErrorKind::UnknownRevision);
    assert!(
        report.message.contains(&"1".repeat(40)),
        "{}",
        report.message
    );
}

#[test]
fn cli_prints_a_revision_and_the_interdiff_since_it() {
    let repo = project();
    repo.write("a.txt", "first round\n");
    let out = repo.redline(&["revision"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let since = text(&out.stdout).trim().to_owned();
    assert!(since.parse::<RevisionId>().is_ok(), "{since}");

    repo.write("c.txt", "second round\n");
    let out = repo.redline(&["interdiff", "--since", &since, "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["from"], since.as_str());
    let paths: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["newPath"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["c.txt"]);

    let out = repo.redline(&["interdiff", "--since", "not-a-revision"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("invalid revision id 'not-a-revision'"),
        "{}",
        text(&out.stderr)
    );
}
