//! References in a row: a `$ref` whose target is itself a reference, and
//! so on. A chain that comes back to itself names no schema at all
//! (`A: {$ref: B}`, `B: {$ref: A}`), and a very long one is built to make
//! every reader follow it; both are refused when the document is read, so
//! that nothing later (the canonical form, whose `Tables::resolve` follows
//! at most [`LONGEST_REFERENCE_CHAIN`] links) ever meets one.

use std::collections::HashMap;

use serde_json::Value;

/// The most references in a row a document may hold. Real documents hold
/// two or three (an alias of a schema, a response naming a shared one).
pub const LONGEST_REFERENCE_CHAIN: usize = 64;

/// How long each chain is, remembered, so that a document's references
/// are followed once however many share a chain.
#[derive(Debug)]
pub(super) struct ReferenceChains<'d> {
    document: &'d Value,
    /// References in a row from each reference followed so far.
    lengths: HashMap<&'d str, usize>,
}

impl<'d> ReferenceChains<'d> {
    pub(super) fn new(document: &'d Value) -> Self {
        Self {
            document,
            lengths: HashMap::new(),
        }
    }

    /// Why the chain that starts at `reference` is refused, if it is.
    pub(super) fn check(&mut self, reference: &'d str) -> Result<(), String> {
        let mut chain: Vec<&'d str> = Vec::new();
        let mut at = reference;
        let mut rest = 0;
        loop {
            if let Some(length) = self.lengths.get(at) {
                rest = *length;
                break;
            }
            if let Some(start) = chain.iter().position(|seen| *seen == at) {
                let cycle: Vec<&str> = chain[start..].iter().copied().chain([at]).collect();
                return Err(format!(
                    "`{reference}` leads to a cycle of references and nothing else ({}): it names no schema, so the document is refused when read, before anything compares it",
                    cycle.join(" → ")
                ));
            }
            chain.push(at);
            if chain.len() > LONGEST_REFERENCE_CHAIN {
                return Err(format!(
                    "`{reference}` begins more than {LONGEST_REFERENCE_CHAIN} references in a row ({} → …): the document is refused when read, as nothing follows a chain that long",
                    chain[..3].join(" → ")
                ));
            }
            match self.next_link(at) {
                Some(next) => at = next,
                None => break,
            }
        }
        for link in chain.iter().rev() {
            rest += 1;
            self.lengths.insert(link, rest);
        }
        Ok(())
    }

    /// What the local `reference` names, if anything.
    pub(super) fn resolve(&self, reference: &str) -> Option<&'d Value> {
        self.document.pointer(reference.strip_prefix('#')?)
    }

    /// The reference the target of `reference` holds, if its target is a
    /// reference: a local one, resolving (the structure check refuses one
    /// that does not resolve; references to other files are not read).
    fn next_link(&self, reference: &str) -> Option<&'d str> {
        self.resolve(reference)?
            .get("$ref")?
            .as_str()
            .filter(|next| next.starts_with('#'))
    }
}
