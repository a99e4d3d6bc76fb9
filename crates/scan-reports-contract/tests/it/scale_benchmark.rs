//! The scale benchmark's smallest generated document (about 1 MB of YAML)
//! through the diff in process, once per edit: its verdicts only, never
//! its time (`cargo xtask bench --only diff` measures that, in a release
//! build).

use std::path::Path;

use scan_reports_contract::{
    Document,
    scale_benchmark::{self, ScaleEdit, Shape, Verdict},
    witnesses::classify_and_prove,
};

/// The smallest size the benchmark measures, in MB of YAML.
const SMALLEST: u32 = 1;

#[test]
fn each_edit_of_the_smallest_document_gets_its_verdict() {
    for edit in ScaleEdit::ALL {
        let pair = edit.pair(SMALLEST);
        let verdict = Verdict::of_proven(&classify_and_prove(&pair.old, &pair.new));
        assert_eq!(
            edit.judge(&verdict),
            Ok(()),
            "{}: expected {}, found {}",
            edit.name(),
            edit.expected(),
            verdict.summary()
        );
    }
}

#[test]
fn the_smallest_document_is_about_a_megabyte_of_openapi_in_either_version() {
    let pair = ScaleEdit::MovedTo31.pair(SMALLEST);
    for (document, version) in [(&pair.old, "3.0.3"), (&pair.new, "3.1.0")] {
        let yaml = scale_benchmark::to_yaml(document).expect("YAML");
        let megabytes = yaml.len() as f64 / 1e6;
        assert!(
            (0.8..1.25).contains(&megabytes),
            "{version}: {megabytes:.2} MB of YAML"
        );
        let read = Document::parse(Path::new("generated.yaml"), &yaml)
            .unwrap_or_else(|error| panic!("{version}: {error}"));
        assert_eq!(read.version, version);
        let shape = Shape::of(document);
        assert!(
            shape.schemas >= 200 && shape.paths >= 70 && shape.operations >= 150,
            "{shape:?}"
        );
    }
}
