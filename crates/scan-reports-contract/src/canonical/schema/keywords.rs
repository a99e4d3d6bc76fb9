//! The keywords of each dialect as the canonical form reads them: which
//! constrain, which apply to which types, which hold subschemas, and the
//! formats asserted.

/// Keywords that constrain instances, or say what an omitted value means
/// (`default`), which way a property travels (`readOnly`, `writeOnly`) and
/// that it is on its way out (`deprecated`). Every other keyword is an annotation, or unknown and so ignored by JSON
/// Schema, and is dropped.
pub(in crate::canonical) const CONTRACT_KEYWORDS: &[&str] = &[
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
    "deprecated",
];

/// Keywords that only constrain values of some types, and those types.
pub(super) const TYPED_KEYWORDS: &[(&str, &[&str])] = &[
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
pub(super) const SUBSCHEMA_KEYWORDS: &[&str] = &[
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
pub(super) const SCHEMA_MAP_KEYWORDS: &[&str] =
    &["properties", "patternProperties", "dependentSchemas"];

/// Keywords whose value is a list of schemas.
pub(super) const SCHEMA_LIST_KEYWORDS: &[&str] = &["oneOf", "anyOf", "allOf", "prefixItems"];

/// The formats a JSON Schema 2020-12 validator checks (OpenAPI 3.1). Any
/// other format (`double`, `binary`, `password`, `unixtime`, ...)
/// constrains no value and is dropped; `int32`/`int64` and their kin
/// become bounds.
pub(super) const ASSERTED_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "hostname",
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

/// The formats a draft 4 validator checks (OpenAPI 3.0's Schema Object).
pub(super) const ASSERTED_FORMATS_30: &[&str] = &[
    "date-time",
    "date",
    "time",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uri",
    "regex",
];

/// The keywords of OpenAPI 3.0's Schema Object that constrain a value or
/// say what an omitted one means, and `const`; any other keyword is
/// unknown there and constrains nothing.
pub(in crate::canonical) const KEYWORDS_30: &[&str] = &[
    "type",
    "nullable",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minProperties",
    "maxProperties",
    "minItems",
    "maxItems",
    "uniqueItems",
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
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
];

/// Bounds an `allOf` may hold twice: the tighter holds.
pub(super) const LOWER_BOUNDS: &[&str] = &[
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
];
pub(super) const UPPER_BOUNDS: &[&str] = &[
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
];

/// Lower bounds whose zero constrains nothing.
pub(super) const ZERO_MEANS_NONE: &[&str] =
    &["minItems", "minLength", "minProperties", "minContains"];
