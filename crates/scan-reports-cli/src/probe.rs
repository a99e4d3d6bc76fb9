//! `scan-reports probe`: does a server answer as the contract this binary
//! was built with says? A few read-only requests, sent raw (not through the
//! typed client, which would hide what it tolerates), each answer judged by
//! the document itself: a documented status, a JSON body, valid against the
//! response's schema (through `scan-reports-contract`'s JSON Schema
//! translation).

use std::{path::Path, time::Duration};

use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use scan_reports_client::{ACCESS_TOKEN_HEADER, USERNAME_HEADER};
use scan_reports_contract::{
    Document, Outcome, json_schema,
    openapi_document::{operation_path, pointer_segment},
};
use serde_json::{Value, json};

use crate::{
    connection::{Connection, Settings},
    exit::{Exit, Failure, one_line},
    render,
};

/// The contract the client was generated from, as this binary was built.
const DOCUMENT_YAML: &str = include_str!("../../../openapi/scan-reports.yaml");
const DOCUMENT_PATH: &str = "openapi/scan-reports.yaml";
/// A token no account has, for the probe of failed authentication.
const WRONG_TOKEN: &str = "scan-reports-probe-wrong-token";
const SCAN_STATUSES: &str = "scan_statuses";
const REPORTS_ON_DEMAND: &str = "reports_on_demand";
/// Violations shown per failed probe; more are counted.
const SHOWN_VIOLATIONS: usize = 10;

/// One request and the statuses that pass it.
struct Probe {
    /// The check's name in the output.
    check: &'static str,
    /// What is asked, for the summary.
    what: String,
    operation: &'static str,
    body: Value,
    wrong_token: bool,
    expected: &'static [u16],
}

/// What the server answered.
struct Answer {
    status: u16,
    content_type: Option<String>,
    text: String,
}

pub async fn run(connection: &Connection, scan_id: Option<i64>) -> Result<(), Failure> {
    let document = Document::parse(Path::new(DOCUMENT_PATH), DOCUMENT_YAML).map_err(|error| {
        Failure::new(
            Exit::Failure,
            format!("the embedded contract does not load: {error}"),
        )
    })?;
    // The same checks of the settings as every other command.
    connection.client()?;
    let settings = connection.settings()?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(connection_failure)?;
    let sender = Sender {
        http: &http,
        settings: &settings,
        document: &document,
    };

    let ids = match scan_id {
        Some(id) => vec![id],
        None => documented_scan_ids(&document),
    };
    let statuses = Probe {
        check: "statuses",
        what: match ids.as_slice() {
            [id] => format!("scan id {id}"),
            _ => format!("scan ids {}", list(&ids)),
        },
        operation: SCAN_STATUSES,
        body: json!({ "scan_ids": ids }),
        wrong_token: false,
        expected: &[200],
    };
    let answer = sender.send(&statuses).await?;
    if answer.status == 401 {
        let body: Value = serde_json::from_str(&answer.text).unwrap_or_default();
        let reason = match (body["code"].as_str(), body["message"].as_str()) {
            (Some(code), Some(message)) => format!("{code}: {message}"),
            _ => shorten(&answer.text),
        };
        return Err(Failure::new(
            Exit::Authentication,
            format!("the server refused the username or token: 401 {reason}"),
        ));
    }
    let mut outcomes = vec![judge(&document, &statuses, &answer)];

    // A scan the server knows, where there is one: its reports are the
    // richer answer. Otherwise a 404 is as documented an answer.
    let report_scan_id = scan_id
        .or_else(|| first_scan_id(&answer))
        .or_else(|| ids.first().copied())
        .unwrap_or(1);
    let report_types = documented_report_types(&document);
    let probes = [
        Probe {
            check: "reports",
            what: format!("scan {report_scan_id}, {}", report_types.join(" and ")),
            operation: REPORTS_ON_DEMAND,
            body: json!({ "scan_id": report_scan_id, "report_types": report_types }),
            wrong_token: false,
            expected: &[200, 404],
        },
        Probe {
            check: "auth",
            what: "a wrong token".to_owned(),
            operation: SCAN_STATUSES,
            body: json!({ "scan_ids": ids }),
            wrong_token: true,
            expected: &[401],
        },
        Probe {
            check: "rejection",
            what: "an empty list of scan ids".to_owned(),
            operation: SCAN_STATUSES,
            body: json!({ "scan_ids": [] }),
            wrong_token: false,
            expected: &[422],
        },
    ];
    for probe in &probes {
        let answer = sender.send(probe).await?;
        outcomes.push(judge(&document, probe, &answer));
    }

    let mut text: String = outcomes
        .iter()
        .map(|outcome| format!("{outcome}\n"))
        .collect();
    let failed = outcomes.iter().filter(|outcome| !outcome.passed).count();
    if failed == 0 {
        text.push_str(&format!("{} probes passed\n", outcomes.len()));
    }
    render::print(&text)?;
    match failed {
        0 => Ok(()),
        _ => Err(Failure::new(
            Exit::Server,
            format!(
                "{failed} of {} probes got answers the contract does not allow",
                outcomes.len()
            ),
        )),
    }
}

struct Sender<'a> {
    http: &'a reqwest::Client,
    settings: &'a Settings<'a>,
    document: &'a Document,
}

impl Sender<'_> {
    async fn send(&self, probe: &Probe) -> Result<Answer, Failure> {
        let path = operation_path(&self.document.value, probe.operation).ok_or_else(|| {
            Failure::new(
                Exit::Failure,
                format!("the contract has no operation {}", probe.operation),
            )
        })?;
        let url = format!("{}{path}", self.settings.url.trim_end_matches('/'));
        let token = if probe.wrong_token {
            WRONG_TOKEN
        } else {
            self.settings.token
        };
        let mut token = HeaderValue::from_str(token)
            .map_err(|_| Failure::usage("the access token is not a valid header value"))?;
        token.set_sensitive(true);
        let response = self
            .http
            .post(url)
            .header(HeaderName::from_static(ACCESS_TOKEN_HEADER), token)
            .header(USERNAME_HEADER, self.settings.username)
            .json(&probe.body)
            .send()
            .await
            .map_err(connection_failure)?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let text = response.text().await.map_err(connection_failure)?;
        Ok(Answer {
            status,
            content_type,
            text,
        })
    }
}

/// Whether `answer` is one the contract allows for `probe`, and why not.
fn judge(document: &Document, probe: &Probe, answer: &Answer) -> Outcome {
    let status = answer.status;
    let fail = |summary: String, details: Vec<String>| {
        Outcome::fail(probe.check, format!("{}: {summary}", probe.what), details)
    };
    let body_start = || vec![format!("body: {}", one_line(&shorten(&answer.text)))];
    let Some(response) = documented_response(document, probe.operation, status) else {
        return fail(
            format!("{status}, a status the contract does not document"),
            body_start(),
        );
    };
    if !probe.expected.contains(&status) {
        let expected: Vec<String> = probe.expected.iter().map(u16::to_string).collect();
        return fail(
            format!("{status} where {} was expected", expected.join(" or ")),
            body_start(),
        );
    }
    let is_json = answer
        .content_type
        .as_deref()
        .is_some_and(|value| value.split(';').next() == Some("application/json"));
    if !is_json {
        return fail(
            format!(
                "{status} with content-type {}, not application/json",
                answer.content_type.as_deref().unwrap_or("(none)")
            ),
            body_start(),
        );
    }
    let body: Value = match serde_json::from_str(&answer.text) {
        Ok(body) => body,
        Err(error) => {
            return fail(
                format!("{status} with a body that is not JSON: {error}"),
                body_start(),
            );
        }
    };
    let Some(schema) = response.pointer("/content/application~1json/schema") else {
        return fail(
            format!("{status}, whose body the contract does not describe"),
            vec![],
        );
    };
    let violations = match json_schema::validator(document, schema) {
        Ok(validator) => json_schema::violations(&validator, &body),
        Err(error) => vec![format!("the contract's schema does not compile: {error}")],
    };
    if violations.is_empty() {
        return Outcome::pass(
            probe.check,
            format!(
                "{}: {status}{}, as the contract says",
                probe.what,
                describe(&body)
            ),
        );
    }
    let mut details: Vec<String> = violations.iter().take(SHOWN_VIOLATIONS).cloned().collect();
    if violations.len() > SHOWN_VIOLATIONS {
        details.push(format!("and {} more", violations.len() - SHOWN_VIOLATIONS));
    }
    fail(
        format!("{status} with a body that breaks the contract"),
        details,
    )
}

/// The response the operation documents for `status`, `$ref` resolved.
fn documented_response<'a>(
    document: &'a Document,
    operation: &str,
    status: u16,
) -> Option<&'a Value> {
    let path = operation_path(&document.value, operation)?;
    let response = document.value.pointer(&format!(
        "/paths/{}/post/responses/{status}",
        pointer_segment(&path)
    ))?;
    match response.get("$ref").and_then(Value::as_str) {
        Some(reference) => document.resolve(reference),
        None => Some(response),
    }
}

/// What a valid body says, in a few words: its error code, or how much data.
fn describe(body: &Value) -> String {
    if let Some(code) = body.get("code").and_then(Value::as_str) {
        return format!(" {code}");
    }
    match body.get("data") {
        Some(Value::Array(scans)) => match scans.len() {
            1 => " with 1 scan".to_owned(),
            count => format!(" with {count} scans"),
        },
        Some(Value::Object(reports)) if reports.is_empty() => " with no report".to_owned(),
        Some(Value::Object(reports)) => format!(
            " with {}",
            reports.keys().cloned().collect::<Vec<_>>().join(" and ")
        ),
        _ => String::new(),
    }
}

/// The scan ids of the scan-statuses request's first example in the document.
fn documented_scan_ids(document: &Document) -> Vec<i64> {
    operation_path(&document.value, SCAN_STATUSES)
        .and_then(|path| {
            document.value.pointer(&format!(
                "/paths/{}/post/requestBody/content/application~1json/examples",
                pointer_segment(&path)
            ))
        })
        .and_then(Value::as_object)
        .and_then(|examples| examples.values().next())
        .and_then(|example| example.pointer("/value/scan_ids"))
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_i64).collect())
        .filter(|ids: &Vec<i64>| !ids.is_empty())
        .unwrap_or_else(|| vec![1])
}

/// Every report type the document knows.
fn documented_report_types(document: &Document) -> Vec<String> {
    document
        .resolve("#/components/schemas/ReportType")
        .and_then(|schema| schema.get("enum"))
        .and_then(Value::as_array)
        .map(|types| {
            types
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn first_scan_id(answer: &Answer) -> Option<i64> {
    let body: Value = serde_json::from_str(&answer.text).ok()?;
    body.pointer("/data/0/id")?.as_i64()
}

fn list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn shorten(text: &str) -> String {
    const SHOWN: usize = 200;
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// A failure of the raw requests, worded as the client words its own.
fn connection_failure(error: reqwest::Error) -> Failure {
    use scan_reports_client::Error;
    Failure::from(if error.is_timeout() {
        Error::Timeout(error)
    } else if error.is_connect() {
        Error::Connect(error)
    } else {
        Error::Transport(error)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Document {
        Document::parse(Path::new(DOCUMENT_PATH), DOCUMENT_YAML).expect("the contract loads")
    }

    #[test]
    fn requests_come_from_the_document() {
        let document = document();
        assert_eq!(documented_scan_ids(&document), [1234, 5678]);
        assert_eq!(documented_report_types(&document), ["ITEMS_SEEN", "OOS"]);
        for operation in [SCAN_STATUSES, REPORTS_ON_DEMAND] {
            for status in [200, 401, 422] {
                assert!(
                    documented_response(&document, operation, status).is_some(),
                    "{operation} {status}"
                );
            }
        }
        assert!(documented_response(&document, SCAN_STATUSES, 418).is_none());
    }
}
