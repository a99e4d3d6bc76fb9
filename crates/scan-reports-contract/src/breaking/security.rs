//! Security requirements of operations, and the schemes they name.
//!
//! An operation's `security` is a list of requirements, any one of which
//! lets a request in; a requirement is a set of schemes needed together.
//! An empty list, or an empty requirement, lets in a request with no
//! credentials at all.

use serde_json::Value;

use super::{Breaks, Changes};
use crate::difference::pairs;

/// The requirements of a canonical `security` value.
pub(crate) fn requirements(value: &Value) -> Vec<Vec<String>> {
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
}

/// Whether a request holding the credentials of `held` meets `required`.
pub(crate) fn lets_in(required: &[Vec<String>], held: &[String]) -> bool {
    required.is_empty()
        || required
            .iter()
            .any(|set| set.iter().all(|scheme| held.contains(scheme)))
}

/// Whether some request one list lets in, `other` refuses. A request with
/// no credentials stands for the empty list and the empty requirement.
fn admits_more(list: &[Vec<String>], other: &[Vec<String>]) -> bool {
    let held: Vec<Vec<String>> = if list.is_empty() {
        vec![Vec::new()]
    } else {
        list.to_vec()
    };
    held.iter().any(|credentials| !lets_in(other, credentials))
}

impl Changes<'_> {
    pub(super) fn security(&mut self, at: &str, old: &Value, new: &Value) {
        let (old_sets, new_sets) = (requirements(old), requirements(new));
        let breaks = Breaks {
            // A client that met an old requirement is refused.
            clients: admits_more(&old_sets, &new_sets),
            // A new client may meet only a requirement old servers refuse.
            servers: admits_more(&new_sets, &old_sets),
        };
        let how = match (breaks.clients, breaks.servers) {
            (true, false) => "stricter",
            (false, true) => "relaxed",
            _ => "changed",
        };
        self.push(
            &format!("{at} › security"),
            format!("security {how}: {old} → {new}"),
            breaks,
        );
    }

    /// Schemes that operations use (the canonical model keeps no other).
    pub(super) fn security_schemes(&mut self, old: &Value, new: &Value) {
        for (name, old_scheme, new_scheme) in pairs(old, new) {
            let place = format!("security scheme {name}");
            match (old_scheme, new_scheme) {
                // The operations naming it say how; this is where it was defined.
                (Some(_), None) => self.push(&place, "scheme no longer used", Breaks::NONE),
                (None, Some(_)) => self.push(&place, "scheme now used", Breaks::NONE),
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
