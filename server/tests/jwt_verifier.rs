//! The verifier refuses every malformed or forged token with 401 (never a 5xx, never a panic):
//! through the main server's tasks API (in-process keys) and through a tasks service that
//! verifies against a mock JWKS holding test-owned keys (for the claim rules).

use crate::common;
use crate::jwt_support;

use std::{sync::Arc, time::Duration};

use common::TestServer;
use ed25519_dalek::SigningKey;
use hmac::{Hmac, Mac};
use jwt_support::{
    b64, decode_parts, insert_user, serve, sign_token, signing_input, user_with_token,
    valid_claims, MockJwks,
};
use serde_json::{json, Value};
use server::{
    db::now_ms,
    jwt::{JwtVerifier, RemoteKeySetOptions, VerifyError},
    tasks,
};
use sha2::Sha256;

const ISS: &str = "http://issuer.test";
const AUD: &str = "http://tasks.test";

/// `GET /api/tasks` with `token` as the bearer: status and `WWW-Authenticate`.
async fn list_with(client: &reqwest::Client, base: &str, token: &str) -> (u16, String, Value) {
    let response = client
        .get(format!("{base}/api/tasks"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, challenge, body)
}

async fn assert_refused(server: &TestServer, token: &str) {
    let (status, challenge, body) = list_with(&server.client, &server.base_url, token).await;
    assert_eq!(status, 401, "token refused with 401");
    assert_eq!(challenge, "Bearer error=\"invalid_token\"");
    assert_eq!(body["code"], "UNAUTHORIZED");
}

/// The main server's published key id and public key bytes.
async fn server_key(server: &TestServer) -> (String, Vec<u8>) {
    let body: Value = server
        .client
        .get(server.url("/api/auth/jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = &body["keys"][0];
    let x = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        key["x"].as_str().unwrap(),
    )
    .unwrap();
    (key["kid"].as_str().unwrap().to_owned(), x)
}

#[tokio::test]
async fn a_valid_token_lists_tasks_and_the_same_token_tampered_is_refused() {
    let server = TestServer::start(&[]).await;
    let (_, token) = user_with_token(&server, "ada@example.com").await;
    let (status, _, body) = list_with(&server.client, &server.base_url, &token).await;
    assert_eq!((status, body), (200, json!([])));

    // Wrong signature: one character in the middle of the signature changed.
    let mut bytes = token.clone().into_bytes();
    let at = bytes.len() - 40;
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    assert_refused(&server, &String::from_utf8(bytes).unwrap()).await;

    // Stripped signature, with and without the trailing dot.
    let unsigned = &token[..token.rfind('.').unwrap()];
    assert_refused(&server, &format!("{unsigned}.")).await;
    assert_refused(&server, unsigned).await;

    // Claims changed under the original signature.
    let (header, mut claims) = decode_parts(&token);
    claims["sub"] = json!("someone-else");
    let signature = &token[token.rfind('.').unwrap() + 1..];
    assert_refused(
        &server,
        &format!("{}.{signature}", signing_input(&header, &claims)),
    )
    .await;
}

#[tokio::test]
async fn alg_none_is_refused() {
    let server = TestServer::start(&[]).await;
    let user = insert_user(&server.db, "ada@example.com").await;
    let (kid, _) = server_key(&server).await;
    let claims = valid_claims(&user, &server.base_url, &server.base_url);
    for alg in ["none", "None", "NONE"] {
        let header = json!({ "alg": alg, "kid": kid, "typ": "JWT" });
        assert_refused(&server, &format!("{}.", signing_input(&header, &claims))).await;
    }
}

#[tokio::test]
async fn hs256_signed_with_the_public_key_is_refused() {
    let server = TestServer::start(&[]).await;
    let user = insert_user(&server.db, "ada@example.com").await;
    let (kid, x) = server_key(&server).await;
    let claims = valid_claims(&user, &server.base_url, &server.base_url);
    let header = json!({ "alg": "HS256", "kid": kid, "typ": "JWT" });
    let input = signing_input(&header, &claims);
    // Both the raw key bytes and their base64url text, the two forms a confused verifier uses.
    for secret in [x.clone(), b64(&x).into_bytes()] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&secret).unwrap();
        mac.update(input.as_bytes());
        let token = format!("{input}.{}", b64(mac.finalize().into_bytes()));
        assert_refused(&server, &token).await;
    }
}

#[tokio::test]
async fn unknown_kids_path_like_kids_and_missing_kids_are_refused() {
    let server = TestServer::start(&[]).await;
    let user = insert_user(&server.db, "ada@example.com").await;
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let claims = valid_claims(&user, &server.base_url, &server.base_url);
    for header in [
        json!({ "alg": "EdDSA", "kid": "not-a-published-key", "typ": "JWT" }),
        json!({ "alg": "EdDSA", "kid": "../../etc", "typ": "JWT" }),
        json!({ "alg": "EdDSA", "kid": "../../etc/passwd\u{0}", "typ": "JWT" }),
        json!({ "alg": "EdDSA", "kid": "", "typ": "JWT" }),
        json!({ "alg": "EdDSA", "typ": "JWT" }),
    ] {
        assert_refused(&server, &sign_token(&key, &header, &claims)).await;
    }
}

#[tokio::test]
async fn a_100_kb_token_and_garbage_are_refused() {
    let server = TestServer::start(&[]).await;
    let (_, token) = user_with_token(&server, "ada@example.com").await;
    let padded = format!("{token}{}", "A".repeat(100 * 1024));
    assert_refused(&server, &padded).await;
    for garbage in [
        "x",
        "a.b.c",
        "....",
        "e30.e30.e30",
        "%%.%%.%%",
        "ey\\J.ey.\\",
    ] {
        assert_refused(&server, garbage).await;
    }
}

/// The verifier alone: each rule gives its own error, so the 401s above are for the right reason.
#[tokio::test]
async fn each_claim_rule_rejects_with_its_own_reason() {
    let mock = MockJwks::start(vec![]).await;
    let verifier = JwtVerifier::remote(mock.url.clone(), ISS, AUD);
    let now = now_ms() / 1000;
    let with = |changes: Value| {
        let mut claims = valid_claims("user-1", ISS, AUD);
        for (name, value) in changes.as_object().unwrap() {
            if value.is_null() {
                claims.as_object_mut().unwrap().remove(name);
            } else {
                claims[name] = value.clone();
            }
        }
        sign_token(&mock.key, &mock.header(), &claims)
    };

    assert_eq!(
        verifier.verify(&with(json!({}))).await.unwrap().subject,
        "user-1"
    );
    let cases = [
        (json!({ "exp": now - 31 }), VerifyError::Expired),
        (json!({ "exp": null }), VerifyError::MissingExpiry),
        (json!({ "nbf": now + 120 }), VerifyError::NotYetValid),
        (
            json!({ "iss": "http://evil.test" }),
            VerifyError::WrongIssuer,
        ),
        (json!({ "iss": null }), VerifyError::WrongIssuer),
        (
            json!({ "aud": "http://other.test" }),
            VerifyError::WrongAudience,
        ),
        (
            json!({ "aud": ["http://other.test"] }),
            VerifyError::WrongAudience,
        ),
        (json!({ "aud": null }), VerifyError::WrongAudience),
        (json!({ "sub": null }), VerifyError::MissingSubject),
        (json!({ "sub": "" }), VerifyError::MissingSubject),
        (json!({ "exp": "tomorrow" }), VerifyError::Malformed),
    ];
    for (changes, expected) in cases {
        assert_eq!(
            verifier.verify(&with(changes.clone())).await.err(),
            Some(expected),
            "{changes}"
        );
    }
    // Within the default 30 s leeway, and an audience list that contains ours.
    assert!(verifier
        .verify(&with(json!({ "exp": now - 20 })))
        .await
        .is_ok());
    assert!(verifier
        .verify(&with(json!({ "nbf": now + 20 })))
        .await
        .is_ok());
    assert!(verifier
        .verify(&with(json!({ "aud": ["x", AUD] })))
        .await
        .is_ok());
    // A narrower leeway, and a requested leeway above 60 s is capped at 60 s.
    let strict = JwtVerifier::remote(mock.url.clone(), ISS, AUD).with_leeway(Duration::ZERO);
    assert_eq!(
        strict.verify(&with(json!({ "exp": now - 2 }))).await.err(),
        Some(VerifyError::Expired)
    );
    let capped =
        JwtVerifier::remote(mock.url.clone(), ISS, AUD).with_leeway(Duration::from_secs(3600));
    assert_eq!(
        capped.verify(&with(json!({ "exp": now - 90 }))).await.err(),
        Some(VerifyError::Expired)
    );
    assert!(capped
        .verify(&with(json!({ "exp": now - 50 })))
        .await
        .is_ok());
}

#[tokio::test]
async fn header_rules_reject_before_any_key_lookup() {
    let mock = MockJwks::start(vec![]).await;
    let verifier = JwtVerifier::remote(mock.url.clone(), ISS, AUD);
    let claims = valid_claims("user-1", ISS, AUD);
    let sign = |header: Value| sign_token(&mock.key, &header, &claims);

    let cases = [
        (
            json!({ "alg": "HS256", "kid": "test-key" }),
            VerifyError::UnsupportedAlgorithm,
        ),
        (
            json!({ "alg": "none", "kid": "test-key" }),
            VerifyError::UnsupportedAlgorithm,
        ),
        (
            json!({ "alg": "ES256", "kid": "test-key" }),
            VerifyError::UnsupportedAlgorithm,
        ),
        (json!({ "kid": "test-key" }), VerifyError::Malformed),
        (json!({ "alg": "EdDSA" }), VerifyError::MissingKid),
        (
            json!({ "alg": "EdDSA", "kid": "../../etc" }),
            VerifyError::InvalidKid,
        ),
        (
            json!({ "alg": "EdDSA", "kid": "a/b" }),
            VerifyError::InvalidKid,
        ),
        (
            json!({ "alg": "EdDSA", "kid": "test-key", "crit": ["exp"] }),
            VerifyError::UnsupportedCritical,
        ),
    ];
    for (header, expected) in cases {
        assert_eq!(
            verifier.verify(&sign(header.clone())).await.err(),
            Some(expected),
            "{header}"
        );
    }
    assert_eq!(
        mock.hits(),
        0,
        "no key set fetched for tokens refused by their header"
    );

    let long = "a".repeat(8 * 1024 + 1);
    assert_eq!(
        verifier.verify(&long).await.err(),
        Some(VerifyError::TooLong)
    );
    assert_eq!(
        verifier.verify("a.b").await.err(),
        Some(VerifyError::Malformed)
    );
    assert_eq!(
        verifier.verify("a.b.c.d").await.err(),
        Some(VerifyError::Malformed)
    );
}

#[tokio::test]
async fn a_jwks_entry_with_key_bytes_of_the_wrong_length_is_ignored_without_a_panic() {
    let mock = MockJwks::start(vec![
        json!({ "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "kid": "short", "x": b64([1u8; 31]) }),
        json!({ "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "kid": "long", "x": b64([1u8; 64]) }),
        json!({ "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "kid": "empty", "x": "" }),
    ])
    .await;
    let verifier = JwtVerifier::remote(mock.url.clone(), ISS, AUD);
    let claims = valid_claims("user-1", ISS, AUD);
    for kid in ["short", "long", "empty"] {
        let header = json!({ "alg": "EdDSA", "kid": kid, "typ": "JWT" });
        assert_eq!(
            verifier
                .verify(&sign_token(&mock.key, &header, &claims))
                .await
                .err(),
            Some(VerifyError::UnknownKid),
            "{kid}"
        );
    }
    // The valid entry of the same set still works.
    let token = sign_token(&mock.key, &mock.header(), &claims);
    assert_eq!(verifier.verify(&token).await.unwrap().subject, "user-1");
}

#[tokio::test]
async fn unknown_kids_refresh_the_key_set_at_most_once_per_interval_even_when_concurrent() {
    let mock = MockJwks::start(vec![]).await;
    let verifier = JwtVerifier::remote_with(
        mock.url.clone(),
        ISS,
        AUD,
        RemoteKeySetOptions {
            min_refresh_interval: Duration::from_secs(60),
            ..RemoteKeySetOptions::default()
        },
    );
    let other = SigningKey::generate(&mut rand::rngs::OsRng);
    let claims = valid_claims("user-1", ISS, AUD);
    let mut tasks = Vec::new();
    for i in 0..32 {
        let verifier = verifier.clone();
        let header = json!({ "alg": "EdDSA", "kid": format!("unknown-{i}") });
        let token = sign_token(&other, &header, &claims);
        tasks.push(tokio::spawn(
            async move { verifier.verify(&token).await.err() },
        ));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), Some(VerifyError::UnknownKid));
    }
    assert_eq!(mock.hits(), 1);
    // The known key needs no further fetch.
    let token = sign_token(&mock.key, &mock.header(), &claims);
    assert!(verifier.verify(&token).await.is_ok());
    assert_eq!(mock.hits(), 1);
}

#[tokio::test]
async fn an_unreachable_jwks_rejects_tokens_without_an_error_status() {
    // A port that was just free: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/jwks", listener.local_addr().unwrap());
    drop(listener);
    let verifier = JwtVerifier::remote(url.parse().unwrap(), ISS, AUD);
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let token = sign_token(
        &key,
        &json!({ "alg": "EdDSA", "kid": "k" }),
        &valid_claims("u", ISS, AUD),
    );
    assert_eq!(
        verifier.verify(&token).await.err(),
        Some(VerifyError::KeySetUnavailable)
    );
}

/// The claim rules end in 401 over HTTP as well, on a tasks service that trusts the mock JWKS.
#[tokio::test]
async fn claim_failures_are_401_over_http_on_a_service_trusting_a_jwks() {
    let server = TestServer::start(&[]).await;
    let user = insert_user(&server.db, "ada@example.com").await;
    let mock = Arc::new(
        MockJwks::start(vec![json!({
            "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "kid": "short", "x": b64([9u8; 16])
        })])
        .await,
    );
    let service = tasks::standalone_router(
        server.db.clone(),
        JwtVerifier::remote(mock.url.clone(), ISS, AUD),
    );
    let base = format!("http://{}", serve(service).await);
    let now = now_ms() / 1000;
    let token = |changes: Value| {
        let mut claims = valid_claims(&user, ISS, AUD);
        for (name, value) in changes.as_object().unwrap() {
            claims[name] = value.clone();
        }
        sign_token(&mock.key, &mock.header(), &claims)
    };

    let (status, _, _) = list_with(&server.client, &base, &token(json!({}))).await;
    assert_eq!(status, 200);
    let bad_length_kid = sign_token(
        &mock.key,
        &json!({ "alg": "EdDSA", "kid": "short" }),
        &valid_claims(&user, ISS, AUD),
    );
    for bad in [
        token(json!({ "exp": now - 120 })),
        token(json!({ "nbf": now + 120 })),
        token(json!({ "iss": "http://evil.test" })),
        token(json!({ "aud": "http://other.test" })),
        token(json!({ "sub": "no-such-user" })),
        bad_length_kid,
    ] {
        let (status, challenge, body) = list_with(&server.client, &base, &bad).await;
        assert_eq!(status, 401);
        assert_eq!(challenge, "Bearer error=\"invalid_token\"");
        assert_eq!(body["code"], "UNAUTHORIZED");
    }
}
