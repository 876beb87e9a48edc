//! A real llama-server serving SmolLM2-135M-Instruct on 127.0.0.1, for the tests that run
//! against real weights. A test crate includes it with
//! `#[path = "support/llm_server.rs"] mod llm_server;`.
//!
//! The server and the model are installed by `scripts/llm-server.sh install` (which `./x test`
//! runs); the flags live in that script's `serve`, so a manual run and the tests serve the same
//! way. A missing install is a loud failure, never a skipped test.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long the server has to load the model and answer `/health` (it takes well under a
/// second on an idle machine; the margin is for a machine busy compiling).
const READY_DEADLINE: Duration = Duration::from_secs(60);
const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// Starts whose port was taken between our probe and the server's bind are retried.
const START_ATTEMPTS: usize = 3;

/// A running llama-server, killed when dropped.
pub struct LlamaServer {
    child: Child,
    port: u16,
    model: String,
    log: PathBuf,
    // Holds the log file's folder until the server is gone.
    _dir: tempfile::TempDir,
}

impl LlamaServer {
    /// Starts the server on a free port of 127.0.0.1 and waits until it answers. Panics, with
    /// the command that installs it, when llama-server or the model is not installed.
    pub fn start() -> LlamaServer {
        let script = script();
        let path = Command::new("bash")
            .arg(&script)
            .arg("path")
            .output()
            .unwrap_or_else(|error| panic!("cannot run {}: {error}", script.display()));
        if !path.status.success() {
            panic!(
                "llama-server and SmolLM2-135M-Instruct are not installed; these tests need \
                 them. Install them with:\n    {} install\n{}",
                script.display(),
                String::from_utf8_lossy(&path.stderr).trim()
            );
        }
        let dir = tempfile::tempdir().expect("a temp dir for the server's log");
        let log = dir.path().join("llama-server.log");
        let mut attempt = 1;
        loop {
            let port = free_port();
            let mut child = spawn(&script, port, &log);
            match wait_ready(&mut child, port) {
                Ok(()) => {
                    let mut server = LlamaServer {
                        child,
                        port,
                        model: String::new(),
                        log,
                        _dir: dir,
                    };
                    server.model = server.reported_model();
                    return server;
                }
                Err(why) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let output = std::fs::read_to_string(&log).unwrap_or_default();
                    let port_taken = output.contains("bind") || output.contains("in use");
                    if port_taken && attempt < START_ATTEMPTS {
                        attempt += 1;
                        continue;
                    }
                    panic!(
                        "llama-server did not start on 127.0.0.1:{port}: {why}\n--- its log ---\n{}",
                        tail(&output, 60)
                    );
                }
            }
        }
    }

    /// The OpenAI-compatible base URL, `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The model's name as `/v1/models` reports it.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// Everything the server has printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn reported_model(&self) -> String {
        let (status, body) =
            get(self.port, "/v1/models").unwrap_or_else(|error| panic!("GET /v1/models: {error}"));
        assert_eq!(status, 200, "GET /v1/models answered {status}: {body}");
        let models: serde_json::Value = serde_json::from_str(&body)
            .unwrap_or_else(|error| panic!("GET /v1/models is not JSON ({error}): {body}"));
        models["data"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("GET /v1/models names no model: {body}"))
            .to_string()
    }
}

impl Drop for LlamaServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("--- llama-server's log ---\n{}", tail(&self.log(), 40));
        }
    }
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/llm-server.sh")
}

/// A port that was free a moment ago; `start` retries if another process takes it first.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
    listener.local_addr().expect("the bound port").port()
}

/// The script's `serve` execs llama-server, so the child is the server itself.
fn spawn(script: &Path, port: u16, log: &Path) -> Child {
    let out = File::create(log).expect("create the server's log");
    let err = out.try_clone().expect("share the server's log");
    Command::new("bash")
        .arg(script)
        .arg("serve")
        .arg(port.to_string())
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {}: {error}", script.display()))
}

/// Polls `GET /health` until it answers 200 (it answers 503 while the model loads).
fn wait_ready(child: &mut Child, port: u16) -> Result<(), String> {
    let deadline = Instant::now() + READY_DEADLINE;
    loop {
        if let Some(status) = child.try_wait().map_err(|error| error.to_string())? {
            return Err(format!("it exited ({status})"));
        }
        let last = match get(port, "/health") {
            Ok((200, _)) => return Ok(()),
            Ok((status, body)) => format!("/health answered {status}: {body}"),
            Err(error) => format!("/health: {error}"),
        };
        if Instant::now() >= deadline {
            return Err(format!("not ready after {READY_DEADLINE:?} ({last})"));
        }
        std::thread::sleep(POLL_INTERVAL);
    }
}

/// `GET path` over HTTP/1.1 on 127.0.0.1:port: the status and the body.
fn get(port: u16, path: &str) -> io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(SocketAddr::from(([127, 0, 0, 1], port)))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let response = read_response(&mut stream)?;
    Ok((
        response.status,
        String::from_utf8_lossy(&response.body).into_owned(),
    ))
}

/// An HTTP/1.1 response read to the end of a `Connection: close` exchange.
pub struct Response {
    pub status: u16,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
    /// The body, with any chunked transfer encoding undone.
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Reads a whole response from a stream whose request said `Connection: close`.
pub fn read_response(stream: &mut impl Read) -> io::Result<Response> {
    let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .ok_or_else(|| invalid("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("no status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(key, value)| key == "transfer-encoding" && value.contains("chunked"));
    if chunked {
        body = dechunk(&body).ok_or_else(|| invalid("malformed chunked body"))?;
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let end = raw.windows(2).position(|window| window == b"\r\n")?;
        let size = std::str::from_utf8(&raw[..end]).ok()?;
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        raw = &raw[end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(raw.get(..size)?);
        raw = raw.get(size + 2..)?;
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
