//! Coding agents running now: processes whose command is a known agent's command-line tool
//! (the `[[process]]` entries of the signature table) and whose working directory is inside
//! a given directory. Linux reads `/proc/<pid>/cwd` and `/proc/<pid>/cmdline`; a process that
//! cannot be read (another user's, gone meanwhile) is passed over, and a system without
//! `/proc` has none.

use std::path::Path;

use crate::provenance::ProcessSignature;

/// A running process of a coding agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentProcess {
    pub pid: u32,
    /// The command's file name, e.g. `claude`.
    pub command: String,
    /// The agent's display name, e.g. `Claude Code`.
    pub agent: String,
}

/// The command a process runs, from its arguments: the file name of `argv[0]`, or, when that
/// is an interpreter (node, bun, deno, python), of the script it runs (`python -m tool` gives
/// `tool`). `None` when there is nothing to name.
pub fn command_name<'a>(argv: &[&'a str]) -> Option<&'a str> {
    let first = file_name(argv.first()?)?;
    if !is_interpreter(first) {
        return Some(first);
    }
    let mut rest = argv.iter().skip(1);
    while let Some(argument) = rest.next() {
        if *argument == "-m" {
            return rest.next().copied().and_then(file_name);
        }
        if !argument.starts_with('-') {
            return file_name(argument);
        }
    }
    Some(first)
}

fn file_name(path: &str) -> Option<&str> {
    path.rsplit('/').next().filter(|name| !name.is_empty())
}

fn is_interpreter(name: &str) -> bool {
    matches!(name, "node" | "nodejs" | "bun" | "deno")
        || name
            .strip_prefix("python")
            .is_some_and(|version| version.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The processes of `known` agents whose working directory is `dir` or inside it, by pid.
/// `dir` is compared as the kernel reports working directories: canonical (symlinks
/// resolved).
pub fn agent_processes_in(dir: &Path, known: &[ProcessSignature]) -> Vec<AgentProcess> {
    let Ok(dir) = dir.canonicalize() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let own = std::process::id();
    let mut found: Vec<AgentProcess> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| *pid != own)
        .filter_map(|pid| {
            let proc_dir = Path::new("/proc").join(pid.to_string());
            let cwd = std::fs::read_link(proc_dir.join("cwd")).ok()?;
            if !cwd.starts_with(&dir) {
                return None;
            }
            let cmdline = std::fs::read(proc_dir.join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline);
            let argv: Vec<&str> = cmdline.split('\0').filter(|a| !a.is_empty()).collect();
            let command = command_name(&argv)?;
            let signature = known.iter().find(|s| s.command == command)?;
            Some(AgentProcess {
                pid,
                command: command.to_owned(),
                agent: signature.agent.clone(),
            })
        })
        .collect();
    found.sort_by_key(|p| p.pid);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_command_or_the_script_an_interpreter_runs() {
        assert_eq!(command_name(&["claude", "--resume"]), Some("claude"));
        assert_eq!(command_name(&["/usr/local/bin/codex"]), Some("codex"));
        assert_eq!(
            command_name(&["node", "--no-warnings", "/usr/lib/node_modules/.bin/gemini"]),
            Some("gemini")
        );
        assert_eq!(
            command_name(&["python3.12", "/home/d/.local/bin/aider"]),
            Some("aider")
        );
        assert_eq!(command_name(&["python3", "-m", "aider"]), Some("aider"));
        assert_eq!(command_name(&["node"]), Some("node"));
        assert_eq!(command_name(&["pythonista"]), Some("pythonista"));
        assert_eq!(command_name(&[]), None);
    }
}
