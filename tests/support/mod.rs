//! Scenario helpers: real git repositories in temp dirs, the real `git` CLI as the reference,
//! and the real `redline` binary.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod git_patch;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// `git`, isolated from the machine it runs on: see [`isolate_git`].
pub fn git_command() -> Command {
    let mut command = Command::new("git");
    isolate_git(&mut command);
    command
}

/// Keeps the user's and the system's git configuration out of `command`: no system config, no
/// global config (`/dev/null`), and an empty `HOME` of the tests' own (so no
/// `~/.config/git/ignore`, attributes or credential helpers either). A user's
/// `init.defaultBranch`, `core.autocrlf`, hooks path or commit signing cannot change what a
/// test sees. Variables a git hook may have set for the outer repository are removed.
pub fn isolate_git(command: &mut Command) -> &mut Command {
    command
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", test_home())
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
}

/// An empty directory the tests' `git` takes as its home: one per user, made on first use.
pub fn test_home() -> &'static Path {
    static HOME: OnceLock<PathBuf> = OnceLock::new();
    HOME.get_or_init(|| {
        let user = std::env::var("USER").unwrap_or_else(|_| "user".into());
        let home = std::env::temp_dir().join(format!("redline-test-home-{user}"));
        std::fs::create_dir_all(&home).unwrap();
        home
    })
}

/// A git repository in a temp dir, removed on drop.
pub struct TestRepo {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl TestRepo {
    /// `git init -b main` with a fixed identity, nothing committed.
    pub fn new() -> Self {
        let repo = TestRepo::empty_dir();
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Test Human"]);
        repo.git(&["config", "user.email", "human@example.com"]);
        repo
    }

    /// A temp dir that is not (inside) a repository.
    pub fn empty_dir() -> Self {
        let dir = tempfile::tempdir().unwrap();
        TestRepo {
            root: dir.path().to_owned(),
            _dir: dir,
        }
    }

    /// The demo repository, built by `redline demo`.
    pub fn demo() -> Self {
        let mut repo = TestRepo::empty_dir();
        repo.root = repo.root.join("demo");
        let out = redline(&["demo", repo.root.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "redline demo failed: {}",
            text(&out.stderr)
        );
        repo
    }

    /// The working tree.
    pub fn path(&self) -> PathBuf {
        self.root.clone()
    }

    pub fn write(&self, relative: &str, content: impl AsRef<[u8]>) -> &Self {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
        self
    }

    /// Stages everything and commits.
    pub fn commit(&self, message: &str) -> &Self {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
        self
    }

    /// Runs git in the repository and returns stdout; panics with stderr on failure.
    pub fn git(&self, args: &[&str]) -> String {
        let out = self.git_output(args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    pub fn git_output(&self, args: &[&str]) -> Output {
        git_command()
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap()
    }

    /// Writes `raw` as an object of `kind` exactly as given (`git hash-object --literally`,
    /// so malformed objects too) and returns its id.
    pub fn write_raw_object(&self, kind: &str, raw: &[u8]) -> String {
        let mut child = git_command()
            .args(["hash-object", "-t", kind, "-w", "--literally", "--stdin"])
            .current_dir(self.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), raw).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "git hash-object failed");
        text(&out.stdout).trim().to_owned()
    }

    /// Runs `redline ARGS --repo <this repo>`.
    pub fn redline(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        let path = self.path();
        all.extend(["--repo", path.to_str().unwrap()]);
        redline(&all)
    }
}

/// A repository holding the `base` and `head` branches of a real release range kept in
/// `tests/fixtures/rename_parity/<name>.bundle`, checked out at `base`.
pub fn rename_parity_repo(name: &str) -> TestRepo {
    let repo = TestRepo::new();
    let bundle = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rename_parity")
        .join(format!("{name}.bundle"));
    repo.git(&[
        "fetch",
        "-q",
        bundle.to_str().unwrap(),
        "refs/heads/*:refs/heads/*",
    ]);
    repo.git(&["checkout", "-q", "base"]);
    repo
}

/// Asserts that `git apply --check` accepts `patch` (named `name` in messages) on `repo`'s
/// work tree, or on its index with `cached`. Binary changes are left out: git cannot apply
/// them without full object ids (`--binary`), its own patch included.
pub fn assert_applies(repo: &TestRepo, patch: &[u8], name: &str, cached: bool) {
    // inside .git: the work tree stays as it is, and each test's repository has its own
    let file = repo.path().join(format!(".git/{name}-check.patch"));
    std::fs::write(&file, patch).unwrap();
    let numstat = repo.git_output(&["apply", "--numstat", "-z", file.to_str().unwrap()]);
    assert!(
        numstat.status.success(),
        "{name}: {}",
        text(&numstat.stderr)
    );
    let binary: Vec<String> = text(&numstat.stdout)
        .split('\0')
        .filter_map(|record| record.strip_prefix("-\t-\t").map(str::to_owned))
        .map(|path| format!("--exclude={path}"))
        .collect();
    let mut args = vec!["apply", "--check"];
    if cached {
        args.push("--cached");
    }
    args.extend(binary.iter().map(String::as_str));
    args.push(file.to_str().unwrap());
    let applied = repo.git_output(&args);
    assert!(
        applied.status.success(),
        "{name}: git apply --check: {}",
        text(&applied.stderr)
    );
}

/// git's status letter (`--raw`, `--name-status`) for a status of Redline's JSON.
pub fn status_letter(status: &str) -> char {
    match status {
        "added" => 'A',
        "deleted" => 'D',
        "modified" => 'M',
        "renamed" => 'R',
        "copied" => 'C',
        "typeChanged" => 'T',
        other => panic!("unknown status {other}"),
    }
}

/// Runs the real `redline` binary, as isolated from the user's git configuration as the
/// tests' git (libgit2 finds the global configuration through `HOME`).
pub fn redline(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_redline"));
    isolate_git(&mut command);
    command.args(args).env_remove("RUST_LOG").output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Per file (new path, or old path for deletions): `Some((added, deleted))`, `None` for binary.
pub type LineCounts = BTreeMap<String, Option<(u32, u32)>>;

/// Parses `git diff --numstat -z` output.
pub fn parse_numstat_z(output: &str) -> LineCounts {
    let mut counts = LineCounts::new();
    let mut fields = output.split('\0');
    while let Some(record) = fields.next() {
        if record.is_empty() {
            continue;
        }
        let mut parts = record.splitn(3, '\t');
        let added = parts.next().unwrap();
        let deleted = parts.next().unwrap();
        let path = match parts.next().unwrap() {
            // A rename or copy: the path field is empty and old, new follow as own fields.
            "" => {
                let _old = fields.next().unwrap();
                fields.next().unwrap().to_owned()
            }
            path => path.to_owned(),
        };
        let value = match (added, deleted) {
            ("-", "-") => None,
            (a, d) => Some((a.parse().unwrap(), d.parse().unwrap())),
        };
        counts.insert(path, value);
    }
    counts
}

impl TestRepo {
    /// `git init -b main` at `path` (which must not exist yet), with the same identity as
    /// [`TestRepo::new`]. The directory is not removed on drop: put it inside a temp dir.
    pub fn new_at(path: &std::path::Path) -> Self {
        std::fs::create_dir_all(path).unwrap();
        let repo = TestRepo {
            _dir: tempfile::tempdir().unwrap(),
            root: path.to_owned(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Test Human"]);
        repo.git(&["config", "user.email", "human@example.com"]);
        repo
    }
}

/// A tiny seeded random generator (xorshift64*): reproducible runs, no dependency.
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        XorShift(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// Rust-like source: `functions` functions named after `seed`, each a doc comment, a
/// signature, a few distinct statements and a closing brace (7 lines per function).
pub fn rust_source(seed: usize, functions: usize) -> String {
    let mut out = String::new();
    for f in 0..functions {
        out.push_str(&format!(
            "/// Totals the line items of order {seed}-{f}.\n\
             pub fn total_{seed}_{f}(items: &[Item]) -> u64 {{\n\
             \x20   let subtotal: u64 = items.iter().map(|i| i.price * i.quantity).sum();\n\
             \x20   let discount = subtotal * {f} / 100;\n\
             \x20   let shipping = if subtotal > {seed}{f}00 {{ 0 }} else {{ 499 }};\n\
             \x20   subtotal - discount + shipping\n\
             }}\n"
        ));
    }
    out
}

/// The reviewer notes are written as, when a test writes through the store directly.
pub fn reviewer() -> redline::notes::Author {
    redline::notes::Author {
        name: "Test Human".into(),
        email: "human@example.com".into(),
    }
}

/// A note anchor on lines `start..=end` (new side) of `text`, captured as Redline does.
pub fn anchor_in(path: &str, text: &str, start: u32, end: u32) -> redline::notes::NoteAnchor {
    let file = redline::notes::SideFile {
        path,
        lines: text.lines().collect(),
        hunks: Vec::new(),
        symbols: Vec::new(),
    };
    redline::notes::capture(&file, redline::notes::AnchorSide::New, start, end).unwrap()
}
