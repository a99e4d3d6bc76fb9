//! A large API description generated from a seed, shaped like the largest
//! public ones (Stripe's is the model: at 4 MB of YAML, about 320 paths
//! and 800 component schemas):
//!
//! - resources whose properties are mostly "expandable", a string id or
//!   the whole object (`anyOf: [{type: string}, {$ref: ...}]`), each
//!   naming another resource drawn at random, so that nearly every schema
//!   reaches hundreds of others;
//! - half of the resources built on `allOf` chains of four base schemas,
//!   each chain rooted in one widely shared settings object;
//! - recursion: a resource's `parent`, a settings object's `children`, and
//!   the cycles the random expandables close;
//! - list, retrieve, create, update and delete operations per resource
//!   with paths, all answering with the same few schemas, every error with
//!   one shared error schema;
//! - descriptions on everything.
//!
//! The structure comes from a seeded generator and never depends on the
//! spelling, the wording or the deep property's type, so two renderings of
//! one seed differ only where they are asked to.

mod api_paths;
mod component_schemas;

use proptest::{
    prelude::RngExt,
    test_runner::{RngAlgorithm, TestRng},
};
use serde_json::{Map, Value, json};

use super::{
    spelling::Spelling,
    wording::{Descriptions, Wording},
};

/// The seed every generated document is drawn from.
pub const SEED: u64 = 30;

/// How one rendering of the seed's document is written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rendering {
    pub spelling: Spelling,
    pub wording: Wording,
    /// The type of the one property the deep edit changes.
    pub deep_type: &'static str,
}

/// The property the deep edit changes: in the most widely shared schema
/// (every `allOf` chain's root uses it, as do a third of the resources and
/// a quarter of the request bodies), three objects down.
pub(super) const DEEP_PROPERTY: &str = "limits.window.threshold";

/// How many of each part a document of about `megabytes` of YAML has
/// (measured: the test of this module holds the size).
#[derive(Debug, Clone, Copy)]
struct Counts {
    resources: usize,
    /// The first this many resources have paths of their own.
    with_paths: usize,
    /// Settings objects, the first one the widely shared one.
    nested: usize,
    enums: usize,
    /// `allOf` chains of [`CHAIN_LENGTH`] base schemas.
    chains: usize,
}

/// Base schemas per `allOf` chain.
const CHAIN_LENGTH: usize = 4;

impl Counts {
    fn of(megabytes: u32) -> Self {
        let scale = megabytes.max(1) as usize;
        Self {
            resources: 110 * scale,
            with_paths: 34 * scale,
            nested: 50 * scale,
            enums: 12 * scale,
            chains: 3 * scale,
        }
    }
}

/// The document of about `megabytes` of YAML, in `rendering`.
pub(super) fn document(megabytes: u32, rendering: Rendering) -> Value {
    let mut generator = Generator::new(megabytes, rendering);
    let schemas = generator.component_schemas();
    let paths = generator.paths();
    let description = generator.describe("API");
    json!({
        "openapi": rendering.spelling.version(),
        "info": {
            "title": "Generated payments API",
            "version": "2025-01-01",
            "description": description,
            "contact": {"name": "API support", "url": "https://example.invalid/support"},
        },
        "servers": [{"url": "https://api.example.invalid/"}],
        "security": [{"basicAuth": []}, {"bearerAuth": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "basicAuth": {"type": "http", "scheme": "basic", "description": "A secret key as the user name."},
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "A secret key as a bearer token."},
            },
        },
    })
}

const NOUNS: &[&str] = &[
    "account",
    "balance_transaction",
    "card",
    "charge",
    "coupon",
    "customer",
    "dispute",
    "event",
    "file",
    "invoice",
    "mandate",
    "payout",
    "price",
    "product",
    "quote",
    "refund",
    "review",
    "session",
    "source",
    "subscription",
    "tax_rate",
    "token",
    "transfer",
    "plan",
    "order",
    "shipment",
    "report_run",
    "reader",
    "location",
    "discount",
    "credit_note",
    "schedule",
    "payment_intent",
    "topup",
    "application",
    "capability",
    "person",
    "bank_account",
    "webhook_endpoint",
    "authorization",
];

const AREAS: &[&str] = &[
    "",
    "issuing",
    "treasury",
    "billing",
    "checkout",
    "climate",
    "identity",
    "radar",
    "reporting",
    "terminal",
    "test_helpers",
    "financial_connections",
    "tax",
    "entitlements",
    "forwarding",
    "apps",
    "sigma",
    "connect",
    "capital",
    "payments",
];

/// The name of resource `index`: `customer`, `issuing.card`, `card_2`.
fn resource_name(index: usize) -> String {
    let noun = NOUNS[index % NOUNS.len()];
    let area = AREAS[(index / NOUNS.len()) % AREAS.len()];
    let round = index / (NOUNS.len() * AREAS.len());
    let mut name = if area.is_empty() {
        noun.to_owned()
    } else {
        format!("{area}.{noun}")
    };
    if round > 0 {
        name.push_str(&format!("_{}", round + 1));
    }
    name
}

/// The collection path of resource `index`: `/v1/issuing/cards`.
fn resource_path(index: usize) -> String {
    format!("/v1/{}s", resource_name(index).replace('.', "/"))
}

const NESTED_KINDS: &[&str] = &["settings", "details", "options", "limits", "configuration"];

fn nested_name(index: usize) -> String {
    format!(
        "{}_{}",
        resource_name(index),
        NESTED_KINDS[index % NESTED_KINDS.len()]
    )
}

fn enum_name(index: usize) -> String {
    format!("{}_status", resource_name(index))
}

fn base_name(chain: usize, position: usize) -> String {
    format!("{}_common_{position}", resource_name(chain))
}

fn deleted_name(index: usize) -> String {
    format!("deleted_{}", resource_name(index))
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// A scalar property's kind, which decides its schema.
#[derive(Debug, Clone, Copy)]
enum Scalar {
    Integer,
    /// An integer below an exclusive maximum.
    Count,
    /// A number above an exclusive minimum.
    Ratio,
    /// A nullable number below an exclusive maximum.
    Percent,
    Text,
    NullableText,
    Timestamp,
    NullableTimestamp,
    Flag,
    Currency,
    Decimal,
    /// A nullable string of a few allowed values.
    Choice,
}

const SCALARS: &[(&str, Scalar)] = &[
    ("amount", Scalar::Integer),
    ("amount_refunded", Scalar::Integer),
    ("currency", Scalar::Currency),
    ("fee_ratio", Scalar::Ratio),
    ("percent_off", Scalar::Percent),
    ("statement_descriptor", Scalar::NullableText),
    ("receipt_email", Scalar::NullableText),
    ("quantity", Scalar::Count),
    ("expires_at", Scalar::NullableTimestamp),
    ("canceled_at", Scalar::NullableTimestamp),
    ("hosted_url", Scalar::NullableText),
    ("active", Scalar::Flag),
    ("paid", Scalar::Flag),
    ("unit_amount_decimal", Scalar::Decimal),
    ("country", Scalar::Text),
    ("interval_count", Scalar::Count),
    ("tax_behavior", Scalar::Choice),
    ("billing_reason", Scalar::Choice),
    ("name", Scalar::NullableText),
    ("period_end", Scalar::Timestamp),
];

const CHOICES: &[&str] = &[
    "automatic",
    "manual",
    "exclusive",
    "inclusive",
    "unspecified",
    "subscription_cycle",
    "subscription_update",
    "upcoming",
];

/// An object's properties and which of them are required.
#[derive(Debug, Default)]
struct Properties {
    schemas: Map<String, Value>,
    required: Vec<Value>,
}

impl Properties {
    fn has(&self, name: &str) -> bool {
        self.schemas.contains_key(name)
    }

    fn required(&mut self, name: &str, schema: Value) {
        self.required.push(json!(name));
        self.schemas.insert(name.to_owned(), schema);
    }

    fn optional(&mut self, name: &str, schema: Value) {
        self.schemas.insert(name.to_owned(), schema);
    }
}

/// Draws one document.
#[derive(Debug)]
struct Generator {
    rng: TestRng,
    spelling: Spelling,
    descriptions: Descriptions,
    counts: Counts,
    deep_type: &'static str,
}

impl Generator {
    fn new(megabytes: u32, rendering: Rendering) -> Self {
        let mut seed = [0_u8; 32];
        seed[..8].copy_from_slice(&SEED.to_le_bytes());
        seed[8..12].copy_from_slice(&megabytes.to_le_bytes());
        Self {
            rng: TestRng::from_seed(RngAlgorithm::ChaCha, &seed),
            spelling: rendering.spelling,
            descriptions: Descriptions::new(rendering.wording),
            counts: Counts::of(megabytes),
            deep_type: rendering.deep_type,
        }
    }

    fn describe(&mut self, subject: &str) -> Value {
        Value::String(self.descriptions.about(subject))
    }

    /// A number in `0..count`.
    fn below(&mut self, count: usize) -> usize {
        self.rng.random_range(0..count.max(1))
    }

    /// True once in `times`.
    fn one_in(&mut self, times: usize) -> bool {
        self.below(times) == 0
    }

    /// An object schema of `properties`, titled and described.
    fn object(&mut self, title: &str, properties: Properties) -> Value {
        let mut schema = Map::new();
        schema.insert("type".into(), json!("object"));
        schema.insert("title".into(), json!(title));
        schema.insert("description".into(), self.describe(title));
        schema.insert("properties".into(), Value::Object(properties.schemas));
        if !properties.required.is_empty() {
            schema.insert("required".into(), Value::Array(properties.required));
        }
        Value::Object(schema)
    }

    /// A string of at most 5000 characters (an id, a name, a URL).
    fn text(&mut self, subject: &str) -> Value {
        json!({"type": "string", "maxLength": 5000, "description": self.describe(subject)})
    }

    /// `count` scalar properties drawn from [`SCALARS`], required.
    fn scalars(&mut self, count: usize, properties: &mut Properties) {
        for _ in 0..count {
            let (name, kind) = SCALARS[self.below(SCALARS.len())];
            let choices = self.below(CHOICES.len() - 3);
            if !properties.has(name) {
                let schema = self.scalar(name, kind, choices);
                properties.required(name, schema);
            }
        }
    }

    fn scalar(&mut self, name: &str, kind: Scalar, choices: usize) -> Value {
        let spelling = self.spelling;
        let mut schema = Map::new();
        schema.insert("description".into(), self.describe(name));
        let typed = |schema: &mut Map<String, Value>, type_name: &str| {
            schema.insert("type".into(), json!(type_name));
        };
        match kind {
            Scalar::Integer | Scalar::Count | Scalar::Timestamp | Scalar::NullableTimestamp => {
                typed(&mut schema, "integer");
            }
            Scalar::Ratio | Scalar::Percent => typed(&mut schema, "number"),
            Scalar::Flag => typed(&mut schema, "boolean"),
            _ => typed(&mut schema, "string"),
        }
        match kind {
            Scalar::Count => {
                schema.insert("minimum".into(), json!(0));
                spelling.exclusive_maximum(&mut schema, 10_000);
            }
            Scalar::Ratio => {
                spelling.exclusive_minimum(&mut schema, 0);
                schema.insert("maximum".into(), json!(1));
            }
            Scalar::Percent => {
                schema.insert("minimum".into(), json!(0));
                spelling.exclusive_maximum(&mut schema, 100);
            }
            Scalar::Text | Scalar::NullableText => {
                schema.insert("maxLength".into(), json!(5000));
            }
            Scalar::Timestamp | Scalar::NullableTimestamp => {
                schema.insert("format".into(), json!("unix-time"));
            }
            Scalar::Currency => {
                schema.insert("format".into(), json!("currency"));
                spelling.example(&mut schema, json!("usd"));
            }
            Scalar::Decimal => {
                schema.insert("format".into(), json!("decimal"));
            }
            Scalar::Choice => {
                schema.insert("enum".into(), json!(CHOICES[choices..choices + 3]));
            }
            Scalar::Integer | Scalar::Flag => {}
        }
        match kind {
            Scalar::Percent | Scalar::NullableText | Scalar::NullableTimestamp | Scalar::Choice => {
                spelling.nullable(schema)
            }
            _ => Value::Object(schema),
        }
    }

    /// A resource's id, or the resource itself when expanded.
    fn expandable(&mut self, target: usize, subject: &str) -> Value {
        let nullable = self.one_in(2);
        let name = resource_name(target);
        let branches = vec![
            json!({"type": "string", "maxLength": 5000}),
            reference(&name),
        ];
        let mut annotations = Map::new();
        annotations.insert("description".into(), self.describe(subject));
        annotations.insert(
            "x-expansionResources".into(),
            json!({"oneOf": [reference(&name)]}),
        );
        if nullable {
            self.spelling.nullable_any_of(branches, annotations)
        } else {
            annotations.insert("anyOf".into(), Value::Array(branches));
            Value::Object(annotations)
        }
    }

    /// A settings object, by reference, maybe null.
    fn nested_reference(&mut self, target: usize, subject: &str, nullable: bool) -> Value {
        let mut annotations = Map::new();
        annotations.insert("description".into(), self.describe(subject));
        let branch = vec![reference(&nested_name(target))];
        if nullable {
            self.spelling.nullable_any_of(branch, annotations)
        } else {
            annotations.insert("allOf".into(), Value::Array(branch));
            Value::Object(annotations)
        }
    }

    /// A key-value map of short strings.
    fn metadata(&mut self) -> Value {
        json!({
            "type": "object",
            "additionalProperties": {"type": "string", "maxLength": 500},
            "description": self.describe("metadata"),
        })
    }
}
