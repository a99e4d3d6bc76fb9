//! Compressed answers (`scan_reports_server::http::compression`): asked
//! for with `Accept-Encoding`, made once per encoding and kept in the read
//! cache, and never on errors or small answers.

use axum::{body::Body, http::Request};
use scan_reports_server::http::extract::{ACCESS_TOKEN_HEADER, USERNAME_HEADER};
use scan_reports_server::paths::{REPORTS_ON_DEMAND, SCAN_STATUSES};
use scan_reports_testkit::{DEMO, Reply, TestServer, add_large_report, decoded, generated_ids_of};
use serde_json::json;

/// A POST as the demo account, with `accept_encoding` when given.
async fn post(server: &TestServer, path: &str, body: &str, accept_encoding: Option<&str>) -> Reply {
    let mut request = Request::post(path)
        .header("content-type", "application/json")
        .header(ACCESS_TOKEN_HEADER, DEMO.1)
        .header(USERNAME_HEADER, DEMO.0);
    if let Some(accepted) = accept_encoding {
        request = request.header("accept-encoding", accepted);
    }
    let request = request.body(Body::from(body.to_owned())).expect("builds");
    server.call(request).await
}

fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

#[tokio::test]
async fn the_large_report_comes_compressed_in_each_encoding_and_decodes_to_the_plain_answer() {
    let server = TestServer::demo();
    let scan = add_large_report(server.store(), DEMO.0).expect("the large report");
    let cache = server.cache_answering().await;
    let body = json!({ "scan_id": scan, "report_types": ["ITEMS_SEEN"] }).to_string();
    let plain = post(&server, REPORTS_ON_DEMAND, &body, None).await;
    assert_eq!(plain.status, 200, "{}", plain.text);
    assert!(plain.bytes.len() > 1_900_000, "{} bytes", plain.bytes.len());
    assert_eq!(header(&plain, "content-encoding"), None);
    assert_eq!(header(&plain, "vary"), Some("accept-encoding"));
    for encoding in ["zstd", "br", "gzip"] {
        // Twice: the second answer is the body the cache kept.
        for _ in 0..2 {
            let reply = post(&server, REPORTS_ON_DEMAND, &body, Some(encoding)).await;
            assert_eq!(reply.status, 200);
            assert_eq!(header(&reply, "content-encoding"), Some(encoding));
            assert_eq!(header(&reply, "vary"), Some("accept-encoding"));
            assert_eq!(header(&reply, "content-type"), Some("application/json"));
            let ratio = reply.bytes.len() as f64 / plain.bytes.len() as f64;
            assert!(ratio <= 0.10, "{encoding}: {ratio:.3} of the plain bytes");
            let decoded = decoded(encoding, &reply.bytes).expect("decodes");
            assert!(decoded == plain.bytes, "{encoding}: not the plain answer");
        }
    }
    let counts = cache.counts().encoded_reports;
    assert_eq!((counts.misses, counts.hits), (3, 3), "{counts:?}");
}

#[tokio::test]
async fn the_client_s_preference_is_honoured_and_the_server_s_breaks_ties() {
    let server = TestServer::demo();
    let scan = add_large_report(server.store(), DEMO.0).expect("the large report");
    let body = json!({ "scan_id": scan, "report_types": ["ITEMS_SEEN"] }).to_string();
    for (accepted, expected) in [
        ("gzip, deflate, br, zstd", Some("zstd")),
        ("gzip;q=1, br;q=0.5", Some("gzip")),
        ("br;q=0.9, gzip;q=0.8", Some("br")),
        ("*", Some("zstd")),
        ("*;q=0.5, zstd;q=0", Some("br")),
        ("identity", None),
        ("gzip;q=0", None),
        ("deflate", None),
        ("gzip;q=not-a-number", None),
        ("", None),
    ] {
        let reply = post(&server, REPORTS_ON_DEMAND, &body, Some(accepted)).await;
        assert_eq!(reply.status, 200, "{accepted:?}");
        assert_eq!(header(&reply, "content-encoding"), expected, "{accepted:?}");
    }
}

#[tokio::test]
async fn errors_and_small_answers_stay_plain_and_many_statuses_are_compressed() {
    let server = TestServer::demo();
    let small = r#"{"scan_id": 1234, "report_types": ["ITEMS_SEEN"]}"#;
    let reply = post(&server, REPORTS_ON_DEMAND, small, Some("gzip")).await;
    assert_eq!(reply.status, 200);
    assert!(reply.bytes.len() < 1024, "{} bytes", reply.bytes.len());
    assert_eq!(header(&reply, "content-encoding"), None);
    assert_eq!(header(&reply, "vary"), Some("accept-encoding"));

    let missing = r#"{"scan_id": 999999999, "report_types": ["ITEMS_SEEN"]}"#;
    let reply = post(&server, REPORTS_ON_DEMAND, missing, Some("gzip")).await;
    assert_eq!(reply.status, 404);
    assert_eq!(header(&reply, "content-encoding"), None);
    assert_eq!(reply.json()["code"], "scan_not_found");

    let ids = generated_ids_of(DEMO.0);
    let statuses = json!({ "scan_ids": ids }).to_string();
    let plain = post(&server, SCAN_STATUSES, &statuses, None).await;
    assert!(plain.bytes.len() >= 1024, "{} bytes", plain.bytes.len());
    let reply = post(&server, SCAN_STATUSES, &statuses, Some("gzip")).await;
    assert_eq!(header(&reply, "content-encoding"), Some("gzip"));
    assert!(reply.bytes.len() < plain.bytes.len());
    assert!(decoded("gzip", &reply.bytes).expect("decodes") == plain.bytes);
}
