//! The import file's reader: the top-level object and its two lists, read
//! record by record with serde's visitors, so that a file of any size is
//! never held whole. Each record is checked through the server's wire
//! types, and an error names the record and the field.

use std::{collections::BTreeMap, fmt, io::Read};

use serde::{
    Deserializer, Serialize,
    de::{DeserializeSeed, MapAccess, SeqAccess, Visitor},
};
use serde_json::Value;

use super::import::{BatchBuilder, ImportError, ImportSource, invalid};

use crate::api::{ReportType, ReportWrapper, ScanStatusItem};

/// Import files are read here, so the batching in `import.rs` knows
/// nothing of the file format.
impl ImportSource {
    /// A JSON import file, parsed as it is read.
    pub fn reader(reader: impl Read + Send + 'static) -> Self {
        Self::spawn(move |builder| parse(std::io::BufReader::new(reader), builder))
    }

    /// A JSON import file already in memory.
    pub fn text(text: impl Into<String>) -> Self {
        Self::reader(std::io::Cursor::new(text.into().into_bytes()))
    }
}

/// Reads an import file record by record into `builder`.
pub fn parse(reader: impl Read, builder: &mut BatchBuilder) -> Result<(), ImportError> {
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let mut failure = None;
    let outcome = deserializer
        .deserialize_map(FileVisitor {
            builder,
            failure: &mut failure,
        })
        .and_then(|()| deserializer.end());
    match (failure, outcome) {
        (Some(error), _) => Err(error),
        (None, Err(error)) => Err(invalid("(file)", error.to_string())),
        (None, Ok(())) => Ok(()),
    }
}

/// The top-level object. An error of a record is kept in `failure` and
/// unwinds serde with a placeholder.
struct FileVisitor<'b> {
    builder: &'b mut BatchBuilder,
    failure: &'b mut Option<ImportError>,
}

const FIELDS: &[&str] = &["scans", "reports"];

impl<'de> Visitor<'de> for FileVisitor<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an import file: an object with `scans` and `reports`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = (false, false);
        while let Some(key) = map.next_key::<String>()? {
            let (flag, list) = match key.as_str() {
                "scans" => (&mut seen.0, List::Scans),
                "reports" => (&mut seen.1, List::Reports),
                other => {
                    *self.failure = Some(invalid(
                        other,
                        <serde_json::Error as serde::de::Error>::unknown_field(other, FIELDS)
                            .to_string(),
                    ));
                    return Err(serde::de::Error::custom("refused"));
                }
            };
            if std::mem::replace(flag, true) {
                *self.failure = Some(invalid(key.as_str(), "appears twice in the file"));
                return Err(serde::de::Error::custom("refused"));
            }
            map.next_value_seed(ListSeed {
                list,
                builder: self.builder,
                failure: self.failure,
            })?;
            if matches!(list, List::Scans) {
                self.builder.scans_done();
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy)]
enum List {
    Scans,
    Reports,
}

struct ListSeed<'b> {
    list: List,
    builder: &'b mut BatchBuilder,
    failure: &'b mut Option<ImportError>,
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        // One record's JSON at a time: memory is one record, not the file.
        while let Some(value) = seq.next_element::<Value>()? {
            let checked = match self.list {
                List::Scans => checked_scan(&value, index)
                    .and_then(|(id, item)| self.builder.scan_json(id, item)),
                List::Reports => checked_reports(&value, index)
                    .and_then(|reports| self.builder.reports_json(reports)),
            };
            if let Err(error) = checked {
                *self.failure = Some(error);
                return Err(serde::de::Error::custom("refused"));
            }
            index += 1;
        }
        Ok(())
    }
}

/// One record as `T`, naming the place of the first error under `at`; a
/// field the API does not have is an error too, never silently dropped.
/// Returns the record's JSON as the types write it.
fn checked<T: serde::de::DeserializeOwned + Serialize>(
    value: &Value,
    at: &str,
) -> Result<(T, Value), ImportError> {
    let typed: T = serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let full = if path == "." {
            at.to_owned()
        } else {
            format!("{at}.{path}")
        };
        // serde_path_to_error shows a map key it could not read as `?`.
        invalid(
            full.replace(".?", " (a report type key)"),
            error.into_inner().to_string(),
        )
    })?;
    let kept = serde_json::to_value(&typed).map_err(|error| invalid(at, error.to_string()))?;
    if let Some((place, field)) = first_dropped_field(value, &kept, at.to_owned()) {
        return Err(invalid(place, format!("unknown field `{field}`")));
    }
    Ok((typed, kept))
}

fn checked_scan(value: &Value, index: usize) -> Result<(i64, String), ImportError> {
    let at = format!("scans[{index}]");
    let (scan, kept) = checked::<ScanStatusItem>(value, &at)?;
    Ok((scan.id, kept.to_string()))
}

fn checked_reports(
    value: &Value,
    index: usize,
) -> Result<Vec<(ReportType, i64, String)>, ImportError> {
    let at = format!("reports[{index}]");
    let (reports, kept) = checked::<BTreeMap<ReportType, ReportWrapper>>(value, &at)?;
    Ok(reports
        .iter()
        .map(|(report_type, report)| {
            let text = kept
                .get(report_type.as_str())
                .map_or_else(String::new, Value::to_string);
            (*report_type, report.scan_id, text)
        })
        .collect())
}

/// The first object key of `original` that did not survive into `kept`,
/// with its place: the types keep every field the API has, so a dropped
/// one is a field the API does not have.
fn first_dropped_field(original: &Value, kept: &Value, at: String) -> Option<(String, String)> {
    let join = |key: &str| {
        if at.is_empty() {
            key.to_owned()
        } else {
            format!("{at}.{key}")
        }
    };
    match (original, kept) {
        (Value::Object(original), Value::Object(kept)) => {
            original
                .iter()
                .find_map(|(key, value)| match kept.get(key) {
                    None => Some((join(key), key.clone())),
                    Some(kept) => first_dropped_field(value, kept, join(key)),
                })
        }
        (Value::Array(original), Value::Array(kept)) => original
            .iter()
            .zip(kept)
            .enumerate()
            .find_map(|(index, (value, kept))| {
                first_dropped_field(value, kept, format!("{at}[{index}]"))
            }),
        _ => None,
    }
}
