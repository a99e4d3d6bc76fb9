//! The conformance checks of `cargo xtask check` that need the client and
//! the server compiled: the server's document, the client's types, property
//! tests, the documented examples through both sides, and a live run.
//!
//! They live apart from `xtask` so that `cargo xtask codegen` never depends
//! on the code it regenerates: a broken client cannot block its own fix.

//!
//! Each check is a module named after the line it prints: [`server`],
//! [`client`], [`round_trip`], [`properties`] (with [`property_runner`],
//! [`request_breakages`]; instances come from `scan_reports_contract::instances`),
//! [`live`], [`released`] and [`coverage`]. The checks record what they
//! send and receive in one [`exercises::Exercises`] passed to them, which
//! the coverage line reads; [`app_exchange`] calls the app in process.

pub mod app_exchange;
pub mod client;
pub mod coverage;
pub mod exercises;
pub mod live;
pub mod properties;
pub mod property_runner;
pub mod released;
pub mod request_breakages;
pub mod round_trip;
pub mod server;

use exercises::Exercises;
use scan_reports_contract::{Document, Outcome};

/// Runs every check, printing each outcome as it completes. Returns them.
/// The coverage of the live and property checks goes to `coverage_json`
/// when given.
pub fn run_all(cases: u32, coverage_json: Option<&std::path::Path>) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    let mut report = |outcome: Outcome| {
        println!("{outcome}");
        outcomes.push(outcome);
    };
    let document = match Document::load_contract() {
        Ok(document) => document,
        Err(error) => {
            report(Outcome::fail(
                "document",
                "the document does not load",
                vec![error.to_string()],
            ));
            return outcomes;
        }
    };
    report(server::run(&document));
    report(client::run(&document));
    report(round_trip::run(&document));
    // What the checks send and receive, for the coverage line.
    let exercises = Exercises::default();
    report(properties::run(&document, cases, &exercises));
    report(live::run(&document, &exercises));
    // A released version's requests, per operation: a share of the budget.
    report(released::run(&document, (cases as usize / 60).max(20)));
    report(coverage::run(&document, &exercises, coverage_json));
    outcomes
}
