//! Places read from the locations the rules write, and the routes they
//! take through compositions.

use serde_json::json;

use super::*;

fn document() -> Value {
    json!({"operations": {"POST /a": {
        "parameters": {"query:include[]": {"schema": {}}},
        "requestBody": {"content": {"application/vnd.a.b+json": {}}},
        "responses": {"200": {"headers": {"x-rate.limit": {}}, "content": {"application/json": {}}}},
    }}})
}

fn read(location: &str) -> Option<Place> {
    let document = document();
    place(location, [&document, &document])
}

#[test]
fn places_read_as_the_rules_write_them() {
    let place = read("POST /a › response 200 › body.data[].meta{*}.id › oneOf.x").expect("a place");
    assert_eq!(
        place.schema_at,
        ["responses", "200", "content", "application/json"]
    );
    assert_eq!(
        place.steps,
        [
            Step::Property("data".into()),
            Step::Item,
            Step::Property("meta".into()),
            Step::AnyProperty,
            Step::Property("id".into()),
            Step::Branch("oneOf".into()),
            Step::Property("x".into()),
        ]
    );
    let parameter = read("POST /a › parameter query:include[][]").expect("a parameter");
    assert_eq!(
        parameter.schema_at,
        ["parameters", "query:include[]", "schema"]
    );
    assert_eq!(parameter.steps, [Step::Item]);
    let media = read("POST /a › request › body application/vnd.a.b+json.x").expect("a body");
    assert_eq!(media.kind, "request body application/vnd.a.b+json");
    assert_eq!(media.steps, [Step::Property("x".into())]);
    let header = read("POST /a › response 200 › header x-rate.limit").expect("a header");
    assert_eq!(header.kind, "response header");
    for elsewhere in ["POST /a", "POST /a › response 200", "POST /a › security"] {
        assert_eq!(read(elsewhere), None, "{elsewhere}");
    }
}

#[test]
fn routes_go_through_the_branch_that_has_the_property() {
    let schema = json!({"oneOf": [
        {"type": "object", "properties": {"a": {}}},
        {"type": "object", "properties": {"b": {"type": "array", "items": {}}}},
    ]});
    let found = routes(&schema, &[Step::Property("b".into()), Step::Item]);
    assert_eq!(
        found,
        [vec![
            Hop::Branch("oneOf".into(), 1),
            Hop::Property("b".into()),
            Hop::Item
        ]]
    );
}
