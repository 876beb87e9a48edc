//! SourceTrace attributions (`refs/notes/srctrace/attribution`): JSON `{ "v": 1, "f": { PATH:
//! [ { "s": SOURCE, "l": [LINE or "A-B", …] } ] } }`. The source is `operator` (the human) or
//! `agent|TOOL(MODEL)`, e.g. `agent|cursor(claude-3-7-sonnet-20250219)`; other sources (e.g.
//! `mixed`) are kept as AI-modified when they start with `agent`, human otherwise.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{
    parse_range, AttributedLines, FileAttribution, LineSource, NoteAttribution, NoteError, NoteTool,
};

#[derive(Deserialize)]
struct Note {
    v: u32,
    #[serde(default)]
    f: BTreeMap<String, Vec<Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    s: String,
    #[serde(default)]
    l: Vec<LineSpec>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum LineSpec {
    Line(u32),
    Range(String),
}

pub(super) fn parse(text: &str) -> Result<NoteAttribution, NoteError> {
    let error = |reason: String| NoteError::new(NoteTool::SourceTrace, reason);
    let note: Note = serde_json::from_str(text).map_err(|e| error(format!("{e}")))?;
    let mut files = Vec::new();
    let mut first_agent: Option<(Option<String>, Option<String>)> = None;
    for (path, entries) in note.f {
        let mut lines = Vec::new();
        for entry in entries {
            let (source, agent, model) = source_of(&entry.s);
            if source.is_ai() && first_agent.is_none() {
                first_agent = Some((agent.clone(), model.clone()));
            }
            let ranges = entry
                .l
                .iter()
                .map(|spec| match spec {
                    LineSpec::Line(n) => parse_range(&n.to_string()),
                    LineSpec::Range(r) => parse_range(r.trim()),
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| error(format!("bad line range in {path}")))?;
            lines.push(AttributedLines {
                source,
                agent,
                model,
                ranges,
            });
        }
        files.push(FileAttribution {
            path,
            line_level: true,
            ai_touched: false,
            lines,
        });
    }
    let (agent, model) = first_agent.unwrap_or_default();
    Ok(NoteAttribution {
        tool: NoteTool::SourceTrace,
        version: note.v.to_string(),
        agent,
        model,
        lists_only_ai_files: false,
        files,
    })
}

/// `agent|cursor(claude-3-7)` → AI by `cursor`, model `claude-3-7`; `operator` → human.
fn source_of(s: &str) -> (LineSource, Option<String>, Option<String>) {
    let Some(rest) = s.strip_prefix("agent") else {
        return (LineSource::Human, None, None);
    };
    let tool = rest.strip_prefix('|').unwrap_or(rest).trim();
    if tool.is_empty() {
        return (LineSource::Ai, None, None);
    }
    match (tool.find('('), tool.rfind(')')) {
        (Some(open), Some(close)) if open < close => (
            LineSource::Ai,
            Some(tool[..open].trim().to_owned()).filter(|t| !t.is_empty()),
            Some(tool[open + 1..close].trim().to_owned()).filter(|m| !m.is_empty()),
        ),
        _ => (LineSource::Ai, Some(tool.to_owned()), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provenance::notes::LineRange;

    #[test]
    fn parses_the_published_example() {
        let note = parse(
            r#"{"v":1,"f":{"path/to/file.py":[{"s":"agent|cursor(claude-3-7-sonnet-20250219)","l":[1,"5-9"]},{"s":"operator","l":[]}]}}"#,
        )
        .unwrap();
        assert_eq!(note.agent.as_deref(), Some("cursor"));
        assert_eq!(note.model.as_deref(), Some("claude-3-7-sonnet-20250219"));
        let file = note.file("path/to/file.py").unwrap();
        assert_eq!(
            file.lines[0].ranges,
            [
                LineRange { start: 1, end: 1 },
                LineRange { start: 5, end: 9 }
            ]
        );
        assert_eq!(file.source_of(6).unwrap().0, &LineSource::Ai);
        assert_eq!(file.source_of(3).unwrap().0, &LineSource::Human);
    }
}
