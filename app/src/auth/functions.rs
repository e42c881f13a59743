//! The auth server functions the pages call. None of them implements auth: each forwards the
//! auth contract's JSON request to the one auth router in-process (see [`crate::backend`]) and
//! relays its `Set-Cookie` headers, so the session cookie is set exactly as `/api/auth/*` sets it.

use leptos::prelude::*;

use crate::{auth::error::AppError, model::auth::User};

/// Creates an account, signs the new user in and redirects to `next` (when it is a local path)
/// or `/tasks`. A form posted without JavaScript that fails is sent back to `/sign-up` with the
/// error code in the query.
#[server(prefix = "/ui", endpoint = "sign-up")]
pub async fn sign_up(
    name: String,
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let body = serde_json::json!({ "name": name.trim(), "email": email, "password": password });
    match ssr::call_auth(http::Method::POST, "/api/auth/sign-up/email", Some(body)).await {
        Ok(_) => ssr::redirect_after_sign_in(next.as_deref()),
        Err(error) => Err(ssr::back_to_form("/sign-up", next.as_deref(), error)),
    }
}

/// Signs a user in with email and password and redirects like [`sign_up`]. A form posted
/// without JavaScript that fails is sent back to `/sign-in` with the error code in the query.
#[server(prefix = "/ui", endpoint = "sign-in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let body = serde_json::json!({ "email": email, "password": password });
    match ssr::call_auth(http::Method::POST, "/api/auth/sign-in/email", Some(body)).await {
        Ok(_) => ssr::redirect_after_sign_in(next.as_deref()),
        Err(error) => Err(ssr::back_to_form("/sign-in", next.as_deref(), error)),
    }
}

/// Ends the current session (the auth API expires the cookie) and redirects to the home page.
#[server(prefix = "/ui", endpoint = "sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    let body = serde_json::json!({});
    ssr::call_auth(http::Method::POST, "/api/auth/sign-out", Some(body)).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// The signed-in user, or `None` for a visitor without a valid session.
#[server(prefix = "/ui", endpoint = "current-user")]
pub async fn current_user() -> Result<Option<User>, AppError> {
    let body = ssr::call_auth(http::Method::GET, "/api/auth/get-session", None).await?;
    let session: Option<crate::model::auth::SessionWithUser> = serde_json::from_slice(&body)
        .map_err(|error| {
            tracing::error!(%error, "get-session answered with an unexpected body");
            AppError::Internal
        })?;
    Ok(session.map(|session| session.user))
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use axum::body::{Body, Bytes};
    use http::{header, Method, Request};

    use crate::{
        auth::{
            error::AppError,
            next::{encode_query_value, safe_next},
        },
        model::ErrorBody,
        relay::{call_api, is_native_form_post},
    };

    /// Calls an auth route in-process; a non-2xx answer becomes the [`AppError`] it carries.
    pub async fn call_auth(
        method: Method,
        path: &'static str,
        json: Option<serde_json::Value>,
    ) -> Result<Bytes, AppError> {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::ACCEPT, "application/json");
        let body = match json {
            Some(value) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(value.to_string())
            }
            None => Body::empty(),
        };
        let request = builder.body(body).map_err(|error| {
            tracing::error!(%error, path, "cannot build the auth request");
            AppError::Internal
        })?;

        let reply = call_api(request).await.map_err(|error| {
            tracing::error!(%error, path, "in-process auth call failed");
            AppError::Internal
        })?;
        if reply.status.is_success() {
            return Ok(reply.body);
        }
        answer_server_function_with(reply.status);
        match serde_json::from_slice::<ErrorBody>(&reply.body) {
            Ok(body) => {
                tracing::debug!(path, code = %body.code, "auth request refused");
                Err(AppError::from_body(body))
            }
            Err(_) => {
                tracing::error!(path, status = %reply.status, "auth error without an error body");
                Err(AppError::Internal)
            }
        }
    }

    /// When the request being handled is a server function call (`/ui/*`), answers it with
    /// the auth API's refusal status (400, 401, 403, 422, 429…) instead of the default 500: a
    /// wrong password is the user's mistake, not a server error. Page rendering keeps its own
    /// status. A redirect set afterwards (native form posts) still wins.
    fn answer_server_function_with(status: http::StatusCode) {
        let is_server_function = leptos::prelude::use_context::<http::request::Parts>()
            .is_some_and(|parts| parts.uri.path().starts_with("/ui/"));
        if is_server_function {
            if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                options.set_status(status);
            }
        }
    }

    /// Redirects to `next` when it is a local path, else to `/tasks`.
    pub fn redirect_after_sign_in(next: Option<&str>) -> Result<(), AppError> {
        leptos_axum::redirect(safe_next(next));
        Ok(())
    }

    /// For a form posted without JavaScript, redirects to `page?form=<form>&error=<code>`
    /// followed by the `keep` query pairs, so the page shows the error on the right form of
    /// several; returns `error` for the server function's answer either way.
    pub fn back_to_page(
        page: &str,
        form: &str,
        keep: &[(&str, &str)],
        error: AppError,
    ) -> AppError {
        if is_native_form_post() {
            let mut pairs = vec![("form", form), ("error", error.code())];
            pairs.extend_from_slice(keep);
            leptos_axum::redirect(&page_url(page, &pairs));
        }
        error
    }

    /// For a form posted without JavaScript, redirects to `page?done=<form>` so the page shows
    /// the form's success message. A request sent by the hydrated page gets its answer instead.
    pub fn done_on_page(page: &str, form: &str) {
        if is_native_form_post() {
            leptos_axum::redirect(&page_url(page, &[("done", form)]));
        }
    }

    /// `page` with the query `pairs`, each value percent-encoded.
    pub fn page_url(page: &str, pairs: &[(&str, &str)]) -> String {
        let query: Vec<String> = pairs
            .iter()
            .map(|(name, value)| format!("{name}={}", encode_query_value(value)))
            .collect();
        if query.is_empty() {
            page.to_owned()
        } else {
            format!("{page}?{}", query.join("&"))
        }
    }

    /// The signed-in user and session, or [`AppError`] `UNAUTHORIZED` without one.
    pub async fn require_session() -> Result<crate::model::auth::SessionWithUser, AppError> {
        let body = call_auth(Method::GET, "/api/auth/get-session", None).await?;
        let session: Option<crate::model::auth::SessionWithUser> = serde_json::from_slice(&body)
            .map_err(|error| {
                tracing::error!(%error, "get-session answered with an unexpected body");
                AppError::Internal
            })?;
        session.ok_or_else(|| AppError::from_code("UNAUTHORIZED"))
    }

    /// For a form posted without JavaScript, redirects back to `form_path` with `error=<code>`
    /// (and the `next` it came with) so the page can show the message; returns `error` for the
    /// server function's answer either way.
    pub fn back_to_form(form_path: &str, next: Option<&str>, error: AppError) -> AppError {
        if is_native_form_post() {
            let mut location = format!("{form_path}?error={}", encode_query_value(error.code()));
            if let Some(next) = next.filter(|next| !next.is_empty()) {
                location.push_str("&next=");
                location.push_str(&encode_query_value(next));
            }
            leptos_axum::redirect(&location);
        }
        error
    }
}
