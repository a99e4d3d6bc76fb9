//! The workspace's one test kit: for the server's tests, the command
//! line's, the cross-crate tests, the conformance checks and the bench. No
//! production crate depends on it, so the server as shipped carries none of
//! it (the tidy test holds that):
//!
//! - [`TestServer`]: the app in process, called with requests, no socket;
//!   [`Loopback`]: the same on an ephemeral `127.0.0.1` port until dropped.
//! - [`DemoStore`]: a demo-seeded database in a temporary directory, with
//!   its accounts ([`DEMO`], [`OTHER`]) and generated scans.
//! - [`StubBackend`]: one configurable backend for the HTTP layer alone.
//! - [`TestDatabase`]: a throwaway PostgreSQL database, on the server
//!   [`test_database_server`] finds (or a printed skip, or a CI failure).
//! - [`ServerProcess`], [`ChildGuard`], [`output_within`]: the binary as a
//!   child process, killed and reaped on drop.
//! - [`document_edits`]: the edits tests make to copies of the contract
//!   (the `scan-reports-document-edits` crate, which the contract library's
//!   tests use without the server).
//! - [`document`], [`documented_example`], [`exchanges`]: the contract's
//!   examples, and the requests every live run sends with their statuses.
//!
//! Setup failures panic, as in a test, except where a function returns a
//! `Result` for callers that report instead (the conformance checks).

mod demo_store;
mod encodings;

pub use scan_reports_document_edits as document_edits;
mod exchanges;
mod in_process;
mod loopback;
mod postgres;
mod process;
mod raw_http;
mod stub;

pub use demo_store::{
    DEMO, DemoStore, GENERATED_SCANS, LARGE_REPORT_PRODUCTS, OTHER, add_large_report,
    generated_ids_of, seed,
};
pub use encodings::decoded;
pub use exchanges::{Exchange, exchanges};
pub use in_process::{Reply, TestServer, json_request, test_limits};
pub use loopback::Loopback;
pub use postgres::{
    PrivateCluster, TEST_DATABASE_URL, TestDatabase, run_sql, test_database_server,
};
pub use process::{BackgroundLoad, ChildGuard, ServerProcess, output_within};
pub use raw_http::{raw_post, send_raw};
pub use stub::{STUB, StubBackend};

use serde_json::Value;

use scan_reports_server::contract_document;

/// The contract the server embeds, as JSON.
pub fn document() -> Value {
    contract_document::value()
        .expect("the embedded document is YAML")
        .clone()
}

/// The example `name` of the POST on `path`: of its request body when `at`
/// is `"request"`, else of its response with status `at`.
pub fn documented_example(path: &str, at: &str, name: &str) -> Value {
    contract_document::example(path, at, name).unwrap_or_else(|error| panic!("{error}"))
}

/// The documented scan of the scan-statuses example, with `id`.
pub fn documented_scan(id: i64) -> Value {
    let mut scan = documented_example(
        scan_reports_server::paths::SCAN_STATUSES,
        "200",
        "documented",
    )["data"][0]
        .take();
    scan["id"] = serde_json::json!(id);
    scan
}
