//! Reviews that travel with the repository (issue 18): `redline sync` through
//! `refs/notes/redline` between real clones of a real bare remote on disk, each reviewer with
//! their own database (`REDLINE_DATA_DIR`); `redline gate` on approvals; bad notes in the ref;
//! `redline export` / `redline import`; and the merge's algebra, through `redline::sharing`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use redline::notes::NoteKind;
use redline::repo::Target;
use redline::review;
use redline::sharing::{canonical, merge_documents, CommitReviews};
use redline::store::Store;
use serde_json::{json, Value};
use support::{text, TestRepo, XorShift};

const CLAUDE: &str = "Co-authored-by: Claude <noreply@anthropic.com>";
const LIB_V1: &str = "fn one() {}\n";
const LIB_V2: &str = "fn one() {}\nfn two() {}\nfn three() {}\n";

/// Runs git in `dir` (isolated from the system config); panics with stderr on failure.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_output(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} in {} failed: {}",
        dir.display(),
        text(&out.stderr)
    );
    text(&out.stdout).trim_end().to_owned()
}

fn git_output(dir: &Path, args: &[&str]) -> Output {
    support::git_command()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Runs git in `dir` with `input` on its standard input.
fn git_stdin(dir: &Path, args: &[&str], input: &[u8]) -> String {
    use std::io::Write;
    let mut child = support::git_command()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    text(&out.stdout).trim_end().to_owned()
}

/// A bare remote on disk whose `main` holds a human commit and an AI-written one (Claude's
/// trailer) on top, and the clones made of it. Everything lives in one temp dir.
struct World {
    dir: tempfile::TempDir,
    remote: PathBuf,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        let remote = dir.path().join("remote.git");
        git(
            dir.path(),
            &["init", "-q", "--bare", "-b", "main", "remote.git"],
        );
        let seed = TestRepo::new_at(&dir.path().join("seed"));
        seed.write("lib.rs", LIB_V1).commit("Start the library");
        seed.write("lib.rs", LIB_V2)
            .commit(&format!("Add two and three\n\n{CLAUDE}"));
        seed.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
        seed.git(&["push", "-q", "origin", "main"]);
        World { dir, remote }
    }

    /// A clone of the remote for `name` (their git identity), with a database of their own.
    fn clone(&self, name: &str) -> Reviewer {
        let root = self.dir.path().join(name);
        git(
            self.dir.path(),
            &["clone", "-q", self.remote.to_str().unwrap(), name],
        );
        git(&root, &["config", "user.name", name]);
        git(
            &root,
            &["config", "user.email", &format!("{name}@example.com")],
        );
        Reviewer {
            root,
            data: self.dir.path().join(format!("{name}-data")),
        }
    }

    /// The remote's notes ref, if it has one.
    fn remote_tip(&self) -> Option<String> {
        tip_of(&self.remote)
    }

    /// The note blob of `commit` in the remote's notes ref, byte for byte.
    fn remote_note(&self, commit: &str) -> Vec<u8> {
        note_bytes(&self.remote, commit)
    }
}

fn tip_of(dir: &Path) -> Option<String> {
    let out = git_output(dir, &["rev-parse", "--verify", "-q", "refs/notes/redline"]);
    out.status
        .success()
        .then(|| text(&out.stdout).trim().to_owned())
}

fn note_bytes(dir: &Path, commit: &str) -> Vec<u8> {
    let out = git_output(dir, &["notes", "--ref=redline", "show", commit]);
    assert!(
        out.status.success(),
        "no note on {commit}: {}",
        text(&out.stderr)
    );
    out.stdout
}

/// A reviewer: a working tree and their own Redline database.
struct Reviewer {
    root: PathBuf,
    data: PathBuf,
}

impl Reviewer {
    /// A reviewer working in an existing repository (no remote needed).
    fn at(repo: &TestRepo, data: &Path) -> Reviewer {
        Reviewer {
            root: repo.path(),
            data: data.to_owned(),
        }
    }

    fn git(&self, args: &[&str]) -> String {
        git(&self.root, args)
    }

    /// `redline ARGS --repo ROOT` with this reviewer's database.
    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_redline"));
        command
            .args(args)
            .arg("--repo")
            .arg(&self.root)
            .env("REDLINE_DATA_DIR", &self.data)
            .env_remove("RUST_LOG");
        // `redline sync` runs git fetch and push: without the user's configuration.
        support::isolate_git(&mut command);
        command
    }

    fn ok(&self, args: &[&str]) -> String {
        ok(&self.run(args))
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
    }

    /// `redline sync --remote origin --format json`.
    fn sync(&self) -> Value {
        self.json(&["sync", "--remote", "origin", "--format", "json"])
    }

    /// Writes a note and returns its id.
    fn note(&self, target: &str, place: &str, body: &str, kind: &str) -> String {
        let added = self.ok(&["note", "add", target, place, body, "--kind", kind]);
        added.split_whitespace().nth(3).unwrap().to_owned()
    }

    fn reply(&self, target: &str, thread: &str, body: &str) -> String {
        let replied = self.ok(&["note", "reply", target, thread, body]);
        replied.split_whitespace().nth(1).unwrap().to_owned()
    }

    /// The threads of `target` as `redline notes TARGET --format json` lists them.
    fn threads(&self, target: &str) -> Vec<Value> {
        let notes = self.json(&["notes", target, "--format", "json"]);
        notes["threads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["thread"].clone())
            .collect()
    }

    /// Thread id → (kind, resolved, note bodies in order).
    fn summary(&self, target: &str) -> Vec<(String, String, bool, Vec<String>)> {
        let mut threads: Vec<_> = self
            .threads(target)
            .iter()
            .map(|t| {
                (
                    t["id"].as_str().unwrap().to_owned(),
                    t["kind"].as_str().unwrap().to_owned(),
                    t["resolved"].as_bool().unwrap(),
                    t["notes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|n| n["body"].as_str().unwrap().to_owned())
                        .collect(),
                )
            })
            .collect();
        threads.sort();
        threads
    }

    /// Every decision of `target`'s review, as `redline export --format json` has them.
    fn decisions(&self, target: &str) -> Vec<Value> {
        let export = self.json(&["export", target, "--format", "json"]);
        export["review"]["decisions"].as_array().unwrap().clone()
    }

    fn tip(&self) -> Option<String> {
        tip_of(&self.root)
    }

    fn note_bytes(&self, commit: &str) -> Vec<u8> {
        note_bytes(&self.root, commit)
    }

    fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"])
    }

    fn store(&self) -> Store {
        Store::open(&self.data).unwrap()
    }

    fn gate(&self, args: &[&str]) -> Output {
        let mut all = vec!["gate"];
        all.extend(args);
        self.run(&all)
    }
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed ({:?}): {}{}",
        out.status.code(),
        text(&out.stderr),
        text(&out.stdout)
    );
    text(&out.stdout)
}

/// Lets the millisecond clock move, so two writes have distinct times.
fn tick() {
    std::thread::sleep(std::time::Duration::from_millis(5));
}

/// Asserts a sync report says nothing changed anywhere.
fn assert_quiet(report: &Value) {
    for field in [
        "commitsWritten",
        "newThreads",
        "newReplies",
        "newDecisions",
        "updatedThreads",
        "retries",
    ] {
        assert_eq!(report[field], 0, "{field} in {report:#}");
    }
    assert_eq!(report["problems"], json!([]), "{report:#}");
}

// ---------------------------------------------------------------------------------------------
// 1. Two reviewers, concurrent work, both orders of syncing.
// ---------------------------------------------------------------------------------------------

/// Alice and Bob review the AI commit at the same time, neither syncing: notes of their own,
/// Alice resolves a thread both have while Bob replies to it, both change that thread's kind
/// (Bob later), Alice approves and Bob (later) requests changes. They sync — `first` then the
/// other, then `first` again — and end with the same union, byte-equal notes on both clones
/// and the remote, and further syncs change nothing.
fn concurrent_reviews_converge(alice_first: bool) {
    let world = World::new();
    let alice = world.clone("alice");
    let bob = world.clone("bob");
    let head = alice.head();
    let target = Target::parse("HEAD").unwrap();

    let shared = alice.note("HEAD", "lib.rs:2", "Does two() need a test?", "question");
    alice.sync();
    let report = bob.sync();
    assert_eq!(report["newThreads"], 1, "{report:#}");
    assert_eq!(bob.summary("HEAD").len(), 1);

    // Concurrently: nobody syncs until every write is done.
    let alice_own = alice.note("HEAD", "lib.rs:2", "Rename two()", "must-fix");
    alice.ok(&["note", "resolve", "HEAD", &shared]);
    review::set_note_kind(
        &alice.store(),
        &alice.root,
        &target,
        &shared,
        NoteKind::Teaching,
    )
    .unwrap();
    alice.ok(&["approve", "HEAD", "--yes", "-m", "fine by Alice"]);
    tick();
    let bob_own = bob.note("HEAD", "lib.rs:3", "three() is unused", "comment");
    let bob_reply = bob.reply("HEAD", &shared, "Yes: added one in tests/two.rs");
    review::set_note_kind(&bob.store(), &bob.root, &target, &shared, NoteKind::MustFix).unwrap();
    bob.ok(&[
        "approve",
        "HEAD",
        "--request-changes",
        "-m",
        "Bob wants three() gone",
    ]);

    let (first, second) = if alice_first {
        (&alice, &bob)
    } else {
        (&bob, &alice)
    };
    for reviewer in [first, second, first] {
        let report = reviewer.sync();
        assert_eq!(report["pushed"], true, "{report:#}");
        assert_eq!(report["problems"], json!([]), "{report:#}");
    }

    let expected = {
        let mut threads = vec![
            (
                shared.clone(),
                // Bob's kind was written later; Alice's resolve and Bob's reply both stay.
                "mustFix".to_owned(),
                true,
                vec![
                    "Does two() need a test?".to_owned(),
                    "Yes: added one in tests/two.rs".to_owned(),
                ],
            ),
            (
                alice_own.clone(),
                "mustFix".to_owned(),
                false,
                vec!["Rename two()".to_owned()],
            ),
            (
                bob_own.clone(),
                "comment".to_owned(),
                false,
                vec!["three() is unused".to_owned()],
            ),
        ];
        threads.sort();
        threads
    };
    assert_eq!(alice.summary("HEAD"), expected, "alice");
    assert_eq!(bob.summary("HEAD"), expected, "bob");
    // Everything else about the threads too (anchors, authors, times, reply ids).
    assert_eq!(alice.threads("HEAD"), bob.threads("HEAD"));
    let reply_ids: Vec<Value> = alice
        .threads("HEAD")
        .iter()
        .find(|t| t["id"] == shared.as_str())
        .unwrap()["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].clone())
        .collect();
    assert_eq!(reply_ids, vec![json!(shared), json!(bob_reply)]);

    // Both decisions are kept; the later (Bob's) is the current one on both sides.
    let decisions = alice.decisions("HEAD");
    assert_eq!(decisions, bob.decisions("HEAD"));
    let verdicts: Vec<(&str, &str)> = decisions
        .iter()
        .map(|d| {
            (
                d["reviewer"]["name"].as_str().unwrap(),
                d["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        vec![("alice", "approved"), ("bob", "changesRequested")]
    );
    for reviewer in [&alice, &bob] {
        let status = reviewer.json(&["status", "HEAD", "--format", "json"]);
        assert_eq!(status["status"], "changesRequested", "{status:#}");
    }

    // The same notes commit everywhere, so the same blob.
    let tip = world.remote_tip().expect("the remote has the notes ref");
    assert_eq!(alice.tip().as_deref(), Some(tip.as_str()));
    assert_eq!(bob.tip().as_deref(), Some(tip.as_str()));
    let blob = world.remote_note(&head);
    assert_eq!(alice.note_bytes(&head), blob);
    assert_eq!(bob.note_bytes(&head), blob);

    // Nothing left to do: no commit written, no ref moved, nothing imported.
    for reviewer in [first, second, first, second] {
        let report = reviewer.sync();
        assert_quiet(&report);
        assert_eq!(reviewer.tip().as_deref(), Some(tip.as_str()));
        assert_eq!(world.remote_tip().as_deref(), Some(tip.as_str()));
    }
    assert_eq!(alice.summary("HEAD"), expected);
}

#[test]
fn concurrent_reviews_converge_when_alice_syncs_first() {
    concurrent_reviews_converge(true);
}

#[test]
fn concurrent_reviews_converge_when_bob_syncs_first() {
    concurrent_reviews_converge(false);
}

/// A sync with nothing new used to answer the other clone's merge commit with a merge commit
/// of its own: the two clones' tips never settled and every sync wrote and pushed a commit.
#[test]
fn syncs_with_nothing_new_settle_on_one_notes_commit() {
    let world = World::new();
    let alice = world.clone("alice");
    let bob = world.clone("bob");
    alice.note("HEAD", "lib.rs:2", "From Alice", "comment");
    bob.note("HEAD", "lib.rs:3", "From Bob", "comment");
    alice.sync();
    bob.sync(); // a merge commit: the two had diverged
    alice.sync(); // fast-forwards to Bob's merge
    let tip = world.remote_tip().unwrap();
    assert_eq!(alice.tip().as_deref(), Some(tip.as_str()));
    for _ in 0..3 {
        for reviewer in [&alice, &bob] {
            assert_quiet(&reviewer.sync());
            assert_eq!(reviewer.tip().as_deref(), Some(tip.as_str()));
        }
    }
    assert_eq!(world.remote_tip().as_deref(), Some(tip.as_str()));
}

// ---------------------------------------------------------------------------------------------
// 2. A clone that never had the ref; a remote that never had it.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_new_clone_gets_every_review_and_a_bare_remote_gets_the_ref_on_first_push() {
    let world = World::new();
    assert_eq!(world.remote_tip(), None);
    let alice = world.clone("alice");
    let head = alice.head();
    let thread = alice.note("HEAD", "lib.rs:2", "Why two?", "question");
    alice.reply("HEAD", &thread, "Because of the tiers");
    alice.ok(&["approve", "HEAD", "--yes"]);
    let report = alice.sync();
    assert_eq!(report["pushed"], true);
    assert_eq!(report["commitsWritten"], 1);
    assert_eq!(world.remote_tip(), alice.tip());
    assert_eq!(world.remote_note(&head), alice.note_bytes(&head));

    let carol = world.clone("carol");
    assert_eq!(carol.tip(), None, "git clone does not fetch notes");
    let report = carol.sync();
    assert_eq!(report["newThreads"], 1, "{report:#}");
    assert_eq!(report["newReplies"], 1, "{report:#}");
    assert_eq!(report["newDecisions"], 1, "{report:#}");
    assert_eq!(report["commitsWritten"], 1, "{report:#}");
    assert_eq!(carol.threads("HEAD"), alice.threads("HEAD"));
    assert_eq!(carol.decisions("HEAD"), alice.decisions("HEAD"));
    let status = carol.json(&["status", "HEAD", "--format", "json"]);
    assert_eq!(status["decision"]["decision"]["reviewer"]["name"], "alice");
    assert_eq!(status["status"], "approved");
    // Carol had nothing to add: her ref is the remote's, no merge commit of her own.
    assert_eq!(carol.tip(), world.remote_tip());
    assert_quiet(&carol.sync());
}

// ---------------------------------------------------------------------------------------------
// 3. An amended commit keeps its review by content.
// ---------------------------------------------------------------------------------------------

#[test]
fn an_amended_commit_with_the_same_tree_keeps_its_approval() {
    let world = World::new();
    let alice = world.clone("alice");
    let original = alice.head();
    alice.note("HEAD", "lib.rs:2", "Looks right", "comment");
    alice.ok(&["approve", "HEAD", "--yes"]);
    alice.sync();
    ok(&alice.gate(&["HEAD~1..HEAD"]));

    let tree = alice.git(&["rev-parse", "HEAD^{tree}"]);
    alice.git(&[
        "commit",
        "-q",
        "--amend",
        "-m",
        &format!("Add two and three, better said\n\n{CLAUDE}"),
    ]);
    let amended = alice.head();
    assert_ne!(amended, original);
    assert_eq!(alice.git(&["rev-parse", "HEAD^{tree}"]), tree);

    let out = alice.gate(&["HEAD~1..HEAD"]);
    let stdout = ok(&out);
    assert!(stdout.contains("PASSED"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "✓ {} (Claude Code): approved by alice",
            &amended[..7]
        )),
        "{stdout}"
    );

    // The review follows the amend in the reviewer's own tools too: same notes, approved.
    let notes = alice.ok(&["notes", "HEAD"]);
    assert!(notes.contains("Looks right"), "{notes}");
    let status = alice.ok(&["status", "HEAD"]);
    assert!(status.starts_with("Review of HEAD: approved\n"), "{status}");

    // A reviewer who only has the remote sees the same once the amended commit is pushed.
    alice.git(&["push", "-q", "--force", "origin", "main"]);
    let carol = world.clone("carol");
    carol.sync();
    assert_eq!(carol.head(), amended);
    let stdout = ok(&carol.gate(&["HEAD~1..HEAD"]));
    assert!(stdout.contains("PASSED"), "{stdout}");

    // Not by accident: amending the content as well loses the approval.
    alice.write_lib("fn one() {}\nfn two() {}\n");
    alice.git(&["commit", "-q", "-a", "--amend", "--no-edit"]);
    let out = alice.gate(&["HEAD~1..HEAD"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("(Claude Code): no approval"), "{stdout}");
}

impl Reviewer {
    fn write_lib(&self, content: &str) {
        std::fs::write(self.root.join("lib.rs"), content).unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// 4. A push that loses a race is retried.
// ---------------------------------------------------------------------------------------------

/// Alice and Bob share a notes commit; Bob then writes a note and commits it to his local
/// notes ref (a sync without a remote), ready to push; Alice writes one too. Returns them.
fn racing_reviewers(world: &World) -> (Reviewer, Reviewer) {
    let alice = world.clone("alice");
    let bob = world.clone("bob");
    alice.note("HEAD", "lib.rs:2", "First, from Alice", "comment");
    alice.sync();
    bob.sync();
    bob.note("HEAD", "lib.rs:3", "Bob, racing", "comment");
    bob.ok(&["sync"]);
    alice.note("HEAD", "lib.rs:1", "Alice, racing", "comment");
    (alice, bob)
}

/// Installs `hook` in `reviewer`'s repository: the first time it runs, it pushes `pusher`'s
/// notes ref to the remote (the concurrent sync), later runs do nothing.
fn push_once_from_hook(reviewer: &Reviewer, hook: &str, pusher: &Reviewer) {
    let marker = reviewer.root.with_extension("hook-ran");
    let script = format!(
        "#!/bin/sh\n\
         unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_QUARANTINE_PATH\n\
         [ -e '{marker}' ] && exit 0\n\
         touch '{marker}'\n\
         GIT_CONFIG_NOSYSTEM=1 git -C '{pusher}' push -q origin refs/notes/redline:refs/notes/redline >&2\n\
         exit 0\n",
        marker = marker.display(),
        pusher = pusher.root.display(),
    );
    let path = reviewer.root.join(".git/hooks").join(hook);
    std::fs::write(&path, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    assert!(!marker.exists());
}

/// After a race, both end with all three threads and the same notes commit.
fn assert_union_after_race(world: &World, alice: &Reviewer, bob: &Reviewer) {
    let report = bob.sync();
    assert_eq!(report["newThreads"], 1, "Alice's racing note: {report:#}");
    assert_quiet(&alice.sync());
    assert_quiet(&bob.sync());
    let bodies = |r: &Reviewer| -> Vec<String> {
        r.summary("HEAD")
            .into_iter()
            .map(|t| t.3[0].clone())
            .collect()
    };
    let mut expected = vec![
        "Alice, racing".to_owned(),
        "Bob, racing".to_owned(),
        "First, from Alice".to_owned(),
    ];
    expected.sort();
    let mut got = bodies(alice);
    got.sort();
    assert_eq!(got, expected);
    let mut got = bodies(bob);
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(alice.tip(), world.remote_tip());
    assert_eq!(bob.tip(), world.remote_tip());
}

/// Bob's push lands while Alice's is under way (after git read the remote's refs, before it
/// updated them: her pre-push hook runs Bob's push). The remote refuses hers with
/// "[remote rejected] (failed to update ref)"; this used to end the sync with an error
/// ("git push origin failed: To /…/remote.git"), it is now merged again and pushed.
#[test]
fn a_push_refused_mid_flight_by_a_concurrent_push_is_retried() {
    let world = World::new();
    let (alice, bob) = racing_reviewers(&world);
    push_once_from_hook(&alice, "pre-push", &bob);
    let report = alice.sync();
    assert_eq!(report["retries"], 1, "{report:#}");
    assert_eq!(report["pushed"], true, "{report:#}");
    assert_eq!(report["newThreads"], 1, "Bob's racing note: {report:#}");
    assert_union_after_race(&world, &alice, &bob);
}

/// Bob's push lands between Alice's fetch and her push (her fetch's reference-transaction
/// hook runs it): the remote refuses hers as not a fast-forward; she fetches, merges again
/// and pushes.
#[test]
fn a_push_refused_because_the_remote_moved_since_the_fetch_is_retried() {
    let world = World::new();
    let (alice, bob) = racing_reviewers(&world);
    // Bob's first notes commit reaches the remote now, so Alice's fetch moves her fetched ref
    // (which runs the hook); his racing one is pushed by the hook.
    let carol = world.clone("carol");
    carol.note("HEAD", "lib.rs:2", "Carol, earlier", "comment");
    carol.sync();
    bob.sync();
    bob.note("HEAD", "lib.rs:3", "Bob, later", "comment");
    bob.ok(&["sync"]);
    push_once_from_hook(&alice, "reference-transaction", &bob);
    let report = alice.sync();
    assert_eq!(report["retries"], 1, "{report:#}");
    assert_eq!(report["pushed"], true, "{report:#}");
    let bodies: Vec<String> = alice
        .summary("HEAD")
        .into_iter()
        .map(|t| t.3[0].clone())
        .collect();
    for body in [
        "Bob, racing",
        "Bob, later",
        "Carol, earlier",
        "Alice, racing",
    ] {
        assert!(bodies.contains(&body.to_owned()), "{body}: {bodies:?}");
    }
    bob.sync();
    assert_quiet(&alice.sync());
    assert_eq!(alice.tip(), world.remote_tip());
    assert_eq!(bob.tip(), world.remote_tip());
    assert_eq!(alice.threads("HEAD"), bob.threads("HEAD"));
}

/// Two `redline sync` processes at the same moment, again and again, each after a new note:
/// both always succeed and end with every note. (Whether a push loses the race varies from
/// run to run; the two tests above provoke it deterministically.)
#[test]
fn simultaneous_syncs_always_succeed_and_keep_everything() {
    let world = World::new();
    let alice = world.clone("alice");
    let bob = world.clone("bob");
    let rounds = 6;
    let mut retries = 0;
    for round in 0..rounds {
        alice.note("HEAD", "lib.rs:2", &format!("Alice {round}"), "comment");
        bob.note("HEAD", "lib.rs:3", &format!("Bob {round}"), "comment");
        let args = ["sync", "--remote", "origin", "--format", "json"];
        let a = alice.command(&args).stdout(Stdio::piped()).spawn().unwrap();
        let b = bob.command(&args).stdout(Stdio::piped()).spawn().unwrap();
        for child in [a, b] {
            let report: Value =
                serde_json::from_str(&ok(&child.wait_with_output().unwrap())).unwrap();
            assert_eq!(report["pushed"], true, "{report:#}");
            retries += report["retries"].as_u64().unwrap();
        }
    }
    eprintln!("{retries} pushes were refused and retried over {rounds} rounds");
    alice.sync();
    bob.sync();
    alice.sync();
    let threads = alice.threads("HEAD");
    assert_eq!(threads.len(), 2 * rounds);
    assert_eq!(threads, bob.threads("HEAD"));
    assert_eq!(alice.tip(), world.remote_tip());
    assert_eq!(bob.tip(), world.remote_tip());
}

// ---------------------------------------------------------------------------------------------
// 5. The gate.
// ---------------------------------------------------------------------------------------------

/// A repository (no remote) with a human commit tagged `base` and an AI-written commit on
/// top, and a reviewer's database.
fn gated_repo() -> (TestRepo, tempfile::TempDir) {
    let repo = TestRepo::new();
    repo.write("lib.rs", LIB_V1).commit("Start the library");
    repo.git(&["tag", "base"]);
    repo.write("lib.rs", LIB_V2)
        .commit(&format!("Add two and three\n\n{CLAUDE}"));
    (repo, tempfile::tempdir().unwrap())
}

/// The gate's exit code and output.
fn gate(reviewer: &Reviewer, args: &[&str]) -> (Option<i32>, String) {
    let out = reviewer.gate(args);
    assert!(
        out.stderr.is_empty(),
        "a verdict is not an error: {}",
        text(&out.stderr)
    );
    (out.status.code(), text(&out.stdout))
}

#[test]
fn gate_fails_an_unapproved_ai_commit_naming_it_and_its_agent_then_passes_once_approved() {
    let (repo, data) = gated_repo();
    let reviewer = Reviewer::at(&repo, data.path());
    let short = &reviewer.head()[..7];

    let (code, out) = gate(&reviewer, &["base..HEAD"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with("Gate on base..HEAD: FAILED (1 commits, 1 written by AI agents)"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "✗ {short} (Claude Code): no approval — \"Add two and three\""
        )),
        "{out}"
    );

    reviewer.ok(&["approve", "HEAD", "--yes"]);
    // The gate reads the notes ref, not the database: nothing changes until a sync writes it.
    assert_eq!(gate(&reviewer, &["base..HEAD"]).0, Some(1));
    reviewer.ok(&["sync"]);
    let (code, out) = gate(&reviewer, &["base..HEAD"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("Gate on base..HEAD: PASSED"), "{out}");
    assert!(
        out.contains(&format!("✓ {short} (Claude Code): approved by Test Human <human@example.com>, 0% AI-review coverage")),
        "{out}"
    );

    // Report mode: the same verdict printed, never a failing exit.
    repo.write("lib.rs", format!("{LIB_V2}fn four() {{}}\n"))
        .commit(&format!("Add four\n\n{CLAUDE}"));
    let (code, out) = gate(&reviewer, &["base..HEAD", "--report"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("FAILED"), "{out}");
    assert!(out.contains("report only, not enforced"), "{out}");
}

#[test]
fn gate_fails_a_commit_added_after_a_range_approval_as_stale() {
    let (repo, data) = gated_repo();
    let reviewer = Reviewer::at(&repo, data.path());
    let approved = reviewer.head();
    reviewer.ok(&["approve", "base..HEAD", "--yes"]);
    reviewer.ok(&["sync"]);
    assert_eq!(gate(&reviewer, &["base..HEAD"]).0, Some(0));

    repo.write("lib.rs", format!("{LIB_V2}fn four() {{}}\n"))
        .commit(&format!("Add four\n\n{CLAUDE}"));
    let added = reviewer.head();
    for synced in [false, true] {
        if synced {
            // Syncing again attaches the range review to the new head too: still stale.
            reviewer.ok(&["sync"]);
        }
        let (code, out) = gate(&reviewer, &["base..HEAD"]);
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains(&format!(
                "✗ {} (Claude Code): approved only at an earlier state ({}); the code changed since (stale) — \"Add four\"",
                &added[..7],
                &approved[..7]
            )),
            "{out}"
        );
        // The approved commit itself is still approved.
        assert!(
            out.contains(&format!("✓ {} (Claude Code): approved by", &approved[..7])),
            "{out}"
        );
        assert_eq!(out.matches('✗').count(), 1, "{out}");
    }
}

#[test]
fn gate_passes_a_human_only_range_without_any_review() {
    let (repo, data) = gated_repo();
    repo.write("README.md", "# lib\n").commit("Write a README");
    repo.write("lib.rs", format!("{LIB_V2}// by hand\n"))
        .commit("Comment by hand");
    let reviewer = Reviewer::at(&repo, data.path());
    let (code, out) = gate(&reviewer, &["HEAD~2..HEAD"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.starts_with("Gate on HEAD~2..HEAD: PASSED (2 commits, 0 written by AI agents)"),
        "{out}"
    );
    for rules in [
        ["--min-coverage", "100"],
        ["--no-open-must-fix", "--require-approval"],
    ] {
        let mut args = vec!["HEAD~2..HEAD"];
        args.extend(rules);
        assert_eq!(gate(&reviewer, &args).0, Some(0), "{args:?}");
    }
    // Widened to the AI commit, the same gate fails.
    assert_eq!(gate(&reviewer, &["base..HEAD"]).0, Some(1));
}

#[test]
fn gate_min_coverage_compares_with_the_coverage_the_approval_recorded() {
    let (repo, data) = gated_repo();
    let reviewer = Reviewer::at(&repo, data.path());
    let short = reviewer.head()[..7].to_owned();
    reviewer.ok(&["approve", "HEAD", "--yes"]);
    reviewer.ok(&["sync"]);
    let (code, out) = gate(&reviewer, &["base..HEAD", "--min-coverage", "100"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "✗ {short} (Claude Code): approved by Test Human with 0% AI-review coverage, under the required 100%"
        )),
        "{out}"
    );
    assert_eq!(
        gate(&reviewer, &["base..HEAD", "--min-coverage", "0"]).0,
        Some(0)
    );

    reviewer.ok(&["viewed", "HEAD", "lib.rs"]);
    reviewer.ok(&["approve", "HEAD"]);
    // The new approval is in the database only.
    assert_eq!(
        gate(&reviewer, &["base..HEAD", "--min-coverage", "100"]).0,
        Some(1)
    );
    reviewer.ok(&["sync"]);
    let (code, out) = gate(&reviewer, &["base..HEAD", "--min-coverage", "100"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("100% AI-review coverage"), "{out}");
}

#[test]
fn gate_no_open_must_fix_fails_until_the_note_is_resolved_and_synced() {
    let (repo, data) = gated_repo();
    let reviewer = Reviewer::at(&repo, data.path());
    let must_fix = reviewer.note(
        "HEAD",
        "lib.rs:2",
        "two() must not panic\nsecond line",
        "must-fix",
    );
    reviewer.note("HEAD", "lib.rs:3", "an open question is fine", "question");
    reviewer.ok(&["approve", "HEAD", "--yes"]);
    reviewer.ok(&["sync"]);
    assert_eq!(
        gate(&reviewer, &["base..HEAD"]).0,
        Some(0),
        "approval alone"
    );
    let (code, out) = gate(&reviewer, &["base..HEAD", "--no-open-must-fix"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("✗ open must-fix note on lib.rs:2: two() must not panic\n"),
        "{out}"
    );
    assert_eq!(out.matches('✗').count(), 1, "{out}");

    reviewer.ok(&["note", "resolve", "HEAD", &must_fix]);
    assert_eq!(
        gate(&reviewer, &["base..HEAD", "--no-open-must-fix"]).0,
        Some(1),
        "not synced yet"
    );
    reviewer.ok(&["sync"]);
    let (code, out) = gate(&reviewer, &["base..HEAD", "--no-open-must-fix"]);
    assert_eq!(code, Some(0), "{out}");
}

// ---------------------------------------------------------------------------------------------
// 6. Bad notes in the ref.
// ---------------------------------------------------------------------------------------------

/// A commit id no repository here has: a note on a commit that was rewritten away.
const GONE: &str = "0badc0ffee0badc0ffee0badc0ffee0badc0ffee";

/// Adds hand-written notes (commit → blob bytes) to `reviewer`'s notes ref, as a new notes
/// commit on its tip, the way another tool (or a broken one) would.
fn write_notes_by_hand(reviewer: &Reviewer, notes: &[(&str, Vec<u8>)]) {
    let dir = &reviewer.root;
    let mut entries = reviewer.git(&["ls-tree", "refs/notes/redline"]);
    for (commit, bytes) in notes {
        let blob = git_stdin(dir, &["hash-object", "-w", "--stdin"], bytes);
        entries.push_str(&format!("\n100644 blob {blob}\t{commit}"));
    }
    let tree = git_stdin(dir, &["mktree"], entries.trim().as_bytes());
    let parent = reviewer.tip().unwrap();
    let commit = reviewer.git(&["commit-tree", &tree, "-p", &parent, "-m", "Notes by hand"]);
    reviewer.git(&["update-ref", "refs/notes/redline", &commit, &parent]);
}

/// The blob id of `commit`'s note in `dir`'s notes ref.
fn note_blob(dir: &Path, commit: &str) -> String {
    let line = git(dir, &["ls-tree", "refs/notes/redline", commit]);
    line.split_whitespace()
        .nth(2)
        .unwrap_or_else(|| panic!("no note on {commit}"))
        .to_owned()
}

#[test]
fn bad_notes_are_reported_per_commit_and_left_as_they_are_while_valid_ones_merge() {
    let world = World::new();
    let alice = world.clone("alice");
    for (i, message) in ["Malformed", "From the future", "Huge"].iter().enumerate() {
        std::fs::write(alice.root.join(format!("f{i}.txt")), format!("{i}\n")).unwrap();
        alice.git(&["add", "-A"]);
        alice.git(&["commit", "-q", "-m", message]);
    }
    alice.git(&["push", "-q", "origin", "main"]);
    let ids: Vec<String> = alice
        .git(&["rev-list", "--max-count=4", "HEAD"])
        .lines()
        .map(str::to_owned)
        .collect();
    let (huge, future, malformed, reviewed) = (&ids[0], &ids[1], &ids[2], &ids[3]);
    let tree_of = |id: &str| alice.git(&["rev-parse", &format!("{id}^{{tree}}")]);

    alice.note(reviewed, "lib.rs:2", "Alice on the AI commit", "comment");
    alice.ok(&["approve", reviewed, "--yes"]);
    alice.sync();

    let future_doc = json!({
        "version": 99,
        "commit": future,
        "tree": tree_of(future),
        "reviews": [],
        "signedBy": {"key": "ed25519:…"},
    });
    // A valid document whose commit is gone: Alice's review, moved to it, with new ids.
    let mut gone_doc: Value = serde_json::from_slice(&alice.note_bytes(reviewed)).unwrap();
    gone_doc["commit"] = json!(GONE);
    gone_doc["reviews"][0]["target"] = json!(GONE);
    gone_doc["reviews"][0]["decisions"] = json!([]);
    gone_doc["reviews"][0]["threads"][0]["id"] = json!("thread-on-a-gone-commit");
    gone_doc["reviews"][0]["threads"][0]["notes"][0]["id"] = json!("thread-on-a-gone-commit");
    gone_doc["reviews"][0]["threads"][0]["notes"][0]["body"] = json!("On a commit rebased away");
    let mut huge_note = format!(
        "{{\"version\": 1, \"commit\": \"{huge}\", \"tree\": \"{}\", \"reviews\": [], \"pad\": \"",
        tree_of(huge)
    );
    huge_note.push_str(&"x".repeat(9 * 1024 * 1024));
    huge_note.push_str("\"}\n");
    write_notes_by_hand(
        &alice,
        &[
            (
                malformed.as_str(),
                b"{\"version\": 1, \"commit\": oops".to_vec(),
            ),
            (
                future.as_str(),
                serde_json::to_vec_pretty(&future_doc).unwrap(),
            ),
            (GONE, serde_json::to_vec_pretty(&gone_doc).unwrap()),
            (huge.as_str(), huge_note.into_bytes()),
        ],
    );
    alice.git(&["push", "-q", "origin", "refs/notes/redline"]);
    let blobs = |dir: &Path| -> Vec<String> {
        [malformed, future, huge]
            .iter()
            .map(|c| note_blob(dir, c))
            .collect()
    };
    // The readable one on the gone commit is merged like any other: same content, written
    // in the canonical form.
    let gone = |dir: &Path| CommitReviews::parse(&text(&note_bytes(dir, GONE))).unwrap();
    let gone_written = canonical(&gone(&alice.root));
    let written = blobs(&alice.root);

    // Bob has reviewed the AI commit and, locally, the future-format commit.
    let bob = world.clone("bob");
    bob.note(reviewed, "lib.rs:3", "Bob on the AI commit", "question");
    bob.note(future, "f1.txt:1", "Bob on the future commit", "comment");
    bob.note(
        huge,
        "f2.txt:1",
        "Bob on the commit with a huge note",
        "comment",
    );
    let report = bob.sync();
    assert_eq!(report["pushed"], true, "{report:#}");
    let problems: Vec<String> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    let line_for = |commit: &str| -> String {
        let matching: Vec<&String> = problems
            .iter()
            .filter(|p| p.starts_with(&commit[..10]))
            .collect();
        assert_eq!(matching.len(), 1, "one line for {commit}: {problems:#?}");
        matching[0].clone()
    };
    assert!(
        line_for(malformed).contains("the review note is not valid"),
        "{problems:#?}"
    );
    assert!(
        line_for(future)
            .contains("written by a newer Redline (format 99; this one reads 1): left as it is"),
        "{problems:#?}"
    );
    assert!(
        line_for(huge).contains("more than the 8388608 read"),
        "{problems:#?}"
    );
    assert!(
        line_for(GONE).contains("not in this repository"),
        "{problems:#?}"
    );
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert_eq!(report["localOnly"], json!([]), "{report:#}");
    // Its review was brought in like any other (under the gone commit).
    assert_eq!(
        report["newThreads"], 2,
        "Alice's, and the gone commit's: {report:#}"
    );

    // Untouched, here and on the remote: the future and the huge note (which may well be
    // valid) were not replaced by Bob's reviews of those commits.
    assert_eq!(blobs(&bob.root), written);
    assert_eq!(blobs(&world.remote), written);
    assert_eq!(gone(&world.remote), gone_written);
    assert_eq!(gone(&bob.root), gone_written);
    // The valid note merged as usual, both ways.
    let bodies: Vec<String> = bob
        .summary(reviewed)
        .into_iter()
        .map(|t| t.3[0].clone())
        .collect();
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert!(
        bodies.contains(&"Alice on the AI commit".to_owned()),
        "{bodies:?}"
    );
    assert_eq!(bob.decisions(reviewed).len(), 1);
    let doc = CommitReviews::parse(&text(&world.remote_note(reviewed))).unwrap();
    assert_eq!(doc.reviews[0].threads.len(), 2);
    // Bob's reviews of those commits stay in his database, reported, not lost.
    assert_eq!(bob.summary(future).len(), 1);
    assert_eq!(bob.summary(huge).len(), 1);
    let report = alice.sync();
    assert_eq!(
        report["newThreads"], 2,
        "Bob's, and the gone commit's: {report:#}"
    );
    assert_eq!(
        report["problems"].as_array().unwrap().len(),
        4,
        "{report:#}"
    );
    assert_eq!(blobs(&alice.root), written);

    // Repeated syncs still change nothing (and still say why).
    let tip = world.remote_tip();
    for reviewer in [&bob, &alice] {
        let report = reviewer.sync();
        assert_eq!(report["commitsWritten"], 0, "{report:#}");
        assert_eq!(
            report["problems"].as_array().unwrap().len(),
            4,
            "{report:#}"
        );
        assert_eq!(report["localOnly"], json!([]), "{report:#}");
        assert_eq!(reviewer.tip(), tip);
    }

    // The gate reports them too, and judges the rest.
    let out = alice.gate(&[&format!("{}..HEAD", &ids[3]), "--report"]);
    let stdout = ok(&out);
    for commit in [malformed, future, huge] {
        assert!(
            stdout.contains(&format!("  warning: {}: ", &commit[..10])),
            "{commit}: {stdout}"
        );
    }
    let (code, stdout) = gate(&alice, &[&format!("{}~1..HEAD", &ids[3])]);
    assert_eq!(
        code,
        Some(0),
        "the AI commit is approved, the rest human: {stdout}"
    );
}

// ---------------------------------------------------------------------------------------------
// 7. The merge's algebra.
// ---------------------------------------------------------------------------------------------

const COMMIT: &str = "1111111111111111111111111111111111111111";
const TREE: &str = "2222222222222222222222222222222222222222";

fn anchor(line: u32) -> Value {
    json!({
        "path": "lib.rs", "side": "new", "startLine": line, "endLine": line,
        "hunkId": "e2c051ef51204325", "hunkOffset": line - 1, "symbol": "fn two",
        "lines": ["fn two() {}"], "before": ["fn one() {}"], "after": [],
        "contextHash": "6dc3064d905c90a9",
    })
}

fn author(name: &str) -> Value {
    json!({"name": name, "email": format!("{name}@example.com")})
}

/// Sometimes an unknown field (from a newer Redline) under `key`, with a small random value,
/// so two versions of one item may disagree on it.
fn maybe_unknown(rng: &mut XorShift, object: &mut Value, key: &str) {
    if rng.below(3) == 0 {
        object[key] = json!({"n": rng.below(3)});
    }
}

/// A random version of one commit's reviews: which items it has, their changeable fields with
/// their times (small, so ties happen), and unknown fields at every level, drawn from a
/// small pool of ids so versions overlap. What is written once (authors, decisions) is the
/// same in every version, as it is in real use; an anchor now and then is not.
fn random_document(rng: &mut XorShift) -> CommitReviews {
    let kinds = ["comment", "question", "mustFix", "teaching"];
    let mut reviews = Vec::new();
    for target in [COMMIT, "main..feature"] {
        if rng.below(4) == 0 {
            continue;
        }
        let mut threads = Vec::new();
        for t in 0..3u32 {
            if rng.below(3) == 0 {
                continue;
            }
            let id = format!("{target}-t{t}");
            let mut notes = vec![json!({
                "id": id, "author": author("alice"), "body": format!("note {t}"),
                "createdAt": 10, "updatedAt": 10 + rng.below(3),
            })];
            for r in 0..2u32 {
                if rng.below(2) == 0 {
                    continue;
                }
                let body = ["yes", "no", "maybe"][rng.below(3) as usize];
                let mut note = json!({
                    "id": format!("{id}-r{r}"), "author": author("bob"),
                    "body": body,
                    "createdAt": 20 + r, "updatedAt": 20 + r + rng.below(3) as u32,
                });
                maybe_unknown(rng, &mut note, "reactions");
                notes.push(note);
            }
            maybe_unknown(rng, &mut notes[0], "reactions");
            let mut thread = json!({
                "id": id,
                "kind": kinds[rng.below(4) as usize], "kindAt": 10 + rng.below(3),
                "resolved": rng.below(2) == 0, "resolvedAt": 10 + rng.below(3),
                // Written once, but two corrupt copies may disagree: kept symmetric too.
                "anchor": anchor(t + 1 + u32::from(rng.below(6) == 0)),
                "revision": format!("{TREE}:{TREE}"),
                "notes": notes,
            });
            maybe_unknown(rng, &mut thread, "labels");
            threads.push(thread);
        }
        let mut decisions = Vec::new();
        for d in 0..2i64 {
            if rng.below(2) == 0 {
                continue;
            }
            let mut decision = json!({
                "id": format!("{target}-d{d}"), "reviewer": author("carol"),
                "verdict": if d == 0 { "changesRequested" } else { "approved" },
                "revision": format!("{TREE}:{TREE}"), "headTree": TREE,
                "coverage": {"aiViewed": d, "aiHunks": 1, "humanViewed": 0, "humanHunks": 0},
                "openMustFix": 0, "confirmedBlockers": [], "message": null,
                "decidedAt": 100 + d,
            });
            maybe_unknown(rng, &mut decision, "signature");
            decisions.push(decision);
        }
        let mut review = json!({"target": target, "threads": threads, "decisions": decisions});
        maybe_unknown(rng, &mut review, "checklist");
        reviews.push(review);
    }
    let mut doc = json!({"version": 1, "commit": COMMIT, "tree": TREE, "reviews": reviews});
    maybe_unknown(rng, &mut doc, "producer");
    CommitReviews::parse(&doc.to_string()).unwrap()
}

/// Every id (review target, thread, note, decision) a document holds.
fn ids(doc: &CommitReviews) -> std::collections::BTreeSet<String> {
    let mut ids = std::collections::BTreeSet::new();
    for review in &doc.reviews {
        ids.insert(review.target.clone());
        for thread in &review.threads {
            ids.insert(thread.id.clone());
            ids.extend(thread.notes.iter().map(|n| format!("note {}", n.id)));
        }
        ids.extend(review.decisions.iter().map(|d| d.id.clone()));
    }
    ids
}

#[test]
fn merge_is_commutative_associative_and_idempotent_and_drops_nothing() {
    let mut rng = XorShift::new(18);
    let docs: Vec<CommitReviews> = (0..40).map(|_| random_document(&mut rng)).collect();
    let text = |doc: &CommitReviews| doc.to_text();
    let mut differed = 0;
    for (i, a) in docs.iter().enumerate() {
        let canonical_a = canonical(a);
        assert_eq!(
            text(&merge_documents(a, a)),
            text(&canonical_a),
            "idempotent"
        );
        assert_eq!(text(&canonical(&canonical_a)), text(&canonical_a));
        for b in docs.iter().skip(i + 1).take(6) {
            let ab = merge_documents(a, b);
            assert_eq!(text(&ab), text(&merge_documents(b, a)), "commutative");
            assert_eq!(text(&merge_documents(&ab, &ab)), text(&ab), "idempotent");
            assert_eq!(text(&merge_documents(&ab, a)), text(&ab), "absorbs a side");
            let mut union = ids(a);
            union.extend(ids(b));
            assert_eq!(ids(&ab), union, "nothing dropped");
            differed += usize::from(text(&canonical_a) != text(&ab));
            for c in docs.iter().skip(i + 7).take(4) {
                assert_eq!(
                    text(&merge_documents(&ab, c)),
                    text(&merge_documents(a, &merge_documents(b, c))),
                    "associative"
                );
            }
        }
    }
    assert!(
        differed > 100,
        "the documents must overlap and differ: {differed}"
    );
}

/// Each changeable field keeps its latest write; a tie keeps the resolved state; a reply and a
/// resolve written apart are both kept.
#[test]
fn merge_keeps_the_later_write_of_each_field() {
    let thread = |kind: &str, kind_at: i64, resolved: bool, resolved_at: i64, replies: &[&str]| {
        let mut notes = vec![json!({
            "id": "t", "author": author("alice"), "body": "first", "createdAt": 1, "updatedAt": 1,
        })];
        for (i, reply) in replies.iter().enumerate() {
            notes.push(json!({
                "id": reply, "author": author("bob"), "body": reply,
                "createdAt": 2 + i, "updatedAt": 2 + i,
            }));
        }
        let doc = json!({"version": 1, "commit": COMMIT, "tree": TREE, "reviews": [{
            "target": COMMIT, "decisions": [], "threads": [{
                "id": "t", "kind": kind, "kindAt": kind_at, "resolved": resolved,
                "resolvedAt": resolved_at, "anchor": anchor(1), "revision": "a:b", "notes": notes,
            }],
        }]});
        CommitReviews::parse(&doc.to_string()).unwrap()
    };
    let merged_thread = |a: &CommitReviews, b: &CommitReviews| {
        let merged = merge_documents(a, b);
        assert_eq!(merged, merge_documents(b, a));
        merged.reviews[0].threads[0].clone()
    };
    // Alice resolved at 5 and set must-fix at 3; Bob replied and set a question at 4.
    let alice = thread("mustFix", 3, true, 5, &[]);
    let bob = thread("question", 4, false, 1, &["r1"]);
    let t = merged_thread(&alice, &bob);
    assert_eq!((t.kind, t.kind_at), (NoteKind::Question, 4));
    assert_eq!((t.resolved, t.resolved_at), (true, 5));
    assert_eq!(
        t.notes.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
        ["t", "r1"]
    );
    // Reopened later than the resolve: open.
    let t = merged_thread(&alice, &thread("mustFix", 3, false, 6, &[]));
    assert!(!t.resolved);
    // A resolve and a reopen at the same moment: resolved.
    let t = merged_thread(&alice, &thread("mustFix", 3, false, 5, &[]));
    assert!(t.resolved);
}

#[test]
fn unknown_fields_survive_parse_merge_and_write_at_every_level() {
    let doc = |extra: &str| {
        json!({
            "version": 1, "commit": COMMIT, "tree": TREE, "x-doc": extra,
            "reviews": [{
                "target": COMMIT, "x-review": extra,
                "threads": [{
                    "id": "t", "kind": "comment", "kindAt": 1, "resolved": false, "resolvedAt": 1,
                    "anchor": anchor(1), "revision": "a:b", "x-thread": extra,
                    "notes": [{
                        "id": "t", "author": author("alice"), "body": "b", "createdAt": 1,
                        "updatedAt": 1, "x-note": extra,
                    }],
                }],
                "decisions": [{
                    "id": "d", "reviewer": author("carol"), "verdict": "approved",
                    "revision": "a:b", "headTree": "b",
                    "coverage": {"aiViewed": 1, "aiHunks": 1, "humanViewed": 0, "humanHunks": 0},
                    "openMustFix": 0, "confirmedBlockers": [], "message": null, "decidedAt": 2,
                    "x-decision": extra,
                }],
            }],
        })
    };
    let ours = CommitReviews::parse(&doc("ours").to_string()).unwrap();
    let mut other = doc("theirs");
    // Theirs also has a field ours lacks, at each level.
    other["y-doc"] = json!(1);
    other["reviews"][0]["y-review"] = json!(2);
    other["reviews"][0]["threads"][0]["y-thread"] = json!(3);
    other["reviews"][0]["threads"][0]["notes"][0]["y-note"] = json!(4);
    other["reviews"][0]["decisions"][0]["y-decision"] = json!(5);
    let theirs = CommitReviews::parse(&other.to_string()).unwrap();
    let written: Value = serde_json::from_str(&merge_documents(&ours, &theirs).to_text()).unwrap();
    let review = &written["reviews"][0];
    let levels = [
        (&written, "doc"),
        (review, "review"),
        (&review["threads"][0], "thread"),
        (&review["threads"][0]["notes"][0], "note"),
        (&review["decisions"][0], "decision"),
    ];
    for (i, (object, level)) in levels.iter().enumerate() {
        // Both sides have x-…: the greater value ("theirs" > "ours"), on either side's merge.
        assert_eq!(
            object[format!("x-{level}")],
            "theirs",
            "{level}: {object:#}"
        );
        assert_eq!(object[format!("y-{level}")], i + 1, "{level}: {object:#}");
    }
    // And the written text reads back to the same document.
    let again = CommitReviews::parse(&written.to_string()).unwrap();
    assert_eq!(again, merge_documents(&theirs, &ours));
}

// ---------------------------------------------------------------------------------------------
// 8. Export and import.
// ---------------------------------------------------------------------------------------------

#[test]
fn an_exported_review_imports_into_another_clone_once() {
    let world = World::new();
    let alice = world.clone("alice");
    let bob = world.clone("bob");
    let thread = alice.note("HEAD", "lib.rs:2", "Name it `second`", "must-fix");
    alice.reply("HEAD", &thread, "Or `two_of`");
    alice.ok(&["note", "resolve", "HEAD", &thread]);
    alice.note("HEAD", "lib.rs:3", "Nice", "teaching");
    alice.ok(&["viewed", "HEAD", "lib.rs"]);
    alice.ok(&["approve", "HEAD", "-m", "Good"]);
    let file = world.dir.path().join("review.json");
    std::fs::write(&file, alice.ok(&["export", "HEAD", "--format", "json"])).unwrap();
    let file = file.to_str().unwrap();

    let imported = bob.ok(&["import", file]);
    assert_eq!(
        imported,
        "Imported 2 new threads, 1 replies and 1 decisions; 0 threads updated\n"
    );
    assert_eq!(bob.threads("HEAD"), alice.threads("HEAD"));
    assert_eq!(bob.decisions("HEAD"), alice.decisions("HEAD"));
    let status = bob.json(&["status", "HEAD", "--format", "json"]);
    assert_eq!(status["status"], "approved", "{status:#}");
    assert_eq!(status["decision"]["decision"]["message"], "Good");
    assert_eq!(status["decision"]["decision"]["coverage"]["aiViewed"], 1);

    let before = bob.json(&["export", "HEAD", "--format", "json"]);
    assert_eq!(
        bob.ok(&["import", file]),
        "Imported 0 new threads, 0 replies and 0 decisions; 0 threads updated\n"
    );
    assert_eq!(bob.json(&["export", "HEAD", "--format", "json"]), before);
    // Bob's export is Alice's: the same review, whoever holds it.
    assert_eq!(before, alice.json(&["export", "HEAD", "--format", "json"]));
}

#[test]
fn importing_a_malformed_or_future_file_fails_with_one_line_and_changes_nothing() {
    let world = World::new();
    let alice = world.clone("alice");
    let bob = world.clone("bob");
    alice.note("HEAD", "lib.rs:2", "A note", "comment");
    let export: Value = alice.json(&["export", "HEAD", "--format", "json"]);
    let mut future = export.clone();
    future["version"] = json!(99);
    let mut unversioned = export.clone();
    unversioned.as_object_mut().unwrap().remove("version");
    let cases = [
        ("malformed", "{\"version\": 1, \"review\": ".to_owned(), "cannot import the review: "),
        (
            "future",
            future.to_string(),
            "cannot import the review: it was written by a newer Redline (format 99; this one reads 1)",
        ),
        (
            "unversioned",
            unversioned.to_string(),
            "cannot import the review: no format version: not a Redline review export",
        ),
        ("not a review", "{\"version\": 1}".to_owned(), "cannot import the review: "),
    ];
    for (name, content, message) in cases {
        let file = world.dir.path().join(format!("{name}.json"));
        std::fs::write(&file, content).unwrap();
        let out = bob.run(&["import", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{name}: one line: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: {message}")),
            "{name}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{name}");
    }
    assert!(bob.threads("HEAD").is_empty());
}

// ---------------------------------------------------------------------------------------------
// Dry runs, working-tree reviews.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_dry_run_says_what_would_change_and_writes_nothing() {
    let world = World::new();
    let alice = world.clone("alice");
    let bob = world.clone("bob");
    alice.note("HEAD", "lib.rs:2", "From Alice", "comment");
    alice.sync();
    bob.note("HEAD", "lib.rs:3", "From Bob", "comment");
    let remote_tip = world.remote_tip();

    let report = bob.json(&[
        "sync",
        "--remote",
        "origin",
        "--dry-run",
        "--format",
        "json",
    ]);
    assert_eq!(report["dryRun"], true);
    assert_eq!(report["commitsWritten"], 1, "{report:#}");
    assert_eq!(report["newThreads"], 1, "{report:#}");
    assert_eq!(report["pushed"], false, "{report:#}");
    assert_eq!(bob.tip(), None);
    assert_eq!(world.remote_tip(), remote_tip);
    assert_eq!(bob.summary("HEAD").len(), 1, "Alice's note not imported");
    let text = bob.ok(&["sync", "--remote", "origin", "--dry-run"]);
    assert!(
        text.starts_with("Dry run against origin: nothing written.\n1 commit review note would be written\n1 new threads would come from others\n"),
        "{text}"
    );

    let report = bob.sync();
    assert_eq!(report["newThreads"], 1, "{report:#}");
    assert_eq!(report["commitsWritten"], 1, "{report:#}");
}

#[test]
fn a_working_tree_review_is_shared_once_its_content_is_committed() {
    let world = World::new();
    let alice = world.clone("alice");
    let bob = world.clone("bob");
    alice.write_lib(&format!("{LIB_V2}fn four() {{}}\n"));
    alice.note("worktree", "lib.rs:4", "four() is new", "question");
    // Nothing shared anywhere yet: this used to fail pushing a ref that did not exist ("src
    // refspec refs/notes/redline does not match any").
    let report = alice.sync();
    assert_eq!(report["localOnly"], json!(["worktree"]), "{report:#}");
    assert_eq!(report["commitsWritten"], 0, "{report:#}");
    assert_eq!(report["pushed"], false, "{report:#}");
    assert_eq!((alice.tip(), world.remote_tip()), (None, None));
    let out = alice.ok(&["sync", "--remote", "origin"]);
    assert!(
        out.starts_with(
            "Nothing to exchange with origin: no review is shared on either side yet.\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("Kept local until committed: worktree\n"),
        "{out}"
    );

    alice.git(&["commit", "-q", "-am", &format!("Add four\n\n{CLAUDE}")]);
    alice.git(&["push", "-q", "origin", "main"]);
    let committed = alice.head();
    let report = alice.sync();
    assert_eq!(report["localOnly"], json!([]), "{report:#}");
    assert_eq!(report["commitsWritten"], 1, "{report:#}");
    let doc = CommitReviews::parse(&text(&alice.note_bytes(&committed))).unwrap();
    assert_eq!(doc.reviews[0].target, committed);

    bob.git(&["pull", "-q", "--ff-only"]);
    bob.sync();
    let bodies: Vec<String> = bob
        .summary("HEAD")
        .into_iter()
        .map(|t| t.3[0].clone())
        .collect();
    assert_eq!(bodies, ["four() is new"]);
}

/// A note of this format version holding a value this Redline does not know (a note kind added
/// by a later Redline) is valid data: a sync must keep it byte for byte, even when this
/// reviewer has a review of the same commit to share.
#[test]
fn a_note_with_a_value_this_version_does_not_know_is_never_overwritten() {
    let world = World::new();
    let alice = world.clone("alice");
    let head = alice.head();
    let tree = alice.git(&["rev-parse", "HEAD^{tree}"]);
    let newer = json!({
        "version": 1,
        "commit": head,
        "tree": tree,
        "reviews": [{ "target": head, "decisions": [], "threads": [{
            "id": "01000000-0000-7000-8000-000000000001", "kind": "nitpick", "kindAt": 1,
            "resolved": false, "resolvedAt": 0, "revision": "a:b",
            "anchor": { "path": "lib.rs", "side": "new", "startLine": 1, "endLine": 1,
                        "hunkId": null, "hunkOffset": null, "symbol": null, "lines": ["x"],
                        "before": [], "after": [], "contextHash": "0" },
            "notes": [] }] }]
    })
    .to_string();
    alice.git(&["notes", "--ref=redline", "add", "-f", "-m", &newer, "HEAD"]);
    let before = alice.note_bytes(&head);
    alice.note("HEAD", "lib.rs:1", "mine", "comment");
    let report = alice.json(&["sync", "--format", "json"]);
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{report}");
    assert!(
        problems[0].as_str().unwrap().contains("does not know"),
        "{report}"
    );
    assert_eq!(alice.note_bytes(&head), before);
    // Its own review stays in its database.
    let notes = alice.ok(&["notes", "HEAD"]);
    assert!(notes.contains("mine"), "{notes}");
}

/// Fields a newer Redline added inside an anchor, an author or a recorded coverage survive
/// this version reading the note into its database and writing it back with its own reply.
#[test]
fn unknown_fields_inside_anchors_authors_and_coverage_survive_a_round_trip() {
    let world = World::new();
    let alice = world.clone("alice");
    let head = alice.head();
    let tree = alice.git(&["rev-parse", "HEAD^{tree}"]);
    let thread_id = "01000000-0000-7000-8000-0000000000aa";
    let newer = json!({
        "version": 1, "commit": head, "tree": tree,
        "reviews": [{ "target": head, "threads": [{
            "id": thread_id, "kind": "comment", "kindAt": 1, "resolved": false, "resolvedAt": 0,
            "revision": "a:b",
            "anchor": { "path": "lib.rs", "side": "new", "startLine": 1, "endLine": 1,
                        "hunkId": null, "hunkOffset": null, "symbol": null, "lines": ["fn one() {}"],
                        "before": [], "after": [], "contextHash": "0", "column": 4 },
            "notes": [{ "id": thread_id, "author": { "name": "Zed", "email": "z@x", "avatar": "z.png" },
                        "body": "from the future", "createdAt": 1, "updatedAt": 1 }] }],
          "decisions": [{ "id": "01000000-0000-7000-8000-0000000000bb",
                          "reviewer": { "name": "Zed", "email": "z@x", "team": "core" },
                          "verdict": "approved", "revision": "a:b", "headTree": tree,
                          "coverage": { "aiViewed": 1, "aiHunks": 1, "humanViewed": 0, "humanHunks": 0, "files": 3 },
                          "openMustFix": 0, "confirmedBlockers": [], "message": null, "decidedAt": 2 }] }]
    })
    .to_string();
    alice.git(&["notes", "--ref=redline", "add", "-f", "-m", &newer, "HEAD"]);
    alice.json(&["sync", "--format", "json"]);
    // The thread is in the database now; a reply from this version goes back with it.
    alice.reply("HEAD", &thread_id[..13], "answered");
    alice.json(&["sync", "--format", "json"]);
    let note: Value = serde_json::from_slice(&alice.note_bytes(&head)).unwrap();
    let review = &note["reviews"][0];
    let thread = &review["threads"][0];
    assert_eq!(thread["anchor"]["column"], 4, "{note}");
    assert_eq!(thread["notes"][0]["author"]["avatar"], "z.png", "{note}");
    assert_eq!(thread["notes"].as_array().unwrap().len(), 2, "{note}");
    assert_eq!(review["decisions"][0]["reviewer"]["team"], "core", "{note}");
    assert_eq!(review["decisions"][0]["coverage"]["files"], 3, "{note}");
}

/// Two newer Redlines that each added a field to the same anchor: the merge keeps both.
#[test]
fn a_merge_unites_fields_two_versions_added_to_the_same_anchor() {
    let doc = |extra: Value| {
        let mut anchor = json!({ "path": "lib.rs", "side": "new", "startLine": 1, "endLine": 1,
            "hunkId": null, "hunkOffset": null, "symbol": null, "lines": ["x"], "before": [],
            "after": [], "contextHash": "0" });
        for (k, v) in extra.as_object().unwrap() {
            anchor[k] = v.clone();
        }
        CommitReviews::parse(
            &json!({ "version": 1, "commit": "c", "tree": "t", "reviews": [{ "target": "c",
                "decisions": [], "threads": [{ "id": "t1", "kind": "comment", "kindAt": 0,
                "resolved": false, "resolvedAt": 0, "revision": "a:b", "anchor": anchor,
                "notes": [] }] }] })
            .to_string(),
        )
        .unwrap()
    };
    let (a, b) = (doc(json!({ "column": 4 })), doc(json!({ "span": [1, 2] })));
    for merged in [merge_documents(&a, &b), merge_documents(&b, &a)] {
        let anchor = &merged.reviews[0].threads[0].anchor;
        assert_eq!(anchor["column"], 4);
        assert_eq!(anchor["span"], json!([1, 2]));
    }
}
