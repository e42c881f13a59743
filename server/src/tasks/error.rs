//! The tasks API's errors and the one place they become HTTP responses.

use app::model::ErrorBody;
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

/// Why a tasks request failed. Each variant has one status and one stable code.
#[derive(Debug, thiserror::Error)]
pub enum TasksError {
    /// No `Authorization: Bearer` token was sent.
    #[error("no bearer token")]
    MissingToken,
    /// A bearer token was sent but is not valid, or its user no longer exists.
    #[error("invalid bearer token")]
    InvalidToken,
    /// The body or query failed validation.
    #[error("validation failed: {message}")]
    Validation {
        /// What is wrong, for a person.
        message: String,
        /// The request field at fault, when there is one.
        field: Option<&'static str>,
    },
    /// The body is not JSON.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The body is larger than the server accepts.
    #[error("payload too large")]
    PayloadTooLarge,
    /// No task with this id belongs to the caller (whether or not it belongs to someone else).
    #[error("task not found")]
    NotFound,
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl TasksError {
    /// A validation failure about `field`.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        TasksError::Validation {
            message: message.into(),
            field: Some(field),
        }
    }

    /// The stable machine code sent as `code`.
    pub fn code(&self) -> &'static str {
        match self {
            TasksError::MissingToken | TasksError::InvalidToken => "UNAUTHORIZED",
            TasksError::Validation { .. } => "VALIDATION_ERROR",
            TasksError::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            TasksError::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            TasksError::NotFound => "TASK_NOT_FOUND",
            TasksError::Database(_) => "INTERNAL_SERVER_ERROR",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            TasksError::MissingToken | TasksError::InvalidToken => StatusCode::UNAUTHORIZED,
            TasksError::Validation { .. } => StatusCode::BAD_REQUEST,
            TasksError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            TasksError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            TasksError::NotFound => StatusCode::NOT_FOUND,
            TasksError::Database(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> String {
        match self {
            TasksError::MissingToken => "Sign in to see your tasks.".to_owned(),
            TasksError::InvalidToken => {
                "Your access token is invalid or has expired. Sign in again.".to_owned()
            }
            TasksError::Validation { message, .. } => message.clone(),
            TasksError::UnsupportedMediaType => {
                "Send the request body as application/json.".to_owned()
            }
            TasksError::PayloadTooLarge => "The request body is too large.".to_owned(),
            TasksError::NotFound => "This task does not exist.".to_owned(),
            TasksError::Database(_) => "Something went wrong. Try again later.".to_owned(),
        }
    }
}

impl IntoResponse for TasksError {
    fn into_response(self) -> Response {
        match &self {
            TasksError::Database(error) => tracing::error!(%error, "tasks: database error"),
            other => tracing::debug!(code = other.code(), "tasks request refused"),
        }
        let body = ErrorBody {
            message: self.message(),
            code: self.code().to_owned(),
            field: match &self {
                TasksError::Validation { field, .. } => field.map(str::to_owned),
                _ => None,
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        // RFC 6750 §3: a request without credentials gets the bare challenge; a rejected token
        // gets `error="invalid_token"`.
        let challenge = match self {
            TasksError::MissingToken => Some("Bearer"),
            TasksError::InvalidToken => Some("Bearer error=\"invalid_token\""),
            _ => None,
        };
        if let Some(challenge) = challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}
