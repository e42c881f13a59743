//! The auth tables (`users`, `accounts`, `sessions`) as queries that run unchanged on SQLite and
//! PostgreSQL. Every write that can race is a single statement or a transaction whose first
//! statement is the write, so SQLite never has to upgrade a read lock.

use app::model::auth::{Session, User};
use sqlx::{AnyPool, FromRow};

use super::{cookie::SessionToken, error::AuthError};
use crate::{
    db::{iso8601, Db},
    verification::Purpose,
};

/// The `provider_id` of email-and-password accounts (Better Auth's name for it).
const CREDENTIAL_PROVIDER: &str = "credential";

/// A `users` row.
#[derive(Clone, Debug, FromRow)]
pub struct UserRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub email_verified: i64,
    pub image: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl UserRow {
    /// The contract's user object.
    pub fn to_user(&self) -> User {
        User {
            id: self.id.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            email_verified: self.email_verified != 0,
            image: self.image.clone(),
            created_at: iso8601(self.created_at),
            updated_at: iso8601(self.updated_at),
        }
    }
}

/// A `sessions` row.
#[derive(Clone, Debug, FromRow)]
pub struct SessionRow {
    pub id: String,
    pub token: String,
    pub user_id: String,
    pub expires_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
}

impl SessionRow {
    /// The contract's session object.
    pub fn to_session(&self) -> Session {
        Session {
            id: self.id.clone(),
            token: self.token.clone(),
            user_id: self.user_id.clone(),
            expires_at: iso8601(self.expires_at),
            created_at: iso8601(self.created_at),
            updated_at: iso8601(self.updated_at),
            ip_address: self.ip_address.clone(),
            user_agent: self.user_agent.clone(),
        }
    }
}

/// A user with the password hash of their credential account (if they have one).
#[derive(Debug, FromRow)]
pub struct UserWithPassword {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub password_hash: Option<String>,
}

/// A session to insert.
pub struct NewSession<'a> {
    pub token: &'a SessionToken,
    pub expires_at: i64,
    pub now: i64,
    pub ip_address: Option<String>,
    pub user_agent: Option<&'a str>,
}

const USER_COLUMNS: &str =
    "u.id, u.name, u.email, u.email_verified, u.image, u.created_at, u.updated_at";
const SESSION_COLUMNS: &str = "id, token, user_id, expires_at, created_at, updated_at, \
                               ip_address, user_agent";

/// The auth tables.
#[derive(Clone, Debug)]
pub struct AuthStore {
    pool: AnyPool,
}

impl AuthStore {
    /// Queries over `db`'s pool.
    pub fn new(db: &Db) -> Self {
        Self {
            pool: db.pool.clone(),
        }
    }

    /// The user with this (normalised) email and their password hash.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserWithPassword>, AuthError> {
        sqlx::query_as::<_, UserWithPassword>(&format!(
            "SELECT {USER_COLUMNS}, a.password_hash FROM users u \
             LEFT JOIN accounts a ON a.user_id = u.id AND a.provider_id = $1 \
             WHERE u.email = $2"
        ))
        .bind(CREDENTIAL_PROVIDER)
        .bind(email)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| AuthError::database("find user by email", e))
    }

    /// The user with this id and their password hash.
    pub async fn user_by_id(&self, id: &str) -> Result<Option<UserWithPassword>, AuthError> {
        sqlx::query_as::<_, UserWithPassword>(&format!(
            "SELECT {USER_COLUMNS}, a.password_hash FROM users u \
             LEFT JOIN accounts a ON a.user_id = u.id AND a.provider_id = $1 \
             WHERE u.id = $2"
        ))
        .bind(CREDENTIAL_PROVIDER)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| AuthError::database("find user by id", e))
    }

    /// Creates a user, their credential account and a first session in one transaction.
    /// A second user with the same email loses on the unique index: `UserAlreadyExists`.
    pub async fn create_user(
        &self,
        user: &UserRow,
        password_hash: &str,
        session: Option<&NewSession<'_>>,
    ) -> Result<Option<SessionRow>, AuthError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| AuthError::database("begin sign-up", e))?;
        // The first statement writes: on SQLite the transaction takes the write lock at once
        // (waiting on the busy timeout) instead of failing a read-to-write upgrade.
        sqlx::query(
            "INSERT INTO users (id, name, email, email_verified, image, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&user.id)
        .bind(&user.name)
        .bind(&user.email)
        .bind(user.email_verified)
        .bind(user.image.as_deref())
        .bind(user.created_at)
        .bind(user.updated_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| unique_violation_or(e, AuthError::UserAlreadyExists, "insert user"))?;
        sqlx::query(
            "INSERT INTO accounts (id, user_id, provider_id, account_id, password_hash, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(crate::db::new_id())
        .bind(&user.id)
        .bind(CREDENTIAL_PROVIDER)
        .bind(&user.id)
        .bind(password_hash)
        .bind(user.created_at)
        .bind(user.updated_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| AuthError::database("insert account", e))?;
        let session = match session {
            Some(session) => Some(insert_session(&mut tx, &user.id, session).await?),
            None => None,
        };
        tx.commit()
            .await
            .map_err(|e| unique_violation_or(e, AuthError::UserAlreadyExists, "commit sign-up"))?;
        Ok(session)
    }

    /// Inserts a new session for `user_id`.
    pub async fn create_session(
        &self,
        user_id: &str,
        session: &NewSession<'_>,
    ) -> Result<SessionRow, AuthError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(|e| AuthError::database("acquire connection", e))?;
        insert_session(&mut conn, user_id, session).await
    }

    /// The session with this token and its user, whether expired or not.
    pub async fn session_by_token(
        &self,
        token: &SessionToken,
    ) -> Result<Option<(SessionRow, UserRow)>, AuthError> {
        let session = sqlx::query_as::<_, SessionRow>(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE token = $1"
        ))
        .bind(token.expose())
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| AuthError::database("find session", e))?;
        let Some(session) = session else {
            return Ok(None);
        };
        let user = sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"
        ))
        .bind(&session.user_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| AuthError::database("find session user", e))?;
        Ok(user.map(|user| (session, user)))
    }

    /// Moves a session's expiry; returns whether the row still existed.
    pub async fn extend_session(
        &self,
        id: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<bool, AuthError> {
        let result =
            sqlx::query("UPDATE sessions SET expires_at = $1, updated_at = $2 WHERE id = $3")
                .bind(expires_at)
                .bind(now)
                .bind(id)
                .execute(&self.pool)
                .await
                .map_err(|e| AuthError::database("extend session", e))?;
        Ok(result.rows_affected() > 0)
    }

    /// Deletes the session with this token (nothing when there is none).
    pub async fn delete_session(&self, token: &SessionToken) -> Result<(), AuthError> {
        sqlx::query("DELETE FROM sessions WHERE token = $1")
            .bind(token.expose())
            .execute(&self.pool)
            .await
            .map_err(|e| AuthError::database("delete session", e))?;
        Ok(())
    }

    /// Deletes the session with this token only if it belongs to `user_id`.
    pub async fn delete_user_session(
        &self,
        user_id: &str,
        token: &SessionToken,
    ) -> Result<(), AuthError> {
        sqlx::query("DELETE FROM sessions WHERE token = $1 AND user_id = $2")
            .bind(token.expose())
            .bind(user_id)
            .execute(&self.pool)
            .await
            .map_err(|e| AuthError::database("delete user session", e))?;
        Ok(())
    }

    /// Deletes every session of `user_id` except the one with token `keep`, if given.
    pub async fn delete_user_sessions(
        &self,
        user_id: &str,
        keep: Option<&SessionToken>,
    ) -> Result<(), AuthError> {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token <> $2")
            .bind(user_id)
            .bind(keep.map(SessionToken::expose).unwrap_or(""))
            .execute(&self.pool)
            .await
            .map_err(|e| AuthError::database("delete user sessions", e))?;
        Ok(())
    }

    /// The user's sessions that have not expired, newest first.
    pub async fn active_sessions(
        &self,
        user_id: &str,
        now: i64,
    ) -> Result<Vec<SessionRow>, AuthError> {
        sqlx::query_as::<_, SessionRow>(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE user_id = $1 AND expires_at > $2 \
             ORDER BY created_at DESC"
        ))
        .bind(user_id)
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| AuthError::database("list sessions", e))
    }

    /// Sets the name and/or image of a user (`None` leaves a field alone; `Some(None)` clears
    /// the image).
    pub async fn update_profile(
        &self,
        user_id: &str,
        name: Option<&str>,
        image: Option<Option<&str>>,
        now: i64,
    ) -> Result<(), AuthError> {
        sqlx::query(
            "UPDATE users SET name = COALESCE($1, name), \
             image = CASE WHEN $2 = 1 THEN $3 ELSE image END, updated_at = $4 WHERE id = $5",
        )
        .bind(name)
        .bind(i64::from(image.is_some()))
        .bind(image.flatten())
        .bind(now)
        .bind(user_id)
        .execute(&self.pool)
        .await
        .map_err(|e| AuthError::database("update user", e))?;
        Ok(())
    }

    /// Replaces the password hash of the user's credential account.
    pub async fn set_password_hash(
        &self,
        user_id: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<(), AuthError> {
        sqlx::query(
            "UPDATE accounts SET password_hash = $1, updated_at = $2 \
             WHERE user_id = $3 AND provider_id = $4",
        )
        .bind(password_hash)
        .bind(now)
        .bind(user_id)
        .bind(CREDENTIAL_PROVIDER)
        .execute(&self.pool)
        .await
        .map_err(|e| AuthError::database("set password hash", e))?;
        Ok(())
    }

    /// Deletes a user and everything theirs in one transaction: their one-time tokens
    /// (`verifications` rows name the user only inside `identifier`, so no foreign key can
    /// cascade to them), then the user, whose accounts, sessions and tasks go with it
    /// (`ON DELETE CASCADE`).
    pub async fn delete_user(&self, user_id: &str) -> Result<(), AuthError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| AuthError::database("begin delete user", e))?;
        // The first statement writes, so SQLite takes the write lock at once.
        sqlx::query("DELETE FROM verifications WHERE identifier = $1 OR identifier = $2")
            .bind(Purpose::ResetPassword.identifier(user_id))
            .bind(Purpose::VerifyEmail.identifier(user_id))
            .execute(&mut *tx)
            .await
            .map_err(|e| AuthError::database("delete user tokens", e))?;
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| AuthError::database("delete user", e))?;
        tx.commit()
            .await
            .map_err(|e| AuthError::database("commit delete user", e))?;
        Ok(())
    }
}

async fn insert_session(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    session: &NewSession<'_>,
) -> Result<SessionRow, AuthError> {
    let row = SessionRow {
        id: crate::db::new_id(),
        token: session.token.expose().to_owned(),
        user_id: user_id.to_owned(),
        expires_at: session.expires_at,
        created_at: session.now,
        updated_at: session.now,
        ip_address: session.ip_address.clone(),
        user_agent: session.user_agent.map(str::to_owned),
    };
    sqlx::query(
        "INSERT INTO sessions (id, token, user_id, expires_at, created_at, updated_at, \
         ip_address, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&row.id)
    .bind(&row.token)
    .bind(&row.user_id)
    .bind(row.expires_at)
    .bind(row.created_at)
    .bind(row.updated_at)
    .bind(row.ip_address.as_deref())
    .bind(row.user_agent.as_deref())
    .execute(&mut *conn)
    .await
    .map_err(|e| AuthError::database("insert session", e))?;
    Ok(row)
}

/// `client_error` when `error` is a unique-index violation, else a database error.
fn unique_violation_or(
    error: sqlx::Error,
    client_error: AuthError,
    step: &'static str,
) -> AuthError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => client_error,
        _ => AuthError::database(step, error),
    }
}
