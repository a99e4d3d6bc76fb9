//! The `scan-reports` binary against a server on loopback: the real one on
//! demo data, or a mock where a test needs answers the demo cannot give.

mod errors;
mod probe;
mod report;
mod status;
mod support;
mod wait;
