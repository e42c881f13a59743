//! The signed-in user's sessions, as the account page lists them, and ending them. The session
//! tokens stay on the server: the page gets session ids, and [`revoke_session`] looks the token
//! up itself, so no script in the page ever holds a token that could sign someone in.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::error::AppError;

/// The form name of a session's "Revoke" button in the account page's URL codes.
pub const REVOKE_FORM: &str = "revoke-session";
/// The form name of the "Sign out everywhere else" button.
pub const REVOKE_OTHERS_FORM: &str = "revoke-others";

/// One of the user's active sessions, as the account page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSession {
    /// The session's id (not its token).
    pub id: String,
    /// The browser and system, e.g. "Chrome on Linux".
    pub device: String,
    /// The client address the session was created from, if known.
    pub ip_address: Option<String>,
    /// When the user signed in, ISO-8601 UTC.
    pub created_at: String,
    /// When the session was last extended, ISO-8601 UTC.
    pub last_active_at: String,
    /// True for the session of the browser asking.
    pub current: bool,
}

/// The user's active sessions, the current one first, then the most recently active.
#[server(prefix = "/ui", endpoint = "sessions")]
pub async fn list_sessions() -> Result<Vec<AccountSession>, AppError> {
    let current = ssr::require_session().await?;
    let mut sessions: Vec<AccountSession> = ssr::all_sessions()
        .await?
        .into_iter()
        .map(|session| AccountSession {
            current: session.id == current.session.id,
            device: crate::auth::device::device_name(session.user_agent.as_deref()),
            id: session.id,
            ip_address: session.ip_address,
            created_at: session.created_at,
            // LIMITATION: the auth API moves `updatedAt` only when it extends a session (at
            // most once a day), so "last active" is accurate to about a day.
            last_active_at: session.updated_at,
        })
        .collect();
    // ISO-8601 UTC strings of one format sort like the instants they name.
    sessions.sort_by(|a, b| {
        b.current
            .cmp(&a.current)
            .then_with(|| b.last_active_at.cmp(&a.last_active_at))
    });
    Ok(sessions)
}

/// Ends the user's session with this id, which signs that device out. An id that is not one of
/// the user's active sessions changes nothing, as the auth API does for an unknown token.
#[server(prefix = "/ui", endpoint = "revoke-session")]
pub async fn revoke_session(id: String) -> Result<(), AppError> {
    let result = async {
        let sessions = ssr::all_sessions().await?;
        if let Some(session) = sessions.into_iter().find(|session| session.id == id) {
            let body = serde_json::json!({ "token": session.token });
            ssr::call_auth(http::Method::POST, "/api/auth/revoke-session", Some(body)).await?;
        }
        Ok::<(), AppError>(())
    }
    .await;
    ssr::finish_on_account_page(REVOKE_FORM, result)
}

/// Ends every session of the user but the current one.
#[server(prefix = "/ui", endpoint = "revoke-other-sessions")]
pub async fn revoke_other_sessions() -> Result<(), AppError> {
    let body = serde_json::json!({});
    let result = ssr::call_auth(
        http::Method::POST,
        "/api/auth/revoke-other-sessions",
        Some(body),
    )
    .await
    .map(|_| ());
    ssr::finish_on_account_page(REVOKE_OTHERS_FORM, result)
}

#[cfg(feature = "ssr")]
mod ssr {
    pub(super) use crate::auth::functions::ssr::{call_auth, require_session};
    use crate::{
        auth::{
            error::AppError,
            functions::ssr::{back_to_page, done_on_page},
        },
        model::auth::Session,
    };

    /// The user's active sessions as the auth API lists them, tokens included.
    pub async fn all_sessions() -> Result<Vec<Session>, AppError> {
        let body = call_auth(http::Method::GET, "/api/auth/list-sessions", None).await?;
        serde_json::from_slice(&body).map_err(|error| {
            tracing::error!(%error, "list-sessions answered with an unexpected body");
            AppError::Internal
        })
    }

    /// Sends a form posted without JavaScript back to the account page with the outcome.
    pub fn finish_on_account_page(
        form: &str,
        result: Result<(), AppError>,
    ) -> Result<(), AppError> {
        match result {
            Ok(()) => {
                done_on_page("/account", form);
                Ok(())
            }
            Err(error) => Err(back_to_page("/account", form, &[], error)),
        }
    }
}
