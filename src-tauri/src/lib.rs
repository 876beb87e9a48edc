//! The Redline desktop shell: a thin Tauri layer over the `redline` core.
//!
//! Each command does three things: take its arguments, call one `redline::review` function
//! (off the main thread, since git work blocks), return its typed result. Errors cross IPC as
//! `{ kind, message }` ([`ErrorReport`]). The TypeScript bindings the UI calls are generated
//! from these signatures by tauri-specta (see `tests/bindings.rs`).
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use redline::diff::FileDiff;
use redline::error::{ErrorKind, ErrorReport};
use redline::explain::ExplainRequest;
use redline::findings::{Finding, RuleInfo};
use redline::notes::{NoteEntry, NoteKind};
use redline::progress::Verdict;
use redline::repo::Target;
use redline::review::{
    self, FileStructure, FindingsReport, HunkAuthorship, HunkChoice, NewNote, NotesReport,
    PlacedThread, ProvenanceReport, Review, ReviewProgress, SyncReport, TargetAgents, TargetList,
    TargetStatus, Workspace,
};
use redline::store::{Draft, Store};
use redline::syntax::FileHighlights;
use redline::watch::{WatchEvent, WatchHandle};
use serde::Serialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use tokio_util::sync::CancellationToken;
use tracing::instrument;

/// What the window needs to know before its first request.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppContext {
    /// The repository to open.
    pub workspace: Workspace,
    /// Where this run logs, when the log file could be opened.
    pub log_file: Option<String>,
}

/// The repository the window shows; `None` while it shows the start screen.
#[derive(Default)]
struct Opened(Mutex<Option<Workspace>>);

impl Opened {
    fn get(&self) -> Option<Workspace> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn set(&self, workspace: Workspace) -> Workspace {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(workspace.clone());
        workspace
    }
}

/// Where this run logs, when the log file could be opened.
struct LogFile(Option<String>);

/// Returns the repository the window shows (the review screen asks as it starts).
#[tauri::command]
#[specta::specta]
#[instrument(skip(opened, log_file))]
fn app_context(
    opened: State<'_, Opened>,
    log_file: State<'_, LogFile>,
) -> Result<AppContext, ErrorReport> {
    let workspace = opened.get().ok_or_else(|| ErrorReport {
        kind: ErrorKind::NotARepository,
        message: "no repository is open: choose one on the start screen".to_owned(),
    })?;
    Ok(AppContext {
        workspace,
        log_file: log_file.0.clone(),
    })
}

/// The repository the window shows, or `None` for the start screen (started outside any
/// repository).
#[tauri::command]
#[specta::specta]
#[instrument(skip(opened))]
fn opened_repository(opened: State<'_, Opened>) -> Option<Workspace> {
    opened.get()
}

/// The repositories used before, the most recent first, for the start screen.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn recent_repositories() -> Result<Vec<review::RecentRepository>, ErrorReport> {
    off_main_thread(move || Ok(review::recent_repositories(&store()?)?)).await
}

/// Makes the repository at `path` the one the window shows (recorded as recent when it opens).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app))]
async fn open_repository(app: AppHandle, path: String) -> Result<Workspace, ErrorReport> {
    off_main_thread(move || {
        let workspace = review::open_workspace(&store()?, Path::new(&path));
        Ok(app.state::<Opened>().set(workspace))
    })
    .await
}

/// Makes the demo repository (built on first use) the one the window shows.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app))]
async fn open_demo(app: AppHandle) -> Result<Workspace, ErrorReport> {
    off_main_thread(move || Ok(app.state::<Opened>().set(review::demo_workspace()?))).await
}

/// The window's settings (theme, diff view, tab width) from the user's config file.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn settings() -> Result<review::WindowSettings, ErrorReport> {
    off_main_thread(move || Ok(review::settings()?)).await
}

/// Writes the window's settings to the user's config file, keeping the rest of the file.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn save_settings(
    settings: review::WindowSettings,
) -> Result<review::WindowSettings, ErrorReport> {
    off_main_thread(move || Ok(review::save_settings(&settings)?)).await
}

/// Lists the review targets of the repository at `repo`.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn list_targets(repo: String) -> Result<TargetList, ErrorReport> {
    off_main_thread(move || review::targets(Path::new(&repo)).map_err(ErrorReport::from)).await
}

/// The target `text` names in the repository at `repo` (a ref, a commit id, a range, as the
/// command line spells it), or why it names none: the command palette checks typed text.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn resolve_target(repo: String, text: String) -> Result<Target, ErrorReport> {
    off_main_thread(move || Ok(review::resolve_target(Path::new(&repo), &text)?)).await
}

/// The review `open_review` last returned: `authorship` reads the hunks the window shows from
/// it rather than computing the same diff again.
#[derive(Default)]
struct LastReview(Mutex<Option<(String, Target, Arc<Review>)>>);

impl LastReview {
    fn set(&self, repo: &str, review: &Review) {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *slot = Some((
            repo.to_owned(),
            review.target.clone(),
            Arc::new(review.clone()),
        ));
    }

    fn get(&self, repo: &str, target: &Target) -> Option<Arc<Review>> {
        let slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match &*slot {
            Some((r, t, review)) if r == repo && t == target => Some(Arc::clone(review)),
            _ => None,
        }
    }
}

/// Opens `target` in the repository at `repo`.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app))]
async fn open_review(app: AppHandle, repo: String, target: Target) -> Result<Review, ErrorReport> {
    off_main_thread(move || {
        let review = review::open(Path::new(&repo), Some(&target))?;
        app.state::<LastReview>().set(&repo, &review);
        Ok(review)
    })
    .await
}

/// Loads one file of `target` in full, for a file the review left out for size, or compared
/// as `options` says (ignoring whitespace); `null` options compare as git does by default.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn file_diff(
    repo: String,
    target: Target,
    file: String,
    old_path: Option<String>,
    options: Option<review::FileDiffOptions>,
) -> Result<FileDiff, ErrorReport> {
    off_main_thread(move || {
        review::file_diff_with(
            Path::new(&repo),
            &target,
            &file,
            old_path.as_deref(),
            &options.unwrap_or_default(),
        )
        .map_err(ErrorReport::from)
    })
    .await
}

/// Lines `start..=end` (1-based) of blob `blob_id`, a side of the file at `path`: the unchanged
/// lines the diff shows around its hunks when the reviewer expands them.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn file_lines(
    repo: String,
    blob_id: String,
    path: String,
    start: u32,
    end: u32,
) -> Result<review::FileLines, ErrorReport> {
    off_main_thread(move || {
        Ok(review::file_lines(
            Path::new(&repo),
            &blob_id,
            &path,
            start,
            end,
        )?)
    })
    .await
}

/// The structure of one file of `target`: each hunk's enclosing symbol on both sides and how
/// its symbols changed. Asked for when the file is shown; the diff does not wait for it.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn file_structure(
    repo: String,
    target: Target,
    file: String,
    old_path: Option<String>,
) -> Result<FileStructure, ErrorReport> {
    off_main_thread(move || {
        review::file_structure(Path::new(&repo), &target, &file, old_path.as_deref())
            .map_err(ErrorReport::from)
    })
    .await
}

/// The findings of a whole review with risk scores per hunk and file (AI-written hunks
/// weigh more): the findings panel and the risk order of the file list.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn review_findings(repo: String, target: Target) -> Result<FindingsReport, ErrorReport> {
    off_main_thread(move || {
        let options = review::FindingsOptions { authorship: true };
        let report = review::findings(Path::new(&repo), &target, options)?;
        Ok(review::with_viewed(
            &store()?,
            Path::new(&repo),
            &target,
            report,
        )?)
    })
    .await
}

/// The findings of one file of `target`, for its gutter, as soon as the file is shown.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn file_findings(
    repo: String,
    target: Target,
    file: String,
    old_path: Option<String>,
) -> Result<Vec<Finding>, ErrorReport> {
    off_main_thread(move || {
        review::file_findings(Path::new(&repo), &target, &file, old_path.as_deref())
            .map_err(ErrorReport::from)
    })
    .await
}

/// Every findings rule with its teaching text and fix hint.
#[tauri::command]
#[specta::specta]
#[instrument]
fn findings_rules() -> Vec<RuleInfo> {
    redline::findings::rules().to_vec()
}

/// The model explanations would use: from `REDLINE_LLM_*`, the config file, or a server
/// found on this machine; `None` when there is none (explanations are structural summaries).
#[tauri::command]
#[specta::specta]
#[instrument]
async fn model_status() -> Result<Option<ModelStatus>, ErrorReport> {
    off_main_thread(move || {
        let runtime = redline::llm::request_runtime()?;
        let choice = runtime.block_on(review::choose_model(true))?;
        Ok(choice.map(|choice| ModelStatus {
            model: choice.endpoint.model.clone(),
            base_url: choice.endpoint.base_url.clone(),
            source: choice.source,
            context_tokens: choice.context_tokens,
        }))
    })
    .await
}

/// The model in use, as the Explain panel names it.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ModelStatus {
    pub model: String,
    pub base_url: String,
    pub source: review::ModelSource,
    pub context_tokens: u32,
}

/// Exactly what an explanation would send (secrets redacted, cut to the model's context).
#[tauri::command]
#[specta::specta]
#[instrument(skip(request))]
async fn prepare_explain(
    repo: String,
    target: Target,
    request: ExplainRequest,
) -> Result<review::PreparedExplain, ErrorReport> {
    off_main_thread(move || {
        let runtime = redline::llm::request_runtime()?;
        let choice = runtime.block_on(review::choose_model(true))?;
        let (context, answer) = choice
            .as_ref()
            .map_or((8_192, 1_024), |c| (c.context_tokens, c.answer_tokens));
        Ok(review::prepare_explain(
            Path::new(&repo),
            &target,
            &request,
            context,
            answer,
        )?)
    })
    .await
}

/// A piece of an explanation as it streams.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ExplainEvent {
    Token { text: String },
}

/// Explanations being streamed, by the id the window gave them, to stop them.
#[derive(Default)]
struct Explaining(Mutex<HashMap<String, CancellationToken>>);

/// Explains `request`, streaming the text to `on_event`; `id` names the request for
/// [`cancel_explain`].
#[tauri::command]
#[specta::specta]
#[instrument(skip(app, request, on_event))]
async fn explain(
    app: AppHandle,
    repo: String,
    target: Target,
    request: ExplainRequest,
    id: String,
    on_event: Channel<ExplainEvent>,
) -> Result<review::Explanation, ErrorReport> {
    let cancel = CancellationToken::new();
    app.state::<Explaining>()
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id.clone(), cancel.clone());
    let result = off_main_thread(move || {
        let runtime = redline::llm::request_runtime()?;
        let store = store()?;
        runtime
            .block_on(async {
                let choice = review::choose_model(true).await?;
                review::explain(
                    &store,
                    Path::new(&repo),
                    &target,
                    &request,
                    choice.as_ref(),
                    &cancel,
                    |text| {
                        if let Err(error) = on_event.send(ExplainEvent::Token {
                            text: text.to_owned(),
                        }) {
                            tracing::debug!(%error, "an explanation's window went away");
                            cancel.cancel();
                        }
                    },
                )
                .await
            })
            .map_err(ErrorReport::from)
    })
    .await;
    app.state::<Explaining>()
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&id);
    result
}

/// Progress of [`explain_every_hunk`]: one hunk done.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HunkDone {
    pub file: String,
    pub hunk: u32,
    pub done: u32,
    pub total: u32,
    /// Explained (or from the cache); `false` when this hunk failed.
    pub explained: bool,
}

/// Explains every hunk of `target` as a queue (two at a time), reporting each one done to
/// `on_event`; [`cancel_explain`] with `id` stops the rest.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app, on_event))]
async fn explain_every_hunk(
    app: AppHandle,
    repo: String,
    target: Target,
    teach: bool,
    id: String,
    on_event: Channel<HunkDone>,
) -> Result<Vec<review::HunkExplanation>, ErrorReport> {
    let cancel = CancellationToken::new();
    app.state::<Explaining>()
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id.clone(), cancel.clone());
    let result = off_main_thread(move || {
        let runtime = redline::llm::request_runtime()?;
        let store = store()?;
        runtime
            .block_on(async {
                let Some(model) = review::choose_model(true).await? else {
                    return Err(review::ExplainError::Settings(
                        "explaining every hunk needs a model: set REDLINE_LLM_BASE_URL and \
                         REDLINE_LLM_MODEL, or run a model server on this machine"
                            .to_owned(),
                    ));
                };
                review::explain_every_hunk(
                    &store,
                    Path::new(&repo),
                    &target,
                    teach,
                    &model,
                    &cancel,
                    |result, done, total| {
                        let event = HunkDone {
                            file: result.file.clone(),
                            hunk: result.hunk,
                            done: done as u32,
                            total: total as u32,
                            explained: result.explanation.is_ok(),
                        };
                        if on_event.send(event).is_err() {
                            cancel.cancel();
                        }
                    },
                )
                .await
            })
            .map_err(ErrorReport::from)
    })
    .await;
    app.state::<Explaining>()
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&id);
    result
}

/// Stops the explanation `id` (the request to the model is dropped).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app))]
fn cancel_explain(app: AppHandle, id: String) {
    if let Some(cancel) = app
        .state::<Explaining>()
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&id)
    {
        cancel.cancel();
    }
}

/// Pins an explanation as a note of kind explanation.
#[tauri::command]
#[specta::specta]
#[instrument(skip(request, text))]
async fn pin_explanation(
    repo: String,
    target: Target,
    request: ExplainRequest,
    text: String,
    model: Option<String>,
) -> Result<PlacedThread, ErrorReport> {
    off_main_thread(move || {
        Ok(review::pin_explanation(
            &store()?,
            Path::new(&repo),
            &target,
            &request,
            &text,
            model.as_deref(),
        )?)
    })
    .await
}

/// The lessons of the repository's reviews (or of one target, with its findings' teaching).
#[tauri::command]
#[specta::specta]
#[instrument]
async fn learn(repo: String, target: Option<Target>) -> Result<review::LearnReport, ErrorReport> {
    off_main_thread(move || Ok(review::learn(&store()?, Path::new(&repo), target.as_ref())?)).await
}

/// Highlight spans of blob `blob_id`, whose language `path` tells (a working-tree side git
/// hashed but did not store is read from the working tree by the core).
#[tauri::command]
#[specta::specta]
#[instrument]
async fn highlight(
    repo: String,
    blob_id: String,
    path: String,
) -> Result<FileHighlights, ErrorReport> {
    off_main_thread(move || {
        review::highlight(Path::new(&repo), &blob_id, &path)
            .map(std::sync::Arc::unwrap_or_clone)
            .map_err(ErrorReport::from)
    })
    .await
}

/// Who wrote each hunk of `target`'s review: AI agent, human, or an uncommitted agent session.
/// Asked for after the review is drawn; the diff does not wait for it. The hunks are those of
/// the review `open_review` last returned for `target` (the one the window shows), opened
/// again only when there is none.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app))]
async fn authorship(
    app: AppHandle,
    repo: String,
    target: Target,
) -> Result<Vec<HunkAuthorship>, ErrorReport> {
    off_main_thread(move || {
        let path = Path::new(&repo);
        match app.state::<LastReview>().get(&repo, &target) {
            Some(shown) => review::authorship(path, &shown),
            None => review::authorship_of(path, &target),
        }
        .map_err(ErrorReport::from)
    })
    .await
}

/// The commits of `target` (or of HEAD's latest history when `None`) and which agent wrote
/// each.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn provenance(repo: String, target: Option<Target>) -> Result<ProvenanceReport, ErrorReport> {
    off_main_thread(move || {
        review::provenance(Path::new(&repo), target.as_ref()).map_err(ErrorReport::from)
    })
    .await
}

/// Which coding agents wrote each of `targets` (branches and ranges of the target list).
#[tauri::command]
#[specta::specta]
#[instrument(skip(targets))]
async fn target_agents(
    repo: String,
    targets: Vec<Target>,
) -> Result<Vec<TargetAgents>, ErrorReport> {
    off_main_thread(move || {
        review::target_agents(Path::new(&repo), &targets).map_err(ErrorReport::from)
    })
    .await
}

/// A commit in full for its details panel: message, author and committer, parents, who
/// wrote it (agent and evidence).
#[tauri::command]
#[specta::specta]
#[instrument]
async fn commit_details(repo: String, rev: String) -> Result<review::CommitDetails, ErrorReport> {
    off_main_thread(move || {
        review::commit_details(Path::new(&repo), &rev).map_err(ErrorReport::from)
    })
    .await
}

/// The next page of HEAD's history after the commit `after` (a full id the list shows).
#[tauri::command]
#[specta::specta]
#[instrument]
async fn older_commits(
    repo: String,
    after: String,
) -> Result<redline::repo::CommitPage, ErrorReport> {
    off_main_thread(move || {
        review::older_commits(Path::new(&repo), &after).map_err(ErrorReport::from)
    })
    .await
}

/// What says the repository's uncommitted changes are an agent's: agents running in it,
/// sessions Redline recorded, Stop hooks installed.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn uncommitted_evidence(repo: String) -> Result<review::UncommittedEvidence, ErrorReport> {
    off_main_thread(move || {
        review::uncommitted_evidence(Path::new(&repo)).map_err(ErrorReport::from)
    })
    .await
}

/// Opens the review database for one command. Opening is cheap (a few pragmas) and lets
/// two windows, or a window and the CLI, write at once.
fn store() -> Result<Store, ErrorReport> {
    let store = Store::open_default()?;
    if let Some(backup) = store.recovered_from() {
        tracing::warn!(backup = %backup.display(), "an unreadable review database was set aside");
    }
    Ok(store)
}

/// The notes of `target`'s review, placed on the code as it is now, and the drafts.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn review_notes(repo: String, target: Target) -> Result<NotesReport, ErrorReport> {
    off_main_thread(move || Ok(review::notes(&store()?, Path::new(&repo), &target)?)).await
}

/// Writes a new note thread.
#[tauri::command]
#[specta::specta]
#[instrument(skip(note))]
async fn add_note(
    repo: String,
    target: Target,
    note: NewNote,
) -> Result<PlacedThread, ErrorReport> {
    off_main_thread(move || {
        Ok(review::add_note(
            &store()?,
            Path::new(&repo),
            &target,
            &note,
        )?)
    })
    .await
}

/// Replies to a thread.
#[tauri::command]
#[specta::specta]
#[instrument(skip(body))]
async fn reply_to_note(
    repo: String,
    target: Target,
    thread_id: String,
    body: String,
) -> Result<NoteEntry, ErrorReport> {
    off_main_thread(move || {
        Ok(review::reply(
            &store()?,
            Path::new(&repo),
            &target,
            &thread_id,
            &body,
        )?)
    })
    .await
}

/// Resolves a thread, or opens it again.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn resolve_note(
    repo: String,
    target: Target,
    thread_id: String,
    resolved: bool,
) -> Result<(), ErrorReport> {
    off_main_thread(move || {
        Ok(review::resolve_note(
            &store()?,
            Path::new(&repo),
            &target,
            &thread_id,
            resolved,
        )?)
    })
    .await
}

/// Changes a thread's kind.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn set_note_kind(
    repo: String,
    target: Target,
    thread_id: String,
    kind: NoteKind,
) -> Result<(), ErrorReport> {
    off_main_thread(move || {
        Ok(review::set_note_kind(
            &store()?,
            Path::new(&repo),
            &target,
            &thread_id,
            kind,
        )?)
    })
    .await
}

/// Keeps a note being typed; an empty body drops the draft.
#[tauri::command]
#[specta::specta]
#[instrument(skip(draft))]
async fn save_draft(repo: String, target: Target, draft: Draft) -> Result<(), ErrorReport> {
    off_main_thread(move || {
        Ok(review::save_draft(
            &store()?,
            Path::new(&repo),
            &target,
            &draft,
        )?)
    })
    .await
}

/// Renders a note body as the thread will show it (safe HTML), for the live preview.
#[tauri::command]
#[specta::specta]
fn preview_markdown(body: String) -> String {
    redline::notes::markdown::to_safe_html(&body)
}

/// The reviewer's progress on `target`: viewed hunks, coverage, decision.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn review_progress(repo: String, target: Target) -> Result<ReviewProgress, ErrorReport> {
    off_main_thread(move || Ok(review::progress(&store()?, Path::new(&repo), &target)?)).await
}

/// Marks one hunk (by id) or, with `hunk_id` null, a whole file viewed or unviewed.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn mark_viewed(
    repo: String,
    target: Target,
    file: String,
    hunk_id: Option<String>,
    viewed: bool,
) -> Result<ReviewProgress, ErrorReport> {
    off_main_thread(move || {
        let choice = hunk_id.map_or(HunkChoice::All, HunkChoice::Id);
        Ok(review::mark_viewed(
            &store()?,
            Path::new(&repo),
            &target,
            &file,
            &choice,
            viewed,
        )?)
    })
    .await
}

/// The agent sessions of the repository: each turn with its stats, notes and claims.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn agent_sessions(repo: String) -> Result<Vec<review::AgentSession>, ErrorReport> {
    off_main_thread(move || Ok(review::sessions(&store()?, Path::new(&repo))?)).await
}

/// "Mark turn": records the working tree as the end of a turn of `session` (the latest
/// session, or `manual`, when none is given).
#[tauri::command]
#[specta::specta]
#[instrument]
async fn mark_turn(
    repo: String,
    session: Option<String>,
) -> Result<redline::agent::snapshot::SnapshotOutcome, ErrorReport> {
    off_main_thread(move || {
        let path = Path::new(&repo);
        let session = match session {
            Some(session) => session,
            None => review::latest_session(path)?.unwrap_or_else(|| "manual".to_owned()),
        };
        Ok(review::snapshot(
            path,
            &redline::agent::snapshot::SnapshotRequest {
                session,
                boundary: redline::agent::snapshot::Boundary::Manual,
                agent: None,
                message: None,
            },
        )?)
    })
    .await
}

/// What changed in the working tree since the reviewer last marked a hunk of it viewed.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn since_last_review(repo: String) -> Result<review::Interdiff, ErrorReport> {
    off_main_thread(move || Ok(review::since_last_review(&store()?, Path::new(&repo))?)).await
}

/// Hands threads to the agent; returns how many were sent.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn send_to_agent(
    repo: String,
    target: Target,
    thread_ids: Vec<String>,
) -> Result<u32, ErrorReport> {
    off_main_thread(move || {
        Ok(review::send_to_agent(
            &store()?,
            Path::new(&repo),
            &target,
            &thread_ids,
        )?)
    })
    .await
}

/// What the agent would be handed now, as Markdown ("Copy for agent"); records nothing.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn agent_markdown(repo: String) -> Result<String, ErrorReport> {
    off_main_thread(move || {
        Ok(
            review::agent_brief(&store()?, Path::new(&repo), review::BriefScope::Preview)?
                .to_markdown(),
        )
    })
    .await
}

/// Reverts one hunk (or, with no hunk id, the whole file) of the working tree's change.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn undo_hunk(
    repo: String,
    target: Target,
    file: String,
    hunk_id: Option<String>,
) -> Result<review::UndoOutcome, ErrorReport> {
    off_main_thread(move || {
        let choice = hunk_id.map_or(HunkChoice::All, HunkChoice::Id);
        Ok(review::undo(
            &store()?,
            Path::new(&repo),
            &target,
            &file,
            &choice,
        )?)
    })
    .await
}

/// Puts back what the latest undo reverted.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn redo_undo(repo: String) -> Result<review::UndoOutcome, ErrorReport> {
    off_main_thread(move || Ok(review::redo(&store()?, Path::new(&repo))?)).await
}

/// Approves or requests changes. Approving with open must-fix notes or unviewed AI-written
/// hunks fails with kind `needsConfirmation` unless `confirmed`.
#[tauri::command]
#[specta::specta]
#[instrument(skip(message))]
async fn decide(
    repo: String,
    target: Target,
    verdict: Verdict,
    message: Option<String>,
    confirmed: bool,
) -> Result<ReviewProgress, ErrorReport> {
    off_main_thread(move || {
        Ok(review::decide(
            &store()?,
            Path::new(&repo),
            &target,
            verdict,
            message.as_deref(),
            confirmed,
        )?)
    })
    .await
}

/// The review status of each of `targets` that has a review, for the target list.
#[tauri::command]
#[specta::specta]
#[instrument(skip(targets))]
async fn target_statuses(
    repo: String,
    targets: Vec<Target>,
) -> Result<Vec<TargetStatus>, ErrorReport> {
    off_main_thread(move || {
        Ok(review::target_statuses(
            &store()?,
            Path::new(&repo),
            &targets,
        )?)
    })
    .await
}

/// Where the window's reviews stand with the team: the remote a sync would use and the last
/// sync's outcome.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// `None`: the repository has no remote; a sync writes the local notes ref only.
    pub remote: Option<String>,
    pub last: Option<SyncReport>,
}

/// The remote a sync would use and the last sync.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn sync_status(repo: String) -> Result<SyncStatus, ErrorReport> {
    off_main_thread(move || {
        let path = Path::new(&repo);
        Ok(SyncStatus {
            remote: review::default_remote(path)?,
            last: review::last_sync(&store()?, path)?,
        })
    })
    .await
}

/// Syncs the reviews with the default remote (see `sync_status`) through git.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn sync_reviews(repo: String) -> Result<SyncReport, ErrorReport> {
    off_main_thread(move || {
        let path = Path::new(&repo);
        let remote = review::default_remote(path)?;
        Ok(review::sync(&store()?, path, remote.as_deref(), false)?)
    })
    .await
}

/// What the watcher tells the window: the repository changed, or watching it failed.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum WatchMessage {
    /// Something changed; the window decides which of its views to reload.
    Changed { event: WatchEvent },
    /// Watching failed (e.g. the inotify limit for a new directory); the review still works.
    Failed { error: ErrorReport },
}

/// The watcher of the repository the window shows, if any. Dropping the handle stops it.
#[derive(Default)]
struct Watching(Mutex<Option<WatchHandle>>);

impl Watching {
    /// Stops the current watcher (waiting for its thread) and installs `next`, if any.
    fn replace(
        &self,
        next: impl FnOnce() -> Result<Option<WatchHandle>, ErrorReport>,
    ) -> Result<(), ErrorReport> {
        // A poisoned lock only means a previous replace panicked; the slot is still usable.
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        // Stop the old watcher before starting the new one, so they never both hold inotify
        // watches (the per-user limit is shared).
        drop(slot.take());
        *slot = next()?;
        Ok(())
    }
}

/// Watches the repository at `repo` and streams its changes to `on_event`, replacing (and
/// stopping) any previous watcher.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app, on_event))]
async fn watch_repository(
    app: AppHandle,
    repo: String,
    on_event: Channel<WatchMessage>,
) -> Result<(), ErrorReport> {
    off_main_thread(move || {
        app.state::<Watching>().replace(|| {
            let turns = infer_turns(PathBuf::from(&repo));
            let handle = review::watch(Path::new(&repo), move |result| {
                let message = match result {
                    Ok(event) => {
                        // Ends with the watcher: the sender is dropped with this closure.
                        let _ = turns.send(event.clone());
                        WatchMessage::Changed { event }
                    }
                    Err(error) => {
                        tracing::warn!(%error, "watching failed");
                        WatchMessage::Failed {
                            error: ErrorReport::from(&error),
                        }
                    }
                };
                if let Err(error) = on_event.send(message) {
                    // The window is gone or reloading; the next watch_repository replaces us.
                    tracing::debug!(%error, "a watch event found no window");
                }
            })?;
            Ok(Some(handle))
        })
    })
    .await
}

/// Cuts an agent session into turns from what the watcher sees, when no agent hook does: a
/// commit ends a turn, and so does a quiet period after the working tree changed (an
/// *inferred* boundary). Runs until the returned sender is dropped.
fn infer_turns(repo: PathBuf) -> std::sync::mpsc::Sender<WatchEvent> {
    use std::sync::mpsc::RecvTimeoutError;
    let (sender, events) = std::sync::mpsc::channel::<WatchEvent>();
    let spawned = std::thread::Builder::new()
        .name("redline-turns".into())
        .spawn(move || {
            let mut changed = false;
            loop {
                let wait = if changed {
                    review::QUIET_PERIOD
                } else {
                    std::time::Duration::from_secs(24 * 3600)
                };
                let outcome = match events.recv_timeout(wait) {
                    Ok(event) => {
                        changed |= event.worktree || event.index;
                        if event.head || event.refs {
                            review::commit_boundary(&repo)
                        } else {
                            Ok(None)
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => {
                        changed = false;
                        review::inferred_boundary(&repo)
                    }
                    Err(RecvTimeoutError::Disconnected) => break,
                };
                match outcome {
                    Ok(Some(turn)) => tracing::info!(?turn.turn, "turn boundary recorded"),
                    Ok(None) => {}
                    Err(error) => tracing::warn!(%error, "could not record a turn boundary"),
                }
            }
        });
    if let Err(error) = spawned {
        tracing::warn!(%error, "turn boundaries will not be inferred");
    }
    sender
}

/// Stops watching the repository; nothing happens when none is watched.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app))]
async fn unwatch_repository(app: AppHandle) -> Result<(), ErrorReport> {
    off_main_thread(move || app.state::<Watching>().replace(|| Ok(None))).await
}

async fn off_main_thread<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ErrorReport> + Send + 'static,
) -> Result<T, ErrorReport> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .unwrap_or_else(|join_error| {
            tracing::error!(%join_error, "a command's worker stopped");
            Err(ErrorReport {
                kind: ErrorKind::Internal,
                message: format!("the request stopped unexpectedly: {join_error}"),
            })
        })
}

/// The command set, for the invoke handler and for generating `ui/src/lib/bindings.ts`.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            app_context,
            opened_repository,
            recent_repositories,
            open_repository,
            open_demo,
            settings,
            save_settings,
            list_targets,
            resolve_target,
            open_review,
            file_diff,
            file_lines,
            file_structure,
            review_findings,
            file_findings,
            findings_rules,
            model_status,
            prepare_explain,
            explain,
            cancel_explain,
            explain_every_hunk,
            pin_explanation,
            learn,
            highlight,
            authorship,
            provenance,
            target_agents,
            commit_details,
            older_commits,
            uncommitted_evidence,
            review_notes,
            add_note,
            reply_to_note,
            resolve_note,
            set_note_kind,
            save_draft,
            preview_markdown,
            review_progress,
            mark_viewed,
            decide,
            target_statuses,
            sync_status,
            sync_reviews,
            agent_sessions,
            mark_turn,
            since_last_review,
            send_to_agent,
            agent_markdown,
            undo_hunk,
            redo_undo,
            watch_repository,
            unwatch_repository
        ])
        // Our IPC types are either sent or received, never both ways, so one TypeScript type
        // per Rust type is exact (the default splits each into `_Serialize`/`_Deserialize`).
        .disable_serde_phases()
}

/// Connects GTK to the display, before Tauri does: Tauri's event loop panics when GTK cannot
/// start, and a user without a display (an SSH session, a container) should read why instead
/// of a backtrace. Once GTK is up, Tauri's own start finds it initialised.
#[cfg(target_os = "linux")]
fn open_display() -> Result<(), String> {
    gtk::init().map_err(|_| {
        let variable = |name: &str| match std::env::var_os(name) {
            Some(value) => format!("{name}={}", value.to_string_lossy()),
            None => format!("{name} unset"),
        };
        format!(
            "GTK could not open a display ({}, {}); run it in a graphical session, or use the `redline` command",
            variable("DISPLAY"),
            variable("WAYLAND_DISPLAY")
        )
    })
}

#[cfg(not(target_os = "linux"))]
fn open_display() -> Result<(), String> {
    Ok(())
}

/// Starts the app. The first command-line argument, if any, is the repository to open.
pub fn run() -> ExitCode {
    let log_file = redline::logging::init_app();
    if let Err(why) = open_display() {
        tracing::error!(%why, "the window could not start");
        eprintln!("error: the Redline window could not start: {why}");
        return ExitCode::FAILURE;
    }
    let requested = std::env::args_os().nth(1).map(PathBuf::from);
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let workspace = review::start_workspace(requested.as_deref(), &cwd);
    match &workspace {
        Some(w) => tracing::info!(repo = %w.repo_path, "starting"),
        None => tracing::info!("starting outside any repository: the start screen"),
    }
    let opened = Opened(Mutex::new(workspace));
    let log_file = LogFile(log_file.map(|p| p.display().to_string()));
    let builder = specta_builder();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(opened)
        .manage(log_file)
        .manage(Watching::default())
        .manage(Explaining::default())
        .manage(LastReview::default())
        .invoke_handler(builder.invoke_handler())
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the window could not start");
            eprintln!("error: the Redline window could not start: {error}");
            ExitCode::FAILURE
        }
    }
}
