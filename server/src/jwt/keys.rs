//! Ed25519 signing keys and their encryption at rest.
//!
//! A private key is stored as `base64url(nonce) "." base64url(ciphertext)`: the 32-byte seed
//! sealed with XChaCha20-Poly1305 under a key derived by HKDF-SHA256 (RFC 5869) from the server
//! secret. The key id is the associated data, so a ciphertext moved to another row fails to
//! open.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chacha20poly1305::{
    aead::{Aead, KeyInit, Payload},
    Key, XChaCha20Poly1305, XNonce,
};
use ed25519_dalek::{SigningKey, VerifyingKey, PUBLIC_KEY_LENGTH, SECRET_KEY_LENGTH};
use hkdf::Hkdf;
use rand::{rngs::OsRng, RngCore};
use sha2::Sha256;

use crate::config::ServerSecret;

/// Fixed HKDF salt: separates this derivation from any other use of the server secret.
const HKDF_SALT: &[u8] = b"tasks-server jwks v1";
/// HKDF info: what the derived key is for.
const HKDF_INFO: &[u8] = b"encryption of JWT signing keys at rest";
const NONCE_LEN: usize = 24;

/// The longest key id accepted anywhere (issued ids are 32 characters).
pub const MAX_KID_LEN: usize = 128;

/// Whether `kid` can name a key: 1 to [`MAX_KID_LEN`] characters of the base64url alphabet.
/// Anything else (path separators, dots, spaces, control bytes) is refused before any lookup.
pub fn is_valid_kid(kid: &str) -> bool {
    !kid.is_empty()
        && kid.len() <= MAX_KID_LEN
        && kid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A fresh random Ed25519 key from the operating system's generator.
pub fn generate() -> SigningKey {
    SigningKey::generate(&mut OsRng)
}

/// The JWK `x` value of a public key: its 32 bytes, base64url without padding (RFC 8037 §2).
pub fn encode_public(key: &VerifyingKey) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

/// Parses a JWK `x` value. `None` unless it is base64url of exactly 32 bytes naming a valid
/// curve point: the length is checked before any key is built.
pub fn decode_public(x: &str) -> Option<VerifyingKey> {
    // 32 bytes are 43 base64url characters; reject anything else before decoding.
    if x.len() != 43 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(x).ok()?;
    let bytes: [u8; PUBLIC_KEY_LENGTH] = bytes.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Why a stored private key did not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    /// The text is not `nonce.ciphertext` in base64url of the right lengths.
    Encoding,
    /// Authentication failed: another secret (or another row) sealed it.
    WrongSecret,
}

/// Seals and opens private keys under the key derived from the server secret.
#[derive(Clone)]
pub struct KeyCipher {
    aead: XChaCha20Poly1305,
}

impl std::fmt::Debug for KeyCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyCipher([redacted])")
    }
}

impl KeyCipher {
    /// Derives the encryption key from the server secret.
    pub fn new(secret: &ServerSecret) -> Self {
        let hkdf = Hkdf::<Sha256>::new(Some(HKDF_SALT), secret.expose());
        let mut key = [0u8; 32];
        // 32 bytes is far below HKDF-SHA256's 8160-byte output limit, so this cannot fail.
        let _ = hkdf.expand(HKDF_INFO, &mut key);
        let aead = XChaCha20Poly1305::new(Key::from_slice(&key));
        key.fill(0);
        Self { aead }
    }

    /// Encrypts `key`'s seed for the row `kid`.
    pub fn seal(&self, kid: &str, key: &SigningKey) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        OsRng.fill_bytes(&mut nonce);
        let seed = key.to_bytes();
        let payload = Payload {
            msg: &seed,
            aad: kid.as_bytes(),
        };
        // Encryption with a valid key and a short message has no failure case.
        let ciphertext = self
            .aead
            .encrypt(XNonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(nonce),
            URL_SAFE_NO_PAD.encode(ciphertext)
        )
    }

    /// Decrypts the stored text of row `kid` back into a signing key.
    pub fn open(&self, kid: &str, stored: &str) -> Result<SigningKey, OpenError> {
        let (nonce, ciphertext) = stored.split_once('.').ok_or(OpenError::Encoding)?;
        let nonce = URL_SAFE_NO_PAD
            .decode(nonce)
            .map_err(|_| OpenError::Encoding)?;
        let ciphertext = URL_SAFE_NO_PAD
            .decode(ciphertext)
            .map_err(|_| OpenError::Encoding)?;
        if nonce.len() != NONCE_LEN || ciphertext.len() != SECRET_KEY_LENGTH + 16 {
            return Err(OpenError::Encoding);
        }
        let payload = Payload {
            msg: &ciphertext,
            aad: kid.as_bytes(),
        };
        let mut seed = self
            .aead
            .decrypt(XNonce::from_slice(&nonce), payload)
            .map_err(|_| OpenError::WrongSecret)?;
        let bytes: Result<[u8; SECRET_KEY_LENGTH], _> = seed.as_slice().try_into();
        seed.fill(0);
        bytes
            .map(|b| SigningKey::from_bytes(&b))
            .map_err(|_| OpenError::Encoding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(text: &str) -> ServerSecret {
        ServerSecret::new(text.as_bytes().to_vec()).expect("long enough")
    }

    #[test]
    fn a_sealed_key_opens_under_the_same_secret_and_kid() {
        let cipher = KeyCipher::new(&secret("0123456789abcdef0123456789abcdef"));
        let key = generate();
        let stored = cipher.seal("kid1", &key);
        let opened = cipher.open("kid1", &stored).expect("opens");
        assert_eq!(opened.to_bytes(), key.to_bytes());
    }

    #[test]
    fn a_sealed_key_does_not_open_under_another_secret_or_kid() {
        let cipher = KeyCipher::new(&secret("0123456789abcdef0123456789abcdef"));
        let other = KeyCipher::new(&secret("fedcba9876543210fedcba9876543210"));
        let stored = cipher.seal("kid1", &generate());
        assert_eq!(
            other.open("kid1", &stored).err(),
            Some(OpenError::WrongSecret)
        );
        assert_eq!(
            cipher.open("kid2", &stored).err(),
            Some(OpenError::WrongSecret)
        );
        assert_eq!(
            cipher.open("kid1", "garbage").err(),
            Some(OpenError::Encoding)
        );
    }

    #[test]
    fn public_keys_of_the_wrong_length_are_refused_without_panicking() {
        let key = generate().verifying_key();
        let x = encode_public(&key);
        assert_eq!(decode_public(&x), Some(key));
        assert_eq!(decode_public(&URL_SAFE_NO_PAD.encode([7u8; 31])), None);
        assert_eq!(decode_public(&URL_SAFE_NO_PAD.encode([7u8; 33])), None);
        assert_eq!(decode_public(""), None);
        assert_eq!(decode_public(&"A".repeat(10_000)), None);
    }

    #[test]
    fn key_ids_with_path_or_odd_characters_are_invalid() {
        assert!(is_valid_kid("AbC123_-"));
        assert!(!is_valid_kid("../../etc"));
        assert!(!is_valid_kid("a/b"));
        assert!(!is_valid_kid(""));
        assert!(!is_valid_kid("a b"));
        assert!(!is_valid_kid(&"a".repeat(MAX_KID_LEN + 1)));
    }
}
