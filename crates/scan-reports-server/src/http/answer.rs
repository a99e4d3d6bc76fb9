//! Answers assembled from stored JSON texts without copying the large ones.
//!
//! An answer is `{"data": ...}` around stored texts. Small texts (a scan's
//! status item, under a kilobyte) are copied into one buffer: one write for
//! a hundred of them is cheaper than a hundred buffers. A large text (a
//! 10,000-product report, megabytes) goes out as the shared bytes the store
//! or the cache holds, beside the small buffers around it.

use std::{
    collections::VecDeque,
    convert::Infallible,
    pin::Pin,
    task::{Context, Poll},
};

use axum::{
    body::{Body, Bytes},
    http::header,
    response::{IntoResponse, Response},
};
use http_body::{Frame, SizeHint};

use crate::{
    api::{Json, ReportType},
    backend::FoundReports,
};

/// Texts at least this long are sent as shared bytes, not copied.
const SHARED_FROM_BYTES: usize = 16 * 1024;

/// Builds an answer's body from literal pieces and stored texts.
#[derive(Debug, Default)]
pub struct AnswerBuilder {
    parts: Vec<Bytes>,
    pending: Vec<u8>,
}

impl AnswerBuilder {
    /// A builder whose copied part will hold about `bytes`.
    pub fn with_capacity(bytes: usize) -> Self {
        Self {
            parts: Vec::new(),
            pending: Vec::with_capacity(bytes),
        }
    }

    /// Appends bytes of the answer's own making (brackets, keys, commas).
    pub fn push(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
    }

    /// How many bytes of `text` [`AnswerBuilder::push_json`] copies.
    pub fn copied_len<T>(text: &Json<T>) -> usize {
        let length = text.as_str().len();
        if length < SHARED_FROM_BYTES {
            length
        } else {
            0
        }
    }

    /// Appends a stored text: copied when small, shared when large.
    pub fn push_json<T>(&mut self, text: &Json<T>) {
        if text.as_str().len() < SHARED_FROM_BYTES {
            self.push(text.as_str().as_bytes());
        } else {
            self.flush();
            self.parts.push(text.to_bytes());
        }
    }

    fn flush(&mut self) {
        if !self.pending.is_empty() {
            self.parts
                .push(Bytes::from(std::mem::take(&mut self.pending)));
        }
    }

    /// The body's length so far, in bytes.
    pub fn len(&self) -> usize {
        self.parts.iter().map(Bytes::len).sum::<usize>() + self.pending.len()
    }

    /// Whether nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The body's parts, in order.
    pub fn into_parts(mut self) -> Vec<Bytes> {
        self.flush();
        self.parts
    }

    /// A builder of these parts, as [`AnswerBuilder::into_parts`] gave them.
    pub fn from_parts(parts: Vec<Bytes>) -> Self {
        Self {
            parts,
            pending: Vec::new(),
        }
    }

    /// The finished body, as `application/json`.
    pub fn into_response(mut self) -> Response {
        self.flush();
        let length = self.parts.iter().map(|part| part.len() as u64).sum();
        let body = AnswerBody {
            parts: self.parts.into(),
            remaining: length,
        };
        (
            [(header::CONTENT_TYPE, "application/json")],
            Body::new(body),
        )
            .into_response()
    }
}

/// `{"data": ...}` from stored JSON texts, each with its key where `data`
/// is an object. Its schema is [`crate::api::ScanStatusesResponse`] or
/// [`crate::api::ReportsOnDemandResponse`]; the conformance checks hold it
/// to them.
pub fn data_answer<'a, T: 'a>(
    open: u8,
    close: u8,
    entries: impl Iterator<Item = (Option<&'static str>, &'a Json<T>)> + Clone,
) -> AnswerBuilder {
    // Sized once: growing a 100 KB buffer by doubling copies it again.
    let copied: usize = entries
        .clone()
        .map(|(key, text)| key.map_or(0, str::len) + 4 + AnswerBuilder::copied_len(text))
        .sum();
    let mut answer = AnswerBuilder::with_capacity(copied + 16);
    answer.push(b"{\"data\":");
    answer.push(&[open]);
    for (index, (key, text)) in entries.enumerate() {
        if index > 0 {
            answer.push(b",");
        }
        if let Some(key) = key {
            // Keys are report type names: plain ASCII, nothing to escape.
            answer.push(b"\"");
            answer.push(key.as_bytes());
            answer.push(b"\":");
        }
        answer.push_json(text);
    }
    answer.push(&[close, b'}']);
    answer
}

/// A reports-on-demand answer: the reports of the types asked for, in the
/// order of [`ReportType`]; plain, or made into a compressed body.
pub fn reports_answer(reports: &FoundReports, report_types: &[ReportType]) -> AnswerBuilder {
    let entries = reports
        .iter()
        .filter(|(report_type, _)| report_types.contains(report_type))
        .map(|(report_type, report)| (Some(report_type.as_str()), report));
    data_answer(b'{', b'}', entries)
}

/// The parts of an answer, sent in order; its exact length is known, so the
/// answer carries `Content-Length` rather than chunked encoding.
#[derive(Debug)]
struct AnswerBody {
    parts: VecDeque<Bytes>,
    remaining: u64,
}

impl http_body::Body for AnswerBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let next = self.parts.pop_front();
        if let Some(part) = &next {
            self.remaining -= part.len() as u64;
        }
        Poll::Ready(next.map(|part| Ok(Frame::data(part))))
    }

    fn is_end_stream(&self) -> bool {
        self.parts.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ReportWrapper;

    /// The body, and the length it announces: hyper writes it as
    /// `Content-Length`.
    async fn body_of(builder: AnswerBuilder) -> (Option<u64>, String) {
        use http_body::Body as _;
        let response = builder.into_response();
        let length = response.body().size_hint().exact();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("reads");
        (length, String::from_utf8(bytes.to_vec()).expect("UTF-8"))
    }

    #[tokio::test]
    async fn small_and_large_texts_come_out_in_order_with_their_exact_length() {
        let small = Json::<ReportWrapper>::from_stored(r#"{"a":1}"#.to_owned()).expect("object");
        let large_text = format!(r#"{{"b":"{}"}}"#, "x".repeat(SHARED_FROM_BYTES));
        let large = Json::<ReportWrapper>::from_stored(large_text.clone()).expect("object");
        let mut builder = AnswerBuilder::default();
        builder.push(b"[");
        builder.push_json(&small);
        builder.push(b",");
        builder.push_json(&large);
        builder.push(b",");
        builder.push_json(&small);
        builder.push(b"]");
        let expected = format!(r#"[{{"a":1}},{large_text},{{"a":1}}]"#);
        let (length, text) = body_of(builder).await;
        assert_eq!(text, expected);
        assert_eq!(length, Some(expected.len() as u64));
    }

    #[test]
    fn a_large_text_is_shared_and_a_small_one_copied() {
        let large = Json::<ReportWrapper>::from_stored(format!(
            r#"{{"b":"{}"}}"#,
            "y".repeat(SHARED_FROM_BYTES)
        ))
        .expect("object");
        let mut builder = AnswerBuilder::default();
        builder.push(b"{");
        builder.push_json(&large);
        assert_eq!(builder.parts.len(), 2, "the brace, then the shared text");
        assert_eq!(
            builder.parts[1].as_ptr(),
            large.as_str().as_ptr(),
            "the very bytes the text holds"
        );
        let small = Json::<ReportWrapper>::from_stored("{}".to_owned()).expect("object");
        builder.push_json(&small);
        assert_eq!(builder.parts.len(), 2, "a small text waits in the buffer");
    }
}
