//! Notes: threads and replies.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Row};

use super::{now_ms, Store, StoreError};
use crate::notes::{Author, NoteAnchor, NoteEntry, NoteKind, Thread};

pub(super) fn kind_to_db(kind: NoteKind) -> &'static str {
    match kind {
        NoteKind::Comment => "comment",
        NoteKind::Question => "question",
        NoteKind::MustFix => "mustFix",
        NoteKind::Teaching => "teaching",
    }
}

pub(super) fn kind_from_db(text: &str) -> NoteKind {
    match text {
        "question" => NoteKind::Question,
        "mustFix" => NoteKind::MustFix,
        "teaching" => NoteKind::Teaching,
        // The CHECK constraint admits only the four spellings.
        _ => NoteKind::Comment,
    }
}

fn json_error(e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

impl Store {
    /// Starts a thread; returns it as stored.
    pub fn add_thread(
        &self,
        review_id: i64,
        kind: NoteKind,
        anchor: &NoteAnchor,
        revision: &str,
        author: &Author,
        body: &str,
    ) -> Result<Thread, StoreError> {
        let id = super::new_id();
        let now = now_ms();
        let anchor_json = serde_json::to_string(anchor)
            .map_err(|e| self.error("save the note", json_error(e)))?;
        self.write("save the note", |tx| {
            insert_note(
                tx,
                &NoteRow {
                    id: &id,
                    review_id,
                    thread_id: None,
                    kind,
                    anchor: Some(&anchor_json),
                    revision,
                    body,
                    author,
                    now,
                },
                // Drafts for this place are done with.
                &super::drafts::anchor_key(anchor),
            )?;
            Ok(())
        })?;
        Ok(Thread {
            id: id.clone(),
            kind,
            resolved: false,
            anchor: anchor.clone(),
            revision: revision.to_owned(),
            notes: vec![NoteEntry {
                id,
                author: author.clone(),
                body: body.to_owned(),
                created_at: now,
                updated_at: now,
            }],
        })
    }

    /// Adds a reply to thread `thread_id` of review `review_id`.
    pub fn add_reply(
        &self,
        review_id: i64,
        thread_id: &str,
        author: &Author,
        body: &str,
    ) -> Result<NoteEntry, StoreError> {
        let id = super::new_id();
        let now = now_ms();
        let added = self.write("save the reply", |tx| {
            let revision: Option<String> = tx
                .query_row(
                    "SELECT revision FROM notes
                     WHERE id = ?1 AND review_id = ?2 AND thread_id IS NULL",
                    params![thread_id, review_id],
                    |row| row.get(0),
                )
                .optional()?;
            let Some(revision) = revision else {
                return Ok(false);
            };
            insert_note(
                tx,
                &NoteRow {
                    id: &id,
                    review_id,
                    thread_id: Some(thread_id),
                    kind: NoteKind::Comment,
                    anchor: None,
                    revision: &revision,
                    body,
                    author,
                    now,
                },
                &super::drafts::reply_key(thread_id),
            )?;
            Ok(true)
        })?;
        if !added {
            return Err(StoreError::NoSuchNote {
                id: thread_id.to_owned(),
            });
        }
        Ok(NoteEntry {
            id,
            author: author.clone(),
            body: body.to_owned(),
            created_at: now,
            updated_at: now,
        })
    }

    /// Marks thread `thread_id` resolved or open again.
    pub fn set_resolved(
        &self,
        review_id: i64,
        thread_id: &str,
        resolved: bool,
    ) -> Result<(), StoreError> {
        self.update_thread(thread_id, "resolve the note", |tx| {
            tx.execute(
                "UPDATE notes SET resolved = ?3, updated_at = ?4, resolved_at = ?4
                 WHERE id = ?1 AND review_id = ?2 AND thread_id IS NULL",
                params![thread_id, review_id, resolved, now_ms()],
            )
        })
    }

    /// Changes the kind of thread `thread_id`.
    pub fn set_kind(
        &self,
        review_id: i64,
        thread_id: &str,
        kind: NoteKind,
    ) -> Result<(), StoreError> {
        self.update_thread(thread_id, "change the note's kind", |tx| {
            tx.execute(
                "UPDATE notes SET kind = ?3, updated_at = ?4, kind_at = ?4
                 WHERE id = ?1 AND review_id = ?2 AND thread_id IS NULL",
                params![thread_id, review_id, kind_to_db(kind), now_ms()],
            )
        })
    }

    fn update_thread(
        &self,
        thread_id: &str,
        action: &'static str,
        update: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<usize>,
    ) -> Result<(), StoreError> {
        let changed = self.write(action, update)?;
        if changed == 0 {
            return Err(StoreError::NoSuchNote {
                id: thread_id.to_owned(),
            });
        }
        Ok(())
    }

    /// Every thread of review `review_id`, oldest first, replies in order.
    pub fn threads(&self, review_id: i64) -> Result<Vec<Thread>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT id, thread_id, kind, anchor, revision, body, author_name, author_email,
                        resolved, created_at, updated_at
                 FROM notes WHERE review_id = ?1 ORDER BY created_at, id",
            )
            .map_err(|e| self.error("load the notes", e))?;
        let rows = statement
            .query_map([review_id], StoredNote::read)
            .and_then(Iterator::collect::<rusqlite::Result<Vec<StoredNote>>>)
            .map_err(|e| self.error("load the notes", e))?;
        let mut threads: Vec<Thread> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut replies = Vec::new();
        for row in rows {
            match (row.thread_id, row.anchor) {
                (None, Some(anchor)) => {
                    let anchor: NoteAnchor = serde_json::from_str(&anchor)
                        .map_err(|e| self.error("read a note's anchor", json_error(e)))?;
                    index.insert(row.entry.id.clone(), threads.len());
                    threads.push(Thread {
                        id: row.entry.id.clone(),
                        kind: row.kind,
                        resolved: row.resolved,
                        anchor,
                        revision: row.revision,
                        notes: vec![row.entry],
                    });
                }
                (Some(thread), _) => replies.push((thread, row.entry)),
                (None, None) => {}
            }
        }
        for (thread, entry) in replies {
            if let Some(&i) = index.get(&thread) {
                threads[i].notes.push(entry);
            }
        }
        Ok(threads)
    }

    /// How many open must-fix threads review `review_id` has.
    pub fn open_must_fix(&self, review_id: i64) -> Result<u32, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT count(*) FROM notes WHERE review_id = ?1 AND thread_id IS NULL
                 AND kind = 'mustFix' AND resolved = 0",
            )
            .and_then(|mut s| s.query_row([review_id], |row| row.get(0)))
            .map_err(|e| self.error("count open must-fix notes", e))
    }

    /// Whether a note with this id exists (in any review): for tests of what survived.
    pub fn note_exists(&self, id: &str) -> Result<bool, StoreError> {
        self.conn
            .prepare_cached("SELECT 1 FROM notes WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |_| Ok(())).optional())
            .map(|found| found.is_some())
            .map_err(|e| self.error("find a note", e))
    }
}

/// One row of `notes` to insert: a thread's first note (with its anchor) or a reply.
struct NoteRow<'a> {
    id: &'a str,
    review_id: i64,
    thread_id: Option<&'a str>,
    kind: NoteKind,
    anchor: Option<&'a str>,
    revision: &'a str,
    body: &'a str,
    author: &'a Author,
    now: i64,
}

/// Inserts `row` and drops the draft it was written from (`draft_key`).
fn insert_note(
    tx: &rusqlite::Transaction<'_>,
    row: &NoteRow<'_>,
    draft_key: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO notes (id, review_id, thread_id, kind, anchor, revision, body,
                            author_name, author_email, resolved, created_at, updated_at,
                            kind_at, resolved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?10, ?10, ?10)",
        params![
            row.id,
            row.review_id,
            row.thread_id,
            kind_to_db(row.kind),
            row.anchor,
            row.revision,
            row.body,
            row.author.name,
            row.author.email,
            row.now
        ],
    )?;
    tx.execute(
        "DELETE FROM drafts WHERE review_id = ?1 AND key = ?2",
        params![row.review_id, draft_key],
    )?;
    Ok(())
}

struct StoredNote {
    thread_id: Option<String>,
    kind: NoteKind,
    anchor: Option<String>,
    revision: String,
    resolved: bool,
    entry: NoteEntry,
}

impl StoredNote {
    fn read(row: &Row<'_>) -> rusqlite::Result<StoredNote> {
        let kind: String = row.get(2)?;
        Ok(StoredNote {
            thread_id: row.get(1)?,
            kind: kind_from_db(&kind),
            anchor: row.get(3)?,
            revision: row.get(4)?,
            resolved: row.get(8)?,
            entry: NoteEntry {
                id: row.get(0)?,
                body: row.get(5)?,
                author: Author {
                    name: row.get(6)?,
                    email: row.get(7)?,
                },
                created_at: row.get(9)?,
                updated_at: row.get(10)?,
            },
        })
    }
}
