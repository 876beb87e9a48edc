//! Learning mode: what a junior developer learns from the reviews of a repository — the
//! teaching notes seniors wrote, the explanations reviewers pinned, and the teaching texts
//! of the findings on a change.

use std::path::Path;

use serde::Serialize;
use specta::Type;
use tracing::instrument;

use super::explain::ExplainError;
use super::findings::{findings, FindingsOptions};
use super::workflow::Opened;
use crate::notes::NoteKind;
use crate::repo::Target;
use crate::store::Store;

/// Where a lesson comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum LessonSource {
    /// A reviewer's note of kind teaching.
    TeachingNote,
    /// A model's explanation a reviewer pinned.
    Explanation,
    /// A findings rule's teaching text, for a risk on the change.
    Finding,
}

/// One lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Lesson {
    pub source: LessonSource,
    /// A short title: the symbol or file and line, or the rule's title.
    pub title: String,
    /// The review it was written on (the target's spelling or commit id).
    pub review: String,
    pub path: String,
    pub line: u32,
    /// Markdown.
    pub body: String,
    /// Who wrote it (reviewers' notes).
    pub author: Option<String>,
}

/// The lessons of a repository (every review) or of one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LearnReport {
    pub lessons: Vec<Lesson>,
}

/// The lessons of `target`'s review (with the teaching texts of its findings), or of every
/// review of the repository when `target` is `None`.
#[instrument(level = "debug", skip(store))]
pub fn learn(
    store: &Store,
    path: &Path,
    target: Option<&Target>,
) -> Result<LearnReport, ExplainError> {
    let mut lessons = Vec::new();
    let default = Target::Worktree;
    let opened = Opened::new(store, path, target.unwrap_or(&default))?;
    let reviews: Vec<(i64, String)> = match target {
        Some(_) => opened
            .existing_review(store)?
            .map(|id| vec![(id, opened.key.clone())])
            .unwrap_or_default(),
        None => store.reviews_of(opened.repo_id)?,
    };
    for (id, key) in reviews {
        for thread in store.threads(id)? {
            let source = match thread.kind {
                NoteKind::Teaching => LessonSource::TeachingNote,
                NoteKind::Explanation => LessonSource::Explanation,
                _ => continue,
            };
            let Some(first) = thread.notes.first() else {
                continue;
            };
            let place = match &thread.anchor.symbol {
                Some(symbol) => format!(
                    "{symbol} ({}:{})",
                    thread.anchor.path, thread.anchor.start_line
                ),
                None => format!("{}:{}", thread.anchor.path, thread.anchor.start_line),
            };
            lessons.push(Lesson {
                source,
                title: place,
                review: key.clone(),
                path: thread.anchor.path.clone(),
                line: thread.anchor.start_line,
                body: first.body.clone(),
                author: Some(first.author.name.clone()),
            });
        }
    }
    if let Some(target) = target {
        let report = findings(path, target, FindingsOptions::default())?;
        for finding in &report.findings {
            let Some(rule) = report.rules.iter().find(|r| r.id == finding.rule) else {
                continue;
            };
            lessons.push(Lesson {
                source: LessonSource::Finding,
                title: rule.title.clone(),
                review: target.to_string(),
                path: finding.path.clone(),
                line: finding.line,
                body: format!(
                    "{}\n\n{}\n\n**Fix:** {}",
                    finding.message, rule.teaching, rule.fix
                ),
                author: None,
            });
        }
    }
    Ok(LearnReport { lessons })
}

impl LearnReport {
    /// The lessons as one Markdown document, grouped by source.
    pub fn markdown(&self, title: &str) -> String {
        let mut out = format!("# Learn: {title}\n");
        if self.lessons.is_empty() {
            out.push_str("\nNo lessons yet: teaching notes, pinned explanations and the findings of a change appear here.\n");
            return out;
        }
        for (source, heading) in [
            (LessonSource::TeachingNote, "From reviewers"),
            (LessonSource::Explanation, "Pinned explanations"),
            (LessonSource::Finding, "From the findings"),
        ] {
            let group: Vec<&Lesson> = self.lessons.iter().filter(|l| l.source == source).collect();
            if group.is_empty() {
                continue;
            }
            out.push_str(&format!("\n## {heading}\n"));
            for lesson in group {
                out.push_str(&format!("\n### {}", lesson.title));
                if lesson.source == LessonSource::Finding {
                    out.push_str(&format!(" — `{}:{}`", lesson.path, lesson.line));
                }
                out.push('\n');
                if let Some(author) = &lesson.author {
                    out.push_str(&format!("\n_{author}, on {}_\n", lesson.review));
                }
                out.push('\n');
                out.push_str(lesson.body.trim_end());
                out.push('\n');
            }
        }
        out
    }
}
