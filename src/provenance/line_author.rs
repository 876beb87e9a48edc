//! Who wrote one line of the head side: the commit of the range that last changed it (blame),
//! read through that commit's notes and signature.

use serde::Serialize;
use specta::Type;

use super::agent::Attribution;
use super::notes::{LineSource, NoteAttribution};
use super::signature::AgentKind;

/// What Redline knows of the commit that wrote a line.
#[derive(Debug, Clone, Copy)]
pub struct CommitAuthorship<'a> {
    /// Full commit id.
    pub id: &'a str,
    /// The commit's signature, if any ([`super::attribute`]).
    pub attribution: Option<&'a Attribution>,
    /// The commit's parsed notes, most precise tool first.
    pub notes: &'a [NoteAttribution],
}

/// The author of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum LineAuthor {
    /// An AI coding agent wrote it in `commit`.
    #[serde(rename_all = "camelCase")]
    Agent {
        commit: String,
        /// The agent's display name or the tool name the note gives (e.g. `cursor`).
        agent: String,
        model: Option<String>,
        /// `true` when a provenance tool's note attributes this very line; `false` when the
        /// commit's signature (trailer, author, …) stands for all its lines.
        from_note: bool,
    },
    /// A human wrote it in `commit` (no signature, or a note says so).
    #[serde(rename_all = "camelCase")]
    Human { commit: String },
    /// A dependency bot wrote it in `commit`.
    #[serde(rename_all = "camelCase")]
    Bot { commit: String, agent: String },
    /// The line is older than the range.
    BeforeRange,
    /// The line is not committed yet: an agent session's change.
    Uncommitted,
}

impl LineAuthor {
    /// Whether an AI wrote the line (uncommitted lines count: they are an agent session's).
    pub fn is_ai(&self) -> bool {
        matches!(self, LineAuthor::Agent { .. } | LineAuthor::Uncommitted)
    }
}

/// Who wrote line `line` of `path`, both as of `commit` (blame's original path and line).
///
/// Line-level notes decide first, in the order given: a listed line takes the note's source;
/// an unlisted line of a listed file, or of any file when the note lists only AI files
/// (git-ai), is human. A file-level note (Agent Note) marks untouched files human and
/// touched files AI. Without a deciding note, the commit's signature stands for all its lines.
pub fn author_of_line(commit: CommitAuthorship<'_>, path: &str, line: u32) -> LineAuthor {
    let signed_agent = commit
        .attribution
        .filter(|a| a.is_ai())
        .map(|a| (a.agent.clone(), a.model.clone()));
    let agent = |note: &NoteAttribution, agent: Option<&str>, model: Option<&str>, line_level| {
        let (fallback_agent, fallback_model) = signed_agent
            .clone()
            .unwrap_or_else(|| (note.tool.label().to_owned(), None));
        LineAuthor::Agent {
            commit: commit.id.to_owned(),
            agent: agent
                .map(str::to_owned)
                .or_else(|| note.agent.clone())
                .unwrap_or(fallback_agent),
            model: model
                .map(str::to_owned)
                .or_else(|| note.model.clone())
                .or(fallback_model),
            from_note: line_level,
        }
    };
    let human = || LineAuthor::Human {
        commit: commit.id.to_owned(),
    };
    for note in commit.notes {
        match note.file(path) {
            Some(file) if file.line_level => {
                if let Some((source, a, m)) = file.source_of(line) {
                    return match source {
                        LineSource::Ai | LineSource::AiModified => agent(note, a, m, true),
                        LineSource::Human => human(),
                    };
                }
            }
            Some(file) => {
                return if file.ai_touched {
                    agent(note, None, None, false)
                } else {
                    human()
                };
            }
            None if note.lists_only_ai_files => return human(),
            None => {}
        }
    }
    match commit.attribution {
        Some(a) if a.kind == AgentKind::CodingAgent => LineAuthor::Agent {
            commit: commit.id.to_owned(),
            agent: a.agent.clone(),
            model: a.model.clone(),
            from_note: false,
        },
        Some(a) => LineAuthor::Bot {
            commit: commit.id.to_owned(),
            agent: a.agent.clone(),
        },
        None => human(),
    }
}
