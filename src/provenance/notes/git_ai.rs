//! git-ai authorship logs (`refs/notes/ai`, "Git AI Standard", `authorship/3.0.0`).
//!
//! An attestation section lists files (unindented, quoted when they contain blanks) and under
//! each, two-space-indented `KEY RANGES` lines; a line `---` separates it from a JSON metadata
//! object. Keys route to metadata maps: `s_…::t_…` to `sessions` (by the part before `::`),
//! `h_…` to `humans`, anything else (16 or 7 hex digits) to `prompts`. Each session or prompt
//! has `agent_id { tool, id, model }`. Files without AI lines are not listed.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{
    parse_ranges, AttributedLines, FileAttribution, LineSource, NoteAttribution, NoteError,
    NoteTool,
};

#[derive(Deserialize)]
struct Metadata {
    schema_version: String,
    #[serde(default)]
    prompts: BTreeMap<String, Record>,
    #[serde(default)]
    sessions: BTreeMap<String, Record>,
}

#[derive(Deserialize)]
struct Record {
    agent_id: Option<AgentId>,
}

#[derive(Deserialize, Clone)]
struct AgentId {
    tool: Option<String>,
    model: Option<String>,
}

pub(super) fn parse(text: &str) -> Result<NoteAttribution, NoteError> {
    let error = |reason: String| NoteError::new(NoteTool::GitAi, reason);
    let mut lines = text.lines();
    let mut attestations: Vec<(String, String, String)> = Vec::new(); // (path, key, ranges)
    let mut path: Option<String> = None;
    let mut divider = false;
    for (index, line) in lines.by_ref().enumerate() {
        let number = index + 1;
        let line = line.trim_end_matches('\r');
        if line == "---" {
            divider = true;
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        if let Some(entry) = line.strip_prefix("  ") {
            let (key, ranges) = entry
                .trim()
                .split_once(' ')
                .ok_or_else(|| error(format!("line {number}: expected 'KEY RANGES'")))?;
            let current = path
                .clone()
                .ok_or_else(|| error(format!("line {number}: an entry before any file")))?;
            attestations.push((current, key.to_owned(), ranges.trim().to_owned()));
        } else {
            let name = line.trim();
            let name = name
                .strip_prefix('"')
                .and_then(|n| n.strip_suffix('"'))
                .unwrap_or(name);
            path = Some(name.to_owned());
        }
    }
    if !divider {
        return Err(error("no '---' line before the metadata".into()));
    }
    let json: String = lines.collect::<Vec<_>>().join("\n");
    let metadata: Metadata =
        serde_json::from_str(&json).map_err(|e| error(format!("metadata: {e}")))?;
    if !metadata.schema_version.starts_with("authorship/") {
        return Err(error(format!(
            "unknown schema_version '{}'",
            metadata.schema_version
        )));
    }

    let agent_of = |key: &str| -> Option<AgentId> {
        let record = if key.starts_with("s_") {
            let session = key.split("::").next().unwrap_or(key);
            metadata.sessions.get(session)
        } else {
            metadata.prompts.get(key)
        };
        record.and_then(|r| r.agent_id.clone())
    };

    let mut files: Vec<FileAttribution> = Vec::new();
    for (path, key, spec) in attestations {
        let ranges = parse_ranges(&spec)
            .ok_or_else(|| error(format!("bad line ranges '{spec}' for {path}")))?;
        let (source, agent) = if key.starts_with("h_") {
            (LineSource::Human, None)
        } else {
            (LineSource::Ai, agent_of(&key))
        };
        let lines = AttributedLines {
            source,
            agent: agent.as_ref().and_then(|a| a.tool.clone()),
            model: agent.and_then(|a| a.model),
            ranges,
        };
        match files.iter_mut().find(|f| f.path == path) {
            Some(file) => file.lines.push(lines),
            None => files.push(FileAttribution {
                path,
                line_level: true,
                ai_touched: false,
                lines: vec![lines],
            }),
        }
    }
    let first = metadata
        .sessions
        .values()
        .chain(metadata.prompts.values())
        .find_map(|r| r.agent_id.clone());
    Ok(NoteAttribution {
        tool: NoteTool::GitAi,
        version: metadata.schema_version,
        agent: first.as_ref().and_then(|a| a.tool.clone()),
        model: first.and_then(|a| a.model),
        lists_only_ai_files: true,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provenance::notes::LineRange;

    const NOTE: &str = r#"src/main.rs
  abcd1234abcd1234 1-3,7
  s_0123456789abcd::t_99999999999999 10
"src/my file.rs"
  h_aaaaaaaaaaaaaa 2
---
{
  "schema_version": "authorship/3.0.0",
  "base_commit_sha": "7734793b756b3921c88db5375a8c156e9532447b",
  "prompts": {
    "abcd1234abcd1234": {"agent_id": {"tool": "cursor", "id": "x", "model": "claude-4.5-opus"}, "total_additions": 4, "total_deletions": 0, "accepted_lines": 4, "overriden_lines": 0}
  },
  "sessions": {
    "s_0123456789abcd": {"agent_id": {"tool": "claude", "id": "y", "model": "claude-sonnet-4"}}
  }
}
"#;

    #[test]
    fn parses_attestations_and_routes_keys() {
        let note = parse(NOTE).unwrap();
        assert_eq!(note.version, "authorship/3.0.0");
        let main = note.file("src/main.rs").unwrap();
        assert_eq!(main.lines[0].agent.as_deref(), Some("cursor"));
        assert_eq!(
            main.lines[0].ranges,
            [
                LineRange { start: 1, end: 3 },
                LineRange { start: 7, end: 7 }
            ]
        );
        assert_eq!(main.lines[1].agent.as_deref(), Some("claude"));
        assert_eq!(main.source_of(10).unwrap().0, &LineSource::Ai);
        assert_eq!(main.source_of(5).unwrap().0, &LineSource::Human);
        let spaced = note.file("src/my file.rs").unwrap();
        assert_eq!(spaced.source_of(2).unwrap().0, &LineSource::Human);
    }

    #[test]
    fn missing_divider_is_an_error() {
        let err = parse("src/a.rs\n  abcd 1\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "git-ai note is malformed: no '---' line before the metadata"
        );
    }
}
