//! `redline gate`: may this range be merged? Reads the reviews that travel in the notes ref
//! (`refs/notes/redline`, fetched first in CI) and the provenance of the range's commits.
//!
//! An AI-written commit is approved when the latest decision of a review covering it approves
//! the content it has now: a review of the commit itself (found by commit id, or by tree for
//! an amended commit with the same content) whose approval is bound to the commit's tree, or
//! a review of a range or branch whose approval is bound to the tree of a commit of the range
//! that contains it. A commit added after an approval is not covered by it (stale).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use git2::{Oid, Repository};
use serde::Serialize;
use specta::Type;
use tracing::instrument;

use crate::notes::NoteKind;
use crate::progress::Verdict;
use crate::provenance::{AgentKind, SignatureTable};
use crate::repo::notes_ref;
use crate::repo::{self, RepoError, Target};
use crate::sharing::{CommitReviews, SharedDecision, SharedReview, NOTES_REF};

use super::workflow::WorkflowError;
use super::{provenance_with, ProvenanceError};

/// What the gate requires.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GateRules {
    /// Every AI-written commit approved at its current content.
    pub require_approval: bool,
    /// The approvals' recorded AI-review coverage at least this percentage.
    pub min_coverage: Option<u32>,
    /// No open must-fix note on the range's reviews.
    pub no_open_must_fix: bool,
}

/// The gate's verdict on a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GateReport {
    pub spec: String,
    pub passed: bool,
    /// Every reason it did not pass, one line each.
    pub reasons: Vec<String>,
    /// Newest first.
    pub commits: Vec<GateCommit>,
    /// Notes of the ref that could not be read, one line each.
    pub problems: Vec<String>,
}

/// One commit of the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GateCommit {
    pub id: String,
    pub short_id: String,
    pub summary: String,
    /// The coding agent that wrote it, if one did.
    pub agent: Option<String>,
    /// Who approved its current content, and the coverage they recorded.
    pub approved_by: Option<String>,
    pub coverage: Option<u32>,
}

/// Checks `target` (a range, branch or commit) of the repository containing `path`.
#[instrument(level = "debug")]
pub fn gate(path: &Path, target: &Target, rules: &GateRules) -> Result<GateReport, WorkflowError> {
    let table = SignatureTable::load().map_err(ProvenanceError::from)?;
    let provenance = provenance_with(path, Some(target), &table)?;
    let (repo, _) = repo::open(path)?;
    let mut problems = Vec::new();
    let docs = read_documents(&repo, &mut problems)?;
    let by_tree: HashMap<&str, Vec<&CommitReviews>> =
        docs.values().fold(HashMap::new(), |mut map, doc| {
            map.entry(doc.tree.as_str()).or_default().push(doc);
            map
        });

    let ids: Vec<Oid> = provenance
        .commits
        .iter()
        .filter_map(|c| Oid::from_str(&c.id).ok())
        .collect();
    let in_range: HashSet<Oid> = ids.iter().copied().collect();
    let trees: HashMap<Oid, String> = ids
        .iter()
        .filter_map(|id| Some((*id, repo.find_commit(*id).ok()?.tree_id().to_string())))
        .collect();
    // The reviews of each commit of the range: on the commit itself, or on a commit with the
    // same tree (amended).
    let reviews_of = |id: &Oid| -> Vec<&SharedReview> {
        let mut found: Vec<&SharedReview> = Vec::new();
        if let Some(doc) = docs.get(id) {
            found.extend(&doc.reviews);
        }
        if let Some(tree) = trees.get(id) {
            for doc in by_tree.get(tree.as_str()).into_iter().flatten() {
                if Oid::from_str(&doc.commit).ok() != Some(*id) {
                    found.extend(&doc.reviews);
                }
            }
        }
        found
    };

    let mut reasons = Vec::new();
    let mut commits = Vec::new();
    for (commit, id) in provenance.commits.iter().zip(&ids) {
        let agent = commit
            .attribution
            .as_ref()
            .filter(|a| a.kind == AgentKind::CodingAgent)
            .map(|a| a.agent.clone());
        let approval = approval_of(&repo, *id, &trees, &in_range, &ids, &reviews_of);
        let short = commit.short_id.clone();
        if let Some(agent) = &agent {
            match &approval {
                Some(decision) => {
                    let percent = decision.recorded_coverage().map_or(0, |c| c.percent());
                    if let Some(min) = rules.min_coverage.filter(|min| percent < *min) {
                        reasons.push(format!(
                            "{short} ({agent}): approved by {} with {percent}% AI-review coverage, under the required {min}%",
                            reviewer_name(decision)
                        ));
                    }
                }
                None if rules.require_approval => {
                    let why = match stale_approval(&repo, *id, &ids, &reviews_of) {
                        Some(at) => format!("approved only at an earlier state ({at}); the code changed since (stale)"),
                        None => "no approval".to_owned(),
                    };
                    reasons.push(format!("{short} ({agent}): {why} — \"{}\"", commit.summary));
                }
                None => {}
            }
        }
        commits.push(GateCommit {
            id: commit.id.clone(),
            short_id: short,
            summary: commit.summary.clone(),
            agent,
            approved_by: approval.map(|d| {
                d.decided_by()
                    .map_or_else(|| reviewer_name(d), |a| a.to_string())
            }),
            coverage: approval.map(|d| d.recorded_coverage().map_or(0, |c| c.percent())),
        });
    }
    if rules.no_open_must_fix {
        let mut seen = HashSet::new();
        for id in &ids {
            for review in reviews_of(id) {
                for thread in review
                    .threads
                    .iter()
                    .filter(|t| t.kind == NoteKind::MustFix && !t.resolved)
                {
                    if seen.insert(thread.id.as_str()) {
                        let (path, line) = thread
                            .note_anchor()
                            .map_or(("?".to_owned(), 0), |a| (a.path, a.start_line));
                        reasons.push(format!(
                            "open must-fix note on {path}:{line}: {}",
                            thread
                                .notes
                                .first()
                                .and_then(|n| n.body.lines().next())
                                .unwrap_or("")
                        ));
                    }
                }
            }
        }
    }
    Ok(GateReport {
        spec: target.to_string(),
        passed: reasons.is_empty(),
        reasons,
        commits,
        problems,
    })
}

/// The approval covering commit `id`'s current content, if any (see the module doc).
fn approval_of<'r>(
    repo: &Repository,
    id: Oid,
    trees: &HashMap<Oid, String>,
    in_range: &HashSet<Oid>,
    ids: &[Oid],
    reviews_of: &impl Fn(&Oid) -> Vec<&'r SharedReview>,
) -> Option<&'r SharedDecision> {
    // Its own reviews (any target), then ranges approved at a later commit containing it.
    let own = reviews_of(&id)
        .into_iter()
        .filter_map(latest)
        .find(|d| d.verdict == Verdict::Approved && trees.get(&id) == Some(&d.head_tree));
    if own.is_some() {
        return own;
    }
    ids.iter()
        .filter(|later| **later != id && in_range.contains(later))
        .filter(|later| notes_ref::contains(repo, **later, id))
        .flat_map(|later| {
            reviews_of(later)
                .into_iter()
                .filter(|r| !is_commit_id(&r.target))
                .filter_map(latest)
                .filter(move |d| {
                    d.verdict == Verdict::Approved && trees.get(later) == Some(&d.head_tree)
                })
        })
        .next()
}

/// An approval bound to the tree of an earlier commit of the range (an ancestor of `id`)
/// through a range review: the code was approved, then `id` came.
fn stale_approval<'r>(
    repo: &Repository,
    id: Oid,
    ids: &[Oid],
    reviews_of: &impl Fn(&Oid) -> Vec<&'r SharedReview>,
) -> Option<String> {
    ids.iter()
        .filter(|earlier| **earlier != id && notes_ref::contains(repo, id, **earlier))
        .find(|earlier| {
            reviews_of(earlier)
                .into_iter()
                .filter_map(latest)
                .any(|d| d.verdict == Verdict::Approved)
        })
        .map(|earlier| earlier.to_string().chars().take(7).collect())
}

/// The reviewer's name, also from a reviewer record this version cannot fully read.
fn reviewer_name(decision: &SharedDecision) -> String {
    decision
        .reviewer
        .get("name")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("someone")
        .to_owned()
}

fn latest(review: &SharedReview) -> Option<&SharedDecision> {
    review
        .decisions
        .iter()
        .max_by_key(|d| (d.decided_at, &d.id))
}

fn is_commit_id(text: &str) -> bool {
    (text.len() == 40 || text.len() == 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Every readable document of the notes ref, by commit; unreadable ones become problems.
fn read_documents(
    repo: &Repository,
    problems: &mut Vec<String>,
) -> Result<HashMap<Oid, CommitReviews>, RepoError> {
    let Some(tip) = notes_ref::ref_tip(repo, NOTES_REF)? else {
        return Ok(HashMap::new());
    };
    let mut docs = HashMap::new();
    for (id, blob) in notes_ref::read_notes(repo, tip)? {
        match CommitReviews::parse(&blob.text) {
            Ok(doc) => {
                docs.insert(id, doc);
            }
            Err(e) => problems.push(format!(
                "{}: {e}",
                id.to_string().chars().take(10).collect::<String>()
            )),
        }
    }
    Ok(docs)
}
