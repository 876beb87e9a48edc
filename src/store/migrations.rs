//! The schema, as an ordered list of migrations. Migration *n* (1-based) brings a database
//! from `user_version` *n − 1* to *n*. Never edit a released migration: append a new one.
//! ARCHITECTURE.md says why each table exists.

/// Every migration, oldest first.
pub const MIGRATIONS: &[&str] = &[
    // 1: repositories, reviews, notes, viewed marks, decisions, drafts.
    r#"
    -- A repository is known by its root commits as well as its path, so a moved clone keeps
    -- its reviews. `roots` is the sorted root commit ids joined by spaces ('' with no commits).
    CREATE TABLE repos (
        id         INTEGER PRIMARY KEY,
        path       TEXT NOT NULL,
        roots      TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX repos_by_path ON repos(path);
    CREATE INDEX repos_by_roots ON repos(roots);

    -- One review per repository and target (`worktree`, a commit id, `main..HEAD`,
    -- `branch:NAME`): it spans the target's revisions as the agent rewrites it.
    CREATE TABLE reviews (
        id         INTEGER PRIMARY KEY,
        repo_id    INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
        target     TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (repo_id, target)
    );

    -- Notes: a thread's first note has `thread_id` NULL and carries the anchor, kind and
    -- resolved state; replies point to it. Ids are UUID v7 text, unique across machines.
    CREATE TABLE notes (
        id           TEXT PRIMARY KEY,
        review_id    INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
        thread_id    TEXT REFERENCES notes(id) ON DELETE CASCADE,
        kind         TEXT NOT NULL CHECK (kind IN ('comment', 'question', 'mustFix', 'teaching')),
        anchor       TEXT,
        revision     TEXT NOT NULL,
        body         TEXT NOT NULL CHECK (length(trim(body)) > 0),
        author_name  TEXT NOT NULL,
        author_email TEXT NOT NULL,
        resolved     INTEGER NOT NULL DEFAULT 0,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        CHECK ((thread_id IS NULL) = (anchor IS NOT NULL))
    );
    CREATE INDEX notes_by_review ON notes(review_id, created_at);
    CREATE INDEX notes_by_thread ON notes(thread_id);

    -- Viewed marks, per hunk per reviewer, keyed by the hunk's content id: a rewritten hunk
    -- has a new id and is unviewed again. The old-side lines tell "changed since viewed".
    CREATE TABLE viewed (
        review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
        reviewer  TEXT NOT NULL,
        hunk_id   TEXT NOT NULL,
        path      TEXT NOT NULL,
        old_start INTEGER NOT NULL,
        old_lines INTEGER NOT NULL,
        revision  TEXT NOT NULL,
        viewed_at INTEGER NOT NULL,
        PRIMARY KEY (review_id, reviewer, hunk_id)
    ) WITHOUT ROWID;

    -- Decisions, append-only: the latest counts; it is bound to the head tree it was made on.
    CREATE TABLE decisions (
        id             TEXT PRIMARY KEY,
        review_id      INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
        reviewer_name  TEXT NOT NULL,
        reviewer_email TEXT NOT NULL,
        verdict        TEXT NOT NULL CHECK (verdict IN ('approved', 'changesRequested')),
        revision       TEXT NOT NULL,
        head_tree      TEXT NOT NULL,
        coverage       TEXT NOT NULL,
        open_must_fix  INTEGER NOT NULL,
        confirmed      TEXT NOT NULL,
        message        TEXT,
        decided_at     INTEGER NOT NULL
    );
    CREATE INDEX decisions_by_review ON decisions(review_id, decided_at);

    -- Drafts being typed, so one survives a live refresh and a restart. `key` names the
    -- place (a new thread's anchor, or a reply's thread).
    CREATE TABLE drafts (
        review_id  INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
        key        TEXT NOT NULL,
        kind       TEXT NOT NULL,
        body       TEXT NOT NULL,
        anchor     TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (review_id, key)
    ) WITHOUT ROWID;
    "#,
    // 2: when a thread's kind and resolved state last changed, for last-writer-wins merges of
    // reviews synced through git (`redline sync`).
    r#"
    ALTER TABLE notes ADD COLUMN kind_at INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE notes ADD COLUMN resolved_at INTEGER NOT NULL DEFAULT 0;
    "#,
    // 3: the last sync of each repository, for the window's "Synced 2 min ago".
    r#"
    CREATE TABLE syncs (
        repo_id    INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
        remote     TEXT NOT NULL,
        synced_at  INTEGER NOT NULL,
        report     TEXT NOT NULL,
        PRIMARY KEY (repo_id, remote)
    ) WITHOUT ROWID;
    "#,
    // 4: the agent loop. A thread handed to the agent (`sent_at`), when the agent received it
    // (`delivered_at`: a Stop hook, `notes --for-agent` or MCP), and the agent's claim that it
    // addressed it, with the working tree's tree at that moment as evidence; only a human
    // resolves. `undos`: hunks or files of the agent's change the reviewer reverted, with the
    // file's bytes before and after so one step can be redone, and the agent told.
    r#"
    ALTER TABLE notes ADD COLUMN sent_at INTEGER;
    ALTER TABLE notes ADD COLUMN delivered_at INTEGER;
    ALTER TABLE notes ADD COLUMN claimed_at INTEGER;
    ALTER TABLE notes ADD COLUMN claim_by TEXT;
    ALTER TABLE notes ADD COLUMN claim_message TEXT;
    ALTER TABLE notes ADD COLUMN claim_tree TEXT;
    CREATE INDEX notes_sent ON notes(sent_at) WHERE sent_at IS NOT NULL;

    CREATE TABLE undos (
        id           TEXT PRIMARY KEY,
        repo_id      INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
        target       TEXT NOT NULL,
        path         TEXT NOT NULL,
        hunk_id      TEXT,
        before       BLOB,
        after        BLOB,
        summary      TEXT NOT NULL,
        undone_at    INTEGER NOT NULL,
        redone_at    INTEGER,
        delivered_at INTEGER
    );
    CREATE INDEX undos_by_repo ON undos(repo_id, undone_at);
    "#,
    // 5: answers of language models, keyed by provider, model, prompt version and the hash of
    // what was sent (never the key or the secrets: prompts are redacted before hashing), so an
    // answer asked again is instant; usage figures as JSON for the window. And notes of kind
    // `explanation` (a pinned answer): SQLite cannot change a CHECK constraint in place, so the
    // notes table is rebuilt (its only reference is to itself: the new table refers to its own
    // name, which the rename carries over).
    r#"
    CREATE TABLE notes_rebuilt (
        id            TEXT PRIMARY KEY,
        review_id     INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
        thread_id     TEXT REFERENCES notes_rebuilt(id) ON DELETE CASCADE,
        kind          TEXT NOT NULL
                      CHECK (kind IN ('comment', 'question', 'mustFix', 'teaching', 'explanation')),
        anchor        TEXT,
        revision      TEXT NOT NULL,
        body          TEXT NOT NULL CHECK (length(trim(body)) > 0),
        author_name   TEXT NOT NULL,
        author_email  TEXT NOT NULL,
        resolved      INTEGER NOT NULL DEFAULT 0,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        kind_at       INTEGER NOT NULL DEFAULT 0,
        resolved_at   INTEGER NOT NULL DEFAULT 0,
        sent_at       INTEGER,
        delivered_at  INTEGER,
        claimed_at    INTEGER,
        claim_by      TEXT,
        claim_message TEXT,
        claim_tree    TEXT,
        CHECK ((thread_id IS NULL) = (anchor IS NOT NULL))
    );
    INSERT INTO notes_rebuilt (id, review_id, thread_id, kind, anchor, revision, body,
                               author_name, author_email, resolved, created_at, updated_at,
                               kind_at, resolved_at, sent_at, delivered_at, claimed_at,
                               claim_by, claim_message, claim_tree)
        SELECT id, review_id, thread_id, kind, anchor, revision, body, author_name,
               author_email, resolved, created_at, updated_at, kind_at, resolved_at, sent_at,
               delivered_at, claimed_at, claim_by, claim_message, claim_tree
        FROM notes ORDER BY thread_id IS NOT NULL, created_at;
    DROP TABLE notes;
    ALTER TABLE notes_rebuilt RENAME TO notes;
    CREATE INDEX notes_by_review ON notes(review_id, created_at);
    CREATE INDEX notes_by_thread ON notes(thread_id);
    CREATE INDEX notes_sent ON notes(sent_at) WHERE sent_at IS NOT NULL;

    CREATE TABLE explanations (
        key        TEXT PRIMARY KEY,
        provider   TEXT NOT NULL,
        model      TEXT NOT NULL,
        action     TEXT NOT NULL,
        answer     TEXT NOT NULL,
        usage      TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        used_at    INTEGER NOT NULL
    );
    "#,
    // 6: when the window last opened each repository, so the start screen lists a repository
    // opened again first even when nothing was written in it since.
    r#"
    ALTER TABLE repos ADD COLUMN opened_at INTEGER NOT NULL DEFAULT 0;
    "#,
];
