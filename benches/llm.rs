//! What Redline adds between a model server and the reviewer, in one run:
//!
//! 1. Overhead to the first token: from the moment a server on 127.0.0.1 writes the first
//!    byte of a streamed answer's first chunk to the moment `Client::stream` hands the token
//!    to its caller (HTTP parsing, SSE framing, JSON decoding). Target (issue 15): ≤ 5 ms,
//!    median.
//! 2. A cached answer: `review::explain` for a hunk already answered, end to end (the
//!    context gathered and redacted, the key computed, the store read). Target: ≤ 10 ms,
//!    median.
//!
//!     cargo bench --bench llm
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/synthetic.rs"]
mod synthetic;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use redline::explain::{ExplainAction, ExplainRequest};
use redline::llm::{self, ChatRequest, Client, Endpoint, Message, Provider, Role};
use redline::repo::Target;
use redline::review;
use redline::store::Store;
use tokio_util::sync::CancellationToken;

const RUNS: usize = 51;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (port, first_byte_at) = streaming_server();
    let endpoint = Endpoint {
        provider: Provider::OpenAi,
        base_url: format!("http://127.0.0.1:{port}/v1"),
        model: "bench".into(),
        api_key: None,
    };
    let client = Client::new(endpoint.clone(), llm::Limits::default()).unwrap();
    let request = ChatRequest {
        messages: vec![Message {
            role: Role::User,
            content: "hi".into(),
        }],
        max_tokens: 8,
        temperature: 0.0,
    };
    let mut overheads = Vec::new();
    for _ in 0..RUNS {
        let cancel = CancellationToken::new();
        let mut first_token: Option<Instant> = None;
        runtime
            .block_on(client.stream(&request, &cancel, |_| {
                first_token.get_or_insert_with(Instant::now);
            }))
            .unwrap();
        let written = first_byte_at.recv().unwrap();
        overheads.push(first_token.unwrap().duration_since(written));
    }
    overheads.sort();
    println!(
        "first byte of the first chunk → token delivered: median {:.3?}, p90 {:.3?} (target ≤ 5 ms)",
        overheads[RUNS / 2],
        overheads[RUNS * 9 / 10]
    );

    // a cached answer, end to end
    let dir = tempfile::tempdir().unwrap();
    let range = synthetic::build(dir.path(), 20);
    let target = Target::parse(&format!("{}..{}", range.base, range.head)).unwrap();
    let review = review::open(dir.path(), Some(&target)).unwrap();
    let file = review
        .files
        .iter()
        .find(|f| !f.hunks.is_empty())
        .unwrap()
        .display_path()
        .to_owned();
    let store = Store::open(&dir.path().join("data")).unwrap();
    let explain_request = ExplainRequest {
        action: ExplainAction::Hunk { file, hunk: 1 },
        teach: false,
    };
    let choice = review::ModelChoice {
        endpoint,
        source: review::ModelSource::Environment,
        context_tokens: 8_192,
        answer_tokens: 256,
    };
    let ask = || {
        let cancel = CancellationToken::new();
        let started = Instant::now();
        let explanation = runtime
            .block_on(review::explain(
                &store,
                dir.path(),
                &target,
                &explain_request,
                Some(&choice),
                &cancel,
                |_| {},
            ))
            .unwrap();
        (started.elapsed(), explanation.source)
    };
    let (first, source) = ask();
    assert_eq!(source, review::AnswerSource::Model);
    let _ = first_byte_at.recv();
    let mut cached = Vec::new();
    for _ in 0..RUNS {
        let (elapsed, source) = ask();
        assert_eq!(source, review::AnswerSource::Cache);
        cached.push(elapsed);
    }
    cached.sort();
    println!(
        "explain a hunk: first time (model on loopback) {first:.2?}; cached: median {:.2?}, p90 {:.2?} (target ≤ 10 ms)",
        cached[RUNS / 2],
        cached[RUNS * 9 / 10]
    );
}

/// A server answering every request with a short SSE stream; sends, for each request, the
/// instant it wrote the first byte of the first chunk.
fn streaming_server() -> (u16, mpsc::Receiver<Instant>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            stream.set_nodelay(true).unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
            stream.write_all(head.as_bytes()).unwrap();
            stream.flush().unwrap();
            // give the client time to be waiting on the body, so the measure is the parse
            std::thread::sleep(Duration::from_millis(20));
            let chunk = |data: &str| {
                let event = format!("data: {data}\n\n");
                format!("{:x}\r\n{event}\r\n", event.len())
            };
            let first = chunk(r#"{"choices":[{"index":0,"delta":{"content":"Hello"}}]}"#);
            let rest = [
                chunk(r#"{"choices":[{"index":0,"delta":{"content":" there"},"finish_reason":"stop"}]}"#),
                chunk(r#"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#),
                chunk("[DONE]"),
                "0\r\n\r\n".to_owned(),
            ]
            .concat();
            let written = Instant::now();
            stream.write_all(first.as_bytes()).unwrap();
            stream.flush().unwrap();
            let _ = sender.send(written);
            let _ = stream.write_all(rest.as_bytes());
        }
    });
    (port, receiver)
}
