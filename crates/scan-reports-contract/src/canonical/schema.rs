//! The canonical form of one schema: one spelling for each meaning, and
//! nothing that constrains no value.
//!
//! What is dropped: annotations and unknown keywords (JSON Schema ignores
//! them), keywords that do not apply to the schema's types (`maximum` on a
//! string), constraints that constrain nothing (`minItems: 0`,
//! `uniqueItems: false`), a `default` of a required property, and integer
//! bounds already implied by `format: int32`/`int64` (the format becomes its
//! bounds, so either spelling reads alike). What is respelled:
//!
//! - `$ref`s inlined, with their sibling keywords applied to the target;
//!   a reference to a schema being inlined already is kept as
//!   [`RECURSIVE`], so recursive schemas stay finite;
//! - an `allOf` of one branch merged into its parent, so `allOf: [$ref]`
//!   with `nullable` beside it is a nullable reference;
//! - nullability in one spelling, `nullable: true`, whether written as 3.0's
//!   `nullable`, 3.1's `type: [T, 'null']`, a `{type: 'null'}` branch of an
//!   `anyOf`/`oneOf`, or `null` in an `enum`;
//! - `const: v` as `enum: [v]`; exclusive bounds as numbers (3.1), and on
//!   integers as inclusive ones;
//! - compositions ordered, and an `anyOf` of disjoint types as a `oneOf`.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::{CONTRACT_EXTENSIONS, SOURCE, without_sources};
use crate::{
    exact_number::ExactNumber,
    openapi_document::{entries, pointer_segment},
};

/// The key of a schema that stands for a recursive reference: its value
/// is the reference, whose canonical form [`Canonicalizer::recursive`]
/// holds.
pub const RECURSIVE: &str = "$recursive";

/// Keywords that constrain instances, or say what an omitted value means
/// (`default`) and which way a property travels (`readOnly`, `writeOnly`).
/// Every other keyword is an annotation, or unknown and so ignored by JSON
/// Schema, and is dropped.
const CONTRACT_KEYWORDS: &[&str] = &[
    "type",
    "nullable",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
    "items",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "minItems",
    "maxItems",
    "uniqueItems",
    "unevaluatedItems",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "if",
    "then",
    "else",
    "default",
    "readOnly",
    "writeOnly",
];

/// Keywords that only constrain values of some types, and those types.
const TYPED_KEYWORDS: &[(&str, &[&str])] = &[
    ("minLength", &["string"]),
    ("maxLength", &["string"]),
    ("pattern", &["string"]),
    ("minimum", &["integer", "number"]),
    ("maximum", &["integer", "number"]),
    ("exclusiveMinimum", &["integer", "number"]),
    ("exclusiveMaximum", &["integer", "number"]),
    ("multipleOf", &["integer", "number"]),
    ("items", &["array"]),
    ("prefixItems", &["array"]),
    ("contains", &["array"]),
    ("minContains", &["array"]),
    ("maxContains", &["array"]),
    ("minItems", &["array"]),
    ("maxItems", &["array"]),
    ("uniqueItems", &["array"]),
    ("unevaluatedItems", &["array"]),
    ("properties", &["object"]),
    ("required", &["object"]),
    ("additionalProperties", &["object"]),
    ("patternProperties", &["object"]),
    ("propertyNames", &["object"]),
    ("minProperties", &["object"]),
    ("maxProperties", &["object"]),
    ("dependentRequired", &["object"]),
    ("dependentSchemas", &["object"]),
    ("unevaluatedProperties", &["object"]),
];

/// Keywords whose value is a single schema.
const SUBSCHEMA_KEYWORDS: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "propertyNames",
    "contains",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// Keywords whose value is a map of names to schemas.
const SCHEMA_MAP_KEYWORDS: &[&str] = &["properties", "patternProperties", "dependentSchemas"];

/// Keywords whose value is a list of schemas.
const SCHEMA_LIST_KEYWORDS: &[&str] = &["oneOf", "anyOf", "allOf", "prefixItems"];

/// The formats a validator checks (JSON Schema's own). Any other format
/// (`double`, `binary`, `password`, `unixtime`, ...) constrains no value
/// and is dropped; `int32`/`int64` and their kin become bounds.
const ASSERTED_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
    "uuid",
];

/// Bounds an `allOf` may hold twice: the tighter holds.
const LOWER_BOUNDS: &[&str] = &[
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
];
const UPPER_BOUNDS: &[&str] = &[
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
];

/// Lower bounds whose zero constrains nothing.
const ZERO_MEANS_NONE: &[&str] = &["minItems", "minLength", "minProperties", "minContains"];

/// The canonical form of `schema`, found at `source` in `document`.
pub fn canonical_schema(document: &Value, schema: &Value, source: &str) -> Value {
    Canonicalizer::new(document).schema(schema, source)
}

/// Canonicalizes the schemas of one document, each referenced schema once.
#[derive(Debug)]
pub struct Canonicalizer<'a> {
    document: &'a Value,
    /// Canonical forms of references, by reference.
    memo: HashMap<String, Value>,
    /// The references being inlined, outermost first.
    stack: Vec<String>,
    /// References met again while being inlined, since the last one closed.
    met_again: Vec<String>,
    /// The canonical form of every reference met recursively.
    pub recursive: Map<String, Value>,
}

impl<'a> Canonicalizer<'a> {
    pub fn new(document: &'a Value) -> Self {
        Self {
            document,
            memo: HashMap::new(),
            stack: Vec::new(),
            met_again: Vec::new(),
            recursive: Map::new(),
        }
    }

    /// The canonical form of `schema`, found at `source`.
    pub fn schema(&mut self, schema: &Value, source: &str) -> Value {
        let Value::Object(object) = schema else {
            return match schema {
                // `true` admits anything, as `{}` does; `false` (nothing)
                // stays as it is, as the rules read it.
                Value::Bool(true) => json!({ SOURCE: source }),
                other => other.clone(),
            };
        };
        match object.get("$ref") {
            Some(Value::String(reference)) => self.reference(reference, object, source),
            _ => self.plain(object, source),
        }
    }

    fn reference(&mut self, reference: &str, object: &Map<String, Value>, source: &str) -> Value {
        let target = self.target(reference);
        let siblings: Map<String, Value> = object
            .iter()
            .filter(|(key, _)| key.as_str() != "$ref" && is_contract(key))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        if siblings.is_empty() {
            return target;
        }
        // Keywords beside a `$ref` apply together with it (3.1 says so;
        // in 3.0 documents they are written, as `nullable` is, to mean it).
        let mut parent = siblings;
        parent.insert("allOf".into(), json!([{ "$ref": reference }]));
        self.plain(&parent, source)
    }

    /// The canonical form of the schema `reference` names.
    fn target(&mut self, reference: &str) -> Value {
        if let Some(done) = self.memo.get(reference) {
            return done.clone();
        }
        let Some(target) = reference
            .strip_prefix('#')
            .and_then(|pointer| self.document.pointer(pointer))
        else {
            return json!({ "unresolved": reference, SOURCE: reference });
        };
        if self.stack.iter().any(|open| open == reference) {
            self.met_again.push(reference.to_owned());
            return json!({ RECURSIVE: reference, SOURCE: reference });
        }
        self.stack.push(reference.to_owned());
        let before = self.met_again.len();
        let canonical = self.schema(target, reference);
        self.stack.pop();
        let met: Vec<String> = self.met_again.drain(before..).collect();
        if met.iter().any(|again| again == reference) {
            self.recursive
                .insert(reference.to_owned(), canonical.clone());
        }
        // A form that stands a reference still open for its own is right
        // only inside that reference: kept for no other place.
        let open_elsewhere: Vec<String> =
            met.into_iter().filter(|again| again != reference).collect();
        if open_elsewhere.is_empty() {
            self.memo.insert(reference.to_owned(), canonical.clone());
        } else {
            self.met_again.extend(open_elsewhere);
        }
        canonical
    }

    fn plain(&mut self, object: &Map<String, Value>, source: &str) -> Value {
        let mut shape = Shape::read(object);
        for (key, value) in object {
            let key = key.as_str();
            if !is_contract(key) || matches!(key, "type" | "nullable" | "format" | "const") {
                continue;
            }
            let at = format!("{source}/{}", pointer_segment(key));
            let canonical_value = if SCHEMA_MAP_KEYWORDS.contains(&key) {
                Value::Object(
                    entries(Some(value))
                        .map(|(name, schema)| {
                            let at = format!("{at}/{}", pointer_segment(name));
                            (name.clone(), self.schema(schema, &at))
                        })
                        .collect(),
                )
            } else if SUBSCHEMA_KEYWORDS.contains(&key) {
                self.schema(value, &at)
            } else if SCHEMA_LIST_KEYWORDS.contains(&key) {
                Value::Array(
                    value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .enumerate()
                        .map(|(index, branch)| self.schema(branch, &format!("{at}/{index}")))
                        .collect(),
                )
            } else {
                value.clone()
            };
            shape.out.insert(key.to_owned(), canonical_value);
        }
        if let Some(constant) = object.get("const") {
            shape.out.insert("enum".into(), json!([constant]));
        }
        shape.finish(object.get("format").and_then(Value::as_str), source)
    }
}

fn is_contract(key: &str) -> bool {
    CONTRACT_KEYWORDS.contains(&key) || CONTRACT_EXTENSIONS.contains(&key)
}

/// A schema being made canonical: its keys so far, and its nullability and
/// types, which other spellings may still change.
struct Shape {
    out: Map<String, Value>,
    /// Where the schema came from, when it is a merged branch's place
    /// rather than its own (a nullable reference is the reference's).
    adopted_source: Option<Value>,
    /// 3.0's `nullable: true`.
    nullable: bool,
    /// The types, `null` among them where listed.
    types: Vec<String>,
}

impl Shape {
    fn read(object: &Map<String, Value>) -> Self {
        Self {
            out: Map::new(),
            adopted_source: None,
            nullable: object.get("nullable") == Some(&Value::Bool(true)),
            types: type_list(object.get("type")),
        }
    }

    /// Bounds, formats, types and nullability in their one spelling.
    fn finish(mut self, format: Option<&str>, source: &str) -> Value {
        self.merge_single_all_of();
        self.fold_null_branches();
        self.drop_subsumed_branches();
        self.merge_single_branches();
        let nullable = self.nullability();
        self.normalize_compositions();
        crate::json_schema::exclusive_bounds(&mut self.out);
        let types: Vec<String> = self
            .types
            .iter()
            .filter(|t| *t != "null")
            .cloned()
            .collect();
        if types.iter().any(|t| t == "integer") {
            integer_bounds(&mut self.out, format);
        } else if let Some(format) = format
            && ASSERTED_FORMATS.contains(&format)
        {
            self.out.insert("format".into(), json!(format));
        }
        if !types.is_empty() {
            drop_inapplicable(&mut self.out, &types);
        }
        drop_unconstraining(&mut self.out);
        if types.iter().any(|t| t == "object") && !self.out.contains_key("additionalProperties") {
            // Absent means any extra property is allowed.
            self.out.insert(
                "additionalProperties".into(),
                json!({ SOURCE: format!("{source}/additionalProperties") }),
            );
        }
        if types.iter().any(|t| t == "array") && !self.out.contains_key("items") {
            let at = format!("{source}/items");
            self.out.insert("items".into(), json!({ SOURCE: at }));
        }
        defaults_of_required_dropped(&mut self.out);
        match types.len() {
            0 if self.types.iter().any(|t| t == "null") => {
                // `type: 'null'` and nothing else: only null.
                self.out.insert("type".into(), json!("null"));
            }
            0 => {}
            1 => {
                self.out.insert("type".into(), json!(types[0]));
            }
            _ => {
                let mut types = types;
                types.sort();
                self.out.insert("type".into(), json!(types));
            }
        }
        self.out.remove("nullable");
        if nullable && self.out.get("type") != Some(&json!("null")) {
            self.out.insert("nullable".into(), json!(true));
        }
        let source = self.adopted_source.take().unwrap_or_else(|| json!(source));
        self.out.insert(SOURCE.into(), source);
        Value::Object(self.out)
    }

    /// Whether null is admitted, with `null` taken out of `enum`.
    fn nullability(&mut self) -> bool {
        let listed_null = self.types.iter().any(|t| t == "null");
        let typed = self.types.iter().any(|t| t != "null");
        let enum_null = match self.out.get_mut("enum") {
            Some(Value::Array(values)) => {
                let before = values.len();
                values.retain(|value| !value.is_null());
                Some(values.len() < before)
            }
            _ => None,
        };
        if self.nullable {
            // 3.0: `nullable: true` adds null to whatever else is allowed.
            return true;
        }
        let type_admits = !typed || listed_null;
        let enum_admits = enum_null != Some(false);
        let said = listed_null || enum_null == Some(true);
        if said && type_admits && enum_admits {
            return true;
        }
        if enum_null == Some(true) && self.out.get("enum").is_some_and(|e| e == &json!([])) {
            // `enum: [null]` on a type that refuses null admits nothing;
            // keep it spelled as it was.
            if let Some(Value::Array(values)) = self.out.get_mut("enum") {
                values.push(Value::Null);
            }
        }
        false
    }

    /// `allOf` branches merged into their parent where no keyword of one
    /// contradicts another's: `allOf: [X]` is X, `allOf: [$ref, {nullable:
    /// true}]` a nullable reference, `allOf: [Base, {properties: ...}]`
    /// one object. A branch that would clash stays under `allOf`.
    fn merge_single_all_of(&mut self) {
        let Some(Value::Array(branches)) = self.out.remove("allOf") else {
            return;
        };
        let mut kept = Vec::new();
        let alone = branches.len() == 1 && self.out.is_empty();
        for branch in branches {
            let Value::Object(branch) = branch else {
                kept.push(branch);
                continue;
            };
            if without_sources(&Value::Object(branch.clone())) == json!({ "nullable": true }) {
                // The 3.0 idiom for a nullable reference.
                self.nullable = true;
                continue;
            }
            if kept.is_empty() && self.merges(&branch) {
                if alone {
                    self.adopted_source = branch.get(SOURCE).cloned();
                }
                self.merge(branch);
            } else {
                kept.push(Value::Object(branch));
            }
        }
        if !kept.is_empty() {
            self.out.insert("allOf".into(), Value::Array(kept));
        }
    }

    /// Whether `branch` can be merged without changing what is admitted.
    fn merges(&self, branch: &Map<String, Value>) -> bool {
        let branch_types = type_list(branch.get("type"));
        let mine: Vec<&String> = self.types.iter().filter(|t| *t != "null").collect();
        if !mine.is_empty()
            && !branch_types.is_empty()
            && mine != branch_types.iter().collect::<Vec<_>>()
        {
            return false;
        }
        branch.iter().all(|(key, value)| match key.as_str() {
            SOURCE | "type" | "nullable" | "required" => true,
            "allOf" => false,
            "properties" => match self.out.get("properties") {
                Some(Value::Object(mine)) => entries(Some(value)).all(|(name, schema)| {
                    mine.get(name)
                        .is_none_or(|other| without_sources(other) == without_sources(schema))
                }),
                _ => true,
            },
            key if LOWER_BOUNDS.contains(&key) || UPPER_BOUNDS.contains(&key) => true,
            "additionalProperties" => {
                self.out
                    .get(key)
                    .is_none_or(|mine| without_sources(mine) == without_sources(value))
                    || (is_open(value) && self.out.get(key).is_none_or(is_open))
            }
            _ => self
                .out
                .get(key)
                .is_none_or(|mine| without_sources(mine) == without_sources(value)),
        })
    }

    fn merge(&mut self, branch: Map<String, Value>) {
        let branch_types = type_list(branch.get("type"));
        for (key, value) in branch {
            match key.as_str() {
                "type" => {
                    let listed_null = self.types.iter().any(|t| t == "null");
                    self.types = branch_types.clone();
                    if listed_null {
                        self.types.push("null".into());
                    }
                }
                "nullable" => self.nullable |= value == json!(true),
                SOURCE => {}
                "properties" => {
                    let properties = self
                        .out
                        .entry("properties")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let (Value::Object(mine), Value::Object(more)) = (properties, value) {
                        for (name, schema) in more {
                            mine.entry(name).or_insert(schema);
                        }
                    }
                }
                "required" => {
                    let required = self
                        .out
                        .entry("required")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let (Value::Array(mine), Value::Array(more)) = (required, value) {
                        mine.extend(more);
                    }
                }
                "additionalProperties" if is_open(&value) => {
                    self.out.entry(key).or_insert(value);
                }
                bound if LOWER_BOUNDS.contains(&bound) || UPPER_BOUNDS.contains(&bound) => {
                    // Both hold: the tighter one.
                    let lower = LOWER_BOUNDS.contains(&bound);
                    let tighter = match (
                        self.out.get(&key).and_then(ExactNumber::of),
                        ExactNumber::of(&value),
                    ) {
                        (Some(mine), Some(theirs))
                            if (lower && mine >= theirs) || (!lower && mine <= theirs) =>
                        {
                            None
                        }
                        _ => Some(value),
                    };
                    if let Some(value) = tighter {
                        self.out.insert(key, value);
                    }
                }
                _ => {
                    self.out.insert(key, value);
                }
            }
        }
    }

    /// A `null` branch of a composition is nullability spelled another way.
    fn fold_null_branches(&mut self) {
        for key in ["oneOf", "anyOf"] {
            let Some(Value::Array(branches)) = self.out.get_mut(key) else {
                continue;
            };
            let before = branches.len();
            branches.retain(|branch| !is_null_schema(branch));
            if branches.len() < before {
                self.nullable = true;
            }
        }
    }

    /// An `anyOf` branch that another branch admits all of adds nothing:
    /// `anyOf: [{type: string}, {type: string, enum: [a, b]}]` is a string.
    fn drop_subsumed_branches(&mut self) {
        let Some(Value::Array(branches)) = self.out.get_mut("anyOf") else {
            return;
        };
        let bare: Vec<Value> = branches
            .iter()
            .filter(|branch| {
                branch.as_object().is_some_and(|object| {
                    object.contains_key("type")
                        && object
                            .keys()
                            .all(|key| matches!(key.as_str(), "type" | "nullable" | SOURCE))
                })
            })
            .cloned()
            .collect();
        let subsumed = |branch: &Value| {
            bare.iter().any(|wide| {
                !std::ptr::eq(wide, branch)
                    && without_sources(wide) != without_sources(branch)
                    && wide.get("type") == branch.get("type")
                    && (wide.get("nullable").is_some() || branch.get("nullable").is_none())
            })
        };
        let kept: Vec<Value> = branches.iter().filter(|b| !subsumed(b)).cloned().collect();
        *branches = kept;
    }

    /// A `oneOf` or `anyOf` of one branch is that branch.
    fn merge_single_branches(&mut self) {
        for key in ["oneOf", "anyOf"] {
            let single =
                matches!(self.out.get(key), Some(Value::Array(branches)) if branches.len() == 1);
            if single
                && !self.out.contains_key("allOf")
                && let Some(branches) = self.out.remove(key)
            {
                self.out.insert("allOf".into(), branches);
                self.merge_single_all_of();
                if let Some(branches) = self.out.remove("allOf") {
                    // Not mergeable: kept as it was written.
                    self.out.insert(key.into(), branches);
                }
            }
        }
    }

    fn normalize_compositions(&mut self) {
        // When no two branches share a type, at most one can match: `anyOf`
        // then means what `oneOf` means.
        if let Some(Value::Array(branches)) = self.out.get("anyOf")
            && !self.out.contains_key("oneOf")
            && types_are_disjoint(branches)
            && let Some(branches) = self.out.remove("anyOf")
        {
            self.out.insert("oneOf".into(), branches);
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let Some(Value::Array(branches)) = self.out.get_mut(key) {
                branches.sort_by_cached_key(|branch| without_sources(branch).to_string());
            }
        }
        // JSON object keys are always strings: `propertyNames: {type: string}`
        // (which utoipa writes for every map) restricts nothing.
        if self
            .out
            .get("propertyNames")
            .is_some_and(|names| without_sources(names) == json!({ "type": "string" }))
        {
            self.out.remove("propertyNames");
        }
    }
}

/// Whether an `additionalProperties` lets any extra property in.
fn is_open(schema: &Value) -> bool {
    schema == &Value::Bool(true)
        || schema
            .as_object()
            .is_some_and(|object| object.keys().all(|key| key == SOURCE))
}

/// `type` as a list of names.
fn type_list(types: Option<&Value>) -> Vec<String> {
    match types {
        Some(Value::String(single)) => vec![single.clone()],
        Some(Value::Array(many)) => many
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// Keywords that constrain only values of types the schema does not allow.
fn drop_inapplicable(out: &mut Map<String, Value>, types: &[String]) {
    let applies = |keyword: &str| {
        TYPED_KEYWORDS
            .iter()
            .find(|(typed, _)| *typed == keyword)
            .is_none_or(|(_, kinds)| {
                kinds.iter().any(|kind| {
                    types
                        .iter()
                        .any(|t| t == kind || (t == "number" && *kind == "integer"))
                })
            })
    };
    out.retain(|keyword, _| applies(keyword));
}

/// Constraints that constrain nothing.
fn drop_unconstraining(out: &mut Map<String, Value>) {
    for keyword in ZERO_MEANS_NONE {
        if out
            .get(*keyword)
            .and_then(ExactNumber::of)
            .is_some_and(|bound| bound == ExactNumber::from_i128(0))
        {
            out.remove(*keyword);
        }
    }
    for keyword in ["uniqueItems", "readOnly", "writeOnly"] {
        if out.get(keyword) == Some(&Value::Bool(false)) {
            out.remove(keyword);
        }
    }
    if out.get("required").is_some_and(|r| r == &json!([])) {
        out.remove("required");
    }
    if let Some(Value::Array(names)) = out.get_mut("required") {
        names.sort_by_key(|v| v.to_string());
        names.dedup();
    }
    for keyword in ["enum", "x-extensible-enum"] {
        if let Some(Value::Array(values)) = out.get_mut(keyword) {
            values.sort_by_cached_key(|v| v.to_string());
            values.dedup();
        }
    }
}

/// A required property is never omitted, so its `default` means nothing.
fn defaults_of_required_dropped(out: &mut Map<String, Value>) {
    let required = required_names_of(out);
    if let Some(Value::Object(properties)) = out.get_mut("properties") {
        for name in required {
            if let Some(Value::Object(property)) = properties.get_mut(&name) {
                property.remove("default");
            }
        }
    }
}

fn required_names_of(schema: &Map<String, Value>) -> Vec<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// Whether every branch has a single type and no two share one (`integer`
/// counts as a `number`).
fn types_are_disjoint(branches: &[Value]) -> bool {
    let mut seen = Vec::new();
    for branch in branches {
        let Some(kind) = branch.get("type").and_then(Value::as_str) else {
            return false;
        };
        let kind = if kind == "integer" { "number" } else { kind };
        if seen.contains(&kind) {
            return false;
        }
        seen.push(kind);
    }
    true
}

/// A canonical schema admitting only `null`.
fn is_null_schema(schema: &Value) -> bool {
    let bare = without_sources(schema);
    bare == json!({ "type": "null" })
        || bare == json!({ "nullable": true, "enum": [] })
        || bare == json!({ "enum": [null] })
}

/// An integer's effective bounds: the format's range narrowed by explicit
/// bounds, exclusive ones made inclusive. Compared exactly, at any size.
fn integer_bounds(schema: &mut Map<String, Value>, format: Option<&str>) {
    let range: Option<(i128, i128)> = match format {
        Some("int32") => Some((i32::MIN.into(), i32::MAX.into())),
        Some("int64") => Some((i64::MIN.into(), i64::MAX.into())),
        Some("uint32") => Some((0, u32::MAX.into())),
        Some("uint64") | Some("uint") => Some((0, u64::MAX.into())),
        Some("uint8") => Some((0, u8::MAX.into())),
        Some("int8") => Some((i8::MIN.into(), i8::MAX.into())),
        Some("uint16") => Some((0, u16::MAX.into())),
        Some("int16") => Some((i16::MIN.into(), i16::MAX.into())),
        _ => None,
    };
    if range.is_none()
        && let Some(format) = format
        && ASSERTED_FORMATS.contains(&format)
    {
        schema.insert("format".into(), json!(format));
    }
    let bound = |schema: &mut Map<String, Value>, inclusive: &str, exclusive: &str, lower: bool| {
        let mut found = schema.remove(inclusive).and_then(|v| ExactNumber::of(&v));
        // An exclusive bound on an integer is the next integer, inclusive.
        if let Some(strict) = schema.get(exclusive).and_then(ExactNumber::of)
            && let Some(integer) = strict.to_i128().filter(|_| strict.is_integer())
        {
            schema.remove(exclusive);
            let next = ExactNumber::from_i128(if lower { integer + 1 } else { integer - 1 });
            found = Some(match found {
                Some(other) if (lower && other > next) || (!lower && other < next) => other,
                _ => next,
            });
        }
        found
    };
    let mut minimum = bound(schema, "minimum", "exclusiveMinimum", true);
    let mut maximum = bound(schema, "maximum", "exclusiveMaximum", false);
    if let Some((low, high)) = range {
        let (low, high) = (ExactNumber::from_i128(low), ExactNumber::from_i128(high));
        minimum = Some(minimum.map_or(low.clone(), |m| m.max(low)));
        maximum = Some(maximum.map_or(high.clone(), |m| m.min(high)));
    }
    if let Some(minimum) = minimum {
        schema.insert("minimum".into(), minimum.to_value());
    }
    if let Some(maximum) = maximum {
        schema.insert("maximum".into(), maximum.to_value());
    }
}

/// The names a schema lists as `required`.
pub fn required_names(schema: &Value) -> Vec<String> {
    schema
        .as_object()
        .map(required_names_of)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
