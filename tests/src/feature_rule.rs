//! Test tooling stays out of the product: no production crate (the client,
//! the server, the command line, the contract library, and `xtask`, the
//! maintainers' tool) depends on the test kit or turns on a test feature,
//! and `cargo xtask bench` measures the server as built alone, with no
//! feature, as it is shipped.

use crate::tidy::{read, root};

/// The crates users build, whose dependencies carry no test tooling.
const PRODUCTION: &[&str] = &[
    "crates/scan-reports-client/Cargo.toml",
    "crates/scan-reports-server/Cargo.toml",
    "crates/scan-reports-cli/Cargo.toml",
    "crates/scan-reports-contract/Cargo.toml",
    "xtask/Cargo.toml",
];

/// Features that exist for tests and the implementers' suite, and the
/// client's typed mocks for consumers' tests.
const TEST_FEATURES: &[&str] = &["test-support", "backend-suite", "mock"];

/// The crate that holds the test tooling.
const TEST_KIT: &str = "scan-reports-testkit";

/// The lines of `manifest`'s `[dependencies]` (normal, not dev or build).
fn normal_dependencies(manifest: &str) -> Vec<String> {
    let mut inside = false;
    let mut found = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == "[dependencies]";
        } else if inside && !line.is_empty() && !line.starts_with('#') {
            found.push(line.to_owned());
        }
    }
    found
}

#[test]
fn no_production_crate_depends_on_test_tooling() {
    let mut offenders = Vec::new();
    for manifest in PRODUCTION {
        for line in normal_dependencies(&read(&root().join(manifest))) {
            let tooling = line.starts_with(TEST_KIT)
                || TEST_FEATURES
                    .iter()
                    .any(|feature| line.contains(&format!("\"{feature}\"")));
            if tooling {
                offenders.push(format!("{manifest}: {line}"));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "production crates build with test tooling:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_server_has_no_test_feature() {
    let manifest = read(&root().join("crates/scan-reports-server/Cargo.toml"));
    assert!(
        !manifest.contains("test-support") && !manifest.contains("test_support"),
        "the server's features carry test tooling again: move it to {TEST_KIT}"
    );
}

#[test]
fn the_bench_builds_the_server_as_shipped() {
    let bench = read(&root().join("xtask/src/bench.rs"));
    // The server's own build: the package alone, no feature flag.
    let as_shipped = bench
        .lines()
        .find(|line| line.starts_with("const SERVER_AS_SHIPPED"))
        .expect("bench.rs names the server's build");
    assert!(
        as_shipped.ends_with(r#"&["build", "--release", "--package", "scan-reports-server"];"#),
        "{as_shipped}"
    );
    // The bench's build does not build the server's binary with it.
    let bench_build = bench
        .lines()
        .find(|line| line.starts_with("const BENCH_BUILD"))
        .expect("bench.rs names the bench's build");
    assert!(
        !bench_build.contains("scan-reports-server") && !bench_build.contains("feature"),
        "{bench_build}"
    );
    assert!(
        bench.contains("for build in [SERVER_AS_SHIPPED, BENCH_BUILD]"),
        "the two builds run one after the other, apart"
    );
}
