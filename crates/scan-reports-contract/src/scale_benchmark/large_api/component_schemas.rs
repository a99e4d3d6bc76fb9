//! The component schemas of a generated document: the shared error, the
//! `allOf` chains' bases, the settings objects, the status enums, the
//! resources and their deleted forms.

use serde_json::{Map, Value, json};

use super::{
    CHAIN_LENGTH, Generator, NOUNS, Properties, base_name, deleted_name, enum_name, nested_name,
    reference, resource_name,
};

/// The names settings objects are used under.
const NESTED_FIELDS: &[&str] = &[
    "settings",
    "billing_details",
    "payment_options",
    "delivery",
    "configuration",
];

const STATUSES: &[&str] = &[
    "active",
    "canceled",
    "draft",
    "open",
    "paid",
    "pending",
    "succeeded",
    "failed",
    "void",
    "expired",
    "processing",
    "requires_action",
];

impl Generator {
    /// Every component schema, by name.
    pub(super) fn component_schemas(&mut self) -> Map<String, Value> {
        let counts = self.counts;
        let mut schemas = Map::new();
        let errors = self.api_errors();
        schemas.insert("api_errors".into(), errors);
        let error = self.error();
        schemas.insert("error".into(), error);
        for chain in 0..counts.chains {
            for position in 0..CHAIN_LENGTH {
                let base = self.base(chain, position);
                schemas.insert(base_name(chain, position), base);
            }
        }
        for index in 0..counts.nested {
            let nested = self.nested(index);
            schemas.insert(nested_name(index), nested);
        }
        for index in 0..counts.enums {
            let status = self.status(index);
            schemas.insert(enum_name(index), status);
        }
        for index in 0..counts.resources {
            let resource = self.resource(index);
            schemas.insert(resource_name(index), resource);
        }
        for index in 0..counts.with_paths {
            let deleted = self.deleted(index);
            schemas.insert(deleted_name(index), deleted);
        }
        schemas
    }

    /// What every operation answers on an error: it names resources, as a
    /// real API's error does (the payment that failed), so even errors
    /// reach the resource graph.
    fn api_errors(&mut self) -> Value {
        let mut properties = Properties::default();
        for name in [
            "charge",
            "code",
            "decline_code",
            "doc_url",
            "message",
            "param",
        ] {
            let text = self.text(name);
            properties.optional(name, text);
        }
        let payment = self.expandable(1 % self.counts.resources, "payment");
        properties.optional("payment", payment);
        let source = self.expandable(2 % self.counts.resources, "source");
        properties.optional("source", source);
        let kind = json!({
            "type": "string",
            "enum": ["api_error", "card_error", "idempotency_error", "invalid_request_error"],
            "description": self.describe("type"),
        });
        properties.required("type", kind);
        self.object("APIErrors", properties)
    }

    fn error(&mut self) -> Value {
        let mut properties = Properties::default();
        properties.required("error", reference("api_errors"));
        self.object("Error", properties)
    }

    /// Position 0 of a chain holds what every chained resource has (and
    /// the widely shared settings); each next position adds to the last.
    fn base(&mut self, chain: usize, position: usize) -> Value {
        let name = base_name(chain, position);
        let mut properties = Properties::default();
        if position == 0 {
            let created = self.scalar("created", super::Scalar::Timestamp, 0);
            properties.required("created", created);
            let livemode = json!({"type": "boolean", "description": self.describe("livemode")});
            properties.required("livemode", livemode);
            let metadata = self.metadata();
            properties.required("metadata", metadata);
            let settings = self.nested_reference(0, "settings", false);
            properties.required("settings", settings);
            return self.object(&name, properties);
        }
        let count = 2 + self.below(2);
        self.scalars(count, &mut properties);
        let own = self.object(&name, properties);
        json!({
            "allOf": [reference(&base_name(chain, position - 1)), own],
            "description": self.describe(&name),
        })
    }

    /// A settings object: scalars, the `limits.window.threshold` the deep
    /// edit changes in settings object 0, and references to others.
    fn nested(&mut self, index: usize) -> Value {
        let name = nested_name(index);
        let mut properties = Properties::default();
        let count = 2 + self.below(3);
        self.scalars(count, &mut properties);
        let limits = self.limits(index == 0);
        properties.required("limits", limits);
        if index > 0 && self.one_in(2) {
            let other = self.below(index);
            let fallback = self.nested_reference(other, "fallback", true);
            properties.optional("fallback", fallback);
        }
        if index % 6 == 1 {
            let children = json!({
                "type": "array",
                "items": reference(&name),
                "description": self.describe("children"),
            });
            properties.optional("children", children);
        }
        if self.one_in(4) {
            let target = self.below(self.counts.resources);
            let owner = self.expandable(target, "owner");
            properties.optional("owner", owner);
        }
        self.object(&name, properties)
    }

    /// `limits.window.threshold`: an integer, but in the widely shared
    /// settings object the deep edit's type.
    fn limits(&mut self, widely_shared: bool) -> Value {
        let threshold_type = if widely_shared {
            self.deep_type
        } else {
            "integer"
        };
        let mut window = Properties::default();
        let threshold = json!({
            "type": threshold_type,
            "minimum": 0,
            "description": self.describe("threshold"),
        });
        window.required("threshold", threshold);
        let unit = json!({
            "type": "string",
            "enum": ["day", "week", "month"],
            "description": self.describe("unit"),
        });
        window.required("unit", unit);
        let mut limits = Properties::default();
        let window = self.object("window", window);
        limits.required("window", window);
        let enabled = json!({"type": "boolean", "description": self.describe("enabled")});
        limits.optional("enabled", enabled);
        self.object("limits", limits)
    }

    fn status(&mut self, index: usize) -> Value {
        let first = self.below(STATUSES.len() - 6);
        let count = 3 + self.below(4);
        json!({
            "type": "string",
            "enum": STATUSES[first..first + count],
            "description": self.describe(&enum_name(index)),
        })
    }

    /// A resource: its id and kind, scalars, a status, settings, expandable
    /// references to other resources (and on some, its parent: recursion),
    /// and a list of yet another; every second one on an `allOf` chain.
    fn resource(&mut self, index: usize) -> Value {
        let counts = self.counts;
        let name = resource_name(index);
        let chained = index.is_multiple_of(2);
        let mut properties = Properties::default();
        self.identify(&mut properties, &name);
        if !chained {
            let created = self.scalar("created", super::Scalar::Timestamp, 0);
            properties.required("created", created);
            let metadata = self.metadata();
            properties.required("metadata", metadata);
        }
        let count = 3 + self.below(4);
        self.scalars(count, &mut properties);
        let status = if self.one_in(2) {
            let status = self.below(counts.enums);
            let mut annotations = Map::new();
            annotations.insert("description".into(), self.describe("status"));
            self.spelling
                .nullable_any_of(vec![reference(&enum_name(status))], annotations)
        } else {
            self.scalar("status", super::Scalar::Choice, 2)
        };
        properties.required("status", status);
        for _ in 0..1 + self.below(2) {
            let field = NESTED_FIELDS[self.below(NESTED_FIELDS.len())];
            let target = if self.one_in(3) {
                0
            } else {
                self.below(counts.nested)
            };
            let nullable = self.one_in(2);
            if !properties.has(field) {
                let settings = self.nested_reference(target, field, nullable);
                properties.required(field, settings);
            }
        }
        for _ in 0..3 + self.below(4) {
            let target = self.below(counts.resources);
            let field = NOUNS[target % NOUNS.len()];
            if !properties.has(field) {
                let expandable = self.expandable(target, field);
                properties.required(field, expandable);
            }
        }
        if index.is_multiple_of(4) {
            let parent = self.expandable(index, "parent");
            properties.required("parent", parent);
        }
        let listed = self.below(counts.resources);
        let list = self.list(listed);
        properties.optional("related", list);
        let own = self.object(&name, properties);
        if !chained {
            return own;
        }
        let chain = (index / 2) % counts.chains.max(1);
        json!({
            "allOf": [reference(&base_name(chain, CHAIN_LENGTH - 1)), own],
            "description": self.describe(&name),
        })
    }

    /// A page of resource `listed`, as list operations answer.
    pub(super) fn list(&mut self, listed: usize) -> Value {
        let name = resource_name(listed);
        let mut properties = Properties::default();
        let data = json!({
            "type": "array",
            "items": reference(&name),
            "description": self.describe("data"),
        });
        properties.required("data", data);
        let has_more = json!({"type": "boolean", "description": self.describe("has_more")});
        properties.required("has_more", has_more);
        let object = json!({
            "type": "string",
            "enum": ["list"],
            "description": self.describe("object"),
        });
        properties.required("object", object);
        let mut url = self.text("url");
        url["pattern"] = json!("^/v1/");
        properties.required("url", url);
        self.object(&format!("{name} list"), properties)
    }

    /// The `id` and the `object` naming the resource's kind, which every
    /// resource and every deleted one carries.
    fn identify(&mut self, properties: &mut Properties, name: &str) {
        let id = self.text("id");
        properties.required("id", id);
        let object = json!({
            "type": "string",
            "enum": [name],
            "description": self.describe("object"),
        });
        properties.required("object", object);
    }

    fn deleted(&mut self, index: usize) -> Value {
        let name = resource_name(index);
        let mut properties = Properties::default();
        let deleted = json!({
            "type": "boolean",
            "enum": [true],
            "description": self.describe("deleted"),
        });
        properties.required("deleted", deleted);
        self.identify(&mut properties, &name);
        self.object(&deleted_name(index), properties)
    }
}
