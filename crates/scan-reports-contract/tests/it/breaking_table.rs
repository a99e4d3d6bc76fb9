//! A table of document edits and whom each breaks, one module per area of
//! the rules. Each row edits two copies of the contract (the old and the
//! new version) and names the change it must produce and whom it breaks.

mod compositions;
mod deprecation;
mod directions;
mod idioms;
mod operations;
mod parameters;
mod readings;
mod real_documents;
mod requests;
mod responses;

use scan_reports_contract::{
    breaking::{Breaks, classify},
    dialects::rendition_3_1,
    witnesses::classify_and_prove,
};
use scan_reports_document_edits::reverse_properties;
pub use scan_reports_document_edits::{
    add_required_property, remove_from, remove_property, schema,
};
use serde_json::{Value, json};

use crate::contract;

/// The operations' paths, as the document declares them.
fn path_of(operation_id: &str) -> String {
    scan_reports_contract::openapi_document::operation_path(&contract(), operation_id)
        .expect("the contract declares the operation")
}

pub fn push(list: &mut Value, item: Value) {
    list.as_array_mut().expect("a list").push(item);
}

pub fn post<'a>(document: &'a mut Value, operation_id: &str) -> &'a mut Value {
    &mut document["paths"][path_of(operation_id).as_str()]["post"]
}

/// `check(name, edit of the old copy, edit of the new copy, change fragment,
/// whom it breaks)`: every change found breaks exactly `expected`, and one
/// of them mentions `fragment` (at its first place or another). The same
/// holds of the two copies rendered in OpenAPI 3.1.
pub fn check(
    name: &str,
    old_edit: impl Fn(&mut Value),
    new_edit: impl Fn(&mut Value),
    fragment: &str,
    expected: Breaks,
) {
    let (mut old, mut new) = (contract(), contract());
    old_edit(&mut old);
    new_edit(&mut new);
    check_pair(name, &old, &new, fragment, expected);
    let (old, new) = (rendition_3_1(&old), rendition_3_1(&new));
    check_pair(&format!("{name} (3.1)"), &old, &new, fragment, expected);
}

/// [`check`] on two documents as they are.
pub fn check_pair(name: &str, old: &Value, new: &Value, fragment: &str, expected: Breaks) {
    let proven = classify_and_prove(old, new);
    assert!(
        proven.counterexamples.is_empty(),
        "{name}: a compatible verdict is refuted: {:#?}",
        proven.counterexamples
    );
    assert!(
        proven.recheck_failures.is_empty(),
        "{name}: a witness is refuted by the re-check: {:#?}",
        proven.recheck_failures
    );
    assert!(!proven.changes.is_empty(), "{name}: no change found");
    for change in proven.changes.iter().filter(|change| change.is_breaking()) {
        assert!(
            change.witness.is_some(),
            "{name}: no witness for a breaking change: {change:#?}"
        );
    }
    let changes: Vec<_> = proven
        .changes
        .into_iter()
        .map(|proven| proven.change)
        .collect();
    for change in &changes {
        assert_eq!(change.breaks, expected, "{name}: {change:#?}");
    }
    assert!(
        changes.iter().any(|change| {
            std::iter::once(&change.location)
                .chain(&change.places)
                .any(|place| format!("{place}: {}", change.change).contains(fragment))
        }),
        "{name}: no change mentions `{fragment}`: {changes:#?}"
    );
}

/// `no_change(name, edit of the old copy, edit of the new copy)`: the
/// edits change no contract, in either dialect.
pub fn no_change(name: &str, old_edit: impl Fn(&mut Value), new_edit: impl Fn(&mut Value)) {
    let (mut old, mut new) = (contract(), contract());
    old_edit(&mut old);
    new_edit(&mut new);
    let changes = classify(&old, &new);
    assert!(changes.is_empty(), "{name}: {changes:#?}");
    let changes = classify(&rendition_3_1(&old), &rendition_3_1(&new));
    assert!(changes.is_empty(), "{name} (3.1): {changes:#?}");
}

pub fn same(_: &mut Value) {}

/// The edits of the old and the new copy of one row of a table.
pub struct Edits {
    old: Box<dyn Fn(&mut Value)>,
    new: Box<dyn Fn(&mut Value)>,
}

impl Edits {
    /// The same edits the other way round: what the new copy gained, the
    /// old copy has.
    pub fn reversed(self) -> Self {
        Self {
            old: self.new,
            new: self.old,
        }
    }
}

/// `old` applied to the old copy, `new` to the new one.
pub fn edits(old: impl Fn(&mut Value) + 'static, new: impl Fn(&mut Value) + 'static) -> Edits {
    Edits {
        old: Box::new(old),
        new: Box::new(new),
    }
}

/// `edit` applied to the old copy only.
pub fn old_only(edit: impl Fn(&mut Value) + 'static) -> Edits {
    edits(edit, same)
}

/// `edit` applied to the new copy only.
pub fn new_only(edit: impl Fn(&mut Value) + 'static) -> Edits {
    edits(same, edit)
}

/// What a row must come to: every change found breaks exactly `breaks`,
/// and one of them mentions `fragment`.
pub struct Expected {
    breaks: Breaks,
    fragment: &'static str,
}

/// `SERVERS.saying(fragment)`: the last column of a table.
pub trait Saying {
    fn saying(self, fragment: &'static str) -> Expected;
}

impl Saying for Breaks {
    fn saying(self, fragment: &'static str) -> Expected {
        Expected {
            breaks: self,
            fragment,
        }
    }
}

/// [`check`] for each row of a table: `(name, edits, expected)`.
pub fn check_table<const N: usize>(rows: [(&str, Edits, Expected); N]) {
    for (name, edit, Expected { breaks, fragment }) in rows {
        check(name, edit.old, edit.new, fragment, breaks);
    }
}

pub const CLIENTS: Breaks = Breaks::CLIENTS;
pub const SERVERS: Breaks = Breaks::SERVERS;
pub const BOTH: Breaks = Breaks::BOTH;
pub const NONE: Breaks = Breaks::NONE;

#[test]
fn edits_that_change_no_contract_find_nothing() {
    type Edit = fn(&mut Value);
    let cases: [(&str, Edit); 6] = [
        ("a security scheme no operation uses, added", |d| {
            d["components"]["securitySchemes"]["Unused"] =
                json!({"type": "apiKey", "in": "header", "name": "x-unused"});
        }),
        ("descriptions", |d| {
            d["info"]["description"] = json!("Reworded.");
            schema(d, "ScanMetadata")["properties"]["guid"]["description"] = json!("Reworded.");
            post(d, "scan_statuses")["summary"] = json!("Reworded.");
        }),
        ("property order", |d| {
            reverse_properties(schema(d, "ScanStatusItem"))
        }),
        ("an inlined reference", |d| {
            let scan_id = schema(d, "ScanId").clone();
            schema(d, "ReportsOnDemandRequest")["properties"]["scan_id"] = scan_id;
        }),
        ("`deprecated: false`, which marks nothing", |d| {
            post(d, "scan_statuses")["deprecated"] = json!(false);
            schema(d, "ScanStatusItem")["properties"]["publish"]["deprecated"] = json!(false);
        }),
        ("examples and tags", |d| {
            post(d, "reports_on_demand")["tags"] = json!(["other"]);
            post(d, "scan_statuses")["requestBody"]["content"]["application/json"]["examples"]["more"] =
                json!({"value": {"scan_ids": [1]}});
        }),
    ];
    for (name, edit) in cases {
        let mut new = contract();
        edit(&mut new);
        let changes = classify(&contract(), &new);
        assert!(changes.is_empty(), "{name}: {changes:#?}");
    }
}
