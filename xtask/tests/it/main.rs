//! `cargo xtask diff` and the version policy. One test binary.

mod diff_cli;
mod diff_table;
mod version_policy;

use serde_json::Value;
use xtask::document::Document;

/// The contract as JSON.
pub fn contract() -> Value {
    Document::load_contract().expect("the contract loads").value
}
