//! The writes of account recovery: a password reset that spends its token, stores the new hash
//! and ends every session in one transaction, and a verified email address. Each runs unchanged
//! on SQLite and PostgreSQL; reads of users go through [`super::store::AuthStore`].

use sqlx::AnyPool;

use super::error::AuthError;
use crate::{
    db::{new_id, Db},
    verification::{consume_on, Purpose, Redemption, VerificationError},
};

/// The `provider_id` of email-and-password accounts; the same value as in the auth store.
const CREDENTIAL_PROVIDER: &str = "credential";

/// Recovery queries over the server's pool. Cheap to clone.
#[derive(Clone, Debug)]
pub struct RecoveryStore {
    pool: AnyPool,
}

impl RecoveryStore {
    /// Queries over `db`'s pool.
    pub fn new(db: &Db) -> Self {
        Self {
            pool: db.pool.clone(),
        }
    }

    /// Spends the reset `token` and, when it was valid, sets the password hash of its user's
    /// credential account (creating the account if the user has none), deletes every session of
    /// the user and their other reset tokens: all in one transaction, so a failure part-way
    /// leaves the token usable and the old password in place. Returns `false` when the token is
    /// unknown, used or expired, or names a user that no longer exists (an expired token is
    /// deleted all the same).
    pub async fn reset_password(
        &self,
        token: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<bool, AuthError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| AuthError::database("begin password reset", e))?;
        // The first statement writes, so SQLite takes the write lock at once instead of
        // failing to upgrade a read lock under contention.
        let redemption = consume_on(&mut tx, Purpose::ResetPassword, token)
            .await
            .map_err(|e| verification_error("redeem reset token", e))?;
        let user_id = match redemption {
            Redemption::Valid { subject } => subject,
            Redemption::Expired => {
                tracing::debug!("expired reset token presented");
                commit(tx).await?;
                return Ok(false);
            }
            Redemption::Invalid => {
                tracing::debug!("unknown or used reset token presented");
                return Ok(false);
            }
        };

        let updated = sqlx::query(
            "UPDATE accounts SET password_hash = $1, updated_at = $2 \
             WHERE user_id = $3 AND provider_id = $4",
        )
        .bind(password_hash)
        .bind(now)
        .bind(&user_id)
        .bind(CREDENTIAL_PROVIDER)
        .execute(&mut *tx)
        .await
        .map_err(|e| AuthError::database("set password hash", e))?
        .rows_affected();
        if updated == 0 {
            // Inserts nothing when the user is gone, which is how that case is detected.
            let inserted = sqlx::query(
                "INSERT INTO accounts (id, user_id, provider_id, account_id, password_hash, \
                 created_at, updated_at) \
                 SELECT $1, id, $2, id, $3, $4, $5 FROM users WHERE id = $6",
            )
            .bind(new_id())
            .bind(CREDENTIAL_PROVIDER)
            .bind(password_hash)
            .bind(now)
            .bind(now)
            .bind(&user_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| AuthError::database("insert credential account", e))?
            .rows_affected();
            if inserted == 0 {
                tracing::debug!("reset token names a user that no longer exists");
                commit(tx).await?;
                return Ok(false);
            }
        }

        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(&user_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| AuthError::database("delete sessions after password reset", e))?;
        sqlx::query("DELETE FROM verifications WHERE identifier = $1")
            .bind(Purpose::ResetPassword.identifier(&user_id))
            .execute(&mut *tx)
            .await
            .map_err(|e| AuthError::database("revoke other reset tokens", e))?;
        commit(tx).await?;
        Ok(true)
    }

    /// Spends the verification `token` and marks its user's email address verified, in one
    /// transaction. The user's other verification links are deleted too: they have nothing
    /// left to do.
    pub async fn verify_email(&self, token: &str, now: i64) -> Result<Redemption, AuthError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| AuthError::database("begin email verification", e))?;
        let redemption = consume_on(&mut tx, Purpose::VerifyEmail, token)
            .await
            .map_err(|e| verification_error("redeem verification token", e))?;
        let Redemption::Valid { subject: user_id } = &redemption else {
            // An expired row was deleted: keep that.
            commit(tx).await?;
            return Ok(redemption);
        };

        let marked =
            sqlx::query("UPDATE users SET email_verified = 1, updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(|e| AuthError::database("mark email verified", e))?
                .rows_affected();
        if marked == 0 {
            tracing::debug!("verification token names a user that no longer exists");
            commit(tx).await?;
            return Ok(Redemption::Invalid);
        }
        sqlx::query("DELETE FROM verifications WHERE identifier = $1")
            .bind(Purpose::VerifyEmail.identifier(user_id))
            .execute(&mut *tx)
            .await
            .map_err(|e| AuthError::database("revoke other verification tokens", e))?;
        commit(tx).await?;
        Ok(redemption)
    }
}

async fn commit(tx: sqlx::Transaction<'_, sqlx::Any>) -> Result<(), AuthError> {
    tx.commit()
        .await
        .map_err(|e| AuthError::database("commit recovery", e))
}

/// A database failure of the token store as an auth error.
fn verification_error(step: &'static str, error: VerificationError) -> AuthError {
    match error {
        VerificationError::Database(error) => AuthError::database(step, error),
    }
}
