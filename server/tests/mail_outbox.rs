//! The development outbox: messages written to `<data dir>/outbox/` instead of being delivered.

use crate::common;
use crate::mime;

use std::{path::PathBuf, time::Duration};

use common::TestServer;
use server::{
    config::{MailSettings, MailTransport, Mode},
    mail::{email_verification, password_reset, read_outbox, Mailer},
};

const LINK: &str =
    "http://127.0.0.1:3000/reset-password?token=Zm9vYmFyYmF6cXV4LWFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3";

fn fresh_data_dir() -> PathBuf {
    std::env::temp_dir().join(format!("tasks-outbox-test-{}", rand::random::<u64>()))
}

fn outbox_settings() -> MailSettings {
    MailSettings {
        from: "Tasks <no-reply@tasks.test>".to_owned(),
        transport: MailTransport::Outbox,
    }
}

fn file_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("outbox listing")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn outbox_writes_a_json_entry_with_the_link_and_the_matching_eml_message() {
    let data_dir = fresh_data_dir();
    let mailer = Mailer::from_settings(&outbox_settings(), &data_dir, Mode::Development)
        .expect("mailer builds");
    let outbox = data_dir.join("outbox");
    assert_eq!(mailer.outbox_dir(), Some(outbox.clone()));
    let mail = password_reset("ada@example.com", "Ada", LINK);

    mailer.send(&mail).await.expect("written");

    let entries = read_outbox(&outbox).await.expect("outbox readable");
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry.to, "ada@example.com");
    assert_eq!(entry.from, "Tasks <no-reply@tasks.test>");
    assert_eq!(entry.subject, "Reset your password");
    assert_eq!(entry.link.as_deref(), Some(LINK));
    assert_eq!(entry.text, mail.text);
    assert_eq!(entry.html, mail.html);

    let stem = entry.eml.strip_suffix(".eml").expect("an .eml name");
    assert_eq!(
        file_names(&outbox),
        vec![format!("{stem}.eml"), format!("{stem}.json")]
    );
    let (millis, id) = stem.split_once('-').expect("<millis>-<id>");
    assert_eq!(millis.len(), 13);
    assert_eq!(id, entry.id);

    let eml = std::fs::read_to_string(outbox.join(&entry.eml)).expect("eml readable");
    let message = mime::Entity::parse(&eml);
    assert_eq!(message.header("to"), Some("ada@example.com"));
    assert_eq!(message.media_type(), "multipart/alternative");
    let parts = message.parts();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].media_type(), "text/plain");
    assert_eq!(parts[1].media_type(), "text/html");
    assert!(parts[0].body.contains(&format!("\n{LINK}\n")));
    assert!(parts[1].body.contains(&format!("<a href=\"{LINK}\">")));
}

#[tokio::test]
async fn outbox_lists_messages_oldest_first_so_the_last_is_the_newest() {
    let data_dir = fresh_data_dir();
    let mailer = Mailer::from_settings(&outbox_settings(), &data_dir, Mode::Development)
        .expect("mailer builds");
    let verify_link = "http://127.0.0.1:3000/api/auth/verify-email?token=abc";

    mailer
        .send(&password_reset("ada@example.com", "Ada", LINK))
        .await
        .expect("written");
    // File names carry millisecond timestamps: make the two differ.
    tokio::time::sleep(Duration::from_millis(5)).await;
    mailer
        .send(&email_verification("bob@example.com", "Bob", verify_link))
        .await
        .expect("written");

    let entries = read_outbox(&data_dir.join("outbox"))
        .await
        .expect("readable");
    let links: Vec<_> = entries.iter().map(|e| e.link.as_deref()).collect();
    assert_eq!(links, vec![Some(LINK), Some(verify_link)]);
    assert_eq!(entries[1].to, "bob@example.com");
    assert_eq!(entries[1].subject, "Verify your email address");
}

#[tokio::test]
async fn outbox_send_in_background_writes_the_message_once_the_task_ends() {
    let data_dir = fresh_data_dir();
    let mailer = Mailer::from_settings(&outbox_settings(), &data_dir, Mode::Development)
        .expect("mailer builds");

    mailer
        .send_in_background(password_reset("ada@example.com", "Ada", LINK))
        .await
        .expect("task finished");

    let entries = read_outbox(&data_dir.join("outbox"))
        .await
        .expect("readable");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].link.as_deref(), Some(LINK));
}

#[tokio::test]
async fn server_start_up_with_the_default_settings_creates_an_empty_outbox_in_the_data_dir() {
    let server = TestServer::start(&[]).await;

    let outbox = server.data_dir.join("outbox");

    assert_eq!(server.config.mail.transport, MailTransport::Outbox);
    assert!(outbox.is_dir());
    assert_eq!(file_names(&outbox), Vec::<String>::new());
}
