//! `--format patch` keeps the bytes of both sides: lines that are not UTF-8 (Latin-1), CRLF,
//! no newline at end of file, NUL in a file declared text. Compared with `git diff` byte for
//! byte (not as decoded lines), and applied with `git apply --check` on the base.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{text, TestRepo};

fn latin1_repo() -> TestRepo {
    let repo = TestRepo::new();
    // Latin-1: "café" is 63 61 66 E9; the function-context line holds an é too (git cuts a
    // hunk header's function context where the text stops being UTF-8).
    let mut latin1 = b"int caf\xe9(void)\n{\n".to_vec();
    for n in 0..12 {
        latin1.extend_from_slice(format!("    x{n} = 1; /* d").as_bytes());
        latin1.extend_from_slice(b"\xe9j\xe0 */\n");
    }
    latin1.extend_from_slice(b"}\n");
    repo.write("latin1.c", &latin1);
    repo.write("crlf.txt", "one\r\ntwo\r\nthree\r\n");
    repo.write("no-eol.txt", "first\nlast without newline");
    // `diff`: diffed as text although it holds a NUL.
    repo.write(".gitattributes", "*.dat diff\n");
    repo.write("nul.dat", b"a\0b\nsecond\n");
    repo.commit("base");

    let edited: Vec<u8> = latin1
        .split_inclusive(|&b| b == b'\n')
        .enumerate()
        .flat_map(|(n, line)| {
            if n == 10 {
                b"    x8 = 2; /* na\xefve */\n".to_vec()
            } else {
                line.to_vec()
            }
        })
        .collect();
    repo.write("latin1.c", &edited);
    repo.write("crlf.txt", "one\r\nTWO\r\nthree\r\n");
    repo.write("no-eol.txt", "first\nlast changed, still without newline");
    repo.write("nul.dat", b"a\0c\nsecond\n");
    repo.commit("edit");
    repo
}

#[test]
fn a_patch_keeps_the_bytes_git_prints_and_applies() {
    let repo = latin1_repo();
    let ours = repo.redline(&["review", "HEAD", "--format", "patch"]);
    assert!(ours.status.success(), "{}", text(&ours.stderr));
    let theirs = repo.git_output(&[
        "diff",
        "-M",
        "-C",
        "--no-color",
        "--no-ext-diff",
        "--abbrev=7",
        "HEAD~1",
        "HEAD",
    ]);
    assert!(
        theirs.stdout.windows(4).any(|w| w == b"na\xefv"),
        "git's patch holds the Latin-1 bytes"
    );
    assert_eq!(ours.stdout, theirs.stdout, "byte for byte");

    // It applies on the base.
    repo.git(&["checkout", "-q", "HEAD~1"]);
    let file = repo.path().join("../ours.patch");
    std::fs::write(&file, &ours.stdout).unwrap();
    let check = repo.git_output(&["apply", "--check", file.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "git apply --check: {}",
        text(&check.stderr)
    );
}

#[test]
fn the_window_still_gets_the_lines_decoded_and_marked() {
    let repo = latin1_repo();
    let out = repo.redline(&["review", "HEAD", "--format", "json"]);
    let review: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = review["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["newPath"] == "latin1.c")
        .unwrap();
    let hunk = &file["hunks"][0];
    assert_eq!(hunk["header"], "@@ -8,7 +8,7 @@ int caf");
    let added: Vec<&serde_json::Value> = hunk["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "added")
        .collect();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0]["text"], "    x8 = 2; /* na\u{FFFD}ve */");
    assert_eq!(added[0]["lossy"], true);
}

/// Asserts that HEAD's patch is git's, byte for byte; git's patch, as text.
fn assert_same_patch_as_git(repo: &TestRepo) -> String {
    let ours = repo.redline(&["review", "HEAD", "--format", "patch"]);
    assert!(ours.status.success(), "{}", text(&ours.stderr));
    let theirs = repo.git_output(&[
        "diff",
        "-M",
        "-C",
        "--no-color",
        "--no-ext-diff",
        "HEAD~1",
        "HEAD",
    ]);
    assert_eq!(text(&ours.stdout), text(&theirs.stdout));
    text(&theirs.stdout)
}

#[test]
fn object_ids_are_abbreviated_as_git_abbreviates_them_in_the_repository() {
    // core.abbrev set.
    let repo = TestRepo::new();
    repo.write("a.txt", "one\n").commit("one");
    repo.write("a.txt", "two\n").commit("two");
    repo.git(&["config", "core.abbrev", "12"]);
    assert_same_patch_as_git(&repo);
    let patch = text(
        &repo
            .redline(&["review", "HEAD", "--format", "patch"])
            .stdout,
    );
    let index = patch.lines().find(|l| l.starts_with("index ")).unwrap();
    assert_eq!(
        index.len(),
        "index ".len() + 12 + 2 + 12 + " 100644".len(),
        "{index}"
    );

    // Unset: git's automatic length grows with the packed objects (2^14 of them: 8 digits).
    let big = TestRepo::new();
    let mut stream = Vec::new();
    for n in 0..17_000u32 {
        let data = format!("object {n}\n");
        stream.extend(format!("blob\ndata {}\n{data}\n", data.len()).into_bytes());
    }
    let mut import = std::process::Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(big.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut import.stdin.take().unwrap(), &stream).unwrap();
    assert!(import.wait().unwrap().success());
    big.write("a.txt", "one\n").commit("one");
    big.write("a.txt", "two\n").commit("two");
    // fast-import wrote the blobs as a pack, which is what git's estimate counts.
    assert_same_patch_as_git(&big);
    let patch = text(&big.redline(&["review", "HEAD", "--format", "patch"]).stdout);
    let index = patch.lines().find(|l| l.starts_with("index ")).unwrap();
    assert_eq!(index.split(['.', ' ']).nth(1).unwrap().len(), 8, "{index}");
}

#[test]
fn a_file_name_that_is_not_utf8_is_written_as_git_writes_it() {
    use std::os::unix::ffi::OsStrExt;
    let repo = TestRepo::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9 menu.txt");
    std::fs::write(repo.path().join(name), "one\n").unwrap();
    repo.commit("latin-1 name");
    std::fs::write(repo.path().join(name), "two\n").unwrap();
    let renamed = std::ffi::OsStr::from_bytes(b"d\xe9j\xe0.txt");
    std::fs::write(
        repo.path().join(renamed),
        "same content for a rename\nline\nline\n",
    )
    .unwrap();
    repo.commit("edit");
    std::fs::remove_file(repo.path().join(renamed)).unwrap();
    std::fs::write(
        repo.path()
            .join(std::ffi::OsStr::from_bytes(b"r\xe9named.txt")),
        "same content for a rename\nline\nline\n",
    )
    .unwrap();
    repo.commit("rename");
    for quote_path in ["true", "false"] {
        repo.git(&["config", "core.quotePath", quote_path]);
        for range in ["HEAD~2..HEAD~1", "HEAD~1..HEAD"] {
            let ours = repo.redline(&["review", range, "--format", "patch"]);
            assert!(ours.status.success(), "{}", text(&ours.stderr));
            let (base, head) = range.split_once("..").unwrap();
            let theirs = repo.git_output(&[
                "diff",
                "-M",
                "-C",
                "--no-color",
                "--no-ext-diff",
                base,
                head,
            ]);
            assert_eq!(
                ours.stdout, theirs.stdout,
                "core.quotePath={quote_path} {range}"
            );
            // It applies on the base.
            let file = repo.path().join(format!("../names-{quote_path}.patch"));
            std::fs::write(&file, &ours.stdout).unwrap();
            repo.git(&["checkout", "-q", base]);
            let check = repo.git_output(&["apply", "--check", file.to_str().unwrap()]);
            repo.git(&["checkout", "-q", "main"]);
            assert!(check.status.success(), "{}", text(&check.stderr));
        }
    }
}

/// A type change prints as git prints it: the old entry's removal, then the new entry's
/// addition, each as text or binary on its own (a symlink's removal is text even when a
/// binary file replaces it), and a binary file replaced by a symlink the other way round.
#[cfg(unix)]
#[test]
fn a_type_change_prints_each_half_as_text_or_binary_as_git_does() {
    let repo = TestRepo::new();
    std::os::unix::fs::symlink("target.txt", repo.path().join("link")).unwrap();
    repo.write("blob", b"\0binary\0");
    repo.write("target.txt", "text\n");
    repo.commit("base");
    std::fs::remove_file(repo.path().join("link")).unwrap();
    repo.write("link", b"\0now binary\0");
    std::fs::remove_file(repo.path().join("blob")).unwrap();
    std::os::unix::fs::symlink("target.txt", repo.path().join("blob")).unwrap();
    repo.commit("swap kinds");

    let theirs_text = assert_same_patch_as_git(&repo);
    assert!(
        theirs_text.contains("-target.txt")
            && theirs_text.contains("Binary files /dev/null and b/link differ"),
        "git prints the symlink's removal as text and the new file as binary:\n{theirs_text}"
    );
}
