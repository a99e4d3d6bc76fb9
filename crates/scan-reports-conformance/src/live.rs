//! The real server, on an ephemeral loopback port over the embedded store,
//! called by the generated client and by raw HTTP: every operation, auth
//! failures and rejected bodies. Every answer must have a documented status
//! and a body that satisfies the document's schema for it.

use std::sync::Arc;

use scan_reports_client::{Credentials, ErrorCode, ScanReportsClient, types::ReportType};
use scan_reports_contract::{Document, Outcome, json_schema};
use scan_reports_server::{AppState, Limits, demo, store::SqliteStore};
use serde_json::{Value, json};

const SCAN_STATUSES: &str = "/mobilesdkapi/facing/scan-statuses";
const REPORTS_ON_DEMAND: &str = "/mobilesdkapi/facing/reports-on-demand";

/// One raw request and the status the contract gives it.
struct Exchange {
    what: &'static str,
    path: &'static str,
    credentials: Option<(&'static str, &'static str)>,
    content_type: &'static str,
    body: String,
    status: u16,
}

fn exchanges() -> Vec<Exchange> {
    let demo = Some((demo::DEMO_USERNAME, demo::DEMO_TOKEN));
    let json = "application/json";
    let exchange = |what, path, credentials, content_type, body: String, status| Exchange {
        what,
        path,
        credentials,
        content_type,
        body,
        status,
    };
    vec![
        exchange(
            "the documented statuses request",
            SCAN_STATUSES,
            demo,
            json,
            r#"{"scan_ids": [1234, 5678]}"#.into(),
            200,
        ),
        exchange(
            "the documented reports request",
            REPORTS_ON_DEMAND,
            demo,
            json,
            r#"{"scan_id": 1234, "report_types": ["ITEMS_SEEN", "OOS"]}"#.into(),
            200,
        ),
        exchange(
            "reports of a scan still in progress",
            REPORTS_ON_DEMAND,
            demo,
            json,
            r#"{"scan_id": 5678, "report_types": ["OOS"]}"#.into(),
            200,
        ),
        exchange(
            "another account's scan",
            REPORTS_ON_DEMAND,
            Some((demo::OTHER_USERNAME, demo::OTHER_TOKEN)),
            json,
            r#"{"scan_id": 1234, "report_types": ["OOS"]}"#.into(),
            404,
        ),
        exchange(
            "no credentials",
            SCAN_STATUSES,
            None,
            json,
            r#"{"scan_ids": [1234]}"#.into(),
            401,
        ),
        exchange(
            "a wrong token",
            REPORTS_ON_DEMAND,
            Some(("demo", "wrong")),
            json,
            r#"{"scan_id": 1234, "report_types": ["OOS"]}"#.into(),
            401,
        ),
        exchange(
            "malformed JSON",
            SCAN_STATUSES,
            demo,
            json,
            r#"{"scan_ids": [1234"#.into(),
            400,
        ),
        exchange(
            "a text body",
            REPORTS_ON_DEMAND,
            demo,
            "text/plain",
            "scan_id=1234".into(),
            415,
        ),
        exchange(
            "501 ids",
            SCAN_STATUSES,
            demo,
            json,
            json!({"scan_ids": (1..=501).collect::<Vec<i64>>()}).to_string(),
            422,
        ),
        exchange(
            "the page's ITEM_SEEN",
            REPORTS_ON_DEMAND,
            demo,
            json,
            r#"{"scan_id": 1234, "report_types": ["ITEM_SEEN"]}"#.into(),
            422,
        ),
        exchange(
            "an unknown scan",
            REPORTS_ON_DEMAND,
            demo,
            json,
            r#"{"scan_id": 999999, "report_types": ["OOS"]}"#.into(),
            404,
        ),
        exchange(
            "a body over 64 KiB",
            SCAN_STATUSES,
            demo,
            json,
            format!(r#"{{"scan_ids": [{}]}}"#, vec!["1"; 40_000].join(",")),
            413,
        ),
    ]
}

/// The schema the document gives `status` of the POST on `path`.
fn response_schema<'a>(document: &'a Document, path: &str, status: u16) -> Option<&'a Value> {
    let pointer = format!(
        "/paths/{}/post/responses/{status}",
        scan_reports_contract::openapi_document::pointer_segment(path)
    );
    let response = document.value.pointer(&pointer)?;
    let response = match response.get("$ref").and_then(Value::as_str) {
        Some(reference) => document.resolve(reference)?,
        None => response,
    };
    response.pointer("/content/application~1json/schema")
}

async fn raw(
    http: &reqwest::Client,
    base: &str,
    exchange: &Exchange,
) -> Result<(u16, Value), String> {
    let mut request = http
        .post(format!("{base}{}", exchange.path))
        .header("content-type", exchange.content_type)
        .body(exchange.body.clone());
    if let Some((username, token)) = exchange.credentials {
        request = request
            .header("x-pensa-access-token", token)
            .header("x-cognito-username", username);
    }
    let response = request.send().await.map_err(|error| error.to_string())?;
    let status = response.status().as_u16();
    let text = response.text().await.map_err(|error| error.to_string())?;
    let body = serde_json::from_str(&text)
        .map_err(|_| format!("status {status}, body not JSON: {text}"))?;
    Ok((status, body))
}

async fn exercise(document: &Document, base: &str) -> Vec<String> {
    let mut failures = Vec::new();
    let http = reqwest::Client::new();
    for exchange in exchanges() {
        match raw(&http, base, &exchange).await {
            Err(error) => failures.push(format!("{}: {error}", exchange.what)),
            Ok((status, body)) => {
                if status != exchange.status {
                    failures.push(format!(
                        "{}: status {status}, expected {}: {body}",
                        exchange.what, exchange.status
                    ));
                }
                match response_schema(document, exchange.path, status) {
                    None => failures.push(format!(
                        "{}: status {status} is not documented",
                        exchange.what
                    )),
                    Some(schema) => match json_schema::validator(document, schema) {
                        Ok(validator) => failures.extend(
                            json_schema::violations(&validator, &body).into_iter().map(
                                |violation| format!("{} ({status}): {violation}", exchange.what),
                            ),
                        ),
                        Err(error) => failures.push(format!("{}: {error}", exchange.what)),
                    },
                }
            }
        }
    }

    let client = |username: &str, token: &str| {
        ScanReportsClient::new(base, Credentials::new(username, token))
    };
    let typed = async {
        let demo = client(demo::DEMO_USERNAME, demo::DEMO_TOKEN).map_err(|e| e.to_string())?;
        let items = demo
            .scan_statuses([1234, 5678])
            .await
            .map_err(|e| format!("scan_statuses: {e}"))?;
        if items.iter().map(|item| item.id).collect::<Vec<_>>() != [1234, 5678] {
            return Err("scan_statuses: not the documented scans".to_owned());
        }
        let reports = demo
            .reports_on_demand(1234, &[ReportType::ItemsSeen, ReportType::Oos])
            .await
            .map_err(|e| format!("reports_on_demand: {e}"))?;
        if reports.report(ReportType::ItemsSeen).is_none()
            || reports.report(ReportType::Oos).is_none()
        {
            return Err("reports_on_demand: a documented report is missing".to_owned());
        }
        let refused = client(demo::DEMO_USERNAME, "wrong")
            .map_err(|e| e.to_string())?
            .scan_statuses([1234])
            .await;
        match refused {
            Err(error) if error.code() == Some(&ErrorCode::InvalidCredentials) => Ok(()),
            other => Err(format!("a wrong token through the client: {other:?}")),
        }
    };
    if let Err(error) = typed.await {
        failures.push(format!("the generated client: {error}"));
    }
    failures
}

pub fn run(document: &Document) -> Outcome {
    let outcome = || -> Result<Vec<String>, String> {
        let directory = tempfile::tempdir().map_err(|error| error.to_string())?;
        let store = SqliteStore::open(&directory.path().join("live.sqlite3"))
            .map_err(|error| error.to_string())?;
        demo::seed(&store, 50).map_err(|error| error.to_string())?;
        let runtime = tokio::runtime::Runtime::new().map_err(|error| error.to_string())?;
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(|error| error.to_string())?;
            let address = listener.local_addr().map_err(|error| error.to_string())?;
            let state = AppState {
                backend: Arc::new(store.clone()),
                authenticator: Arc::new(store.clone()),
                limits: Limits::default(),
            };
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let server = tokio::spawn(scan_reports_server::serve(listener, state, async {
                let _ = stopped.await;
            }));
            let failures = exercise(document, &format!("http://{address}")).await;
            let _ = stop.send(());
            let _ = server.await;
            Ok(failures)
        })
    };
    let count = exchanges().len();
    match outcome() {
        Ok(failures) if failures.is_empty() => Outcome::pass(
            "live",
            format!(
                "{count} raw requests and the generated client against the server on loopback, all as documented"
            ),
        ),
        Ok(failures) => Outcome::fail(
            "live",
            format!("{} answers off the contract", failures.len()),
            failures,
        ),
        Err(error) => Outcome::fail("live", "the server could not be started", vec![error]),
    }
}
