//! `AuthError`: every way an auth request fails, each with its status and stable code, mapped
//! to the contract's `{message, code}` body in one place.

use app::model::ErrorBody;
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

/// Why an auth request failed. Client errors carry a stable code; internal causes are logged
/// and never returned.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The body failed validation; `field` names the offending field.
    #[error("{field}: {message}")]
    Validation {
        field: &'static str,
        message: &'static str,
    },
    #[error("unsupported content type")]
    UnsupportedMediaType,
    #[error("body larger than the limit")]
    PayloadTooLarge,
    #[error("invalid email address")]
    InvalidEmail,
    #[error("password too short")]
    PasswordTooShort,
    #[error("password too long")]
    PasswordTooLong,
    /// Ours, not Better Auth's: 400 `PASSWORD_TOO_COMMON` when a new password is on the
    /// shipped list of common passwords (`common_passwords.txt`).
    #[error("password is on the list of common passwords")]
    PasswordTooCommon,
    #[error("a user with this email exists")]
    UserAlreadyExists,
    /// Unknown email or wrong password: deliberately indistinguishable.
    #[error("invalid email or password")]
    InvalidEmailOrPassword,
    #[error("email not verified")]
    EmailNotVerified,
    #[error("no valid session")]
    Unauthorized,
    /// The current password given to confirm a change is wrong.
    #[error("wrong current password")]
    InvalidPassword,
    #[error("the email cannot be changed here")]
    EmailCannotBeUpdated,
    #[error("cookie-bearing request without Origin or Referer")]
    MissingOrNullOrigin,
    #[error("request from an untrusted origin")]
    InvalidOrigin,
    #[error("callback URL on an untrusted origin")]
    InvalidCallbackUrl,
    /// A password reset token that is unknown, used or expired (the three are not told apart).
    #[error("invalid password reset token")]
    InvalidResetToken,
    /// An email verification token that is unknown or already used.
    #[error("invalid email verification token")]
    InvalidVerificationToken,
    /// An email verification token that has expired.
    #[error("email verification token expired")]
    VerificationTokenExpired,
    /// Over the rate limit; retry after this many seconds.
    #[error("rate limit exceeded")]
    TooManyRequests { retry_after_secs: u64 },
    /// The database is momentarily unavailable (pool exhausted, lock timeout).
    #[error("database busy: {0}")]
    Busy(String),
    /// A failure that is the server's fault; the text is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AuthError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Validation { .. }
            | Self::InvalidEmail
            | Self::PasswordTooShort
            | Self::PasswordTooLong
            | Self::PasswordTooCommon
            | Self::InvalidPassword
            | Self::EmailCannotBeUpdated
            | Self::InvalidResetToken => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UserAlreadyExists => StatusCode::UNPROCESSABLE_ENTITY,
            Self::InvalidEmailOrPassword
            | Self::Unauthorized
            | Self::InvalidVerificationToken
            | Self::VerificationTokenExpired => StatusCode::UNAUTHORIZED,
            Self::EmailNotVerified
            | Self::MissingOrNullOrigin
            | Self::InvalidOrigin
            | Self::InvalidCallbackUrl => StatusCode::FORBIDDEN,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine code sent as `code`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation { .. } => "VALIDATION_ERROR",
            Self::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            Self::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Self::InvalidEmail => "INVALID_EMAIL",
            Self::PasswordTooShort => "PASSWORD_TOO_SHORT",
            Self::PasswordTooLong => "PASSWORD_TOO_LONG",
            Self::PasswordTooCommon => "PASSWORD_TOO_COMMON",
            Self::UserAlreadyExists => "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
            Self::InvalidEmailOrPassword => "INVALID_EMAIL_OR_PASSWORD",
            Self::EmailNotVerified => "EMAIL_NOT_VERIFIED",
            Self::Unauthorized => "UNAUTHORIZED",
            Self::InvalidPassword => "INVALID_PASSWORD",
            Self::EmailCannotBeUpdated => "EMAIL_CAN_NOT_BE_UPDATED",
            Self::MissingOrNullOrigin => "MISSING_OR_NULL_ORIGIN",
            Self::InvalidOrigin => "INVALID_ORIGIN",
            Self::InvalidCallbackUrl => "INVALID_CALLBACK_URL",
            Self::InvalidResetToken | Self::InvalidVerificationToken => "INVALID_TOKEN",
            Self::VerificationTokenExpired => "TOKEN_EXPIRED",
            Self::TooManyRequests { .. } => "TOO_MANY_REQUESTS",
            Self::Busy(_) => "SERVICE_UNAVAILABLE",
            Self::Internal(_) => "INTERNAL_SERVER_ERROR",
        }
    }

    /// The sentence sent as `message`: something the person can act on.
    fn message(&self) -> String {
        match self {
            Self::Validation { field, message } => format!("Invalid field `{field}`: {message}."),
            Self::UnsupportedMediaType => {
                "Send the body as application/json (or a form where accepted).".into()
            }
            Self::PayloadTooLarge => "The request body is too large.".into(),
            Self::InvalidEmail => "Enter a valid email address.".into(),
            Self::PasswordTooShort => "The password is too short.".into(),
            Self::PasswordTooLong => "The password is too long.".into(),
            Self::PasswordTooCommon => {
                "This password is too common to be safe; choose another.".into()
            }
            Self::UserAlreadyExists => "User already exists. Use another email.".into(),
            Self::InvalidEmailOrPassword => "Invalid email or password.".into(),
            Self::EmailNotVerified => "Verify your email address before signing in.".into(),
            Self::Unauthorized => "Sign in to continue.".into(),
            Self::InvalidPassword => "The password is not correct.".into(),
            Self::EmailCannotBeUpdated => "The email address cannot be changed here.".into(),
            Self::MissingOrNullOrigin => {
                "The request has no Origin header; send it from the site itself.".into()
            }
            Self::InvalidOrigin => "The request comes from an origin that is not trusted.".into(),
            Self::InvalidCallbackUrl => {
                "The callback URL must be relative or on a trusted origin.".into()
            }
            Self::InvalidResetToken => {
                "This reset link is invalid, used or expired; ask for a new one.".into()
            }
            Self::InvalidVerificationToken => {
                "This verification link is invalid or was already used; ask for a new one.".into()
            }
            Self::VerificationTokenExpired => {
                "This verification link has expired; ask for a new one.".into()
            }
            Self::TooManyRequests { .. } => "Too many requests. Please try again later.".into(),
            Self::Busy(_) => "The server is busy; try again in a moment.".into(),
            Self::Internal(_) => "Something went wrong on our side; try again later.".into(),
        }
    }

    /// An internal error from a database failure, with the step that failed. Pool timeouts
    /// and lock timeouts become [`AuthError::Busy`] (503), not a 500.
    pub fn database(step: &'static str, error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::PoolTimedOut => Self::Busy(format!("{step}: {error}")),
            sqlx::Error::Database(db) if is_busy_code(db.code().as_deref()) => {
                Self::Busy(format!("{step}: {error}"))
            }
            _ => Self::Internal(format!("{step}: {error}")),
        }
    }
}

/// SQLITE_BUSY / SQLITE_LOCKED (and their extended codes), PostgreSQL lock-timeout and
/// serialization failures.
fn is_busy_code(code: Option<&str>) -> bool {
    matches!(
        code,
        Some("5" | "6" | "261" | "517" | "262" | "55P03" | "40001" | "40P01")
    )
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(code = self.code(), error = %self, "auth request failed");
        } else {
            tracing::debug!(code = self.code(), reason = %self, "auth request refused");
        }
        let field = match &self {
            Self::Validation { field, .. } => Some((*field).to_owned()),
            _ => None,
        };
        let body = ErrorBody {
            message: self.message(),
            code: self.code().to_owned(),
            field,
        };
        let mut response = (status, Json(body)).into_response();
        if let Self::TooManyRequests { retry_after_secs } = self {
            response.headers_mut().insert(
                header::HeaderName::from_static("x-retry-after"),
                HeaderValue::from(retry_after_secs),
            );
        }
        response
    }
}
