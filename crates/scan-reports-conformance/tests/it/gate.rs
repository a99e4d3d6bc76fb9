//! Every conformance check passes on the workspace as it is.

use xtask::document::Document;

#[test]
fn every_check_passes() {
    let document = Document::load_contract().expect("the contract loads");
    for outcome in [
        scan_reports_conformance::server_document::run(&document),
        scan_reports_conformance::client_types::run(&document),
        scan_reports_conformance::examples::run(&document),
        scan_reports_conformance::live::run(&document),
    ] {
        assert!(outcome.passed, "{outcome}");
    }
}
