//! The one-time token store, on SQLite and on PostgreSQL.

use crate::common;

use std::time::Duration;

use common::{Store, TestServer};
use server::verification::{Purpose, Redemption, VerificationStore, EXPIRED_RETENTION};
use sha2::{Digest, Sha256};
use sqlx::Row;

const HOUR: Duration = Duration::from_secs(3600);

/// Runs one behaviour on both stores. The PostgreSQL variant is skipped, with a message from
/// the harness, when no PostgreSQL server is reachable.
macro_rules! on_both_stores {
    ($behaviour:ident) => {
        mod $behaviour {
            #[tokio::test]
            async fn on_sqlite() {
                let server = super::TestServer::start(&[]).await;
                super::$behaviour(&server).await;
            }

            #[tokio::test]
            async fn on_postgres() {
                if let Some(server) = super::TestServer::start_on(super::Store::Postgres, &[]).await
                {
                    super::$behaviour(&server).await;
                }
            }
        }
    };
}

fn store(server: &TestServer) -> VerificationStore {
    VerificationStore::new(server.db.clone())
}

/// `(identifier, value)` of every stored row, ordered by identifier.
async fn rows(server: &TestServer) -> Vec<(String, String)> {
    sqlx::query("SELECT identifier, value FROM verifications ORDER BY identifier, value")
        .fetch_all(&server.db.pool)
        .await
        .expect("select")
        .iter()
        .map(|r| (r.get("identifier"), r.get("value")))
        .collect()
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

on_both_stores!(a_token_is_valid_once_and_invalid_the_second_time);
async fn a_token_is_valid_once_and_invalid_the_second_time(server: &TestServer) {
    let store = store(server);
    let token = store
        .issue(Purpose::ResetPassword, "user-1", HOUR)
        .await
        .expect("issued");

    let first = store.consume(Purpose::ResetPassword, token.as_str()).await;
    let second = store.consume(Purpose::ResetPassword, token.as_str()).await;

    assert_eq!(
        first.expect("answered"),
        Redemption::Valid {
            subject: "user-1".to_owned()
        }
    );
    assert_eq!(second.expect("answered"), Redemption::Invalid);
    assert_eq!(rows(server).await, Vec::<(String, String)>::new());
}

on_both_stores!(the_stored_value_is_the_sha256_of_the_token_never_the_token);
async fn the_stored_value_is_the_sha256_of_the_token_never_the_token(server: &TestServer) {
    let store = store(server);

    let token = store
        .issue(Purpose::VerifyEmail, "ada@example.com", HOUR)
        .await
        .expect("issued");

    let stored = rows(server).await;
    assert_eq!(
        stored,
        vec![(
            "verify-email:ada@example.com".to_owned(),
            sha256_hex(token.as_str())
        )]
    );
    assert_ne!(stored[0].1, token.as_str());
    assert_eq!(token.as_str().len(), 43);
}

on_both_stores!(an_expired_token_is_reported_expired_once_then_invalid);
async fn an_expired_token_is_reported_expired_once_then_invalid(server: &TestServer) {
    let store = store(server);
    let token = store
        .issue(Purpose::VerifyEmail, "ada@example.com", Duration::ZERO)
        .await
        .expect("issued");

    let first = store.consume(Purpose::VerifyEmail, token.as_str()).await;
    let second = store.consume(Purpose::VerifyEmail, token.as_str()).await;

    assert_eq!(first.expect("answered"), Redemption::Expired);
    assert_eq!(second.expect("answered"), Redemption::Invalid);
}

on_both_stores!(an_unknown_token_is_invalid);
async fn an_unknown_token_is_invalid(server: &TestServer) {
    let store = store(server);
    store
        .issue(Purpose::ResetPassword, "user-1", HOUR)
        .await
        .expect("issued");

    let outcome = store
        .consume(Purpose::ResetPassword, "not-a-token-that-was-issued")
        .await;

    assert_eq!(outcome.expect("answered"), Redemption::Invalid);
    assert_eq!(rows(server).await.len(), 1);
}

on_both_stores!(a_token_for_one_purpose_is_invalid_for_another_and_stays_usable);
async fn a_token_for_one_purpose_is_invalid_for_another_and_stays_usable(server: &TestServer) {
    let store = store(server);
    let token = store
        .issue(Purpose::VerifyEmail, "ada@example.com", HOUR)
        .await
        .expect("issued");

    let wrong = store.consume(Purpose::ResetPassword, token.as_str()).await;
    let right = store.consume(Purpose::VerifyEmail, token.as_str()).await;

    assert_eq!(wrong.expect("answered"), Redemption::Invalid);
    assert_eq!(
        right.expect("answered"),
        Redemption::Valid {
            subject: "ada@example.com".to_owned()
        }
    );
}

on_both_stores!(issuing_a_token_purges_rows_expired_for_longer_than_the_retention);
async fn issuing_a_token_purges_rows_expired_for_longer_than_the_retention(server: &TestServer) {
    let store = store(server);
    let long_expired = store
        .issue(Purpose::ResetPassword, "user-1", Duration::ZERO)
        .await
        .expect("issued");
    let recently_expired = store
        .issue(Purpose::VerifyEmail, "ada@example.com", Duration::ZERO)
        .await
        .expect("issued");
    let retention_ms = i64::try_from(EXPIRED_RETENTION.as_millis()).expect("fits");
    sqlx::query("UPDATE verifications SET expires_at = expires_at - $1 WHERE value = $2")
        .bind(retention_ms + 1)
        .bind(sha256_hex(long_expired.as_str()))
        .execute(&server.db.pool)
        .await
        .expect("backdated");

    let live = store
        .issue(Purpose::VerifyEmail, "bob@example.com", HOUR)
        .await
        .expect("issued");

    assert_eq!(
        rows(server).await,
        vec![
            (
                "verify-email:ada@example.com".to_owned(),
                sha256_hex(recently_expired.as_str())
            ),
            (
                "verify-email:bob@example.com".to_owned(),
                sha256_hex(live.as_str())
            ),
        ]
    );
    assert_eq!(
        store
            .consume(Purpose::VerifyEmail, recently_expired.as_str())
            .await
            .expect("answered"),
        Redemption::Expired
    );
}

on_both_stores!(concurrent_redemptions_of_one_token_succeed_exactly_once);
async fn concurrent_redemptions_of_one_token_succeed_exactly_once(server: &TestServer) {
    let store = store(server);
    let token = store
        .issue(Purpose::ResetPassword, "user-1", HOUR)
        .await
        .expect("issued");

    let attempts = (0..8).map(|_| {
        let store = store.clone();
        let token = token.as_str().to_owned();
        tokio::spawn(async move { store.consume(Purpose::ResetPassword, &token).await })
    });
    let outcomes: Vec<Redemption> = futures::future::join_all(attempts)
        .await
        .into_iter()
        .map(|joined| joined.expect("task").expect("answered"))
        .collect();

    let valid = outcomes
        .iter()
        .filter(|o| matches!(o, Redemption::Valid { .. }))
        .count();
    let invalid = outcomes
        .iter()
        .filter(|o| **o == Redemption::Invalid)
        .count();
    assert_eq!((valid, invalid), (1, 7));
}

on_both_stores!(revoking_deletes_the_subjects_tokens_of_that_purpose_only);
async fn revoking_deletes_the_subjects_tokens_of_that_purpose_only(server: &TestServer) {
    let store = store(server);
    let first = store
        .issue(Purpose::ResetPassword, "user-1", HOUR)
        .await
        .expect("issued");
    store
        .issue(Purpose::ResetPassword, "user-1", HOUR)
        .await
        .expect("issued");
    let other_user = store
        .issue(Purpose::ResetPassword, "user-2", HOUR)
        .await
        .expect("issued");
    let other_purpose = store
        .issue(Purpose::VerifyEmail, "user-1", HOUR)
        .await
        .expect("issued");

    let deleted = store.revoke(Purpose::ResetPassword, "user-1").await;

    assert_eq!(deleted.expect("answered"), 2);
    assert_eq!(
        store
            .consume(Purpose::ResetPassword, first.as_str())
            .await
            .expect("answered"),
        Redemption::Invalid
    );
    let mut remaining = rows(server).await;
    remaining.sort();
    let mut expected = vec![
        (
            "reset-password:user-2".to_owned(),
            sha256_hex(other_user.as_str()),
        ),
        (
            "verify-email:user-1".to_owned(),
            sha256_hex(other_purpose.as_str()),
        ),
    ];
    expected.sort();
    assert_eq!(remaining, expected);
}
