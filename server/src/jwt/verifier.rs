//! Verifies compact JWS tokens (RFC 7515 §7.1) signed with Ed25519 against published keys.
//!
//! The order of checks never lets the token choose how it is checked: the length is bounded
//! before decoding; `alg` must be `EdDSA` because that is the only algorithm any accepted key
//! is for (RFC 8725 §3.1); `kid` must be well formed before it is used to look anything up; the
//! signature is verified (strictly: no malleable encodings) before any claim is read; then
//! `exp`, `nbf`, `iss`, `aud` and `sub` (RFC 7519 §4.1).

use std::{sync::Arc, time::Duration};

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use ed25519_dalek::{Signature, VerifyingKey, SIGNATURE_LENGTH};
use serde::Deserialize;
use url::Url;

use super::{
    error::VerifyError,
    keys,
    remote::{RemoteKeySet, RemoteKeySetOptions},
    JwtIssuer,
};
use crate::db::now_ms;

/// Tokens longer than this are rejected without being decoded.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;
/// The largest clock leeway a verifier accepts.
pub const MAX_LEEWAY: Duration = Duration::from_secs(60);
/// The clock leeway unless configured otherwise.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(30);

/// What a verified token says about its subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedToken {
    /// `sub`: the user id.
    pub subject: String,
    /// `exp`, seconds since the Unix epoch.
    pub expires_at: i64,
    /// `email`, when the token carries it.
    pub email: Option<String>,
    /// `name`, when the token carries it.
    pub name: Option<String>,
    /// `emailVerified`, when the token carries it.
    pub email_verified: Option<bool>,
}

/// Verifies bearer tokens against a key source with a fixed issuer and audience. Cheap to
/// clone.
#[derive(Clone)]
pub struct JwtVerifier {
    keys: KeySource,
    issuer: Arc<str>,
    audience: Arc<str>,
    leeway_secs: i64,
}

#[derive(Clone)]
enum KeySource {
    /// The issuer's own ring, in this process: no HTTP.
    InProcess(JwtIssuer),
    /// A JWKS URL.
    Remote(Arc<RemoteKeySet>),
}

impl std::fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtVerifier")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("leeway_secs", &self.leeway_secs)
            .finish_non_exhaustive()
    }
}

impl JwtVerifier {
    /// Verifies against the keys `issuer` publishes, in this process, expecting its own `iss`
    /// and `aud`.
    pub fn in_process(issuer: JwtIssuer) -> Self {
        let iss = issuer.settings().issuer.as_str().into();
        let aud = issuer.settings().audience.as_str().into();
        Self {
            keys: KeySource::InProcess(issuer),
            issuer: iss,
            audience: aud,
            leeway_secs: secs(DEFAULT_LEEWAY),
        }
    }

    /// Verifies against the JWK set served at `jwks_url`, with default fetch settings.
    pub fn remote(jwks_url: Url, issuer: impl Into<String>, audience: impl Into<String>) -> Self {
        Self::remote_with(jwks_url, issuer, audience, RemoteKeySetOptions::default())
    }

    /// [`Self::remote`] with explicit refresh interval, cache age and timeout.
    pub fn remote_with(
        jwks_url: Url,
        issuer: impl Into<String>,
        audience: impl Into<String>,
        options: RemoteKeySetOptions,
    ) -> Self {
        Self {
            keys: KeySource::Remote(Arc::new(RemoteKeySet::new(jwks_url, options))),
            issuer: issuer.into().into(),
            audience: audience.into().into(),
            leeway_secs: secs(DEFAULT_LEEWAY),
        }
    }

    /// Sets the clock leeway for `exp` and `nbf`, capped at [`MAX_LEEWAY`].
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway_secs = secs(leeway.min(MAX_LEEWAY));
        self
    }

    /// Checks `token` and returns its subject. Each rejection is logged at debug with its
    /// reason, never with the token.
    pub async fn verify(&self, token: &str) -> Result<VerifiedToken, VerifyError> {
        let result = self.check(token).await;
        if let Err(error) = &result {
            tracing::debug!(reason = error.code(), "bearer token rejected");
        }
        result
    }

    async fn check(&self, token: &str) -> Result<VerifiedToken, VerifyError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(VerifyError::TooLong);
        }
        let mut parts = token.split('.');
        let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(VerifyError::Malformed);
        };

        let header: Header = decode_json(header_b64)?;
        if header.alg != "EdDSA" {
            return Err(VerifyError::UnsupportedAlgorithm);
        }
        if header.crit.is_some() {
            return Err(VerifyError::UnsupportedCritical);
        }
        let kid = header.kid.ok_or(VerifyError::MissingKid)?;
        if !keys::is_valid_kid(&kid) {
            return Err(VerifyError::InvalidKid);
        }

        let signature = decode_signature(signature_b64)?;
        let key = self.key(&kid).await?;
        // The signing input is the two encoded parts exactly as received (RFC 7515 §5.2 step 8).
        let signing_input = &token[..header_b64.len() + 1 + payload_b64.len()];
        key.verify_strict(signing_input.as_bytes(), &signature)
            .map_err(|_| VerifyError::BadSignature)?;

        let claims: Claims = decode_json(payload_b64)?;
        self.check_claims(claims, now_ms().div_euclid(1000))
    }

    async fn key(&self, kid: &str) -> Result<VerifyingKey, VerifyError> {
        match &self.keys {
            KeySource::InProcess(issuer) => match issuer.published_key(kid).await {
                Ok(Some(key)) => Ok(key),
                Ok(None) => Err(VerifyError::UnknownKid),
                Err(error) => {
                    tracing::error!(%error, code = error.code(), "JWT keys unavailable");
                    Err(VerifyError::KeySetUnavailable)
                }
            },
            KeySource::Remote(remote) => remote.key(kid).await,
        }
    }

    fn check_claims(&self, claims: Claims, now: i64) -> Result<VerifiedToken, VerifyError> {
        let exp = claims.exp.ok_or(VerifyError::MissingExpiry)?;
        if now > exp.saturating_add(self.leeway_secs) {
            return Err(VerifyError::Expired);
        }
        if claims
            .nbf
            .is_some_and(|nbf| now.saturating_add(self.leeway_secs) < nbf)
        {
            return Err(VerifyError::NotYetValid);
        }
        if claims.iss.as_deref() != Some(&*self.issuer) {
            return Err(VerifyError::WrongIssuer);
        }
        let audience_ok = match &claims.aud {
            Some(Audience::One(aud)) => aud == &*self.audience,
            Some(Audience::Many(auds)) => auds.iter().any(|aud| aud == &*self.audience),
            None => false,
        };
        if !audience_ok {
            return Err(VerifyError::WrongAudience);
        }
        let subject = claims
            .sub
            .filter(|sub| !sub.is_empty())
            .ok_or(VerifyError::MissingSubject)?;
        Ok(VerifiedToken {
            subject,
            expires_at: exp,
            email: claims.email,
            name: claims.name,
            email_verified: claims.email_verified,
        })
    }
}

/// The JOSE header fields this verifier reads (RFC 7515 §4.1). `jku`, `jwk`, `x5u` and the like
/// are ignored: keys come only from the configured source.
#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
    crit: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Claims {
    sub: Option<String>,
    iss: Option<String>,
    aud: Option<Audience>,
    exp: Option<i64>,
    nbf: Option<i64>,
    email: Option<String>,
    name: Option<String>,
    #[serde(rename = "emailVerified")]
    email_verified: Option<bool>,
}

/// `aud` is a string or an array of strings (RFC 7519 §4.1.3).
#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

fn decode_json<T: for<'de> Deserialize<'de>>(part: &str) -> Result<T, VerifyError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| VerifyError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| VerifyError::Malformed)
}

fn decode_signature(part: &str) -> Result<Signature, VerifyError> {
    // 64 bytes are 86 base64url characters; anything else cannot be an Ed25519 signature.
    if part.len() != 86 {
        return Err(VerifyError::BadSignature);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| VerifyError::BadSignature)?;
    let bytes: [u8; SIGNATURE_LENGTH] = bytes.try_into().map_err(|_| VerifyError::BadSignature)?;
    Ok(Signature::from_bytes(&bytes))
}

fn secs(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}
