//! The review database on real SQLite files: schema and migrations, a database from a newer
//! Redline, a corrupt file, a read-only data directory, another process holding the write lock,
//! and a moved clone keeping its reviews. Bad input gets one clear line and loses nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use redline::notes::{AnchorSide, NoteKind, Placement};
use redline::repo::Target;
use redline::review::{self, NewNote};
use redline::store::{migrations::MIGRATIONS, Store, StoreError, DATABASE_FILE};
use support::{anchor_in, reviewer, rust_source, text, TestRepo, XorShift};

const TABLES: [&str; 9] = [
    "decisions",
    "drafts",
    "explanations",
    "notes",
    "repos",
    "reviews",
    "syncs",
    "undos",
    "viewed",
];

/// A review in `store` with one note on it; returns the review id and the note's id.
fn review_with_a_note(store: &Store) -> (i64, String) {
    let repo = store
        .identify_repo("/work/projects/shop", &["1f0c8b2e".into()])
        .unwrap();
    let review = store.review_id(repo, "worktree").unwrap();
    let source = rust_source(1, 6);
    let thread = store
        .add_thread(
            review,
            NoteKind::MustFix,
            &anchor_in("src/cart.rs", &source, 10, 11),
            "4b825dc:9daeafb",
            &reviewer(),
            "The discount is applied **before** shipping: is that intended?",
        )
        .unwrap();
    (review, thread.id)
}

/// A raw connection to the database file in `dir`, as another program would open it.
fn raw(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join(DATABASE_FILE)).unwrap()
}

fn tables(conn: &rusqlite::Connection) -> Vec<String> {
    let mut statement = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn schema(conn: &rusqlite::Connection) -> Vec<String> {
    let mut statement = conn
        .prepare("SELECT coalesce(sql, name) FROM sqlite_master ORDER BY name")
        .unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The names in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn side_file(dir: &Path, suffix: &str) -> PathBuf {
    dir.join(format!("{DATABASE_FILE}{suffix}"))
}

#[test]
fn a_new_database_has_every_migration_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.path(), dir.path().join(DATABASE_FILE));
    assert_eq!(store.user_version().unwrap(), MIGRATIONS.len() as i64);
    assert_eq!(store.recovered_from(), None);
    assert_eq!(store.integrity_check().unwrap(), "ok");

    let conn = raw(dir.path());
    assert_eq!(tables(&conn), TABLES);
    // WAL is recorded in the file: every later connection is in WAL too.
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");

    // Foreign keys are per connection: the store's must refuse a note on a missing review.
    let source = rust_source(2, 2);
    let orphan = store.add_thread(
        4242,
        NoteKind::Comment,
        &anchor_in("src/lib.rs", &source, 2, 2),
        "a:b",
        &reviewer(),
        "orphan",
    );
    match orphan {
        Err(StoreError::Sqlite { source, .. }) => assert_eq!(
            source.sqlite_error_code(),
            Some(rusqlite::ErrorCode::ConstraintViolation),
            "{source}"
        ),
        other => panic!("a note on a missing review was not refused: {other:?}"),
    }
    let notes: i64 = conn
        .query_row("SELECT count(*) FROM notes", [], |row| row.get(0))
        .unwrap();
    assert_eq!(notes, 0);
}

#[test]
fn opening_again_changes_nothing_and_keeps_the_notes() {
    let dir = tempfile::tempdir().unwrap();
    let first = Store::open(dir.path()).unwrap();
    let (review, note) = review_with_a_note(&first);
    let before = schema(&raw(dir.path()));

    // A second window opens the same database while the first is still open, then again alone.
    let second = Store::open(dir.path()).unwrap();
    assert_eq!(second.user_version().unwrap(), MIGRATIONS.len() as i64);
    assert_eq!(
        second.threads(review).unwrap(),
        first.threads(review).unwrap()
    );
    drop((first, second));
    let again = Store::open(dir.path()).unwrap();
    assert_eq!(again.user_version().unwrap(), MIGRATIONS.len() as i64);
    assert_eq!(schema(&raw(dir.path())), before);
    let threads = again.threads(review).unwrap();
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].id, note);
    assert_eq!(threads[0].kind, NoteKind::MustFix);
    assert_eq!(again.recovered_from(), None);
}

#[test]
fn migrations_keep_what_a_version_0_database_already_holds() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = raw(dir.path());
        conn.execute_batch(
            "CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT NOT NULL);
             INSERT INTO bookmarks (url) VALUES ('https://example.com/a'), ('https://example.com/b');",
        )
        .unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        assert_eq!(version, 0);
    }

    let store = Store::open(dir.path()).unwrap();
    assert_eq!(
        store.recovered_from(),
        None,
        "a sound database was set aside"
    );
    assert_eq!(store.user_version().unwrap(), MIGRATIONS.len() as i64);
    review_with_a_note(&store);
    assert_eq!(store.integrity_check().unwrap(), "ok");

    let conn = raw(dir.path());
    let mut expected: Vec<String> = TABLES.iter().map(|t| t.to_string()).collect();
    expected.push("bookmarks".into());
    expected.sort();
    assert_eq!(tables(&conn), expected);
    let urls: Vec<String> = conn
        .prepare("SELECT url FROM bookmarks ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(urls, ["https://example.com/a", "https://example.com/b"]);
    assert_eq!(
        entries(dir.path())
            .iter()
            .filter(|n| n.contains("corrupt"))
            .count(),
        0
    );
}

#[test]
fn a_database_from_a_newer_redline_is_refused_and_left_byte_for_byte() {
    let newer = MIGRATIONS.len() as i64 + 1;
    // In rollback-journal mode (switching to WAL would rewrite the header) and in WAL mode.
    for journal in ["DELETE", "WAL"] {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            review_with_a_note(&store);
        }
        {
            let conn = raw(dir.path());
            conn.pragma_update_and_check(None, "journal_mode", journal, |row| {
                row.get::<_, String>(0)
            })
            .unwrap();
            conn.pragma_update(None, "user_version", newer).unwrap();
            conn.execute_batch("CREATE TABLE from_the_future (x)")
                .unwrap();
        }
        let path = dir.path().join(DATABASE_FILE);
        let listing = entries(dir.path());
        assert_eq!(
            listing,
            [DATABASE_FILE],
            "{journal}: the setup left side files"
        );
        let bytes = std::fs::read(&path).unwrap();

        let refused = Store::open(dir.path());
        match &refused {
            Err(StoreError::TooNew {
                path: named,
                found,
                supported,
            }) => {
                assert_eq!(named, &path);
                assert_eq!((*found, *supported), (newer, newer - 1));
            }
            other => panic!("{journal}: a newer database was not refused: {other:?}"),
        }
        let message = refused.unwrap_err().to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(!message.contains('\n'), "{message}");

        assert!(
            std::fs::read(&path).unwrap() == bytes,
            "{journal}: the file changed"
        );
        // SQLite removes -wal and -shm when the last connection closes; none may remain.
        assert_eq!(entries(dir.path()), listing, "{journal}");
    }
}

#[test]
fn a_file_that_is_not_a_database_is_kept_aside_and_a_new_one_started() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    let garbage = XorShift::new(0x5eed).bytes(4096);
    std::fs::write(&path, &garbage).unwrap();

    let store = Store::open(dir.path()).unwrap();
    let backup = store
        .recovered_from()
        .expect("the garbage was not set aside")
        .to_owned();
    assert_eq!(backup.parent(), Some(dir.path()));
    let name = backup.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("redline.db.corrupt-"), "{name}");
    assert!(
        std::fs::read(&backup).unwrap() == garbage,
        "the backup's bytes changed"
    );

    // The new database works and is the one at the usual place.
    assert_eq!(store.path(), path);
    let (review, note) = review_with_a_note(&store);
    assert_eq!(store.threads(review).unwrap()[0].id, note);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);
    let again = Store::open(dir.path()).unwrap();
    assert_eq!(again.recovered_from(), None);
    assert!(again.note_exists(&note).unwrap());

    // A second bad file in the same second gets its own backup; the first one is kept.
    drop(again);
    let more_garbage = XorShift::new(0xbad).bytes(4096);
    std::fs::write(&path, &more_garbage).unwrap();
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(side_file(dir.path(), side));
    }
    let store = Store::open(dir.path()).unwrap();
    let second = store.recovered_from().unwrap().to_owned();
    assert_ne!(second, backup);
    assert!(std::fs::read(&second).unwrap() == more_garbage);
    assert!(std::fs::read(&backup).unwrap() == garbage);
}

#[test]
fn a_truncated_database_is_kept_aside_and_a_new_one_started() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    {
        let store = Store::open(dir.path()).unwrap();
        let (review, _) = review_with_a_note(&store);
        let source = rust_source(3, 300);
        for i in 0..300 {
            let line = 7 * i + 3;
            store
                .add_thread(
                    review,
                    NoteKind::Comment,
                    &anchor_in("src/orders.rs", &source, line, line + 1),
                    "a:b",
                    &reviewer(),
                    &format!("Note {i}: this rounding loses a cent on large orders."),
                )
                .unwrap();
        }
    } // closing checkpoints the WAL into the file
    let whole = std::fs::read(&path).unwrap();
    assert!(
        whole.len() >= 16 * 4096,
        "too small to truncate: {}",
        whole.len()
    );
    let truncated = &whole[..whole.len() / 2 / 4096 * 4096];
    std::fs::write(&path, truncated).unwrap();

    let store = Store::open(dir.path()).unwrap();
    let backup = store
        .recovered_from()
        .expect("the truncated database was not noticed at open")
        .to_owned();
    assert!(std::fs::read(&backup).unwrap() == truncated);
    let (review, note) = review_with_a_note(&store);
    assert_eq!(store.threads(review).unwrap()[0].id, note);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

// ---- a read-only data directory -----------------------------------------------------------

const CHILD_OPEN: &str = "REDLINE_TEST_CHILD_OPEN";

/// Run by [`open_as_unprivileged`] in a child process: opens the store in `$CHILD_OPEN` and
/// prints `child: ok` or `child: <variant> <message>`. Does nothing without the variable.
#[test]
fn child_opens_the_store() {
    let Some(dir) = std::env::var_os(CHILD_OPEN) else {
        return;
    };
    match Store::open(Path::new(&dir)) {
        Ok(store) => println!(
            "child: ok {}",
            store.threads(1).map(|t| t.len()).unwrap_or(0)
        ),
        Err(e) => {
            let debug = format!("{e:?}");
            let variant = debug.split([' ', '(', '{']).next().unwrap_or("");
            println!("child: {variant} {e}");
        }
    }
}

/// Opens the store in `dir` as a user the permissions apply to: this test binary re-run as
/// `nobody` when the tests run as root (root writes anywhere), as is otherwise. Returns what
/// the child printed after `child: `.
fn open_as_unprivileged(dir: &Path) -> String {
    let exe = std::env::current_exe().unwrap();
    let args = [
        "--exact",
        "child_opens_the_store",
        "--nocapture",
        "--test-threads",
        "1",
    ];
    let home = tempfile::tempdir().unwrap();
    let out = if is_root() {
        // nobody cannot reach the build directory: run a copy from a directory it can.
        let copy = home.path().join("store-test");
        // Copied by `cp`: a write handle held here would leak into processes other test
        // threads start meanwhile, and exec would fail with "Text file busy".
        let copied = Command::new("cp").arg(&exe).arg(&copy).status().unwrap();
        assert!(copied.success());
        chmod(home.path(), 0o755);
        chmod(&copy, 0o755);
        Command::new("setpriv")
            .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .arg(&copy)
            .args(args)
            .env(CHILD_OPEN, dir)
            .env("HOME", home.path())
            .output()
            .unwrap()
    } else {
        Command::new(exe)
            .args(args)
            .env(CHILD_OPEN, dir)
            .output()
            .unwrap()
    };
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("child: ").map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("the child printed no result: {stdout}"));
    line.to_owned()
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| text(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A temp dir the unprivileged child can traverse, holding `data` (mode 0555).
fn read_only_data_dir() -> (tempfile::TempDir, PathBuf) {
    let outer = tempfile::tempdir().unwrap();
    chmod(outer.path(), 0o755);
    let data = outer.path().join("redline-data");
    std::fs::create_dir(&data).unwrap();
    (outer, data)
}

#[test]
fn a_read_only_data_directory_gets_one_line_naming_the_database() {
    let (_outer, data) = read_only_data_dir();
    chmod(&data, 0o555);
    let result = open_as_unprivileged(&data);
    let path = data.join(DATABASE_FILE);
    assert!(result.starts_with("ReadOnly "), "{result}");
    assert!(result.contains(&path.display().to_string()), "{result}");
    assert!(result.contains("REDLINE_DATA_DIR"), "{result}");
    chmod(&data, 0o755);
    assert!(entries(&data).is_empty(), "{:?}", entries(&data));
}

#[test]
fn a_data_directory_that_cannot_be_created_is_named() {
    let (_outer, parent) = read_only_data_dir();
    chmod(&parent, 0o555);
    let data = parent.join("redline");
    let result = open_as_unprivileged(&data);
    assert!(result.starts_with("DataDir "), "{result}");
    assert!(result.contains(&data.display().to_string()), "{result}");
    chmod(&parent, 0o755);
    assert!(entries(&parent).is_empty());
}

#[test]
fn a_database_in_a_read_only_directory_is_refused_and_keeps_every_note() {
    let (_outer, data) = read_only_data_dir();
    let (review, note) = {
        let store = Store::open(&data).unwrap();
        review_with_a_note(&store)
    };
    let path = data.join(DATABASE_FILE);
    chmod(&path, 0o644);
    let bytes = std::fs::read(&path).unwrap();
    chmod(&data, 0o555);

    let result = open_as_unprivileged(&data);
    assert!(result.starts_with("ReadOnly "), "{result}");
    assert!(result.contains(&path.display().to_string()), "{result}");

    chmod(&data, 0o755);
    assert_eq!(entries(&data), [DATABASE_FILE]);
    assert!(std::fs::read(&path).unwrap() == bytes);
    let store = Store::open(&data).unwrap();
    assert_eq!(store.recovered_from(), None);
    assert_eq!(store.threads(review).unwrap()[0].id, note);
}

// ---- another process holding the write lock -----------------------------------------------

/// A python3 process that opened `db` with its own sqlite3 module, ran `setup`, then
/// `BEGIN IMMEDIATE` and `statement` (so it holds the write lock), and commits when told.
struct Locker {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Locker {
    fn hold(db: &Path, setup: &str, statement: &str) -> Locker {
        let script = r#"
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)
conn.executescript(sys.argv[2])
conn.execute("BEGIN IMMEDIATE")
conn.execute(sys.argv[3])
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
print("committed", flush=True)
"#;
        let mut child = Command::new("python3")
            .args(["-c", script])
            .arg(db)
            .args([setup, statement])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 is needed for the lock tests");
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "locked", "python3 did not take the lock");
        Locker {
            child,
            stdin,
            stdout,
        }
    }

    /// Commits and waits for the process to end.
    fn release(mut self) {
        let mut stdin = self.stdin.take().unwrap();
        stdin.write_all(b"go\n").unwrap();
        drop(stdin);
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "committed");
        assert!(self.child.wait().unwrap().success());
    }
}

impl Drop for Locker {
    /// A test that failed before [`Locker::release`] leaves no process behind.
    fn drop(&mut self) {
        if self.stdin.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn assert_locked(result: Result<i64, StoreError>, path: &Path, waited: Duration) {
    match result {
        Err(e @ StoreError::Locked { .. }) => {
            let message = e.to_string();
            let StoreError::Locked {
                path: named,
                waited: said,
            } = e
            else {
                unreachable!()
            };
            assert_eq!(named, path);
            assert_eq!(said, waited);
            assert!(message.contains(&path.display().to_string()), "{message}");
            assert!(!message.contains('\n'), "{message}");
        }
        other => panic!("not refused as locked: {other:?}"),
    }
}

#[test]
fn a_write_while_another_process_holds_the_lock_fails_as_locked_then_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    let (review, note) = {
        let store = Store::open(dir.path()).unwrap();
        review_with_a_note(&store)
    };
    let locker = Locker::hold(
        &path,
        "",
        "INSERT INTO repos (path, roots, created_at) VALUES ('/work/other', 'c0ffee', 0)",
    );

    let wait = Duration::from_millis(300);
    let store = Store::open_with(dir.path(), wait).unwrap();
    let started = Instant::now();
    let roots = vec!["9d1e3f".to_string()];
    assert_locked(store.identify_repo("/work/third", &roots), &path, wait);
    assert!(
        started.elapsed() >= wait,
        "gave up after {:?}",
        started.elapsed()
    );
    // Reading still works while the other process writes.
    assert_eq!(store.threads(review).unwrap()[0].id, note);

    locker.release();
    let third = store.identify_repo("/work/third", &roots).unwrap();
    assert_eq!(store.repos_at("/work/third").unwrap()[0].id, third);
    assert_eq!(store.repos_at("/work/other").unwrap().len(), 1);
    assert!(store.note_exists(&note).unwrap());
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

/// Regression: `PRAGMA journal_mode = WAL` returns SQLITE_BUSY at once, without the busy
/// timeout, while another connection holds the write lock of a rollback-journal database.
#[test]
fn a_first_open_while_another_process_writes_waits_then_fails_as_locked_and_sets_nothing_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    // Another program's database at version 0, which it is writing to.
    let locker = Locker::hold(
        &path,
        "CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('https://a.example');",
        "INSERT INTO bookmarks VALUES ('https://b.example')",
    );

    let wait = Duration::from_millis(300);
    let started = Instant::now();
    assert_locked(Store::open_with(dir.path(), wait).map(|_| 0), &path, wait);
    // The message says it waited; it must have (SQLite's switch to WAL does not wait itself).
    assert!(
        started.elapsed() >= wait,
        "gave up after {:?}",
        started.elapsed()
    );
    assert_eq!(
        entries(dir.path())
            .iter()
            .filter(|n| n.contains("corrupt"))
            .count(),
        0,
        "a locked database was set aside: {:?}",
        entries(dir.path())
    );

    locker.release();
    let store = Store::open_with(dir.path(), wait).unwrap();
    assert_eq!(store.recovered_from(), None);
    assert_eq!(store.user_version().unwrap(), MIGRATIONS.len() as i64);
    let urls: i64 = raw(dir.path())
        .query_row("SELECT count(*) FROM bookmarks", [], |row| row.get(0))
        .unwrap();
    assert_eq!(urls, 2);
}

// ---- a moved clone keeps its reviews -----------------------------------------------------

fn cart_repo(repo: &TestRepo, seed: usize) {
    repo.write("src/cart.rs", rust_source(seed, 6))
        .commit("cart");
    let mut changed = rust_source(seed, 6);
    changed.push_str("\npub fn refund(order: &Order) -> u64 {\n    order.paid - order.fees\n}\n");
    repo.write("src/cart.rs", changed);
}

fn must_fix_on_refund() -> NewNote {
    NewNote {
        path: "src/cart.rs".into(),
        side: AnchorSide::New,
        start_line: 44,
        end_line: 45,
        kind: NoteKind::MustFix,
        body: "Refunds must not keep the fees.".into(),
    }
}

#[test]
fn a_moved_clone_keeps_its_notes_and_another_repository_is_not_confused_with_it() {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let repo = TestRepo::new();
    cart_repo(&repo, 1);
    let note = review::add_note(
        &store,
        &repo.path(),
        &Target::Worktree,
        &must_fix_on_refund(),
    )
    .unwrap();

    let elsewhere = tempfile::tempdir().unwrap();
    let moved = elsewhere.path().join("shop-moved");
    let old = repo.path();
    std::fs::rename(&old, &moved).unwrap();
    let found = review::notes(&store, &moved, &Target::Worktree).unwrap();
    assert_eq!(found.threads.len(), 1, "the moved clone lost its note");
    assert_eq!(found.threads[0].thread.id, note.thread.id);
    assert_eq!(
        found.threads[0].placement,
        Placement::Current {
            path: "src/cart.rs".into(),
            start_line: 44,
            end_line: 45
        }
    );
    assert_eq!(found.open_must_fix, 1);

    // Another repository, with the same file, now where the first one was.
    let other = TestRepo::new_at(&old);
    cart_repo(&other, 2);
    let theirs = review::notes(&store, &old, &Target::Worktree).unwrap();
    assert_eq!(
        theirs.threads.len(),
        0,
        "another repository got the moved clone's notes"
    );
    let ours = review::notes(&store, &moved, &Target::Worktree).unwrap();
    assert_eq!(ours.threads.len(), 1);
    assert_eq!(ours.threads[0].thread.id, note.thread.id);
}

/// Regression: `Store::identify_repo` took a row for a moved clone only when its old path no
/// longer exists, so a repository now at the old path hides the clone's reviews.
#[test]
fn a_clone_moved_while_another_repository_took_its_place_keeps_its_notes() {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let repo = TestRepo::new();
    cart_repo(&repo, 1);
    let note = review::add_note(
        &store,
        &repo.path(),
        &Target::Worktree,
        &must_fix_on_refund(),
    )
    .unwrap();

    let elsewhere = tempfile::tempdir().unwrap();
    let moved = elsewhere.path().join("shop-moved");
    let old = repo.path();
    std::fs::rename(&old, &moved).unwrap();
    // A different repository is created at the old path and reviewed before the moved one.
    let other = TestRepo::new_at(&old);
    cart_repo(&other, 2);
    let theirs = review::notes(&store, &old, &Target::Worktree).unwrap();
    assert_eq!(theirs.threads.len(), 0);

    let ours = review::notes(&store, &moved, &Target::Worktree).unwrap();
    assert_eq!(ours.threads.len(), 1, "the moved clone lost its note");
    assert_eq!(ours.threads[0].thread.id, note.thread.id);
}

/// A database written by the first released schema (version 1: before synced reviews) opens
/// with every later migration applied and its notes intact; a thread's kind and resolved
/// times start at 0, so any synced change of them wins.
#[test]
fn a_version_1_database_is_migrated_and_keeps_its_notes() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = raw(dir.path());
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO repos (id, path, roots, created_at) VALUES (1, '/r', 'abc', 0);
             INSERT INTO reviews (id, repo_id, target, created_at) VALUES (1, 1, 'worktree', 0);
             INSERT INTO notes (id, review_id, thread_id, kind, anchor, revision, body,
                                author_name, author_email, resolved, created_at, updated_at)
             VALUES ('n1', 1, NULL, 'mustFix',
                     '{\"path\":\"a.rs\",\"side\":\"new\",\"startLine\":1,\"endLine\":1,\"hunkId\":null,\"hunkOffset\":null,\"symbol\":null,\"lines\":[\"x\"],\"before\":[],\"after\":[],\"contextHash\":\"0\"}',
                     'a:b', 'kept', 'Ann', 'ann@x', 1, 5, 5);",
        )
        .unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.user_version().unwrap(), MIGRATIONS.len() as i64);
    let threads = store.threads(1).unwrap();
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].notes[0].body, "kept");
    assert!(threads[0].resolved);
    let shared = store.export_review(1, "worktree").unwrap();
    assert_eq!(
        (shared.threads[0].kind_at, shared.threads[0].resolved_at),
        (0, 0)
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

/// Version 5 rebuilds the notes table (its CHECK admits notes of kind explanation): a version 4
/// database keeps every column of its threads and replies, replies stay linked to their
/// thread, deleting a review still deletes its notes, and an explanation can be stored.
#[test]
fn a_version_4_database_keeps_every_note_column_through_the_notes_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = raw(dir.path());
        for migration in &MIGRATIONS[..4] {
            conn.execute_batch(migration).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        conn.execute_batch(
            "INSERT INTO repos (id, path, roots, created_at) VALUES (1, '/r', 'abc', 0);
             INSERT INTO reviews (id, repo_id, target, created_at) VALUES (1, 1, 'worktree', 0);
             INSERT INTO notes (id, review_id, thread_id, kind, anchor, revision, body,
                                author_name, author_email, resolved, created_at, updated_at,
                                kind_at, resolved_at, sent_at, delivered_at, claimed_at,
                                claim_by, claim_message, claim_tree)
             VALUES ('n1', 1, NULL, 'teaching',
                     '{\"path\":\"a.rs\",\"side\":\"new\",\"startLine\":1,\"endLine\":1,\"hunkId\":null,\"hunkOffset\":null,\"symbol\":null,\"lines\":[\"x\"],\"before\":[],\"after\":[],\"contextHash\":\"0\"}',
                     'a:b', 'why', 'Ann', 'ann@x', 0, 5, 6, 7, 8, 9, 10, 11, 'agent', 'done', 'tree1');
             INSERT INTO notes (id, review_id, thread_id, kind, anchor, revision, body,
                                author_name, author_email, resolved, created_at, updated_at)
             VALUES ('n2', 1, 'n1', 'teaching', NULL, 'a:b', 'a reply', 'Bo', 'bo@x', 0, 12, 12);",
        )
        .unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.user_version().unwrap(), MIGRATIONS.len() as i64);
    drop(store);
    let conn = raw(dir.path());
    let row: (String, i64, i64, i64, i64, i64, i64, String, String, String) = conn
        .query_row(
            "SELECT kind, kind_at, resolved_at, sent_at, delivered_at, claimed_at, updated_at,
                    claim_by, claim_message, claim_tree FROM notes WHERE id = 'n1'",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        row,
        (
            "teaching".into(),
            7,
            8,
            9,
            10,
            11,
            6,
            "agent".into(),
            "done".into(),
            "tree1".into()
        )
    );
    let store = Store::open(dir.path()).unwrap();
    let threads = store.threads(1).unwrap();
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].notes.len(), 2, "the reply is still the thread's");
    conn.execute(
        "INSERT INTO notes (id, review_id, thread_id, kind, anchor, revision, body, author_name,
                            author_email, resolved, created_at, updated_at)
         VALUES ('n3', 1, NULL, 'explanation', '{}', 'a:b', 'pinned', 'Ann', 'ann@x', 0, 1, 1)",
        [],
    )
    .unwrap();
    assert!(
        conn.execute(
            "INSERT INTO notes (id, review_id, thread_id, kind, anchor, revision, body,
                                author_name, author_email, resolved, created_at, updated_at)
             VALUES ('n4', 1, NULL, 'rant', '{}', 'a:b', 'x', 'Ann', 'ann@x', 0, 1, 1)",
            [],
        )
        .is_err(),
        "the CHECK still refuses unknown kinds"
    );
    conn.execute("PRAGMA foreign_keys = ON", []).unwrap();
    conn.execute("DELETE FROM reviews WHERE id = 1", [])
        .unwrap();
    let left: i64 = conn
        .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "notes go with their review");
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
