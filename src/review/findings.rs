//! The findings of a review: the rules run on the trees the structure analysis parses, the
//! repository's `.redline.toml` applied, each finding placed in its hunk, and risk scores
//! for hunks, files and the review (with the hunks' AI authorship when asked).

use std::collections::HashSet;
use std::path::Path;

use git2::Repository;
use serde::Serialize;
use specta::Type;
use tracing::instrument;

use super::structure::{self, FileRequest, KeepTrees, StructureError};
use crate::diff::{FileDiff, HunkId, LineKind};
use crate::error::{ErrorKind, ErrorReport};
use crate::findings::{
    self, config, file_score, hunk_score, Config, ConfigError, Finding, FindingSide, RuleInfo,
    Severity, SeverityCounts,
};
use crate::repo::blob::{path_content, Side, SideContent};
use crate::repo::{self, Attributes, RepoError, Target};
use crate::syntax::SyntaxLimits;

/// Why findings could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum FindingsError {
    #[error(transparent)]
    Structure(#[from] StructureError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Provenance(#[from] super::ProvenanceError),
}

impl From<RepoError> for FindingsError {
    fn from(error: RepoError) -> Self {
        FindingsError::Structure(error.into())
    }
}

impl From<&FindingsError> for ErrorReport {
    fn from(error: &FindingsError) -> Self {
        match error {
            FindingsError::Structure(e) => e.into(),
            FindingsError::Provenance(e) => e.into(),
            FindingsError::Config(e) => ErrorReport {
                kind: ErrorKind::InvalidConfig,
                message: e.to_string(),
            },
        }
    }
}

impl From<FindingsError> for ErrorReport {
    fn from(error: FindingsError) -> Self {
        ErrorReport::from(&error)
    }
}

/// What [`findings`] computes besides the findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FindingsOptions {
    /// Weigh AI-written hunks higher in the scores (blames the range's added lines).
    pub authorship: bool,
}

/// One hunk's risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HunkRisk {
    pub hunk_id: HunkId,
    pub score: u32,
    /// Findings in the hunk.
    pub findings: u32,
    /// The most severe of them.
    pub severity: Option<Severity>,
    /// An AI agent wrote it (known only when authorship was asked for).
    pub ai_written: bool,
}

/// One changed file's risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileRisk {
    /// The display path, as in the review's file list.
    pub path: String,
    pub score: u32,
    pub counts: SeverityCounts,
    pub hunks: Vec<HunkRisk>,
}

/// The findings of a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FindingsReport {
    pub target: Target,
    /// The command-line spelling of `target`.
    pub spec: String,
    /// Every finding: files in the review's order, then by line.
    pub findings: Vec<Finding>,
    /// Every changed file with its score, in the review's order (sort by `score` for the
    /// risk order).
    pub files: Vec<FileRisk>,
    /// The rules that found something, with their teaching texts.
    pub rules: Vec<RuleInfo>,
    pub counts: SeverityCounts,
    pub score: u32,
    /// `.redline.toml` when the repository has one (it was applied).
    pub config: Option<String>,
    /// AI-written hunks with a high or critical finding (known when authorship was asked
    /// for): the hunks a reviewer must not approve unseen.
    pub high_risk_ai_hunks: u32,
    /// How many of them the reviewer has not viewed (see [`with_viewed`]); `None` until
    /// counted against a review's viewed marks.
    pub high_risk_ai_unviewed: Option<u32>,
}

/// Counts the high-risk AI-written hunks of `report` that the reviewer (git's user) has not
/// marked viewed in `target`'s review: findings feed coverage.
pub fn with_viewed(
    store: &crate::store::Store,
    path: &Path,
    target: &Target,
    mut report: FindingsReport,
) -> Result<FindingsReport, super::WorkflowError> {
    let opened = super::workflow::Opened::new(store, path, target)?;
    let viewed: HashSet<HunkId> = match opened.existing_review(store)? {
        Some(id) => store
            .viewed_marks(id, opened.reviewer.key())?
            .into_iter()
            .map(|mark| mark.hunk_id)
            .collect(),
        None => HashSet::new(),
    };
    let unviewed = high_risk_ai(&report)
        .filter(|hunk| !viewed.contains(&hunk.hunk_id))
        .count() as u32;
    report.high_risk_ai_unviewed = Some(unviewed);
    Ok(report)
}

/// The AI-written hunks with a high or critical finding.
fn high_risk_ai(report: &FindingsReport) -> impl Iterator<Item = &HunkRisk> {
    report
        .files
        .iter()
        .flat_map(|file| &file.hunks)
        .filter(|hunk| hunk.ai_written && hunk.severity.is_some_and(|s| s >= Severity::High))
}

/// The findings of `target` in the repository containing `path`.
#[instrument(level = "debug")]
pub fn findings(
    path: &Path,
    target: &Target,
    options: FindingsOptions,
) -> Result<FindingsReport, FindingsError> {
    let review = super::open(path, Some(target))?;
    let (repo, _) = repo::open(path)?;
    let resolved = repo::resolve(&repo, target)?;
    let (config, config_file) = load_config(&repo)?;
    let analysed = structure::analyse_files_checked(
        &repo,
        &resolved,
        &review.files,
        &SyntaxLimits::default(),
        Some(&config),
    )?;
    let authored: HashSet<HunkId> = if options.authorship {
        super::authorship(path, &review)?
            .into_iter()
            .filter(|hunk| hunk.ai_written)
            .map(|hunk| hunk.hunk_id)
            .collect()
    } else {
        HashSet::new()
    };
    let touches_tests = review
        .files
        .iter()
        .any(|f| findings::Placement::of(f.display_path()) == findings::Placement::Test);
    let mut all = Vec::new();
    let mut files = Vec::with_capacity(review.files.len());
    for (file, analysed) in review.files.iter().zip(analysed) {
        let mut file_findings = analysed.findings;
        place_in_hunks(file, &mut file_findings);
        files.push(file_risk(file, &file_findings, &authored, touches_tests));
        all.extend(file_findings);
    }
    let fired: HashSet<&str> = all.iter().map(|f| f.rule.as_str()).collect();
    let rules = findings::rules()
        .iter()
        .filter(|rule| fired.contains(rule.id.as_str()))
        .cloned()
        .collect();
    let mut report = FindingsReport {
        spec: target.to_string(),
        target: target.clone(),
        counts: SeverityCounts::of(&all),
        score: files.iter().map(|f| f.score).sum(),
        findings: all,
        files,
        rules,
        config: config_file,
        high_risk_ai_hunks: 0,
        high_risk_ai_unviewed: None,
    };
    report.high_risk_ai_hunks = high_risk_ai(&report).count() as u32;
    Ok(report)
}

/// The findings of one file of `target`, for the window, which asks file by file as the
/// reviewer opens them (the trees it parses stay cached for highlighting).
#[instrument(level = "debug")]
pub fn file_findings(
    path: &Path,
    target: &Target,
    file: &str,
    old_path: Option<&str>,
) -> Result<Vec<Finding>, FindingsError> {
    let (repo, _) = repo::open(path)?;
    let resolved = repo::resolve(&repo, target)?;
    let diff = repo::load_file_diff(&repo, &resolved, file, old_path)?.ok_or_else(|| {
        RepoError::FileNotInTarget {
            file: file.to_owned(),
            target: target.to_string(),
        }
    })?;
    let (config, _) = load_config(&repo)?;
    let attributes = Attributes::new(&repo);
    let request = FileRequest {
        repo: &repo,
        resolved: &resolved,
        file: &diff,
        attributes: &attributes,
        limits: &SyntaxLimits::default(),
        keep: KeepTrees::Yes,
        check: Some(&config),
    };
    let mut found = structure::analyse_file(&request)?.findings;
    place_in_hunks(&diff, &mut found);
    Ok(found)
}

/// The repository's `.redline.toml`, from the working tree (the new side a reviewer edits),
/// or HEAD's tree in a bare repository; the default when there is none.
pub(super) fn load_config(repo: &Repository) -> Result<(Config, Option<String>), FindingsError> {
    let bytes = match repo.workdir() {
        Some(root) => match std::fs::read(root.join(config::FILE_NAME)) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(ConfigError {
                    file: config::FILE_NAME.to_owned(),
                    line: 0,
                    key: "(file)".to_owned(),
                    message: format!("cannot be read: {e}"),
                }
                .into())
            }
        },
        None => {
            let head = repo
                .head()
                .ok()
                .and_then(|head| head.peel_to_tree().ok())
                .map(|tree| tree.id());
            match head {
                Some(tree) => {
                    let resolved = repo::ResolvedTarget {
                        old_tree: None,
                        new_side: repo::NewSide::Tree(tree),
                        base_commit: None,
                        head_commit: None,
                    };
                    match path_content(repo, &resolved, Side::New, config::FILE_NAME, 1 << 20)? {
                        SideContent::Bytes(bytes) => Some(bytes),
                        _ => None,
                    }
                }
                None => None,
            }
        }
    };
    let Some(bytes) = bytes else {
        return Ok((Config::default(), None));
    };
    let text = String::from_utf8(bytes).map_err(|_| ConfigError {
        file: config::FILE_NAME.to_owned(),
        line: 1,
        key: "(file)".to_owned(),
        message: "is not UTF-8 text".to_owned(),
    })?;
    Ok((
        Config::parse(config::FILE_NAME, &text)?,
        Some(config::FILE_NAME.to_owned()),
    ))
}

/// Sets each finding's hunk: the hunk holding its first line on its side.
fn place_in_hunks(file: &FileDiff, found: &mut [Finding]) {
    for finding in found {
        finding.hunk = file
            .hunks
            .iter()
            .find(|hunk| {
                hunk.lines().any(|line| {
                    let number = match finding.side {
                        FindingSide::New => line.new_line,
                        FindingSide::Old => line.old_line,
                    };
                    number == Some(finding.line)
                })
            })
            .map(|hunk| hunk.id.clone());
    }
}

fn file_risk(
    file: &FileDiff,
    found: &[Finding],
    authored: &HashSet<HunkId>,
    touches_tests: bool,
) -> FileRisk {
    let hunks: Vec<HunkRisk> = file
        .hunks
        .iter()
        .map(|hunk| {
            let in_hunk: Vec<&Finding> = found
                .iter()
                .filter(|f| f.hunk.as_ref() == Some(&hunk.id))
                .collect();
            let changed = hunk
                .lines()
                .filter(|line| line.kind != LineKind::Context)
                .count() as u32;
            let ai_written = authored.contains(&hunk.id);
            HunkRisk {
                hunk_id: hunk.id.clone(),
                score: hunk_score(in_hunk.iter().copied(), changed, ai_written),
                findings: in_hunk.len() as u32,
                severity: in_hunk.iter().map(|f| f.severity).max(),
                ai_written,
            }
        })
        .collect();
    let ai_written = hunks.iter().any(|h| h.ai_written);
    let untested = !touches_tests
        && findings::Placement::of(file.display_path()) == findings::Placement::Production;
    FileRisk {
        path: file.display_path().to_owned(),
        score: file_score(
            hunks.iter().map(|h| h.score),
            found.iter().filter(|f| f.hunk.is_none()),
            ai_written,
            untested,
        ),
        counts: SeverityCounts::of(found),
        hunks,
    }
}
