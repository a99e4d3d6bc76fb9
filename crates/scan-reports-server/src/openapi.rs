//! The server's own OpenAPI document, derived by utoipa from the handlers
//! and wire types. It is a second reading of the contract: the conformance
//! checks compare it with the hand-authored `openapi/scan-reports.yaml`.
//! utoipa emits OpenAPI 3.1, so comparisons normalize both first.

use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, SecurityScheme},
};

use crate::{api, http::handlers};

#[derive(OpenApi)]
#[openapi(
    info(title = "Scan Reports API", version = "1.0.0"),
    paths(handlers::scan_statuses, handlers::reports_on_demand),
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

/// Both credential headers as API-key schemes; operations require them together.
struct CredentialHeaders;

impl Modify for CredentialHeaders {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, header) in [
            ("AccessToken", crate::http::extract::ACCESS_TOKEN_HEADER),
            ("CognitoUsername", "X-Cognito-Username"),
        ] {
            components.add_security_scheme(
                name,
                SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new(header))),
            );
        }
    }
}

/// The server's document, as utoipa derives it.
pub fn server_document() -> utoipa::openapi::OpenApi {
    ServerDocument::openapi()
}
