//! Why a message was not sent.

/// Why a message could not be built or delivered.
///
/// The `Display` text is for the operator's log: it names what failed and never contains the
/// SMTP password or the message body (which carries one-time links).
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The configured sender (`mail.from`) is not a mailbox such as `Tasks <no-reply@example.com>`.
    #[error("mail.from is not a valid mailbox; use a form like `Tasks <no-reply@example.com>`")]
    InvalidSender,
    /// The recipient is not an email address.
    #[error("the recipient is not a valid email address")]
    InvalidRecipient,
    /// The SMTP settings cannot work together (for example a username without a password).
    #[error("{0}")]
    InvalidSettings(&'static str),
    /// The message could not be assembled.
    #[error("cannot build the message: {0}")]
    Build(#[source] lettre::error::Error),
    /// The SMTP relay refused the message or the connection failed.
    #[error("SMTP delivery failed: {0}")]
    Smtp(#[source] lettre::transport::smtp::Error),
    /// The SMTP relay did not finish within the time allowed.
    #[error("SMTP delivery timed out after {0} s")]
    Timeout(u64),
    /// The development outbox could not be written.
    #[error("cannot write to the outbox {path}: {source}")]
    Outbox {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl MailError {
    /// A stable machine-readable code for logs and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            MailError::InvalidSender => "MAIL_INVALID_SENDER",
            MailError::InvalidRecipient => "MAIL_INVALID_RECIPIENT",
            MailError::InvalidSettings(_) => "MAIL_INVALID_SETTINGS",
            MailError::Build(_) => "MAIL_BUILD_FAILED",
            MailError::Smtp(_) => "MAIL_SMTP_FAILED",
            MailError::Timeout(_) => "MAIL_TIMEOUT",
            MailError::Outbox { .. } => "MAIL_OUTBOX_FAILED",
        }
    }
}
