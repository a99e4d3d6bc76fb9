//! The workspace's maintainer and CI commands, as a library so that their
//! logic is tested by `cargo test`. `main.rs` only parses the command line.

pub mod bench;
pub mod check;
pub mod codegen;
pub mod contract;
pub mod diff;
pub mod diff_text;
pub mod document;
pub mod json_schema;
pub mod project;
pub mod release;
