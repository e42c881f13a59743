//! `POST /api/auth/sign-up/email` over real HTTP.

use crate::auth_support;

use crate::common::Store;
use auth_support::*;
use base64::{engine::general_purpose::STANDARD, Engine as _};
use hmac::{Hmac, Mac};
use reqwest::header;
use serde_json::{json, Value};
use sha2::Sha256;

const SECRET: &str = "test-secret-test-secret-test-secret-0123456789";

#[tokio::test]
async fn sign_up_returns_token_and_user_and_sets_the_signed_session_cookie() {
    let server = server().await;

    let response = post_json(
        &server,
        "/api/auth/sign-up/email",
        json!({"name": "Ada Lovelace", "email": "  Ada@Example.COM ", "password": PASSWORD}),
    )
    .await;

    assert_eq!(response.status(), 200);
    let set = set_cookie_named(&response, "better-auth.session_token").expect("cookie");
    let body: Value = response.json().await.unwrap();
    let token = body["token"].as_str().expect("token").to_owned();
    assert_eq!(token.len(), 32);
    let user = &body["user"];
    assert_eq!(user["name"], "Ada Lovelace");
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["emailVerified"], false);
    assert_eq!(user["image"], Value::Null);
    assert_eq!(user["id"].as_str().map(str::len), Some(32));
    assert!(user["createdAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(user["createdAt"], user["updatedAt"]);

    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(token.as_bytes());
    let signature = STANDARD.encode(mac.finalize().into_bytes());
    let encoded_signature = signature
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    assert_eq!(
        set,
        format!(
            "better-auth.session_token={token}.{encoded_signature}; Max-Age=604800; Path=/; \
             HttpOnly; SameSite=Lax"
        )
    );
}

#[tokio::test]
async fn sign_up_accepts_a_form_body() {
    let server = server().await;

    let response = server
        .client
        .post(server.url("/api/auth/sign-up/email"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("name=Grace+Hopper&email=grace%40example.com&password=violet+tractor+umbrella")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert!(set_cookie_named(&response, "better-auth.session_token").is_some());
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["name"], "Grace Hopper");
    assert_eq!(body["user"]["email"], "grace@example.com");
}

#[tokio::test]
async fn sign_up_with_another_content_type_returns_415_unsupported_media_type() {
    let server = server().await;

    let response = server
        .client
        .post(server.url("/api/auth/sign-up/email"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body("name=Ada")
        .send()
        .await
        .unwrap();

    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE").await;
    assert_eq!(count(&server, "users").await, 0);
}

#[tokio::test]
async fn sign_up_without_a_name_returns_400_validation_error_naming_the_field() {
    let server = server().await;

    let response = post_json(
        &server,
        "/api/auth/sign-up/email",
        json!({"email": "ada@example.com", "password": PASSWORD}),
    )
    .await;

    let body = assert_error(response, 400, "VALIDATION_ERROR").await;
    assert_eq!(body["field"], "name");
    assert!(body["message"].as_str().unwrap().contains("name"));
}

#[tokio::test]
async fn sign_up_with_a_non_string_password_returns_400_validation_error_naming_the_field() {
    let server = server().await;

    let response = post_json(
        &server,
        "/api/auth/sign-up/email",
        json!({"name": "Ada", "email": "ada@example.com", "password": 12345678}),
    )
    .await;

    let body = assert_error(response, 400, "VALIDATION_ERROR").await;
    assert_eq!(body["field"], "password");
}

#[tokio::test]
async fn sign_up_with_malformed_json_returns_400_validation_error() {
    let server = server().await;

    let response = server
        .client
        .post(server.url("/api/auth/sign-up/email"))
        .header(header::CONTENT_TYPE, "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();

    let body = assert_error(response, 400, "VALIDATION_ERROR").await;
    assert_eq!(body["field"], "body");
}

#[tokio::test]
async fn sign_up_with_a_seven_character_password_returns_400_password_too_short() {
    let server = server().await;
    assert_error(
        sign_up(&server, "ada@example.com", "violet7").await,
        400,
        "PASSWORD_TOO_SHORT",
    )
    .await;
    assert_eq!(count(&server, "users").await, 0);
}

#[tokio::test]
async fn sign_up_with_a_129_character_password_returns_400_password_too_long() {
    let server = server().await;
    let at_limit = "v".repeat(128);
    let over_limit = "v".repeat(129);

    assert_error(
        sign_up(&server, "ada@example.com", &over_limit).await,
        400,
        "PASSWORD_TOO_LONG",
    )
    .await;
    assert_eq!(
        sign_up(&server, "ada@example.com", &at_limit)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn password_length_counts_characters_after_nfkc_normalisation() {
    let server = server().await;
    // 64 two-byte characters: 128 bytes, 64 characters.
    let accented = "é".repeat(64);
    assert_eq!(
        sign_up(&server, "ada@example.com", &accented)
            .await
            .status(),
        200
    );
    // U+FB01 (ﬁ ligature) normalises to "fi": 65 ligatures are 130 characters.
    let ligatures = "\u{FB01}".repeat(65);
    assert_error(
        sign_up(&server, "bob@example.com", &ligatures).await,
        400,
        "PASSWORD_TOO_LONG",
    )
    .await;
}

#[tokio::test]
async fn a_password_signed_up_in_fullwidth_form_signs_in_with_its_nfkc_form() {
    let server = server().await;
    let fullwidth = "ｖｉｏｌｅｔ ｔｒａｃｔｏｒ";
    assert_eq!(
        sign_up(&server, "ada@example.com", fullwidth)
            .await
            .status(),
        200
    );

    let response = sign_in(&server, "ada@example.com", "violet tractor").await;

    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn sign_up_with_a_common_password_returns_400_password_too_common() {
    let server = server().await;
    assert_error(
        sign_up(&server, "ada@example.com", "Password123").await,
        400,
        "PASSWORD_TOO_COMMON",
    )
    .await;
    assert_eq!(count(&server, "users").await, 0);
}

#[tokio::test]
async fn sign_up_with_a_malformed_email_returns_400_invalid_email() {
    let server = server().await;
    for email in ["ada", "ada@", "@example.com", "ada at example.com"] {
        assert_error(
            sign_up(&server, email, PASSWORD).await,
            400,
            "INVALID_EMAIL",
        )
        .await;
    }
    assert_eq!(count(&server, "users").await, 0);
}

#[tokio::test]
async fn sign_up_with_a_taken_email_in_another_case_returns_422() {
    let server = server().await;
    assert_eq!(
        sign_up(&server, "ada@example.com", PASSWORD).await.status(),
        200
    );

    let response = sign_up(&server, " ADA@example.com", "another fine password").await;

    assert_error(response, 422, "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL").await;
    assert_eq!(count(&server, "users").await, 1);
}

#[tokio::test]
async fn sign_up_with_remember_me_false_sets_a_cookie_without_max_age() {
    let server = server().await;

    let response = post_json(
        &server,
        "/api/auth/sign-up/email",
        json!({"name": "Ada", "email": "ada@example.com", "password": PASSWORD,
               "rememberMe": false}),
    )
    .await;

    assert_eq!(response.status(), 200);
    let set = set_cookie_named(&response, "better-auth.session_token").unwrap();
    assert!(
        set.ends_with("; Path=/; HttpOnly; SameSite=Lax") && !set.contains("Max-Age"),
        "{set}"
    );
}

#[tokio::test]
async fn with_an_https_base_url_the_cookie_is_secure_prefixed() {
    let server = server_with(
        HIGH_LIMITS,
        &[("APP_BASE_URL", "https://tasks.example.com")],
    )
    .await;

    let response = sign_up(&server, "ada@example.com", PASSWORD).await;

    assert_eq!(response.status(), 200);
    let set = set_cookie_named(&response, "__Secure-better-auth.session_token").expect("cookie");
    assert!(
        set.ends_with("; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax; Secure"),
        "{set}"
    );
}

#[tokio::test]
async fn sign_up_with_a_foreign_callback_url_returns_403_invalid_callback_url() {
    let server = server().await;

    let response = post_json(
        &server,
        "/api/auth/sign-up/email",
        json!({"name": "Ada", "email": "ada@example.com", "password": PASSWORD,
               "callbackURL": "https://evil.example/welcome"}),
    )
    .await;

    assert_error(response, 403, "INVALID_CALLBACK_URL").await;
    assert_eq!(count(&server, "users").await, 0);
}

#[tokio::test]
async fn sign_up_stores_the_password_as_an_argon2id_hash() {
    let server = server().await;
    let (body, _) = signed_up(&server, "ada@example.com").await;

    let (hash,): (String,) =
        sqlx::query_as("SELECT password_hash FROM accounts WHERE user_id = $1")
            .bind(body["user"]["id"].as_str().unwrap())
            .fetch_one(&server.db.pool)
            .await
            .unwrap();

    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(!hash.contains(PASSWORD));
}

#[tokio::test]
async fn a_nul_character_in_any_field_is_a_400_naming_the_field_on_both_backends() {
    for store in [Store::Sqlite, Store::Postgres] {
        let Some(server) = server_on(store, HIGH_LIMITS, &[]).await else {
            continue;
        };
        for (field, body) in [
            (
                "name",
                json!({"name": "A\u{0}da", "email": "ada@example.com", "password": PASSWORD}),
            ),
            (
                "email",
                json!({"name": "Ada", "email": "ada\u{0}@example.com", "password": PASSWORD}),
            ),
            (
                "password",
                json!({"name": "Ada", "email": "ada@example.com", "password": "a\u{0} long password"}),
            ),
        ] {
            let response = post_json(&server, "/api/auth/sign-up/email", body).await;
            let body = assert_error(response, 400, "VALIDATION_ERROR").await;
            assert_eq!(body["field"], field, "{store:?}");
        }
        // Nothing half-done: the address can still sign up.
        assert_eq!(
            sign_up(&server, "ada@example.com", PASSWORD).await.status(),
            200
        );
    }
}
