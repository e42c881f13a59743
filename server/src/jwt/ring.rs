//! The key ring: the keys of the `jwks` table as one in-memory snapshot, with the active key
//! decrypted and everything issuing and publishing need precomputed.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use bytes::Bytes;
use ed25519_dalek::{SigningKey, VerifyingKey};

use super::{
    error::JwtError,
    jwk::{Jwk, JwkSet},
    keys::{self, KeyCipher, OpenError},
    store::{self, Insert, StoredKey},
};
use crate::{
    config::JwtSettings,
    db::{new_id, Db},
};

/// How often the ring is re-read to notice keys written by other processes.
const RELOAD_EVERY_MS: i64 = 60_000;
/// Attempts at establishing an active key before giving up (each loses only to a writer that
/// succeeded, so more than two is already unusual).
const ACTIVE_KEY_ATTEMPTS: usize = 5;

/// The keys as loaded from the table at one moment.
pub(super) struct KeyRing {
    /// The key that signs.
    pub active: ActiveKey,
    /// Every published key by id: the active one and the retired ones in their grace period.
    pub published: Vec<(String, VerifyingKey)>,
    /// The published keys as a JWK set.
    pub set: JwkSet,
    /// [`Self::set`] serialised.
    pub set_json: Bytes,
    /// When this ring must be rebuilt.
    pub check_at_ms: i64,
}

/// The signing key, decrypted.
pub(super) struct ActiveKey {
    pub kid: String,
    pub key: SigningKey,
    /// When the key was created (Unix ms): rotation is due `rotation_interval` later.
    pub created_at: i64,
    /// The encoded JOSE header, the same for every token this key signs.
    pub header_b64: String,
}

impl KeyRing {
    /// The published key named `kid`.
    pub fn find(&self, kid: &str) -> Option<VerifyingKey> {
        self.published
            .iter()
            .find(|(id, _)| id == kid)
            .map(|(_, key)| *key)
    }
}

/// Whether a key created at `created_at` must stop signing at `now`.
pub(super) fn rotation_due(settings: &JwtSettings, created_at: i64, now: i64) -> bool {
    settings
        .rotation_interval
        .is_some_and(|interval| now >= created_at.saturating_add(millis(interval)))
}

/// A duration in milliseconds, saturating.
pub(super) fn millis(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// A fresh key, sealed for storage, created at `now`.
pub(super) fn new_stored_key(cipher: &KeyCipher, now: i64) -> StoredKey {
    let key = keys::generate();
    let kid = new_id();
    StoredKey {
        public_key: keys::encode_public(&key.verifying_key()),
        private_key: cipher.seal(&kid, &key),
        kid,
        created_at: now,
        retired_at: None,
    }
}

/// Reads the published keys; when none is active, inserts one and reads again (the unique
/// index makes racing inserts leave exactly one).
pub(super) async fn load_or_create(
    db: &Db,
    cipher: &KeyCipher,
    settings: &JwtSettings,
    now: i64,
) -> Result<KeyRing, JwtError> {
    let grace = millis(settings.grace_period);
    for _ in 0..ACTIVE_KEY_ATTEMPTS {
        let rows = store::published(db, now.saturating_sub(grace))
            .await
            .map_err(JwtError::Database)?;
        if rows.iter().any(|row| row.retired_at.is_none()) {
            return build_ring(&rows, cipher, settings, now);
        }
        let new = new_stored_key(cipher, now);
        if store::insert_active(db, &new)
            .await
            .map_err(JwtError::Database)?
            == Insert::Inserted
        {
            tracing::info!(kid = %new.kid, "created a JWT signing key");
        }
    }
    Err(JwtError::NoActiveKey)
}

/// Decrypts and checks every row, and precomputes what issuing and publishing need.
fn build_ring(
    rows: &[StoredKey],
    cipher: &KeyCipher,
    settings: &JwtSettings,
    now: i64,
) -> Result<KeyRing, JwtError> {
    let mut active = None;
    let mut published = Vec::with_capacity(rows.len());
    let mut check_at_ms = now.saturating_add(RELOAD_EVERY_MS);

    for row in rows {
        let corrupt = |problem| JwtError::CorruptKey {
            kid: row.kid.clone(),
            problem,
        };
        if !keys::is_valid_kid(&row.kid) {
            return Err(corrupt("the key id has characters outside base64url"));
        }
        let key = cipher
            .open(&row.kid, &row.private_key)
            .map_err(|e| match e {
                OpenError::WrongSecret => JwtError::UndecryptableKey {
                    kid: row.kid.clone(),
                },
                OpenError::Encoding => corrupt("the private key is not in the stored format"),
            })?;
        let public = keys::decode_public(&row.public_key)
            .ok_or_else(|| corrupt("the public key is not 32 base64url bytes"))?;
        if key.verifying_key() != public {
            return Err(corrupt("the public key does not match the private key"));
        }
        published.push((row.kid.clone(), public));

        match row.retired_at {
            None => {
                if let Some(interval) = settings.rotation_interval {
                    check_at_ms = check_at_ms.min(row.created_at.saturating_add(millis(interval)));
                }
                active = Some(ActiveKey {
                    header_b64: header_b64(&row.kid),
                    kid: row.kid.clone(),
                    key,
                    created_at: row.created_at,
                });
            }
            Some(retired_at) => {
                let grace_ends = retired_at.saturating_add(millis(settings.grace_period));
                check_at_ms = check_at_ms.min(grace_ends);
            }
        }
    }

    let active = active.ok_or(JwtError::NoActiveKey)?;
    let set = JwkSet {
        keys: published
            .iter()
            .map(|(kid, key)| Jwk::ed25519(kid, &keys::encode_public(key)))
            .collect(),
    };
    let set_json = Bytes::from(serde_json::to_vec(&set).map_err(JwtError::Encode)?);
    Ok(KeyRing {
        active,
        published,
        set,
        set_json,
        check_at_ms,
    })
}

/// The encoded JOSE header for tokens signed by `kid` (RFC 7515 §4, RFC 8037 §3.1).
fn header_b64(kid: &str) -> String {
    let header = serde_json::json!({ "alg": "EdDSA", "kid": kid, "typ": "JWT" });
    URL_SAFE_NO_PAD.encode(header.to_string())
}
