//! AI provenance on real repositories: each agent family's signature is detected with the
//! exact evidence, dependency bots are labelled apart, prose mentions are not evidence, notes
//! of provenance tools win over blame, and blame stays inside the range.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use pretty_assertions::assert_eq;
use redline::provenance::{AgentKind, EvidenceKind, SignatureTable};
use redline::repo::Target;
use redline::review::{self, HunkAuthorship, ProvenanceReport};
use support::{text, TestRepo};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/provenance");

fn table() -> SignatureTable {
    SignatureTable::built_in().unwrap()
}

/// Commits everything with the given author, committer and message.
fn commit_as(repo: &TestRepo, author: &str, committer: (&str, &str), message: &str) {
    repo.git(&["add", "-A"]);
    repo.git(&[
        "-c",
        &format!("user.name={}", committer.0),
        "-c",
        &format!("user.email={}", committer.1),
        "commit",
        "-q",
        "--allow-empty",
        "--author",
        author,
        "-m",
        message,
    ]);
}

/// A repository with one human commit, then one commit by `author` with `message`.
fn one_commit(author: &str, committer: (&str, &str), message: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write("README.md", "hello\n").commit("Initial commit");
    repo.write("src/lib.rs", "pub fn f() {}\n");
    commit_as(&repo, author, committer, message);
    repo
}

fn head_report(repo: &TestRepo) -> ProvenanceReport {
    let target = Target::parse("HEAD").unwrap();
    review::provenance_with(&repo.path(), Some(&target), &table()).unwrap()
}

/// `(agent id, kind, [(evidence kind, text)])` of a commit.
type Attribution = (String, AgentKind, Vec<(EvidenceKind, String)>);

/// The attribution of the HEAD commit.
fn head_attribution(repo: &TestRepo) -> Option<Attribution> {
    let report = head_report(repo);
    assert_eq!(report.commits.len(), 1);
    report.commits[0].attribution.as_ref().map(|a| {
        (
            a.agent_id.clone(),
            a.kind,
            a.evidence
                .iter()
                .map(|e| (e.kind, e.text.clone()))
                .collect(),
        )
    })
}

const HUMAN: (&str, &str) = ("Test Human", "human@example.com");
const HUMAN_AUTHOR: &str = "Test Human <human@example.com>";

#[test]
fn claude_code_trailer_and_footer() {
    let repo = one_commit(
        HUMAN_AUTHOR,
        HUMAN,
        "Add f\n\nBody.\n\n\u{1f916} Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>",
    );
    assert_eq!(
        head_attribution(&repo),
        Some((
            "claude-code".into(),
            AgentKind::CodingAgent,
            vec![
                (
                    EvidenceKind::Trailer,
                    "Co-Authored-By: Claude <noreply@anthropic.com>".into()
                ),
                (
                    EvidenceKind::Footer,
                    "\u{1f916} Generated with [Claude Code](https://claude.com/claude-code)".into()
                ),
            ]
        ))
    );
}

#[test]
fn claude_code_github_action_bot_author() {
    let bot = "claude[bot] <209825114+claude[bot]@users.noreply.github.com>";
    let repo = one_commit(bot, HUMAN, "Fix the parser");
    let (id, _, evidence) = head_attribution(&repo).unwrap();
    assert_eq!(id, "claude-code");
    assert_eq!(evidence, [(EvidenceKind::Author, bot.to_owned())]);
}

#[test]
fn copilot_coding_agent_is_author_and_committer() {
    let who = (
        "copilot-swe-agent[bot]",
        "198982749+Copilot@users.noreply.github.com",
    );
    let repo = one_commit(
        "copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>",
        who,
        "Handle negative amounts\n\nCo-authored-by: Tom Okafor <tom@shopfront.dev>",
    );
    let text = "copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>".to_owned();
    assert_eq!(
        head_attribution(&repo),
        Some((
            "github-copilot".into(),
            AgentKind::CodingAgent,
            vec![
                (EvidenceKind::Author, text.clone()),
                (EvidenceKind::Committer, text)
            ]
        ))
    );
}

#[test]
fn cursor_agent_trailer() {
    let repo = one_commit(
        HUMAN_AUTHOR,
        HUMAN,
        "Show savings\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>",
    );
    let (id, _, evidence) = head_attribution(&repo).unwrap();
    assert_eq!(id, "cursor");
    assert_eq!(
        evidence,
        [(
            EvidenceKind::Trailer,
            "Co-authored-by: Cursor Agent <cursoragent@cursor.com>".to_owned()
        )]
    );
}

#[test]
fn openai_codex_trailer() {
    let repo = one_commit(
        HUMAN_AUTHOR,
        HUMAN,
        "Add tiers\n\nCo-authored-by: Codex <noreply@openai.com>",
    );
    let (id, _, evidence) = head_attribution(&repo).unwrap();
    assert_eq!(id, "openai-codex");
    assert_eq!(evidence[0].0, EvidenceKind::Trailer);
}

#[test]
fn google_jules_bot_author_only() {
    let repo = one_commit(
        "google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>",
        HUMAN,
        "Fix flaky test",
    );
    let (id, _, evidence) = head_attribution(&repo).unwrap();
    assert_eq!(id, "jules");
    assert_eq!(
        evidence,
        [(
            EvidenceKind::Author,
            "google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>"
                .to_owned()
        )]
    );
}

#[test]
fn devin_bot_as_committer_only() {
    let devin = (
        "devin-ai-integration[bot]",
        "158243242+devin-ai-integration[bot]@users.noreply.github.com",
    );
    let repo = one_commit(HUMAN_AUTHOR, devin, "Add report script");
    let (id, _, evidence) = head_attribution(&repo).unwrap();
    assert_eq!(id, "devin");
    assert_eq!(
        evidence,
        [(
            EvidenceKind::Committer,
            "devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>"
                .to_owned()
        )]
    );
}

#[test]
fn aider_name_suffix_and_co_author_with_model() {
    let repo = one_commit(
        "Tom Okafor (aider) <tom@shopfront.dev>",
        ("Tom Okafor (aider)", "tom@shopfront.dev"),
        "feat: Add low-stock alerts",
    );
    let (id, _, evidence) = head_attribution(&repo).unwrap();
    assert_eq!(id, "aider");
    assert_eq!(
        evidence,
        [(
            EvidenceKind::NameSuffix,
            "Tom Okafor (aider) <tom@shopfront.dev>".to_owned()
        )]
    );

    let repo = one_commit(
        HUMAN_AUTHOR,
        HUMAN,
        "Fix parser\n\nCo-authored-by: aider (anthropic/claude-sonnet-4) <aider@aider.chat>",
    );
    let report = head_report(&repo);
    let attribution = report.commits[0].attribution.as_ref().unwrap();
    assert_eq!(attribution.agent_id, "aider");
    assert_eq!(
        attribution.model.as_deref(),
        Some("anthropic/claude-sonnet-4")
    );
}

#[test]
fn amp_trailer_and_thread() {
    let repo = one_commit(
        HUMAN_AUTHOR,
        HUMAN,
        "Refactor\n\nAmp-Thread-ID: https://ampcode.com/threads/T-1234\nCo-authored-by: Amp <amp@ampcode.com>",
    );
    let (id, _, evidence) = head_attribution(&repo).unwrap();
    assert_eq!(id, "amp");
    assert_eq!(
        evidence,
        [
            (
                EvidenceKind::Trailer,
                "Co-authored-by: Amp <amp@ampcode.com>".to_owned()
            ),
            (
                EvidenceKind::Trailer,
                "Amp-Thread-ID: https://ampcode.com/threads/T-1234".to_owned()
            ),
        ]
    );
}

#[test]
fn dependency_bots_are_labelled_apart_from_coding_agents() {
    let dependabot = (
        "dependabot[bot]",
        "49699333+dependabot[bot]@users.noreply.github.com",
    );
    let repo = one_commit(
        "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
        dependabot,
        "Bump serde from 1.0.1 to 1.0.2",
    );
    let report = head_report(&repo);
    let a = report.commits[0].attribution.as_ref().unwrap();
    assert_eq!(
        (a.agent_id.as_str(), a.kind),
        ("dependabot", AgentKind::DependencyBot)
    );
    assert!(!a.is_ai());
    assert_eq!(report.commits[0].label(), "dependency bot (Dependabot)");
    assert_eq!((report.ai_commits, report.bot_commits), (0, 1));

    let repo = one_commit(
        "renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>",
        HUMAN,
        "chore(deps): update rust crate toml to v1",
    );
    let (id, kind, _) = head_attribution(&repo).unwrap();
    assert_eq!((id.as_str(), kind), ("renovate", AgentKind::DependencyBot));
}

#[test]
fn human_commits_naming_agents_in_prose_are_not_flagged() {
    for message in [
        "Revert formatting Claude suggested in review",
        "Fix cursor position after paste\n\nThe cursor jumped to the end.",
        "Disable Copilot in CI\n\nCopilot and Claude Code both suggested this; Cursor too.\nGenerated the table with a script, not with Claude Code.",
        "Update docs\n\nWe credit co-authors with Co-authored-by: Claude <noreply@anthropic.com> lines\nwhen an agent helped; see CONTRIBUTING.",
        "Co-authored-by: Claude <noreply@anthropic.com>",
    ] {
        let repo = one_commit(HUMAN_AUTHOR, HUMAN, message);
        assert_eq!(head_attribution(&repo), None, "{message:?}");
    }
    // A person named Claude is not Claude Code.
    let repo = one_commit(
        "Claude Monet <claude@giverny.fr>",
        ("Claude Monet", "claude@giverny.fr"),
        "Paint",
    );
    assert_eq!(head_attribution(&repo), None);
}

#[test]
fn user_config_adds_signatures() {
    let config = TestRepo::empty_dir();
    config.write(
        "redline/config.toml",
        "[[provenance.signature]]\nagent = \"Acme Agent\"\nkind = \"coding-agent\"\non = \"trailer\"\nkey = \"Acme-Run\"\n",
    );
    let table = SignatureTable::with_user_file(&config.path().join("redline/config.toml")).unwrap();
    assert_eq!(table.signatures.len(), table_len() + 1);

    let repo = one_commit(HUMAN_AUTHOR, HUMAN, "Generate client\n\nAcme-Run: 42");
    let report = review::provenance_with(&repo.path(), None, &table).unwrap();
    let a = report.commits[0].attribution.as_ref().unwrap();
    assert_eq!(a.agent_id, "acme-agent");
    assert_eq!(a.evidence[0].text, "Acme-Run: 42");

    // The CLI reads the same file from the OS config dir.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_redline"))
        .args([
            "provenance",
            "HEAD",
            "--repo",
            repo.path().to_str().unwrap(),
        ])
        .env("XDG_CONFIG_HOME", config.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Acme Agent"),
        "{}",
        text(&out.stdout)
    );
}

fn table_len() -> usize {
    table().signatures.len()
}

#[test]
fn malformed_user_config_names_the_file_and_line() {
    let config = TestRepo::empty_dir();
    config.write(
        "redline/config.toml",
        "[[provenance.signature]]\nagent = \"Acme\"\nkind = \"coding-agent\"\non = \"sidebar\"\nkey = \"X\"\n",
    );
    let path = config.path().join("redline/config.toml");
    let err = SignatureTable::with_user_file(&path).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("{}:4: ", path.display())),
        "{err}"
    );

    config.write(
        "redline/config.toml",
        "# mine\n[[provenance.signature]]\nagent = \"Acme\"\nkind = \"coding-agent\"\non = \"author\"\n",
    );
    let err = SignatureTable::with_user_file(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:2: signature for 'Acme': an identity signature needs 'email', 'email_domain', 'name' or 'name_suffix'",
            path.display()
        )
    );

    let repo = one_commit(HUMAN_AUTHOR, HUMAN, "x");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(["provenance", "--repo", repo.path().to_str().unwrap()])
        .env("XDG_CONFIG_HOME", config.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(
        text(&out.stderr),
        format!("error: {err}\n"),
        "one line naming the file and line"
    );
}

// ----- notes -------------------------------------------------------------------------------

const LIB_BEFORE: &str = "fn one() {}\n";
const LIB_AFTER: &str =
    "fn one() {}\nfn two() {}\nfn three() {}\n// Reviewed by hand on Tuesday; keep the order.\n";

/// The fixtures' history: `fn one` committed, then a commit (by `message`) writing lines 2–4,
/// with `note` attached under `notes_ref`.
fn noted_repo(message: &str, notes_ref: &str, fixture: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write("lib.rs", LIB_BEFORE).commit("Add one");
    repo.write("lib.rs", LIB_AFTER);
    if fixture == "agentnote.json" {
        repo.write("NOTES.md", "human notes\n");
    }
    repo.commit(message);
    let note = Path::new(FIXTURES).join(fixture);
    repo.git(&[
        "notes",
        &format!("--ref={notes_ref}"),
        "add",
        "-F",
        note.to_str().unwrap(),
        "HEAD",
    ]);
    repo
}

fn head_authorship(repo: &TestRepo) -> Vec<HunkAuthorship> {
    let target = Target::parse("HEAD").unwrap();
    let review = review::open(&repo.path(), Some(&target)).unwrap();
    review::authorship_with(&repo.path(), &review, &table()).unwrap()
}

/// Per added line of HEAD's `lib.rs` (lines 2–4), whether the line is AI-written, from the
/// hunk authorship counts of a one-hunk-per-line diff would be too coarse: read the counts.
fn lib_counts(authorship: &[HunkAuthorship]) -> (u32, u32) {
    let lib: Vec<&HunkAuthorship> = authorship.iter().filter(|h| h.path == "lib.rs").collect();
    assert_eq!(lib.len(), 1, "{authorship:?}");
    (lib[0].ai_lines, lib[0].human_lines)
}

#[test]
fn whogitit_note_written_by_the_real_tool_wins_over_blame() {
    // The commit carries no signature: blame alone would call all three lines human.
    let repo = noted_repo("Add functions", "refs/notes/whogitit", "whogitit.json");
    let report = head_report(&repo);
    let a = report.commits[0].attribution.as_ref().unwrap();
    assert_eq!(a.kind, AgentKind::CodingAgent);
    assert_eq!(a.model.as_deref(), Some("claude-opus-4-5-20251101"));
    assert_eq!(
        a.evidence[0].text,
        "refs/notes/whogitit 3 (anthropic, claude-opus-4-5-20251101)"
    );
    let authorship = head_authorship(&repo);
    assert_eq!(
        lib_counts(&authorship),
        (2, 1),
        "lines 2–3 AI, line 4 human"
    );
    assert!(authorship[0].from_note);
    assert_eq!(authorship[0].agents, ["anthropic"]);
}

#[test]
fn whogitit_note_overrules_a_commit_signature_for_human_lines() {
    let repo = noted_repo(
        "Add functions\n\nCo-Authored-By: Claude <noreply@anthropic.com>",
        "refs/notes/whogitit",
        "whogitit.json",
    );
    // The signature alone would make all three lines Claude's; the note says line 4 is human.
    assert_eq!(lib_counts(&head_authorship(&repo)), (2, 1));
    let report = head_report(&repo);
    let a = report.commits[0].attribution.as_ref().unwrap();
    assert_eq!(a.agent_id, "claude-code");
    let kinds: Vec<EvidenceKind> = a.evidence.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EvidenceKind::Trailer, EvidenceKind::Note]);
}

#[test]
fn agent_note_written_by_the_real_tool_marks_files() {
    let repo = noted_repo(
        "Add functions\n\nAgentnote-Session: 3f2a9c1e-1111-4222-8333-444455556666",
        "refs/notes/agentnote",
        "agentnote.json",
    );
    let report = head_report(&repo);
    let a = report.commits[0].attribution.as_ref().unwrap();
    assert_eq!(a.agent_id, "agent-note-session");
    assert_eq!(a.model.as_deref(), Some("claude-sonnet-4-20250514"));
    let authorship = head_authorship(&repo);
    let notes = authorship.iter().find(|h| h.path == "NOTES.md").unwrap();
    assert!(!notes.ai_written, "Agent Note says a human wrote NOTES.md");
    let lib = authorship.iter().find(|h| h.path == "lib.rs").unwrap();
    assert_eq!(
        (lib.ai_lines, lib.agents.clone()),
        (3, vec!["claude".to_owned()])
    );
    assert!(
        !lib.from_note,
        "Agent Note is file-level: blame decides the lines"
    );
}

#[test]
fn git_ai_note_from_the_published_spec_attributes_lines() {
    let repo = noted_repo("Add functions", "refs/notes/ai", "git-ai.txt");
    let authorship = head_authorship(&repo);
    assert_eq!(lib_counts(&authorship), (3, 0));
    assert_eq!(authorship[0].agents, ["claude", "cursor"]);
    let report = head_report(&repo);
    let a = report.commits[0].attribution.as_ref().unwrap();
    assert_eq!(
        (a.agent.as_str(), a.model.as_deref()),
        ("claude", Some("claude-sonnet-4"))
    );
}

#[test]
fn source_trace_note_from_the_published_format_attributes_lines() {
    let repo = noted_repo(
        "Add functions\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>",
        "refs/notes/srctrace/attribution",
        "srctrace.json",
    );
    let authorship = head_authorship(&repo);
    assert_eq!(lib_counts(&authorship), (2, 1), "operator wrote line 4");
    assert_eq!(authorship[0].agents, ["cursor"]);
}

#[test]
fn a_malformed_note_is_reported_not_fatal() {
    let repo = TestRepo::new();
    repo.write("a.txt", "a\n").commit("Add a");
    repo.git(&["notes", "--ref=whogitit", "add", "-m", "{not json", "HEAD"]);
    let report = head_report(&repo);
    assert_eq!(report.commits[0].attribution, None);
    assert_eq!(report.commits[0].note_errors.len(), 1);
    assert!(report.commits[0].note_errors[0].starts_with("whogitit note is malformed: "));
}

// ----- blame in range ------------------------------------------------------------------------

#[test]
fn blame_is_restricted_to_the_range() {
    let repo = TestRepo::new();
    repo.write("f.txt", "a\n").commit("Human writes a");
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.write("f.txt", "a\nb\nc\n");
    commit_as(
        &repo,
        HUMAN_AUTHOR,
        HUMAN,
        "Agent writes b and c\n\nCo-authored-by: Codex <noreply@openai.com>",
    );
    let agent = repo
        .git(&["rev-parse", "--short=7", "HEAD"])
        .trim()
        .to_owned();
    repo.write("f.txt", "a\nb\nc\nd\n").commit("Human writes d");
    let human = repo
        .git(&["rev-parse", "--short=7", "HEAD"])
        .trim()
        .to_owned();

    // The whole history: b and c are the agent's, d is the human's.
    let whole = Target::parse(&format!("{base}..HEAD")).unwrap();
    let review = review::open(&repo.path(), Some(&whole)).unwrap();
    let hunks = review::authorship_with(&repo.path(), &review, &table()).unwrap();
    assert_eq!(hunks.len(), 1);
    assert_eq!((hunks[0].ai_lines, hunks[0].human_lines), (2, 1));
    assert_eq!(hunks[0].commits, sorted(vec![agent.clone(), human.clone()]));
    assert!(hunks[0].ai_written);
    assert_eq!(hunks[0].agents, ["OpenAI Codex"]);

    // Only the last commit: b and c are older than the range, d is human.
    let last = Target::parse("HEAD").unwrap();
    let review = review::open(&repo.path(), Some(&last)).unwrap();
    let hunks = review::authorship_with(&repo.path(), &review, &table()).unwrap();
    assert_eq!((hunks[0].ai_lines, hunks[0].human_lines), (0, 1));
    assert_eq!(hunks[0].commits, [human]);
    assert!(!hunks[0].ai_written);

    let report = review::provenance_with(&repo.path(), Some(&whole), &table()).unwrap();
    assert_eq!(
        report.commits.len(),
        2,
        "the base commit is not in the range"
    );
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn deletion_only_hunks_take_the_range_commits_that_touched_the_file() {
    let repo = TestRepo::new();
    repo.write("f.txt", "a\nb\nc\nd\ne\nf\ng\nh\n")
        .commit("Human writes");
    repo.write("f.txt", "a\nb\nc\ne\nf\ng\nh\n");
    commit_as(
        &repo,
        "Tom Okafor (aider) <tom@x.dev>",
        ("Tom Okafor (aider)", "tom@x.dev"),
        "Remove d",
    );
    let hunks = head_authorship(&repo);
    assert_eq!(hunks.len(), 1);
    assert!(hunks[0].ai_written);
    assert_eq!(hunks[0].agents, ["Aider"]);
}

// ----- the demo repository -------------------------------------------------------------------

#[test]
fn demo_repository_attribution() {
    let demo = TestRepo::demo();
    let report = review::provenance_with(&demo.path(), None, &table()).unwrap();
    let rows: Vec<(String, String)> = report
        .commits
        .iter()
        .map(|c| (c.summary.clone(), c.label()))
        .collect();
    let expected: Vec<(String, String)> = [
        ("Revert formatting Claude suggested in review", "human"),
        ("feat: Add low-stock alerts to inventory", "Aider"),
        ("Remove legacy-totals.ts and add the shop logo", "human"),
        ("Add weekly sales report script (#21)", "Devin"),
        (
            "Rename format.ts to money.ts and handle negative amounts",
            "GitHub Copilot",
        ),
        ("Add percentage, fixed and tiered discounts", "Claude Code"),
        (
            "Add cart widget and price formatting to the web front end",
            "human",
        ),
        ("Set up shopfront crate with pricing and inventory", "human"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    assert_eq!(rows, expected);
    assert_eq!((report.ai_commits, report.bot_commits), (4, 0));

    let branch = Target::parse("branch:agent/bulk-discounts").unwrap();
    let report = review::provenance_with(&demo.path(), Some(&branch), &table()).unwrap();
    let labels: Vec<String> = report.commits.iter().map(|c| c.label()).collect();
    assert_eq!(labels, ["Cursor", "OpenAI Codex"]);

    // Every added line of the agent branch is AI-written.
    let review = review::open(&demo.path(), Some(&branch)).unwrap();
    let hunks = review::authorship_with(&demo.path(), &review, &table()).unwrap();
    assert!(!hunks.is_empty());
    assert!(
        hunks.iter().all(|h| h.ai_written && h.human_lines == 0),
        "{hunks:?}"
    );

    // The live session: uncommitted, every hunk an agent session change.
    let review = review::open(&demo.path(), Some(&Target::Worktree)).unwrap();
    let hunks = review::authorship_with(&demo.path(), &review, &table()).unwrap();
    assert!(
        hunks.iter().all(|h| h.ai_written && h.commits.is_empty()),
        "{hunks:?}"
    );
    let report = review::provenance_with(&demo.path(), Some(&Target::Worktree), &table()).unwrap();
    assert!(report.uncommitted && report.commits.is_empty());
}

#[test]
fn demo_provenance_cli_text() {
    let demo = TestRepo::demo();
    let out = demo.redline(&["provenance"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout).replace(demo.path().to_str().unwrap(), "[demo]");
    insta::assert_snapshot!(shown);

    let out = demo.redline(&[
        "provenance",
        "branch:agent/bulk-discounts",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["repo"]["path"] = "[demo]".into();
    insta::assert_json_snapshot!(json);
}

/// The target list's agent pills for branches: the agents that wrote a branch's commits, the
/// one with most commits (then the newest) first; a human branch has none; a branch that no
/// longer exists is left out, not an error.
#[test]
fn target_agents_name_the_agents_of_each_branch() {
    let repo = TestRepo::demo();
    let branch = |name: &str| Target::Branch { name: name.into() };
    let listed = review::target_agents(
        &repo.path(),
        &[
            branch("agent/bulk-discounts"),
            branch("maya/report-csv"),
            branch("deleted/meanwhile"),
        ],
    )
    .unwrap();
    assert_eq!(
        listed,
        vec![
            review::TargetAgents {
                spec: "branch:agent/bulk-discounts".into(),
                agents: vec!["Cursor".into(), "OpenAI Codex".into()],
                ai_commits: 2,
                commits: 2,
            },
            review::TargetAgents {
                spec: "branch:maya/report-csv".into(),
                agents: vec![],
                ai_commits: 0,
                commits: 1,
            },
        ]
    );
}

#[test]
fn authorship_kept_for_a_commit_follows_a_provenance_note_added_later() {
    // Authorship of committed content is kept in memory (the window asks on every viewed
    // mark); a provenance note written afterwards must still change the answer.
    let repo = TestRepo::new();
    repo.write("lib.rs", LIB_BEFORE).commit("Add one");
    repo.write("lib.rs", LIB_AFTER).commit("Add functions");
    let before = head_authorship(&repo);
    assert_eq!(lib_counts(&before), (0, 3), "no signature, no note: human");
    assert_eq!(head_authorship(&repo), before, "asked again: the same");
    let note = Path::new(FIXTURES).join("whogitit.json");
    repo.git(&[
        "notes",
        "--ref=refs/notes/whogitit",
        "add",
        "-F",
        note.to_str().unwrap(),
        "HEAD",
    ]);
    let after = head_authorship(&repo);
    assert_eq!(lib_counts(&after), (2, 1), "the note now decides lines 2–3");
    assert!(after[0].from_note);
}
