//! Parameters of operations and headers of responses.

use serde_json::{Value, json};

use super::{Breaks, Changes, Flow};
use crate::difference::pairs;

impl Changes {
    pub(super) fn parameters(&mut self, at: &str, old: &Value, new: &Value) {
        for (name, old_parameter, new_parameter) in pairs(old, new) {
            let place = format!("{at} › parameter {name}");
            let required = |parameter: &Value| parameter["required"] == json!(true);
            match (old_parameter, new_parameter) {
                (None, Some(new)) if required(new) => {
                    self.push(&place, "required parameter added", Breaks::CLIENTS)
                }
                (None, Some(_)) => self.push(&place, "optional parameter added", Breaks::SERVERS),
                (Some(old), None) if required(old) => {
                    self.push(&place, "required parameter removed", Breaks::SERVERS)
                }
                (Some(_), None) => self.push(&place, "optional parameter removed", Breaks::NONE),
                (Some(old), Some(new)) => {
                    match (required(old), required(new)) {
                        (false, true) => {
                            self.push(&place, "parameter became required", Breaks::CLIENTS)
                        }
                        (true, false) => {
                            self.push(&place, "parameter became optional", Breaks::SERVERS)
                        }
                        _ => {}
                    }
                    self.schema(&place, &old["schema"], &new["schema"], Flow::Request);
                }
                (None, None) => {}
            }
        }
    }

    /// A required header is one clients may rely on; an optional one,
    /// one they may not.
    pub(super) fn response_headers(&mut self, place: &str, old: &Value, new: &Value) {
        let required = |header: &Value| header["required"] == json!(true);
        for (header, old_header, new_header) in pairs(old, new) {
            let place = format!("{place} › header {header}");
            match (old_header, new_header) {
                (Some(old), None) if required(old) => {
                    self.push(&place, "required response header removed", Breaks::CLIENTS)
                }
                (Some(_), None) => {
                    self.push(&place, "optional response header removed", Breaks::NONE)
                }
                (None, Some(new)) if required(new) => {
                    self.push(&place, "required response header added", Breaks::SERVERS)
                }
                (None, Some(_)) => {
                    self.push(&place, "optional response header added", Breaks::NONE)
                }
                (Some(old), Some(new)) => {
                    match (required(old), required(new)) {
                        (true, false) => {
                            self.push(&place, "response header became optional", Breaks::CLIENTS)
                        }
                        (false, true) => {
                            self.push(&place, "response header became required", Breaks::SERVERS)
                        }
                        _ => {}
                    }
                    self.schema(&place, &old["schema"], &new["schema"], Flow::Response);
                }
                (None, None) => {}
            }
        }
    }
}
