//! The JWT side of the auth router: `GET /token`, `GET /jwks`, and the `set-auth-jwt` header
//! on a signed-in `get-session`. Keys and signing live in [`crate::jwt`]; this file only
//! connects a session to the issuer.

use app::model::auth::SessionWithUser;
use async_trait::async_trait;
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderName, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Extension, Json, Router,
};
use serde_json::json;

use super::{error::AuthError, router::AuthState, session_routes::with_cookies, SessionHeaders};
use crate::jwt::{self, JwtError, JwtIssuer, TokenSubject};

/// The header through which `get-session` hands the client a fresh JWT (Better Auth's name).
const SET_AUTH_JWT: HeaderName = HeaderName::from_static("set-auth-jwt");

/// `/token` and `/jwks`, to be served inside the one auth router.
pub fn jwt_routes(issuer: JwtIssuer) -> Router<AuthState> {
    Router::new()
        .route("/token", get(token).layer(Extension(issuer.clone())))
        .route("/jwks", get(jwt::jwks).with_state(issuer))
}

/// `GET /token`: `{token}` for the signed-in user; 401 `UNAUTHORIZED` without a session.
async fn token(
    State(state): State<AuthState>,
    Extension(issuer): Extension<JwtIssuer>,
    headers: HeaderMap,
) -> Result<Response, AuthError> {
    let current = state.service.require_session(&headers).await?;
    let token = issuer
        .issue(&subject_of(&current.data))
        .await
        .map_err(internal)?;
    let mut response = Json(json!({ "token": token })).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(with_cookies(response, current.set_cookie))
}

/// Adds `set-auth-jwt: <jwt>` to every signed-in `get-session` response.
pub struct JwtSessionHeader(pub JwtIssuer);

#[async_trait]
impl SessionHeaders for JwtSessionHeader {
    async fn headers(&self, session: &SessionWithUser) -> Result<HeaderMap, AuthError> {
        let token = self.0.issue(&subject_of(session)).await.map_err(internal)?;
        let value = HeaderValue::from_str(&token)
            .map_err(|_| AuthError::Internal("issued JWT is not a header value".to_owned()))?;
        let mut headers = HeaderMap::new();
        headers.insert(SET_AUTH_JWT, value);
        Ok(headers)
    }
}

fn subject_of(session: &SessionWithUser) -> TokenSubject {
    TokenSubject {
        user_id: session.user.id.clone(),
        email: session.user.email.clone(),
        name: session.user.name.clone(),
        email_verified: session.user.email_verified,
    }
}

fn internal(error: JwtError) -> AuthError {
    AuthError::Internal(format!("issuing a JWT: {error}"))
}
