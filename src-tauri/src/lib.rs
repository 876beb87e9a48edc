//! The Redline desktop shell: a thin Tauri layer over the `redline` core.
//!
//! Each command does three things: take its arguments, call one `redline::review` function
//! (off the main thread, since git work blocks), return its typed result. Errors cross IPC as
//! `{ kind, message }` ([`ErrorReport`]). The TypeScript bindings the UI calls are generated
//! from these signatures by tauri-specta (see `tests/bindings.rs`).
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use redline::diff::FileDiff;
use redline::error::{ErrorKind, ErrorReport};
use redline::repo::Target;
use redline::review::{self, Review, TargetList, Workspace};
use serde::Serialize;
use specta::Type;
use tauri::State;
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

/// Start-up's outcome: the repository to open, or why there is none (shown in the window).
struct Startup(Result<AppContext, ErrorReport>);

/// Returns the repository chosen at start-up.
#[tauri::command]
#[specta::specta]
#[instrument(skip(startup))]
fn app_context(startup: State<'_, Startup>) -> Result<AppContext, ErrorReport> {
    startup.0.clone()
}

/// Lists the review targets of the repository at `repo`.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn list_targets(repo: String) -> Result<TargetList, ErrorReport> {
    off_main_thread(move || review::targets(Path::new(&repo)).map_err(ErrorReport::from)).await
}

/// Opens `target` in the repository at `repo`.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn open_review(repo: String, target: Target) -> Result<Review, ErrorReport> {
    off_main_thread(move || {
        review::open(Path::new(&repo), Some(&target)).map_err(ErrorReport::from)
    })
    .await
}

/// Loads one file of `target` in full, for a file the review left out for size.
#[tauri::command]
#[specta::specta]
#[instrument]
async fn file_diff(
    repo: String,
    target: Target,
    file: String,
    old_path: Option<String>,
) -> Result<FileDiff, ErrorReport> {
    off_main_thread(move || {
        review::file_diff(Path::new(&repo), &target, &file, old_path.as_deref())
            .map_err(ErrorReport::from)
    })
    .await
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
            list_targets,
            open_review,
            file_diff
        ])
        // Our IPC types are either sent or received, never both ways, so one TypeScript type
        // per Rust type is exact (the default splits each into `_Serialize`/`_Deserialize`).
        .disable_serde_phases()
}

/// Starts the app. The first command-line argument, if any, is the repository to open.
pub fn run() -> ExitCode {
    let log_file = redline::logging::init_app();
    let requested = std::env::args_os().nth(1).map(PathBuf::from);
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let workspace = review::choose_workspace(requested.as_deref(), &cwd);
    match &workspace {
        Ok(w) => tracing::info!(repo = %w.repo_path, demo = w.is_demo, "starting"),
        Err(e) => tracing::warn!(error = %e.message, "starting without a repository"),
    }
    let startup = Startup(workspace.map(|workspace| AppContext {
        workspace,
        log_file: log_file.map(|p| p.display().to_string()),
    }));
    let builder = specta_builder();
    let result = tauri::Builder::default()
        .manage(startup)
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
