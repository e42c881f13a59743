//! Sessions over real HTTP: `get-session`, sliding expiry, `sign-out` and the cookie.

use crate::auth_support;

use auth_support::*;
use reqwest::header;
use serde_json::{json, Value};
use server::db::now_ms;

const DAY_MS: i64 = 24 * 3600 * 1000;

#[tokio::test]
async fn get_session_without_a_cookie_returns_null_and_no_store() {
    let server = server().await;

    let response = get_session(&server, None).await;

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    assert_eq!(response.json::<Value>().await.unwrap(), Value::Null);
}

#[tokio::test]
async fn get_session_with_the_cookie_returns_the_session_and_user() {
    let server = server().await;
    let (signed_up, cookie) = signed_up(&server, "ada@example.com").await;

    let response = server
        .client
        .get(server.url("/api/auth/get-session"))
        .header(header::COOKIE, format!("theme=dark; {cookie}; other=1"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    assert!(
        set_cookies(&response).is_empty(),
        "a fresh session is not re-sent"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"], signed_up["user"]);
    let session = &body["session"];
    assert_eq!(session["token"], signed_up["token"]);
    assert_eq!(session["userId"], signed_up["user"]["id"]);
    assert_eq!(session["ipAddress"], "127.0.0.1");
    assert_eq!(session["userAgent"], Value::Null);
    assert_eq!(session["id"].as_str().map(str::len), Some(32));
    assert!(session["expiresAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(session["createdAt"], session["updatedAt"]);
}

#[tokio::test]
async fn a_cookie_with_a_wrong_signature_reads_as_no_session() {
    let server = server().await;
    let (signed_up, _) = signed_up(&server, "ada@example.com").await;
    let token = signed_up["token"].as_str().unwrap();

    for forged in [
        format!("better-auth.session_token={token}"),
        format!("better-auth.session_token={token}.AAAA"),
        format!(
            "better-auth.session_token={token}.{}",
            "A".repeat(43) + "%3D"
        ),
    ] {
        let body: Value = get_session(&server, Some(&forged))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(body, Value::Null, "{forged}");
    }
}

#[tokio::test]
async fn a_session_used_after_the_refresh_age_is_extended_and_the_cookie_re_sent() {
    let server = server().await;
    let (signed_up, cookie) = signed_up(&server, "ada@example.com").await;
    let token = signed_up["token"].as_str().unwrap();
    let two_days_ago = now_ms() - 2 * DAY_MS;
    sqlx::query("UPDATE sessions SET updated_at = $1, expires_at = $2 WHERE token = $3")
        .bind(two_days_ago)
        .bind(two_days_ago + 7 * DAY_MS)
        .bind(token)
        .execute(&server.db.pool)
        .await
        .unwrap();

    let before = now_ms();
    let response = get_session(&server, Some(&cookie)).await;

    assert_eq!(response.status(), 200);
    let resent = set_cookie_named(&response, "better-auth.session_token").expect("re-sent");
    assert_eq!(
        resent,
        format!("{cookie}; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax")
    );
    let (expires_at, updated_at): (i64, i64) =
        sqlx::query_as("SELECT expires_at, updated_at FROM sessions WHERE token = $1")
            .bind(token)
            .fetch_one(&server.db.pool)
            .await
            .unwrap();
    assert!(updated_at >= before, "updated_at moved to now");
    assert_eq!(expires_at - updated_at, 7 * DAY_MS);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["session"]["expiresAt"],
        server::db::iso8601(expires_at)
    );
}

#[tokio::test]
async fn a_session_used_within_the_refresh_age_is_not_extended() {
    let server = server().await;
    let (signed_up, cookie) = signed_up(&server, "ada@example.com").await;
    let token = signed_up["token"].as_str().unwrap();
    let hours_ago = now_ms() - DAY_MS / 2;
    sqlx::query("UPDATE sessions SET updated_at = $1, expires_at = $2 WHERE token = $3")
        .bind(hours_ago)
        .bind(hours_ago + 7 * DAY_MS)
        .bind(token)
        .execute(&server.db.pool)
        .await
        .unwrap();

    let response = get_session(&server, Some(&cookie)).await;

    assert!(set_cookies(&response).is_empty());
    let (updated_at,): (i64,) = sqlx::query_as("SELECT updated_at FROM sessions WHERE token = $1")
        .bind(token)
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(updated_at, hours_ago);
}

#[tokio::test]
async fn a_remember_me_false_session_is_re_sent_without_max_age_when_extended() {
    let server = server().await;
    let response = post_json(
        &server,
        "/api/auth/sign-up/email",
        json!({"name": "Ada", "email": "ada@example.com", "password": PASSWORD,
               "rememberMe": false}),
    )
    .await;
    let cookies: Vec<String> = set_cookies(&response)
        .iter()
        .map(|c| c.split(';').next().unwrap().to_owned())
        .collect();
    assert_eq!(cookies.len(), 2, "session cookie and dont_remember marker");
    let cookie_header = cookies.join("; ");
    sqlx::query("UPDATE sessions SET updated_at = $1")
        .bind(now_ms() - 2 * DAY_MS)
        .execute(&server.db.pool)
        .await
        .unwrap();

    let response = get_session(&server, Some(&cookie_header)).await;

    let resent = set_cookie_named(&response, "better-auth.session_token").expect("re-sent");
    assert!(
        resent.ends_with("; Path=/; HttpOnly; SameSite=Lax"),
        "{resent}"
    );
    assert!(!resent.contains("Max-Age"), "{resent}");
}

#[tokio::test]
async fn an_expired_session_reads_as_null_and_is_deleted() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;
    sqlx::query("UPDATE sessions SET expires_at = $1")
        .bind(now_ms() - 1)
        .execute(&server.db.pool)
        .await
        .unwrap();

    let body: Value = get_session(&server, Some(&cookie))
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(body, Value::Null);
    assert_eq!(count(&server, "sessions").await, 0);
}

#[tokio::test]
async fn sign_out_deletes_the_session_and_expires_the_cookie() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let response = post_with_cookie(&server, "/api/auth/sign-out", &cookie, json!({})).await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        set_cookie_named(&response, "better-auth.session_token").as_deref(),
        Some("better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax")
    );
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"success": true})
    );
    assert_eq!(count(&server, "sessions").await, 0);
}

#[tokio::test]
async fn a_cookie_replayed_after_sign_out_gives_null() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;
    post_with_cookie(&server, "/api/auth/sign-out", &cookie, json!({})).await;

    let body: Value = get_session(&server, Some(&cookie))
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(body, Value::Null);
}

#[tokio::test]
async fn sign_out_without_a_session_still_answers_success_and_expires_the_cookie() {
    let server = server().await;

    let response = server
        .client
        .post(server.url("/api/auth/sign-out"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert!(set_cookie_named(&response, "better-auth.session_token")
        .is_some_and(|c| c.contains("Max-Age=0")));
}

#[tokio::test]
async fn sign_out_only_ends_the_session_of_its_cookie() {
    let server = server().await;
    let (_, first) = signed_up(&server, "ada@example.com").await;
    let second = session_cookie(&sign_in(&server, "ada@example.com", PASSWORD).await);

    post_with_cookie(&server, "/api/auth/sign-out", &first, json!({})).await;

    let body: Value = get_session(&server, Some(&second))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["user"]["email"], "ada@example.com");
}

#[tokio::test]
async fn auth_ok_answers_ok_true() {
    let server = server().await;
    let response = server
        .client
        .get(server.url("/api/auth/ok"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({"ok": true}));
}
