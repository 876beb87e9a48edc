//! The review workflow from the command line, on real repositories and a real database in a
//! temp dir (`REDLINE_DATA_DIR`): notes, viewed hunks, coverage, decisions that go stale, and
//! bad input answered with one clear line and nothing lost.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::{Command, Output};

use redline::progress::ViewState;
use redline::repo::Target;
use redline::review::{self, HunkChoice};
use redline::store::Store;
use serde_json::Value;
use support::{text, TestRepo};

/// Runs `redline ARGS --repo REPO` with its database in `data`.
fn run(repo: &TestRepo, data: &Path, args: &[&str]) -> Output {
    let path = repo.path();
    let mut command = Command::new(env!("CARGO_BIN_EXE_redline"));
    support::isolate_git(&mut command);
    command
        .args(args)
        .args(["--repo", path.to_str().unwrap()])
        .env("REDLINE_DATA_DIR", data)
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

/// The demo repository with a reviewer identity of its own (the tests' git and Redline see no
/// user configuration).
fn reviewed_demo() -> TestRepo {
    let repo = TestRepo::demo();
    repo.git(&["config", "user.name", "Rita Reviewer"]);
    repo.git(&["config", "user.email", "rita@example.com"]);
    repo
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}{}",
        text(&out.stderr),
        text(&out.stdout)
    );
    text(&out.stdout)
}

/// The one line a failure prints.
fn failure(out: &Output) -> String {
    assert!(!out.status.success(), "succeeded: {}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    stderr
}

fn status_json(repo: &TestRepo, data: &Path) -> Value {
    serde_json::from_str(&ok(&run(
        repo,
        data,
        &["status", "worktree", "--format", "json"],
    )))
    .unwrap()
}

#[test]
fn a_review_from_first_note_to_stale_approval() {
    let repo = reviewed_demo();
    let data = tempfile::tempdir().unwrap();
    let data = data.path();

    let added = ok(&run(
        &repo,
        data,
        &[
            "note",
            "add",
            "worktree",
            "web/cart.ts:20",
            "Coupons can **stack**",
            "--kind",
            "must-fix",
        ],
    ));
    assert!(added.starts_with("Added must-fix note "), "{added}");
    let id = added.split_whitespace().nth(3).unwrap().to_owned();

    let notes = ok(&run(&repo, data, &["notes", "worktree"]));
    assert!(
        notes.contains("1 note on worktree: 1 open (1 must-fix), 0 resolved"),
        "{notes}"
    );
    assert!(notes.contains("web/cart.ts:20\n"), "{notes}");
    assert!(notes.contains(&id), "{notes}");

    // Nothing viewed, a must-fix open: approval is refused with both reasons.
    let refused = failure(&run(&repo, data, &["approve", "worktree"]));
    assert!(refused.contains("1 must-fix note is open"), "{refused}");
    assert!(
        refused.contains("0 of 6 AI-written hunks viewed (0%)"),
        "{refused}"
    );
    assert_eq!(status_json(&repo, data)["status"], "open");

    for file in ["src/discount.rs", "web/cart.ts", "web/coupon.ts"] {
        ok(&run(&repo, data, &["viewed", "worktree", file]));
    }
    let status = status_json(&repo, data);
    assert_eq!(status["coverage"]["aiViewed"], 6);
    assert_eq!(status["coverage"]["aiHunks"], 6);

    let still = failure(&run(&repo, data, &["approve", "worktree"]));
    assert!(still.contains("1 must-fix note is open"), "{still}");
    assert!(!still.contains("hunks viewed"), "{still}");

    ok(&run(
        &repo,
        data,
        &["note", "resolve", "worktree", &id[..13]],
    ));
    let approved = ok(&run(
        &repo,
        data,
        &["approve", "worktree", "-m", "Looks right"],
    ));
    let reviewer = repo.git(&["config", "user.name"]);
    assert!(
        approved.contains(&format!("approved by {}", reviewer.trim())),
        "{approved}"
    );
    let status = ok(&run(&repo, data, &["status", "worktree"]));
    assert!(
        status.starts_with("Review of worktree: approved\n"),
        "{status}"
    );

    // The agent writes once more: the approval is stale, never carried over.
    repo.write("web/coupon.ts", "export const late = 1;\n");
    let status = ok(&run(&repo, data, &["status", "worktree"]));
    assert!(status.starts_with("Review of worktree: open\n"), "{status}");
    assert!(status.contains("STALE: the code changed since"), "{status}");
    let json = status_json(&repo, data);
    assert_eq!(json["decision"]["stale"], true);
    assert_eq!(json["decision"]["decision"]["verdict"], "approved");

    let md = ok(&run(&repo, data, &["notes", "worktree", "--format", "md"]));
    assert!(md.starts_with("## Review notes on `worktree`\n"), "{md}");
    assert!(md.contains("### `web/cart.ts`"), "{md}");
    assert!(md.contains("> Coupons can **stack**"), "{md}");
}

#[test]
fn approving_anyway_with_yes_records_what_was_confirmed() {
    let repo = reviewed_demo();
    let data = tempfile::tempdir().unwrap();
    let out = ok(&run(&repo, data.path(), &["approve", "worktree", "--yes"]));
    assert!(
        out.contains("(confirmed although 0 of 6 AI-written hunks viewed (0%))"),
        "{out}"
    );
    let json = status_json(&repo, data.path());
    assert_eq!(
        json["decision"]["decision"]["confirmedBlockers"][0]["kind"],
        "incompleteCoverage"
    );
    assert_eq!(json["status"], "approved");
}

#[test]
fn requesting_changes_needs_no_confirmation() {
    let repo = reviewed_demo();
    let data = tempfile::tempdir().unwrap();
    let out = ok(&run(
        &repo,
        data.path(),
        &["approve", "worktree", "--request-changes"],
    ));
    let reviewer = repo.git(&["config", "user.name"]);
    assert!(
        out.contains(&format!("changes requested by {}", reviewer.trim())),
        "{out}"
    );
    assert_eq!(
        status_json(&repo, data.path())["status"],
        "changesRequested"
    );
}

#[test]
fn a_hunk_the_agent_rewrote_after_it_was_viewed_is_unviewed_and_marked_changed() {
    let repo = TestRepo::new();
    let base: String = (1..=50).map(|i| format!("line {i}\n")).collect();
    repo.write("notes.txt", &base).commit("base");
    // Two separate hunks.
    let v1 = base
        .replace("line 20\n", "line twenty\n")
        .replace("line 30\n", "line thirty\n");
    repo.write("notes.txt", &v1);
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let path = repo.path();
    let progress = review::mark_viewed(
        &store,
        &path,
        &Target::Worktree,
        "notes.txt",
        &HunkChoice::All,
        true,
    )
    .unwrap();
    assert_eq!(progress.files[0].viewed, 2);
    assert!(progress.files[0].viewed_all);

    // The agent edits the second hunk again and adds a line at the top.
    repo.write(
        "notes.txt",
        format!(
            "header\n{}",
            v1.replace("line thirty\n", "line 30 (thirty)\n")
        ),
    );
    let progress = review::progress(&store, &path, &Target::Worktree).unwrap();
    let states: Vec<ViewState> = progress.hunks.iter().map(|h| h.state).collect();
    // The header line is a new hunk, the first edit kept its content (and its mark) though it
    // moved down a line, the rewritten one changed since viewed.
    assert_eq!(
        states,
        [
            ViewState::Unviewed,
            ViewState::Viewed,
            ViewState::ChangedSinceViewed
        ]
    );
    assert!(!progress.files[0].viewed_all);
    assert_eq!(progress.files[0].changed, 1);
}

#[test]
fn viewing_one_hunk_by_number() {
    let repo = reviewed_demo();
    let data = tempfile::tempdir().unwrap();
    let out = ok(&run(
        &repo,
        data.path(),
        &["viewed", "worktree", "web/cart.ts:2"],
    ));
    assert!(
        out.starts_with("Viewed web/cart.ts: 1 of 3 hunks viewed\n"),
        "{out}"
    );
    let json = status_json(&repo, data.path());
    let viewed: Vec<&Value> = json["hunks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["state"] == "viewed")
        .collect();
    assert_eq!(viewed.len(), 1);
    assert_eq!(viewed[0]["path"], "web/cart.ts");
    let unviewed = ok(&run(
        &repo,
        data.path(),
        &["viewed", "worktree", "web/cart.ts:2", "--unview"],
    ));
    assert!(
        unviewed.starts_with("Unviewed web/cart.ts: 0 of 3"),
        "{unviewed}"
    );
}

#[test]
fn bad_input_gets_one_clear_line_and_loses_nothing() {
    let repo = reviewed_demo();
    let data = tempfile::tempdir().unwrap();
    let data = data.path();
    ok(&run(
        &repo,
        data,
        &["note", "add", "worktree", "web/cart.ts:20", "keep me"],
    ));

    let cases: &[(&[&str], &str)] = &[
        (
            &["note", "add", "worktree", "web/cart.ts:999", "x"],
            "error: web/cart.ts has no line 999 on the new side (it has 65 lines)",
        ),
        (
            &["note", "add", "worktree", "web/cart.ts:3", "   "],
            "error: a note needs some text: the body is empty",
        ),
        (
            &["note", "add", "worktree", "web/nothing.ts:3", "x"],
            "error: 'web/nothing.ts' has no changes in worktree",
        ),
        (
            &["note", "add", "worktree", "web/cart.ts", "x"],
            "error: invalid place 'web/cart.ts': no line number (expected PATH:LINE or PATH:FIRST-LAST)",
        ),
        (
            &["note", "add", "worktree", "web/cart.ts:9-3", "x"],
            "error: invalid line range 9-3: the first line comes after the last",
        ),
        (
            &["note", "add", "worktree", "web/coupon.ts:3", "x", "--old"],
            "error: web/coupon.ts has no old side to write a note on (it is added in worktree)",
        ),
        (
            &["notes", "no-such-branch"],
            "error: unknown revision 'no-such-branch'",
        ),
        (
            &["viewed", "worktree", "web/cart.ts:7"],
            "error: web/cart.ts has no hunk '7' in worktree (it has 3: give 1 to 3 or a hunk id)",
        ),
        (
            &["note", "resolve", "worktree", "ffff"],
            "error: no note 'ffff' in the review of worktree",
        ),
    ];
    for (args, expected) in cases {
        let line = failure(&run(&repo, data, args));
        assert!(line.starts_with(expected), "{args:?}: {line}");
    }
    let notes = ok(&run(&repo, data, &["notes", "worktree"]));
    assert!(notes.contains("1 note on worktree"), "{notes}");
    assert!(notes.contains("keep me"), "{notes}");
}

#[test]
fn an_unusable_data_directory_is_named_and_nothing_is_written() {
    let repo = reviewed_demo();
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let data = blocker.join("redline");
    let line = failure(&run(
        &repo,
        &data,
        &["note", "add", "worktree", "web/cart.ts:20", "x"],
    ));
    assert!(
        line.starts_with(&format!(
            "error: cannot use {} as Redline's data directory:",
            data.display()
        )),
        "{line}"
    );
    assert_eq!(
        std::fs::read_to_string(&blocker).unwrap(),
        "not a directory"
    );
}

#[test]
fn a_database_locked_by_another_process_is_reported_and_the_note_can_be_saved_after() {
    let repo = reviewed_demo();
    let data = tempfile::tempdir().unwrap();
    // Create the database, then let another process hold its write lock.
    ok(&run(&repo, data.path(), &["status", "worktree"]));
    let db = data.path().join("redline.db");
    let mut holder = Command::new("python3")
        .args([
            "-c",
            "import sqlite3, sys, time\n\
             c = sqlite3.connect(sys.argv[1], isolation_level=None)\n\
             c.execute('BEGIN IMMEDIATE')\n\
             print('locked', flush=True)\n\
             sys.stdin.read()\n",
            db.to_str().unwrap(),
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut ready = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(holder.stdout.as_mut().unwrap()),
        &mut ready,
    )
    .unwrap();
    assert_eq!(ready.trim(), "locked");
    let line = failure(&run(
        &repo,
        data.path(),
        &["note", "add", "worktree", "web/cart.ts:20", "later"],
    ));
    assert!(
        line.starts_with(&format!(
            "error: the database {} is locked by another process (waited 5 s)",
            db.display()
        )),
        "{line}"
    );
    drop(holder.stdin.take());
    assert!(holder.wait().unwrap().success());
    ok(&run(
        &repo,
        data.path(),
        &["note", "add", "worktree", "web/cart.ts:20", "later"],
    ));
    let notes = ok(&run(&repo, data.path(), &["notes", "worktree"]));
    assert!(notes.contains("1 note on worktree"), "{notes}");
}

#[test]
fn reviewing_never_changes_the_repository() {
    let repo = reviewed_demo();
    let data = tempfile::tempdir().unwrap();
    let snapshot = || {
        (
            std::fs::read(repo.path().join(".git/index")).unwrap(),
            repo.git(&["status", "--porcelain=v2"]),
            repo.git(&["for-each-ref"]),
            std::fs::read(repo.path().join(".git/config")).unwrap(),
        )
    };
    let before = snapshot();
    let added = ok(&run(
        &repo,
        data.path(),
        &[
            "note",
            "add",
            "worktree",
            "web/cart.ts:20",
            "x",
            "-k",
            "question",
        ],
    ));
    let id = added.split_whitespace().nth(3).unwrap().to_owned();
    ok(&run(
        &repo,
        data.path(),
        &["note", "reply", "worktree", &id, "y"],
    ));
    ok(&run(
        &repo,
        data.path(),
        &["viewed", "worktree", "web/cart.ts"],
    ));
    ok(&run(&repo, data.path(), &["approve", "worktree", "--yes"]));
    ok(&run(
        &repo,
        data.path(),
        &["notes", "worktree", "--format", "json"],
    ));
    assert!(
        before == snapshot(),
        "the index, status, refs or config changed"
    );
}
