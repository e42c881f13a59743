//! The tasks backend as a separate service that knows only the main server's JWKS URL (and
//! shares its database): it accepts the main server's tokens and refuses anyone else's.

use crate::common;
use crate::jwt_support;

use common::TestServer;
use ed25519_dalek::SigningKey;
use jwt_support::{serve, sign_token, user_with_token, valid_claims};
use serde_json::{json, Value};
use server::{jwt::JwtVerifier, tasks};

#[tokio::test]
async fn a_tasks_service_started_separately_with_only_the_jwks_url_accepts_the_main_servers_tokens()
{
    let main = TestServer::start(&[]).await;
    let verifier = JwtVerifier::remote(
        main.url("/api/auth/jwks").parse().unwrap(),
        main.config.jwt.issuer.clone(),
        main.config.jwt.audience.clone(),
    );
    let service = format!(
        "http://{}",
        serve(tasks::standalone_router(main.db.clone(), verifier)).await
    );
    let (user, token) = user_with_token(&main, "ada@example.com").await;

    let response = main
        .client
        .post(format!("{service}/api/tasks"))
        .bearer_auth(&token)
        .json(&json!({ "title": "Made on the separate service" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert!(response.headers().contains_key("x-request-id"));

    // The main server sees the same task: one database, two services.
    let listed: Value = main
        .client
        .get(main.url("/api/tasks"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["title"], "Made on the separate service");

    // A token with the same claims signed by a key the main server never published is refused.
    let stranger = SigningKey::generate(&mut rand::rngs::OsRng);
    let forged = sign_token(
        &stranger,
        &json!({ "alg": "EdDSA", "kid": "stranger", "typ": "JWT" }),
        &valid_claims(&user, &main.base_url, &main.base_url),
    );
    let response = main
        .client
        .get(format!("{service}/api/tasks"))
        .bearer_auth(forged)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.headers()["www-authenticate"],
        "Bearer error=\"invalid_token\""
    );

    let response = main
        .client
        .get(format!("{service}/api/tasks"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
}
