//! The CLI's output, one file per subcommand. Argument parsing and dispatch live in main.rs;
//! each subcommand calls one `redline::review` function and prints its result here.

pub mod agent;
pub mod api;
pub mod check;
pub mod explain;
pub mod notes;
pub mod provenance;
pub mod review;
pub mod revision;
pub mod sharing;
pub mod symbols;
pub mod terminal;
pub mod watch;
