//! One-time tokens: what the user receives, and what the database keeps instead.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::{rngs::OsRng, RngCore};
use sha2::{Digest, Sha256};

/// Random bytes in a token: 256 bits, beyond guessing.
const TOKEN_BYTES: usize = 32;

/// A one-time token as sent to the user: 32 random bytes, base64url without padding (43
/// characters, safe in a URL query without escaping). It exists only in memory and in the
/// message; the database keeps its [`token_hash`]. `Debug` prints `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct PlainToken(String);

impl PlainToken {
    /// A fresh token from the operating system's random source.
    pub(super) fn generate() -> Self {
        let mut bytes = [0u8; TOKEN_BYTES];
        OsRng.fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The token text, to put in a link.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value stored in `verifications.value` for this token.
    pub fn hash(&self) -> String {
        token_hash(&self.0)
    }
}

impl std::fmt::Debug for PlainToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PlainToken([redacted])")
    }
}

/// SHA-256 of the token text, lower-case hex: what `verifications.value` holds. A plain hash is
/// enough (no salt, no slow hash) because the token has 256 bits of entropy; it keeps a leaked
/// database from yielding usable links.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    let mut hex = String::with_capacity(digest.len() * 2);
    for byte in digest {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 0x0f)]));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_are_43_base64url_characters_and_differ() {
        let first = PlainToken::generate();
        let second = PlainToken::generate();

        assert_eq!(first.as_str().len(), 43);
        assert!(first
            .as_str()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(first, second);
    }

    #[test]
    fn token_hash_is_lowercase_hex_sha256() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn debug_does_not_reveal_the_token() {
        let token = PlainToken::generate();
        let printed = format!("{token:?}");

        assert_eq!(printed, "PlainToken([redacted])");
    }
}
