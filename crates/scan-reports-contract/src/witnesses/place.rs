//! Where in which value a change is: a change's location read back into
//! the value it is about (a body, a parameter, a header) and the steps
//! inside it, and the concrete routes those steps take through a schema.

use serde_json::Value;

use crate::{
    breaking::likeness,
    canonical::{SOURCE, Tables, without_sources},
    recheck::{ValueAt, ValueKind},
};

/// One step from a value's root to the change's place, as a location
/// writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Property(String),
    Item,
    AnyProperty,
    /// Into one of the branches of `oneOf`, `anyOf` or `allOf`.
    Branch(String),
}

/// One step of a concrete route through a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Hop {
    Property(String),
    Item,
    AnyProperty,
    Branch(String, usize),
}

/// A change's value: its schema in a canonical operation, and the steps
/// inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub operation: String,
    /// JSON pointer segments from the operation to the value's schema.
    pub schema_at: Vec<String>,
    /// What the value is: `request body`, `response body text/plain`,
    /// `parameter`, `response header`.
    pub kind: String,
    pub steps: Vec<Step>,
}

impl Place {
    /// The value of the exchange this is, for the re-check.
    pub fn value_at(&self) -> Option<ValueAt> {
        let at: Vec<&str> = self.schema_at.iter().map(String::as_str).collect();
        let kind = match at.as_slice() {
            ["requestBody", "content", media] => ValueKind::RequestBody {
                media_type: (*media).to_owned(),
            },
            ["responses", status, "content", media] => ValueKind::ResponseBody {
                status: (*status).to_owned(),
                media_type: (*media).to_owned(),
            },
            ["parameters", parameter, "schema"] => {
                let (location, name) = parameter.split_once(':')?;
                ValueKind::Parameter {
                    location: location.to_owned(),
                    name: name.to_owned(),
                }
            }
            ["responses", status, "headers", name, "schema"] => ValueKind::ResponseHeader {
                status: (*status).to_owned(),
                name: (*name).to_owned(),
            },
            _ => return None,
        };
        Some(ValueAt {
            operation: self.operation.clone(),
            kind,
        })
    }
}

/// The names a canonical `document` knows under `pointer`, longest first,
/// to read names that may hold `.` or `[` out of a location.
fn names_under(document: &Value, operation: &str, pointer: &[&str]) -> Vec<String> {
    let mut at = document.get("operations").and_then(|o| o.get(operation));
    for segment in pointer {
        at = at.and_then(|value| value.get(*segment));
    }
    let mut names: Vec<String> = at
        .and_then(Value::as_object)
        .map(|object| object.keys().cloned().collect())
        .unwrap_or_default();
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));
    names
}

/// `rest` split as a known name and what follows it.
fn known_prefix<'a>(rest: &'a str, names: &[String]) -> Option<(String, &'a str)> {
    names
        .iter()
        .find(|name| {
            rest.strip_prefix(name.as_str())
                .is_some_and(|after| after.is_empty() || after.starts_with(['.', '[', '{']))
        })
        .map(|name| (name.clone(), &rest[name.len()..]))
}

/// Reads `POST /p › request › body.a[].b`, `... › response 200 › body
/// text/plain.x`, `... › response 200 › header retry-after`, `... ›
/// parameter query:limit`, each maybe followed by `› oneOf.c`; `None` for
/// anything that is not a value's place. `documents` name the media
/// types, parameters and headers that may hold dots.
pub(crate) fn place(location: &str, documents: [&Value; 2]) -> Option<Place> {
    let mut parts = location.split(" › ");
    let operation = parts.next()?.to_owned();
    let first = parts.next()?;
    let known = |pointer: &[&str]| -> Vec<String> {
        let mut names: Vec<String> = documents
            .iter()
            .flat_map(|document| names_under(document, &operation, pointer))
            .collect();
        names.sort_by_key(|name| std::cmp::Reverse(name.len()));
        names.dedup();
        names
    };
    let body = |segment: &str, content: &[&str]| -> Option<(String, String)> {
        let rest = segment.strip_prefix("body")?;
        if let Some(rest) = rest.strip_prefix(' ') {
            let (media, path) = known_prefix(rest, &known(content))?;
            Some((media, path.to_owned()))
        } else {
            Some(("application/json".to_owned(), rest.to_owned()))
        }
    };
    let (schema_at, kind, path) = if first == "request" {
        let (media, path) = body(parts.next()?, &["requestBody", "content"])?;
        let kind = kind_of("request body", &media);
        (
            vec!["requestBody".into(), "content".into(), media],
            kind,
            path,
        )
    } else if let Some(status) = first.strip_prefix("response ") {
        let segment = parts.next()?;
        if let Some(header) = segment.strip_prefix("header ") {
            let (name, path) = known_prefix(header, &known(&["responses", status, "headers"]))?;
            let at = ["responses", status, "headers", &name, "schema"];
            (
                at.map(str::to_owned).to_vec(),
                "response header".to_owned(),
                path.to_owned(),
            )
        } else {
            let (media, path) = body(segment, &["responses", status, "content"])?;
            let kind = kind_of("response body", &media);
            let at = vec![
                "responses".into(),
                status.to_owned(),
                "content".into(),
                media,
            ];
            (at, kind, path)
        }
    } else if let Some(parameter) = first.strip_prefix("parameter ") {
        let (name, path) = known_prefix(parameter, &known(&["parameters"]))?;
        let at = ["parameters", &name, "schema"];
        (
            at.map(str::to_owned).to_vec(),
            "parameter".to_owned(),
            path.to_owned(),
        )
    } else {
        return None;
    };
    let mut steps = steps(&path)?;
    for segment in parts {
        let keyword = ["oneOf", "anyOf", "allOf"]
            .into_iter()
            .find(|keyword| segment.starts_with(keyword))?;
        steps.push(Step::Branch(keyword.to_owned()));
        steps.extend(self::steps(&segment[keyword.len()..])?);
    }
    Some(Place {
        operation,
        schema_at,
        kind,
        steps,
    })
}

fn kind_of(value: &str, media: &str) -> String {
    if media == "application/json" {
        value.to_owned()
    } else {
        format!("{value} {media}")
    }
}

/// `.a[].b{*}` as steps.
pub(crate) fn steps(mut path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    while !path.is_empty() {
        if let Some(rest) = path.strip_prefix("[]") {
            steps.push(Step::Item);
            path = rest;
        } else if let Some(rest) = path.strip_prefix("{*}") {
            steps.push(Step::AnyProperty);
            path = rest;
        } else if let Some(rest) = path.strip_prefix('.') {
            let end = rest.find(['.', '[', '{']).unwrap_or(rest.len());
            steps.push(Step::Property(rest[..end].to_owned()));
            path = &rest[end..];
        } else {
            return None;
        }
    }
    Some(steps)
}

/// The whole value's canonical schema in `document`, if the place exists.
pub(crate) fn whole_schema<'a>(document: &'a Value, place: &Place) -> Option<&'a Value> {
    let mut at = document.get("operations")?.get(&place.operation)?;
    for segment in &place.schema_at {
        at = at.get(segment)?;
    }
    Some(at).filter(|schema| !schema.is_null())
}

/// The schema at the end of `hops`, references read in `tables` (what a
/// reference names, where the end is one).
pub(crate) fn follow<'a>(
    mut schema: &'a Value,
    hops: &[Hop],
    tables: Tables<'a>,
) -> Option<&'a Value> {
    for hop in hops {
        schema = tables.resolve(schema)?;
        schema = match hop {
            Hop::Property(name) => schema.get("properties")?.get(name)?,
            Hop::Item => schema.get("items")?,
            Hop::AnyProperty => schema.get("additionalProperties")?,
            Hop::Branch(keyword, index) => schema.get(keyword)?.get(*index)?,
        };
    }
    tables.resolve(schema)
}

/// `route`, found in `from`, as the same way through `to`: at each branch
/// the one from the same place in the document, else the most alike one
/// (branches are renamed and reordered between versions), else the one at
/// the same index. `None` where `to` has no such way.
pub(crate) fn translated(
    route: &[Hop],
    from: &Value,
    to: &Value,
    tables: Tables<'_>,
) -> Option<Vec<Hop>> {
    let (mut from, mut to) = (tables.resolve(from)?, tables.resolve(to)?);
    let mut out = Vec::with_capacity(route.len());
    for hop in route {
        let original = hop;
        let hop = match hop {
            Hop::Branch(keyword, index) => {
                let branch = from.get(keyword)?.get(*index)?;
                let choices = to.get(keyword)?.as_array()?;
                let source_of =
                    |schema: &Value| tables.resolve(schema).and_then(|s| s.get(SOURCE)).cloned();
                let source = source_of(branch);
                let read = |schema: &Value| tables.resolve(schema).cloned().unwrap_or_default();
                let chosen = choices
                    .iter()
                    .position(|choice| source.is_some() && source_of(choice) == source)
                    .or_else(|| {
                        choices
                            .iter()
                            .enumerate()
                            .map(|(at, choice)| (at, likeness(&read(branch), &read(choice))))
                            .filter(|(_, score)| *score > 0.5)
                            // Among equally alike ones, the one whose
                            // properties say the same (a discriminator's
                            // value) is the same branch.
                            .map(|(at, score)| {
                                (
                                    at,
                                    score + equal_properties(&read(branch), &read(&choices[at])),
                                )
                            })
                            .max_by(|a, b| a.1.total_cmp(&b.1))
                            .map(|(at, _)| at)
                    })
                    .unwrap_or(*index);
                Hop::Branch(keyword.clone(), chosen)
            }
            other => other.clone(),
        };
        from = follow(from, std::slice::from_ref(original), tables)?;
        match follow(to, std::slice::from_ref(&hop), tables) {
            Some(next) => to = next,
            // The last step may be a property the other version lacks.
            None if out.len() + 1 == route.len() => {}
            None => return None,
        }
        out.push(hop);
    }
    Some(out)
}

/// The share of `a`'s properties that `b` declares with the same schema.
fn equal_properties(a: &Value, b: &Value) -> f64 {
    let (Some(mine), Some(theirs)) = (
        a.get("properties").and_then(Value::as_object),
        b.get("properties").and_then(Value::as_object),
    ) else {
        return 0.0;
    };
    let equal = mine
        .iter()
        .filter(|(name, schema)| {
            theirs
                .get(*name)
                .is_some_and(|other| without_sources(other) == without_sources(schema))
        })
        .count();
    equal as f64 / mine.len().max(1) as f64
}

/// The routes of `place`'s steps through `schema`; where there is none
/// (the place is in the other version only), those of the longest part of
/// the steps that has one.
pub(crate) fn routes_or_nearest(
    schema: &Value,
    place: &Place,
    tables: Tables<'_>,
) -> Vec<Vec<Hop>> {
    routes_or_nearest_within(schema, place, MAX_ROUTES, tables)
}

/// [`routes_or_nearest`], up to `most` routes: for a caller that picks
/// among more than it tries.
pub(crate) fn routes_or_nearest_within(
    schema: &Value,
    place: &Place,
    most: usize,
    tables: Tables<'_>,
) -> Vec<Vec<Hop>> {
    (0..=place.steps.len())
        .rev()
        .map(|length| {
            let mut found = Vec::new();
            let mut walker = Walker {
                route: Vec::new(),
                most,
                found: &mut found,
                tables,
            };
            walker.walk(schema, &place.steps[..length], 0);
            found
        })
        .find(|found| !found.is_empty())
        .unwrap_or_default()
}

/// The most routes tried for one place.
pub(crate) const MAX_ROUTES: usize = 8;
/// How many branches deep a route may go that the location does not name.
const MAX_UNNAMED_BRANCHES: usize = 3;

/// The concrete routes `steps` take through `schema`: through the branch
/// of a composition that has the next property where the location does
/// not say which.
#[cfg(test)]
pub(crate) fn routes(schema: &Value, steps: &[Step]) -> Vec<Vec<Hop>> {
    let mut found = Vec::new();
    let mut walker = Walker {
        route: Vec::new(),
        most: MAX_ROUTES,
        found: &mut found,
        tables: Tables::default(),
    };
    walker.walk(schema, steps, 0);
    found
}

/// Finds the concrete routes of some steps.
struct Walker<'f, 't> {
    route: Vec<Hop>,
    most: usize,
    found: &'f mut Vec<Vec<Hop>>,
    tables: Tables<'t>,
}

impl Walker<'_, '_> {
    fn walk(&mut self, schema: &Value, steps: &[Step], unnamed: usize) {
        if self.found.len() >= self.most {
            return;
        }
        let Some((step, rest)) = steps.split_first() else {
            self.found.push(self.route.clone());
            return;
        };
        let Some(schema) = self.tables.resolve(schema) else {
            return;
        };
        let direct = match step {
            Step::Property(name) => schema
                .get("properties")
                .and_then(|p| p.get(name))
                .map(|next| (Hop::Property(name.clone()), next)),
            Step::Item => schema.get("items").map(|next| (Hop::Item, next)),
            Step::AnyProperty => schema
                .get("additionalProperties")
                .filter(|next| next.is_object())
                .map(|next| (Hop::AnyProperty, next)),
            Step::Branch(keyword) => {
                for (index, branch) in branches(schema, keyword) {
                    self.route.push(Hop::Branch(keyword.clone(), index));
                    self.walk(branch, rest, unnamed);
                    self.route.pop();
                }
                return;
            }
        };
        if let Some((hop, next)) = direct {
            self.route.push(hop);
            self.walk(next, rest, unnamed);
            self.route.pop();
            return;
        }
        if unnamed >= MAX_UNNAMED_BRANCHES {
            return;
        }
        for keyword in ["allOf", "oneOf", "anyOf"] {
            for (index, branch) in branches(schema, keyword) {
                self.route.push(Hop::Branch(keyword.to_owned(), index));
                self.walk(branch, steps, unnamed + 1);
                self.route.pop();
            }
        }
    }
}

fn branches<'a>(schema: &'a Value, keyword: &str) -> impl Iterator<Item = (usize, &'a Value)> {
    schema
        .get(keyword)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

#[cfg(test)]
mod places_and_routes;
