//! Drafts: a note being typed, kept so a live refresh or a restart does not lose it.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::notes::{kind_from_db, kind_to_db};
use super::{now_ms, Store, StoreError};
use crate::notes::{AnchorSide, NoteAnchor, NoteKind};

/// A note being written: a new thread on `anchor`, or a reply to `thread_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    /// `new:PATH:SIDE:START-END` for a new thread, `reply:THREAD` for a reply.
    pub key: String,
    pub kind: NoteKind,
    pub body: String,
    /// The lines a new thread is written on (`None` for a reply).
    pub anchor: Option<DraftPlace>,
    #[specta(type = f64)]
    pub updated_at: i64,
}

/// Where a new thread's draft sits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DraftPlace {
    pub path: String,
    pub side: AnchorSide,
    pub start_line: u32,
    pub end_line: u32,
}

/// The draft key of a new thread at `place`.
pub fn place_key(place: &DraftPlace) -> String {
    let side = match place.side {
        AnchorSide::Old => "old",
        AnchorSide::New => "new",
    };
    format!(
        "new:{}:{side}:{}-{}",
        place.path, place.start_line, place.end_line
    )
}

pub(super) fn anchor_key(anchor: &NoteAnchor) -> String {
    place_key(&DraftPlace {
        path: anchor.path.clone(),
        side: anchor.side,
        start_line: anchor.start_line,
        end_line: anchor.end_line,
    })
}

/// The draft key of a reply to `thread_id`.
pub fn reply_key(thread_id: &str) -> String {
    format!("reply:{thread_id}")
}

impl Store {
    /// Saves a draft (an empty body deletes it).
    pub fn save_draft(&self, review_id: i64, draft: &Draft) -> Result<(), StoreError> {
        let anchor = match &draft.anchor {
            Some(place) => Some(serde_json::to_string(place).map_err(|e| {
                self.error(
                    "save the draft",
                    rusqlite::Error::ToSqlConversionFailure(Box::new(e)),
                )
            })?),
            None => None,
        };
        self.write("save the draft", |tx| {
            if draft.body.trim().is_empty() {
                tx.execute(
                    "DELETE FROM drafts WHERE review_id = ?1 AND key = ?2",
                    params![review_id, draft.key],
                )?;
            } else {
                tx.execute(
                    "INSERT INTO drafts (review_id, key, kind, body, anchor, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (review_id, key) DO UPDATE SET kind = excluded.kind,
                       body = excluded.body, anchor = excluded.anchor,
                       updated_at = excluded.updated_at",
                    params![
                        review_id,
                        draft.key,
                        kind_to_db(draft.kind),
                        draft.body,
                        anchor,
                        now_ms()
                    ],
                )?;
            }
            Ok(())
        })
    }

    /// The drafts of review `review_id`.
    pub fn drafts(&self, review_id: i64) -> Result<Vec<Draft>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT key, kind, body, anchor, updated_at FROM drafts
                 WHERE review_id = ?1 ORDER BY updated_at",
            )
            .map_err(|e| self.error("load the drafts", e))?;
        statement
            .query_map([review_id], |row| {
                let kind: String = row.get(1)?;
                let anchor: Option<String> = row.get(3)?;
                Ok(Draft {
                    key: row.get(0)?,
                    kind: kind_from_db(&kind),
                    body: row.get(2)?,
                    // A draft whose place cannot be read is still shown, as a reply would be.
                    anchor: anchor.and_then(|a| serde_json::from_str(&a).ok()),
                    updated_at: row.get(4)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.error("load the drafts", e))
    }
}
