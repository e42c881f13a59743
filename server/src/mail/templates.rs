//! The messages the server sends, one function per message. Each returns both alternatives; user
//! data (the name, and the link, which embeds caller-supplied parts) is HTML-escaped in the HTML
//! part and left as typed in the plain-text part, where nothing interprets it.

use super::OutgoingMail;

/// "Reset your password": sent by `request-password-reset` to an existing account's address.
/// `link` is the full URL that carries the one-time token.
pub fn password_reset(to: &str, name: &str, link: &str) -> OutgoingMail {
    let subject = "Reset your password".to_owned();
    let text = format!(
        "Hello {name},\n\n\
         Someone asked to reset the password of your Tasks account. To choose a new password, \
         open this link:\n\n\
         {link}\n\n\
         The link works once and expires in one hour. If you did not ask for this, ignore this \
         message: your password stays as it is.\n"
    );
    let html = page(
        &subject,
        &format!(
            "<p>Hello {name},</p>\n\
             <p>Someone asked to reset the password of your Tasks account. To choose a new \
             password, follow this link:</p>\n\
             <p><a href=\"{link}\">Reset my password</a></p>\n\
             <p>Or copy this address into your browser: {link}</p>\n\
             <p>The link works once and expires in one hour. If you did not ask for this, ignore \
             this message: your password stays as it is.</p>",
            name = escape_html(name),
            link = escape_html(link),
        ),
    );
    OutgoingMail {
        to: to.to_owned(),
        subject,
        text,
        html,
        link: Some(link.to_owned()),
    }
}

/// "Verify your email address": sent after sign-up and by `send-verification-email`.
/// `link` is the full URL that carries the one-time token.
pub fn email_verification(to: &str, name: &str, link: &str) -> OutgoingMail {
    let subject = "Verify your email address".to_owned();
    let text = format!(
        "Hello {name},\n\n\
         To confirm that {to} is your address, open this link:\n\n\
         {link}\n\n\
         The link works once and expires after a while. If you did not create a Tasks account, \
         ignore this message.\n"
    );
    let html = page(
        &subject,
        &format!(
            "<p>Hello {name},</p>\n\
             <p>To confirm that {to} is your address, follow this link:</p>\n\
             <p><a href=\"{link}\">Verify my email address</a></p>\n\
             <p>Or copy this address into your browser: {link}</p>\n\
             <p>The link works once and expires after a while. If you did not create a Tasks \
             account, ignore this message.</p>",
            name = escape_html(name),
            to = escape_html(to),
            link = escape_html(link),
        ),
    );
    OutgoingMail {
        to: to.to_owned(),
        subject,
        text,
        html,
        link: Some(link.to_owned()),
    }
}

/// A minimal HTML document around `body` (already escaped).
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n\
         <body>\n{body}\n</body>\n</html>\n",
        escape_html(title)
    )
}

/// Escapes the five characters that are special in HTML text and in quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "http://127.0.0.1:3000/reset-password?token=abc_DEF-123";

    #[test]
    fn escape_html_replaces_the_five_special_characters() {
        assert_eq!(
            escape_html(r#"<b>"Tom" & 'Jerry'</b>"#),
            "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn password_reset_puts_the_link_in_both_parts_and_escapes_the_name_in_html() {
        let mail = password_reset("ada@example.com", "<script>x</script>", LINK);

        assert_eq!(mail.to, "ada@example.com");
        assert_eq!(mail.subject, "Reset your password");
        assert_eq!(mail.link.as_deref(), Some(LINK));
        assert!(mail.text.contains(&format!("\n{LINK}\n")));
        assert!(mail.text.starts_with("Hello <script>x</script>,\n"));
        assert!(mail.html.contains(&format!("<a href=\"{LINK}\">")));
        assert!(mail
            .html
            .contains("<p>Hello &lt;script&gt;x&lt;/script&gt;,</p>"));
        assert!(!mail.html.contains("<script>"));
    }

    #[test]
    fn email_verification_escapes_an_ampersand_in_the_link_attribute() {
        let link = "http://127.0.0.1:3000/api/auth/verify-email?token=t1&callbackURL=/tasks";
        let mail = email_verification("ada@example.com", "Ada", link);

        assert_eq!(mail.subject, "Verify your email address");
        assert_eq!(mail.link.as_deref(), Some(link));
        assert!(mail.text.contains(&format!("\n{link}\n")));
        assert!(mail.html.contains(
            "<a href=\"http://127.0.0.1:3000/api/auth/verify-email?token=t1&amp;callbackURL=/tasks\">"
        ));
        assert!(mail
            .html
            .contains("<p>To confirm that ada@example.com is your address"));
    }
}
