//! Email: the one [`Mailer`] the server builds at start-up from `[mail]` in the configuration,
//! and the messages it sends ([`templates`]).
//!
//! Two transports sit behind the mailer: the development outbox (the default), which writes each
//! message to `<data dir>/outbox/` (see [`outbox`]), and an SMTP relay.

mod error;
mod message;
pub mod outbox;
mod smtp;
pub mod templates;

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

pub use error::MailError;
pub use message::OutgoingMail;
pub use outbox::{read_outbox, OutboxEntry};
pub use smtp::DELIVERY_TIMEOUT;
pub use templates::{email_verification, password_reset};

use crate::config::{MailSettings, MailTransport, Mode};
use outbox::Outbox;
use smtp::SmtpRelay;

/// Sends email through the configured transport. Cheap to clone: clones share one transport.
#[derive(Clone)]
pub struct Mailer {
    transport: Arc<Transport>,
}

enum Transport {
    Outbox(Outbox),
    Smtp(SmtpRelay),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match *self.transport {
            Transport::Outbox(_) => "outbox",
            Transport::Smtp(_) => "smtp",
        };
        f.debug_struct("Mailer").field("transport", &kind).finish()
    }
}

impl Mailer {
    /// Builds the mailer once at start-up. The outbox transport creates `<data_dir>/outbox`, and
    /// in development mode logs each message's recipient and file at info (never its link,
    /// which carries a one-time token) so a developer can find it.
    ///
    /// Fails when `settings.from` is not a mailbox, when only one of the SMTP username and
    /// password is set, or when the outbox folder cannot be created.
    pub fn from_settings(
        settings: &MailSettings,
        data_dir: &Path,
        mode: Mode,
    ) -> Result<Self, MailError> {
        let transport = match &settings.transport {
            MailTransport::Outbox => {
                if mode == Mode::Production {
                    tracing::warn!(
                        "mail.transport is `outbox`: email is written to {} and not delivered; \
                         set APP_MAIL_TRANSPORT=smtp in production",
                        data_dir.join(outbox::OUTBOX_DIR).display()
                    );
                }
                Transport::Outbox(Outbox::new(
                    &settings.from,
                    data_dir,
                    mode == Mode::Development,
                )?)
            }
            MailTransport::Smtp {
                host,
                port,
                username,
                password,
            } => Transport::Smtp(SmtpRelay::new(
                &settings.from,
                host,
                *port,
                username.as_deref(),
                password.as_deref(),
            )?),
        };
        Ok(Self {
            transport: Arc::new(transport),
        })
    }

    /// Sends one message and waits for the outcome. Failures are logged here (without the body,
    /// the link or credentials) and returned.
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let outcome = match &*self.transport {
            Transport::Outbox(outbox) => outbox.send(mail).await,
            Transport::Smtp(relay) => relay.send(mail).await,
        };
        if let Err(error) = &outcome {
            tracing::warn!(code = error.code(), %error, subject = %mail.subject, "mail not sent");
        }
        outcome
    }

    /// Sends one message on a background task and returns at once. Use it where the response
    /// must not depend on delivery, in content or in timing (`request-password-reset` answers
    /// the same whether or not the address has an account). Failures are logged.
    pub fn send_in_background(&self, mail: OutgoingMail) -> tokio::task::JoinHandle<()> {
        let mailer = self.clone();
        tokio::spawn(async move {
            // Already logged by `send`.
            let _ = mailer.send(&mail).await;
        })
    }

    /// The outbox folder when the transport is the development outbox.
    pub fn outbox_dir(&self) -> Option<PathBuf> {
        match &*self.transport {
            Transport::Outbox(outbox) => Some(outbox.dir().to_path_buf()),
            Transport::Smtp(_) => None,
        }
    }
}
