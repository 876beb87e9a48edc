//! Agent Note entries (`refs/notes/agentnote`): JSON with `v`, `agent` (`claude`, `codex`,
//! `cursor`, `gemini`), `model`, and `files[]` of `{ path, by_ai }`. File-level only: it says
//! which files an AI edited, not which lines, so blame decides the lines of AI-touched files.

use serde::Deserialize;

use super::{FileAttribution, NoteAttribution, NoteError, NoteTool};

#[derive(Deserialize)]
struct Note {
    v: u32,
    agent: Option<String>,
    model: Option<String>,
    #[serde(default)]
    files: Vec<File>,
}

#[derive(Deserialize)]
struct File {
    path: String,
    #[serde(default)]
    by_ai: bool,
}

pub(super) fn parse(text: &str) -> Result<NoteAttribution, NoteError> {
    let note: Note = serde_json::from_str(text)
        .map_err(|e| NoteError::new(NoteTool::AgentNote, format!("{e}")))?;
    Ok(NoteAttribution {
        tool: NoteTool::AgentNote,
        version: note.v.to_string(),
        agent: note.agent,
        model: note.model,
        lists_only_ai_files: false,
        files: note
            .files
            .into_iter()
            .map(|f| FileAttribution {
                path: f.path,
                line_level: false,
                ai_touched: f.by_ai,
                lines: Vec::new(),
            })
            .collect(),
    })
}
