//! The signature table: which structured evidence names which agent. Data, not code: the
//! built-in table is `signatures.toml`, and users add entries in their config file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;

/// The built-in table, compiled in.
const BUILT_IN: &str = include_str!("signatures.toml");

/// What kind of automation signed a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum AgentKind {
    /// An AI coding agent wrote or co-wrote the code: its hunks need a human review.
    #[serde(alias = "coding-agent")]
    CodingAgent,
    /// A dependency updater (Dependabot, Renovate): a bot, but not an AI writing code.
    #[serde(alias = "dependency-bot")]
    DependencyBot,
}

/// Where in a commit a signature looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    /// A trailer of the message's trailer block.
    Trailer,
    /// The author's name and address.
    Author,
    /// The committer's name and address.
    Committer,
    /// The author or the committer.
    Identity,
    /// A line of the message body (not the subject).
    Footer,
    /// The subject line.
    Subject,
}

/// One entry of the table: an agent, and one piece of evidence that names it. Every field
/// given must match.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Display name of the agent or bot.
    pub agent: String,
    /// Stable id; defaults to the agent name in lower case with `-` for spaces.
    #[serde(default)]
    pub id: Option<String>,
    pub kind: AgentKind,
    pub on: Place,
    /// Trailer key (case-insensitive), for `on = "trailer"`.
    #[serde(default)]
    pub key: Option<String>,
    /// Exact address (case-insensitive).
    #[serde(default)]
    pub email: Option<String>,
    /// The address ends with `@` and this domain.
    #[serde(default)]
    pub email_domain: Option<String>,
    /// Exact name (case-insensitive).
    #[serde(default)]
    pub name: Option<String>,
    /// The name ends with this text (case-insensitive).
    #[serde(default)]
    pub name_suffix: Option<String>,
    /// The trailer value starts with this text (case-insensitive).
    #[serde(default)]
    pub value_prefix: Option<String>,
    /// The trailer value contains this text (case-insensitive), e.g. ` via Crush` in
    /// `Assisted-by: GLM-5.1 via Crush`.
    #[serde(default)]
    pub value_contains: Option<String>,
    /// Footer or subject text the line starts with (case-sensitive, as tools write it).
    #[serde(default)]
    pub text: Option<String>,
}

impl Signature {
    /// The agent's stable id.
    pub fn agent_id(&self) -> String {
        self.id.clone().unwrap_or_else(|| {
            self.agent
                .trim()
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("-")
        })
    }

    /// Why the entry can never match, or matches too much (a bare place with nothing to
    /// compare), if so.
    fn problem(&self) -> Option<&'static str> {
        if self.agent.trim().is_empty() {
            return Some("'agent' is empty");
        }
        let identity = self.email.is_some()
            || self.email_domain.is_some()
            || self.name.is_some()
            || self.name_suffix.is_some();
        match self.on {
            Place::Trailer if self.key.is_none() => Some("a trailer signature needs 'key'"),
            Place::Trailer if self.text.is_some() => Some("'text' is for footer and subject"),
            Place::Author | Place::Committer | Place::Identity if !identity => {
                Some("an identity signature needs 'email', 'email_domain', 'name' or 'name_suffix'")
            }
            Place::Author | Place::Committer | Place::Identity
                if self.key.is_some()
                    || self.value_prefix.is_some()
                    || self.value_contains.is_some()
                    || self.text.is_some() =>
            {
                Some("'key', 'value_prefix', 'value_contains' and 'text' are for trailers, footers and subjects")
            }
            Place::Footer | Place::Subject if self.text.as_deref().is_none_or(str::is_empty) => {
                Some("a footer or subject signature needs a non-empty 'text'")
            }
            Place::Footer | Place::Subject
                if identity
                    || self.key.is_some()
                    || self.value_prefix.is_some()
                    || self.value_contains.is_some() =>
            {
                Some("a footer or subject signature takes only 'text'")
            }
            _ => None,
        }
    }
}

/// Why a signature table could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or an entry has a wrong field.
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        /// 1-based line of the error (1 when the parser gives no position).
        line: usize,
        message: String,
    },
}

#[derive(Debug, Deserialize)]
struct BuiltInFile {
    signature: Vec<Signature>,
    #[serde(default)]
    process: Vec<ProcessSignature>,
}

/// A coding agent's command-line tool, known by its command's file name: a running process
/// with that name is evidence of the agent at work (see `[[process]]` in `signatures.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessSignature {
    /// Display name of the agent.
    pub agent: String,
    /// The command's file name, e.g. `claude`.
    pub command: String,
}

/// The agents' command-line tools of the built-in table.
pub fn agent_processes() -> Result<Vec<ProcessSignature>, ConfigError> {
    let path = Path::new("src/provenance/signatures.toml");
    let file: BuiltInFile = parse(BUILT_IN, path)?;
    Ok(file.process)
}

#[derive(Deserialize, Default)]
struct UserFile {
    #[serde(default)]
    provenance: UserProvenance,
}

#[derive(Deserialize, Default)]
struct UserProvenance {
    #[serde(default)]
    signature: Vec<Signature>,
}

/// The signatures Redline matches commits against: the built-in table plus the user's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureTable {
    pub signatures: Vec<Signature>,
}

impl SignatureTable {
    /// The built-in table alone.
    pub fn built_in() -> Result<SignatureTable, ConfigError> {
        let path = Path::new("src/provenance/signatures.toml");
        let file: BuiltInFile = parse(BUILT_IN, path)?;
        validate(&file.signature, BUILT_IN, path)?;
        Ok(SignatureTable {
            signatures: file.signature,
        })
    }

    /// The built-in table plus the `[[provenance.signature]]` entries of the config file at
    /// `path`. A missing file adds nothing; an unreadable or malformed one is an error naming
    /// the file and line.
    pub fn with_user_file(path: &Path) -> Result<SignatureTable, ConfigError> {
        let mut table = SignatureTable::built_in()?;
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(table),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })
            }
        };
        let file: UserFile = parse(&text, path)?;
        validate(&file.provenance.signature, &text, path)?;
        // User entries first: they may name an agent the built-in table labels differently.
        let mut signatures = file.provenance.signature;
        signatures.append(&mut table.signatures);
        table.signatures = signatures;
        Ok(table)
    }

    /// The built-in table plus the user's config file ([`user_config_path`]), if any.
    pub fn load() -> Result<SignatureTable, ConfigError> {
        match user_config_path() {
            Some(path) => SignatureTable::with_user_file(&path),
            None => SignatureTable::built_in(),
        }
    }
}

/// `<config dir>/redline/config.toml` (`~/.config/redline/config.toml` on Linux).
pub fn user_config_path() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("redline").join("config.toml"))
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, path: &Path) -> Result<T, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::Invalid {
        path: path.to_owned(),
        line: e.span().map_or(1, |span| line_of(text, span.start)),
        message: e.message().trim().to_owned(),
    })
}

/// Checks each entry; the error points at the line of the entry's `[[…signature]]` header.
fn validate(signatures: &[Signature], text: &str, path: &Path) -> Result<(), ConfigError> {
    let headers: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim();
            l.starts_with("[[") && l.trim_end_matches(']').ends_with("signature")
        })
        .map(|(i, _)| i + 1)
        .collect();
    for (index, signature) in signatures.iter().enumerate() {
        if let Some(problem) = signature.problem() {
            return Err(ConfigError::Invalid {
                path: path.to_owned(),
                line: headers.get(index).copied().unwrap_or(1),
                message: format!("signature for '{}': {problem}", signature.agent),
            });
        }
    }
    Ok(())
}

fn line_of(text: &str, byte: usize) -> usize {
    text.get(..byte)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_table_loads_and_is_valid() {
        let table = SignatureTable::built_in().unwrap();
        assert!(table.signatures.len() > 40);
        assert!(table
            .signatures
            .iter()
            .any(|s| s.kind == AgentKind::DependencyBot));
    }

    #[test]
    fn the_agents_command_line_tools_are_listed_with_their_agents() {
        let processes = agent_processes().unwrap();
        let claude = processes.iter().find(|p| p.command == "claude").unwrap();
        assert_eq!(claude.agent, "Claude Code");
        let table = SignatureTable::built_in().unwrap();
        for process in &processes {
            assert!(
                table.signatures.iter().any(|s| s.agent == process.agent),
                "{} names no agent of the signatures",
                process.agent
            );
        }
    }

    #[test]
    fn agent_id_defaults_to_a_slug() {
        let table = SignatureTable::built_in().unwrap();
        let claude = table
            .signatures
            .iter()
            .find(|s| s.agent == "Claude Code")
            .unwrap();
        assert_eq!(claude.agent_id(), "claude-code");
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let text = "[[signature]]\nagent = \"X\"\nkind = \"coding-agent\"\non = \"nowhere\"\n";
        let err = parse::<BuiltInFile>(text, Path::new("c.toml")).unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("c.toml:4: "), "{message}");
    }

    #[test]
    fn an_entry_with_nothing_to_match_is_refused() {
        let text = "[[signature]]\nagent = \"X\"\nkind = \"coding-agent\"\non = \"author\"\n";
        let file: BuiltInFile = parse(text, Path::new("c.toml")).unwrap();
        let err = validate(&file.signature, text, Path::new("c.toml")).unwrap_err();
        assert!(
            err.to_string().starts_with("c.toml:1: signature for 'X'"),
            "{err}"
        );
    }
}
