//! Property-based conformance: instances generated from the document's own
//! schemas go through the JSON Schema validator, the client's types and the
//! server's types, and the two sides must agree; requests generated valid
//! and then broken go through the server's HTTP layer, which must accept
//! exactly the valid ones and answer every other with a documented 4xx
//! error body.

use std::time::Instant;

use proptest::prelude::*;
use scan_reports_client::types as client;
use scan_reports_contract::{Document, Outcome, canonical::required_names};
use scan_reports_server::api as server;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value, json};

pub use crate::property_runner::{Finding, Subject};
use crate::{
    exercises::Exercises,
    property_runner::{PropertyVerdict, interesting_keys, property},
    request_breakages::{
        breakage_applied, breakages, call, documented_statuses, server_judges_like_the_schema,
    },
};

/// Cases `cargo xtask check` runs, in all.
pub const DEFAULT_CASES: u32 = 12_000;
/// Cases `cargo test` runs, in all: a quick look; the gate runs more.
pub const TEST_CASES: u32 = 600;

pub(crate) const SCAN_STATUSES: &str = scan_reports_server::paths::SCAN_STATUSES;
pub(crate) const REPORTS_ON_DEMAND: &str = scan_reports_server::paths::REPORTS_ON_DEMAND;

/// The part of `value` the schema speaks of: undeclared properties dropped,
/// and optional properties without a value (absent, `null` or `[]`) dropped,
/// since Rust types may spell "no value" either way.
fn project(schema: &Value, value: &Value) -> Value {
    if let Some(branches) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
    {
        let fitting = branches.iter().find(|branch| fits_type(branch, value));
        return fitting.map_or_else(|| value.clone(), |branch| project(branch, value));
    }
    match value {
        Value::Object(object) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let required = required_names(schema);
            let additional = schema
                .get("additionalProperties")
                .filter(|s| s.get("type").is_some());
            let mut out = Map::new();
            for (name, child) in object {
                let child_schema = properties.and_then(|p| p.get(name)).or(additional);
                let Some(child_schema) = child_schema else {
                    continue;
                };
                let empty = child.is_null() || child.as_array().is_some_and(Vec::is_empty);
                if empty
                    && !required.contains(name)
                    && properties.is_some_and(|p| p.contains_key(name))
                {
                    continue;
                }
                out.insert(name.clone(), project(child_schema, child));
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            let item_schema = schema.get("items").cloned().unwrap_or(json!({}));
            Value::Array(
                items
                    .iter()
                    .map(|item| project(&item_schema, item))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

fn fits_type(schema: &Value, value: &Value) -> bool {
    match (schema.get("type").and_then(Value::as_str), value) {
        (Some("array"), Value::Array(_)) | (Some("object"), Value::Object(_)) => true,
        (Some("number"), Value::Number(_)) | (Some("string"), Value::String(_)) => true,
        (Some("integer"), Value::Number(number)) => number.is_i64() || number.is_u64(),
        (Some("boolean"), Value::Bool(_)) => true,
        _ => value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)),
    }
}

/// The document's instance goes through both sides' types, and what the
/// server writes reads back in the client as the same values.
fn round_trip<C, S>(subject: &Subject, instance: &Value) -> Finding
where
    C: DeserializeOwned + Serialize,
    S: DeserializeOwned + Serialize,
{
    let violations = subject.violations(instance);
    if !violations.is_empty() {
        return Err(format!(
            "the generator made an instance the schema refuses: {violations:?}"
        ));
    }
    let client: C = serde_json::from_value(instance.clone())
        .map_err(|error| format!("the client's type refuses a valid instance: {error}"))?;
    let server: S = serde_json::from_value(instance.clone())
        .map_err(|error| format!("the server's type refuses a valid instance: {error}"))?;
    let client_view = project(&subject.canonical, &encode(&client)?);
    let server_json = encode(&server)?;
    let server_view = project(&subject.canonical, &server_json);
    if client_view != server_view {
        return Err(format!(
            "client and server read it differently:\n  client: {client_view}\n  server: {server_view}"
        ));
    }
    let violations = subject.violations(&server_json);
    if !violations.is_empty() {
        return Err(format!(
            "the server writes what the schema refuses: {violations:?}"
        ));
    }
    let reread: C = serde_json::from_value(server_json)
        .map_err(|error| format!("the client cannot read what the server writes: {error}"))?;
    let reread_view = project(&subject.canonical, &encode(&reread)?);
    if reread_view != client_view {
        return Err(format!(
            "the client reads the server's output differently:\n  before: {client_view}\n  after:  {reread_view}"
        ));
    }
    Ok(())
}

fn encode<T: Serialize>(value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|error| format!("cannot serialize: {error}"))
}

/// Removes the `target`-th required property (counting in document order
/// through nested objects and arrays) from `value`; says which, if any.
fn remove_required(
    schema: &Value,
    value: &mut Value,
    target: usize,
    seen: &mut usize,
) -> Option<String> {
    if let Some(branches) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
    {
        let branch = branches.iter().find(|branch| fits_type(branch, value))?;
        return remove_required(branch, value, target, seen);
    }
    match value {
        Value::Object(object) => {
            let required = required_names(schema);
            for name in required {
                if object.contains_key(&name) {
                    if *seen == target {
                        object.remove(&name);
                        return Some(name);
                    }
                    *seen += 1;
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties");
            for (name, child) in object.iter_mut() {
                let Some(child_schema) = properties.and_then(|p| p.get(name)).or(additional) else {
                    continue;
                };
                if let Some(removed) = remove_required(child_schema, child, target, seen) {
                    return Some(format!("{name}.{removed}"));
                }
            }
            None
        }
        Value::Array(items) => {
            let item_schema = schema.get("items")?;
            items.iter_mut().enumerate().find_map(|(index, item)| {
                remove_required(item_schema, item, target, seen)
                    .map(|removed| format!("[{index}].{removed}"))
            })
        }
        _ => None,
    }
}

/// Without one of its required properties, an instance is refused by the
/// schema, the client's type and the server's type alike.
fn missing_required_refused<C: DeserializeOwned, S: DeserializeOwned>(
    subject: &Subject,
    instance: &Value,
    choice: usize,
) -> Finding {
    let mut count = 0;
    remove_required(
        &subject.canonical,
        &mut instance.clone(),
        usize::MAX,
        &mut count,
    );
    if count == 0 {
        return Ok(());
    }
    let mut broken = instance.clone();
    let removed = remove_required(&subject.canonical, &mut broken, choice % count, &mut 0)
        .ok_or("no required property to remove")?;
    if subject.violations(&broken).is_empty() {
        return Err(format!("without `{removed}` the schema still accepts it"));
    }
    if serde_json::from_value::<C>(broken.clone()).is_ok() {
        return Err(format!("without `{removed}` the client still reads it"));
    }
    if serde_json::from_value::<S>(broken).is_ok() {
        return Err(format!("without `{removed}` the server still reads it"));
    }
    Ok(())
}

/// Runs every property, `cases` in all, and says what each found.
fn verdicts(
    document: &Document,
    cases: u32,
    exercises: &Exercises,
) -> Result<Vec<PropertyVerdict>, String> {
    let keys = interesting_keys(&document.value);
    let subject = |name| Subject::new(document, name);
    let statuses_request = subject("ScanStatusesRequest")?;
    let reports_request = subject("ReportsOnDemandRequest")?;
    let statuses_response = subject("ScanStatusesResponse")?;
    let reports_response = subject("ReportsOnDemandResponse")?;
    let error = subject("Error")?;
    // The nine properties share `cases` in halves of `each`: 18 halves in
    // all, the rest to the first, so `--cases N` runs N.
    let half = (cases / 18).max(1);
    let each = half * 2;
    let rest = cases.saturating_sub(half * 18);

    let [statuses_agree, statuses_missing] =
        response_verdicts::<client::ScanStatusesResponse, server::ScanStatusesResponse>(
            &statuses_response,
            &keys,
            (SCAN_STATUSES, exercises),
            each * 2 + rest,
            each / 2,
        )?;
    let [reports_agree, reports_missing] =
        response_verdicts::<client::ReportsOnDemandResponse, server::ReportsOnDemandResponse>(
            &reports_response,
            &keys,
            (REPORTS_ON_DEMAND, exercises),
            each,
            each / 2,
        )?;
    let mut verdicts = vec![
        statuses_agree,
        reports_agree,
        statuses_missing,
        reports_missing,
    ];
    verdicts.push(property(
        "Error: schema, client and server agree".into(),
        each,
        error.strategy(&keys)?,
        |instance| round_trip::<client::Error, server::ErrorBody>(&error, instance),
    ));
    verdicts.extend(request_verdicts(
        document,
        &keys,
        each,
        [&statuses_request, &reports_request],
        (&error, exercises),
    )?);
    Ok(verdicts)
}

/// The properties of the 200 response of `path`, whose instances the
/// client reads as `C` and the server as `S`: schema, client and server
/// agree (`agree_cases`, each instance recorded as an answer), and a missing
/// required property is refused everywhere (`missing_cases`).
fn response_verdicts<C, S>(
    response: &Subject,
    keys: &[String],
    (path, exercises): (&'static str, &Exercises),
    agree_cases: u32,
    missing_cases: u32,
) -> Result<[PropertyVerdict; 2], String>
where
    C: DeserializeOwned + Serialize,
    S: DeserializeOwned + Serialize,
{
    let name = response.name;
    let agree = property(
        format!("{name}: schema, client and server agree"),
        agree_cases,
        response.strategy(keys)?,
        |instance| {
            exercises.record(path, Some(200), instance);
            round_trip::<C, S>(response, instance)
        },
    );
    let with_choice = (response.strategy(keys)?, any::<usize>())
        .prop_map(|(instance, choice)| json!([instance, choice]))
        .boxed();
    let missing = property(
        format!("{name}: a missing required property is refused everywhere"),
        missing_cases,
        with_choice,
        |pair| {
            let choice = pair[1].as_u64().unwrap_or(0) as usize;
            missing_required_refused::<C, S>(response, &pair[0], choice)
        },
    );
    Ok([agree, missing])
}

/// The request properties: valid requests read alike on both sides and are
/// accepted; broken ones are refused exactly when the schema refuses them.
fn request_verdicts(
    document: &Document,
    keys: &[String],
    each: u32,
    [statuses_request, reports_request]: [&Subject; 2],
    (error, exercises): (&Subject, &Exercises),
) -> Result<Vec<PropertyVerdict>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    let app = scan_reports_testkit::StubBackend::default().app();
    let answer = |path: &'static str| {
        let (runtime, app) = (&runtime, &app);
        move |body: &Value| call(runtime, app, (path, body), exercises)
    };
    let mut verdicts = Vec::new();
    for (request, path, name) in [
        (statuses_request, SCAN_STATUSES, "ScanStatusesRequest"),
        (reports_request, REPORTS_ON_DEMAND, "ReportsOnDemandRequest"),
    ] {
        let statuses = documented_statuses(document, path);
        let send = answer(path);
        let valid = request.strategy(keys)?;
        verdicts.push(property(
            format!("{name}: valid requests read alike and are accepted"),
            each / 2,
            valid.clone(),
            |instance| {
                match name {
                    "ScanStatusesRequest" => round_trip_request::<
                        client::ScanStatusesRequest,
                        server::ScanStatusesRequest,
                    >(request, instance),
                    _ => round_trip_request::<
                        client::ReportsOnDemandRequest,
                        server::ReportsOnDemandRequest,
                    >(request, instance),
                }?;
                server_judges_like_the_schema(request, error, &statuses, send, instance)
            },
        ));
        let broken = (valid, breakages())
            .prop_map(|(instance, breakage)| breakage_applied(&instance, &breakage))
            .boxed();
        verdicts.push(property(
            format!("{name}: the server refuses exactly what the schema refuses"),
            each + each / 2,
            broken,
            |instance| server_judges_like_the_schema(request, error, &statuses, send, instance),
        ));
    }
    Ok(verdicts)
}

/// Requests: the server reads what the client writes, the same way. (The
/// server does not write requests, so there is no way back.)
fn round_trip_request<C, S>(subject: &Subject, instance: &Value) -> Finding
where
    C: DeserializeOwned + Serialize,
    S: DeserializeOwned + std::fmt::Debug,
{
    let client: C = serde_json::from_value(instance.clone())
        .map_err(|error| format!("the client's type refuses a valid request: {error}"))?;
    let written = serde_json::to_value(&client).map_err(|error| error.to_string())?;
    if project(&subject.canonical, &written) != project(&subject.canonical, instance) {
        return Err(format!("the client writes it differently: {written}"));
    }
    serde_json::from_value::<S>(written)
        .map(drop)
        .map_err(|error| format!("the server's type refuses what the client writes: {error}"))
}

/// The `properties` line; every body sent or answered is recorded in
/// `exercises`.
pub fn run(document: &Document, cases: u32, exercises: &Exercises) -> Outcome {
    let started = Instant::now();
    let verdicts = match verdicts(document, cases, exercises) {
        Ok(verdicts) => verdicts,
        Err(error) => {
            return Outcome::fail("properties", "the properties cannot run", vec![error]);
        }
    };
    let elapsed = started.elapsed();
    let total: u32 = verdicts.iter().map(|verdict| verdict.cases).sum();
    let rate = f64::from(total) / elapsed.as_secs_f64().max(1e-9);
    let failures: Vec<String> = verdicts
        .iter()
        .filter_map(|verdict| {
            verdict
                .failure
                .as_ref()
                .map(|failure| format!("{}: {failure}", verdict.name))
        })
        .collect();
    let summary = format!(
        "{total} generated cases over {} properties in {:.1} s ({rate:.0} cases/s)",
        verdicts.len(),
        elapsed.as_secs_f64()
    );
    if failures.is_empty() {
        Outcome::pass("properties", summary)
    } else {
        Outcome::fail(
            "properties",
            format!("{summary}: {} failed", failures.len()),
            failures,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_properties_hold() {
        let document = Document::load_contract().expect("the contract loads");
        let outcome = run(&document, TEST_CASES, &Exercises::default());
        assert!(outcome.passed, "{outcome}");
        // `--cases N` runs N.
        assert!(
            outcome
                .summary
                .starts_with(&format!("{TEST_CASES} generated cases over 9 properties")),
            "{outcome}"
        );
    }

    #[test]
    fn a_disagreement_is_caught_and_shrunk() {
        let document = Document::load_contract().expect("the contract loads");
        let subject = Subject::new(&document, "Error").expect("schema");
        // A "server" that loses the request id.
        #[derive(serde::Serialize, serde::Deserialize)]
        struct Lossy {
            code: String,
            message: String,
        }
        let verdict = property(
            "lossy".into(),
            200,
            subject.strategy(&[]).expect("strategy"),
            |instance| round_trip::<client::Error, Lossy>(&subject, instance),
        );
        let failure = verdict.failure.expect("the loss is found");
        assert!(
            failure.contains("client and server read it differently"),
            "{failure}"
        );
        assert!(failure.contains("minimal failing instance"), "{failure}");
    }
}
