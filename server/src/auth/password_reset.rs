//! Password reset: `POST /request-password-reset` mails a one-time link to the app's reset
//! page, `POST /reset-password` trades the link's token and a new password for a new hash and
//! the end of every session of the user.

use std::time::Duration;

use axum::{extract::State, Extension, Json};
use serde_json::{json, Value};

use super::{
    body::JsonFields,
    email::normalize_email,
    error::AuthError,
    origin::check_callback_url,
    password::Password,
    recovery::{site_link, with_query_param, Recovery},
    router::AuthState,
};
use crate::{db::now_ms, mail, verification::Purpose};

/// How long a reset link works.
const RESET_TOKEN_TTL: Duration = Duration::from_secs(3600);

/// The app page that reads `token` from its query and asks for the new password; the link
/// opens it unless the request named another page in `redirectTo`.
const RESET_PAGE_PATH: &str = "/reset-password";

/// The answer to every accepted reset request, whether or not the address has an account.
const RESET_REQUESTED: &str =
    "If this email exists in our system, check your email for the reset link";

/// `POST /request-password-reset` `{email, redirectTo?}`: `{status: true, message}` for every
/// well-formed address. When the address has an account, a link to
/// `<redirectTo or /reset-password>?token=…` is mailed (a relative `redirectTo` is taken
/// from the base URL). That is where Better Auth's own link ends up after its redirect.
pub async fn request_password_reset(
    State(state): State<AuthState>,
    Extension(recovery): Extension<Recovery>,
    JsonFields(body): JsonFields,
) -> Result<Json<Value>, AuthError> {
    let email = body.string("email")?;
    let redirect_to = body.optional_string("redirectTo")?;
    let config = state.service.config();
    check_callback_url(redirect_to.as_deref(), config)?;
    let page = redirect_to.unwrap_or_else(|| RESET_PAGE_PATH.to_owned());
    if with_query_param(&config.base_url, &page, "token", "").is_none() {
        return Err(AuthError::InvalidCallbackUrl);
    }
    let email = normalize_email(&email)?;

    // Known and unknown addresses do the same work until the answer leaves: one lookup. The
    // token and the mail are made on a background task, so neither the database write nor
    // the delivery shows in the response time.
    // LIMITATION: a known address still costs the spawning of that task (microseconds), and
    // the lookup itself may take slightly longer when a row is found; no padding hides that.
    match state.service.store().user_by_email(&email).await? {
        Some(found) => {
            let base_url = config.base_url.clone();
            let name = found.user.name.clone();
            recovery.send_link_in_background(
                Purpose::ResetPassword,
                found.user.id.clone(),
                RESET_TOKEN_TTL,
                move |token| {
                    // `page` was seen to parse above; the fallback only keeps this total.
                    let link = with_query_param(&base_url, &page, "token", token.as_str())
                        .unwrap_or_else(|| {
                            site_link(&base_url, RESET_PAGE_PATH, &[("token", token.as_str())])
                        });
                    mail::password_reset(&email, &name, &link)
                },
            );
        }
        None => tracing::debug!("password reset asked for an address without an account"),
    }
    Ok(Json(json!({ "status": true, "message": RESET_REQUESTED })))
}

/// `POST /reset-password` `{newPassword, token}`: `{status: true}`. The new password follows
/// the sign-up policy; the token works once, for an hour. On success every session of the
/// user is deleted and their other reset links stop working. An unknown, used or expired
/// token is 400 `INVALID_TOKEN`.
pub async fn reset_password(
    State(state): State<AuthState>,
    Extension(recovery): Extension<Recovery>,
    JsonFields(body): JsonFields,
) -> Result<Json<Value>, AuthError> {
    let new_password = body.string("newPassword")?;
    let token = body.string("token")?;
    // Checked before the token is spent, so a refused password leaves the link usable.
    let password = Password::new(&new_password, state.service.config())?;
    // Hashed before the token is spent too, so a busy hasher leaves the link usable. An
    // unknown token then costs a hash, as an unknown email does at sign-in.
    let hash = state.service.hasher().hash(&password).await?;

    if recovery
        .store
        .reset_password(&token, &hash, now_ms())
        .await?
    {
        Ok(Json(json!({ "status": true })))
    } else {
        Err(AuthError::InvalidResetToken)
    }
}
