//! Wire types shared by the server and the browser: what crosses HTTP as JSON.

pub mod auth;
pub mod tasks;

use serde::{Deserialize, Serialize};

/// The body of every error response of the auth and tasks APIs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A sentence a person can act on.
    pub message: String,
    /// A stable machine code in UPPER_SNAKE case, e.g. `INVALID_EMAIL_OR_PASSWORD`.
    pub code: String,
    /// The request field the error is about, for validation errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
