//! Durations as `--timeout` and `--interval` take them: a number and a unit
//! (`500ms`, `5s`, `10m`, `1h`), or several (`1h30m`).

use std::time::Duration;

const UNITS: [(&str, u64); 4] = [("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)];

pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let invalid = |reason: &str| {
        format!("`{text}` is not a duration ({reason}), such as 500ms, 5s, 10m, 1h or 1h30m")
    };
    if text.is_empty() {
        return Err(invalid("it is empty"));
    }
    let mut millis: u64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(invalid("a unit needs a number before it"));
        }
        let number: u64 = rest[..digits]
            .parse()
            .map_err(|_| invalid("a number is too large"))?;
        rest = &rest[digits..];
        let unit_length = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_length];
        rest = &rest[unit_length..];
        let (_, per_unit) =
            UNITS
                .iter()
                .find(|(name, _)| *name == unit)
                .ok_or_else(|| match unit {
                    "" => invalid("a number needs a unit: h, m, s or ms"),
                    _ => invalid("units are h, m, s and ms"),
                })?;
        millis = number
            .checked_mul(*per_unit)
            .and_then(|part| millis.checked_add(part))
            .ok_or_else(|| invalid("it is too long"))?;
    }
    Ok(Duration::from_millis(millis))
}

/// A pause between polls: more than zero.
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    match parse_duration(text)? {
        Duration::ZERO => Err(format!(
            "`{text}` is too short: the interval must be more than 0"
        )),
        interval => Ok(interval),
    }
}

/// Writes `duration` as [`parse_duration`] reads it, in its largest exact unit.
pub fn format_duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    UNITS
        .iter()
        .find(|(_, per_unit)| millis > 0 && millis.is_multiple_of(u128::from(*per_unit)))
        .map(|(name, per_unit)| format!("{}{name}", millis / u128::from(*per_unit)))
        .unwrap_or_else(|| "0s".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_need_a_unit_for_each_number() {
        for (text, millis) in [
            ("500ms", 500),
            ("5s", 5_000),
            ("10m", 600_000),
            ("1h", 3_600_000),
            ("1h30m", 5_400_000),
            ("2m5s250ms", 125_250),
            ("0s", 0),
        ] {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_millis(millis)),
                "{text}"
            );
        }
        for (text, reason) in [
            ("", "it is empty"),
            ("90", "a number needs a unit: h, m, s or ms"),
            ("5 s", "units are h, m, s and ms"),
            ("5sec", "units are h, m, s and ms"),
            ("1d", "units are h, m, s and ms"),
            ("m", "a unit needs a number before it"),
            ("-5s", "a unit needs a number before it"),
            ("99999999999999999999s", "a number is too large"),
            ("9999999999999999h", "it is too long"),
        ] {
            assert_eq!(
                parse_duration(text),
                Err(format!(
                    "`{text}` is not a duration ({reason}), such as 500ms, 5s, 10m, 1h or 1h30m"
                )),
            );
        }
    }

    #[test]
    fn intervals_are_more_than_zero() {
        assert_eq!(parse_interval("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(
            parse_interval("0ms"),
            Err("`0ms` is too short: the interval must be more than 0".to_owned())
        );
    }

    #[test]
    fn formatting_reads_back() {
        for (millis, text) in [
            (0, "0s"),
            (500, "500ms"),
            (1_500, "1500ms"),
            (5_000, "5s"),
            (90_000, "90s"),
            (600_000, "10m"),
            (3_600_000, "1h"),
        ] {
            let duration = Duration::from_millis(millis);
            assert_eq!(format_duration(duration), text);
            assert_eq!(parse_duration(text), Ok(duration));
        }
    }
}
