//! The Rust API review of a target: for each changed `.rs` file, how its public API changed
//! (breaking or not) and where the new side is `unsafe` or may panic.

use std::path::Path;

use serde::Serialize;
use specta::Type;
use tracing::instrument;

use crate::diff::FileDiff;
use crate::repo::blob::{self, Side, SideContent};
use crate::repo::{self, DiffLimits, RepoError, ResolvedTarget, Target};
use crate::syntax::rust_api::{self, ApiDiff, RiskySite, RustAnalysis, RustParseError};

/// The Rust API changes of one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ApiReport {
    pub target: Target,
    /// The command-line spelling of `target`.
    pub spec: String,
    /// The changed `.rs` files, in the review's order.
    pub files: Vec<RustFileApi>,
    /// Breaking changes over all files.
    pub breaking: u32,
}

/// One changed Rust file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RustFileApi {
    /// The new path (the old one for deletions).
    pub path: String,
    /// The module its items live in, from its path (see [`rust_api::module_of`]).
    pub module: String,
    /// The API changes; `None` when a side could not be analysed.
    pub api: Option<ApiDiff>,
    /// `unsafe` and panic sites of the new side (empty for deletions).
    pub risky: Vec<RiskySite>,
    /// Why the old side was not analysed.
    pub old_error: Option<RustParseError>,
    /// Why the new side was not analysed (AI-written code often does not parse).
    pub new_error: Option<RustParseError>,
}

/// The Rust API review of `target` (or the [`super::default_target`]) in the repository containing `path`.
#[instrument(level = "debug")]
pub fn rust_api(path: &Path, target: Option<&Target>) -> Result<ApiReport, RepoError> {
    let target = &match target {
        Some(target) => target.clone(),
        None => super::default_target(path)?,
    };
    let (repo, _) = repo::open(path)?;
    let resolved = repo::resolve(&repo, target)?;
    // Only paths and blob ids are needed: skip hunks of large files.
    let files = repo::load_diff(&repo, &resolved, &DiffLimits::default())?;
    let mut report = ApiReport {
        target: target.clone(),
        spec: target.to_string(),
        files: Vec::new(),
        breaking: 0,
    };
    for file in files.iter().filter(|f| f.display_path().ends_with(".rs")) {
        let analysed = file_api(&repo, &resolved, file)?;
        report.breaking += analysed.api.as_ref().map_or(0, |api| api.breaking);
        report.files.push(analysed);
    }
    Ok(report)
}

fn file_api(
    repo: &git2::Repository,
    resolved: &ResolvedTarget,
    file: &FileDiff,
) -> Result<RustFileApi, RepoError> {
    let module = rust_api::module_of(file.display_path());
    let side = |side: Side| -> Result<Option<Result<RustAnalysis, RustParseError>>, RepoError> {
        let content =
            match blob::side_content(repo, resolved, file, side, u64::from(rust_api::MAX_BYTES)) {
                // One unreadable file is marked; the rest of the change is still analysed.
                Err(RepoError::Unreadable { reason, .. }) => {
                    return Ok(Some(Err(RustParseError::Unreadable { reason })))
                }
                other => other?,
            };
        Ok(match content {
            SideContent::Absent => None,
            SideContent::TooLarge { bytes } => Some(Err(RustParseError::TooLarge {
                bytes: u32::try_from(bytes).unwrap_or(u32::MAX),
                limit: rust_api::MAX_BYTES,
            })),
            SideContent::Bytes(bytes) => Some(match std::str::from_utf8(&bytes) {
                Ok(source) => rust_api::analyze(source, &module),
                Err(error) => Err(RustParseError::NotText {
                    offset: u32::try_from(error.valid_up_to()).unwrap_or(u32::MAX),
                }),
            }),
        })
    };
    let (old, new) = (side(Side::Old)?, side(Side::New)?);
    let surface = |analysis: &Option<Result<RustAnalysis, RustParseError>>| match analysis {
        None => Ok(Default::default()),
        Some(Ok(analysis)) => Ok(analysis.surface.clone()),
        Some(Err(error)) => Err(error.clone()),
    };
    let api = match (surface(&old), surface(&new)) {
        (Ok(before), Ok(after)) => Some(rust_api::diff(&before, &after)),
        _ => None,
    };
    let error = |analysis: &Option<Result<RustAnalysis, RustParseError>>| match analysis {
        Some(Err(error)) => Some(error.clone()),
        _ => None,
    };
    Ok(RustFileApi {
        path: file.display_path().to_owned(),
        module,
        api,
        risky: match &new {
            Some(Ok(analysis)) => analysis.risky.clone(),
            _ => Vec::new(),
        },
        old_error: error(&old),
        new_error: error(&new),
    })
}
