//! Answers compressed when the client asks: `Accept-Encoding` negotiated
//! to zstd, brotli or gzip for bodies of at least [`COMPRESS_FROM_BYTES`],
//! with `Vary: Accept-Encoding` on every answer of the two operations.
//! Errors and small answers stay plain.
//!
//! A reports answer is compressed once per encoding and kept by the
//! backend (the read cache keeps it beside the reports), so a repeated
//! request costs a lookup, not a compression; a scan-statuses answer,
//! a different set of ids almost every time, is compressed as it is
//! made, at the encoders' fastest settings.

use std::io::Write;

use axum::{
    body::{Body, Bytes},
    extract::FromRequestParts,
    http::{HeaderMap, HeaderValue, header, request::Parts},
    response::{IntoResponse, Response},
};

use crate::{
    api::ReportType,
    backend::{FoundReports, ReportsEncoding},
};

use super::answer::{AnswerBuilder, reports_answer};

/// Bodies shorter than this go out plain: compressing them saves less than
/// the headers cost.
pub const COMPRESS_FROM_BYTES: usize = 1024;

/// An encoding the server compresses with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentEncoding {
    Zstd,
    Brotli,
    Gzip,
}

/// How hard to compress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    /// Made once and kept: time spent once for fewer bytes every time.
    Kept,
    /// Made for each answer: the fastest setting of each encoder.
    PerAnswer,
}

impl ContentEncoding {
    /// The server's choice among encodings a client accepts equally, best
    /// first: zstd compresses as small as brotli's middle settings in a
    /// fraction of the time; gzip is the one every client has.
    pub const PREFERRED: [Self; 3] = [Self::Zstd, Self::Brotli, Self::Gzip];

    /// Its `Content-Encoding` token.
    pub fn token(self) -> &'static str {
        match self {
            Self::Zstd => "zstd",
            Self::Brotli => "br",
            Self::Gzip => "gzip",
        }
    }

    /// The encoding `Accept-Encoding` ranks highest (ties go to
    /// [`Self::PREFERRED`]'s order), or `None` for a plain answer: no
    /// header, `identity` only, or nothing the server has. A malformed
    /// weight excludes its entry rather than guess at it.
    pub fn negotiate(headers: &HeaderMap) -> Option<Self> {
        let mut weights: [Option<u16>; 3] = [None; 3];
        let mut any: Option<u16> = None;
        let entries = headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','));
        for entry in entries {
            let mut pieces = entry.split(';');
            let name = pieces.next().unwrap_or("").trim();
            let weight = pieces
                .find_map(|parameter| {
                    let (key, value) = parameter.split_once('=')?;
                    key.trim()
                        .eq_ignore_ascii_case("q")
                        .then(|| thousandths(value.trim()))
                })
                .unwrap_or(Some(1000))
                .unwrap_or(0);
            if name == "*" {
                any = Some(weight);
            } else if let Some(index) = Self::PREFERRED
                .iter()
                .position(|encoding| encoding.token().eq_ignore_ascii_case(name))
            {
                weights[index] = Some(weight);
            }
        }
        let mut best: Option<(Self, u16)> = None;
        for (encoding, weight) in Self::PREFERRED.into_iter().zip(weights) {
            let weight = weight.or(any).unwrap_or(0);
            if weight > 0 && best.is_none_or(|(_, highest)| weight > highest) {
                best = Some((encoding, weight));
            }
        }
        best.map(|(encoding, _)| encoding)
    }

    /// `parts`, one after another, compressed.
    pub fn compress(self, parts: &[Bytes], effort: Effort) -> std::io::Result<Bytes> {
        let length: usize = parts.iter().map(Bytes::len).sum();
        // JSON shrinks several times over; a tenth is a fair first guess.
        let output = Vec::with_capacity(length / 8 + 64);
        let write_all = |writer: &mut dyn Write| -> std::io::Result<()> {
            parts.iter().try_for_each(|part| writer.write_all(part))
        };
        let compressed = match (self, effort) {
            (Self::Zstd, effort) => {
                let level = if effort == Effort::Kept { 9 } else { 1 };
                let mut encoder = zstd::stream::write::Encoder::new(output, level)?;
                encoder.include_contentsize(true)?;
                encoder.set_pledged_src_size(Some(length as u64))?;
                write_all(&mut encoder)?;
                encoder.finish()?
            }
            (Self::Brotli, effort) => {
                let quality = if effort == Effort::Kept { 6 } else { 1 };
                let mut encoder = brotli::CompressorWriter::new(output, 64 * 1024, quality, 22);
                write_all(&mut encoder)?;
                encoder.flush()?;
                encoder.into_inner()
            }
            (Self::Gzip, effort) => {
                let level = if effort == Effort::Kept { 9 } else { 1 };
                let mut encoder =
                    flate2::write::GzEncoder::new(output, flate2::Compression::new(level));
                write_all(&mut encoder)?;
                encoder.finish()?
            }
        };
        Ok(Bytes::from(compressed))
    }

    /// The reports answer in this encoding, as the backend keeps it.
    pub fn for_reports(self) -> ReportsEncoding {
        fn encode_with(
            encoding: ContentEncoding,
            reports: &FoundReports,
            report_types: &[ReportType],
        ) -> std::io::Result<Bytes> {
            encoding.compress(
                &reports_answer(reports, report_types).into_parts(),
                Effort::Kept,
            )
        }
        ReportsEncoding {
            name: self.token(),
            encode: match self {
                Self::Zstd => |reports, types| encode_with(ContentEncoding::Zstd, reports, types),
                Self::Brotli => {
                    |reports, types| encode_with(ContentEncoding::Brotli, reports, types)
                }
                Self::Gzip => |reports, types| encode_with(ContentEncoding::Gzip, reports, types),
            },
        }
    }
}

/// `"0.5"` as 500: a weight with at most three decimals, 0 to 1.
fn thousandths(weight: &str) -> Option<u16> {
    let (whole, fraction) = weight.split_once('.').unwrap_or((weight, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let fraction = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(fraction),
        "1" if fraction == 0 => Some(1000),
        _ => None,
    }
}

/// The encoding a request asked for, if the server has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcceptedEncoding(pub Option<ContentEncoding>);

impl<S: Send + Sync> FromRequestParts<S> for AcceptedEncoding {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(ContentEncoding::negotiate(&parts.headers)))
    }
}

/// An answer's body already compressed with `encoding`.
pub fn compressed_answer(encoding: ContentEncoding, body: Bytes) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CONTENT_ENCODING,
                HeaderValue::from_static(encoding.token()),
            ),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ],
        Body::from(body),
    )
        .into_response()
}

/// `answer`, compressed as it is made when `encoding` is asked for and the
/// body is large enough; plain otherwise. A compression that fails (it
/// writes to memory, so it should not) is logged and the answer sent plain.
pub fn answer_made_now(answer: AnswerBuilder, encoding: Option<ContentEncoding>) -> Response {
    let Some(encoding) = encoding.filter(|_| answer.len() >= COMPRESS_FROM_BYTES) else {
        return plain(answer.into_response());
    };
    let parts = answer.into_parts();
    match encoding.compress(&parts, Effort::PerAnswer) {
        Ok(body) => compressed_answer(encoding, body),
        Err(error) => {
            tracing::warn!(%error, encoding = encoding.token(), "compression failed; answering plain");
            plain(AnswerBuilder::from_parts(parts).into_response())
        }
    }
}

/// A plain answer of an operation: it says that asking for an encoding
/// could change it.
pub fn plain(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}
