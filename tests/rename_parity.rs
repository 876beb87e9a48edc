//! Rename and copy pairing as git's, on real release ranges of public projects (hundreds of
//! files moved, split and copied): Redline's files (status, old path, new path, similarity)
//! equal `git diff -M -C --raw`, the patch applies with the same `git apply --numstat`, equals
//! `git diff -M -C` byte for byte and applies on the base (`git apply --check`).
//!
//! The ranges are bundles in `tests/fixtures/rename_parity/` (see its README: which
//! repository, which range, how each was reduced to the paths that changed).
//!
//! Each test prints its range's counts (files, renames, copies, mismatched files). Set
//! `REDLINE_PARITY_BIN` to an older `redline` build to count that build's mismatches.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;
use support::{assert_applies, isolate_git, rename_parity_repo, status_letter, text, TestRepo};

/// One file of a diff, as compared: status letter, similarity, old path, new path.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pair {
    status: char,
    similarity: Option<u32>,
    old_path: Option<String>,
    new_path: Option<String>,
}

fn redline(repo: &TestRepo, args: &[&str]) -> Output {
    let binary = std::env::var_os("REDLINE_PARITY_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_redline")),
        PathBuf::from,
    );
    let mut command = Command::new(binary);
    isolate_git(&mut command);
    let out = command
        .args(args)
        .args(["--repo", repo.path().to_str().unwrap()])
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "redline {args:?}: {}",
        text(&out.stderr)
    );
    out
}

/// git's files of the range, from `--raw -z`.
fn git_pairs(repo: &TestRepo) -> Vec<Pair> {
    let out = repo.git_output(&["diff", "-M", "-C", "--raw", "-z", "base", "head"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let raw = text(&out.stdout);
    let mut fields = raw.split('\0').filter(|f| !f.is_empty());
    let mut pairs = Vec::new();
    while let Some(meta) = fields.next() {
        let status_field = meta.rsplit(' ').next().unwrap();
        let status = status_field.chars().next().unwrap();
        let score = status_field[1..].parse::<u32>().ok();
        let first = fields.next().unwrap().to_owned();
        let pair = match status {
            'A' => Pair {
                status,
                similarity: None,
                old_path: None,
                new_path: Some(first),
            },
            'D' => Pair {
                status,
                similarity: None,
                old_path: Some(first),
                new_path: None,
            },
            'R' | 'C' => Pair {
                status,
                similarity: score,
                old_path: Some(first),
                new_path: Some(fields.next().unwrap().to_owned()),
            },
            _ => Pair {
                status,
                similarity: None,
                old_path: Some(first.clone()),
                new_path: Some(first),
            },
        };
        pairs.push(pair);
    }
    pairs
}

/// Redline's files of the range, from `--format json`.
fn redline_pairs(repo: &TestRepo) -> Vec<Pair> {
    let out = redline(repo, &["review", "base..head", "--format", "json"]);
    let review: Value = serde_json::from_slice(&out.stdout).unwrap();
    review["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let status = status_letter(f["status"].as_str().unwrap());
            Pair {
                status,
                similarity: f["similarity"]
                    .as_u64()
                    .filter(|_| matches!(status, 'R' | 'C'))
                    .map(|s| u32::try_from(s).unwrap()),
                old_path: f["oldPath"].as_str().map(str::to_owned),
                new_path: f["newPath"].as_str().map(str::to_owned),
            }
        })
        .collect()
}

/// `git apply --numstat -z` of a patch: per file, lines added and removed, and its paths.
fn apply_numstat(repo: &TestRepo, patch: &[u8], name: &str) -> String {
    // inside .git: the work tree stays the base, and each test's repository has its own
    let file = repo.path().join(format!(".git/{name}.patch"));
    std::fs::write(&file, patch).unwrap();
    let out = repo.git_output(&["apply", "--numstat", "-z", file.to_str().unwrap()]);
    assert!(out.status.success(), "{name}: {}", text(&out.stderr));
    text(&out.stdout)
}

fn check(name: &str) {
    check_repo(name, &rename_parity_repo(name));
}

/// Compares Redline with git on the range `base..head` of `repo`, checked out at `base`.
fn check_repo(name: &str, repo: &TestRepo) {
    let theirs = git_pairs(repo);
    let ours = redline_pairs(repo);
    let count = |pairs: &[Pair], status: char| pairs.iter().filter(|p| p.status == status).count();
    let wrong: Vec<&Pair> = ours.iter().filter(|p| !theirs.contains(p)).collect();
    let missing: Vec<&Pair> = theirs.iter().filter(|p| !ours.contains(p)).collect();
    eprintln!(
        "{name}: git: {} files, {} renames, {} copies; redline: {} files, {} renames, {} \
         copies; {} of git's files not in redline's, {} of redline's not in git's",
        theirs.len(),
        count(&theirs, 'R'),
        count(&theirs, 'C'),
        ours.len(),
        count(&ours, 'R'),
        count(&ours, 'C'),
        missing.len(),
        wrong.len(),
    );
    assert!(
        wrong.is_empty() && missing.is_empty(),
        "{name}: git's files Redline lacks (first 10): {:#?}\nRedline's files git lacks \
         (first 10): {:#?}",
        &missing[..missing.len().min(10)],
        &wrong[..wrong.len().min(10)],
    );
    assert_eq!(ours, theirs, "{name}: the same files, in git's order");

    let our_patch = redline(repo, &["review", "base..head", "--format", "patch"]).stdout;
    let git_patch = repo.git_output(&[
        "diff",
        "-M",
        "-C",
        "--no-color",
        "--no-ext-diff",
        "base",
        "head",
    ]);
    assert!(git_patch.status.success(), "{}", text(&git_patch.stderr));
    let git_patch = git_patch.stdout;
    let (our_numstat, git_numstat) = (
        apply_numstat(repo, &our_patch, "ours"),
        apply_numstat(repo, &git_patch, "git"),
    );
    let (our_records, git_records): (Vec<&str>, Vec<&str>) = (
        our_numstat.split('\0').collect(),
        git_numstat.split('\0').collect(),
    );
    let differ: Vec<(&str, &str)> = our_records
        .iter()
        .zip(&git_records)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (*a, *b))
        .take(10)
        .collect();
    assert!(
        our_numstat == git_numstat,
        "{name}: git apply --numstat of both patches: {} records against git's {}; first \
         differences (ours, git's): {differ:#?}",
        our_records.len(),
        git_records.len(),
    );
    assert!(
        our_patch == git_patch,
        "{name}: the patch differs from git's, first at byte {}",
        our_patch
            .iter()
            .zip(&git_patch)
            .position(|(a, b)| a != b)
            .unwrap_or(our_patch.len().min(git_patch.len()))
    );

    assert_applies(repo, &our_patch, name, false);
}

#[test]
fn pip_moved_into_src_internal() {
    check("pip-9.0.3-10.0.0");
}

#[test]
fn pytest_split_into_modules_and_copied_tests() {
    check("pytest-2.2.0-2.3.0");
}

#[test]
fn clap_copied_examples_and_docs() {
    check("clap-3.1.0-3.2.0");
}

#[test]
fn werkzeug_split_modules_into_packages() {
    check("werkzeug-0.14.1-0.15.0");
}

#[test]
fn openhands_moved_and_deleted_hundreds() {
    check("openhands-0.40.0-0.41.0");
}

#[test]
fn cline_moved_a_thousand_files() {
    check("cline-3.87.0-3.88.0");
}

/// Line endings and binary files: git's estimate leaves out the CR of a CRLF in a text file,
/// not in a binary one (a NUL, or `-diff`), so the same edit scores differently.
#[test]
fn crlf_counts_as_git_counts_it_in_text_and_binary_files() {
    let repo = TestRepo::new();
    let lines = |ending: &str, prefix: &str| -> String {
        (0..60)
            .map(|n| format!("{prefix} line {n} of some text{ending}"))
            .collect()
    };
    repo.write(".gitattributes", "*.raw -diff\n");
    repo.write("text/crlf.txt", lines("\r\n", "t"));
    repo.write("bin/crlf.bin", format!("\0{}", lines("\r\n", "b")));
    repo.write("raw/crlf.raw", lines("\r\n", "r"));
    repo.write("kept.txt", lines("\n", "k"));
    repo.commit("base");
    repo.git(&["branch", "base"]);
    for old in ["text/crlf.txt", "bin/crlf.bin", "raw/crlf.raw"] {
        repo.git(&["rm", "-q", old]);
    }
    // the same files with LF endings
    repo.write("moved/lf.txt", lines("\n", "t"));
    repo.write("moved/lf.bin", format!("\0{}", lines("\n", "b")));
    repo.write("moved/lf.raw", lines("\n", "r"));
    // a copy of a modified file, and the file edited
    repo.write(
        "copy.txt",
        lines("\n", "k").replace("line 5 ", "line five "),
    );
    repo.write("kept.txt", lines("\n", "k") + "one more line\n");
    repo.commit("head");
    repo.git(&["branch", "head"]);
    repo.git(&["checkout", "-q", "base"]);

    let pairs = git_pairs(&repo);
    let status_of = |path: &str| {
        pairs
            .iter()
            .find(|p| p.new_path.as_deref() == Some(path))
            .map(|p| p.status)
    };
    // the scenario holds what it is meant to: a text rename across line endings, binary
    // files that do not pair, a copy
    assert_eq!(status_of("moved/lf.txt"), Some('R'));
    assert_eq!(status_of("moved/lf.bin"), Some('A'));
    assert_eq!(status_of("moved/lf.raw"), Some('A'));
    assert_eq!(status_of("copy.txt"), Some('C'));
    check_repo("crlf", &repo);
}
