//! `cargo xtask codegen --source` as a command: a 3.1 source generates the
//! client through its 3.0.3 rendition, or is refused with the places of
//! what 3.0 cannot say.

use std::process::Command;

use scan_reports_contract::workspace;

const BINARY: &str = env!("CARGO_BIN_EXE_xtask");

fn codegen(arguments: &[&str]) -> (i32, String) {
    let output = Command::new(BINARY)
        .arg("codegen")
        .args(arguments)
        .output()
        .expect("xtask runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_3_1_rendition_as_source_generates_todays_client() {
    let rendition = workspace::rendition_3_1();
    let source = rendition.to_str().expect("a UTF-8 path");
    let (code, stderr) = codegen(&["--check", "--source", source]);
    assert_eq!((code, stderr.as_str()), (0, ""));
}

#[test]
fn a_3_1_source_3_0_cannot_say_is_refused_with_places() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let path = scratch.path().join("pair.yaml");
    std::fs::write(
        &path,
        "openapi: 3.1.0\n\
         info: {title: t, version: '1'}\n\
         paths: {}\n\
         components:\n  \
           schemas:\n    \
             Pair:\n      \
               type: array\n      \
               prefixItems: [{type: string}, {type: integer}]\n    \
             Either:\n      \
               type: [string, integer]\n",
    )
    .expect("written");
    let (code, stderr) = codegen(&["--check", "--source", path.to_str().expect("UTF-8")]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("pair.yaml:8:7: `prefixItems`"), "{stderr}");
    assert!(
        stderr.contains("pair.yaml:10:7: a `type` list of several types"),
        "{stderr}"
    );
}
