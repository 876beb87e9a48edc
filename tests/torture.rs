//! Broken and hostile repositories, many at once: every command finishes within 10 s (run
//! under `timeout`), never panics, fails with one `error:` line naming the trouble, prints no
//! terminal control characters, runs no command the repository configures, and leaves the
//! repository (config, index, refs, HEAD) as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::{text, TestRepo};

/// What `redline review HEAD` must do on a damaged repository.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Succeeds.
    Ok,
    /// Fails, saying this.
    Fails(&'static str),
}

struct Scenario {
    name: &'static str,
    damage: fn(&TestRepo),
    review_head: Expect,
}

/// Two commits with files in a subdirectory.
fn base() -> TestRepo {
    let repo = TestRepo::new();
    let body: String = (0..300)
        .map(|n| format!("fn f{n}() -> u32 {{ {n} }}\n"))
        .collect();
    repo.write("src/lib.rs", &body)
        .write("src/util/mod.rs", "pub fn util() {}\n")
        .write("README.md", "# base\n")
        .write(".gitattributes", "*.md diff=evil filter=evil\n")
        .commit("base");
    repo.write("src/lib.rs", format!("{body}fn more() {{}}\n"))
        .write("src/util/mod.rs", "pub fn util() -> u8 { 1 }\n")
        .write("README.md", "# base\n\nmore\n")
        .commit("second");
    repo
}

/// Configuration that would run a command (leaving a marker file) if anything obeyed it. Set
/// after the damage, since git itself obeys some of it.
fn arm(repo: &TestRepo) {
    let marker = repo.path().join(".git/ran-a-configured-command");
    let touch = format!("touch '{}'", marker.display());
    for (key, value) in [
        ("core.fsmonitor", touch.as_str()),
        ("core.pager", touch.as_str()),
        ("diff.evil.textconv", touch.as_str()),
        ("diff.evil.command", touch.as_str()),
        ("filter.evil.clean", touch.as_str()),
        ("filter.evil.smudge", touch.as_str()),
        ("filter.evil.process", touch.as_str()),
        ("core.hooksPath", "/nonexistent"),
    ] {
        repo.git(&["config", key, value]);
    }
}

fn loose_path(repo: &TestRepo, rev: &str) -> std::path::PathBuf {
    let id = repo.git(&["rev-parse", rev]).trim().to_owned();
    repo.path()
        .join(".git/objects")
        .join(&id[..2])
        .join(&id[2..])
}

fn writable(path: &Path) {
    let mut permissions = std::fs::metadata(path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(path, permissions).unwrap();
}

fn truncate(repo: &TestRepo, rev: &str) {
    let path = loose_path(repo, rev);
    writable(&path);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
}

fn overwrite(repo: &TestRepo, rev: &str, bytes: &[u8]) {
    let path = loose_path(repo, rev);
    writable(&path);
    std::fs::write(&path, bytes).unwrap();
}

fn remove(repo: &TestRepo, rev: &str) {
    std::fs::remove_file(loose_path(repo, rev)).unwrap();
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "sound",
            damage: |_| {},
            review_head: Expect::Ok,
        },
        Scenario {
            name: "truncated blob",
            damage: |r| truncate(r, "HEAD:src/lib.rs"),
            review_head: Expect::Fails("is corrupt: it is truncated"),
        },
        Scenario {
            name: "truncated old blob",
            damage: |r| truncate(r, "HEAD~1:src/lib.rs"),
            review_head: Expect::Fails("is corrupt: it is truncated"),
        },
        Scenario {
            name: "truncated subtree",
            damage: |r| truncate(r, "HEAD:src"),
            review_head: Expect::Fails("is corrupt"),
        },
        Scenario {
            name: "truncated root tree",
            damage: |r| truncate(r, "HEAD^{tree}"),
            review_head: Expect::Fails("is corrupt"),
        },
        Scenario {
            name: "truncated HEAD commit",
            damage: |r| truncate(r, "HEAD"),
            review_head: Expect::Fails("is corrupt"),
        },
        Scenario {
            name: "truncated parent commit",
            damage: |r| truncate(r, "HEAD~1"),
            review_head: Expect::Fails("is corrupt"),
        },
        Scenario {
            name: "garbage blob",
            damage: |r| overwrite(r, "HEAD:src/lib.rs", b"not zlib"),
            review_head: Expect::Fails("zlib data is invalid"),
        },
        Scenario {
            name: "blob claiming a gigabyte",
            damage: |r| overwrite(r, "HEAD:src/lib.rs", &deflate(b"blob 1000000000\0tiny")),
            review_head: Expect::Fails("declares 1000000000 bytes"),
        },
        Scenario {
            name: "blob shorter than declared",
            damage: |r| overwrite(r, "HEAD:src/lib.rs", &deflate(b"blob 100\0tiny")),
            review_head: Expect::Fails("holds 4 bytes where its header declares 100"),
        },
        Scenario {
            name: "blob longer than declared",
            damage: |r| overwrite(r, "HEAD:src/lib.rs", &deflate(b"blob 2\0tiny")),
            review_head: Expect::Fails("more than the 2 bytes"),
        },
        Scenario {
            name: "unknown object type",
            damage: |r| overwrite(r, "HEAD:src/lib.rs", &deflate(b"blub 4\0tiny")),
            review_head: Expect::Fails("unknown type 'blub'"),
        },
        Scenario {
            name: "missing blob",
            damage: |r| remove(r, "HEAD:src/lib.rs"),
            review_head: Expect::Fails("cannot read"),
        },
        Scenario {
            name: "missing subtree",
            damage: |r| remove(r, "HEAD:src/util"),
            review_head: Expect::Fails("cannot read"),
        },
        Scenario {
            name: "missing parent",
            damage: |r| remove(r, "HEAD~1"),
            review_head: Expect::Fails("cannot read the parent"),
        },
        Scenario {
            name: "missing HEAD commit",
            damage: |r| remove(r, "HEAD"),
            review_head: Expect::Fails("HEAD"),
        },
        Scenario {
            name: "HEAD names a blob",
            damage: |r| {
                let blob = r.git(&["rev-parse", "HEAD:README.md"]);
                std::fs::write(r.path().join(".git/refs/heads/main"), blob).unwrap();
            },
            review_head: Expect::Fails("names a blob, not a commit"),
        },
        Scenario {
            name: "corrupt index",
            damage: |r| std::fs::write(r.path().join(".git/index"), b"DIRC garbage").unwrap(),
            review_head: Expect::Ok,
        },
        Scenario {
            name: "missing index",
            damage: |r| std::fs::remove_file(r.path().join(".git/index")).unwrap(),
            review_head: Expect::Ok,
        },
        Scenario {
            name: "escape sequences everywhere",
            damage: |r| {
                r.write(
                    "evil\x1b]0;owned\x07\u{202e}.txt",
                    "\x1b[2J\x1b]0;title\x07 text\n",
                );
                r.git(&["add", "-A"]);
                r.git(&[
                    "-c",
                    "user.name=\x1b[31mRed\x1b[0m",
                    "commit",
                    "-q",
                    "-m",
                    "\x1b[2J\x1b]0;owned\x07 subject \u{202e}desrever",
                ]);
            },
            review_head: Expect::Ok,
        },
        Scenario {
            name: "newline in a file name",
            damage: |r| {
                r.write("two\nlines.txt", "x\n");
                r.commit("newline name");
            },
            review_head: Expect::Ok,
        },
        Scenario {
            name: "not UTF-8 in names and content",
            damage: |r| {
                #[cfg(unix)]
                {
                    use std::os::unix::ffi::OsStrExt;
                    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
                    std::fs::write(r.path().join(name), b"d\xe9j\xe0\n").unwrap();
                }
                r.commit("latin-1");
            },
            review_head: Expect::Ok,
        },
        Scenario {
            name: "tracked file replaced by a FIFO",
            damage: |r| {
                let path = r.path().join("README.md");
                std::fs::remove_file(&path).unwrap();
                let made = Command::new("mkfifo").arg(&path).status().unwrap();
                assert!(made.success());
            },
            review_head: Expect::Ok,
        },
        Scenario {
            name: "symlink loop",
            damage: |r| {
                #[cfg(unix)]
                std::os::unix::fs::symlink("loop", r.path().join("loop")).unwrap();
                r.commit("loop");
            },
            review_head: Expect::Ok,
        },
        Scenario {
            name: "malformed author",
            damage: |r| {
                let tree = r.git(&["rev-parse", "HEAD^{tree}"]);
                let head = r.git(&["rev-parse", "HEAD"]);
                let raw = format!("tree {}\nparent {}\nauthor no email here 123 +0000\ncommitter C <c@x> 1700000000 +0000\n\nbad author\n", tree.trim(), head.trim());
                let out = Command::new("git")
                    .args([
                        "hash-object",
                        "-t",
                        "commit",
                        "-w",
                        "--literally",
                        "--stdin",
                    ])
                    .current_dir(r.path())
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .spawn()
                    .and_then(|mut child| {
                        use std::io::Write;
                        child.stdin.take().unwrap().write_all(raw.as_bytes())?;
                        child.wait_with_output()
                    })
                    .unwrap();
                let id = text(&out.stdout);
                r.git(&["update-ref", "refs/heads/odd", id.trim()]);
            },
            review_head: Expect::Ok,
        },
        Scenario {
            name: "shallow clone",
            damage: |r| {
                let head = r.git(&["rev-parse", "HEAD"]);
                std::fs::write(r.path().join(".git/shallow"), head).unwrap();
            },
            review_head: Expect::Fails("shallow"),
        },
        Scenario {
            name: "packed-refs garbage",
            damage: |r| {
                std::fs::write(
                    r.path().join(".git/packed-refs"),
                    "# pack-refs with: peeled\nzzzz refs/heads/broken\n",
                )
                .unwrap()
            },
            review_head: Expect::Ok,
        },
    ]
}

/// The repository's state Redline must not change.
fn state(repo: &TestRepo) -> Vec<u8> {
    let git = repo.path().join(".git");
    let mut state = Vec::new();
    for file in ["config", "HEAD", "index", "packed-refs", "shallow"] {
        state.extend(std::fs::read(git.join(file)).unwrap_or_default());
        state.push(0);
    }
    let refs = Command::new("find")
        .arg(git.join("refs"))
        .arg("-type")
        .arg("f")
        .output()
        .unwrap();
    for path in text(&refs.stdout).lines() {
        state.extend(path.as_bytes());
        state.extend(std::fs::read(path).unwrap_or_default());
    }
    state
}

fn run(repo: &TestRepo, data: &Path, args: &[&str]) -> Output {
    Command::new("timeout")
        .arg("10")
        .arg(env!("CARGO_BIN_EXE_redline"))
        .args(args)
        .args(["--repo", repo.path().to_str().unwrap()])
        .env("REDLINE_DATA_DIR", data)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

fn inert(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    !text.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

#[test]
fn every_command_survives_every_broken_repository() {
    let commands: [&[&str]; 8] = [
        &["review", "HEAD"],
        &["review", "worktree"],
        &["review", "HEAD~1..HEAD", "--format", "patch"],
        &["targets"],
        &["provenance"],
        &["symbols", "HEAD"],
        &["api", "HEAD"],
        &["status", "HEAD"],
    ];
    let mut failures = Vec::new();
    let mut runs = 0;
    for scenario in scenarios() {
        let repo = base();
        (scenario.damage)(&repo);
        arm(&repo);
        let before = state(&repo);
        let data = tempfile::tempdir().unwrap();
        for command in commands {
            runs += 1;
            let out = run(&repo, data.path(), command);
            let what = format!("{} / {}", scenario.name, command.join(" "));
            let stderr = text(&out.stderr);
            match out.status.code() {
                Some(0) => {}
                Some(1) if stderr.starts_with("error: ") && stderr.lines().count() == 1 => {}
                Some(124) => failures.push(format!("{what}: hung (killed after 10 s)")),
                code => failures.push(format!("{what}: exit {code:?}: {stderr}")),
            }
            if stderr.contains("panicked") {
                failures.push(format!("{what}: panicked: {stderr}"));
            }
            // Patches are for tools and hold the bytes; everything else is for people.
            if command.last() != Some(&"patch") && !inert(&out.stdout) {
                failures.push(format!("{what}: control characters on stdout"));
            }
            if !inert(&out.stderr) {
                failures.push(format!("{what}: control characters on stderr"));
            }
            if command == ["review", "HEAD"] {
                match (scenario.review_head, out.status.success()) {
                    (Expect::Ok, true) => {}
                    (Expect::Fails(says), false) if stderr.contains(says) => {}
                    (expect, _) => {
                        failures.push(format!("{what}: expected {expect:?}, got: {stderr}"))
                    }
                }
            }
        }
        if state(&repo) != before {
            failures.push(format!("{}: the repository changed", scenario.name));
        }
        if repo.path().join(".git/ran-a-configured-command").exists() {
            failures.push(format!(
                "{}: a command the repository configures ran",
                scenario.name
            ));
        }
    }
    assert!(runs >= 200, "{runs} runs");
    assert!(
        failures.is_empty(),
        "{} of {runs} runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
