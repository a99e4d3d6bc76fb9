//! Numbers of any size, compared exactly.
//!
//! A document's numbers reach the comparison as JSON numbers, or, beyond 64
//! bits, as strings of their exact digits (see
//! [`crate::openapi_document`]). Bounds are compared here as decimals, never
//! through `f64`, so `9223372036854775807` and `9223372036854775808` differ
//! and `1` equals `1.0`.

use std::cmp::Ordering;

use serde_json::Value;

/// A decimal number: `(-1)^negative × digits × 10^exponent`, with no
/// leading or trailing zeros in `digits` (zero is the empty string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactNumber {
    negative: bool,
    digits: String,
    exponent: i64,
}

impl ExactNumber {
    /// A JSON number, or a string holding one (`"-9223372036854776000"`).
    pub fn of(value: &Value) -> Option<Self> {
        match value {
            Value::Number(number) => Self::parse(&number.to_string()),
            Value::String(text) => Self::parse(text),
            _ => None,
        }
    }

    pub fn from_i128(value: i128) -> Self {
        Self::parse(&value.to_string()).unwrap_or_else(Self::zero)
    }

    fn zero() -> Self {
        Self {
            negative: false,
            digits: String::new(),
            exponent: 0,
        }
    }

    /// Decimal text: `-12.5e3`, `7`, `1E-2`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => (&rest[..at], rest[at + 1..].parse::<i64>().ok()?),
            None => (rest, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if whole.is_empty() && fraction.is_empty()
            || !whole
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let mut digits = format!("{whole}{fraction}");
        let mut exponent = exponent.checked_sub(i64::try_from(fraction.len()).ok()?)?;
        let trailing = digits.len() - digits.trim_end_matches('0').len();
        digits.truncate(digits.len() - trailing);
        exponent += i64::try_from(trailing).ok()?;
        let digits = digits.trim_start_matches('0').to_owned();
        if digits.is_empty() {
            return Some(Self::zero());
        }
        Some(Self {
            negative,
            digits,
            exponent,
        })
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// The value as an `i128`, when it is an integer that fits.
    pub fn to_i128(&self) -> Option<i128> {
        if self.is_zero() {
            return Some(0);
        }
        if self.exponent < 0 || self.exponent > 38 {
            return None;
        }
        let text = format!("{}{}", self.digits, "0".repeat(self.exponent as usize));
        let magnitude: i128 = text.parse().ok()?;
        Some(if self.negative { -magnitude } else { magnitude })
    }

    pub fn is_integer(&self) -> bool {
        self.exponent >= 0
    }

    /// The nearest `f64`, for validators and generators, which work in `f64`.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// As a JSON value: a number where JSON holds it exactly, else its digits.
    pub fn to_value(&self) -> Value {
        if let Some(integer) = self.to_i128() {
            if let Ok(small) = i64::try_from(integer) {
                return Value::from(small);
            }
            if let Ok(small) = u64::try_from(integer) {
                return Value::from(small);
            }
            return Value::String(integer.to_string());
        }
        let float = self.to_f64();
        match serde_json::Number::from_f64(float) {
            Some(number) if Self::parse(&number.to_string()).as_ref() == Some(self) => {
                Value::Number(number)
            }
            _ => Value::String(self.to_string()),
        }
    }

    /// The magnitudes compared: position of the leading digit first.
    fn cmp_magnitude(&self, other: &Self) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let lead = |n: &Self| n.digits.len() as i64 + n.exponent;
        lead(self).cmp(&lead(other)).then_with(|| {
            let width = self.digits.len().max(other.digits.len());
            let padded = |n: &Self| format!("{:0<width$}", n.digits);
            padded(self).cmp(&padded(other))
        })
    }
}

impl Ord for ExactNumber {
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |n: &Self| {
            if n.is_zero() {
                0
            } else if n.negative {
                -1
            } else {
                1
            }
        };
        match sign(self).cmp(&sign(other)) {
            Ordering::Equal if sign(self) < 0 => other.cmp_magnitude(self),
            Ordering::Equal => self.cmp_magnitude(other),
            different => different,
        }
    }
}

impl PartialOrd for ExactNumber {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for ExactNumber {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_zero() {
            return formatter.write_str("0");
        }
        let sign = if self.negative { "-" } else { "" };
        if self.exponent >= 0 {
            write!(
                formatter,
                "{sign}{}{}",
                self.digits,
                "0".repeat(self.exponent as usize)
            )
        } else {
            let point = self.digits.len() as i64 + self.exponent;
            if point > 0 {
                let (whole, fraction) = self.digits.split_at(point as usize);
                write!(formatter, "{sign}{whole}.{fraction}")
            } else {
                let zeros = "0".repeat((-point) as usize);
                write!(formatter, "{sign}0.{zeros}{}", self.digits)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn n(text: &str) -> ExactNumber {
        ExactNumber::parse(text).expect(text)
    }

    #[test]
    fn spellings_of_one_number_are_equal() {
        for (a, b) in [("1", "1.0"), ("1e2", "100"), ("-0", "0"), ("0.50", "5e-1")] {
            assert_eq!(n(a), n(b), "{a} = {b}");
        }
        assert_eq!(ExactNumber::of(&json!(1.0)), ExactNumber::of(&json!(1)));
    }

    #[test]
    fn order_is_exact_beyond_f64() {
        let cases = [
            ("9223372036854775807", "9223372036854775808"),
            ("-9223372036854776000", "-9223372036854775808"),
            ("-1", "0"),
            ("0", "0.001"),
            ("-2.5", "-2.4"),
            ("99", "100"),
            (
                "123456789012345678901234567890",
                "123456789012345678901234567891",
            ),
        ];
        for (low, high) in cases {
            assert!(n(low) < n(high), "{low} < {high}");
            assert!(n(high) > n(low), "{high} > {low}");
        }
    }

    #[test]
    fn values_round_trip() {
        for text in [
            "-9223372036854776000",
            "18446744073709551616",
            "2.5",
            "7",
            "-0.001",
        ] {
            let number = n(text);
            assert_eq!(
                ExactNumber::of(&number.to_value()),
                Some(number.clone()),
                "{text}"
            );
        }
        assert_eq!(
            n("-9223372036854776000").to_value(),
            json!("-9223372036854776000")
        );
        assert_eq!(n("12").to_value(), json!(12));
        assert_eq!(ExactNumber::of(&json!("x")), None);
    }
}
