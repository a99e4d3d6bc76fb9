//! What the Scan Reports OpenAPI document promises, as a library: the one
//! place that knows the document. `xtask` (the maintainers' commands) and
//! `scan-reports-conformance` (the checks that need the client and the
//! server compiled) are thin users of it.
//!
//! - [`openapi_document`]: loading a document, OpenAPI 3.0 or 3.1, with
//!   errors that name the file, line, column or JSON pointer.
//! - [`canonical`]: what a document promises, with everything that is not
//!   contract normalized away; [`difference`] finds where two canonical
//!   values differ.
//! - [`instances`]: JSON instances generated from canonical schemas.
//! - [`json_schema`]: OpenAPI 3.0 and canonical schemas as JSON Schema
//!   2020-12, for a real validator.
//! - [`published_examples`]: the vendor's payloads and their index.
//! - [`breaking`]: the breaking-change rules, by area, and their reports.
//! - [`witnesses`]: a witness for every breaking verdict, a counterexample
//!   search for every compatible one.
//! - [`dialects`]: the contract in both OpenAPI dialects: the 3.1
//!   rendition of the 3.0 source, and 3.0.3 from a 3.1 source.
//! - [`version_policy`]: released versions and the bump a change needs.
//! - [`outcome`]: the typed result of a check, rendered as one line and
//!   parsed back: the protocol between `xtask` and the conformance binary.
//! - [`ci_formats`]: GitHub annotations, JUnit XML.
//! - [`text_places`]: the line and column of a JSON pointer, in YAML or
//!   JSON text.
//! - [`coverage`]: what exchanges exercised of the document.
//! - [`checks`]: the checks that need nothing compiled from the document.
//! - [`history`]: a document's git history replayed through the diff.
//! - [`diff_report`]: a proven list of changes as text, JSON, Markdown,
//!   annotations or JUnit.
//! - [`exact_number`]: numbers of any size, compared exactly.
//! - [`schema_warnings`]: keywords read as no constraint where one was
//!   likely meant (`maxLenght`, `type: int64`), with their places.
//! - [`scale_benchmark`]: large generated documents, four edits of each,
//!   and the verdict each must get: what `cargo xtask bench --only diff`
//!   times.
//! - `client_codegen` (feature `codegen`): the client progenitor generates;
//!   [`client_items`]: what each change touches in it.

pub mod audit;
pub mod breaking;
pub mod canonical;
pub mod checks;
pub mod ci_formats;
#[cfg(feature = "codegen")]
pub mod client_codegen;
pub mod client_items;
pub mod coverage;
pub mod dialects;
pub mod diff_report;
pub mod difference;
pub mod exact_number;
pub mod history;
pub mod instances;
pub mod json_schema;
pub mod openapi_document;
pub mod outcome;
pub mod published_examples;
pub mod recheck;
pub mod revision;
pub mod scale_benchmark;
pub mod schema_warnings;
pub mod text_diff;
pub mod text_places;
pub mod version_policy;
pub mod witnesses;
pub mod workspace;

pub use openapi_document::{Document, DocumentError};
pub use outcome::Outcome;
