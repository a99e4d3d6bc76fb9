//! JSON read token by token, each with the byte offset it starts at; and
//! places in JSON text found from those offsets.

use std::collections::HashMap;

use json_event_parser::{JsonEvent, JsonSyntaxError, LowLevelJsonParser};

use super::segments;

/// One token of JSON text that is an event of its grammar (a value, a key,
/// the start or end of an object or a list), and where it starts.
#[derive(Debug)]
pub struct JsonToken<'t> {
    pub event: JsonEvent<'t>,
    /// The byte offset of its first character in the text.
    pub start: usize,
}

/// The tokens of a JSON text, in order, ending with [`JsonEvent::Eof`];
/// the first syntax error ends them.
pub struct JsonTokens<'t> {
    text: &'t str,
    parser: LowLevelJsonParser,
    /// How far the parser has read.
    offset: usize,
    /// The byte order mark's length: the parser starts after it.
    skipped: usize,
    finished: bool,
}

impl<'t> JsonTokens<'t> {
    pub fn new(text: &'t str) -> Self {
        let skipped = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        Self {
            text,
            parser: LowLevelJsonParser::new(),
            offset: skipped,
            skipped,
            finished: false,
        }
    }

    /// The 1-based line and column of a syntax error.
    pub fn error_place(&self, error: &JsonSyntaxError) -> (usize, usize) {
        let start = error.location().start;
        let line = usize::try_from(start.line).unwrap_or(usize::MAX);
        let mut column = usize::try_from(start.column).unwrap_or(usize::MAX);
        // The parser counts from after the byte order mark.
        if line == 0 && self.skipped > 0 {
            column += 1;
        }
        (line.saturating_add(1), column.saturating_add(1))
    }
}

impl std::fmt::Debug for JsonTokens<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("JsonTokens")
            .field("offset", &self.offset)
            .finish_non_exhaustive()
    }
}

impl<'t> Iterator for JsonTokens<'t> {
    type Item = Result<JsonToken<'t>, JsonSyntaxError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let from = self.offset;
        let result = self.parser.parse_next(&self.text.as_bytes()[from..], true);
        self.offset += result.consumed_bytes;
        // Between two events there is only white space, `,` and `:`.
        let start = self.text.as_bytes()[from..self.offset]
            .iter()
            .position(|byte| !matches!(byte, b' ' | b'\t' | b'\r' | b'\n' | b',' | b':'))
            .map_or(self.offset, |skipped| from + skipped);
        let item = match result.event? {
            Ok(event) => {
                self.finished = event == JsonEvent::Eof;
                Ok(JsonToken { event, start })
            }
            Err(error) => {
                self.finished = true;
                Err(error)
            }
        };
        Some(item)
    }
}

/// Byte offsets as 1-based lines and columns (in characters), asked in
/// increasing order: the text is read once however many are asked.
#[derive(Debug)]
pub struct LineColumns<'t> {
    text: &'t str,
    /// How far lines are counted, the line there and where it starts.
    offset: usize,
    line: usize,
    line_start: usize,
    /// Characters counted on the current line so far, up to `offset`.
    column: usize,
}

impl<'t> LineColumns<'t> {
    pub fn new(text: &'t str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
            column: 1,
        }
    }

    /// The line and column of `offset`, which is no less than the last
    /// one asked (an earlier one is read from the start again).
    pub fn at(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            *self = Self::new(self.text);
        }
        let passed = &self.text.as_bytes()[self.offset..offset];
        match passed.iter().rposition(|byte| *byte == b'\n') {
            Some(last) => {
                self.line += passed.iter().filter(|byte| **byte == b'\n').count();
                self.line_start = self.offset + last + 1;
                self.column = 1 + count_characters(&self.text.as_bytes()[self.line_start..offset]);
            }
            None => self.column += count_characters(passed),
        }
        self.offset = offset;
        (self.line, self.column)
    }
}

/// Characters in UTF-8 bytes: every byte that does not continue one.
fn count_characters(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .filter(|byte| (**byte & 0b1100_0000) != 0b1000_0000)
        .count()
}

/// What a node holds while its tokens are read: whether any wanted
/// pointer lies below it, and the index of its next item.
struct Open {
    /// The node's pointer, where a wanted pointer is in it.
    pointer: Option<String>,
    /// The pointer of the member whose key was just read.
    member: Option<String>,
    next_item: Option<usize>,
}

/// The place of each of `pointers` in JSON `text`, or of its deepest
/// ancestor found; `None` when the text is not JSON.
pub(super) fn locate_all(text: &str, pointers: &[&str]) -> Option<Vec<Option<(usize, usize)>>> {
    // Every ancestor of a wanted node, and the node: where each starts.
    let mut wanted: HashMap<String, Option<usize>> = HashMap::new();
    for pointer in pointers {
        let mut prefix = String::new();
        for segment in segments(pointer) {
            prefix.push('/');
            prefix.push_str(&segment.replace('~', "~0").replace('/', "~1"));
            wanted.insert(prefix.clone(), None);
        }
    }
    let mut open: Vec<Open> = Vec::new();
    for token in JsonTokens::new(text) {
        let JsonToken { event, start } = token.ok()?;
        // The pointer of the value this token starts, where it is wanted.
        let value_pointer = |open: &mut Vec<Open>| -> Option<String> {
            let parent = open.last_mut()?;
            if let Some(index) = parent.next_item.as_mut() {
                let pointer = parent.pointer.as_ref().map(|p| format!("{p}/{index}"));
                *index += 1;
                return pointer.filter(|p| wanted.contains_key(p));
            }
            parent.member.take()
        };
        match event {
            JsonEvent::ObjectKey(key) => {
                if let Some(parent) = open.last_mut() {
                    parent.member = parent
                        .pointer
                        .as_ref()
                        .map(|p| format!("{p}/{}", key.replace('~', "~0").replace('/', "~1")))
                        .filter(|p| wanted.contains_key(p));
                    if let Some(member) = &parent.member {
                        wanted.insert(member.clone(), Some(start));
                    }
                }
            }
            JsonEvent::StartObject | JsonEvent::StartArray => {
                let pointer = if open.is_empty() {
                    Some(String::new())
                } else {
                    value_pointer(&mut open)
                };
                if let Some(pointer) = &pointer
                    && let Some(place) = wanted.get_mut(pointer)
                {
                    place.get_or_insert(start);
                }
                open.push(Open {
                    pointer,
                    member: None,
                    next_item: (event == JsonEvent::StartArray).then_some(0),
                });
            }
            JsonEvent::EndObject | JsonEvent::EndArray => {
                open.pop();
            }
            JsonEvent::Eof => break,
            JsonEvent::String(_)
            | JsonEvent::Number(_)
            | JsonEvent::Boolean(_)
            | JsonEvent::Null => {
                if let Some(pointer) = value_pointer(&mut open)
                    && let Some(place) = wanted.get_mut(&pointer)
                {
                    place.get_or_insert(start);
                }
            }
        }
    }
    let mut offsets: Vec<usize> = wanted.values().flatten().copied().collect();
    offsets.sort_unstable();
    offsets.dedup();
    let mut lines = LineColumns::new(text);
    let places: HashMap<usize, (usize, usize)> = offsets
        .into_iter()
        .map(|offset| (offset, lines.at(offset)))
        .collect();
    Some(
        pointers
            .iter()
            .map(|pointer| {
                let mut prefix = String::new();
                let mut found = None;
                for segment in segments(pointer) {
                    prefix.push('/');
                    prefix.push_str(&segment.replace('~', "~0").replace('/', "~1"));
                    match wanted.get(&prefix).copied().flatten() {
                        Some(offset) => found = places.get(&offset).copied(),
                        None => break,
                    }
                }
                found
            })
            .collect(),
    )
}
