//! The model client against a real HTTP server on 127.0.0.1 (`support/fake_llm.rs`) that speaks
//! both protocols and injects each fault. Every fault ends in its documented behaviour and a
//! message that names it; timings are asserted from what the server saw.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/fake_llm.rs"]
mod fake_llm;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fake_llm::{
    anthropic_event, closed_port, openai_role, openai_token, Action, FakeLlm, Reply, Seen,
    OPENAI_DONE,
};
use redline::error::{ErrorKind, ErrorReport};
use redline::llm::{
    detect_local, endpoint_from_env, Answer, ApiKey, ChatRequest, Client, Endpoint, Limits,
    LlmError, Message, Provider,
};
use serde_json::json;
use tokio_util::sync::CancellationToken;

/// Limits small enough for tests to hit quickly, large enough for a loaded machine.
fn limits() -> Limits {
    Limits {
        connect: Duration::from_secs(2),
        first_byte: Duration::from_secs(5),
        idle: Duration::from_secs(5),
        total: Duration::from_secs(15),
        max_answer_bytes: 256 * 1024,
        retries: 3,
        base_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_secs(5),
        concurrency: 2,
    }
}

fn endpoint(base_url: &str, provider: Provider) -> Endpoint {
    Endpoint {
        provider,
        base_url: base_url.to_owned(),
        model: "smol".to_owned(),
        api_key: None,
    }
}

fn client(fake: &FakeLlm, limits: Limits) -> Client {
    Client::new(endpoint(&fake.base_url(), Provider::OpenAi), limits).unwrap()
}

fn request() -> ChatRequest {
    ChatRequest {
        messages: vec![
            Message::system("You explain code."),
            Message::user("What does this hunk do?"),
        ],
        max_tokens: 64,
        temperature: 0.0,
    }
}

/// Streams `request()`, collecting the tokens `on_token` got.
async fn stream(client: &Client) -> (Result<Answer, LlmError>, Vec<String>) {
    let mut tokens = Vec::new();
    let result = client
        .stream(&request(), &CancellationToken::new(), |t| {
            tokens.push(t.to_owned())
        })
        .await;
    (result, tokens)
}

fn arrivals(seen: &[Seen]) -> Vec<Instant> {
    seen.iter()
        .filter_map(|s| match s {
            Seen::Arrived { at, .. } => Some(*at),
            _ => None,
        })
        .collect()
}

fn closed_by_client(seen: &[Seen]) -> bool {
    seen.iter().any(|s| matches!(s, Seen::ClientClosed { .. }))
}

// ---------------------------------------------------------------- happy paths

#[tokio::test]
async fn openai_streams_tokens_in_order_with_usage_and_first_token_time() {
    let reply = Reply::sse()
        .event(&openai_role())
        .pause(Duration::from_millis(150))
        .event(&openai_token("Hel"))
        .event(&openai_token("lo"))
        .event(&fake_llm::openai_finish("stop"))
        .event(&fake_llm::openai_usage(11, 2))
        .event(OPENAI_DONE);
    let fake = FakeLlm::start(vec![reply]);
    let mut endpoint = endpoint(&fake.base_url(), Provider::OpenAi);
    endpoint.api_key = Some(ApiKey::new("sk-test-123"));
    let client = Client::new(endpoint, limits()).unwrap();

    let (answer, tokens) = stream(&client).await;
    let answer = answer.unwrap();

    assert_eq!(tokens, ["Hel", "lo"]);
    assert_eq!(answer.text, "Hello");
    assert_eq!(answer.stop_reason.as_deref(), Some("stop"));
    let usage = &answer.usage;
    assert_eq!(
        (usage.input_tokens, usage.output_tokens),
        (Some(11), Some(2))
    );
    assert_eq!((usage.attempts, usage.streamed), (1, true));
    let first = usage.first_token.unwrap();
    assert!(
        first >= Duration::from_millis(150),
        "first token after {first:?}"
    );
    assert!(first <= usage.total, "{first:?} > {:?}", usage.total);

    let received = fake.received();
    assert_eq!(received.len(), 1);
    let sent = &received[0];
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/v1/chat/completions")
    );
    assert_eq!(sent.header("authorization"), Some("Bearer sk-test-123"));
    assert_eq!(sent.header("x-api-key"), None);
    assert_eq!(
        sent.header("accept"),
        Some("text/event-stream, application/json")
    );
    assert!(!format!("{client:?}").contains("sk-test-123"), "{client:?}");
    assert_eq!(
        sent.json(),
        json!({
            "model": "smol",
            "messages": [
                {"role": "system", "content": "You explain code."},
                {"role": "user", "content": "What does this hunk do?"}
            ],
            "max_tokens": 64,
            "temperature": 0.0,
            "stream": true,
            "stream_options": {"include_usage": true}
        })
    );
}

#[tokio::test]
async fn anthropic_streams_text_deltas_with_usage_and_its_own_headers() {
    let fake = FakeLlm::start(vec![Reply::anthropic(&["The hunk ", "adds a cache."])]);
    let mut endpoint = endpoint(&fake.base_url(), Provider::Anthropic);
    endpoint.api_key = Some(ApiKey::new("sk-ant-test"));
    let client = Client::new(endpoint, limits()).unwrap();

    let (answer, tokens) = stream(&client).await;
    let answer = answer.unwrap();

    assert_eq!(tokens, ["The hunk ", "adds a cache."]);
    assert_eq!(answer.text, "The hunk adds a cache.");
    assert_eq!(answer.stop_reason.as_deref(), Some("end_turn"));
    assert_eq!(
        (answer.usage.input_tokens, answer.usage.output_tokens),
        (Some(25), Some(2))
    );
    assert!(answer.usage.first_token.is_some());

    let sent = &fake.received()[0];
    assert_eq!(sent.path, "/v1/messages");
    assert_eq!(sent.header("x-api-key"), Some("sk-ant-test"));
    assert_eq!(sent.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(
        sent.json(),
        json!({
            "model": "smol",
            "max_tokens": 64,
            "temperature": 0.0,
            "system": "You explain code.",
            "messages": [{"role": "user", "content": "What does this hunk do?"}],
            "stream": true
        })
    );
}

#[tokio::test]
async fn no_key_means_no_authorization_header() {
    let fake = FakeLlm::start(vec![Reply::openai(&["ok"])]);
    let (answer, _) = stream(&client(&fake, limits())).await;
    assert_eq!(answer.unwrap().text, "ok");
    assert_eq!(fake.received()[0].header("authorization"), None);
}

#[tokio::test]
async fn a_json_answer_to_a_streaming_request_is_taken_whole() {
    let body = json!({
        "id": "chatcmpl-1", "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Whole answer."},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}
    });
    let fake = FakeLlm::start(vec![Reply::json(200, &body)]);

    let (answer, tokens) = stream(&client(&fake, limits())).await;
    let answer = answer.unwrap();

    assert_eq!(tokens, ["Whole answer."]);
    assert_eq!(answer.text, "Whole answer.");
    assert!(!answer.usage.streamed);
    assert_eq!(
        (answer.usage.input_tokens, answer.usage.output_tokens),
        (Some(9), Some(3))
    );
    assert_eq!(fake.received()[0].json()["stream"], json!(true));
}

#[tokio::test]
async fn complete_asks_without_streaming_in_both_protocols() {
    let openai = json!({"choices": [{"message": {"role": "assistant", "content": "A"}, "finish_reason": "length"}],
                        "usage": {"prompt_tokens": 5, "completion_tokens": 1}});
    let anthropic = json!({"type": "message", "content": [{"type": "text", "text": "B"}, {"type": "text", "text": "C"}],
                           "stop_reason": "max_tokens", "usage": {"input_tokens": 6, "output_tokens": 2}});
    let fake = FakeLlm::start(vec![
        Reply::json(200, &openai),
        Reply::json(200, &anthropic),
    ]);
    let cancel = CancellationToken::new();

    let a = client(&fake, limits())
        .complete(&request(), &cancel)
        .await
        .unwrap();
    let anthropic_client =
        Client::new(endpoint(&fake.base_url(), Provider::Anthropic), limits()).unwrap();
    let b = anthropic_client
        .complete(&request(), &cancel)
        .await
        .unwrap();

    assert_eq!(
        (a.text.as_str(), a.stop_reason.as_deref()),
        ("A", Some("length"))
    );
    assert_eq!(
        (b.text.as_str(), b.stop_reason.as_deref()),
        ("BC", Some("max_tokens"))
    );
    assert_eq!(
        (b.usage.input_tokens, b.usage.output_tokens),
        (Some(6), Some(2))
    );
    let received = fake.received();
    assert_eq!(received[0].json()["stream"], json!(false));
    assert_eq!(received[0].json().get("stream_options"), None);
    assert_eq!(received[1].json()["stream"], json!(false));
}

// ---------------------------------------------------------------- faults

#[tokio::test]
async fn a_refused_connection_says_the_server_is_not_running_after_one_retry() {
    let url = format!("http://127.0.0.1:{}/v1", closed_port());
    let client = Client::new(endpoint(&url, Provider::OpenAi), limits()).unwrap();
    let started = Instant::now();

    let (result, tokens) = stream(&client).await;

    let error = result.unwrap_err();
    assert_eq!(error, LlmError::Refused { url: url.clone() });
    assert_eq!(
        error.to_string(),
        format!("the model server at {url} refused the connection (is it running?)")
    );
    assert!(tokens.is_empty());
    assert_eq!(ErrorReport::from(&error).kind, ErrorKind::LlmUnreachable);
    // One retry after at most one base backoff (20 ms), not three.
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_server_that_never_answers_hits_the_first_byte_timeout_and_is_left() {
    let fake = FakeLlm::start(vec![Reply::silent(), Reply::openai(&["never asked"])]);
    let limits = Limits {
        first_byte: Duration::from_millis(300),
        ..limits()
    };
    let started = Instant::now();

    let (result, _) = stream(&client(&fake, limits)).await;

    let error = result.unwrap_err();
    assert!(
        matches!(error, LlmError::Timeout { phase: "first byte", after, .. } if after == Duration::from_millis(300)),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("sent nothing for 300 ms after the request"),
        "{error}"
    );
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    // Not retried: the server saw one request, and the client leave.
    let seen = fake
        .wait_for(Duration::from_secs(5), closed_by_client)
        .await;
    assert_eq!(arrivals(&seen).len(), 1);
}

#[tokio::test]
async fn a_stall_mid_stream_hits_the_idle_timeout_after_delivering_what_came() {
    let reply = Reply::sse()
        .event(&openai_role())
        .event(&openai_token("Par"))
        .event(&openai_token("tial"))
        .then(Action::Hold);
    let fake = FakeLlm::start(vec![reply, Reply::openai(&["never asked"])]);
    let limits = Limits {
        idle: Duration::from_millis(300),
        ..limits()
    };

    let (result, tokens) = stream(&client(&fake, limits)).await;

    let error = result.unwrap_err();
    assert!(
        matches!(error, LlmError::Timeout { phase: "idle", .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("stopped sending mid-answer: nothing for 300 ms"),
        "{error}"
    );
    // The partial text was delivered as it came; it is not retried (it would be a new answer).
    assert_eq!(tokens, ["Par", "tial"]);
    let seen = fake
        .wait_for(Duration::from_secs(5), closed_by_client)
        .await;
    assert_eq!(arrivals(&seen).len(), 1);
}

#[tokio::test]
async fn an_answer_that_trickles_on_past_the_total_limit_is_stopped() {
    let mut reply = Reply::sse();
    for _ in 0..50 {
        reply = reply
            .event(&openai_token("."))
            .pause(Duration::from_millis(100));
    }
    let fake = FakeLlm::start(vec![reply]);
    let limits = Limits {
        total: Duration::from_millis(500),
        ..limits()
    };
    let started = Instant::now();

    let (result, tokens) = stream(&client(&fake, limits)).await;

    let error = result.unwrap_err();
    assert!(
        matches!(error, LlmError::Timeout { phase: "total", .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("took longer than 500 ms in all"),
        "{error}"
    );
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(500) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert!(!tokens.is_empty() && tokens.len() < 50, "{}", tokens.len());
    fake.wait_for(Duration::from_secs(5), closed_by_client)
        .await;
}

#[tokio::test]
async fn cancelling_during_a_retry_wait_returns_at_once() {
    let limited = Reply::json(503, &json!({"error": "restarting"})).header("Retry-After", "5");
    let fake = FakeLlm::start(vec![limited, Reply::openai(&["never asked"])]);
    let client = client(&fake, limits());
    let cancel = CancellationToken::new();
    let waiting = {
        let cancel = cancel.clone();
        tokio::spawn(async move { client.stream(&request(), &cancel, |_| {}).await })
    };
    fake.wait_for(Duration::from_secs(5), |seen| {
        seen.iter().any(|s| matches!(s, Seen::Finished { .. }))
    })
    .await;
    let cancelled_at = Instant::now();
    cancel.cancel();

    assert_eq!(waiting.await.unwrap(), Err(LlmError::Cancelled));
    assert!(
        cancelled_at.elapsed() < Duration::from_millis(200),
        "{:?}",
        cancelled_at.elapsed()
    );
    assert_eq!(fake.received().len(), 1);
}

#[tokio::test]
async fn rate_limited_with_retry_after_waits_as_asked_then_succeeds() {
    let limited =
        Reply::json(429, &json!({"error": {"message": "slow down"}})).header("Retry-After", "1");
    let fake = FakeLlm::start(vec![limited, Reply::openai(&["fine"])]);

    let (answer, tokens) = stream(&client(&fake, limits())).await;

    let answer = answer.unwrap();
    assert_eq!((answer.text.as_str(), answer.usage.attempts), ("fine", 2));
    assert_eq!(tokens, ["fine"]);
    let at = arrivals(&fake.seen());
    let waited = at[1] - at[0];
    assert!(
        waited >= Duration::from_millis(1000) && waited < Duration::from_millis(1500),
        "waited {waited:?} for Retry-After: 1"
    );
}

#[tokio::test]
async fn retry_after_longer_than_the_backoff_cap_is_capped() {
    let limited = Reply::json(429, &json!({"error": "busy"})).header("Retry-After", "3600");
    let fake = FakeLlm::start(vec![limited, Reply::openai(&["ok"])]);
    let limits = Limits {
        max_backoff: Duration::from_millis(200),
        ..limits()
    };

    let (answer, _) = stream(&client(&fake, limits)).await;

    assert_eq!(answer.unwrap().usage.attempts, 2);
    let at = arrivals(&fake.seen());
    let waited = at[1] - at[0];
    assert!(
        waited >= Duration::from_millis(200) && waited < Duration::from_millis(700),
        "waited {waited:?}"
    );
}

#[tokio::test]
async fn rate_limited_beyond_the_retries_is_reported_with_the_servers_wait() {
    let limited = || Reply::json(429, &json!({"error": "busy"})).header("Retry-After", "0");
    let fake = FakeLlm::start(vec![limited(), limited(), limited()]);
    let limits = Limits {
        retries: 2,
        ..limits()
    };

    let (result, _) = stream(&client(&fake, limits)).await;

    let error = result.unwrap_err();
    assert_eq!(
        error,
        LlmError::RateLimited {
            retry_after: Some(Duration::ZERO),
            url: fake.base_url()
        }
    );
    assert!(
        error.to_string().contains("is rate limiting requests"),
        "{error}"
    );
    assert_eq!(fake.received().len(), 3);
}

#[tokio::test]
async fn a_server_error_is_retried_then_succeeds() {
    let failing = Reply::json(
        500,
        &json!({"error": {"type": "server_error", "message": "slot unavailable"}}),
    );
    let fake = FakeLlm::start(vec![failing, Reply::openai(&["recovered"])]);

    let (answer, _) = stream(&client(&fake, limits())).await;

    let answer = answer.unwrap();
    assert_eq!(
        (answer.text.as_str(), answer.usage.attempts),
        ("recovered", 2)
    );
    assert_eq!(fake.received().len(), 2);
}

#[tokio::test]
async fn server_errors_beyond_the_retries_report_the_servers_message() {
    let failing = || Reply::json(503, &json!({"error": {"message": "loading model"}}));
    let fake = FakeLlm::start(vec![failing(), failing()]);
    let limits = Limits {
        retries: 1,
        ..limits()
    };

    let (result, _) = stream(&client(&fake, limits)).await;

    let error = result.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "the model server at {} answered 503: Service Unavailable: loading model",
            fake.base_url()
        )
    );
    assert_eq!(ErrorReport::from(&error).kind, ErrorKind::Llm);
    assert_eq!(fake.received().len(), 2);
}

#[tokio::test]
async fn a_client_error_is_not_retried() {
    let fake = FakeLlm::start(vec![Reply::json(
        404,
        &json!({"error": "model 'smol' not found, try pulling it first"}),
    )]);

    let (result, _) = stream(&client(&fake, limits())).await;

    assert_eq!(
        result.unwrap_err(),
        LlmError::Status {
            code: 404,
            message: "Not Found: model 'smol' not found, try pulling it first".into(),
            url: fake.base_url()
        }
    );
    assert_eq!(fake.received().len(), 1);
}

#[tokio::test]
async fn malformed_json_in_a_chunk_names_the_event() {
    let reply = Reply::sse()
        .event(&openai_token("Good"))
        .event("data: {\"choices\": [{\"delta\": {\"content\": \"bad\"}\n\n")
        .event(OPENAI_DONE);
    let fake = FakeLlm::start(vec![reply]);

    let (result, tokens) = stream(&client(&fake, limits())).await;

    let error = result.unwrap_err();
    let LlmError::Malformed { what, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(
        what.starts_with("event 2 of the stream, which is not valid JSON (EOF while parsing"),
        "{what}"
    );
    assert!(
        what.ends_with("`{\"choices\": [{\"delta\": {\"content\": \"bad\"}`"),
        "{what}"
    );
    assert_eq!(tokens, ["Good"]);
}

#[tokio::test]
async fn a_stream_that_ends_without_done_is_truncated_with_its_partial_text() {
    let reply = Reply::openai(&["Cut ", "short"]).without_last(1);
    let fake = FakeLlm::start(vec![reply]);

    let (result, tokens) = stream(&client(&fake, limits())).await;

    let error = result.unwrap_err();
    assert_eq!(
        error,
        LlmError::Truncated {
            partial: "Cut short".into(),
            reason: "the stream ended without `data: [DONE]`".into(),
            url: fake.base_url()
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "the answer from the model server at {} was cut off after 9 bytes: the stream ended without `data: [DONE]`",
            fake.base_url()
        )
    );
    assert_eq!(tokens, ["Cut ", "short"]);
    assert_eq!(fake.received().len(), 1);
}

#[tokio::test]
async fn a_dropped_connection_mid_stream_is_truncated() {
    let reply = Reply::anthropic(&["Half"])
        .without_last(3)
        .then(Action::Abort);
    let fake = FakeLlm::start(vec![reply]);
    let client = Client::new(endpoint(&fake.base_url(), Provider::Anthropic), limits()).unwrap();

    let (result, tokens) = stream(&client).await;

    let error = result.unwrap_err();
    let LlmError::Truncated {
        partial, reason, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(partial, "Half");
    assert!(reason.starts_with("the connection failed"), "{reason}");
    assert_eq!(tokens, ["Half"]);
    assert_eq!(fake.received().len(), 1);
}

#[tokio::test]
async fn an_html_page_is_the_wrong_content_type() {
    let fake = FakeLlm::start(vec![Reply::body(
        200,
        "text/html; charset=utf-8",
        "<html>Login</html>",
    )]);

    let (result, tokens) = stream(&client(&fake, limits())).await;

    let error = result.unwrap_err();
    assert_eq!(
        error,
        LlmError::ContentType {
            got: "text/html".into(),
            url: fake.base_url()
        }
    );
    assert!(
        error
            .to_string()
            .contains("answered with text/html instead of an event stream or JSON"),
        "{error}"
    );
    assert!(tokens.is_empty());
}

#[tokio::test]
async fn an_oversized_answer_is_cut_off_and_the_request_dropped() {
    let mut reply = Reply::sse();
    for _ in 0..100 {
        reply = reply.event(&openai_token(&"x".repeat(50)));
    }
    let fake = FakeLlm::start(vec![reply.then(Action::Hold)]);
    let limits = Limits {
        max_answer_bytes: 1000,
        ..limits()
    };

    let (result, tokens) = stream(&client(&fake, limits)).await;

    let error = result.unwrap_err();
    assert_eq!(
        error,
        LlmError::TooLarge {
            limit: 1000,
            url: fake.base_url()
        }
    );
    assert!(
        error.to_string().contains("passed the limit of 1000 bytes"),
        "{error}"
    );
    assert_eq!(tokens.concat().len(), 1000);
    fake.wait_for(Duration::from_secs(5), closed_by_client)
        .await;
}

#[tokio::test]
async fn an_error_event_mid_stream_is_the_servers_error() {
    let reply = Reply::anthropic(&["Be"])
        .without_last(3)
        .event(&anthropic_event(
            "error",
            json!({"error": {"type": "overloaded_error", "message": "Overloaded"}}),
        ));
    let fake = FakeLlm::start(vec![reply]);
    let client = Client::new(endpoint(&fake.base_url(), Provider::Anthropic), limits()).unwrap();

    let (result, _) = stream(&client).await;

    assert_eq!(
        result.unwrap_err().to_string(),
        format!(
            "the model server at {} reported an error mid-answer: overloaded_error: Overloaded",
            fake.base_url()
        )
    );
}

#[tokio::test]
async fn cancelling_mid_stream_returns_promptly_and_closes_the_connection() {
    let reply = Reply::sse()
        .event(&openai_token("first"))
        .then(Action::Hold);
    let fake = FakeLlm::start(vec![reply]);
    let client = client(&fake, limits());
    let cancel = CancellationToken::new();
    let (first_token, mut got_first) = tokio::sync::mpsc::unbounded_channel();

    let streaming = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            client
                .stream(&request(), &cancel, |t| {
                    let _ = first_token.send(t.to_owned());
                })
                .await
        })
    };
    assert_eq!(got_first.recv().await.unwrap(), "first");
    let cancelled_at = Instant::now();
    cancel.cancel();
    let result = streaming.await.unwrap();
    let returned_after = cancelled_at.elapsed();

    assert_eq!(result, Err(LlmError::Cancelled));
    assert!(
        returned_after < Duration::from_millis(200),
        "{returned_after:?}"
    );
    let seen = fake
        .wait_for(Duration::from_secs(5), closed_by_client)
        .await;
    let closed_at = seen
        .iter()
        .find_map(|s| match s {
            Seen::ClientClosed { at, .. } => Some(*at),
            _ => None,
        })
        .unwrap();
    assert!(closed_at >= cancelled_at);
    assert_eq!(
        ErrorReport::from(&LlmError::Cancelled).kind,
        ErrorKind::Cancelled
    );
}

#[tokio::test]
async fn cancelling_while_queued_returns_at_once() {
    let fake = FakeLlm::start(vec![Reply::sse().then(Action::Hold)]);
    let client = client(
        &fake,
        Limits {
            concurrency: 1,
            ..limits()
        },
    );
    let hold_cancel = CancellationToken::new();
    let holder = {
        let client = client.clone();
        let cancel = hold_cancel.clone();
        tokio::spawn(async move { client.stream(&request(), &cancel, |_| {}).await })
    };
    fake.wait_for(Duration::from_secs(5), |seen| !arrivals(seen).is_empty())
        .await;

    let queued_cancel = CancellationToken::new();
    queued_cancel.cancel();
    let result = client.stream(&request(), &queued_cancel, |_| {}).await;

    assert_eq!(result, Err(LlmError::Cancelled));
    assert_eq!(fake.received().len(), 1);
    hold_cancel.cancel();
    assert_eq!(holder.await.unwrap(), Err(LlmError::Cancelled));
}

#[tokio::test]
async fn the_concurrency_limit_queues_the_third_request_until_one_finishes() {
    let slow = || Reply::openai(&["a"]).pause(Duration::from_millis(300));
    let slow_first = |reply: Reply| {
        // The pause goes before the answer's end, so each request is in flight for 300 ms.
        let mut actions = reply.actions;
        let pause = actions.pop().unwrap();
        actions.insert(1, pause);
        Reply { actions }
    };
    let fake = FakeLlm::start(vec![
        slow_first(slow()),
        slow_first(slow()),
        slow_first(slow()),
    ]);
    let client = client(
        &fake,
        Limits {
            concurrency: 2,
            ..limits()
        },
    );

    let runs: Vec<_> = (0..3)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .stream(&request(), &CancellationToken::new(), |_| {})
                    .await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for run in runs {
        answers.push(run.await.unwrap().unwrap());
    }

    // In the order things happened on the server (timestamps, not the order they were logged).
    let mut seen = fake.seen();
    seen.sort_by_key(|s| match s {
        Seen::Arrived { at, .. } | Seen::Finished { at, .. } | Seen::ClientClosed { at, .. } => *at,
    });
    let mut in_flight = 0;
    let mut most = 0;
    for event in &seen {
        match event {
            Seen::Arrived { .. } => in_flight += 1,
            Seen::Finished { .. } | Seen::ClientClosed { .. } => in_flight -= 1,
        }
        most = most.max(in_flight);
    }
    assert_eq!(most, 2, "{seen:?}");
    let third_arrival = arrivals(&seen)[2];
    let first_finish = seen
        .iter()
        .find_map(|s| match s {
            Seen::Finished { at, .. } => Some(*at),
            _ => None,
        })
        .unwrap();
    assert!(third_arrival >= first_finish, "{seen:?}");
    let waited: Vec<Duration> = answers.iter().map(|a| a.usage.queued).collect();
    assert_eq!(
        waited
            .iter()
            .filter(|q| **q >= Duration::from_millis(250))
            .count(),
        1,
        "{waited:?}"
    );
}

// ---------------------------------------------------------------- configuration

#[test]
fn the_environment_names_an_endpoint() {
    let env = |pairs: &[(&str, &str)]| {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        endpoint_from_env(move |name| map.get(name).cloned())
    };

    assert_eq!(env(&[]), Ok(None));
    assert_eq!(env(&[("REDLINE_LLM_MODEL", "")]), Ok(None));
    assert_eq!(
        env(&[
            ("REDLINE_LLM_BASE_URL", "http://127.0.0.1:8080/v1/"),
            ("REDLINE_LLM_MODEL", "smol"),
        ]),
        Ok(Some(Endpoint {
            provider: Provider::OpenAi,
            base_url: "http://127.0.0.1:8080/v1".into(),
            model: "smol".into(),
            api_key: None,
        }))
    );
    let anthropic = env(&[
        ("REDLINE_LLM_PROVIDER", "Anthropic"),
        ("REDLINE_LLM_MODEL", "claude-sonnet-4-5"),
        ("REDLINE_LLM_API_KEY", "sk-ant-secret"),
    ])
    .unwrap()
    .unwrap();
    assert_eq!(anthropic.provider, Provider::Anthropic);
    assert_eq!(anthropic.base_url, "https://api.anthropic.com/v1");
    assert_eq!(
        anthropic.api_key.as_ref().unwrap().expose(),
        "sk-ant-secret"
    );
    assert!(!format!("{anthropic:?}").contains("sk-ant-secret"));
    assert!(format!("{anthropic:?}").contains("[key]"));

    let unknown = env(&[
        ("REDLINE_LLM_PROVIDER", "gemini"),
        ("REDLINE_LLM_MODEL", "m"),
    ])
    .unwrap_err();
    assert_eq!(
        unknown.to_string(),
        "REDLINE_LLM_PROVIDER is \"gemini\", which is not `openai` or `anthropic`"
    );
    assert_eq!(ErrorReport::from(&unknown).kind, ErrorKind::InvalidConfig);
    let no_model = env(&[("REDLINE_LLM_BASE_URL", "http://127.0.0.1:8080/v1")]).unwrap_err();
    assert_eq!(
        no_model.to_string(),
        "REDLINE_LLM_MODEL must be set too, since REDLINE_LLM_BASE_URL or REDLINE_LLM_PROVIDER is set"
    );
    // A model or key alone does not send anything to a public API.
    let no_url = env(&[
        ("REDLINE_LLM_API_KEY", "sk-secret"),
        ("REDLINE_LLM_MODEL", "gpt"),
    ])
    .unwrap_err();
    assert!(
        no_url
            .to_string()
            .starts_with("REDLINE_LLM_BASE_URL must be set too"),
        "{no_url}"
    );
    assert!(!no_url.to_string().contains("sk-secret"));
    let bad_url = env(&[
        ("REDLINE_LLM_BASE_URL", "127.0.0.1:8080"),
        ("REDLINE_LLM_MODEL", "m"),
    ])
    .unwrap_err();
    assert!(
        bad_url
            .to_string()
            .starts_with("REDLINE_LLM_BASE_URL is \"127.0.0.1:8080\", which is not an http"),
        "{bad_url}"
    );
}

#[tokio::test]
async fn detect_local_finds_the_servers_that_answer_and_skips_a_closed_port() {
    let llama = FakeLlm::with_routes(
        Vec::new(),
        vec![(
            "GET",
            "/v1/models",
            Reply::json(
                200,
                &json!({"object": "list", "data": [{"id": "smollm2-135m"}, {"id": "other"}]}),
            ),
        )],
    );
    let old_ollama = FakeLlm::with_routes(
        Vec::new(),
        vec![
            (
                "GET",
                "/v1/models",
                Reply::json(404, &json!({"error": "not found"})),
            ),
            (
                "GET",
                "/api/tags",
                Reply::json(200, &json!({"models": [{"name": "qwen2.5-coder:1.5b"}]})),
            ),
        ],
    );
    let empty = FakeLlm::with_routes(
        Vec::new(),
        vec![("GET", "/v1/models", Reply::json(200, &json!({"data": []})))],
    );
    let closed = closed_port();
    let started = Instant::now();

    let found = detect_local(&[
        (closed, "llama.cpp"),
        (old_ollama.port(), "Ollama"),
        (empty.port(), "LM Studio"),
        (llama.port(), "llama.cpp"),
    ])
    .await;

    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    let expected = |port: u16, model: &str| Endpoint {
        provider: Provider::OpenAi,
        base_url: format!("http://127.0.0.1:{port}/v1"),
        model: model.into(),
        api_key: None,
    };
    assert_eq!(
        found,
        vec![
            expected(old_ollama.port(), "qwen2.5-coder:1.5b"),
            expected(llama.port(), "smollm2-135m")
        ]
    );
    assert_eq!(redline::llm::LOCAL_SERVERS[0], (11434, "Ollama"));
}

#[test]
fn a_base_url_that_is_not_http_is_refused_when_the_client_is_made() {
    let error =
        Client::new(endpoint("ftp://example.com/v1", Provider::OpenAi), limits()).unwrap_err();
    assert_eq!(ErrorReport::from(&error).kind, ErrorKind::InvalidConfig);
    let zero = Client::new(
        endpoint("http://127.0.0.1:1/v1", Provider::OpenAi),
        Limits {
            concurrency: 0,
            ..limits()
        },
    )
    .unwrap_err();
    assert!(
        zero.to_string().contains("which is not at least 1"),
        "{zero}"
    );
}
