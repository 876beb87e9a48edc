//! whogitit attributions (`refs/notes/whogitit`): JSON with `version`, a `session` naming the
//! model (`session.model.id`, `session.model.provider`), and `files[]`, each with `path` and
//! `lines[]` of `{ line_number, source: { type } }` where the type is `AI`, `AIModified`,
//! `Human`, `Original` or `Unknown`. Every line of the committed file is listed.

use serde::Deserialize;

use super::{
    ranges_of, AttributedLines, FileAttribution, LineSource, NoteAttribution, NoteError, NoteTool,
};

#[derive(Deserialize)]
struct Note {
    #[serde(default, alias = "schema_version")]
    version: Option<u32>,
    session: Option<Session>,
    #[serde(default)]
    files: Vec<File>,
}

#[derive(Deserialize)]
struct Session {
    model: Option<Model>,
}

#[derive(Deserialize)]
struct Model {
    id: Option<String>,
    provider: Option<String>,
}

#[derive(Deserialize)]
struct File {
    path: String,
    #[serde(default)]
    lines: Vec<Line>,
}

#[derive(Deserialize)]
struct Line {
    line_number: u32,
    source: Source,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: String,
}

pub(super) fn parse(text: &str) -> Result<NoteAttribution, NoteError> {
    let note: Note = serde_json::from_str(text)
        .map_err(|e| NoteError::new(NoteTool::Whogitit, format!("{e}")))?;
    let model = note
        .session
        .as_ref()
        .and_then(|s| s.model.as_ref())
        .and_then(|m| m.id.clone());
    let agent = note
        .session
        .as_ref()
        .and_then(|s| s.model.as_ref())
        .and_then(|m| m.provider.clone());
    let files = note
        .files
        .into_iter()
        .map(|file| {
            let mut by_source: Vec<(LineSource, Vec<u32>)> = Vec::new();
            for line in file.lines {
                let source = match line.source.kind.to_ascii_lowercase().as_str() {
                    "ai" => LineSource::Ai,
                    "aimodified" | "ai_modified" => LineSource::AiModified,
                    // `Original`: the line predates the session; `Unknown`: not decided.
                    // Neither is AI-written by the note's account.
                    _ => LineSource::Human,
                };
                match by_source.iter_mut().find(|(s, _)| *s == source) {
                    Some((_, lines)) => lines.push(line.line_number),
                    None => by_source.push((source, vec![line.line_number])),
                }
            }
            FileAttribution {
                path: file.path,
                line_level: true,
                ai_touched: false,
                lines: by_source
                    .into_iter()
                    .map(|(source, lines)| AttributedLines {
                        agent: source.is_ai().then(|| agent.clone()).flatten(),
                        model: source.is_ai().then(|| model.clone()).flatten(),
                        source,
                        ranges: ranges_of(lines),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(NoteAttribution {
        tool: NoteTool::Whogitit,
        version: note
            .version
            .map_or_else(|| "unknown".into(), |v| v.to_string()),
        agent,
        model,
        lists_only_ai_files: false,
        files,
    })
}
