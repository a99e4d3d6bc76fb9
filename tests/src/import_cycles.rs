//! No import cycle inside any crate: between two sibling modules, uses go
//! one way. Read from the sources as text: every `crate::a::b` and
//! `super::x` path outside comments and `#[cfg(test)] mod tests`, resolved
//! to the deepest module that exists, and compared at the level where the
//! two modules part (a parent and its children may use each other).

use std::collections::{BTreeMap, BTreeSet};

use crate::tidy::{files, read};

/// A module's path inside its crate: `["witnesses", "values"]`.
type Module = Vec<String>;

/// The module of a source file under `src`, or `None` for test modules.
fn module_of(src: &str, file: &str) -> Option<Module> {
    let relative = file.strip_prefix(src)?.strip_suffix(".rs")?;
    let mut path: Module = relative.split('/').map(str::to_owned).collect();
    if matches!(
        path.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        path.pop();
    }
    (path.last().map(String::as_str) != Some("tests")).then_some(path)
}

/// `text` without comment lines and without its `#[cfg(test)] mod tests`.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Module paths named after `prefix` (`crate::` or `super::`), including
/// each item of a `prefix{a::{b, c}, d}` group.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        let end = if rest.starts_with('{') {
            matching_brace(rest).map_or(rest.len(), |close| close + 1)
        } else {
            rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len())
        };
        expand(&[], &rest[..end], &mut found);
    }
    found
}

/// The index of the `}` that closes the `{` `text` starts with.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// The paths of a use tree (`a::b`, `{a::{b, c}, d}`), after `prefix`.
fn expand(prefix: &[String], tree: &str, found: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if let Some(inner) = tree.strip_prefix('{') {
        let inner = inner.strip_suffix('}').unwrap_or(inner);
        let mut depth = 0usize;
        let mut start = 0;
        for (at, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    expand(prefix, &inner[start..at], found);
                    start = at + 1;
                }
                _ => {}
            }
        }
        expand(prefix, &inner[start..], found);
        return;
    }
    let mut path = prefix.to_vec();
    let mut rest = tree;
    while !rest.is_empty() {
        if rest.starts_with('{') {
            expand(&path, rest, found);
            return;
        }
        let (segment, after) = rest.split_once("::").unwrap_or((rest, ""));
        let name: String = segment
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !is_name(&name) {
            break;
        }
        path.push(name);
        rest = after;
    }
    if path.len() > prefix.len() {
        found.push(path);
    }
}

/// A module name: lower-case, so types and functions end a path.
fn is_name(segment: &str) -> bool {
    segment
        .chars()
        .next()
        .is_some_and(|first| first.is_ascii_lowercase())
        && segment
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The uses between sibling modules of the crate whose sources are under
/// `src`.
fn sibling_uses(src: &str) -> BTreeSet<(Module, Module)> {
    let sources: BTreeMap<Module, String> = files(src, ".rs")
        .into_iter()
        .filter_map(|file| Some((module_of(&format!("{src}/"), &file)?, file)))
        .collect();
    let resolve = |path: &[String]| -> Option<Module> {
        (1..=path.len())
            .rev()
            .map(|length| path[..length].to_vec())
            .find(|candidate| sources.contains_key(candidate))
    };
    let mut uses = BTreeSet::new();
    for (module, file) in &sources {
        let code = code_of(&read(&crate::tidy::root().join(file)));
        let parent = &module[..module.len().saturating_sub(1)];
        let named = paths_after(&code, "crate::").into_iter().chain(
            paths_after(&code, "super::")
                .into_iter()
                .map(|path| parent.iter().cloned().chain(path).collect()),
        );
        for path in named {
            let Some(target) = resolve(&path) else {
                continue;
            };
            let shared = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            // A parent and its descendants.
            if shared == module.len() || shared == target.len() {
                continue;
            }
            uses.insert((module[..=shared].to_vec(), target[..=shared].to_vec()));
        }
    }
    uses
}

/// The modules on some cycle of `uses`.
fn on_cycles(uses: &BTreeSet<(Module, Module)>) -> Vec<String> {
    let reaches = |from: &Module, to: &Module| {
        let mut seen = BTreeSet::new();
        let mut next = vec![from.clone()];
        while let Some(at) = next.pop() {
            for (_, target) in uses.iter().filter(|(source, _)| *source == at) {
                if target == to {
                    return true;
                }
                if seen.insert(target.clone()) {
                    next.push(target.clone());
                }
            }
        }
        false
    };
    uses.iter()
        .filter(|(from, to)| reaches(to, from))
        .map(|(from, to)| format!("{} -> {}", from.join("::"), to.join("::")))
        .collect()
}

#[test]
fn no_crate_has_an_import_cycle() {
    let crates: Vec<String> = files("crates", "Cargo.toml")
        .into_iter()
        .filter_map(|manifest| manifest.strip_suffix("/Cargo.toml").map(str::to_owned))
        .chain(["xtask".to_owned(), "tests".to_owned()])
        .collect();
    let mut cycles = Vec::new();
    for krate in crates {
        for use_on_a_cycle in on_cycles(&sibling_uses(&format!("{krate}/src"))) {
            cycles.push(format!("{krate}: {use_on_a_cycle}"));
        }
    }
    assert!(
        cycles.is_empty(),
        "uses between sibling modules that go both ways:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn a_cycle_is_found() {
    let module = |name: &str| vec![name.to_owned()];
    let uses = BTreeSet::from([
        (module("store"), module("read_cache")),
        (module("read_cache"), module("store")),
        (module("http"), module("store")),
    ]);
    assert_eq!(
        on_cycles(&uses),
        ["read_cache -> store", "store -> read_cache"]
    );
    let paths = paths_after(
        "use crate::{a::b::C, d::{e, f::G}};\nx = crate::g::h();",
        "crate::",
    );
    assert_eq!(
        paths,
        [
            vec!["a", "b"],
            vec!["d", "e"],
            vec!["d", "f"],
            vec!["g", "h"]
        ]
    );
}
