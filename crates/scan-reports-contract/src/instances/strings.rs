//! Strings the generators make: free text, matches of a pattern, and
//! valid values of the formats validators check.

use proptest::{prelude::*, strategy::BoxedStrategy};
use serde_json::Value;

use super::Alphabet;

/// The timestamp pattern of the document, and a strategy for it. A pattern
/// only constrains text: the strategy makes dates that exist, which is what
/// the `Timestamp` description promises.
pub const TIMESTAMP_PATTERN: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?$";

fn timestamp() -> BoxedStrategy<Value> {
    (
        1970i32..=2100,
        1u32..=12,
        1u32..=28,
        0u32..24,
        0u32..60,
        0u32..60,
        prop::option::of((1usize..=9, 0u32..1_000_000_000)),
    )
        .prop_map(|(year, month, day, hour, minute, second, fraction)| {
            let mut text =
                format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
            if let Some((digits, nanos)) = fraction {
                text.push('.');
                text.push_str(&format!("{nanos:09}")[..digits]);
            }
            Value::String(text)
        })
        .boxed()
}

/// Strategies for the patterns the document uses, by pattern.
pub(super) fn pattern_strategy(pattern: &str) -> Option<BoxedStrategy<Value>> {
    if pattern == TIMESTAMP_PATTERN {
        return Some(timestamp());
    }
    pattern_strings(pattern).map(|strings| strings.prop_map(Value::String).boxed())
}

/// Strings that match `pattern` whole, where proptest's generator reads
/// it. The generator makes whole matches, so the anchors that ask for one
/// say nothing to it (and it does not take them).
pub fn pattern_strings(pattern: &str) -> Option<BoxedStrategy<String>> {
    let unanchored = pattern.strip_prefix('^').unwrap_or(pattern);
    let unanchored = match unanchored.strip_suffix('$') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => unanchored,
    };
    proptest::string::string_regex(unanchored)
        .ok()
        .map(|strings| strings.boxed())
}

/// Strings of a format that validators check, valid ones; `None` for a
/// format they do not check, where any text will do.
pub fn format_samples(format: &str) -> Option<&'static [&'static str]> {
    Some(match format {
        "date-time" => &["2024-01-01T00:00:00Z", "1999-12-31T23:59:59.5+01:00"],
        "date" => &["2024-01-01", "1999-12-31"],
        "time" => &["00:00:00Z", "23:59:59+01:00"],
        "email" => &["a@example.com", "b.c@example.org"],
        "uri" | "iri" | "url" => &["https://example.com", "urn:a:b"],
        "uri-reference" | "iri-reference" => &["/a", "https://example.com/b"],
        "uuid" => &[
            "00000000-0000-0000-0000-000000000000",
            "123e4567-e89b-12d3-a456-426614174000",
        ],
        "ipv4" => &["127.0.0.1", "10.0.0.1"],
        "ipv6" => &["::1", "fe80::1"],
        "hostname" | "idn-hostname" => &["example.com", "a"],
        "duration" => &["P1D", "PT1S"],
        _ => return None,
    })
}

/// Text of `min..=max` characters: mostly short, sometimes long.
pub(super) fn text(min: usize, max: usize, alphabet: Alphabet) -> BoxedStrategy<Value> {
    let short = min..=max.min(min + 12);
    let long = max.min(min + 12)..=max;
    let characters = characters(alphabet);
    prop_oneof![
        4 => prop::collection::vec(characters.clone(), short),
        1 => prop::collection::vec(characters, long),
    ]
    .prop_map(|chars| Value::String(chars.into_iter().collect()))
    .boxed()
}

pub(super) fn characters(alphabet: Alphabet) -> BoxedStrategy<char> {
    match alphabet {
        Alphabet::Unicode => any::<char>().boxed(),
        Alphabet::Printable => prop::char::range(' ', '~').boxed(),
    }
}
