//! Requests generated valid and then broken on purpose, and how the
//! server must judge them: accept exactly what the schema accepts, and
//! answer everything else with a documented 4xx and a valid error body.

use proptest::{prelude::*, sample::select, strategy::BoxedStrategy};
use scan_reports_contract::{Document, instances::integers_as_fractions};
use serde_json::{Value, json};

use crate::{
    app_exchange::exchange,
    exercises::Exercises,
    property_runner::{Finding, Subject},
};

/// A way to break a valid request.
#[derive(Debug, Clone)]
pub enum Breakage {
    RemoveProperty(usize),
    WrongType(usize, Value),
    OutOfRange(usize, Value),
    Oversize(usize, usize),
    Empty(usize),
    UnknownValue(usize, String),
    ExtraProperty(String),
    NotAnObject(Value),
    /// Every integer of a property written as a whole number with a
    /// fraction (`1234.0`, or `1e20` where large): still an integer to JSON
    /// Schema 2020-12 and to the contract, so no breakage at all, which the
    /// server must accept like the integer.
    WholeAsFraction(usize),
}

pub fn breakages() -> BoxedStrategy<Breakage> {
    let wrong = prop_oneof![
        Just(json!("text")),
        Just(json!(1.5)),
        Just(json!(null)),
        Just(json!({})),
        Just(json!(true)),
        Just(json!([["nested"]])),
    ];
    let out_of_range = select(vec![
        json!(0),
        json!(-1),
        json!(i64::MIN),
        json!(9_223_372_036_854_775_808_u64),
        json!(1e20),
        json!(2.5),
        json!("17"),
    ]);
    prop_oneof![
        any::<usize>().prop_map(Breakage::RemoveProperty),
        (any::<usize>(), wrong.clone()).prop_map(|(at, value)| Breakage::WrongType(at, value)),
        (any::<usize>(), out_of_range).prop_map(|(at, value)| Breakage::OutOfRange(at, value)),
        (any::<usize>(), 1usize..40).prop_map(|(at, extra)| Breakage::Oversize(at, extra)),
        any::<usize>().prop_map(Breakage::Empty),
        (any::<usize>(), "[A-Za-z_ ]{0,12}")
            .prop_map(|(at, text)| Breakage::UnknownValue(at, text)),
        "[a-z_]{1,10}".prop_map(Breakage::ExtraProperty),
        wrong.prop_map(Breakage::NotAnObject),
        any::<usize>().prop_map(Breakage::WholeAsFraction),
    ]
    .boxed()
}

/// `valid` broken as `breakage` says; the result may, by chance, still be
/// valid, which the property accounts for.
pub fn breakage_applied(valid: &Value, breakage: &Breakage) -> Value {
    let mut broken = valid.clone();
    let Value::Object(object) = &mut broken else {
        return broken;
    };
    let names: Vec<String> = object.keys().cloned().collect();
    let pick = |at: usize| names.get(at % names.len().max(1)).cloned();
    match breakage {
        Breakage::RemoveProperty(at) => {
            if let Some(name) = pick(*at) {
                object.remove(&name);
            }
        }
        Breakage::WrongType(at, value) => {
            if let Some(name) = pick(*at) {
                object.insert(name, value.clone());
            }
        }
        Breakage::OutOfRange(at, value) => {
            if let Some(name) = pick(*at) {
                match object.get_mut(&name) {
                    Some(Value::Array(items)) if !items.is_empty() => {
                        let index = at % items.len();
                        items[index] = value.clone();
                    }
                    Some(slot) => *slot = value.clone(),
                    None => {}
                }
            }
        }
        Breakage::Oversize(at, extra) => {
            if let Some(name) = pick(*at)
                && let Some(Value::Array(items)) = object.get_mut(&name)
                && let Some(first) = items.first().cloned()
            {
                // Past any plausible maxItems: the documented limits are 500 and 16.
                let target = if items.len() < 16 {
                    17 + extra
                } else {
                    501 + extra
                };
                items.resize(target, first);
            }
        }
        Breakage::Empty(at) => {
            if let Some(name) = pick(*at)
                && let Some(Value::Array(items)) = object.get_mut(&name)
            {
                items.clear();
            }
        }
        Breakage::UnknownValue(at, text) => {
            if let Some(name) = pick(*at)
                && let Some(Value::Array(items)) = object.get_mut(&name)
                && let Some(first) = items.first_mut()
                && first.is_string()
            {
                *first = Value::String(text.clone());
            }
        }
        Breakage::ExtraProperty(name) => {
            object.insert(format!("unknown_{name}"), json!(1));
        }
        Breakage::NotAnObject(value) => return value.clone(),
        Breakage::WholeAsFraction(at) => {
            if let Some(name) = pick(*at)
                && let Some(value) = object.get_mut(&name)
            {
                *value = integers_as_fractions(value);
            }
        }
    }
    broken
}

/// Sends `body` to the server's app with valid credentials.
pub fn call(
    runtime: &tokio::runtime::Runtime,
    app: &axum::Router,
    (path, body): (&str, &Value),
    exercises: &Exercises,
) -> Result<(u16, Value), String> {
    let (status, reply) = exchange(runtime, app, path, body)?;
    exercises.record(path, None, body);
    exercises.record(path, Some(status), &reply);
    Ok((status, reply))
}

/// The server accepts a request exactly when the schema does, and refuses
/// the rest with a documented status and a valid error body.
pub fn server_judges_like_the_schema(
    request: &Subject,
    error: &Subject,
    documented_statuses: &[u16],
    answer: impl Fn(&Value) -> Result<(u16, Value), String>,
    body: &Value,
) -> Finding {
    let valid = request.violations(body).is_empty();
    let (status, reply) = answer(body)?;
    match (valid, status) {
        (true, 200) => Ok(()),
        (true, status) => Err(format!("a valid request got {status}: {reply}")),
        (false, 200) => Err(format!(
            "an invalid request was accepted: {:?}",
            request.violations(body)
        )),
        (false, status) if !(400..500).contains(&status) => {
            Err(format!("an invalid request got {status}: {reply}"))
        }
        (false, status) if !documented_statuses.contains(&status) => Err(format!(
            "status {status} is not documented for this operation: {reply}"
        )),
        (false, _) => {
            let violations = error.violations(&reply);
            if violations.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "the error body breaks the Error schema: {violations:?}: {reply}"
                ))
            }
        }
    }
}

pub fn documented_statuses(document: &Document, path: &str) -> Vec<u16> {
    document
        .operation_at(path, "post")
        .map(|operation| operation.statuses())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `check(breakage, expected body)` on the documented request.
    fn check(breakage: Breakage, expected: Value) {
        let valid = json!({"scan_ids": [1234, 5678]});
        assert_eq!(
            breakage_applied(&valid, &breakage),
            expected,
            "{breakage:?}"
        );
    }

    #[test]
    fn breakages_do_what_they_say() {
        check(Breakage::RemoveProperty(0), json!({}));
        check(
            Breakage::WrongType(3, json!("text")),
            json!({"scan_ids": "text"}),
        );
        check(
            Breakage::OutOfRange(1, json!(0)),
            json!({"scan_ids": [1234, 0]}),
        );
        check(Breakage::Empty(0), json!({"scan_ids": []}));
        check(
            Breakage::ExtraProperty("page".into()),
            json!({"scan_ids": [1234, 5678], "unknown_page": 1}),
        );
        check(Breakage::NotAnObject(json!(true)), json!(true));
        let respelled = breakage_applied(
            &json!({"scan_ids": [1234, 5678]}),
            &Breakage::WholeAsFraction(0),
        );
        assert_eq!(respelled.to_string(), r#"{"scan_ids":[1234.0,5678.0]}"#);
        let oversized =
            breakage_applied(&json!({"scan_ids": vec![1; 20]}), &Breakage::Oversize(0, 2));
        assert_eq!(oversized["scan_ids"].as_array().map(Vec::len), Some(503));
    }
}
