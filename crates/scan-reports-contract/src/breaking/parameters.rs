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

    pub(super) fn response_headers(&mut self, place: &str, old: &Value, new: &Value) {
        for (header, old_header, new_header) in pairs(old, new) {
            let place = format!("{place} › header {header}");
            match (old_header, new_header) {
                (Some(_), None) => self.push(&place, "response header removed", Breaks::CLIENTS),
                (None, Some(_)) => self.push(&place, "response header added", Breaks::NONE),
                (Some(old), Some(new)) => self.schema(&place, old, new, Flow::Response),
                (None, None) => {}
            }
        }
    }
}
