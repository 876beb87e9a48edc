//! Where reviews are kept: one SQLite file, `redline.db`, in Redline's data directory
//! (`~/.local/share/redline` on Linux; `REDLINE_DATA_DIR` overrides it).
//!
//! Opening sets the connection up (WAL, foreign keys, a busy timeout so two windows can write
//! at once) and applies the missing [`migrations`] in one transaction, recording the schema
//! version in `user_version`. A database from a newer Redline is refused and left untouched;
//! a file that is not a database is moved aside as a backup (never deleted) and a new one is
//! started. Writes run in `BEGIN IMMEDIATE` transactions, so a write waits for another
//! process's rather than failing half-way; with WAL and `synchronous = NORMAL` a write that
//! returned survives the process being killed.

mod decisions;
mod drafts;
mod explanations;
pub use explanations::CachedAnswer;
pub mod migrations;
mod notes;
mod repos;
mod shared;
mod undos;
mod viewed;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

pub use drafts::{place_key, reply_key, Draft, DraftPlace};
pub use repos::{KnownRepo, RepoUse};
pub use shared::Imported;
pub use undos::UndoRecord;

/// The database's file name inside the data directory.
pub const DATABASE_FILE: &str = "redline.db";
/// How long a write waits for another process's write before giving up.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the store could not be opened or used. Messages are one line and name the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot use {} as Redline's data directory: {source} (set REDLINE_DATA_DIR to another directory)", path.display())]
    DataDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write Redline's database {}: {reason} (set REDLINE_DATA_DIR to a writable directory)", path.display())]
    ReadOnly { path: PathBuf, reason: String },
    #[error("the database {} was written by a newer Redline (schema version {found}; this one knows up to {supported}); it was left untouched: update Redline, or set REDLINE_DATA_DIR to use another directory", path.display())]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("the database {} is locked by another process (waited {} s); close the other Redline or try again", path.display(), waited.as_secs_f32())]
    Locked { path: PathBuf, waited: Duration },
    #[error("the database {} is corrupt ({detail}); it was left as it is: move it aside and Redline starts a new one", path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("no note {id} in this review")]
    NoSuchNote { id: String },
    #[error("database error in {} while trying to {action}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: rusqlite::Error,
    },
}

/// An open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    busy_timeout: Duration,
    recovered: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// Redline's data directory: `REDLINE_DATA_DIR`, else the OS data directory's `redline`.
pub fn data_dir() -> PathBuf {
    match std::env::var_os("REDLINE_DATA_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("redline"),
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A new record id: UUID v7 (time-ordered, random), as text.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Store {
    /// Opens (creating it if needed) the database in [`data_dir`].
    pub fn open_default() -> Result<Store, StoreError> {
        Store::open(&data_dir())
    }

    /// Opens (creating it if needed) the database in `dir`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_with(dir, DEFAULT_BUSY_TIMEOUT)
    }

    /// [`Store::open`] with the time a write waits for another process's.
    pub fn open_with(dir: &Path, busy_timeout: Duration) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir {
            path: dir.to_owned(),
            source,
        })?;
        let path = dir.join(DATABASE_FILE);
        match Store::open_file(&path, busy_timeout) {
            Err(StoreError::Corrupt { detail, .. }) => {
                let backup = set_aside(&path)?;
                tracing::warn!(%detail, backup = %backup.display(), "the database was not readable; a new one was started");
                let mut store = Store::open_file(&path, busy_timeout)?;
                store.recovered = Some(backup);
                Ok(store)
            }
            other => other,
        }
    }

    fn open_file(path: &Path, busy_timeout: Duration) -> Result<Store, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|source| classify(path, busy_timeout, "open the database", source))?;
        let store = Store {
            conn,
            path: path.to_owned(),
            busy_timeout,
            recovered: None,
        };
        store
            .conn
            .busy_timeout(busy_timeout)
            .map_err(|e| store.error("set the busy timeout", e))?;
        // Read the version before anything writes (journal_mode writes the header): a newer
        // database must be left exactly as it is.
        let version = store.user_version()?;
        let supported = migrations::MIGRATIONS.len() as i64;
        if version > supported {
            return Err(StoreError::TooNew {
                path: path.to_owned(),
                found: version,
                supported,
            });
        }
        store.switch_to_wal()?;
        store
            .conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(|e| store.error("set up the connection", e))?;
        store.migrate()?;
        Ok(store)
    }

    /// Switches to write-ahead logging. SQLite answers "busy" at once, without honouring the
    /// busy timeout, when another process holds the write lock during the switch (two
    /// windows opening a new database together), so the switch is retried here until the
    /// timeout has passed.
    fn switch_to_wal(&self) -> Result<(), StoreError> {
        let started = std::time::Instant::now();
        loop {
            let result = self
                .conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |row| {
                    row.get::<_, String>(0)
                });
            match result {
                Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
                Ok(mode) => {
                    return Err(StoreError::ReadOnly {
                        path: self.path.clone(),
                        reason: format!("SQLite kept the {mode} journal instead of WAL"),
                    })
                }
                Err(e)
                    if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                        && started.elapsed() < self.busy_timeout =>
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => return Err(self.error("switch to write-ahead logging", e)),
            }
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where an unreadable database found at open was moved, when one was.
    pub fn recovered_from(&self) -> Option<&Path> {
        self.recovered.as_deref()
    }

    /// The schema version of the database.
    pub fn user_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| self.error("read the schema version", e))
    }

    /// Runs `PRAGMA integrity_check` and returns its answer (`ok` when sound).
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let mut statement = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.error("check the database", e))?;
        let lines: Vec<String> = statement
            .query_map([], |row| row.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| self.error("check the database", e))?;
        Ok(lines.join("\n"))
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let version = self.user_version()?;
        if version as usize >= migrations::MIGRATIONS.len() {
            return Ok(());
        }
        self.write("apply the schema migrations", |tx| {
            // Another process may have migrated while we waited for the lock.
            let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
            for migration in migrations::MIGRATIONS.iter().skip(version as usize) {
                tx.execute_batch(migration)?;
            }
            tx.pragma_update(None, "user_version", migrations::MIGRATIONS.len() as i64)?;
            Ok(())
        })
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction: all of it is written or none.
    fn write<T>(
        &self,
        action: &'static str,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| self.error(action, e))?;
        let value = work(&tx).map_err(|e| self.error(action, e))?;
        tx.commit().map_err(|e| self.error(action, e))?;
        Ok(value)
    }

    fn error(&self, action: &'static str, source: rusqlite::Error) -> StoreError {
        classify(&self.path, self.busy_timeout, action, source)
    }
}

/// Turns SQLite's error codes into the failures a user can act on.
fn classify(
    path: &Path,
    busy_timeout: Duration,
    action: &'static str,
    source: rusqlite::Error,
) -> StoreError {
    let code = source.sqlite_error_code();
    match code {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked {
            path: path.to_owned(),
            waited: busy_timeout,
        },
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            StoreError::ReadOnly {
                path: path.to_owned(),
                reason: source.to_string(),
            }
        }
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_owned(),
            detail: source.to_string(),
        },
        _ => StoreError::Sqlite {
            path: path.to_owned(),
            action,
            source,
        },
    }
}

/// Moves an unreadable database (and its WAL and shared-memory files) to
/// `redline.db.corrupt-<seconds>`, keeping every byte.
fn set_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let stamp = now_ms() / 1000;
    let mut backup = path.with_extension(format!("db.corrupt-{stamp}"));
    let mut n = 1;
    while backup.exists() {
        backup = path.with_extension(format!("db.corrupt-{stamp}-{n}"));
        n += 1;
    }
    let moved = |from: &Path, to: &Path| {
        std::fs::rename(from, to).map_err(|source| StoreError::DataDir {
            path: from.to_owned(),
            source,
        })
    };
    moved(path, &backup)?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        if side.exists() {
            moved(
                &side,
                &PathBuf::from(format!("{}{suffix}", backup.display())),
            )?;
        }
    }
    Ok(backup)
}
