//! Redline's core: everything the desktop app shows, computed headless.
//!
//! Data flows one way: [`repo`] reads git, [`diff`] is the pure model it fills, [`review`]
//! composes the parts into what a reviewer sees. The `redline` CLI and the `redline-desktop`
//! shell both call [`review`] and nothing deeper, so the two always agree.
#![forbid(unsafe_code)]

pub mod agent;
pub mod demo;
pub mod diff;
pub mod error;
pub mod explain;
pub mod findings;
pub mod llm;
pub mod logging;
pub mod notes;
pub mod progress;
pub mod provenance;
pub mod repo;
pub mod review;
pub mod sharing;
pub mod store;
pub mod syntax;
pub mod watch;
