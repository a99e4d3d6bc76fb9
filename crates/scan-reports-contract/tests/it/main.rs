//! The breaking-change rules and the version policy, on edits of the
//! contract, and the diff's verdicts on the scale benchmark's smallest
//! generated document. One test binary.

mod breaking_table;
// The client items are read from the clients progenitor generates: only
// with the generator (`cargo test --workspace` builds it, for `xtask`).
#[cfg(feature = "codegen")]
mod client_items;
mod scale_benchmark;
mod version_policy;

use scan_reports_contract::Document;
use serde_json::Value;

/// The contract as JSON.
pub fn contract() -> Value {
    Document::load_contract().expect("the contract loads").value
}
