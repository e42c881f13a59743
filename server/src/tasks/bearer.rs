//! Who is calling: the user named by a verified `Authorization: Bearer <jwt>` (RFC 6750 §2.1).
//! Cookies are never consulted: the tasks backend trusts bearer JWTs only.

use axum::{extract::FromRequestParts, http::header, http::request::Parts};

use super::{error::TasksError, store, TasksState};

/// A caller whose bearer token verified. Whether its user still exists is not checked: a
/// handler that takes this must check that in its own statement, as the list does (one database
/// round trip instead of two on the busiest route), and toggle-all through the list it answers
/// with. Every other handler takes [`Caller`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bearer {
    /// The token's `sub`.
    pub user_id: String,
}

impl FromRequestParts<TasksState> for Bearer {
    type Rejection = TasksError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &TasksState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer_token(parts)?;
        let verified = state
            .verifier
            .verify(token)
            .await
            .map_err(|_| TasksError::InvalidToken)?;
        Ok(Bearer {
            user_id: verified.subject,
        })
    }
}

/// The authenticated caller: a user whose token verified and whose row still exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The token's `sub`, an existing user's id.
    pub user_id: String,
}

impl FromRequestParts<TasksState> for Caller {
    type Rejection = TasksError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &TasksState,
    ) -> Result<Self, Self::Rejection> {
        let Bearer { user_id } = Bearer::from_request_parts(parts, state).await?;
        // A token outlives a deleted account by up to its lifetime; the row check closes that.
        if !store::user_exists(&state.db, &user_id).await? {
            return Err(user_gone());
        }
        Ok(Caller { user_id })
    }
}

/// The refusal of a verified token whose user no longer exists: the same 401 as any other
/// invalid token.
pub fn user_gone() -> TasksError {
    tracing::debug!("bearer token for a user that no longer exists");
    TasksError::InvalidToken
}

/// The token of the one `Authorization: Bearer` header. No header, or another scheme, is a
/// missing token; several headers, or a header that is not visible ASCII, is an invalid one.
fn bearer_token(parts: &Parts) -> Result<&str, TasksError> {
    let mut values = parts.headers.get_all(header::AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Err(TasksError::MissingToken);
    };
    if values.next().is_some() {
        return Err(TasksError::InvalidToken);
    }
    let value = value.to_str().map_err(|_| TasksError::InvalidToken)?;
    let Some((scheme, token)) = value.split_once(' ') else {
        return Err(TasksError::MissingToken);
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(TasksError::MissingToken);
    }
    let token = token.trim_start_matches(' ');
    if token.is_empty() {
        return Err(TasksError::InvalidToken);
    }
    Ok(token)
}
