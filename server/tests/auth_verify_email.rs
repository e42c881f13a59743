//! Email verification over real HTTP: sign-up and `send-verification-email` mail a one-time
//! link (read from the development outbox), `verify-email` spends it, and sign-in waits for it
//! when verification is required.

use crate::auth_support;
use crate::common;
use crate::recovery_support;

use std::time::Duration;

use auth_support::*;
use common::{Store, TestServer};
use recovery_support::*;
use reqwest::header;
use serde_json::{json, Value};

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .expect("Location header")
        .to_str()
        .unwrap()
        .to_owned()
}

async fn sign_up_with_callback(server: &TestServer, email: &str, callback: &str) -> Value {
    let response = post_json(
        server,
        "/api/auth/sign-up/email",
        json!({"name": "Ada Lovelace", "email": email, "password": PASSWORD,
               "callbackURL": callback}),
    )
    .await;
    assert_eq!(response.status(), 200);
    json_body(response).await
}

async fn send_verification(server: &TestServer, body: Value) -> reqwest::Response {
    post_json(server, "/api/auth/send-verification-email", body).await
}

async fn sign_up_mails_a_link_that_verifies_on(server: TestServer) {
    let signed_up = sign_up_with_callback(&server, "ada@example.com", "/tasks").await;
    assert_eq!(signed_up["user"]["emailVerified"], false);

    let mails = wait_for_mails(&server, "ada@example.com", 1).await;

    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject, "Verify your email address");
    let link = mails[0].link.clone().unwrap();
    let token = query_param(&link, "token");
    assert_eq!(
        link,
        format!(
            "{}/api/auth/verify-email?token={token}&callbackURL=%2Ftasks",
            server.base_url
        )
    );
    assert!(mails[0].text.contains(&link));

    let verified = get(&server, &link).await;

    assert_eq!(verified.status(), 302);
    assert_eq!(location(&verified), format!("{}/tasks", server.base_url));
    assert!(email_verified(&server, "ada@example.com").await);
    assert_eq!(count(&server, "verifications").await, 0);
    let signed_in = sign_in(&server, "ada@example.com", PASSWORD).await;
    let cookie = session_cookie(&signed_in);
    let session = json_body(get_session(&server, Some(&cookie)).await).await;
    assert_eq!(session["user"]["emailVerified"], true);
}

#[tokio::test]
async fn sign_up_mails_a_verification_link_and_following_it_verifies_the_email_on_sqlite() {
    sign_up_mails_a_link_that_verifies_on(server_with(SEND_ON_SIGN_UP, &[]).await).await;
}

#[tokio::test]
async fn sign_up_mails_a_verification_link_and_following_it_verifies_the_email_on_postgres() {
    let Some(server) = server_on(Store::Postgres, SEND_ON_SIGN_UP, &[]).await else {
        return;
    };
    sign_up_mails_a_link_that_verifies_on(server).await;
}

#[tokio::test]
async fn sign_up_without_send_verification_on_sign_up_mails_nothing() {
    let server = server_with(RECOVERY_LIMITS, &[]).await;

    signed_up(&server, "ada@example.com").await;
    // A verification mail would have been started before this reset request.
    tokio::time::sleep(Duration::from_millis(500)).await;
    reset_link(&server, "ada@example.com", 1).await;

    let mails = mails_to(&server, "ada@example.com").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject, "Reset your password");
}

#[tokio::test]
async fn verify_email_without_a_callback_answers_status_true() {
    let server = server_with(SEND_ON_SIGN_UP, &[]).await;
    signed_up(&server, "ada@example.com").await;
    let link = wait_for_mails(&server, "ada@example.com", 1).await[0]
        .link
        .clone()
        .unwrap();
    let token = query_param(&link, "token");

    let response = get(
        &server,
        &server.url(&format!("/api/auth/verify-email?token={token}")),
    )
    .await;

    assert_eq!(response.status(), 200);
    assert_eq!(json_body(response).await, json!({"status": true}));
    assert!(email_verified(&server, "ada@example.com").await);
}

#[tokio::test]
async fn a_verification_link_works_once_and_then_returns_401_invalid_token() {
    let server = server_with(SEND_ON_SIGN_UP, &[]).await;
    signed_up(&server, "ada@example.com").await;
    let link = wait_for_mails(&server, "ada@example.com", 1).await[0]
        .link
        .clone()
        .unwrap();
    let token = query_param(&link, "token");
    let url = server.url(&format!("/api/auth/verify-email?token={token}"));
    assert_eq!(get(&server, &url).await.status(), 200);

    let again = get(&server, &url).await;

    let body = assert_error(again, 401, "INVALID_TOKEN").await;
    assert_eq!(
        body["message"],
        "This verification link is invalid or was already used; ask for a new one."
    );
}

#[tokio::test]
async fn verify_email_with_an_unknown_token_returns_401_invalid_token() {
    let server = server_with(RECOVERY_LIMITS, &[]).await;

    let response = get(
        &server,
        &server.url("/api/auth/verify-email?token=never-issued"),
    )
    .await;

    assert_error(response, 401, "INVALID_TOKEN").await;
}

async fn an_expired_verification_link_is_refused_on(server: TestServer) {
    signed_up(&server, "ada@example.com").await;
    let link = wait_for_mails(&server, "ada@example.com", 1).await[0]
        .link
        .clone()
        .unwrap();
    let token = query_param(&link, "token");
    expire_all_tokens(&server).await;

    let response = get(
        &server,
        &server.url(&format!("/api/auth/verify-email?token={token}")),
    )
    .await;

    let body = assert_error(response, 401, "TOKEN_EXPIRED").await;
    assert_eq!(
        body["message"],
        "This verification link has expired; ask for a new one."
    );
    assert!(!email_verified(&server, "ada@example.com").await);
}

#[tokio::test]
async fn an_expired_verification_link_returns_401_token_expired_on_sqlite() {
    an_expired_verification_link_is_refused_on(server_with(SEND_ON_SIGN_UP, &[]).await).await;
}

#[tokio::test]
async fn an_expired_verification_link_returns_401_token_expired_on_postgres() {
    let Some(server) = server_on(Store::Postgres, SEND_ON_SIGN_UP, &[]).await else {
        return;
    };
    an_expired_verification_link_is_refused_on(server).await;
}

#[tokio::test]
async fn a_refused_verification_link_with_a_callback_redirects_there_with_the_error_code() {
    let server = server_with(SEND_ON_SIGN_UP, &[]).await;
    sign_up_with_callback(&server, "ada@example.com", "/tasks").await;
    let link = wait_for_mails(&server, "ada@example.com", 1).await[0]
        .link
        .clone()
        .unwrap();
    assert_eq!(get(&server, &link).await.status(), 302);

    let used = get(&server, &link).await;
    let unknown = get(
        &server,
        &server.url("/api/auth/verify-email?token=never-issued&callbackURL=%2Fdone%3Fx%3D1"),
    )
    .await;

    assert_eq!(used.status(), 302);
    assert_eq!(
        location(&used),
        format!("{}/tasks?error=INVALID_TOKEN", server.base_url)
    );
    assert_eq!(unknown.status(), 302);
    assert_eq!(
        location(&unknown),
        format!("{}/done?x=1&error=INVALID_TOKEN", server.base_url)
    );
}

#[tokio::test]
async fn an_expired_verification_link_with_a_callback_redirects_with_token_expired() {
    let server = server_with(SEND_ON_SIGN_UP, &[]).await;
    sign_up_with_callback(&server, "ada@example.com", "/tasks").await;
    let link = wait_for_mails(&server, "ada@example.com", 1).await[0]
        .link
        .clone()
        .unwrap();
    expire_all_tokens(&server).await;

    let response = get(&server, &link).await;

    assert_eq!(response.status(), 302);
    assert_eq!(
        location(&response),
        format!("{}/tasks?error=TOKEN_EXPIRED", server.base_url)
    );
}

#[tokio::test]
async fn verify_email_with_a_foreign_callback_returns_403_and_keeps_the_token() {
    let server = server_with(SEND_ON_SIGN_UP, &[]).await;
    signed_up(&server, "ada@example.com").await;
    let link = wait_for_mails(&server, "ada@example.com", 1).await[0]
        .link
        .clone()
        .unwrap();
    let token = query_param(&link, "token");

    let foreign = get(
        &server,
        &server.url(&format!(
            "/api/auth/verify-email?token={token}&callbackURL=https%3A%2F%2Fevil.example%2F"
        )),
    )
    .await;

    assert_error(foreign, 403, "INVALID_CALLBACK_URL").await;
    assert!(!email_verified(&server, "ada@example.com").await);
    assert_eq!(get(&server, &link).await.status(), 302);
    assert!(email_verified(&server, "ada@example.com").await);
}

#[tokio::test]
async fn verify_email_without_a_token_returns_400_validation_error() {
    let server = server_with(RECOVERY_LIMITS, &[]).await;

    let response = get(&server, &server.url("/api/auth/verify-email")).await;

    let body = assert_error(response, 400, "VALIDATION_ERROR").await;
    assert_eq!(body["field"], "token");
}

#[tokio::test]
async fn a_reset_token_is_refused_by_verify_email() {
    let server = server_with(RECOVERY_LIMITS, &[]).await;
    signed_up(&server, "ada@example.com").await;
    let token = query_param(&reset_link(&server, "ada@example.com", 1).await, "token");

    let response = get(
        &server,
        &server.url(&format!("/api/auth/verify-email?token={token}")),
    )
    .await;

    assert_error(response, 401, "INVALID_TOKEN").await;
    assert!(!email_verified(&server, "ada@example.com").await);
}

#[tokio::test]
async fn send_verification_email_answers_status_true_and_mails_only_an_unverified_account() {
    let server = server_with(RECOVERY_LIMITS, &[]).await;
    signed_up(&server, "ada@example.com").await;
    signed_up(&server, "grace@example.com").await;
    sqlx::query("UPDATE users SET email_verified = 1 WHERE email = 'grace@example.com'")
        .execute(&server.db.pool)
        .await
        .unwrap();

    for email in ["grace@example.com", "nobody@example.com", "ADA@example.com"] {
        let response = send_verification(&server, json!({ "email": email })).await;
        assert_eq!(response.status(), 200, "{email}");
        assert_eq!(json_body(response).await, json!({"status": true}));
    }

    let mails = wait_for_mails(&server, "ada@example.com", 1).await;
    let link = mails[0].link.clone().unwrap();
    assert_eq!(
        link,
        format!(
            "{}/api/auth/verify-email?token={}&callbackURL=%2F",
            server.base_url,
            query_param(&link, "token")
        )
    );
    let all = server::mail::read_outbox(&server.data_dir.join("outbox"))
        .await
        .unwrap();
    assert_eq!(
        all.len(),
        1,
        "nothing for the verified or the unknown address"
    );
    let verified = get(&server, &link).await;
    assert_eq!(verified.status(), 302);
    assert_eq!(location(&verified), format!("{}/", server.base_url));
    assert!(email_verified(&server, "ada@example.com").await);
}

#[tokio::test]
async fn send_verification_email_checks_the_body_and_the_callback() {
    let server = server_with(RECOVERY_LIMITS, &[]).await;
    signed_up(&server, "ada@example.com").await;

    let missing = send_verification(&server, json!({})).await;
    assert_eq!(
        assert_error(missing, 400, "VALIDATION_ERROR").await["field"],
        "email"
    );
    let malformed = send_verification(&server, json!({"email": "nope"})).await;
    assert_error(malformed, 400, "INVALID_EMAIL").await;
    let foreign = send_verification(
        &server,
        json!({"email": "ada@example.com", "callbackURL": "https://evil.example/"}),
    )
    .await;
    assert_error(foreign, 403, "INVALID_CALLBACK_URL").await;
    assert_eq!(count(&server, "verifications").await, 0);
}

#[tokio::test]
async fn send_verification_email_allows_3_requests_per_minute_then_returns_429() {
    let server = server_with("", &[]).await;

    for _ in 0..3 {
        let response = send_verification(&server, json!({"email": "nobody@example.com"})).await;
        assert_eq!(response.status(), 200);
    }
    let over = send_verification(&server, json!({"email": "nobody@example.com"})).await;

    assert!(over.headers().contains_key("x-retry-after"));
    assert_error(over, 429, "TOO_MANY_REQUESTS").await;
}

async fn required_verification_blocks_sign_in_until_verified_on(server: TestServer) {
    let signed_up = post_json(
        &server,
        "/api/auth/sign-up/email",
        json!({"name": "Ada Lovelace", "email": "ada@example.com", "password": PASSWORD}),
    )
    .await;
    assert_eq!(signed_up.status(), 200);
    assert!(set_cookie_named(&signed_up, "better-auth.session_token").is_none());
    assert_eq!(json_body(signed_up).await["token"], Value::Null);
    assert_eq!(wait_for_mails(&server, "ada@example.com", 1).await.len(), 1);

    let refused = sign_in(&server, "ada@example.com", PASSWORD).await;

    assert!(set_cookie_named(&refused, "better-auth.session_token").is_none());
    let body = assert_error(refused, 403, "EMAIL_NOT_VERIFIED").await;
    assert_eq!(
        body["message"],
        "Verify your email address before signing in."
    );
    let mails = wait_for_mails(&server, "ada@example.com", 2).await;
    assert_eq!(count(&server, "sessions").await, 0);
    let wrong = sign_in(&server, "ada@example.com", "not the password").await;
    assert_error(wrong, 401, "INVALID_EMAIL_OR_PASSWORD").await;

    let fresh_link = mails[1].link.clone().unwrap();
    assert_eq!(get(&server, &fresh_link).await.status(), 302);

    let signed_in = sign_in(&server, "ada@example.com", PASSWORD).await;
    assert_eq!(signed_in.status(), 200);
    assert_eq!(json_body(signed_in).await["user"]["emailVerified"], true);
    assert_eq!(
        mails_to(&server, "ada@example.com").await.len(),
        2,
        "no mail for the wrong password or the verified sign-in"
    );
}

#[tokio::test]
async fn required_verification_sign_in_returns_403_email_not_verified_and_mails_a_fresh_link_on_sqlite(
) {
    required_verification_blocks_sign_in_until_verified_on(
        server_with(REQUIRE_VERIFICATION, &[]).await,
    )
    .await;
}

#[tokio::test]
async fn required_verification_sign_in_returns_403_email_not_verified_and_mails_a_fresh_link_on_postgres(
) {
    let Some(server) = server_on(Store::Postgres, REQUIRE_VERIFICATION, &[]).await else {
        return;
    };
    required_verification_blocks_sign_in_until_verified_on(server).await;
}
