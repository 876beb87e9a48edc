//! IO edge to the user's own model server: OpenAI-compatible chat completions (Ollama,
//! llama.cpp's server, vLLM, LM Studio, OpenAI) and Anthropic Messages, streamed over SSE.
//!
//! Nothing here knows about reviews: [`Client`] sends a [`ChatRequest`] to one [`Endpoint`] and
//! streams the answer back, surviving bad servers within stated [`Limits`]. Prompts, context,
//! redaction and caching are the composer's (`review::explain`). Nothing leaves the machine
//! unless an endpoint names a remote server; [`detect_local`] only probes loopback.
//!
//! Parts: [`sse`] (pure: the SSE wire format), `openai` and `anthropic` (pure: request bodies and
//! answer decoding per protocol), `retry` (pure: backoff and `Retry-After`), `client` (the
//! HTTP exchange: timeouts, retries, cancellation, the concurrency limit), `discover` (local
//! servers and the environment).

mod anthropic;
mod client;
mod discover;
mod error;
pub mod keys;
mod openai;
mod protocol;
mod retry;
pub mod sse;

use std::fmt;
use std::time::Duration;

pub use client::Client;
pub use discover::{detect_local, endpoint_from_env, LOCAL_SERVERS};
pub use error::LlmError;

/// Which wire protocol an endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// OpenAI-compatible chat completions: `POST {base}/chat/completions` (Ollama, llama.cpp's
    /// server, vLLM, LM Studio, OpenAI and most others).
    OpenAi,
    /// Anthropic Messages: `POST {base}/messages`.
    Anthropic,
}

impl Provider {
    /// The name used in settings and `REDLINE_LLM_PROVIDER`: `openai` or `anthropic`.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::OpenAi => "openai",
            Provider::Anthropic => "anthropic",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secret API key. It prints as `[key]` in `Debug` and `Display`, is not `Serialize`, and is
/// only ever written into the request header that needs it, so it cannot reach a log, the
/// database or an export by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key (from the environment or the OS keyring).
    pub fn new(key: impl Into<String>) -> ApiKey {
        ApiKey(key.into())
    }

    /// The key itself, for the one header that carries it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[key]")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[key]")
    }
}

/// One model server and the model to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The protocol it speaks.
    pub provider: Provider,
    /// The API root without a trailing slash, e.g. `http://127.0.0.1:8080/v1`; requests go to
    /// `{base_url}/chat/completions` or `{base_url}/messages`.
    pub base_url: String,
    /// The model name sent with each request (llama.cpp's server ignores it).
    pub model: String,
    /// Sent as `Authorization: Bearer` (OpenAI) or `x-api-key` (Anthropic), only when present.
    pub api_key: Option<ApiKey>,
}

/// Who says a [`Message`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Instructions; Anthropic takes these apart from the messages (joined with blank lines).
    System,
    /// The user's turn.
    User,
    /// The model's turn (earlier answers, or the start of the answer to continue).
    Assistant,
}

impl Role {
    /// The role's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Who says it.
    pub role: Role,
    /// What is said, as plain text.
    pub content: String,
}

impl Message {
    /// A system message.
    pub fn system(content: impl Into<String>) -> Message {
        Message {
            role: Role::System,
            content: content.into(),
        }
    }

    /// A user message.
    pub fn user(content: impl Into<String>) -> Message {
        Message {
            role: Role::User,
            content: content.into(),
        }
    }

    /// An assistant message.
    pub fn assistant(content: impl Into<String>) -> Message {
        Message {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// What to ask the model.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRequest {
    /// The conversation, system messages first.
    pub messages: Vec<Message>,
    /// The most tokens the answer may have (Anthropic requires a value; so do we).
    pub max_tokens: u32,
    /// Sampling temperature; 0 for the most repeatable answers.
    pub temperature: f32,
}

/// How long and how much a request may take, and how hard to try. Each limit, when hit, ends the
/// request with an [`LlmError`] naming it.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Establishing the TCP (and TLS) connection.
    pub connect: Duration,
    /// From sending the request to the first byte of the answer's body: covers a model that is
    /// loading or reading a long prompt.
    pub first_byte: Duration,
    /// Between two chunks of a streamed answer once it has started.
    pub idle: Duration,
    /// The whole request, retries and their waits included (not the wait in the queue).
    pub total: Duration,
    /// The longest answer text accepted, in UTF-8 bytes; a longer one is cut off and the request
    /// dropped ([`LlmError::TooLarge`]).
    pub max_answer_bytes: usize,
    /// Retries after the first attempt, on 429 and 5xx (see [`Client`] for which failures retry).
    pub retries: u32,
    /// The backoff before the first retry; it doubles each retry (full jitter applies).
    pub base_backoff: Duration,
    /// The longest wait between attempts, `Retry-After` included.
    pub max_backoff: Duration,
    /// Requests in flight at once per [`Client`] (and its clones); more wait in FIFO order.
    pub concurrency: usize,
}

impl Default for Limits {
    /// 5 s to connect, 60 s to the first byte, 30 s between chunks, 300 s in all, 256 KiB of
    /// answer, 3 retries backing off from 500 ms up to 20 s, 2 requests at once (a local server
    /// on a laptop runs one or two sequences at a time anyway).
    fn default() -> Self {
        Limits {
            connect: Duration::from_secs(5),
            first_byte: Duration::from_secs(60),
            idle: Duration::from_secs(30),
            total: Duration::from_secs(300),
            max_answer_bytes: 256 * 1024,
            retries: 3,
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            concurrency: 2,
        }
    }
}

/// What one request cost, as measured here and reported by the server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Usage {
    /// Prompt tokens, when the server reports them.
    pub input_tokens: Option<u32>,
    /// Answer tokens, when the server reports them.
    pub output_tokens: Option<u32>,
    /// From the start of the request (after the queue) to the first text delivered; `None` when
    /// the answer had no text.
    pub first_token: Option<Duration>,
    /// From the start of the request (after the queue) to the end of the answer.
    pub total: Duration,
    /// Time spent waiting in the queue for a free slot ([`Limits::concurrency`]).
    pub queued: Duration,
    /// HTTP requests made: 1 plus the retries.
    pub attempts: u32,
    /// Whether the answer arrived as a stream (false after the non-streaming fallback).
    pub streamed: bool,
}

/// A complete answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The answer's text, whole.
    pub text: String,
    /// Why the model stopped, as the server says it (`stop`, `length`, `end_turn`,
    /// `max_tokens`, …), when it says.
    pub stop_reason: Option<String>,
    /// Tokens and timings.
    pub usage: Usage,
}

/// A runtime for a synchronous caller's requests to a model (the CLI, a shell command on its
/// worker thread): one thread, timers and sockets enabled.
pub fn request_runtime() -> Result<tokio::runtime::Runtime, crate::error::ErrorReport> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::error::ErrorReport {
            kind: crate::error::ErrorKind::Internal,
            message: format!("cannot start the request runtime: {e}"),
        })
}
