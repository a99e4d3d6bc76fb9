//! The conformance checks of `cargo xtask check` that need the client and
//! the server compiled: the server's document, the client's types, property
//! tests, the documented examples through both sides, and a live run.
//!
//! They live apart from `xtask` so that `cargo xtask codegen` never depends
//! on the code it regenerates: a broken client cannot block its own fix.

pub mod client_types;
pub mod examples;
pub mod generate;
pub mod live;
pub mod properties;
pub mod server_document;
pub mod stub_backend;

use xtask::{check::Outcome, document::Document};

/// Runs every check, printing each outcome as it completes. Returns them.
pub fn run_all(cases: u32) -> Vec<Outcome> {
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
    report(server_document::run(&document));
    report(client_types::run(&document));
    report(examples::run(&document));
    report(properties::run(&document, cases));
    report(live::run(&document));
    outcomes
}
