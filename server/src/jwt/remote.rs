//! A key set fetched over HTTP from a JWKS URL, cached, and re-fetched at a bounded rate.
//!
//! `https://` URLs are fetched with rustls and the built-in Mozilla roots.
//!
//! LIMITATION: a new key is published only when it starts signing. A verifier whose last fetch
//! was less than the minimum refresh interval before a rotation refuses the new key's tokens
//! until that interval has passed (10 s by default); publishing the next key ahead of its use
//! would close this window.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use ed25519_dalek::VerifyingKey;
use url::Url;

use super::{error::VerifyError, jwk::Jwk, keys};

/// The largest key set accepted, in bytes.
const MAX_JWKS_BYTES: usize = 64 * 1024;
/// The most keys taken from one key set.
const MAX_KEYS: usize = 32;

/// Remote key set settings.
#[derive(Clone, Debug)]
pub struct RemoteKeySetOptions {
    /// The least time between two fetches, whatever triggers them (unknown `kid`s included).
    pub min_refresh_interval: Duration,
    /// After this long, the cached set is re-fetched on the next verification.
    pub max_age: Duration,
    /// Connect-and-read timeout of one fetch.
    pub timeout: Duration,
}

impl Default for RemoteKeySetOptions {
    fn default() -> Self {
        Self {
            min_refresh_interval: Duration::from_secs(10),
            max_age: Duration::from_secs(300),
            timeout: Duration::from_secs(5),
        }
    }
}

/// A cached remote key set.
pub(crate) struct RemoteKeySet {
    url: Url,
    client: reqwest::Client,
    options: RemoteKeySetOptions,
    cache: RwLock<Arc<Cached>>,
    /// Held while fetching; remembers when the last fetch started.
    fetch: tokio::sync::Mutex<Option<Instant>>,
}

#[derive(Default)]
struct Cached {
    keys: HashMap<String, VerifyingKey>,
    fetched_at: Option<Instant>,
}

impl RemoteKeySet {
    pub(crate) fn new(url: Url, options: RemoteKeySetOptions) -> Self {
        // No redirects and no proxy from the environment: the key set comes from exactly the
        // configured URL.
        let client = reqwest::Client::builder()
            .timeout(options.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .unwrap_or_default();
        Self {
            url,
            client,
            options,
            cache: RwLock::new(Arc::new(Cached::default())),
            fetch: tokio::sync::Mutex::new(None),
        }
    }

    /// The key named `kid`. A miss, or a stale cache, triggers a fetch unless one started
    /// less than the minimum refresh interval ago; concurrent callers share one fetch.
    pub(crate) async fn key(&self, kid: &str) -> Result<VerifyingKey, VerifyError> {
        let cached = self.snapshot();
        let stale = cached
            .fetched_at
            .is_none_or(|at| at.elapsed() >= self.options.max_age);
        match (cached.keys.get(kid), stale) {
            (Some(key), false) => return Ok(*key),
            // A stale hit is still served; one caller refreshes without making the others wait.
            (Some(key), true) => {
                if let Ok(guard) = self.fetch.try_lock() {
                    self.refresh(guard).await;
                    return self
                        .snapshot()
                        .keys
                        .get(kid)
                        .copied()
                        .ok_or(VerifyError::UnknownKid);
                }
                return Ok(*key);
            }
            (None, _) => {}
        }

        let guard = self.fetch.lock().await;
        // Another caller may have fetched while this one waited.
        let cached = self.snapshot();
        if let Some(key) = cached.keys.get(kid) {
            return Ok(*key);
        }
        self.refresh(guard).await;
        let cached = self.snapshot();
        match cached.keys.get(kid) {
            Some(key) => Ok(*key),
            None if cached.fetched_at.is_none() => Err(VerifyError::KeySetUnavailable),
            None => Err(VerifyError::UnknownKid),
        }
    }

    fn snapshot(&self) -> Arc<Cached> {
        match self.cache.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Fetches the key set if the rate limit allows, replacing the cache on success.
    async fn refresh(&self, mut last_fetch: tokio::sync::MutexGuard<'_, Option<Instant>>) {
        if last_fetch.is_some_and(|at| at.elapsed() < self.options.min_refresh_interval) {
            return;
        }
        *last_fetch = Some(Instant::now());
        match self.download().await {
            Ok(keys) => {
                let fresh = Arc::new(Cached {
                    keys,
                    fetched_at: Some(Instant::now()),
                });
                match self.cache.write() {
                    Ok(mut guard) => *guard = fresh,
                    Err(poisoned) => *poisoned.into_inner() = fresh,
                }
            }
            Err(problem) => {
                tracing::warn!(url = %self.url, problem, "cannot fetch the JWT key set; keeping the cached keys");
            }
        }
    }

    async fn download(&self) -> Result<HashMap<String, VerifyingKey>, String> {
        let mut response = self
            .client
            .get(self.url.clone())
            .send()
            .await
            .map_err(|e| format!("request failed: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()));
        }
        if response
            .content_length()
            .is_some_and(|len| len > MAX_JWKS_BYTES as u64)
        {
            return Err("key set too large".to_owned());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| format!("reading failed: {e}"))?
        {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err("key set too large".to_owned());
            }
            body.extend_from_slice(&chunk);
        }
        parse_key_set(&body).ok_or_else(|| "not a JWK set".to_owned())
    }
}

/// The usable Ed25519 keys of a JWK set. Entries that are not complete, valid Ed25519 signing
/// keys (another key type, a malformed `kid`, an `x` of the wrong length) are skipped, so one
/// bad entry does not take the others down. `None` when the document is not a JWK set at all.
pub(crate) fn parse_key_set(body: &[u8]) -> Option<HashMap<String, VerifyingKey>> {
    #[derive(serde::Deserialize)]
    struct Document {
        keys: Vec<serde_json::Value>,
    }
    let document: Document = serde_json::from_slice(body).ok()?;
    let mut keys = HashMap::new();
    for entry in document.keys.into_iter().take(MAX_KEYS) {
        match usable_key(entry) {
            Some((kid, key)) => {
                keys.insert(kid, key);
            }
            None => tracing::debug!("skipping a JWK set entry that is not a valid Ed25519 key"),
        }
    }
    Some(keys)
}

fn usable_key(entry: serde_json::Value) -> Option<(String, VerifyingKey)> {
    let jwk: Jwk = serde_json::from_value(entry).ok()?;
    let ed25519 = jwk.kty == "OKP"
        && jwk.crv.as_deref() == Some("Ed25519")
        && jwk.alg.as_deref().is_none_or(|alg| alg == "EdDSA")
        && jwk.use_.as_deref().is_none_or(|u| u == "sig");
    if !ed25519 {
        return None;
    }
    let kid = jwk.kid.filter(|kid| keys::is_valid_kid(kid))?;
    let key = keys::decode_public(jwk.x.as_deref()?)?;
    Some((kid, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_set_keeps_valid_ed25519_entries_and_skips_the_rest() {
        let good = keys::encode_public(&keys::generate().verifying_key());
        let body = serde_json::json!({ "keys": [
            { "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "kid": "good", "x": good },
            { "kty": "OKP", "crv": "Ed25519", "kid": "short", "x": "AAAA" },
            { "kty": "OKP", "crv": "Ed25519", "kid": "../../etc", "x": good },
            { "kty": "RSA", "kid": "rsa", "n": "AQAB", "e": "AQAB" },
            { "kty": "OKP", "crv": "Ed25519", "alg": "HS256", "kid": "hs", "x": good },
            "not an object"
        ]});
        let keys = parse_key_set(body.to_string().as_bytes()).expect("a key set");
        assert_eq!(keys.keys().collect::<Vec<_>>(), vec!["good"]);
    }

    #[test]
    fn a_document_that_is_not_a_key_set_is_refused() {
        assert!(parse_key_set(b"{\"nokeys\":[]}").is_none());
        assert!(parse_key_set(b"\xff\xfe").is_none());
    }
}
