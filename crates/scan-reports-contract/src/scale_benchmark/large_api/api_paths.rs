//! The paths of a generated document: per resource with paths, its
//! collection (list, create), its item (retrieve, update, delete) and on a
//! third of them an action; the resource's schema answers all but list and
//! delete, and one error schema answers every error.

use serde_json::{Map, Value, json};

use super::{Generator, Properties, deleted_name, reference, resource_name, resource_path};

const ACTIONS: &[&str] = &[
    "cancel", "confirm", "capture", "finalize", "void", "close", "reopen", "verify",
];

impl Generator {
    /// Every path item, by path.
    pub(super) fn paths(&mut self) -> Map<String, Value> {
        let mut paths = Map::new();
        for index in 0..self.counts.with_paths {
            let name = resource_name(index);
            let collection = resource_path(index);
            let list = self.list_operation(index);
            let create = self.create_or_update(index, true);
            paths.insert(collection.clone(), json!({"get": list, "post": create}));
            let parameters = vec![self.id_parameter(), self.expand_parameter()];
            let retrieve =
                self.operation(&format!("Get {name}"), parameters, None, reference(&name));
            let update = self.create_or_update(index, false);
            let parameters = vec![self.id_parameter()];
            let delete = self.operation(
                &format!("Delete {name}"),
                parameters,
                None,
                reference(&deleted_name(index)),
            );
            paths.insert(
                format!("{collection}/{{id}}"),
                json!({"get": retrieve, "post": update, "delete": delete}),
            );
            if index % 3 == 0 {
                let action = ACTIONS[self.below(ACTIONS.len())];
                let body = self.request_body(index, false);
                let parameters = vec![self.id_parameter()];
                let acted = self.operation(
                    &format!("Post {name} {action}"),
                    parameters,
                    Some(body),
                    reference(&name),
                );
                paths.insert(
                    format!("{collection}/{{id}}/{action}"),
                    json!({"post": acted}),
                );
            }
        }
        paths
    }

    fn list_operation(&mut self, index: usize) -> Value {
        let name = resource_name(index);
        let mut parameters = vec![self.created_parameter()];
        for cursor in ["ending_before", "starting_after"] {
            let schema = json!({"type": "string", "maxLength": 5000});
            parameters.push(self.query_parameter(cursor, schema));
        }
        parameters.push(self.expand_parameter());
        let limit = json!({"type": "integer", "minimum": 1, "maximum": 100});
        parameters.push(self.query_parameter("limit", limit));
        let page = self.list(index);
        self.operation(&format!("List {name}"), parameters, None, page)
    }

    fn create_or_update(&mut self, index: usize, creating: bool) -> Value {
        let name = resource_name(index);
        let (summary, parameters) = if creating {
            (format!("Create {name}"), Vec::new())
        } else {
            (format!("Update {name}"), vec![self.id_parameter()])
        };
        let body = self.request_body(index, creating);
        self.operation(&summary, parameters, Some(body), reference(&name))
    }

    /// An operation answering `answer` with 200 and the shared error
    /// otherwise.
    fn operation(
        &mut self,
        summary: &str,
        parameters: Vec<Value>,
        request_body: Option<Value>,
        answer: Value,
    ) -> Value {
        let mut operation = Map::new();
        operation.insert(
            "operationId".into(),
            json!(summary.replace(['.', ' '], "_").to_lowercase()),
        );
        operation.insert("summary".into(), json!(summary));
        operation.insert("description".into(), self.describe(summary));
        if !parameters.is_empty() {
            operation.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(body) = request_body {
            operation.insert("requestBody".into(), body);
        }
        let success = self.describe("successful response");
        let failure = self.describe("error response");
        operation.insert(
            "responses".into(),
            json!({
                "200": {
                    "description": success,
                    "content": {"application/json": {"schema": answer}},
                },
                "default": {
                    "description": failure,
                    "content": {"application/json": {"schema": reference("error")}},
                },
            }),
        );
        Value::Object(operation)
    }

    /// A create, update or action body: scalars, metadata, the fields to
    /// expand, and a settings object by reference (the widely shared one
    /// in a quarter of them), with no other property.
    fn request_body(&mut self, index: usize, creating: bool) -> Value {
        let name = resource_name(index);
        let mut properties = Properties::default();
        let count = 2 + self.below(3);
        self.scalars(count, &mut properties);
        if !creating {
            properties.required.clear();
        }
        let expand = json!({
            "type": "array",
            "items": {"type": "string", "maxLength": 5000},
            "description": self.describe("expand"),
        });
        properties.optional("expand", expand);
        let metadata = json!({
            "anyOf": [
                {"type": "object", "additionalProperties": {"type": "string"}},
                {"type": "string", "enum": [""]},
            ],
            "description": self.describe("metadata"),
        });
        properties.optional("metadata", metadata);
        let target = if self.one_in(4) {
            0
        } else {
            self.below(self.counts.nested)
        };
        let settings = self.nested_reference(target, "settings", false);
        properties.optional("settings", settings);
        let mut schema = self.object(&format!("{name} parameters"), properties);
        schema["additionalProperties"] = json!(false);
        json!({
            "required": creating,
            "content": {"application/json": {"schema": schema}},
        })
    }

    fn query_parameter(&mut self, name: &str, schema: Value) -> Value {
        json!({
            "name": name,
            "in": "query",
            "required": false,
            "description": self.describe(name),
            "schema": schema,
        })
    }

    fn id_parameter(&mut self) -> Value {
        json!({
            "name": "id",
            "in": "path",
            "required": true,
            "description": self.describe("id"),
            "schema": {"type": "string", "maxLength": 5000},
        })
    }

    fn expand_parameter(&mut self) -> Value {
        let mut parameter = self.query_parameter(
            "expand",
            json!({"type": "array", "items": {"type": "string", "maxLength": 5000}}),
        );
        parameter["style"] = json!("deepObject");
        parameter["explode"] = json!(true);
        parameter
    }

    /// A creation time, exactly or as a range.
    fn created_parameter(&mut self) -> Value {
        let bounds: Map<String, Value> = ["gt", "gte", "lt", "lte"]
            .into_iter()
            .map(|bound| (bound.to_owned(), json!({"type": "integer"})))
            .collect();
        let mut parameter = self.query_parameter(
            "created",
            json!({
                "anyOf": [
                    {"type": "object", "title": "range", "properties": bounds},
                    {"type": "integer"},
                ],
            }),
        );
        parameter["style"] = json!("deepObject");
        parameter["explode"] = json!(true);
        parameter
    }
}
