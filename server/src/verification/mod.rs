//! One-time tokens for password reset and email verification, kept in the `verifications`
//! table.
//!
//! A token is 32 random bytes sent to the user (base64url, in a link); the table keeps only its
//! SHA-256, the purpose and subject (`identifier` = `<purpose>:<subject>`) and an expiry.
//! Redeeming deletes the row in the same statement that finds it, so a token works once.

mod purpose;
mod store;
mod token;

pub use purpose::Purpose;
pub use store::{consume_on, Redemption, VerificationError, VerificationStore, EXPIRED_RETENTION};
pub use token::{token_hash, PlainToken};
