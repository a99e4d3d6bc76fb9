//! The real server, on an ephemeral loopback port over the embedded store,
//! called by the generated client and by raw HTTP: every operation, auth
//! failures and rejected bodies. Every answer must have a documented status
//! and a body that satisfies the document's schema for it.

use scan_reports_client::{Credentials, ErrorCode, ScanReportsClient, types::ReportType};
use scan_reports_contract::{Document, Outcome, json_schema};
use scan_reports_testkit::{DEMO, DemoStore, Exchange, Loopback, TestServer, exchanges};
use serde_json::Value;

use crate::exercises::Exercises;

/// The schema the document gives `status` of the POST on `path`.
fn response_schema<'a>(document: &'a Document, path: &str, status: u16) -> Option<&'a Value> {
    document.operation_at(path, "post")?.response_schema(status)
}

/// Sends `exchange`; returns the status and the body, which must be JSON.
async fn raw(
    http: &reqwest::Client,
    base: &str,
    exchange: &Exchange,
    exercises: &Exercises,
) -> Result<(u16, Value), String> {
    let (status, text) = exchange.send(http, base).await?;
    let body = serde_json::from_str(&text)
        .map_err(|_| format!("status {status}, body not JSON: {text}"))?;
    if let Ok(sent) = serde_json::from_str::<Value>(&exchange.body) {
        exercises.record(exchange.path, None, &sent);
    }
    exercises.record(exchange.path, Some(status), &body);
    Ok((status, body))
}

async fn exercise(document: &Document, base: &str, exercises: &Exercises) -> Vec<String> {
    let mut failures = Vec::new();
    let http = reqwest::Client::new();
    for exchange in exchanges() {
        match raw(&http, base, &exchange, exercises).await {
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
        let demo = client(DEMO.0, DEMO.1).map_err(|e| e.to_string())?;
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
        let refused = client(DEMO.0, "wrong")
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

/// The `live` line; every body sent or answered is recorded in `exercises`.
pub fn run(document: &Document, exercises: &Exercises) -> Outcome {
    let outcome = || -> Result<Vec<String>, String> {
        let server = TestServer::on_demo_store(DemoStore::new()?, Default::default());
        let runtime = tokio::runtime::Runtime::new().map_err(|error| error.to_string())?;
        runtime.block_on(async {
            let server = Loopback::start(server)
                .await
                .map_err(|error| error.to_string())?;
            let failures = exercise(document, &server.base_url(), exercises).await;
            server.stop().await.map_err(|error| error.to_string())?;
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
