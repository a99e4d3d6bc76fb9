//! The client crate's Rust API under each kind of contract change: the
//! client regenerated from an edited copy of the document (with the change
//! a maintainer makes by hand beside it, such as the variant of a new
//! open-set value) against the client of the document as it is, judged by
//! cargo-semver-checks as a minor release.
//!
//! A compatible kind must pass as a minor release. A breaking kind must
//! fail it, or be one the contract already marks as needing a major bump.
//!
//! Needs cargo-semver-checks (`cargo install --locked
//! cargo-semver-checks`). Without it a test says it skipped and how to run
//! it; with `CI=true` it fails instead. A representative handful of rows
//! runs by default; `SCAN_REPORTS_SEMVER_KINDS=all` runs every row.
//!
//! ```sh
//! cargo test -p scan-reports-contract --features codegen --test semver -- --nocapture
//! ```

mod kinds;

use std::{path::Path, sync::OnceLock};

use scan_reports_contract::{
    Document, breaking, client_codegen,
    version_policy::{
        Bump,
        rust_api::{self, ClientSource, Rustdoc, SemverVerdict},
    },
};
use serde_json::Value;

/// The contract as JSON.
pub fn contract() -> Value {
    Document::load_contract().expect("the contract loads").value
}

/// What a row must come to.
#[derive(Debug, Clone, Copy)]
pub enum Expected {
    /// A compatible change: cargo-semver-checks passes a minor release.
    Minor,
    /// The contract already needs a major bump; the Rust API alone would
    /// pass as minor.
    MajorByContract,
    /// cargo-semver-checks fails a minor release, naming these lints.
    Fails(&'static [&'static str]),
}

/// One kind of change: the edit of the document, the edit of the
/// hand-written client a maintainer makes with it, and the verdict.
pub struct Row {
    pub kind: &'static str,
    /// Whether the row is one of the handful run by default.
    pub representative: bool,
    pub document: Box<dyn Fn(&mut Value)>,
    pub client: fn(&mut ClientSource),
    pub expected: Expected,
}

/// The edits are closures, which have no `Debug`: a row shows its kind
/// and verdicts.
impl std::fmt::Debug for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Row")
            .field("kind", &self.kind)
            .field("representative", &self.representative)
            .field("expected", &self.expected)
            .finish_non_exhaustive()
    }
}

/// Whether cargo-semver-checks can run; if not, says so, and fails under
/// `CI=true`.
fn tool_available(test: &str) -> bool {
    if rust_api::installed() {
        return true;
    }
    assert!(
        !rust_api::required(),
        "{test}: cargo-semver-checks is not installed and CI=true; install it with `{}`",
        rust_api::INSTALL
    );
    eprintln!(
        "{test}: skipped: cargo-semver-checks is not installed. Install it with `{}`, then run \
         `cargo test -p scan-reports-contract --features codegen --test semver`",
        rust_api::INSTALL
    );
    false
}

/// The client of `document`: the working tree's hand-written code with
/// the code `document` generates, at `version`.
fn client_of(document: &Value, version: &str) -> ClientSource {
    let parsed = Document::parse(Path::new("edited.yaml"), &document.to_string())
        .expect("the edited document parses");
    let generated = client_codegen::render(&parsed).expect("a client is generated");
    let mut client = ClientSource::working_tree().expect("the client crate reads");
    client.set_file("src/generated.rs", generated);
    client.set_version(&version.parse().expect("a version"));
    client
}

/// The client of the document as it is, documented once for every row.
fn baseline() -> &'static Rustdoc {
    static BASELINE: OnceLock<Rustdoc> = OnceLock::new();
    BASELINE.get_or_init(|| {
        let mut client = client_of(&contract(), "2.0.0");
        client.label = "the document as it is".into();
        client
            .rustdoc("kinds/baseline")
            .unwrap_or_else(|error| panic!("{error}"))
    })
}

/// The slot of a row's crate: its kind, as a folder name.
fn slot(kind: &str) -> String {
    let name: String = kind
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("kinds/{name}")
}

/// Runs one row; returns its line of the table, or what went wrong.
fn check(row: &Row) -> Result<String, String> {
    let (old, mut new) = (contract(), contract());
    (row.document)(&mut new);
    let contract_bump = Bump::needed(&breaking::classify(&old, &new));
    let mut client = client_of(&new, "2.1.0");
    client.label = row.kind.into();
    (row.client)(&mut client);
    let current = client.rustdoc(&slot(row.kind)).map_err(|e| e.to_string())?;
    let verdict: SemverVerdict =
        rust_api::compare(baseline(), &current, Bump::Minor).map_err(|e| e.to_string())?;
    let rust = if verdict.passed() {
        "passes as minor".to_owned()
    } else {
        format!("fails as minor: {}", verdict.lints().join(", "))
    };
    let line = format!(
        "{:<44} contract needs {:<6} Rust API {rust}",
        row.kind,
        format!("{contract_bump:?}").to_lowercase()
    );
    let problem = match row.expected {
        Expected::Minor if contract_bump != Bump::Minor => {
            Some(format!("the contract needs {contract_bump:?}, not Minor"))
        }
        Expected::Minor if !verdict.passed() => Some(verdict.describe().join("\n    ")),
        Expected::MajorByContract if contract_bump != Bump::Major => {
            Some(format!("the contract needs {contract_bump:?}, not Major"))
        }
        Expected::Fails(lints) if verdict.passed() => Some(format!(
            "cargo-semver-checks passed; expected it to fail {lints:?}"
        )),
        Expected::Fails(lints) if lints.iter().any(|lint| !verdict.lints().contains(lint)) => Some(
            format!("expected lints {lints:?}, got {:?}", verdict.lints()),
        ),
        _ => None,
    };
    match problem {
        None => Ok(line),
        Some(problem) => Err(format!("{line}\n    {problem}")),
    }
}

/// Every row, or the representative handful.
fn rows() -> Vec<Row> {
    let all = std::env::var("SCAN_REPORTS_SEMVER_KINDS").is_ok_and(|value| value == "all");
    kinds::rows()
        .into_iter()
        .filter(|row| all || row.representative)
        .collect()
}

#[test]
fn each_kind_of_contract_change_gets_its_verdict_from_cargo_semver_checks() {
    if !tool_available("each_kind_of_contract_change_gets_its_verdict_from_cargo_semver_checks") {
        return;
    }
    let mut failures = Vec::new();
    for row in rows() {
        match check(&row) {
            Ok(line) => println!("ok   {line}"),
            Err(problem) => {
                println!("FAIL {problem}");
                failures.push(problem);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The attribute lines of the first declaration `declaration` in
/// `source`: the lines above it, up to the end of the item before.
fn attributes_of<'a>(source: &'a str, declaration: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = source.lines().map(str::trim).collect();
    let at = lines
        .iter()
        .position(|line| line.starts_with(declaration))
        .unwrap_or_else(|| panic!("no `{declaration}` in the generated client"));
    let start = lines[..at]
        .iter()
        .rposition(|line| line.starts_with('}'))
        .map_or(0, |end| end + 1);
    lines[start..at].to_vec()
}

/// Without cargo-semver-checks: the codegen marks every object and string
/// enum of the document, and nothing else, and every struct has a builder.
#[test]
fn the_growable_generated_types_are_non_exhaustive_and_have_builders() {
    let document = Document::load_contract().expect("loads");
    let generated = client_codegen::render(&document).expect("generates");
    let growable = client_codegen::growable_schemas(&document);
    for name in [
        "ScanStatusItem",
        "ScanStatusesRequest",
        "Error",
        "ReportType",
    ] {
        assert!(
            growable.iter().any(|schema| schema == name),
            "{name}: {growable:?}"
        );
    }
    for name in &growable {
        let (declaration, is_struct) = match generated.contains(&format!("pub struct {name} {{")) {
            true => (format!("pub struct {name} {{"), true),
            false => (format!("pub enum {name} {{"), false),
        };
        let attributes = attributes_of(&generated, &declaration);
        assert!(
            attributes.contains(&"#[non_exhaustive]"),
            "{name} is not #[non_exhaustive]: {attributes:?}"
        );
        if is_struct {
            assert!(
                generated.contains(&format!("pub fn builder() -> builder::{name} {{")),
                "{name} has no builder"
            );
        }
    }
    let union = attributes_of(&generated, "pub enum CalibrationEntry {");
    assert!(!union.contains(&"#[non_exhaustive]"), "{union:?}");
}
