//! The target list's history and the uncommitted changes, on real repositories: whether
//! uncommitted changes are an agent's (a running agent process, a recorded session, a hook)
//! or a person's; a commit's details; older commits page by page; branches with nothing of
//! their own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use redline::agent::hooks::{self, HookAgent};
use redline::agent::snapshot::{Boundary, SnapshotRequest};
use redline::provenance::{agent_processes, EvidenceKind};
use redline::repo::{Target, RECENT_COMMITS};
use redline::review::{self, AgentEvidence};
use support::TestRepo;

/// A repository with one commit and an uncommitted edit.
fn edited_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("src/lib.rs", "pub fn one() -> u32 { 1 }\n")
        .commit("Add one");
    repo.write("src/lib.rs", "pub fn one() -> u32 { 2 }\n");
    repo
}

/// A process named `name` (a copy of `sleep`) running with its working directory at `dir`,
/// killed on drop.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run_named(name: &str, dir: &Path, bin: &Path) -> Running {
    let program = bin.join(name);
    std::fs::copy("/bin/sleep", &program).unwrap();
    // Another test's process, forked while the copy was open for writing, may still hold it
    // open for a moment: exec then fails with "text file busy" until that process execs.
    let mut tries = 0;
    let child = loop {
        match Command::new(&program).arg("600").current_dir(dir).spawn() {
            Err(error) if error.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 100 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
            spawned => break spawned.unwrap(),
        }
    };
    // The kernel shows the new program's arguments once exec is done.
    let cmdline = format!("/proc/{}/cmdline", child.id());
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read(&cmdline)
        .map(|bytes| bytes.starts_with(program.as_os_str().as_encoded_bytes()))
        .unwrap_or(false)
    {
        assert!(Instant::now() < deadline, "{name} never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    Running(child)
}

fn evidence_in(repo: &TestRepo, home: &Path) -> review::UncommittedEvidence {
    review::uncommitted_evidence_with(&repo.path(), Some(home), &agent_processes().unwrap())
        .unwrap()
}

#[test]
fn a_persons_edit_with_no_agent_anywhere_is_only_uncommitted() {
    let repo = edited_repo();
    let home = tempfile::tempdir().unwrap();
    let evidence = evidence_in(&repo, home.path());
    assert!(!evidence.agent);
    assert!(evidence.agents.is_empty());
    assert_eq!(evidence.evidence, Vec::new());
}

#[test]
fn an_agent_running_in_the_repository_is_evidence_with_its_pid() {
    let repo = edited_repo();
    let home = tempfile::tempdir().unwrap();
    let bin = tempfile::tempdir().unwrap();
    // Its working directory is a subdirectory: still inside the repository.
    let claude = run_named("claude", &repo.path().join("src"), bin.path());
    let evidence = evidence_in(&repo, home.path());
    assert!(evidence.agent);
    assert_eq!(evidence.agents, vec!["Claude Code".to_owned()]);
    assert_eq!(
        evidence.evidence,
        vec![AgentEvidence::Process {
            agent: "Claude Code".into(),
            command: "claude".into(),
            pid: claude.0.id(),
        }]
    );
}

#[test]
fn an_agent_running_elsewhere_or_a_process_of_another_name_is_no_evidence() {
    let repo = edited_repo();
    let elsewhere = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let bin = tempfile::tempdir().unwrap();
    let _away = run_named("claude", elsewhere.path(), bin.path());
    let _editor = run_named("vim", &repo.path(), bin.path());
    let evidence = evidence_in(&repo, home.path());
    assert!(!evidence.agent, "{evidence:?}");
    assert_eq!(evidence.evidence, Vec::new());
}

#[test]
fn a_session_recorded_on_the_current_head_is_evidence_and_an_older_one_is_not() {
    let repo = edited_repo();
    let home = tempfile::tempdir().unwrap();
    let outcome = review::snapshot(
        &repo.path(),
        &SnapshotRequest {
            session: "s1".into(),
            boundary: Boundary::Hook,
            agent: Some("claude-code".into()),
            message: None,
        },
    )
    .unwrap();
    let turn = outcome.turn.unwrap();
    let evidence = evidence_in(&repo, home.path());
    assert!(evidence.agent);
    assert_eq!(evidence.agents, vec!["Claude Code".to_owned()]);
    assert_eq!(
        evidence.evidence,
        vec![AgentEvidence::Session {
            session: "s1".into(),
            agent: Some("claude-code".into()),
            turn: 1,
            at: turn.taken_at,
        }]
    );

    // The session's work was committed; a person edits on top of that commit.
    repo.commit("Take the agent's change");
    repo.write("src/lib.rs", "pub fn one() -> u32 { 3 }\n");
    let evidence = evidence_in(&repo, home.path());
    assert!(!evidence.agent, "{evidence:?}");
    assert_eq!(evidence.evidence, Vec::new());
}

#[test]
fn a_turn_the_window_inferred_from_a_quiet_working_tree_is_no_evidence() {
    // The window records a turn after any quiet period, a person's edits included.
    let repo = edited_repo();
    let home = tempfile::tempdir().unwrap();
    let outcome = review::inferred_boundary(&repo.path()).unwrap();
    assert!(outcome.is_some(), "an inferred turn was recorded");
    let evidence = evidence_in(&repo, home.path());
    assert!(!evidence.agent, "{evidence:?}");
    assert_eq!(evidence.evidence, Vec::new());
}

#[test]
fn a_hook_in_the_repository_decides_and_one_in_the_users_settings_is_only_listed() {
    let repo = edited_repo();
    let home = tempfile::tempdir().unwrap();
    let command = "/usr/bin/redline hook claude-code stop";
    hooks::install(HookAgent::ClaudeCode, home.path(), command).unwrap();
    let evidence = evidence_in(&repo, home.path());
    assert!(!evidence.agent, "a user-wide hook alone does not decide");
    assert!(evidence.agents.is_empty());
    assert_eq!(
        evidence.evidence,
        vec![AgentEvidence::Hook {
            agent: "claude-code".into(),
            path: home
                .path()
                .join(".claude/settings.json")
                .display()
                .to_string(),
            repository: false,
        }]
    );

    hooks::install(HookAgent::ClaudeCode, &repo.path(), command).unwrap();
    let evidence = evidence_in(&repo, home.path());
    assert!(evidence.agent);
    assert_eq!(evidence.agents, vec!["Claude Code".to_owned()]);
    assert!(matches!(
        evidence.evidence.first(),
        Some(AgentEvidence::Hook {
            repository: true,
            ..
        })
    ));
}

#[test]
fn a_commits_details_hold_its_whole_message_people_parents_and_provenance() {
    let repo = TestRepo::new();
    repo.write("a.txt", "a\n").commit("First");
    let parent = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.write("a.txt", "b\n");
    repo.git(&["add", "-A"]);
    let mut commit = support::git_command();
    commit
        .args([
            "commit",
            "-q",
            "-m",
            "Retry failed uploads\n\nThe queue now retries three times.\n\nCo-authored-by: Claude <noreply@anthropic.com>",
        ])
        .env("GIT_AUTHOR_NAME", "Dana Smith")
        .env("GIT_AUTHOR_EMAIL", "dana@example.com")
        .env("GIT_AUTHOR_DATE", "2024-05-01T10:00:00+02:00")
        .env("GIT_COMMITTER_NAME", "Lee Chan")
        .env("GIT_COMMITTER_EMAIL", "lee@example.com")
        .env("GIT_COMMITTER_DATE", "2024-05-02T09:30:00-05:00")
        .current_dir(repo.path());
    assert!(commit.status().unwrap().success());
    let id = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();

    let details = review::commit_details(&repo.path(), "HEAD").unwrap();
    assert_eq!(details.id, id);
    assert_eq!(details.short_id, id[..7]);
    assert_eq!(
        details.message,
        "Retry failed uploads\n\nThe queue now retries three times.\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
    );
    assert_eq!(details.author.name, "Dana Smith");
    assert_eq!(details.author.email, "dana@example.com");
    assert_eq!(details.author.time, 1_714_550_400);
    assert_eq!(details.author.offset_minutes, 120);
    assert_eq!(details.committer.name, "Lee Chan");
    assert_eq!(details.committer.offset_minutes, -300);
    assert_eq!(details.committer.time, 1_714_660_200);
    assert_eq!(details.parents, vec![parent.clone()]);
    let attribution = details.provenance.attribution.unwrap();
    assert_eq!(attribution.agent, "Claude Code");
    assert_eq!(attribution.evidence[0].kind, EvidenceKind::Trailer);

    let first = review::commit_details(&repo.path(), &parent).unwrap();
    assert!(first.parents.is_empty());
    assert_eq!(first.provenance.attribution, None);
    assert_eq!(first.message, "First\n");
}

#[test]
fn a_commit_that_does_not_exist_has_no_details_and_says_so() {
    let repo = TestRepo::new();
    repo.write("a.txt", "a\n").commit("First");
    let error = review::commit_details(&repo.path(), "no-such-ref").unwrap_err();
    assert_eq!(
        redline::error::ErrorReport::from(&error).kind,
        redline::error::ErrorKind::UnknownRevision
    );
}

#[test]
fn older_commits_come_page_by_page_after_the_last_one_listed() {
    let repo = TestRepo::new();
    let total = RECENT_COMMITS * 2 + 5;
    for n in 0..total {
        repo.write("n.txt", format!("{n}\n"))
            .commit(&format!("Commit {n}"));
    }
    let list = review::targets(&repo.path()).unwrap();
    assert!(list.older_commits);
    let listed: Vec<_> = list
        .targets
        .iter()
        .filter(|t| matches!(t.target, Target::Commit { .. }))
        .collect();
    assert_eq!(listed.len(), RECENT_COMMITS);
    let oldest = listed.last().unwrap();
    assert_eq!(oldest.title, format!("Commit {}", total - RECENT_COMMITS));

    let page = review::older_commits(&repo.path(), oldest.commit.as_deref().unwrap()).unwrap();
    assert!(page.more);
    let titles: Vec<String> = page.targets.iter().map(|t| t.title.clone()).collect();
    let expected: Vec<String> = (5..total - RECENT_COMMITS)
        .rev()
        .map(|n| format!("Commit {n}"))
        .collect();
    assert_eq!(titles, expected);
    // Each entry opens as its short id, as the first page's do.
    let git_log = repo.git(&["log", "--format=%h", "--abbrev=7", "--skip=30", "-n1"]);
    assert_eq!(page.targets[0].spec, git_log.trim());

    let last = page.targets.last().unwrap().commit.clone().unwrap();
    let page = review::older_commits(&repo.path(), &last).unwrap();
    assert!(!page.more);
    let titles: Vec<String> = page.targets.iter().map(|t| t.title.clone()).collect();
    assert_eq!(
        titles,
        ["Commit 4", "Commit 3", "Commit 2", "Commit 1", "Commit 0"]
    );
}

#[test]
fn a_short_history_has_no_older_commits_and_a_commit_not_in_it_is_refused() {
    let repo = TestRepo::new();
    for n in 0..RECENT_COMMITS {
        repo.write("n.txt", format!("{n}\n"))
            .commit(&format!("Commit {n}"));
    }
    assert!(!review::targets(&repo.path()).unwrap().older_commits);
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("side.txt", "x\n").commit("Side");
    let side = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.git(&["checkout", "-q", "main"]);
    let error = review::older_commits(&repo.path(), &side).unwrap_err();
    assert!(
        error.to_string().contains("not in HEAD's history"),
        "{error}"
    );
    let error = review::older_commits(&repo.path(), "HEAD").unwrap_err();
    assert!(error.to_string().contains("full commit id"), "{error}");
}

#[test]
fn a_branch_with_no_commits_of_its_own_is_up_to_date_with_the_default_branch() {
    let repo = TestRepo::new();
    repo.write("a.txt", "a\n").commit("First");
    repo.git(&["branch", "old-feature"]);
    repo.write("a.txt", "b\n").commit("Second");
    repo.git(&["checkout", "-q", "-b", "agent/fix"]);
    repo.write("a.txt", "c\n").commit("Fix");
    repo.git(&["checkout", "-q", "main"]);
    let list = review::targets(&repo.path()).unwrap();
    let old = list
        .targets
        .iter()
        .find(|t| t.spec == "branch:old-feature")
        .unwrap();
    assert_eq!(old.detail, "up to date with main");
    assert_eq!(old.up_to_date_with.as_deref(), Some("main"));
    let tip = repo.git(&["rev-parse", "old-feature"]).trim().to_owned();
    assert_eq!(old.commit.as_deref(), Some(tip.as_str()));
    // Its review is empty, and its own last commit is there to open instead.
    let review = review::open(&repo.path(), Some(&old.target)).unwrap();
    assert!(review.files.is_empty());
    let fix = list
        .targets
        .iter()
        .find(|t| t.spec == "branch:agent/fix")
        .unwrap();
    assert_eq!(fix.detail, "1 commit ahead of main");
    assert_eq!(fix.up_to_date_with, None);
}
