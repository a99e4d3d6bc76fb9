//! Deprecation before removal: an operation, a parameter or a property
//! may leave the document only if the latest released document already
//! marked it `deprecated: true`, and its `x-sunset` date, if it gave one,
//! has come. A bump, even a major one, does not stand in for the notice:
//! consumers learn of a removal from a release that still works for them.
//!
//! The one override is deliberate and public: the CHANGELOG entry of the
//! version that removes it says so, on a line of its own,
//! `- Removed without notice: `PLACE`: why`, where consumers read what
//! changed.
//!
//! Both documents are read in their canonical form, unfolded into trees
//! (a recursive reference stays one, and is not walked again), which keeps the marks
//! ([`crate::canonical`]); places are named as `cargo xtask diff` names
//! them (`POST /path › response 200 › body.data[].publish`).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};
use semver::Version;
use serde_json::{Value, json};

use crate::canonical::{SUNSET, expanded_document, reference_of};

/// What a CHANGELOG line that removes something without notice starts with.
pub const WITHOUT_NOTICE: &str = "- Removed without notice: ";

/// What can be deprecated, and so what a removal needs notice for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removable {
    Operation,
    Parameter,
    Property,
}

impl Removable {
    fn noun(self) -> &'static str {
        match self {
            Self::Operation => "operation",
            Self::Parameter => "parameter",
            Self::Property => "property",
        }
    }
}

/// One place of a document as the policy reads it.
#[derive(Debug, Clone, PartialEq)]
struct Marked {
    /// `None`: a body, which holds properties but is not judged here.
    kind: Option<Removable>,
    /// The place that holds it: a removal of that is the one reported.
    parent: Option<String>,
    deprecated: bool,
    sunset: Option<String>,
}

/// What the removals since the latest release come to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RemovalReport {
    /// Removed after their notice.
    pub noticed: Vec<String>,
    /// Removed without notice, as the working version's CHANGELOG entry says.
    pub without_notice: Vec<String>,
    /// Each problem, naming its place and what to do.
    pub problems: Vec<String>,
}

impl RemovalReport {
    /// `2 removals after notice, 1 without notice`, or nothing when none.
    pub fn summary(&self) -> Option<String> {
        if self.noticed.is_empty() && self.without_notice.is_empty() {
            return None;
        }
        Some(format!(
            "removals: {} after notice, {} without notice",
            self.noticed.len(),
            self.without_notice.len()
        ))
    }
}

/// The released document at `released_version` against the working one
/// at `working_version`, on `today`, with the working version's
/// `changelog` entry for the override.
pub fn check_removals(
    released: &Value,
    released_version: &Version,
    working: &Value,
    working_version: &Version,
    changelog: &str,
    today: NaiveDate,
) -> RemovalReport {
    let (before, after) = (
        marks(&expanded_document(released)),
        marks(&expanded_document(working)),
    );
    let entry = changelog_entry(changelog, working_version);
    let mut report = RemovalReport::default();
    for (place, mark) in &after {
        report.problems.extend(sunset_problem(place, mark));
    }
    for (place, mark) in &before {
        let Some(kind) = mark.kind else {
            continue;
        };
        let gone = |place: &String| before.contains_key(place) && !after.contains_key(place);
        // Only the outermost removal is judged: a property goes with its
        // operation, or with the body or property that held it.
        if !gone(place) || mark.parent.as_ref().is_some_and(gone) {
            continue;
        }
        let noun = kind.noun();
        let refusal = match (mark.deprecated, &mark.sunset) {
            (false, _) => format!(
                "{place}: {noun} removed, but the latest release ({released_version}) did not mark it deprecated. Deprecate it first (`deprecated: true`, and an `x-sunset` date if you promise one), release that, and remove it in a later version"
            ),
            (true, None) => {
                report.noticed.push(place.clone());
                continue;
            }
            (true, Some(sunset)) => match sunset_date(sunset) {
                Some(date) if date <= today => {
                    report.noticed.push(place.clone());
                    continue;
                }
                Some(_) => format!(
                    "{place}: {noun} removed before its sunset: the latest release ({released_version}) deprecated it until {sunset} (today is {today}). Keep it until then"
                ),
                None => format!(
                    "{place}: {noun} removed, but its `x-sunset` in the latest release ({released_version}), {sunset:?}, is no RFC 3339 date, so its notice cannot be judged. Keep it, and correct the date in a release first"
                ),
            },
        };
        if entry
            .iter()
            .any(|line| line.starts_with(WITHOUT_NOTICE) && line.contains(&format!("`{place}`")))
        {
            report.without_notice.push(place.clone());
        } else {
            report.problems.push(format!(
                "{refusal}; or, to remove it now on purpose, say so in CHANGELOG.md's `## {working_version}` entry: `{WITHOUT_NOTICE}`{place}`: why`"
            ));
        }
    }
    report
}

/// An operation, a parameter or a property a document marks deprecated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecated {
    /// Named as `cargo xtask diff` names places.
    pub place: String,
    /// Its `x-sunset`, as written.
    pub sunset: Option<String>,
}

/// Everything `document` marks deprecated, in the order of its places.
pub fn deprecated(document: &Value) -> Vec<Deprecated> {
    marks(&expanded_document(document))
        .into_iter()
        .filter(|(_, mark)| mark.kind.is_some() && mark.deprecated)
        .map(|(place, mark)| Deprecated {
            place,
            sunset: mark.sunset,
        })
        .collect()
}

/// Today's date in UTC, from the system clock.
pub fn today() -> NaiveDate {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    DateTime::from_timestamp(i64::try_from(seconds).unwrap_or(i64::MAX), 0)
        .unwrap_or_default()
        .date_naive()
}

/// An RFC 3339 full date (`2027-01-01`), or the day of a date-time with
/// its offset (`2027-01-01T00:00:00Z`), in UTC.
fn sunset_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|date| date.format("%Y-%m-%d").to_string() == text)
        .or_else(|| {
            DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|moment| moment.naive_utc().date())
        })
}

/// A sunset the working document gives that no one can act on: no date,
/// or a date on something not deprecated.
fn sunset_problem(place: &str, mark: &Marked) -> Option<String> {
    let sunset = mark.sunset.as_ref()?;
    if sunset_date(sunset).is_none() {
        Some(format!(
            "{place}: `x-sunset` {sunset:?} is no RFC 3339 date: write it as YYYY-MM-DD"
        ))
    } else if !mark.deprecated {
        Some(format!(
            "{place}: `x-sunset` {sunset} on what is not deprecated: add `deprecated: true` beside it, or remove the date"
        ))
    } else {
        None
    }
}

/// The lines of `changelog`'s entry for `version`, after its heading.
pub(crate) fn changelog_entry<'a>(changelog: &'a str, version: &Version) -> Vec<&'a str> {
    let heading = format!("## {version}");
    changelog
        .lines()
        .skip_while(|line| *line != heading && !line.starts_with(&format!("{heading} ")))
        .skip(1)
        .take_while(|line| !line.starts_with("## "))
        .map(str::trim)
        .collect()
}

/// Every operation, parameter and property of a canonical document, and
/// the bodies that hold properties, by place.
fn marks(canonical: &Value) -> BTreeMap<String, Marked> {
    let mut found = BTreeMap::new();
    let empty = json!({});
    let entries = |value: &Value| value.as_object().cloned().unwrap_or_default();
    for (key, operation) in entries(&canonical["operations"]) {
        found.insert(
            key.clone(),
            mark(Some(Removable::Operation), None, &operation),
        );
        for (name, parameter) in entries(&operation["parameters"]) {
            let place = format!("{key} › parameter {name}");
            let marked = mark(Some(Removable::Parameter), Some(&key), &parameter);
            found.insert(place.clone(), marked);
            properties(&parameter["schema"], &place, &place, &mut found);
        }
        let request = operation.get("requestBody").unwrap_or(&empty);
        let bodies = entries(&request["content"])
            .into_iter()
            .map(|body| ("request".to_owned(), body));
        let responses =
            entries(&operation["responses"])
                .into_iter()
                .flat_map(|(status, response)| {
                    entries(&response["content"])
                        .into_iter()
                        .map(move |body| (format!("response {status}"), body))
                });
        for (exchange, (media_type, schema)) in bodies.chain(responses) {
            let body = if media_type == "application/json" {
                "body".to_owned()
            } else {
                format!("body {media_type}")
            };
            let place = format!("{key} › {exchange} › {body}");
            found.insert(place.clone(), mark(None, Some(&key), &empty));
            properties(&schema, &place, &place, &mut found);
        }
    }
    found
}

fn mark(kind: Option<Removable>, parent: Option<&str>, holder: &Value) -> Marked {
    Marked {
        kind,
        parent: parent.map(str::to_owned),
        deprecated: holder.get("deprecated") == Some(&json!(true)),
        sunset: holder
            .get(SUNSET)
            .and_then(Value::as_str)
            .map(str::to_owned),
    }
}

/// The properties of `schema`, named from `at` and held by `parent`, and
/// theirs, through items, extra properties and composition branches.
/// Branches are not told apart (the diff pairs them by likeness): a
/// property is where any branch declares it, and deprecated where every
/// branch that declares it says so.
fn properties(schema: &Value, at: &str, parent: &str, found: &mut BTreeMap<String, Marked>) {
    if reference_of(schema).is_some() {
        return;
    }
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        let place = format!("{at}.{name}");
        let marked = mark(Some(Removable::Property), Some(parent), property);
        match found.get_mut(&place) {
            Some(earlier) => {
                earlier.deprecated &= marked.deprecated;
                earlier.sunset = earlier.sunset.take().max(marked.sunset);
            }
            None => {
                found.insert(place.clone(), marked);
            }
        }
        properties(property, &place, &place, found);
    }
    if let Some(items) = schema.get("items") {
        properties(items, &format!("{at}[]"), parent, found);
    }
    if let Some(extra) = schema.get("additionalProperties") {
        properties(extra, &format!("{at}{{*}}"), parent, found);
    }
    for keyword in ["oneOf", "anyOf", "allOf"] {
        for branch in schema[keyword].as_array().into_iter().flatten() {
            properties(branch, &format!("{at} › {keyword}"), parent, found);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sunsets_are_rfc_3339_dates() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let cases = [
            ("2027-01-01", date(2027, 1, 1)),
            ("2027-01-01T23:30:00-02:00", date(2027, 1, 2)),
            ("2027-1-1", None),
            ("01/01/2027", None),
            ("soon", None),
        ];
        for (text, expected) in cases {
            assert_eq!(sunset_date(text), expected, "{text}");
        }
    }

    #[test]
    fn an_entry_ends_at_the_next_heading() {
        let changelog = "## 2.0.0 (2027-02-01)\n- a\n  - b\n## 1.0.0\n- c\n";
        let version = Version::new(2, 0, 0);
        assert_eq!(changelog_entry(changelog, &version), ["- a", "- b"]);
        assert!(changelog_entry(changelog, &Version::new(3, 0, 0)).is_empty());
    }
}
