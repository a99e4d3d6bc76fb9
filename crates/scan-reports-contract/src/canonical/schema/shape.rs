//! A schema being made canonical: the keywords read so far, and the
//! spellings of nullability, types and compositions brought to one.

mod all_of;

use serde_json::{Map, Value, json};

use super::{
    SOURCE, asserted_formats,
    cleanup::{
        defaults_of_required_dropped, drop_inapplicable, drop_unconstraining, integer_bounds,
        is_integer_format, is_null_schema, type_list, types_are_disjoint,
    },
};
use crate::{
    canonical::{
        references::{Tables, reference_of},
        same_but_sources, without_marks,
    },
    openapi_document::Dialect,
};

/// A schema being made canonical: its keys so far, and its nullability and
/// types, which other spellings may still change.
pub(super) struct Shape {
    pub(super) out: Map<String, Value>,
    /// Where the schema came from, when it is a merged branch's place
    /// rather than its own (a nullable reference is the reference's).
    adopted_source: Option<Value>,
    /// 3.0's `nullable: true`.
    nullable: bool,
    /// The types, `null` among them where listed.
    types: Vec<String>,
    /// The types the schema says itself, before any branch merged in.
    own_types: Vec<String>,
    /// Of the `allOf` branches merged in, whether every one admits null
    /// (`None`: none merged). A merged branch that refuses null refuses it
    /// for the whole: `allOf` takes every branch.
    merged_null: Option<bool>,
    dialect: Dialect,
}

impl Shape {
    pub(super) fn read(object: &Map<String, Value>, dialect: Dialect) -> Self {
        Self {
            out: Map::new(),
            adopted_source: None,
            // `nullable` is a keyword of OpenAPI 3.0 only.
            nullable: dialect == Dialect::OpenApi30
                && object.get("nullable") == Some(&Value::Bool(true)),
            types: type_list(object.get("type")),
            own_types: type_list(object.get("type")),
            merged_null: None,
            dialect,
        }
    }

    /// Bounds, formats, types and nullability in their one spelling; the
    /// schemas reference nodes name are read in `tables`. Where the
    /// schema is a reference and nothing else, the reference node.
    pub(super) fn finish(
        mut self,
        format: Option<&str>,
        source: &str,
        tables: Tables<'_>,
    ) -> Value {
        if let Some(node) = self.lone_reference() {
            return node;
        }
        self.merge_single_all_of(tables);
        self.fold_null_branches(tables);
        self.drop_subsumed_branches(tables);
        self.merge_single_branches(tables);
        if let Some(node) = self.lone_reference() {
            return node;
        }
        let nullable = self.nullability();
        self.normalize_compositions(tables);
        if format.is_some_and(is_integer_format) {
            // An integer format on a number admits integers only.
            for kind in &mut self.types {
                if kind == "number" {
                    *kind = "integer".into();
                }
            }
        }
        crate::dialects::exclusive_bounds(&mut self.out);
        let types: Vec<String> = self
            .types
            .iter()
            .filter(|t| *t != "null")
            .cloned()
            .collect();
        let asserted = asserted_formats(self.dialect);
        if types.iter().any(|t| t == "integer") {
            integer_bounds(&mut self.out, format, asserted);
        } else if let Some(format) = format
            && asserted.contains(&format)
        {
            self.out.insert("format".into(), json!(format));
        }
        if !types.is_empty() {
            drop_inapplicable(&mut self.out, &types);
        }
        drop_unconstraining(&mut self.out);
        // `additionalProperties` evaluates every property `properties` does
        // not, and `items` every item: nothing is left for `unevaluated*`.
        for (evaluating, unevaluated) in [
            ("additionalProperties", "unevaluatedProperties"),
            ("items", "unevaluatedItems"),
        ] {
            if self.out.contains_key(evaluating) {
                self.out.remove(unevaluated);
            }
        }
        // Absent means anything is allowed, but for `unevaluated*`, which
        // apply only to what nothing else evaluated.
        if types.iter().any(|t| t == "object")
            && !self.out.contains_key("additionalProperties")
            && !self.out.contains_key("unevaluatedProperties")
        {
            self.out.insert(
                "additionalProperties".into(),
                json!({ SOURCE: format!("{source}/additionalProperties") }),
            );
        }
        if types.iter().any(|t| t == "array")
            && !self.out.contains_key("items")
            && !self.out.contains_key("unevaluatedItems")
        {
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
        match self.merged_null {
            // A branch taken by `allOf` refuses it.
            Some(false) => return false,
            // Every branch admits it, and so does what the schema says.
            Some(true)
                if enum_admits
                    && (self.own_types.is_empty()
                        || self.own_types.iter().any(|t| t == "null")) =>
            {
                return true;
            }
            _ => {}
        }
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

    /// The schema as a reference node, where it is an `allOf` of one
    /// reference and says nothing else: the reference, shared.
    fn lone_reference(&self) -> Option<Value> {
        if self.nullable || !self.types.is_empty() || self.out.len() != 1 {
            return None;
        }
        match self.out.get("allOf") {
            Some(Value::Array(branches)) if branches.len() == 1 => {
                reference_of(&branches[0]).map(|_| branches[0].clone())
            }
            _ => None,
        }
    }

    /// A `null` branch of a composition is nullability spelled another way.
    fn fold_null_branches(&mut self, tables: Tables<'_>) {
        for key in ["oneOf", "anyOf"] {
            let Some(Value::Array(branches)) = self.out.get_mut(key) else {
                continue;
            };
            let before = branches.len();
            branches.retain(|branch| !tables.resolve(branch).is_some_and(is_null_schema));
            if branches.len() < before {
                self.nullable = true;
            }
        }
    }

    /// An `anyOf` branch that another branch admits all of adds nothing:
    /// `anyOf: [{type: string}, {type: string, enum: [a, b]}]` is a string.
    fn drop_subsumed_branches(&mut self, tables: Tables<'_>) {
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
        // A reference is read as what it names.
        let subsumed = |branch: &Value| {
            let branch = tables.resolve(branch).unwrap_or(branch);
            bare.iter().any(|wide| {
                !same_but_sources(wide, branch)
                    && wide.get("type") == branch.get("type")
                    && (wide.get("nullable").is_some() || branch.get("nullable").is_none())
            })
        };
        let kept: Vec<Value> = branches.iter().filter(|b| !subsumed(b)).cloned().collect();
        *branches = kept;
    }

    /// A `oneOf` or `anyOf` of one branch is that branch.
    fn merge_single_branches(&mut self, tables: Tables<'_>) {
        for key in ["oneOf", "anyOf"] {
            let single =
                matches!(self.out.get(key), Some(Value::Array(branches)) if branches.len() == 1);
            if single
                && !self.out.contains_key("allOf")
                && let Some(branches) = self.out.remove(key)
            {
                self.out.insert("allOf".into(), branches);
                if self.lone_reference().is_some() {
                    return;
                }
                self.merge_single_all_of(tables);
                if let Some(branches) = self.out.remove("allOf") {
                    // Not mergeable: kept as it was written.
                    self.out.insert(key.into(), branches);
                }
            }
        }
    }

    /// A union as a branch of a union of its kind, its branches spliced in:
    /// `anyOf: [A, anyOf: [B, C]]` is `anyOf: [A, B, C]`; for `oneOf` the
    /// same holds where no other branch shares a type with the nested
    /// ones (then no value can match both sides).
    fn flatten_nested_unions(&mut self, tables: Tables<'_>) {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(branches)) = self.out.get(key) else {
                continue;
            };
            // The nested union's branches, where it is spliceable by kind: a
            // union of the same kind, or (in an `anyOf`) a `oneOf` of
            // disjoint types, which is an `anyOf` spelled apart.
            let inner_of = |branch: &Value| -> Option<Vec<Value>> {
                let object = branch.as_object()?;
                let (inner_key, inner) = object
                    .iter()
                    .find(|(k, _)| *k != SOURCE)
                    .filter(|_| object.keys().filter(|k| *k != SOURCE).count() == 1)?;
                let inner = inner.as_array()?;
                let spliceable = inner_key == key
                    || (key == "anyOf"
                        && inner_key == "oneOf"
                        && types_are_disjoint(inner, tables));
                spliceable.then(|| inner.clone())
            };
            let kind = |branch: &Value| {
                branch
                    .get("type")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            let numeric = |k: &str| k == "integer" || k == "number";
            let apart = |a: &str, b: &str| a != b && !(numeric(a) && numeric(b));
            let mut flat = Vec::with_capacity(branches.len());
            let mut changed = false;
            for (index, branch) in branches.iter().enumerate() {
                let splice = inner_of(branch).filter(|inner| {
                    key == "anyOf"
                        || branches
                            .iter()
                            .enumerate()
                            .filter(|(other, _)| *other != index)
                            .all(|(_, sibling)| {
                                kind(sibling).is_some_and(|sibling| {
                                    inner.iter().all(|branch| {
                                        kind(branch).is_some_and(|k| apart(&k, &sibling))
                                    })
                                })
                            })
                });
                match splice {
                    Some(inner) => {
                        flat.extend(inner);
                        changed = true;
                    }
                    None => flat.push(branch.clone()),
                }
            }
            if changed {
                self.out.insert(key.into(), Value::Array(flat));
            }
        }
    }

    fn normalize_compositions(&mut self, tables: Tables<'_>) {
        self.flatten_nested_unions(tables);
        // When no two branches share a type, at most one can match: `anyOf`
        // then means what `oneOf` means.
        if let Some(Value::Array(branches)) = self.out.get("anyOf")
            && !self.out.contains_key("oneOf")
            && types_are_disjoint(branches, tables)
            && let Some(branches) = self.out.remove("anyOf")
        {
            self.out.insert("oneOf".into(), branches);
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let Some(Value::Array(branches)) = self.out.get_mut(key) {
                // Deprecation marks refuse nothing: they leave the order as it was.
                branches.sort_by_cached_key(|branch| without_marks(branch).to_string());
            }
        }
        // JSON object keys are always strings: `propertyNames: {type: string}`
        // (which utoipa writes for every map) restricts nothing.
        if self
            .out
            .get("propertyNames")
            .is_some_and(|names| same_but_sources(names, &json!({ "type": "string" })))
        {
            self.out.remove("propertyNames");
        }
    }
}

/// `allOf` branches with the `allOf`s they hold spliced in after them:
/// `allOf: [A, {X, allOf: [B]}]` is `allOf: [A, X, B]`.
fn flattened_all_of(branches: Vec<Value>) -> Vec<Value> {
    let mut flat = Vec::with_capacity(branches.len());
    for branch in branches {
        let Value::Object(mut object) = branch else {
            flat.push(branch);
            continue;
        };
        match object.remove("allOf") {
            Some(Value::Array(inner)) => {
                flat.push(Value::Object(object));
                flat.extend(flattened_all_of(inner));
            }
            other => {
                if let Some(other) = other {
                    object.insert("allOf".into(), other);
                }
                flat.push(Value::Object(object));
            }
        }
    }
    flat
}
