//! The `redline` CLI on real repositories: what it prints equals what git says, and bad input
//! gets one clear line and a non-zero exit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::{parse_numstat_z, redline, text, LineCounts, TestRepo};

/// Redline's files and line counts for `spec`, from `redline review SPEC --format json`.
fn redline_counts(repo: &TestRepo, spec: &str) -> LineCounts {
    let out = repo.redline(&["review", spec, "--format", "json"]);
    assert!(out.status.success(), "{spec}: {}", text(&out.stderr));
    let review: Value = serde_json::from_slice(&out.stdout).unwrap();
    review["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            let path = file["newPath"]
                .as_str()
                .or(file["oldPath"].as_str())
                .unwrap()
                .to_owned();
            let counts = if file["binary"].as_bool().unwrap() {
                None
            } else {
                Some((
                    file["additions"].as_u64().unwrap() as u32,
                    file["deletions"].as_u64().unwrap() as u32,
                ))
            };
            (path, counts)
        })
        .collect()
}

/// What git reports for the same target.
fn git_counts(repo: &TestRepo, spec: &str) -> LineCounts {
    let numstat = |args: &[&str]| {
        let mut all = vec!["diff", "-M", "--numstat", "-z"];
        all.extend(args);
        parse_numstat_z(&repo.git(&all))
    };
    match spec {
        "worktree" => {
            let mut counts = numstat(&["HEAD"]);
            // `git diff` leaves untracked files out; Redline counts them as added files.
            for path in repo
                .git(&["ls-files", "--others", "--exclude-standard", "-z"])
                .split('\0')
                .filter(|p| !p.is_empty())
            {
                let out =
                    repo.git_output(&["diff", "--no-index", "--numstat", "-z", "/dev/null", path]);
                counts.extend(parse_numstat_z(&text(&out.stdout)));
            }
            counts
        }
        "staged" => numstat(&["--cached"]),
        _ => match spec.strip_prefix("branch:") {
            Some(branch) => numstat(&[&format!("main...{branch}")]),
            None => {
                let parents = repo.git(&["rev-list", "--parents", "-n", "1", spec]);
                if parents.split_whitespace().count() > 1 {
                    numstat(&[&format!("{spec}^"), spec])
                } else {
                    let empty = repo.git(&["hash-object", "-t", "tree", "/dev/null"]);
                    numstat(&[empty.trim(), spec])
                }
            }
        },
    }
}

#[test]
fn review_json_lists_the_files_and_line_counts_of_git_numstat_for_every_target() {
    let repo = TestRepo::demo();
    let out = repo.redline(&["targets", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let specs: Vec<String> = list["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["spec"].as_str().unwrap().to_owned())
        .collect();
    // The demo has every kind of target the picker offers.
    for expected in ["worktree", "staged", "HEAD", "branch:agent/bulk-discounts"] {
        assert!(
            specs.iter().any(|s| s == expected),
            "{expected} in {specs:?}"
        );
    }
    assert!(specs.len() >= 8, "{specs:?}");
    for spec in &specs {
        let ours = redline_counts(&repo, spec);
        assert!(!ours.is_empty(), "{spec} shows no files");
        assert_eq!(ours, git_counts(&repo, spec), "target {spec}");
    }
}

#[test]
fn review_text_summarises_files_and_totals() {
    let repo = TestRepo::new();
    repo.write("a.txt", "one\ntwo\n").commit("first");
    repo.write("a.txt", "one\n2\nthree\n")
        .write("b.bin", b"\0\x01binary")
        .commit("second");
    let out = repo.redline(&["review", "HEAD"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("Review of HEAD in "), "{stdout}");
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["M", "a.txt", "+2", "-1"]
    );
    assert_eq!(
        lines[2].split_whitespace().collect::<Vec<_>>(),
        ["A", "b.bin", "binary"]
    );
    assert_eq!(lines[3], "2 files changed, 2 insertions(+), 1 deletions(-)");
}

#[test]
fn review_defaults_to_the_working_tree_when_it_has_changes_and_to_head_otherwise() {
    let repo = TestRepo::new();
    repo.write("a.txt", "one\n").commit("first");
    let spec_of = |repo: &TestRepo| {
        let out = repo.redline(&["review", "--format", "json"]);
        let review: Value = serde_json::from_slice(&out.stdout).unwrap();
        review["spec"].as_str().unwrap().to_owned()
    };
    assert_eq!(spec_of(&repo), "HEAD");
    repo.write("new.txt", "agent output\n");
    assert_eq!(spec_of(&repo), "worktree");
}

/// Runs `redline ARGS` and returns stderr, checking it is one line and the exit is non-zero.
fn one_line_error(args: &[&str]) -> String {
    let out = redline(args);
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail");
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout: {}",
        text(&out.stdout)
    );
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    stderr.trim_end().to_owned()
}

#[test]
fn a_path_that_does_not_exist_is_named() {
    assert_eq!(
        one_line_error(&["review", "--repo", "/not/a/repo"]),
        "error: no such directory: /not/a/repo"
    );
}

#[test]
fn a_directory_outside_any_repository_is_named() {
    let dir = TestRepo::empty_dir();
    let path = dir.path();
    assert_eq!(
        one_line_error(&["review", "--repo", path.to_str().unwrap()]),
        format!("error: not a git repository: {}", path.display())
    );
}

#[test]
fn an_unknown_revision_is_named() {
    let repo = TestRepo::new();
    repo.write("a.txt", "one\n").commit("first");
    let path = repo.path();
    assert_eq!(
        one_line_error(&["review", "no-such-ref", "--repo", path.to_str().unwrap()]),
        format!(
            "error: unknown revision 'no-such-ref' in {}",
            path.display()
        )
    );
    assert_eq!(
        one_line_error(&["review", "branch:nope", "--repo", path.to_str().unwrap()]),
        format!("error: unknown branch 'nope' in {}", path.display())
    );
}

#[test]
fn an_empty_repository_is_named_for_review_and_targets() {
    let repo = TestRepo::new();
    let path = repo.path();
    for command in ["review", "targets"] {
        assert_eq!(
            one_line_error(&[command, "--repo", path.to_str().unwrap()]),
            format!("error: repository has no commits yet: {}", path.display())
        );
    }
}

#[test]
fn an_incomplete_target_is_explained() {
    let repo = TestRepo::new();
    repo.write("a.txt", "one\n").commit("first");
    let path = repo.path();
    assert_eq!(
        one_line_error(&["review", "main..", "--repo", path.to_str().unwrap()]),
        "error: invalid target 'main..': a range needs both ends, e.g. main..HEAD"
    );
}

#[test]
fn demo_without_a_path_builds_the_apps_demo_once_and_then_reuses_it() {
    let data = TestRepo::empty_dir();
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_redline"))
            .arg("demo")
            .env("XDG_DATA_HOME", data.path())
            .output()
            .unwrap()
    };
    let first = run();
    assert!(first.status.success(), "{}", text(&first.stderr));
    let demo = data.path().join("redline/demo");
    assert!(text(&first.stdout).contains(&demo.display().to_string()));
    let head = |path: &std::path::Path| {
        text(
            &support::git_command()
                .args(["rev-parse", "HEAD"])
                .current_dir(path)
                .output()
                .unwrap()
                .stdout,
        )
    };
    let head_before = head(&demo);
    std::fs::write(demo.join("reviewer-scratch.txt"), "kept").unwrap();
    let second = run();
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert_eq!(head(&demo), head_before);
    assert!(
        demo.join("reviewer-scratch.txt").exists(),
        "reuse must not rebuild"
    );
}
