//! The target list's history: a commit's details (message, people, parents, who wrote it),
//! older commits page by page, and what says the uncommitted changes are an agent's.

use std::path::Path;

use git2::Oid;
use serde::Serialize;
use specta::Type;
use tracing::instrument;

use crate::agent::{hooks, process, snapshot};
use crate::provenance::{agent_processes, ProcessSignature, SignatureTable};
use crate::repo::{self, CommitPage, RepoError, Target, RECENT_COMMITS};

use super::provenance::{provenance_with, CommitProvenance, ProvenanceError};

/// A person and a moment, as a commit records its author and its committer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PersonTime {
    pub name: String,
    pub email: String,
    /// Seconds since the Unix epoch.
    #[specta(type = f64)]
    pub time: i64,
    /// The person's time zone when they wrote it, minutes east of UTC.
    pub offset_minutes: i32,
}

/// One commit in full, for its details panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CommitDetails {
    /// The full id.
    pub id: String,
    pub short_id: String,
    /// The whole message, as written (lossy UTF-8).
    pub message: String,
    pub author: PersonTime,
    pub committer: PersonTime,
    /// Full ids, the first parent first; none for a root commit.
    pub parents: Vec<String>,
    /// Who wrote it: the agent and the evidence, or no attribution (a human).
    pub provenance: CommitProvenance,
}

/// The details of the commit `rev` names in the repository containing `path`, with the
/// built-in and the user's signatures.
#[instrument(level = "debug")]
pub fn commit_details(path: &Path, rev: &str) -> Result<CommitDetails, ProvenanceError> {
    let table = SignatureTable::load()?;
    let (repo, _) = repo::open(path)?;
    let resolved = repo::resolve(
        &repo,
        &Target::Commit {
            rev: rev.to_owned(),
        },
    )?;
    let id = resolved.head_commit.ok_or_else(|| RepoError::Internal {
        what: format!("'{rev}' resolved to no commit"),
    })?;
    let commit = repo
        .find_commit(id)
        .map_err(RepoError::git(format!("read commit {id}")))?;
    let person = |signature: git2::Signature<'_>| PersonTime {
        name: String::from_utf8_lossy(signature.name_bytes()).into_owned(),
        email: String::from_utf8_lossy(signature.email_bytes()).into_owned(),
        time: signature.when().seconds(),
        offset_minutes: signature.when().offset_minutes(),
    };
    let report = provenance_with(
        path,
        Some(&Target::Commit {
            rev: id.to_string(),
        }),
        &table,
    )?;
    let provenance = report
        .commits
        .into_iter()
        .find(|c| c.id == id.to_string())
        .ok_or_else(|| RepoError::Internal {
            what: format!("the provenance of commit {id} lists no such commit"),
        })?;
    Ok(CommitDetails {
        id: id.to_string(),
        short_id: provenance.short_id.clone(),
        message: String::from_utf8_lossy(commit.message_bytes()).into_owned(),
        author: person(commit.author()),
        committer: person(commit.committer()),
        parents: commit.parent_ids().map(|p| p.to_string()).collect(),
        provenance,
    })
}

/// The next [`RECENT_COMMITS`] commits of HEAD's history after `after` (the full id of the
/// oldest commit the list shows), for "Show older commits".
#[instrument(level = "debug")]
pub fn older_commits(path: &Path, after: &str) -> Result<CommitPage, RepoError> {
    let (repo, _) = repo::open(path)?;
    repo::older_commits(&repo, after, RECENT_COMMITS)
}

/// One reason to think an agent is writing the uncommitted changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AgentEvidence {
    /// A coding agent's process runs with its working directory in the repository.
    Process {
        agent: String,
        command: String,
        pid: u32,
    },
    /// An agent's hook recorded a turn of its session on top of the current HEAD commit.
    Session {
        session: String,
        /// The agent whose hook recorded it, e.g. `claude-code`, when known.
        agent: Option<String>,
        turn: u32,
        /// When the turn ended, seconds since the Unix epoch.
        #[specta(type = f64)]
        at: i64,
    },
    /// Redline's Stop hook is installed for an agent: in the repository's own configuration
    /// (`repository`), or in the user's, for every repository.
    Hook {
        agent: String,
        /// The configuration file.
        path: String,
        repository: bool,
    },
}

/// What says the uncommitted changes of a repository are an agent's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UncommittedEvidence {
    /// The evidence points at this repository: a running agent, a recorded session, a hook in
    /// the repository's configuration. A hook in the user's configuration alone says only
    /// that the user runs that agent somewhere, so it is listed but does not decide.
    pub agent: bool,
    /// The agents the deciding evidence names, in its order (display names, e.g. `Claude Code`).
    pub agents: Vec<String>,
    /// Every piece found: running processes first, then sessions, then hooks.
    pub evidence: Vec<AgentEvidence>,
}

/// What says the uncommitted changes of the repository containing `path` are an agent's:
/// agents running in it, sessions Redline recorded on its current HEAD, Redline's Stop hooks
/// in its configuration and in the user's (under the home directory).
#[instrument(level = "debug")]
pub fn uncommitted_evidence(path: &Path) -> Result<UncommittedEvidence, ProvenanceError> {
    let known = agent_processes()?;
    Ok(uncommitted_evidence_with(
        path,
        dirs::home_dir().as_deref(),
        &known,
    )?)
}

/// [`uncommitted_evidence`] with the user's hooks read under `home` (none when `None`) and
/// the agents' commands given.
pub fn uncommitted_evidence_with(
    path: &Path,
    home: Option<&Path>,
    known: &[ProcessSignature],
) -> Result<UncommittedEvidence, RepoError> {
    let (repo, summary) = repo::open(path)?;
    let mut evidence = Vec::new();
    let Some(workdir) = repo.workdir().map(Path::to_owned) else {
        return Ok(UncommittedEvidence {
            agent: false,
            agents: Vec::new(),
            evidence,
        });
    };
    for running in process::agent_processes_in(&workdir, known) {
        evidence.push(AgentEvidence::Process {
            agent: running.agent,
            command: running.command,
            pid: running.pid,
        });
    }
    // A turn an agent's hook recorded on the current HEAD: the session is writing these very
    // changes. Turns the window infers from a quiet working tree, or marked by hand, are taken
    // for anyone's edits: they say nothing of an agent.
    let head = Oid::from_str(&summary.head).ok().map(|id| id.to_string());
    let mut sessions: Vec<AgentEvidence> = snapshot::all_turns(&repo)?
        .into_iter()
        .filter_map(|(session, turns)| {
            let turn = turns
                .into_iter()
                .filter(|t| head.is_some() && t.head == head)
                .filter(|t| t.boundary == snapshot::Boundary::Hook || t.agent.is_some())
                .max_by_key(|t| t.seq)?;
            Some(AgentEvidence::Session {
                session,
                agent: turn.agent,
                turn: turn.seq,
                at: turn.taken_at,
            })
        })
        .collect();
    sessions.sort_by_key(|s| match s {
        AgentEvidence::Session { at, .. } => std::cmp::Reverse(*at),
        _ => std::cmp::Reverse(i64::MIN),
    });
    evidence.extend(sessions);
    // The repository's own hook configuration: Claude Code and Cursor read theirs at the
    // project's root as at the home directory's.
    for agent in [hooks::HookAgent::ClaudeCode, hooks::HookAgent::Cursor] {
        if hooks::is_installed(agent, &workdir).unwrap_or(false) {
            evidence.push(AgentEvidence::Hook {
                agent: agent.as_str().to_owned(),
                path: agent.config_path(&workdir).display().to_string(),
                repository: true,
            });
        }
    }
    if let Some(home) = home {
        for agent in hooks::HookAgent::ALL {
            // An unreadable configuration is no evidence either way.
            if hooks::is_installed(agent, home).unwrap_or(false) {
                evidence.push(AgentEvidence::Hook {
                    agent: agent.as_str().to_owned(),
                    path: agent.config_path(home).display().to_string(),
                    repository: false,
                });
            }
        }
    }
    let decides = |e: &AgentEvidence| {
        !matches!(
            e,
            AgentEvidence::Hook {
                repository: false,
                ..
            }
        )
    };
    let agent = evidence.iter().any(decides);
    let mut agents: Vec<String> = Vec::new();
    for item in evidence.iter().filter(|e| decides(e)) {
        let name = match item {
            AgentEvidence::Process { agent, .. } => Some(agent.clone()),
            AgentEvidence::Session { agent, .. } => agent.as_deref().map(agent_name),
            AgentEvidence::Hook { agent, .. } => Some(agent_name(agent)),
        };
        if let Some(name) = name {
            if !agents.contains(&name) {
                agents.push(name);
            }
        }
    }
    Ok(UncommittedEvidence {
        agent,
        agents,
        evidence,
    })
}

/// The display name of an agent a hook or a session names by id (`claude-code` is Claude
/// Code, as its commits' signatures call it); an id Redline does not know, as it is.
fn agent_name(id: &str) -> String {
    match hooks::HookAgent::parse(id) {
        Some(hooks::HookAgent::ClaudeCode) => "Claude Code".to_owned(),
        Some(hooks::HookAgent::Codex) => "OpenAI Codex".to_owned(),
        Some(hooks::HookAgent::Cursor) => "Cursor".to_owned(),
        None => id.to_owned(),
    }
}
