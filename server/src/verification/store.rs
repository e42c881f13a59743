//! The one-time token store on the `verifications` table.

use std::time::Duration;

use sqlx::{AnyConnection, Row};

use super::{token_hash, PlainToken, Purpose};
use crate::db::{new_id, now_ms, Db};

/// How long an expired row is kept before [`VerificationStore::issue`] purges it. Until then a
/// late click is answered "expired" (`TOKEN_EXPIRED`) rather than "invalid", which tells the
/// user to ask for a new link.
pub const EXPIRED_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);

/// Why the store could not answer. Only database failures: an unknown or expired token is a
/// normal [`Redemption`], not an error.
#[derive(Debug, thiserror::Error)]
pub enum VerificationError {
    #[error("verification store: database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl VerificationError {
    /// A stable machine-readable code for logs.
    pub fn code(&self) -> &'static str {
        match self {
            VerificationError::Database(_) => "VERIFICATION_DATABASE_ERROR",
        }
    }
}

/// What presenting a token gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Redemption {
    /// The token was valid and is now used up. `subject` is what it was issued for.
    Valid { subject: String },
    /// The token existed but had expired; it is now deleted too.
    Expired,
    /// No such token for this purpose: never issued, already used, or issued for another purpose.
    Invalid,
}

impl Redemption {
    /// The subject when valid; `None` for expired and invalid alike (for callers that answer both
    /// with the same error, like `reset-password`).
    pub fn into_subject(self) -> Option<String> {
        match self {
            Redemption::Valid { subject } => Some(subject),
            Redemption::Expired | Redemption::Invalid => None,
        }
    }
}

/// Issues and redeems one-time tokens. Cheap to clone.
#[derive(Clone, Debug)]
pub struct VerificationStore {
    db: Db,
}

impl VerificationStore {
    /// A store on the server's database.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Creates a token for `purpose` and `subject` (a user id or an email address) that expires
    /// after `ttl`, and stores only its SHA-256. Earlier tokens for the same subject stay valid
    /// until used or expired (see [`Self::revoke`]). Rows of every purpose that expired more than
    /// [`EXPIRED_RETENTION`] ago are deleted on the way.
    pub async fn issue(
        &self,
        purpose: Purpose,
        subject: &str,
        ttl: Duration,
    ) -> Result<PlainToken, VerificationError> {
        let now = now_ms();
        let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
        let expires_at = now.saturating_add(ttl_ms);
        let retention_ms = i64::try_from(EXPIRED_RETENTION.as_millis()).unwrap_or(i64::MAX);

        sqlx::query("DELETE FROM verifications WHERE expires_at <= $1")
            .bind(now.saturating_sub(retention_ms))
            .execute(&self.db.pool)
            .await?;

        let token = PlainToken::generate();
        sqlx::query(
            "INSERT INTO verifications (id, identifier, value, expires_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id())
        .bind(purpose.identifier(subject))
        .bind(token.hash())
        .bind(expires_at)
        .bind(now)
        .bind(now)
        .execute(&self.db.pool)
        .await?;
        Ok(token)
    }

    /// Redeems `token` for `purpose`. Single use even under concurrent requests: the row is
    /// deleted and returned by one statement, so of two requests with the same token exactly one
    /// gets it. An expired token is deleted as well and reported as [`Redemption::Expired`].
    pub async fn consume(
        &self,
        purpose: Purpose,
        token: &str,
    ) -> Result<Redemption, VerificationError> {
        let mut conn = self.db.pool.acquire().await?;
        consume_on(&mut conn, purpose, token).await
    }

    /// Deletes every token of `purpose` for `subject` (for example the other reset links of a
    /// user whose password was just reset). Returns how many were deleted.
    pub async fn revoke(&self, purpose: Purpose, subject: &str) -> Result<u64, VerificationError> {
        let done = sqlx::query("DELETE FROM verifications WHERE identifier = $1")
            .bind(purpose.identifier(subject))
            .execute(&self.db.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

/// [`VerificationStore::consume`] on `conn`, typically inside the caller's transaction, so that
/// the token is spent if and only if the caller's other writes commit. The statement writes,
/// so as the first statement of a SQLite transaction it takes the write lock at once.
pub async fn consume_on(
    conn: &mut AnyConnection,
    purpose: Purpose,
    token: &str,
) -> Result<Redemption, VerificationError> {
    let now = now_ms();
    // `DELETE … RETURNING` exists on PostgreSQL and on SQLite since 3.35.
    let row = sqlx::query(
        "DELETE FROM verifications WHERE value = $1 AND identifier LIKE $2 \
         RETURNING identifier, expires_at",
    )
    .bind(token_hash(token))
    .bind(format!("{}:%", purpose.prefix()))
    .fetch_optional(&mut *conn)
    .await?;

    let Some(row) = row else {
        return Ok(Redemption::Invalid);
    };
    let identifier: String = row.try_get("identifier")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    if expires_at <= now {
        return Ok(Redemption::Expired);
    }
    Ok(match purpose.subject_of(&identifier) {
        Some(subject) => Redemption::Valid {
            subject: subject.to_owned(),
        },
        // Cannot happen: the statement matched the prefix.
        None => Redemption::Invalid,
    })
}
