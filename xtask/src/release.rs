//! `cargo xtask release`: records the working document as released in
//! `openapi/released/`, after checking the version policy (the client
//! crate's Rust API included, with cargo-semver-checks).

use scan_reports_contract::{
    Document,
    version_policy::{check_workspace_with_rust_api, version_of},
    workspace,
};

/// `cargo xtask release`: records the working document as released.
pub fn release() -> Result<String, String> {
    let report = check_workspace_with_rust_api();
    if !report.problems.is_empty() {
        return Err(format!(
            "the version policy fails:\n{}",
            report.problems.join("\n")
        ));
    }
    let working_path = workspace::document();
    let working = Document::load(&working_path).map_err(|error| error.to_string())?;
    let version = version_of(&working)?;
    let text = std::fs::read_to_string(&working_path).map_err(|error| error.to_string())?;
    let target = workspace::released_folder().join(format!("scan-reports-{version}.yaml"));
    match std::fs::read_to_string(&target) {
        Ok(existing) if existing == text => Ok(format!(
            "{version} is already released as {}",
            workspace::display(&target)
        )),
        Ok(_) => Err(format!(
            "{version} is released, with other text ({}); bump info.version (a patch bump for an edit that changes no contract) and add a CHANGELOG entry",
            workspace::display(&target)
        )),
        Err(_) => {
            std::fs::create_dir_all(workspace::released_folder())
                .map_err(|error| error.to_string())?;
            std::fs::write(&target, text).map_err(|error| error.to_string())?;
            Ok(format!(
                "released {version} as {}",
                workspace::display(&target)
            ))
        }
    }
}
