//! The generated client as the walk reads it, parsed with syn: each
//! operation (its method, its request builder's parameters, its bodies and
//! which status answers which) and each type of the `types` module (its
//! fields and variants, by the names serde reads them under).
//!
//! progenitor's builder interface (the one `client_codegen` asks for) is
//! read: `Client::operation()` returns a builder whose `body` method names
//! the request body's type and whose `send` method names the answers'.

mod builders;

use std::collections::{BTreeMap, BTreeSet};

use syn::{
    Attribute, Expr, Fields, GenericArgument, ImplItem, ImplItemFn, Item, Lit, Meta, PathArguments,
    Token, Type, ext::IdentExt, punctuated::Punctuated,
};

use crate::{Document, client_codegen};

/// The generated client of one document.
#[derive(Debug)]
pub(super) struct GeneratedClient {
    pub(super) operations: Vec<Operation>,
    /// The `types` module, by type name.
    pub(super) types: BTreeMap<String, TypeDef>,
}

/// One operation: a method of `Client`.
#[derive(Debug)]
pub(super) struct Operation {
    /// `POST /path`, as progenitor documents the method: how a place of the
    /// diff starts.
    pub(super) key: String,
    pub(super) method: String,
    /// The request builder the method returns.
    pub(super) builder: String,
    pub(super) parameters: Vec<Parameter>,
    pub(super) body: Option<Shape>,
    pub(super) success: Option<Shape>,
    pub(super) error: Option<Shape>,
    /// Which statuses `send` reads as a success, an error, or neither.
    pub(super) answers: Vec<(Statuses, Answer)>,
}

/// A parameter, by the name it is sent under.
#[derive(Debug)]
pub(super) struct Parameter {
    pub(super) wire: String,
    /// The builder's method that sets it, where it has one.
    pub(super) setter: Option<String>,
    pub(super) shape: Shape,
}

/// The statuses one arm of `send`'s match on the status reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Statuses {
    One(u16),
    Range(u16, u16),
    /// The wildcard arm: every other status.
    Rest,
}

/// What `send` makes of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Answer {
    Success,
    Error,
    Unexpected,
}

/// A Rust type, as far as a place's steps go through it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Shape {
    /// A type of the `types` module.
    Generated(String),
    /// A hand-written type the generated code names at the crate's root.
    HandWritten(String),
    /// A list: what `[]` steps into.
    Sequence(Box<Shape>),
    /// A map by string: what `{*}` steps into.
    Map(Box<Shape>),
    /// A number, a string, a JSON value: nothing to step into.
    Other,
}

/// A type of the `types` module.
#[derive(Debug)]
pub(super) enum TypeDef {
    Struct(Vec<Field>),
    /// A tuple struct around one value (typify's constrained values).
    Newtype(Shape),
    Enum(Tagging, Vec<Variant>),
}

/// How serde writes an enum's variants, which decides what a property of
/// a value of it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tagging {
    /// serde's default: a variant with a value is an object whose one
    /// property, the variant's name, holds it.
    External,
    /// `#[serde(tag = "...")]`: the variant's fields beside its tag.
    Internal,
    /// `#[serde(untagged)]`: whichever variant the value reads as.
    Untagged,
}

#[derive(Debug)]
pub(super) struct Field {
    pub(super) ident: String,
    /// The name serde reads it under: `#[serde(rename)]`, else its own.
    pub(super) wire: String,
    pub(super) shape: Shape,
    /// `#[serde(flatten)]`: its fields are the holder's.
    pub(super) flattened: bool,
}

#[derive(Debug)]
pub(super) struct Variant {
    pub(super) ident: String,
    /// The value serde reads it from: `#[serde(rename)]`, else its name.
    pub(super) wire: String,
    pub(super) payload: Payload,
}

#[derive(Debug)]
pub(super) enum Payload {
    None,
    One(Shape),
    Fields(Vec<Field>),
}

impl GeneratedClient {
    /// The client progenitor generates from `document`, or why there is none.
    pub(super) fn of(document: &Document) -> Result<Self, String> {
        let source = client_codegen::render(document).map_err(|error| error.to_string())?;
        Self::parse(&source)
    }

    pub(super) fn parse(source: &str) -> Result<Self, String> {
        let file = syn::parse_file(source)
            .map_err(|error| format!("the generated client does not parse: {error}"))?;
        let types_module = module(&file.items, "types");
        let known: BTreeSet<String> = types_module
            .iter()
            .filter_map(|item| match item {
                Item::Struct(item) => Some(name(&item.ident)),
                Item::Enum(item) => Some(name(&item.ident)),
                _ => None,
            })
            .collect();
        let types = types_module
            .iter()
            .filter_map(|item| type_def(item, &known))
            .collect();
        let builders = module(&file.items, "builder");
        let operations = impl_methods(&file.items, "Client")
            .into_iter()
            .filter_map(|method| builders::operation(method, builders, &known))
            .collect();
        Ok(Self { operations, types })
    }
}

/// The methods of the inherent `impl`s of the type `self_name` among `items`.
fn impl_methods<'f>(items: &'f [Item], self_name: &str) -> Vec<&'f ImplItemFn> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(block)
                if block.trait_.is_none()
                    && last_ident(&block.self_ty).as_deref() == Some(self_name) =>
            {
                Some(block.items.iter())
            }
            _ => None,
        })
        .flatten()
        .filter_map(|item| match item {
            ImplItem::Fn(method) => Some(method),
            _ => None,
        })
        .collect()
}

/// The items of the top-level module `name`.
fn module<'f>(items: &'f [Item], name: &str) -> &'f [Item] {
    items
        .iter()
        .find_map(|item| match item {
            Item::Mod(module) if module.ident == name => {
                module.content.as_ref().map(|(_, items)| items.as_slice())
            }
            _ => None,
        })
        .unwrap_or_default()
}

fn name(ident: &syn::Ident) -> String {
    ident.unraw().to_string()
}

fn type_def(item: &Item, known: &BTreeSet<String>) -> Option<(String, TypeDef)> {
    match item {
        Item::Struct(item) => {
            let def = match &item.fields {
                Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    TypeDef::Newtype(shape(&fields.unnamed[0].ty, known))
                }
                fields => TypeDef::Struct(named_fields(fields, known)),
            };
            Some((name(&item.ident), def))
        }
        Item::Enum(item) => {
            let variants = item
                .variants
                .iter()
                .map(|variant| Variant {
                    ident: name(&variant.ident),
                    wire: serde_rename(&variant.attrs).unwrap_or_else(|| name(&variant.ident)),
                    payload: match &variant.fields {
                        Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                            Payload::One(shape(&fields.unnamed[0].ty, known))
                        }
                        Fields::Named(_) => Payload::Fields(named_fields(&variant.fields, known)),
                        _ => Payload::None,
                    },
                })
                .collect();
            let entries = serde_entries(&item.attrs);
            let tagging = if entries
                .iter()
                .any(|entry| matches!(entry, Meta::Path(path) if path.is_ident("untagged")))
            {
                Tagging::Untagged
            } else if entries
                .iter()
                .any(|entry| matches!(entry, Meta::NameValue(pair) if pair.path.is_ident("tag")))
            {
                Tagging::Internal
            } else {
                Tagging::External
            };
            Some((name(&item.ident), TypeDef::Enum(tagging, variants)))
        }
        _ => None,
    }
}

fn named_fields(fields: &Fields, known: &BTreeSet<String>) -> Vec<Field> {
    let Fields::Named(fields) = fields else {
        return Vec::new();
    };
    fields
        .named
        .iter()
        .filter_map(|field| {
            let ident = name(field.ident.as_ref()?);
            Some(Field {
                wire: serde_rename(&field.attrs).unwrap_or_else(|| ident.clone()),
                flattened: serde_entries(&field.attrs)
                    .iter()
                    .any(|entry| matches!(entry, Meta::Path(path) if path.is_ident("flatten"))),
                shape: shape(&field.ty, known),
                ident,
            })
        })
        .collect()
}

/// The entries of every `#[serde(...)]` attribute.
fn serde_entries(attrs: &[Attribute]) -> Vec<Meta> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("serde"))
        .filter_map(|attr| {
            attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .collect()
}

/// `#[serde(rename = "...")]`.
fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    serde_entries(attrs)
        .into_iter()
        .find_map(|entry| match entry {
            Meta::NameValue(pair) if pair.path.is_ident("rename") => string_literal(&pair.value),
            _ => None,
        })
}

fn string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(literal) => match &literal.lit {
            Lit::Str(text) => Some(text.value()),
            _ => None,
        },
        _ => None,
    }
}

/// The last segment of a path type: `Client`, `ScanStatuses`.
fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| name(&segment.ident)),
        _ => None,
    }
}

/// The type arguments of a path type's last segment, with its name.
fn arguments(ty: &Type) -> Option<(String, Vec<&Type>)> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    let types = match &last.arguments {
        PathArguments::AngleBracketed(arguments) => arguments
            .args
            .iter()
            .filter_map(|argument| match argument {
                GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((name(&last.ident), types))
}

/// What a place's steps meet in `ty`. `Option`, `Box` and `Result` hold
/// one value (an absent or a failed one is no step of a place).
fn shape(ty: &Type, known: &BTreeSet<String>) -> Shape {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let segments: Vec<String> = path
                .path
                .segments
                .iter()
                .map(|segment| name(&segment.ident))
                .collect();
            if segments.first().is_some_and(|first| first == "crate") && segments.len() > 1 {
                return Shape::HandWritten(segments[1..].join("::"));
            }
            let Some((last, arguments)) = arguments(ty) else {
                return Shape::Other;
            };
            let inner = |index: usize| arguments.get(index).map(|ty| shape(ty, known));
            match last.as_str() {
                "Option" | "Box" | "Result" => inner(0).unwrap_or(Shape::Other),
                "Vec" => Shape::Sequence(Box::new(inner(0).unwrap_or(Shape::Other))),
                "BTreeMap" | "HashMap" | "IndexMap" => {
                    Shape::Map(Box::new(inner(1).unwrap_or(Shape::Other)))
                }
                _ => {
                    let module = &segments[..segments.len() - 1];
                    let in_types = match module {
                        [] => true,
                        [.., parent] => matches!(parent.as_str(), "types" | "super" | "self"),
                    };
                    if in_types && known.contains(&last) && !module.iter().any(|m| m == "builder") {
                        Shape::Generated(last)
                    } else {
                        Shape::Other
                    }
                }
            }
        }
        Type::Array(array) => Shape::Sequence(Box::new(shape(&array.elem, known))),
        Type::Slice(slice) => Shape::Sequence(Box::new(shape(&slice.elem, known))),
        Type::Reference(reference) => shape(&reference.elem, known),
        Type::Paren(inner) => shape(&inner.elem, known),
        Type::Group(inner) => shape(&inner.elem, known),
        _ => Shape::Other,
    }
}

/// The text of an item's documentation.
fn doc_text(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter_map(|attr| match &attr.meta {
            Meta::NameValue(pair) if pair.path.is_ident("doc") => string_literal(&pair.value),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}
