//! The workspace's maintainer and CI commands, as a library so that their
//! logic is tested by `cargo test`. `main.rs` only parses the command line.

pub mod check;
pub mod codegen;
pub mod diff_text;
pub mod document;
pub mod json_schema;
pub mod project;

#[cfg(test)]
mod dump {
    #[test]
    fn dump_server_document() {
        let doc = scan_reports_server::openapi::server_document();
        std::fs::write("/tmp/server-doc.json", serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    }
}
