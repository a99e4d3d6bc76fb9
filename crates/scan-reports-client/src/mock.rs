//! Typed mocks of the API for consumers' tests (feature `mock`): an
//! [httpmock](https://crates.io/crates/httpmock) server that answers as a
//! test tells it, with this crate's own request and response types.
//!
//! ```rust,ignore
//! let server = MockServer::start_async().await;
//! server.scan_statuses(|when, then| {
//!     when.body(&request);
//!     then.ok(&answer);
//! });
//! let client = ScanReportsClient::new(&server.base_url(), credentials)?;
//! ```
//!
//! Each operation has a method on the server ([`MockServerExt`]), whose
//! `when` matches the operation's method, path and (with `body`) its JSON
//! body, and whose `then` answers each documented status with its typed
//! body (`ok`, `too_many_requests`, ...). What the document says beside a
//! body is the test's to add through `into_inner()`: the credentials
//! headers (a security scheme, which progenitor does not read) and
//! response headers such as `Retry-After`. [`examples`] holds the
//! document's examples as JSON text.
//!
//! The crate's README has a whole test written with it.

pub use crate::generated_mock::{MockServerExt, examples, operations};
/// The mock server, and httpmock itself, at the version these mocks are
/// generated for.
pub use httpmock::{self, MockServer};
