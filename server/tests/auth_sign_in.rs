//! `POST /api/auth/sign-in/email` over real HTTP.

use crate::auth_support;

use std::time::{Duration, Instant};

use auth_support::*;
use reqwest::header;
use serde_json::{json, Value};

#[tokio::test]
async fn sign_in_returns_redirect_token_and_user_and_a_new_session_cookie() {
    let server = server().await;
    let (signed_up, _) = signed_up(&server, "ada@example.com").await;

    let response = sign_in(&server, "ada@example.com", PASSWORD).await;

    assert_eq!(response.status(), 200);
    let cookie = session_cookie(&response);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["redirect"], false);
    assert_eq!(body.get("url"), None);
    assert_eq!(body["user"], signed_up["user"]);
    let token = body["token"].as_str().unwrap();
    assert_ne!(token, signed_up["token"].as_str().unwrap());
    assert!(cookie.starts_with(&format!("better-auth.session_token={token}.")));
}

#[tokio::test]
async fn sign_in_with_a_relative_callback_url_answers_redirect_true_and_the_url() {
    let server = server().await;
    signed_up(&server, "ada@example.com").await;

    let response = post_json(
        &server,
        "/api/auth/sign-in/email",
        json!({"email": "ada@example.com", "password": PASSWORD, "callbackURL": "/tasks"}),
    )
    .await;

    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["redirect"], true);
    assert_eq!(body["url"], "/tasks");
}

#[tokio::test]
async fn sign_in_with_a_foreign_or_protocol_relative_callback_url_returns_403() {
    let server = server().await;
    signed_up(&server, "ada@example.com").await;

    for callback in [
        "https://evil.example/",
        "//evil.example/x",
        "javascript:alert(1)",
    ] {
        let response = post_json(
            &server,
            "/api/auth/sign-in/email",
            json!({"email": "ada@example.com", "password": PASSWORD, "callbackURL": callback}),
        )
        .await;
        assert_error(response, 403, "INVALID_CALLBACK_URL").await;
    }
    assert_eq!(count(&server, "sessions").await, 1);
}

#[tokio::test]
async fn sign_in_accepts_a_form_body_and_a_differently_cased_email() {
    let server = server().await;
    signed_up(&server, "ada@example.com").await;

    let response = server
        .client
        .post(server.url("/api/auth/sign-in/email"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("email=+ADA%40Example.com+&password=violet+tractor+umbrella&rememberMe=true")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email"], "ada@example.com");
}

#[tokio::test]
async fn sign_in_with_another_content_type_returns_415() {
    let server = server().await;

    let response = server
        .client
        .post(server.url("/api/auth/sign-in/email"))
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .body("--x--")
        .send()
        .await
        .unwrap();

    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE").await;
}

#[tokio::test]
async fn sign_in_without_a_password_returns_400_validation_error_naming_the_field() {
    let server = server().await;

    let response = post_json(
        &server,
        "/api/auth/sign-in/email",
        json!({"email": "ada@example.com"}),
    )
    .await;

    let body = assert_error(response, 400, "VALIDATION_ERROR").await;
    assert_eq!(body["field"], "password");
}

#[tokio::test]
async fn wrong_password_and_unknown_email_both_return_the_same_401() {
    let server = server().await;
    signed_up(&server, "ada@example.com").await;

    let wrong = sign_in(&server, "ada@example.com", "not the password").await;
    let unknown = sign_in(&server, "nobody@example.com", PASSWORD).await;

    let wrong = assert_error(wrong, 401, "INVALID_EMAIL_OR_PASSWORD").await;
    let unknown = assert_error(unknown, 401, "INVALID_EMAIL_OR_PASSWORD").await;
    assert_eq!(wrong, unknown);
    assert_eq!(count(&server, "sessions").await, 1);
}

#[tokio::test]
async fn an_unknown_email_costs_a_password_hash_like_a_wrong_password() {
    let server = server().await;
    signed_up(&server, "ada@example.com").await;
    // Warm up the connection and the pool.
    sign_in(&server, "ada@example.com", "not the password").await;

    let mut wrong = Duration::ZERO;
    let mut unknown = Duration::ZERO;
    for _ in 0..3 {
        let start = Instant::now();
        sign_in(&server, "ada@example.com", "not the password").await;
        wrong += start.elapsed();
        let start = Instant::now();
        sign_in(&server, "nobody@example.com", "not the password").await;
        unknown += start.elapsed();
    }

    // Both include one Argon2id verification; without the dummy hash the unknown email would
    // answer in a small fraction of the time.
    assert!(
        unknown * 2 > wrong,
        "unknown {unknown:?} vs wrong password {wrong:?}"
    );
}

/// Argon2id made costly enough (t=40) that one hash clearly outlasts sending a megabyte.
fn slow_hash_config() -> String {
    format!("[auth]\nargon2_iterations = 40\n{HIGH_LIMITS}")
}

#[tokio::test]
async fn a_one_megabyte_password_is_refused_fast_without_hashing() {
    let server = server_with(&slow_hash_config(), &[]).await;
    signed_up(&server, "ada@example.com").await;
    let start = Instant::now();
    sign_in(&server, "ada@example.com", "not the password").await;
    let one_hash = start.elapsed();

    let huge = "p".repeat(1024 * 1024);
    let start = Instant::now();
    let sign_in_response = sign_in(&server, "ada@example.com", &huge).await;
    let sign_in_elapsed = start.elapsed();
    let start = Instant::now();
    let sign_up_response = sign_up(&server, "bob@example.com", &huge).await;
    let sign_up_elapsed = start.elapsed();

    // The site-wide body limit answers before the auth router reads anything.
    assert_eq!(sign_in_response.status(), 413);
    assert_eq!(sign_up_response.status(), 413);
    assert!(
        sign_in_elapsed * 2 < one_hash && sign_up_elapsed * 2 < one_hash,
        "sign-in {sign_in_elapsed:?}, sign-up {sign_up_elapsed:?}, one hash {one_hash:?}"
    );
    assert_eq!(count(&server, "users").await, 1);
}

#[tokio::test]
async fn a_password_just_under_the_body_limit_is_refused_as_too_long_without_hashing() {
    let server = server_with(&slow_hash_config(), &[]).await;
    signed_up(&server, "ada@example.com").await;
    let start = Instant::now();
    sign_in(&server, "ada@example.com", "not the password").await;
    let one_hash = start.elapsed();

    let long = "p".repeat(60 * 1024);
    let start = Instant::now();
    let sign_up_response = sign_up(&server, "bob@example.com", &long).await;
    let sign_up_elapsed = start.elapsed();
    let start = Instant::now();
    let sign_in_response = sign_in(&server, "ada@example.com", &long).await;
    let sign_in_elapsed = start.elapsed();

    assert_error(sign_up_response, 400, "PASSWORD_TOO_LONG").await;
    assert_error(sign_in_response, 401, "INVALID_EMAIL_OR_PASSWORD").await;
    assert!(
        sign_in_elapsed * 2 < one_hash && sign_up_elapsed * 2 < one_hash,
        "sign-in {sign_in_elapsed:?}, sign-up {sign_up_elapsed:?}, one hash {one_hash:?}"
    );
}

#[tokio::test]
async fn every_sign_in_creates_a_new_session_token() {
    let server = server().await;
    signed_up(&server, "ada@example.com").await;

    let first = session_cookie(&sign_in(&server, "ada@example.com", PASSWORD).await);
    let second = session_cookie(&sign_in(&server, "ada@example.com", PASSWORD).await);

    assert_ne!(first, second);
    assert_eq!(count(&server, "sessions").await, 3);
}

#[tokio::test]
async fn a_cookie_sent_before_sign_in_does_not_become_authenticated() {
    let server = server().await;
    signed_up(&server, "ada@example.com").await;
    // A cookie planted before sign-in: a session that was signed out, so it names no session.
    let planted = session_cookie(&sign_in(&server, "ada@example.com", PASSWORD).await);
    let signed_out = post_with_cookie(&server, "/api/auth/sign-out", &planted, json!({})).await;
    assert_eq!(signed_out.status(), 200);

    let response = server
        .client
        .post(server.url("/api/auth/sign-in/email"))
        .header(header::COOKIE, planted.as_str())
        .header(header::ORIGIN, server.base_url.as_str())
        .json(&json!({"email": "ada@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    let issued = session_cookie(&response);
    assert_ne!(issued, planted);
    let planted_session: Value = get_session(&server, Some(&planted))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(planted_session, Value::Null);
    let issued_session: Value = get_session(&server, Some(&issued))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(issued_session["user"]["email"], "ada@example.com");
}

#[tokio::test]
async fn with_email_verification_required_sign_up_opens_no_session_and_sign_in_returns_403() {
    // Keys of `[auth]` come before its `[auth.rate_limit]` table.
    let toml = format!("[auth]\nrequire_email_verification = true\n{HIGH_LIMITS}");
    let server = server_with(&toml, &[]).await;

    let signed_up = sign_up(&server, "ada@example.com", PASSWORD).await;
    assert_eq!(signed_up.status(), 200);
    assert!(set_cookie_named(&signed_up, "better-auth.session_token").is_none());
    let body: Value = signed_up.json().await.unwrap();
    assert_eq!(body["token"], Value::Null);
    assert_eq!(body["user"]["emailVerified"], false);

    let response = sign_in(&server, "ada@example.com", PASSWORD).await;

    assert_error(response, 403, "EMAIL_NOT_VERIFIED").await;
    assert_eq!(count(&server, "sessions").await, 0);
}

#[tokio::test]
async fn with_email_verification_required_a_wrong_password_still_returns_401() {
    let toml = format!("[auth]\nrequire_email_verification = true\n{HIGH_LIMITS}");
    let server = server_with(&toml, &[]).await;
    sign_up(&server, "ada@example.com", PASSWORD).await;

    let response = sign_in(&server, "ada@example.com", "not the password").await;

    assert_error(response, 401, "INVALID_EMAIL_OR_PASSWORD").await;
}
