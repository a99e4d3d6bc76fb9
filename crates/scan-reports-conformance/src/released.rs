//! The `released` line: the current server keeps every promise of every
//! released document with the current major version; what it breaks of
//! an older major is listed, allowed by that major bump. Requests generated
//! from each release's request schemas (and its documented request
//! examples) are accepted, never refused as invalid; every answer has a
//! status that release documents and a body valid against that release's
//! schema for it. A break between majors is the version policy's business:
//! it needs a major bump and a CHANGELOG entry, which the `version` line
//! checks.

use scan_reports_contract::{
    Document, Outcome,
    canonical::canonical_schema,
    instances::{instances, samples, understood_only},
    json_schema,
    openapi_document::operations,
    published_examples::document_examples,
    version_policy::{released, version_of},
    workspace,
};
use scan_reports_testkit::{DEMO, TestServer};
use serde_json::Value;

/// Statuses that refuse a request as invalid: a client of a release must
/// never meet them for a request that release admits.
const REFUSALS: &[u16] = &[400, 413, 415, 422];

/// One request to send, for one operation of one release.
#[derive(Debug)]
struct Case {
    path: String,
    body: Value,
}

/// The requests to send for `release`: its documented request examples,
/// and `generated` instances of each request schema.
fn cases(release: &Document, generated: usize) -> Result<Vec<Case>, String> {
    let mut found = Vec::new();
    for (path, _, operation) in operations(&release.value) {
        let Some(schema) = operation.pointer("/requestBody/content/application~1json/schema")
        else {
            continue;
        };
        let canonical = canonical_schema(&release.value, schema, "#");
        let strategy =
            instances(&understood_only(&canonical), &[]).map_err(|unsupported| unsupported.0)?;
        for sample in samples(&strategy).take(generated) {
            found.push(Case {
                path: path.to_owned(),
                body: sample.map_err(|e| e.to_string())?,
            });
        }
        let request_place = format!("POST {path} request");
        for example in document_examples(release) {
            if example.place.starts_with(&request_place) {
                found.push(Case {
                    path: path.to_owned(),
                    body: example.value.clone(),
                });
            }
        }
    }
    Ok(found)
}

/// The release's schema for the answer `status` of POST `path`.
fn response_schema<'a>(release: &'a Document, path: &str, status: u16) -> Option<&'a Value> {
    release.operation_at(path, "post")?.response_schema(status)
}

/// Every way the server breaks `release`'s promises for `cases`.
fn broken_promises(release: &Document, cases: &[Case]) -> Result<Vec<String>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    let server = TestServer::demo();
    let request_validators: Vec<(String, jsonschema::Validator)> = operations(&release.value)
        .filter_map(|(path, _, operation)| {
            let schema = operation.pointer("/requestBody/content/application~1json/schema")?;
            Some((
                path.to_owned(),
                json_schema::validator(release, schema).ok()?,
            ))
        })
        .collect();
    let mut broken = Vec::new();
    for case in cases {
        // Only what the release admits is a promise; a generator's
        // instance may break a constraint it does not read.
        let admitted = request_validators
            .iter()
            .find(|(path, _)| *path == case.path)
            .is_some_and(|(_, validator)| validator.is_valid(&case.body));
        if !admitted {
            continue;
        }
        let reply = runtime.block_on(server.post(&case.path, DEMO, &case.body.to_string()));
        let status = reply.status.as_u16();
        let shown = || {
            let text = case.body.to_string();
            text.chars().take(200).collect::<String>()
        };
        if REFUSALS.contains(&status) {
            broken.push(format!(
                "POST {}: a request the release admits was refused with {status}: {}\n  answer: {}",
                case.path,
                shown(),
                reply.text
            ));
            continue;
        }
        let Some(schema) = response_schema(release, &case.path, status) else {
            broken.push(format!(
                "POST {}: status {status} is not documented by the release, for {}",
                case.path,
                shown()
            ));
            continue;
        };
        let body: Value = serde_json::from_str(&reply.text).unwrap_or(Value::Null);
        let validator = json_schema::validator(release, schema)?;
        for violation in json_schema::violations(&validator, &body) {
            broken.push(format!(
                "POST {} ({status}): the answer breaks the release's schema: {violation}",
                case.path
            ));
        }
    }
    Ok(broken)
}

/// What the server broke of the releases: of the current major (a
/// failure), and of older ones (allowed: a major bump with its CHANGELOG
/// entry recorded the break, which the `version` line checks).
#[derive(Debug, Default)]
struct Findings {
    checked: Vec<String>,
    sent: usize,
    broken: Vec<String>,
    allowed: Vec<String>,
}

/// Checks the server against every released document, with `generated`
/// requests per operation and release. Only a break of a release with the
/// current major version fails the line.
pub fn run(current: &Document, generated: usize) -> Outcome {
    let check = || -> Result<Findings, String> {
        let major = version_of(current)?.major;
        let mut findings = Findings::default();
        for release in released(&workspace::released_folder())? {
            let document = Document::load(&release.path).map_err(|e| e.to_string())?;
            let cases = cases(&document, generated)?;
            findings.sent += cases.len();
            let problems = broken_promises(&document, &cases)?
                .into_iter()
                .map(|problem| format!("{}: {problem}", release.version));
            if release.version.major == major {
                findings.broken.extend(problems);
            } else {
                findings.allowed.extend(
                    problems
                        .map(|problem| format!("allowed by the major bump to {major}: {problem}")),
                );
            }
            findings.checked.push(release.version.to_string());
        }
        Ok(findings)
    };
    match check() {
        Ok(findings) => {
            let summary = format!(
                "{} released versions ({}): {} requests from their schemas and examples",
                findings.checked.len(),
                findings.checked.join(", "),
                findings.sent
            );
            if findings.broken.is_empty() {
                let allowed = findings.allowed.len();
                let verdict = if allowed == 0 {
                    "all accepted, every answer valid".to_owned()
                } else {
                    format!("{allowed} breaks of older majors, each allowed by its major bump")
                };
                Outcome::pass("released", format!("{summary}, {verdict}"))
                    .with_details(findings.allowed)
            } else {
                let count = findings.broken.len();
                let mut details = findings.broken;
                details.extend(findings.allowed);
                Outcome::fail(
                    "released",
                    format!("{summary}: {count} promises of the current major broken"),
                    details,
                )
            }
        }
        Err(error) => Outcome::fail(
            "released",
            "the released documents cannot be checked",
            vec![error],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_keeps_every_released_promise() {
        let current = Document::load_contract().expect("the contract loads");
        let outcome = run(&current, 40);
        assert!(outcome.passed, "{outcome}");
    }

    #[test]
    fn a_refused_request_of_a_release_is_named() {
        // A release that admitted 600 ids: the server refuses past 500.
        let mut value = Document::load_contract().expect("loads").value;
        value["components"]["schemas"]["ScanStatusesRequest"]["properties"]["scan_ids"]["maxItems"] =
            serde_json::json!(600);
        let text = serde_json::to_string(&value).expect("serializes");
        let release = Document::parse(std::path::Path::new("release.json"), &text).expect("parses");
        let path = scan_reports_server::paths::SCAN_STATUSES.to_owned();
        let ids: Vec<u64> = (1..=600).collect();
        let cases = [Case {
            path,
            body: serde_json::json!({ "scan_ids": ids }),
        }];
        let broken = broken_promises(&release, &cases).expect("runs");
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert!(broken[0].contains("was refused with 422"), "{broken:?}");
    }
}
