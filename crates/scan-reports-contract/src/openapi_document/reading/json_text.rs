//! JSON text into a value, by JSON's own grammar: surrogate-pair escapes
//! read as the characters they encode, and each number from its text.

use json_event_parser::JsonEvent;
use serde_json::{Map, Number, Value};

use super::{DEEPEST_NESTING, ReadError, ReadProblem, TextSyntax};
use crate::text_places::{JsonTokens, LineColumns};

/// An object or a list being read.
enum Open {
    Object(Map<String, Value>, Option<String>),
    List(Vec<Value>),
}

pub(super) fn read(text: &str) -> Result<Value, ReadError> {
    let mut tokens = JsonTokens::new(text);
    let refused = |problem: ReadProblem, start: usize| ReadError {
        problem,
        place: Some(LineColumns::new(text).at(start)),
    };
    let mut open: Vec<Open> = Vec::new();
    let mut root = None;
    while let Some(token) = tokens.next() {
        let token = match token {
            Ok(token) => token,
            Err(error) => {
                return Err(ReadError {
                    place: Some(tokens.error_place(&error)),
                    problem: ReadProblem::Syntax {
                        syntax: TextSyntax::Json,
                        message: error.message().to_owned(),
                    },
                });
            }
        };
        let value = match token.event {
            JsonEvent::StartObject | JsonEvent::StartArray => {
                if open.len() >= DEEPEST_NESTING {
                    return Err(refused(ReadProblem::TooDeep, token.start));
                }
                open.push(if token.event == JsonEvent::StartObject {
                    Open::Object(Map::new(), None)
                } else {
                    Open::List(Vec::new())
                });
                continue;
            }
            JsonEvent::ObjectKey(key) => {
                if let Some(Open::Object(_, pending)) = open.last_mut() {
                    *pending = Some(key.into_owned());
                }
                continue;
            }
            JsonEvent::EndObject | JsonEvent::EndArray => match open.pop() {
                Some(Open::Object(members, _)) => Value::Object(members),
                Some(Open::List(items)) => Value::Array(items),
                None => continue,
            },
            JsonEvent::String(text) => Value::String(text.into_owned()),
            JsonEvent::Number(written) => number(&written),
            JsonEvent::Boolean(value) => Value::Bool(value),
            JsonEvent::Null => Value::Null,
            JsonEvent::Eof => break,
        };
        match open.last_mut() {
            // The grammar puts a key before every member's value.
            Some(Open::Object(members, pending)) => {
                members.insert(pending.take().unwrap_or_default(), value);
            }
            Some(Open::List(items)) => items.push(value),
            None => root = Some(value),
        }
    }
    Ok(root.unwrap_or(Value::Null))
}

/// A JSON number from its text, as YAML's reader reads the same text: an
/// integer of 64 bits as a number, a larger one as the string of its
/// digits (JSON writes integers without leading zeros or a `+`, so they
/// are already the digits YAML's reader gives), anything else as the
/// nearest `f64`, and beyond `f64`'s range as the string of its text
/// ([`crate::exact_number`] reads both strings exactly).
fn number(written: &str) -> Value {
    if !written.contains(['.', 'e', 'E']) {
        if let Ok(small) = written.parse::<i64>() {
            return Value::from(small);
        }
        if let Ok(large) = written.parse::<u64>() {
            return Value::from(large);
        }
        return Value::String(written.to_owned());
    }
    written
        .parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or_else(|| Value::String(written.to_owned()), Value::Number)
}
