//! Reviews that travel with the repository: the JSON document kept per reviewed commit in
//! `refs/notes/redline` ([`document`]) and how two versions of it merge ([`merge`]). Pure:
//! `repo` reads and writes the notes ref, `review` composes with the store.

pub mod document;
pub mod merge;

pub use document::{
    CommitReviews, DocumentError, SharedDecision, SharedNote, SharedReview, SharedThread,
    FORMAT_VERSION, MAX_DOCUMENT_BYTES, NOTES_REF,
};
pub use merge::{canonical, merge_documents};
