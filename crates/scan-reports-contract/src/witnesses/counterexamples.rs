//! The counterexample search for a compatible verdict: a value that the
//! old version and the old version with only this change applied (see
//! [`crate::breaking::Edit`]) tell apart. First at the change's place,
//! where schemas are small; a value told apart there is confirmed on the
//! whole value, and shrunk.

use jsonschema::Validator;
use serde_json::Value;

use super::{
    Documents, Side, Witness,
    candidates::Builder,
    declared::relies_on_undeclared,
    place::{follow, routes_or_nearest, whole_schema},
    planter::Planter,
    sampling::samples_of,
    shrink::shrink,
    values::{
        COUNTEREXAMPLE_SAMPLES, Validators, place_of, unit_candidates, unit_route, validator,
    },
};
use crate::{
    breaking::{Change, KeyEdit},
    canonical::{SOURCE, admits_any_extra},
};

/// What the counterexample search for one compatible verdict came to.
pub(super) enum Searched {
    /// A value the old version and the old version with only this change
    /// applied tell apart.
    Refuted(Witness),
    Held,
    /// The search could not run, and why.
    Unsearchable(String),
}

/// A counterexample to a compatible verdict: a value that the old version
/// admits and the old version with only this change refuses, or the other
/// way round.
pub(super) fn counterexample(
    documents: &Documents,
    change: &Change,
    validators: &mut Validators,
) -> Searched {
    let Some(place) = place_of(documents, change) else {
        return Searched::Held;
    };
    let Some(old) = whole_schema(&documents.old, &place) else {
        return Searched::Held;
    };
    let (tables, dialect) = (documents.tables(), documents.dialect(Side::Old));
    let edited = match &change.edit {
        Some(edit) => edit.apply_through(old, tables),
        None => match whole_schema(&documents.new, &place) {
            Some(new) => crate::breaking::Edited {
                schema: new.clone(),
                overrides: serde_json::Map::new(),
            },
            None => return Searched::Held,
        },
    };
    let alone = &edited.schema;
    let alone_tables = tables.overridden(&edited.overrides);
    let (builder, alone_builder) = (
        Builder { tables },
        Builder {
            tables: alone_tables,
        },
    );
    let found_routes = routes_or_nearest(old, &place, tables);
    let Some(old_whole) = validators.whole(documents, Side::Old, &place) else {
        return Searched::Unsearchable(format!("the old {} has no validator", place.kind));
    };
    let mut alone_whole: Option<Option<Validator>> = None;
    for route in &found_routes {
        let unit = unit_route(route);
        let (Some(old_unit), Some(alone_unit)) =
            (follow(old, unit, tables), follow(alone, unit, alone_tables))
        else {
            continue;
        };
        if adds_a_tolerated_name(change, old_unit) {
            continue;
        }
        let (Some(old_check), Some(alone_check)) = (
            validator(old_unit, tables, dialect),
            validator(alone_unit, alone_tables, dialect),
        ) else {
            return Searched::Unsearchable(format!(
                "a schema at the place in the {} has no validator",
                place.kind
            ));
        };
        let old_planter = Planter::new(builder, old, unit);
        let alone_planter = Planter::new(alone_builder, alone, unit);
        let edges = unit_candidates(alone_builder, &[old, alone], route);
        let generated = || {
            samples_of(old_unit, COUNTEREXAMPLE_SAMPLES, tables)
                .into_iter()
                .chain(samples_of(alone_unit, COUNTEREXAMPLE_SAMPLES, alone_tables))
        };
        for candidate in edges
            .into_iter()
            .chain(std::iter::once_with(generated).flatten())
        {
            let in_old = old_check.is_valid(&candidate);
            let (admitting_unit, refusing_unit, sides) = if in_old {
                (old_unit, alone_unit, [tables, alone_tables])
            } else {
                (alone_unit, old_unit, [alone_tables, tables])
            };
            if in_old == alone_check.is_valid(&candidate)
                || relies_on_undeclared(&candidate, admitting_unit, refusing_unit, sides)
            {
                continue;
            }
            let alone_validator = alone_whole
                .get_or_insert_with(|| validator(alone, alone_tables, dialect))
                .as_ref();
            let Some(alone_validator) = alone_validator else {
                return Searched::Unsearchable(format!(
                    "the {} with this change alone has no validator",
                    place.kind
                ));
            };
            let planter = if old_check.is_valid(&candidate) {
                &old_planter
            } else {
                &alone_planter
            };
            let Some(whole) = planter.with(&candidate) else {
                continue;
            };
            let (in_old, in_alone) = (old_whole.is_valid(&whole), alone_validator.is_valid(&whole));
            let (admitting, refusing, sides) = if in_old {
                (old, alone, [tables, alone_tables])
            } else {
                (alone, old, [alone_tables, tables])
            };
            if in_old != in_alone && !relies_on_undeclared(&whole, admitting, refusing, sides) {
                let told_apart = |value: &Value| {
                    old_whole.is_valid(value) == in_old
                        && alone_validator.is_valid(value) == in_alone
                        && !relies_on_undeclared(value, admitting, refusing, sides)
                };
                let (instance, _) = shrink(whole, told_apart);
                let valid_in = if in_old { Side::Old } else { Side::New };
                return Searched::Refuted(Witness {
                    kind: place.kind.clone(),
                    instance,
                    valid_in,
                    invalid_in: valid_in.other(),
                    at: place.value_at(),
                });
            }
        }
    }
    Searched::Held
}

/// Whether `change` only adds an optional property to `old_unit`, an object
/// that lets any extra property in and says nothing else about names.
/// Every value the two versions tell apart then carries the new name, which
/// the old version only tolerates: no such value is a counterexample
/// ([`relies_on_undeclared`]), so there is nothing to search.
fn adds_a_tolerated_name(change: &Change, old_unit: &Value) -> bool {
    let Some(edit) = &change.edit else {
        return false;
    };
    let [
        KeyEdit::Property {
            name,
            schema: Some(_),
            required: false,
        },
    ] = edit.keys.as_slice()
    else {
        return false;
    };
    let made_here = old_unit.get(SOURCE).and_then(Value::as_str) == Some(edit.old_source.as_str());
    let reads_names = [
        "patternProperties",
        "propertyNames",
        "unevaluatedProperties",
        "dependentSchemas",
        "dependentRequired",
        "if",
        "not",
        "allOf",
        "anyOf",
        "oneOf",
    ]
    .iter()
    .any(|keyword| old_unit.get(*keyword).is_some());
    made_here
        && !reads_names
        && admits_any_extra(old_unit.get("additionalProperties"))
        && old_unit
            .get("properties")
            .and_then(|p| p.get(name))
            .is_none()
}
