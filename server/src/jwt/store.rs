//! The `jwks` table: reading the published keys, creating the active key, rotating.
//!
//! At most one row has `retired_at IS NULL` (the partial unique index `jwks_one_active`), so
//! racing creators and rotators, in this process or another, cannot leave two active keys: the
//! loser's insert fails with a unique violation and it re-reads the table instead.

use sqlx::Row;

use crate::db::Db;

/// One row of the `jwks` table.
#[derive(Clone)]
pub struct StoredKey {
    /// The key id (`kid`), the row's primary key.
    pub kid: String,
    /// base64url of the 32 public key bytes.
    pub public_key: String,
    /// The sealed private key (see [`super::keys::KeyCipher`]).
    pub private_key: String,
    /// When the key was created (Unix ms).
    pub created_at: i64,
    /// When a newer key took over signing (Unix ms); `None` for the active key.
    pub retired_at: Option<i64>,
}

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredKey")
            .field("kid", &self.kid)
            .field("created_at", &self.created_at)
            .field("retired_at", &self.retired_at)
            .finish_non_exhaustive()
    }
}

/// Whether an insert of a new active key took effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Insert {
    Inserted,
    /// Another writer's active key is already there.
    LostRace,
}

/// The keys still published at `now`: the active one and those retired after `retired_after`,
/// newest first.
pub async fn published(db: &Db, retired_after: i64) -> Result<Vec<StoredKey>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, public_key, private_key, created_at, retired_at FROM jwks \
         WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at DESC",
    )
    .bind(retired_after)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StoredKey {
                kid: row.try_get("id")?,
                public_key: row.try_get("public_key")?,
                private_key: row.try_get("private_key")?,
                created_at: row.try_get("created_at")?,
                retired_at: row.try_get("retired_at")?,
            })
        })
        .collect()
}

/// Inserts `key` as the active key unless another active key exists.
pub async fn insert_active(db: &Db, key: &StoredKey) -> Result<Insert, sqlx::Error> {
    let result = insert(key).execute(&db.pool).await;
    classify(result.map(|_| ()))
}

/// Retires `old_kid` at `now` and makes `new` the active key, atomically. `LostRace` when
/// `old_kid` was no longer active (another writer rotated first): nothing changes then.
pub async fn rotate(
    db: &Db,
    old_kid: &str,
    new: &StoredKey,
    now: i64,
) -> Result<Insert, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let retired =
        sqlx::query("UPDATE jwks SET retired_at = $1 WHERE id = $2 AND retired_at IS NULL")
            .bind(now)
            .bind(old_kid)
            .execute(&mut *tx)
            .await?;
    if retired.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(Insert::LostRace);
    }
    match classify(insert(new).execute(&mut *tx).await.map(|_| ()))? {
        Insert::Inserted => {
            tx.commit().await?;
            Ok(Insert::Inserted)
        }
        Insert::LostRace => {
            tx.rollback().await?;
            Ok(Insert::LostRace)
        }
    }
}

/// Deletes keys retired at or before `retired_until`: their grace period is over, so no token
/// they signed may verify any more. Returns how many were deleted.
pub async fn delete_retired(db: &Db, retired_until: i64) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM jwks WHERE retired_at IS NOT NULL AND retired_at <= $1")
        .bind(retired_until)
        .execute(&db.pool)
        .await?;
    Ok(result.rows_affected())
}

fn insert(key: &StoredKey) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
    sqlx::query(
        "INSERT INTO jwks (id, public_key, private_key, created_at, retired_at) \
         VALUES ($1, $2, $3, $4, NULL)",
    )
    .bind(&key.kid)
    .bind(&key.public_key)
    .bind(&key.private_key)
    .bind(key.created_at)
}

fn classify(result: Result<(), sqlx::Error>) -> Result<Insert, sqlx::Error> {
    match result {
        Ok(()) => Ok(Insert::Inserted),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(Insert::LostRace),
        Err(e) => Err(e),
    }
}
