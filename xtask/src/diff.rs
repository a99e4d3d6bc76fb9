//! `cargo xtask diff OLD NEW`: every change between two versions of the
//! document, classified by whom it breaks.
//!
//! - *breaks clients*: a client built against OLD may fail against a server
//!   that conforms to NEW.
//! - *breaks servers*: a server that conforms to OLD no longer conforms to
//!   NEW (it refuses what NEW lets clients send, or does not keep a promise
//!   NEW makes).
//! - *compatible*: neither.
//!
//! The rules follow oasdiff's: in requests, whatever NEW refuses that OLD
//! accepted breaks clients, and whatever NEW accepts that OLD refused
//! breaks servers; in responses it is the other way round. Adding a value
//! to a set the document declares open (`x-extensible-enum`) is compatible.
//! The comparison runs on [`crate::contract`]'s canonical form, so
//! descriptions, order and component names never count as changes.
//!
//! Oxide's `drift` crate was evaluated for this and not used: it classifies
//! added and removed operations and properties, but reports every change to
//! a string, number or integer schema (allowed values, limits, patterns) and
//! to nullability as "unhandled", and knows no open value sets; those are
//! most of the rules here.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
    process::Command,
};

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::{
    contract::{SOURCE, canonical_document, required_names, without_sources},
    document::{Document, DocumentError},
    project,
};

/// Whom one change breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Breaks {
    pub clients: bool,
    pub servers: bool,
}

impl Breaks {
    pub const NONE: Self = Self {
        clients: false,
        servers: false,
    };
    pub const CLIENTS: Self = Self {
        clients: true,
        servers: false,
    };
    pub const SERVERS: Self = Self {
        clients: false,
        servers: true,
    };
    pub const BOTH: Self = Self {
        clients: true,
        servers: true,
    };

    pub fn is_breaking(self) -> bool {
        self.clients || self.servers
    }

    pub fn label(self) -> &'static str {
        match (self.clients, self.servers) {
            (true, true) => "breaking: clients and servers",
            (true, false) => "breaking: clients",
            (false, true) => "breaking: servers",
            (false, false) => "compatible",
        }
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Where, in contract terms: `POST /path › response 200 › body.data[].id`.
    pub location: String,
    /// What changed, in words.
    pub change: String,
    pub breaks: Breaks,
    /// Where in the old and the new document, when a schema changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_source: Option<String>,
}

/// Which way data flows through a schema: that decides whom a change breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    /// Sent by clients, read by servers.
    Request,
    /// Sent by servers, read by clients.
    Response,
}

impl Flow {
    /// Whom it breaks when NEW accepts less than OLD in this flow.
    fn narrowed(self) -> Breaks {
        match self {
            Flow::Request => Breaks::CLIENTS,
            Flow::Response => Breaks::SERVERS,
        }
    }

    /// Whom it breaks when NEW allows more than OLD in this flow.
    fn widened(self) -> Breaks {
        match self {
            Flow::Request => Breaks::SERVERS,
            Flow::Response => Breaks::CLIENTS,
        }
    }
}

/// Every change from `old` to `new` (whole documents), in document order.
pub fn classify(old: &Value, new: &Value) -> Vec<Change> {
    let (old, new) = (canonical_document(old), canonical_document(new));
    let mut changes = Changes::default();
    changes.operations(&old["operations"], &new["operations"]);
    changes.security_schemes(&old["securitySchemes"], &new["securitySchemes"]);
    changes.0
}

#[derive(Debug, Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, location: &str, change: impl Into<String>, breaks: Breaks) {
        self.0.push(Change {
            location: location.to_owned(),
            change: change.into(),
            breaks,
            old_source: None,
            new_source: None,
        });
    }

    fn push_schema(
        &mut self,
        location: &str,
        old: &Value,
        new: &Value,
        change: impl Into<String>,
        breaks: Breaks,
    ) {
        let source = |schema: &Value| {
            schema
                .get(SOURCE)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        self.0.push(Change {
            location: location.to_owned(),
            change: change.into(),
            breaks,
            old_source: source(old),
            new_source: source(new),
        });
    }

    fn operations(&mut self, old: &Value, new: &Value) {
        for (key, old_operation, new_operation) in pairs(old, new) {
            match (old_operation, new_operation) {
                (Some(_), None) => self.push(&key, "operation removed", Breaks::CLIENTS),
                (None, Some(_)) => self.push(&key, "operation added", Breaks::SERVERS),
                (Some(old), Some(new)) => self.operation(&key, old, new),
                (None, None) => {}
            }
        }
    }

    fn operation(&mut self, at: &str, old: &Value, new: &Value) {
        if old["operationId"] != new["operationId"] {
            self.push(
                at,
                format!(
                    "operationId {} → {} (the generated method is renamed)",
                    old["operationId"], new["operationId"]
                ),
                Breaks::CLIENTS,
            );
        }
        if old["security"] != new["security"] {
            self.security(at, &old["security"], &new["security"]);
        }
        for (name, old_parameter, new_parameter) in pairs(&old["parameters"], &new["parameters"]) {
            let place = format!("{at} › parameter {name}");
            let required = |parameter: &Value| parameter["required"] == json!(true);
            match (old_parameter, new_parameter) {
                (None, Some(new)) if required(new) => {
                    self.push(&place, "required parameter added", Breaks::CLIENTS)
                }
                (None, Some(_)) => self.push(&place, "optional parameter added", Breaks::SERVERS),
                (Some(old), None) if required(old) => {
                    self.push(&place, "required parameter removed", Breaks::SERVERS)
                }
                (Some(_), None) => self.push(&place, "optional parameter removed", Breaks::NONE),
                (Some(old), Some(new)) => {
                    match (required(old), required(new)) {
                        (false, true) => {
                            self.push(&place, "parameter became required", Breaks::CLIENTS)
                        }
                        (true, false) => {
                            self.push(&place, "parameter became optional", Breaks::SERVERS)
                        }
                        _ => {}
                    }
                    self.schema(&place, &old["schema"], &new["schema"], Flow::Request);
                }
                (None, None) => {}
            }
        }
        match (old.get("requestBody"), new.get("requestBody")) {
            (None, Some(body)) if body["required"] == json!(true) => self.push(
                &format!("{at} › request"),
                "required body added",
                Breaks::CLIENTS,
            ),
            (None, Some(_)) => self.push(
                &format!("{at} › request"),
                "optional body added",
                Breaks::SERVERS,
            ),
            (Some(_), None) => {
                self.push(&format!("{at} › request"), "body removed", Breaks::CLIENTS)
            }
            (Some(old), Some(new)) => {
                let place = format!("{at} › request");
                match (
                    old["required"] == json!(true),
                    new["required"] == json!(true),
                ) {
                    (false, true) => self.push(&place, "body became required", Breaks::CLIENTS),
                    (true, false) => self.push(&place, "body became optional", Breaks::SERVERS),
                    _ => {}
                }
                self.content(&place, &old["content"], &new["content"], Flow::Request);
            }
            (None, None) => {}
        }
        for (status, old_response, new_response) in pairs(&old["responses"], &new["responses"]) {
            let place = format!("{at} › response {status}");
            let success = status.starts_with('2');
            match (old_response, new_response) {
                // Old clients meet a status they were not generated for.
                (None, Some(_)) if success => {
                    self.push(&place, "success status added", Breaks::CLIENTS)
                }
                (None, Some(_)) => self.push(&place, "error status added", Breaks::NONE),
                // Old servers still send it; new clients do not expect it.
                (Some(_), None) => self.push(&place, "status removed", Breaks::BOTH),
                (Some(old), Some(new)) => {
                    self.content(&place, &old["content"], &new["content"], Flow::Response);
                    for (header, old_header, new_header) in pairs(&old["headers"], &new["headers"])
                    {
                        let place = format!("{place} › header {header}");
                        match (old_header, new_header) {
                            (Some(_), None) => {
                                self.push(&place, "response header removed", Breaks::CLIENTS)
                            }
                            (None, Some(_)) => {
                                self.push(&place, "response header added", Breaks::NONE)
                            }
                            (Some(old), Some(new)) => self.schema(&place, old, new, Flow::Response),
                            (None, None) => {}
                        }
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn security(&mut self, at: &str, old: &Value, new: &Value) {
        // Each requirement is a set of schemes needed together; any one
        // requirement suffices.
        let sets = |value: &Value| -> Vec<Vec<String>> {
            value
                .as_array()
                .into_iter()
                .flatten()
                .map(|set| {
                    set.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .collect()
        };
        let (old_sets, new_sets) = (sets(old), sets(new));
        let covered = |by: &[Vec<String>], set: &Vec<String>| {
            by.iter().any(|other| other.iter().all(|s| set.contains(s)))
        };
        // A client meeting an old requirement may not meet a new one.
        let stricter = old_sets.iter().any(|set| !covered(&new_sets, set))
            || (old_sets.is_empty() && !new_sets.is_empty());
        // A new client may meet only a requirement old servers did not accept.
        let looser = new_sets.iter().any(|set| !covered(&old_sets, set))
            || (new_sets.is_empty() && !old_sets.is_empty());
        let breaks = Breaks {
            clients: stricter,
            servers: looser,
        };
        self.push(
            &format!("{at} › security"),
            format!("security {old} → {new}"),
            breaks,
        );
    }

    fn security_schemes(&mut self, old: &Value, new: &Value) {
        for (name, old_scheme, new_scheme) in pairs(old, new) {
            let place = format!("security scheme {name}");
            match (old_scheme, new_scheme) {
                (Some(_), None) => self.push(&place, "scheme removed", Breaks::BOTH),
                (None, Some(_)) => self.push(&place, "scheme added", Breaks::NONE),
                (Some(old), Some(new)) if old != new => self.push(
                    &place,
                    format!("scheme changed: {old} → {new}"),
                    Breaks::BOTH,
                ),
                _ => {}
            }
        }
    }

    fn content(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        for (media_type, old_schema, new_schema) in pairs(old, new) {
            let place = if media_type == "application/json" {
                format!("{at} › body")
            } else {
                format!("{at} › body {media_type}")
            };
            match (old_schema, new_schema) {
                (Some(_), None) => self.push(&place, "media type removed", flow.narrowed()),
                (None, Some(_)) => self.push(&place, "media type added", flow.widened()),
                (Some(old), Some(new)) => self.schema(&place, old, new, flow),
                (None, None) => {}
            }
        }
    }

    /// Compares two canonical schemas flowing `flow`.
    fn schema(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        if without_sources(old) == without_sources(new) {
            return;
        }
        let (Some(old_object), Some(new_object)) = (old.as_object(), new.as_object()) else {
            self.push_schema(at, old, new, "schema replaced", Breaks::BOTH);
            return;
        };
        let nullable = |schema: &Map<String, Value>| schema.get("nullable") == Some(&json!(true));
        match (nullable(old_object), nullable(new_object)) {
            (false, true) => self.push_schema(at, old, new, "became nullable", flow.widened()),
            (true, false) => self.push_schema(at, old, new, "no longer nullable", flow.narrowed()),
            _ => {}
        }
        if old.get("type") != new.get("type") {
            self.push_schema(
                at,
                old,
                new,
                format!(
                    "type {} → {}",
                    shown(old.get("type")),
                    shown(new.get("type"))
                ),
                Breaks::BOTH,
            );
            return;
        }
        self.values(at, old, new, flow);
        self.bounds(at, old, new, flow);
        for keyword in ["pattern", "format"] {
            if old.get(keyword) != new.get(keyword) {
                // Which of two patterns admits more cannot be decided here.
                self.push_schema(
                    at,
                    old,
                    new,
                    format!(
                        "{keyword} {} → {}",
                        shown(old.get(keyword)),
                        shown(new.get(keyword))
                    ),
                    Breaks::BOTH,
                );
            }
        }
        self.object(at, old, new, flow);
        match (old.get("items"), new.get("items")) {
            (Some(old_items), Some(new_items)) => {
                self.schema(&format!("{at}[]"), old_items, new_items, flow)
            }
            (None, None) => {}
            _ => self.push_schema(at, old, new, "array items changed", Breaks::BOTH),
        }
        for keyword in ["oneOf", "anyOf", "allOf"] {
            let branches = |schema: &Value| {
                schema
                    .get(keyword)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            };
            let (old_branches, new_branches) = (branches(old), branches(new));
            if old_branches.len() != new_branches.len() {
                self.push_schema(
                    at,
                    old,
                    new,
                    format!(
                        "{keyword} now has {} branches, had {}",
                        new_branches.len(),
                        old_branches.len()
                    ),
                    Breaks::BOTH,
                );
            } else {
                for (index, (old_branch, new_branch)) in
                    old_branches.iter().zip(&new_branches).enumerate()
                {
                    self.schema(
                        &format!("{at} › {keyword}#{index}"),
                        old_branch,
                        new_branch,
                        flow,
                    );
                }
            }
        }
    }

    /// Closed (`enum`) and open (`x-extensible-enum`) sets of values.
    fn values(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        let set = |schema: &Value, key: &str| schema.get(key).and_then(Value::as_array).cloned();
        match (set(old, "enum"), set(new, "enum")) {
            (Some(old_values), Some(new_values)) => {
                let removed: Vec<&Value> = old_values
                    .iter()
                    .filter(|v| !new_values.contains(v))
                    .collect();
                let added: Vec<&Value> = new_values
                    .iter()
                    .filter(|v| !old_values.contains(v))
                    .collect();
                if !removed.is_empty() {
                    self.push_schema(
                        at,
                        old,
                        new,
                        format!("allowed values removed: {}", list(&removed)),
                        flow.narrowed(),
                    );
                }
                if !added.is_empty() {
                    self.push_schema(
                        at,
                        old,
                        new,
                        format!("allowed values added: {}", list(&added)),
                        flow.widened(),
                    );
                }
            }
            (None, Some(_)) => self.push_schema(
                at,
                old,
                new,
                "restricted to a closed set of values",
                flow.narrowed(),
            ),
            (Some(_), None) => self.push_schema(
                at,
                old,
                new,
                "no longer a closed set of values",
                flow.widened(),
            ),
            (None, None) => {}
        }
        let (old_known, new_known) = (
            set(old, "x-extensible-enum").unwrap_or_default(),
            set(new, "x-extensible-enum").unwrap_or_default(),
        );
        let added: Vec<&Value> = new_known
            .iter()
            .filter(|v| !old_known.contains(v))
            .collect();
        let removed: Vec<&Value> = old_known
            .iter()
            .filter(|v| !new_known.contains(v))
            .collect();
        if !added.is_empty() {
            self.push_schema(
                at,
                old,
                new,
                format!("known values added to an open set: {}", list(&added)),
                Breaks::NONE,
            );
        }
        if !removed.is_empty() {
            self.push_schema(
                at,
                old,
                new,
                format!("known values removed from an open set: {}", list(&removed)),
                Breaks::NONE,
            );
        }
    }

    /// Numeric bounds and length limits: raising a lower bound or lowering
    /// an upper one narrows what is allowed.
    fn bounds(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        const LOWER: &[&str] = &[
            "minimum",
            "exclusiveMinimum",
            "minItems",
            "minLength",
            "minProperties",
        ];
        const UPPER: &[&str] = &[
            "maximum",
            "exclusiveMaximum",
            "maxItems",
            "maxLength",
            "maxProperties",
        ];
        for keyword in LOWER.iter().chain(UPPER) {
            let (old_bound, new_bound) = (number(old.get(*keyword)), number(new.get(*keyword)));
            if old_bound == new_bound {
                continue;
            }
            let lower = LOWER.contains(keyword);
            let narrowed = match (old_bound, new_bound) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(o), Some(n)) => {
                    if lower {
                        n > o
                    } else {
                        n < o
                    }
                }
                (None, None) => continue,
            };
            let breaks = if narrowed {
                flow.narrowed()
            } else {
                flow.widened()
            };
            let verb = if narrowed { "tightened" } else { "loosened" };
            self.push_schema(
                at,
                old,
                new,
                format!(
                    "{keyword} {verb}: {} → {}",
                    shown(old.get(*keyword)),
                    shown(new.get(*keyword))
                ),
                breaks,
            );
        }
        if old.get("uniqueItems") != new.get("uniqueItems") {
            let narrowed = new.get("uniqueItems") == Some(&json!(true));
            self.push_schema(
                at,
                old,
                new,
                "uniqueItems changed",
                if narrowed {
                    flow.narrowed()
                } else {
                    flow.widened()
                },
            );
        }
    }

    fn object(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        let (old_required, new_required) = (required_names(old), required_names(new));
        let closed = |schema: &Value| schema.get("additionalProperties") == Some(&json!(false));
        let empty = json!({});
        for (name, old_property, new_property) in pairs(
            old.get("properties").unwrap_or(&empty),
            new.get("properties").unwrap_or(&empty),
        ) {
            let place = format!("{at}.{name}");
            let (was_required, is_required) =
                (old_required.contains(&name), new_required.contains(&name));
            match (old_property, new_property) {
                (Some(property), None) => {
                    let breaks = match flow {
                        // Old clients still send it: refused only if extra properties are.
                        Flow::Request => Breaks {
                            clients: closed(new),
                            servers: was_required,
                        },
                        // Clients that relied on it lose it; optional ones never could.
                        Flow::Response => Breaks {
                            clients: was_required,
                            servers: false,
                        },
                    };
                    self.push_schema(
                        &place,
                        property,
                        &Value::Null,
                        if was_required {
                            "required property removed"
                        } else {
                            "optional property removed"
                        },
                        breaks,
                    );
                }
                (None, Some(property)) => {
                    let breaks = match flow {
                        Flow::Request => Breaks {
                            clients: is_required,
                            servers: closed(old),
                        },
                        Flow::Response => Breaks {
                            clients: false,
                            servers: is_required,
                        },
                    };
                    self.push_schema(
                        &place,
                        &Value::Null,
                        property,
                        if is_required {
                            "required property added"
                        } else {
                            "optional property added"
                        },
                        breaks,
                    );
                }
                (Some(old_property), Some(new_property)) => {
                    match (was_required, is_required) {
                        (false, true) => self.push_schema(
                            &place,
                            old_property,
                            new_property,
                            "became required",
                            flow.narrowed(),
                        ),
                        (true, false) => self.push_schema(
                            &place,
                            old_property,
                            new_property,
                            "became optional",
                            flow.widened(),
                        ),
                        _ => {}
                    }
                    self.schema(&place, old_property, new_property, flow);
                }
                (None, None) => {}
            }
        }
        match (
            old.get("additionalProperties"),
            new.get("additionalProperties"),
        ) {
            (Some(o), Some(n)) if o.is_object() && n.is_object() => {
                self.schema(&format!("{at}{{*}}"), o, n, flow)
            }
            (o, n) if o != n => {
                let narrowed = n == Some(&json!(false));
                let change = if narrowed {
                    "extra properties no longer allowed"
                } else {
                    "extra properties now allowed"
                };
                self.push_schema(
                    at,
                    old,
                    new,
                    change,
                    if narrowed {
                        flow.narrowed()
                    } else {
                        flow.widened()
                    },
                );
            }
            _ => {}
        }
    }
}

/// The keys of two objects, in order of first appearance, with each side's value.
fn pairs<'a>(
    old: &'a Value,
    new: &'a Value,
) -> Vec<(String, Option<&'a Value>, Option<&'a Value>)> {
    let mut keys: Vec<&String> = Vec::new();
    for key in old
        .as_object()
        .into_iter()
        .flat_map(Map::keys)
        .chain(new.as_object().into_iter().flat_map(Map::keys))
    {
        if key != SOURCE && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys.into_iter()
        .map(|key| (key.clone(), old.get(key), new.get(key)))
        .collect()
}

fn number(value: Option<&Value>) -> Option<f64> {
    value.and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok()))
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "none".to_owned(), Value::to_string)
}

fn list(values: &[&Value]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a version of the document comes from: a file, or a git revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    /// `git show REV:openapi/scan-reports.yaml`, or `REV:path`.
    Revision {
        revision: String,
        path: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error("`{0}` is neither a file nor a git revision of this repository: {1}")]
    Unknown(String, String),
    #[error(transparent)]
    Document(#[from] DocumentError),
}

impl Source {
    /// A path that exists is a file; anything else is a revision, `REV` or `REV:path`.
    pub fn parse(text: &str) -> Self {
        if Path::new(text).exists() {
            return Self::File(PathBuf::from(text));
        }
        match text.split_once(':') {
            Some((revision, path)) if !path.is_empty() => Self::Revision {
                revision: revision.into(),
                path: path.into(),
            },
            _ => Self::Revision {
                revision: text.into(),
                path: "openapi/scan-reports.yaml".into(),
            },
        }
    }

    /// Loads the document, reading revisions from the git repository at `repository`.
    pub fn load(&self, repository: &Path) -> Result<Document, DiffError> {
        match self {
            Self::File(path) => Ok(Document::load(path)?),
            Self::Revision { revision, path } => {
                let output = Command::new("git")
                    .arg("-C")
                    .arg(repository)
                    .args(["show", &format!("{revision}:{path}")])
                    .output()
                    .map_err(|error| DiffError::Unknown(revision.clone(), error.to_string()))?;
                if !output.status.success() {
                    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
                    return Err(DiffError::Unknown(format!("{revision}:{path}"), stderr));
                }
                let text = String::from_utf8_lossy(&output.stdout);
                Ok(Document::parse(
                    Path::new(&format!("{revision}:{path}")),
                    &text,
                )?)
            }
        }
    }

    pub fn load_here(&self) -> Result<Document, DiffError> {
        self.load(&project::root())
    }
}

/// How `cargo xtask diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

/// The report of a comparison, in `format`.
pub fn render(old: &str, new: &str, changes: &[Change], format: Format) -> String {
    let breaking = changes.iter().filter(|c| c.breaks.is_breaking()).count();
    let verdict = if changes.is_empty() {
        "no contract change".to_owned()
    } else if breaking == 0 {
        format!("{} compatible changes, none breaking", changes.len())
    } else {
        format!("{} changes, {breaking} breaking", changes.len())
    };
    match format {
        Format::Json => serde_json::to_string_pretty(&json!({
            "old": old,
            "new": new,
            "breaking": breaking > 0,
            "breaks_clients": changes.iter().any(|c| c.breaks.clients),
            "breaks_servers": changes.iter().any(|c| c.breaks.servers),
            "changes": changes,
        }))
        .unwrap_or_default(),
        Format::Text => {
            let mut out = format!("{old} → {new}: {verdict}\n");
            for (change, more) in grouped(changes) {
                let _ = writeln!(
                    out,
                    "[{}] {}: {}",
                    change.breaks.label(),
                    change.location,
                    change.change
                );
                if let (Some(old_source), Some(new_source)) =
                    (&change.old_source, &change.new_source)
                {
                    let _ = writeln!(out, "    old {old_source}, new {new_source}");
                }
                if more > 0 {
                    let _ = writeln!(out, "    and {more} more places using the same schema");
                }
            }
            out
        }
        Format::Markdown => {
            let mut out = format!("### OpenAPI changes: `{old}` → `{new}`\n\n{verdict}\n");
            if !changes.is_empty() {
                out.push_str("\n| breaks | where | change |\n|---|---|---|\n");
                for (change, more) in grouped(changes) {
                    let also = if more > 0 {
                        format!(" (and {more} more places)")
                    } else {
                        String::new()
                    };
                    let _ = writeln!(
                        out,
                        "| {} | `{}`{also} | {} |",
                        change.breaks.label(),
                        change.location.replace('|', "\\|"),
                        change.change.replace('|', "\\|")
                    );
                }
            }
            out
        }
    }
}

/// One change of a shared schema shows once per use; people read it once,
/// with the number of other places it appears.
fn grouped(changes: &[Change]) -> Vec<(&Change, usize)> {
    let mut groups: Vec<(&Change, usize)> = Vec::new();
    for change in changes {
        let same = |other: &Change| {
            other.old_source.is_some()
                && other.change == change.change
                && other.breaks == change.breaks
                && other.old_source == change.old_source
                && other.new_source == change.new_source
        };
        match groups.iter_mut().find(|(first, _)| same(first)) {
            Some((_, more)) => *more += 1,
            None => groups.push((change, 0)),
        }
    }
    groups
}

/// The exit code of `cargo xtask diff` for `changes`: 0 none breaking, 1 breaking.
pub fn exit_code(changes: &[Change]) -> u8 {
    u8::from(changes.iter().any(|change| change.breaks.is_breaking()))
}
