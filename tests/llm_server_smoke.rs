//! The real-weights server the LLM tests use streams a chat completion the way an
//! OpenAI-compatible client expects: SSE `data:` chunks with a delta, a usage chunk, `[DONE]`.
//! Mechanics only: what the model says is never asserted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/llm_server.rs"]
mod llm_server;

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use llm_server::LlamaServer;
use serde_json::Value;

#[test]
fn real_weights_stream_a_chat_completion() {
    let server = LlamaServer::start();
    assert_eq!(
        server.base_url(),
        format!("http://127.0.0.1:{}/v1", server.port())
    );
    assert!(!server.model().is_empty());

    let body = serde_json::json!({
        "model": server.model(),
        "messages": [{"role": "user", "content": "Say hello."}],
        "max_tokens": 8,
        "stream": true,
        "stream_options": {"include_usage": true},
    })
    .to_string();
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\
         Content-Type: application/json\r\nAccept: text/event-stream\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.port(),
        body.len()
    )
    .unwrap();
    let response = llm_server::read_response(&mut stream).unwrap();
    let text = String::from_utf8(response.body.clone()).unwrap();
    assert_eq!(response.status, 200, "{text}");
    let content_type = response.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("text/event-stream"),
        "{content_type}"
    );

    // One `data:` payload per event; events end at a blank line.
    let payloads: Vec<String> = text
        .replace("\r\n", "\n")
        .split("\n\n")
        .filter_map(|event| {
            let data: Vec<&str> = event
                .lines()
                .filter_map(|line| line.strip_prefix("data:"))
                .map(|data| data.strip_prefix(' ').unwrap_or(data))
                .collect();
            (!data.is_empty()).then(|| data.join("\n"))
        })
        .collect();
    assert_eq!(
        payloads.last().map(String::as_str),
        Some("[DONE]"),
        "{text}"
    );
    let chunks: Vec<Value> = payloads[..payloads.len() - 1]
        .iter()
        .map(|payload| serde_json::from_str(payload).unwrap())
        .collect();
    let deltas = chunks
        .iter()
        .filter(|chunk| chunk["choices"][0]["delta"].is_object())
        .count();
    assert!(deltas >= 1, "no chunk with choices[0].delta: {text}");
    for chunk in &chunks {
        assert_eq!(chunk["object"], "chat.completion.chunk", "{chunk}");
    }

    // include_usage: the usage comes in a chunk of its own, and counts at most 8 tokens out.
    let usage = chunks
        .iter()
        .find_map(|chunk| chunk.get("usage").filter(|usage| usage.is_object()))
        .unwrap_or_else(|| panic!("no usage chunk: {text}"));
    let completion = usage["completion_tokens"].as_u64().unwrap();
    assert!((1..=8).contains(&completion), "{usage}");
    assert!(usage["prompt_tokens"].as_u64().unwrap() > 0, "{usage}");
}
