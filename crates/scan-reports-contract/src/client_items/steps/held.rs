//! What a position of a walk holds, through the `types` module: its
//! properties (through newtypes, flattened fields and union variants), its
//! list's items or map's values, its union's branches, and the type that
//! would hold a property it lacks.

use super::{At, DEEPEST, Position};
use crate::client_items::{
    ClientItem, ItemKind,
    client_model::{Field, GeneratedClient, Payload, Shape, Tagging, TypeDef},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Container {
    /// `[]`: a list's items.
    Items,
    /// `{*}`: a map's values.
    Values,
}

/// What each position holds as items or values; the field that holds
/// the list or the map still holds them.
pub(super) fn contained<'c>(
    client: &'c GeneratedClient,
    positions: Vec<Position<'c>>,
    container: Container,
) -> Vec<Position<'c>> {
    fn inside<'c>(
        client: &'c GeneratedClient,
        shape: &'c Shape,
        container: Container,
        depth: usize,
    ) -> Vec<&'c Shape> {
        match (shape, container) {
            (Shape::Sequence(inner), Container::Items) | (Shape::Map(inner), Container::Values) => {
                vec![inner]
            }
            (Shape::Generated(name), _) if depth < DEEPEST => match client.types.get(name) {
                Some(TypeDef::Newtype(inner)) => inside(client, inner, container, depth + 1),
                Some(TypeDef::Enum(Tagging::Untagged, variants)) => variants
                    .iter()
                    .filter_map(|variant| match &variant.payload {
                        Payload::One(inner) => Some(inside(client, inner, container, depth + 1)),
                        _ => None,
                    })
                    .flatten()
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
    positions
        .into_iter()
        .flat_map(|Position { at, field }| {
            let shapes = match at {
                At::Shape(shape) => inside(client, shape, container, 0),
                At::Fields { .. } => Vec::new(),
            };
            shapes.into_iter().map(move |shape| Position {
                at: At::Shape(shape),
                field: field.clone(),
            })
        })
        .collect()
}

/// Each position as a union's branches: an untagged or internally tagged
/// enum's variants. A struct is its own branches (typify merges or
/// flattens `allOf`), and so is an externally tagged enum (each branch an
/// object of one property, the variant).
pub(super) fn into_branches<'c>(
    client: &'c GeneratedClient,
    positions: Vec<Position<'c>>,
) -> Vec<Position<'c>> {
    positions
        .into_iter()
        .flat_map(|Position { at, field }| {
            let branches: Vec<At<'c>> = match &at {
                At::Shape(Shape::Generated(name)) => match client.types.get(name) {
                    Some(TypeDef::Enum(Tagging::Untagged | Tagging::Internal, variants)) => {
                        variants
                            .iter()
                            .filter_map(|variant| match &variant.payload {
                                Payload::One(shape) => Some(At::Shape(shape)),
                                Payload::Fields(fields) => Some(At::Fields {
                                    owner: format!("types::{name}::{}", variant.ident),
                                    fields,
                                }),
                                Payload::None => None,
                            })
                            .collect()
                    }
                    _ => vec![at.clone()],
                },
                _ => vec![at.clone()],
            };
            branches.into_iter().map(move |at| Position {
                at,
                field: field.clone(),
            })
        })
        .collect()
}

/// One property a position has.
#[derive(Debug)]
pub(super) struct Property<'c> {
    /// The name serde reads it under.
    pub(super) wire: &'c str,
    /// What holds it: a field, or an externally tagged enum's variant.
    pub(super) item: ClientItem,
    /// Where it leads.
    pub(super) at: At<'c>,
}

/// The properties at a position: through newtypes, flattened fields and
/// union variants.
pub(super) fn properties_at<'c>(
    client: &'c GeneratedClient,
    at: &At<'c>,
    depth: usize,
) -> Vec<Property<'c>> {
    let field = |owner: &str, field: &'c Field| Property {
        wire: &field.wire,
        item: ClientItem::new(ItemKind::Field, format!("{owner}::{}", field.ident)),
        at: At::Shape(&field.shape),
    };
    let name = match at {
        At::Fields { owner, fields } => {
            return fields
                .iter()
                .map(|declared| field(owner, declared))
                .collect();
        }
        At::Shape(Shape::Generated(name)) if depth < DEEPEST => name,
        At::Shape(_) => return Vec::new(),
    };
    let deeper = |shape: &'c Shape| properties_at(client, &At::Shape(shape), depth + 1);
    let owner = format!("types::{name}");
    match client.types.get(name) {
        Some(TypeDef::Struct(fields)) => fields
            .iter()
            .flat_map(|declared| {
                if declared.flattened {
                    deeper(&declared.shape)
                } else {
                    vec![field(&owner, declared)]
                }
            })
            .collect(),
        Some(TypeDef::Newtype(inner)) => deeper(inner),
        Some(TypeDef::Enum(Tagging::External, variants)) => variants
            .iter()
            .filter_map(|variant| {
                let item =
                    ClientItem::new(ItemKind::Variant, format!("{owner}::{}", variant.ident));
                let at = match &variant.payload {
                    Payload::One(shape) => At::Shape(shape),
                    Payload::Fields(fields) => At::Fields {
                        owner: item.path.clone(),
                        fields,
                    },
                    Payload::None => return None,
                };
                Some(Property {
                    wire: &variant.wire,
                    item,
                    at,
                })
            })
            .collect(),
        Some(TypeDef::Enum(_, variants)) => variants
            .iter()
            .flat_map(|variant| match &variant.payload {
                Payload::One(shape) => deeper(shape),
                Payload::Fields(fields) => {
                    let owner = format!("{owner}::{}", variant.ident);
                    fields
                        .iter()
                        .map(|declared| field(&owner, declared))
                        .collect()
                }
                Payload::None => Vec::new(),
            })
            .collect(),
        None => Vec::new(),
    }
}

/// The struct (or struct-like variant) that would hold a property the
/// position lacks.
pub(super) fn holder(client: &GeneratedClient, at: &At<'_>, depth: usize) -> Option<ClientItem> {
    match at {
        At::Fields { owner, .. } => Some(ClientItem::new(ItemKind::Variant, owner.clone())),
        At::Shape(Shape::Generated(name)) if depth < DEEPEST => match client.types.get(name)? {
            TypeDef::Struct(_) | TypeDef::Enum(Tagging::External, _) => {
                Some(ClientItem::new(ItemKind::Type, format!("types::{name}")))
            }
            TypeDef::Newtype(inner) => holder(client, &At::Shape(inner), depth + 1),
            TypeDef::Enum(..) => None,
        },
        At::Shape(_) => None,
    }
}
