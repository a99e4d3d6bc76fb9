//! The server in process (no socket) and as a binary, through the test kit
//! (`scan_reports_testkit`). One test binary for the crate,
//! to keep link times down.

mod backend_suite;
mod cli;
mod compression;
mod database_faults;
mod fair_shares;
mod hostile;
mod metrics;
mod operations;
mod read_cache;
mod rejections;
mod replicas;
mod resilience;
mod tenancy;
