//! The client README's example, run against the demo server as it is
//! served (its documented scans in progress finish a few seconds after
//! they are first asked about), and the README showing it as it is; and
//! its consumer's test on the typed mocks (`tests/tests/mock_example.rs`),
//! shown as it is.

use std::time::Duration;

use scan_reports_testkit::{Loopback, TestServer};

use crate::tidy::{read, root};

#[path = "../../crates/scan-reports-client/examples/readme.rs"]
// The example's own `main` is for `cargo run --example readme`.
#[allow(dead_code)]
mod readme;

#[test]
fn the_client_readme_example_runs_against_the_demo() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let server = Loopback::start(TestServer::demo_as_served())
            .await
            .expect("the demo on loopback");
        // A guard against a hang, not a speed target: the wait ends when
        // the demo's scans finish, a few seconds in.
        tokio::time::timeout(Duration::from_secs(60), readme::run(&server.base_url()))
            .await
            .expect("the example finishes")
            .expect("the example succeeds");
        server.stop().await.expect("stops");
    });
}

#[test]
fn the_readme_shows_the_example_as_it_is() {
    let readme = read(&root().join("crates/scan-reports-client/README.md"));
    let example = read(&root().join("crates/scan-reports-client/examples/readme.rs"));
    assert!(
        readme.contains(&format!("```rust,no_run\n{example}```")),
        "crates/scan-reports-client/README.md's example differs from examples/readme.rs"
    );
}

#[test]
fn the_readme_shows_the_mock_example_as_it_is() {
    let readme = read(&root().join("crates/scan-reports-client/README.md"));
    let example = read(&root().join("tests/tests/mock_example.rs"));
    assert!(
        readme.contains(&format!("```rust,ignore\n{example}```")),
        "crates/scan-reports-client/README.md's test on the mocks differs from tests/tests/mock_example.rs"
    );
}
