//! The JWT issuer: token shape, the published key set, keys at rest, exactly-once key creation
//! under concurrency, a changed secret, and rotation with a grace period.

use crate::common;
use crate::jwt_support;

use std::time::Duration;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use common::{Store, TestServer};
use jwt_support::{decode_parts, insert_user, issuer_of, subject, user_with_token};
use serde_json::{json, Value};
use server::{
    config::{DatabaseUrl, ServerSecret},
    db::Db,
    jwt::{JwtIssuer, JwtVerifier},
    startup::{self, StartupError},
};
use sqlx::Row;

async fn key_rows(db: &Db) -> (i64, i64) {
    let row = sqlx::query(
        "SELECT COUNT(*) AS total, \
         COALESCE(SUM(CASE WHEN retired_at IS NULL THEN 1 ELSE 0 END), 0) AS active FROM jwks",
    )
    .fetch_one(&db.pool)
    .await
    .expect("count keys");
    (
        row.try_get::<i64, _>("total").expect("total"),
        row.try_get::<i64, _>("active").expect("active"),
    )
}

async fn published_kids(server: &TestServer) -> Vec<String> {
    let body: Value = server
        .client
        .get(server.url("/api/auth/jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["keys"]
        .as_array()
        .expect("keys array")
        .iter()
        .map(|k| k["kid"].as_str().expect("kid").to_owned())
        .collect()
}

#[tokio::test]
async fn an_issued_token_has_an_eddsa_header_and_the_contract_claims() {
    let server = TestServer::start(&[]).await;
    let user = insert_user(&server.db, "ada@example.com").await;
    let token = issuer_of(&server)
        .await
        .issue(&subject(&user, "ada@example.com"))
        .await
        .unwrap();

    let (header, claims) = decode_parts(&token);
    let kid = header["kid"].as_str().expect("kid").to_owned();
    assert_eq!(header, json!({ "alg": "EdDSA", "kid": kid, "typ": "JWT" }));
    let iat = claims["iat"].as_i64().expect("iat");
    assert_eq!(
        claims,
        json!({
            "sub": user,
            "iat": iat,
            "exp": iat + 900,
            "iss": server.base_url,
            "aud": server.base_url,
            "email": "ada@example.com",
            "name": "User ada@example.com",
            "emailVerified": true,
        })
    );
    assert_eq!(published_kids(&server).await, vec![kid]);
}

#[tokio::test]
async fn the_jwks_endpoint_publishes_the_ed25519_key_with_a_short_cache_lifetime() {
    let server = TestServer::start(&[]).await;
    let response = server
        .client
        .get(server.url("/api/auth/jwks"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "public, max-age=300");
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    let keys = body["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 1);
    let key = &keys[0];
    let kid = key["kid"].as_str().expect("kid");
    let x = key["x"].as_str().expect("x");
    assert_eq!(
        key,
        &json!({ "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": kid, "x": x })
    );
    assert_eq!(URL_SAFE_NO_PAD.decode(x).unwrap().len(), 32);
}

#[tokio::test]
async fn a_token_verifies_with_a_remote_verifier_pointed_at_the_running_servers_jwks() {
    let server = TestServer::start(&[]).await;
    let (user, token) = user_with_token(&server, "ada@example.com").await;
    let verifier = JwtVerifier::remote(
        server.url("/api/auth/jwks").parse().unwrap(),
        server.base_url.clone(),
        server.base_url.clone(),
    );
    let verified = verifier.verify(&token).await.expect("verifies");
    assert_eq!(verified.subject, user);
    assert_eq!(verified.email.as_deref(), Some("ada@example.com"));
    assert_eq!(verified.email_verified, Some(true));
}

#[tokio::test]
async fn private_keys_are_stored_encrypted_with_their_nonce() {
    let server = TestServer::start(&[]).await;
    let row = sqlx::query("SELECT private_key FROM jwks")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    let stored: String = row.try_get("private_key").unwrap();
    let (nonce, ciphertext) = stored.split_once('.').expect("nonce.ciphertext");
    // A 24-byte XChaCha20 nonce, and the 32-byte seed plus a 16-byte Poly1305 tag.
    assert_eq!(URL_SAFE_NO_PAD.decode(nonce).unwrap().len(), 24);
    assert_eq!(URL_SAFE_NO_PAD.decode(ciphertext).unwrap().len(), 48);
}

/// Sixteen tasks start an issuer, publish and issue at once on an empty `jwks` table.
async fn race_first_start(db: Db, server: &TestServer) {
    let mut tasks = Vec::new();
    for i in 0..16 {
        let db = db.clone();
        let secret = server.config.secret.clone();
        let settings = server.config.jwt.clone();
        tasks.push(tokio::spawn(async move {
            let issuer = JwtIssuer::start(db, &secret, &settings)
                .await
                .expect("start");
            let published = issuer.jwks().await.expect("jwks");
            let token = issuer
                .issue(&subject(&format!("user{i}"), "race@example.com"))
                .await
                .expect("issue");
            let (header, _) = decode_parts(&token);
            (
                published.keys.len(),
                header["kid"].as_str().unwrap().to_owned(),
            )
        }));
    }
    let mut kids = Vec::new();
    for task in tasks {
        let (published, kid) = task.await.expect("task");
        assert_eq!(published, 1);
        kids.push(kid);
    }
    kids.dedup();
    assert_eq!(kids.len(), 1, "every racer signs with the one key");
    assert_eq!(key_rows(&db).await, (1, 1));
}

#[tokio::test]
async fn concurrent_first_calls_on_a_fresh_sqlite_database_leave_exactly_one_key() {
    let server = TestServer::start(&[]).await;
    let path = server.data_dir.join("fresh.db");
    let db = Db::connect(&DatabaseUrl::Sqlite(format!(
        "sqlite://{}?mode=rwc",
        path.display()
    )))
    .await
    .unwrap();
    assert_eq!(key_rows(&db).await, (0, 0));
    race_first_start(db, &server).await;
}

#[tokio::test]
async fn concurrent_first_calls_on_an_empty_postgres_jwks_table_leave_exactly_one_key() {
    let Some(server) = TestServer::start_on(Store::Postgres, &[]).await else {
        return;
    };
    // The server created its key at start-up; emptying the table gives the first-start state.
    sqlx::query("DELETE FROM jwks")
        .execute(&server.db.pool)
        .await
        .unwrap();
    race_first_start(server.db.clone(), &server).await;
}

#[tokio::test]
async fn a_changed_secret_stops_start_up_with_what_to_do() {
    let server = TestServer::start(&[]).await;
    let mut config = server.config.clone();
    config.secret =
        ServerSecret::new(b"another-secret-another-secret-another-secret".to_vec()).unwrap();
    let error = match startup::build(&config).await {
        Ok(_) => panic!("start-up must fail with another secret"),
        Err(error) => error,
    };
    assert!(matches!(error, StartupError::Jwt(_)), "{error:?}");
    let message = error.to_string();
    assert!(message.starts_with("APP_SECRET: "), "{message}");
    assert!(
        message.contains("restore the previous APP_SECRET"),
        "{message}"
    );
    assert!(
        message.contains("delete the rows of the jwks table"),
        "{message}"
    );
    assert!(message.contains("invalidates every JWT"), "{message}");
    assert!(!message.contains('\n'));
}

/// A configuration file with rotation every second and the given grace period.
fn rotation_config(grace_secs: u64) -> String {
    let dir = std::env::temp_dir().join(format!("jwt-rotation-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("Leptos.toml");
    std::fs::write(
        &path,
        format!("[jwt]\nrotation_interval_secs = 1\ngrace_period_secs = {grace_secs}\n"),
    )
    .unwrap();
    path.display().to_string()
}

#[tokio::test]
async fn after_the_rotation_interval_a_new_key_signs_and_the_old_one_stays_published_for_the_grace_period(
) {
    let config = rotation_config(4);
    let server = TestServer::start(&[("APP_CONFIG", &config)]).await;
    let (user, old_token) = user_with_token(&server, "ada@example.com").await;
    let old_kid = decode_parts(&old_token).0["kid"]
        .as_str()
        .unwrap()
        .to_owned();

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let new_token = issuer_of(&server)
        .await
        .issue(&subject(&user, "ada@example.com"))
        .await
        .unwrap();
    let new_kid = decode_parts(&new_token).0["kid"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new_kid, old_kid);

    // The server's own issuer notices the rotation and publishes both keys.
    let kids = published_kids(&server).await;
    assert!(
        kids.contains(&old_kid) && kids.contains(&new_kid),
        "{kids:?}"
    );
    let (total, active) = key_rows(&server.db).await;
    assert_eq!(active, 1);
    assert!(total >= 2);

    // Tokens signed before the rotation still work, in process and through the JWKS.
    let list = |token: String| {
        let request = server
            .client
            .get(server.url("/api/tasks"))
            .bearer_auth(token)
            .send();
        async move { request.await.unwrap().status() }
    };
    assert_eq!(list(old_token.clone()).await, 200);
    let remote = JwtVerifier::remote(
        server.url("/api/auth/jwks").parse().unwrap(),
        server.base_url.clone(),
        server.base_url.clone(),
    );
    assert_eq!(remote.verify(&old_token).await.unwrap().subject, user);

    // After the grace period the old key is gone and its tokens are refused.
    tokio::time::sleep(Duration::from_millis(4200)).await;
    assert!(!published_kids(&server).await.contains(&old_kid));
    assert_eq!(list(old_token).await, 401);
    // The rotation that followed deleted the expired key from the table.
    let remaining = sqlx::query("SELECT id FROM jwks WHERE id = $1")
        .bind(&old_kid)
        .fetch_optional(&server.db.pool)
        .await
        .unwrap();
    assert!(remaining.is_none());
}

#[tokio::test]
async fn concurrent_rotations_leave_exactly_one_active_key() {
    let config = rotation_config(3600);
    let server = TestServer::start(&[("APP_CONFIG", &config)]).await;
    let mut issuers = Vec::new();
    for _ in 0..8 {
        issuers.push(issuer_of(&server).await);
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let mut tasks = Vec::new();
    for issuer in issuers {
        tasks.push(tokio::spawn(async move {
            let token = issuer
                .issue(&subject("someone", "race@example.com"))
                .await
                .expect("issue");
            decode_parts(&token).0["kid"].as_str().unwrap().to_owned()
        }));
    }
    let mut kids = Vec::new();
    for task in tasks {
        kids.push(task.await.unwrap());
    }
    kids.dedup();
    assert_eq!(kids.len(), 1, "all rotators sign with the one new key");
    assert_eq!(key_rows(&server.db).await, (2, 1));
}

#[tokio::test]
async fn when_the_key_rows_are_deleted_concurrent_callers_lazily_create_exactly_one_new_key() {
    let config = rotation_config(3600);
    let server = TestServer::start(&[("APP_CONFIG", &config)]).await;
    let mut issuers = Vec::new();
    for _ in 0..8 {
        issuers.push(issuer_of(&server).await);
    }
    let old_kid = issuers[0].jwks().await.unwrap().keys[0]
        .kid
        .clone()
        .unwrap();
    sqlx::query("DELETE FROM jwks")
        .execute(&server.db.pool)
        .await
        .unwrap();
    // Past the check time every issuer re-reads the table and finds no key.
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let mut tasks = Vec::new();
    for (i, issuer) in issuers.into_iter().cycle().take(16).enumerate() {
        tasks.push(tokio::spawn(async move {
            if i % 2 == 0 {
                let set = issuer.jwks().await.expect("jwks");
                assert_eq!(set.keys.len(), 1);
                set.keys[0].kid.clone().unwrap()
            } else {
                let token = issuer
                    .issue(&subject("someone", "lazy@example.com"))
                    .await
                    .expect("issue");
                decode_parts(&token).0["kid"].as_str().unwrap().to_owned()
            }
        }));
    }
    let mut kids = Vec::new();
    for task in tasks {
        kids.push(task.await.unwrap());
    }
    kids.dedup();
    assert_eq!(kids.len(), 1, "{kids:?}");
    assert_ne!(kids[0], old_kid);
    assert_eq!(key_rows(&server.db).await, (1, 1));
}
