//! Helpers for the password reset and email verification tests: servers whose mail-sending
//! routes are not rate limited away, the development outbox, and the links the mails carry.

use std::time::Duration;

use reqwest::Response;
use serde_json::{json, Value};
use server::mail::{read_outbox, OutboxEntry};

use crate::{auth_support::post_json, common::TestServer};

/// High limits on every rule, the mail-sending routes included; the checks stay on.
pub const RECOVERY_LIMITS: &str =
    "[auth.rate_limit]\ncredentials_max = 10000\ngeneral_max = 10000\nemail_max = 10000\n";

/// [`RECOVERY_LIMITS`] with sign-up mailing a verification link.
pub const SEND_ON_SIGN_UP: &str = "[auth]\nsend_verification_on_sign_up = true\n\n\
     [auth.rate_limit]\ncredentials_max = 10000\ngeneral_max = 10000\nemail_max = 10000\n";

/// [`RECOVERY_LIMITS`] with sign-in refused until the email is verified.
pub const REQUIRE_VERIFICATION: &str = "[auth]\nrequire_email_verification = true\n\n\
     [auth.rate_limit]\ncredentials_max = 10000\ngeneral_max = 10000\nemail_max = 10000\n";

/// How long a test waits for a mail sent in the background.
const MAIL_WAIT: Duration = Duration::from_secs(15);

/// The messages in the server's development outbox addressed to `to`, oldest first.
pub async fn mails_to(server: &TestServer, to: &str) -> Vec<OutboxEntry> {
    match read_outbox(&server.data_dir.join("outbox")).await {
        Ok(entries) => entries.into_iter().filter(|e| e.to == to).collect(),
        Err(_) => Vec::new(),
    }
}

/// Waits until the outbox holds `n` messages to `to`, and returns them, oldest first.
pub async fn wait_for_mails(server: &TestServer, to: &str, n: usize) -> Vec<OutboxEntry> {
    let deadline = tokio::time::Instant::now() + MAIL_WAIT;
    loop {
        let mails = mails_to(server, to).await;
        if mails.len() >= n {
            return mails;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "expected {n} mails to {to}, found {}",
            mails.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The `name` query parameter of `link`.
pub fn query_param(link: &str, name: &str) -> String {
    let url = url::Url::parse(link).expect("link is a URL");
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no `{name}` in {link}"))
}

/// `POST /api/auth/request-password-reset` `{email}`.
pub async fn request_reset(server: &TestServer, email: &str) -> Response {
    post_json(
        server,
        "/api/auth/request-password-reset",
        json!({ "email": email }),
    )
    .await
}

/// Requests a reset for `email` and returns the link of the `nth` (1-based) mail to it.
pub async fn reset_link(server: &TestServer, email: &str, nth: usize) -> String {
    let response = request_reset(server, email).await;
    assert_eq!(response.status(), 200);
    let mails = wait_for_mails(server, email, nth).await;
    mails[nth - 1].link.clone().expect("reset mail has a link")
}

/// `POST /api/auth/reset-password` `{newPassword, token}`.
pub async fn reset_password(server: &TestServer, token: &str, new_password: &str) -> Response {
    post_json(
        server,
        "/api/auth/reset-password",
        json!({ "newPassword": new_password, "token": token }),
    )
    .await
}

/// `GET` of a link the server mailed (or any URL), without following redirects.
pub async fn get(server: &TestServer, url: &str) -> Response {
    server.client.get(url).send().await.expect("request")
}

/// The id of the user with `email`.
pub async fn user_id(server: &TestServer, email: &str) -> String {
    let (id,): (String,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&server.db.pool)
        .await
        .expect("user exists");
    id
}

/// Whether the user with `email` is verified, as stored.
pub async fn email_verified(server: &TestServer, email: &str) -> bool {
    let (verified,): (i64,) = sqlx::query_as("SELECT email_verified FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&server.db.pool)
        .await
        .expect("user exists");
    verified == 1
}

/// Moves the expiry of every stored one-time token into the past.
pub async fn expire_all_tokens(server: &TestServer) {
    sqlx::query("UPDATE verifications SET expires_at = $1")
        .bind(server::db::now_ms() - 1000)
        .execute(&server.db.pool)
        .await
        .expect("expire tokens");
}

/// The JSON body of a response.
pub async fn json_body(response: Response) -> Value {
    response.json().await.expect("json body")
}
