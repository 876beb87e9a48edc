//! What the two protocols have in common: decoding a stream event by event into text, usage and
//! an end marker, decoding a whole (non-streaming) answer, and reading a server's error body.
//! Pure; `openai.rs` and `anthropic.rs` hold each protocol's specifics.

use serde_json::Value;

use super::sse::Event;
use super::{anthropic, openai, Provider};

/// What one stream event means for the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    /// More answer text.
    Text(String),
    /// Nothing for the answer (a role header, usage, a ping, an event type we do not use).
    Nothing,
    /// The end marker: the answer is complete.
    Done,
}

/// A stream event or answer body that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Fault {
    /// Not what the protocol says; the text names what, for [`LlmError::Malformed`](super::LlmError::Malformed).
    Malformed(String),
    /// The server reported an error in-band.
    Server(String),
}

/// Usage and the stop reason, as the server reports them along the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Tally {
    pub input_tokens: Option<u32>,
    pub output_tokens: Option<u32>,
    pub stop_reason: Option<String>,
}

/// A whole answer from a non-streaming body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Completed {
    pub text: String,
    pub tally: Tally,
}

/// Decodes one stream's events in order.
#[derive(Debug, Clone)]
pub(super) struct Decoder {
    provider: Provider,
    /// Events seen so far, to name the bad one in an error.
    events: usize,
    pub tally: Tally,
}

impl Decoder {
    pub fn new(provider: Provider) -> Decoder {
        Decoder {
            provider,
            events: 0,
            tally: Tally::default(),
        }
    }

    /// What the next event of the stream means.
    pub fn on_event(&mut self, event: &Event) -> Result<Step, Fault> {
        self.events += 1;
        match self.provider {
            Provider::OpenAi => openai::on_event(event, self.events, &mut self.tally),
            Provider::Anthropic => anthropic::on_event(event, self.events, &mut self.tally),
        }
    }

    /// The end marker this protocol's streams close with, for the message of a cut-off stream.
    pub fn end_marker(&self) -> &'static str {
        match self.provider {
            Provider::OpenAi => "`data: [DONE]`",
            Provider::Anthropic => "`message_stop`",
        }
    }
}

/// Decodes a complete (non-streaming) answer body.
pub(super) fn decode_complete(provider: Provider, body: &[u8]) -> Result<Completed, Fault> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        Fault::Malformed(format!(
            "an answer body that is not valid JSON ({e}): `{}`",
            snippet(&String::from_utf8_lossy(body))
        ))
    })?;
    if let Some(message) = error_in(&value) {
        return Err(Fault::Server(message));
    }
    match provider {
        Provider::OpenAi => openai::decode_complete(&value),
        Provider::Anthropic => anthropic::decode_complete(&value),
    }
}

/// Parses one event's data as a JSON object.
pub(super) fn parse_event(data: &str, index: usize) -> Result<Value, Fault> {
    match serde_json::from_str::<Value>(data) {
        Ok(value) if value.is_object() => Ok(value),
        Ok(_) => Err(Fault::Malformed(format!(
            "event {index} of the stream, which is JSON but not an object: `{}`",
            snippet(data)
        ))),
        Err(e) => Err(Fault::Malformed(format!(
            "event {index} of the stream, which is not valid JSON ({e}): `{}`",
            snippet(data)
        ))),
    }
}

/// A token count at `pointer`, when the server gave a non-negative integer there.
pub(super) fn count_at(value: &Value, pointer: &str) -> Option<u32> {
    value
        .pointer(pointer)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
}

/// The error an answer or event reports in-band: `{"error": {"type", "message"}}` (OpenAI,
/// Anthropic, vLLM, llama.cpp) or `{"error": "…"}` (Ollama).
pub(super) fn error_in(value: &Value) -> Option<String> {
    match value.get("error")? {
        Value::String(message) => Some(message.clone()),
        Value::Object(error) => {
            let message = error.get("message").and_then(Value::as_str);
            let kind = error.get("type").and_then(Value::as_str);
            Some(match (kind, message) {
                (Some(kind), Some(message)) => format!("{kind}: {message}"),
                (None, Some(message)) => message.to_owned(),
                (Some(kind), None) => kind.to_owned(),
                (None, None) => snippet(&Value::Object(error.clone()).to_string()),
            })
        }
        Value::Null => None,
        other => Some(snippet(&other.to_string())),
    }
}

/// What an error response says, in one line: the server's message from a JSON error body, or
/// the start of the body.
pub(super) fn error_body_message(body: &[u8], content_type: &str) -> String {
    let text = String::from_utf8_lossy(body);
    if let Ok(value) = serde_json::from_str::<Value>(&text) {
        if let Some(message) = error_in(&value) {
            return snippet(&message);
        }
        if let Some(message) = value.get("message").and_then(Value::as_str) {
            return snippet(message);
        }
    }
    if content_type.contains("html") || text.trim_start().starts_with('<') {
        return "an HTML page".to_owned();
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        "no details".to_owned()
    } else {
        snippet(&text)
    }
}

/// At most 120 characters of `text`, for error messages.
pub(super) fn snippet(text: &str) -> String {
    const MAX: usize = 120;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
