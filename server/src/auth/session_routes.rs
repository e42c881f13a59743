//! Handlers of the session routes: sign-up, sign-in, sign-out, get-session and ok.

use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use super::{
    body::JsonOrFormFields, client::Client, email::normalize_email, error::AuthError,
    origin::check_callback_url, router::AuthState, service::SignUp,
};

/// `GET /ok`: the auth service answers.
pub async fn ok() -> Json<Value> {
    Json(json!({ "ok": true }))
}

/// `POST /sign-up/email`: `{token, user}` and the session cookie (`token` is null when email
/// verification is required before the first sign-in). Mails a verification link when the
/// configuration asks for one, leading on to `callbackURL`.
pub async fn sign_up(
    State(state): State<AuthState>,
    Client(client): Client,
    JsonOrFormFields(body): JsonOrFormFields,
) -> Result<Response, AuthError> {
    let input = SignUp {
        name: body.string("name")?,
        email: body.string("email")?,
        password: body.string("password")?,
        image: body.optional_string("image")?,
        remember_me: body.optional_bool("rememberMe")?.unwrap_or(true),
    };
    let callback_url = body.optional_string("callbackURL")?;
    check_callback_url(callback_url.as_deref(), state.service.config())?;
    let signed_up = state.service.sign_up(input, &client).await?;
    if state.service.config().send_verification_on_sign_up {
        if let Some(recovery) = &state.recovery {
            let user = &signed_up.user;
            recovery.send_verification_in_background(
                &state.service.config().base_url,
                user.id.clone(),
                user.email.clone(),
                user.name.clone(),
                callback_url,
            );
        }
    }
    let body = json!({
        "token": signed_up.session.as_ref().map(|s| s.token.clone()),
        "user": signed_up.user.to_user(),
    });
    Ok(with_cookies(
        Json(body).into_response(),
        signed_up.set_cookie,
    ))
}

/// `POST /sign-in/email`: `{redirect, token, url?, user}` and the session cookie. A user who
/// must verify their email first gets 403 `EMAIL_NOT_VERIFIED` and a fresh verification link.
pub async fn sign_in(
    State(state): State<AuthState>,
    Client(client): Client,
    JsonOrFormFields(body): JsonOrFormFields,
) -> Result<Response, AuthError> {
    let email = body.string("email")?;
    let password = body.string("password")?;
    let remember_me = body.optional_bool("rememberMe")?.unwrap_or(true);
    let callback_url = body.optional_string("callbackURL")?;
    check_callback_url(callback_url.as_deref(), state.service.config())?;

    let signed_in = match state
        .service
        .sign_in(&email, &password, remember_me, &client)
        .await
    {
        Ok(signed_in) => signed_in,
        Err(AuthError::EmailNotVerified) => {
            resend_verification(&state, &email, callback_url).await?;
            return Err(AuthError::EmailNotVerified);
        }
        Err(error) => return Err(error),
    };
    let mut response = json!({
        "redirect": callback_url.is_some(),
        "token": signed_in.session.as_ref().map(|s| s.token.clone()),
        "user": signed_in.user.to_user(),
    });
    if let Some(url) = callback_url {
        response["url"] = Value::String(url);
    }
    Ok(with_cookies(
        Json(response).into_response(),
        signed_in.set_cookie,
    ))
}

/// Mails a fresh verification link to the user who just proved their password but may not sign
/// in before verifying: the first link may be lost or expired. Only reached after the password
/// matched, so it cannot be used to mail strangers.
async fn resend_verification(
    state: &AuthState,
    email: &str,
    callback_url: Option<String>,
) -> Result<(), AuthError> {
    let Some(recovery) = &state.recovery else {
        return Ok(());
    };
    let email = normalize_email(email)?;
    if let Some(found) = state.service.store().user_by_email(&email).await? {
        recovery.send_verification_in_background(
            &state.service.config().base_url,
            found.user.id,
            found.user.email,
            found.user.name,
            callback_url,
        );
    }
    Ok(())
}

/// `POST /sign-out`: deletes the session and expires the cookie; `{success: true}`.
pub async fn sign_out(
    State(state): State<AuthState>,
    headers: HeaderMap,
) -> Result<Response, AuthError> {
    let expire = state.service.sign_out(&headers).await?;
    Ok(with_cookies(
        Json(json!({ "success": true })).into_response(),
        expire,
    ))
}

/// `GET /get-session`: `{session, user}` or `null`, never cached; re-sends the cookie when the
/// session was extended.
pub async fn get_session(
    State(state): State<AuthState>,
    headers: HeaderMap,
) -> Result<Response, AuthError> {
    let current = state.service.current_session(&headers).await?;
    let mut response = match current {
        None => (StatusCode::OK, Json(Value::Null)).into_response(),
        Some(current) => {
            let mut response = Json(&current.data).into_response();
            for hook in &state.session_headers {
                response
                    .headers_mut()
                    .extend(hook.headers(&current.data).await?);
            }
            with_cookies(response, current.set_cookie)
        }
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Appends `Set-Cookie` headers to a response.
pub fn with_cookies(mut response: Response, cookies: Vec<HeaderValue>) -> Response {
    for cookie in cookies {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}
