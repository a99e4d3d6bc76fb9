//! The service's timestamps: ISO 8601 without a UTC offset, with or without
//! a fraction of a second (`2025-10-04T11:16:36`, `2025-10-07T09:09:31.650788`).
//!
//! `chrono::DateTime<Utc>` (what `format: date-time` would generate) rejects
//! every one of them, and re-formatting a parsed value would change the
//! number of fraction digits. [`Timestamp`] keeps the text as received, so
//! it serializes back byte for byte, and converts for callers on demand.

use std::{cmp::Ordering, fmt, str::FromStr};

use chrono::{DateTime, NaiveDateTime, Utc};

/// A timestamp as the service sends it. See the module documentation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: String,
    value: NaiveDateTime,
}

/// Why a text is not a [`Timestamp`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{text}` is not a timestamp of the form YYYY-MM-DDTHH:MM:SS[.fraction] without offset: {reason}"
)]
pub struct TimestampError {
    text: String,
    reason: &'static str,
}

impl Timestamp {
    /// Parses exactly the form the service sends: `YYYY-MM-DDTHH:MM:SS`,
    /// then optionally `.` and 1 to 9 digits; no offset, no other spacing.
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        let error = |reason| TimestampError {
            text: text.to_owned(),
            reason,
        };
        check_shape(text).map_err(error)?;
        let value = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .map_err(|_| error("no such date or time"))?;
        Ok(Self {
            text: text.to_owned(),
            value,
        })
    }

    /// The text exactly as received.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The date and time, without a zone: the service does not say which
    /// zone its timestamps are in.
    pub fn naive(&self) -> NaiveDateTime {
        self.value
    }

    /// The date and time read as UTC. The service does not document its
    /// zone; call this only where UTC is known to be right.
    pub fn assume_utc(&self) -> DateTime<Utc> {
        self.value.and_utc()
    }
}

/// The shape check chrono does not do: it accepts one-digit fields and
/// other spellings the service never sends.
fn check_shape(text: &str) -> Result<(), &'static str> {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:dd";
    let bytes = text.as_bytes();
    if bytes.len() < SHAPE.len() {
        return Err("too short");
    }
    let (head, fraction) = bytes.split_at(SHAPE.len());
    for (&byte, &expected) in head.iter().zip(SHAPE) {
        let fits = match expected {
            b'd' => byte.is_ascii_digit(),
            literal => byte == literal,
        };
        if !fits {
            return Err("unexpected character");
        }
    }
    match fraction {
        [] => Ok(()),
        [b'.', digits @ ..]
            if (1..=9).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) =>
        {
            Ok(())
        }
        [b'.', ..] => Err("the fraction must have 1 to 9 digits"),
        _ => Err("unexpected text after the seconds (an offset?)"),
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<&str> for Timestamp {
    type Error = TimestampError;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        Self::parse(text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Chronological; equal instants spelled differently (`…:36` and `…:36.0`)
/// are ordered by their text so that the order agrees with `Eq`.
impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value
            .cmp(&other.value)
            .then_with(|| self.text.cmp(&other.text))
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The contract's `Timestamp` schema.
pub const PATTERN: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?$";

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> String {
        "Timestamp".into()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        crate::schema_of(serde_json::json!({"type": "string", "pattern": PATTERN}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Result<&str, &str>) {
        match (Timestamp::parse(text), expected) {
            (Ok(parsed), Ok(naive)) => {
                assert_eq!(parsed.naive().to_string(), naive, "{text}");
                let json = serde_json::to_string(&parsed).expect("encodes");
                assert_eq!(json, format!("\"{text}\""), "round trip of {text}");
            }
            (Err(error), Err(reason)) => {
                assert!(error.to_string().contains(reason), "{text}: {error}");
            }
            (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn accepts_what_the_service_sends_and_keeps_its_text() {
        check("2025-10-04T11:16:36", Ok("2025-10-04 11:16:36"));
        check(
            "2025-10-07T09:09:31.650788",
            Ok("2025-10-07 09:09:31.650788"),
        );
        check("2025-10-07T09:09:31.5", Ok("2025-10-07 09:09:31.500"));
        check("2025-10-07T09:09:31.500", Ok("2025-10-07 09:09:31.500"));
        check(
            "2025-10-07T09:09:31.123456789",
            Ok("2025-10-07 09:09:31.123456789"),
        );
    }

    #[test]
    fn refuses_other_forms() {
        check("2025-10-07T09:09:31Z", Err("offset"));
        check("2025-10-07T09:09:31+02:00", Err("offset"));
        check("2025-10-07 09:09:31", Err("unexpected character"));
        check("2025-1-07T09:09:31.5", Err("unexpected character"));
        check("2025-10-07", Err("too short"));
        check("2025-10-07T09:09:31.", Err("1 to 9 digits"));
        check("2025-10-07T09:09:31.1234567890", Err("1 to 9 digits"));
        check("2025-13-07T09:09:31", Err("no such date"));
        check("2025-02-30T09:09:31", Err("no such date"));
    }

    #[test]
    fn converts_to_utc_only_on_request() {
        let parsed = Timestamp::parse("2025-10-04T11:16:36").expect("parses");
        assert_eq!(
            parsed.assume_utc().to_rfc3339(),
            "2025-10-04T11:16:36+00:00"
        );
    }

    #[test]
    fn equal_instants_with_other_spelling_are_ordered_but_not_equal() {
        let short = Timestamp::parse("2025-10-04T11:16:36").expect("parses");
        let long = Timestamp::parse("2025-10-04T11:16:36.0").expect("parses");
        assert_ne!(short, long);
        assert!(short < long);
        let later = Timestamp::parse("2025-10-04T11:16:36.000001").expect("parses");
        assert!(long < later);
    }
}
