//! Corrupt loose objects never hang Redline and are named in the error: libgit2 1.9.7 spins
//! forever on a truncated loose object and trusts a header's declared size, so Redline checks
//! loose objects before libgit2 reads them (src/repo/objects.rs). Each command runs under
//! `timeout`, so a regression fails the test instead of hanging CI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output};

use support::{text, TestRepo};

/// A repository with two commits changing `src/a.txt` (20 KB of varied text, so its loose
/// object is large enough to cut in half).
fn repo() -> TestRepo {
    let repo = TestRepo::new();
    let body: String = (0..2000)
        .map(|n| format!("line {n} {}\n", n * 7919 % 1000))
        .collect();
    repo.write("src/a.txt", &body)
        .write("b.txt", "b\n")
        .commit("one");
    repo.write("src/a.txt", format!("{body}more\n"))
        .commit("two");
    repo
}

fn object_path(repo: &TestRepo, rev: &str) -> (String, PathBuf) {
    let id = repo.git(&["rev-parse", rev]).trim().to_owned();
    let path = repo
        .path()
        .join(".git/objects")
        .join(&id[..2])
        .join(&id[2..]);
    assert!(path.exists(), "{rev} is not loose");
    (id, path)
}

fn truncate(path: &PathBuf) {
    let bytes = std::fs::read(path).unwrap();
    let mut permissions = std::fs::metadata(path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(path, permissions).unwrap();
    std::fs::write(path, &bytes[..bytes.len() / 2]).unwrap();
}

/// Runs `redline ARGS` on `repo`, killed after 20 s.
fn bounded(repo: &TestRepo, args: &[&str]) -> Output {
    let data = tempfile::tempdir().unwrap();
    Command::new("timeout")
        .arg("20")
        .arg(env!("CARGO_BIN_EXE_redline"))
        .args(args)
        .args(["--repo", repo.path().to_str().unwrap()])
        .env("REDLINE_DATA_DIR", data.path())
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

fn assert_named(out: &Output, id: &str, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(1),
        "not a clean failure (124 = hung): {}",
        text(&out.stderr)
    );
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("the loose object {id} is corrupt")),
        "{stderr}"
    );
    assert!(stderr.contains(what), "{stderr}");
    assert!(stderr.contains("git fsck"), "{stderr}");
}

#[test]
fn a_truncated_blob_is_named_with_its_path_by_every_command() {
    let repo = repo();
    let (id, path) = object_path(&repo, "HEAD:src/a.txt");
    truncate(&path);
    for command in [
        &["review", "HEAD"][..],
        &["symbols", "HEAD"],
        &["api", "HEAD"],
        &["review", "HEAD~1..HEAD", "--format", "patch"],
    ] {
        let out = bounded(&repo, command);
        assert_named(&out, &id, "of src/a.txt");
    }
}

#[test]
fn a_truncated_tree_is_named_with_its_directory() {
    let repo = repo();
    let (id, path) = object_path(&repo, "HEAD:src");
    truncate(&path);
    let out = bounded(&repo, &["review", "HEAD"]);
    assert_named(&out, &id, "the tree");
    assert!(
        text(&out.stderr).contains(" of src"),
        "{}",
        text(&out.stderr)
    );
    // The working tree's comparison walks HEAD's trees too.
    repo.write("b.txt", "changed\n");
    assert_named(&bounded(&repo, &["review", "worktree"]), &id, "of src");
}

#[test]
fn a_truncated_commit_is_named() {
    let repo = repo();
    let (id, path) = object_path(&repo, "HEAD");
    truncate(&path);
    assert_named(&bounded(&repo, &["review", "HEAD"]), &id, "commit");
    assert_named(
        &bounded(&repo, &["review", "worktree"]),
        &id,
        "the HEAD commit",
    );
    // A parent is checked before it is read as the base.
    let repo = self::repo();
    let (parent, path) = object_path(&repo, "HEAD~1");
    truncate(&path);
    assert_named(&bounded(&repo, &["review", "HEAD"]), &parent, "the parent");
}

#[test]
fn an_object_declaring_a_gigabyte_is_refused_without_allocating_it() {
    let repo = repo();
    let (id, path) = object_path(&repo, "HEAD:src/a.txt");
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(b"blob 1000000000\0only a few bytes")
        .unwrap();
    let lying = encoder.finish().unwrap();
    assert!(lying.len() < 64);
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&path, permissions).unwrap();
    std::fs::write(&path, lying).unwrap();

    let before = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .unwrap()
        .max_rss();
    let out = bounded(&repo, &["review", "HEAD"]);
    let peak_kib = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .unwrap()
        .max_rss();
    assert_named(&out, &id, "declares 1000000000 bytes");
    // The largest child so far (this test's git calls, or redline) stayed far below 1 GB.
    assert!(peak_kib.max(before) < 300 * 1024, "peak RSS {peak_kib} KiB");
}

#[test]
fn a_truncated_commit_deep_in_history_fails_history_walks_at_once_and_the_target_list_stops_there()
{
    let repo = repo();
    repo.write("c.txt", "c\n").commit("three");
    let (id, path) = object_path(&repo, "HEAD~1");
    truncate(&path);
    // libgit2 walks these on its own: every loose commit is checked first.
    assert_named(&bounded(&repo, &["provenance"]), &id, "the commit");
    assert_named(&bounded(&repo, &["review", "HEAD~1"]), &id, "the commit");
    assert_named(
        &bounded(&repo, &["review", "HEAD~2..HEAD"]),
        &id,
        "the commit",
    );
    // The target list shows what it can read and marks the rest.
    let out = bounded(&repo, &["targets", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let details: Vec<String> = list["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{} | {}",
                t["spec"].as_str().unwrap(),
                t["detail"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(details.len(), 3, "{details:?}");
    assert!(details[1].starts_with("HEAD | "), "{details:?}");
    assert!(details[2].starts_with("HEAD~1 | "), "{details:?}");
    assert!(
        details[2].contains(&format!("the loose object {id} is corrupt")),
        "{details:?}"
    );
}

#[test]
fn a_missing_parent_is_an_error_not_a_review_of_everything_added() {
    let repo = repo();
    let (parent, path) = object_path(&repo, "HEAD~1");
    std::fs::remove_file(&path).unwrap();
    let out = bounded(&repo, &["review", "HEAD"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(&format!(
            "error: cannot read the parent {parent} of commit "
        )),
        "{stderr}"
    );
    assert!(stderr.contains("git fsck"), "{stderr}");
}
