//! Findings feed coverage: an AI-written hunk with a high or critical finding counts as
//! high-risk, and stays "not viewed" until the reviewer marks it viewed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::Command;

use support::TestRepo;

fn check(repo: &TestRepo, data: &std::path::Path) -> (String, serde_json::Value) {
    let run = |format: &str| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_redline"));
        support::isolate_git(&mut command);
        let out = command
            .args([
                "check",
                "HEAD",
                "--format",
                format,
                "-C",
                repo.path().to_str().unwrap(),
            ])
            .env("REDLINE_DATA_DIR", data)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", support::text(&out.stderr));
        support::text(&out.stdout)
    };
    let text = run("text");
    let json = serde_json::from_str(&run("json")).unwrap();
    (text, json)
}

#[test]
fn high_risk_ai_hunks_count_as_unviewed_until_viewed() {
    let repo = TestRepo::new();
    repo.write("app/__init__.py", "").commit("start");
    repo.write(
        "app/keys.py",
        "AWS_ACCESS_KEY_ID = \"AKIAQWERTYUIOPASDF12\"\n",
    );
    repo.git(&["add", "-A"]);
    repo.git(&[
        "commit",
        "-q",
        "-m",
        "Add keys\n\nCo-Authored-By: Claude <noreply@anthropic.com>",
    ]);
    let data = tempfile::tempdir().unwrap();
    let (text, json) = check(&repo, data.path());
    assert_eq!(json["highRiskAiHunks"], 1, "{json}");
    assert_eq!(json["highRiskAiUnviewed"], 1, "{json}");
    assert!(
        text.contains("\n1 high-risk AI-written hunk, 1 not viewed\n"),
        "{text}"
    );

    let mut viewed = Command::new(env!("CARGO_BIN_EXE_redline"));
    support::isolate_git(&mut viewed);
    let out = viewed
        .args([
            "viewed",
            "HEAD",
            "app/keys.py",
            "-C",
            repo.path().to_str().unwrap(),
        ])
        .env("REDLINE_DATA_DIR", data.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", support::text(&out.stderr));
    let (text, json) = check(&repo, data.path());
    assert_eq!(json["highRiskAiUnviewed"], 0, "{json}");
    assert!(
        text.contains("\n1 high-risk AI-written hunk, 0 not viewed\n"),
        "{text}"
    );
}

#[test]
fn a_human_commit_has_no_high_risk_ai_hunks() {
    let repo = TestRepo::new();
    repo.write("app/__init__.py", "").commit("start");
    repo.write(
        "app/keys.py",
        "AWS_ACCESS_KEY_ID = \"AKIAQWERTYUIOPASDF12\"\n",
    )
    .commit("Add keys");
    let data = tempfile::tempdir().unwrap();
    let (text, json) = check(&repo, data.path());
    assert_eq!(json["counts"]["critical"], 1, "{json}");
    assert_eq!(json["highRiskAiHunks"], 0, "{json}");
    assert!(!text.contains("high-risk AI-written"), "{text}");
}
