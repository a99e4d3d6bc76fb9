//! Places in block-style YAML, read by indentation: a node's children are
//! the lines after it indented deeper (a sequence may also sit at its
//! key's own column).

use super::segments;

/// One line of a block-style YAML text, with each `- ` of a sequence item
/// split off as a line of its own, so that indentation alone says which
/// node holds which.
#[derive(Debug)]
struct YamlLine<'a> {
    line: usize,
    column: usize,
    body: &'a str,
}

/// The lines of a text, each with where its subtree ends, so that a
/// search among a node's children steps from sibling to sibling.
#[derive(Debug)]
pub(super) struct YamlLines<'a> {
    lines: Vec<YamlLine<'a>>,
    /// For each line, the first line after it indented no deeper.
    subtree_end: Vec<usize>,
}

impl<'a> YamlLines<'a> {
    pub(super) fn of(text: &'a str) -> Self {
        let mut lines = Vec::new();
        for (line, raw) in text.lines().enumerate() {
            let mut column = raw.len() - raw.trim_start().len();
            let mut body = raw.trim_start();
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            while body == "-" || body.starts_with("- ") {
                lines.push(YamlLine {
                    line,
                    column,
                    body: "-",
                });
                let rest = &body[1..];
                column += 1 + (rest.len() - rest.trim_start().len());
                body = rest.trim_start();
            }
            if !body.is_empty() {
                lines.push(YamlLine { line, column, body });
            }
        }
        let mut subtree_end = vec![lines.len(); lines.len()];
        let mut open: Vec<usize> = Vec::new();
        for (at, line) in lines.iter().enumerate() {
            while let Some(&top) = open.last() {
                if lines[top].column < line.column {
                    break;
                }
                subtree_end[top] = at;
                open.pop();
            }
            open.push(at);
        }
        Self { lines, subtree_end }
    }

    /// The 1-based line and column of the node `pointer` names, or of its
    /// deepest ancestor found.
    pub(super) fn locate(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut found = None;
        // The current node: the index of its line, and its column (none: root).
        let mut node: Option<(usize, usize)> = None;
        for wanted in segments(pointer) {
            let Some(at) = self.child(node, &wanted) else {
                break;
            };
            let line = &self.lines[at];
            found = Some((line.line + 1, line.column + 1));
            node = Some((at, line.column));
        }
        found
    }

    /// The index of `wanted` among the children of `node`: a `key:` (quoted
    /// or not), or the n-th `-` item.
    fn child(&self, node: Option<(usize, usize)>, wanted: &str) -> Option<usize> {
        let lines = &self.lines;
        let first = node.map_or(0, |(at, _)| at + 1);
        let head = lines.get(first)?;
        let own = node.map(|(_, column)| column);
        let sequence_at_own_column = own == Some(head.column) && head.body == "-";
        if own.is_some_and(|own| head.column <= own) && !sequence_at_own_column {
            return None;
        }
        let child_column = head.column;
        let index: Option<usize> = wanted.parse().ok();
        let mut item = 0;
        let mut at = first;
        while let Some(line) = lines.get(at) {
            if line.column < child_column
                || (sequence_at_own_column && line.column == child_column && line.body != "-")
            {
                break;
            }
            if line.column != child_column {
                at += 1;
                continue;
            }
            if line.body == "-" {
                if index == Some(item) {
                    return Some(at);
                }
                item += 1;
            } else if let Some((key, _)) = line.body.split_once(':')
                && key.trim_matches(['\'', '"']) == wanted
            {
                return Some(at);
            }
            at = self.subtree_end[at].max(at + 1);
        }
        None
    }
}
