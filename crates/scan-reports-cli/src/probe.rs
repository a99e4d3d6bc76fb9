//! `scan-reports probe`: does a server answer as the contract this binary
//! was built with says? A few read-only requests, sent raw (not through the
//! typed client, which would hide what it tolerates), each answer judged by
//! the document itself: a documented status, a JSON body, valid against the
//! response's schema (through `scan-reports-contract`'s JSON Schema
//! translation). What a valid answer holds beyond the document is listed
//! too, as the deployment being ahead of it ([`additions`]).

mod additions;
mod compression;
mod verdict;

use std::{path::Path, time::Duration};

use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use scan_reports_client::{ACCESS_TOKEN_HEADER, USERNAME_HEADER};
use scan_reports_contract::{
    Document,
    dialects::{OPENAPI_3_0, rendition_3_0},
    openapi_document::{Dialect, operation_path, pointer_segment},
};
use serde_json::{Value, json};

use crate::{
    connection::{Connection, Settings},
    exit::{Exit, Failure},
    render,
};
use verdict::{conclude, judge};

/// The contract the client was generated from, as this binary was built.
const DOCUMENT_YAML: &str = include_str!("../../../openapi/scan-reports.yaml");
const DOCUMENT_PATH: &str = "openapi/scan-reports.yaml";
/// A token no account has, for the probe of failed authentication.
const WRONG_TOKEN: &str = "scan-reports-probe-wrong-token";
/// The operations' `operationId`s in the document (not their paths).
const SCAN_STATUSES_OPERATION_ID: &str = "scan_statuses";
const REPORTS_ON_DEMAND_OPERATION_ID: &str = "reports_on_demand";

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
    /// Where a successful answer holds a map keyed by report type.
    report_types_at: Option<&'static str>,
}

/// What the server answered.
struct Answer {
    status: u16,
    content_type: Option<String>,
    text: String,
}

pub async fn run(
    connection: &Connection,
    scan_id: Option<i64>,
    document: Option<&Path>,
) -> Result<(), Failure> {
    let document = contract(document)?;
    // The same checks of the settings as every other command.
    connection.client()?;
    let settings = connection.settings()?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(connection_failure)?;
    // The bytes as they come, to see whether the deployment compresses.
    let undecoded = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .no_zstd()
        .no_brotli()
        .no_gzip()
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
        operation: SCAN_STATUSES_OPERATION_ID,
        body: json!({ "scan_ids": ids }),
        wrong_token: false,
        expected: &[200],
        report_types_at: None,
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
    let mut verdicts = vec![judge(&document, &statuses, &answer)];

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
            operation: REPORTS_ON_DEMAND_OPERATION_ID,
            body: json!({ "scan_id": report_scan_id, "report_types": report_types }),
            wrong_token: false,
            expected: &[200, 404],
            report_types_at: Some("/data"),
        },
        Probe {
            check: "auth",
            what: "a wrong token".to_owned(),
            operation: SCAN_STATUSES_OPERATION_ID,
            body: json!({ "scan_ids": ids }),
            wrong_token: true,
            expected: &[401],
            report_types_at: None,
        },
        Probe {
            check: "rejection",
            what: "an empty list of scan ids".to_owned(),
            operation: SCAN_STATUSES_OPERATION_ID,
            body: json!({ "scan_ids": [] }),
            wrong_token: false,
            expected: &[422],
            report_types_at: None,
        },
    ];
    for probe in &probes {
        let answer = sender.send(probe).await?;
        verdicts.push(judge(&document, probe, &answer));
    }
    verdicts.push(compression::judge_compression(&sender, &undecoded, &probes[0]).await?);
    let (text, result) = conclude(&verdicts);
    render::print(&text)?;
    result
}

struct Sender<'a> {
    http: &'a reqwest::Client,
    settings: &'a Settings<'a>,
    document: &'a Document,
}

impl Sender<'_> {
    async fn send(&self, probe: &Probe) -> Result<Answer, Failure> {
        let response = self
            .request(self.http, probe)?
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

    /// `probe`'s request on `http`, ready to send.
    fn request(
        &self,
        http: &reqwest::Client,
        probe: &Probe,
    ) -> Result<reqwest::RequestBuilder, Failure> {
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
        Ok(http
            .post(url)
            .header(HeaderName::from_static(ACCESS_TOKEN_HEADER), token)
            .header(USERNAME_HEADER, self.settings.username)
            .json(&probe.body))
    }
}

/// The contract the answers are judged by: the embedded one, or `path` in
/// either dialect. A 3.1 document is read through its 3.0.3 rendition, the
/// dialect the checks below read.
fn contract(path: Option<&Path>) -> Result<Document, Failure> {
    let unusable = |error: String| Failure::new(Exit::Usage, error);
    let document = match path {
        Some(path) => Document::load(path).map_err(|error| unusable(error.to_string()))?,
        None => Document::parse(Path::new(DOCUMENT_PATH), DOCUMENT_YAML).map_err(|error| {
            Failure::new(
                Exit::Failure,
                format!("the embedded contract does not load: {error}"),
            )
        })?,
    };
    let value = rendition_3_0(&document).map_err(|error| unusable(error.to_string()))?;
    Ok(Document {
        value,
        dialect: Dialect::OpenApi30,
        version: OPENAPI_3_0.to_owned(),
        ..document
    })
}

/// The scan ids of the scan-statuses request's first example in the document.
fn documented_scan_ids(document: &Document) -> Vec<i64> {
    operation_path(&document.value, SCAN_STATUSES_OPERATION_ID)
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
    let types = document
        .resolve("#/components/schemas/ReportType/enum")
        .and_then(Value::as_array);
    types
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
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
    use crate::probe::verdict::documented_response;

    fn document() -> Document {
        Document::parse(Path::new(DOCUMENT_PATH), DOCUMENT_YAML).expect("the contract loads")
    }

    #[test]
    fn requests_come_from_the_document() {
        let document = document();
        assert_eq!(documented_scan_ids(&document), [1234, 5678]);
        assert_eq!(documented_report_types(&document), ["ITEMS_SEEN", "OOS"]);
        for operation in [SCAN_STATUSES_OPERATION_ID, REPORTS_ON_DEMAND_OPERATION_ID] {
            for status in [200, 401, 422] {
                assert!(
                    documented_response(&document, operation, status).is_some(),
                    "{operation} {status}"
                );
            }
        }
        assert!(documented_response(&document, SCAN_STATUSES_OPERATION_ID, 418).is_none());
    }
}
