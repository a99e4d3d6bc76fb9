//! Witnesses that are values: a whole request or response body, a
//! parameter's or a header's value, that one version admits and the other
//! refuses.
//!
//! The search looks where the change is. It takes the schema at the
//! change's place (a property's parent object, where the change is a
//! property), tries the values at its edges ([`super::candidates`]), then
//! values generated from it in printable ASCII, and plants each in the
//! least whole value around it; only then does it generate whole values.
//! Every candidate is checked with the JSON Schema validator against both
//! whole versions, and a witness is shrunk until no step keeps it one.
//!
//! The counterexample search for compatible verdicts, in
//! [`super::counterexamples`], uses the same places and candidates.

use std::{collections::HashMap, sync::Arc};

use jsonschema::Validator;
use serde_json::Value;

use super::{
    Documents, Side, Witness,
    candidates::Builder,
    declared::relies_on_undeclared,
    place::{
        Hop, MAX_ROUTES, Place, follow, place, routes_or_nearest_within, translated, whole_schema,
    },
    planter::Planter,
    sampling::samples_of,
    scalars::Edge,
    shrink::shrink,
};
use crate::{
    breaking::Change,
    canonical::{SOURCE, Tables},
    json_schema::canonical_validator,
    openapi_document::Dialect,
};

/// Generated values tried at a place, after its edges, for a witness.
pub const WITNESS_SAMPLES: usize = 48;
/// Generated values tried at a place, after its edges, for a counterexample.
pub const COUNTEREXAMPLE_SAMPLES: usize = 12;
/// Whole values generated when nothing planted at the place was a witness.
const WHOLE_SAMPLES: usize = 16;

/// How many validators of whole values a thread keeps.
const KEPT_VALIDATORS: usize = 8;

/// Compiled validators of whole values, kept for the changes that share one.
#[derive(Default)]
pub(crate) struct Validators {
    compiled: HashMap<String, Option<Arc<Validator>>>,
}

impl std::fmt::Debug for Validators {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "Validators({})", self.compiled.len())
    }
}

impl Validators {
    pub(super) fn whole(
        &mut self,
        documents: &Documents,
        side: Side,
        place: &Place,
    ) -> Option<Arc<Validator>> {
        let key = format!(
            "{}|{}|{}",
            side.name(),
            place.operation,
            place.schema_at.join("/")
        );
        if self.compiled.len() >= KEPT_VALIDATORS && !self.compiled.contains_key(&key) {
            // Validators of large bodies are large: neighbouring changes
            // share them, distant ones need not.
            self.compiled.clear();
        }
        self.compiled
            .entry(key)
            .or_insert_with(|| {
                let document = documents.side(side);
                whole_schema(document, place)
                    .and_then(|schema| {
                        validator(schema, documents.tables(), documents.dialect(side))
                    })
                    .map(Arc::new)
            })
            .clone()
    }
}

/// A validator for a canonical schema, its references read in `tables`,
/// formats asserted, integers as `dialect` says. Which way a value travels
/// the canonical form has read already: a schema never sent that way
/// admits nothing.
pub(crate) fn validator(schema: &Value, tables: Tables<'_>, dialect: Dialect) -> Option<Validator> {
    canonical_validator(schema, tables, dialect)
}

/// A change's place, read against both versions.
pub(super) fn place_of(documents: &Documents, change: &Change) -> Option<Place> {
    place(&change.location, [&documents.old, &documents.new])
}

/// The value at `route`'s unit: a property's parent object, else the
/// place itself.
pub(super) fn unit_route(route: &[Hop]) -> &[Hop] {
    match route.split_last() {
        Some((Hop::Property(_), parent)) => parent,
        _ => route,
    }
}

/// Values to try at the unit of `route` in `schemas` (one per version):
/// the edges of each, and where the place is a property, its parent with
/// the property left out or set to each edge of its schema. Each is made
/// only when it is taken: a value at a length limit may be megabytes.
pub(super) fn unit_candidates<'a>(
    builder: Builder<'a>,
    schemas: &[&'a Value],
    route: &[Hop],
) -> Box<dyn Iterator<Item = Value> + 'a> {
    let unit = unit_route(route);
    let units: Vec<&Value> = schemas
        .iter()
        .filter_map(|schema| follow(schema, unit, builder.tables))
        .collect();
    let mut edges: Vec<Edge> = Vec::new();
    let add = |edges: &mut Vec<Edge>, edge: Edge| {
        if !edges.contains(&edge) {
            edges.push(edge);
        }
    };
    let Some(Hop::Property(name)) = route.last() else {
        // Every edge of the schema at the place.
        for edge in units.iter().flat_map(|unit| builder.edges(unit)) {
            add(&mut edges, edge);
        }
        edges.sort_by_cached_key(Edge::size);
        return Box::new(edges.into_iter().map(Edge::into_value));
    };
    // At a property, its variants in its parent are what matter.
    for edge in units
        .iter()
        .filter_map(|unit| unit.get("properties")?.get(name))
        .flat_map(|property| builder.edges(property))
    {
        add(&mut edges, edge);
    }
    // Smallest first: of two edges that both tell the versions apart (a
    // string past either version's length limit), the shorter is the
    // witness, and shrinking a large one costs a check per step.
    edges.sort_by_cached_key(Edge::size);
    let edges = std::rc::Rc::new(edges);
    let name = name.clone();
    // Each parent differs from the others by the property alone, so they
    // are not compared (for large parents that was quadratic).
    let parents: Vec<serde_json::Map<String, Value>> = units
        .iter()
        .filter_map(|unit| match builder.least(unit) {
            Some(Value::Object(parent)) => Some(parent),
            _ => None,
        })
        .collect();
    Box::new(parents.into_iter().flat_map(move |parent| {
        let mut without = parent.clone();
        without.remove(&name);
        let (edges, name) = (edges.clone(), name.clone());
        std::iter::once(Value::Object(without)).chain((0..edges.len()).map(move |index| {
            let mut with = parent.clone();
            with.insert(name.clone(), edges[index].make());
            Value::Object(with)
        }))
    }))
}

/// The routes to try in `admitting` for `change`: those found in either
/// version (a property renamed in a union branch is found in one version
/// only), the ones whose unit is where the change was made first. A
/// location names no branch, so without its source a route may go through
/// a sibling branch that has a property of the same name.
fn routes_for(
    change: &Change,
    admitting: &Value,
    refusing: &Value,
    place: &Place,
    tables: Tables<'_>,
) -> Vec<Vec<Hop>> {
    let sources: Vec<&str> = [&change.old_source, &change.new_source]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    // Whether `route` through `schema` ends where the change was made.
    let made_here = |schema: &Value, route: &[Hop]| {
        let at = |hops: &[Hop]| {
            follow(schema, hops, tables)
                .and_then(|unit| unit.get(SOURCE))
                .and_then(Value::as_str)
                .is_some_and(|source| sources.contains(&source))
        };
        at(route) || at(unit_route(route))
    };
    // More routes are looked at than tried: the ones made here come first.
    let looked_at = 8 * MAX_ROUTES;
    let own = routes_or_nearest_within(admitting, place, looked_at, tables)
        .into_iter()
        .map(|route| (made_here(admitting, &route), route));
    let translated_routes = routes_or_nearest_within(refusing, place, looked_at, tables)
        .into_iter()
        .filter_map(|route| {
            let here = made_here(refusing, &route);
            translated(&route, refusing, admitting, tables).map(|route| (here, route))
        });
    let mut routes: Vec<(bool, Vec<Hop>)> = Vec::new();
    for (here, route) in own.chain(translated_routes) {
        if follow(admitting, unit_route(&route), tables).is_none() {
            continue;
        }
        match routes.iter_mut().find(|(_, known)| *known == route) {
            Some((known_here, _)) => *known_here |= here,
            None => routes.push((here, route)),
        }
    }
    // Stable: routes made here keep their order, ahead of the others.
    routes.sort_by_key(|(here, _)| !here);
    routes.truncate(MAX_ROUTES);
    routes.into_iter().map(|(_, route)| route).collect()
}

/// How a witness is read: as the change was judged, or turned around by
/// an enclosing union.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reading {
    /// The change alone must tell the values at its place apart, and a
    /// witness may not carry a property name that only the refusing
    /// version declares where the admitting one merely tolerates it: by
    /// the open-world reading, adding a typed optional property to an open
    /// object breaks nobody.
    AsJudged,
    /// The change alone must tell whole values apart, since the union
    /// above the place is what turns it; what the admitting version
    /// tolerates is all it admits.
    TurnedByUnion,
}

/// What a search for a witness of one version against another found.
pub(super) enum Found {
    Witness(Witness),
    /// Why there is none: what was searched, or why it could not be.
    Nothing(String),
}

/// A value at `change`'s place that `valid_in` admits and the other
/// version refuses, as small as it gets. `alone`, where given, is the old
/// version with only this change applied: the witness must tell it apart
/// from the old version too, so that this change is what it proves.
pub(super) fn witness(
    documents: &Documents,
    change: &Change,
    (valid_in, reading): (Side, Reading),
    validators: &mut Validators,
) -> Found {
    let Some(place) = place_of(documents, change) else {
        return Found::Nothing("its place is not a value a validator can check".into());
    };
    let (Some(admitting), Some(_)) = (
        whole_schema(documents.side(valid_in), &place),
        whole_schema(documents.side(valid_in.other()), &place),
    ) else {
        return Found::Nothing(format!("the {} is in one version only", place.kind));
    };
    let tables = documents.tables();
    let (Some(admits), Some(refuses)) = (
        validators.whole(documents, valid_in, &place),
        validators.whole(documents, valid_in.other(), &place),
    ) else {
        return Found::Nothing(format!("a version's {} has no validator", place.kind));
    };
    let refusing = whole_schema(documents.side(valid_in.other()), &place).unwrap_or(admitting);
    let tells_apart = |value: &Value| {
        admits.is_valid(value)
            && !refuses.is_valid(value)
            && (reading == Reading::TurnedByUnion
                || !relies_on_undeclared(value, admitting, refusing, [tables; 2]))
    };
    let builder = Builder { tables };
    let mut told_apart: Option<Value> = None;
    // Turned by a union, the change alone is judged on whole values: their
    // validators are the same for every route.
    let turned = reading == Reading::TurnedByUnion;
    let whole_alone = if turned {
        isolated(documents, change, &place, &[])
    } else {
        None
    };
    for route in &routes_for(change, admitting, refusing, &place, tables) {
        let unit = unit_route(route);
        let planter = Planter::new(builder, admitting, unit);
        // Best: the value at the place is told apart by this change alone
        // too, the same way round, so that the witness proves this change
        // and no other of the commit. Checked at the place, where schemas
        // are small.
        let unit_alone = if turned {
            None
        } else {
            isolated(documents, change, &place, unit)
        };
        let alone = if turned {
            whole_alone.as_ref()
        } else {
            unit_alone.as_ref()
        };
        let by_this_change = |whole: &Value| {
            tells_apart(whole)
                && match (
                    alone,
                    if turned {
                        Some(whole)
                    } else {
                        planter.at_place(whole)
                    },
                ) {
                    (Some((old, alone)), Some(value)) => {
                        let valid_old = old.is_valid(value);
                        valid_old != alone.is_valid(value) && (valid_in == Side::Old) == valid_old
                    }
                    // Where the place cannot be told apart on its own,
                    // the versions decide.
                    _ => true,
                }
        };
        // A witness by this change alone ends the search; one told apart
        // by the versions is kept in case none is found.
        let check = |candidate: Value, told_apart: &mut Option<Value>| {
            let whole = planter.with_owned(candidate)?;
            if by_this_change(&whole) {
                return Some(whole);
            }
            if told_apart.is_none() && tells_apart(&whole) {
                *told_apart = Some(whole);
            }
            None
        };
        for candidate in unit_candidates(builder, &[admitting, refusing], route) {
            if let Some(whole) = check(candidate, &mut told_apart) {
                return found(&place, valid_in, shrink(whole, by_this_change).0);
            }
        }
        // Values are generated only while nothing tells the versions apart.
        if told_apart.is_none()
            && let Some(schema) = follow(admitting, unit, tables)
        {
            for candidate in samples_of(schema, WITNESS_SAMPLES, tables) {
                if let Some(whole) = check(candidate, &mut told_apart) {
                    return found(&place, valid_in, shrink(whole, by_this_change).0);
                }
            }
        }
    }
    let told_apart = told_apart.or_else(|| {
        samples_of(admitting, WHOLE_SAMPLES, tables)
            .into_iter()
            .find(|whole| tells_apart(whole))
    });
    match told_apart {
        Some(whole) => found(&place, valid_in, shrink(whole, tells_apart).0),
        None => Found::Nothing(format!(
            "no {} told the versions apart: the edges of its place and {WITNESS_SAMPLES} values generated there, and {WHOLE_SAMPLES} whole values (none made past 256 KiB of repeated parts, nor strings past 32 MiB at a length limit or 64 characters elsewhere)",
            place.kind
        )),
    }
}

fn found(place: &Place, valid_in: Side, instance: Value) -> Found {
    Found::Witness(Witness {
        kind: place.kind.clone(),
        instance,
        valid_in,
        invalid_in: valid_in.other(),
        at: place.value_at(),
    })
}

/// Whether `witness` tells the old version apart from the old version with
/// only `change` applied, the same way round as it tells the versions
/// apart: a witness found above the change's place may show another change
/// of the same commit. True where the change has no edit to apply.
pub(super) fn shown_alone(documents: &Documents, change: &Change, witness: &Witness) -> bool {
    let Some(edit) = change.edit.as_ref() else {
        return true;
    };
    let Some(place) = place_of(documents, change) else {
        return false;
    };
    let Some(old) = whole_schema(&documents.old, &place) else {
        return false;
    };
    let (tables, dialect) = (documents.tables(), documents.dialect(Side::Old));
    let alone = edit.apply_through(old, tables);
    let (Some(old_check), Some(alone_check)) = (
        validator(old, tables, dialect),
        validator(&alone.schema, tables.overridden(&alone.overrides), dialect),
    ) else {
        return false;
    };
    let valid_old = old_check.is_valid(&witness.instance);
    valid_old != alone_check.is_valid(&witness.instance)
        && valid_old == (witness.valid_in == Side::Old)
}

/// Validators of the old schema at `unit`, and of the same with only this
/// change applied; `None` where the change has no edit, or the old version
/// has no such place.
fn isolated(
    documents: &Documents,
    change: &Change,
    place: &Place,
    unit: &[Hop],
) -> Option<(Validator, Validator)> {
    let edit = change.edit.as_ref()?;
    let (tables, dialect) = (documents.tables(), documents.dialect(Side::Old));
    let old = follow(whole_schema(&documents.old, place)?, unit, tables)?;
    let alone = edit.apply_through(old, tables);
    Some((
        validator(old, tables, dialect)?,
        validator(&alone.schema, tables.overridden(&alone.overrides), dialect)?,
    ))
}
