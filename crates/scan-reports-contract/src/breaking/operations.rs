//! Operations and their statuses: added, removed, renamed; responses added
//! and removed, and what each response carries.

use serde_json::{Value, json};

use super::{Breaks, Changes, Flow, deprecation::Marked};
use crate::difference::pairs;

impl Changes<'_> {
    pub(super) fn operations(&mut self, old: &Value, new: &Value) {
        for (key, old_operation, new_operation) in pairs(old, new) {
            match (old_operation, new_operation) {
                // Deprecation was the notice: clients had a release to move.
                (Some(old), None) if old["deprecated"] == json!(true) => {
                    self.push(&key, "deprecated operation removed", Breaks::NONE)
                }
                (Some(_), None) => self.push(&key, "operation removed", Breaks::CLIENTS),
                (None, Some(_)) => self.push(&key, "operation added", Breaks::SERVERS),
                (Some(old), Some(new)) => self.operation(&key, old, new),
                (None, None) => {}
            }
        }
    }

    pub(super) fn operation(&mut self, at: &str, old: &Value, new: &Value) {
        if old["operationId"] != new["operationId"] {
            self.push(
                at,
                format!(
                    "operationId {} → {} (the generated method is renamed)",
                    old["operationId"], new["operationId"]
                ),
                Breaks::CLIENTS,
            );
        }
        self.deprecation(at, Marked::Entry("operation"), old, new);
        if old["security"] != new["security"] {
            self.security(at, &old["security"], &new["security"]);
        }
        self.parameters(at, &old["parameters"], &new["parameters"]);
        self.request_body(at, old.get("requestBody"), new.get("requestBody"));
        self.responses(at, &old["responses"], &new["responses"]);
    }

    /// Statuses added and removed, and what each kept one carries.
    pub(super) fn responses(&mut self, at: &str, old: &Value, new: &Value) {
        for (status, old_response, new_response) in pairs(old, new) {
            let place = format!("{at} › response {status}");
            let success = status.starts_with('2');
            match (old_response, new_response) {
                // Old clients meet a status they were not generated for.
                (None, Some(_)) if success => {
                    self.push(&place, "success status added", Breaks::CLIENTS)
                }
                (None, Some(_)) => self.push(&place, "error status added", Breaks::NONE),
                // No client needs to be sent an error; old servers that
                // still send it no longer conform.
                (Some(_), None) if !success => {
                    self.push(&place, "error status removed", Breaks::SERVERS)
                }
                // Old clients may rely on it; old servers still send it.
                (Some(_), None) => self.push(&place, "success status removed", Breaks::BOTH),
                (Some(old), Some(new)) => {
                    self.content(&place, &old["content"], &new["content"], Flow::Response);
                    self.response_headers(&place, &old["headers"], &new["headers"]);
                }
                (None, None) => {}
            }
        }
    }

    pub(super) fn request_body(&mut self, at: &str, old: Option<&Value>, new: Option<&Value>) {
        match (old, new) {
            (None, Some(body)) if body["required"] == json!(true) => self.push(
                &format!("{at} › request"),
                "required body added",
                Breaks::CLIENTS,
            ),
            (None, Some(_)) => self.push(
                &format!("{at} › request"),
                "optional body added",
                Breaks::SERVERS,
            ),
            (Some(_), None) => {
                self.push(&format!("{at} › request"), "body removed", Breaks::CLIENTS)
            }
            (Some(old), Some(new)) => {
                let place = format!("{at} › request");
                match (
                    old["required"] == json!(true),
                    new["required"] == json!(true),
                ) {
                    (false, true) => self.push(&place, "body became required", Breaks::CLIENTS),
                    (true, false) => self.push(&place, "body became optional", Breaks::SERVERS),
                    _ => {}
                }
                self.content(&place, &old["content"], &new["content"], Flow::Request);
            }
            (None, None) => {}
        }
    }
}
