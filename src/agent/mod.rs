//! Agent sessions: the working tree cut into turns at the agent's Stop hook
//! ([`snapshot`]), the hooks that report those boundaries ([`hooks`]), and what is handed
//! back to the agent ([`handoff`], [`mcp`]).
//!
//! This is an IO edge like `repo` and `store`: it writes Redline's own refs and the agents'
//! hook configuration files, nothing else. `review` composes it with notes and diffs.

pub mod handoff;
pub mod hooks;
pub mod mcp;
pub mod process;
pub mod snapshot;
