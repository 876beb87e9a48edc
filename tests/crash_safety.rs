//! A note that was saved survives the process being killed, at any moment, and two windows
//! writing at once both get their notes in. The writers are real processes: this test binary
//! re-run with [`CHILD_DIR`] set, so only [`child_saves_notes`] does anything in them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use redline::notes::NoteKind;
use redline::store::{Store, DATABASE_FILE};
use support::{anchor_in, reviewer, rust_source, text, XorShift};

/// The data directory a child process saves notes into; without it the child test returns.
const CHILD_DIR: &str = "REDLINE_CRASH_CHILD_DIR";
/// How many notes a child saves before it exits; without it, until it is killed.
const CHILD_COUNT: &str = "REDLINE_CRASH_CHILD_COUNT";
/// The requirement: killed at random moments at least 200 times.
const KILLS: usize = 220;
const REPO_PATH: &str = "/work/projects/shop";
const TARGET: &str = "worktree";

/// In a child process: opens the store, prints `opened`, then saves notes on realistic anchors
/// one after the other, printing `saved <id>` (flushed) once each save returned.
#[test]
fn child_saves_notes() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let count: Option<usize> = std::env::var(CHILD_COUNT).ok().map(|c| c.parse().unwrap());
    let store = Store::open(Path::new(&dir)).unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "opened").unwrap();
    out.flush().unwrap();
    let repo = store
        .identify_repo(REPO_PATH, &["5c3e0a9d2b7f41e6".into()])
        .unwrap();
    let review = store.review_id(repo, TARGET).unwrap();
    let source = rust_source(7, 60);
    let anchors: Vec<_> = (0..60)
        .map(|f| anchor_in("src/orders.rs", &source, 7 * f + 3, 7 * f + 5))
        .collect();
    let kinds = NoteKind::ALL;
    let mut saved = 0;
    while count.is_none_or(|c| saved < c) {
        let body = format!(
            "Note {saved} of process {}: the discount is taken before shipping; \
             should free shipping look at the discounted total?",
            std::process::id()
        );
        let thread = store
            .add_thread(
                review,
                kinds[saved % kinds.len()],
                &anchors[saved % anchors.len()],
                "4b825dc642cb6eb9a060e54bf8d69288fbee4904:9daeafb9864cf43055ae93beb0afd6c7d144bfa4",
                &reviewer(),
                &body,
            )
            .unwrap();
        writeln!(out, "saved {}", thread.id).unwrap();
        out.flush().unwrap();
        saved += 1;
    }
}

fn spawn_child(dir: &Path, count: Option<usize>) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            "child_saves_notes",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(CHILD_DIR, dir)
        .env_remove(CHILD_COUNT)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(count) = count {
        command.env(CHILD_COUNT, count.to_string());
    }
    command.spawn().unwrap()
}

/// The id in a `saved <id>` line (the test harness may print before it on the same line).
fn saved_id(line: &str) -> Option<&str> {
    line.split_once("saved ").map(|(_, id)| id.trim())
}

/// Opens the store after the children and checks it is sound and holds every id in `saved`.
fn assert_all_present(dir: &Path, saved: &[String]) -> Store {
    let store = Store::open(dir).unwrap();
    assert_eq!(
        store.recovered_from(),
        None,
        "the database was set aside as corrupt"
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let missing: Vec<&String> = saved
        .iter()
        .filter(|id| !store.note_exists(id).unwrap())
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} saved notes are gone, e.g. {:?}",
        missing.len(),
        saved.len(),
        &missing[..missing.len().min(5)]
    );
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| n.starts_with(DATABASE_FILE) && !n.contains("corrupt")),
        "{names:?}"
    );
    store
}

#[test]
fn every_saved_note_survives_the_process_being_killed_at_random_moments() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = XorShift::new(0x00c0_ffee_2025);
    let mut saved: Vec<String> = Vec::new();
    let mut killed_while_saving = 0;
    for run in 0..KILLS {
        let mut child = spawn_child(dir.path(), None);
        let stdout = child.stdout.take().unwrap();
        let (lines, received) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let mut seen = Vec::new();
        // Odd runs count the delay from the child's `opened`, so the kill lands among the
        // saves; even runs from the start, so it also lands in start-up, opening, migrating.
        if run % 2 == 1 {
            loop {
                let line = received
                    .recv_timeout(Duration::from_secs(30))
                    .unwrap_or_else(|_| panic!("run {run}: the child never opened the store"));
                let opened = line.contains("opened");
                seen.push(line);
                if opened {
                    break;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(rng.below(61)));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        reader.join().unwrap();
        seen.extend(received.try_iter());
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert_eq!(
            status.signal(),
            Some(9),
            "run {run}: the child ended on its own ({status}): {stderr}"
        );
        let ids: Vec<String> = seen
            .iter()
            .filter_map(|l| saved_id(l))
            .map(str::to_owned)
            .collect();
        killed_while_saving += usize::from(!ids.is_empty());
        saved.extend(ids);
    }
    println!(
        "{KILLS} kills, {killed_while_saving} of them after a save, {} notes saved",
        saved.len()
    );
    // The test proves something only if many kills came between saves.
    assert!(
        killed_while_saving >= KILLS / 4,
        "only {killed_while_saving} of {KILLS} kills came after a save"
    );
    assert!(saved.len() >= 1_000, "only {} notes saved", saved.len());
    let unique: HashSet<&String> = saved.iter().collect();
    assert_eq!(unique.len(), saved.len(), "an id was printed twice");
    assert_all_present(dir.path(), &saved);
}

/// Runs two windows, each saving `each` notes into `dir` at once; returns the ids they printed.
fn two_windows(dir: &Path, each: usize) -> Vec<String> {
    let children = [spawn_child(dir, Some(each)), spawn_child(dir, Some(each))];
    let mut saved = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "a window failed ({}): {}{}",
            out.status,
            text(&out.stdout),
            text(&out.stderr)
        );
        let ids: Vec<String> = text(&out.stdout)
            .lines()
            .filter_map(saved_id)
            .map(str::to_owned)
            .collect();
        assert_eq!(ids.len(), each);
        saved.extend(ids);
    }
    saved
}

#[test]
fn two_windows_saving_at_once_both_get_every_note_in() {
    const EACH: usize = 200;
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let saved = two_windows(dir.path(), EACH);
    let store = assert_all_present(dir.path(), &saved);
    let repos = store.repos_at(REPO_PATH).unwrap();
    assert_eq!(
        repos.len(),
        1,
        "the two windows recorded the repository twice"
    );
    let review = store.find_review(repos[0].id, TARGET).unwrap().unwrap();
    let threads = store.threads(review).unwrap();
    assert_eq!(threads.len(), 2 * EACH);
    let stored: HashSet<&str> = threads.iter().map(|t| t.id.as_str()).collect();
    assert!(saved.iter().all(|id| stored.contains(id.as_str())));
}

/// Two windows started together on a new data directory both create, migrate and use it.
/// Regression (it failed about one round in five): switching a new database to WAL returns
/// SQLITE_BUSY at once, without the busy timeout, while the other process holds its write
/// lock; `Store::open` reported `Locked { waited: 5s }` having waited for nothing. It now
/// retries the switch until the busy timeout has passed.
#[test]
fn two_windows_opening_a_new_database_at_once_both_open_it() {
    for _round in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        let saved = two_windows(dir.path(), 5);
        let store = assert_all_present(dir.path(), &saved);
        assert_eq!(store.repos_at(REPO_PATH).unwrap().len(), 1);
    }
}
