//! What each change touches in the generated client: the `Client` methods
//! whose request or response it changes, the request builders' parameter
//! methods, and the `types::` structs, fields, enums and variants at its
//! place, named as in the generated code (`Client::scan_statuses`,
//! `types::ScanStatusItem::status`); a hand-written type the generated code
//! names instead of generating one (`crate::ScanStatus`) by its name at the
//! crate's root (`ScanStatus`).
//!
//! Read from the code itself, never from a second copy of progenitor's or
//! typify's naming rules: progenitor's client for each of the two documents
//! compared (the `codegen` feature) is parsed with syn, each operation found
//! by the HTTP method and path progenitor writes in its method's
//! documentation, its parameters by the wire names its `send` sends them
//! under, its bodies by the types its signatures name, and a place's steps
//! (`.data`, `[]`, `{*}`, `.status`, union branches) walked through the
//! `types` module's fields (by their serde names) and variants.
//!
//! Both documents' clients, because a change reaches what the consumer's
//! code names today (a removed variant exists only in the old client) and
//! what it will name (an added field exists only in the new one). Neither
//! is the committed `generated.rs`, which is the client of the working
//! document only, whichever two versions are compared. Where a client
//! cannot be had (no generator in this build, or a document progenitor
//! refuses), that side names no items; where a place has no client item (a
//! security scheme), there are none.

#[cfg(feature = "codegen")]
mod client_model;
#[cfg(feature = "codegen")]
mod steps;

use serde::{Serialize, Serializer};

use crate::{Document, breaking::Change};

/// What kind of item of the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    /// A method of `Client`: one operation.
    Method,
    /// A method of an operation's request builder that sets a parameter.
    Parameter,
    /// A field of a struct, or of a struct-like variant.
    Field,
    /// A struct or an enum, generated or hand-written.
    Type,
    /// A variant of a generated enum.
    Variant,
}

impl ItemKind {
    /// How closely an item of this kind names a change: a variant names
    /// the value itself, a field or a parameter the property, a type every
    /// use of it, a method everything the operation does.
    pub fn specificity(self) -> u8 {
        match self {
            Self::Method => 0,
            Self::Type => 1,
            Self::Field | Self::Parameter => 2,
            Self::Variant => 3,
        }
    }
}

/// One item of the generated client, by its path in the client crate.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientItem {
    /// `Client::scan_statuses`, `types::ScanStatusItem::status`, `ScanStatus`.
    pub path: String,
    pub kind: ItemKind,
}

impl ClientItem {
    pub fn new(kind: ItemKind, path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            kind,
        }
    }
}

impl std::fmt::Display for ClientItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.path)
    }
}

/// Written as its path: what a reader of the JSON report searches for.
impl Serialize for ClientItem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.path)
    }
}

/// `a, b, c`: items as the reports list them.
pub fn listed(items: &[ClientItem]) -> String {
    items
        .iter()
        .map(|item| item.path.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The items that name a change most closely: those of the highest
/// [`ItemKind::specificity`] among `items`.
pub fn most_specific(items: &[ClientItem]) -> Vec<&ClientItem> {
    let Some(highest) = items.iter().map(|item| item.kind.specificity()).max() else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|item| item.kind.specificity() == highest)
        .collect()
}

/// Why the client items of `old` and `new` are not looked for, when they
/// describe another API than the one `scan-reports-client` is generated
/// from (a title other than the working contract's): its consumers have no
/// items there, and progenitor is not run on a document nobody here
/// chose (typify's merging of some `allOf` cycles recurses without end,
/// which no thread's stack survives).
#[cfg(feature = "codegen")]
fn another_api(old: &Document, new: &Document) -> Option<String> {
    let title = |value: &serde_json::Value| value["info"]["title"].as_str().map(str::to_owned);
    let contract = std::fs::read_to_string(crate::workspace::document()).ok()?;
    let ours = Document::parse(&crate::workspace::document(), &contract)
        .ok()
        .and_then(|document| title(&document.value))?;
    [old, new]
        .iter()
        .any(|document| title(&document.value).as_deref() != Some(ours.as_str()))
        .then(|| {
            format!("the documents are not both the {ours}'s, which the client is generated from")
        })
}

/// The clients progenitor generates from the two documents compared.
#[derive(Debug)]
pub struct ClientsCompared {
    #[cfg(feature = "codegen")]
    old: Result<client_model::GeneratedClient, String>,
    #[cfg(feature = "codegen")]
    new: Result<client_model::GeneratedClient, String>,
}

impl ClientsCompared {
    /// The clients of `old` and `new`. Built without the `codegen` feature,
    /// there is no generator and so no client: every change names no item.
    pub fn generate(old: &Document, new: &Document) -> Self {
        #[cfg(feature = "codegen")]
        {
            if let Some(why) = another_api(old, new) {
                return Self {
                    old: Err(why.clone()),
                    new: Err(why),
                };
            }
            Self {
                old: client_model::GeneratedClient::of(old),
                new: client_model::GeneratedClient::of(new),
            }
        }
        #[cfg(not(feature = "codegen"))]
        {
            let _ = (old, new);
            Self {}
        }
    }

    /// Why a side has no client, where one has none: `old: ...`.
    pub fn missing(&self) -> Vec<String> {
        #[cfg(feature = "codegen")]
        {
            [("old", &self.old), ("new", &self.new)]
                .into_iter()
                .filter_map(|(side, client)| {
                    client.as_ref().err().map(|why| format!("{side}: {why}"))
                })
                .collect()
        }
        #[cfg(not(feature = "codegen"))]
        {
            vec!["this build has no client generator (the `codegen` feature)".to_owned()]
        }
    }

    /// The items `change` reaches, at its location and every other place.
    pub fn items(&self, change: &Change) -> Vec<ClientItem> {
        let places: Vec<&str> = std::iter::once(change.location.as_str())
            .chain(change.places.iter().map(String::as_str))
            .collect();
        self.items_at(&places, &change.change)
    }

    /// The items at `places`, for a change described by `words` (whose
    /// quoted values name the variants it reaches).
    pub fn items_at(&self, places: &[&str], words: &str) -> Vec<ClientItem> {
        #[cfg(feature = "codegen")]
        {
            let clients = [self.old.as_ref().ok(), self.new.as_ref().ok()];
            let mut items: Vec<ClientItem> = Vec::new();
            for place in places {
                for item in steps::reached_by_both(clients, place, words) {
                    if !items.contains(&item) {
                        items.push(item);
                    }
                }
            }
            // Stable: within a kind, the order places and sides gave.
            items.sort_by_key(|item| item.kind);
            items
        }
        #[cfg(not(feature = "codegen"))]
        {
            let _ = (places, words);
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_items_name_a_change() {
        let item = ClientItem::new;
        let cases = [
            (
                vec![
                    item(ItemKind::Method, "Client::reports_on_demand"),
                    item(
                        ItemKind::Field,
                        "types::ReportsOnDemandRequest::report_types",
                    ),
                    item(ItemKind::Type, "types::ReportType"),
                    item(ItemKind::Variant, "types::ReportType::Oos"),
                ],
                vec!["types::ReportType::Oos"],
            ),
            (
                vec![
                    item(ItemKind::Method, "Client::scan_statuses"),
                    item(ItemKind::Parameter, "builder::ScanStatuses::verbose"),
                    item(ItemKind::Field, "types::ScanStatusItem::status"),
                    item(ItemKind::Type, "ScanStatus"),
                ],
                vec![
                    "builder::ScanStatuses::verbose",
                    "types::ScanStatusItem::status",
                ],
            ),
            (
                vec![item(ItemKind::Method, "Client::scan_statuses")],
                vec!["Client::scan_statuses"],
            ),
            (Vec::new(), Vec::new()),
        ];
        for (items, expected) in cases {
            let found: Vec<&str> = most_specific(&items)
                .into_iter()
                .map(|item| item.path.as_str())
                .collect();
            assert_eq!(found, expected, "{items:?}");
        }
    }
}
