//! THE one place that obtains a JWT: the `get_auth_token` server function, which asks the auth
//! router in-process (`GET /api/auth/token`) with the caller's session cookie.

use std::fmt;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::AppError;

/// A signed JWT for the tasks API. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AuthToken(String);

impl AuthToken {
    /// Wraps a token value.
    pub fn new(value: String) -> Self {
        AuthToken(value)
    }

    /// The token itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthToken([redacted])")
    }
}

/// A token and the time it expires, in Unix seconds (its `exp` claim).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenGrant {
    /// The JWT.
    pub token: AuthToken,
    /// The token's `exp` claim.
    pub expires_at: i64,
}

/// Obtains a JWT for the signed-in caller. Fails with code `UNAUTHORIZED` without a session.
#[server(prefix = "/ui", endpoint = "token")]
pub async fn get_auth_token() -> Result<TokenGrant, AppError> {
    #[derive(Deserialize)]
    struct TokenBody {
        token: String,
    }

    let body =
        crate::auth::functions::ssr::call_auth(http::Method::GET, "/api/auth/token", None).await?;
    let TokenBody { token } = serde_json::from_slice(&body).map_err(|error| {
        tracing::error!(%error, "the token endpoint answered with an unexpected body");
        AppError::Internal
    })?;
    let expires_at = ssr::expiry(&token).ok_or_else(|| {
        tracing::error!("the token endpoint issued a token without a readable exp claim");
        AppError::Internal
    })?;
    Ok(TokenGrant {
        token: AuthToken::new(token),
        expires_at,
    })
}

#[cfg(feature = "ssr")]
mod ssr {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

    /// The `exp` claim of a JWT, read without verifying it: the token was just issued by this
    /// server's own issuer, and the expiry is used only to decide when to ask for a new one.
    pub fn expiry(jwt: &str) -> Option<i64> {
        let payload = jwt.split('.').nth(1)?;
        let json = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let claims: serde_json::Value = serde_json::from_slice(&json).ok()?;
        claims.get("exp")?.as_i64()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn expiry_reads_the_exp_claim_of_the_payload() {
            let payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"u1","exp":1767225600}"#);
            let jwt = format!("eyJhbGciOiJFZERTQSJ9.{payload}.c2ln");
            assert_eq!(expiry(&jwt), Some(1_767_225_600));
        }

        #[test]
        fn expiry_of_a_token_without_exp_is_none() {
            let payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"u1"}"#);
            assert_eq!(expiry(&format!("h.{payload}.s")), None);
            assert_eq!(expiry("not-a-jwt"), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_token_hides_its_value() {
        let token = AuthToken::new("eyJ.secret.sig".into());
        assert_eq!(format!("{token:?}"), "AuthToken([redacted])");
    }
}
