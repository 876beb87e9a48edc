//! Explain and teach, end to end: real git repositories, a real SQLite store, a fake model
//! server on 127.0.0.1 that records what it receives, and llama-server with SmolLM2 for the
//! real-weight mechanics (streaming, usage, cache, cancellation). Content is never asserted
//! on a model's answer, only mechanics.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/fake_llm.rs"]
mod fake_llm;
#[path = "support/llm_server.rs"]
mod llm_server;
mod support;

use std::process::{Command, Output};

use fake_llm::{FakeLlm, Reply};
use llm_server::LlamaServer;
use redline::explain::{ExplainAction, ExplainRequest};
use redline::llm::{Endpoint, LlmError, Provider};
use redline::repo::Target;
use redline::review::{self, AnswerSource, ExplainError, ModelChoice, ModelSource};
use redline::store::Store;
use support::TestRepo;
use tokio_util::sync::CancellationToken;

/// Realistic secrets, planted in changed code.
const AWS_KEY_ID: &str = "AKIAQWERTYUIOPASDF12";
const GITHUB_TOKEN: &str = "ghp_R3dl1n3T0k3nF0rT3st1ngPurp0s3s0nly9";
const PASSWORD: &str = "Zq7#pL2v!Xr9@mK4wT8s";
const PRIVATE_KEY_LINE: &str = "MIIEowIBAAKCAQEA7yNq3VfJ2kR9sLm4XpT8wQzB1cY6dH0eGiUoP5aS";

fn planted() -> String {
    format!(
        "import os\n\n\
         AWS_ACCESS_KEY_ID = \"{AWS_KEY_ID}\"\n\
         github_token = \"{GITHUB_TOKEN}\"\n\n\
         def connect(host):\n    \
             password = \"{PASSWORD}\"\n    \
             return open_connection(host, password=password)\n\n\
         PRIVATE_KEY = \"\"\"-----BEGIN RSA PRIVATE KEY-----\n{PRIVATE_KEY_LINE}\n-----END RSA PRIVATE KEY-----\"\"\"\n"
    )
}

/// A repository whose HEAD adds `app/settings.py` with the planted secrets.
fn repo_with_secrets() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("app/__init__.py", "").commit("start");
    repo.write("app/settings.py", planted()).commit("settings");
    repo
}

/// Runs `redline ARGS` in `repo` with the model at `base_url` and its own data directory.
fn redline_with_model(
    repo: &TestRepo,
    data: &std::path::Path,
    base_url: &str,
    args: &[&str],
) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_redline"));
    support::isolate_git(&mut command);
    command
        .args(args)
        .args(["-C", repo.path().to_str().unwrap()])
        .env("REDLINE_LLM_BASE_URL", base_url)
        .env("REDLINE_LLM_MODEL", "fake-model")
        .env_remove("REDLINE_LLM_API_KEY")
        .env_remove("REDLINE_LLM_PROVIDER")
        .env("REDLINE_DATA_DIR", data)
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

fn assert_no_secret(text: &str, what: &str) {
    for secret in [AWS_KEY_ID, GITHUB_TOKEN, PASSWORD, PRIVATE_KEY_LINE] {
        assert!(
            !text.contains(secret),
            "{what} contains the secret {secret}:\n{text}"
        );
    }
}

#[test]
fn no_secret_reaches_the_model_server() {
    let repo = repo_with_secrets();
    let data = tempfile::tempdir().unwrap();
    let server = FakeLlm::start(vec![
        Reply::openai(&["The file ", "holds settings."]),
        Reply::openai(&["A change ", "of settings."]),
    ]);
    let hunk = redline_with_model(
        &repo,
        data.path(),
        &server.base_url(),
        &[
            "explain",
            "HEAD",
            "--file",
            "app/settings.py",
            "--hunk",
            "1",
        ],
    );
    assert!(hunk.status.success(), "{}", support::text(&hunk.stderr));
    assert_eq!(support::text(&hunk.stdout), "The file holds settings.\n");
    let change = redline_with_model(
        &repo,
        data.path(),
        &server.base_url(),
        &["explain", "HEAD", "--teach"],
    );
    assert!(change.status.success(), "{}", support::text(&change.stderr));
    let received = server.received();
    assert_eq!(received.len(), 2, "one request per explanation");
    for request in &received {
        assert_no_secret(&request.body, "a request body");
        assert!(
            request.body.contains("[REDACTED"),
            "placeholders stand in: {}",
            request.body
        );
    }
    let stderr = support::text(&hunk.stderr);
    assert!(
        stderr.contains("secrets were replaced by placeholders"),
        "{stderr}"
    );
}

#[test]
fn show_prompt_prints_what_would_be_sent_and_sends_nothing() {
    let repo = repo_with_secrets();
    let data = tempfile::tempdir().unwrap();
    let server = FakeLlm::start(Vec::new());
    let out = redline_with_model(
        &repo,
        data.path(),
        &server.base_url(),
        &[
            "explain",
            "HEAD",
            "--file",
            "app/settings.py",
            "--show-prompt",
        ],
    );
    assert!(out.status.success(), "{}", support::text(&out.stderr));
    let stdout = support::text(&out.stdout);
    assert_no_secret(&stdout, "the printed prompt");
    assert!(stdout.starts_with("===== system =====\n"), "{stdout}");
    assert!(stdout.contains("===== user =====\n"), "{stdout}");
    assert!(stdout.contains("<<<BEGIN REDLINE-DATA-"), "{stdout}");
    assert!(stdout.contains("secrets redacted"), "{stdout}");
    assert!(server.received().is_empty(), "nothing sent");
}

#[test]
fn a_second_ask_is_answered_from_the_cache() {
    let repo = repo_with_secrets();
    let data = tempfile::tempdir().unwrap();
    let server = FakeLlm::start(vec![Reply::openai(&["Once."])]);
    let args = [
        "explain",
        "HEAD",
        "--file",
        "app/settings.py",
        "--hunk",
        "1",
    ];
    let first = redline_with_model(&repo, data.path(), &server.base_url(), &args);
    let second = redline_with_model(&repo, data.path(), &server.base_url(), &args);
    assert!(
        first.status.success() && second.status.success(),
        "{}",
        support::text(&second.stderr)
    );
    assert_eq!(support::text(&first.stdout), support::text(&second.stdout));
    assert!(support::text(&second.stderr).contains("(cached answer)"));
    assert_eq!(server.received().len(), 1, "the second answer cost nothing");
}

#[test]
fn a_bad_request_is_a_clear_error() {
    let repo = repo_with_secrets();
    let data = tempfile::tempdir().unwrap();
    let server = FakeLlm::start(Vec::new());
    let out = redline_with_model(
        &repo,
        data.path(),
        &server.base_url(),
        &[
            "explain",
            "HEAD",
            "--file",
            "app/settings.py",
            "--hunk",
            "7",
        ],
    );
    assert!(!out.status.success());
    let stderr = support::text(&out.stderr);
    assert_eq!(
        stderr.lines().last(),
        Some("error: app/settings.py has 1 hunk in HEAD; there is no hunk 7"),
        "{stderr}"
    );
    assert!(server.received().is_empty());
}

fn hunk_request(file: &str, teach: bool) -> ExplainRequest {
    ExplainRequest {
        action: ExplainAction::Hunk {
            file: file.to_owned(),
            hunk: 1,
        },
        teach,
    }
}

#[test]
fn without_a_model_the_answer_is_the_structural_summary() {
    let repo = repo_with_secrets();
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let runtime = runtime();
    let target = Target::parse("HEAD").unwrap();
    let mut streamed = String::new();
    let explanation = runtime
        .block_on(review::explain(
            &store,
            &repo.path(),
            &target,
            &hunk_request("app/settings.py", false),
            None,
            &CancellationToken::new(),
            |t| streamed.push_str(t),
        ))
        .unwrap();
    assert_eq!(explanation.source, AnswerSource::Structure);
    assert_eq!(streamed, explanation.text);
    assert!(
        explanation
            .text
            .starts_with("## app/settings.py in HEAD\n\n1 file changed, +"),
        "{}",
        explanation.text
    );
    assert!(
        explanation
            .text
            .contains("### Symbols added\n\n- `function connect` in `app/settings.py`"),
        "{}",
        explanation.text
    );
    assert!(
        explanation.text.contains("critical `hardcoded-secret`"),
        "{}",
        explanation.text
    );
    assert!(
        explanation.text.contains("REDLINE_LLM_BASE_URL"),
        "the hint says how to connect a model"
    );
}

#[test]
fn the_context_window_is_never_exceeded() {
    let repo = TestRepo::new();
    repo.write("src/lib.rs", "pub fn a() {}\n").commit("start");
    let body: String = (0..3_000)
        .map(|i| {
            format!("    let value_{i} = compute({i}, \"some text to make the line longer\");\n")
        })
        .collect();
    repo.write("src/lib.rs", format!("pub fn a() {{\n{body}}}\n"))
        .commit("grow");
    let target = Target::parse("HEAD").unwrap();
    for (context, answer) in [(2_048u32, 512u32), (8_192, 1_024), (32_768, 4_096)] {
        let prepared = review::prepare_explain(
            &repo.path(),
            &target,
            &hunk_request("src/lib.rs", false),
            context,
            answer,
        )
        .unwrap();
        assert!(
            prepared.tokens <= u64::from(context - answer),
            "{context}: {} tokens",
            prepared.tokens
        );
        assert!(
            prepared.truncation.code_lines_dropped > 0,
            "{context}: the hunk had to be cut"
        );
        assert!(prepared.messages[1]
            .content
            .contains("lines left out to fit the model's context"));
    }
}

#[test]
fn a_pinned_explanation_is_a_note_and_a_lesson() {
    let repo = repo_with_secrets();
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let target = Target::parse("HEAD").unwrap();
    let request = hunk_request("app/settings.py", true);
    let placed = review::pin_explanation(
        &store,
        &repo.path(),
        &target,
        &request,
        "It reads settings.",
        Some("openai/fake"),
    )
    .unwrap();
    assert_eq!(placed.thread.kind, redline::notes::NoteKind::Explanation);
    assert_eq!(
        placed.thread.notes[0].body,
        "**Explained for learning by openai/fake**\n\nIt reads settings."
    );
    let notes = review::notes(&store, &repo.path(), &target).unwrap();
    assert_eq!(notes.threads.len(), 1);
    let lessons = review::learn(&store, &repo.path(), None).unwrap();
    assert_eq!(lessons.lessons.len(), 1);
    assert_eq!(lessons.lessons[0].source, review::LessonSource::Explanation);
    let markdown = lessons.markdown("demo");
    assert!(markdown.contains("## Pinned explanations"), "{markdown}");
    assert!(markdown.contains("It reads settings."), "{markdown}");
    // for the target, the findings' teaching texts join in
    let with_findings = review::learn(&store, &repo.path(), Some(&target)).unwrap();
    assert!(with_findings
        .lessons
        .iter()
        .any(|l| l.source == review::LessonSource::Finding && l.title == "hard-coded secret"));
    // a whole change has no lines to pin to
    let change = ExplainRequest {
        action: ExplainAction::Change,
        teach: false,
    };
    assert!(matches!(
        review::pin_explanation(&store, &repo.path(), &target, &change, "x", None),
        Err(ExplainError::NotFound { .. })
    ));
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Real weights: llama-server with SmolLM2-135M-Instruct. Mechanics only.
#[test]
fn a_real_model_streams_reports_usage_caches_and_stops() {
    let server = LlamaServer::start();
    let repo = repo_with_secrets();
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let target = Target::parse("HEAD").unwrap();
    let choice = ModelChoice {
        endpoint: Endpoint {
            provider: Provider::OpenAi,
            base_url: server.base_url(),
            model: server.model().to_owned(),
            api_key: None,
        },
        source: ModelSource::Environment,
        context_tokens: 2_048,
        answer_tokens: 48,
    };
    let runtime = runtime();
    let request = hunk_request("app/settings.py", false);
    let mut pieces = Vec::new();
    let first = runtime
        .block_on(review::explain(
            &store,
            &repo.path(),
            &target,
            &request,
            Some(&choice),
            &CancellationToken::new(),
            |t| pieces.push(t.to_owned()),
        ))
        .unwrap();
    assert_eq!(first.source, AnswerSource::Model);
    assert!(pieces.len() >= 2, "streamed in pieces: {pieces:?}");
    assert_eq!(pieces.concat(), first.text);
    let usage = first.usage.clone().unwrap();
    assert!(
        usage.output_tokens.is_some_and(|n| n > 0 && n <= 48),
        "{usage:?}"
    );
    assert!(usage.input_tokens.is_some_and(|n| n > 0), "{usage:?}");
    assert!(
        usage
            .first_token_ms
            .is_some_and(|ms| ms > 0.0 && ms <= usage.total_ms),
        "{usage:?}"
    );
    assert!(!first.redactions.is_empty());

    let again = runtime
        .block_on(review::explain(
            &store,
            &repo.path(),
            &target,
            &request,
            Some(&choice),
            &CancellationToken::new(),
            |_| {},
        ))
        .unwrap();
    assert_eq!(again.source, AnswerSource::Cache);
    assert_eq!(again.text, first.text);

    // the teach variant is another prompt; stop it at its first token
    let cancel = CancellationToken::new();
    let mut seen = 0;
    let stopped = runtime.block_on(review::explain(
        &store,
        &repo.path(),
        &target,
        &hunk_request("app/settings.py", true),
        Some(&choice),
        &cancel,
        |_| {
            seen += 1;
            cancel.cancel();
        },
    ));
    assert!(
        matches!(stopped, Err(ExplainError::Llm(LlmError::Cancelled))),
        "{stopped:?}"
    );
    assert_eq!(seen, 1, "nothing arrives after the stop");
    // a stopped answer is not cached: asking again goes to the model
    let retried = runtime
        .block_on(review::explain(
            &store,
            &repo.path(),
            &target,
            &hunk_request("app/settings.py", true),
            Some(&choice),
            &CancellationToken::new(),
            |_| {},
        ))
        .unwrap();
    assert_eq!(retried.source, AnswerSource::Model);
}

/// A repository whose HEAD changes two files in three hunks.
fn repo_with_three_hunks() -> TestRepo {
    let repo = TestRepo::new();
    let lines: String = (1..=40).map(|i| format!("value_{i} = {i}\n")).collect();
    repo.write("app/a.py", &lines)
        .write("app/b.py", "x = 1\n")
        .commit("start");
    let changed = lines
        .replace("value_3 = 3\n", "value_3 = compute(3)\n")
        .replace("value_35 = 35\n", "value_35 = compute(35)\n");
    repo.write("app/a.py", changed)
        .write("app/b.py", "x = 2\n")
        .commit("change");
    repo
}

#[test]
fn every_hunk_is_explained_as_a_queue_and_a_failure_is_counted() {
    let repo = repo_with_three_hunks();
    let data = tempfile::tempdir().unwrap();
    let server = FakeLlm::start(vec![
        Reply::openai(&["One."]),
        Reply::openai(&["Two."]),
        Reply::openai(&["Three."]),
    ]);
    let out = redline_with_model(
        &repo,
        data.path(),
        &server.base_url(),
        &["explain", "HEAD", "--every-hunk"],
    );
    assert!(out.status.success(), "{}", support::text(&out.stderr));
    let stdout = support::text(&out.stdout);
    for section in [
        "## app/a.py, hunk 1\n",
        "## app/a.py, hunk 2\n",
        "## app/b.py, hunk 1\n",
    ] {
        assert!(stdout.contains(section), "{stdout}");
    }
    let stderr = support::text(&out.stderr);
    assert!(stderr.contains("[3/3] "), "{stderr}");
    assert_eq!(server.received().len(), 3);

    // a server that refuses (404, then 500s beyond its script): each hunk's failure is said
    // in its section, and the exit status and the last line count them
    let failing = FakeLlm::start(vec![Reply::body(
        404,
        "application/json",
        "{\"error\":\"no\"}",
    )]);
    let fresh = tempfile::tempdir().unwrap();
    let out = redline_with_model(
        &repo,
        fresh.path(),
        &failing.base_url(),
        &["explain", "HEAD", "--every-hunk"],
    );
    assert!(!out.status.success());
    let stdout = support::text(&out.stdout);
    assert_eq!(stdout.matches("_Not explained: ").count(), 3, "{stdout}");
    let stderr = support::text(&out.stderr);
    assert_eq!(
        stderr.lines().last(),
        Some("error: 3 of 3 hunks could not be explained"),
        "{stderr}"
    );
}

#[test]
fn without_a_keyring_service_storing_a_key_says_what_to_do_instead() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_redline"));
    support::isolate_git(&mut command);
    let mut child = command
        .args([
            "model-key",
            "set",
            "--base-url",
            "https://api.example.com/v1",
        ])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/redline-test-bus",
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"sk-not-a-real-key\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let stderr = support::text(&out.stderr);
    assert!(
        stderr.starts_with("error: the OS keyring is not available ("),
        "{stderr}"
    );
    assert!(stderr.contains("set REDLINE_LLM_API_KEY"), "{stderr}");
    assert!(
        !stderr.contains("sk-not-a-real-key"),
        "the key is never printed"
    );
    assert!(out.stdout.is_empty());
}
