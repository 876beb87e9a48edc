//! A fake model server on 127.0.0.1 for the LLM client's tests: real TCP, hand-rolled HTTP/1.1,
//! speaking OpenAI-compatible chat completions and Anthropic Messages as scripted by each test,
//! and injecting faults (silence, stalls, dropped connections, wrong content types, error
//! statuses). It records the requests it received and, with timestamps, when each connection
//! arrived, finished its reply or was closed by the client, so tests assert on what the server
//! saw rather than on sleeps. A test crate includes it with
//! `#[path = "support/fake_llm.rs"] mod fake_llm;`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};

/// How long a held connection waits for the client to close it before giving up.
const HOLD_LIMIT: Duration = Duration::from_secs(10);

/// One step of a scripted reply.
#[derive(Debug, Clone)]
pub enum Action {
    /// The status line and headers (`Connection: close` is added, and `Transfer-Encoding:
    /// chunked` unless a `Content-Length` is given).
    Head {
        status: u16,
        headers: Vec<(String, String)>,
    },
    /// Body bytes: one HTTP chunk when chunked.
    Body(Vec<u8>),
    /// Wait, noticing if the client closes the connection meanwhile.
    Pause(Duration),
    /// Send nothing more and wait until the client closes the connection.
    Hold,
    /// Close the connection at once, without ending the chunked body.
    Abort,
}

/// A scripted reply to one request.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub actions: Vec<Action>,
}

impl Reply {
    /// A reply that starts with a status line and a content type.
    pub fn head(status: u16, content_type: &str) -> Reply {
        Reply {
            actions: vec![Action::Head {
                status,
                headers: vec![("Content-Type".into(), content_type.into())],
            }],
        }
    }

    /// A server that reads the request and says nothing, until the client leaves.
    pub fn silent() -> Reply {
        Reply {
            actions: vec![Action::Hold],
        }
    }

    /// An SSE reply, its events not yet sent.
    pub fn sse() -> Reply {
        Reply::head(200, "text/event-stream")
    }

    /// A whole body with a `Content-Length`.
    pub fn body(status: u16, content_type: &str, body: &str) -> Reply {
        Reply::head(status, content_type)
            .header("Content-Length", &body.len().to_string())
            .then(Action::Body(body.as_bytes().to_vec()))
    }

    /// A JSON body.
    pub fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::body(status, "application/json", &body.to_string())
    }

    /// An OpenAI-compatible stream of `tokens`, with a usage chunk (11 prompt tokens, one per
    /// token) and `[DONE]`.
    pub fn openai(tokens: &[&str]) -> Reply {
        let mut reply = Reply::sse().event(&openai_role());
        for token in tokens {
            reply = reply.event(&openai_token(token));
        }
        reply
            .event(&openai_finish("stop"))
            .event(&openai_usage(11, tokens.len() as u32))
            .event(OPENAI_DONE)
    }

    /// An Anthropic Messages stream of `tokens`, with usage (25 input tokens, one per token).
    pub fn anthropic(tokens: &[&str]) -> Reply {
        let mut reply = Reply::sse()
            .event(&anthropic_event(
                "message_start",
                serde_json::json!({"message": {"id": "msg_1", "type": "message", "role": "assistant",
                    "content": [], "usage": {"input_tokens": 25, "output_tokens": 1}}}),
            ))
            .event(&anthropic_event(
                "content_block_start",
                serde_json::json!({"index": 0, "content_block": {"type": "text", "text": ""}}),
            ))
            .event("event: ping\ndata: {\"type\": \"ping\"}\n\n");
        for token in tokens {
            reply = reply.event(&anthropic_token(token));
        }
        reply
            .event(&anthropic_event(
                "content_block_stop",
                serde_json::json!({"index": 0}),
            ))
            .event(&anthropic_event(
                "message_delta",
                serde_json::json!({"delta": {"stop_reason": "end_turn", "stop_sequence": null},
                    "usage": {"output_tokens": tokens.len()}}),
            ))
            .event(&anthropic_event("message_stop", serde_json::json!({})))
    }

    /// Adds a header to the reply's head.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Some(Action::Head { headers, .. }) = self.actions.first_mut() {
            headers.push((name.into(), value.into()));
        }
        self
    }

    /// Adds a step.
    pub fn then(mut self, action: Action) -> Reply {
        self.actions.push(action);
        self
    }

    /// Adds an SSE event (or any text) as one body chunk.
    pub fn event(self, text: &str) -> Reply {
        self.then(Action::Body(text.as_bytes().to_vec()))
    }

    /// Adds a pause.
    pub fn pause(self, duration: Duration) -> Reply {
        self.then(Action::Pause(duration))
    }

    /// Removes the last `n` steps (e.g. the end marker of a stream).
    pub fn without_last(mut self, n: usize) -> Reply {
        let keep = self.actions.len().saturating_sub(n);
        self.actions.truncate(keep);
        self
    }
}

/// The first chunk of an OpenAI-compatible stream: the role, no content.
pub fn openai_role() -> String {
    sse_data(
        &serde_json::json!({"id": "chatcmpl-1", "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": {"role": "assistant", "content": null}, "finish_reason": null}]}),
    )
}

/// A chunk carrying one token.
pub fn openai_token(token: &str) -> String {
    sse_data(
        &serde_json::json!({"id": "chatcmpl-1", "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": {"content": token}, "finish_reason": null}]}),
    )
}

/// The chunk with the finish reason.
pub fn openai_finish(reason: &str) -> String {
    sse_data(
        &serde_json::json!({"id": "chatcmpl-1", "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": {}, "finish_reason": reason}]}),
    )
}

/// The usage chunk sent for `stream_options.include_usage`.
pub fn openai_usage(prompt: u32, completion: u32) -> String {
    sse_data(
        &serde_json::json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}}),
    )
}

/// The end marker of an OpenAI-compatible stream.
pub const OPENAI_DONE: &str = "data: [DONE]\n\n";

/// An Anthropic event of `kind` with `fields` (the `type` is added).
pub fn anthropic_event(kind: &str, mut fields: serde_json::Value) -> String {
    fields["type"] = kind.into();
    format!("event: {kind}\ndata: {fields}\n\n")
}

/// An Anthropic `text_delta`.
pub fn anthropic_token(token: &str) -> String {
    anthropic_event(
        "content_block_delta",
        serde_json::json!({"index": 0, "delta": {"type": "text_delta", "text": token}}),
    )
}

fn sse_data(value: &serde_json::Value) -> String {
    format!("data: {value}\n\n")
}

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub at: Instant,
}

impl Received {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

/// Something the server saw happen on a connection (numbered from 0 in order of arrival).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// A request arrived whole.
    Arrived { conn: usize, at: Instant },
    /// The server sent its whole reply; `at` is when its last part started on its way.
    Finished { conn: usize, at: Instant },
    /// The client closed the connection before the reply was over.
    ClientClosed { conn: usize, at: Instant },
}

#[derive(Default)]
struct State {
    script: Mutex<VecDeque<Reply>>,
    routes: Mutex<Vec<(String, String, Reply)>>,
    received: Mutex<Vec<Received>>,
    seen: Mutex<Vec<Seen>>,
    connections: Mutex<usize>,
}

/// The running fake server; it stops when dropped.
pub struct FakeLlm {
    addr: SocketAddr,
    state: Arc<State>,
    changed: watch::Receiver<usize>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeLlm {
    /// Starts a server that answers requests with `script`, in order; a request beyond the
    /// script gets a 500 saying so.
    pub fn start(script: Vec<Reply>) -> FakeLlm {
        FakeLlm::with_routes(script, Vec::new())
    }

    /// Starts a server that answers `(method, path)` with the same reply every time, and other
    /// requests with `script`.
    pub fn with_routes(script: Vec<Reply>, routes: Vec<(&str, &str, Reply)>) -> FakeLlm {
        let state = Arc::new(State::default());
        *state.script.lock().unwrap() = script.into();
        *state.routes.lock().unwrap() = routes
            .into_iter()
            .map(|(m, p, r)| (m.to_owned(), p.to_owned(), r))
            .collect();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel();
        let (notify, changed) = watch::channel(0usize);
        let server_state = state.clone();
        // Its own thread and runtime, so a test that blocks its own runtime cannot stall the
        // server, and the server's timing is independent of the client's.
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).unwrap();
                let notify = Arc::new(notify);
                let accept = async {
                    loop {
                        let Ok((stream, _)) = listener.accept().await else {
                            continue;
                        };
                        let state = server_state.clone();
                        let notify = notify.clone();
                        tokio::spawn(serve(stream, state, notify));
                    }
                };
                tokio::select! {
                    _ = accept => {}
                    _ = stopped => {}
                }
            });
        });
        FakeLlm {
            addr,
            state,
            changed,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The requests received so far.
    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }

    /// What the server saw so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    /// Waits until what the server saw satisfies `done`, at most `limit`; returns it. Panics
    /// (with what was seen) when the limit passes.
    pub async fn wait_for(&self, limit: Duration, done: impl Fn(&[Seen]) -> bool) -> Vec<Seen> {
        let mut changed = self.changed.clone();
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let seen = self.seen();
            if done(&seen) {
                return seen;
            }
            if tokio::time::timeout_at(deadline, changed.changed())
                .await
                .is_err()
            {
                panic!("the fake server did not see it within {limit:?}; it saw {seen:?}");
            }
        }
    }
}

impl Drop for FakeLlm {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn record(state: &State, notify: &watch::Sender<usize>, seen: Seen) {
    state.seen.lock().unwrap().push(seen);
    notify.send_modify(|n| *n += 1);
}

async fn serve(stream: TcpStream, state: Arc<State>, notify: Arc<watch::Sender<usize>>) {
    let (mut reader, mut writer) = stream.into_split();
    let Some(request) = read_request(&mut reader).await else {
        return;
    };
    let conn = {
        let mut connections = state.connections.lock().unwrap();
        *connections += 1;
        *connections - 1
    };
    let reply = {
        let routes = state.routes.lock().unwrap();
        let routed = routes
            .iter()
            .find(|(m, p, _)| *m == request.method && *p == request.path)
            .map(|(_, _, r)| r.clone());
        routed.or_else(|| state.script.lock().unwrap().pop_front())
    };
    let at = request.at;
    state.received.lock().unwrap().push(request);
    record(&state, &notify, Seen::Arrived { conn, at });
    let reply = reply.unwrap_or_else(|| {
        Reply::json(
            500,
            &serde_json::json!({"error": {"message": "the fake server has no reply scripted for this request"}}),
        )
    });
    let closed = |state: &State| {
        record(
            state,
            &notify,
            Seen::ClientClosed {
                conn,
                at: Instant::now(),
            },
        )
    };
    let mut chunked = false;
    // When the last part of the reply started on its way: the client cannot have the whole
    // reply before this instant, so it orders the server's "finished" before anything the
    // client does after its answer.
    let mut last_write = Instant::now();
    for action in reply.actions {
        match action {
            Action::Head { status, headers } => {
                chunked = !headers
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case("content-length"));
                let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
                for (name, value) in &headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                if chunked {
                    head.push_str("Transfer-Encoding: chunked\r\n");
                }
                head.push_str("Connection: close\r\n\r\n");
                last_write = Instant::now();
                if writer.write_all(head.as_bytes()).await.is_err() {
                    return closed(&state);
                }
            }
            Action::Body(bytes) => {
                let framed = if chunked {
                    let mut framed = format!("{:x}\r\n", bytes.len()).into_bytes();
                    framed.extend_from_slice(&bytes);
                    framed.extend_from_slice(b"\r\n");
                    framed
                } else {
                    bytes
                };
                last_write = Instant::now();
                if writer.write_all(&framed).await.is_err() || writer.flush().await.is_err() {
                    return closed(&state);
                }
            }
            Action::Pause(duration) => {
                if client_left_within(&mut reader, duration).await {
                    return closed(&state);
                }
            }
            Action::Hold => {
                if client_left_within(&mut reader, HOLD_LIMIT).await {
                    closed(&state);
                }
                return;
            }
            Action::Abort => return,
        }
    }
    record(
        &state,
        &notify,
        Seen::Finished {
            conn,
            at: last_write,
        },
    );
    // The client may already have gone once it had its end marker: that is fine.
    if chunked {
        let _ = writer.write_all(b"0\r\n\r\n").await;
    }
    let _ = writer.shutdown().await;
}

/// Whether the client closed the connection within `duration` (the request was read whole, so
/// anything read now is the end of the stream or an error).
async fn client_left_within(reader: &mut OwnedReadHalf, duration: Duration) -> bool {
    let mut buf = [0u8; 256];
    let deadline = tokio::time::Instant::now() + duration;
    loop {
        match tokio::time::timeout_at(deadline, reader.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

async fn read_request(reader: &mut OwnedReadHalf) -> Option<Received> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = reader.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = reader.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    Some(Received {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&data[head_end..head_end + length]).into_owned(),
        at: Instant::now(),
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// A port on 127.0.0.1 that nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
