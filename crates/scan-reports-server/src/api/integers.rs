//! Integers as JSON Schema 2020-12 reads them: any number with no
//! fractional part. The contract's 3.1 rendition says so, and clients write
//! them so (Python's `json.dumps(1.0)` is `1.0`, a large one `1e+20`): a
//! request whose id is `32801.0` or `1e3` means the id 32801 or 1000. A
//! number written with a fraction or an exponent is read as the double it
//! parses to, as every JSON reader holding doubles reads it.

use std::fmt;

use serde::{
    Deserializer,
    de::{Error, SeqAccess, Visitor},
};

/// The smallest double past `i64::MAX`: 2^63.
const PAST_I64: f64 = 9_223_372_036_854_775_808.0;

/// One integer, however it is written.
pub fn one<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(Integer)
}

/// A list of integers, however each is written.
pub fn list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<i64>, D::Error> {
    deserializer.deserialize_seq(Integers)
}

struct Integer;

impl Visitor<'_> for Integer {
    type Value = i64;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an integer")
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<i64, E> {
        Ok(value)
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<i64, E> {
        i64::try_from(value)
            .map_err(|_| E::custom(format!("{value} is past the largest integer, 2^63-1")))
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<i64, E> {
        if value.fract() != 0.0 || !value.is_finite() {
            return Err(E::custom(format!(
                "{value} has a fractional part, expected an integer"
            )));
        }
        if !(-PAST_I64..PAST_I64).contains(&value) {
            return Err(E::custom(format!(
                "{value} is past the integers of 64 bits"
            )));
        }
        // Whole and within range: the cast is exact.
        Ok(value as i64)
    }
}

struct Integers;

impl<'de> Visitor<'de> for Integers {
    type Value = Vec<i64>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a list of integers")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Vec<i64>, A::Error> {
        let mut found = Vec::with_capacity(items.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = items.next_element_seed(Seed)? {
            found.push(item);
        }
        Ok(found)
    }
}

struct Seed;

impl<'de> serde::de::DeserializeSeed<'de> for Seed {
    type Value = i64;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<i64, D::Error> {
        one(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Ids {
        #[serde(deserialize_with = "super::list")]
        ids: Vec<i64>,
    }

    /// `check(json text, the ids it means or the error's words)`.
    fn check(text: &str, expected: Result<&[i64], &str>) {
        let read = serde_json::from_str::<Ids>(text).map(|ids| ids.ids);
        match (read, expected) {
            (Ok(ids), Ok(expected)) => assert_eq!(ids, expected, "{text}"),
            (Err(error), Err(words)) => {
                assert!(error.to_string().contains(words), "{text}: {error}")
            }
            (read, expected) => panic!("{text}: read {read:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn integers_written_any_way_read_alike() {
        check(
            r#"{"ids": [32801, 32801.0, 1e3, 1.5e3, 10E2]}"#,
            Ok(&[32801, 32801, 1000, 1500, 1000]),
        );
        check(r#"{"ids": [9223372036854775807]}"#, Ok(&[i64::MAX]));
        check(r#"{"ids": [-9.223372036854775808e18]}"#, Ok(&[i64::MIN]));
        // Between 2^51 and 2^53 doubles are halves and wholes: read to the
        // nearest, a whole stays whole.
        check(
            r#"{"ids": [3913527712622890.0, 9007199254740992.0]}"#,
            Ok(&[3_913_527_712_622_890, 9_007_199_254_740_992]),
        );
        check(r#"{"ids": [1.5]}"#, Err("fractional part"));
        check(r#"{"ids": [9223372036854775808]}"#, Err("past the largest"));
        check(r#"{"ids": [1e19]}"#, Err("past the integers"));
        check(r#"{"ids": ["1"]}"#, Err("expected an integer"));
    }
}
