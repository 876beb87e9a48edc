//! Repositories in states users meet: bare, shallow, corrupt. Each gives one clear line
//! naming the problem and a non-zero exit; nothing panics.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{redline, text, TestRepo};

fn history() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("a.txt", "1\n").commit("one");
    repo.write("a.txt", "1\n2\n").commit("two");
    repo.write("a.txt", "1\n2\n3\n").commit("three");
    repo
}

fn fails_with(args: &[&str]) -> String {
    let out = redline(args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?}: {}",
        text(&out.stdout)
    );
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr.trim_end().to_owned()
}

#[test]
fn a_bare_repository_reviews_commits_but_names_the_missing_working_tree() {
    let source = history();
    let scratch = TestRepo::empty_dir();
    let bare = scratch.path().join("bare.git");
    source.git(&["clone", "-q", "--bare", ".", bare.to_str().unwrap()]);
    let bare = bare.to_str().unwrap();
    let ok = redline(&["review", "HEAD", "--repo", bare, "--format", "json"]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    for target in ["worktree", "staged"] {
        assert_eq!(
            fails_with(&["review", target, "--repo", bare]),
            format!("error: bare repository has no working tree to review: {bare}")
        );
    }
}

#[test]
fn a_shallow_clone_names_the_missing_history() {
    let source = history();
    let scratch = TestRepo::empty_dir();
    let shallow = scratch.path().join("shallow");
    let url = format!("file://{}", source.path().display());
    source.git(&[
        "clone",
        "-q",
        "--depth",
        "1",
        &url,
        shallow.to_str().unwrap(),
    ]);
    let shallow = shallow.to_str().unwrap();
    let head = text(
        &std::process::Command::new("git")
            .args(["-C", shallow, "rev-parse", "HEAD"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(
        fails_with(&["review", "HEAD", "--repo", shallow]),
        format!(
            "error: the parent of commit {} is not in this shallow clone: fetch more history (git fetch --deepen=1)",
            head.trim()
        )
    );
    assert_eq!(
        fails_with(&["review", "HEAD~1", "--repo", shallow]),
        format!("error: unknown revision 'HEAD~1' in {shallow}")
    );
}

#[test]
fn a_corrupt_object_is_named_with_a_hint() {
    let repo = history();
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    let tree = tree.trim();
    let object = repo
        .path()
        .join(".git/objects")
        .join(&tree[..2])
        .join(&tree[2..]);
    let mut permissions = std::fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&object, permissions).unwrap();
    std::fs::write(&object, b"not zlib at all").unwrap();
    let message = fails_with(&["review", "HEAD", "--repo", repo.path().to_str().unwrap()]);
    assert!(
        message.starts_with("error: cannot read ")
            && message.contains(tree)
            && message.ends_with("(the repository may be corrupt; try `git fsck`)"),
        "{message}"
    );
}

#[test]
fn a_missing_object_is_named_with_a_hint() {
    let repo = history();
    let tree = repo.git(&["rev-parse", "HEAD~1^{tree}"]);
    let tree = tree.trim();
    std::fs::remove_file(
        repo.path()
            .join(".git/objects")
            .join(&tree[..2])
            .join(&tree[2..]),
    )
    .unwrap();
    let message = fails_with(&["review", "HEAD", "--repo", repo.path().to_str().unwrap()]);
    assert!(
        message.contains(tree) && message.contains("git fsck"),
        "{message}"
    );
}
