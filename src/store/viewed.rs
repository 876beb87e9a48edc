//! Viewed marks.

use rusqlite::params;

use super::{now_ms, Store, StoreError};
use crate::diff::HunkId;
use crate::progress::ViewedMark;

impl Store {
    /// Marks hunks viewed (or not) for `reviewer`, all in one transaction.
    pub fn set_viewed(
        &self,
        review_id: i64,
        reviewer: &str,
        marks: &[ViewedMark],
        viewed: bool,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        self.write("save the viewed marks", |tx| {
            for mark in marks {
                if viewed {
                    tx.execute(
                        "INSERT INTO viewed (review_id, reviewer, hunk_id, path, old_start,
                                             old_lines, revision, viewed_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                         ON CONFLICT (review_id, reviewer, hunk_id) DO UPDATE SET
                           path = excluded.path, old_start = excluded.old_start,
                           old_lines = excluded.old_lines, revision = excluded.revision,
                           viewed_at = excluded.viewed_at",
                        params![
                            review_id,
                            reviewer,
                            mark.hunk_id.0,
                            mark.path,
                            mark.old_start,
                            mark.old_lines,
                            mark.revision,
                            now
                        ],
                    )?;
                } else {
                    tx.execute(
                        "DELETE FROM viewed WHERE review_id = ?1 AND reviewer = ?2 AND hunk_id = ?3",
                        params![review_id, reviewer, mark.hunk_id.0],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// `reviewer`'s viewed marks in review `review_id`.
    pub fn viewed_marks(
        &self,
        review_id: i64,
        reviewer: &str,
    ) -> Result<Vec<ViewedMark>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT hunk_id, path, old_start, old_lines, revision, viewed_at
                 FROM viewed WHERE review_id = ?1 AND reviewer = ?2",
            )
            .map_err(|e| self.error("load the viewed marks", e))?;
        statement
            .query_map(params![review_id, reviewer], |row| {
                Ok(ViewedMark {
                    hunk_id: HunkId(row.get(0)?),
                    path: row.get(1)?,
                    old_start: row.get(2)?,
                    old_lines: row.get(3)?,
                    revision: row.get(4)?,
                    viewed_at: row.get(5)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.error("load the viewed marks", e))
    }
}
