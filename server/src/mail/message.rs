//! The message the server sends: a subject, a plain-text part and an HTML part.

use lettre::{
    message::{Mailbox, MultiPart},
    Message,
};

use super::MailError;

/// One email, ready to send. Built by the functions in [`super::templates`], which escape
/// every piece of user data that goes into the HTML part.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// The recipient's address, e.g. `ada@example.com`.
    pub to: String,
    pub subject: String,
    /// The `text/plain` alternative.
    pub text: String,
    /// The `text/html` alternative.
    pub html: String,
    /// The one-time link the message carries, if any. The development outbox records it on its
    /// own so that a developer (or an end-to-end test) can follow it without parsing the body.
    pub link: Option<String>,
}

// The body and the link carry one-time tokens: a derived Debug would put them in any log line
// that formats the message.
impl std::fmt::Debug for OutgoingMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingMail")
            .field("to", &self.to)
            .field("subject", &self.subject)
            .field("text", &"[redacted]")
            .field("html", &"[redacted]")
            .field("link", &self.link.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl OutgoingMail {
    /// The RFC 5322 message: `multipart/alternative` with the plain-text part first and the HTML
    /// part last, as RFC 2046 section 5.1.4 asks (the last part is the preferred one).
    pub(super) fn to_message(&self, from: &Mailbox) -> Result<Message, MailError> {
        let to: Mailbox = self.to.parse().map_err(|_| MailError::InvalidRecipient)?;
        Message::builder()
            .from(from.clone())
            .to(to)
            .subject(self.subject.clone())
            .message_id(None)
            .multipart(MultiPart::alternative_plain_html(
                self.text.clone(),
                self.html.clone(),
            ))
            .map_err(MailError::Build)
    }
}

/// Parses the configured sender, e.g. `Tasks <no-reply@example.com>`.
pub(super) fn parse_sender(from: &str) -> Result<Mailbox, MailError> {
    from.parse().map_err(|_| MailError::InvalidSender)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_recipient_and_subject_but_not_the_body_or_link() {
        let mail = OutgoingMail {
            to: "ada@example.com".to_owned(),
            subject: "Reset your password".to_owned(),
            text: "secret-token-in-text".to_owned(),
            html: "secret-token-in-html".to_owned(),
            link: Some("http://x/?token=secret-token-in-link".to_owned()),
        };

        let printed = format!("{mail:?}");

        assert_eq!(
            printed,
            "OutgoingMail { to: \"ada@example.com\", subject: \"Reset your password\", \
             text: \"[redacted]\", html: \"[redacted]\", link: Some(\"[redacted]\") }"
        );
    }
}
