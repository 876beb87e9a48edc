//! The watcher on real repositories and the real filesystem. Waits are generous and only bound
//! how long a test may take; no assertion depends on timing beyond them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use redline::error::{ErrorKind, ErrorReport};
use redline::watch::{self, WatchError, WatchEvent, WatchHandle, MAX_LATENCY, QUIET_PERIOD};
use support::TestRepo;

type Events = Receiver<Result<WatchEvent, WatchError>>;

fn start(repo: &TestRepo) -> (WatchHandle, Events) {
    let (sender, events) = mpsc::channel();
    let handle = watch::start(&repo.path(), move |event| {
        let _ = sender.send(event);
    })
    .unwrap();
    (handle, events)
}

/// How long without an event means the watcher has said all it will: well past the quiet
/// period and the latency bound.
const SETTLED: Duration = Duration::from_secs(2);
/// The most a test waits for the first event.
const PATIENCE: Duration = Duration::from_secs(30);

/// Collects events until none arrives for [`SETTLED`]; fails on watcher errors.
fn settle(events: &Events) -> Vec<WatchEvent> {
    assert!(SETTLED > QUIET_PERIOD + MAX_LATENCY);
    let started = Instant::now();
    let mut collected = Vec::new();
    loop {
        match events.recv_timeout(SETTLED) {
            Ok(Ok(event)) => collected.push(event),
            Ok(Err(error)) => panic!("watcher error: {error}"),
            Err(RecvTimeoutError::Timeout) => return collected,
            Err(RecvTimeoutError::Disconnected) => panic!("the watcher stopped"),
        }
        assert!(
            started.elapsed() < PATIENCE,
            "events keep coming: {collected:?}"
        );
    }
}

/// Collects events until one names `marker` (a file the test writes after everything that must
/// not be reported): the watcher reports changes in order, so whatever the earlier actions
/// caused has arrived by then. A wait on a signal, not on a quiet period.
fn until_marker(events: &Events, marker: &str) -> Vec<WatchEvent> {
    let deadline = Instant::now() + PATIENCE;
    let mut collected = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(Ok(event)) => {
                let done = event.paths.iter().any(|p| p == marker);
                collected.push(event);
                if done {
                    return collected;
                }
            }
            Ok(Err(error)) => panic!("watcher error: {error}"),
            Err(RecvTimeoutError::Timeout) => panic!("{marker} was never reported: {collected:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the watcher stopped"),
        }
    }
}

/// The union of a batch of events.
fn union(events: &[WatchEvent]) -> WatchEvent {
    events
        .iter()
        .fold(WatchEvent::default(), |acc, e| WatchEvent {
            worktree: acc.worktree || e.worktree,
            index: acc.index || e.index,
            head: acc.head || e.head,
            refs: acc.refs || e.refs,
            paths: [acc.paths, e.paths.clone()].concat(),
            changed: acc.changed + e.changed,
        })
}

fn file_name(i: usize) -> String {
    format!("src/mod{:02}/file{i:04}.txt", i % 10)
}

/// A project of 1,000 committed files in ten directories.
fn thousand_files() -> TestRepo {
    let repo = TestRepo::new();
    for i in 0..1000 {
        repo.write(&file_name(i), format!("original {i}\n"));
    }
    repo.commit("a thousand files");
    repo
}

#[test]
fn rewriting_a_thousand_files_yields_a_handful_of_events() {
    let repo = thousand_files();
    let (_handle, events) = start(&repo);

    for i in 0..1000 {
        repo.write(&file_name(i), format!("rewritten by the agent {i}\n"));
    }
    let batch = settle(&events);

    eprintln!(
        "1,000 rewritten files gave {} events: changed {:?}",
        batch.len(),
        batch.iter().map(|e| e.changed).collect::<Vec<_>>()
    );
    assert!(
        !batch.is_empty() && batch.len() <= 5,
        "{} events",
        batch.len()
    );
    let all = union(&batch);
    assert!(
        all.worktree && !all.index && !all.head && !all.refs,
        "{all:?}"
    );
    // A file's events may straddle two batches, so the sum can exceed 1,000, never fall short.
    assert!(all.changed >= 1000, "changed {}", all.changed);
    assert!(batch
        .iter()
        .all(|e| e.paths.len() <= watch::MAX_SAMPLE_PATHS));
    assert!(
        all.paths.iter().all(|p| p.starts_with("src/mod")),
        "{:?}",
        all.paths
    );
}

#[test]
fn an_agent_writing_for_two_seconds_refreshes_about_once_a_second() {
    let repo = thousand_files();
    let (_handle, events) = start(&repo);

    let started = Instant::now();
    for i in 0..1000 {
        repo.write(&file_name(i), format!("rewritten slowly {i}\n"));
        std::thread::sleep(Duration::from_millis(2));
    }
    let took = started.elapsed();
    let batch = settle(&events);

    eprintln!(
        "1,000 files rewritten over {took:?} gave {} events: changed {:?}",
        batch.len(),
        batch.iter().map(|e| e.changed).collect::<Vec<_>>()
    );
    // One per MAX_LATENCY while the writes last, plus the last one: a handful, not thousands.
    let bound = usize::try_from(took.as_millis() / MAX_LATENCY.as_millis()).unwrap() + 2;
    assert!(batch.len() >= 2, "a long burst is reported before it ends");
    assert!(batch.len() <= bound, "{} events in {took:?}", batch.len());
    assert!(union(&batch).changed >= 1000);
}

#[test]
fn ignored_files_and_git_internals_yield_no_event() {
    let repo = TestRepo::new();
    repo.write(".gitignore", "target/\n*.log\nnode_modules/\n")
        .write("src/lib.rs", "pub fn f() {}\n")
        .write("target/debug/build/out.txt", "old build output\n")
        .commit("project with ignores");
    let (_handle, events) = start(&repo);

    // Build output, logs, a freshly installed dependency tree: all ignored.
    for i in 0..50 {
        repo.write(&format!("target/debug/build/out{i}.txt"), "output\n");
        repo.write(
            &format!("node_modules/pkg{i}/index.js"),
            "module.exports = 1;\n",
        );
    }
    repo.write("server.log", "a log line\n");
    // Object writes: what `git add` or `git gc` churn looks like inside .git.
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "blob content\n").unwrap();
    repo.git(&["hash-object", "-w", outside.path().to_str().unwrap()]);
    repo.write(".git/objects/info/packs", "\n");
    repo.write(".git/logs/HEAD.scratch", "noise\n");
    repo.write(".git/index.lock.test", "noise\n");
    // Reading files is not changing them.
    repo.git(&["status", "--porcelain"]);
    let _ = std::fs::read(repo.path().join("src/lib.rs")).unwrap();

    // Then one real change, so the test also proves the watcher was listening.
    repo.write("src/lib.rs", "pub fn f() -> u8 { 1 }\n");

    let all = union(&until_marker(&events, "src/lib.rs"));
    assert_eq!(all.paths, ["src/lib.rs"], "{all:?}");
    assert_eq!(all.changed, 1);
    // `git status` may refresh the index when stat data is stale: a real index write, allowed.
    assert!(!all.head && !all.refs, "{all:?}");
}

#[test]
fn a_git_add_a_commit_and_a_checkout_are_reported_as_such() {
    let repo = TestRepo::new();
    repo.write("a.txt", "one\n").commit("first");
    let (_handle, events) = start(&repo);

    repo.write("a.txt", "two\n");
    let edit = union(&settle(&events));
    assert!(
        edit.worktree && !edit.index && !edit.head && !edit.refs,
        "{edit:?}"
    );
    assert_eq!(edit.paths, ["a.txt"]);

    repo.git(&["add", "a.txt"]);
    let add = union(&settle(&events));
    assert!(
        add.index && !add.worktree && !add.head && !add.refs,
        "{add:?}"
    );

    repo.git(&["commit", "-q", "-m", "second"]);
    let commit = union(&settle(&events));
    assert!(commit.refs && !commit.worktree, "{commit:?}");

    repo.git(&["checkout", "-q", "-b", "agent/fix"]);
    let checkout = union(&settle(&events));
    assert!(checkout.head && !checkout.worktree, "{checkout:?}");
}

#[test]
fn refreshing_the_review_does_not_trigger_another_refresh() {
    // The app refreshes on an event by reading the target and taking a revision; if that
    // produced an event itself, it would refresh forever.
    let repo = TestRepo::new();
    repo.write("a.txt", "one\n").commit("first");
    repo.write("a.txt", "two\n").write("untracked.txt", "new\n");
    let (_handle, events) = start(&repo);

    let target = redline::repo::Target::Worktree;
    redline::review::open(&repo.path(), Some(&target)).unwrap();
    redline::review::revision(&repo.path(), &target).unwrap();
    redline::review::revision(&repo.path(), &redline::repo::Target::Staged).unwrap();

    // A change after the refresh: once it is reported, anything the refresh caused has been.
    repo.write("marker.txt", "after the refresh\n");
    let all = union(&until_marker(&events, "marker.txt"));
    assert_eq!(all.paths, ["marker.txt"], "{all:?}");
    assert!(!all.index && !all.head && !all.refs, "{all:?}");
}

#[test]
fn files_in_a_new_directory_are_reported() {
    let repo = TestRepo::new();
    repo.write("a.txt", "one\n").commit("first");
    let (_handle, events) = start(&repo);

    // Written at once after the directories appear: before any watch on them can exist.
    repo.write("new/deeper/module.rs", "fn new() {}\n");
    repo.write("new/deeper/other.rs", "fn other() {}\n");
    let all = union(&settle(&events));
    assert!(all.worktree, "{all:?}");
    assert!(
        all.paths.contains(&"new/deeper/module.rs".to_owned()),
        "{all:?}"
    );
    assert!(
        all.paths.contains(&"new/deeper/other.rs".to_owned()),
        "{all:?}"
    );

    // And the new directory is watched from now on.
    repo.write("new/deeper/module.rs", "fn new() { todo!() }\n");
    let again = union(&settle(&events));
    assert_eq!(again.paths, ["new/deeper/module.rs"]);
}

#[test]
fn a_directory_that_stops_being_ignored_is_watched() {
    let repo = TestRepo::new();
    repo.write(".gitignore", "generated/\n")
        .write("generated/api.rs", "// generated\n")
        .write("a.txt", "one\n")
        .commit("first");
    let (_handle, events) = start(&repo);

    repo.write("generated/api.rs", "// regenerated\n");
    repo.write(".gitignore", "");
    let first = union(&settle(&events));
    assert!(first.paths.contains(&".gitignore".to_owned()), "{first:?}");

    repo.write("generated/api.rs", "// edited by the agent\n");
    let second = union(&settle(&events));
    assert_eq!(second.paths, ["generated/api.rs"]);
}

/// `git add -f` keeps a file in an ignored directory tracked: git diffs it, so the watcher
/// reports it, and still not the untracked build output next to it.
#[test]
fn a_tracked_file_in_an_ignored_directory_is_reported() {
    let repo = TestRepo::new();
    repo.write(".gitignore", "vendor/\n")
        .write("vendor/zlib/patched.c", "int level;\n")
        .write("a.txt", "one\n");
    repo.git(&["add", "-f", "vendor/zlib/patched.c"]);
    repo.commit("a patched vendored file, kept in an ignored directory");
    let (_handle, events) = start(&repo);

    repo.write("vendor/zlib/patched.o", "object code\n");
    repo.write("vendor/other/build.log", "noise\n");
    repo.write("vendor/zlib/patched.c", "int level = 9;\n");
    let all = union(&settle(&events));
    assert_eq!(all.paths, ["vendor/zlib/patched.c"], "{all:?}");
}

/// A file force-added while watching is watched from then on.
#[test]
fn a_file_force_added_while_watching_is_reported_from_then_on() {
    let repo = TestRepo::new();
    repo.write(".gitignore", "generated/\n")
        .write("generated/schema.rs", "// generated\n")
        .write("a.txt", "one\n")
        .commit("first");
    let (_handle, events) = start(&repo);

    repo.git(&["add", "-f", "generated/schema.rs"]);
    let staged = union(&settle(&events));
    assert!(staged.index, "{staged:?}");

    repo.write("generated/schema.rs", "// edited by the agent\n");
    let edited = union(&settle(&events));
    assert_eq!(edited.paths, ["generated/schema.rs"], "{edited:?}");
}

#[test]
fn dropping_the_handle_stops_the_watcher() {
    let repo = TestRepo::new();
    repo.write("a.txt", "one\n").commit("first");
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let handle = watch::start(&repo.path(), move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    })
    .unwrap();
    assert_eq!(
        Arc::strong_count(&calls),
        2,
        "the callback is held by the watcher"
    );

    drop(handle);
    // The thread has ended and dropped the callback by the time drop returns.
    assert_eq!(Arc::strong_count(&calls), 1);
    let before = calls.load(Ordering::SeqCst);
    // A second watcher's report of the next change is the signal that the change was seen; by
    // then the first, had it survived, would have been told too.
    let (_second, events) = start(&repo);
    repo.write("a.txt", "two\n");
    until_marker(&events, "a.txt");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        before,
        "called after the handle was dropped"
    );
}

#[test]
fn watching_outside_a_repository_names_the_problem() {
    let dir = TestRepo::empty_dir();
    let error = watch::start(&dir.path(), |_| {}).unwrap_err();
    let report = ErrorReport::from(&error);
    assert_eq!(report.kind, ErrorKind::NotARepository);
    assert!(
        report.message.contains(dir.path().to_str().unwrap()),
        "{}",
        report.message
    );
}

#[test]
fn cli_prints_one_json_line_per_change() {
    let repo = TestRepo::new();
    repo.write("a.txt", "one\n").commit("first");
    let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(["watch", "--repo", repo.path().to_str().unwrap()])
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    // The watches are in place once it says so on stderr.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut ready = String::new();
    stderr.read_line(&mut ready).unwrap();
    assert!(ready.starts_with("watching "), "{ready}");

    let (sender, lines) = mpsc::channel();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || {
        for line in stdout.lines() {
            let _ = sender.send(line.unwrap());
        }
    });
    repo.write("b.txt", "new file\n");
    let line = lines.recv_timeout(PATIENCE);
    child.kill().unwrap();
    child.wait().unwrap();

    let event: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
    assert_eq!(event["worktree"], true);
    assert_eq!(event["paths"], serde_json::json!(["b.txt"]));
    assert_eq!(event["changed"], 1);
}
