//! Helpers for the JWT and tasks tests: users inserted with SQL, tokens from the real issuer,
//! hand-made tokens under test keys, a mock JWKS server and a separately served router.

use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
};

use axum::{routing::get, Json, Router};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};
use server::{
    db::{now_ms, Db},
    jwt::{JwtIssuer, TokenSubject},
};
use tokio::net::TcpListener;

use crate::common::TestServer;

/// Inserts a user row directly and returns its id.
pub async fn insert_user(db: &Db, email: &str) -> String {
    let id = server::db::new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO users (id, name, email, email_verified, image, created_at, updated_at) \
         VALUES ($1, $2, $3, 1, NULL, $4, $4)",
    )
    .bind(&id)
    .bind(format!("User {email}"))
    .bind(email)
    .bind(now)
    .execute(&db.pool)
    .await
    .expect("insert user");
    id
}

/// An issuer over the server's database with the server's secret and settings: it loads the
/// same keys as the server's own issuer (as another replica would).
pub async fn issuer_of(server: &TestServer) -> JwtIssuer {
    JwtIssuer::start(server.db.clone(), &server.config.secret, &server.config.jwt)
        .await
        .expect("issuer starts")
}

/// The subject for a user inserted by [`insert_user`].
pub fn subject(user_id: &str, email: &str) -> TokenSubject {
    TokenSubject {
        user_id: user_id.to_owned(),
        email: email.to_owned(),
        name: format!("User {email}"),
        email_verified: true,
    }
}

/// A user and a valid token for it.
pub async fn user_with_token(server: &TestServer, email: &str) -> (String, String) {
    let id = insert_user(&server.db, email).await;
    let token = issuer_of(server)
        .await
        .issue(&subject(&id, email))
        .await
        .expect("token issued");
    (id, token)
}

pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The header and claims of a compact token, decoded.
pub fn decode_parts(token: &str) -> (Value, Value) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "three parts");
    let decode = |part: &str| -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("json")
    };
    (decode(parts[0]), decode(parts[1]))
}

/// `base64url(header).base64url(claims)`.
pub fn signing_input(header: &Value, claims: &Value) -> String {
    format!("{}.{}", b64(header.to_string()), b64(claims.to_string()))
}

/// A token signed with `key` (Ed25519) with the given header and claims.
pub fn sign_token(key: &SigningKey, header: &Value, claims: &Value) -> String {
    let input = signing_input(header, claims);
    let signature = key.sign(input.as_bytes());
    format!("{input}.{}", b64(signature.to_bytes()))
}

/// Claims valid now for `sub`, `iss`, `aud`, expiring in ten minutes.
pub fn valid_claims(sub: &str, iss: &str, aud: &str) -> Value {
    let now = now_ms() / 1000;
    json!({ "sub": sub, "iss": iss, "aud": aud, "iat": now, "exp": now + 600 })
}

/// Serves `router` on an ephemeral loopback port.
pub async fn serve(router: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    addr
}

/// A JWKS endpoint with a test-owned key (`kid` = "test-key") plus any extra entries, counting
/// the requests it answers.
pub struct MockJwks {
    pub url: url::Url,
    pub key: SigningKey,
    pub kid: String,
    pub hits: Arc<AtomicUsize>,
}

impl MockJwks {
    pub async fn start(extra_entries: Vec<Value>) -> Self {
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        let kid = "test-key".to_owned();
        let mut keys = vec![json!({
            "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig",
            "kid": kid, "x": b64(key.verifying_key().as_bytes()),
        })];
        keys.extend(extra_entries);
        let body = json!({ "keys": keys });
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&hits);
        let router = Router::new().route(
            "/jwks",
            get(move || {
                let body = body.clone();
                counter.fetch_add(1, Ordering::SeqCst);
                async move { Json(body) }
            }),
        );
        let addr = serve(router).await;
        Self {
            url: format!("http://{addr}/jwks").parse().expect("url"),
            key,
            kid,
            hits,
        }
    }

    /// The header of tokens signed by the mock's key.
    pub fn header(&self) -> Value {
        json!({ "alg": "EdDSA", "kid": self.kid, "typ": "JWT" })
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}
