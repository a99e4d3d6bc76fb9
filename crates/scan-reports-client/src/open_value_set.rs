//! Open value sets: string values whose known members are typed, while a
//! value a newer server adds is kept as sent instead of failing the response.
//!
//! The document marks these schemas with `x-extensible-enum`; progenitor
//! would generate plain `String`s for them, so `cargo xtask codegen`
//! replaces them with the types defined here.

/// Defines an open value set: one variant per known value, plus
/// `Unrecognized(String)` holding any other value exactly as received.
macro_rules! open_value_set {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        ///
        /// A minor release of the client may add known values (variants):
        /// a `match` needs a wildcard arm. A value that becomes known moves
        /// from `Unrecognized` to its own variant.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )+
            /// A value this version of the client does not know, as received.
            Unrecognized(String),
        }

        impl $name {
            /// The values this version of the client knows, as sent on the wire.
            pub const KNOWN: &'static [&'static str] = &[$($text),+];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )+
                    Self::Unrecognized(other) => other,
                }
            }

            /// Whether this version of the client knows the value.
            pub fn is_recognized(&self) -> bool {
                !matches!(self, Self::Unrecognized(_))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $text => Self::$variant, )+
                    other => Self::Unrecognized(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Unrecognized(_) => Self::Unrecognized(value),
                    known => known,
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> String {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
                open_set_schema(Self::KNOWN)
            }
        }
    };
}

/// What the document says of every open set: a non-empty string, its known
/// values listed as `x-extensible-enum`.
fn open_set_schema(known: &[&str]) -> schemars::schema::Schema {
    crate::schema_of(serde_json::json!({
        "type": "string",
        "minLength": 1,
        "x-extensible-enum": known,
    }))
}

open_value_set! {
    /// A processing stage of a scan (`status` and `fast_status`).
    pub enum ScanStatus {
        /// The scan is still being processed.
        InProgress = "IN_PROGRESS",
        /// Processing finished; reports can be fetched. Final.
        Complete = "COMPLETE",
        /// Processing failed. Final.
        Failed = "FAILED",
    }
}

impl ScanStatus {
    /// Whether the scan will not change status any more. An unrecognized
    /// status is not final: the client cannot know.
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Complete | Self::Failed)
    }
}

open_value_set! {
    /// How a scan was captured.
    pub enum CaptureType {
        /// Still images.
        Image = "IMAGE",
    }
}

open_value_set! {
    /// The capture quality classification of a scan.
    pub enum ImageCaptureQuality {
        /// Uniform quality across the capture.
        Uniform = "UNIFORM",
    }
}

open_value_set! {
    /// The machine-readable code of an error response.
    pub enum ErrorCode {
        /// 400: the body is not valid JSON.
        MalformedJson = "malformed_json",
        /// 401: a credential header is missing or empty.
        MissingCredentials = "missing_credentials",
        /// 401: the token does not belong to the named user.
        InvalidCredentials = "invalid_credentials",
        /// 404: the scan is unknown, or belongs to another account.
        ScanNotFound = "scan_not_found",
        /// 413: the body is larger than the server accepts.
        BodyTooLarge = "body_too_large",
        /// 415: the body is not declared as JSON.
        UnsupportedMediaType = "unsupported_media_type",
        /// 422: the body breaks the request schema.
        InvalidRequest = "invalid_request",
        /// 422: more scan ids than one request may carry.
        TooManyScanIds = "too_many_scan_ids",
        /// 422: a report type the server does not know.
        UnknownReportType = "unknown_report_type",
        /// 429: too many requests from this caller.
        RateLimited = "rate_limited",
        /// 500: the server failed.
        Internal = "internal",
        /// 503: the server is overloaded or shutting down.
        Unavailable = "unavailable",
        /// 404 outside the documented operations: no such path.
        NotFound = "not_found",
        /// 405: a documented path called with another method.
        MethodNotAllowed = "method_not_allowed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(json: &str, expected: ScanStatus) {
        let decoded: ScanStatus = serde_json::from_str(json).expect("decodes");
        assert_eq!(decoded, expected);
        assert_eq!(serde_json::to_string(&decoded).expect("encodes"), json);
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
        check(r#""IN_PROGRESS""#, ScanStatus::InProgress);
        check(r#""COMPLETE""#, ScanStatus::Complete);
        check(r#""FAILED""#, ScanStatus::Failed);
        check(r#""QUEUED""#, ScanStatus::Unrecognized("QUEUED".into()));
        check(r#""complete""#, ScanStatus::Unrecognized("complete".into()));
    }

    #[test]
    fn only_complete_and_failed_are_final() {
        let finals: Vec<&str> = ScanStatus::KNOWN
            .iter()
            .filter(|value| ScanStatus::from(**value).is_final())
            .copied()
            .collect();
        assert_eq!(finals, ["COMPLETE", "FAILED"]);
        assert!(!ScanStatus::from("ARCHIVED").is_final());
    }

    #[test]
    fn a_non_string_is_still_an_error() {
        let error = serde_json::from_str::<ScanStatus>("7").expect_err("numbers are refused");
        assert!(error.to_string().contains("expected a string"), "{error}");
    }
}
