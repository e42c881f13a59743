//! Delivery through an SMTP relay.

use std::time::Duration;

use lettre::{
    message::Mailbox,
    transport::smtp::{
        authentication::Credentials,
        client::{Tls, TlsParameters},
    },
    AsyncSmtpTransport, AsyncTransport, Tokio1Executor,
};

use super::{message::parse_sender, MailError, OutgoingMail};

/// How long one SMTP command may take before the connection is given up.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole delivery (connect, greet, authenticate, send) may take. This bound also
/// covers the server's greeting, which the per-command timeout does not.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(15);
/// The port on which SMTP is spoken inside TLS from the first byte (RFC 8314 section 3.3).
const IMPLICIT_TLS_PORT: u16 = 465;

/// An SMTP relay. One connection per message (no pool): the server sends few messages.
pub(super) struct SmtpRelay {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    host: String,
    port: u16,
}

impl SmtpRelay {
    /// Builds the client; nothing is sent over the network until the first message.
    ///
    /// TLS: port 465 uses implicit TLS; otherwise STARTTLS is required when credentials are
    /// configured (they are never sent in clear) and attempted when they are not.
    pub fn new(
        from: &str,
        host: &str,
        port: u16,
        username: Option<&str>,
        password: Option<&str>,
    ) -> Result<Self, MailError> {
        let from = parse_sender(from)?;
        let credentials = match (username, password) {
            (Some(user), Some(pass)) => Some(Credentials::new(user.to_owned(), pass.to_owned())),
            (None, None) => None,
            _ => {
                return Err(MailError::InvalidSettings(
                    "APP_SMTP_USERNAME and APP_SMTP_PASSWORD must be set together",
                ))
            }
        };
        // LIMITATION: the relay's certificate is checked against the Mozilla roots compiled in
        // (webpki-roots), not the system store: a relay with a private CA cannot be verified.
        let parameters = TlsParameters::new(host.to_owned()).map_err(MailError::Smtp)?;
        let tls = if port == IMPLICIT_TLS_PORT {
            Tls::Wrapper(parameters)
        } else if credentials.is_some() {
            Tls::Required(parameters)
        } else {
            // LIMITATION: without credentials STARTTLS is opportunistic, so an attacker on the
            // path to the relay can strip it and read the message (and its one-time link).
            // Configure credentials, or use port 465, for a relay across an untrusted network.
            Tls::Opportunistic(parameters)
        };

        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .tls(tls)
            .timeout(Some(COMMAND_TIMEOUT));
        if let Some(credentials) = credentials {
            builder = builder.credentials(credentials);
        }
        Ok(Self {
            transport: builder.build(),
            from,
            host: host.to_owned(),
            port,
        })
    }

    /// Sends one message, giving up after [`DELIVERY_TIMEOUT`].
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = mail.to_message(&self.from)?;
        let outcome = tokio::time::timeout(DELIVERY_TIMEOUT, self.transport.send(message)).await;
        match outcome {
            Ok(Ok(_response)) => {
                tracing::info!(subject = %mail.subject, "mail sent through SMTP");
                Ok(())
            }
            Ok(Err(error)) => {
                tracing::warn!(
                    host = %self.host,
                    port = self.port,
                    %error,
                    "SMTP delivery failed"
                );
                Err(MailError::Smtp(error))
            }
            Err(_elapsed) => {
                tracing::warn!(host = %self.host, port = self.port, "SMTP delivery timed out");
                Err(MailError::Timeout(DELIVERY_TIMEOUT.as_secs()))
            }
        }
    }
}
