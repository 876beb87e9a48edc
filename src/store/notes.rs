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
        NoteKind::Explanation => "explanation",
    }
}

pub(super) fn kind_from_db(text: &str) -> NoteKind {
    match text {
        "question" => NoteKind::Question,
        "mustFix" => NoteKind::MustFix,
        "teaching" => NoteKind::Teaching,
        "explanation" => NoteKind::Explanation,
        // The CHECK constraint admits only the five spellings.
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
            handoff: crate::notes::Handoff::default(),
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
                        resolved, created_at, updated_at, sent_at, delivered_at,
                        claimed_at, claim_by, claim_message, claim_tree
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
                        handoff: row.handoff,
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

    /// Hands threads of review `review_id` to the agent (again, if they were sent before: a
    /// thread sent again is delivered again). Returns how many were sent.
    pub fn send_threads(&self, review_id: i64, thread_ids: &[String]) -> Result<u32, StoreError> {
        let now = now_ms();
        self.write("send the notes to the agent", |tx| {
            let mut sent = 0;
            for id in thread_ids {
                sent += tx.execute(
                    "UPDATE notes SET sent_at = ?3, delivered_at = NULL, updated_at = ?3
                     WHERE id = ?1 AND review_id = ?2 AND thread_id IS NULL AND resolved = 0",
                    params![id, review_id, now],
                )?;
            }
            Ok(u32::try_from(sent).unwrap_or(u32::MAX))
        })
    }

    /// The open threads sent to the agent in any review of repository `repo_id`, with their
    /// review's id and target key; only those not yet delivered when `undelivered`.
    pub fn sent_threads(
        &self,
        repo_id: i64,
        undelivered: bool,
    ) -> Result<Vec<(i64, String, Thread)>, StoreError> {
        let reviews: Vec<(i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT r.id, r.target FROM reviews r JOIN notes n ON n.review_id = r.id
                 WHERE r.repo_id = ?1 AND n.thread_id IS NULL AND n.sent_at IS NOT NULL
                   AND n.resolved = 0 AND (?2 = 0 OR n.delivered_at IS NULL)
                 ORDER BY r.id",
            )
            .and_then(|mut s| {
                s.query_map(params![repo_id, undelivered], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .collect()
            })
            .map_err(|e| self.error("find the notes sent to the agent", e))?;
        let mut found = Vec::new();
        for (review_id, target) in reviews {
            for thread in self.threads(review_id)? {
                let sent = thread.handoff.sent_at.is_some() && !thread.resolved;
                if sent && (!undelivered || thread.handoff.delivered_at.is_none()) {
                    found.push((review_id, target.clone(), thread));
                }
            }
        }
        Ok(found)
    }

    /// Records that the agent received these threads.
    pub fn mark_delivered(&self, thread_ids: &[String]) -> Result<(), StoreError> {
        let now = now_ms();
        self.write("record that the agent received the notes", |tx| {
            for id in thread_ids {
                tx.execute(
                    "UPDATE notes SET delivered_at = ?2 WHERE id = ?1 AND thread_id IS NULL
                     AND delivered_at IS NULL",
                    params![id, now],
                )?;
            }
            Ok(())
        })
    }

    /// Records the agent's claim that it addressed thread `thread_id` (of any review of
    /// repository `repo_id`). Returns the thread's review id.
    pub fn claim_thread(
        &self,
        repo_id: i64,
        thread_id: &str,
        by: &str,
        message: &str,
        tree: Option<&str>,
    ) -> Result<i64, StoreError> {
        let now = now_ms();
        let review: Option<i64> = self.write("record the agent's claim", |tx| {
            let review: Option<i64> = tx
                .query_row(
                    "SELECT n.review_id FROM notes n JOIN reviews r ON r.id = n.review_id
                     WHERE n.id = ?1 AND r.repo_id = ?2 AND n.thread_id IS NULL",
                    params![thread_id, repo_id],
                    |row| row.get(0),
                )
                .optional()?;
            if review.is_some() {
                tx.execute(
                    "UPDATE notes SET claimed_at = ?2, claim_by = ?3, claim_message = ?4,
                            claim_tree = ?5, updated_at = ?2
                     WHERE id = ?1 AND thread_id IS NULL",
                    params![thread_id, now, by, message, tree],
                )?;
            }
            Ok(review)
        })?;
        review.ok_or_else(|| StoreError::NoSuchNote {
            id: thread_id.to_owned(),
        })
    }

    /// Withdraws the agent's claim on a thread (a human replied after it).
    pub fn clear_claim(&self, review_id: i64, thread_id: &str) -> Result<(), StoreError> {
        self.write("withdraw the agent's claim", |tx| {
            tx.execute(
                "UPDATE notes SET claimed_at = NULL, claim_by = NULL, claim_message = NULL,
                        claim_tree = NULL
                 WHERE id = ?1 AND review_id = ?2 AND thread_id IS NULL",
                params![thread_id, review_id],
            )
        })?;
        Ok(())
    }

    /// The review and repository a thread belongs to, found by its id (or a unique prefix of
    /// it) among the reviews of repository `repo_id`.
    pub fn find_thread(
        &self,
        repo_id: i64,
        id_or_prefix: &str,
    ) -> Result<(i64, String), StoreError> {
        let pattern = format!("{}%", id_or_prefix.replace(['%', '_'], ""));
        let found: Vec<(i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT n.review_id, n.id FROM notes n JOIN reviews r ON r.id = n.review_id
                 WHERE r.repo_id = ?1 AND n.thread_id IS NULL AND n.id LIKE ?2 LIMIT 2",
            )
            .and_then(|mut s| {
                s.query_map(params![repo_id, pattern], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .collect()
            })
            .map_err(|e| self.error("find the note", e))?;
        match found.as_slice() {
            [one] if !id_or_prefix.is_empty() => Ok(one.clone()),
            _ => Err(StoreError::NoSuchNote {
                id: id_or_prefix.to_owned(),
            }),
        }
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
    handoff: crate::notes::Handoff,
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
            handoff: crate::notes::Handoff {
                sent_at: row.get(11)?,
                delivered_at: row.get(12)?,
                claim: match row.get::<_, Option<i64>>(13)? {
                    Some(at) => Some(crate::notes::Claim {
                        at,
                        by: row.get::<_, Option<String>>(14)?.unwrap_or_default(),
                        message: row.get::<_, Option<String>>(15)?.unwrap_or_default(),
                        tree: row.get(16)?,
                    }),
                    None => None,
                },
            },
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
