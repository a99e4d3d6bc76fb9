//! The requests a live run sends, each with the status the contract gives
//! it: shared by the conformance check's live run and the load test.

use serde_json::json;

use crate::{DEMO, OTHER};
use scan_reports_server::{
    demo::FIRST_GENERATED_ID,
    http::extract::{ACCESS_TOKEN_HEADER, USERNAME_HEADER},
    paths::{REPORTS_ON_DEMAND, SCAN_STATUSES},
};

/// One request and the status the contract gives it.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub what: &'static str,
    pub path: &'static str,
    /// Username and token, when the request carries credentials.
    pub credentials: Option<(&'static str, &'static str)>,
    pub content_type: &'static str,
    pub body: String,
    pub status: u16,
}

impl Exchange {
    /// Sends the request to the server at `base_url`; returns the status
    /// and the body.
    pub async fn send(
        &self,
        http: &reqwest::Client,
        base_url: &str,
    ) -> Result<(u16, String), String> {
        let mut request = http
            .post(format!("{base_url}{}", self.path))
            .header("content-type", self.content_type)
            .body(self.body.clone());
        if let Some((username, token)) = self.credentials {
            request = request
                .header(ACCESS_TOKEN_HEADER, token)
                .header(USERNAME_HEADER, username);
        }
        let response = request.send().await.map_err(|error| error.to_string())?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(|error| error.to_string())?;
        Ok((status, text))
    }
}

/// Every kind of answer both operations give, on the demo data set.
pub fn exchanges() -> Vec<Exchange> {
    const JSON: &str = "application/json";
    fn ids(ids: impl IntoIterator<Item = i64>) -> String {
        json!({ "scan_ids": ids.into_iter().collect::<Vec<i64>>() }).to_string()
    }
    let exchange = |what, path, credentials, content_type, body: &str, status| Exchange {
        what,
        path,
        credentials,
        content_type,
        body: body.to_owned(),
        status,
    };
    let (demo, other) = (Some(DEMO), Some(OTHER));
    let documented = r#"{"scan_id": 1234, "report_types": ["ITEMS_SEEN", "OOS"]}"#;
    #[rustfmt::skip]
    let table = vec![
        exchange("the documented statuses request", SCAN_STATUSES, demo, JSON, r#"{"scan_ids": [1234, 5678]}"#, 200),
        exchange("100 generated ids", SCAN_STATUSES, demo, JSON, &ids((FIRST_GENERATED_ID..).take(100)), 200),
        exchange("the documented reports request", REPORTS_ON_DEMAND, demo, JSON, documented, 200),
        exchange("reports of a scan still in progress", REPORTS_ON_DEMAND, demo, JSON, r#"{"scan_id": 5678, "report_types": ["OOS"]}"#, 200),
        exchange("another account's scan", REPORTS_ON_DEMAND, other, JSON, r#"{"scan_id": 1234, "report_types": ["OOS"]}"#, 404),
        exchange("no credentials", SCAN_STATUSES, None, JSON, r#"{"scan_ids": [1234]}"#, 401),
        exchange("a wrong token", REPORTS_ON_DEMAND, Some((DEMO.0, "wrong")), JSON, r#"{"scan_id": 1234, "report_types": ["OOS"]}"#, 401),
        exchange("malformed JSON", SCAN_STATUSES, demo, JSON, r#"{"scan_ids": [1234"#, 400),
        exchange("a text body", REPORTS_ON_DEMAND, demo, "text/plain", "scan_id=1234", 415),
        exchange("501 ids", SCAN_STATUSES, demo, JSON, &ids(1..=501), 422),
        exchange("the page's ITEM_SEEN", REPORTS_ON_DEMAND, demo, JSON, r#"{"scan_id": 1234, "report_types": ["ITEM_SEEN"]}"#, 422),
        exchange("an unknown scan", REPORTS_ON_DEMAND, demo, JSON, r#"{"scan_id": 999999, "report_types": ["OOS"]}"#, 404),
        exchange("a body over 64 KiB", SCAN_STATUSES, demo, JSON, &ids(std::iter::repeat_n(1, 40_000)), 413),
        // The same refusals on the other operation: each operation documents them.
        exchange("no credentials for reports", REPORTS_ON_DEMAND, None, JSON, documented, 401),
        exchange("a wrong token for statuses", SCAN_STATUSES, Some((DEMO.0, "wrong")), JSON, r#"{"scan_ids": [1234]}"#, 401),
        exchange("malformed JSON for reports", REPORTS_ON_DEMAND, demo, JSON, r#"{"scan_id": 1234,"#, 400),
        exchange("a text body for statuses", SCAN_STATUSES, demo, "text/plain", "scan_ids=1234", 415),
        exchange("a reports body over 64 KiB", REPORTS_ON_DEMAND, demo, JSON, &format!(r#"{{"scan_id": 1234, "report_types": ["OOS"], "pad": "{}"}}"#, "x".repeat(70_000)), 413),
    ];
    table
}
