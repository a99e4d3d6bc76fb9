use serde_json::{Value, json};

use super::*;

/// A document of `version` whose `POST /a` takes `request` and answers
/// 200 with `response`, a header `X-Count` of `header`, a query parameter
/// `limit` of `parameter`, and component schemas `components`.
fn document(version: &str, request: Value, response: Value, components: Value) -> Value {
    json!({
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {
            "parameters": [{"$ref": "#/components/parameters/Limit"}],
            "post": {
                "requestBody": {"content": {"application/json": {"schema": request}}},
                "responses": {"200": {"$ref": "#/components/responses/Answer"}},
            },
        }},
        "components": {
            "schemas": components,
            "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 10}}},
            "responses": {"Answer": {
                "description": "d",
                "headers": {"X-Count": {"schema": {"type": "integer", "format": "int32"}}},
                "content": {"Application/JSON": {"schema": response}},
            }},
        },
    })
}

fn request() -> ValueAt {
    ValueAt {
        operation: "POST /a".into(),
        kind: ValueKind::RequestBody {
            media_type: "application/json".into(),
        },
    }
}

fn response() -> ValueAt {
    ValueAt {
        operation: "POST /a".into(),
        kind: ValueKind::ResponseBody {
            status: "200".into(),
            media_type: "application/json".into(),
        },
    }
}

/// `check(document, value, [(instance, admitted)])`.
fn check(document: &Value, at: &ValueAt, cases: &[(Value, bool)]) {
    let mut rechecker = Rechecker::new(document);
    for (instance, admitted) in cases {
        assert_eq!(
            rechecker.admits(at, instance),
            Ok(*admitted),
            "{instance} at {at:?} in {}",
            document["openapi"]
        );
    }
}

#[test]
fn integers_are_judged_by_the_documents_dialect() {
    let integer = json!({"type": "object", "properties": {"id": {"type": "integer"}}});
    let draft_4 = document("3.0.3", integer.clone(), json!({}), json!({}));
    check(
        &draft_4,
        &request(),
        &[
            (json!({"id": 1}), true),
            (json!({"id": 1.0}), false),
            (json!({"id": 1e3}), false),
            // Held as a float, so written with an exponent.
            (json!({"id": 4.838_461_265_686_283e92}), false),
        ],
    );
    let draft_2020 = document("3.1.0", integer, json!({}), json!({}));
    check(
        &draft_2020,
        &request(),
        &[(json!({"id": 1.0}), true), (json!({"id": 1.5}), false)],
    );
}

#[test]
fn read_only_and_write_only_follow_the_direction() {
    let components = json!({"Thing": {"type": "object", "required": ["id", "secret", "name"], "properties": {
        "id": {"$ref": "#/components/schemas/Id"},
        "secret": {"type": "string", "writeOnly": true},
        "name": {"type": "string"},
    }}, "Id": {"type": "string", "readOnly": true}});
    let thing = json!({"$ref": "#/components/schemas/Thing"});
    for version in ["3.0.3", "3.1.0"] {
        let document = document(version, thing.clone(), thing.clone(), components.clone());
        check(
            &document,
            &request(),
            &[
                (json!({"name": "n", "secret": "s"}), true),
                (json!({"name": "n", "secret": "s", "id": "i"}), false),
                (json!({"name": "n"}), false),
            ],
        );
        check(
            &document,
            &response(),
            &[
                (json!({"name": "n", "id": "i"}), true),
                (json!({"name": "n", "id": "i", "secret": "s"}), false),
            ],
        );
    }
}

#[test]
fn nullable_admits_null_in_3_0_only() {
    let components = json!({"Status": {"type": "string", "enum": ["A"]}});
    let spellings = [
        json!({"type": "string", "enum": ["A"], "nullable": true}),
        json!({"$ref": "#/components/schemas/Status", "nullable": true}),
        json!({"allOf": [{"$ref": "#/components/schemas/Status"}], "nullable": true}),
        json!({"allOf": [{"$ref": "#/components/schemas/Status"}, {"nullable": true}]}),
    ];
    for spelling in spellings {
        let in_3_0 = document("3.0.3", spelling.clone(), json!({}), components.clone());
        check(
            &in_3_0,
            &request(),
            &[(Value::Null, true), (json!("A"), true), (json!("B"), false)],
        );
        let in_3_1 = document("3.1.0", spelling, json!({}), components.clone());
        check(
            &in_3_1,
            &request(),
            &[(Value::Null, false), (json!("A"), true)],
        );
    }
}

#[test]
fn integer_formats_admit_integers_in_their_range() {
    let number = json!({"type": "number", "format": "int64"});
    for version in ["3.0.3", "3.1.0"] {
        let document = document(version, number.clone(), json!({}), json!({}));
        check(
            &document,
            &request(),
            &[
                (json!(5), true),
                (json!(1.5), false),
                (json!(9_223_372_036_854_775_807_i64), true),
                (json!(18_446_744_073_709_551_615_u64), false),
            ],
        );
    }
    let nullable = json!({"type": ["integer", "null"], "format": "int32"});
    let document = document("3.1.0", nullable, json!({}), json!({}));
    check(
        &document,
        &request(),
        &[(Value::Null, true), (json!(1.5), false)],
    );
}

#[test]
fn spellings_each_dialect_reads_as_meant() {
    // `const` in 3.0, and exclusive bounds in the other dialect's spelling.
    let in_3_0 = document(
        "3.0.3",
        json!({"const": "x"}),
        json!({"type": "number", "exclusiveMinimum": 0}),
        json!({}),
    );
    check(
        &in_3_0,
        &request(),
        &[(json!("x"), true), (json!("y"), false)],
    );
    check(
        &in_3_0,
        &response(),
        &[(json!(0), false), (json!(0.5), true)],
    );
    let in_3_1 = document(
        "3.1.0",
        json!({"type": ["string", "float"]}),
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true}),
        json!({}),
    );
    check(
        &in_3_1,
        &request(),
        &[(json!("s"), true), (json!(1.5), false)],
    );
    check(
        &in_3_1,
        &response(),
        &[(json!(0), false), (json!(0.5), true)],
    );
}

#[test]
fn parameters_and_headers_are_found_through_their_references() {
    let document = document("3.0.3", json!({}), json!({}), json!({}));
    let limit = ValueAt {
        operation: "POST /a".into(),
        kind: ValueKind::Parameter {
            location: "query".into(),
            name: "limit".into(),
        },
    };
    check(&document, &limit, &[(json!(10), true), (json!(11), false)]);
    let header = ValueAt {
        operation: "POST /a".into(),
        kind: ValueKind::ResponseHeader {
            status: "200".into(),
            name: "x-count".into(),
        },
    };
    check(
        &document,
        &header,
        &[
            (json!(2_147_483_647), true),
            (json!(2_147_483_648_i64), false),
        ],
    );
    let mut rechecker = Rechecker::new(&document);
    let elsewhere = ValueAt {
        operation: "GET /a".into(),
        kind: ValueKind::RequestBody {
            media_type: "application/json".into(),
        },
    };
    assert!(matches!(
        rechecker.admits(&elsewhere, &json!({})),
        Err(RecheckError::NoSuchValue(_))
    ));
}
