//! The server's own wire types, written from the OpenAPI document and
//! independently of the generated client, so that the conformance checks
//! compare two readings of the contract rather than one with itself.
//!
//! Field order follows the published examples, so the server's JSON matches
//! them byte for byte.

use std::{collections::BTreeMap, fmt};

use axum::http::StatusCode;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::paths::Operation;

/// Integers in requests read as JSON Schema 2020-12 reads them.
mod integers;

/// A `T` held as the JSON text it serializes to. The store keeps JSON it
/// validated on the way in, and the server writes that text out as it is:
/// answering needs no decoding, re-encoding or re-validation.
///
/// The text is shared: a clone (from the read cache, say) and the bytes of
/// an answer ([`Json::to_bytes`]) point at the same memory, never a copy.
#[derive(Debug, Clone)]
pub struct Json<T> {
    text: std::sync::Arc<str>,
    of: std::marker::PhantomData<fn() -> T>,
}

impl<T: Serialize> Json<T> {
    pub fn new(value: &T) -> Result<Self, serde_json::Error> {
        Ok(Self {
            text: serde_json::to_string(value)?.into(),
            of: std::marker::PhantomData,
        })
    }
}

impl<T> Json<T> {
    /// Text a store once made from a `T`. It is trusted, as the store's
    /// own writing; only a text that is not an object at all (truncated,
    /// say) is refused.
    pub fn from_stored(text: String) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.starts_with('{') && trimmed.ends_with('}') {
            Ok(Self {
                text: text.into(),
                of: std::marker::PhantomData,
            })
        } else {
            let start: String = text.chars().take(40).collect();
            Err(format!("not a JSON object: {start:?}"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text as bytes of an answer, sharing its memory.
    pub fn to_bytes(&self) -> axum::body::Bytes {
        axum::body::Bytes::from_owner(SharedText(self.text.clone()))
    }

    pub fn decode(&self) -> Result<T, serde_json::Error>
    where
        T: serde::de::DeserializeOwned,
    {
        serde_json::from_str(&self.text)
    }
}

/// The owner [`Json::to_bytes`] lends its bytes from.
struct SharedText(std::sync::Arc<str>);

impl AsRef<[u8]> for SharedText {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// The most ids one scan-statuses request may carry.
pub const MAX_SCAN_IDS: usize = 500;
/// The most report types one reports-on-demand request may carry.
pub const MAX_REPORT_TYPES: usize = 16;

/// Deserializes a field that must be present but may be `null`. Serde would
/// otherwise treat a missing `Option` field as `null`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    Option::<T>::deserialize(deserializer)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanStatusesRequest {
    #[schema(min_items = 1, max_items = 500, value_type = Vec<ScanId>)]
    #[serde(deserialize_with = "integers::list")]
    pub scan_ids: Vec<i64>,
}

/// A scan id: 1 to 2^63-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToSchema)]
#[schema(value_type = i64, format = Int64, minimum = 1)]
pub struct ScanId(pub i64);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ScanStatusesResponse {
    pub data: Vec<ScanStatusItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ScanStatusItem {
    pub capture_type: CaptureType,
    pub created: Timestamp,
    pub fast_status: ScanStatus,
    pub frame_height: i32,
    pub frame_width: i32,
    pub has_out_of_service_segment: bool,
    pub id: i64,
    pub image_capture_quality: ImageCaptureQuality,
    pub publish: bool,
    pub scan_area_id: i64,
    pub scan_metadata: ScanMetadata,
    pub scan_timestamp: Timestamp,
    pub scanner_id: i64,
    pub shelf_scan_period_id: i64,
    pub status: ScanStatus,
}

/// Defines a struct whose every field must be present and may be `null`.
macro_rules! every_key_present {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $($(#[schema($($schema:tt)*)])? $field:ident: $type:ty,)+
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(
                #[serde(deserialize_with = "present")]
                #[schema(required = true $(, $($schema)*)?)]
                pub $field: Option<$type>,
            )+
        }
    };
}

every_key_present! {
    /// Capture metadata: every key always present, any value may be `null`.
    /// The default has every value `null`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
    pub struct ScanMetadata {
        application_id: String,
        device_network_name: String,
        device_network_type: String,
        focal_length: f64,
        frame_capture_rate: f64,
        guid: String,
        ignore_late_upload: bool,
        image_height: i32,
        image_width: i32,
        lens_distortion: Vec<f64>,
        lens_intrinsic_calibration: Vec<CalibrationEntry>,
        mobile_capture_completed: String,
        odr_status: String,
        #[schema(value_type = Option<Vec<Value>>)]
        pause_list: Vec<Value>,
        pipeline_name: String,
        sensor_physical_width_height: Vec<f64>,
        server_upload_started: String,
    }
}

/// One entry of `lens_intrinsic_calibration`: a number or a row of numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum CalibrationEntry {
    Number(f64),
    Row(Vec<f64>),
}

/// Defines a value of an open set: any non-empty text, stored and sent as
/// given. The schema names the known values as `x-extensible-enum`, as the
/// contract does, instead of a closed `enum`.
macro_rules! open_set {
    ($(#[$meta:meta])* $name:ident [$($known:literal),+ $(,)?]) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String")]
        pub struct $name(String);

        impl $name {
            pub const KNOWN: &'static [&'static str] = &[$($known),+];

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = &'static str;

            fn try_from(text: String) -> Result<Self, Self::Error> {
                if text.is_empty() { Err("an empty value") } else { Ok(Self(text)) }
            }
        }

        impl From<&'static str> for $name {
            fn from(text: &'static str) -> Self {
                Self(text.to_owned())
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                open_set_schema(Self::KNOWN)
            }
        }

        impl ToSchema for $name {}
    };
}

fn open_set_schema(known: &[&str]) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::{ObjectBuilder, Type, extensions::ExtensionsBuilder};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .extensions(Some(
            ExtensionsBuilder::new()
                .add("x-extensible-enum", serde_json::json!(known))
                .build(),
        ))
        .into()
}

open_set!(
    /// `status` and `fast_status`.
    ScanStatus ["IN_PROGRESS", "COMPLETE", "FAILED"]
);
open_set!(
    /// `capture_type`.
    CaptureType ["IMAGE"]
);
open_set!(
    /// `image_capture_quality`.
    ImageCaptureQuality ["UNIFORM"]
);

/// `YYYY-MM-DDTHH:MM:SS` with an optional 1-9 digit fraction and no offset,
/// kept as text so it is sent exactly as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String")]
#[schema(
    value_type = String,
    pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?$"
)]
pub struct Timestamp(String);

impl Timestamp {
    /// The text form of `value`, with `fraction_digits` (0 to 9) digits of fraction.
    pub fn from_naive(value: chrono::NaiveDateTime, fraction_digits: usize) -> Self {
        let whole = value.format("%Y-%m-%dT%H:%M:%S").to_string();
        if fraction_digits == 0 {
            return Self(whole);
        }
        let nanos = format!("{:09}", value.and_utc().timestamp_subsec_nanos());
        Self(format!("{whole}.{}", &nanos[..fraction_digits.min(9)]))
    }
}

impl TryFrom<String> for Timestamp {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        let (seconds, fraction) = match text.split_once('.') {
            Some((seconds, fraction)) => (seconds, Some(fraction)),
            None => (text.as_str(), None),
        };
        let fraction_ok = fraction.is_none_or(|digits| {
            (1..=9).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
        });
        // chrono alone accepts one-digit fields; the fixed length rules them out.
        let well_formed = seconds.len() == 19
            && fraction_ok
            && chrono::NaiveDateTime::parse_from_str(seconds, "%Y-%m-%dT%H:%M:%S").is_ok();
        if well_formed {
            Ok(Self(text))
        } else {
            Err(format!(
                "`{text}` is not a timestamp YYYY-MM-DDTHH:MM:SS[.fraction] without offset"
            ))
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A report type a caller may request.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
pub enum ReportType {
    #[serde(rename = "ITEMS_SEEN")]
    ItemsSeen,
    #[serde(rename = "OOS")]
    Oos,
}

impl ReportType {
    pub const ALL: [ReportType; 2] = [ReportType::ItemsSeen, ReportType::Oos];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ItemsSeen => "ITEMS_SEEN",
            Self::Oos => "OOS",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|known| known.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportsOnDemandRequest {
    #[schema(value_type = ScanId)]
    #[serde(deserialize_with = "integers::one")]
    pub scan_id: i64,
    /// Kept as text here so that an unknown type gets its own error code.
    #[schema(min_items = 1, max_items = 16, value_type = Vec<ReportType>)]
    pub report_types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReportsOnDemandResponse {
    /// Keyed by report type. The server only ever sends the types it knows,
    /// but the contract lets a newer server add types, so the key is text.
    pub data: BTreeMap<String, ReportWrapper>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReportWrapper {
    pub project_report_name: String,
    pub project_report_id: i64,
    pub project_name: String,
    pub project_id: i64,
    pub scan_id: i64,
    pub report: Report,
}

/// The report payload: `product_list`, and whatever richer properties were
/// stored with it, sent back unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Report {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub product_list: Option<Vec<Product>>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Product {
    pub brand: String,
    pub brand_id: i64,
    pub category: String,
    pub category_id: i64,
    pub manufacturer: String,
    pub manufacturer_id: i64,
    pub product: String,
    pub product_id: i64,
    pub upc: String,
    #[serde(flatten)]
    #[schema(ignore)]
    pub other: Map<String, Value>,
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// One of [`ErrorCode`] when this server sends it; kept as text so a
    /// body from a newer server still reads.
    #[schema(schema_with = ErrorCode::schema)]
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub request_id: Option<String>,
}

/// Defines [`ErrorCode`] from its table: one row a code, and everything
/// said about a code follows from its row.
macro_rules! error_codes {
    ($(
        $(#[$meta:meta])*
        $code:ident = $wire:literal, $status:ident, [$($operation:ident),*], $retry:literal, $description:expr;
    )+) => {
        /// Every error code this server sends. The contract's set is open (a
        /// client must accept codes it does not know), and so is the schema.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorCode {
            $($(#[$meta])* $code,)+
        }

        impl ErrorCode {
            pub const ALL: [ErrorCode; [$($wire),+].len()] = [$(Self::$code),+];

            /// The code as the body's `code` says it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$code => $wire,)+
                }
            }

            /// The status every response with this code has.
            pub const fn status(self) -> StatusCode {
                match self {
                    $(Self::$code => StatusCode::$status,)+
                }
            }

            /// The operations whose documentation lists this code's status
            /// for it; none for the codes only paths outside them get.
            pub const fn documented_by(self) -> &'static [Operation] {
                match self {
                    $(Self::$code => &[$(Operation::$operation),*],)+
                }
            }

            /// Whether responses with this code carry `Retry-After`.
            pub const fn asks_to_retry(self) -> bool {
                match self {
                    $(Self::$code => $retry,)+
                }
            }

            /// What the documented response of this code's status says, on
            /// the first code of each status an operation documents.
            pub const fn response_description(self) -> Option<&'static str> {
                match self {
                    $(Self::$code => $description,)+
                }
            }
        }
    };
}

error_codes! {
    // code              = wire name,                status,                 documented by,                     Retry-After, response description;
    MalformedJson        = "malformed_json",         BAD_REQUEST,            [ScanStatuses, ReportsOnDemand], false, Some("The body is not valid JSON.");
    MissingCredentials   = "missing_credentials",    UNAUTHORIZED,           [ScanStatuses, ReportsOnDemand], false, Some("Missing or invalid credentials.");
    InvalidCredentials   = "invalid_credentials",    UNAUTHORIZED,           [ScanStatuses, ReportsOnDemand], false, None;
    ScanNotFound         = "scan_not_found",         NOT_FOUND,              [ReportsOnDemand],               false, Some("The scan is unknown, or belongs to another account.");
    BodyTooLarge         = "body_too_large",         PAYLOAD_TOO_LARGE,      [ScanStatuses, ReportsOnDemand], false, Some("The body is too large.");
    UnsupportedMediaType = "unsupported_media_type", UNSUPPORTED_MEDIA_TYPE, [ScanStatuses, ReportsOnDemand], false, Some("The body is not JSON.");
    InvalidRequest       = "invalid_request",        UNPROCESSABLE_ENTITY,   [ScanStatuses, ReportsOnDemand], false, Some("The body breaks the request schema.");
    TooManyScanIds       = "too_many_scan_ids",      UNPROCESSABLE_ENTITY,   [ScanStatuses],                  false, None;
    UnknownReportType    = "unknown_report_type",    UNPROCESSABLE_ENTITY,   [ReportsOnDemand],               false, None;
    RateLimited          = "rate_limited",           TOO_MANY_REQUESTS,      [ScanStatuses, ReportsOnDemand], true,  Some("Too many requests.");
    Internal             = "internal",               INTERNAL_SERVER_ERROR,  [ScanStatuses, ReportsOnDemand], false, Some("The server failed.");
    Unavailable          = "unavailable",            SERVICE_UNAVAILABLE,    [ScanStatuses, ReportsOnDemand], true,  Some("Overloaded or shutting down.");
    NotFound             = "not_found",              NOT_FOUND,              [],                              false, None;
    MethodNotAllowed     = "method_not_allowed",     METHOD_NOT_ALLOWED,     [],                              false, None;
}

/// The seconds `Retry-After` asks a client to wait.
pub const RETRY_AFTER_SECONDS: u64 = 1;

impl ErrorCode {
    /// The contract's schema for error codes: an open set listing these.
    pub fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let known: Vec<&str> = Self::ALL.iter().map(|code| code.as_str()).collect();
        open_set_schema(&known)
    }
}
