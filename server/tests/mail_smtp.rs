//! The SMTP transport against a small SMTP sink on loopback that records what it receives.

use crate::mime;
use crate::smtp_sink;

use server::{
    config::{MailSettings, MailTransport, Mode},
    mail::{password_reset, Mailer, DELIVERY_TIMEOUT},
};
use smtp_sink::{Recipients, SmtpSink};
use tokio::net::TcpListener;

const LINK: &str =
    "http://127.0.0.1:3000/reset-password?token=Zm9vYmFyYmF6cXV4LWFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3";

#[tokio::test]
async fn smtp_delivers_one_message_to_the_recipient_with_the_link_in_text_and_html_parts() {
    let sink = SmtpSink::start(Recipients::Accept).await;
    let mailer = Mailer::from_settings(
        &sink.settings(None, None),
        &std::env::temp_dir(),
        Mode::Production,
    )
    .expect("mailer builds");
    let mail = password_reset("ada@example.com", "Ada <Lovelace>", LINK);

    mailer.send(&mail).await.expect("delivered");

    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let envelope = &messages[0];
    assert_eq!(envelope.mail_from, "no-reply@tasks.test");
    assert_eq!(envelope.rcpt_to, vec!["ada@example.com".to_owned()]);

    let message = mime::Entity::parse(&envelope.data);
    assert_eq!(message.header("to"), Some("ada@example.com"));
    assert_eq!(message.header("subject"), Some("Reset your password"));
    assert_eq!(message.media_type(), "multipart/alternative");
    let parts = message.parts();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].media_type(), "text/plain");
    assert_eq!(parts[1].media_type(), "text/html");
    assert_eq!(parts[0].body.trim_end(), mail.text.trim_end());
    assert!(parts[0].body.contains(&format!("\n{LINK}\n")));
    assert_eq!(parts[1].body.trim_end(), mail.html.trim_end());
    assert!(parts[1].body.contains(&format!("<a href=\"{LINK}\">")));
    assert!(parts[1].body.contains("<p>Hello Ada &lt;Lovelace&gt;,</p>"));
}

#[tokio::test]
async fn smtp_refused_recipient_is_returned_as_mail_smtp_failed() {
    let sink = SmtpSink::start(Recipients::RefuseAll).await;
    let mailer = Mailer::from_settings(
        &sink.settings(None, None),
        &std::env::temp_dir(),
        Mode::Production,
    )
    .expect("mailer builds");

    let error = mailer
        .send(&password_reset("nobody@example.com", "Nobody", LINK))
        .await
        .expect_err("the relay refused the recipient");

    assert_eq!(error.code(), "MAIL_SMTP_FAILED");
    assert_eq!(sink.messages().len(), 0);
}

#[tokio::test]
async fn smtp_with_credentials_requires_starttls_and_never_sends_them_in_clear() {
    let sink = SmtpSink::start(Recipients::Accept).await;
    let mailer = Mailer::from_settings(
        &sink.settings(Some("relay-user"), Some("relay-password")),
        &std::env::temp_dir(),
        Mode::Production,
    )
    .expect("mailer builds");

    let error = mailer
        .send(&password_reset("ada@example.com", "Ada", LINK))
        .await
        .expect_err("the sink offers no STARTTLS");

    assert_eq!(error.code(), "MAIL_SMTP_FAILED");
    let commands = sink.commands();
    assert!(commands
        .iter()
        .all(|c| !c.to_ascii_uppercase().starts_with("AUTH")));
    assert!(commands
        .iter()
        .all(|c| !c.to_ascii_uppercase().starts_with("MAIL")));
    assert_eq!(sink.messages().len(), 0);
}

#[tokio::test]
async fn smtp_username_without_password_is_refused_when_the_mailer_is_built() {
    let sink = SmtpSink::start(Recipients::Accept).await;

    let error = Mailer::from_settings(
        &sink.settings(Some("relay-user"), None),
        &std::env::temp_dir(),
        Mode::Production,
    )
    .expect_err("half the credentials");

    assert_eq!(error.code(), "MAIL_INVALID_SETTINGS");
}

#[tokio::test]
async fn sender_that_is_not_a_mailbox_is_refused_when_the_mailer_is_built() {
    let sink = SmtpSink::start(Recipients::Accept).await;
    let mut settings = sink.settings(None, None);
    settings.from = "not a mailbox".to_owned();

    let error = Mailer::from_settings(&settings, &std::env::temp_dir(), Mode::Production)
        .expect_err("invalid sender");

    assert_eq!(error.code(), "MAIL_INVALID_SENDER");
}

#[tokio::test]
async fn smtp_recipient_that_is_not_an_address_is_refused_before_connecting() {
    let sink = SmtpSink::start(Recipients::Accept).await;
    let mailer = Mailer::from_settings(
        &sink.settings(None, None),
        &std::env::temp_dir(),
        Mode::Production,
    )
    .expect("mailer builds");

    let error = mailer
        .send(&password_reset("not-an-address", "Ada", LINK))
        .await
        .expect_err("invalid recipient");

    assert_eq!(error.code(), "MAIL_INVALID_RECIPIENT");
    assert_eq!(sink.commands(), Vec::<String>::new());
}

#[tokio::test]
async fn smtp_relay_that_never_greets_is_given_up_after_the_delivery_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    // Accepts connections and holds them open without a word.
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let settings = MailSettings {
        from: "Tasks <no-reply@tasks.test>".to_owned(),
        transport: MailTransport::Smtp {
            host: "127.0.0.1".to_owned(),
            port,
            username: None,
            password: None,
        },
    };
    let mailer = Mailer::from_settings(&settings, &std::env::temp_dir(), Mode::Production)
        .expect("mailer builds");
    let started = std::time::Instant::now();

    let error = mailer
        .send(&password_reset("ada@example.com", "Ada", LINK))
        .await
        .expect_err("the relay never answered");

    let elapsed = started.elapsed();
    assert_eq!(error.code(), "MAIL_TIMEOUT");
    assert!(elapsed >= DELIVERY_TIMEOUT);
    assert!(elapsed < DELIVERY_TIMEOUT + std::time::Duration::from_secs(5));
    held.abort();
}
