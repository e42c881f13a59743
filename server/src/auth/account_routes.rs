//! Handlers of the account lifecycle routes: list and revoke sessions, update the user, change
//! the password, delete the user. Each answers 401 `UNAUTHORIZED` without a session.

use axum::{
    extract::State,
    http::HeaderMap,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

use super::{
    account::ProfileUpdate, body::JsonFields, client::Client, cookie::SessionToken,
    error::AuthError, router::AuthState, session_routes::with_cookies,
};

/// `GET /list-sessions`: the user's active sessions.
pub async fn list_sessions(
    State(state): State<AuthState>,
    headers: HeaderMap,
) -> Result<Response, AuthError> {
    let current = state.service.require_session(&headers).await?;
    let sessions: Vec<_> = state
        .service
        .list_sessions(&current)
        .await?
        .iter()
        .map(|row| row.to_session())
        .collect();
    Ok(with_cookies(
        Json(sessions).into_response(),
        current.set_cookie,
    ))
}

/// `POST /revoke-session` `{token}`: `{status: true}`, also for an unknown or foreign token.
pub async fn revoke_session(
    State(state): State<AuthState>,
    headers: HeaderMap,
    JsonFields(body): JsonFields,
) -> Result<Response, AuthError> {
    let current = state.service.require_session(&headers).await?;
    let token = SessionToken::from_client(body.string("token")?);
    state.service.revoke_session(&current, &token).await?;
    Ok(with_cookies(
        Json(json!({ "status": true })).into_response(),
        current.set_cookie,
    ))
}

/// `POST /revoke-sessions`: every session ends, the cookie is expired.
pub async fn revoke_sessions(
    State(state): State<AuthState>,
    headers: HeaderMap,
) -> Result<Response, AuthError> {
    let current = state.service.require_session(&headers).await?;
    let expire = state.service.revoke_all_sessions(&current).await?;
    Ok(with_cookies(
        Json(json!({ "status": true })).into_response(),
        expire,
    ))
}

/// `POST /revoke-other-sessions`: every session but this one ends.
pub async fn revoke_other_sessions(
    State(state): State<AuthState>,
    headers: HeaderMap,
) -> Result<Response, AuthError> {
    let current = state.service.require_session(&headers).await?;
    state.service.revoke_other_sessions(&current).await?;
    Ok(with_cookies(
        Json(json!({ "status": true })).into_response(),
        current.set_cookie,
    ))
}

/// `POST /update-user` `{name?, image?}`: `{status: true}`; sending `email` is refused.
pub async fn update_user(
    State(state): State<AuthState>,
    headers: HeaderMap,
    JsonFields(body): JsonFields,
) -> Result<Response, AuthError> {
    let current = state.service.require_session(&headers).await?;
    if body.contains("email") {
        return Err(AuthError::EmailCannotBeUpdated);
    }
    let update = ProfileUpdate {
        name: body.optional_string("name")?,
        image: if body.is_null("image") {
            Some(None)
        } else {
            body.optional_string("image")?.map(Some)
        },
    };
    state.service.update_profile(&current, update).await?;
    Ok(with_cookies(
        Json(json!({ "status": true })).into_response(),
        current.set_cookie,
    ))
}

/// `POST /change-password` `{currentPassword, newPassword, revokeOtherSessions?}`:
/// `{token, user}`; `token` is the new session's when the other sessions were revoked.
pub async fn change_password(
    State(state): State<AuthState>,
    Client(client): Client,
    headers: HeaderMap,
    JsonFields(body): JsonFields,
) -> Result<Response, AuthError> {
    let current = state.service.require_session(&headers).await?;
    let current_password = body.string("currentPassword")?;
    let new_password = body.string("newPassword")?;
    let revoke_others = body.optional_bool("revokeOtherSessions")?.unwrap_or(false);
    let changed = state
        .service
        .change_password(
            &current,
            &current_password,
            &new_password,
            revoke_others,
            &client,
        )
        .await?;
    let body = json!({
        "token": changed.new_session.as_ref().map(|s| s.token.clone()),
        "user": changed.user.to_user(),
    });
    let cookies = if revoke_others {
        changed.set_cookie
    } else {
        current.set_cookie
    };
    Ok(with_cookies(Json(body).into_response(), cookies))
}

/// `POST /delete-user` `{password}`: `{success: true, message: "User deleted"}`; the cookie is
/// expired.
pub async fn delete_user(
    State(state): State<AuthState>,
    headers: HeaderMap,
    JsonFields(body): JsonFields,
) -> Result<Response, AuthError> {
    let current = state.service.require_session(&headers).await?;
    let password = body.string("password")?;
    let expire = state.service.delete_user(&current, &password).await?;
    Ok(with_cookies(
        Json(json!({ "success": true, "message": "User deleted" })).into_response(),
        expire,
    ))
}
