//! Helpers for the auth tests: servers with chosen auth settings, requests with the headers a
//! browser sends, and readers for the session cookie.

use reqwest::{header, Response};
use serde_json::{json, Value};

use crate::common::{Store, TestServer};

/// A password that passes the policy.
pub const PASSWORD: &str = "violet tractor umbrella";

/// Limits high enough for tests that make many credential requests; the checks stay on.
pub const HIGH_LIMITS: &str = "[auth.rate_limit]\ncredentials_max = 10000\ngeneral_max = 10000\n";

/// Writes `toml` to a fresh file and returns its path, for `APP_CONFIG`.
pub fn config_file(toml: &str) -> String {
    let path = std::env::temp_dir().join(format!("auth-test-{}.toml", rand::random::<u64>()));
    std::fs::write(&path, toml).expect("write test config");
    path.display().to_string()
}

/// A SQLite server whose configuration file is `toml`, plus environment `overrides`.
pub async fn server_with(toml: &str, overrides: &[(&str, &str)]) -> TestServer {
    server_on(Store::Sqlite, toml, overrides)
        .await
        .expect("sqlite always available")
}

/// A server on `store` whose configuration file is `toml`; `None` when PostgreSQL is down.
pub async fn server_on(store: Store, toml: &str, overrides: &[(&str, &str)]) -> Option<TestServer> {
    let file = config_file(toml);
    let mut pairs: Vec<(&str, &str)> = vec![("APP_CONFIG", file.as_str())];
    pairs.extend_from_slice(overrides);
    TestServer::start_on(store, &pairs).await
}

/// A SQLite server with default settings except high rate limits.
pub async fn server() -> TestServer {
    server_with(HIGH_LIMITS, &[]).await
}

/// `POST /api/auth/sign-up/email` with a JSON body.
pub async fn sign_up(server: &TestServer, email: &str, password: &str) -> Response {
    post_json(
        server,
        "/api/auth/sign-up/email",
        json!({"name": "Ada Lovelace", "email": email, "password": password}),
    )
    .await
}

/// `POST /api/auth/sign-in/email` with a JSON body.
pub async fn sign_in(server: &TestServer, email: &str, password: &str) -> Response {
    post_json(
        server,
        "/api/auth/sign-in/email",
        json!({"email": email, "password": password}),
    )
    .await
}

/// A JSON POST without cookies.
pub async fn post_json(server: &TestServer, path: &str, body: Value) -> Response {
    server
        .client
        .post(server.url(path))
        .json(&body)
        .send()
        .await
        .expect("request")
}

/// A JSON POST with a session cookie and the site's own Origin, as the browser sends it.
pub async fn post_with_cookie(
    server: &TestServer,
    path: &str,
    cookie: &str,
    body: Value,
) -> Response {
    server
        .client
        .post(server.url(path))
        .header(header::COOKIE, cookie)
        .header(header::ORIGIN, server.base_url.as_str())
        .json(&body)
        .send()
        .await
        .expect("request")
}

/// `GET /api/auth/get-session` with `cookie` (if any).
pub async fn get_session(server: &TestServer, cookie: Option<&str>) -> Response {
    let mut request = server.client.get(server.url("/api/auth/get-session"));
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.send().await.expect("request")
}

/// Every `Set-Cookie` header of a response.
pub fn set_cookies(response: &Response) -> Vec<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().expect("ascii cookie").to_owned())
        .collect()
}

/// The `Set-Cookie` header that sets `name`, if any.
pub fn set_cookie_named(response: &Response, name: &str) -> Option<String> {
    set_cookies(response)
        .into_iter()
        .find(|c| c.starts_with(&format!("{name}=")))
}

/// The session cookie as a `Cookie` request header (`name=value`), from a response setting it.
pub fn session_cookie(response: &Response) -> String {
    let set = set_cookie_named(response, "better-auth.session_token").expect("session cookie set");
    set.split(';').next().expect("name=value").to_owned()
}

/// A user signed up with `email` and [`PASSWORD`], and their session cookie.
pub async fn signed_up(server: &TestServer, email: &str) -> (Value, String) {
    let response = sign_up(server, email, PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookie = session_cookie(&response);
    (response.json().await.expect("json"), cookie)
}

/// The JSON body of an error response, asserted to have `status` and `code`.
pub async fn assert_error(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), status, "status for expected {code}");
    let body: Value = response.json().await.expect("json error body");
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    body
}

/// Number of rows in `table`.
pub async fn count(server: &TestServer, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&server.db.pool)
        .await
        .expect("count");
    n
}
