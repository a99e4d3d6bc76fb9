//! Each side's view of each documented payload, as an insta snapshot: a
//! change to the document, the client or the server that changes how a
//! documented payload reads shows up as a snapshot diff.

use scan_reports_conformance::round_trip::{documented, views};
use scan_reports_contract::Document;

#[test]
fn each_side_reads_each_documented_payload() {
    let document = Document::load_contract().expect("the contract loads");
    let examples = documented(&document);
    assert!(examples.len() >= 20, "{} examples", examples.len());
    for example in examples {
        let (client, server) =
            views(&example).unwrap_or_else(|error| panic!("{}: {error}", example.place));
        insta::assert_snapshot!(
            format!("{}__client", example.slug),
            client.debug,
            &example.place
        );
        insta::assert_snapshot!(
            format!("{}__server", example.slug),
            server.debug,
            &example.place
        );
    }
}
