//! The JSON report: every change, each distinct witness once (the changes
//! point at theirs), and a string a megabyte long that several witnesses
//! hold written once too, so the report grows with what was proved, not
//! with how often.

use std::collections::HashMap;

use serde::{Serialize, Serializer, ser::SerializeMap};
use serde_json::{Value, json};

use super::Compared;
use crate::{
    breaking::Change,
    schema_warnings::SchemaWarning,
    witnesses::{Counterexample, ProvenChange, ProvenChanges, RecheckFailure, Unsearched, Witness},
};

/// How long a string is before witnesses share it.
pub const SHARED_STRING: usize = 1 << 20;

/// The key that stands for a shared string: `{"$shared_string": N}` is
/// the `N`th of the report's `shared_strings`.
pub const SHARED_STRING_KEY: &str = "$shared_string";

pub(super) fn report(compared: Compared<'_>, proven: &ProvenChanges) -> String {
    let changes = &proven.changes;
    let (witnesses, rows) = witnessed_once(changes);
    let shared = SharedStrings::of(&witnesses);
    let report = Report {
        old: compared.old_name,
        new: compared.new_name,
        dialects: json!({
            "old": {"openapi": compared.old.version, "json_schema": compared.old.dialect.schema_dialect()},
            "new": {"openapi": compared.new.version, "json_schema": compared.new.dialect.schema_dialect()},
        }),
        breaking: changes.iter().any(|c| c.change.breaks.is_breaking()),
        breaks_clients: changes.iter().any(|c| c.change.breaks.clients),
        breaks_servers: changes.iter().any(|c| c.change.breaks.servers),
        summary: json!({
            "changes": changes.len(),
            "breaking": proven.breaking(),
            "unproven": proven.unproven(),
            "refuted": proven.counterexamples.len(),
            "unsearched": proven.unsearched.len(),
            "recheck_failed": proven.recheck_failures.len(),
        }),
        changes: rows,
        witnesses: witnesses
            .iter()
            .map(|witness| SharingWitness {
                witness,
                shared: &shared,
            })
            .collect(),
        shared_strings: &shared.strings,
        counterexamples: &proven.counterexamples,
        unsearched: &proven.unsearched,
        recheck_failures: &proven.recheck_failures,
        warnings: compared.warnings,
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

#[derive(Serialize)]
struct Report<'a> {
    old: &'a str,
    new: &'a str,
    dialects: Value,
    breaking: bool,
    breaks_clients: bool,
    breaks_servers: bool,
    summary: Value,
    changes: Vec<ChangeRow<'a>>,
    witnesses: Vec<SharingWitness<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    shared_strings: &'a [&'a str],
    counterexamples: &'a [Counterexample],
    unsearched: &'a [Unsearched],
    recheck_failures: &'a [RecheckFailure],
    /// Keywords read as no constraint, in either document: no verdict.
    warnings: &'a [SchemaWarning],
}

/// A change as JSON writes it: its witness by its index in the report's
/// list of witnesses.
#[derive(Debug, Serialize)]
struct ChangeRow<'a> {
    #[serde(flatten)]
    change: &'a Change,
    /// The index of its witness in `witnesses`; `null` where there is none.
    witness: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unproven: Option<&'a String>,
    /// What it touches in the generated client: empty where nothing, or
    /// where no client could be had.
    client_items: &'a [crate::client_items::ClientItem],
}

/// Each distinct witness once, and each change pointing at its own.
fn witnessed_once(changes: &[ProvenChange]) -> (Vec<&Witness>, Vec<ChangeRow<'_>>) {
    let mut witnesses: Vec<&Witness> = Vec::new();
    let mut by_digest: HashMap<u64, Vec<usize>> = HashMap::new();
    let rows = changes
        .iter()
        .map(|proven| {
            let witness = proven.witness.as_ref().map(|witness| {
                let same = by_digest.entry(digest(witness)).or_default();
                match same.iter().find(|index| witnesses[**index] == witness) {
                    Some(index) => *index,
                    None => {
                        witnesses.push(witness);
                        same.push(witnesses.len() - 1);
                        witnesses.len() - 1
                    }
                }
            });
            ChangeRow {
                change: &proven.change,
                witness,
                unproven: proven.unproven.as_ref(),
                client_items: &proven.client_items,
            }
        })
        .collect();
    (witnesses, rows)
}

/// A digest of a value written as JSON, into the hasher, not a string.
fn digest(value: &impl Serialize) -> u64 {
    use std::hash::Hasher;
    struct Digest(std::collections::hash_map::DefaultHasher);
    impl std::io::Write for Digest {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut digest = Digest(std::collections::hash_map::DefaultHasher::new());
    let _ = serde_json::to_writer(&mut digest, value);
    digest.0.finish()
}

/// The long strings more than one witness holds (or one holds twice).
struct SharedStrings<'a> {
    strings: Vec<&'a str>,
    /// Each string's index, by the string's address.
    index: HashMap<*const u8, usize>,
}

impl<'a> SharedStrings<'a> {
    fn of(witnesses: &[&'a Witness]) -> Self {
        let mut found: Vec<&'a str> = Vec::new();
        for witness in witnesses {
            long_strings(&witness.instance, &mut found);
        }
        let mut seen: HashMap<u64, Vec<(&'a str, usize)>> = HashMap::new();
        let mut shared = Self {
            strings: Vec::new(),
            index: HashMap::new(),
        };
        for text in &found {
            let same = seen.entry(digest(text)).or_default();
            match same.iter_mut().find(|(other, _)| other == text) {
                Some((_, count)) => *count += 1,
                None => same.push((text, 1)),
            }
        }
        for text in found {
            let Some(&(first, count)) = seen
                .get(&digest(&text))
                .and_then(|same| same.iter().find(|(other, _)| *other == text))
            else {
                continue;
            };
            if count < 2 {
                continue;
            }
            let at = match shared.strings.iter().position(|known| *known == first) {
                Some(at) => at,
                None => {
                    shared.strings.push(first);
                    shared.strings.len() - 1
                }
            };
            shared.index.insert(text.as_ptr(), at);
        }
        shared
    }
}

fn long_strings<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::String(text) if text.len() >= SHARED_STRING => found.push(text),
        Value::Array(items) => items.iter().for_each(|item| long_strings(item, found)),
        Value::Object(object) => object.values().for_each(|item| long_strings(item, found)),
        _ => {}
    }
}

/// A witness written with its shared strings by their index.
struct SharingWitness<'a> {
    witness: &'a Witness,
    shared: &'a SharedStrings<'a>,
}

impl Serialize for SharingWitness<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let witness = self.witness;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("kind", &witness.kind)?;
        map.serialize_entry(
            "instance",
            &Sharing {
                value: &witness.instance,
                shared: self.shared,
            },
        )?;
        map.serialize_entry("valid_in", &witness.valid_in)?;
        map.serialize_entry("invalid_in", &witness.invalid_in)?;
        if let Some(at) = &witness.at {
            map.serialize_entry("at", at)?;
        }
        map.end()
    }
}

struct Sharing<'a> {
    value: &'a Value,
    shared: &'a SharedStrings<'a>,
}

impl Serialize for Sharing<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let child = |value| Sharing {
            value,
            shared: self.shared,
        };
        match self.value {
            Value::String(text) => match self.shared.index.get(&text.as_ptr()) {
                Some(at) => {
                    let mut map = serializer.serialize_map(Some(1))?;
                    map.serialize_entry(SHARED_STRING_KEY, at)?;
                    map.end()
                }
                None => serializer.serialize_str(text),
            },
            Value::Array(items) => serializer.collect_seq(items.iter().map(child)),
            Value::Object(object) => {
                serializer.collect_map(object.iter().map(|(key, value)| (key, child(value))))
            }
            other => other.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        breaking::Breaks,
        witnesses::{ProvenChange, Side},
    };

    fn proven(at: &str, instance: Value) -> ProvenChange {
        ProvenChange {
            change: Change {
                location: format!("POST /a › request › body.{at}"),
                change: "maxLength loosened: 3 → 9".into(),
                breaks: Breaks::SERVERS,
                places: Vec::new(),
                more_places: false,
                old_source: None,
                new_source: None,
                edit: None,
            },
            witness: Some(Witness {
                kind: "request body".into(),
                instance,
                valid_in: Side::New,
                invalid_in: Side::Old,
                at: None,
            }),
            unproven: None,
            client_items: Vec::new(),
        }
    }

    #[test]
    fn each_witness_and_each_long_string_once() {
        let long = "a".repeat(SHARED_STRING + 1);
        let changes = [
            proven("x", json!({"x": long})),
            proven("y", json!({"y": long})),
            proven("z", json!({"x": long})),
        ];
        let (witnesses, rows) = witnessed_once(&changes);
        assert_eq!(witnesses.len(), 2);
        assert_eq!(
            rows.iter().map(|row| row.witness).collect::<Vec<_>>(),
            [Some(0), Some(1), Some(0)]
        );
        let shared = SharedStrings::of(&witnesses);
        assert_eq!(shared.strings.len(), 1);
        let written = serde_json::to_value(SharingWitness {
            witness: witnesses[1],
            shared: &shared,
        })
        .expect("serializes");
        assert_eq!(written["instance"], json!({"y": {SHARED_STRING_KEY: 0}}));
    }
}
