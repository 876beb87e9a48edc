//! tracing set-up shared by the CLI and the desktop app. `RUST_LOG` selects what is logged.

use std::fs::{self, OpenOptions};
use std::path::PathBuf;
use std::sync::Mutex;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Logs to stderr; `warn` and above unless `RUST_LOG` says otherwise.
pub fn init_cli() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    // A second initialisation (possible in tests) is harmless; ignore it.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

/// The app's log file: `<data dir>/redline/logs/redline-desktop.log`
/// (`~/.local/share/redline/logs/` on Linux).
pub fn app_log_path() -> Option<PathBuf> {
    Some(
        dirs::data_dir()?
            .join("redline")
            .join("logs")
            .join("redline-desktop.log"),
    )
}

/// Logs to stderr and appends to [`app_log_path`] (`info` and above unless `RUST_LOG` says
/// otherwise). Returns the log file in use, or `None` when it could not be opened, in which
/// case logging goes to stderr only rather than failing the app.
pub fn init_app() -> Option<PathBuf> {
    let filter = || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let file = app_log_path().and_then(|path| {
        fs::create_dir_all(path.parent()?).ok()?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .ok()?;
        Some((path, file))
    });
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter());
    let (path, file_layer) = match file {
        Some((path, file)) => (
            Some(path),
            Some(
                fmt::layer()
                    .with_ansi(false)
                    .with_writer(Mutex::new(file))
                    .with_filter(filter()),
            ),
        ),
        None => (None, None),
    };
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(file_layer)
        .try_init();
    path
}
