//! Reviews in and out of the shared form (`sharing`): what `redline sync` writes to the notes
//! ref, and what it brings back from other reviewers.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{params, OptionalExtension};

use super::notes::{kind_from_db, kind_to_db};
use super::{Store, StoreError};
use crate::notes::{NoteAnchor, NoteKind};
use crate::sharing::{SharedDecision, SharedNote, SharedReview, SharedThread};

/// What importing brought that the store did not have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    pub threads: u32,
    pub replies: u32,
    pub decisions: u32,
    /// Threads whose kind or resolved state a later write elsewhere changed.
    pub updated: u32,
    /// Threads, replies or decisions this version cannot read (left in the notes ref).
    pub skipped: u32,
}

impl Imported {
    pub fn add(&mut self, other: Imported) {
        self.threads += other.threads;
        self.replies += other.replies;
        self.decisions += other.decisions;
        self.updated += other.updated;
        self.skipped += other.skipped;
    }
}

fn to_sql<E: std::error::Error + Send + Sync + 'static>(e: E) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

impl Store {
    /// Records the outcome of a sync (`report`, JSON) with `remote` (`""` for none).
    pub fn record_sync(&self, repo_id: i64, remote: &str, report: &str) -> Result<(), StoreError> {
        self.write("record the sync", |tx| {
            tx.execute(
                "INSERT INTO syncs (repo_id, remote, synced_at, report) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (repo_id, remote) DO UPDATE SET synced_at = excluded.synced_at,
                   report = excluded.report",
                params![repo_id, remote, super::now_ms(), report],
            )?;
            Ok(())
        })
    }

    /// The latest recorded sync of repository `repo_id`: `(remote, synced_at, report JSON)`.
    pub fn last_sync(&self, repo_id: i64) -> Result<Option<(String, i64, String)>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT remote, synced_at, report FROM syncs WHERE repo_id = ?1
                 ORDER BY synced_at DESC LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row([repo_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                    .optional()
            })
            .map_err(|e| self.error("read the last sync", e))
    }

    /// The reviews recorded for repository `repo_id`: `(review id, target key)`.
    pub fn reviews_of(&self, repo_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT id, target FROM reviews WHERE repo_id = ?1 ORDER BY id")
            .map_err(|e| self.error("list the reviews", e))?;
        statement
            .query_map([repo_id], |row| Ok((row.get(0)?, row.get(1)?)))
            .and_then(Iterator::collect)
            .map_err(|e| self.error("list the reviews", e))
    }

    /// Review `review_id` in the shared form, under the target name `target`.
    pub fn export_review(&self, review_id: i64, target: &str) -> Result<SharedReview, StoreError> {
        let times: HashMap<String, (i64, i64)> = {
            let mut statement = self
                .conn
                .prepare_cached(
                    "SELECT id, kind_at, resolved_at FROM notes
                     WHERE review_id = ?1 AND thread_id IS NULL",
                )
                .map_err(|e| self.error("export the review", e))?;
            statement
                .query_map([review_id], |row| {
                    Ok((row.get(0)?, (row.get(1)?, row.get(2)?)))
                })
                .and_then(Iterator::collect)
                .map_err(|e| self.error("export the review", e))?
        };
        let threads = self
            .threads(review_id)?
            .into_iter()
            .map(|thread| {
                let (kind_at, resolved_at) = times.get(&thread.id).copied().unwrap_or((0, 0));
                SharedThread {
                    kind_at,
                    resolved_at,
                    notes: thread
                        .notes
                        .into_iter()
                        .map(|n| SharedNote {
                            id: n.id,
                            author: SharedNote::by(&n.author),
                            body: n.body,
                            created_at: n.created_at,
                            updated_at: n.updated_at,
                            unknown: BTreeMap::new(),
                        })
                        .collect(),
                    id: thread.id,
                    kind: thread.kind,
                    resolved: thread.resolved,
                    anchor: SharedThread::anchored(&thread.anchor),
                    revision: thread.revision,
                    unknown: BTreeMap::new(),
                }
            })
            .collect();
        Ok(SharedReview {
            target: target.to_owned(),
            threads,
            decisions: self
                .decisions(review_id)?
                .into_iter()
                .map(SharedDecision::from)
                .collect(),
            unknown: BTreeMap::new(),
        })
    }

    /// Brings `shared` into review `review_id`: threads, replies and decisions it does not
    /// have are added (with their ids and authors); a thread's kind, resolved state and a
    /// note's body take the later write. Nothing of the store's is deleted.
    pub fn import_review(
        &self,
        review_id: i64,
        shared: &SharedReview,
    ) -> Result<Imported, StoreError> {
        self.write("import shared reviews", |tx| {
            let mut imported = Imported::default();
            for thread in &shared.threads {
                let Some(first) = thread.notes.first() else {
                    continue;
                };
                // A thread whose anchor or author this version cannot read stays in the notes
                // ref (merged and kept there) but not in this database.
                let (Some(anchor), Some(first_author)) =
                    (thread.note_anchor(), first.note_author())
                else {
                    imported.skipped += 1;
                    continue;
                };
                let existing: Option<(String, i64, bool, i64)> = tx
                    .query_row(
                        "SELECT kind, kind_at, resolved, resolved_at FROM notes
                         WHERE id = ?1 AND thread_id IS NULL",
                        [&thread.id],
                        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
                    )
                    .optional()?;
                match existing {
                    None => {
                        let anchor =
                            serde_json::to_string::<NoteAnchor>(&anchor).map_err(to_sql)?;
                        tx.execute(
                            "INSERT INTO notes (id, review_id, thread_id, kind, anchor, revision,
                                body, author_name, author_email, resolved, created_at, updated_at,
                                kind_at, resolved_at)
                             VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                            params![
                                thread.id,
                                review_id,
                                kind_to_db(thread.kind),
                                anchor,
                                thread.revision,
                                first.body,
                                first_author.name,
                                first_author.email,
                                thread.resolved,
                                first.created_at,
                                first.updated_at,
                                thread.kind_at,
                                thread.resolved_at
                            ],
                        )?;
                        imported.threads += 1;
                    }
                    Some((kind, kind_at, resolved, resolved_at)) => {
                        let kind = kind_from_db(&kind);
                        let newer_kind =
                            (thread.kind_at, kind_key(thread.kind)) > (kind_at, kind_key(kind));
                        let newer_resolved =
                            (thread.resolved_at, thread.resolved) > (resolved_at, resolved);
                        if newer_kind {
                            tx.execute(
                                "UPDATE notes SET kind = ?2, kind_at = ?3 WHERE id = ?1",
                                params![thread.id, kind_to_db(thread.kind), thread.kind_at],
                            )?;
                        }
                        if newer_resolved {
                            tx.execute(
                                "UPDATE notes SET resolved = ?2, resolved_at = ?3 WHERE id = ?1",
                                params![thread.id, thread.resolved, thread.resolved_at],
                            )?;
                        }
                        imported.updated += u32::from(newer_kind || newer_resolved);
                        update_body(tx, first)?;
                    }
                }
                for reply in &thread.notes[1..] {
                    let Some(author) = reply.note_author() else {
                        imported.skipped += 1;
                        continue;
                    };
                    let changed = tx.execute(
                        "INSERT INTO notes (id, review_id, thread_id, kind, anchor, revision, body,
                            author_name, author_email, resolved, created_at, updated_at,
                            kind_at, resolved_at)
                         VALUES (?1, ?2, ?3, 'comment', NULL, ?4, ?5, ?6, ?7, 0, ?8, ?9, 0, 0)
                         ON CONFLICT (id) DO NOTHING",
                        params![
                            reply.id,
                            review_id,
                            thread.id,
                            thread.revision,
                            reply.body,
                            author.name,
                            author.email,
                            reply.created_at,
                            reply.updated_at
                        ],
                    )?;
                    if changed == 0 {
                        update_body(tx, reply)?;
                    }
                    imported.replies += changed as u32;
                }
            }
            for shared_decision in &shared.decisions {
                let Some(decision) = shared_decision.decision() else {
                    imported.skipped += 1;
                    continue;
                };
                let changed = super::decisions::insert_decision(tx, review_id, &decision)?;
                imported.decisions += changed as u32;
            }
            Ok(imported)
        })
    }
}

/// The tie-break of two kinds written at the same moment, as the merge orders them.
fn kind_key(kind: NoteKind) -> String {
    serde_json::to_string(&kind).unwrap_or_default()
}

/// A note's body takes the later edit (ties: the greater text, as the merge does).
fn update_body(tx: &rusqlite::Transaction<'_>, note: &SharedNote) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE notes SET body = ?2, updated_at = ?3
         WHERE id = ?1 AND (updated_at < ?3 OR (updated_at = ?3 AND body < ?2))",
        params![note.id, note.body, note.updated_at],
    )?;
    Ok(())
}
