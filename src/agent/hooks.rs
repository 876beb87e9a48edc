//! The agents' Stop hooks: installing `redline hook <agent> stop` in an agent's hook
//! configuration (and removing exactly that again), reading what the agent sends the hook,
//! and answering in the agent's documented format.
//!
//! Sources (also in docs/agent-loop.md): Claude Code's hooks reference
//! (code.claude.com/docs/en/hooks), Codex's (developers.openai.com/codex/hooks), Cursor's
//! (cursor.com/docs/agent/hooks).

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// An agent whose Stop hook Redline can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum HookAgent {
    ClaudeCode,
    Codex,
    Cursor,
}

impl HookAgent {
    pub const ALL: [HookAgent; 3] = [HookAgent::ClaudeCode, HookAgent::Codex, HookAgent::Cursor];

    /// The spelling on the command line and in snapshot commits.
    pub fn as_str(self) -> &'static str {
        match self {
            HookAgent::ClaudeCode => "claude-code",
            HookAgent::Codex => "codex",
            HookAgent::Cursor => "cursor",
        }
    }

    /// Reads [`HookAgent::as_str`]'s spelling (also `claude`).
    pub fn parse(text: &str) -> Option<HookAgent> {
        match text.trim().to_ascii_lowercase().as_str() {
            "claude-code" | "claude" | "claudecode" => Some(HookAgent::ClaudeCode),
            "codex" => Some(HookAgent::Codex),
            "cursor" => Some(HookAgent::Cursor),
            _ => None,
        }
    }

    /// The user-level hook configuration file under `home`.
    pub fn config_path(self, home: &Path) -> PathBuf {
        match self {
            HookAgent::ClaudeCode => home.join(".claude").join("settings.json"),
            HookAgent::Codex => match std::env::var_os("CODEX_HOME") {
                Some(dir) if !dir.is_empty() => PathBuf::from(dir).join("hooks.json"),
                _ => home.join(".codex").join("hooks.json"),
            },
            HookAgent::Cursor => home.join(".cursor").join("hooks.json"),
        }
    }
}

impl std::fmt::Display for HookAgent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a hook could not be installed, removed or run.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not valid JSON ({reason}); fix it first, nothing was changed", path.display())]
    InvalidConfig { path: PathBuf, reason: String },
    #[error("the hook input is not what {agent} sends ({reason})")]
    InvalidInput { agent: HookAgent, reason: String },
}

/// What the agent sends its Stop hook on standard input, as far as Redline uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopInput {
    /// The agent's session (Claude Code, Codex) or conversation (Cursor) id.
    pub session: Option<String>,
    /// Where the agent works.
    pub cwd: Option<PathBuf>,
    /// What the agent said at the end of its turn.
    pub last_message: Option<String>,
    /// The agent is already continuing because of a Stop hook (or Cursor's loop count).
    pub continuing: bool,
}

#[derive(Deserialize)]
struct RawStopInput {
    session_id: Option<String>,
    conversation_id: Option<String>,
    cwd: Option<PathBuf>,
    #[serde(default)]
    workspace_roots: Vec<PathBuf>,
    last_assistant_message: Option<String>,
    #[serde(default)]
    stop_hook_active: bool,
    #[serde(default)]
    loop_count: u32,
}

/// Reads a Stop hook's input.
pub fn parse_stop_input(agent: HookAgent, bytes: &[u8]) -> Result<StopInput, HookError> {
    // Cursor on Windows may start with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let raw: RawStopInput = serde_json::from_slice(bytes).map_err(|e| HookError::InvalidInput {
        agent,
        reason: e.to_string(),
    })?;
    Ok(StopInput {
        session: raw.session_id.or(raw.conversation_id),
        cwd: raw.cwd.or_else(|| raw.workspace_roots.into_iter().next()),
        last_message: raw.last_assistant_message,
        continuing: raw.stop_hook_active || raw.loop_count > 0,
    })
}

/// What the hook prints to hand `instructions` to the agent as its next task: Claude Code and
/// Codex take a `block` decision whose reason becomes the next prompt; Cursor submits a
/// `followup_message` as the next user message.
pub fn stop_output(agent: HookAgent, instructions: &str) -> String {
    let value = match agent {
        HookAgent::ClaudeCode | HookAgent::Codex => {
            serde_json::json!({ "decision": "block", "reason": instructions })
        }
        HookAgent::Cursor => serde_json::json!({ "followup_message": instructions }),
    };
    value.to_string()
}

/// What [`install`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Installation {
    pub agent: HookAgent,
    /// The configuration file.
    pub path: PathBuf,
    /// The file as it was before (`None`: there was none).
    pub original: Option<String>,
    /// The file as Redline wrote it.
    pub written: String,
    /// Directories Redline created for it, innermost first (removed again if empty).
    pub created_dirs: Vec<PathBuf>,
    /// The command the hook runs.
    pub command: String,
}

/// How [`install`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstallOutcome {
    Installed(Installation),
    /// The configuration already runs `redline hook <agent> stop`.
    AlreadyInstalled {
        path: PathBuf,
    },
}

/// The command a hook runs: Redline's own executable, quoted for the shell the agent uses.
pub fn hook_command(executable: &Path, agent: HookAgent) -> String {
    let exe = executable.to_string_lossy();
    let quoted = if exe
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-+".contains(&b))
    {
        exe.into_owned()
    } else {
        format!("'{}'", exe.replace('\'', r"'\''"))
    };
    format!("{quoted} hook {} stop", agent.as_str())
}

fn is_ours(command: &str, agent: HookAgent) -> bool {
    command.ends_with(&format!(" hook {} stop", agent.as_str())) && command.contains("redline")
}

/// Adds the Stop hook running `command` to `agent`'s configuration under `home`. Other
/// settings keep their order and their text.
pub fn install(agent: HookAgent, home: &Path, command: &str) -> Result<InstallOutcome, HookError> {
    let path = agent.config_path(home);
    let original = match std::fs::read(&path) {
        Ok(bytes) => Some(
            String::from_utf8(bytes).map_err(|_| HookError::InvalidConfig {
                path: path.clone(),
                reason: "it is not UTF-8".to_owned(),
            })?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => return Err(HookError::Read { path, source }),
    };
    let mut config = parse_object(&path, original.as_deref().unwrap_or("{}"))?;
    if find_ours(&path, &config, agent)? {
        return Ok(InstallOutcome::AlreadyInstalled { path });
    }
    let entry = match agent {
        HookAgent::ClaudeCode | HookAgent::Codex => serde_json::json!({
            "hooks": [{ "type": "command", "command": command, "timeout": 60 }]
        }),
        HookAgent::Cursor => serde_json::json!({ "command": command }),
    };
    let event = event_name(agent);
    let mut hooks = match config.get("hooks") {
        Some(raw) => parse_object(&path, raw.get())?,
        None => IndexMap::new(),
    };
    let mut list: Vec<Box<RawValue>> = match hooks.get(event) {
        Some(raw) => serde_json::from_str(raw.get()).map_err(|e| invalid(&path, &e))?,
        None => Vec::new(),
    };
    list.push(raw(&entry)?);
    hooks.insert(event.to_owned(), raw(&list)?);
    if agent == HookAgent::Cursor && !config.contains_key("version") {
        config.insert("version".to_owned(), raw(&1)?);
    }
    config.insert("hooks".to_owned(), raw(&hooks)?);
    let mut written = serde_json::to_string_pretty(&config).map_err(|e| invalid(&path, &e))?;
    written.push('\n');
    let mut created_dirs = Vec::new();
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d.exists() {
            break;
        }
        created_dirs.push(d.to_owned());
        dir = d.parent();
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| HookError::Write {
            path: parent.to_owned(),
            source,
        })?;
    }
    write_atomically(&path, written.as_bytes())?;
    Ok(InstallOutcome::Installed(Installation {
        agent,
        path,
        original,
        written,
        created_dirs,
        command: command.to_owned(),
    }))
}

/// How [`uninstall`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UninstallOutcome {
    /// The file is back as it was before the install, byte for byte (or gone, if there was
    /// none).
    Restored { path: PathBuf },
    /// The file was changed since the install: only Redline's hook entry was taken out.
    Removed { path: PathBuf },
    /// No Redline hook is configured.
    NotInstalled { path: PathBuf },
}

/// Removes Redline's Stop hook from `agent`'s configuration under `home`. With the record of
/// the install (`installed`) and a file unchanged since, the file is restored byte for byte.
pub fn uninstall(
    agent: HookAgent,
    home: &Path,
    installed: Option<&Installation>,
) -> Result<UninstallOutcome, HookError> {
    let path = agent.config_path(home);
    let current = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => return Err(HookError::Read { path, source }),
    };
    let Some(current) = current else {
        return Ok(UninstallOutcome::NotInstalled { path });
    };
    if let Some(record) = installed.filter(|r| r.path == path && r.written == current) {
        match &record.original {
            Some(original) => write_atomically(&path, original.as_bytes())?,
            None => {
                std::fs::remove_file(&path).map_err(|source| HookError::Write {
                    path: path.clone(),
                    source,
                })?;
                for dir in &record.created_dirs {
                    // Only if empty: remove_dir refuses otherwise, which is what we want.
                    let _ = std::fs::remove_dir(dir);
                }
            }
        }
        return Ok(UninstallOutcome::Restored { path });
    }
    let mut config = parse_object(&path, &current)?;
    let event = event_name(agent);
    let Some(hooks_raw) = config.get("hooks") else {
        return Ok(UninstallOutcome::NotInstalled { path });
    };
    let mut hooks = parse_object(&path, hooks_raw.get())?;
    let Some(list_raw) = hooks.get(event) else {
        return Ok(UninstallOutcome::NotInstalled { path });
    };
    let list: Vec<Box<RawValue>> =
        serde_json::from_str(list_raw.get()).map_err(|e| invalid(&path, &e))?;
    let before = list.len();
    let kept: Vec<Box<RawValue>> = list
        .into_iter()
        .filter(|entry| !entry_is_ours(entry, agent))
        .collect();
    if kept.len() == before {
        return Ok(UninstallOutcome::NotInstalled { path });
    }
    if kept.is_empty() {
        hooks.shift_remove(event);
    } else {
        hooks.insert(event.to_owned(), raw(&kept)?);
    }
    config.insert("hooks".to_owned(), raw(&hooks)?);
    let mut written = serde_json::to_string_pretty(&config).map_err(|e| invalid(&path, &e))?;
    written.push('\n');
    write_atomically(&path, written.as_bytes())?;
    Ok(UninstallOutcome::Removed { path })
}

/// Where the record of an install is kept (in Redline's data directory), for [`uninstall`].
pub fn record_path(data_dir: &Path, agent: HookAgent) -> PathBuf {
    data_dir
        .join("hooks")
        .join(format!("{}.json", agent.as_str()))
}

/// Keeps the record of an install.
pub fn save_record(data_dir: &Path, installation: &Installation) -> Result<(), HookError> {
    let path = record_path(data_dir, installation.agent);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| HookError::Write {
            path: parent.to_owned(),
            source,
        })?;
    }
    let text = serde_json::to_string_pretty(installation).map_err(|e| invalid(&path, &e))?;
    write_atomically(&path, text.as_bytes())
}

/// The record of the latest install for `agent`, if one is kept and readable.
pub fn load_record(data_dir: &Path, agent: HookAgent) -> Option<Installation> {
    let text = std::fs::read_to_string(record_path(data_dir, agent)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Drops the record of an install.
pub fn forget_record(data_dir: &Path, agent: HookAgent) -> Result<(), HookError> {
    let path = record_path(data_dir, agent);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(HookError::Write { path, source }),
    }
}

/// Whether `agent`'s configuration under `home` runs Redline's Stop hook.
pub fn is_installed(agent: HookAgent, home: &Path) -> Result<bool, HookError> {
    let path = agent.config_path(home);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let config = parse_object(&path, &text)?;
            find_ours(&path, &config, agent)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(HookError::Read { path, source }),
    }
}

fn event_name(agent: HookAgent) -> &'static str {
    match agent {
        HookAgent::ClaudeCode | HookAgent::Codex => "Stop",
        HookAgent::Cursor => "stop",
    }
}

fn find_ours(
    path: &Path,
    config: &IndexMap<String, Box<RawValue>>,
    agent: HookAgent,
) -> Result<bool, HookError> {
    let Some(hooks) = config.get("hooks") else {
        return Ok(false);
    };
    let hooks = parse_object(path, hooks.get())?;
    let Some(list) = hooks.get(event_name(agent)) else {
        return Ok(false);
    };
    let list: Vec<Box<RawValue>> =
        serde_json::from_str(list.get()).map_err(|e| invalid(path, &e))?;
    Ok(list.iter().any(|entry| entry_is_ours(entry, agent)))
}

/// Whether a hook list entry is the one Redline writes (a matcher group holding only our
/// command, or Cursor's single command).
fn entry_is_ours(entry: &RawValue, agent: HookAgent) -> bool {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(entry.get()) else {
        return false;
    };
    let command_is_ours = |v: &serde_json::Value| {
        v.get("command")
            .and_then(|c| c.as_str())
            .is_some_and(|c| is_ours(c, agent))
    };
    match agent {
        HookAgent::Cursor => command_is_ours(&value),
        HookAgent::ClaudeCode | HookAgent::Codex => value
            .get("hooks")
            .and_then(|h| h.as_array())
            .is_some_and(|hooks| !hooks.is_empty() && hooks.iter().all(command_is_ours)),
    }
}

fn parse_object(path: &Path, text: &str) -> Result<IndexMap<String, Box<RawValue>>, HookError> {
    serde_json::from_str(text).map_err(|e| invalid(path, &e))
}

fn raw<T: Serialize + ?Sized>(value: &T) -> Result<Box<RawValue>, HookError> {
    serde_json::value::to_raw_value(value).map_err(|e| HookError::InvalidConfig {
        path: PathBuf::new(),
        reason: e.to_string(),
    })
}

fn invalid(path: &Path, error: &serde_json::Error) -> HookError {
    HookError::InvalidConfig {
        path: path.to_owned(),
        reason: format!("line {}, column {}: {error}", error.line(), error.column()),
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), HookError> {
    let failed = |source| HookError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let temporary = dir.join(format!(
        ".{}.redline-{}",
        path.file_name()
            .map_or("config".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    std::fs::write(&temporary, bytes).map_err(failed)?;
    if let Ok(metadata) = std::fs::metadata(path) {
        std::fs::set_permissions(&temporary, metadata.permissions()).map_err(failed)?;
    }
    std::fs::rename(&temporary, path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        failed(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_agents_stop_input() {
        let claude = br#"{"session_id":"abc-1","transcript_path":"/t.jsonl","cwd":"/repo","hook_event_name":"Stop","stop_hook_active":false,"last_assistant_message":"Done: fixed the bug"}"#;
        let input = parse_stop_input(HookAgent::ClaudeCode, claude).unwrap();
        assert_eq!(input.session.as_deref(), Some("abc-1"));
        assert_eq!(input.cwd.as_deref(), Some(Path::new("/repo")));
        assert_eq!(input.last_message.as_deref(), Some("Done: fixed the bug"));
        assert!(!input.continuing);
        let cursor = b"\xEF\xBB\xBF{\"conversation_id\":\"c9\",\"workspace_roots\":[\"/w\"],\"status\":\"completed\",\"loop_count\":1}";
        let input = parse_stop_input(HookAgent::Cursor, cursor).unwrap();
        assert_eq!(input.session.as_deref(), Some("c9"));
        assert_eq!(input.cwd.as_deref(), Some(Path::new("/w")));
        assert!(input.continuing);
        assert!(parse_stop_input(HookAgent::Codex, b"not json").is_err());
    }

    #[test]
    fn answers_in_each_agents_format() {
        let claude: serde_json::Value =
            serde_json::from_str(&stop_output(HookAgent::ClaudeCode, "fix it")).unwrap();
        assert_eq!(
            claude,
            serde_json::json!({"decision": "block", "reason": "fix it"})
        );
        let cursor: serde_json::Value =
            serde_json::from_str(&stop_output(HookAgent::Cursor, "fix it")).unwrap();
        assert_eq!(cursor, serde_json::json!({"followup_message": "fix it"}));
    }

    #[test]
    fn commands_are_quoted_for_the_shell() {
        assert_eq!(
            hook_command(Path::new("/usr/bin/redline"), HookAgent::Codex),
            "/usr/bin/redline hook codex stop"
        );
        assert_eq!(
            hook_command(Path::new("/opt/my tools/redline"), HookAgent::ClaudeCode),
            "'/opt/my tools/redline' hook claude-code stop"
        );
    }
}
