//! What can go wrong talking to a model server, each failure in words a user can act on.

use std::time::Duration;

use crate::error::{ErrorKind, ErrorReport};

/// A failed model request. Messages name the server, the limit or the part of the answer that
/// failed. Text already handed to `on_token` before a failure stays delivered; only
/// [`LlmError::Truncated`] carries the partial text as well (for callers of
/// [`Client::complete`](super::Client::complete), which has no `on_token`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    /// Nothing listens at the endpoint's address.
    #[error("the model server at {url} refused the connection (is it running?)")]
    Refused {
        /// The endpoint's base URL.
        url: String,
    },
    /// A limit of [`Limits`](super::Limits) ran out.
    #[error("{}", timeout_message(phase, *after, url))]
    Timeout {
        /// Which limit: `connect`, `first byte`, `idle` or `total`.
        phase: &'static str,
        /// The limit that ran out.
        after: Duration,
        /// The endpoint's base URL.
        url: String,
    },
    /// The server answered with an error status (after the retries, for 5xx).
    #[error("the model server at {url} answered {code}: {message}")]
    Status {
        /// The HTTP status code.
        code: u16,
        /// The server's own error message, or the start of its answer.
        message: String,
        /// The endpoint's base URL.
        url: String,
    },
    /// The server kept answering 429 Too Many Requests after the retries.
    #[error("the model server at {url} is rate limiting requests{} and the retries ran out", retry_after_message(*retry_after))]
    RateLimited {
        /// How long the server last asked to wait, when it said.
        retry_after: Option<Duration>,
        /// The endpoint's base URL.
        url: String,
    },
    /// Part of the answer is not what the protocol says it should be.
    #[error("the model server at {url} sent {what}")]
    Malformed {
        /// What was wrong, e.g. "event 3 of the stream, which is not valid JSON (…): `{…`".
        what: String,
        /// The endpoint's base URL.
        url: String,
    },
    /// The stream ended before its end marker (`data: [DONE]` or `message_stop`): the server
    /// stopped or the connection dropped. The text received so far is in `partial`.
    #[error("the answer from the model server at {url} was cut off after {} bytes: {reason}", partial.len())]
    Truncated {
        /// The text received before the stream ended.
        partial: String,
        /// What ended it, e.g. "the stream ended without `data: [DONE]`".
        reason: String,
        /// The endpoint's base URL.
        url: String,
    },
    /// The server answered with something that is not an answer (an HTML page, a proxy's
    /// login form, …).
    #[error("the model server at {url} answered with {got} instead of an event stream or JSON (is {url} the API's base URL?)")]
    ContentType {
        /// The `Content-Type` the server sent.
        got: String,
        /// The endpoint's base URL.
        url: String,
    },
    /// The answer grew past [`Limits::max_answer_bytes`](super::Limits::max_answer_bytes); it
    /// was cut off there and the request dropped.
    #[error("the answer from the model server at {url} passed the limit of {limit} bytes and was cut off")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
        /// The endpoint's base URL.
        url: String,
    },
    /// The server reported an error in the middle of a stream (Anthropic's `error` event, or an
    /// `error` object in an OpenAI-compatible chunk).
    #[error("the model server at {url} reported an error mid-answer: {message}")]
    Server {
        /// The server's message, with its error type when it gave one.
        message: String,
        /// The endpoint's base URL.
        url: String,
    },
    /// The caller cancelled the request; the connection was dropped.
    #[error("the model request was cancelled")]
    Cancelled,
    /// A setting (an environment variable, an endpoint's field) has a value we cannot use.
    #[error("{name} is {value:?}, which is not {expected}")]
    InvalidSetting {
        /// The setting or environment variable.
        name: String,
        /// Its value (never a key).
        value: String,
        /// What it should be.
        expected: String,
    },
    /// A setting that the others need is missing.
    #[error("{name} must be set too, since {because}")]
    MissingSetting {
        /// The setting or environment variable.
        name: String,
        /// Which other settings need it.
        because: String,
    },
    /// The OS keyring could not be used (no secret service running, access refused).
    #[error("the OS keyring is not available ({reason}); set REDLINE_LLM_API_KEY, or name the variable holding the key with api-key-env in [llm] of the config file")]
    Keyring {
        /// What the keyring said.
        reason: String,
    },
    /// Anything else the HTTP layer reported, with its cause.
    #[error("the request to the model server at {url} failed: {message}")]
    Other {
        /// The cause, from the HTTP library.
        message: String,
        /// The endpoint's base URL.
        url: String,
    },
}

fn timeout_message(phase: &str, after: Duration, url: &str) -> String {
    let after = seconds(after);
    match phase {
        "connect" => format!("could not connect to the model server at {url} within {after}"),
        "first byte" => format!(
            "the model server at {url} sent nothing for {after} after the request \
             (first-byte timeout; is the model still loading?)"
        ),
        "idle" => format!(
            "the model server at {url} stopped sending mid-answer: nothing for {after} \
             (idle timeout)"
        ),
        _ => format!("the answer from the model server at {url} took longer than {after} in all"),
    }
}

fn retry_after_message(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!(" (it asked to wait {})", seconds(wait)),
        None => String::new(),
    }
}

/// A duration as people read it: `300 ms`, `1.5 s`, `60 s`.
fn seconds(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

impl LlmError {
    /// Whether the failure means no model server could be reached at all, so the user needs to
    /// start or configure one (rather than retry).
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            LlmError::Refused { .. }
                | LlmError::Timeout {
                    phase: "connect",
                    ..
                }
        )
    }
}

impl From<&LlmError> for ErrorReport {
    fn from(error: &LlmError) -> Self {
        let kind = match error {
            _ if error.is_unreachable() => ErrorKind::LlmUnreachable,
            LlmError::Cancelled => ErrorKind::Cancelled,
            LlmError::InvalidSetting { .. }
            | LlmError::MissingSetting { .. }
            | LlmError::Keyring { .. } => ErrorKind::InvalidConfig,
            _ => ErrorKind::Llm,
        };
        ErrorReport {
            kind,
            message: error.to_string(),
        }
    }
}

impl From<LlmError> for ErrorReport {
    fn from(error: LlmError) -> Self {
        ErrorReport::from(&error)
    }
}
