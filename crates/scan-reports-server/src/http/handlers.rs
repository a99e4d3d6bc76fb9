//! The two operations. Handlers are thin: validate, ask the backend, apply
//! the contract's ordering and filtering, answer.

use std::collections::{HashMap, HashSet};

use axum::{body::Bytes, extract::State, response::Response};

use super::{
    AppState,
    answer::{AnswerBuilder, data_answer, reports_answer},
    compression::{
        AcceptedEncoding, COMPRESS_FROM_BYTES, answer_made_now, compressed_answer, plain,
    },
    error::ApiError,
    extract::{ApiJson, Authenticated},
};
use crate::{
    api::{
        Json, MAX_REPORT_TYPES, MAX_SCAN_IDS, ReportType, ReportsOnDemandRequest, ScanStatusItem,
        ScanStatusesRequest,
    },
    backend::{BackendError, FoundScan, ReportsQuery},
};

/// scan-statuses, as [`crate::openapi`] documents it.
pub async fn scan_statuses(
    State(state): State<AppState>,
    Authenticated(account, _share): Authenticated,
    AcceptedEncoding(encoding): AcceptedEncoding,
    ApiJson(request): ApiJson<ScanStatusesRequest>,
) -> Result<Response, ApiError> {
    let ids = distinct_scan_ids(&request.scan_ids)?;
    let body = state
        .backend
        .statuses_answer(&account, &ids, statuses_body)
        .await
        .map_err(backend_failed("scan_statuses"))?;
    Ok(answer_made_now(
        AnswerBuilder::from_parts(vec![body]),
        encoding,
    ))
}

/// The body of a scan-statuses answer: the items found, in the contract's
/// order.
fn statuses_body(ids: &[i64], found: Vec<FoundScan>) -> Bytes {
    let items = in_request_order(ids, found);
    let mut parts = data_answer(b'[', b']', items.iter().map(|item| (None, item))).into_parts();
    // Items are small, so they were copied into one buffer (see `answer`).
    match parts.len() {
        1 => parts.remove(0),
        _ => Bytes::from(parts.concat()),
    }
}

/// The contract's order: first occurrence in the request. A backend's
/// answer for an id it was not asked about is dropped, and so is a second
/// answer for one id.
fn in_request_order(ids: &[i64], found: Vec<FoundScan>) -> Vec<Json<ScanStatusItem>> {
    // The read cache answers in request order already; checking costs one
    // pass and no hashing.
    let mut next = 0;
    let ordered = found.iter().all(|scan| {
        let place = ids[next..].iter().position(|id| *id == scan.id);
        place.map(|offset| next += offset + 1).is_some()
    });
    if ordered {
        return found.into_iter().map(|scan| scan.item).collect();
    }
    let mut by_id: HashMap<i64, _> = found.into_iter().map(|scan| (scan.id, scan.item)).collect();
    ids.iter().filter_map(|id| by_id.remove(id)).collect()
}

/// reports-on-demand, as [`crate::openapi`] documents it.
pub async fn reports_on_demand(
    State(state): State<AppState>,
    Authenticated(account, _share): Authenticated,
    AcceptedEncoding(encoding): AcceptedEncoding,
    ApiJson(request): ApiJson<ReportsOnDemandRequest>,
) -> Result<Response, ApiError> {
    let scan_id = valid_scan_id(request.scan_id, "scan_id")?;
    let report_types = distinct_report_types(&request.report_types)?;
    let query = ReportsQuery::new(scan_id, &report_types);
    let reports = state
        .backend
        .reports(&account, query)
        .await
        .map_err(backend_failed("reports"))?
        .ok_or_else(|| ApiError::scan_not_found(scan_id))?;
    let answer = reports_answer(&reports, &report_types);
    let Some(encoding) = encoding.filter(|_| answer.len() >= COMPRESS_FROM_BYTES) else {
        return Ok(plain(answer.into_response()));
    };
    // Made once per encoding and kept by the backend beside the reports.
    let body = state
        .backend
        .encoded_reports(&account, query, encoding.for_reports())
        .await
        .map_err(backend_failed("compressed reports"))?
        .ok_or_else(|| ApiError::scan_not_found(scan_id))?;
    Ok(compressed_answer(encoding, body))
}

/// A backend's failure, logged with the name of what failed.
fn backend_failed(what: &'static str) -> impl FnOnce(BackendError) -> ApiError {
    move |error| ApiError::backend(what, &error)
}

/// Liveness: the process answers. No credentials needed.
pub async fn healthz() -> &'static str {
    "ok"
}

fn valid_scan_id(id: i64, at: &str) -> Result<i64, ApiError> {
    if id >= 1 {
        Ok(id)
    } else {
        Err(invalid_scan_id(id, at))
    }
}

fn invalid_scan_id(id: i64, at: &str) -> ApiError {
    ApiError::invalid_request(format!("{at}: {id} is not a scan id; ids are 1 or more"))
}

/// The ids once each, in order of first occurrence.
pub fn distinct_scan_ids(ids: &[i64]) -> Result<Vec<i64>, ApiError> {
    if ids.is_empty() {
        return Err(ApiError::invalid_request(
            "scan_ids: at least 1 id is required",
        ));
    }
    if ids.len() > MAX_SCAN_IDS {
        return Err(ApiError::too_many_scan_ids(ids.len(), MAX_SCAN_IDS));
    }
    if let Some(index) = ids.iter().position(|id| *id < 1) {
        return Err(invalid_scan_id(ids[index], &format!("scan_ids[{index}]")));
    }
    // At most 500 ids: sorting a copy finds repeats without hashing, and
    // most requests have none.
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    if sorted.windows(2).all(|pair| pair[0] != pair[1]) {
        return Ok(ids.to_vec());
    }
    let mut seen = HashSet::with_capacity(ids.len());
    Ok(ids.iter().copied().filter(|id| seen.insert(*id)).collect())
}

/// The report types once each, in order of first occurrence.
pub fn distinct_report_types(names: &[String]) -> Result<Vec<ReportType>, ApiError> {
    if names.is_empty() {
        return Err(ApiError::invalid_request(
            "report_types: at least 1 report type is required",
        ));
    }
    if names.len() > MAX_REPORT_TYPES {
        return Err(ApiError::invalid_request(format!(
            "report_types holds {} types; at most {MAX_REPORT_TYPES} are allowed",
            names.len()
        )));
    }
    let mut distinct = Vec::new();
    for (index, name) in names.iter().enumerate() {
        let Some(report_type) = ReportType::parse(name) else {
            return Err(ApiError::unknown_report_type(unknown_report_type_message(
                index, name,
            )));
        };
        if !distinct.contains(&report_type) {
            distinct.push(report_type);
        }
    }
    Ok(distinct)
}

fn unknown_report_type_message(index: usize, name: &str) -> String {
    let known: Vec<&str> = ReportType::ALL.iter().map(|t| t.as_str()).collect();
    // The vendor's page once spells ITEMS_SEEN as ITEM_SEEN; say so.
    let normalized = name.trim().to_ascii_uppercase().replace(['-', ' '], "_");
    let suggestion = match normalized.as_str() {
        "ITEM_SEEN" | "ITEMS_SEEN" | "ITEMSEEN" | "ITEMSSEEN" => Some("ITEMS_SEEN"),
        "OOS" | "OUT_OF_STOCK" => Some("OOS"),
        _ => None,
    };
    let shown = if name.chars().count() > 64 {
        format!("{}…", name.chars().take(64).collect::<String>())
    } else {
        name.to_owned()
    };
    match suggestion {
        Some(known) => {
            format!("report_types[{index}]: unknown report type {shown:?}; did you mean {known:?}?")
        }
        None => format!(
            "report_types[{index}]: unknown report type {shown:?}; known types: {}",
            known.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_types_are_allowed_up_to_the_limit_and_no_further() {
        let names = |count: usize| vec!["OOS".to_owned(); count];
        let allowed = distinct_report_types(&names(MAX_REPORT_TYPES)).expect("allowed");
        assert_eq!(allowed.len(), 1);
        let refused = distinct_report_types(&names(MAX_REPORT_TYPES + 1)).expect_err("refused");
        assert!(
            refused.message.contains("at most 16"),
            "{}",
            refused.message
        );
    }

    #[test]
    fn an_unknown_type_is_shown_whole_up_to_64_characters() {
        let exactly = "x".repeat(64);
        assert!(unknown_report_type_message(0, &exactly).contains(&format!("{exactly:?}")));
        let longer = "y".repeat(65);
        let message = unknown_report_type_message(0, &longer);
        assert!(
            message.contains(&format!("{}…", "y".repeat(64))),
            "{message}"
        );
        assert!(!message.contains(&longer), "{message}");
    }
}
