//! The committed client equals what the document generates now.

use super::Outcome;
use crate::codegen::{Mode, generate};

pub fn run() -> Outcome {
    match generate(Mode::Check) {
        Ok(()) => Outcome::pass("codegen", "the generated client is fresh"),
        Err(error) => Outcome::fail(
            "codegen",
            "the generated client is stale or cannot be generated",
            vec![error.to_string()],
        ),
    }
}
