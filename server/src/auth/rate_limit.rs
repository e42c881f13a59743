//! Rate limits on the auth routes: a fixed window per client address and path, with the rule
//! chosen by path, counted in memory (one server) or in the `rate_limits` table (replicas that
//! share a database).

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
};

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sqlx::AnyPool;

use super::{client::ClientInfo, error::AuthError, router::AuthState};
use crate::{
    config::{RateLimitSettings, RateLimitStorage, RateRule},
    db::{now_ms, Db},
};

/// The most windows kept in memory; beyond it expired windows are evicted, then the oldest.
const MAX_MEMORY_ENTRIES: usize = 100_000;
/// Expired rows are deleted from `rate_limits` once every this many counted requests.
const DATABASE_SWEEP_EVERY: u64 = 1_000;

/// Counts requests and decides whether one is over its limit.
pub struct RateLimiter {
    settings: RateLimitSettings,
    counters: Counters,
}

enum Counters {
    Memory(Mutex<HashMap<String, Window>>),
    Database { pool: AnyPool, counted: AtomicU64 },
}

#[derive(Clone, Copy, Debug)]
struct Window {
    start: i64,
    count: u32,
}

impl RateLimiter {
    /// A limiter with the configured rules and storage.
    pub fn new(settings: RateLimitSettings, db: &Db) -> Self {
        let counters = match settings.storage {
            RateLimitStorage::Memory => Counters::Memory(Mutex::new(HashMap::new())),
            RateLimitStorage::Database => Counters::Database {
                pool: db.pool.clone(),
                counted: AtomicU64::new(0),
            },
        };
        Self { settings, counters }
    }

    /// The rule for a path of the auth router (relative to `/api/auth`).
    pub fn rule_for(&self, path: &str) -> RateRule {
        if path.starts_with("/sign-in/")
            || path.starts_with("/sign-up/")
            || path == "/change-password"
        {
            self.settings.credentials
        } else if path == "/request-password-reset" || path == "/send-verification-email" {
            self.settings.email
        } else {
            self.settings.general
        }
    }

    /// Counts one request from `client` to `path`; `TooManyRequests` when over the limit.
    pub async fn check(&self, client: &str, path: &str) -> Result<(), AuthError> {
        let rule = self.rule_for(path);
        let window_ms = i64::try_from(rule.window.as_millis()).unwrap_or(i64::MAX);
        let key = format!("{client}|{path}");
        let now = now_ms();
        let window = match &self.counters {
            Counters::Memory(map) => count_in_memory(map, key, now, window_ms),
            Counters::Database { pool, counted } => {
                match count_in_database(pool, &key, now, window_ms).await {
                    Ok(window) => {
                        if counted.fetch_add(1, Ordering::Relaxed) % DATABASE_SWEEP_EVERY == 0 {
                            sweep_database(pool, now - self.longest_window_ms()).await;
                        }
                        window
                    }
                    // LIMITATION: when the database cannot count, the request is let through
                    // (logged) rather than refused: an outage of the counter table must not
                    // lock every user out.
                    Err(error) => {
                        tracing::warn!(%error, "rate limit not counted: database error");
                        return Ok(());
                    }
                }
            }
        };
        if window.count > rule.max {
            let remaining_ms = (window.start + window_ms - now).max(0);
            let retry_after_secs = u64::try_from((remaining_ms + 999) / 1000)
                .unwrap_or(1)
                .max(1);
            tracing::debug!(path, "rate limit exceeded");
            return Err(AuthError::TooManyRequests { retry_after_secs });
        }
        Ok(())
    }

    fn longest_window_ms(&self) -> i64 {
        let s = &self.settings;
        let longest = s
            .general
            .window
            .max(s.credentials.window)
            .max(s.email.window);
        i64::try_from(longest.as_millis()).unwrap_or(i64::MAX)
    }
}

/// Middleware: applies the limiter to every request of the auth router.
pub async fn limit_requests(
    State(state): State<AuthState>,
    request: Request,
    next: Next,
) -> Response {
    let client = ClientInfo::from_request(
        request.headers(),
        request.extensions(),
        state.service.config(),
    );
    // LIMITATION: requests without connection info (only possible when the router is called
    // in-process without copying it) share one bucket.
    let client = client
        .ip
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    if let Err(error) = state.limiter.check(&client, request.uri().path()).await {
        return error.into_response();
    }
    next.run(request).await
}

fn count_in_memory(
    map: &Mutex<HashMap<String, Window>>,
    key: String,
    now: i64,
    window_ms: i64,
) -> Window {
    // A poisoned lock only means another request panicked mid-update; the counts stay usable.
    let mut map = map.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if map.len() >= MAX_MEMORY_ENTRIES && !map.contains_key(&key) {
        evict(&mut map, now, window_ms);
    }
    let window = map.entry(key).or_insert(Window {
        start: now,
        count: 0,
    });
    if now - window.start >= window_ms {
        *window = Window {
            start: now,
            count: 0,
        };
    }
    window.count = window.count.saturating_add(1);
    *window
}

fn evict(map: &mut HashMap<String, Window>, now: i64, window_ms: i64) {
    // Windows of other rules may be longer; those older than this one's are stale for it,
    // and a stale window only ever restarts the count.
    map.retain(|_, w| now - w.start < window_ms);
    if map.len() >= MAX_MEMORY_ENTRIES {
        if let Some(oldest) = map
            .iter()
            .min_by_key(|(_, w)| w.start)
            .map(|(k, _)| k.clone())
        {
            map.remove(&oldest);
        }
    }
}

async fn count_in_database(
    pool: &AnyPool,
    key: &str,
    now: i64,
    window_ms: i64,
) -> Result<Window, sqlx::Error> {
    // One statement: concurrent requests from replicas serialise on the row.
    let (count, start): (i64, i64) = sqlx::query_as(
        "INSERT INTO rate_limits (key, count, window_start) VALUES ($1, 1, $2) \
         ON CONFLICT (key) DO UPDATE SET \
         count = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.count + 1 END, \
         window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 \
                        ELSE rate_limits.window_start END \
         RETURNING count, window_start",
    )
    .bind(key)
    .bind(now)
    .bind(now - window_ms)
    .fetch_one(pool)
    .await?;
    Ok(Window {
        start,
        count: u32::try_from(count).unwrap_or(u32::MAX),
    })
}

async fn sweep_database(pool: &AnyPool, older_than: i64) {
    if let Err(error) = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
        .bind(older_than)
        .execute(pool)
        .await
    {
        tracing::warn!(%error, "cannot delete expired rate-limit windows");
    }
}
