//! `cargo xtask` as a command: diff, history and codegen, their arguments,
//! sources and exit codes.
//! One test binary.

mod codegen_cli;
mod diff_cli;
mod history_cli;

use scan_reports_contract::Document;
use serde_json::Value;

/// The contract as JSON.
pub fn contract() -> Value {
    Document::load_contract().expect("the contract loads").value
}
