//! Deprecation: `deprecated: true` and its `x-sunset` date, on operations,
//! parameters, response headers and schemas (properties among them).
//! Neither refuses a value, so marking, unmarking or moving the date
//! breaks nobody; they are the notice the version policy requires before a
//! removal ([`crate::version_policy::removals`]).

use serde_json::{Value, json};

use super::{Breaks, Changes, shown};
use crate::canonical::SUNSET;

/// What carries the marks, which decides how a change names it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Marked {
    /// An operation, a parameter or a response header: named by the noun.
    Entry(&'static str),
    /// A schema: named by its place alone, and provable as an edit of it.
    Schema,
}

impl Changes<'_> {
    /// A change of `deprecated` or of `x-sunset` between `old` and `new`.
    pub(super) fn deprecation(&mut self, at: &str, marked: Marked, old: &Value, new: &Value) {
        let deprecated = |value: &Value| value.get("deprecated") == Some(&json!(true));
        let (old_sunset, new_sunset) = (old.get(SUNSET), new.get(SUNSET));
        let sunset = match new_sunset {
            Some(date) => format!(", sunset {}", shown(Some(date))),
            None => String::new(),
        };
        let what = match (deprecated(old), deprecated(new)) {
            (false, true) => format!("deprecated{sunset}"),
            (true, false) => "no longer deprecated".to_owned(),
            _ if old_sunset != new_sunset => format!(
                "sunset moved: {} → {}",
                shown(old_sunset),
                shown(new_sunset)
            ),
            _ => return,
        };
        match marked {
            Marked::Entry(noun) => self.push(at, format!("{noun} {what}"), Breaks::NONE),
            Marked::Schema => {
                self.push_keywords(at, old, new, what, Breaks::NONE, &["deprecated", SUNSET])
            }
        }
    }
}
