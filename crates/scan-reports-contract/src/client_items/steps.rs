//! A place of the diff (`POST /path › response 200 › body.data[].status`)
//! walked through a generated client: its operation to the method, its
//! request, status, parameter or body to the type the builder takes or
//! `send` returns, then each step (`.name`, `[]`, `{*}`, a union's
//! branches) through the `types` module, to the field, the type and the
//! variants at the place.

mod held;

use held::{Container, Property, contained, holder, into_branches, properties_at};

use super::{
    ClientItem, ItemKind,
    client_model::{
        Answer, Field, GeneratedClient, Operation, Parameter, Shape, Statuses, TypeDef, Variant,
    },
};

/// How deep a value's types are followed through newtypes, flattened
/// fields and union variants before the walk gives up (a recursive type).
const DEEPEST: usize = 16;

/// The items `place` reaches in the two clients (the old one, the new
/// one; either may be missing), for a change described by `words`.
pub(super) fn reached_by_both(
    clients: [Option<&GeneratedClient>; 2],
    place: &str,
    words: &str,
) -> Vec<ClientItem> {
    let walks = clients.map(|client| client.map(|client| walk(client, place)));
    let mut items: Vec<ClientItem> = Vec::new();
    let found = walks
        .iter()
        .flatten()
        .flat_map(|walked| walked.items.iter().cloned());
    for item in found.chain(variants_reached(&walks, words)) {
        if !items.contains(&item) {
            items.push(item);
        }
    }
    items
}

/// What one client has at a place.
#[derive(Debug, Default)]
struct Walked<'c> {
    items: Vec<ClientItem>,
    /// The generated enums the place is at, by name.
    enums: Vec<(&'c str, &'c [Variant])>,
}

/// The variants a change reaches: those whose value its words quote
/// (`allowed values removed: "OOS"`); else, where both clients have the
/// enum, those one has and the other lacks (a union's branch added).
fn variants_reached(walks: &[Option<Walked<'_>>; 2], words: &str) -> Vec<ClientItem> {
    let variant = |name: &str, variant: &Variant| {
        ClientItem::new(
            ItemKind::Variant,
            format!("types::{name}::{}", variant.ident),
        )
    };
    let quoted = |wire: &str| serde_json::to_string(wire).unwrap_or_default();
    let named: Vec<ClientItem> = walks
        .iter()
        .flatten()
        .flat_map(|walked| walked.enums.iter())
        .flat_map(|(name, variants)| {
            variants
                .iter()
                .filter(|v| words.contains(&quoted(&v.wire)))
                .map(|v| variant(name, v))
        })
        .collect();
    if !named.is_empty() {
        return named;
    }
    let [Some(old), Some(new)] = walks else {
        return Vec::new();
    };
    let mut one_sided = Vec::new();
    for (name, old_variants) in &old.enums {
        let Some((_, new_variants)) = new.enums.iter().find(|(other, _)| other == name) else {
            continue;
        };
        let lacking = |these: &[Variant], those: &[Variant]| -> Vec<ClientItem> {
            these
                .iter()
                .filter(|v| !those.iter().any(|other| other.ident == v.ident))
                .map(|v| variant(name, v))
                .collect()
        };
        one_sided.extend(lacking(old_variants, new_variants));
        one_sided.extend(lacking(new_variants, old_variants));
    }
    one_sided
}

/// Where a walk stands.
#[derive(Debug, Clone)]
struct Position<'c> {
    at: At<'c>,
    /// The last property stepped through (a field, or an externally tagged
    /// enum's variant): what holds the value.
    field: Option<ClientItem>,
}

#[derive(Debug, Clone)]
enum At<'c> {
    Shape(&'c Shape),
    /// The fields of a struct-like variant, `owner` being its path.
    Fields {
        owner: String,
        fields: &'c [Field],
    },
}

/// Which exchange of the operation the place is in.
#[derive(Debug, Clone, Copy)]
enum Exchange<'p> {
    Request,
    Response(&'p str),
}

fn walk<'c>(client: &'c GeneratedClient, place: &str) -> Walked<'c> {
    let mut walked = Walked::default();
    let mut segments = place.split(" › ");
    let Some(operation) = segments.next().and_then(|key| {
        client
            .operations
            .iter()
            .find(|operation| operation.key == key)
    }) else {
        return walked;
    };
    walked.items.push(ClientItem::new(
        ItemKind::Method,
        format!("Client::{}", operation.method),
    ));
    let segments: Vec<&str> = segments.collect();
    let mut exchange = None;
    let mut positions: Vec<Position<'c>> = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        let last = index + 1 == segments.len();
        let (start, rest) = if *segment == "request" {
            exchange = Some(Exchange::Request);
            continue;
        } else if let Some(status) = segment.strip_prefix("response ") {
            exchange = Some(Exchange::Response(status));
            continue;
        } else if let Some(rest) = segment.strip_prefix("parameter ") {
            let Some((parameter, rest)) = parameter_at(operation, rest) else {
                positions.clear();
                break;
            };
            if let Some(setter) = &parameter.setter {
                walked.items.push(ClientItem::new(
                    ItemKind::Parameter,
                    format!("builder::{}::{setter}", operation.builder),
                ));
            }
            (vec![position(&parameter.shape)], rest)
        } else if let Some(rest) = segment
            .strip_prefix("body")
            .filter(|rest| !rest.starts_with(' '))
        {
            // `body MEDIA-TYPE` is a body the builder does not type.
            let shape = match exchange {
                Some(Exchange::Request) => operation.body.as_ref(),
                Some(Exchange::Response(status)) => answer(operation, status),
                None => None,
            };
            let Some(shape) = shape else {
                positions.clear();
                break;
            };
            (vec![position(shape)], rest)
        } else if let Some(rest) = ["oneOf", "anyOf", "allOf"]
            .iter()
            .find_map(|keyword| segment.strip_prefix(keyword))
        {
            // A place that ends at a union is the union itself.
            let branched = if rest.is_empty() && last {
                std::mem::take(&mut positions)
            } else {
                into_branches(client, std::mem::take(&mut positions))
            };
            (branched, rest)
        } else {
            // A response header or the security: nothing typed past the method.
            positions.clear();
            break;
        };
        positions = steps(client, start, rest, last, &mut walked);
    }
    for Position { at, field } in positions {
        walked.items.extend(field);
        match at {
            At::Shape(Shape::Generated(name)) => {
                walked
                    .items
                    .push(ClientItem::new(ItemKind::Type, format!("types::{name}")));
                if let Some(TypeDef::Enum(_, variants)) = client.types.get(name) {
                    walked.enums.push((name.as_str(), variants.as_slice()));
                }
            }
            At::Shape(Shape::HandWritten(name)) => {
                walked
                    .items
                    .push(ClientItem::new(ItemKind::Type, name.clone()));
            }
            At::Fields { owner, .. } => {
                walked.items.push(ClientItem::new(ItemKind::Variant, owner))
            }
            At::Shape(_) => {}
        }
    }
    let mut seen = Vec::new();
    walked.items.retain(|item| {
        let first = !seen.contains(item);
        seen.push(item.clone());
        first
    });
    walked
}

fn position(shape: &Shape) -> Position<'_> {
    Position {
        at: At::Shape(shape),
        field: None,
    }
}

/// The parameter `rest` (`query:verbose`, `header:x-device-id[]`) names,
/// and the steps after its name. Header names are read in any case.
fn parameter_at<'c, 'p>(
    operation: &'c Operation,
    rest: &'p str,
) -> Option<(&'c Parameter, &'p str)> {
    let (_, named) = rest.split_once(':')?;
    operation
        .parameters
        .iter()
        .filter_map(|parameter| {
            let length = parameter.wire.len();
            let name = named.get(..length)?;
            let after = &named[length..];
            (name.eq_ignore_ascii_case(&parameter.wire) && at_step_boundary(after))
                .then_some((parameter, after))
        })
        .max_by_key(|(parameter, _)| parameter.wire.len())
}

fn at_step_boundary(rest: &str) -> bool {
    rest.is_empty() || rest.starts_with(['.', '[', '{'])
}

/// The type `send` returns for `status` (`200`, `2XX`, `default`): the
/// arm that reads it, or the wildcard arm.
fn answer<'c>(operation: &'c Operation, status: &str) -> Option<&'c Shape> {
    let code: Option<u16> = status.parse().ok();
    let class: Option<u16> = status
        .strip_suffix("XX")
        .and_then(|digit| digit.parse().ok())
        .map(|digit: u16| digit * 100);
    let reads = |statuses: Statuses| match (statuses, code, class) {
        (Statuses::One(one), Some(code), _) => one == code,
        (Statuses::Range(low, high), Some(code), _) => (low..=high).contains(&code),
        (Statuses::Range(low, high), None, Some(class)) => low == class && high == class + 99,
        _ => false,
    };
    let (_, answer) = operation
        .answers
        .iter()
        .find(|(statuses, _)| reads(*statuses))
        .or_else(|| {
            operation
                .answers
                .iter()
                .find(|(statuses, _)| *statuses == Statuses::Rest)
        })?;
    match answer {
        Answer::Success => operation.success.as_ref(),
        Answer::Error => operation.error.as_ref(),
        Answer::Unexpected => None,
    }
}

/// Walks `rest` (`.data[].status`) from `positions`. A property the last
/// step names that a position lacks leaves the type that lacks it (a
/// property added or removed changes its holder).
fn steps<'c>(
    client: &'c GeneratedClient,
    mut positions: Vec<Position<'c>>,
    mut rest: &str,
    last_segment: bool,
    walked: &mut Walked<'c>,
) -> Vec<Position<'c>> {
    while !rest.is_empty() && !positions.is_empty() {
        if let Some(after) = rest.strip_prefix("[]") {
            positions = contained(client, positions, Container::Items);
            rest = after;
        } else if let Some(after) = rest.strip_prefix("{*}") {
            positions = contained(client, positions, Container::Values);
            rest = after;
        } else if let Some(after) = rest.strip_prefix('.') {
            let candidates: Vec<(Position<'c>, Vec<Property<'c>>)> = positions
                .into_iter()
                .map(|position| {
                    let properties = properties_at(client, &position.at, 0);
                    (position, properties)
                })
                .collect();
            // The longest declared name the step can be: names may hold dots.
            let fits = |property: &Property<'_>| {
                after.starts_with(property.wire) && at_step_boundary(&after[property.wire.len()..])
            };
            let length = candidates
                .iter()
                .flat_map(|(_, properties)| properties.iter())
                .filter(|property| fits(property))
                .map(|property| property.wire.len())
                .max();
            let Some(length) = length else {
                let final_step = last_segment && !after.contains(['.', '[', '{']);
                if final_step {
                    for (position, _) in &candidates {
                        walked.items.extend(holder(client, &position.at, 0));
                    }
                }
                return Vec::new();
            };
            positions = candidates
                .into_iter()
                .flat_map(|(_, properties)| properties)
                .filter(|property| property.wire.len() == length && fits(property))
                .map(|property| Position {
                    at: property.at,
                    field: Some(property.item),
                })
                .collect();
            rest = &after[length..];
        } else {
            return Vec::new();
        }
    }
    positions
}
