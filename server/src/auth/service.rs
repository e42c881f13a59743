//! `AuthService`: sign-up, sign-in, sign-out and session lookup with sliding expiry, over the
//! auth tables, the password hasher and the one [`AuthConfig`].

use app::model::auth::SessionWithUser;
use axum::http::{HeaderMap, HeaderValue};

use super::{
    client::ClientInfo,
    config::AuthConfig,
    cookie::{self, CookieLifetime, SessionToken},
    email::normalize_email,
    error::AuthError,
    password::Password,
    password_hash::PasswordHasher,
    store::{AuthStore, NewSession, SessionRow, UserRow},
};
use crate::db::{now_ms, Db};

/// The auth service: one per process, shared by the auth router and by any handler that needs
/// the signed-in user.
pub struct AuthService {
    config: AuthConfig,
    store: AuthStore,
    hasher: PasswordHasher,
}

/// A signed-in request's session.
#[derive(Debug)]
pub struct CurrentSession {
    /// The session and its user, as `get-session` returns them.
    pub data: SessionWithUser,
    /// The token from the cookie.
    pub token: SessionToken,
    /// `Set-Cookie` values the response must carry: non-empty when the session was just
    /// extended (sliding expiry), so the browser's cookie moves with the database.
    pub set_cookie: Vec<HeaderValue>,
}

/// What sign-up needs, as received (the service normalises and validates it).
pub struct SignUp {
    pub name: String,
    pub email: String,
    /// Never logged: the type has no `Debug`.
    pub password: String,
    pub image: Option<String>,
    /// `false`: a cookie without `Max-Age`, gone when the browser closes.
    pub remember_me: bool,
}

/// A successful sign-up or sign-in.
#[derive(Debug)]
pub struct SignedIn {
    pub user: UserRow,
    /// `None` after a sign-up that must first verify its email: no session yet.
    pub session: Option<SessionRow>,
    /// The session cookie (empty when there is no session).
    pub set_cookie: Vec<HeaderValue>,
}

/// The longest accepted display name, in characters.
const MAX_NAME_LEN: usize = 256;
/// The longest accepted image URL, in bytes.
pub(super) const MAX_IMAGE_LEN: usize = 2048;

impl AuthService {
    /// The service over `db` with `config`. Hashes the dummy password once (blocking): call at
    /// start-up.
    pub fn new(config: AuthConfig, db: &Db) -> Result<Self, AuthError> {
        let hasher = PasswordHasher::new(config.password_hash)?;
        Ok(Self {
            store: AuthStore::new(db),
            hasher,
            config,
        })
    }

    /// The auth configuration.
    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    /// The auth tables.
    pub fn store(&self) -> &AuthStore {
        &self.store
    }

    /// The password hasher.
    pub fn hasher(&self) -> &PasswordHasher {
        &self.hasher
    }

    /// Creates a user with an email-and-password account and, unless email verification is
    /// required, signs them in with a new session.
    pub async fn sign_up(&self, input: SignUp, client: &ClientInfo) -> Result<SignedIn, AuthError> {
        let name = validate_name(&input.name)?;
        let image = validate_image(input.image)?;
        let email = normalize_email(&input.email)?;
        let password = Password::new(&input.password, &self.config)?;
        // Checked first so that a taken address costs no hash; the unique index still decides
        // races between concurrent sign-ups.
        if self.store.user_by_email(&email).await?.is_some() {
            return Err(AuthError::UserAlreadyExists);
        }
        let hash = self.hasher.hash(&password).await?;

        let now = now_ms();
        let user = UserRow {
            id: crate::db::new_id(),
            name,
            email,
            email_verified: 0,
            image,
            created_at: now,
            updated_at: now,
        };
        let token = SessionToken::generate();
        let new_session = self.new_session(&token, client, now);
        let with_session = !self.config.require_email_verification;
        let session = self
            .store
            .create_user(&user, &hash, with_session.then_some(&new_session))
            .await?;
        let set_cookie = match session {
            Some(_) => cookie::set_session(&token, lifetime(input.remember_me), &self.config),
            None => Vec::new(),
        };
        Ok(SignedIn {
            user,
            session,
            set_cookie,
        })
    }

    /// Checks an email and password and opens a new session. Unknown emails and wrong
    /// passwords fail alike, in the same time.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        remember_me: bool,
        client: &ClientInfo,
    ) -> Result<SignedIn, AuthError> {
        let password = match Password::for_verification(password, &self.config) {
            Ok(password) => password,
            // Over-long input is refused before any hashing, as the same 401: no hash can match.
            Err(_) => return Err(AuthError::InvalidEmailOrPassword),
        };
        // A malformed email is an unknown one: still pay for a hash so timing tells nothing.
        let found = match normalize_email(email) {
            Ok(email) => self.store.user_by_email(&email).await?,
            Err(_) => None,
        };
        let stored_hash = found.as_ref().and_then(|f| f.password_hash.as_deref());
        let matches = self.hasher.verify(&password, stored_hash).await?;
        let Some(found) = found.filter(|_| matches) else {
            return Err(AuthError::InvalidEmailOrPassword);
        };
        if self.config.require_email_verification && found.user.email_verified == 0 {
            return Err(AuthError::EmailNotVerified);
        }

        let token = SessionToken::generate();
        let session = self
            .store
            .create_session(&found.user.id, &self.new_session(&token, client, now_ms()))
            .await?;
        Ok(SignedIn {
            user: found.user,
            session: Some(session),
            set_cookie: cookie::set_session(&token, lifetime(remember_me), &self.config),
        })
    }

    /// Ends the session named by the request's cookie (if any) and returns the `Set-Cookie`
    /// values that expire the cookie.
    pub async fn sign_out(&self, headers: &HeaderMap) -> Result<Vec<HeaderValue>, AuthError> {
        if let Some(token) = cookie::read_session_token(headers, &self.config) {
            self.store.delete_session(&token).await?;
        }
        Ok(cookie::expire_session(&self.config))
    }

    /// The session of a signed-in request, or `None` (no cookie, a forged one, or an unknown or
    /// expired session). Extends the session when it is older than the refresh age; the
    /// returned `set_cookie` must then be sent with the response.
    pub async fn current_session(
        &self,
        headers: &HeaderMap,
    ) -> Result<Option<CurrentSession>, AuthError> {
        let Some(token) = cookie::read_session_token(headers, &self.config) else {
            return Ok(None);
        };
        let Some((mut session, user)) = self.store.session_by_token(&token).await? else {
            tracing::debug!("session cookie names no session");
            return Ok(None);
        };
        let now = now_ms();
        if session.expires_at <= now {
            tracing::debug!("session expired");
            self.store.delete_session(&token).await?;
            return Ok(None);
        }

        let mut set_cookie = Vec::new();
        let refresh_age = millis(self.config.session_refresh_age);
        if now - session.updated_at > refresh_age {
            let expires_at = now + millis(self.config.session_lifetime);
            if !self
                .store
                .extend_session(&session.id, expires_at, now)
                .await?
            {
                return Ok(None);
            }
            session.expires_at = expires_at;
            session.updated_at = now;
            let lifetime = if cookie::reads_dont_remember(headers, &self.config) {
                CookieLifetime::BrowserSession
            } else {
                CookieLifetime::Persistent
            };
            set_cookie = cookie::set_session(&token, lifetime, &self.config);
        }
        Ok(Some(CurrentSession {
            data: SessionWithUser {
                session: session.to_session(),
                user: user.to_user(),
            },
            token,
            set_cookie,
        }))
    }

    /// Like [`AuthService::current_session`], but no session is `Unauthorized`.
    pub async fn require_session(&self, headers: &HeaderMap) -> Result<CurrentSession, AuthError> {
        self.current_session(headers)
            .await?
            .ok_or(AuthError::Unauthorized)
    }

    fn new_session<'a>(
        &self,
        token: &'a SessionToken,
        client: &'a ClientInfo,
        now: i64,
    ) -> NewSession<'a> {
        NewSession {
            token,
            expires_at: now + millis(self.config.session_lifetime),
            now,
            ip_address: client.ip.map(|ip| ip.to_string()),
            user_agent: client.user_agent.as_deref(),
        }
    }
}

fn lifetime(remember_me: bool) -> CookieLifetime {
    if remember_me {
        CookieLifetime::Persistent
    } else {
        CookieLifetime::BrowserSession
    }
}

pub(super) fn millis(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

fn validate_name(name: &str) -> Result<String, AuthError> {
    validate_name_ref(name).map(str::to_owned)
}

/// A display name, trimmed: not empty, at most [`MAX_NAME_LEN`] characters.
pub(super) fn validate_name_ref(name: &str) -> Result<&str, AuthError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AuthError::Validation {
            field: "name",
            message: "must not be empty",
        });
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(AuthError::Validation {
            field: "name",
            message: "must be at most 256 characters",
        });
    }
    Ok(name)
}

fn validate_image(image: Option<String>) -> Result<Option<String>, AuthError> {
    match image {
        Some(image) if image.len() > MAX_IMAGE_LEN => Err(AuthError::Validation {
            field: "image",
            message: "must be at most 2048 bytes",
        }),
        other => Ok(other),
    }
}
