//! The `examples` line: every example is valid against its schema: those
//! the document carries, and the payloads published on the vendor's page,
//! which must also equal the document's copy of them.

use crate::{
    Document, Outcome,
    published_examples::{check_published, document_examples, load_index, validate},
    workspace,
};

pub fn run(document: &Document) -> Outcome {
    let mut failures = Vec::new();
    let mut notes = Vec::new();

    let in_document = document_examples(document);
    for example in &in_document {
        failures.extend(validate(
            document,
            example.schema,
            example.value,
            &example.place,
        ));
    }

    let published = match load_index(&workspace::published_examples()) {
        Ok(published) => published,
        Err(error) => {
            failures.push(error);
            Vec::new()
        }
    };
    for entry in &published {
        match check_published(document, &workspace::published_examples(), entry) {
            Ok(Some(note)) => notes.push(note),
            Ok(None) => {}
            Err(mut problems) => failures.append(&mut problems),
        }
    }

    let summary = format!(
        "{} document examples and {} published payloads",
        in_document.len(),
        published.len()
    );
    if failures.is_empty() {
        Outcome::pass("examples", format!("{summary} valid")).with_details(notes)
    } else {
        failures.extend(notes);
        Outcome::fail("examples", format!("{summary}: invalid"), failures)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::published_examples::PublishedExample;

    fn contract() -> Document {
        Document::load_contract().expect("the contract loads")
    }

    #[test]
    fn the_contract_and_published_examples_pass_with_the_defect_reported() {
        let outcome = run(&contract());
        assert!(outcome.passed, "{outcome}");
        assert_eq!(outcome.details.len(), 1, "{outcome}");
        let note = &outcome.details[0];
        assert!(
            note.contains("scan-statuses.response-200.json at line 49, column 1"),
            "{note}"
        );
        assert!(
            note.contains("the comma after `\"scan_area_id\": 5432` is missing"),
            "{note}"
        );
    }

    /// `check(schema name, instance, expected violations)`.
    fn check(schema: &str, instance: Value, expected: &[&str]) {
        let document = contract();
        let schema = document
            .resolve(&format!("#/components/schemas/{schema}"))
            .expect("schema exists");
        let found = validate(&document, schema, &instance, "x");
        assert_eq!(found.len(), expected.len(), "violations: {found:#?}");
        for (violation, fragment) in found.iter().zip(expected) {
            assert!(
                violation.contains(fragment),
                "`{violation}` lacks `{fragment}`"
            );
        }
    }

    #[test]
    fn schema_violations_name_path_and_reason() {
        check(
            "ScanStatusesRequest",
            json!({"scan_ids": [1, "2"]}),
            &["x: /scan_ids/1: \"2\" is not of type \"integer\""],
        );
        check(
            "ScanStatusesRequest",
            json!({"scan_ids": []}),
            &["x: /scan_ids: [] has less than 1 item"],
        );
        check(
            "ScanStatusesRequest",
            json!({"scan_ids": [0]}),
            &["x: /scan_ids/0: 0 is less than the minimum of 1"],
        );
        check(
            "ScanStatusesRequest",
            json!({"scan_ids": (1..=501).collect::<Vec<u32>>()}),
            &["x: /scan_ids: [1,2,3"],
        );
        check(
            "ReportsOnDemandRequest",
            json!({"scan_id": 1, "report_types": ["ITEM_SEEN"]}),
            &["x: /report_types/0: \"ITEM_SEEN\" is not one of"],
        );
        check(
            "ReportsOnDemandRequest",
            json!({"scan_id": 1}),
            &["x: (root): \"report_types\" is a required property"],
        );
    }

    #[test]
    fn nullable_metadata_admits_null_but_not_absence() {
        let document = contract();
        let example = document
            .resolve("#/paths/~1mobilesdkapi~1facing~1scan-statuses/post/responses/200/content/application~1json/examples/documented/value/data/0/scan_metadata")
            .expect("example exists")
            .clone();
        check("ScanMetadata", example.clone(), &[]);
        let mut absent = example;
        absent
            .as_object_mut()
            .expect("object")
            .remove("focal_length");
        check(
            "ScanMetadata",
            absent,
            &["\"focal_length\" is a required property"],
        );
    }

    #[test]
    fn timestamps_need_no_offset_and_refuse_one() {
        check("Timestamp", json!("2025-10-04T11:16:36"), &[]);
        check("Timestamp", json!("2025-10-07T09:09:31.650788"), &[]);
        check(
            "Timestamp",
            json!("2025-10-07T09:09:31Z"),
            &["does not match"],
        );
    }

    #[test]
    fn open_value_sets_admit_unknown_values() {
        check("ScanStatus", json!("QUEUED_FOR_REVIEW"), &[]);
        check("ScanStatus", json!(""), &["shorter than 1 character"]);
    }

    #[test]
    fn a_published_file_that_stops_matching_the_document_is_named() {
        let document = contract();
        let folder = std::env::temp_dir().join(format!("xtask-examples-{}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("temp dir");
        std::fs::write(folder.join("req.json"), r#"{"scan_ids": [1234, 5679]}"#).expect("write");
        let entry = PublishedExample {
            file: "req.json".into(),
            schema: "#/components/schemas/ScanStatusesRequest".into(),
            document_example: "#/paths/~1mobilesdkapi~1facing~1scan-statuses/post/requestBody/content/application~1json/examples/documented/value".into(),
            published_defect: None,
        };
        let problems = check_published(&document, &folder, &entry).expect_err("differs");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].contains("differs from the document's example"),
            "{}",
            problems[0]
        );
        assert!(problems[0].contains("+    5679"), "{}", problems[0]);

        std::fs::write(folder.join("req.json"), "{\"scan_ids\": [1234 5678]}").expect("write");
        let problems = check_published(&document, &folder, &entry).expect_err("not JSON");
        assert!(
            problems[0].contains("req.json:1:20: not valid JSON"),
            "{}",
            problems[0]
        );
        std::fs::remove_dir_all(&folder).ok();
    }
}
