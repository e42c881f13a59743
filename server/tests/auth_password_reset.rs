//! Password reset over real HTTP: `request-password-reset` mails a one-time link (read from the
//! development outbox), `reset-password` spends it.

use crate::auth_support;
use crate::common;
use crate::recovery_support;

use auth_support::*;
use common::{Store, TestServer};
use recovery_support::*;
use reqwest::header;
use serde_json::{json, Value};
use server::verification::token_hash;

const NEW_PASSWORD: &str = "quiet harbour lantern";

const RESET_REQUESTED: &str =
    "If this email exists in our system, check your email for the reset link";

async fn recovery_server() -> TestServer {
    server_with(RECOVERY_LIMITS, &[]).await
}

#[tokio::test]
async fn request_password_reset_answers_the_same_for_known_and_unknown_addresses() {
    let server = recovery_server().await;
    signed_up(&server, "ada@example.com").await;

    let known = request_reset(&server, "ada@example.com").await;
    let unknown = request_reset(&server, "nobody@example.com").await;

    assert_eq!(known.status(), 200);
    assert_eq!(unknown.status(), 200);
    let expected = json!({"status": true, "message": RESET_REQUESTED});
    assert_eq!(json_body(known).await, expected);
    assert_eq!(json_body(unknown).await, expected);
    assert_eq!(wait_for_mails(&server, "ada@example.com", 1).await.len(), 1);
    let all = server::mail::read_outbox(&server.data_dir.join("outbox"))
        .await
        .unwrap();
    assert_eq!(all.len(), 1, "no mail for the unknown address");
}

#[tokio::test]
async fn request_password_reset_mails_a_link_to_the_reset_page_and_stores_only_the_token_hash() {
    let server = recovery_server().await;
    signed_up(&server, "ada@example.com").await;
    let before = server::db::now_ms();

    let link = reset_link(&server, "ada@example.com", 1).await;

    let token = query_param(&link, "token");
    assert_eq!(
        link,
        format!("{}/reset-password?token={token}", server.base_url)
    );
    assert_eq!(token.len(), 43);
    let mail = &mails_to(&server, "ada@example.com").await[0];
    assert_eq!(mail.subject, "Reset your password");
    assert!(mail.text.contains(&link));
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT identifier, value, expires_at FROM verifications")
            .fetch_all(&server.db.pool)
            .await
            .unwrap();
    assert_eq!(rows.len(), 1);
    let (identifier, value, expires_at) = &rows[0];
    assert_eq!(
        identifier,
        &format!(
            "reset-password:{}",
            user_id(&server, "ada@example.com").await
        )
    );
    assert_eq!(value, &token_hash(&token));
    let hour = 3600 * 1000;
    assert!(*expires_at >= before + hour && *expires_at <= server::db::now_ms() + hour);
    let (with_token,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM verifications WHERE identifier LIKE $1 OR value LIKE $1",
    )
    .bind(format!("%{token}%"))
    .fetch_one(&server.db.pool)
    .await
    .unwrap();
    assert_eq!(with_token, 0, "the plain token is nowhere in the table");
}

#[tokio::test]
async fn request_password_reset_with_redirect_to_mails_a_link_to_that_page() {
    let server = recovery_server().await;
    signed_up(&server, "ada@example.com").await;

    let response = post_json(
        &server,
        "/api/auth/request-password-reset",
        json!({"email": "Ada@Example.com ", "redirectTo": "/account/new-password?from=mail"}),
    )
    .await;

    assert_eq!(response.status(), 200);
    let link = wait_for_mails(&server, "ada@example.com", 1).await[0]
        .link
        .clone()
        .unwrap();
    let token = query_param(&link, "token");
    assert_eq!(
        link,
        format!(
            "{}/account/new-password?from=mail&token={token}",
            server.base_url
        )
    );
}

#[tokio::test]
async fn request_password_reset_with_a_foreign_redirect_to_returns_403_invalid_callback_url() {
    let server = recovery_server().await;
    signed_up(&server, "ada@example.com").await;

    let response = post_json(
        &server,
        "/api/auth/request-password-reset",
        json!({"email": "ada@example.com", "redirectTo": "https://evil.example/reset"}),
    )
    .await;

    assert_error(response, 403, "INVALID_CALLBACK_URL").await;
    assert_eq!(count(&server, "verifications").await, 0);
}

#[tokio::test]
async fn request_password_reset_checks_the_body() {
    let server = recovery_server().await;

    let missing = post_json(&server, "/api/auth/request-password-reset", json!({})).await;
    let body = assert_error(missing, 400, "VALIDATION_ERROR").await;
    assert_eq!(body["field"], "email");
    let malformed = request_reset(&server, "not-an-address").await;
    assert_error(malformed, 400, "INVALID_EMAIL").await;
    let form = server
        .client
        .post(server.url("/api/auth/request-password-reset"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("email=ada%40example.com")
        .send()
        .await
        .unwrap();
    assert_error(form, 415, "UNSUPPORTED_MEDIA_TYPE").await;
}

#[tokio::test]
async fn request_password_reset_allows_3_requests_per_minute_then_returns_429() {
    let server = server_with("", &[]).await;

    for _ in 0..3 {
        assert_eq!(
            request_reset(&server, "nobody@example.com").await.status(),
            200
        );
    }
    let over = request_reset(&server, "nobody@example.com").await;

    assert!(over.headers().contains_key("x-retry-after"));
    let body = assert_error(over, 429, "TOO_MANY_REQUESTS").await;
    assert_eq!(
        body["message"],
        "Too many requests. Please try again later."
    );
}

async fn reset_sets_the_new_password_and_ends_every_session_on(server: TestServer) {
    let (_, first_cookie) = signed_up(&server, "ada@example.com").await;
    let second = sign_in(&server, "ada@example.com", PASSWORD).await;
    assert_eq!(second.status(), 200);
    let second_cookie = session_cookie(&second);
    signed_up(&server, "bob@example.com").await;
    let token = query_param(&reset_link(&server, "ada@example.com", 1).await, "token");

    let response = reset_password(&server, &token, NEW_PASSWORD).await;

    assert_eq!(response.status(), 200);
    assert_eq!(json_body(response).await, json!({"status": true}));
    for cookie in [&first_cookie, &second_cookie] {
        let session = get_session(&server, Some(cookie)).await;
        assert_eq!(json_body(session).await, Value::Null);
    }
    assert_eq!(
        count(&server, "sessions").await,
        1,
        "only bob's session is left"
    );
    assert_eq!(count(&server, "verifications").await, 0);
    assert_error(
        sign_in(&server, "ada@example.com", PASSWORD).await,
        401,
        "INVALID_EMAIL_OR_PASSWORD",
    )
    .await;
    let signed_in = sign_in(&server, "ada@example.com", NEW_PASSWORD).await;
    assert_eq!(signed_in.status(), 200);
    assert_eq!(
        json_body(signed_in).await["user"]["email"],
        "ada@example.com"
    );
}

#[tokio::test]
async fn reset_password_sets_the_new_password_and_ends_every_session_on_sqlite() {
    reset_sets_the_new_password_and_ends_every_session_on(recovery_server().await).await;
}

#[tokio::test]
async fn reset_password_sets_the_new_password_and_ends_every_session_on_postgres() {
    let Some(server) = server_on(Store::Postgres, RECOVERY_LIMITS, &[]).await else {
        return;
    };
    reset_sets_the_new_password_and_ends_every_session_on(server).await;
}

async fn a_reset_link_works_once_on(server: TestServer) {
    signed_up(&server, "ada@example.com").await;
    let token = query_param(&reset_link(&server, "ada@example.com", 1).await, "token");
    assert_eq!(
        reset_password(&server, &token, NEW_PASSWORD).await.status(),
        200
    );

    let again = reset_password(&server, &token, "another fine password").await;

    let body = assert_error(again, 400, "INVALID_TOKEN").await;
    assert_eq!(
        body["message"],
        "This reset link is invalid, used or expired; ask for a new one."
    );
    assert_eq!(
        sign_in(&server, "ada@example.com", NEW_PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_reset_link_works_once_and_the_second_use_returns_400_invalid_token_on_sqlite() {
    a_reset_link_works_once_on(recovery_server().await).await;
}

#[tokio::test]
async fn a_reset_link_works_once_and_the_second_use_returns_400_invalid_token_on_postgres() {
    let Some(server) = server_on(Store::Postgres, RECOVERY_LIMITS, &[]).await else {
        return;
    };
    a_reset_link_works_once_on(server).await;
}

async fn an_expired_reset_link_is_refused_on(server: TestServer) {
    let (_, cookie) = signed_up(&server, "ada@example.com").await;
    let token = query_param(&reset_link(&server, "ada@example.com", 1).await, "token");
    expire_all_tokens(&server).await;

    let response = reset_password(&server, &token, NEW_PASSWORD).await;

    assert_error(response, 400, "INVALID_TOKEN").await;
    assert_eq!(
        count(&server, "verifications").await,
        0,
        "expired row deleted"
    );
    assert_eq!(
        sign_in(&server, "ada@example.com", PASSWORD).await.status(),
        200
    );
    let session = json_body(get_session(&server, Some(&cookie)).await).await;
    assert_eq!(session["user"]["email"], "ada@example.com");
}

#[tokio::test]
async fn an_expired_reset_link_returns_400_invalid_token_and_changes_nothing_on_sqlite() {
    an_expired_reset_link_is_refused_on(recovery_server().await).await;
}

#[tokio::test]
async fn an_expired_reset_link_returns_400_invalid_token_and_changes_nothing_on_postgres() {
    let Some(server) = server_on(Store::Postgres, RECOVERY_LIMITS, &[]).await else {
        return;
    };
    an_expired_reset_link_is_refused_on(server).await;
}

#[tokio::test]
async fn reset_password_with_an_unknown_token_returns_400_invalid_token() {
    let server = recovery_server().await;
    signed_up(&server, "ada@example.com").await;

    let response = reset_password(&server, "not-a-token-we-issued", NEW_PASSWORD).await;

    assert_error(response, 400, "INVALID_TOKEN").await;
}

#[tokio::test]
async fn reset_password_applies_the_sign_up_password_rules_and_keeps_the_link_usable() {
    let server = recovery_server().await;
    signed_up(&server, "ada@example.com").await;
    let token = query_param(&reset_link(&server, "ada@example.com", 1).await, "token");

    let short = reset_password(&server, &token, "short").await;
    assert_error(short, 400, "PASSWORD_TOO_SHORT").await;
    let long = reset_password(&server, &token, &"x".repeat(129)).await;
    assert_error(long, 400, "PASSWORD_TOO_LONG").await;
    let common = reset_password(&server, &token, "password123").await;
    assert_error(common, 400, "PASSWORD_TOO_COMMON").await;

    assert_eq!(
        reset_password(&server, &token, NEW_PASSWORD).await.status(),
        200
    );
}

#[tokio::test]
async fn reset_password_without_a_token_or_password_returns_400_validation_error() {
    let server = recovery_server().await;

    let no_token = post_json(
        &server,
        "/api/auth/reset-password",
        json!({"newPassword": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(
        assert_error(no_token, 400, "VALIDATION_ERROR").await["field"],
        "token"
    );
    let no_password = post_json(&server, "/api/auth/reset-password", json!({"token": "abc"})).await;
    assert_eq!(
        assert_error(no_password, 400, "VALIDATION_ERROR").await["field"],
        "newPassword"
    );
}

#[tokio::test]
async fn a_reset_ends_the_users_other_reset_links() {
    let server = recovery_server().await;
    signed_up(&server, "ada@example.com").await;
    let first = query_param(&reset_link(&server, "ada@example.com", 1).await, "token");
    let second = query_param(&reset_link(&server, "ada@example.com", 2).await, "token");

    assert_eq!(
        reset_password(&server, &second, NEW_PASSWORD)
            .await
            .status(),
        200
    );

    assert_error(
        reset_password(&server, &first, "another fine password").await,
        400,
        "INVALID_TOKEN",
    )
    .await;
}

#[tokio::test]
async fn a_verification_token_is_refused_by_reset_password() {
    let server = server_with(SEND_ON_SIGN_UP, &[]).await;
    signed_up(&server, "ada@example.com").await;
    let link = wait_for_mails(&server, "ada@example.com", 1).await[0]
        .link
        .clone()
        .unwrap();
    let token = query_param(&link, "token");

    let response = reset_password(&server, &token, NEW_PASSWORD).await;

    assert_error(response, 400, "INVALID_TOKEN").await;
    assert_eq!(count(&server, "verifications").await, 1, "still usable");
}

async fn concurrent_resets_with_one_token_succeed_once_on(server: TestServer) {
    signed_up(&server, "ada@example.com").await;
    let token = query_param(&reset_link(&server, "ada@example.com", 1).await, "token");

    let (first, second) = tokio::join!(
        reset_password(&server, &token, NEW_PASSWORD),
        reset_password(&server, &token, "another fine password"),
    );

    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 400]);
    let refused = if first.status() == 400 { first } else { second };
    assert_error(refused, 400, "INVALID_TOKEN").await;
}

#[tokio::test]
async fn two_concurrent_resets_with_one_token_succeed_exactly_once_on_sqlite() {
    concurrent_resets_with_one_token_succeed_once_on(recovery_server().await).await;
}

#[tokio::test]
async fn two_concurrent_resets_with_one_token_succeed_exactly_once_on_postgres() {
    let Some(server) = server_on(Store::Postgres, RECOVERY_LIMITS, &[]).await else {
        return;
    };
    concurrent_resets_with_one_token_succeed_once_on(server).await;
}
