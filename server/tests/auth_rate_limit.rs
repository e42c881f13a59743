//! Rate limits on the auth router over real HTTP, in memory and in the database.

use crate::auth_support;
use crate::common;

use auth_support::*;
use common::Store;
use reqwest::header;
use serde_json::{json, Value};

async fn sign_in_from(
    server: &common::TestServer,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut request = server
        .client
        .post(server.url("/api/auth/sign-in/email"))
        .json(&json!({"email": "nobody@example.com", "password": PASSWORD}));
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap()
}

async fn assert_too_many_requests(response: reqwest::Response, window_secs: u64) {
    assert_eq!(response.status(), 429);
    let retry_after: u64 = response.headers()["x-retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=window_secs).contains(&retry_after), "{retry_after}");
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"message": "Too many requests. Please try again later.", "code": "TOO_MANY_REQUESTS"})
    );
}

#[tokio::test]
async fn the_fourth_sign_in_within_ten_seconds_returns_429_with_x_retry_after() {
    let server = server_with("", &[]).await;

    for _ in 0..3 {
        assert_eq!(sign_in_from(&server, None).await.status(), 401);
    }
    let response = sign_in_from(&server, None).await;

    assert_too_many_requests(response, 10).await;
}

#[tokio::test]
async fn a_forged_x_forwarded_for_from_an_untrusted_peer_changes_nothing() {
    let server = server_with("", &[]).await;

    for i in 0..3 {
        let forged = format!("203.0.113.{i}");
        assert_eq!(sign_in_from(&server, Some(&forged)).await.status(), 401);
    }
    let response = sign_in_from(&server, Some("198.51.100.7")).await;

    assert_too_many_requests(response, 10).await;
}

#[tokio::test]
async fn x_forwarded_for_from_a_trusted_proxy_names_the_client() {
    let server = server_with("", &[("APP_TRUSTED_PROXIES", "127.0.0.1")]).await;

    for _ in 0..3 {
        assert_eq!(
            sign_in_from(&server, Some("203.0.113.1")).await.status(),
            401
        );
    }
    let limited = sign_in_from(&server, Some("203.0.113.1")).await;
    let other_client = sign_in_from(&server, Some("203.0.113.2")).await;
    // A client cannot hide behind an address it prepends itself: the nearest untrusted
    // address is the one the proxy saw.
    let prepended = sign_in_from(&server, Some("203.0.113.9, 203.0.113.1")).await;

    assert_too_many_requests(limited, 10).await;
    assert_eq!(other_client.status(), 401);
    assert_eq!(prepended.status(), 429);
}

#[tokio::test]
async fn the_limit_is_per_path() {
    let server = server_with("", &[]).await;
    for _ in 0..4 {
        sign_in_from(&server, None).await;
    }

    let sign_up = sign_up(&server, "ada@example.com", PASSWORD).await;
    let session = get_session(&server, None).await;

    assert_eq!(sign_up.status(), 200);
    assert_eq!(session.status(), 200);
}

#[tokio::test]
async fn the_general_rule_limits_other_paths() {
    let server = server_with(
        "[auth.rate_limit]\ngeneral_max = 5\ngeneral_window_secs = 30\n",
        &[],
    )
    .await;

    for _ in 0..5 {
        assert_eq!(get_session(&server, None).await.status(), 200);
    }
    let response = get_session(&server, None).await;

    assert_too_many_requests(response, 30).await;
}

#[tokio::test]
async fn a_window_that_has_passed_lets_requests_through_again() {
    let server = server_with(
        "[auth.rate_limit]\ncredentials_max = 1\ncredentials_window_secs = 1\n",
        &[],
    )
    .await;
    assert_eq!(sign_in_from(&server, None).await.status(), 401);
    assert_eq!(sign_in_from(&server, None).await.status(), 429);

    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    assert_eq!(sign_in_from(&server, None).await.status(), 401);
}

#[tokio::test]
async fn database_storage_limits_the_fourth_sign_in_and_keeps_the_count_in_rate_limits() {
    let server = server_with("[auth.rate_limit]\nstorage = \"database\"\n", &[]).await;

    for _ in 0..3 {
        assert_eq!(sign_in_from(&server, None).await.status(), 401);
    }
    let response = sign_in_from(&server, None).await;

    assert_too_many_requests(response, 10).await;
    let (count,): (i64,) =
        sqlx::query_as("SELECT count FROM rate_limits WHERE key = '127.0.0.1|/sign-in/email'")
            .fetch_one(&server.db.pool)
            .await
            .unwrap();
    assert_eq!(count, 4);
}

#[tokio::test]
async fn database_storage_limits_sign_ins_on_postgres() {
    let Some(server) = server_on(
        Store::Postgres,
        "[auth.rate_limit]\nstorage = \"database\"\n",
        &[],
    )
    .await
    else {
        return;
    };

    for _ in 0..3 {
        assert_eq!(sign_in_from(&server, None).await.status(), 401);
    }
    let response = sign_in_from(&server, None).await;

    assert_too_many_requests(response, 10).await;
}

#[tokio::test]
async fn a_rate_limited_request_does_not_reach_the_handler() {
    let server = server_with("", &[]).await;
    for i in 0..3 {
        let email = format!("user{i}@example.com");
        assert_eq!(sign_up(&server, &email, PASSWORD).await.status(), 200);
    }

    let response = server
        .client
        .post(server.url("/api/auth/sign-up/email"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(json!({"name": "Eve", "email": "eve@example.com", "password": PASSWORD}).to_string())
        .send()
        .await
        .unwrap();

    assert_too_many_requests(response, 10).await;
    assert_eq!(count(&server, "users").await, 3);
}
