//! Cross-site request checks: a cookie-bearing request that changes state must come from the
//! site's own origin or a trusted one, and redirect targets must stay on trusted origins.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use url::Url;

use super::{config::AuthConfig, error::AuthError, router::AuthState};

/// Middleware: refuses non-GET requests that carry a `Cookie` header unless their `Origin`
/// (or, without one, `Referer`) is trusted. Always on.
pub async fn require_trusted_origin(
    State(state): State<AuthState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && request.headers().contains_key(header::COOKIE) {
        if let Err(error) = check_request_origin(request.headers(), state.service.config()) {
            return error.into_response();
        }
    }
    next.run(request).await
}

fn check_request_origin(headers: &HeaderMap, config: &AuthConfig) -> Result<(), AuthError> {
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && *v != "null");
    let Some(claimed) = claimed else {
        return Err(AuthError::MissingOrNullOrigin);
    };
    let origin = Url::parse(claimed)
        .map(|url| url.origin().ascii_serialization())
        .map_err(|_| AuthError::InvalidOrigin)?;
    if config.is_trusted_origin(&origin) {
        Ok(())
    } else {
        Err(AuthError::InvalidOrigin)
    }
}

/// Checks a `callbackURL` / `redirectTo`: a path on this site (`/…`, not `//…`) or an absolute
/// URL on a trusted origin.
pub fn check_callback_url(url: Option<&str>, config: &AuthConfig) -> Result<(), AuthError> {
    let Some(url) = url else {
        return Ok(());
    };
    if is_relative_path(url) {
        return Ok(());
    }
    match Url::parse(url) {
        Ok(parsed)
            if matches!(parsed.scheme(), "http" | "https")
                && config.is_trusted_origin(&parsed.origin().ascii_serialization()) =>
        {
            Ok(())
        }
        _ => Err(AuthError::InvalidCallbackUrl),
    }
}

/// `/path` but not `//host` or `/\host` (browsers read both as another host).
fn is_relative_path(url: &str) -> bool {
    url.starts_with('/')
        && !url.starts_with("//")
        && !url.starts_with("/\\")
        && !url.chars().any(char::is_control)
}
