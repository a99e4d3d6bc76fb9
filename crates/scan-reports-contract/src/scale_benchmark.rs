//! The documents of the diff's scale benchmark (`cargo xtask bench --only
//! diff`) and what the diff must say of them: large API descriptions
//! generated from a seed ([`large_api`]: hundreds to thousands of densely
//! referenced schemas, in the shape of the largest public APIs), four
//! edits of each, and the verdict each edit must get ([`ScaleEdit::judge`]).
//! The benchmark times the diff on them; `cargo test` runs the smallest
//! once, for its verdicts only.

mod expected_verdicts;
mod large_api;
mod spelling;
mod wording;

use serde_json::Value;

pub use expected_verdicts::{JudgedChange, Verdict, WrongVerdict};
pub use large_api::SEED;

use self::{
    large_api::{DEEP_PROPERTY, Rendering},
    spelling::Spelling,
    wording::Wording,
};

/// An edit the benchmark times the diff on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleEdit {
    /// The same document, in two files.
    Identical,
    /// Every description reworded, nothing else.
    DescriptionsOnly,
    /// One property's type changed (integer to string), three objects down
    /// in the most widely shared schema.
    DeepSharedTypeChange,
    /// The same document written in OpenAPI 3.1: `nullable` as `null` in a
    /// type list, an enum or an `anyOf` branch, exclusive bounds as
    /// numbers, `example` as `examples`.
    MovedTo31,
}

/// Two versions of a generated document.
#[derive(Debug, Clone)]
pub struct EditedPair {
    pub old: Value,
    pub new: Value,
}

impl ScaleEdit {
    pub const ALL: [Self; 4] = [
        Self::Identical,
        Self::DescriptionsOnly,
        Self::DeepSharedTypeChange,
        Self::MovedTo31,
    ];

    /// What the edit is, in a few words.
    pub fn name(self) -> &'static str {
        match self {
            Self::Identical => "identical",
            Self::DescriptionsOnly => "descriptions only",
            Self::DeepSharedTypeChange => "type deep in a shared schema",
            Self::MovedTo31 => "3.0 moved to 3.1",
        }
    }

    /// What the diff must find, in a few words.
    pub fn expected(self) -> String {
        match self {
            Self::DeepSharedTypeChange => {
                format!("breaking at `{DEEP_PROPERTY}` only, each witnessed")
            }
            _ => "no contract change".into(),
        }
    }

    /// The generated document of about `megabytes` of YAML (OpenAPI 3.0),
    /// and the same with this edit made.
    pub fn pair(self, megabytes: u32) -> EditedPair {
        let base = Rendering {
            spelling: Spelling::OpenApi30,
            wording: Wording::Original,
            deep_type: "integer",
        };
        let edited = match self {
            Self::Identical => base,
            Self::DescriptionsOnly => Rendering {
                wording: Wording::Reworded,
                ..base
            },
            Self::DeepSharedTypeChange => Rendering {
                deep_type: "string",
                ..base
            },
            Self::MovedTo31 => Rendering {
                spelling: Spelling::OpenApi31,
                ..base
            },
        };
        let old = large_api::document(megabytes, base);
        let new = match self {
            Self::Identical => old.clone(),
            _ => large_api::document(megabytes, edited),
        };
        EditedPair { old, new }
    }
}

/// How large a document is, in the terms API descriptions are compared by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub paths: usize,
    pub operations: usize,
    pub schemas: usize,
}

impl Shape {
    pub fn of(document: &Value) -> Self {
        let count = |value: &Value| value.as_object().map_or(0, |object| object.len());
        let paths = document["paths"].as_object();
        Self {
            paths: paths.map_or(0, |paths| paths.len()),
            operations: paths.map_or(0, |paths| paths.values().map(count).sum()),
            schemas: count(&document["components"]["schemas"]),
        }
    }
}

/// A generated document as YAML, the form the largest public descriptions
/// are published in. A generated value always has a YAML form; an error
/// here is a defect of the generator, and says so.
pub fn to_yaml(document: &Value) -> Result<String, String> {
    serde_norway::to_string(document)
        .map_err(|error| format!("a generated document has no YAML form: {error}"))
}
