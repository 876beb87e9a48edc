//! The demo repository, checked with the real `git` CLI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::fs;
use std::path::Path;

use pretty_assertions::assert_eq;
use redline::demo::{self, DemoError};

/// Runs `git` in `dir` without the user's or the system's configuration.
fn git_raw(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = support::git_command()
        .args(args)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn git(dir: &Path, args: &[&str]) -> String {
    String::from_utf8(git_raw(dir, args).stdout).expect("git prints UTF-8")
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

struct Built {
    _tmp: tempfile::TempDir,
    demo: demo::DemoRepo,
}

impl Built {
    fn dir(&self) -> &Path {
        &self.demo.path
    }
}

fn build() -> Built {
    let tmp = tempfile::tempdir().expect("temp dir");
    let demo = demo::create(&tmp.path().join("shopfront")).expect("demo builds");
    Built { _tmp: tmp, demo }
}

/// One commit of `git log`, oldest first.
#[derive(Debug)]
struct LogEntry {
    author: String,
    committer: String,
    date: String,
    subject: String,
    body: String,
    co_authors: String,
}

fn log(dir: &Path, rev: &str) -> Vec<LogEntry> {
    let format = "--format=%an <%ae>%x1f%cn <%ce>%x1f%ad%x1f%s%x1f%B%x1f\
                  %(trailers:key=Co-authored-by,valueonly,separator=%x2C)%x1e";
    let out = git(
        dir,
        &[
            "log",
            "--reverse",
            "--date=format:%Y-%m-%dT%H:%M%z",
            format,
            rev,
        ],
    );
    out.split('\x1e')
        .map(str::trim_start)
        .filter(|record| !record.is_empty())
        .map(|record| {
            let f: Vec<&str> = record.split('\x1f').collect();
            assert_eq!(f.len(), 6, "malformed log record {record:?}");
            LogEntry {
                author: f[0].to_owned(),
                committer: f[1].to_owned(),
                date: f[2].to_owned(),
                subject: f[3].to_owned(),
                body: f[4].to_owned(),
                co_authors: f[5].trim().to_owned(),
            }
        })
        .collect()
}

#[test]
fn main_history_mixes_humans_and_signed_agents() {
    let built = build();
    let dir = built.dir();
    let log = log(dir, "main");

    let authors: Vec<&str> = log.iter().map(|c| c.author.as_str()).collect();
    assert_eq!(
        authors,
        [
            "Maya Chen <maya@shopfront.dev>",
            "Tom Okafor <tom@shopfront.dev>",
            "Maya Chen <maya@shopfront.dev>",
            "copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>",
            "devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
            "Tom Okafor <tom@shopfront.dev>",
            "Tom Okafor (aider) <tom@shopfront.dev>",
            "Maya Chen <maya@shopfront.dev>",
        ]
    );
    assert_eq!(built.demo.commits, 8);
    assert_eq!(built.demo.ai_commits, 4);
    assert_eq!(git(dir, &["rev-list", "--count", "main"]).trim(), "8");

    // Fixed dates, a few hours apart, in each author's zone.
    assert_eq!(log[0].date, "2026-10-01T09:14+0200");
    assert_eq!(log[3].date, "2026-10-01T16:30+0000");
    assert_eq!(log[7].date, "2026-10-03T09:30+0200");
    let mut dates: Vec<&str> = log.iter().map(|c| c.date.as_str()).collect();
    dates.dedup();
    assert_eq!(dates.len(), 8);

    // Claude Code: human author, footer, then the trailer git itself recognises.
    let claude = &log[2];
    assert_eq!(claude.committer, "Maya Chen <maya@shopfront.dev>");
    assert!(claude.body.trim_end().ends_with(
        "\u{1f916} Generated with [Claude Code](https://claude.com/claude-code)\n\n\
         Co-Authored-By: Claude <noreply@anthropic.com>"
    ));
    assert_eq!(claude.co_authors, "Claude <noreply@anthropic.com>");

    // Copilot coding agent: bot author, the human credited in a trailer.
    assert_eq!(log[3].co_authors, "Tom Okafor <tom@shopfront.dev>");
    assert_eq!(log[3].committer, log[3].author);

    // Devin: bot author and committer.
    assert_eq!(
        log[4].committer,
        "devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>"
    );

    // Aider: "(aider)" on author and committer names, no trailer.
    assert_eq!(log[6].committer, "Tom Okafor (aider) <tom@shopfront.dev>");
    assert_eq!(log[6].co_authors, "");

    // The human commit that only mentions Claude in prose carries no attribution at all.
    let prose = &log[7];
    assert_eq!(
        prose.subject,
        "Revert formatting Claude suggested in review"
    );
    assert!(prose.body.contains("Claude's review comment"));
    assert_eq!(prose.co_authors, "");
    assert!(!prose.body.contains("Generated with"));
    assert_eq!(prose.committer, "Maya Chen <maya@shopfront.dev>");

    // Human commits carry no trailers.
    for i in [0, 1, 5, 7] {
        assert_eq!(log[i].co_authors, "", "commit {i}: {}", log[i].subject);
        assert!(!log[i].author.contains("bot"), "commit {i}");
    }
}

#[test]
fn head_is_main_and_side_branches_fork_where_expected() {
    let built = build();
    let dir = built.dir();

    assert_eq!(
        git(dir, &["symbolic-ref", "HEAD"]).trim(),
        "refs/heads/main"
    );
    assert_eq!(
        lines(&git(dir, &["branch", "--format=%(refname:short)"])),
        ["agent/bulk-discounts", "main", "maya/report-csv"]
    );
    assert_eq!(
        built.demo.branches,
        ["agent/bulk-discounts", "maya/report-csv"]
    );

    // The agent branch forks from an earlier main commit (after Devin's report script).
    let fork = git(dir, &["merge-base", "main", "agent/bulk-discounts"]);
    assert_eq!(fork, git(dir, &["rev-parse", "main~3"]));
    assert_eq!(
        git(dir, &["rev-list", "--count", "main..agent/bulk-discounts"]).trim(),
        "2"
    );
    let agent = log(dir, "main..agent/bulk-discounts");
    assert_eq!(agent[0].co_authors, "Codex <noreply@openai.com>");
    assert_eq!(agent[1].co_authors, "Cursor <cursoragent@cursor.com>");
    let touched = git(
        dir,
        &["diff", "--name-only", "main~3", "agent/bulk-discounts"],
    );
    assert_eq!(lines(&touched), ["src/discount.rs", "web/cart.ts"]);

    // What a reviewer should catch on the agent branch.
    let rust = git(dir, &["show", "agent/bulk-discounts:src/discount.rs"]);
    assert!(rust.contains(".unwrap()"));
    assert!(rust.contains("#[ignore]"));
    assert!(rust.contains("\"sk_test_"));
    assert!(rust.contains("// TODO"));
    let ts = git(dir, &["show", "agent/bulk-discounts:web/cart.ts"]);
    assert!(ts.contains("as any"));
    assert!(ts.contains("// TODO"));

    // The human branch: one Python commit on top of main.
    assert_eq!(
        git(dir, &["rev-parse", "maya/report-csv~1"]),
        git(dir, &["rev-parse", "main"])
    );
    let human = log(dir, "main..maya/report-csv");
    assert_eq!(human.len(), 1);
    assert_eq!(human[0].author, "Maya Chen <maya@shopfront.dev>");
    assert_eq!(human[0].co_authors, "");
    assert_eq!(
        lines(&git(
            dir,
            &["diff", "--name-only", "main", "maya/report-csv"]
        )),
        ["scripts/report.py"]
    );
}

#[test]
fn working_tree_holds_a_live_agent_session() {
    let built = build();
    let dir = built.dir();

    let status = git(dir, &["status", "--porcelain=v1", "--untracked-files=all"]);
    assert_eq!(
        lines(&status),
        ["M  src/discount.rs", " M web/cart.ts", "?? web/coupon.ts"]
    );

    let staged = git(dir, &["diff", "--cached", "--numstat"]);
    assert_eq!(lines(&staged), ["4\t0\tsrc/discount.rs"]);
    let unstaged = git(dir, &["diff", "--numstat"]);
    let unstaged = lines(&unstaged);
    assert_eq!(unstaged.len(), 1);
    assert!(unstaged[0].ends_with("\tweb/cart.ts"), "{unstaged:?}");
    assert!(!unstaged[0].starts_with("0\t"), "{unstaged:?}");

    let coupon = fs::read_to_string(dir.join("web/coupon.ts")).expect("coupon.ts");
    assert!(coupon.contains("export function couponDiscount"));
    let cart = fs::read_to_string(dir.join("web/cart.ts")).expect("cart.ts");
    assert!(cart.contains("from \"./coupon\""));

    // Everything else in the working tree matches main.
    let tracked = git(dir, &["ls-files"]);
    assert_eq!(
        lines(&tracked),
        [
            ".gitignore",
            "Cargo.toml",
            "README.md",
            "assets/logo.png",
            "scripts/report.py",
            "src/discount.rs",
            "src/inventory.rs",
            "src/lib.rs",
            "web/cart.ts",
            "web/money.ts",
        ]
    );
    for file in [
        "src/lib.rs",
        "src/inventory.rs",
        "web/money.ts",
        "README.md",
        "scripts/report.py",
    ] {
        let on_disk = fs::read(dir.join(file)).expect("tracked file on disk");
        let in_head = git_raw(dir, &["show", &format!("HEAD:{file}")]).stdout;
        assert_eq!(on_disk, in_head, "{file}");
    }
}

#[test]
fn history_has_a_rename_a_deletion_and_a_binary_file() {
    let built = build();
    let dir = built.dir();

    // The Copilot commit renames format.ts with small edits.
    let copilot = git(dir, &["rev-list", "--author=copilot-swe-agent", "main"]);
    let copilot = copilot.trim();
    assert_eq!(copilot.lines().count(), 1);
    let changes = git(dir, &["show", "-M", "--name-status", "--format=", copilot]);
    let changes = lines(&changes);
    assert!(
        changes
            .iter()
            .any(|l| l.starts_with('R') && l.ends_with("\tweb/format.ts\tweb/money.ts")),
        "{changes:?}"
    );
    assert!(
        !changes.iter().any(|l| l.starts_with("R100")),
        "{changes:?}"
    );
    assert!(changes.contains(&"M\tweb/cart.ts"), "{changes:?}");

    // One commit deletes a file.
    let deleted = git(
        dir,
        &["log", "--diff-filter=D", "--name-only", "--format=", "main"],
    );
    assert_eq!(lines(deleted.trim()), ["web/legacy-totals.ts"]);

    // The same commit adds a binary logo.
    let numstat = git(dir, &["diff", "--numstat", "main~3", "main~2"]);
    let numstat = lines(&numstat);
    assert!(numstat.contains(&"-\t-\tassets/logo.png"), "{numstat:?}");
    assert!(
        numstat.contains(&"0\t24\tweb/legacy-totals.ts"),
        "{numstat:?}"
    );
    let logo = git_raw(dir, &["cat-file", "blob", "main:assets/logo.png"]).stdout;
    assert!(logo.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(logo.contains(&0));

    // Ordinary diffs between neighbours work and count real lines.
    let last = git(dir, &["diff", "--numstat", "HEAD~1", "HEAD"]);
    let last = lines(&last);
    assert_eq!(last.len(), 1, "{last:?}");
    let fields: Vec<&str> = last[0].split('\t').collect();
    assert_eq!(fields[2], "src/discount.rs");
    assert!(fields[0].parse::<u32>().expect("added") > 0);
    assert!(fields[1].parse::<u32>().expect("deleted") > 0);

    // Every text file of the first commit is a realistic size.
    let first = git(dir, &["rev-list", "--max-parents=0", "main"]);
    let first = first.trim();
    for file in ["src/lib.rs", "src/inventory.rs", "README.md"] {
        let text = git(dir, &["show", &format!("{first}:{file}")]);
        let n = text.lines().count();
        assert!((20..=80).contains(&n), "{file}: {n} lines");
    }
    // The report script is executable.
    let tree = git(dir, &["ls-tree", "main", "scripts/report.py"]);
    assert!(tree.starts_with("100755 blob "), "{tree}");
}

#[test]
fn repository_passes_fsck() {
    let built = build();
    let dir = built.dir();
    let out = git_raw(dir, &["fsck", "--full", "--strict", "--no-progress"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for word in ["error", "warning", "missing", "broken", "dangling"] {
        assert!(!text.contains(word), "fsck reported {word}: {text}");
    }
}

#[test]
fn two_builds_give_identical_commit_ids() {
    let a = build();
    let b = build();
    let revs = ["main", "agent/bulk-discounts", "maya/report-csv"];
    let mut args = vec!["rev-parse"];
    args.extend(revs);
    let ids_a = git(a.dir(), &args);
    let ids_b = git(b.dir(), &args);
    assert_eq!(ids_a, ids_b);
    assert_eq!(ids_a.lines().count(), 3);
    assert_eq!(
        git(a.dir(), &["write-tree"]),
        git(b.dir(), &["write-tree"]),
        "staged trees differ"
    );
    assert_eq!(a.demo.commits, b.demo.commits);
    assert_ne!(a.demo.path, b.demo.path);
}

/// The demo is byte for byte what it was when its files were string constants in the code
/// (before they moved to `src/demo/files/`): the same commits on every branch, the same staged
/// tree, the same unstaged and untracked files. Any change to a demo file, message, identity or
/// date changes one of these ids.
#[test]
fn the_demo_is_the_one_built_before_its_files_moved_out_of_the_code() {
    let built = build();
    let dir = built.dir();
    assert_eq!(
        lines(&git(
            dir,
            &[
                "rev-parse",
                "main",
                "agent/bulk-discounts",
                "maya/report-csv"
            ]
        )),
        [
            "69b58e38d537dfadce6bf256f0bd646237266b51",
            "6937fadf712524d7062b032fa88f7f8bae70d0b0",
            "779c696e27d476a4dc07205b15776f46e188de6f",
        ]
    );
    assert_eq!(
        git(dir, &["write-tree"]).trim(),
        "8c5a379fa5ddbce5872b1f2e521e1239f57ce43e",
        "the staged tree"
    );
    assert_eq!(
        lines(&git(
            dir,
            &[
                "hash-object",
                "src/discount.rs",
                "web/cart.ts",
                "web/coupon.ts"
            ]
        )),
        [
            "bbc64a811f5b741611e797a6d4295dee8e8df916",
            "2dd91047fca99e8557ce3798081ef67d5ed187da",
            "360ae98f415c3e483bd90202309ffdf7794a7236",
        ],
        "the working tree's files"
    );
}

#[test]
fn create_refuses_a_non_empty_directory_and_leaves_it_alone() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("mine");
    fs::create_dir(&dir).expect("mkdir");
    fs::write(dir.join("notes.txt"), "keep me\n").expect("write");

    let err = demo::create(&dir).expect_err("non-empty dir is refused");
    assert!(
        matches!(&err, DemoError::NotEmpty { path } if path == &dir),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "cannot build the demo in {}: the directory is not empty",
            dir.display()
        )
    );
    let names: Vec<_> = fs::read_dir(&dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["notes.txt"]);
    assert_eq!(
        fs::read_to_string(dir.join("notes.txt")).expect("read"),
        "keep me\n"
    );

    // ensure refuses it too: it is not a repository to reuse.
    let err = demo::ensure(&dir).expect_err("non-empty non-repo is refused");
    assert!(matches!(err, DemoError::NotEmpty { .. }), "{err:?}");
    assert!(!dir.join(".git").exists());
}

#[test]
fn create_refuses_a_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("file");
    fs::write(&file, "x").expect("write");
    let err = demo::create(&file).expect_err("a file is refused");
    assert!(matches!(err, DemoError::Io { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("cannot build the demo in "),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&file).expect("read"), "x");
    let err = demo::ensure(&file).expect_err("ensure refuses a file too");
    assert!(matches!(err, DemoError::Io { .. }), "{err:?}");
    assert_eq!(fs::read_to_string(&file).expect("read"), "x");
}

#[test]
fn create_accepts_an_existing_empty_directory() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let demo = demo::create(tmp.path()).expect("empty dir is fine");
    assert_eq!(demo.path, tmp.path());
    assert_eq!(
        git(tmp.path(), &["rev-parse", "--abbrev-ref", "HEAD"]).trim(),
        "main"
    );
}

#[test]
fn ensure_builds_once_then_reuses_the_repository() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("data/redline/demo");

    let first = demo::ensure(&path).expect("ensure builds");
    assert_eq!(first.commits, 8);
    let head = git(&path, &["rev-parse", "HEAD"]);

    // Calling it again changes nothing, and reports the same thing.
    let again = demo::ensure(&path).expect("ensure reuses");
    assert_eq!(again, first);
    assert_eq!(git(&path, &["rev-parse", "HEAD"]), head);

    // A user's own commit and files survive: the repository is reused as is.
    fs::write(path.join("NOTES.md"), "my notes\n").expect("write");
    let mut commit = support::git_command();
    commit
        .args(["commit", "-q", "-m", "my change"])
        .current_dir(&path)
        .env("GIT_AUTHOR_NAME", "Tester")
        .env("GIT_AUTHOR_EMAIL", "tester@example.com")
        .env("GIT_COMMITTER_NAME", "Tester")
        .env("GIT_COMMITTER_EMAIL", "tester@example.com");
    assert!(commit.status().expect("git commit runs").success());
    let mine = git(&path, &["rev-parse", "HEAD"]);
    assert_ne!(mine, head);

    let reused = demo::ensure(&path).expect("ensure reuses");
    assert_eq!(git(&path, &["rev-parse", "HEAD"]), mine);
    assert_eq!(reused.commits, 9);
    assert_eq!(reused.ai_commits, 4);
    assert_eq!(reused.branches, first.branches);
    assert_eq!(
        fs::read_to_string(path.join("NOTES.md")).expect("read"),
        "my notes\n"
    );
}

#[test]
fn default_path_is_under_the_data_dir() {
    if let Some(path) = demo::default_path() {
        assert!(path.ends_with(Path::new("redline").join("demo")));
        assert!(path.is_absolute());
    }
}
