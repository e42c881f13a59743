//! The published key set: RFC 7517 JSON Web Keys for Ed25519 (OKP keys, RFC 8037 §2).

use serde::{Deserialize, Serialize};

/// `GET /api/auth/jwks`: `{"keys": [...]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwkSet {
    /// The published keys, newest first.
    pub keys: Vec<Jwk>,
}

/// One published public key. Fields are optional on input so that a key set with entries of
/// other types still parses; [`Jwk::ed25519`] builds the complete form that is published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type: `OKP` for Ed25519.
    pub kty: String,
    /// Curve: `Ed25519`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// Algorithm the key is for: `EdDSA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// Intended use: `sig`.
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    /// Key id, matched against a token header's `kid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// The public key: 32 bytes, base64url without padding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
}

impl Jwk {
    /// The published form of an Ed25519 public key.
    pub fn ed25519(kid: &str, x: &str) -> Self {
        Self {
            kty: "OKP".to_owned(),
            crv: Some("Ed25519".to_owned()),
            alg: Some("EdDSA".to_owned()),
            use_: Some("sig".to_owned()),
            kid: Some(kid.to_owned()),
            x: Some(x.to_owned()),
        }
    }
}
