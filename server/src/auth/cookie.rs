//! The session cookie: `<token>.<base64 HMAC-SHA256(token, secret)>`, URL-encoded, read from
//! the `Cookie` header (a bad signature reads as no cookie) and written as `Set-Cookie`.

use std::fmt;

use axum::http::{header, HeaderMap, HeaderValue};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::Sha256;

use super::config::AuthConfig;

/// What JavaScript's `encodeURIComponent` leaves alone, so the value matches Better Auth's.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// An opaque session token, as stored in `sessions.token`. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// A fresh random token.
    pub fn generate() -> Self {
        Self(crate::db::new_id())
    }

    /// Wraps a token received from a client (e.g. `revoke-session`).
    pub fn from_client(token: String) -> Self {
        Self(token)
    }

    /// The token, for database lookups and the response body.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken([redacted])")
    }
}

/// How long the browser keeps the session cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CookieLifetime {
    /// `Max-Age` = the session lifetime.
    Persistent,
    /// No `Max-Age`: gone when the browser closes (`rememberMe: false`).
    BrowserSession,
}

/// The signed cookie value (before URL-encoding): `token.signature`.
fn signed_value(token: &str, config: &AuthConfig) -> Option<String> {
    let mut mac = mac(config)?;
    mac.update(token.as_bytes());
    let signature = mac.finalize().into_bytes();
    Some(format!("{token}.{}", STANDARD.encode(signature)))
}

/// HMAC accepts keys of any length, so this is `None` for no secret the configuration allows.
fn mac(config: &AuthConfig) -> Option<Hmac<Sha256>> {
    Hmac::<Sha256>::new_from_slice(config.secret.expose()).ok()
}

/// Verifies a signed value and returns its payload; `None` when the signature is wrong.
fn verify(value: &str, config: &AuthConfig) -> Option<String> {
    let (payload, signature) = value.rsplit_once('.')?;
    let signature = STANDARD.decode(signature).ok()?;
    let mut mac = mac(config)?;
    mac.update(payload.as_bytes());
    // Constant-time comparison.
    mac.verify_slice(&signature).ok()?;
    Some(payload.to_owned())
}

/// The raw value of the cookie `name` in the request's `Cookie` headers, if any.
fn find_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The session token of a correctly signed session cookie; `None` when absent or forged.
pub fn read_session_token(headers: &HeaderMap, config: &AuthConfig) -> Option<SessionToken> {
    read_signed(headers, &config.session_cookie_name, config).map(SessionToken)
}

/// Whether the request carries a valid `dont_remember` marker (session without `Max-Age`).
pub fn reads_dont_remember(headers: &HeaderMap, config: &AuthConfig) -> bool {
    read_signed(headers, &config.dont_remember_cookie_name, config).is_some_and(|v| v == "true")
}

fn read_signed(headers: &HeaderMap, name: &str, config: &AuthConfig) -> Option<String> {
    let raw = find_cookie(headers, name)?;
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    verify(&decoded, config)
}

/// `Set-Cookie` headers that store a session in the browser.
pub fn set_session(
    token: &SessionToken,
    lifetime: CookieLifetime,
    config: &AuthConfig,
) -> Vec<HeaderValue> {
    let max_age = match lifetime {
        CookieLifetime::Persistent => Some(config.session_lifetime.as_secs()),
        CookieLifetime::BrowserSession => None,
    };
    let session = signed_value(token.expose(), config)
        .and_then(|value| build(&config.session_cookie_name, &value, max_age, config));
    let marker = match lifetime {
        CookieLifetime::BrowserSession => signed_value("true", config)
            .and_then(|value| build(&config.dont_remember_cookie_name, &value, None, config)),
        CookieLifetime::Persistent => build(&config.dont_remember_cookie_name, "", Some(0), config),
    };
    [session, marker].into_iter().flatten().collect()
}

/// `Set-Cookie` headers that delete the session cookies (`Max-Age=0`).
pub fn expire_session(config: &AuthConfig) -> Vec<HeaderValue> {
    [
        build(&config.session_cookie_name, "", Some(0), config),
        build(&config.dont_remember_cookie_name, "", Some(0), config),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn build(
    name: &str,
    value: &str,
    max_age: Option<u64>,
    config: &AuthConfig,
) -> Option<HeaderValue> {
    let mut cookie = format!("{name}={}", utf8_percent_encode(value, URI_COMPONENT));
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    cookie.push_str("; Path=/; HttpOnly; SameSite=Lax");
    if config.secure_cookies {
        cookie.push_str("; Secure");
    }
    // Names come from validated configuration and values are percent-encoded: always valid.
    HeaderValue::from_str(&cookie).ok()
}
