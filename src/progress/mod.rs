//! How far a review has come, as data: which hunks the reviewer has viewed ([`viewed`]), the
//! share of AI-written hunks a human looked at ([`Coverage`]), and decisions ([`decision`]).
//! Pure: `store` keeps the marks and decisions, `review` composes.

pub mod decision;
pub mod viewed;

pub use decision::{approval_blockers, Blocker, Decision, DecisionState, ReviewStatus, Verdict};
pub use viewed::{file_views, hunk_views, Coverage, FileView, HunkView, ViewState, ViewedMark};
