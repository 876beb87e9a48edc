//! OpenAI-compatible chat completions: the request body and the answer, streamed or whole.
//! Pure. Spoken by OpenAI and by the local servers (Ollama, llama.cpp's server, vLLM, LM
//! Studio), which differ in details this tolerates: usage in the last content chunk or in a
//! chunk of its own with no choices, `reasoning_content` deltas (thinking, not answer text),
//! `null` contents.

use serde::Serialize;
use serde_json::Value;

use super::protocol::{count_at, error_in, parse_event, Completed, Fault, Step, Tally};
use super::sse::Event;
use super::ChatRequest;

#[derive(Serialize)]
struct Body<'a> {
    model: &'a str,
    messages: Vec<WireMessage<'a>>,
    max_tokens: u32,
    temperature: f32,
    stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream_options: Option<StreamOptions>,
}

#[derive(Serialize)]
struct WireMessage<'a> {
    role: &'a str,
    content: &'a str,
}

#[derive(Serialize)]
struct StreamOptions {
    /// Asks for a last chunk with the token counts.
    include_usage: bool,
}

/// The JSON body of `POST {base}/chat/completions`.
pub(super) fn request_body(model: &str, request: &ChatRequest, stream: bool) -> Vec<u8> {
    let body = Body {
        model,
        messages: request
            .messages
            .iter()
            .map(|m| WireMessage {
                role: m.role.as_str(),
                content: &m.content,
            })
            .collect(),
        max_tokens: request.max_tokens,
        temperature: request.temperature,
        stream,
        stream_options: stream.then_some(StreamOptions {
            include_usage: true,
        }),
    };
    // Serialising plain strings and numbers cannot fail; an empty body would be refused by the
    // server with a clear status anyway.
    serde_json::to_vec(&body).unwrap_or_default()
}

/// One event of a streamed answer.
pub(super) fn on_event(event: &Event, index: usize, tally: &mut Tally) -> Result<Step, Fault> {
    if event.data.trim() == "[DONE]" {
        return Ok(Step::Done);
    }
    let chunk = parse_event(&event.data, index)?;
    if let Some(message) = error_in(&chunk) {
        return Err(Fault::Server(message));
    }
    read_usage(&chunk, tally);
    let Some(choice) = chunk.pointer("/choices/0") else {
        return Ok(Step::Nothing);
    };
    if let Some(reason) = choice.get("finish_reason").and_then(Value::as_str) {
        tally.stop_reason = Some(reason.to_owned());
    }
    match choice.pointer("/delta/content") {
        Some(Value::String(text)) if !text.is_empty() => Ok(Step::Text(text.clone())),
        None | Some(Value::Null) | Some(Value::String(_)) => Ok(Step::Nothing),
        Some(other) => Err(Fault::Malformed(format!(
            "event {index} of the stream, whose `choices[0].delta.content` is not text: `{}`",
            super::protocol::snippet(&other.to_string())
        ))),
    }
}

/// A whole (non-streaming) answer.
pub(super) fn decode_complete(value: &Value) -> Result<Completed, Fault> {
    let mut tally = Tally::default();
    read_usage(value, &mut tally);
    let choice = value
        .pointer("/choices/0")
        .ok_or_else(|| Fault::Malformed("an answer without `choices[0]`".to_owned()))?;
    tally.stop_reason = choice
        .get("finish_reason")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let text = match choice.pointer("/message/content") {
        Some(Value::String(text)) => text.clone(),
        None | Some(Value::Null) => String::new(),
        Some(other) => {
            return Err(Fault::Malformed(format!(
                "an answer whose `choices[0].message.content` is not text: `{}`",
                super::protocol::snippet(&other.to_string())
            )))
        }
    };
    Ok(Completed { text, tally })
}

fn read_usage(chunk: &Value, tally: &mut Tally) {
    if let Some(n) = count_at(chunk, "/usage/prompt_tokens") {
        tally.input_tokens = Some(n);
    }
    if let Some(n) = count_at(chunk, "/usage/completion_tokens") {
        tally.output_tokens = Some(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::{Message, Role};

    fn data(data: &str) -> Event {
        Event {
            event: "message".to_owned(),
            data: data.to_owned(),
            id: String::new(),
        }
    }

    #[test]
    fn a_stream_yields_text_usage_stop_reason_and_done() {
        let mut tally = Tally::default();
        let steps: Vec<Step> = [
            r#"{"choices":[{"index":0,"delta":{"role":"assistant","content":null}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"reasoning_content":"hmm"}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"content":"Hel"}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}"#,
            r#"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}"#,
            "[DONE]",
        ]
        .iter()
        .enumerate()
        .map(|(i, d)| on_event(&data(d), i + 1, &mut tally).unwrap())
        .collect();
        assert_eq!(
            steps,
            vec![
                Step::Nothing,
                Step::Nothing,
                Step::Text("Hel".into()),
                Step::Text("lo".into()),
                Step::Nothing,
                Step::Done
            ]
        );
        assert_eq!(
            tally,
            Tally {
                input_tokens: Some(12),
                output_tokens: Some(2),
                stop_reason: Some("stop".into())
            }
        );
    }

    #[test]
    fn bad_chunks_name_the_event_and_in_band_errors_are_server_faults() {
        let mut tally = Tally::default();
        let Err(Fault::Malformed(what)) = on_event(&data("{\"choices\": [}"), 4, &mut tally) else {
            panic!("not malformed")
        };
        assert!(
            what.starts_with("event 4 of the stream, which is not valid JSON"),
            "{what}"
        );
        let error = r#"{"error":{"type":"server_error","message":"out of memory"}}"#;
        assert_eq!(
            on_event(&data(error), 1, &mut tally),
            Err(Fault::Server("server_error: out of memory".into()))
        );
    }

    #[test]
    fn the_request_body_asks_for_a_stream_with_usage() {
        let request = ChatRequest {
            messages: vec![Message::system("be brief"), Message::user("hi")],
            max_tokens: 64,
            temperature: 0.2,
        };
        let body: Value = serde_json::from_slice(&request_body("m", &request, true)).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "model": "m",
                "messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}],
                "max_tokens": 64,
                "temperature": 0.2,
                "stream": true,
                "stream_options": {"include_usage": true}
            })
        );
        let body: Value = serde_json::from_slice(&request_body("m", &request, false)).unwrap();
        assert_eq!(body.get("stream_options"), None);
        assert_eq!(Role::Assistant.as_str(), "assistant");
    }
}
