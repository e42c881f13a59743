//! Cross-site request checks on the auth router over real HTTP.

use crate::auth_support;
use crate::common;

use auth_support::*;
use reqwest::header;
use serde_json::Value;

async fn sign_out_with(
    server: &common::TestServer,
    cookie: &str,
    headers: &[(header::HeaderName, &str)],
) -> reqwest::Response {
    let mut request = server
        .client
        .post(server.url("/api/auth/sign-out"))
        .header(header::COOKIE, cookie);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_cookie_bearing_post_from_a_foreign_origin_returns_403_invalid_origin() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let response = sign_out_with(
        &server,
        &cookie,
        &[(header::ORIGIN, "https://evil.example")],
    )
    .await;

    assert_error(response, 403, "INVALID_ORIGIN").await;
    assert_eq!(count(&server, "sessions").await, 1, "the session survives");
}

#[tokio::test]
async fn a_cookie_bearing_post_without_origin_returns_403_missing_or_null_origin() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    assert_error(
        sign_out_with(&server, &cookie, &[]).await,
        403,
        "MISSING_OR_NULL_ORIGIN",
    )
    .await;
    assert_error(
        sign_out_with(&server, &cookie, &[(header::ORIGIN, "null")]).await,
        403,
        "MISSING_OR_NULL_ORIGIN",
    )
    .await;
    assert_eq!(count(&server, "sessions").await, 1);
}

#[tokio::test]
async fn a_cookie_bearing_post_with_a_foreign_referer_and_no_origin_returns_403_invalid_origin() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let response = sign_out_with(
        &server,
        &cookie,
        &[(header::REFERER, "https://evil.example/page")],
    )
    .await;

    assert_error(response, 403, "INVALID_ORIGIN").await;
}

#[tokio::test]
async fn a_cookie_bearing_post_with_the_sites_referer_is_allowed() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;
    let referer = server.url("/tasks?filter=active");

    let response = sign_out_with(&server, &cookie, &[(header::REFERER, &referer)]).await;

    assert_eq!(response.status(), 200);
    assert_eq!(count(&server, "sessions").await, 0);
}

#[tokio::test]
async fn a_cookie_bearing_post_from_a_configured_trusted_origin_is_allowed() {
    let server = server_with(
        HIGH_LIMITS,
        &[("APP_TRUSTED_ORIGINS", "https://app.example.com")],
    )
    .await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let response = sign_out_with(
        &server,
        &cookie,
        &[(header::ORIGIN, "https://app.example.com")],
    )
    .await;

    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_cookie_bearing_sign_in_from_a_foreign_origin_is_refused_before_checking_credentials() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let response = server
        .client
        .post(server.url("/api/auth/sign-in/email"))
        .header(header::COOKIE, cookie.as_str())
        .header(header::ORIGIN, "http://127.0.0.1:1")
        .json(&serde_json::json!({"email": "ada@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();

    assert_error(response, 403, "INVALID_ORIGIN").await;
    assert_eq!(count(&server, "sessions").await, 1);
}

#[tokio::test]
async fn a_get_with_a_cookie_needs_no_origin() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let response = server
        .client
        .get(server.url("/api/auth/get-session"))
        .header(header::COOKIE, cookie.as_str())
        .header(header::ORIGIN, "https://evil.example")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email"], "ada@example.com");
}
