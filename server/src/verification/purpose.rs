//! What a one-time token is for.

/// What a token is for. It is stored as the prefix of `verifications.identifier`
/// (`<prefix>:<subject>`), so a token issued for one purpose is never accepted for another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A password reset link (`request-password-reset` / `reset-password`).
    ResetPassword,
    /// An email verification link (`send-verification-email` / `verify-email`).
    VerifyEmail,
}

impl Purpose {
    /// The identifier prefix. Contains neither `%` nor `_`, so it can be matched with `LIKE`.
    pub fn prefix(self) -> &'static str {
        match self {
            Purpose::ResetPassword => "reset-password",
            Purpose::VerifyEmail => "verify-email",
        }
    }

    /// The stored identifier for `subject` (a user id or an email address).
    pub fn identifier(self, subject: &str) -> String {
        format!("{}:{subject}", self.prefix())
    }

    /// The subject of an identifier of this purpose.
    pub(super) fn subject_of(self, identifier: &str) -> Option<&str> {
        identifier
            .strip_prefix(self.prefix())
            .and_then(|rest| rest.strip_prefix(':'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_is_prefix_colon_subject_and_round_trips() {
        let identifier = Purpose::ResetPassword.identifier("user:42");

        assert_eq!(identifier, "reset-password:user:42");
        assert_eq!(
            Purpose::ResetPassword.subject_of(&identifier),
            Some("user:42")
        );
        assert_eq!(Purpose::VerifyEmail.subject_of(&identifier), None);
    }

    #[test]
    fn prefixes_contain_no_like_wildcards() {
        for purpose in [Purpose::ResetPassword, Purpose::VerifyEmail] {
            assert!(!purpose.prefix().contains(['%', '_', '\\']));
        }
    }
}
