//! Witnesses that are facts of an exchange rather than values: an
//! operation, a status, a response without a header, a request without a
//! parameter or a body, a media type, a set of credentials, a scheme, an
//! operation id, what an omitted value means. Each candidate is checked
//! against both canonical documents; one that exactly one admits is the
//! witness.

use serde_json::{Value, json};

use super::{
    Documents, Side, Witness,
    place::{follow, routes_or_nearest, whole_schema},
};
use crate::{
    breaking::{Change, security},
    canonical::SOURCE,
};

/// Whether a version, canonical, admits a fact.
type Admits = Box<dyn Fn(&Value, Side) -> bool>;

/// A fact to check, and whether a canonical document (a version) admits it.
struct Candidate {
    kind: &'static str,
    instance: Value,
    admitted: Admits,
}

fn candidate(
    kind: &'static str,
    instance: Value,
    admitted: impl Fn(&Value) -> bool + 'static,
) -> Candidate {
    Candidate {
        kind,
        instance,
        admitted: Box::new(move |document, _| admitted(document)),
    }
}

/// A fact each version's admitting is known of already: `[old, new]`.
fn known(kind: &'static str, instance: Value, admitted: [bool; 2]) -> Candidate {
    Candidate {
        kind,
        instance,
        admitted: Box::new(move |_, side| match side {
            Side::Old => admitted[0],
            Side::New => admitted[1],
        }),
    }
}

/// The schema at a change's place in one version: along the route whose
/// end is where the change was made, else the first.
fn at_place<'d>(documents: &'d Documents, change: &Change, side: Side) -> Option<&'d Value> {
    let place = super::values::place_of(documents, change)?;
    let tables = documents.tables();
    let whole = whole_schema(documents.side(side), &place)?;
    let source = match side {
        Side::Old => change.old_source.as_deref(),
        Side::New => change.new_source.as_deref(),
    };
    let ends: Vec<&Value> = routes_or_nearest(whole, &place, tables)
        .iter()
        .filter_map(|route| follow(whole, route, tables))
        .collect();
    ends.iter()
        .find(|end| end.get(SOURCE).and_then(Value::as_str) == source)
        .or(ends.first())
        .copied()
}

fn operation<'a>(document: &'a Value, key: &str) -> Option<&'a Value> {
    document.get("operations")?.get(key)
}

/// The candidates a change's place and words call for.
fn candidates(documents: &Documents, change: &Change) -> Vec<Candidate> {
    let parts: Vec<&str> = change.location.split(" › ").collect();
    let op = parts[0].to_owned();
    let mut found = Vec::new();
    match parts.as_slice() {
        [_] if change.change.starts_with("operationId") => {
            let id = operation(&documents.old, &op).map(|o| o["operationId"].clone());
            let op_key = op.clone();
            found.push(candidate(
                "operation id",
                json!({ "operationId": id }),
                move |doc| operation(doc, &op_key).map(|o| &o["operationId"]) == id.as_ref(),
            ));
        }
        [_] if change.location.starts_with("security scheme ") => {
            let name = change.location["security scheme ".len()..].to_owned();
            let definition = documents.old["securitySchemes"][&name].clone();
            found.push(candidate(
                "security scheme",
                json!({ "scheme": name, "definition": definition }),
                move |doc| doc["securitySchemes"][&name] == definition,
            ));
        }
        [_] => found.push(candidate(
            "operation",
            json!({ "operation": op }),
            move |doc| operation(doc, &op).is_some(),
        )),
        [_, "security"] => found.extend(security_candidates(documents, &op)),
        [_, "request"] => {
            for present in [false, true] {
                let op = op.clone();
                let instance = json!({ "body": if present { "present" } else { "absent" } });
                found.push(candidate("request", instance, move |doc| {
                    operation(doc, &op).is_some_and(|o| match o.get("requestBody") {
                        None => !present,
                        Some(body) => present || body["required"] != json!(true),
                    })
                }));
            }
        }
        [_, "request", body] if *body == "body" || body.starts_with("body ") => {
            let media = media_of(body);
            found.push(candidate(
                "request media type",
                json!({ "content-type": media }),
                move |doc| {
                    operation(doc, &op)
                        .is_some_and(|o| o["requestBody"]["content"].get(&media).is_some())
                },
            ));
        }
        [_, response, body]
            if response.starts_with("response ")
                && (*body == "body" || body.starts_with("body ")) =>
        {
            let status = response["response ".len()..].to_owned();
            let media = media_of(body);
            found.push(candidate(
                "accepted response media type",
                json!({ "status": status, "accept": media }),
                move |doc| {
                    operation(doc, &op)
                        .is_some_and(|o| o["responses"][&status]["content"].get(&media).is_some())
                },
            ));
        }
        [_, response] if response.starts_with("response ") => {
            let status = response["response ".len()..].to_owned();
            found.push(candidate(
                "status",
                json!({ "status": status }),
                move |doc| {
                    operation(doc, &op).is_some_and(|o| o["responses"].get(&status).is_some())
                },
            ));
        }
        [_, response, header]
            if response.starts_with("response ") && header.starts_with("header ") =>
        {
            let status = response["response ".len()..].to_owned();
            let name = header["header ".len()..].to_owned();
            let instance = json!({ "status": status, "headers": {}, "without": name });
            found.push(candidate("response", instance, move |doc| {
                operation(doc, &op).is_some_and(|o| {
                    o["responses"].get(&status).is_some()
                        && o["responses"][&status]["headers"][&name]["required"] != json!(true)
                })
            }));
        }
        [_, parameter] if parameter.starts_with("parameter ") => {
            found.extend(parameter_candidates(&op, &parameter["parameter ".len()..]));
        }
        _ => {}
    }
    if let Some(default) = default_candidate(documents, change) {
        found.push(default);
    }
    found.extend(promised_values(documents, change));
    found
}

/// The media type a location's `body` segment names: `body` alone is
/// JSON.
fn media_of(body: &str) -> String {
    body.strip_prefix("body ")
        .unwrap_or("application/json")
        .to_owned()
}

/// Known values removed from an open set: the set admits any value, but
/// the listed ones are what a server promises to accept.
fn promised_values(documents: &Documents, change: &Change) -> Vec<Candidate> {
    if !change
        .change
        .starts_with("known values removed from an open set")
    {
        return Vec::new();
    }
    let listed = |side: Side| -> Vec<Value> {
        at_place(documents, change, side)
            .and_then(|schema| schema.get("x-extensible-enum"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let new_values = listed(Side::New);
    listed(Side::Old)
        .into_iter()
        .filter(|value| !new_values.contains(value))
        .map(|value| {
            let instance = json!({ "promised_value": value, "at": change.location });
            known("promised value", instance, [true, false])
        })
        .collect()
}

/// Credentials of each requirement of either version, and none at all.
fn security_candidates(documents: &Documents, op: &str) -> Vec<Candidate> {
    let mut found = Vec::new();
    for document in [&documents.old, &documents.new] {
        let held = operation(document, op).map(|o| o["security"].clone());
        for credentials in security::requirements(&held.unwrap_or_default())
            .into_iter()
            .chain([Vec::new()])
        {
            let op = op.to_owned();
            let instance = json!({ "credentials": credentials });
            found.push(candidate("credentials", instance, move |doc| {
                operation(doc, &op).is_some_and(|o| {
                    security::lets_in(&security::requirements(&o["security"]), &credentials)
                })
            }));
        }
    }
    found
}

/// A request without the parameter, and one with it.
fn parameter_candidates(op: &str, name: &str) -> Vec<Candidate> {
    let mut found = Vec::new();
    for present in [false, true] {
        let (op, name) = (op.to_owned(), name.to_owned());
        let instance = if present {
            json!({ "parameters": [name] })
        } else {
            json!({ "parameters": [], "without": name })
        };
        found.push(candidate("request parameters", instance, move |doc| {
            operation(doc, &op).is_some_and(|o| match o["parameters"].get(&name) {
                None => !present,
                Some(declared) => present || declared["required"] != json!(true),
            })
        }));
    }
    found
}

/// A changed `default`: the fact is what an omitted value means.
fn default_candidate(documents: &Documents, change: &Change) -> Option<Candidate> {
    if !change.change.starts_with("default ") {
        return None;
    }
    let meaning = |side: Side| {
        at_place(documents, change, side)
            .and_then(|schema| schema.get("default"))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let (old, new) = (meaning(Side::Old), meaning(Side::New));
    let instance = json!({ "omitted_means": old, "at": change.location });
    Some(known(
        "meaning of an omitted value",
        instance,
        [true, old == new],
    ))
}

/// The first candidate exactly one version admits, as a witness.
pub(super) fn witness(documents: &Documents, change: &Change) -> Option<Witness> {
    candidates(documents, change)
        .into_iter()
        .find_map(|candidate| {
            let (in_old, in_new) = (
                (candidate.admitted)(&documents.old, Side::Old),
                (candidate.admitted)(&documents.new, Side::New),
            );
            let valid_in = match (in_old, in_new) {
                (true, false) => Side::Old,
                (false, true) => Side::New,
                _ => return None,
            };
            Some(Witness {
                kind: candidate.kind.to_owned(),
                instance: candidate.instance,
                valid_in,
                invalid_in: valid_in.other(),
                at: None,
            })
        })
}
