//! The JWT layer's errors: [`JwtError`] for keeping keys and issuing tokens, [`VerifyError`]
//! for rejecting a presented token.

/// Why a key could not be created, loaded or used to sign.
#[derive(Debug, thiserror::Error)]
pub enum JwtError {
    /// The database failed while reading or writing the `jwks` table.
    #[error("jwks table: {0}")]
    Database(#[source] sqlx::Error),
    /// A stored private key does not decrypt under the current server secret: the secret
    /// changed since the key was written.
    #[error(
        "APP_SECRET: the JWT signing key `{kid}` in the jwks table was encrypted with another \
         secret; restore the previous APP_SECRET, or delete the rows of the jwks table to start \
         over (this invalidates every JWT already issued)"
    )]
    UndecryptableKey {
        /// The key that did not decrypt.
        kid: String,
    },
    /// A stored key row is damaged (bad encoding, wrong length, public key not matching).
    #[error(
        "jwks table: the key `{kid}` is damaged ({problem}); delete the rows of the jwks table \
         to start over (this invalidates every JWT already issued)"
    )]
    CorruptKey {
        /// The damaged key.
        kid: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// No key could be made active after repeated attempts (other writers kept winning).
    #[error("jwks table: no active signing key could be established; check the database")]
    NoActiveKey,
    /// The claims could not be serialised (never expected with the fixed claim types).
    #[error("cannot encode the JWT claims: {0}")]
    Encode(#[source] serde_json::Error),
}

impl JwtError {
    /// The stable machine code of this error, for logs and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            JwtError::Database(_) => "JWKS_DATABASE_ERROR",
            JwtError::UndecryptableKey { .. } => "JWKS_UNDECRYPTABLE_KEY",
            JwtError::CorruptKey { .. } => "JWKS_CORRUPT_KEY",
            JwtError::NoActiveKey => "JWKS_NO_ACTIVE_KEY",
            JwtError::Encode(_) => "JWT_ENCODE_ERROR",
        }
    }
}

/// Why a presented token was not accepted. Every variant means "401 to the client"; the
/// distinction is for logs (at debug) and tests, never for the response body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Longer than the verifier accepts; not decoded at all.
    #[error("token too long")]
    TooLong,
    /// Not three base64url parts, or a part is not the JSON it must be.
    #[error("token malformed")]
    Malformed,
    /// The header names an algorithm other than EdDSA (`none`, `HS256`, ...).
    #[error("algorithm not accepted")]
    UnsupportedAlgorithm,
    /// The header has a `crit` parameter; none is understood, so RFC 7515 §4.1.11 says reject.
    #[error("critical header parameter not understood")]
    UnsupportedCritical,
    /// The header has no `kid`.
    #[error("key id missing")]
    MissingKid,
    /// The `kid` is empty, too long, or has characters outside base64url.
    #[error("key id malformed")]
    InvalidKid,
    /// No published key has this `kid`, even after a refresh of the key set.
    #[error("key id unknown")]
    UnknownKid,
    /// The key set could not be fetched and no cached key matched.
    #[error("key set unavailable")]
    KeySetUnavailable,
    /// The signature does not verify under the named key.
    #[error("signature invalid")]
    BadSignature,
    /// `exp` is missing.
    #[error("expiry missing")]
    MissingExpiry,
    /// `exp` is in the past by more than the leeway.
    #[error("token expired")]
    Expired,
    /// `nbf` is in the future by more than the leeway.
    #[error("token not yet valid")]
    NotYetValid,
    /// `iss` is missing or not the expected issuer.
    #[error("issuer mismatch")]
    WrongIssuer,
    /// `aud` is missing or does not contain the expected audience.
    #[error("audience mismatch")]
    WrongAudience,
    /// `sub` is missing or empty.
    #[error("subject missing")]
    MissingSubject,
}

impl VerifyError {
    /// A stable UPPER_SNAKE code for logs.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::TooLong => "TOKEN_TOO_LONG",
            VerifyError::Malformed => "TOKEN_MALFORMED",
            VerifyError::UnsupportedAlgorithm => "UNSUPPORTED_ALGORITHM",
            VerifyError::UnsupportedCritical => "UNSUPPORTED_CRITICAL_HEADER",
            VerifyError::MissingKid => "MISSING_KID",
            VerifyError::InvalidKid => "INVALID_KID",
            VerifyError::UnknownKid => "UNKNOWN_KID",
            VerifyError::KeySetUnavailable => "KEY_SET_UNAVAILABLE",
            VerifyError::BadSignature => "BAD_SIGNATURE",
            VerifyError::MissingExpiry => "MISSING_EXPIRY",
            VerifyError::Expired => "TOKEN_EXPIRED",
            VerifyError::NotYetValid => "TOKEN_NOT_YET_VALID",
            VerifyError::WrongIssuer => "WRONG_ISSUER",
            VerifyError::WrongAudience => "WRONG_AUDIENCE",
            VerifyError::MissingSubject => "MISSING_SUBJECT",
        }
    }
}
