//! Compression over TCP: the 10,000-product report arrives compressed to
//! at most a tenth of its plain bytes and decodes to them, and the client
//! crate asks for compression unless told not to.

use scan_reports_client::{Credentials, ScanReportsClient, types::ReportType};
use scan_reports_server::{
    http::extract::{ACCESS_TOKEN_HEADER, USERNAME_HEADER},
    paths::REPORTS_ON_DEMAND,
};
use scan_reports_testkit::{DEMO, Loopback, TestServer, add_large_report, decoded};

/// The demo server with the large report, on loopback, and its scan id.
async fn start() -> (Loopback, i64) {
    let server = TestServer::demo();
    let scan = add_large_report(server.store(), DEMO.0).expect("the large report");
    server.cache_answering().await;
    (Loopback::start(server).await.expect("starts"), scan)
}

#[tokio::test]
async fn the_large_report_arrives_compressed_to_a_tenth_and_decodes_to_the_plain_bytes() {
    let (server, scan) = start().await;
    // No decoding on this side: the bytes are those on the wire.
    let raw = reqwest::Client::builder()
        .no_zstd()
        .no_brotli()
        .no_gzip()
        .build()
        .expect("a client");
    let url = format!("{}{REPORTS_ON_DEMAND}", server.base_url());
    let body = format!(r#"{{"scan_id": {scan}, "report_types": ["ITEMS_SEEN"]}}"#);
    let fetch = |accept_encoding: &'static str| {
        raw.post(&url)
            .header("content-type", "application/json")
            .header(ACCESS_TOKEN_HEADER, DEMO.1)
            .header(USERNAME_HEADER, DEMO.0)
            .header("accept-encoding", accept_encoding)
            .body(body.clone())
            .send()
    };
    let plain = fetch("identity").await.expect("answers");
    assert_eq!(plain.headers().get("content-encoding"), None);
    let plain = plain.bytes().await.expect("a body");
    for encoding in ["zstd", "br", "gzip"] {
        let reply = fetch(encoding).await.expect("answers");
        assert_eq!(reply.status(), 200);
        let announced = reply.content_length();
        assert_eq!(
            reply
                .headers()
                .get("content-encoding")
                .and_then(|v| v.to_str().ok()),
            Some(encoding)
        );
        let on_the_wire = reply.bytes().await.expect("a body");
        assert_eq!(announced, Some(on_the_wire.len() as u64));
        let share = on_the_wire.len() as f64 / plain.len() as f64;
        println!(
            "{encoding}: {} bytes on the wire for {} plain ({:.1} %)",
            on_the_wire.len(),
            plain.len(),
            share * 100.0
        );
        assert!(
            share <= 0.10,
            "{encoding}: {} of {} bytes ({share:.3})",
            on_the_wire.len(),
            plain.len()
        );
        let decoded = decoded(encoding, &on_the_wire).expect("decodes");
        assert!(decoded == plain, "{encoding}: decodes to other bytes");
    }
}

#[tokio::test]
async fn the_client_asks_for_compression_by_default_and_not_when_turned_off() {
    let (server, scan) = start().await;
    let counts = || {
        let cache = server.server().cache_answering();
        async move { cache.await.counts().encoded_reports }
    };
    let credentials = || Credentials::new(DEMO.0, DEMO.1);
    let compressing = ScanReportsClient::new(&server.base_url(), credentials()).expect("builds");
    let plain = ScanReportsClient::builder(&server.base_url(), credentials())
        .compression(false)
        .build()
        .expect("builds");

    let from_plain = plain
        .reports_on_demand(scan, &[ReportType::ItemsSeen])
        .await
        .expect("the report, plain");
    let before = counts().await;
    assert_eq!(
        before.hits + before.misses,
        0,
        "nothing asked for an encoding"
    );
    let from_compressed = compressing
        .reports_on_demand(scan, &[ReportType::ItemsSeen])
        .await
        .expect("the report, compressed");
    let after = counts().await;
    assert_eq!(
        after.hits + after.misses,
        1,
        "one compressed answer: {after:?}"
    );
    assert_eq!(
        serde_json::to_value(&from_compressed).expect("encodes"),
        serde_json::to_value(&from_plain).expect("encodes"),
    );
    let products = from_compressed
        .report(ReportType::ItemsSeen)
        .map(|report| report.report.product_list.len());
    assert_eq!(products, Some(10_000));
}
