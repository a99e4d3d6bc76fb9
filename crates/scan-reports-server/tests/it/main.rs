//! The server in process (no socket) and as a binary. One test binary for
//! the crate, to keep link times down.

mod cli;
mod hostile;
mod import;
mod operations;
mod rejections;
mod resilience;
mod support;
mod tenancy;
