//! Undone edits of the agent's: the file's bytes before and after, for one-step redo and for
//! telling the agent which of its edits were rejected.

use rusqlite::{params, OptionalExtension};

use super::{now_ms, Store, StoreError};

/// One undo as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoRecord {
    pub id: String,
    pub repo_id: i64,
    /// The review's key (the target's spelling).
    pub target: String,
    pub path: String,
    /// The hunk undone; `None` for a whole file.
    pub hunk_id: Option<String>,
    /// The file before the undo (`None`: it did not exist).
    pub before: Option<Vec<u8>>,
    /// The file after the undo (`None`: it was removed).
    pub after: Option<Vec<u8>>,
    /// The reverted lines as a unified-diff excerpt.
    pub summary: String,
    /// When it was redone (milliseconds), if it was.
    pub redone_at: Option<i64>,
}

impl Store {
    /// Records an undo; returns its id.
    pub fn record_undo(&self, undo: &UndoRecord) -> Result<String, StoreError> {
        self.write("record the undo", |tx| {
            tx.execute(
                "INSERT INTO undos (id, repo_id, target, path, hunk_id, before, after, summary,
                                    undone_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    undo.id,
                    undo.repo_id,
                    undo.target,
                    undo.path,
                    undo.hunk_id,
                    undo.before,
                    undo.after,
                    undo.summary,
                    now_ms()
                ],
            )
        })?;
        Ok(undo.id.clone())
    }

    /// The undos of repository `repo_id`, oldest first; only those the agent was not told of
    /// yet when `undelivered`.
    pub fn undos(&self, repo_id: i64, undelivered: bool) -> Result<Vec<UndoRecord>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT id, repo_id, target, path, hunk_id, before, after, summary, redone_at
                 FROM undos WHERE repo_id = ?1 AND (?2 = 0 OR delivered_at IS NULL)
                 ORDER BY undone_at, rowid",
            )
            .and_then(|mut s| {
                s.query_map(params![repo_id, undelivered], |row| {
                    Ok(UndoRecord {
                        id: row.get(0)?,
                        repo_id: row.get(1)?,
                        target: row.get(2)?,
                        path: row.get(3)?,
                        hunk_id: row.get(4)?,
                        before: row.get(5)?,
                        after: row.get(6)?,
                        summary: row.get(7)?,
                        redone_at: row.get(8)?,
                    })
                })?
                .collect()
            })
            .map_err(|e| self.error("list the undos", e))
    }

    /// Records that undo `id` was redone.
    pub fn mark_redone(&self, id: &str) -> Result<(), StoreError> {
        self.write("record the redo", |tx| {
            tx.execute(
                "UPDATE undos SET redone_at = ?2 WHERE id = ?1",
                params![id, now_ms()],
            )
        })?;
        Ok(())
    }

    /// Records that the agent was told of these undos.
    pub fn mark_undos_delivered(&self, ids: &[String]) -> Result<(), StoreError> {
        let now = now_ms();
        self.write("record that the agent was told of the undos", |tx| {
            for id in ids {
                tx.execute(
                    "UPDATE undos SET delivered_at = ?2 WHERE id = ?1 AND delivered_at IS NULL",
                    params![id, now],
                )?;
            }
            Ok(())
        })
    }

    /// Every claim in repository `repo_id`: thread id and when it was claimed (milliseconds).
    pub fn claims(&self, repo_id: i64) -> Result<Vec<(String, i64)>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT n.id, n.claimed_at FROM notes n JOIN reviews r ON r.id = n.review_id
                 WHERE r.repo_id = ?1 AND n.thread_id IS NULL AND n.claimed_at IS NOT NULL
                 ORDER BY n.claimed_at",
            )
            .and_then(|mut s| {
                s.query_map([repo_id], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect()
            })
            .map_err(|e| self.error("list the agent's claims", e))
    }

    /// The key (target spelling) of review `review_id`.
    pub fn review_key(&self, review_id: i64) -> Result<String, StoreError> {
        self.conn
            .prepare_cached("SELECT target FROM reviews WHERE id = ?1")
            .and_then(|mut s| s.query_row([review_id], |row| row.get(0)).optional())
            .map_err(|e| self.error("find the review", e))?
            .ok_or_else(|| StoreError::NoSuchNote {
                id: format!("review {review_id}"),
            })
    }
}
