//! The server's own OpenAPI document, derived by utoipa from the handlers
//! and wire types. It is a second reading of the contract: the conformance
//! checks compare it with the hand-authored `openapi/scan-reports.yaml`.
//! utoipa emits OpenAPI 3.1, so comparisons normalize both first.

use std::collections::BTreeMap;

use utoipa::{
    IntoResponses, Modify, OpenApi, PartialSchema,
    openapi::{
        ContentBuilder, Ref, RefOr,
        header::HeaderBuilder,
        response::{Response, ResponseBuilder},
        security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme},
    },
};

use crate::{
    api::{self, ErrorCode},
    paths::{self, Operation},
};

/// Declares how the document describes each operation, on a function
/// utoipa reads and nothing calls (the handlers are in `http::handlers`).
/// Every operation is a POST of a JSON body, answered with a JSON body or
/// the error responses of its codes; both credentials are required of
/// each by [`CredentialHeaders`].
macro_rules! operations {
    ($(
        $(#[doc = $summary:literal])+
        $name:ident: $path:ident, tag $tag:literal,
            $request:ident => $response:ident ($description:literal), $errors:ident;
    )+) => {$(
        $(#[doc = $summary])+
        #[utoipa::path(
            post,
            path = paths::$path,
            operation_id = stringify!($name),
            tag = $tag,
            request_body = api::$request,
            responses((status = 200, description = $description, body = api::$response), $errors)
        )]
        #[allow(dead_code)] // Only its derived documentation is used.
        fn $name() {}
    )+};
}

operations! {
    /// Fetch the processing status of one or more scans.
    scan_statuses: SCAN_STATUSES, tag "scans",
        ScanStatusesRequest => ScanStatusesResponse
            ("The status of each requested scan that exists and belongs to the caller."),
        ScanStatusesErrors;
    /// Fetch on-demand analytical reports for one scan.
    reports_on_demand: REPORTS_ON_DEMAND, tag "reports",
        ReportsOnDemandRequest => ReportsOnDemandResponse
            ("The requested reports that exist for the scan."),
        ReportsOnDemandErrors;
}

#[derive(OpenApi)]
#[openapi(
    // `version` is set from the contract by `server_document`.
    info(title = "Scan Reports API"),
    paths(scan_statuses, reports_on_demand),
    components(schemas(
        api::ScanStatusesRequest,
        api::ScanStatusesResponse,
        api::ScanStatusItem,
        api::ScanMetadata,
        api::CalibrationEntry,
        api::ReportsOnDemandRequest,
        api::ReportsOnDemandResponse,
        api::ReportWrapper,
        api::Report,
        api::Product,
        api::ReportType,
        api::ErrorBody,
    )),
    modifiers(&CredentialHeaders),
    tags(
        (name = "scans", description = "Processing status of shelf scans."),
        (name = "reports", description = "Analytical reports computed from a processed scan."),
    )
)]
struct ServerDocument;

/// Both credential headers as API-key schemes, which every operation
/// requires together.
struct CredentialHeaders;

impl Modify for CredentialHeaders {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut both = SecurityRequirement::default();
        for (name, header) in [
            ("AccessToken", crate::http::extract::ACCESS_TOKEN_HEADER),
            (
                "CognitoUsername",
                crate::http::extract::USERNAME_HEADER_AS_DOCUMENTED,
            ),
        ] {
            components.add_security_scheme(
                name,
                SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new(header))),
            );
            both = both.add(name, Vec::<String>::new());
        }
        for operation in openapi
            .paths
            .paths
            .values_mut()
            .flat_map(|item| &mut item.post)
        {
            operation.security = Some(vec![both.clone()]);
        }
    }
}

/// The server's document, as utoipa derives it.
pub fn server_document() -> utoipa::openapi::OpenApi {
    let mut document = ServerDocument::openapi();
    // The version is the contract's this server embeds, rather than a
    // literal here that would fall behind the document's releases.
    if let Some(version) = crate::contract_document::value()
        .ok()
        .and_then(|contract| contract.pointer("/info/version"))
        .and_then(serde_json::Value::as_str)
    {
        document.info.version = version.to_owned();
    }
    document
}

/// The error responses of scan-statuses, from the table of error codes.
struct ScanStatusesErrors;

impl IntoResponses for ScanStatusesErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        documented_errors(Operation::ScanStatuses)
    }
}

/// The error responses of reports-on-demand, from the table of error codes.
struct ReportsOnDemandErrors;

impl IntoResponses for ReportsOnDemandErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        documented_errors(Operation::ReportsOnDemand)
    }
}

/// One response for each status of the codes `operation` documents, with
/// the error body, described by the first of its codes.
fn documented_errors(operation: Operation) -> BTreeMap<String, RefOr<Response>> {
    let mut responses = BTreeMap::new();
    for code in ErrorCode::ALL {
        if !code.documented_by().contains(&operation) {
            continue;
        }
        responses
            .entry(code.status().as_str().to_owned())
            .or_insert_with(|| error_response(code).into());
    }
    responses
}

fn error_response(code: ErrorCode) -> Response {
    let mut response = ResponseBuilder::new()
        .description(code.response_description().unwrap_or_default())
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        );
    if code.asks_to_retry() {
        response = response.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(u64::schema()))
                .description(Some("Seconds to wait before retrying."))
                .build(),
        );
    }
    response.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each status an operation documents is described by its first code,
    /// and by that code only.
    #[test]
    fn every_documented_status_has_one_description() {
        for operation in Operation::ALL {
            let mut described = BTreeMap::new();
            for code in ErrorCode::ALL {
                if !code.documented_by().contains(&operation) {
                    continue;
                }
                let first = !described.contains_key(&code.status());
                let description = code.response_description();
                assert_eq!(first, description.is_some(), "{operation:?}: {code:?}");
                described.entry(code.status()).or_insert(description);
            }
        }
    }
}
