//! The JWT issuer: Ed25519 signing keys (encrypted at rest), issuing, publishing and rotation;
//! and the verifier that checks tokens against the published keys.

mod error;
mod handler;
mod issuer;
mod jwk;
mod keys;
mod remote;
mod ring;
mod store;
mod verifier;

pub use error::{JwtError, VerifyError};
pub use handler::jwks;
pub use issuer::{JwtIssuer, TokenSubject};
pub use jwk::{Jwk, JwkSet};
pub use remote::RemoteKeySetOptions;
pub use verifier::{JwtVerifier, VerifiedToken, DEFAULT_LEEWAY, MAX_LEEWAY, MAX_TOKEN_BYTES};
