//! The checks of `cargo xtask check` that need nothing compiled from the
//! document. Each module is named after the line it prints and returns one
//! [`Outcome`](crate::Outcome).

pub mod document;
pub mod examples;
pub mod two_dialects;
pub mod version;
