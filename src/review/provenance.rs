//! Provenance of a target: which commits an AI agent wrote (with the evidence), and which
//! hunks of a review are AI-written. Composes `repo` (commits, notes, blame) with the pure
//! `provenance` module (signatures, notes, line authorship).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use serde::Serialize;
use specta::Type;
use tracing::instrument;

use crate::diff::{HunkId, LineKind};
use crate::error::{ErrorKind, ErrorReport};
use crate::provenance::{
    attribute, author_of_line, with_notes, AgentKind, Attribution, CommitAuthorship, CommitFacts,
    ConfigError, Identity, LineAuthor, NoteAttribution, NoteTool, SignatureTable,
};
use crate::repo::{self, RangeCommit, RepoError, RepoSummary, Target};

use super::Review;

/// How many commits `redline provenance` lists without a target: HEAD's latest history.
pub const HISTORY_LIMIT: usize = 50;
/// The most commits one target's provenance reads.
pub const RANGE_LIMIT: usize = 2_000;

/// Why provenance could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum ProvenanceError {
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error(transparent)]
    Config(#[from] ConfigError),
}

impl From<&ProvenanceError> for ErrorReport {
    fn from(error: &ProvenanceError) -> Self {
        match error {
            ProvenanceError::Repo(e) => ErrorReport::from(e),
            ProvenanceError::Config(e) => ErrorReport {
                kind: ErrorKind::InvalidConfig,
                message: e.to_string(),
            },
        }
    }
}

impl From<ProvenanceError> for ErrorReport {
    fn from(error: ProvenanceError) -> Self {
        ErrorReport::from(&error)
    }
}

/// The commits of a target and who wrote them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProvenanceReport {
    pub repo: RepoSummary,
    /// The target; `None` for HEAD's latest history ([`HISTORY_LIMIT`] commits).
    pub target: Option<Target>,
    /// The command-line spelling of the target, or `HEAD` for the history.
    pub spec: String,
    /// Newest first.
    pub commits: Vec<CommitProvenance>,
    /// Commits an AI coding agent wrote or co-wrote.
    pub ai_commits: u32,
    /// Commits of dependency bots.
    pub bot_commits: u32,
    /// The target is the working tree or the index: its changes are not committed yet, an
    /// agent's or a person's ([`super::uncommitted_evidence`] says which).
    pub uncommitted: bool,
    /// More commits exist than were read (the limit was reached).
    pub truncated: bool,
}

/// One commit and its attribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CommitProvenance {
    pub id: String,
    pub short_id: String,
    pub summary: String,
    /// `Name <address>` of the author.
    pub author: String,
    /// Author time, seconds since the Unix epoch.
    #[specta(type = f64)]
    pub time: i64,
    /// `None`: no signature and no note found, a human commit.
    pub attribution: Option<Attribution>,
    /// Notes of provenance tools on this commit that could not be read, one line each.
    pub note_errors: Vec<String>,
}

impl CommitProvenance {
    /// "Claude Code", "human", or "dependency bot (Dependabot)".
    pub fn label(&self) -> String {
        match &self.attribution {
            None => "human".to_owned(),
            Some(a) if a.kind == AgentKind::DependencyBot => {
                format!("dependency bot ({})", a.agent)
            }
            Some(a) => a.agent.clone(),
        }
    }
}

/// Who wrote one hunk of a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HunkAuthorship {
    pub hunk_id: HunkId,
    /// The file's display path.
    pub path: String,
    /// An AI agent wrote at least one added line, the hunk is an uncommitted agent session
    /// change, or (for a hunk that only removes lines) an AI commit of the range changed the
    /// file. These are the hunks a human must have looked at.
    pub ai_written: bool,
    /// Agents that wrote lines of it, sorted.
    pub agents: Vec<String>,
    /// Short ids of the range's commits that wrote its added lines, sorted.
    pub commits: Vec<String>,
    /// Added lines written by an AI agent in a commit of the range.
    pub ai_lines: u32,
    /// Added lines written by a human (or a dependency bot) in a commit of the range.
    pub human_lines: u32,
    /// Added lines not committed yet.
    pub uncommitted_lines: u32,
    /// A provenance tool's note decided at least one line (rather than a commit signature).
    pub from_note: bool,
}

/// The provenance of `target` (or of HEAD's latest history) in the repository containing
/// `path`, with the built-in signatures and the user's (see [`SignatureTable::load`]).
#[instrument(level = "debug")]
pub fn provenance(
    path: &Path,
    target: Option<&Target>,
) -> Result<ProvenanceReport, ProvenanceError> {
    let table = SignatureTable::load()?;
    Ok(provenance_with(path, target, &table)?)
}

/// [`provenance`] with the given signature table.
pub fn provenance_with(
    path: &Path,
    target: Option<&Target>,
    table: &SignatureTable,
) -> Result<ProvenanceReport, RepoError> {
    let (repo, summary) = repo::open(path)?;
    let refs = note_refs();
    let (commits, limit, uncommitted) = match target {
        None => (
            repo::head_history(&repo, &refs, HISTORY_LIMIT + 1)?,
            HISTORY_LIMIT,
            false,
        ),
        Some(target) => {
            let resolved = repo::resolve(&repo, target)?;
            (
                repo::range_commits(&repo, &resolved, &refs, RANGE_LIMIT + 1)?,
                RANGE_LIMIT,
                resolved.head_commit.is_none(),
            )
        }
    };
    let truncated = commits.len() > limit;
    let commits: Vec<CommitProvenance> = commits
        .iter()
        .take(limit)
        .map(|c| analyse(c, table))
        .map(|a| a.provenance)
        .collect();
    let count = |kind: AgentKind| {
        let n = commits
            .iter()
            .filter(|c| c.attribution.as_ref().is_some_and(|a| a.kind == kind))
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    };
    Ok(ProvenanceReport {
        repo: summary,
        spec: target.map_or_else(|| "HEAD".to_owned(), Target::to_string),
        target: target.cloned(),
        ai_commits: count(AgentKind::CodingAgent),
        bot_commits: count(AgentKind::DependencyBot),
        commits,
        uncommitted,
        truncated,
    })
}

/// Which coding agents wrote a target's commits: what the target list shows next to a branch
/// or a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TargetAgents {
    /// The target, as its `spec` in the target list.
    pub spec: String,
    /// The agents' display names, the one with most commits first (ties: the newest first).
    pub agents: Vec<String>,
    /// Commits written or co-written by a coding agent.
    pub ai_commits: u32,
    /// Commits looked at: the target's, up to [`TARGET_AGENTS_LIMIT`].
    pub commits: u32,
}

/// The most commits of one target read for [`target_agents`]: a list entry needs a name, not
/// an audit (`provenance` reads up to [`RANGE_LIMIT`]).
pub const TARGET_AGENTS_LIMIT: usize = 200;

/// The coding agents of each of `targets` (branches and ranges; uncommitted targets have no
/// commits), with the built-in and the user's signatures. A target that cannot be resolved
/// (a branch deleted since the list was made) is left out rather than failing the others.
#[instrument(level = "debug", skip(targets), fields(targets = targets.len()))]
pub fn target_agents(
    path: &Path,
    targets: &[Target],
) -> Result<Vec<TargetAgents>, ProvenanceError> {
    let table = SignatureTable::load()?;
    let (repo, _) = repo::open(path)?;
    let refs = note_refs();
    let mut result = Vec::with_capacity(targets.len());
    for target in targets {
        let commits = match repo::resolve(&repo, target)
            .and_then(|resolved| repo::range_commits(&repo, &resolved, &refs, TARGET_AGENTS_LIMIT))
        {
            Ok(commits) => commits,
            Err(error) => {
                tracing::debug!(%target, %error, "no agents for a target that does not resolve");
                continue;
            }
        };
        // (agent, commits, newest position) in order of first appearance, newest first
        let mut counts: Vec<(String, u32, usize)> = Vec::new();
        let mut ai_commits = 0u32;
        for (position, commit) in commits.iter().enumerate() {
            let Some(attribution) = analyse(commit, &table).provenance.attribution else {
                continue;
            };
            if !attribution.is_ai() {
                continue;
            }
            ai_commits += 1;
            match counts
                .iter_mut()
                .find(|(agent, _, _)| *agent == attribution.agent)
            {
                Some(entry) => entry.1 += 1,
                None => counts.push((attribution.agent, 1, position)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        result.push(TargetAgents {
            spec: target.to_string(),
            agents: counts.into_iter().map(|(agent, _, _)| agent).collect(),
            ai_commits,
            commits: u32::try_from(commits.len()).unwrap_or(u32::MAX),
        });
    }
    Ok(result)
}

/// Who wrote each hunk of `review`, with the built-in and the user's signatures.
#[instrument(level = "debug", skip(review), fields(target = %review.target))]
pub fn authorship(path: &Path, review: &Review) -> Result<Vec<HunkAuthorship>, ProvenanceError> {
    let table = SignatureTable::load()?;
    Ok(authorship_with(path, review, &table)?)
}

/// Who wrote each hunk of `target`'s review (opened as [`super::open`] opens it), for a
/// caller that holds a target rather than a review (the desktop window).
#[instrument(level = "debug")]
pub fn authorship_of(path: &Path, target: &Target) -> Result<Vec<HunkAuthorship>, ProvenanceError> {
    let review = super::open(path, Some(target))?;
    authorship(path, &review)
}

/// [`authorship`] with the given signature table.
///
/// Each added line of a hunk is blamed at the head commit, restricted to the review's range;
/// the commit that wrote it is read through its notes (which win where they attribute lines)
/// and its signature. Working-tree and index reviews are uncommitted agent session changes.
pub fn authorship_with(
    path: &Path,
    review: &Review,
    table: &SignatureTable,
) -> Result<Vec<HunkAuthorship>, RepoError> {
    let (repo, _) = repo::open(path)?;
    let resolved = repo::resolve(&repo, &review.target)?;
    // Committed content never changes: the answer is kept for the same commits, hunks,
    // signatures and provenance notes (the window asks again on every viewed mark).
    let key = resolved
        .head_commit
        .map(|head| authorship_key(&repo, resolved.base_commit, head, review, table));
    if let Some(found) = key.as_ref().and_then(|key| {
        AUTHORSHIP
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }) {
        return Ok(found);
    }
    let result = compute_authorship(&repo, &resolved, review, table)?;
    if let Some(key) = key {
        let mut cache = AUTHORSHIP.lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|(k, _)| *k != key);
        cache.insert(0, (key, result.clone()));
        cache.truncate(AUTHORSHIP_CACHE);
    }
    Ok(result)
}

/// How many committed targets' authorship is kept.
const AUTHORSHIP_CACHE: usize = 16;

/// Recently computed authorship, newest first, by [`authorship_key`].
type AuthorshipCache = Vec<(u64, Vec<HunkAuthorship>)>;

static AUTHORSHIP: std::sync::LazyLock<std::sync::Mutex<AuthorshipCache>> =
    std::sync::LazyLock::new(|| std::sync::Mutex::new(Vec::new()));

/// What a committed target's authorship depends on, hashed: the repository, both commits, the
/// review's hunks, the signature table and the tips of the provenance notes refs.
fn authorship_key(
    repo: &git2::Repository,
    base: Option<git2::Oid>,
    head: git2::Oid,
    review: &Review,
    table: &SignatureTable,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    repo.path().hash(&mut hasher);
    base.map(|b| b.to_string()).hash(&mut hasher);
    head.to_string().hash(&mut hasher);
    for file in &review.files {
        file.display_path().hash(&mut hasher);
        for hunk in &file.hunks {
            hunk.id.0.hash(&mut hasher);
        }
    }
    format!("{table:?}").hash(&mut hasher);
    for notes in note_refs() {
        repo.refname_to_id(notes)
            .ok()
            .map(|id| id.to_string())
            .hash(&mut hasher);
    }
    hasher.finish()
}

fn compute_authorship(
    repo: &git2::Repository,
    resolved: &repo::ResolvedTarget,
    review: &Review,
    table: &SignatureTable,
) -> Result<Vec<HunkAuthorship>, RepoError> {
    let uncommitted = resolved.head_commit.is_none();
    let commits: Vec<Analysed> = repo::range_commits(repo, resolved, &note_refs(), RANGE_LIMIT)?
        .iter()
        .map(|c| analyse(c, table))
        .collect();
    let by_id: HashMap<git2::Oid, &Analysed> = commits.iter().map(|c| (c.oid, c)).collect();
    let range: HashSet<git2::Oid> = by_id.keys().copied().collect();

    let mut result = Vec::new();
    for file in &review.files {
        let display = file.display_path().to_owned();
        let added_anywhere = file
            .hunks
            .iter()
            .any(|h| h.lines().any(|l| l.kind == LineKind::Added));
        let blame = match (&file.new_path, uncommitted, added_anywhere) {
            (Some(new_path), false, true) => {
                repo::blame_in_range(repo, resolved, &range, new_path)?
            }
            _ => Vec::new(),
        };
        let blamed: HashMap<u32, &repo::BlamedLine> = blame.iter().map(|b| (b.line, b)).collect();
        // Commits of the range that changed this file: who removed lines, for hunks without
        // added lines.
        let touching: Vec<&Analysed> = commits
            .iter()
            .filter(|c| {
                c.paths
                    .iter()
                    .any(|p| Some(p) == file.new_path.as_ref() || Some(p) == file.old_path.as_ref())
            })
            .collect();

        for hunk in &file.hunks {
            let mut entry = HunkAuthorship {
                hunk_id: hunk.id.clone(),
                path: display.clone(),
                ai_written: false,
                agents: Vec::new(),
                commits: Vec::new(),
                ai_lines: 0,
                human_lines: 0,
                uncommitted_lines: 0,
                from_note: false,
            };
            let mut agents = BTreeSet::new();
            let mut shas = BTreeSet::new();
            let added: Vec<u32> = hunk
                .lines()
                .filter(|l| l.kind == LineKind::Added)
                .filter_map(|l| l.new_line)
                .collect();
            for line in &added {
                let author = if uncommitted {
                    LineAuthor::Uncommitted
                } else {
                    match blamed
                        .get(line)
                        .and_then(|b| Some((b, by_id.get(&b.commit?)?)))
                    {
                        Some((b, commit)) => author_of_line(
                            CommitAuthorship {
                                id: &commit.provenance.id,
                                attribution: commit.provenance.attribution.as_ref(),
                                notes: &commit.notes,
                            },
                            &b.orig_path,
                            b.orig_line,
                        ),
                        None => LineAuthor::BeforeRange,
                    }
                };
                match author {
                    LineAuthor::Agent {
                        commit,
                        agent,
                        from_note,
                        ..
                    } => {
                        entry.ai_lines += 1;
                        entry.from_note |= from_note;
                        agents.insert(agent);
                        shas.insert(short(&commit));
                    }
                    LineAuthor::Human { commit } | LineAuthor::Bot { commit, .. } => {
                        entry.human_lines += 1;
                        shas.insert(short(&commit));
                    }
                    LineAuthor::Uncommitted => entry.uncommitted_lines += 1,
                    LineAuthor::BeforeRange => {}
                }
            }
            if added.is_empty() && !uncommitted {
                for commit in touching.iter().filter(|c| c.ai()) {
                    if let Some(a) = &commit.provenance.attribution {
                        agents.insert(a.agent.clone());
                    }
                    shas.insert(commit.provenance.short_id.clone());
                }
            }
            entry.ai_written = entry.ai_lines > 0
                || entry.uncommitted_lines > 0
                || (added.is_empty() && (uncommitted || !agents.is_empty()));
            entry.agents = agents.into_iter().collect();
            entry.commits = shas.into_iter().collect();
            result.push(entry);
        }
    }
    Ok(result)
}

/// A commit with its parsed notes and attribution.
struct Analysed {
    oid: git2::Oid,
    paths: Vec<String>,
    notes: Vec<NoteAttribution>,
    provenance: CommitProvenance,
}

impl Analysed {
    fn ai(&self) -> bool {
        self.provenance
            .attribution
            .as_ref()
            .is_some_and(Attribution::is_ai)
    }
}

fn note_refs() -> Vec<&'static str> {
    NoteTool::ALL.iter().map(|t| t.notes_ref()).collect()
}

fn analyse(commit: &RangeCommit, table: &SignatureTable) -> Analysed {
    let facts = CommitFacts {
        author: Identity {
            name: commit.author_name.clone(),
            email: commit.author_email.clone(),
        },
        committer: Identity {
            name: commit.committer_name.clone(),
            email: commit.committer_email.clone(),
        },
        message: &commit.message,
    };
    let mut notes = Vec::new();
    let mut note_errors = Vec::new();
    for tool in NoteTool::ALL {
        if let Some((_, text)) = commit.notes.iter().find(|(r, _)| r == tool.notes_ref()) {
            match tool.parse(text) {
                Ok(note) => notes.push(note),
                Err(e) => {
                    tracing::warn!(commit = %commit.id, error = %e, "unreadable provenance note");
                    note_errors.push(e.to_string());
                }
            }
        }
    }
    let attribution = with_notes(attribute(table, &facts), &notes);
    let id = commit.id.to_string();
    Analysed {
        oid: commit.id,
        paths: commit.paths.clone(),
        notes,
        provenance: CommitProvenance {
            short_id: short(&id),
            summary: commit.message.lines().next().unwrap_or_default().to_owned(),
            author: format!("{} <{}>", commit.author_name, commit.author_email),
            time: commit.time,
            id,
            attribution,
            note_errors,
        },
    }
}

fn short(id: &str) -> String {
    id.chars().take(7).collect()
}
