//! The generated client against raw reqwest + serde_json, decoding into the
//! same generated types, on the same server and payload (100 ids).

use std::{
    fmt::Write as _,
    net::SocketAddr,
    time::{Duration, Instant},
};

use scan_reports_client::{Credentials, RetryPolicy, ScanReportsClient, types};
use scan_reports_server::{
    demo::FIRST_GENERATED_ID,
    http::extract::{ACCESS_TOKEN_HEADER, USERNAME_HEADER},
    paths::SCAN_STATUSES,
};

use crate::{
    seed::{TOKEN, USERNAME},
    server_bench::verdict,
};

/// Who makes the calls.
#[derive(Debug, Clone)]
enum Caller {
    Generated(ScanReportsClient),
    Raw { http: reqwest::Client, url: String },
}

impl Caller {
    /// One scan-statuses call for `ids`, decoded.
    async fn call(&self, ids: &[i64], body: &str) -> Result<(), String> {
        match self {
            Self::Generated(client) => {
                let items = client
                    .scan_statuses(ids.iter().copied())
                    .await
                    .map_err(|e| e.to_string())?;
                std::hint::black_box(items);
            }
            Self::Raw { http, url } => {
                let response = http
                    .post(url)
                    .header("content-type", "application/json")
                    .header(ACCESS_TOKEN_HEADER, TOKEN)
                    .header(USERNAME_HEADER, USERNAME)
                    .body(body.to_owned())
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                let bytes = response.bytes().await.map_err(|e| e.to_string())?;
                let decoded: types::ScanStatusesResponse =
                    serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
                std::hint::black_box(decoded);
            }
        }
        Ok(())
    }
}

/// Calls per second of `tasks` tasks calling for `seconds`.
async fn calls_per_second(caller: &Caller, tasks: usize, seconds: f64) -> Result<f64, String> {
    let ids: Vec<i64> = (0..100).map(|i| FIRST_GENERATED_ID + i).collect();
    let body = serde_json::json!({ "scan_ids": ids }).to_string();
    let end = Instant::now() + Duration::from_secs_f64(seconds);
    let workers: Vec<_> = (0..tasks)
        .map(|_| {
            let (caller, ids, body) = (caller.clone(), ids.clone(), body.clone());
            tokio::spawn(async move {
                let mut calls = 0u64;
                while Instant::now() < end {
                    caller.call(&ids, &body).await?;
                    calls += 1;
                }
                Ok::<_, String>(calls)
            })
        })
        .collect();
    let mut calls = 0;
    for worker in workers {
        calls += worker.await.map_err(|e| e.to_string())??;
    }
    Ok(calls as f64 / seconds)
}

/// The Markdown table: the client's rate against raw reqwest's.
pub async fn run(address: SocketAddr, seconds: f64) -> Result<String, String> {
    let base = format!("http://{address}");
    let generated = Caller::Generated(
        ScanReportsClient::builder(&base, Credentials::new(USERNAME, TOKEN))
            .retry(RetryPolicy::none())
            .build()
            .map_err(|e| e.to_string())?,
    );
    let raw = Caller::Raw {
        http: reqwest::Client::new(),
        url: format!("{base}{SCAN_STATUSES}"),
    };
    let mut out = String::from(
        "| client, scan-statuses with 100 ids | tasks | calls/s | raw reqwest + serde_json calls/s | ratio | target |\n|---|---|---|---|---|---|\n",
    );
    for tasks in [1usize, 8] {
        // Raw first, then generated, then raw again: the average raw rate
        // cancels drift in the machine's speed over the run.
        let raw_before = calls_per_second(&raw, tasks, seconds).await?;
        let generated = calls_per_second(&generated, tasks, seconds).await?;
        let raw_after = calls_per_second(&raw, tasks, seconds).await?;
        let raw_rate = (raw_before + raw_after) / 2.0;
        let ratio = generated / raw_rate;
        let _ = writeln!(
            out,
            "| | {tasks} | {generated:.0} | {raw_rate:.0} | {ratio:.2} | ≥ 0.95 {} |",
            verdict(ratio >= 0.95)
        );
        eprintln!("client × {tasks}: {ratio:.2} of raw reqwest");
    }
    Ok(out)
}
