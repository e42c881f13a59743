//! Email addresses: trimmed and lower-cased before they are stored or looked up, and checked
//! for a plausible `local@domain.tld` shape.

use super::error::AuthError;

/// The longest address SMTP allows (RFC 5321, section 4.5.3.1.3).
const MAX_EMAIL_LEN: usize = 254;

/// The normalised form of `raw`, or `InvalidEmail`.
pub fn normalize_email(raw: &str) -> Result<String, AuthError> {
    let email = raw.trim().to_lowercase();
    if email.len() > MAX_EMAIL_LEN || !is_plausible(&email) {
        return Err(AuthError::InvalidEmail);
    }
    Ok(email)
}

fn is_plausible(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let labels_ok = domain
        .split('.')
        .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && labels_ok
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::normalize_email;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            normalize_email("  Ada@Example.COM ").ok().as_deref(),
            Some("ada@example.com")
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@b@c.d",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }
}
