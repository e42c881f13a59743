//! Concurrent sign-ups with one address create one user, on SQLite and on PostgreSQL.

use crate::auth_support;
use crate::common;

use auth_support::*;
use common::{Store, TestServer};
use serde_json::json;

/// 20 sign-ups at once with one address in 20 spellings of its case.
async fn twenty_concurrent_sign_ups(server: &TestServer) -> Vec<u16> {
    let requests = (0..20).map(|i| {
        let email: String = "racer@example.com"
            .chars()
            .enumerate()
            .map(|(j, c)| {
                if (i >> (j % 5)) & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect();
        let client = server.client.clone();
        let url = server.url("/api/auth/sign-up/email");
        tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({"name": "Racer", "email": email, "password": PASSWORD}))
                .send()
                .await
                .map(|r| r.status().as_u16())
        })
    });
    let mut statuses = Vec::new();
    for request in requests.collect::<Vec<_>>() {
        statuses.push(request.await.expect("task").expect("response"));
    }
    statuses.sort_unstable();
    statuses
}

/// All 20 hashes run at once, so nearly every request passes the "email taken?" lookup before
/// any insert and the unique index has to decide.
fn racing_config() -> String {
    format!("[auth]\nmax_concurrent_hashes = 20\n{HIGH_LIMITS}")
}

fn expected_statuses() -> Vec<u16> {
    let mut expected = vec![200];
    expected.extend([422; 19]);
    expected
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_sign_ups_with_one_email_make_one_user_on_sqlite() {
    let server = server_with(&racing_config(), &[]).await;

    let statuses = twenty_concurrent_sign_ups(&server).await;

    assert_eq!(statuses, expected_statuses());
    assert_eq!(count(&server, "users").await, 1);
    assert_eq!(count(&server, "accounts").await, 1);
    assert_eq!(count(&server, "sessions").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_sign_ups_with_one_email_make_one_user_on_postgres() {
    let Some(server) = server_on(Store::Postgres, &racing_config(), &[]).await else {
        return;
    };

    let statuses = twenty_concurrent_sign_ups(&server).await;

    assert_eq!(statuses, expected_statuses());
    assert_eq!(count(&server, "users").await, 1);
    assert_eq!(count(&server, "accounts").await, 1);
    assert_eq!(count(&server, "sessions").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_sign_ups_with_different_emails_all_succeed_on_sqlite() {
    let server = server().await;

    let requests: Vec<_> = (0..10)
        .map(|i| {
            let client = server.client.clone();
            let url = server.url("/api/auth/sign-up/email");
            tokio::spawn(async move {
                client
                    .post(url)
                    .json(&json!({"name": "N", "email": format!("u{i}@example.com"),
                                  "password": PASSWORD}))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            })
        })
        .collect();
    for request in requests {
        assert_eq!(request.await.unwrap().unwrap(), 200);
    }

    assert_eq!(count(&server, "users").await, 10);
}
