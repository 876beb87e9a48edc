//! Repositories and reviews: the keys everything else hangs from.

use rusqlite::{params, OptionalExtension};

use super::{now_ms, Store, StoreError};

/// A repository row found at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownRepo {
    pub id: i64,
    /// Its root commits when last seen (empty: it had none).
    pub roots: Vec<String>,
}

impl Store {
    /// The repositories recorded at `path` (usually one; more if the directory was replaced
    /// by another repository).
    pub fn repos_at(&self, path: &str) -> Result<Vec<KnownRepo>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT id, roots FROM repos WHERE path = ?1 ORDER BY id")
            .map_err(|e| self.error("find the repository", e))?;
        statement
            .query_map([path], |row| {
                let roots: String = row.get(1)?;
                Ok(KnownRepo {
                    id: row.get(0)?,
                    roots: roots.split_whitespace().map(str::to_owned).collect(),
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.error("find the repository", e))
    }

    /// [`Store::identify_repo_with`], taking a row as moved when its old path no longer exists.
    pub fn identify_repo(&self, path: &str, roots: &[String]) -> Result<i64, StoreError> {
        self.identify_repo_with(path, roots, |old| std::path::Path::new(old).exists())
    }

    /// The id of the repository at `path` whose root commits are `roots`: the row recorded at
    /// this path with these roots; else a row with these roots whose old path no longer holds
    /// this repository (`still_there(old)` is false: a moved clone, its path is updated; the
    /// old path may be gone or hold another repository now); else a new row (another clone).
    pub fn identify_repo_with(
        &self,
        path: &str,
        roots: &[String],
        still_there: impl Fn(&str) -> bool,
    ) -> Result<i64, StoreError> {
        let mut sorted = roots.to_vec();
        sorted.sort();
        let roots = sorted.join(" ");
        self.write("record the repository", |tx| {
            let here: Option<i64> = tx
                .query_row(
                    "SELECT id FROM repos WHERE path = ?1 AND (roots = ?2 OR roots = '')",
                    params![path, roots],
                    |row| row.get(0),
                )
                .optional()?;
            if let Some(id) = here {
                tx.execute(
                    "UPDATE repos SET roots = ?2 WHERE id = ?1",
                    params![id, roots],
                )?;
                return Ok(id);
            }
            if !roots.is_empty() {
                let mut statement =
                    tx.prepare("SELECT id, path FROM repos WHERE roots = ?1 ORDER BY id")?;
                let moved: Vec<(i64, String)> = statement
                    .query_map([&roots], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect::<Result<_, _>>()?;
                if let Some((id, _)) = moved.iter().find(|(_, old)| !still_there(old)) {
                    tx.execute(
                        "UPDATE repos SET path = ?2 WHERE id = ?1",
                        params![id, path],
                    )?;
                    return Ok(*id);
                }
            }
            tx.execute(
                "INSERT INTO repos (path, roots, created_at) VALUES (?1, ?2, ?3)",
                params![path, roots, now_ms()],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// The review of `target` in repository `repo_id`, created on first use.
    pub fn review_id(&self, repo_id: i64, target: &str) -> Result<i64, StoreError> {
        if let Some(id) = self.find_review(repo_id, target)? {
            return Ok(id);
        }
        self.write("record the review", |tx| {
            tx.execute(
                "INSERT INTO reviews (repo_id, target, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (repo_id, target) DO NOTHING",
                params![repo_id, target, now_ms()],
            )?;
            tx.query_row(
                "SELECT id FROM reviews WHERE repo_id = ?1 AND target = ?2",
                params![repo_id, target],
                |row| row.get(0),
            )
        })
    }

    /// The review of `target` in repository `repo_id`, if one was ever written to.
    pub fn find_review(&self, repo_id: i64, target: &str) -> Result<Option<i64>, StoreError> {
        self.conn
            .prepare_cached("SELECT id FROM reviews WHERE repo_id = ?1 AND target = ?2")
            .and_then(|mut s| {
                s.query_row(params![repo_id, target], |row| row.get(0))
                    .optional()
            })
            .map_err(|e| self.error("find the review", e))
    }
}

/// A recorded repository path and when it was last used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoUse {
    pub path: String,
    /// Milliseconds since the Unix epoch: the latest of when it was first recorded or last
    /// opened, a review of it started, a note written or changed, a hunk marked viewed, a decision, a sync.
    pub last_used: i64,
}

impl Store {
    /// Records that the window opened repository `repo_id` now.
    pub fn mark_opened(&self, repo_id: i64) -> Result<(), StoreError> {
        self.write("record the repository as opened", |tx| {
            tx.execute(
                "UPDATE repos SET opened_at = ?2 WHERE id = ?1",
                params![repo_id, now_ms()],
            )
        })?;
        Ok(())
    }

    /// Every recorded repository path with its last use, the most recent first (a path recorded
    /// for more than one repository is listed once, at its latest use).
    pub fn repos_by_last_use(&self) -> Result<Vec<RepoUse>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "WITH used (repo_id, at) AS (
                     SELECT id, created_at FROM repos
                     UNION ALL SELECT id, opened_at FROM repos
                     UNION ALL SELECT repo_id, created_at FROM reviews
                     UNION ALL SELECT r.repo_id, n.updated_at
                         FROM notes n JOIN reviews r ON r.id = n.review_id
                     UNION ALL SELECT r.repo_id, v.viewed_at
                         FROM viewed v JOIN reviews r ON r.id = v.review_id
                     UNION ALL SELECT r.repo_id, d.decided_at
                         FROM decisions d JOIN reviews r ON r.id = d.review_id
                     UNION ALL SELECT repo_id, synced_at FROM syncs
                 )
                 SELECT repos.path, MAX(used.at) AS last_used
                 FROM repos JOIN used ON used.repo_id = repos.id
                 GROUP BY repos.path
                 ORDER BY last_used DESC, repos.path",
            )
            .map_err(|e| self.error("list the repositories", e))?;
        statement
            .query_map([], |row| {
                Ok(RepoUse {
                    path: row.get(0)?,
                    last_used: row.get(1)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.error("list the repositories", e))
    }
}
