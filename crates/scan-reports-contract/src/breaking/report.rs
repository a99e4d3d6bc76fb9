//! A list of changes as people and programs read it: text, JSON or a
//! Markdown table; and the exit code of `cargo xtask diff`.

use std::{fmt::Write as _, str::FromStr};

use serde_json::json;

use super::Change;

/// How `cargo xtask diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            "markdown" => Ok(Self::Markdown),
            other => Err(format!("`{other}` is not a format: text, json or markdown")),
        }
    }
}

/// The report of a comparison, in `format`.
pub fn render(old: &str, new: &str, changes: &[Change], format: Format) -> String {
    let breaking = changes.iter().filter(|c| c.breaks.is_breaking()).count();
    let verdict = if changes.is_empty() {
        "no contract change".to_owned()
    } else if breaking == 0 {
        format!("{} compatible changes, none breaking", changes.len())
    } else {
        format!("{} changes, {breaking} breaking", changes.len())
    };
    match format {
        Format::Json => serde_json::to_string_pretty(&json!({
            "old": old,
            "new": new,
            "breaking": breaking > 0,
            "breaks_clients": changes.iter().any(|c| c.breaks.clients),
            "breaks_servers": changes.iter().any(|c| c.breaks.servers),
            "changes": changes,
        }))
        .unwrap_or_default(),
        Format::Text => {
            let mut out = format!("{old} → {new}: {verdict}\n");
            for (change, more) in grouped(changes) {
                let _ = writeln!(
                    out,
                    "[{}] {}: {}",
                    change.breaks.label(),
                    change.location,
                    change.change
                );
                if let (Some(old_source), Some(new_source)) =
                    (&change.old_source, &change.new_source)
                {
                    let _ = writeln!(out, "    old {old_source}, new {new_source}");
                }
                if more > 0 {
                    let _ = writeln!(out, "    and {more} more places using the same schema");
                }
            }
            out
        }
        Format::Markdown => {
            let mut out = format!("### OpenAPI changes: `{old}` → `{new}`\n\n{verdict}\n");
            if !changes.is_empty() {
                out.push_str("\n| breaks | where | change |\n|---|---|---|\n");
                for (change, more) in grouped(changes) {
                    let also = if more > 0 {
                        format!(" (and {more} more places)")
                    } else {
                        String::new()
                    };
                    let _ = writeln!(
                        out,
                        "| {} | `{}`{also} | {} |",
                        change.breaks.label(),
                        change.location.replace('|', "\\|"),
                        change.change.replace('|', "\\|")
                    );
                }
            }
            out
        }
    }
}

/// One change of a shared schema shows once per use; people read it once,
/// with the number of other places it appears.
fn grouped(changes: &[Change]) -> Vec<(&Change, usize)> {
    let mut groups: Vec<(&Change, usize)> = Vec::new();
    for change in changes {
        let same = |other: &Change| {
            other.old_source.is_some()
                && other.change == change.change
                && other.breaks == change.breaks
                && other.old_source == change.old_source
                && other.new_source == change.new_source
        };
        match groups.iter_mut().find(|(first, _)| same(first)) {
            Some((_, more)) => *more += 1,
            None => groups.push((change, 0)),
        }
    }
    groups
}

/// The exit code of `cargo xtask diff` for `changes`: 0 none breaking, 1 breaking.
pub fn exit_code(changes: &[Change]) -> u8 {
    u8::from(changes.iter().any(|change| change.breaks.is_breaking()))
}
