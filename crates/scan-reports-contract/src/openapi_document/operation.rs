//! One operation of a document, read one way for every reader: the
//! conformance checks, the released-version check, the probe and the
//! request properties ask it for its request schema, the response of a
//! status, its documented statuses, its security and its header names.

use serde_json::Value;

use super::{Document, entries, operations, pointer_segment};

/// An operation of `document`: where it is, and what it says.
#[derive(Debug, Clone, Copy)]
pub struct Operation<'a> {
    document: &'a Document,
    /// The path as the document writes it, `/mobilesdkapi/facing/...`.
    pub path: &'a str,
    /// The HTTP method, lower-case as the document writes it.
    pub method: &'a str,
    value: &'a Value,
}

impl Document {
    /// The operation whose `operationId` is `operation_id`.
    pub fn operation(&self, operation_id: &str) -> Option<Operation<'_>> {
        operations(&self.value)
            .find(|(_, _, operation)| operation["operationId"] == operation_id)
            .map(|(path, method, value)| Operation {
                document: self,
                path,
                method,
                value,
            })
    }

    /// The operation on `path` with `method` (lower-case).
    pub fn operation_at(&self, path: &str, method: &str) -> Option<Operation<'_>> {
        operations(&self.value)
            .find(|(p, m, _)| *p == path && *m == method)
            .map(|(path, method, value)| Operation {
                document: self,
                path,
                method,
                value,
            })
    }
}

impl<'a> Operation<'a> {
    /// Where the operation is in the document, as a JSON pointer.
    pub fn pointer(&self) -> String {
        format!("#/paths/{}/{}", pointer_segment(self.path), self.method)
    }

    /// The schema of its JSON request body.
    pub fn request_schema(&self) -> Option<&'a Value> {
        self.request_body()?
            .pointer("/content/application~1json/schema")
    }

    /// Its request body, references followed.
    pub fn request_body(&self) -> Option<&'a Value> {
        Some(self.followed(self.value.get("requestBody")?)?.1)
    }

    /// The response documented for `status`, references followed, with
    /// the pointer it was found at.
    pub fn response(&self, status: u16) -> Option<(String, &'a Value)> {
        let response = self.value.get("responses")?.get(status.to_string())?;
        match self.followed(response)? {
            (Some(reference), response) => Some((reference.to_owned(), response)),
            (None, response) => Some((format!("{}/responses/{status}", self.pointer()), response)),
        }
    }

    /// The schema of the JSON body documented for `status`.
    pub fn response_schema(&self, status: u16) -> Option<&'a Value> {
        let (_, response) = self.response(status)?;
        response.pointer("/content/application~1json/schema")
    }

    /// The statuses it documents, in document order (`default` left out).
    pub fn statuses(&self) -> Vec<u16> {
        entries(self.value.get("responses"))
            .filter_map(|(status, _)| status.parse().ok())
            .collect()
    }

    /// Its security requirements (the document's where it has none): each
    /// a set of scheme names that must all be met.
    pub fn security(&self) -> Vec<Vec<&'a str>> {
        let requirements = self
            .value
            .get("security")
            .or_else(|| self.document.value.get("security"));
        requirements
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|requirement| {
                entries(Some(requirement))
                    .map(|(name, _)| name.as_str())
                    .collect()
            })
            .collect()
    }

    /// The names of the headers its security schemes read (the
    /// credentials), as the document spells them.
    pub fn header_names(&self) -> Vec<&'a str> {
        let schemes = self.document.value.pointer("/components/securitySchemes");
        let mut names: Vec<&'a str> = Vec::new();
        for scheme in self.security().into_iter().flatten() {
            let Some(scheme) = schemes.and_then(|schemes| schemes.get(scheme)) else {
                continue;
            };
            if scheme["in"] == "header"
                && let Some(name) = scheme["name"].as_str()
                && !names.contains(&name)
            {
                names.push(name);
            }
        }
        names
    }

    /// `value`, or what its `$ref` names, with the reference.
    fn followed(&self, value: &'a Value) -> Option<(Option<&'a str>, &'a Value)> {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => Some((Some(reference), self.document.resolve(reference)?)),
            None => Some((None, value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Document;

    #[test]
    fn the_contract_read_through_one_operation() {
        let document = Document::load_contract().expect("the contract loads");
        let statuses = document.operation("scan_statuses").expect("documented");
        assert!(statuses.path.ends_with("/scan-statuses"));
        assert_eq!(statuses.method, "post");
        assert!(statuses.request_schema().is_some());
        assert!(statuses.response_schema(200).is_some());
        // A shared response, through its reference.
        let (at, _) = statuses.response(401).expect("documented");
        assert!(at.starts_with("#/components/responses/"), "{at}");
        assert!(statuses.statuses().contains(&422));
        assert_eq!(statuses.security().len(), 1);
        // The two credential headers, as the security schemes name them.
        let schemes = document.value["components"]["securitySchemes"]
            .as_object()
            .expect("schemes");
        let headers = statuses.header_names();
        assert_eq!(headers.len(), 2, "{headers:?}");
        for header in headers {
            assert!(schemes.values().any(|scheme| scheme["name"] == header));
        }
        assert!(document.operation("no_such_operation").is_none());
        let same = document
            .operation_at(statuses.path, "post")
            .expect("the same operation");
        assert_eq!(same.pointer(), statuses.pointer());
    }
}
