//! Access tokens: drawn at random, stored only as a SHA-256 hash, compared
//! in constant time.
//!
//! A fast hash is right here: tokens are 256 random bits, not passwords, so
//! there is nothing to guess that a slow hash would protect.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A new token: 32 random bytes as 64 hex digits.
pub fn generate() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// What the database keeps of a token.
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Whether `token` hashes to `stored`, in time independent of where they differ.
pub fn matches(stored: &[u8], token: &str) -> bool {
    stored.ct_eq(&hash(token)).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_verify_only_themselves() {
        let first = generate().expect("randomness");
        let second = generate().expect("randomness");
        assert_eq!(first.len(), 64);
        assert!(first.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(first, second);
        let stored = hash(&first);
        assert!(matches(&stored, &first));
        assert!(!matches(&stored, &second));
        assert!(!matches(&stored, ""));
        assert!(!matches(&stored[..16], &first));
    }
}
