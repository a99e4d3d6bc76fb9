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

    fn check(text: &str, expected: Result<u64, &str>) {
        match (parse_duration(text), expected) {
            (Ok(duration), Ok(millis)) => {
                assert_eq!(duration, Duration::from_millis(millis), "{text}")
            }
            (Err(message), Err(reason)) => assert_eq!(
                message,
                format!(
                    "`{text}` is not a duration ({reason}), such as 500ms, 5s, 10m, 1h or 1h30m"
                ),
            ),
            (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn durations_need_a_unit_for_each_number() {
        check("500ms", Ok(500));
        check("5s", Ok(5_000));
        check("10m", Ok(600_000));
        check("1h", Ok(3_600_000));
        check("1h30m", Ok(5_400_000));
        check("2m5s250ms", Ok(125_250));
        check("0s", Ok(0));
        check("", Err("it is empty"));
        check("90", Err("a number needs a unit: h, m, s or ms"));
        check("5 s", Err("units are h, m, s and ms"));
        check("5sec", Err("units are h, m, s and ms"));
        check("1d", Err("units are h, m, s and ms"));
        check("m", Err("a unit needs a number before it"));
        check("-5s", Err("a unit needs a number before it"));
        check("99999999999999999999s", Err("a number is too large"));
        check("9999999999999999h", Err("it is too long"));
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
