//! Decisions: approvals and change requests, append-only.

use rusqlite::{params, OptionalExtension};

use super::{Store, StoreError};
use crate::notes::Author;
use crate::progress::{Decision, Verdict};

fn json_error(e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

impl Store {
    /// Records a decision.
    pub fn add_decision(&self, review_id: i64, decision: &Decision) -> Result<(), StoreError> {
        self.write("save the decision", |tx| {
            insert_decision(tx, review_id, decision).map(|_| ())
        })
    }

    /// The latest decision of review `review_id`, by anyone.
    pub fn latest_decision(&self, review_id: i64) -> Result<Option<Decision>, StoreError> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {DECISION_COLUMNS} FROM decisions WHERE review_id = ?1
                 ORDER BY decided_at DESC, id DESC LIMIT 1"
            ))
            .and_then(|mut s| s.query_row([review_id], read_decision).optional())
            .map_err(|e| self.error("load the decision", e))
    }

    /// Every decision of review `review_id`, oldest first.
    pub fn decisions(&self, review_id: i64) -> Result<Vec<Decision>, StoreError> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {DECISION_COLUMNS} FROM decisions WHERE review_id = ?1
                 ORDER BY decided_at, id"
            ))
            .and_then(|mut s| s.query_map([review_id], read_decision)?.collect())
            .map_err(|e| self.error("load the decisions", e))
    }
}

/// Inserts `decision` into review `review_id` unless a decision with its id exists (decisions
/// are never edited); returns the rows inserted (0 or 1).
pub(super) fn insert_decision(
    tx: &rusqlite::Transaction<'_>,
    review_id: i64,
    decision: &Decision,
) -> rusqlite::Result<usize> {
    tx.execute(
        "INSERT INTO decisions (id, review_id, reviewer_name, reviewer_email, verdict,
            revision, head_tree, coverage, open_must_fix, confirmed, message, decided_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (id) DO NOTHING",
        params![
            decision.id,
            review_id,
            decision.reviewer.name,
            decision.reviewer.email,
            match decision.verdict {
                Verdict::Approved => "approved",
                Verdict::ChangesRequested => "changesRequested",
            },
            decision.revision,
            decision.head_tree,
            serde_json::to_string(&decision.coverage).map_err(json_error)?,
            decision.open_must_fix,
            serde_json::to_string(&decision.confirmed_blockers).map_err(json_error)?,
            decision.message,
            decision.decided_at
        ],
    )
}

/// The columns [`read_decision`] reads, in its order.
const DECISION_COLUMNS: &str = "id, reviewer_name, reviewer_email, verdict, revision, head_tree, \
     coverage, open_must_fix, confirmed, message, decided_at";

fn read_decision(row: &rusqlite::Row<'_>) -> rusqlite::Result<Decision> {
    fn parse<T: serde::de::DeserializeOwned>(text: &str, column: usize) -> rusqlite::Result<T> {
        serde_json::from_str(text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                column,
                rusqlite::types::Type::Text,
                Box::new(e),
            )
        })
    }
    let verdict: String = row.get(3)?;
    let coverage: String = row.get(6)?;
    let confirmed: String = row.get(8)?;
    Ok(Decision {
        id: row.get(0)?,
        reviewer: Author {
            name: row.get(1)?,
            email: row.get(2)?,
        },
        verdict: if verdict == "approved" {
            Verdict::Approved
        } else {
            Verdict::ChangesRequested
        },
        revision: row.get(4)?,
        head_tree: row.get(5)?,
        coverage: parse(&coverage, 6)?,
        open_must_fix: row.get(7)?,
        confirmed_blockers: parse(&confirmed, 8)?,
        message: row.get(9)?,
        decided_at: row.get(10)?,
    })
}
