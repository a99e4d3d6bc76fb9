//! Whether a deployment compresses: the reports probe's request sent twice
//! more without decoding, once asking for a plain answer and once for
//! every encoding the client decodes, and what came on the wire. The
//! contract allows either; it forbids an encoding the request did not
//! accept, and a compressed answer without `Vary: Accept-Encoding`.

use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, VARY};
use scan_reports_contract::Outcome;

use super::{Probe, Sender, connection_failure, verdict::AnswerVerdict};
use crate::exit::Failure;

/// What the compressed request accepts: what the client crate decodes.
const ACCEPTED: [&str; 3] = ["zstd", "br", "gzip"];
const CHECK: &str = "encoding";

/// One answer as it came: status, encoding and bytes on the wire.
struct OnTheWire {
    status: u16,
    encoding: Option<String>,
    varies_by_encoding: bool,
    bytes: usize,
}

async fn fetch(
    sender: &Sender<'_>,
    undecoded: &reqwest::Client,
    probe: &Probe,
    accept_encoding: &str,
) -> Result<OnTheWire, Failure> {
    let response = sender
        .request(undecoded, probe)?
        .header(ACCEPT_ENCODING, accept_encoding)
        .send()
        .await
        .map_err(connection_failure)?;
    let header = |name| {
        response
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .map(|value| value.trim().to_ascii_lowercase())
            .collect::<Vec<_>>()
    };
    let encoding = header(CONTENT_ENCODING)
        .into_iter()
        .find(|value| !value.is_empty() && value != "identity");
    let varies_by_encoding = header(VARY)
        .iter()
        .flat_map(|value| value.split(','))
        .any(|name| matches!(name.trim(), "accept-encoding" | "*"));
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(connection_failure)?.len();
    Ok(OnTheWire {
        status,
        encoding,
        varies_by_encoding,
        bytes,
    })
}

/// The compression check, on `reports`' request.
pub(super) async fn judge_compression(
    sender: &Sender<'_>,
    undecoded: &reqwest::Client,
    reports: &Probe,
) -> Result<AnswerVerdict, Failure> {
    let plain = fetch(sender, undecoded, reports, "identity").await?;
    let compressed = fetch(sender, undecoded, reports, &ACCEPTED.join(", ")).await?;
    let what = &reports.what;
    if let Some(encoding) = &plain.encoding {
        return Ok(AnswerVerdict::violated(Outcome::fail(
            CHECK,
            format!("{what}: answered in {encoding} to a request that accepts only identity"),
            vec![],
        )));
    }
    let verdict = match (&compressed.encoding, plain.status, compressed.status) {
        (None, 200, 200) => AnswerVerdict::passed(Outcome::pass(
            CHECK,
            format!(
                "{what}: plain, {} bytes, though the request accepted {} (small answers may stay plain)",
                plain.bytes,
                ACCEPTED.join(", ")
            ),
        )),
        (None, plain_status, compressed_status) => AnswerVerdict::passed(Outcome::pass(
            CHECK,
            format!(
                "{what}: not judged: answered {plain_status} plain and {compressed_status} when asked to compress"
            ),
        )),
        (Some(encoding), ..) if !ACCEPTED.contains(&encoding.as_str()) => {
            AnswerVerdict::violated(Outcome::fail(
                CHECK,
                format!(
                    "{what}: answered in {encoding}, which the request ({}) does not accept",
                    ACCEPTED.join(", ")
                ),
                vec![],
            ))
        }
        (Some(encoding), ..) if !compressed.varies_by_encoding => {
            AnswerVerdict::violated(Outcome::fail(
                CHECK,
                format!("{what}: answered in {encoding} without Vary: Accept-Encoding"),
                vec![],
            ))
        }
        (Some(encoding), ..) => {
            let share = compressed.bytes as f64 * 100.0 / plain.bytes.max(1) as f64;
            AnswerVerdict::passed(Outcome::pass(
                CHECK,
                format!(
                    "{what}: {encoding}, {} bytes on the wire for {} plain ({share:.1} %)",
                    compressed.bytes, plain.bytes
                ),
            ))
        }
    };
    Ok(verdict)
}
