//! The comparison of two schema graphs, pair by pair. Where both versions
//! name a schema by reference, the two schemas are compared once, however
//! many places reach them; each place is remembered, so a change found
//! inside names every place it reaches without being found again. A pair
//! met again inside itself (recursion) is a pair already under way, not a
//! copy.

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::Value;

use super::Flow;
use crate::canonical::{SOURCE, Tables, reference_of};

/// One pair of referenced schemas compared: where it was first met, and
/// every place it was reached from.
#[derive(Debug)]
struct Pair {
    first_at: String,
    /// The pair around each place it was reached from (none: a body's own
    /// schema), and the place.
    reached: Vec<(Option<usize>, String)>,
}

/// The pairs compared so far, and those under way.
#[derive(Debug, Default)]
pub(super) struct Pairs {
    by_keys: HashMap<(String, String, Flow), usize>,
    pairs: Vec<Pair>,
    open: Vec<usize>,
}

/// What meeting a pair at a place came to.
pub(super) enum Met {
    /// First met: compare it, then call [`Pairs::close`].
    New,
    /// Compared already, or under way: the place is remembered.
    Known,
}

impl Pairs {
    /// The pair being compared now, if any.
    pub(super) fn current(&self) -> Option<usize> {
        self.open.last().copied()
    }

    /// The pair of `old_key` and `new_key` read in `flow`, met at `at`.
    pub(super) fn meet(&mut self, keys: (&str, &str), flow: Flow, at: &str) -> Met {
        let parent = self.current();
        let key = (keys.0.to_owned(), keys.1.to_owned(), flow);
        if let Some(&known) = self.by_keys.get(&key) {
            self.pairs[known].reached.push((parent, at.to_owned()));
            return Met::Known;
        }
        let id = self.pairs.len();
        self.pairs.push(Pair {
            first_at: at.to_owned(),
            reached: vec![(parent, at.to_owned())],
        });
        self.by_keys.insert(key, id);
        self.open.push(id);
        Met::New
    }

    /// The pair met last is compared.
    pub(super) fn close(&mut self) {
        self.open.pop();
    }

    /// The places a change at `location`, found inside `pair`, reaches:
    /// every way to it from outside any pair, fewest steps first, up to
    /// [`MOST_PLACES`]; and whether there are more.
    pub(super) fn places(&self, pair: usize, location: &str) -> (Vec<String>, bool) {
        let Some(first) = self.pairs.get(pair) else {
            return (vec![location.to_owned()], false);
        };
        let inside = location
            .strip_prefix(first.first_at.as_str())
            .unwrap_or_default()
            .to_owned();
        let mut found: Vec<String> = Vec::new();
        let mut seen: HashSet<(usize, String)> = HashSet::from([(pair, inside.clone())]);
        let mut queue: VecDeque<(usize, String)> = VecDeque::from([(pair, inside)]);
        let mut steps = 0;
        while let Some((id, below)) = queue.pop_front() {
            for (parent, at) in &self.pairs[id].reached {
                steps += 1;
                if found.len() >= MOST_PLACES || steps > MOST_STEPS {
                    return (found, true);
                }
                match parent {
                    None => {
                        let place = format!("{at}{below}");
                        if !found.contains(&place) {
                            found.push(place);
                        }
                    }
                    Some(parent) => {
                        let from = self.pairs[*parent].first_at.as_str();
                        let step = at.strip_prefix(from).unwrap_or_default();
                        let state = (*parent, format!("{step}{below}"));
                        if seen.insert(state.clone()) {
                            queue.push_back(state);
                        }
                    }
                }
            }
        }
        (found, false)
    }
}

/// The most places one change names; past them it says there are more.
pub(super) const MOST_PLACES: usize = 100;
/// The most ways looked at to find them.
const MOST_STEPS: usize = 20_000;

/// Whether two canonical values mean the same, their places aside: equal
/// once every reference is read as what it names. Two references are
/// compared once; one met again inside itself is taken as the same until
/// something tells them apart (the greatest such reading).
#[derive(Debug, Default)]
pub(super) struct Sameness {
    known: HashMap<(String, String), bool>,
    /// Pairs taken as the same while an outer comparison is under way.
    assumed: Vec<(String, String)>,
    depth: usize,
}

impl Sameness {
    pub(super) fn same(&mut self, tables: Tables<'_>, a: &Value, b: &Value) -> bool {
        self.depth += 1;
        let same = self.compare(tables, a, b);
        self.depth -= 1;
        if self.depth == 0 {
            if same {
                self.assumed.clear();
            } else {
                // What was taken as the same under an outer assumption
                // that failed is known no longer.
                for key in self.assumed.drain(..) {
                    if self.known.get(&key) == Some(&true) {
                        self.known.remove(&key);
                    }
                }
            }
        }
        same
    }

    fn compare(&mut self, tables: Tables<'_>, a: &Value, b: &Value) -> bool {
        match (reference_of(a), reference_of(b)) {
            (Some(x), Some(y)) => {
                if x == y {
                    return true;
                }
                let key = (x.to_owned(), y.to_owned());
                if let Some(&known) = self.known.get(&key) {
                    return known;
                }
                self.known.insert(key.clone(), true);
                let same = match (tables.target(x), tables.target(y)) {
                    (Some(p), Some(q)) => self.compare(tables, p, q),
                    _ => false,
                };
                if same {
                    if self.depth > 1 || !self.assumed.is_empty() {
                        self.assumed.push(key);
                    }
                } else {
                    self.known.insert(key, false);
                }
                same
            }
            (Some(_), None) => match tables.resolve(a) {
                Some(target) => self.compare(tables, target, b),
                None => false,
            },
            (None, Some(_)) => match tables.resolve(b) {
                Some(target) => self.compare(tables, a, target),
                None => false,
            },
            (None, None) => match (a, b) {
                (Value::Object(a), Value::Object(b)) => {
                    let count = |o: &serde_json::Map<String, Value>| {
                        o.keys().filter(|k| *k != SOURCE).count()
                    };
                    count(a) == count(b)
                        && a.iter()
                            .filter(|(key, _)| *key != SOURCE)
                            .all(|(key, value)| {
                                b.get(key)
                                    .is_some_and(|other| self.compare(tables, value, other))
                            })
                }
                (Value::Array(a), Value::Array(b)) => {
                    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| self.compare(tables, a, b))
                }
                (a, b) => a == b,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::canonical::{REFERENCE, SCHEMAS};

    #[test]
    fn recursive_graphs_that_unfold_alike_are_the_same() {
        let old = json!({SCHEMAS: {
            "old A": {"type": "object", "properties": {"next": {REFERENCE: "old A"}}},
        }});
        let new = json!({SCHEMAS: {
            "new A": {"type": "object", "properties": {"next": {REFERENCE: "new B"}}},
            "new B": {"type": "object", "properties": {"next": {REFERENCE: "new A"}}},
            "new C": {"type": "object", "properties": {"next": {REFERENCE: "new C"}, "x": {}}},
        }});
        let tables = Tables::of(&old).with(&new);
        let mut sameness = Sameness::default();
        let a = json!({REFERENCE: "old A"});
        assert!(sameness.same(tables, &a, &json!({REFERENCE: "new A"})));
        assert!(!sameness.same(tables, &a, &json!({REFERENCE: "new C"})));
        // A failed assumption leaves nothing behind.
        assert!(sameness.same(tables, &a, &json!({REFERENCE: "new B"})));
    }

    #[test]
    fn a_pair_met_at_many_places_names_each() {
        let mut pairs = Pairs::default();
        assert!(matches!(
            pairs.meet(("a", "a"), Flow::Response, "GET /x › response 200 › body"),
            Met::New
        ));
        assert!(matches!(
            pairs.meet(
                ("b", "b"),
                Flow::Response,
                "GET /x › response 200 › body.item"
            ),
            Met::New
        ));
        pairs.close();
        pairs.close();
        assert!(matches!(
            pairs.meet(("a", "a"), Flow::Response, "GET /y › response 200 › body[]"),
            Met::Known
        ));
        let (places, more) = pairs.places(1, "GET /x › response 200 › body.item.id");
        assert_eq!(
            places,
            [
                "GET /x › response 200 › body.item.id",
                "GET /y › response 200 › body[].item.id"
            ]
        );
        assert!(!more);
    }
}
