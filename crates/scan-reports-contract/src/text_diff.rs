//! Text diffs for messages that must show what changed.

use similar::TextDiff;

/// A unified diff from `old` to `new`, cut to a readable length.
pub fn unified(old: &str, new: &str, name: &str) -> String {
    const MAX_LINES: usize = 80;
    let diff = TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("{name} (committed)"),
            &format!("{name} (generated now)"),
        )
        .to_string();
    let total = diff.lines().count();
    if total <= MAX_LINES {
        return diff;
    }
    let mut shown: String = diff.lines().take(MAX_LINES).collect::<Vec<_>>().join("\n");
    shown.push_str(&format!("\n... {} more diff lines", total - MAX_LINES));
    shown
}
