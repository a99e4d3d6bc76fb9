//! Every documented payload, request, response and error alike, passes
//! through the client's type and the server's type and comes out equal to
//! itself. (That it satisfies its schema is `xtask`'s `examples` check.)

use scan_reports_client::types as client;
use scan_reports_contract::{Document, Outcome};
use scan_reports_server::api as server;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

/// A documented payload and the component schema it is an instance of.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where it is: `POST /path 200 application/json example `documented``.
    pub place: String,
    /// A name fit for a snapshot file.
    pub slug: String,
    pub schema: String,
    pub value: Value,
}

/// How one side reads an example.
#[derive(Debug, Clone)]
pub struct View {
    /// `Debug` of the decoded value.
    pub debug: String,
    /// The decoded value written back.
    pub json: Value,
}

/// Every example of a request or response body that names a component schema.
pub fn documented(document: &Document) -> Vec<Example> {
    scan_reports_contract::published_examples::document_examples(document)
        .into_iter()
        .filter_map(|example| {
            let reference = example.schema.get("$ref")?.as_str()?;
            let schema = reference.strip_prefix("#/components/schemas/")?.to_owned();
            let slug = example
                .place
                .replace(&format!("{}/", scan_reports_server::paths::PREFIX), "")
                .replace("application/json example ", "")
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '_'
                    }
                })
                .collect::<String>()
                .split('_')
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join("_");
            Some(Example {
                place: example.place,
                slug,
                schema,
                value: example.value.clone(),
            })
        })
        .collect()
}

fn view<T: DeserializeOwned + Serialize + std::fmt::Debug>(
    side: &str,
    value: &Value,
) -> Result<View, String> {
    let decoded: T = serde_json::from_value(value.clone())
        .map_err(|error| format!("the {side} cannot read it: {error}"))?;
    let json = serde_json::to_value(&decoded)
        .map_err(|error| format!("the {side} cannot write it: {error}"))?;
    Ok(View {
        debug: format!("{decoded:#?}"),
        json,
    })
}

/// The views of `value` through the client's type `C` and the server's `S`.
fn both<C, S>(value: &Value) -> Result<(View, View), String>
where
    C: DeserializeOwned + Serialize + std::fmt::Debug,
    S: DeserializeOwned + Serialize + std::fmt::Debug,
{
    Ok((view::<C>("client", value)?, view::<S>("server", value)?))
}

/// The client's and the server's views of `example`.
pub fn views(example: &Example) -> Result<(View, View), String> {
    let views = match example.schema.as_str() {
        "ScanStatusesRequest" => both::<client::ScanStatusesRequest, server::ScanStatusesRequest>,
        "ScanStatusesResponse" => {
            both::<client::ScanStatusesResponse, server::ScanStatusesResponse>
        }
        "ReportsOnDemandRequest" => {
            both::<client::ReportsOnDemandRequest, server::ReportsOnDemandRequest>
        }
        "ReportsOnDemandResponse" => {
            both::<client::ReportsOnDemandResponse, server::ReportsOnDemandResponse>
        }
        "Error" => both::<client::Error, server::ErrorBody>,
        other => {
            return Err(format!(
                "no client and server types are registered for schema {other}"
            ));
        }
    };
    views(&example.value)
}

pub fn run(document: &Document) -> Outcome {
    let examples = documented(document);
    let mut failures = Vec::new();
    for example in &examples {
        match views(example) {
            Ok((client, server)) => {
                for (side, view) in [("client", &client), ("server", &server)] {
                    if view.json != example.value {
                        failures.push(format!(
                            "{}: the {side} changes it:\n  documented: {}\n  {side}:{} {}",
                            example.place,
                            example.value,
                            " ".repeat(10 - side.len()),
                            view.json
                        ));
                    }
                }
            }
            Err(error) => failures.push(format!("{}: {error}", example.place)),
        }
    }
    let summary = format!(
        "{} documented payloads through the client's and the server's types",
        examples.len()
    );
    if failures.is_empty() {
        Outcome::pass("round-trip", format!("{summary}, unchanged"))
    } else {
        Outcome::fail(
            "round-trip",
            format!("{summary}: {} changed", failures.len()),
            failures,
        )
    }
}
