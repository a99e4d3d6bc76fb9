//! The CHANGELOG from the proofs: `cargo xtask changelog` drafts the
//! working version's entry from the diff against the latest release, and
//! the `version` line holds the entry, once edited by hand, to naming
//! every breaking change and every removal the diff finds.
//!
//! An entry *names* a change when a code span of it (text between
//! backticks) is exactly the change's place as `cargo xtask diff` prints
//! it, or one of the other places it reaches, or one of its most specific
//! client items ([`most_specific`]: the variant of a value, else the field
//! or the parameter's method, else the type, else the method), with or
//! without the `scan_reports_client::` in front.

use std::fmt::Write as _;

use chrono::NaiveDate;
use semver::Version;

use super::{
    Bump,
    removals::{Deprecated, RemovalReport, check_removals, deprecated},
};
use crate::{
    Document,
    breaking::{Breaks, Change},
    client_items::{ClientItem, ClientsCompared, most_specific},
    diff_report::WITNESS_SHOWN,
    witnesses::{ProvenChange, ProvenChanges},
};

/// The client crate's name, which a code span may put before an item.
pub const CLIENT_CRATE: &str = "scan_reports_client";

/// What [`draft`] drafts from.
#[derive(Debug, Clone, Copy)]
pub struct DraftInputs<'a> {
    pub released: &'a Document,
    pub released_version: &'a Version,
    pub working: &'a Document,
    /// The changes from the release to the working document, proven, each
    /// with its client items ([`ProvenChanges::attach_client_items`]).
    pub proven: &'a ProvenChanges,
    /// The two documents' clients, for the items of deprecated places.
    pub clients: &'a ClientsCompared,
    /// What a sunset is compared with.
    pub today: NaiveDate,
}

/// The working version's CHANGELOG entry, in Markdown: the version the
/// policy requires; the changes grouped by operation, the operations with
/// a breaking change first and each one's breaking changes first, each with
/// whom it breaks, its client items and, if breaking, its witness; then
/// what is deprecated, with sunsets, and what was removed after notice.
pub fn draft(inputs: &DraftInputs<'_>) -> String {
    let changes = &inputs.proven.changes;
    let plain: Vec<Change> = changes.iter().map(|proven| proven.change.clone()).collect();
    let needed = Bump::needed(&plain);
    let required = bumped(inputs.released_version, needed);
    let working_version = super::version_of(inputs.working).ok();
    let heading = working_version
        .clone()
        .filter(|version| {
            *version >= required && Bump::between(inputs.released_version, version) >= needed
        })
        .unwrap_or_else(|| required.clone());
    let mut out = format!("## {heading}\n\n");
    let breaking = inputs.proven.breaking();
    if changes.is_empty() {
        let _ = writeln!(
            out,
            "No contract change since {}: no bump needed.",
            inputs.released_version
        );
    } else {
        let _ = writeln!(
            out,
            "{} release: {breaking} of {} contract changes since {} break clients or servers.",
            capitalized(needed.name()),
            changes.len(),
            inputs.released_version
        );
    }
    if let Some(version) = working_version.filter(|version| *version != heading) {
        let _ = writeln!(
            out,
            "`info.version` is {version}: the policy needs {heading}, and the client crate's version with it."
        );
    }
    for (group, members) in by_operation(changes) {
        let _ = write!(out, "\n### {}\n\n", code(group));
        for change in members {
            out.push_str(&drafted_change(change));
        }
    }
    out.push_str(&deprecations(inputs));
    out
}

/// The version `bump` makes of `released`.
fn bumped(released: &Version, bump: Bump) -> Version {
    match bump {
        Bump::Major => Version::new(released.major + 1, 0, 0),
        Bump::Minor => Version::new(released.major, released.minor + 1, 0),
        Bump::Patch => Version::new(released.major, released.minor, released.patch + 1),
        Bump::None => released.clone(),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `text` as a Markdown code span, fenced by more backticks than it holds.
fn code(text: &str) -> String {
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{text}{fence}")
    } else {
        format!("{fence} {text} {fence}")
    }
}

/// The changes by the operation they are in (a place's first part), the
/// groups with a breaking change first, each group's breaking changes first.
fn by_operation(changes: &[ProvenChange]) -> Vec<(&str, Vec<&ProvenChange>)> {
    let mut groups: Vec<(&str, Vec<&ProvenChange>)> = Vec::new();
    for change in changes {
        let group = change
            .change
            .location
            .split(" › ")
            .next()
            .unwrap_or_default();
        match groups.iter_mut().find(|(name, _)| *name == group) {
            Some((_, members)) => members.push(change),
            None => groups.push((group, vec![change])),
        }
    }
    for (_, members) in &mut groups {
        members.sort_by_key(|change| !change.is_breaking());
    }
    groups.sort_by_key(|(_, members)| !members.iter().any(|change| change.is_breaking()));
    groups
}

fn whom(breaks: Breaks) -> &'static str {
    match (breaks.clients, breaks.servers) {
        (true, true) => "Breaks clients and servers",
        (true, false) => "Breaks clients",
        (false, true) => "Breaks servers",
        (false, false) => "Breaks nobody",
    }
}

fn drafted_change(proven: &ProvenChange) -> String {
    let change = &proven.change;
    let mut out = format!(
        "- **{}.** {}: {}\n",
        whom(change.breaks),
        code(&change.location),
        change.change
    );
    if !change.places.is_empty() {
        let more = if change.more_places { ", and more" } else { "" };
        let _ = writeln!(out, "  - Also at: {}{more}.", codes(&change.places));
    }
    if !proven.client_items.is_empty() {
        let _ = writeln!(out, "  - Client: {}.", items(&proven.client_items));
    }
    if change.breaks.is_breaking() {
        match (&proven.witness, &proven.unproven) {
            (Some(witness), _) => {
                let _ = writeln!(
                    out,
                    "  - Witness: {}.",
                    code(&witness.describe_within(WITNESS_SHOWN))
                );
            }
            (None, Some(reason)) => {
                let _ = writeln!(out, "  - Unproven: {reason}.");
            }
            (None, None) => {}
        }
    }
    out
}

fn codes(texts: &[String]) -> String {
    texts
        .iter()
        .map(|text| code(text))
        .collect::<Vec<_>>()
        .join(", ")
}

fn items(items: &[ClientItem]) -> String {
    items
        .iter()
        .map(|item| code(&item.path))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the working document deprecates, with its sunset, and what left
/// after its notice.
fn deprecations(inputs: &DraftInputs<'_>) -> String {
    let mut out = String::from("\n### Deprecations\n\n");
    let before = deprecated(&inputs.released.value);
    let now = deprecated(&inputs.working.value);
    let removed = super::version_of(inputs.working)
        .map(|working_version| {
            check_removals(
                &inputs.released.value,
                inputs.released_version,
                &inputs.working.value,
                &working_version,
                "",
                inputs.today,
            )
        })
        .unwrap_or_default();
    if now.is_empty() && removed.noticed.is_empty() {
        out.push_str("Nothing is deprecated.\n");
        return out;
    }
    for Deprecated { place, sunset } in &now {
        let since = match before.iter().find(|earlier| earlier.place == *place) {
            Some(_) => format!("since {} or earlier", inputs.released_version),
            None => "since this version".to_owned(),
        };
        let sunset = match sunset {
            Some(date) => format!("sunset {date}"),
            None => "no sunset date".to_owned(),
        };
        let found = inputs.clients.items_at(&[place.as_str()], "");
        let _ = writeln!(
            out,
            "- {}{}: deprecated {since}, {sunset}.",
            code(place),
            client_suffix(&found)
        );
    }
    for place in &removed.noticed {
        let sunset = before
            .iter()
            .find(|earlier| earlier.place == *place)
            .and_then(|earlier| earlier.sunset.clone())
            .map_or_else(String::new, |date| format!(", sunset {date}"));
        let found = inputs.clients.items_at(&[place.as_str()], "");
        let _ = writeln!(
            out,
            "- Removed after notice: {}{}, deprecated in {}{sunset}.",
            code(place),
            client_suffix(&found),
            inputs.released_version
        );
    }
    out
}

/// ` (`types::X::y`)`: the most specific items at a place, where any.
fn client_suffix(found: &[ClientItem]) -> String {
    let specific: Vec<String> = most_specific(found)
        .into_iter()
        .map(|item| code(&item.path))
        .collect();
    if specific.is_empty() {
        String::new()
    } else {
        format!(" ({})", specific.join(", "))
    }
}

/// Something the working version's entry must name.
#[derive(Debug, Clone, PartialEq)]
pub struct MustName {
    /// `breaking change` or `removal`.
    what: &'static str,
    /// Its place, then the other places it reaches.
    places: Vec<String>,
    /// How the diff says it: `POST /path › ...: allowed values removed: "OOS"`.
    description: String,
    /// The diff's words for it, whose quoted values name variants.
    words: String,
}

/// Every breaking change among `changes`, and every removal `removals`
/// allowed (after notice, or without it as the entry says) that is not
/// one of them.
pub fn must_be_named(changes: &[Change], removals: &RemovalReport) -> Vec<MustName> {
    let mut found: Vec<MustName> = changes
        .iter()
        .filter(|change| change.breaks.is_breaking())
        .map(|change| MustName {
            what: "breaking change",
            places: std::iter::once(change.location.clone())
                .chain(change.places.iter().cloned())
                .collect(),
            description: format!(
                "[{}] {}: {}",
                change.breaks.label(),
                change.location,
                change.change
            ),
            words: change.change.clone(),
        })
        .collect();
    for place in removals.noticed.iter().chain(&removals.without_notice) {
        if found.iter().any(|subject| subject.places.contains(place)) {
            continue;
        }
        let change = changes.iter().find(|change| change.location == *place);
        found.push(MustName {
            what: "removal",
            places: vec![place.clone()],
            description: change.map_or_else(
                || format!("{place}: removed"),
                |change| format!("[{}] {place}: {}", change.breaks.label(), change.change),
            ),
            words: change
                .map(|change| change.change.clone())
                .unwrap_or_default(),
        });
    }
    found
}

/// A problem for each of `subjects` the entry `lines` (of `version`)
/// does not name.
pub fn unnamed(
    lines: &[&str],
    version: &Version,
    subjects: &[MustName],
    clients: &ClientsCompared,
) -> Vec<String> {
    let spans = code_spans(&lines.join("\n"));
    subjects
        .iter()
        .filter_map(|subject| {
            let places: Vec<&str> = subject.places.iter().map(String::as_str).collect();
            let found = clients.items_at(&places, &subject.words);
            let naming = most_specific(&found);
            let named = spans.iter().any(|span| {
                subject.places.contains(span)
                    || naming.iter().any(|item| {
                        *span == item.path || *span == format!("{CLIENT_CRATE}::{}", item.path)
                    })
            });
            let ways: Vec<String> = std::iter::once("its place".to_owned())
                .chain(naming.iter().map(|item| format!("`{item}`")))
                .collect();
            (!named).then(|| {
                format!(
                    "CHANGELOG.md's `## {version}` entry does not name this {}: {}; name {} in backticks (`cargo xtask changelog` drafts the entry)",
                    subject.what,
                    subject.description,
                    ways.join(" or ")
                )
            })
        })
        .collect()
}

/// The contents of the Markdown code spans of `text`: between two runs of
/// as many backticks, one space trimmed at each end where both have one.
fn code_spans(text: &str) -> Vec<String> {
    let mut spans = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        let after_open = &rest[start..];
        let fence = after_open.len() - after_open.trim_start_matches('`').len();
        let body = &after_open[fence..];
        // The closing run: exactly as long as the opening one.
        let mut search = 0;
        let mut closed = None;
        while let Some(offset) = body[search..].find('`') {
            let at = search + offset;
            let run = body[at..].len() - body[at..].trim_start_matches('`').len();
            if run == fence {
                closed = Some(at);
                break;
            }
            search = at + run;
        }
        let Some(end) = closed else {
            rest = &after_open[fence..];
            continue;
        };
        let content = &body[..end];
        let trimmed = match (content.strip_prefix(' '), content.ends_with(' ')) {
            (Some(inner), true) if !inner.is_empty() => &inner[..inner.len() - 1],
            _ => content,
        };
        spans.push(trimmed.replace('\n', " "));
        rest = &body[end + fence..];
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_are_read_as_markdown_reads_them() {
        let cases = [
            ("- `a` and `b`", vec!["a", "b"]),
            (
                "- Removed without notice: `P › body.x`: why",
                vec!["P › body.x"],
            ),
            ("`` a `b` c ``", vec!["a `b` c"]),
            ("an `unclosed span", vec![]),
            ("`types::ReportType::Oos`", vec!["types::ReportType::Oos"]),
        ];
        for (text, expected) in cases {
            assert_eq!(code_spans(text), expected, "{text}");
        }
    }

    #[test]
    fn code_fences_outnumber_the_backticks_inside() {
        let cases = [
            ("plain", "`plain`"),
            ("a`b", "`` a`b ``"),
            ("x``y", "``` x``y ```"),
        ];
        for (text, expected) in cases {
            assert_eq!(code(text), expected);
            assert_eq!(code_spans(expected), [text]);
        }
    }

    #[test]
    fn a_bump_makes_the_next_version() {
        let released = Version::new(2, 3, 4);
        let cases = [
            (Bump::Major, "3.0.0"),
            (Bump::Minor, "2.4.0"),
            (Bump::Patch, "2.3.5"),
            (Bump::None, "2.3.4"),
        ];
        for (bump, expected) in cases {
            assert_eq!(bumped(&released, bump).to_string(), expected);
        }
    }
}
