//! A value planted at a place in the least whole value around it, by
//! filling a hole in a whole built once.

use serde_json::{Value, json};

use super::{candidates::Builder, place::Hop};

/// A least whole value with a hole at a place: each value is planted by
/// copying the (small) whole and filling the hole, not by building the
/// whole again.
#[derive(Debug)]
pub(crate) struct Planter<'a> {
    builder: Builder<'a>,
    schema: &'a Value,
    route: &'a [Hop],
    /// The whole with the hole, and the way to the hole.
    skeleton: Option<(Value, Vec<PathStep>)>,
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

/// What stands in the hole while the skeleton is built.
const HOLE: &str = "\u{1}hole\u{1}";

impl<'a> Planter<'a> {
    pub fn new(builder: Builder<'a>, schema: &'a Value, route: &'a [Hop]) -> Self {
        let skeleton = builder
            .plant(schema, route, &json!(HOLE))
            .and_then(|whole| {
                let path = path_to_hole(&whole)?;
                Some((whole, path))
            });
        Self {
            builder,
            schema,
            route,
            skeleton,
        }
    }

    /// The value at the place in `whole`, a value this planted.
    pub fn at_place<'v>(&self, whole: &'v Value) -> Option<&'v Value> {
        let (_, path) = self.skeleton.as_ref()?;
        path.iter().try_fold(whole, |at, step| match step {
            PathStep::Key(key) => at.get(key),
            PathStep::Index(index) => at.get(*index),
        })
    }

    /// The whole value with `value` at the place.
    pub fn with(&self, value: &Value) -> Option<Value> {
        self.with_owned(value.clone())
    }

    /// [`Planter::with`], `value` moved in rather than copied: it may be
    /// megabytes.
    pub fn with_owned(&self, value: Value) -> Option<Value> {
        let Some((skeleton, path)) = &self.skeleton else {
            return self.builder.plant(self.schema, self.route, &value);
        };
        let mut whole = skeleton.clone();
        let mut at = &mut whole;
        for step in path {
            at = match step {
                PathStep::Key(key) => at.get_mut(key.as_str())?,
                PathStep::Index(index) => at.get_mut(*index)?,
            };
        }
        *at = value;
        Some(whole)
    }
}

fn path_to_hole(value: &Value) -> Option<Vec<PathStep>> {
    match value {
        Value::String(text) if text == HOLE => Some(Vec::new()),
        Value::Object(object) => object.iter().find_map(|(key, child)| {
            let mut path = path_to_hole(child)?;
            path.insert(0, PathStep::Key(key.clone()));
            Some(path)
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(index, child)| {
            let mut path = path_to_hole(child)?;
            path.insert(0, PathStep::Index(index));
            Some(path)
        }),
        _ => None,
    }
}
