//! Security requirements of operations, and the schemes they name.

use serde_json::Value;

use super::{Breaks, Changes};
use crate::difference::pairs;

impl Changes {
    pub(super) fn security(&mut self, at: &str, old: &Value, new: &Value) {
        // Each requirement is a set of schemes needed together; any one
        // requirement suffices.
        let sets = |value: &Value| -> Vec<Vec<String>> {
            value
                .as_array()
                .into_iter()
                .flatten()
                .map(|set| {
                    set.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .collect()
        };
        let (old_sets, new_sets) = (sets(old), sets(new));
        let covered = |by: &[Vec<String>], set: &Vec<String>| {
            by.iter().any(|other| other.iter().all(|s| set.contains(s)))
        };
        // A client meeting an old requirement may not meet a new one.
        let stricter = old_sets.iter().any(|set| !covered(&new_sets, set))
            || (old_sets.is_empty() && !new_sets.is_empty());
        // A new client may meet only a requirement old servers did not accept.
        let looser = new_sets.iter().any(|set| !covered(&old_sets, set))
            || (new_sets.is_empty() && !old_sets.is_empty());
        let breaks = Breaks {
            clients: stricter,
            servers: looser,
        };
        self.push(
            &format!("{at} › security"),
            format!("security {old} → {new}"),
            breaks,
        );
    }

    pub(super) fn security_schemes(&mut self, old: &Value, new: &Value) {
        for (name, old_scheme, new_scheme) in pairs(old, new) {
            let place = format!("security scheme {name}");
            match (old_scheme, new_scheme) {
                (Some(_), None) => self.push(&place, "scheme removed", Breaks::BOTH),
                (None, Some(_)) => self.push(&place, "scheme added", Breaks::NONE),
                (Some(old), Some(new)) if old != new => self.push(
                    &place,
                    format!("scheme changed: {old} → {new}"),
                    Breaks::BOTH,
                ),
                _ => {}
            }
        }
    }
}
