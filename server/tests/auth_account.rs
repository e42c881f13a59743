//! Account lifecycle routes over real HTTP: list and revoke sessions, update the user, change
//! the password, delete the user.

use crate::auth_support;
use crate::common;

use auth_support::*;
use common::{Store, TestServer};
use reqwest::header;
use serde_json::{json, Value};

async fn get_with_cookie(server: &TestServer, path: &str, cookie: &str) -> reqwest::Response {
    server
        .client
        .get(server.url(path))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

async fn session_of(server: &TestServer, cookie: &str) -> Value {
    get_session(server, Some(cookie))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn every_lifecycle_route_without_a_session_returns_401_unauthorized() {
    let server = server().await;

    let listed = server
        .client
        .get(server.url("/api/auth/list-sessions"))
        .send()
        .await
        .unwrap();
    assert_error(listed, 401, "UNAUTHORIZED").await;
    for path in [
        "/api/auth/revoke-session",
        "/api/auth/revoke-sessions",
        "/api/auth/revoke-other-sessions",
        "/api/auth/update-user",
        "/api/auth/change-password",
        "/api/auth/delete-user",
    ] {
        let response = post_json(&server, path, json!({})).await;
        assert_error(response, 401, "UNAUTHORIZED").await;
    }
}

#[tokio::test]
async fn list_sessions_returns_the_users_active_sessions_only() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;
    sign_in(&server, "ada@example.com", PASSWORD).await;
    signed_up(&server, "bob@example.com").await;

    let response = get_with_cookie(&server, "/api/auth/list-sessions", &cookie).await;

    assert_eq!(response.status(), 200);
    let sessions: Vec<Value> = response.json().await.unwrap();
    assert_eq!(sessions.len(), 2);
    let ada = session_of(&server, &cookie).await;
    assert!(sessions
        .iter()
        .all(|s| s["userId"] == ada["user"]["id"] && s["token"].is_string()));
}

#[tokio::test]
async fn revoke_session_deletes_the_users_own_session_but_not_another_users() {
    let server = server().await;
    let (_, ada) = signed_up(&server, "ada@example.com").await;
    let ada_second = sign_in(&server, "ada@example.com", PASSWORD).await;
    let ada_second_cookie = session_cookie(&ada_second);
    let ada_second_token = ada_second.json::<Value>().await.unwrap()["token"].clone();
    let (bob, bob_cookie) = signed_up(&server, "bob@example.com").await;

    let own = post_with_cookie(
        &server,
        "/api/auth/revoke-session",
        &ada,
        json!({"token": ada_second_token}),
    )
    .await;
    let foreign = post_with_cookie(
        &server,
        "/api/auth/revoke-session",
        &ada,
        json!({"token": bob["token"]}),
    )
    .await;
    let unknown = post_with_cookie(
        &server,
        "/api/auth/revoke-session",
        &ada,
        json!({"token": "no-such-token"}),
    )
    .await;

    for response in [own, foreign, unknown] {
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.json::<Value>().await.unwrap(),
            json!({"status": true})
        );
    }
    assert_eq!(session_of(&server, &ada_second_cookie).await, Value::Null);
    assert_eq!(
        session_of(&server, &bob_cookie).await["user"]["email"],
        "bob@example.com"
    );
    assert_eq!(
        session_of(&server, &ada).await["user"]["email"],
        "ada@example.com"
    );
}

#[tokio::test]
async fn revoke_session_without_a_token_returns_400_validation_error() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let response = post_with_cookie(&server, "/api/auth/revoke-session", &cookie, json!({})).await;

    let body = assert_error(response, 400, "VALIDATION_ERROR").await;
    assert_eq!(body["field"], "token");
}

#[tokio::test]
async fn revoke_sessions_ends_every_session_and_expires_the_cookie() {
    let server = server().await;
    let (_, first) = signed_up(&server, "ada@example.com").await;
    let second = session_cookie(&sign_in(&server, "ada@example.com", PASSWORD).await);
    signed_up(&server, "bob@example.com").await;

    let response = post_with_cookie(&server, "/api/auth/revoke-sessions", &first, json!({})).await;

    assert_eq!(response.status(), 200);
    assert!(set_cookie_named(&response, "better-auth.session_token")
        .is_some_and(|c| c.contains("Max-Age=0")));
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"status": true})
    );
    assert_eq!(session_of(&server, &first).await, Value::Null);
    assert_eq!(session_of(&server, &second).await, Value::Null);
    assert_eq!(count(&server, "sessions").await, 1, "bob's session remains");
}

#[tokio::test]
async fn revoke_other_sessions_keeps_only_the_current_one() {
    let server = server().await;
    let (_, first) = signed_up(&server, "ada@example.com").await;
    let second = session_cookie(&sign_in(&server, "ada@example.com", PASSWORD).await);

    let response = post_with_cookie(
        &server,
        "/api/auth/revoke-other-sessions",
        &first,
        json!({}),
    )
    .await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"status": true})
    );
    assert_eq!(
        session_of(&server, &first).await["user"]["email"],
        "ada@example.com"
    );
    assert_eq!(session_of(&server, &second).await, Value::Null);
}

#[tokio::test]
async fn update_user_changes_name_and_image_and_null_clears_the_image() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let response = post_with_cookie(
        &server,
        "/api/auth/update-user",
        &cookie,
        json!({"name": "Countess of Lovelace", "image": "https://img.example/ada.png"}),
    )
    .await;
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"status": true})
    );
    let user = session_of(&server, &cookie).await["user"].clone();
    assert_eq!(user["name"], "Countess of Lovelace");
    assert_eq!(user["image"], "https://img.example/ada.png");

    post_with_cookie(
        &server,
        "/api/auth/update-user",
        &cookie,
        json!({"image": null}),
    )
    .await;
    let user = session_of(&server, &cookie).await["user"].clone();
    assert_eq!(user["name"], "Countess of Lovelace");
    assert_eq!(user["image"], Value::Null);
}

#[tokio::test]
async fn update_user_with_an_email_returns_400_email_can_not_be_updated() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let response = post_with_cookie(
        &server,
        "/api/auth/update-user",
        &cookie,
        json!({"email": "eve@example.com"}),
    )
    .await;

    assert_error(response, 400, "EMAIL_CAN_NOT_BE_UPDATED").await;
    assert_eq!(
        session_of(&server, &cookie).await["user"]["email"],
        "ada@example.com"
    );
}

#[tokio::test]
async fn update_user_takes_json_only() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let response = server
        .client
        .post(server.url("/api/auth/update-user"))
        .header(header::COOKIE, cookie.as_str())
        .header(header::ORIGIN, server.base_url.as_str())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("name=Eve")
        .send()
        .await
        .unwrap();

    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE").await;
}

#[tokio::test]
async fn change_password_with_a_wrong_current_password_returns_400_invalid_password() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let response = post_with_cookie(
        &server,
        "/api/auth/change-password",
        &cookie,
        json!({"currentPassword": "not the password", "newPassword": "saffron lantern kite"}),
    )
    .await;

    assert_error(response, 400, "INVALID_PASSWORD").await;
    assert_eq!(
        sign_in(&server, "ada@example.com", PASSWORD).await.status(),
        200
    );
}

#[tokio::test]
async fn change_password_checks_the_new_passwords_length() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let short = post_with_cookie(
        &server,
        "/api/auth/change-password",
        &cookie,
        json!({"currentPassword": PASSWORD, "newPassword": "short"}),
    )
    .await;
    let long = post_with_cookie(
        &server,
        "/api/auth/change-password",
        &cookie,
        json!({"currentPassword": PASSWORD, "newPassword": "x".repeat(129)}),
    )
    .await;

    assert_error(short, 400, "PASSWORD_TOO_SHORT").await;
    assert_error(long, 400, "PASSWORD_TOO_LONG").await;
}

#[tokio::test]
async fn change_password_replaces_the_password_and_keeps_sessions() {
    let server = server().await;
    let (signed_up, cookie) = signed_up(&server, "ada@example.com").await;

    let response = post_with_cookie(
        &server,
        "/api/auth/change-password",
        &cookie,
        json!({"currentPassword": PASSWORD, "newPassword": "saffron lantern kite"}),
    )
    .await;

    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token"], Value::Null);
    assert_eq!(body["user"]["id"], signed_up["user"]["id"]);
    assert_error(
        sign_in(&server, "ada@example.com", PASSWORD).await,
        401,
        "INVALID_EMAIL_OR_PASSWORD",
    )
    .await;
    assert_eq!(
        sign_in(&server, "ada@example.com", "saffron lantern kite")
            .await
            .status(),
        200
    );
    assert_eq!(
        session_of(&server, &cookie).await["user"]["email"],
        "ada@example.com"
    );
}

#[tokio::test]
async fn change_password_with_revoke_other_sessions_opens_a_new_session_and_ends_the_rest() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;
    let other = session_cookie(&sign_in(&server, "ada@example.com", PASSWORD).await);

    let response = post_with_cookie(
        &server,
        "/api/auth/change-password",
        &cookie,
        json!({"currentPassword": PASSWORD, "newPassword": "saffron lantern kite",
               "revokeOtherSessions": true}),
    )
    .await;

    assert_eq!(response.status(), 200);
    let new_cookie = session_cookie(&response);
    let body: Value = response.json().await.unwrap();
    assert!(new_cookie.contains(body["token"].as_str().unwrap()));
    assert_eq!(session_of(&server, &cookie).await, Value::Null);
    assert_eq!(session_of(&server, &other).await, Value::Null);
    assert_eq!(
        session_of(&server, &new_cookie).await["user"]["email"],
        "ada@example.com"
    );
}

#[tokio::test]
async fn delete_user_with_a_wrong_password_returns_400_invalid_password() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let response = post_with_cookie(
        &server,
        "/api/auth/delete-user",
        &cookie,
        json!({"password": "not the password"}),
    )
    .await;

    assert_error(response, 400, "INVALID_PASSWORD").await;
    assert_eq!(count(&server, "users").await, 1);
}

async fn delete_user_removes_the_user_and_everything_theirs_on(server: TestServer) {
    let (ada, cookie) = signed_up(&server, "ada@example.com").await;
    sign_in(&server, "ada@example.com", PASSWORD).await;
    signed_up(&server, "bob@example.com").await;
    let now = server::db::now_ms();
    sqlx::query(
        "INSERT INTO tasks (id, user_id, title, completed, created_at, updated_at) \
         VALUES ('t1', $1, 'Write the notes', 0, $2, $2)",
    )
    .bind(ada["user"]["id"].as_str().unwrap())
    .bind(now)
    .execute(&server.db.pool)
    .await
    .unwrap();

    let response = post_with_cookie(
        &server,
        "/api/auth/delete-user",
        &cookie,
        json!({"password": PASSWORD}),
    )
    .await;

    assert_eq!(response.status(), 200);
    assert!(set_cookie_named(&response, "better-auth.session_token")
        .is_some_and(|c| c.contains("Max-Age=0")));
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"success": true, "message": "User deleted"})
    );
    assert_eq!(count(&server, "users").await, 1);
    assert_eq!(count(&server, "accounts").await, 1);
    assert_eq!(count(&server, "sessions").await, 1);
    assert_eq!(count(&server, "tasks").await, 0);
    assert_eq!(session_of(&server, &cookie).await, Value::Null);
    assert_error(
        sign_in(&server, "ada@example.com", PASSWORD).await,
        401,
        "INVALID_EMAIL_OR_PASSWORD",
    )
    .await;
}

#[tokio::test]
async fn delete_user_removes_the_user_their_accounts_sessions_and_tasks_on_sqlite() {
    delete_user_removes_the_user_and_everything_theirs_on(server().await).await;
}

#[tokio::test]
async fn delete_user_removes_the_user_their_accounts_sessions_and_tasks_on_postgres() {
    let Some(server) = server_on(Store::Postgres, HIGH_LIMITS, &[]).await else {
        return;
    };
    delete_user_removes_the_user_and_everything_theirs_on(server).await;
}

#[tokio::test]
async fn a_cookie_bearing_lifecycle_post_from_a_foreign_origin_returns_403() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "ada@example.com").await;

    let response = server
        .client
        .post(server.url("/api/auth/delete-user"))
        .header(header::COOKIE, cookie.as_str())
        .header(header::ORIGIN, "https://evil.example")
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();

    assert_error(response, 403, "INVALID_ORIGIN").await;
    assert_eq!(count(&server, "users").await, 1);
}

#[tokio::test]
async fn the_session_and_profile_flow_works_on_postgres() {
    let Some(server) = server_on(Store::Postgres, HIGH_LIMITS, &[]).await else {
        return;
    };
    let (signed_up, cookie) = signed_up(&server, "ada@example.com").await;
    sqlx::query("UPDATE sessions SET updated_at = $1")
        .bind(server::db::now_ms() - 2 * 24 * 3600 * 1000)
        .execute(&server.db.pool)
        .await
        .unwrap();

    let refreshed = get_session(&server, Some(&cookie)).await;
    assert!(set_cookie_named(&refreshed, "better-auth.session_token").is_some());
    let updated = post_with_cookie(
        &server,
        "/api/auth/update-user",
        &cookie,
        json!({"name": "Countess", "image": "https://img.example/a.png"}),
    )
    .await;
    assert_eq!(updated.status(), 200);
    let session = session_of(&server, &cookie).await;
    assert_eq!(session["user"]["id"], signed_up["user"]["id"]);
    assert_eq!(session["user"]["name"], "Countess");
    assert_eq!(session["user"]["image"], "https://img.example/a.png");
    let listed = get_with_cookie(&server, "/api/auth/list-sessions", &cookie).await;
    assert_eq!(listed.json::<Vec<Value>>().await.unwrap().len(), 1);
    let out = post_with_cookie(&server, "/api/auth/sign-out", &cookie, json!({})).await;
    assert_eq!(out.status(), 200);
    assert_eq!(session_of(&server, &cookie).await, Value::Null);
}
