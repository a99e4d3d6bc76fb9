//! ARCHITECTURE.md names what a newcomer must find, and only what exists:
//! every path it cites in backticks is a file or folder of the tree, and
//! every Rust name it cites (`Document`, `diff_report::render`,
//! `generate()`) is an item of some workspace source, found by parsing the
//! sources with syn. It stays short enough to read in one sitting.

use std::collections::BTreeSet;

use syn::visit::Visit;

use crate::tidy::{read, root, sources};

/// The most lines ARCHITECTURE.md may have.
const LONGEST: usize = 300;

/// What a backticked text of ARCHITECTURE.md cites.
#[derive(Debug, PartialEq, Eq)]
enum Cited {
    /// A file or folder, relative to the root or to the section's folder.
    Path(String),
    /// A Rust item, by its path (`witnesses::classify_and_prove`).
    Name(Vec<String>),
    /// A package or binary of the workspace (`scan-reports-server`).
    Package(String),
    /// Anything else: a flag, a command line, a header, a value.
    Other,
}

/// Reads one backticked text.
fn cited(text: &str) -> Cited {
    let is_identifier = |segment: &str| {
        segment
            .chars()
            .next()
            .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let extension = text.rsplit_once('.').map(|(_, extension)| extension);
    let is_file = matches!(
        extension,
        Some("rs" | "md" | "toml" | "yaml" | "yml" | "json" | "sh" | "js" | "mjs" | "lock")
    );
    if !text.contains(' ') && (text.contains('/') || is_file) && !text.starts_with('/') {
        return Cited::Path(text.to_owned());
    }
    if text.starts_with("scan-reports")
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Cited::Package(text.to_owned());
    }
    let path = text.strip_suffix("()").unwrap_or(text);
    let segments: Vec<String> = path.split("::").map(str::to_owned).collect();
    if segments.iter().all(|segment| is_identifier(segment)) {
        return Cited::Name(segments);
    }
    Cited::Other
}

/// Every backticked text of `markdown` outside fenced blocks, with the
/// folder of the `### \`folder/\`` heading it stands under (empty under
/// any other heading).
fn backticked(markdown: &str) -> Vec<(String, String)> {
    let mut folder = String::new();
    let mut in_block = false;
    let mut found = Vec::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            continue;
        }
        if line.starts_with('#') {
            folder = line
                .strip_prefix("### `")
                .and_then(|heading| heading.split('`').next())
                .filter(|heading| heading.ends_with('/'))
                .unwrap_or("")
                .to_owned();
        }
        for (index, text) in line.split('`').enumerate() {
            if index % 2 == 1 {
                found.push((folder.clone(), text.to_owned()));
            }
        }
    }
    found
}

/// The names of every item the workspace's sources declare (functions and
/// methods, tests among them, types, traits, variants, constants, statics,
/// macros, modules), the module name of every source file, and each
/// package's crate name.
fn declared_names() -> BTreeSet<String> {
    let mut names = ItemNames::default();
    for source in sources() {
        let text = read(&root().join(&source));
        let file = syn::parse_file(&text).unwrap_or_else(|error| panic!("{source}: {error}"));
        names.visit_file(&file);
        if let Some(stem) = source
            .rsplit('/')
            .next()
            .and_then(|name| name.strip_suffix(".rs"))
        {
            names.0.insert(stem.to_owned());
        }
    }
    for manifest in crate::tidy::manifests() {
        let text = read(&root().join(&manifest));
        if let Some(name) = text
            .lines()
            .find_map(|line| line.strip_prefix("name = \""))
            .and_then(|rest| rest.strip_suffix('"'))
        {
            names.0.insert(name.replace('-', "_"));
        }
    }
    names.0
}

#[derive(Default)]
struct ItemNames(BTreeSet<String>);

impl ItemNames {
    fn add(&mut self, name: &syn::Ident) {
        self.0.insert(name.to_string());
    }
}

impl<'ast> Visit<'ast> for ItemNames {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        match item {
            syn::Item::Const(item) => self.add(&item.ident),
            syn::Item::Enum(item) => {
                self.add(&item.ident);
                for variant in &item.variants {
                    self.add(&variant.ident);
                }
            }
            syn::Item::Fn(item) => self.add(&item.sig.ident),
            syn::Item::Macro(item) => {
                if let Some(name) = &item.ident {
                    self.add(name);
                }
            }
            syn::Item::Mod(item) => self.add(&item.ident),
            syn::Item::Static(item) => self.add(&item.ident),
            syn::Item::Struct(item) => self.add(&item.ident),
            syn::Item::Trait(item) => self.add(&item.ident),
            syn::Item::Type(item) => self.add(&item.ident),
            syn::Item::Union(item) => self.add(&item.ident),
            _ => {}
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_use_rename(&mut self, rename: &'ast syn::UseRename) {
        self.add(&rename.rename);
    }

    fn visit_impl_item_fn(&mut self, function: &'ast syn::ImplItemFn) {
        self.add(&function.sig.ident);
        syn::visit::visit_impl_item_fn(self, function);
    }

    fn visit_impl_item_const(&mut self, constant: &'ast syn::ImplItemConst) {
        self.add(&constant.ident);
    }

    fn visit_trait_item_fn(&mut self, function: &'ast syn::TraitItemFn) {
        self.add(&function.sig.ident);
        syn::visit::visit_trait_item_fn(self, function);
    }
}

/// The packages and binaries of the workspace, by name.
fn packages_and_binaries() -> BTreeSet<String> {
    crate::tidy::manifests()
        .iter()
        .flat_map(|manifest| {
            read(&root().join(manifest))
                .lines()
                .filter_map(|line| line.strip_prefix("name = \""))
                .filter_map(|rest| rest.strip_suffix('"'))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What ARCHITECTURE.md (as `text`) cites that is not in the tree.
fn missing_citations(text: &str, names: &BTreeSet<String>) -> Vec<String> {
    let packages = packages_and_binaries();
    let mut missing = Vec::new();
    for (folder, text) in backticked(text) {
        let found = match cited(&text) {
            Cited::Path(path) => {
                let rooted = root().join(path.trim_end_matches('/'));
                rooted.exists() || (!folder.is_empty() && root().join(&folder).join(&path).exists())
            }
            Cited::Name(segments) => segments.iter().all(|segment| names.contains(segment)),
            Cited::Package(name) => packages.contains(&name),
            Cited::Other => true,
        };
        if !found {
            missing.push(text);
        }
    }
    missing
}

#[test]
fn architecture_cites_only_what_exists() {
    let text = read(&root().join("ARCHITECTURE.md"));
    let lines = text.lines().count();
    assert!(
        lines <= LONGEST,
        "ARCHITECTURE.md has {lines} lines: name less (at most {LONGEST})"
    );
    let missing = missing_citations(&text, &declared_names());
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md cites what the tree does not have:\n{}",
        missing.join("\n")
    );
}

#[test]
fn backticked_texts_are_read_as_what_they_cite() {
    let name = |path: &[&str]| Cited::Name(path.iter().map(|s| (*s).to_owned()).collect());
    for (text, expected) in [
        (
            "crates/scan-reports-server/src/http.rs",
            Cited::Path("crates/scan-reports-server/src/http.rs".into()),
        ),
        ("src/store/", Cited::Path("src/store/".into())),
        ("Cargo.toml", Cited::Path("Cargo.toml".into())),
        ("Document", name(&["Document"])),
        ("diff_report::render", name(&["diff_report", "render"])),
        ("generate()", name(&["generate"])),
        (
            "scan-reports-server",
            Cited::Package("scan-reports-server".into()),
        ),
        ("cargo xtask check", Cited::Other),
        ("--cache-mib", Cited::Other),
        ("x-request-id", Cited::Other),
        ("GET /metrics", Cited::Other),
        ("/metrics", Cited::Other),
        ("429", Cited::Other),
    ] {
        assert_eq!(cited(text), expected, "{text}");
    }
    let names = BTreeSet::from(["Document".to_owned(), "render".to_owned()]);
    assert_eq!(
        missing_citations(
            "`Document`, `diff_report::render`, `README.md`, `NoSuchFile.md`",
            &names
        ),
        ["diff_report::render", "NoSuchFile.md"]
    );
}
