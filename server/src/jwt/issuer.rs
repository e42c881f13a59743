//! The JWT issuer: keeps the signing keys in memory, signs tokens, publishes the key set, and
//! rotates keys when a rotation interval is configured.
//!
//! The key ring (active signing key, published public keys, the serialised key set) lives behind
//! an `RwLock<Arc<_>>`: issuing a token takes a read lock and one time comparison, never the
//! database and never a decryption. The ring is rebuilt from the table when a check time passes
//! (the active key's rotation time, a retired key's end of grace, or once a minute to notice
//! changes made by other processes sharing the database), by one caller at a time.

use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc, RwLock,
};

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use bytes::Bytes;
use ed25519_dalek::{Signer, VerifyingKey};
use serde::Serialize;

use super::{
    error::JwtError,
    jwk::JwkSet,
    keys::KeyCipher,
    ring::{load_or_create, millis, new_stored_key, rotation_due, KeyRing},
    store::{self, Insert},
};
use crate::{
    config::{JwtSettings, ServerSecret},
    db::{now_ms, Db},
};

/// After a failed reload, how long to keep serving the old ring before trying again.
const RETRY_AFTER_MS: i64 = 5_000;
/// The least time between reloads forced by an unknown `kid` (in-process verification).
const FORCED_RELOAD_MIN_MS: i64 = 10_000;

/// Who a token is for: the user's id and the profile claims carried beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSubject {
    /// The user's id: the `sub` claim.
    pub user_id: String,
    /// The `email` claim.
    pub email: String,
    /// The `name` claim.
    pub name: String,
    /// The `emailVerified` claim.
    pub email_verified: bool,
}

/// Issues Ed25519-signed JWTs and publishes the keys that verify them. Cheap to clone.
#[derive(Clone)]
pub struct JwtIssuer {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for JwtIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtIssuer")
            .field("issuer", &self.inner.settings.issuer)
            .finish_non_exhaustive()
    }
}

struct Inner {
    db: Db,
    cipher: KeyCipher,
    settings: JwtSettings,
    ring: RwLock<Arc<KeyRing>>,
    /// Serialises rebuilding the ring so that concurrent callers do the work once.
    rebuild: tokio::sync::Mutex<()>,
    /// No reload is attempted before this time (set after a failure).
    retry_after_ms: AtomicI64,
    /// When the last reload forced by an unknown `kid` happened.
    forced_reload_ms: AtomicI64,
}

/// The JWT claims (RFC 7519 §4.1) plus the user's profile, as Better Auth names them.
#[derive(Serialize)]
struct Claims<'a> {
    sub: &'a str,
    iat: i64,
    exp: i64,
    iss: &'a str,
    aud: &'a str,
    email: &'a str,
    name: &'a str,
    #[serde(rename = "emailVerified")]
    email_verified: bool,
}

impl JwtIssuer {
    /// Loads the signing keys, creating the first one if the table is empty (exactly one key
    /// results even when several processes start at once), and checks that every stored key
    /// decrypts under `secret`. Call once at start-up.
    pub async fn start(
        db: Db,
        secret: &ServerSecret,
        settings: &JwtSettings,
    ) -> Result<Self, JwtError> {
        let cipher = KeyCipher::new(secret);
        let now = now_ms();
        let ring = load_or_create(&db, &cipher, settings, now).await?;
        Ok(Self {
            inner: Arc::new(Inner {
                db,
                cipher,
                settings: settings.clone(),
                ring: RwLock::new(Arc::new(ring)),
                rebuild: tokio::sync::Mutex::new(()),
                retry_after_ms: AtomicI64::new(0),
                forced_reload_ms: AtomicI64::new(0),
            }),
        })
    }

    /// The issuer settings (`iss`, `aud`, lifetime, rotation).
    pub fn settings(&self) -> &JwtSettings {
        &self.inner.settings
    }

    /// A compact JWS (RFC 7515 §7.1) for `subject`, signed with the active key: header
    /// `{"alg":"EdDSA","kid":…,"typ":"JWT"}`, claims `sub, iat, exp, iss, aud, email, name,
    /// emailVerified`.
    pub async fn issue(&self, subject: &TokenSubject) -> Result<String, JwtError> {
        let ring = self.ring().await?;
        let iat = now_ms().div_euclid(1000);
        let lifetime = i64::try_from(self.inner.settings.lifetime.as_secs()).unwrap_or(i64::MAX);
        let claims = Claims {
            sub: &subject.user_id,
            iat,
            exp: iat.saturating_add(lifetime),
            iss: &self.inner.settings.issuer,
            aud: &self.inner.settings.audience,
            email: &subject.email,
            name: &subject.name,
            email_verified: subject.email_verified,
        };
        let payload = serde_json::to_vec(&claims).map_err(JwtError::Encode)?;

        let mut token = String::with_capacity(512);
        token.push_str(&ring.active.header_b64);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(payload, &mut token);
        let signature = ring.active.key.sign(token.as_bytes());
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(signature.to_bytes(), &mut token);
        Ok(token)
    }

    /// The published key set: the active key and the retired keys still in their grace period.
    pub async fn jwks(&self) -> Result<JwkSet, JwtError> {
        Ok(self.ring().await?.set.clone())
    }

    /// [`Self::jwks`] already serialised, for the HTTP handler.
    pub async fn jwks_json(&self) -> Result<Bytes, JwtError> {
        Ok(self.ring().await?.set_json.clone())
    }

    /// The published public key named `kid`, for in-process verification. When no published
    /// key has that id, the table is re-read (at most once per ten seconds) in case another
    /// process sharing the database created it.
    pub(crate) async fn published_key(&self, kid: &str) -> Result<Option<VerifyingKey>, JwtError> {
        let ring = self.ring().await?;
        if let Some(key) = ring.find(kid) {
            return Ok(Some(key));
        }
        let now = now_ms();
        let last = self.inner.forced_reload_ms.load(Ordering::Relaxed);
        if now - last < FORCED_RELOAD_MIN_MS
            || self
                .inner
                .forced_reload_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return Ok(None);
        }
        let ring = self.rebuild(now, true).await?;
        Ok(ring.find(kid))
    }

    /// The current ring, rebuilt first when its check time has passed.
    async fn ring(&self) -> Result<Arc<KeyRing>, JwtError> {
        let ring = self.snapshot();
        let now = now_ms();
        if now < ring.check_at_ms || now < self.inner.retry_after_ms.load(Ordering::Relaxed) {
            return Ok(ring);
        }
        self.rebuild(now, false).await
    }

    fn snapshot(&self) -> Arc<KeyRing> {
        match self.inner.ring.read() {
            Ok(guard) => Arc::clone(&guard),
            // A panic while holding the lock cannot leave the Arc half-written.
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Rotates the active key if it is due, then re-reads the table. One caller does the work;
    /// the others wait and take its result.
    async fn rebuild(&self, now: i64, forced: bool) -> Result<Arc<KeyRing>, JwtError> {
        let _guard = self.inner.rebuild.lock().await;
        let current = self.snapshot();
        if !forced && now < current.check_at_ms {
            return Ok(current);
        }

        let settings = &self.inner.settings;
        let result = async {
            if rotation_due(settings, current.active.created_at, now) {
                let new = new_stored_key(&self.inner.cipher, now);
                // Losing means another process rotated first; the re-read below picks up its key.
                let outcome = store::rotate(&self.inner.db, &current.active.kid, &new, now)
                    .await
                    .map_err(JwtError::Database)?;
                if outcome == Insert::Inserted {
                    tracing::info!(old = %current.active.kid, new = %new.kid, "JWT signing key rotated");
                    let cutoff = now.saturating_sub(millis(settings.grace_period));
                    if let Err(error) = store::delete_retired(&self.inner.db, cutoff).await {
                        // Only housekeeping: expired keys are not published either way.
                        tracing::warn!(%error, "cannot delete expired JWT signing keys");
                    }
                }
            }
            load_or_create(&self.inner.db, &self.inner.cipher, settings, now).await
        }
        .await;

        match result {
            Ok(ring) => {
                let ring = Arc::new(ring);
                match self.inner.ring.write() {
                    Ok(mut guard) => *guard = Arc::clone(&ring),
                    Err(poisoned) => *poisoned.into_inner() = Arc::clone(&ring),
                }
                Ok(ring)
            }
            Err(error) => {
                // Keep signing with the keys in memory: they were valid when loaded, and a
                // database outage (or a key written by a process with another secret) should
                // not stop token issuance. Retry after a pause rather than on every request.
                match error {
                    JwtError::UndecryptableKey { .. } | JwtError::CorruptKey { .. } => {
                        tracing::error!(%error, "cannot reload JWT signing keys; keeping the current ones");
                    }
                    _ => {
                        tracing::warn!(%error, "cannot reload JWT signing keys; keeping the current ones");
                    }
                }
                self.inner
                    .retry_after_ms
                    .store(now.saturating_add(RETRY_AFTER_MS), Ordering::Relaxed);
                Ok(current)
            }
        }
    }
}
