//! AI-authorship git notes written by provenance tools, parsed into per-file line ranges.
//!
//! Each tool has its own notes ref and format (see docs/provenance.md). The parsers are pure:
//! they take a note's text and return which lines of which file, in the version of the
//! commit the note is attached to, an AI wrote and which a human did.

mod agent_note;
mod git_ai;
mod source_trace;
mod whogitit;

use serde::Serialize;
use specta::Type;

/// The provenance tools whose notes Redline reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum NoteTool {
    /// git-ai, "Git AI Standard" authorship logs (`authorship/3.0.0`).
    GitAi,
    /// whogitit JSON attributions, per line.
    Whogitit,
    /// Agent Note JSON entries, per file.
    AgentNote,
    /// SourceTrace JSON attributions, per line.
    SourceTrace,
}

impl NoteTool {
    /// Every tool, in the order their notes are consulted (most precise first).
    pub const ALL: [NoteTool; 4] = [
        NoteTool::GitAi,
        NoteTool::Whogitit,
        NoteTool::SourceTrace,
        NoteTool::AgentNote,
    ];

    /// The notes ref the tool writes.
    pub fn notes_ref(self) -> &'static str {
        match self {
            NoteTool::GitAi => "refs/notes/ai",
            NoteTool::Whogitit => "refs/notes/whogitit",
            NoteTool::AgentNote => "refs/notes/agentnote",
            NoteTool::SourceTrace => "refs/notes/srctrace/attribution",
        }
    }

    /// The tool's name as people write it.
    pub fn label(self) -> &'static str {
        match self {
            NoteTool::GitAi => "git-ai",
            NoteTool::Whogitit => "whogitit",
            NoteTool::AgentNote => "Agent Note",
            NoteTool::SourceTrace => "SourceTrace",
        }
    }

    /// Parses a note this tool wrote.
    pub fn parse(self, text: &str) -> Result<NoteAttribution, NoteError> {
        match self {
            NoteTool::GitAi => git_ai::parse(text),
            NoteTool::Whogitit => whogitit::parse(text),
            NoteTool::AgentNote => agent_note::parse(text),
            NoteTool::SourceTrace => source_trace::parse(text),
        }
    }
}

/// Who wrote a range of lines, according to a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum LineSource {
    /// Written by an AI agent.
    Ai,
    /// Written by an AI agent, then edited by a human (whogitit's `AIModified`).
    AiModified,
    /// Written by a human.
    Human,
}

impl LineSource {
    /// AI-written, edited or not.
    pub fn is_ai(&self) -> bool {
        matches!(self, LineSource::Ai | LineSource::AiModified)
    }
}

/// Inclusive, 1-based line range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LineRange {
    pub start: u32,
    pub end: u32,
}

impl LineRange {
    /// Whether `line` is in the range.
    pub fn contains(self, line: u32) -> bool {
        self.start <= line && line <= self.end
    }
}

/// Lines of one file a note attributes to one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AttributedLines {
    pub source: LineSource,
    /// The tool or agent, as the note names it (e.g. `cursor`, `claude`).
    pub agent: Option<String>,
    pub model: Option<String>,
    pub ranges: Vec<LineRange>,
}

/// What a note says about one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileAttribution {
    pub path: String,
    /// `true` when the note attributes individual lines; `false` when it only says whether an
    /// AI touched the file (Agent Note), so blame decides the lines.
    pub line_level: bool,
    /// For file-level notes: whether an AI touched the file.
    pub ai_touched: bool,
    pub lines: Vec<AttributedLines>,
}

impl FileAttribution {
    /// The source of `line` (in the note's commit's version of the file): the listed source,
    /// or human for a line-level file that does not list it. `None` for file-level notes.
    pub fn source_of(&self, line: u32) -> Option<(&LineSource, Option<&str>, Option<&str>)> {
        if !self.line_level {
            return None;
        }
        let listed = self
            .lines
            .iter()
            .find(|l| l.ranges.iter().any(|r| r.contains(line)));
        Some(match listed {
            Some(l) => (&l.source, l.agent.as_deref(), l.model.as_deref()),
            None => (&LineSource::Human, None, None),
        })
    }
}

/// A parsed note: the tool, the agent and model it names for the whole commit, and per file
/// attributions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NoteAttribution {
    pub tool: NoteTool,
    /// Format version as the note states it, e.g. `authorship/3.0.0`.
    pub version: String,
    /// The agent the note names for the commit (the first, when several).
    pub agent: Option<String>,
    pub model: Option<String>,
    /// Whether a line-level note covers every file of its commit: files it does not list were
    /// written by a human (git-ai lists only files with AI lines).
    pub lists_only_ai_files: bool,
    pub files: Vec<FileAttribution>,
}

impl NoteAttribution {
    /// Whether the note says an AI wrote any line or touched any file.
    pub fn any_ai(&self) -> bool {
        self.files.iter().any(|f| {
            f.ai_touched
                || f.lines
                    .iter()
                    .any(|l| l.source.is_ai() && !l.ranges.is_empty())
        })
    }

    /// The attribution of `path`, if the note mentions it.
    pub fn file(&self, path: &str) -> Option<&FileAttribution> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// Why a note could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{tool} note is malformed: {reason}", tool = tool.label())]
pub struct NoteError {
    pub tool: NoteTool,
    pub reason: String,
}

impl NoteError {
    fn new(tool: NoteTool, reason: impl Into<String>) -> NoteError {
        NoteError {
            tool,
            reason: reason.into(),
        }
    }
}

/// Parses `1-4,9,12-14` (git-ai and SourceTrace's spelling) into ranges.
fn parse_ranges(spec: &str) -> Option<Vec<LineRange>> {
    spec.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(|part| parse_range(part.trim()))
        .collect()
}

fn parse_range(part: &str) -> Option<LineRange> {
    let (start, end) = match part.split_once('-') {
        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
        None => {
            let n = part.parse().ok()?;
            (n, n)
        }
    };
    (start >= 1 && start <= end).then_some(LineRange { start, end })
}

/// Merges sorted single lines into ranges.
fn ranges_of(mut lines: Vec<u32>) -> Vec<LineRange> {
    lines.sort_unstable();
    lines.dedup();
    let mut ranges: Vec<LineRange> = Vec::new();
    for line in lines {
        match ranges.last_mut() {
            Some(last) if last.end + 1 == line => last.end = line,
            _ => ranges.push(LineRange {
                start: line,
                end: line,
            }),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_specs() {
        assert_eq!(
            parse_ranges("1-4,9,12-14"),
            Some(vec![
                LineRange { start: 1, end: 4 },
                LineRange { start: 9, end: 9 },
                LineRange { start: 12, end: 14 }
            ])
        );
        assert_eq!(parse_ranges("4-1"), None);
        assert_eq!(parse_ranges("0"), None);
        assert_eq!(parse_ranges("x"), None);
    }

    #[test]
    fn lines_merge_into_ranges() {
        assert_eq!(
            ranges_of(vec![3, 1, 2, 7]),
            vec![
                LineRange { start: 1, end: 3 },
                LineRange { start: 7, end: 7 }
            ]
        );
    }
}
