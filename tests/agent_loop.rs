//! The agent loop on real repositories, a real database and real processes: turn snapshots
//! that leave the user's index, status and stash as they were; turn targets; hooks installed
//! and removed byte for byte; the Stop hook handing sent notes back; undo and redo of a hunk;
//! the MCP server answered by the rmcp client (two protocol revisions) and driven by a
//! scripted agent process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use support::{text, TestRepo};

/// Runs `redline ARGS` in `repo` with its database in `data` and HOME in `home`.
fn run_in(repo: &Path, data: &Path, home: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_redline"));
    command
        .args(args)
        .current_dir(repo)
        .env("REDLINE_DATA_DIR", data)
        .env("HOME", home)
        .env_remove("CODEX_HOME")
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(stdin) = stdin {
        input.write_all(stdin.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

struct Loop {
    repo: TestRepo,
    data: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Loop {
    fn new() -> Loop {
        let repo = TestRepo::new();
        repo.write(
            "src/cart.py",
            "def total(items):\n    return sum(items)\n\n\ndef tax(x):\n    return x * 0.2\n",
        )
        .write("README.md", "# Shop\n")
        .commit("Start");
        Loop {
            repo,
            data: tempfile::tempdir().unwrap(),
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        run_in(
            &self.repo.path(),
            self.data.path(),
            self.home.path(),
            args,
            None,
        )
    }

    fn run_with(&self, args: &[&str], stdin: &str) -> Output {
        run_in(
            &self.repo.path(),
            self.data.path(),
            self.home.path(),
            args,
            Some(stdin),
        )
    }

    fn ok(&self, args: &[&str]) -> String {
        ok(&self.run(args))
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn read(&self, path: &str) -> Vec<u8> {
        std::fs::read(self.repo.path().join(path)).unwrap()
    }
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

/// Paths a review lists.
fn paths(review: &Value) -> Vec<String> {
    review["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["newPath"]
                .as_str()
                .or(f["oldPath"].as_str())
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn a_snapshot_leaves_index_status_and_stash_byte_identical() {
    let lp = Loop::new();
    let repo = &lp.repo;
    // A stash, a staged change, an unstaged change, an untracked file and an ignored one.
    repo.write("README.md", "# Shop (stashed)\n");
    repo.git(&["stash", "-q"]);
    repo.write(".gitignore", "build/\n").commit("Ignore build");
    repo.write(
        "src/cart.py",
        "def total(items):\n    return sum(items) + 1\n",
    );
    repo.git(&["add", "src/cart.py"]);
    repo.write("README.md", "# Shop, edited\n");
    repo.write("notes/todo.txt", "untracked\n");
    repo.write("build/out.bin", "ignored\n");

    let index_path = repo.path().join(".git/index");
    let index = std::fs::read(&index_path).unwrap();
    let status = repo.git(&["status", "--porcelain=v2", "--untracked-files=all"]);
    let stash = repo.git(&["stash", "list", "--format=%H %gs"]);
    let config = std::fs::read(repo.path().join(".git/config")).unwrap();

    let out = lp.ok(&["snapshot", "--session", "s1", "--boundary", "manual"]);
    assert!(out.contains("Recorded turn 1 of session s1"), "{out}");

    assert_eq!(
        std::fs::read(&index_path).unwrap(),
        index,
        "the index changed"
    );
    assert_eq!(
        repo.git(&["status", "--porcelain=v2", "--untracked-files=all"]),
        status
    );
    assert_eq!(repo.git(&["stash", "list", "--format=%H %gs"]), stash);
    assert_eq!(
        std::fs::read(repo.path().join(".git/config")).unwrap(),
        config
    );

    // The snapshot holds the working tree: unstaged and untracked content, not ignored files.
    let snapshot = "refs/redline/snapshots/s1/1";
    assert_eq!(
        repo.git(&["show", &format!("{snapshot}:README.md")]),
        "# Shop, edited\n"
    );
    assert_eq!(
        repo.git(&["show", &format!("{snapshot}:notes/todo.txt")]),
        "untracked\n"
    );
    assert!(!repo
        .git_output(&["cat-file", "-e", &format!("{snapshot}:build/out.bin")])
        .status
        .success());
    // Turn 1 starts from HEAD: its parent is the HEAD commit.
    assert_eq!(
        repo.git(&["rev-parse", &format!("{snapshot}^")]),
        repo.git(&["rev-parse", "HEAD"])
    );
    // It is reachable, so gc keeps it.
    repo.git(&["gc", "-q", "--prune=now"]);
    assert_eq!(
        repo.git(&["show", &format!("{snapshot}:README.md")]),
        "# Shop, edited\n"
    );
}

#[test]
fn each_turn_reviews_only_its_own_changes() {
    let lp = Loop::new();
    let repo = &lp.repo;
    repo.write(
        "src/cart.py",
        "def total(items):\n    return sum(items) + 1\n\n\ndef tax(x):\n    return x * 0.2\n",
    );
    lp.ok(&[
        "snapshot",
        "--session",
        "s",
        "--boundary",
        "hook",
        "--agent",
        "claude-code",
        "-m",
        "Fixed total",
    ]);
    // No change: no new turn.
    let same = lp.ok(&["snapshot", "--session", "s"]);
    assert!(
        same.contains("No changes since turn 1 of session s"),
        "{same}"
    );
    repo.write("README.md", "# Shop\n\nNow with tax.\n");
    repo.write("src/tax.py", "RATE = 0.2\n");
    lp.ok(&["snapshot", "--session", "s", "--boundary", "inferred"]);

    assert_eq!(
        paths(&lp.json(&["review", "turn", "--format", "json"])),
        ["README.md", "src/tax.py"]
    );
    assert_eq!(
        paths(&lp.json(&["review", "turn:1@s", "--format", "json"])),
        ["src/cart.py"]
    );
    assert_eq!(
        paths(&lp.json(&["review", "turn:1..2", "--format", "json"])),
        ["README.md", "src/cart.py", "src/tax.py"]
    );
    // Byte for byte what git prints for the same two snapshot commits.
    let patch = lp.ok(&["review", "turn:2@s", "--format", "patch"]);
    let git = repo.git(&[
        "-c",
        "diff.noprefix=false",
        "diff",
        "--no-color",
        "--no-ext-diff",
        "-M",
        "-C",
        "refs/redline/snapshots/s/1",
        "refs/redline/snapshots/s/2",
    ]);
    assert_eq!(patch, git);

    let turns = lp.json(&["turns", "--format", "json"]);
    let turns = turns[0]["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 2);
    assert_eq!(turns[0]["turn"]["boundary"], "hook");
    assert_eq!(turns[0]["turn"]["agent"], "claude-code");
    assert_eq!(turns[0]["turn"]["message"], "Fixed total");
    assert_eq!(turns[0]["stats"]["additions"], 1);
    assert_eq!(turns[1]["turn"]["boundary"], "inferred");
    assert_eq!(turns[1]["stats"]["files"], 2);
    assert_eq!(turns[1]["spec"], "turn:2@s");

    let missing = lp.run(&["review", "turn:5@s"]);
    assert!(!missing.status.success());
    assert!(
        text(&missing.stderr).contains("session 's' has turns 1 to 2"),
        "{}",
        text(&missing.stderr)
    );
    let none = Loop::new();
    let out = none.run(&["review", "turn"]);
    assert!(text(&out.stderr).contains("no agent session has recorded a turn yet"));
}

#[test]
fn large_untracked_files_are_left_out_of_a_snapshot_and_listed() {
    let lp = Loop::new();
    lp.repo.write("data/big.csv", vec![b'x'; 3 * 1024 * 1024]);
    lp.repo.write("data/small.csv", "a,b\n");
    let out = lp.ok(&["snapshot", "--session", "s"]);
    assert!(
        out.contains("left out data/big.csv (3145728 bytes"),
        "{out}"
    );
    let turns = lp.json(&["turns", "--format", "json"]);
    assert_eq!(
        turns[0]["turns"][0]["turn"]["skipped"][0]["path"],
        "data/big.csv"
    );
    assert_eq!(
        turns[0]["turns"][0]["files"],
        serde_json::json!(["data/small.csv"])
    );
}

#[test]
fn prune_removes_only_old_turn_refs() {
    let lp = Loop::new();
    for n in 0..4 {
        lp.repo.write("README.md", format!("# Shop {n}\n"));
        lp.ok(&["snapshot", "--session", "s"]);
    }
    let refs_before = lp.repo.git(&["for-each-ref", "--format=%(refname)"]);
    let out = lp.ok(&["snapshots", "prune", "--max-turns", "1"]);
    assert!(out.contains("Removed 3 snapshot refs"), "{out}");
    let refs = lp.repo.git(&["for-each-ref", "--format=%(refname)"]);
    let expected: String = refs_before
        .lines()
        .filter(|r| !r.starts_with("refs/redline/snapshots/s/") || r.ends_with("/4"))
        .map(|r| format!("{r}\n"))
        .collect();
    assert_eq!(refs, expected);
}

/// The keys Claude Code's hooks reference documents for a matcher group and a command hook.
const CLAUDE_GROUP_KEYS: [&str; 2] = ["matcher", "hooks"];
const CLAUDE_HOOK_KEYS: [&str; 4] = ["type", "command", "timeout", "statusMessage"];

#[test]
fn hooks_install_the_documented_shape_and_uninstall_restores_the_file_byte_for_byte() {
    let lp = Loop::new();
    let settings = lp.home.path().join(".claude/settings.json");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    let original = "{\n  \"model\": \"opus\",\n  \"hooks\": {\n    \"PreToolUse\": [{\"matcher\": \"Bash\", \"hooks\": [{\"type\": \"command\", \"command\": \"echo hi\"}]}]\n  },\n  \"permissions\": {\"allow\": [\"Bash(ls:*)\"]}\n}\n";
    std::fs::write(&settings, original).unwrap();

    let out = lp.ok(&["hooks", "install", "claude-code"]);
    assert!(out.contains("Installed the claude-code Stop hook"), "{out}");
    let written = std::fs::read_to_string(&settings).unwrap();
    let config: Value = serde_json::from_str(&written).unwrap();
    // The user's settings are kept, in their order.
    let keys: Vec<&str> = written
        .lines()
        .filter(|l| l.starts_with("  \""))
        .map(|l| l.trim().split('"').nth(1).unwrap())
        .collect();
    assert_eq!(keys, ["model", "hooks", "permissions"]);
    assert_eq!(config["hooks"]["PreToolUse"][0]["matcher"], "Bash");
    let stop = config["hooks"]["Stop"].as_array().unwrap();
    assert_eq!(stop.len(), 1);
    for key in stop[0].as_object().unwrap().keys() {
        assert!(
            CLAUDE_GROUP_KEYS.contains(&key.as_str()),
            "undocumented key {key}"
        );
    }
    let hook = &stop[0]["hooks"][0];
    for key in hook.as_object().unwrap().keys() {
        assert!(
            CLAUDE_HOOK_KEYS.contains(&key.as_str()),
            "undocumented key {key}"
        );
    }
    assert_eq!(hook["type"], "command");
    assert!(hook["timeout"].is_u64());
    let command = hook["command"].as_str().unwrap();
    assert!(command.ends_with(" hook claude-code stop"), "{command}");
    assert!(
        command.starts_with(env!("CARGO_BIN_EXE_redline")),
        "{command}"
    );

    // Installing twice adds nothing.
    assert!(lp
        .ok(&["hooks", "install", "claude-code"])
        .contains("already installed"));
    assert_eq!(std::fs::read_to_string(&settings).unwrap(), written);
    assert!(lp
        .ok(&["hooks", "status"])
        .contains("claude-code  installed"));

    lp.ok(&["hooks", "uninstall", "claude-code"]);
    assert_eq!(std::fs::read(&settings).unwrap(), original.as_bytes());
}

#[test]
fn hooks_uninstall_removes_only_its_entry_from_a_file_edited_since_and_cleans_up_what_it_created() {
    let lp = Loop::new();
    // No Cursor configuration yet: install creates it, uninstall removes it and its directory.
    lp.ok(&["hooks", "install", "cursor"]);
    let path = lp.home.path().join(".cursor/hooks.json");
    let config: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(config["version"], 1);
    assert!(config["hooks"]["stop"][0]["command"]
        .as_str()
        .unwrap()
        .ends_with(" hook cursor stop"));
    lp.ok(&["hooks", "uninstall", "cursor"]);
    assert!(!path.exists());
    assert!(!lp.home.path().join(".cursor").exists());

    // Codex, with the user adding their own hook after the install.
    lp.ok(&["hooks", "install", "codex"]);
    let path = lp.home.path().join(".codex/hooks.json");
    let mut config: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    config["hooks"]["Stop"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"hooks": [{"type": "command", "command": "notify-send done"}]}));
    std::fs::write(&path, serde_json::to_string(&config).unwrap()).unwrap();
    let out = lp.ok(&["hooks", "uninstall", "codex"]);
    assert!(out.contains("only Redline's entry was taken out"), "{out}");
    let config: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(
        config["hooks"]["Stop"],
        serde_json::json!([{"hooks": [{"type": "command", "command": "notify-send done"}]}])
    );

    // A configuration that is not JSON is refused and left alone.
    let settings = lp.home.path().join(".claude/settings.json");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(&settings, "{ not json").unwrap();
    let out = lp.run(&["hooks", "install", "claude-code"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("is not valid JSON"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&settings).unwrap(), b"{ not json");
}

fn note_line(lp: &Loop, target: &str, place: &str, body: &str) -> String {
    let out = lp.ok(&["note", "add", target, place, body, "--kind", "must-fix"]);
    // "Added must-fix note ID on PATH:LINE"
    out.split_whitespace().nth(3).unwrap().to_owned()
}

#[test]
fn the_stop_hook_records_the_turn_and_hands_back_only_sent_notes_once() {
    let lp = Loop::new();
    lp.repo.write(
        "src/cart.py",
        "def total(items):\n    return sum(items) + 1\n\n\ndef tax(x):\n    return x * 0.2\n",
    );
    let id = note_line(&lp, "worktree", "src/cart.py:2", "Why +1? Remove it.");
    let input = serde_json::json!({
        "session_id": "0b5e-41",
        "transcript_path": "/dev/null",
        "cwd": lp.repo.path(),
        "hook_event_name": "Stop",
        "stop_hook_active": false,
        "last_assistant_message": "I made total add one.",
    })
    .to_string();

    // Not sent yet: the hook records the turn and says nothing.
    let out = lp.run_with(&["hook", "claude-code", "stop"], &input);
    assert_eq!(ok(&out), "");
    let turns = lp.json(&["turns", "--format", "json"]);
    assert_eq!(turns[0]["session"], "0b5e-41");
    assert_eq!(
        turns[0]["turns"][0]["turn"]["message"],
        "I made total add one."
    );
    assert_eq!(turns[0]["turns"][0]["turn"]["boundary"], "hook");

    assert!(lp
        .ok(&["note", "send", "worktree"])
        .contains("Sent 1 notes"));
    let out = ok(&lp.run_with(&["hook", "claude-code", "stop"], &input));
    let answer: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(answer["decision"], "block");
    let reason = answer["reason"].as_str().unwrap();
    assert!(reason.contains("Why +1? Remove it."), "{reason}");
    assert!(reason.contains(&format!("- id: `{id}`")), "{reason}");
    assert!(reason.contains("`src/cart.py` line 2"), "{reason}");

    // Delivered once: the next stop lets the agent stop.
    let again = lp.run_with(&["hook", "claude-code", "stop"], &input);
    assert_eq!(ok(&again), "");
    // The notes record what the agent received.
    let notes = lp.json(&["notes", "worktree", "--format", "json"]);
    assert!(notes["threads"][0]["thread"]["handoff"]["deliveredAt"].is_number());

    // Outside a repository the hook does nothing, successfully.
    let elsewhere = tempfile::tempdir().unwrap();
    let input = serde_json::json!({"session_id": "x", "cwd": elsewhere.path()}).to_string();
    assert_eq!(ok(&lp.run_with(&["hook", "codex", "stop"], &input)), "");
}

#[test]
fn cursor_gets_the_notes_as_a_followup_message() {
    let lp = Loop::new();
    lp.repo
        .write("src/cart.py", "def total(items):\n    return 0\n");
    note_line(&lp, "worktree", "src/cart.py:2", "This returns 0 always.");
    lp.ok(&["note", "send", "worktree"]);
    let input = serde_json::json!({
        "conversation_id": "c-1", "workspace_roots": [lp.repo.path()], "status": "completed", "loop_count": 0
    })
    .to_string();
    let answer: Value =
        serde_json::from_str(&ok(&lp.run_with(&["hook", "cursor", "stop"], &input))).unwrap();
    assert!(answer["followup_message"]
        .as_str()
        .unwrap()
        .contains("This returns 0 always."));
    assert_eq!(answer.as_object().unwrap().len(), 1);
}

#[test]
fn undo_reverts_one_hunk_byte_for_byte_and_redo_puts_it_back() {
    let lp = Loop::new();
    let base: String = (1..=30).map(|n| format!("line {n}\r\n")).collect();
    lp.repo.write("big.txt", &base).commit("Thirty lines, CRLF");
    let edited = base
        .replace("line 3\r\n", "line three\r\n")
        .replace("line 25\r\n", "line twenty-five\r\nextra\r\n");
    lp.repo.write("big.txt", &edited);

    // Without a terminal and without --yes, nothing happens.
    let refused = lp.run(&["undo", "worktree", "big.txt:1"]);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("pass --yes"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(lp.read("big.txt"), edited.as_bytes());

    lp.ok(&["undo", "worktree", "big.txt:1", "--yes"]);
    let expected = base.replace("line 25\r\n", "line twenty-five\r\nextra\r\n");
    assert_eq!(lp.read("big.txt"), expected.as_bytes());
    // git agrees: one hunk left.
    assert_eq!(
        lp.repo
            .git(&["diff", "--stat", "--", "big.txt"])
            .trim_end()
            .lines()
            .count(),
        2
    );

    // The agent is told which edit was undone.
    let brief = lp.ok(&["notes", "--for-agent"]);
    assert!(brief.contains("Edits the reviewer undid"), "{brief}");
    assert!(brief.contains("+line three"), "{brief}");

    lp.ok(&["redo"]);
    assert_eq!(lp.read("big.txt"), edited.as_bytes());
    let nothing = lp.run(&["redo"]);
    assert!(text(&nothing.stderr).contains("nothing to redo"));

    // The whole file, and a redo refused once the file changed after the undo.
    lp.ok(&["undo", "worktree", "big.txt", "--yes"]);
    assert_eq!(lp.read("big.txt"), base.as_bytes());
    lp.repo.write("big.txt", "rewritten\n");
    let refused = lp.run(&["redo"]);
    assert!(
        text(&refused.stderr).contains("changed since the undo"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(lp.read("big.txt"), b"rewritten\n");

    // History cannot be undone.
    let history = lp.run(&["undo", "HEAD", "big.txt", "--yes"]);
    assert!(text(&history.stderr).contains("only the working tree's changes can be undone"));
}

#[test]
fn a_human_reply_withdraws_the_agents_claim_and_only_a_person_resolves() {
    let lp = Loop::new();
    lp.repo
        .write("src/cart.py", "def total(items):\n    return 0\n");
    let id = note_line(&lp, "worktree", "src/cart.py:2", "Sum the items.");
    lp.ok(&["note", "send", "worktree", &id[..8]]);
    lp.ok(&["note", "claim", &id[..8], "Summed them", "--agent", "codex"]);
    let notes = lp.json(&["notes", "worktree", "--format", "json"]);
    let thread = &notes["threads"][0]["thread"];
    assert_eq!(thread["handoff"]["claim"]["by"], "codex");
    assert_eq!(thread["handoff"]["claim"]["message"], "Summed them");
    assert_eq!(thread["resolved"], false);

    lp.ok(&["note", "reply", "worktree", &id[..8], "It still returns 0."]);
    let notes = lp.json(&["notes", "worktree", "--format", "json"]);
    assert!(notes["threads"][0]["thread"]["handoff"]["claim"].is_null());
    assert_eq!(notes["threads"][0]["thread"]["resolved"], false);
}

#[test]
fn a_scripted_agent_addresses_notes_over_mcp_and_the_reviewer_confirms() {
    let lp = Loop::new();
    // Turn 1 of the agent: it writes code; the hook records the turn.
    lp.repo.write(
        "src/cart.py",
        "def total(items):\n    return 0\n\n\ndef tax(x):\n    return x * 0.2\n",
    );
    let stop = serde_json::json!({"session_id": "sess", "cwd": lp.repo.path(), "last_assistant_message": "Wrote total."}).to_string();
    assert_eq!(
        ok(&lp.run_with(&["hook", "claude-code", "stop"], &stop)),
        ""
    );
    // The reviewer writes a must-fix note and sends it.
    let id = note_line(
        &lp,
        "worktree",
        "src/cart.py:2",
        "Sum the items, use:     return sum(items)",
    );
    lp.ok(&["note", "send", "worktree"]);

    // Turn 2: the scripted agent connects over MCP, edits and claims.
    // `timeout` bounds a hang (a server that never answers) to a failure, not a stuck CI.
    let agent = Command::new("timeout")
        .args(["120", "python3"])
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/agent/fake_agent.py"
        ))
        .arg(lp.repo.path())
        .arg(env!("CARGO_BIN_EXE_redline"))
        .env("REDLINE_DATA_DIR", lp.data.path())
        .env("HOME", lp.home.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_str(&ok(&agent)).unwrap();
    assert_eq!(report["addressed"], 1);
    assert_eq!(report["protocol"], "2025-06-18");
    assert_eq!(
        lp.read("src/cart.py"),
        b"def total(items):\n    return sum(items)\n\n\ndef tax(x):\n    return x * 0.2\n"
    );

    // The Stop hook marks the boundary; nothing new to hand back.
    assert_eq!(
        ok(&lp.run_with(&["hook", "claude-code", "stop"], &stop)),
        ""
    );
    let review = lp.json(&["review", "turn", "--format", "json"]);
    assert_eq!(paths(&review), ["src/cart.py"]);
    assert_eq!(review["stats"]["additions"], 1);
    assert_eq!(review["stats"]["deletions"], 1);
    let turns = lp.json(&["turns", "--format", "json"]);
    assert_eq!(turns[0]["turns"][1]["claimed"], serde_json::json!([id]));

    // The claim, with its evidence: the one line the note was on was rewritten, so the note
    // is outdated there (the code it was written on is gone).
    let notes = lp.json(&["notes", "worktree", "--format", "json"]);
    let placed = &notes["threads"][0];
    assert_eq!(placed["thread"]["handoff"]["claim"]["by"], "fake-agent");
    assert_eq!(placed["placement"]["state"], "outdated");
    // Only the reviewer resolves.
    lp.ok(&["note", "resolve", "worktree", &id]);
    let notes = lp.json(&["notes", "worktree", "--format", "json"]);
    assert_eq!(notes["threads"][0]["thread"]["resolved"], true);
}

mod mcp {
    use super::*;
    use rmcp::model::{
        CallToolRequestParams, ClientCapabilities, ClientConfig, Implementation, ProtocolVersion,
    };
    use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
    use rmcp::ServiceExt;

    async fn conversation(version: Option<ProtocolVersion>, expected: ProtocolVersion) {
        let lp = Loop::new();
        lp.repo
            .write("src/cart.py", "def total(items):\n    return 0\n");
        let id = note_line(&lp, "worktree", "src/cart.py:2", "Sum the items.");
        lp.ok(&["note", "send", "worktree"]);

        let (repo, data, home) = (
            lp.repo.path(),
            lp.data.path().to_owned(),
            lp.home.path().to_owned(),
        );
        let command = tokio::process::Command::new(env!("CARGO_BIN_EXE_redline")).configure(|c| {
            c.args(["mcp", "-C"])
                .arg(&repo)
                .env("REDLINE_DATA_DIR", &data)
                .env("HOME", &home);
        });
        let transport = TokioChildProcess::new(command).unwrap();
        let mut config = ClientConfig::new(
            ClientCapabilities::default(),
            Implementation::new("conformance-client", "0.0.1"),
        );
        if let Some(version) = version {
            config = config.with_protocol_version(version);
        }
        let client = config.serve(transport).await.unwrap();
        let info = client.peer_info().unwrap();
        assert_eq!(info.protocol_version, expected);
        assert_eq!(info.server_info.as_ref().unwrap().name, "redline");

        let mut names: Vec<String> = client
            .list_all_tools()
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.name.to_string())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "claim_addressed",
                "get_note_context",
                "list_review_notes",
                "reply_to_note"
            ]
        );

        let listed = client
            .call_tool(CallToolRequestParams::new("list_review_notes"))
            .await
            .unwrap();
        let brief: Value =
            serde_json::from_str(&listed.content[0].as_text().unwrap().text).unwrap();
        assert_eq!(brief["notes"][0]["id"], id);
        assert_eq!(brief["notes"][0]["body"], "Sum the items.");
        assert_eq!(brief["notes"][0]["path"], "src/cart.py");
        // Asking again gives the open notes again (the Stop hook, by contrast, hands each once).
        let again = client
            .call_tool(CallToolRequestParams::new("list_review_notes"))
            .await
            .unwrap();
        let again: Value = serde_json::from_str(&again.content[0].as_text().unwrap().text).unwrap();
        assert_eq!(again["notes"][0]["id"], id);

        let args = serde_json::json!({"id": &id[..10], "message": "Will do"});
        let claimed = client
            .call_tool(
                CallToolRequestParams::new("claim_addressed")
                    .with_arguments(args.as_object().unwrap().clone()),
            )
            .await
            .unwrap();
        assert_ne!(claimed.is_error, Some(true));
        // A bad id is a tool error the agent can read, not a protocol failure.
        let args = serde_json::json!({"id": "nope", "body": "?"});
        let failed = client
            .call_tool(
                CallToolRequestParams::new("reply_to_note")
                    .with_arguments(args.as_object().unwrap().clone()),
            )
            .await
            .unwrap();
        assert_eq!(failed.is_error, Some(true));
        assert!(failed.content[0]
            .as_text()
            .unwrap()
            .text
            .contains("no note nope"));
        client.cancel().await.unwrap();

        let notes = lp.json(&["notes", "worktree", "--format", "json"]);
        assert_eq!(
            notes["threads"][0]["thread"]["handoff"]["claim"]["by"],
            "conformance-client"
        );
    }

    /// A conversation that never ends is a failure, not a stuck CI.
    async fn bounded(version: Option<ProtocolVersion>, expected: ProtocolVersion) {
        tokio::time::timeout(
            std::time::Duration::from_secs(120),
            conversation(version, expected),
        )
        .await
        .expect("the MCP conversation did not finish within 120 s");
    }

    #[tokio::test]
    async fn a_client_of_protocol_2025_06_18_is_answered_in_it() {
        bounded(
            Some(ProtocolVersion::V_2025_06_18),
            ProtocolVersion::V_2025_06_18,
        )
        .await;
    }

    #[tokio::test]
    async fn a_client_of_the_current_revision_is_answered() {
        // The current client announces the newest revision; the server answers with the newest
        // one that has the initialize handshake.
        bounded(None, ProtocolVersion::V_2025_11_25).await;
    }
}

#[test]
fn the_watcher_infers_turns_only_without_a_working_hook_and_a_commit_ends_a_turn() {
    use redline::agent::snapshot::Boundary;
    use redline::review::{commit_boundary, inferred_boundary};
    let lp = Loop::new();
    let path = lp.repo.path();
    // Nothing uncommitted and no session: no agent at work, nothing inferred.
    assert_eq!(inferred_boundary(&path).unwrap(), None);

    lp.repo.write("README.md", "# Shop\n\nedited\n");
    let turn = inferred_boundary(&path).unwrap().unwrap().turn.unwrap();
    assert_eq!(turn.boundary, Boundary::Inferred);
    assert!(turn.session.starts_with("watch-"), "{}", turn.session);
    // Quiet again without a change: no new turn.
    assert_eq!(inferred_boundary(&path).unwrap(), None);

    // The agent commits: a turn with the commit boundary, once.
    lp.repo
        .write("src/cart.py", "def total(items):\n    return sum(items)\n");
    lp.repo.commit("Agent commit");
    let turn = commit_boundary(&path).unwrap().unwrap().turn.unwrap();
    assert_eq!((turn.boundary, turn.seq), (Boundary::Commit, 2));
    assert_eq!(commit_boundary(&path).unwrap(), None);

    // Once the agent's hook reports turns, none are inferred beside it.
    lp.repo.write("README.md", "# Shop\n\nedited again\n");
    let stop = serde_json::json!({"session_id": "hooked", "cwd": path}).to_string();
    ok(&lp.run_with(&["hook", "claude-code", "stop"], &stop));
    lp.repo.write("README.md", "# Shop\n\nand again\n");
    assert_eq!(inferred_boundary(&path).unwrap(), None);
}

#[test]
fn since_my_last_review_shows_only_what_changed_after_the_last_viewed_mark() {
    let lp = Loop::new();
    let refused = lp.run(&["interdiff", "--since-review"]);
    assert!(
        text(&refused.stderr).contains("nothing of worktree was marked viewed yet"),
        "{}",
        text(&refused.stderr)
    );
    lp.repo.write(
        "src/cart.py",
        "def total(items):\n    return sum(items) + 1\n\n\ndef tax(x):\n    return x * 0.2\n",
    );
    lp.ok(&["viewed", "worktree", "src/cart.py"]);
    lp.repo.write("README.md", "# Shop\n\nafter the review\n");
    let since = lp.json(&["interdiff", "--since-review", "--format", "json"]);
    assert_eq!(paths(&since), ["README.md"]);
    assert_eq!(since["stats"]["additions"], 2);
}

#[test]
fn concurrent_agents_share_the_store_and_the_snapshot_refs_safely() {
    let lp = Loop::new();
    let lines: String = (1..=8).map(|n| format!("value_{n} = {n}\n")).collect();
    lp.repo.write("src/values.py", &lines).commit("Values");
    lp.repo
        .write("src/values.py", lines.replace(" = ", " = 10 * "));
    let ids: Vec<String> = (1..=6)
        .map(|n| {
            note_line(
                &lp,
                "worktree",
                &format!("src/values.py:{n}"),
                &format!("Why times ten on {n}?"),
            )
        })
        .collect();
    lp.ok(&["note", "send", "worktree"]);

    // Six agents claim at once, and six Stop hooks of one session fire at once.
    let claims: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| {
            Command::new(env!("CARGO_BIN_EXE_redline"))
                .args(["note", "claim", id, "Done", "--agent"])
                .arg(format!("agent-{n}"))
                .current_dir(lp.repo.path())
                .env("REDLINE_DATA_DIR", lp.data.path())
                .env_remove("RUST_LOG")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let snapshots: Vec<_> = (0..6)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_redline"))
                .args(["snapshot", "--session", "same"])
                .current_dir(lp.repo.path())
                .env("REDLINE_DATA_DIR", lp.data.path())
                .env_remove("RUST_LOG")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in claims.into_iter().chain(snapshots) {
        ok(&child.wait_with_output().unwrap());
    }

    let notes = lp.json(&["notes", "worktree", "--format", "json"]);
    let mut claimed: Vec<String> = notes["threads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            t["thread"]["handoff"]["claim"]["by"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    claimed.sort();
    assert_eq!(
        claimed,
        (0..6).map(|n| format!("agent-{n}")).collect::<Vec<_>>()
    );
    // One working tree, one turn: the racing hooks agreed on it.
    let refs = lp.repo.git(&[
        "for-each-ref",
        "--format=%(refname)",
        "refs/redline/snapshots/",
    ]);
    assert_eq!(refs, "refs/redline/snapshots/same/1\n");
}

#[test]
fn notes_for_agent_wait_blocks_until_the_reviewer_sends() {
    let lp = Loop::new();
    lp.repo
        .write("src/cart.py", "def total(items):\n    return 0\n");
    let id = note_line(&lp, "worktree", "src/cart.py:2", "Sum the items.");
    // Nothing sent: the wait ends at its timeout, saying so.
    let idle = lp.run(&["notes", "--for-agent", "--wait", "--timeout", "1"]);
    assert_eq!(ok(&idle), "No notes were sent to the agent.\n");

    let waiter = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args([
            "notes",
            "--for-agent",
            "--wait",
            "--timeout",
            "60",
            "--format",
            "json",
        ])
        .current_dir(lp.repo.path())
        .env("REDLINE_DATA_DIR", lp.data.path())
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    lp.ok(&["note", "send", "worktree"]);
    let brief: Value = serde_json::from_str(&ok(&waiter.wait_with_output().unwrap())).unwrap();
    assert_eq!(brief["notes"][0]["id"], id);
    assert_eq!(brief["notes"][0]["kind"], "mustFix");
    // Handed over once.
    let after = lp.run(&["notes", "--for-agent", "--format", "json"]);
    let after: Value = serde_json::from_str(&ok(&after)).unwrap();
    assert_eq!(after["notes"], serde_json::json!([]));
}

#[test]
fn a_claim_on_a_turns_note_is_weighed_against_the_working_tree() {
    let lp = Loop::new();
    lp.repo.write(
        "src/cart.py",
        "def total(items):\n    return 0\n\n\ndef tax(x):\n    return x * 0.2\n",
    );
    lp.ok(&["snapshot", "--session", "s"]);
    // The reviewer reads turn 1 and writes the note there.
    let id = note_line(&lp, "turn:1@s", "src/cart.py:2", "Sum the items.");
    lp.ok(&["note", "send", "turn:1@s"]);
    lp.ok(&["note", "claim", &id, "Claimed without a change"]);
    let notes = lp.json(&["notes", "turn:1@s", "--format", "json"]);
    let placed = &notes["threads"][0];
    assert_eq!(placed["placement"]["state"], "current");
    assert_eq!(placed["evidence"]["state"], "current");

    // The agent does change the line: the turn's own content still holds the old line, the
    // evidence says the working tree no longer does.
    lp.repo.write(
        "src/cart.py",
        "def total(items):\n    return sum(items)\n\n\ndef tax(x):\n    return x * 0.2\n",
    );
    lp.ok(&["note", "claim", &id, "Summed them"]);
    let notes = lp.json(&["notes", "turn:1@s", "--format", "json"]);
    let placed = &notes["threads"][0];
    assert_eq!(placed["placement"]["state"], "current");
    assert_eq!(placed["evidence"]["state"], "outdated");
    assert_eq!(
        placed["thread"]["handoff"]["claim"]["message"],
        "Summed them"
    );
}

#[test]
fn the_stop_hook_does_not_wait_for_the_agent_to_close_its_input() {
    let lp = Loop::new();
    lp.repo.write("README.md", "# Shop\n\nedited\n");
    let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(["hook", "claude-code", "stop"])
        .current_dir(lp.repo.path())
        .env("REDLINE_DATA_DIR", lp.data.path())
        .env("HOME", lp.home.path())
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let json = serde_json::json!({"session_id": "open-pipe", "cwd": lp.repo.path()}).to_string();
    input.write_all(json.as_bytes()).unwrap();
    input.flush().unwrap();
    // The pipe stays open: the hook must finish on its own.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the hook waited for the end of its input"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    drop(input);
    assert!(status.success());
    let turns = lp.json(&["turns", "--format", "json"]);
    assert_eq!(turns[0]["session"], "open-pipe");
}
