//! The review engine against git on a large change, in one run.
//!
//! Builds a synthetic history (≥ 800 files, ≥ 90,000 changed lines between two commits),
//! then measures Redline's full diff model (`repo::load_diff`: libgit2 diff, rename and copy
//! detection, conversion, word emphasis, hunk ids) against `git diff -M -C` on the same range.
//! Each side runs in its own child process so peak memory (max RSS) is measured per side.
//!
//!     cargo bench --bench diff_model
//!
//! Targets (issue 3): ≤ 1.5× git's wall time and ≤ 3× its peak memory.
//!
//! Then real ranges (issue 16): whole processes, `redline review RANGE --format patch` and
//! `--format json` against `git diff -M -C RANGE`, all output to /dev/null, run in turns so
//! the machine's load hits each side alike. Targets: patch ≤ 1.2×, json ≤ 1.5× git. Always
//! measured: the 1,059-file range of the rename parity corpus (cline v3.87.0..v3.88.0, reduced
//! to its changed paths). More ranges of full repositories come from `REDLINE_BENCH_RANGES`,
//! `REPO:A..B` separated by spaces, e.g.
//!
//!     REDLINE_BENCH_RANGES="/path/to/cline:v4.0.0..v4.1.0" cargo bench --bench diff_model
//!
//! To profile: `diff_model --build DIR` prints the range, `diff_model --load DIR RANGE` is the
//! measured work (e.g. under `perf record`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/synthetic.rs"]
mod synthetic;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::resource::{getrusage, UsageWho};
use redline::repo::{self, DiffLimits, Target};

const RUNS: usize = 7;
/// Runs of each side on a real range: more than RUNS, since a real range is measured in whole
/// processes on a machine others may be using.
const REAL_RUNS: usize = 15;
const FILES: usize = 900;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // child modes, used by the parent below
    if let Some(mode) = args.get(1).map(String::as_str) {
        match mode {
            "--load" => return load(Path::new(&args[2]), &args[3]),
            "--measure" => return measure(&args[2..]),
            // `--build DIR`: keep a synthetic repository around for profiling
            "--build" => {
                let range = synthetic::build(Path::new(&args[2]), FILES);
                return println!("{}..{}", range.base, range.head);
            }
            _ => {} // cargo bench passes `--bench`
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let range = synthetic::build(dir.path(), FILES);
    let spec = format!("{}..{}", range.base, range.head);
    let numstat = git_output(
        dir.path(),
        &["diff", "-M", "-C", "--shortstat", &range.base, &range.head],
    );
    println!(
        "synthetic range: {FILES} source files, built in {:.1?}; git: {numstat}",
        started.elapsed()
    );

    let me = std::env::current_exe().unwrap();
    let git_renames_cmd = [
        "git",
        "-C",
        dir.path().to_str().unwrap(),
        "diff",
        "-M",
        "--no-color",
        &range.base,
        &range.head,
    ];
    let git_cmd = [
        "git",
        "-C",
        dir.path().to_str().unwrap(),
        "diff",
        "-M",
        "-C",
        "--no-color",
        &range.base,
        &range.head,
    ];
    let ours_cmd = [
        me.to_str().unwrap(),
        "--load",
        dir.path().to_str().unwrap(),
        &spec,
    ];
    let git_renames = run_many(&me, &git_renames_cmd);
    let git = run_many(&me, &git_cmd);
    let ours = run_many(&me, &ours_cmd);

    println!();
    println!("{:<32} {:>14} {:>12}", "", "wall (median)", "peak RSS");
    for (name, (time, rss)) in [
        ("git diff -M (renames)", git_renames),
        ("git diff -M -C (renames, copies)", git),
        ("redline load_diff (-M -C model)", ours),
    ] {
        println!(
            "{name:<32} {:>14.1?} {:>8.1} MiB",
            time,
            rss as f64 / 1024.0
        );
    }
    for (name, (time, rss)) in [("git diff -M", git_renames), ("git diff -M -C", git)] {
        println!(
            "redline / {name:<15} time {:.2}x (target <= 1.5x), memory {:.2}x (target <= 3x)",
            ours.0.as_secs_f64() / time.as_secs_f64(),
            ours.1 as f64 / rss as f64
        );
    }

    real_ranges(&me);
}

/// The real ranges: the corpus's 1,000-file range, then those of `REDLINE_BENCH_RANGES`.
fn real_ranges(me: &Path) {
    let bundle = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rename_parity/cline-3.87.0-3.88.0.bundle");
    let corpus = tempfile::tempdir().unwrap();
    let mut ranges: Vec<(String, String)> = Vec::new();
    if bundle.exists() {
        let repo = corpus.path().join("cline");
        let ok = synthetic::git_command()
            .args([
                "clone",
                "-q",
                "--bare",
                "--branch",
                "head",
                bundle.to_str().unwrap(),
            ])
            .arg(&repo)
            .status()
            .unwrap()
            .success();
        assert!(ok, "cannot clone {}", bundle.display());
        ranges.push((repo.to_str().unwrap().to_owned(), "base..head".to_owned()));
    } else {
        println!(
            "\nreal range of the corpus skipped: {} is absent",
            bundle.display()
        );
    }
    match std::env::var("REDLINE_BENCH_RANGES") {
        Ok(list) => {
            for item in list.split_whitespace() {
                let (repo, range) = item
                    .rsplit_once(':')
                    .expect("REDLINE_BENCH_RANGES: REPO:A..B separated by spaces");
                ranges.push((repo.to_owned(), range.to_owned()));
            }
        }
        Err(_) => println!(
            "\nranges of full repositories skipped: REDLINE_BENCH_RANGES is not set \
             (REPO:A..B, e.g. a clone of cline/cline with v4.0.0..v4.1.0)"
        ),
    }
    let redline = env!("CARGO_BIN_EXE_redline");
    for (repo, range) in ranges {
        let (base, head) = range.split_once("..").expect("a range A..B");
        let stat = git_output(
            Path::new(&repo),
            &["diff", "-M", "-C", "--shortstat", base, head],
        );
        println!("\n{repo} {range}: {stat}");
        let git = [
            "git",
            "-C",
            &repo,
            "diff",
            "-M",
            "-C",
            "--no-color",
            base,
            head,
        ];
        let patch = [
            redline, "review", &range, "--format", "patch", "--repo", &repo,
        ];
        let json = [
            redline, "review", &range, "--format", "json", "--repo", &repo,
        ];
        let [git, patch, json] = run_in_turns(me, REAL_RUNS, [&git[..], &patch[..], &json[..]]);
        println!("{:<44} {:>14} {:>12}", "", "wall (median)", "peak RSS");
        for (name, (time, rss)) in [
            ("git diff -M -C", git),
            ("redline review --format patch", patch),
            ("redline review --format json", json),
        ] {
            println!(
                "{name:<44} {:>14.1?} {:>8.1} MiB",
                time,
                rss as f64 / 1024.0
            );
        }
        for (name, (time, _), target) in [("patch", patch, 1.2), ("json", json, 1.5)] {
            println!(
                "redline {name:<5} / git diff -M -C: time {:.2}x (target <= {target}x)",
                time.as_secs_f64() / git.0.as_secs_f64()
            );
        }
    }
}

/// Runs each command `runs` times, one of each in turn; per command, the median wall time and
/// the largest peak RSS (KiB).
fn run_in_turns<const N: usize>(
    me: &Path,
    runs: usize,
    commands: [&[&str]; N],
) -> [(Duration, i64); N] {
    let mut times: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::new());
    let mut peaks = [0i64; N];
    for _ in 0..runs {
        for (index, command) in commands.iter().enumerate() {
            let (time, rss) = measure_once(me, command);
            times[index].push(time);
            peaks[index] = peaks[index].max(rss);
        }
    }
    std::array::from_fn(|index| {
        times[index].sort();
        (times[index][times[index].len() / 2], peaks[index])
    })
}

/// Runs `command` RUNS times through `--measure`; returns the median wall time and the
/// largest peak RSS (KiB).
fn run_many(me: &Path, command: &[&str]) -> (Duration, i64) {
    let [result] = run_in_turns(me, RUNS, [command]);
    result
}

/// Runs `command` once through `--measure`: its wall time and peak RSS (KiB).
fn measure_once(me: &Path, command: &[&str]) -> (Duration, i64) {
    // the measured git, and libgit2 in `--load`, see no user or system configuration
    let out = synthetic::isolate_git(&mut Command::new(me))
        .arg("--measure")
        .args(command)
        .stderr(Stdio::inherit())
        .output()
        .unwrap();
    assert!(out.status.success(), "{command:?} failed");
    let text = String::from_utf8(out.stdout).unwrap();
    let (micros, rss) = text.trim().split_once(' ').unwrap();
    (
        Duration::from_micros(micros.parse().unwrap()),
        rss.parse().unwrap(),
    )
}

/// Runs a command with its output discarded; prints its wall time (µs) and max RSS (KiB).
/// Being the only child of this process makes RUSAGE_CHILDREN exactly that command's peak.
fn measure(command: &[String]) {
    let started = Instant::now();
    let status = Command::new(&command[0])
        .args(&command[1..])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    let elapsed = started.elapsed();
    assert!(status.success());
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).unwrap();
    println!("{} {}", elapsed.as_micros(), usage.max_rss());
}

/// The measured work: Redline's complete diff model of the range, kept alive until the end.
fn load(repo_path: &Path, spec: &str) {
    let (repo, _) = repo::open(repo_path).unwrap();
    let target = Target::parse(spec).unwrap();
    let resolved = repo::resolve(&repo, &target).unwrap();
    let files = repo::load_diff(&repo, &resolved, &DiffLimits::default()).unwrap();
    let lines: usize = files
        .iter()
        .flat_map(|f| &f.hunks)
        .map(|h| h.line_count())
        .sum();
    assert!(files.len() >= 800 && lines > 0);
    std::hint::black_box(&files);
}

fn git_output(dir: &Path, args: &[&str]) -> String {
    let out = synthetic::git_command()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
