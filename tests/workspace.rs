//! Which repository the app opens at start-up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use redline::review::start_workspace;
use support::TestRepo;

#[test]
fn an_explicit_path_is_used_as_given_even_when_it_is_not_a_repository() {
    let cwd = TestRepo::new();
    let workspace = start_workspace(Some("/not/a/repo".as_ref()), &cwd.path()).unwrap();
    assert_eq!(workspace.repo_path, "/not/a/repo");
    assert!(!workspace.is_demo);
}

#[test]
fn without_a_path_the_repository_around_the_current_directory_is_used() {
    let repo = TestRepo::new();
    repo.write("src/lib.rs", "fn main() {}\n").commit("first");
    let inside = repo.path().join("src");
    let workspace = start_workspace(None, &inside).unwrap();
    assert_eq!(workspace.repo_path, inside.display().to_string());
    assert!(!workspace.is_demo);
    // and it opens: the summary names the working tree root
    let targets = redline::review::targets(inside.as_ref()).unwrap();
    assert_eq!(targets.repo.path, repo.path().display().to_string());
}

/// `review::default_target` decides from the working tree's status alone; it must agree with
/// the target list's `default_target` in every state the working tree can be in.
#[test]
fn the_default_target_agrees_with_the_target_list() {
    use redline::repo::Target;
    use redline::review::{default_target, targets};
    let head = Target::Commit { rev: "HEAD".into() };
    type Setup = fn(&TestRepo);
    let cases: [(&str, Setup, Target); 7] = [
        ("clean", |_| {}, head.clone()),
        (
            "a tracked file modified",
            |r| {
                r.write("a.txt", "changed\n");
            },
            Target::Worktree,
        ),
        (
            "an untracked file only",
            |r| {
                r.write("new/deeper/b.txt", "new\n");
            },
            Target::Worktree,
        ),
        (
            "a staged change only",
            |r| {
                r.write("a.txt", "staged\n");
                r.git(&["add", "a.txt"]);
            },
            Target::Worktree,
        ),
        (
            "a tracked file deleted",
            |r| {
                std::fs::remove_file(r.path().join("a.txt")).unwrap();
            },
            Target::Worktree,
        ),
        (
            "an ignored file only",
            |r| {
                r.write("build/out.log", "ignored\n");
            },
            head.clone(),
        ),
        (
            "an empty untracked directory only",
            |r| {
                std::fs::create_dir_all(r.path().join("empty/inner")).unwrap();
            },
            head.clone(),
        ),
    ];
    for (name, setup, expected) in cases {
        let repo = TestRepo::new();
        repo.write("a.txt", "one\n")
            .write(".gitignore", "build/\n")
            .commit("first");
        setup(&repo);
        let listed = targets(&repo.path()).unwrap().default_target;
        assert_eq!(listed, expected, "{name}: the target list");
        assert_eq!(
            default_target(&repo.path()).unwrap(),
            listed,
            "{name}: default_target"
        );
    }
}
