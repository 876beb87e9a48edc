//! Merging two versions of a commit's reviews: what two reviewers wrote on two machines.
//!
//! Nothing is ever dropped: reviews, threads, notes and decisions are united by id. A field
//! both sides changed keeps the later write (its timestamp), with a stable tie-break that does
//! not depend on which side is "ours": a resolved state wins a tie, and then the greater value.
//! So the merge is commutative, associative and idempotent: any order of syncs between any
//! number of clones ends in the same document. Fields this version does not know are united
//! too (ours wins a key both have). The result is in canonical order (reviews by target,
//! threads by id, notes by time then id, decisions by time then id).

use std::collections::BTreeMap;

use serde_json::Value;

use super::document::{CommitReviews, SharedDecision, SharedNote, SharedReview, SharedThread};

/// Merges two versions of the same commit's document.
pub fn merge_documents(a: &CommitReviews, b: &CommitReviews) -> CommitReviews {
    let mut reviews: BTreeMap<&str, SharedReview> = BTreeMap::new();
    for review in a.reviews.iter().chain(&b.reviews) {
        match reviews.get_mut(review.target.as_str()) {
            Some(existing) => *existing = merge_reviews(existing, review),
            None => {
                reviews.insert(&review.target, canonical_review(review));
            }
        }
    }
    CommitReviews {
        version: a.version.max(b.version),
        commit: a.commit.clone(),
        // The same commit has one tree; keep the greater on a (corrupt) disagreement so the
        // merge stays symmetric.
        tree: a.tree.clone().max(b.tree.clone()),
        reviews: reviews.into_values().collect(),
        unknown: union(&a.unknown, &b.unknown),
    }
}

/// Puts a document in canonical order (as merging it with itself would).
pub fn canonical(doc: &CommitReviews) -> CommitReviews {
    merge_documents(doc, doc)
}

fn canonical_review(review: &SharedReview) -> SharedReview {
    merge_reviews(review, review)
}

fn merge_reviews(a: &SharedReview, b: &SharedReview) -> SharedReview {
    let mut threads: BTreeMap<&str, SharedThread> = BTreeMap::new();
    for thread in a.threads.iter().chain(&b.threads) {
        let merged = match threads.get(thread.id.as_str()) {
            Some(existing) => merge_threads(existing, thread),
            None => merge_threads(thread, thread),
        };
        threads.insert(&thread.id, merged);
    }
    let mut decisions: BTreeMap<&str, SharedDecision> = BTreeMap::new();
    for decision in a.decisions.iter().chain(&b.decisions) {
        // Decisions are never edited: the same id is the same decision.
        decisions
            .entry(&decision.id)
            .and_modify(|d| {
                // The same decision, maybe read by two versions: unite what each kept.
                d.reviewer = merge_values(&d.reviewer, &decision.reviewer);
                d.coverage = merge_values(&d.coverage, &decision.coverage);
                d.confirmed_blockers =
                    merge_values(&d.confirmed_blockers, &decision.confirmed_blockers);
                d.unknown = union(&d.unknown, &decision.unknown);
            })
            .or_insert_with(|| decision.clone());
    }
    let mut decisions: Vec<SharedDecision> = decisions.into_values().collect();
    decisions.sort_by(|x, y| (x.decided_at, &x.id).cmp(&(y.decided_at, &y.id)));
    SharedReview {
        target: a.target.clone(),
        threads: threads.into_values().collect(),
        decisions,
        unknown: union(&a.unknown, &b.unknown),
    }
}

fn merge_threads(a: &SharedThread, b: &SharedThread) -> SharedThread {
    let (kind, kind_at) = later(
        (
            a.kind_at,
            serde_json::to_string(&a.kind).unwrap_or_default(),
            a.kind,
        ),
        (
            b.kind_at,
            serde_json::to_string(&b.kind).unwrap_or_default(),
            b.kind,
        ),
    );
    // A resolve and a reopen at the same moment: resolved wins, so it is never lost to a tie.
    let (resolved, resolved_at) = later(
        (a.resolved_at, a.resolved, a.resolved),
        (b.resolved_at, b.resolved, b.resolved),
    );
    let mut notes: BTreeMap<&str, SharedNote> = BTreeMap::new();
    for note in a.notes.iter().chain(&b.notes) {
        let merged = match notes.get(note.id.as_str()) {
            Some(existing) => merge_notes(existing, note),
            None => note.clone(),
        };
        notes.insert(&note.id, merged);
    }
    let mut notes: Vec<SharedNote> = notes.into_values().collect();
    notes.sort_by(|x, y| (x.created_at, &x.id).cmp(&(y.created_at, &y.id)));
    // The anchor is written once, with the thread; two versions of it differ only by fields
    // one Redline knew and the other dropped: unite them.
    let anchor = merge_values(&a.anchor, &b.anchor);
    let revision = a.revision.clone().max(b.revision.clone());
    SharedThread {
        id: a.id.clone(),
        kind,
        kind_at,
        resolved,
        resolved_at,
        anchor,
        revision,
        notes,
        unknown: union(&a.unknown, &b.unknown),
    }
}

fn merge_notes(a: &SharedNote, b: &SharedNote) -> SharedNote {
    let (body, updated_at) = later(
        (a.updated_at, a.body.clone(), a.body.clone()),
        (b.updated_at, b.body.clone(), b.body.clone()),
    );
    SharedNote {
        id: a.id.clone(),
        author: merge_values(&a.author, &b.author),
        body,
        created_at: a.created_at.min(b.created_at),
        updated_at,
        unknown: union(&a.unknown, &b.unknown),
    }
}

/// Last writer wins: the value with the later time; on a tie, the greater tie-break key.
fn later<K: Ord, V>(a: (i64, K, V), b: (i64, K, V)) -> (V, i64) {
    if (a.0, &a.1) >= (b.0, &b.1) {
        (a.2, a.0)
    } else {
        (b.2, b.0)
    }
}

/// Both maps' keys; for a key in both, the greater value (by its JSON text), for symmetry.
fn union(a: &BTreeMap<String, Value>, b: &BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    let mut out = a.clone();
    for (key, value) in b {
        match out.get(key) {
            Some(existing) if json_text(existing) >= json_text(value) => {}
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    out
}

/// Two versions of one JSON value: objects are united key by key (recursively); otherwise the
/// greater by JSON text. Symmetric, associative and idempotent like the rest of the merge.
fn merge_values(a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut out = x.clone();
            for (key, value) in y {
                let merged = match out.get(key) {
                    Some(existing) => merge_values(existing, value),
                    None => value.clone(),
                };
                out.insert(key.clone(), merged);
            }
            Value::Object(out)
        }
        _ if json_text(a) >= json_text(b) => a.clone(),
        _ => b.clone(),
    }
}

/// A value's JSON text: the order unknown values are compared in (a total order, where
/// `Value` has none).
fn json_text(value: &Value) -> String {
    value.to_string()
}
