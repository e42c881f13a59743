//! The one error type of the typed API client.

use serde::{Deserialize, Serialize};

use crate::{auth::AppError, model::ErrorBody};

/// Why a call to the tasks API failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    /// No valid session: the token could not be obtained or was refused twice.
    #[error("You are signed out. Sign in again to continue.")]
    Unauthorized,
    /// The task does not exist (or is not the user's).
    #[error("This task no longer exists. Reload the page to see your current tasks.")]
    NotFound,
    /// The request was refused because of one field, e.g. an empty title.
    #[error("{message}")]
    Validation {
        /// The request field, e.g. `title`.
        field: String,
        /// What to change.
        message: String,
    },
    /// The API could not be reached.
    #[error("Cannot reach the server ({0}). Check your connection and try again.")]
    Network(String),
    /// Any other refusal or failure of the server.
    #[error("The server could not save your change ({status}): {message}")]
    Server {
        /// The HTTP status code.
        status: u16,
        /// The message of the error body, or a generic one.
        message: String,
    },
}

impl ApiError {
    /// The error for a non-2xx response with `body` (the API's `{message, code, field?}`).
    pub fn from_response(status: u16, body: &[u8]) -> Self {
        let parsed = serde_json::from_slice::<ErrorBody>(body).ok();
        match (status, parsed) {
            (401, _) => ApiError::Unauthorized,
            (404, _) => ApiError::NotFound,
            (400, Some(body)) if body.code == "VALIDATION_ERROR" => ApiError::Validation {
                field: body.field.unwrap_or_default(),
                message: body.message,
            },
            (status, Some(body)) => ApiError::Server {
                status,
                message: body.message,
            },
            (status, None) => ApiError::Server {
                status,
                message: "unexpected response".to_owned(),
            },
        }
    }
}

impl From<AppError> for ApiError {
    /// A failure of the token server function: `UNAUTHORIZED` means no session.
    fn from(error: AppError) -> Self {
        match error {
            AppError::Api { code, .. } if code == "UNAUTHORIZED" => ApiError::Unauthorized,
            AppError::Api { message, .. } => ApiError::Server {
                status: 502,
                message,
            },
            AppError::Network => ApiError::Network("the token request failed".to_owned()),
            AppError::Internal => ApiError::Server {
                status: 500,
                message: AppError::Internal.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_401_is_unauthorized() {
        let body = br#"{"message":"Sign in first.","code":"UNAUTHORIZED"}"#;
        assert_eq!(ApiError::from_response(401, body), ApiError::Unauthorized);
    }

    #[test]
    fn status_404_is_not_found() {
        let body = br#"{"message":"No such task.","code":"TASK_NOT_FOUND"}"#;
        assert_eq!(ApiError::from_response(404, body), ApiError::NotFound);
    }

    #[test]
    fn a_validation_error_carries_field_and_message() {
        let body = br#"{"message":"Enter a title.","code":"VALIDATION_ERROR","field":"title"}"#;
        assert_eq!(
            ApiError::from_response(400, body),
            ApiError::Validation {
                field: "title".into(),
                message: "Enter a title.".into()
            }
        );
    }

    #[test]
    fn a_server_error_without_a_json_body_keeps_its_status() {
        assert_eq!(
            ApiError::from_response(502, b"Bad Gateway"),
            ApiError::Server {
                status: 502,
                message: "unexpected response".into()
            }
        );
    }

    #[test]
    fn an_unauthorized_token_request_is_unauthorized() {
        let error = AppError::from_code("UNAUTHORIZED");
        assert_eq!(ApiError::from(error), ApiError::Unauthorized);
    }
}
