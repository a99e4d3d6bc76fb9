//! A program's command line as its clap derive declares it, read from the
//! source text as the tidy tests read files, with nothing built or run:
//! the `Parser` struct, its `#[command(subcommand)]` enums (variants in
//! kebab-case), `#[arg(long)]` and `#[arg(short)]` fields (in kebab-case,
//! or as `long = "..."` names them), `#[command(flatten)]` structs, and
//! the positional arguments left.

use std::collections::BTreeMap;

use crate::tidy::{files, read, root};

/// A program's sources (files, or folders of them), each as (file stem,
/// text without comments).
pub(crate) fn sources_of(sources: &[&str]) -> Vec<(String, String)> {
    sources
        .iter()
        .flat_map(|source| {
            if source.ends_with(".rs") {
                vec![(*source).to_owned()]
            } else {
                files(source, ".rs")
            }
        })
        .map(|path| {
            let stem = path
                .rsplit('/')
                .next()
                .unwrap_or(&path)
                .trim_end_matches(".rs")
                .to_owned();
            (stem, without_comments(&read(&root().join(&path))))
        })
        .collect()
}

/// Rust source without its `//` comments (doc comments too), so that the
/// braces and brackets left are code. Strings, raw strings and character
/// literals are kept whole.
fn without_comments(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut kept = String::with_capacity(source.len());
    let mut index = 0;
    while index < chars.len() {
        let length = literal_length(&chars, index);
        if length > 0 {
            kept.extend(&chars[index..index + length]);
            index += length;
        } else if chars[index] == '/' && chars.get(index + 1) == Some(&'/') {
            while index < chars.len() && chars[index] != '\n' {
                index += 1;
            }
        } else {
            kept.push(chars[index]);
            index += 1;
        }
    }
    kept
}

/// The length of the string or character literal starting at `index`, or
/// 0 when none starts there (a lifetime's quote starts none).
fn literal_length(chars: &[char], index: usize) -> usize {
    let at = |offset: usize| chars.get(index + offset).copied();
    let after_identifier =
        index > 0 && (chars[index - 1].is_alphanumeric() || chars[index - 1] == '_');
    match chars[index] {
        '"' => {
            let mut end = index + 1;
            while end < chars.len() && chars[end] != '"' {
                end += if chars[end] == '\\' { 2 } else { 1 };
            }
            (end + 1).min(chars.len()) - index
        }
        'r' if !after_identifier && matches!(at(1), Some('"' | '#')) => {
            let hashes = chars[index + 1..].iter().take_while(|c| **c == '#').count();
            if at(1 + hashes) != Some('"') {
                return 0;
            }
            let closing: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let rest: String = chars[index + 2 + hashes..].iter().collect();
            rest.find(&closing).map_or(chars.len() - index, |end| {
                2 + hashes + rest[..end].chars().count() + closing.len()
            })
        }
        '\'' if at(1) == Some('\\') => {
            let mut end = index + 2;
            while end < chars.len() && chars[end] != '\'' {
                end += 1;
            }
            (end + 1).min(chars.len()) - index
        }
        '\'' if at(2) == Some('\'') => 3,
        _ => 0,
    }
}

/// `text` split at `separator` where no bracket, string or generic
/// argument list is open.
fn split_top_level(text: &str, separator: char) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let (mut parts, mut current, mut depth, mut angles) = (Vec::new(), String::new(), 0, 0);
    let mut index = 0;
    while index < chars.len() {
        let length = literal_length(&chars, index);
        if length > 0 {
            current.extend(&chars[index..(index + length).min(chars.len())]);
            index += length;
            continue;
        }
        let c = chars[index];
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            '<' if depth == 0 => angles += 1,
            '>' if depth == 0 && angles > 0 => angles -= 1,
            _ => {}
        }
        if c == separator && depth == 0 && angles == 0 {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
        index += 1;
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|part| part.trim().to_owned())
        .filter(|part| !part.is_empty())
        .collect()
}

/// The text between the bracket at `open` and its match, exclusive.
fn bracketed(text: &str, open: usize) -> &str {
    let offsets: Vec<(usize, char)> = text[open..].char_indices().collect();
    let chars: Vec<char> = offsets.iter().map(|(_, c)| *c).collect();
    let mut depth = 0;
    let mut index = 0;
    while index < chars.len() {
        let length = literal_length(&chars, index);
        if length > 0 {
            index += length;
            continue;
        }
        match chars[index] {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return &text[open + 1..open + offsets[index].0];
                }
            }
            _ => {}
        }
        index += 1;
    }
    panic!("unbalanced brackets in {}", &text[open..])
}

/// `text` with every string and character literal blanked out, byte for
/// byte, so that a search finds only code.
fn blank_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut blank = String::with_capacity(text.len());
    let mut index = 0;
    while index < chars.len() {
        let length = literal_length(&chars, index);
        if length > 0 {
            for c in &chars[index..index + length] {
                blank.push_str(&" ".repeat(c.len_utf8()));
            }
            index += length;
        } else {
            blank.push(chars[index]);
            index += 1;
        }
    }
    blank
}

/// A struct or enum of a program's sources: whether it derives clap's
/// `Parser`, and the text between its braces.
#[derive(Debug)]
struct Definition {
    file: String,
    name: String,
    is_enum: bool,
    derives_parser: bool,
    body: String,
}

fn definitions(sources: &[(String, String)]) -> Vec<Definition> {
    let mut found = Vec::new();
    for (file, text) in sources {
        let blank = blank_literals(text);
        for keyword in ["struct ", "enum "] {
            for (at, _) in blank.match_indices(keyword) {
                let before = &blank[..at];
                if before
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
                {
                    continue;
                }
                let name_at = at + keyword.len();
                let rest = &blank[name_at..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let Some(open) = rest.find(['{', ';', '(']) else {
                    continue;
                };
                if name.is_empty() || !rest[open..].starts_with('{') {
                    continue;
                }
                let body_at = name_at + open + 1;
                let body_length = bracketed(rest, open).len();
                let attributes = &before[before.rfind(['}', ';']).map_or(0, |end| end + 1)..];
                found.push(Definition {
                    file: file.clone(),
                    name,
                    is_enum: keyword == "enum ",
                    derives_parser: derives(attributes, "Parser"),
                    body: text[body_at..body_at + body_length].to_owned(),
                });
            }
        }
    }
    found
}

/// Whether the `#[derive(...)]` among `attributes` names `trait_name`.
fn derives(attributes: &str, trait_name: &str) -> bool {
    attributes.split("derive(").skip(1).any(|list| {
        list.split(')')
            .next()
            .unwrap_or_default()
            .split(',')
            .any(|derived| derived.trim().rsplit("::").next() == Some(trait_name))
    })
}

/// A field or variant: its attributes' argument lists by attribute name
/// (`arg`, `command`), and the rest of its text.
fn attributes_and_rest(item: &str) -> (Vec<(String, Vec<String>)>, String) {
    let mut attributes = Vec::new();
    let mut rest = item.trim();
    while let Some(after) = rest.strip_prefix('#') {
        let inner = bracketed(after, 0);
        let name: String = inner
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let arguments = inner[name.len()..]
            .trim()
            .strip_prefix('(')
            .and_then(|list| list.strip_suffix(')'))
            .map(|list| split_top_level(list, ','))
            .unwrap_or_default();
        attributes.push((name, arguments));
        rest = after[inner.len() + 2..].trim();
    }
    (attributes, rest.to_owned())
}

/// The value of `key = value` among an attribute's arguments, unquoted;
/// `Some("")` for a bare `key`.
fn argument<'a>(arguments: &'a [String], key: &str) -> Option<&'a str> {
    arguments.iter().find_map(|argument| {
        let (name, value) = argument.split_once('=').unwrap_or((argument, ""));
        (name.trim() == key).then(|| value.trim().trim_matches(['"', '\'']))
    })
}

/// The arguments of every attribute named `name`, such as `arg`.
fn attribute(attributes: &[(String, Vec<String>)], name: &str) -> Vec<String> {
    attributes
        .iter()
        .filter(|(attribute, _)| attribute == name)
        .flat_map(|(_, arguments)| arguments.iter().cloned())
        .collect()
}

/// A command as clap derives it from the sources.
#[derive(Debug, Default)]
pub(crate) struct Command {
    /// `--long` and `-s` names.
    pub(crate) flags: BTreeMap<String, Flag>,
    pub(crate) positionals: Vec<Positional>,
    pub(crate) subcommands: BTreeMap<String, Command>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Flag {
    pub(crate) takes_value: bool,
    /// Accepted after the subcommands below its command too.
    pub(crate) global: bool,
}

#[derive(Debug)]
pub(crate) struct Positional {
    pub(crate) required: bool,
    /// A `Vec`: takes any number of values.
    pub(crate) many: bool,
}

/// The clap definitions of a program's sources.
#[derive(Debug)]
struct Definitions {
    all: Vec<Definition>,
}

impl Definitions {
    /// The definition a type path names, preferring the module the path
    /// names, then the file that refers to it.
    fn find(&self, path: &str, from_file: &str) -> &Definition {
        let inner = generic_argument(path, "Option").unwrap_or(path);
        let mut segments: Vec<&str> = inner.split("::").map(str::trim).collect();
        let name = segments.pop().unwrap_or_default();
        let module = segments.last().copied().unwrap_or(from_file);
        let candidates: Vec<&Definition> =
            self.all.iter().filter(|found| found.name == name).collect();
        candidates
            .iter()
            .find(|found| found.file == module)
            .or_else(|| candidates.first())
            .copied()
            .unwrap_or_else(|| panic!("no definition of `{path}` in the sources"))
    }

    fn root(&self) -> Command {
        let root = self
            .all
            .iter()
            .find(|found| found.derives_parser)
            .expect("a struct derives clap's Parser");
        let mut command = Command::default();
        self.add_fields(&mut command, root);
        command
    }

    /// Adds the fields of a struct (or of a variant's braces) to `command`.
    fn add_fields(&self, command: &mut Command, definition: &Definition) {
        for field in split_top_level(&definition.body, ',') {
            let (attributes, rest) = attributes_and_rest(&field);
            let Some((name, field_type)) = rest.split_once(':') else {
                continue;
            };
            // The last word: `pub` and `pub(crate)` go.
            let name = name.split_whitespace().last().unwrap_or_default();
            let field_type = field_type.trim();
            let command_arguments = attribute(&attributes, "command");
            let arg = attribute(&attributes, "arg");
            let is = |arguments: &[String], key: &str| argument(arguments, key).is_some();
            if is(&command_arguments, "subcommand") {
                let subcommands = self.find(field_type, &definition.file);
                self.add_subcommands(command, subcommands);
            } else if is(&command_arguments, "flatten") {
                let flattened = self.find(field_type, &definition.file);
                self.add_fields(command, flattened);
            } else if is(&arg, "long") || is(&arg, "short") {
                add_flag(command, name, field_type, &arg);
            } else if !is(&arg, "skip") {
                let many = generic_argument(field_type, "Vec").is_some();
                let optional = generic_argument(field_type, "Option").is_some();
                let defaulted = is(&arg, "default_value") || is(&arg, "default_value_t");
                command.positionals.push(Positional {
                    required: !many && !optional && !defaulted,
                    many,
                });
            }
        }
    }

    /// Adds each variant of a `Subcommand` enum as a subcommand.
    fn add_subcommands(&self, command: &mut Command, definition: &Definition) {
        for variant in split_top_level(&definition.body, ',') {
            let (attributes, rest) = attributes_and_rest(&variant);
            let identifier: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let name = argument(&attribute(&attributes, "command"), "name")
                .map_or_else(|| kebab_case(&identifier), str::to_owned);
            let mut subcommand = Command::default();
            let fields = rest[identifier.len()..].trim();
            if fields.starts_with('{') {
                let braces = Definition {
                    file: definition.file.clone(),
                    name: identifier.clone(),
                    is_enum: false,
                    derives_parser: false,
                    body: bracketed(fields, 0).to_owned(),
                };
                self.add_fields(&mut subcommand, &braces);
            } else if fields.starts_with('(') {
                let inner = self.find(bracketed(fields, 0), &definition.file);
                if inner.is_enum {
                    self.add_subcommands(&mut subcommand, inner);
                } else {
                    self.add_fields(&mut subcommand, inner);
                }
            }
            command.subcommands.insert(name, subcommand);
        }
    }
}

fn add_flag(command: &mut Command, field: &str, field_type: &str, arguments: &[String]) {
    let bare = generic_argument(field_type, "Option").unwrap_or(field_type);
    let action = argument(arguments, "action").unwrap_or_default();
    let flag = Flag {
        takes_value: bare != "bool"
            && !["SetTrue", "SetFalse", "Count", "Help", "Version"]
                .iter()
                .any(|no_value| action.contains(no_value)),
        global: argument(arguments, "global") == Some("true"),
    };
    if let Some(long) = argument(arguments, "long") {
        let long = if long.is_empty() {
            field.replace('_', "-")
        } else {
            long.to_owned()
        };
        command.flags.insert(format!("--{long}"), flag);
    }
    if let Some(short) = argument(arguments, "short") {
        let short = if short.is_empty() {
            field.chars().next().unwrap_or_default().to_string()
        } else {
            short.to_owned()
        };
        command.flags.insert(format!("-{short}"), flag);
    }
}

/// `T` of `wrapper<T>`, when `text` is that.
fn generic_argument<'a>(text: &'a str, wrapper: &str) -> Option<&'a str> {
    let text = text.trim();
    let start = text.find('<')?;
    let path = &text[..start];
    (path == wrapper || path.ends_with(&format!("::{wrapper}")))
        .then(|| text[start + 1..].strip_suffix('>'))
        .flatten()
        .map(str::trim)
}

/// `RoundTrip` → `round-trip`, as clap names a variant's subcommand.
fn kebab_case(identifier: &str) -> String {
    let mut kebab = String::new();
    for (index, c) in identifier.chars().enumerate() {
        if c.is_uppercase() && index > 0 {
            kebab.push('-');
        }
        kebab.extend(c.to_lowercase());
    }
    kebab
}

/// The command line that the sources' `Parser` derives.
pub(crate) fn command_of(sources: &[&str]) -> Command {
    Definitions {
        all: definitions(&sources_of(sources)),
    }
    .root()
}
