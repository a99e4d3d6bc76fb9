//! What the two dialects' schemas say, as the translation reads them: the
//! keywords that constrain, annotate or hold subschemas, the type names,
//! and the ranges of the integer formats. Written here apart from the
//! canonical form's tables, which the re-check must not share.

/// The keywords of OpenAPI 3.0's Schema Object that constrain a value.
pub(super) const OPENAPI_30_KEYWORDS: &[&str] = &[
    "type",
    "properties",
    "additionalProperties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "required",
    "enum",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "format",
    "nullable",
    "const",
];

/// Keywords that annotate a 3.1 schema, dropped so no validator reads one.
pub(super) const ANNOTATIONS_31: &[&str] = &[
    "nullable",
    "readOnly",
    "writeOnly",
    "discriminator",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "$defs",
    "definitions",
    "$comment",
];

/// 2020-12 keywords whose value is one schema.
pub(super) const SUBSCHEMA_31: &[&str] = &[
    "items",
    "additionalItems",
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

/// 2020-12 keywords whose value is a map of schemas.
pub(super) const SCHEMA_MAPS_31: &[&str] = &["properties", "patternProperties", "dependentSchemas"];

/// 2020-12 keywords whose value is a list of schemas.
pub(super) const SCHEMA_LISTS_31: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Keywords whose value is a number, which a document may write beyond 64
/// bits (kept as a string of digits when read).
pub(super) const NUMERIC: &[&str] = &[
    "minimum",
    "maximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

/// The JSON Schema type names.
pub(super) const TYPES: &[&str] = &[
    "array", "boolean", "integer", "null", "number", "object", "string",
];

/// The range each integer format admits.
pub(super) fn integer_format(format: &str) -> Option<(i128, i128)> {
    Some(match format {
        "int8" => (i8::MIN.into(), i8::MAX.into()),
        "uint8" => (0, u8::MAX.into()),
        "int16" => (i16::MIN.into(), i16::MAX.into()),
        "uint16" => (0, u16::MAX.into()),
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "uint32" => (0, u32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        "uint64" | "uint" => (0, u64::MAX.into()),
        _ => return None,
    })
}
