//! Every `SCAN_REPORTS_*` variable the README, the guides and the crates'
//! READMEs name is read by something: a program's flag (the table of
//! docs/operations.md, which each program's own test holds equal to its
//! clap definitions) or a source that reads it by name. The documented
//! command lines are checked by each program's test, against its own
//! `clap::Command` (`scan-reports-documented-commands`).

use std::collections::BTreeSet;

use scan_reports_documented_commands::{PROGRAMS, documented_pages, documented_variables};

use crate::tidy::{read, root};

#[test]
fn every_variable_the_docs_name_is_read_somewhere() {
    let declared: BTreeSet<String> = PROGRAMS
        .into_iter()
        .flat_map(documented_variables)
        .map(|(variable, _)| variable)
        .collect();
    assert!(declared.len() > 10, "too few found: {declared:?}");
    let readers: Vec<String> = crate::tidy::sources()
        .iter()
        .map(|path| read(&root().join(path)))
        .collect();
    let mut unread = Vec::new();
    for page in documented_pages() {
        for (index, line) in read(&root().join(&page)).lines().enumerate() {
            for (at, _) in line.match_indices("SCAN_REPORTS_") {
                let name: String = line[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                // Read by name: a string literal in some Rust source.
                let quoted = format!("\"{name}\"");
                if !declared.contains(&name) && !readers.iter().any(|text| text.contains(&quoted)) {
                    unread.push(format!("{page}:{}: {name}", index + 1));
                }
            }
        }
    }
    assert!(
        unread.is_empty(),
        "variables the docs name that no program or test reads:\n{}",
        unread.join("\n")
    );
}
