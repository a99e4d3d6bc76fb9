//! YAML or JSON text read into a JSON value without losing a number.
//!
//! `serde_json::Value` holds integers of 64 bits and `f64`s; real documents
//! carry integers beyond both (OpenAI's description bounds an integer by
//! `-9223372036854776000`, which is how JavaScript prints `i64::MIN`), and
//! serde_json's own visitor refuses them. This reader keeps such an integer
//! as a string of its exact decimal digits ([`crate::exact_number`] reads
//! numbers and such strings alike, and compares them exactly), so a valid
//! document is never refused for the size of a number.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Reads `text`, YAML or JSON, into a value.
pub fn read_value(text: &str) -> Result<Value, serde_norway::Error> {
    ExactValue.deserialize(serde_norway::Deserializer::from_str(text))
}

/// A JSON value, every integer kept exactly.
#[derive(Debug, Clone, Copy)]
struct ExactValue;

impl<'de> DeserializeSeed<'de> for ExactValue {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ExactValue {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a YAML or JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_i128<E>(self, value: i128) -> Result<Value, E> {
        Ok(i64::try_from(value)
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(value.to_string())))
    }

    fn visit_u128<E>(self, value: u128) -> Result<Value, E> {
        Ok(u64::try_from(value)
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(value.to_string())))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Value, E> {
        // YAML's `.inf` and `.nan` have no JSON spelling: refused rather
        // than read as `null`, which would silently drop a bound.
        Number::from_f64(value)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{value} is not a number JSON can hold")))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(items.size_hint().unwrap_or(0));
        while let Some(item) = items.next_element_seed(ExactValue)? {
            out.push(item);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        // Keys such as `200:` are read as their text, as JSON spells them.
        while let Some(key) = entries.next_key::<String>()? {
            let value = entries.next_value_seed(ExactValue)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn integers_beyond_64_bits_keep_every_digit() {
        let value = read_value(
            "minimum: -9223372036854776000\nmaximum: 18446744073709551616\nsmall: -3\nstatus:\n  200: ok\n",
        )
        .expect("valid YAML");
        assert_eq!(
            value,
            json!({"minimum": "-9223372036854776000", "maximum": "18446744073709551616", "small": -3, "status": {"200": "ok"}})
        );
    }

    #[test]
    fn json_text_reads_alike() {
        let value = read_value(r#"{"a": [1, 2.5, null, true], "b": {"c": "d"}}"#).expect("JSON");
        assert_eq!(value, json!({"a": [1, 2.5, null, true], "b": {"c": "d"}}));
    }

    #[test]
    fn infinity_is_refused_not_dropped() {
        let error = read_value("maximum: .inf\n").expect_err("refused");
        assert!(error.to_string().contains("not a number"), "{error}");
    }
}
