//! Content-Security-Policy: every response gets the header, with a fresh nonce per request; the
//! Leptos renderer puts the same nonce on the inline scripts it writes (hydration, live reload),
//! so those run and nothing else inline does.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use leptos::prelude::{provide_context, use_context};
use rand::RngCore;

/// The nonce of one request, kept in the request's extensions for the renderer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspNonce(Arc<str>);

impl CspNonce {
    /// 128 random bits, base64url without padding (the characters a CSP nonce allows).
    pub fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes).into())
    }

    /// The nonce as it appears in `'nonce-…'` and in `nonce="…"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The site's policy, fixed at start-up; only the nonce changes per request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentSecurityPolicy {
    connect_src: String,
}

impl ContentSecurityPolicy {
    /// The policy for a server whose pages may only talk to their own origin, plus the
    /// live-reload websocket of `cargo leptos watch` when `live_reload` names its host and port.
    pub fn new(live_reload: Option<(&str, u32)>) -> Self {
        let connect_src = match live_reload {
            Some((host, port)) => format!("'self' ws://{host}:{port}"),
            None => "'self'".to_owned(),
        };
        Self { connect_src }
    }

    /// The header value for one response.
    pub fn header_value(&self, nonce: &CspNonce) -> String {
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; connect-src {connect}; \
             frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
            nonce = nonce.as_str(),
            connect = self.connect_src,
        )
    }
}

/// Middleware: gives the request a nonce and the response the policy carrying it (unless the
/// handler set its own policy).
pub async fn apply(
    State(policy): State<ContentSecurityPolicy>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = CspNonce::generate();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    if !response
        .headers()
        .contains_key(header::CONTENT_SECURITY_POLICY)
    {
        // A nonce is base64url and the rest is fixed ASCII, so the value is always valid.
        if let Ok(value) = HeaderValue::from_str(&policy.header_value(&nonce)) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

/// Makes this request's nonce the one Leptos writes on its inline scripts. Call it in the
/// rendering context of a page (where `leptos_axum` has provided the request parts); outside
/// one, or for a request the middleware did not see, Leptos keeps its own nonce.
pub fn provide_to_leptos() {
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_22_base64url_characters_and_differ_per_request() {
        let first = CspNonce::generate();
        let second = CspNonce::generate();
        assert_eq!(first.as_str().len(), 22);
        assert!(first
            .as_str()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(first, second);
    }

    #[test]
    fn watch_mode_allows_the_live_reload_websocket_and_nothing_else_extra() {
        let nonce = CspNonce("abc".into());
        assert_eq!(
            ContentSecurityPolicy::new(Some(("127.0.0.1", 3001))).header_value(&nonce),
            "default-src 'self'; script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:3001; \
             frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
        );
        assert!(ContentSecurityPolicy::new(None)
            .header_value(&nonce)
            .contains("connect-src 'self'; frame-ancestors"));
    }
}
