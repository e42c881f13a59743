//! The password policy: Unicode NFKC normalisation, length bounds counted in characters, and a
//! list of common passwords that are refused outright.

use std::{collections::HashSet, fmt, sync::OnceLock};

use unicode_normalization::UnicodeNormalization;

use super::{config::AuthConfig, error::AuthError};

/// Common passwords, one a line, compared case-insensitively after normalisation.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// NFKC maps one input character to at most 18 (U+FDFA); anything longer than this many
/// characters before normalisation cannot fit `max_len` after it and is refused unnormalised,
/// so a huge input costs no more than a length check.
const MAX_EXPANSION: usize = 18;

/// A password that passed the policy, NFKC-normalised. Its `Debug` never shows the value.
pub struct Password(String);

impl Password {
    /// Normalises `raw` and checks it against the length bounds and the common-password list.
    /// Over-long input is refused before any normalisation or hashing work.
    pub fn new(raw: &str, config: &AuthConfig) -> Result<Self, AuthError> {
        let normalized = Self::normalize(raw, config.password_max_len)?;
        let length = normalized.chars().count();
        if length < config.password_min_len {
            return Err(AuthError::PasswordTooShort);
        }
        if length > config.password_max_len {
            return Err(AuthError::PasswordTooLong);
        }
        if is_common(&normalized) {
            return Err(AuthError::PasswordTooCommon);
        }
        Ok(Self(normalized))
    }

    /// Normalises a password given to be checked against a stored hash (sign-in, confirmation):
    /// no policy beyond the length cap, so that a policy change never locks anyone out.
    pub fn for_verification(raw: &str, config: &AuthConfig) -> Result<Self, AuthError> {
        Self::normalize(raw, config.password_max_len).map(Self)
    }

    fn normalize(raw: &str, max_len: usize) -> Result<String, AuthError> {
        // Each character is at least one byte: this bound needs no scan of a huge input.
        if raw.len() > max_len.saturating_mul(4).saturating_mul(MAX_EXPANSION) {
            return Err(AuthError::PasswordTooLong);
        }
        if raw.chars().count() > max_len.saturating_mul(MAX_EXPANSION) {
            return Err(AuthError::PasswordTooLong);
        }
        let normalized: String = raw.nfkc().collect();
        if normalized.chars().count() > max_len {
            return Err(AuthError::PasswordTooLong);
        }
        Ok(normalized)
    }

    /// The normalised password, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

fn is_common(password: &str) -> bool {
    static LIST: OnceLock<HashSet<String>> = OnceLock::new();
    let list = LIST.get_or_init(|| {
        COMMON_PASSWORDS
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_lowercase)
            .collect()
    });
    list.contains(&password.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::is_common;

    #[test]
    fn common_passwords_are_recognised_in_any_case() {
        assert!(is_common("password123"));
        assert!(is_common("PassWord123"));
        assert!(is_common("qwertyuiop"));
        assert!(!is_common("violet tractor umbrella"));
    }
}
