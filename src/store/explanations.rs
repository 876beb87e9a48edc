//! Cached answers of language models (see migration 5): what was asked once is not paid for
//! twice.

use rusqlite::{params, OptionalExtension};

use super::{now_ms, Store, StoreError};

/// One cached answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedAnswer {
    pub key: String,
    pub provider: String,
    pub model: String,
    /// The action asked (`hunk`, `file`, …), for listing.
    pub action: String,
    pub answer: String,
    /// The usage of the request that produced it, as JSON.
    pub usage: String,
    /// When it was asked (milliseconds).
    pub created_at: i64,
}

impl Store {
    /// The answer cached under `key`, marking it used.
    pub fn cached_answer(&self, key: &str) -> Result<Option<CachedAnswer>, StoreError> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT key, provider, model, action, answer, usage, created_at
                 FROM explanations WHERE key = ?1",
            )
            .and_then(|mut statement| {
                statement
                    .query_row(params![key], |row| {
                        Ok(CachedAnswer {
                            key: row.get(0)?,
                            provider: row.get(1)?,
                            model: row.get(2)?,
                            action: row.get(3)?,
                            answer: row.get(4)?,
                            usage: row.get(5)?,
                            created_at: row.get(6)?,
                        })
                    })
                    .optional()
            })
            .map_err(|e| self.error("read a cached answer", e))?;
        if found.is_some() {
            self.write("mark a cached answer used", |tx| {
                tx.execute(
                    "UPDATE explanations SET used_at = ?2 WHERE key = ?1",
                    params![key, now_ms()],
                )
            })?;
        }
        Ok(found)
    }

    /// Caches `answer` (replacing an older one under the same key).
    pub fn cache_answer(&self, answer: &CachedAnswer) -> Result<(), StoreError> {
        self.write("cache an answer", |tx| {
            tx.execute(
                "INSERT OR REPLACE INTO explanations
                     (key, provider, model, action, answer, usage, created_at, used_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![
                    answer.key,
                    answer.provider,
                    answer.model,
                    answer.action,
                    answer.answer,
                    answer.usage,
                    answer.created_at
                ],
            )
        })?;
        Ok(())
    }
}
