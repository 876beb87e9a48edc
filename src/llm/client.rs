//! The HTTP exchange with one model server, within [`Limits`].
//!
//! Decisions, each for a reason:
//! - **Timeouts** are phases of one request: connecting ([`Limits::connect`]), from sending to
//!   the first byte of the body ([`Limits::first_byte`]: a model loading or reading a long
//!   prompt), between chunks ([`Limits::idle`]) and all of it, retries included
//!   ([`Limits::total`]). A timeout is not retried: it already took the whole wait the user
//!   agreed to, and the server that did not answer would most likely not answer again.
//! - **Retries** (at most [`Limits::retries`]) on 429, on 5xx other than 501/505 and on a
//!   connection that dropped before any answer, with exponential backoff and full jitter, or the
//!   server's `Retry-After` (seconds or an HTTP date), each wait capped at
//!   [`Limits::max_backoff`]. A wait that would pass the total deadline is not taken: the error
//!   is returned at once. A refused connection is retried once only: nothing listens there, and
//!   one retry covers a server that is restarting, while more would only delay the "is it
//!   running?" message.
//! - **Never a retry after text was delivered**: `on_token` has shown it; a second attempt would
//!   sample a different answer that cannot be spliced onto the first.
//! - **A cut-off stream** (no `[DONE]` / `message_stop`, or the connection dropped) is
//!   [`LlmError::Truncated`] with the partial text; an answer without its end marker is never
//!   passed off as complete.
//! - **Cancellation** is checked at every wait (the queue, each read, each backoff): the request
//!   future is dropped at once, which closes the connection, so the server sees the client leave
//!   and can stop generating.
//! - **Concurrency**: a FIFO semaphore shared by the clones of a [`Client`]; the queue is the
//!   semaphore's, and the slot is held through the retries (a server that is rate limiting gains
//!   nothing from more requests at once). The total timeout starts once a slot is had.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER,
};
use tokio::sync::Semaphore;
use tokio::time::{sleep, timeout_at, Instant};
use tokio_util::sync::CancellationToken;

use super::protocol::{self, Decoder, Fault, Step, Tally};
use super::retry::{is_retryable_status, next_wait, parse_retry_after, Retry, Tries};
use super::sse::SseParser;
use super::{anthropic, openai, Answer, ChatRequest, Endpoint, Limits, LlmError, Provider, Usage};

/// The most of an error response's body read for its message.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Room for the framing of one SSE event around its share of the answer text.
const EVENT_OVERHEAD: usize = 64 * 1024;

/// A model server client: cheap to clone, and the clones share one connection pool and one
/// concurrency limit.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: Endpoint,
    limits: Limits,
    /// `{base_url}/chat/completions` or `{base_url}/messages`.
    url: String,
    slots: Semaphore,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("limits", &self.inner.limits)
            .finish_non_exhaustive()
    }
}

/// Why an attempt failed and whether another may follow.
struct Failure {
    error: LlmError,
    retry: Retry,
}

impl From<LlmError> for Failure {
    fn from(error: LlmError) -> Self {
        Failure {
            error,
            retry: Retry::Never,
        }
    }
}

/// What the current request has delivered so far, across its attempts.
struct Progress {
    start: Instant,
    first_token: Option<Duration>,
    delivered: bool,
}

impl Client {
    /// A client for `endpoint` within `limits`. Fails when the base URL is not an http(s) URL or
    /// the concurrency limit is 0. Plain http is fine for local servers; https uses rustls with
    /// the platform's certificate verifier. A loopback endpoint never goes through a proxy.
    pub fn new(endpoint: Endpoint, limits: Limits) -> Result<Client, LlmError> {
        let base_url =
            super::discover::checked_base_url("the model server's base URL", &endpoint.base_url)?;
        if limits.concurrency == 0 {
            return Err(LlmError::InvalidSetting {
                name: "the model request concurrency".to_owned(),
                value: "0".to_owned(),
                expected: "at least 1".to_owned(),
            });
        }
        install_crypto_provider();
        let mut builder = reqwest::Client::builder()
            .connect_timeout(limits.connect)
            .user_agent(concat!("redline/", env!("CARGO_PKG_VERSION")))
            // A model API does not redirect; following one could send the key elsewhere.
            .redirect(reqwest::redirect::Policy::none());
        if is_loopback(&base_url) {
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| LlmError::Other {
            message: error_chain(&e),
            url: base_url.clone(),
        })?;
        let url = match endpoint.provider {
            Provider::OpenAi => format!("{base_url}/chat/completions"),
            Provider::Anthropic => format!("{base_url}/messages"),
        };
        let slots = Semaphore::new(limits.concurrency);
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                endpoint: Endpoint {
                    base_url,
                    ..endpoint
                },
                limits,
                url,
                slots,
            }),
        })
    }

    /// The endpoint this client asks.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The limits this client keeps.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// Streams the answer: `on_token` gets each text delta as it arrives; returns the whole
    /// answer and usage. Falls back to a non-streaming answer when the server answers a
    /// streaming request with a complete JSON body (`application/json`) instead of SSE: then
    /// `on_token` gets the whole text once and [`Usage::streamed`] is false.
    ///
    /// Waits for a free slot first (FIFO). On error, the text already given to `on_token` stays
    /// given; see the module documentation for retries, truncation and cancellation.
    pub async fn stream(
        &self,
        request: &ChatRequest,
        cancel: &CancellationToken,
        mut on_token: impl FnMut(&str) + Send,
    ) -> Result<Answer, LlmError> {
        self.run(request, cancel, true, &mut on_token).await
    }

    /// Asks for the whole answer at once (no streaming), with the same limits and retries.
    pub async fn complete(
        &self,
        request: &ChatRequest,
        cancel: &CancellationToken,
    ) -> Result<Answer, LlmError> {
        self.run(request, cancel, false, &mut |_: &str| {}).await
    }

    async fn run(
        &self,
        request: &ChatRequest,
        cancel: &CancellationToken,
        streaming: bool,
        on_token: &mut (dyn FnMut(&str) + Send),
    ) -> Result<Answer, LlmError> {
        let inner = &*self.inner;
        let limits = &inner.limits;
        let queued_at = Instant::now();
        let _slot = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(LlmError::Cancelled),
            slot = inner.slots.acquire() => slot.map_err(|_| LlmError::Other {
                message: "the request queue was closed".to_owned(),
                url: inner.endpoint.base_url.clone(),
            })?,
        };
        let start = Instant::now();
        let deadline = start + limits.total;
        let body = match inner.endpoint.provider {
            Provider::OpenAi => openai::request_body(&inner.endpoint.model, request, streaming),
            Provider::Anthropic => {
                anthropic::request_body(&inner.endpoint.model, request, streaming)
            }
        };
        let mut progress = Progress {
            start,
            first_token: None,
            delivered: false,
        };
        let mut attempts = 0;
        let mut refused_before = false;
        loop {
            attempts += 1;
            let failure = match self
                .attempt(&body, cancel, deadline, on_token, &mut progress)
                .await
            {
                Ok((text, tally, streamed)) => {
                    return Ok(Answer {
                        text,
                        stop_reason: tally.stop_reason,
                        usage: Usage {
                            input_tokens: tally.input_tokens,
                            output_tokens: tally.output_tokens,
                            first_token: progress.first_token,
                            total: start.elapsed(),
                            queued: start - queued_at,
                            attempts,
                            streamed,
                        },
                    })
                }
                Err(failure) => failure,
            };
            let Some(wait) = next_wait(
                &failure.retry,
                Tries {
                    made: attempts,
                    refused_before,
                    delivered: progress.delivered,
                },
                limits,
                fastrand::f64(),
            ) else {
                return Err(failure.error);
            };
            refused_before |= matches!(failure.retry, Retry::Refused);
            if Instant::now() + wait >= deadline {
                return Err(failure.error);
            }
            tracing::debug!(attempt = attempts, ?wait, error = %failure.error, "retrying a model request");
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(LlmError::Cancelled),
                _ = sleep(wait) => {}
            }
        }
    }

    /// One HTTP request: its text, usage and whether it streamed.
    async fn attempt(
        &self,
        body: &[u8],
        cancel: &CancellationToken,
        deadline: Instant,
        on_token: &mut (dyn FnMut(&str) + Send),
        progress: &mut Progress,
    ) -> Result<(String, Tally, bool), Failure> {
        let inner = &*self.inner;
        let limits = &inner.limits;
        let first_byte_by = Instant::now() + limits.first_byte;
        let mut request = inner
            .http
            .post(&inner.url)
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "text/event-stream, application/json")
            .body(body.to_vec());
        if inner.endpoint.provider == Provider::Anthropic {
            request = request.header("anthropic-version", "2023-06-01");
        }
        if let Some(key) = &inner.endpoint.api_key {
            let (name, value) = match inner.endpoint.provider {
                Provider::OpenAi => (AUTHORIZATION, format!("Bearer {}", key.expose())),
                Provider::Anthropic => (
                    HeaderName::from_static("x-api-key"),
                    key.expose().to_owned(),
                ),
            };
            // A key that is not a valid header value (a pasted newline) is sent as nothing; the
            // server's 401 then says what is wrong without the key appearing anywhere.
            if let Ok(mut value) = HeaderValue::from_str(&value) {
                // Sensitive values are left out of the HTTP stack's debug output.
                value.set_sensitive(true);
                request = request.header(name, value);
            }
        }
        let sent = self
            .guard(
                request.send(),
                first_byte_by,
                "first byte",
                limits.first_byte,
                cancel,
                deadline,
            )
            .await?;
        let mut response = sent.map_err(|e| self.send_failure(&e))?;
        let status = response.status();
        let content_type = media_type(response.headers());
        if !status.is_success() {
            return Err(self
                .status_failure(response, &content_type, first_byte_by, cancel, deadline)
                .await);
        }
        match content_type.as_str() {
            "text/event-stream" => self
                .read_stream(
                    &mut response,
                    first_byte_by,
                    cancel,
                    deadline,
                    on_token,
                    progress,
                )
                .await
                .map(|(text, tally)| (text, tally, true)),
            "application/json" => {
                let limit = limits
                    .max_answer_bytes
                    .saturating_mul(8)
                    .saturating_add(EVENT_OVERHEAD);
                let body = self
                    .read_body(&mut response, limit, first_byte_by, cancel, deadline)
                    .await?
                    .ok_or_else(|| {
                        self.error(|url| LlmError::TooLarge {
                            limit: limits.max_answer_bytes,
                            url,
                        })
                    })?;
                let completed = protocol::decode_complete(inner.endpoint.provider, &body)
                    .map_err(|fault| self.fault(fault))?;
                if completed.text.len() > limits.max_answer_bytes {
                    return Err(self.too_large().into());
                }
                if !completed.text.is_empty() {
                    progress.first_token = Some(progress.start.elapsed());
                    progress.delivered = true;
                    on_token(&completed.text);
                }
                Ok((completed.text, completed.tally, false))
            }
            other => Err(self
                .error(|url| LlmError::ContentType {
                    got: if other.is_empty() {
                        "no content type".to_owned()
                    } else {
                        other.to_owned()
                    },
                    url,
                })
                .into()),
        }
    }

    /// Reads an SSE answer to its end marker, handing each text delta to `on_token`.
    async fn read_stream(
        &self,
        response: &mut reqwest::Response,
        first_byte_by: Instant,
        cancel: &CancellationToken,
        deadline: Instant,
        on_token: &mut (dyn FnMut(&str) + Send),
        progress: &mut Progress,
    ) -> Result<(String, Tally), Failure> {
        let limits = &self.inner.limits;
        let mut parser = SseParser::new(limits.max_answer_bytes.saturating_add(EVENT_OVERHEAD));
        let mut decoder = Decoder::new(self.inner.endpoint.provider);
        let mut text = String::new();
        let mut events = Vec::new();
        let mut started = false;
        loop {
            let (by, phase, after) = if started {
                (Instant::now() + limits.idle, "idle", limits.idle)
            } else {
                (first_byte_by, "first byte", limits.first_byte)
            };
            let chunk = match self
                .guard(response.chunk(), by, phase, after, cancel, deadline)
                .await?
            {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) => {
                    let error = LlmError::Truncated {
                        partial: text,
                        reason: format!("the connection failed ({})", error_chain(&e)),
                        url: self.inner.endpoint.base_url.clone(),
                    };
                    // A connection lost before any text is worth another attempt.
                    let retry = if progress.delivered {
                        Retry::Never
                    } else {
                        Retry::After(None)
                    };
                    return Err(Failure { error, retry });
                }
            };
            started = true;
            parser
                .feed(&chunk, &mut events)
                .map_err(|_| self.too_large())?;
            for event in events.drain(..) {
                match decoder
                    .on_event(&event)
                    .map_err(|fault| self.fault(fault))?
                {
                    Step::Text(delta) => {
                        if text.len() + delta.len() > limits.max_answer_bytes {
                            return Err(self.too_large().into());
                        }
                        if progress.first_token.is_none() {
                            progress.first_token = Some(progress.start.elapsed());
                        }
                        progress.delivered = true;
                        on_token(&delta);
                        text.push_str(&delta);
                    }
                    Step::Nothing => {}
                    Step::Done => return Ok((text, decoder.tally)),
                }
            }
        }
        let reason = if parser.has_pending() {
            format!(
                "the stream ended mid-event, without {}",
                decoder.end_marker()
            )
        } else {
            format!("the stream ended without {}", decoder.end_marker())
        };
        Err(self
            .error(|url| LlmError::Truncated {
                partial: text,
                reason,
                url,
            })
            .into())
    }

    /// Reads a whole body of at most `limit` bytes; `None` when it is longer.
    async fn read_body(
        &self,
        response: &mut reqwest::Response,
        limit: usize,
        first_byte_by: Instant,
        cancel: &CancellationToken,
        deadline: Instant,
    ) -> Result<Option<Vec<u8>>, Failure> {
        let limits = &self.inner.limits;
        let mut body = Vec::new();
        let mut started = false;
        loop {
            let (by, phase, after) = if started {
                (Instant::now() + limits.idle, "idle", limits.idle)
            } else {
                (first_byte_by, "first byte", limits.first_byte)
            };
            match self
                .guard(response.chunk(), by, phase, after, cancel, deadline)
                .await?
            {
                Ok(Some(chunk)) => {
                    started = true;
                    if body.len() + chunk.len() > limit {
                        return Ok(None);
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(Some(body)),
                Err(e) => {
                    return Err(Failure {
                        error: self.error(|url| LlmError::Truncated {
                            partial: String::new(),
                            reason: format!("the connection failed ({})", error_chain(&e)),
                            url,
                        }),
                        retry: Retry::After(None),
                    })
                }
            }
        }
    }

    /// The failure an error status means, with the server's message, and whether to retry.
    async fn status_failure(
        &self,
        mut response: reqwest::Response,
        content_type: &str,
        first_byte_by: Instant,
        cancel: &CancellationToken,
        deadline: Instant,
    ) -> Failure {
        let code = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        // The body only words the message; a slow or huge one is not worth waiting for.
        let message = match self
            .read_body(
                &mut response,
                ERROR_BODY_LIMIT,
                first_byte_by,
                cancel,
                deadline,
            )
            .await
        {
            Ok(Some(body)) => protocol::error_body_message(&body, content_type),
            Ok(None) => "an error body too long to show".to_owned(),
            Err(Failure {
                error: LlmError::Cancelled,
                ..
            }) => return LlmError::Cancelled.into(),
            Err(_) => "no details (the error body could not be read)".to_owned(),
        };
        let url = self.inner.endpoint.base_url.clone();
        let error = if code == 429 {
            LlmError::RateLimited { retry_after, url }
        } else {
            let reason = reqwest::StatusCode::from_u16(code)
                .ok()
                .and_then(|s| s.canonical_reason())
                .map(|r| format!(" {r}"))
                .unwrap_or_default();
            LlmError::Status {
                code,
                message: format!("{reason}: {message}")
                    .trim_start_matches(": ")
                    .trim_start()
                    .to_owned(),
                url,
            }
        };
        Failure {
            error,
            retry: if is_retryable_status(code) {
                Retry::After(retry_after)
            } else {
                Retry::Never
            },
        }
    }

    /// The failure of sending a request (no response yet).
    fn send_failure(&self, error: &reqwest::Error) -> Failure {
        let url = self.inner.endpoint.base_url.clone();
        if error.is_connect() {
            if is_refused(error) {
                return Failure {
                    error: LlmError::Refused { url },
                    retry: Retry::Refused,
                };
            }
            if error.is_timeout() {
                return LlmError::Timeout {
                    phase: "connect",
                    after: self.inner.limits.connect,
                    url,
                }
                .into();
            }
            // Name resolution, TLS: retrying does not fix these.
            return LlmError::Other {
                message: error_chain(error),
                url,
            }
            .into();
        }
        // The connection was made and then lost before an answer (a server closing a kept-alive
        // connection, a restart): nothing was delivered, so another attempt is safe.
        Failure {
            error: LlmError::Other {
                message: error_chain(error),
                url,
            },
            retry: Retry::After(None),
        }
    }

    /// Runs `future` until `by` (the phase's limit) or the total deadline, whichever is first,
    /// or until cancelled; dropping the future drops the request.
    async fn guard<T>(
        &self,
        future: impl Future<Output = T>,
        by: Instant,
        phase: &'static str,
        after: Duration,
        cancel: &CancellationToken,
        deadline: Instant,
    ) -> Result<T, Failure> {
        let (by, phase, after) = if deadline <= by {
            (deadline, "total", self.inner.limits.total)
        } else {
            (by, phase, after)
        };
        tokio::select! {
            biased;
            _ = cancel.cancelled() => Err(LlmError::Cancelled.into()),
            result = timeout_at(by, future) => result.map_err(|_| {
                self.error(|url| LlmError::Timeout { phase, after, url }).into()
            }),
        }
    }

    fn error(&self, make: impl FnOnce(String) -> LlmError) -> LlmError {
        make(self.inner.endpoint.base_url.clone())
    }

    fn too_large(&self) -> LlmError {
        self.error(|url| LlmError::TooLarge {
            limit: self.inner.limits.max_answer_bytes,
            url,
        })
    }

    fn fault(&self, fault: Fault) -> LlmError {
        match fault {
            Fault::Malformed(what) => self.error(|url| LlmError::Malformed { what, url }),
            Fault::Server(message) => self.error(|url| LlmError::Server { message, url }),
        }
    }
}

/// The media type of a response, lower case, without parameters (`text/event-stream`).
fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether the connection was refused: the OS's `ECONNREFUSED`, somewhere in the error's causes.
fn is_refused(error: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return true;
            }
        }
        cause = current.source();
    }
    false
}

/// An error and its causes on one line, without the URL (the message names the server).
fn error_chain(error: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(current) = cause {
        let text = current.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        cause = current.source();
    }
    if parts.is_empty() {
        error.to_string()
    } else {
        parts.join(": ")
    }
}

fn is_loopback(base_url: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(base_url) else {
        return false;
    };
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Makes TLS usable before any reqwest client is built (every one panics without a provider).
/// reqwest is built without a default crypto provider: its default, aws-lc-rs, is a long C
/// build. `ring` builds with a C compiler alone; rustls deprecated its provider for lacking
/// post-quantum key exchange, a trade we accept for prompts about code. It is installed
/// process-wide unless something else already installed one, in which case that one serves.
pub(crate) fn install_crypto_provider() {
    #[allow(deprecated)]
    let _ = rustls::crypto::ring::default_provider().install_default();
}
