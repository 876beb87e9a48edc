//! Anthropic Messages: the request body and the answer, streamed or whole. Pure.
//!
//! The stream is a sequence of typed events: `message_start` (input tokens), then per content
//! block `content_block_start`, `content_block_delta`s and `content_block_stop`, then
//! `message_delta` (stop reason, output tokens so far) and `message_stop`; `ping` and unknown
//! event types may come anywhere and are skipped, as Anthropic's versioning policy asks.
//! Only `text_delta`s are answer text (thinking and tool-input deltas are not).

use serde::Serialize;
use serde_json::Value;

use super::protocol::{count_at, parse_event, snippet, Completed, Fault, Step, Tally};
use super::sse::Event;
use super::{ChatRequest, Role};

#[derive(Serialize)]
struct Body<'a> {
    model: &'a str,
    max_tokens: u32,
    temperature: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    system: Option<String>,
    messages: Vec<WireMessage<'a>>,
    stream: bool,
}

#[derive(Serialize)]
struct WireMessage<'a> {
    role: &'a str,
    content: &'a str,
}

/// The JSON body of `POST {base}/messages`: system messages go apart, joined with blank lines.
pub(super) fn request_body(model: &str, request: &ChatRequest, stream: bool) -> Vec<u8> {
    let system: Vec<&str> = request
        .messages
        .iter()
        .filter(|m| m.role == Role::System)
        .map(|m| m.content.as_str())
        .collect();
    let body = Body {
        model,
        max_tokens: request.max_tokens,
        temperature: request.temperature,
        system: (!system.is_empty()).then(|| system.join("\n\n")),
        messages: request
            .messages
            .iter()
            .filter(|m| m.role != Role::System)
            .map(|m| WireMessage {
                role: m.role.as_str(),
                content: &m.content,
            })
            .collect(),
        stream,
    };
    // Serialising plain strings and numbers cannot fail.
    serde_json::to_vec(&body).unwrap_or_default()
}

/// One event of a streamed answer.
pub(super) fn on_event(event: &Event, index: usize, tally: &mut Tally) -> Result<Step, Fault> {
    let value = parse_event(&event.data, index)?;
    // The `type` field and the SSE event name agree; the field is what the API documents.
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or(event.event.as_str());
    match kind {
        "message_start" => {
            read_usage(&value, "/message/usage", tally);
            Ok(Step::Nothing)
        }
        "content_block_delta" => {
            let delta_type = value.pointer("/delta/type").and_then(Value::as_str);
            match (delta_type, value.pointer("/delta/text")) {
                (Some("text_delta"), Some(Value::String(text))) if !text.is_empty() => {
                    Ok(Step::Text(text.clone()))
                }
                (Some("text_delta"), Some(Value::String(_))) => Ok(Step::Nothing),
                (Some("text_delta"), _) => Err(Fault::Malformed(format!(
                    "event {index} of the stream, a `text_delta` without text: `{}`",
                    snippet(&event.data)
                ))),
                _ => Ok(Step::Nothing),
            }
        }
        "message_delta" => {
            if let Some(reason) = value.pointer("/delta/stop_reason").and_then(Value::as_str) {
                tally.stop_reason = Some(reason.to_owned());
            }
            read_usage(&value, "/usage", tally);
            Ok(Step::Nothing)
        }
        "message_stop" => Ok(Step::Done),
        "error" => Err(Fault::Server(
            super::protocol::error_in(&value).unwrap_or_else(|| snippet(&event.data)),
        )),
        _ => Ok(Step::Nothing),
    }
}

/// A whole (non-streaming) answer: the text blocks of `content`, joined.
pub(super) fn decode_complete(value: &Value) -> Result<Completed, Fault> {
    let mut tally = Tally::default();
    read_usage(value, "/usage", &mut tally);
    tally.stop_reason = value
        .get("stop_reason")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let blocks = value
        .get("content")
        .and_then(Value::as_array)
        .ok_or_else(|| Fault::Malformed("an answer without a `content` list".to_owned()))?;
    let text = blocks
        .iter()
        .filter(|block| block.get("type").and_then(Value::as_str) == Some("text"))
        .filter_map(|block| block.get("text").and_then(Value::as_str))
        .collect::<String>();
    Ok(Completed { text, tally })
}

fn read_usage(value: &Value, at: &str, tally: &mut Tally) {
    if let Some(n) = count_at(value, &format!("{at}/input_tokens")) {
        tally.input_tokens = Some(n);
    }
    // `message_delta` carries the cumulative count, so the last one wins.
    if let Some(n) = count_at(value, &format!("{at}/output_tokens")) {
        tally.output_tokens = Some(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::Message;

    fn event(name: &str, data: &str) -> Event {
        Event {
            event: name.to_owned(),
            data: data.to_owned(),
            id: String::new(),
        }
    }

    #[test]
    fn a_stream_yields_text_usage_stop_reason_and_done() {
        let events = [
            (
                "message_start",
                r#"{"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":25,"output_tokens":1}}}"#,
            ),
            (
                "content_block_start",
                r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            ),
            ("ping", r#"{"type": "ping"}"#),
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}"#,
            ),
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#,
            ),
            (
                "content_block_stop",
                r#"{"type":"content_block_stop","index":0}"#,
            ),
            (
                "message_delta",
                r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}"#,
            ),
            ("future_event", r#"{"type":"future_event"}"#),
            ("message_stop", r#"{"type":"message_stop"}"#),
        ];
        let mut tally = Tally::default();
        let steps: Vec<Step> = events
            .iter()
            .enumerate()
            .map(|(i, (name, data))| on_event(&event(name, data), i + 1, &mut tally).unwrap())
            .collect();
        let texts: Vec<&Step> = steps.iter().filter(|s| **s != Step::Nothing).collect();
        assert_eq!(texts, vec![&Step::Text("Hi".into()), &Step::Done]);
        assert_eq!(
            tally,
            Tally {
                input_tokens: Some(25),
                output_tokens: Some(15),
                stop_reason: Some("end_turn".into())
            }
        );
    }

    #[test]
    fn an_error_event_is_a_server_fault() {
        let data = r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
        assert_eq!(
            on_event(&event("error", data), 3, &mut Tally::default()),
            Err(Fault::Server("overloaded_error: Overloaded".into()))
        );
    }

    #[test]
    fn system_messages_go_apart_from_the_conversation() {
        let request = ChatRequest {
            messages: vec![
                Message::system("rule one"),
                Message::system("rule two"),
                Message::user("hi"),
            ],
            max_tokens: 100,
            temperature: 0.0,
        };
        let body: Value = serde_json::from_slice(&request_body("claude", &request, true)).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "model": "claude",
                "max_tokens": 100,
                "temperature": 0.0,
                "system": "rule one\n\nrule two",
                "messages": [{"role": "user", "content": "hi"}],
                "stream": true
            })
        );
    }
}
