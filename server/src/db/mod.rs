//! The database: one sqlx pool over SQLite (embedded default) or PostgreSQL, with the
//! migrations of that backend applied at start-up.

use std::{str::FromStr, time::Duration};

use sqlx::{
    any::{AnyConnectOptions, AnyPoolOptions},
    AnyPool, ConnectOptions, Connection, Executor,
};

use crate::config::DatabaseUrl;

/// Which SQL dialect the pool speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database handle shared by every part of the server.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// Why the database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot apply migrations: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Opens the pool and applies pending migrations.
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let backend = match url {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        };
        let options = AnyConnectOptions::from_str(url.as_str())
            .map_err(DbError::Connect)?
            .disable_statement_logging();
        if backend == Backend::Postgres {
            // One direct connection first: when the server is unreachable this fails at once
            // with the real cause ("connection refused"), where the pool would retry until its
            // acquire timeout and report only that it timed out.
            options
                .connect()
                .await
                .map_err(DbError::Connect)?
                .close()
                .await
                .map_err(DbError::Connect)?;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the single writer; a busy timeout makes
                        // concurrent writers wait instead of failing.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await.map_err(DbError::Migrate)?;
        Ok(Self { pool, backend })
    }

    /// A cheap round trip, for `/healthz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// Milliseconds since the Unix epoch, the unit of every stored time.
pub fn now_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

/// A stored time (Unix milliseconds) as ISO-8601 UTC with milliseconds, the form JavaScript's
/// `Date.toISOString` gives: `2026-12-04T14:13:19.956Z`.
pub fn iso8601(ms: i64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp_nanos(nanos) else {
        // Out of range only for times no code here stores.
        return "1970-01-01T00:00:00.000Z".to_owned();
    };
    let Ok(year) = u16::try_from(t.year()) else {
        return "1970-01-01T00:00:00.000Z".to_owned();
    };
    // Written digit by digit: a long task list formats two of these per task, and `format!`
    // was a noticeable share of the list route's time.
    let mut out = String::with_capacity(24);
    push_digits(&mut out, year, 4);
    out.push('-');
    push_digits(&mut out, u16::from(u8::from(t.month())), 2);
    out.push('-');
    push_digits(&mut out, u16::from(t.day()), 2);
    out.push('T');
    push_digits(&mut out, u16::from(t.hour()), 2);
    out.push(':');
    push_digits(&mut out, u16::from(t.minute()), 2);
    out.push(':');
    push_digits(&mut out, u16::from(t.second()), 2);
    out.push('.');
    push_digits(&mut out, t.millisecond(), 3);
    out.push('Z');
    out
}

/// Appends the last `width` decimal digits of `value`, zero-padded.
fn push_digits(out: &mut String, value: u16, width: u32) {
    for place in (0..width).rev() {
        let digit = (value / 10u16.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// A new random identifier: 32 characters from `[A-Za-z0-9]`.
pub fn new_id() -> String {
    use rand::{distributions::Alphanumeric, Rng};
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso8601_matches_javascript_to_iso_string() {
        assert_eq!(
            super::iso8601(1_796_393_599_956),
            "2026-12-04T14:13:19.956Z"
        );
        assert_eq!(super::iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(super::iso8601(981_173_106_007), "2001-02-03T04:05:06.007Z");
        assert_eq!(super::iso8601(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(
            super::iso8601(-30_641_760_000_000),
            "0999-01-01T00:00:00.000Z"
        );
        assert_eq!(
            super::iso8601(253_402_300_799_999),
            "9999-12-31T23:59:59.999Z"
        );
    }
}
