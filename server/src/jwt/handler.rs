//! `GET /api/auth/jwks`: the published key set over HTTP.

use axum::{
    extract::State,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

use super::JwtIssuer;

/// How long verifiers may cache the key set. Short, because a rotation publishes a new key;
/// verifiers that meet an unknown `kid` re-fetch anyway.
const CACHE_CONTROL: &str = "public, max-age=300";

/// `GET /jwks` (mounted under `/api/auth`): `{"keys":[{"kty":"OKP","crv":"Ed25519",
/// "alg":"EdDSA","use":"sig","kid":…,"x":…}]}` with a `Cache-Control` that lets verifiers cache
/// it for five minutes.
pub async fn jwks(State(issuer): State<JwtIssuer>) -> Response {
    match issuer.jwks_json().await {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static(CACHE_CONTROL),
                ),
            ],
            body,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, code = error.code(), "cannot publish the JWT key set");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({
                    "message": "The key set is unavailable. Try again later.",
                    "code": "INTERNAL_SERVER_ERROR",
                })),
            )
                .into_response()
        }
    }
}
