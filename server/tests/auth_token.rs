//! The JWT endpoints of the auth router: `/token`, `/jwks` and `set-auth-jwt` on get-session,
//! end to end from a signed-in session to the tasks backend.

use crate::auth_support;

use auth_support::{assert_error, get_session, server, signed_up};
use reqwest::header;
use serde_json::{json, Value};
use server::jwt::JwtVerifier;

#[tokio::test]
async fn token_returns_a_jwt_that_an_independent_verifier_accepts_with_only_the_jwks_url() {
    let server = server().await;
    let (body, cookie) = signed_up(&server, "ada@example.com").await;

    let response = server
        .client
        .get(server.url("/api/auth/token"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let token = response.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();

    let jwks_url = url::Url::parse(&server.url("/api/auth/jwks")).unwrap();
    let verifier = JwtVerifier::remote(jwks_url, server.base_url.clone(), server.base_url.clone());
    let verified = verifier
        .verify(&token)
        .await
        .expect("token verifies against /jwks");
    assert_eq!(verified.subject, body["user"]["id"].as_str().unwrap());
    assert_eq!(verified.email.as_deref(), Some("ada@example.com"));
}

#[tokio::test]
async fn token_without_a_session_is_401_unauthorized() {
    let server = server().await;
    let response = server
        .client
        .get(server.url("/api/auth/token"))
        .send()
        .await
        .unwrap();
    assert_error(response, 401, "UNAUTHORIZED").await;
}

#[tokio::test]
async fn get_session_hands_out_a_jwt_in_set_auth_jwt_only_when_signed_in() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "grace@example.com").await;

    let signed_in = get_session(&server, Some(&cookie)).await;
    let jwt = signed_in.headers()["set-auth-jwt"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(jwt.split('.').count(), 3);

    let signed_out = get_session(&server, None).await;
    assert!(signed_out.headers().get("set-auth-jwt").is_none());
    assert_eq!(signed_out.json::<Value>().await.unwrap(), Value::Null);

    // The header's token opens the tasks backend.
    let tasks = server
        .client
        .get(server.url("/api/tasks"))
        .bearer_auth(&jwt)
        .send()
        .await
        .unwrap();
    assert_eq!(tasks.status(), 200);
    assert_eq!(tasks.json::<Value>().await.unwrap(), json!([]));
}

#[tokio::test]
async fn a_session_cookie_alone_does_not_open_the_tasks_backend() {
    let server = server().await;
    let (_, cookie) = signed_up(&server, "linus@example.com").await;
    let response = server
        .client
        .get(server.url("/api/tasks"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()[header::WWW_AUTHENTICATE], "Bearer");
}
