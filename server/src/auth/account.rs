//! Account lifecycle on [`AuthService`]: listing and revoking sessions, profile updates,
//! password changes and account deletion. Every operation acts on the signed-in user only.

use axum::http::HeaderValue;

use super::{
    client::ClientInfo,
    cookie::{self, CookieLifetime, SessionToken},
    error::AuthError,
    password::Password,
    service::{millis, validate_name_ref, AuthService, CurrentSession, MAX_IMAGE_LEN},
    store::{NewSession, SessionRow, UserRow},
};
use crate::db::now_ms;

/// The result of a password change.
#[derive(Debug)]
pub struct PasswordChanged {
    pub user: UserRow,
    /// The new session when the other sessions were revoked (then the old one is gone too).
    pub new_session: Option<SessionRow>,
    /// `Set-Cookie` values for the new session, if any.
    pub set_cookie: Vec<HeaderValue>,
}

/// Profile fields to change: `None` leaves a field alone.
#[derive(Debug, Default)]
pub struct ProfileUpdate {
    pub name: Option<String>,
    /// `Some(None)` removes the image.
    pub image: Option<Option<String>>,
}

impl AuthService {
    /// The signed-in user's sessions that have not expired, newest first.
    pub async fn list_sessions(
        &self,
        current: &CurrentSession,
    ) -> Result<Vec<SessionRow>, AuthError> {
        self.store()
            .active_sessions(&current.data.user.id, now_ms())
            .await
    }

    /// Deletes the signed-in user's session with `token`; another user's or an unknown token
    /// deletes nothing and is not an error (so it reveals nothing).
    pub async fn revoke_session(
        &self,
        current: &CurrentSession,
        token: &SessionToken,
    ) -> Result<(), AuthError> {
        self.store()
            .delete_user_session(&current.data.user.id, token)
            .await
    }

    /// Deletes every session of the signed-in user; returns the cookie-expiring headers.
    pub async fn revoke_all_sessions(
        &self,
        current: &CurrentSession,
    ) -> Result<Vec<HeaderValue>, AuthError> {
        self.store()
            .delete_user_sessions(&current.data.user.id, None)
            .await?;
        Ok(cookie::expire_session(self.config()))
    }

    /// Deletes every session of the signed-in user but the current one.
    pub async fn revoke_other_sessions(&self, current: &CurrentSession) -> Result<(), AuthError> {
        self.store()
            .delete_user_sessions(&current.data.user.id, Some(&current.token))
            .await
    }

    /// Changes the signed-in user's name and/or image.
    pub async fn update_profile(
        &self,
        current: &CurrentSession,
        update: ProfileUpdate,
    ) -> Result<(), AuthError> {
        let name = update.name.as_deref().map(validate_name_ref).transpose()?;
        let image = match &update.image {
            Some(Some(image)) if image.len() > MAX_IMAGE_LEN => {
                return Err(AuthError::Validation {
                    field: "image",
                    message: "must be at most 2048 bytes",
                })
            }
            Some(image) => Some(image.as_deref()),
            None => None,
        };
        self.store()
            .update_profile(&current.data.user.id, name, image, now_ms())
            .await
    }

    /// Checks the current password, then stores the new one. With `revoke_others`, every
    /// session ends and a new one is opened for this client.
    pub async fn change_password(
        &self,
        current: &CurrentSession,
        current_password: &str,
        new_password: &str,
        revoke_others: bool,
        client: &ClientInfo,
    ) -> Result<PasswordChanged, AuthError> {
        let new_password = Password::new(new_password, self.config())?;
        let user_id = current.data.user.id.as_str();
        let found = self.confirm_password(user_id, current_password).await?;
        let hash = self.hasher().hash(&new_password).await?;
        let now = now_ms();
        self.store().set_password_hash(user_id, &hash, now).await?;

        let mut changed = PasswordChanged {
            user: found,
            new_session: None,
            set_cookie: Vec::new(),
        };
        if revoke_others {
            // LIMITATION: the password update, the session purge and the new session are three
            // statements, not one transaction; a crash between them leaves the new password
            // stored with the old sessions still open (the user can revoke them again).
            self.store().delete_user_sessions(user_id, None).await?;
            let token = SessionToken::generate();
            let session = NewSession {
                token: &token,
                expires_at: now + millis(self.config().session_lifetime),
                now,
                ip_address: client.ip.map(|ip| ip.to_string()),
                user_agent: client.user_agent.as_deref(),
            };
            changed.new_session = Some(self.store().create_session(user_id, &session).await?);
            changed.set_cookie =
                cookie::set_session(&token, CookieLifetime::Persistent, self.config());
        }
        Ok(changed)
    }

    /// Checks the password, then deletes the user; their accounts, sessions, tasks and one-time
    /// tokens go with them in the same transaction. Returns the cookie-expiring headers.
    pub async fn delete_user(
        &self,
        current: &CurrentSession,
        password: &str,
    ) -> Result<Vec<HeaderValue>, AuthError> {
        let user_id = current.data.user.id.as_str();
        self.confirm_password(user_id, password).await?;
        self.store().delete_user(user_id).await?;
        Ok(cookie::expire_session(self.config()))
    }

    /// The user, when `password` is theirs; `InvalidPassword` otherwise.
    async fn confirm_password(&self, user_id: &str, password: &str) -> Result<UserRow, AuthError> {
        let password = Password::for_verification(password, self.config())
            .map_err(|_| AuthError::InvalidPassword)?;
        let found = self
            .store()
            .user_by_id(user_id)
            .await?
            .ok_or(AuthError::Unauthorized)?;
        let matches = self
            .hasher()
            .verify(&password, found.password_hash.as_deref())
            .await?;
        if matches {
            Ok(found.user)
        } else {
            Err(AuthError::InvalidPassword)
        }
    }
}
