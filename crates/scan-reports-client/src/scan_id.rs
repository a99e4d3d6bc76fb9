//! [`ScanId`]: the contract's `ScanId`, 1 to 2^63-1.
//!
//! typify would generate a `NonZeroU64`, which admits ids up to 2^64-1 that
//! the contract (and every scan's own `id`, an `i64`) rules out.

use std::fmt;

/// A scan id as the requests carry it: an integer from 1 to `i64::MAX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScanId(i64);

/// Why an integer is not a [`ScanId`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("scan id {0} is not a positive integer")]
pub struct ScanIdError(pub i64);

impl ScanId {
    pub fn new(id: i64) -> Result<Self, ScanIdError> {
        if id >= 1 {
            Ok(Self(id))
        } else {
            Err(ScanIdError(id))
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl TryFrom<i64> for ScanId {
    type Error = ScanIdError;

    fn try_from(id: i64) -> Result<Self, Self::Error> {
        Self::new(id)
    }
}

impl From<ScanId> for i64 {
    fn from(id: ScanId) -> Self {
        id.0
    }
}

impl fmt::Display for ScanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl serde::Serialize for ScanId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for ScanId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = i64::deserialize(deserializer)?;
        Self::new(id).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for ScanId {
    fn schema_name() -> String {
        "ScanId".into()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        crate::schema_of(serde_json::json!({"type": "integer", "format": "int64", "minimum": 1}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_positive_64_bit_ids_decode() {
        for (json, expected) in [
            ("1", Ok(1)),
            ("9223372036854775807", Ok(i64::MAX)),
            ("0", Err("scan id 0 is not a positive integer")),
            ("-3", Err("scan id -3 is not a positive integer")),
            ("9223372036854775808", Err("invalid value")),
            ("1.5", Err("invalid type")),
        ] {
            let decoded = serde_json::from_str::<ScanId>(json)
                .map(ScanId::get)
                .map_err(|e| e.to_string());
            match (decoded, expected) {
                (Ok(id), Ok(want)) => assert_eq!(id, want, "{json}"),
                (Err(error), Err(want)) => assert!(error.contains(want), "{json}: {error}"),
                (got, want) => panic!("{json}: got {got:?}, want {want:?}"),
            }
        }
    }
}
