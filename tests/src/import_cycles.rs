//! No import cycle inside any crate: between two sibling modules, uses go
//! one way. Each source parsed with syn: every `crate::a::b` and
//! `super::x` path, in a `use` or in code, outside `#[cfg(test)]` items,
//! resolved to the deepest module that exists, and compared at the level
//! where the two modules part (a parent and its children may use each
//! other).

use std::collections::{BTreeMap, BTreeSet};

use syn::visit::Visit;

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

/// Every path a source names after `crate` or `super`, in a `use` (each
/// leaf of a group) or in code, outside `#[cfg(test)]` items: as parsed
/// by syn, so comments and strings never count.
fn paths_named(file: &syn::File) -> Vec<Vec<String>> {
    let mut paths = NamedPaths::default();
    paths.visit_file(file);
    paths.found
}

#[derive(Default)]
struct NamedPaths {
    found: Vec<Vec<String>>,
}

impl NamedPaths {
    /// Keeps `segments` if it starts at `crate` or `super`.
    fn keep(&mut self, segments: Vec<String>) {
        if matches!(
            segments.first().map(String::as_str),
            Some("crate" | "super")
        ) && segments.len() > 1
        {
            self.found.push(segments);
        }
    }
}

/// Whether `attributes` hold `#[cfg(test)]`.
fn is_test_only(attributes: &[syn::Attribute]) -> bool {
    attributes.iter().any(|attribute| {
        attribute.path().is_ident("cfg")
            && attribute
                .parse_args::<syn::Ident>()
                .is_ok_and(|predicate| predicate == "test")
    })
}

/// The leaves of a use tree, each as its whole path.
fn use_paths(prefix: &[String], tree: &syn::UseTree, found: &mut Vec<Vec<String>>) {
    let leaf = |name: &syn::Ident| prefix.iter().cloned().chain([name.to_string()]).collect();
    match tree {
        syn::UseTree::Path(path) => {
            let prefix: Vec<String> = prefix
                .iter()
                .cloned()
                .chain([path.ident.to_string()])
                .collect();
            use_paths(&prefix, &path.tree, found);
        }
        syn::UseTree::Name(name) => found.push(leaf(&name.ident)),
        syn::UseTree::Rename(rename) => found.push(leaf(&rename.ident)),
        syn::UseTree::Glob(_) => found.push(prefix.to_vec()),
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                use_paths(prefix, tree, found);
            }
        }
    }
}

impl<'ast> Visit<'ast> for NamedPaths {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attributes: &[syn::Attribute] = match item {
            syn::Item::Mod(module) => &module.attrs,
            syn::Item::Fn(function) => &function.attrs,
            syn::Item::Use(declaration) => &declaration.attrs,
            syn::Item::Impl(block) => &block.attrs,
            _ => &[],
        };
        if !is_test_only(attributes) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_use(&mut self, declaration: &'ast syn::ItemUse) {
        let mut found = Vec::new();
        use_paths(&[], &declaration.tree, &mut found);
        for path in found {
            self.keep(path);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.keep(
            path.segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect(),
        );
        syn::visit::visit_path(self, path);
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

/// `path` (starting at `crate` or `super`) as a path from the crate's root,
/// for a source in `module`, up to its first segment that is no module
/// name.
fn from_root(module: &[String], path: &[String]) -> Module {
    let supers = path
        .iter()
        .take_while(|segment| *segment == "super")
        .count();
    let (start, rest) = if supers == 0 {
        (&[][..], &path[1..])
    } else {
        (
            &module[..module.len().saturating_sub(supers)],
            &path[supers..],
        )
    };
    start
        .iter()
        .cloned()
        .chain(rest.iter().take_while(|segment| is_name(segment)).cloned())
        .collect()
}

/// The uses between sibling modules of the crate whose sources are under
/// `src`.
fn sibling_uses(src: &str) -> BTreeSet<(Module, Module)> {
    let all: BTreeMap<Module, (String, syn::File)> = files(src, ".rs")
        .into_iter()
        .filter_map(|file| {
            let module = module_of(&format!("{src}/"), &file)?;
            let text = read(&crate::tidy::root().join(&file));
            let parsed =
                syn::parse_file(&text).unwrap_or_else(|error| panic!("{file}: not Rust: {error}"));
            Some((module, (file, parsed)))
        })
        .collect();
    // A module declared `#[cfg(test)] mod name;` is a test's, whatever its
    // file is named: its uses are not the crate's.
    let test_only: Vec<Module> = all
        .iter()
        .flat_map(|(module, (_, parsed))| {
            parsed.items.iter().filter_map(move |item| match item {
                syn::Item::Mod(declared) if is_test_only(&declared.attrs) => Some(
                    module
                        .iter()
                        .cloned()
                        .chain([declared.ident.to_string()])
                        .collect::<Module>(),
                ),
                _ => None,
            })
        })
        .collect();
    let sources: BTreeMap<Module, syn::File> = all
        .into_iter()
        .filter(|(module, _)| !test_only.iter().any(|test| module.starts_with(test)))
        .map(|(module, (_, parsed))| (module, parsed))
        .collect();
    let resolve = |path: &[String]| -> Option<Module> {
        (1..=path.len())
            .rev()
            .map(|length| path[..length].to_vec())
            .find(|candidate| sources.contains_key(candidate))
    };
    let mut uses = BTreeSet::new();
    for (module, parsed) in &sources {
        for path in paths_named(parsed)
            .iter()
            .map(|path| from_root(module, path))
        {
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
    let source: syn::File = syn::parse_str(
        "use crate::{a::b::C, d::{e, f::G}};\n\
         // crate::in_a_comment::X\n\
         fn f() { let _ = super::g::h(); let _ = \"crate::in_a_string\"; }\n\
         #[cfg(test)]\nmod tests { use crate::only_tested::T; }",
    )
    .expect("Rust");
    let module = vec!["x".to_owned(), "y".to_owned()];
    let named: Vec<Module> = paths_named(&source)
        .iter()
        .map(|path| from_root(&module, path))
        .collect();
    assert_eq!(
        named,
        [
            vec!["a", "b"],
            vec!["d", "e"],
            vec!["d", "f"],
            vec!["x", "g", "h"]
        ]
    );
}
