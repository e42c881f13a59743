//! Password reset mails through the SMTP transport, against a small SMTP sink on loopback.

use crate::auth_support;
use crate::common;
use crate::mime;
use crate::recovery_support;
use crate::smtp_sink;

use std::time::{Duration, Instant};

use auth_support::*;
use common::TestServer;
use recovery_support::*;
use serde_json::json;
use smtp_sink::{Recipients, SmtpSink};
use tokio::net::TcpListener;

/// A server whose mailer is the SMTP relay at `127.0.0.1:port`.
async fn server_with_relay(port: u16) -> TestServer {
    let port = port.to_string();
    server_with(
        RECOVERY_LIMITS,
        &[
            ("APP_MAIL_TRANSPORT", "smtp"),
            ("APP_SMTP_HOST", "127.0.0.1"),
            ("APP_SMTP_PORT", port.as_str()),
        ],
    )
    .await
}

#[tokio::test]
async fn a_reset_request_sends_exactly_one_smtp_message_whose_link_resets_the_password() {
    let sink = SmtpSink::start(Recipients::Accept).await;
    let server = server_with_relay(sink.addr.port()).await;
    signed_up(&server, "ada@example.com").await;

    let response = request_reset(&server, "Ada@Example.com").await;
    assert_eq!(response.status(), 200);
    let deadline = Instant::now() + Duration::from_secs(15);
    while sink.messages().is_empty() {
        assert!(Instant::now() < deadline, "no message reached the sink");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A second message, if one were sent, would have had the same time to arrive.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].mail_from, "no-reply@localhost");
    assert_eq!(messages[0].rcpt_to, vec!["ada@example.com".to_owned()]);
    let message = mime::Entity::parse(&messages[0].data);
    assert_eq!(message.header("to"), Some("ada@example.com"));
    assert_eq!(message.header("subject"), Some("Reset your password"));
    let parts = message.parts();
    assert_eq!(parts.len(), 2);
    let prefix = format!("{}/reset-password?token=", server.base_url);
    let link = parts[0]
        .body
        .lines()
        .find(|line| line.starts_with(&prefix))
        .expect("the text part carries the link")
        .trim()
        .to_owned();
    assert!(parts[1].body.contains(&format!("<a href=\"{link}\">")));
    let token = query_param(&link, "token");

    let reset = reset_password(&server, &token, "quiet harbour lantern").await;

    assert_eq!(reset.status(), 200);
    assert_eq!(json_body(reset).await, json!({"status": true}));
    assert_eq!(
        sign_in(&server, "ada@example.com", "quiet harbour lantern")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_reset_request_answers_at_once_while_the_smtp_relay_has_not_answered() {
    // Accepts connections and holds them open without a word, so delivery hangs until the
    // mailer's timeout.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let server = server_with_relay(port).await;
    signed_up(&server, "ada@example.com").await;

    let started = Instant::now();
    let known = request_reset(&server, "ada@example.com").await;
    let known_elapsed = started.elapsed();
    let unknown = request_reset(&server, "nobody@example.com").await;

    assert_eq!(known.status(), 200);
    assert_eq!(unknown.status(), 200);
    assert_eq!(json_body(known).await, json_body(unknown).await);
    assert!(
        known_elapsed < Duration::from_secs(3),
        "answered in {known_elapsed:?}, not after the delivery"
    );
    held.abort();
}
