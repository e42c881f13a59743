//! Email verification: `POST /send-verification-email` mails a one-time link, and
//! `GET /verify-email` (the link itself) marks the address verified.

use axum::{
    extract::{RawQuery, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Extension, Json,
};
use serde_json::json;
use url::form_urlencoded;

use super::{
    body::JsonFields,
    email::normalize_email,
    error::AuthError,
    origin::check_callback_url,
    recovery::{site_url, with_query_param, Recovery},
    router::AuthState,
};
use crate::{db::now_ms, verification::Redemption};

/// `POST /send-verification-email` `{email, callbackURL?}`: `{status: true}` for every
/// well-formed address. When the address has an account that is not verified yet, a link to
/// `/api/auth/verify-email?token=…&callbackURL=…` is mailed; an unknown or already verified
/// address gets nothing, with the same answer in the same time.
pub async fn send_verification_email(
    State(state): State<AuthState>,
    Extension(recovery): Extension<Recovery>,
    JsonFields(body): JsonFields,
) -> Result<Json<serde_json::Value>, AuthError> {
    let email = body.string("email")?;
    let callback_url = body.optional_string("callbackURL")?;
    let config = state.service.config();
    check_callback_url(callback_url.as_deref(), config)?;
    let email = normalize_email(&email)?;

    // LIMITATION: as in Better Auth, anyone may ask for a link to be mailed to any unverified
    // address; only the per-client rate limit (3 per minute by default) bounds how often.
    match state.service.store().user_by_email(&email).await? {
        Some(found) if found.user.email_verified == 0 => {
            recovery.send_verification_in_background(
                &config.base_url,
                found.user.id,
                found.user.email,
                found.user.name,
                callback_url,
            );
        }
        Some(_) => tracing::debug!("verification email asked for a verified address"),
        None => tracing::debug!("verification email asked for an address without an account"),
    }
    Ok(Json(json!({ "status": true })))
}

/// `GET /verify-email?token=…&callbackURL=…`: marks the token's user verified and answers
/// `{status: true}`, or 302 to `callbackURL` when one is given. A used or unknown token is
/// 401 `INVALID_TOKEN`, an expired one 401 `TOKEN_EXPIRED`; with a `callbackURL` the browser
/// is sent there instead, with `?error=INVALID_TOKEN` or `?error=TOKEN_EXPIRED` added, so
/// that someone who clicked the link lands on a page rather than a JSON error.
pub async fn verify_email(
    State(state): State<AuthState>,
    Extension(recovery): Extension<Recovery>,
    RawQuery(query): RawQuery,
) -> Result<Response, AuthError> {
    let mut token = None;
    let mut callback_url = None;
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "token" => token = Some(value.into_owned()),
            "callbackURL" => callback_url = Some(value.into_owned()),
            _ => {}
        }
    }
    let config = state.service.config();
    check_callback_url(callback_url.as_deref(), config)?;
    let token = token
        .filter(|t| !t.is_empty())
        .ok_or(AuthError::Validation {
            field: "token",
            message: "required",
        })?;

    let outcome = match recovery.store.verify_email(&token, now_ms()).await? {
        Redemption::Valid { .. } => Ok(()),
        Redemption::Expired => Err(AuthError::VerificationTokenExpired),
        Redemption::Invalid => Err(AuthError::InvalidVerificationToken),
    };
    let Some(callback_url) = callback_url else {
        return outcome.map(|()| Json(json!({ "status": true })).into_response());
    };
    let location = match &outcome {
        Ok(()) => site_url(&config.base_url, &callback_url).map(String::from),
        Err(error) => {
            tracing::debug!(
                code = error.code(),
                "verification link refused; redirecting"
            );
            with_query_param(&config.base_url, &callback_url, "error", error.code())
        }
    };
    // The callback passed the check above, so it parses; without a target, answer directly.
    let Some(location) = location.and_then(|l| HeaderValue::from_str(&l).ok()) else {
        return outcome.map(|()| Json(json!({ "status": true })).into_response());
    };
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}
