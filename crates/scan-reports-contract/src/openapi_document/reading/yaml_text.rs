//! YAML text into a value, every integer kept exactly, aliases bounded.
//!
//! serde_norway replays an alias's events each time it is used, and stops
//! only after a hundred alias uses for every event of the text: one
//! anchored list of a hundred thousand items used a hundred thousand times
//! passes that check and expands to ten billion values. So the values
//! built here are counted, and the text may expand to at most one value
//! per byte of it, plus [`SMALL_TEXT_VALUES`]: written out without
//! aliases, a value takes at least two bytes, so a document may still
//! double itself through aliases, and no more.

use std::{cell::Cell, fmt};

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::{ReadError, ReadProblem, TextSyntax};

/// Values any text may expand to, however short.
const SMALL_TEXT_VALUES: usize = 1 << 16;

/// What serde_norway says when its own guards stop it; it has no kinds
/// of error to match instead, and a test holds these to its messages.
const ITS_ALIAS_GUARD: &str = "repetition limit exceeded";
const ITS_DEPTH_GUARD: &str = "recursion limit exceeded";

pub(super) fn read(text: &str) -> Result<Value, ReadError> {
    let budget = Budget {
        limit: text.len().saturating_add(SMALL_TEXT_VALUES),
        built: Cell::new(0),
        refused: Cell::new(None),
    };
    let error = match (ExactValue { budget: &budget })
        .deserialize(serde_norway::Deserializer::from_str(text))
    {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let place = error
        .location()
        .map(|location| (location.line(), location.column()));
    let message = error.to_string();
    let problem = match budget.refused.take() {
        Some(problem) => problem,
        None if message.starts_with(ITS_ALIAS_GUARD) => ReadProblem::AliasExpansion {
            limit: budget.limit,
        },
        None if message.starts_with(ITS_DEPTH_GUARD) => ReadProblem::TooDeep,
        None => ReadProblem::Syntax {
            syntax: TextSyntax::Yaml,
            message,
        },
    };
    Err(ReadError { problem, place })
}

/// How many values may be built, how many were, and why reading was
/// refused, if it was.
struct Budget {
    limit: usize,
    built: Cell<usize>,
    refused: Cell<Option<ReadProblem>>,
}

impl Budget {
    /// Counts one value built; an error once there are too many.
    fn spend<E: serde::de::Error>(&self) -> Result<(), E> {
        let built = self.built.get() + 1;
        self.built.set(built);
        if built > self.limit {
            return Err(self.refuse(ReadProblem::AliasExpansion { limit: self.limit }));
        }
        Ok(())
    }

    /// `problem` as the reader's error, remembered so that the caller
    /// reports it typed, not as a message.
    fn refuse<E: serde::de::Error>(&self, problem: ReadProblem) -> E {
        let message = problem.to_string();
        self.refused.set(Some(problem));
        E::custom(message)
    }
}

/// A JSON value, every integer kept exactly, every value counted.
#[derive(Clone, Copy)]
struct ExactValue<'b> {
    budget: &'b Budget,
}

impl<'de> DeserializeSeed<'de> for ExactValue<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ExactValue<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Value, E> {
        self.budget.spend()?;
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Value, E> {
        self.budget.spend()?;
        Ok(Value::from(value))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Value, E> {
        self.budget.spend()?;
        Ok(Value::from(value))
    }

    fn visit_i128<E: serde::de::Error>(self, value: i128) -> Result<Value, E> {
        self.budget.spend()?;
        Ok(i64::try_from(value)
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(value.to_string())))
    }

    fn visit_u128<E: serde::de::Error>(self, value: u128) -> Result<Value, E> {
        self.budget.spend()?;
        Ok(u64::try_from(value)
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(value.to_string())))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Value, E> {
        self.budget.spend()?;
        // Only `.inf` and `.nan` come here unfinished: serde_norway hands
        // a number beyond `f64`'s range (`1e400`) over as its text.
        Number::from_f64(value).map(Value::Number).ok_or_else(|| {
            self.budget.refuse(ReadProblem::NoJsonNumber {
                read_as: value.to_string(),
            })
        })
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Value, E> {
        self.budget.spend()?;
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Value, E> {
        self.budget.spend()?;
        Ok(Value::String(value))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.budget.spend()?;
        Ok(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.budget.spend()?;
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        self.budget.spend()?;
        let mut out = Vec::with_capacity(items.size_hint().unwrap_or(0).min(1 << 12));
        while let Some(item) = items.next_element_seed(self)? {
            out.push(item);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        self.budget.spend()?;
        let mut out = Map::new();
        // Keys such as `200:` are read as their text, as JSON spells them.
        while let Some(key) = entries.next_key::<String>()? {
            let value = entries.next_value_seed(self)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}
