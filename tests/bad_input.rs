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
        &support::git_command()
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
    // Regression: this said only "unknown revision", with no word of the shallow clone.
    assert_eq!(
        fails_with(&["review", "HEAD~1", "--repo", shallow]),
        format!(
            "error: unknown revision 'HEAD~1' in {shallow}: this is a shallow clone, so it may lie beyond the history fetched (git fetch --deepen=N, or git fetch --unshallow)"
        )
    );
}

#[test]
fn a_revision_that_names_a_blob_says_so() {
    let repo = history();
    let blob = repo.git(&["rev-parse", "HEAD:a.txt"]);
    let path = repo.path();
    assert_eq!(
        fails_with(&["review", blob.trim(), "--repo", path.to_str().unwrap()]),
        format!("error: '{}' names a blob, not a commit", blob.trim())
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
    assert_eq!(
        message,
        format!(
            "error: cannot read the tree {tree} of the root directory: the loose object {tree} \
             is corrupt: its zlib data is invalid: deflate decompression error (git cannot read \
             it either; run `git fsck` to see what else is damaged)"
        )
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

#[cfg(unix)]
#[test]
fn unreadable_working_tree_files_are_marked_or_named() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::new();
    repo.write("secret.txt", "one\n")
        .write("same_size.txt", "one\n")
        .write("open.txt", "one\n")
        .commit("base");
    // a size change tells git the file changed without reading it
    repo.write("secret.txt", "two, longer\n")
        .write("open.txt", "two\n");
    let secret = repo.path().join("secret.txt");
    let review_as_user = |repo_path: &std::path::Path| {
        let path = repo_path.to_str().unwrap();
        if !is_root() {
            return redline(&["review", "worktree", "--repo", path, "--format", "json"]);
        }
        // root reads every file: run as `nobody`, who may read all but the secret
        let home = TestRepo::empty_dir();
        std::fs::write(home.path().join(".gitconfig"), "[safe]\n\tdirectory = *\n").unwrap();
        let binary = home.path().join("redline");
        std::fs::copy(env!("CARGO_BIN_EXE_redline"), &binary).unwrap();
        let unreadable: Vec<_> = ["secret.txt", "same_size.txt"]
            .iter()
            .map(|f| repo_path.join(f))
            .filter(|f| {
                f.metadata()
                    .is_ok_and(|m| m.permissions().mode() & 0o777 == 0)
            })
            .collect();
        for dir in [home.path(), repo_path.to_owned()] {
            let status = std::process::Command::new("chmod")
                .args(["-R", "o+rX", dir.to_str().unwrap()])
                .status()
                .unwrap();
            assert!(status.success());
        }
        for file in &unreadable {
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o000)).unwrap();
        }
        std::process::Command::new("setpriv")
            .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .arg(&binary)
            .args(["review", "worktree", "--repo", path, "--format", "json"])
            .env("HOME", home.path())
            .output()
            .unwrap()
    };
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = review_as_user(&repo.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let review: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = review["files"].as_array().unwrap();
    let by_path = |p: &str| files.iter().find(|f| f["newPath"] == p).unwrap();
    assert_eq!(by_path("secret.txt")["omitted"]["kind"], "unreadable");
    assert_eq!(by_path("open.txt")["additions"], 1);

    // same size, written within the index's second: git must read it to know, and cannot
    let same_size = repo.path().join("same_size.txt");
    std::fs::write(&same_size, "two\n").unwrap();
    std::fs::set_permissions(&same_size, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = review_as_user(&repo.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim_end(),
        format!(
            "error: cannot read {}: permission denied",
            same_size.display()
        )
    );
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|out| text(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A commit object git wrote with `--literally` whose author line libgit2 cannot parse.
fn malformed_commit(repo: &TestRepo, parent: &str) -> String {
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    let object = format!(
        "tree {}\nparent {}\nauthor Eve <eve@example.com> notatime +0000\ncommitter Eve <eve@example.com> 1700000000 +0000\n\nbad author\n",
        tree.trim(),
        parent.trim()
    );
    repo.write_raw_object("commit", object.as_bytes())
}

#[test]
fn one_unreadable_branch_or_commit_is_marked_and_the_rest_listed() {
    let repo = history();
    let head = repo.git(&["rev-parse", "HEAD"]);
    let bad = malformed_commit(&repo, &head);
    repo.git(&["branch", "evil", &bad]);
    let out = repo.redline(&["targets"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    assert!(
        listed.contains(
            "branch:evil  evil — cannot be compared with main: failed to parse signature"
        ),
        "{listed}"
    );
    assert!(listed.contains("* HEAD "), "{listed}");

    // A readable commit on top of the unreadable one: the history is listed up to it.
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    let top = repo.git(&["commit-tree", tree.trim(), "-p", &bad, "-m", "on top"]);
    repo.git(&["reset", "-q", "--soft", top.trim()]);
    let out = repo.redline(&["targets"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    assert!(listed.contains("HEAD         on top"), "{listed}");
    assert!(
        listed.contains("(a commit that cannot be read) — failed to parse signature"),
        "{listed}"
    );
}

#[test]
fn a_file_that_cannot_be_read_is_marked_and_the_other_files_analysed() {
    use std::os::unix::ffi::OsStrExt;
    let repo = history();
    repo.write("ok.rs", "pub fn a() {}\n").commit("rust");
    repo.write("ok.rs", "pub fn a() {}\npub fn b() {}\n");
    // An untracked file whose name is not UTF-8: Redline's model spells it lossily, so the
    // name it would read does not exist.
    let name = std::ffi::OsStr::from_bytes(b"wt\xfe.rs");
    std::fs::write(repo.path().join(name), "pub fn c() {}\n").unwrap();
    for (command, other) in [("symbols", "+ fn b"), ("api", "ok.rs (crate)")] {
        let out = repo.redline(&[command, "worktree"]);
        assert!(out.status.success(), "{command}: {}", text(&out.stderr));
        let shown = text(&out.stdout);
        assert!(shown.contains(other), "{command}: {shown}");
        assert!(
            shown.contains("not parsed: the file cannot be read (No such file or directory"),
            "{command}: {shown}"
        );
    }
}

#[test]
fn a_corrupt_index_fails_only_what_needs_the_index() {
    let repo = history();
    let index = repo.path().join(".git/index");
    let bytes = std::fs::read(&index).unwrap();
    std::fs::write(&index, &bytes[..40]).unwrap();
    // Regression: `review HEAD` failed ("invalid data in index") though a commit needs none.
    let out = repo.redline(&["review", "HEAD", "--format", "patch"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), repo.git(&["diff", "HEAD~1", "HEAD"]));
    let out = repo.redline(&["targets"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    assert!(
        listed.contains("worktree  Working tree — cannot be read:"),
        "{listed}"
    );
    assert!(listed.contains("* HEAD "), "{listed}");
    let path = repo.path();
    assert!(
        fails_with(&["review", "worktree", "--repo", path.to_str().unwrap()])
            .starts_with("error: cannot read the index (.git/index): invalid data in index")
    );
    assert_eq!(
        std::fs::read(&index).unwrap(),
        &bytes[..40],
        "the index is left as it was"
    );
}

/// Runs `redline ARGS --repo PATH`, killing it after 10 s: a hang fails the test instead of
/// stalling the suite.
fn within_ten_seconds(args: &[&str], repo: &TestRepo) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(args)
        .args(["--repo", repo.path().to_str().unwrap()])
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("redline {args:?} did not end within 10 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_tracked_file_replaced_by_a_fifo_is_named_not_read() {
    let repo = history();
    std::fs::remove_file(repo.path().join("a.txt")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(repo.path().join("a.txt"))
        .status()
        .unwrap();
    assert!(made.success());
    // Regression: `revision` (and `interdiff`) blocked forever reading the FIFO, and left
    // git2's temporary object files behind when killed.
    let out = within_ten_seconds(&["revision"], &repo);
    assert!(!out.status.success());
    assert_eq!(
        text(&out.stderr).trim(),
        format!(
            "error: cannot read {}: it is a FIFO (named pipe), not a regular file",
            repo.path().join("a.txt").display()
        )
    );
    let out = within_ten_seconds(&["review", "worktree"], &repo);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let leftovers: Vec<_> = std::fs::read_dir(repo.path().join(".git/objects"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("tmp_object"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
