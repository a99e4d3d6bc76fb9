//! Every conformance check passes on the workspace as it is.

use scan_reports_contract::Document;

#[test]
fn every_check_passes() {
    let document = Document::load_contract().expect("the contract loads");
    for outcome in [
        scan_reports_conformance::server::run(&document),
        scan_reports_conformance::client::run(&document),
        scan_reports_conformance::round_trip::run(&document),
        scan_reports_conformance::live::run(&document, &Default::default()),
    ] {
        assert!(outcome.passed, "{outcome}");
    }
}
