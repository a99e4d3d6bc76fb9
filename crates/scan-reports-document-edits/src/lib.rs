//! Edits of a document as JSON, the ones the tests of the rules, of the
//! version policy and of the conformance gate make to copies of the
//! contract: each written once, so every test means the same by it.

use serde_json::Value;

/// The component schema `name`. Like indexing, it inserts `null` where
/// there is none, and panics where `document` is not an object.
pub fn schema<'a>(document: &'a mut Value, name: &str) -> &'a mut Value {
    &mut document["components"]["schemas"][name]
}

/// Removes `item` from the list `list`, wherever it stands.
///
/// # Panics
/// Where `list` is not a list.
pub fn remove_from(list: &mut Value, item: &str) {
    list.as_array_mut()
        .expect("a list")
        .retain(|value| value != item);
}

/// Adds the property `name`, declared `property`, to the object schema
/// `schema`, and `name` to its `required`.
///
/// # Panics
/// Where `schema` is not an object, or its `required` is not a list.
pub fn add_required_property(schema: &mut Value, name: &str, property: Value) {
    schema["properties"][name] = property;
    schema["required"]
        .as_array_mut()
        .expect("a list")
        .push(Value::from(name));
}

/// Removes the property `name` of the object schema `schema`, and `name`
/// from its `required`. Returns the property's schema; `None`, and nothing
/// changed, where it has no such property.
pub fn remove_property(schema: &mut Value, name: &str) -> Option<Value> {
    let property = schema
        .get_mut("properties")
        .and_then(Value::as_object_mut)?
        .remove(name)?;
    if let Some(required) = schema.get_mut("required") {
        remove_from(required, name);
    }
    Some(property)
}

/// Reverses the order of the properties of the object schema `schema`:
/// an edit of spelling only, which no comparison may count.
pub fn reverse_properties(schema: &mut Value) {
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        let reversed = std::mem::take(properties).into_iter().rev().collect();
        *properties = reversed;
    }
}
