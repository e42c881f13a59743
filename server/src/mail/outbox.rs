//! The development outbox: instead of being delivered, each message is written to
//! `<data dir>/outbox/` as two files with one name stem, `<Unix ms, 13 digits>-<id>`:
//!
//! - `<stem>.eml`: the complete RFC 5322 message, exactly as SMTP would carry it; open it in a
//!   mail client to see it rendered;
//! - `<stem>.json`: `{id, createdAt, from, to, subject, text, html, link, eml}`, so that a
//!   developer or an end-to-end test finds the one-time link without parsing MIME.
//!
//! The stems sort by time: the newest message is the JSON file with the greatest name
//! (tests that run in parallel should also filter on `to`). Each file is written under a
//! temporary name and renamed into place, so a reader never sees half a file; the `.json` is
//! renamed last, so when it exists its `.eml` does too.

use std::path::{Path, PathBuf};

use lettre::message::Mailbox;
use serde::{Deserialize, Serialize};

use super::{message::parse_sender, MailError, OutgoingMail};
use crate::db::{iso8601, new_id, now_ms};

/// The name of the outbox folder inside the data directory.
pub const OUTBOX_DIR: &str = "outbox";

/// One message as recorded in a `.json` file of the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxEntry {
    pub id: String,
    /// ISO-8601 UTC.
    pub created_at: String,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The one-time link the message carries, if any.
    pub link: Option<String>,
    /// The file name (not the path) of the matching `.eml` file.
    pub eml: String,
}

/// Writes messages to a folder instead of delivering them.
pub(super) struct Outbox {
    dir: PathBuf,
    from: Mailbox,
    log_recipients: bool,
}

impl Outbox {
    /// Creates `<data_dir>/outbox` if needed. With `log_recipients` the recipient of each
    /// message is logged at info beside the file; the link never is (it carries a one-time
    /// token): a developer finds it in the `.json` file the log line names.
    pub fn new(from: &str, data_dir: &Path, log_recipients: bool) -> Result<Self, MailError> {
        let from = parse_sender(from)?;
        let dir = data_dir.join(OUTBOX_DIR);
        // Runs once at start-up, before the server accepts requests.
        std::fs::create_dir_all(&dir).map_err(|source| MailError::Outbox {
            path: dir.display().to_string(),
            source,
        })?;
        Ok(Self {
            dir,
            from,
            log_recipients,
        })
    }

    /// The folder the messages are written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes the `.eml` and then the `.json` file of one message.
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = mail.to_message(&self.from)?;
        let created = now_ms();
        let id = new_id();
        let stem = format!("{created:013}-{id}");
        let eml_name = format!("{stem}.eml");
        let entry = OutboxEntry {
            id,
            created_at: iso8601(created),
            from: self.from.to_string(),
            to: mail.to.clone(),
            subject: mail.subject.clone(),
            text: mail.text.clone(),
            html: mail.html.clone(),
            link: mail.link.clone(),
            eml: eml_name.clone(),
        };
        // Serialising a struct of strings cannot fail; an empty file would still be noticed.
        let json = serde_json::to_vec_pretty(&entry).unwrap_or_default();

        self.write_atomically(&eml_name, &message.formatted())
            .await?;
        let json_path = self
            .write_atomically(&format!("{stem}.json"), &json)
            .await?;

        if self.log_recipients {
            tracing::info!(
                to = %mail.to,
                subject = %mail.subject,
                file = %json_path.display(),
                "mail written to the development outbox; its link is in the file"
            );
        } else {
            tracing::info!(
                subject = %mail.subject,
                file = %json_path.display(),
                "mail written to the outbox"
            );
        }
        Ok(())
    }

    async fn write_atomically(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, MailError> {
        let path = self.dir.join(name);
        let partial = self.dir.join(format!("{name}.partial"));
        let io_error = |source| MailError::Outbox {
            path: path.display().to_string(),
            source,
        };
        tokio::fs::write(&partial, bytes).await.map_err(io_error)?;
        tokio::fs::rename(&partial, &path).await.map_err(io_error)?;
        Ok(path)
    }
}

/// Every message in the outbox folder `dir`, oldest first. Files that are not outbox entries
/// are skipped. For tests and development tools.
pub async fn read_outbox(dir: &Path) -> std::io::Result<Vec<OutboxEntry>> {
    let mut names = Vec::new();
    let mut listing = tokio::fs::read_dir(dir).await?;
    while let Some(item) = listing.next_entry().await? {
        let name = item.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            names.push(name);
        }
    }
    names.sort();

    let mut entries = Vec::with_capacity(names.len());
    for name in names {
        let bytes = tokio::fs::read(dir.join(&name)).await?;
        if let Ok(entry) = serde_json::from_slice::<OutboxEntry>(&bytes) {
            entries.push(entry);
        }
    }
    Ok(entries)
}
