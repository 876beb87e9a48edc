//! Which repository the app opens at start-up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use redline::review::choose_workspace;
use support::TestRepo;

#[test]
fn an_explicit_path_is_used_as_given_even_when_it_is_not_a_repository() {
    let cwd = TestRepo::new();
    let workspace = choose_workspace(Some("/not/a/repo".as_ref()), &cwd.path()).unwrap();
    assert_eq!(workspace.repo_path, "/not/a/repo");
    assert!(!workspace.is_demo);
}

#[test]
fn without_a_path_the_repository_around_the_current_directory_is_used() {
    let repo = TestRepo::new();
    repo.write("src/lib.rs", "fn main() {}\n").commit("first");
    let inside = repo.path().join("src");
    let workspace = choose_workspace(None, &inside).unwrap();
    assert_eq!(workspace.repo_path, inside.display().to_string());
    assert!(!workspace.is_demo);
    // and it opens: the summary names the working tree root
    let targets = redline::review::targets(inside.as_ref()).unwrap();
    assert_eq!(targets.repo.path, repo.path().display().to_string());
}
