//! The error of the auth server functions: the auth API's `{code, message}` plus the form field
//! it is about, so a form can show it next to the right input.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use crate::model::ErrorBody;

/// Code of [`AppError::Network`]: the browser could not reach the server.
pub const NETWORK_ERROR: &str = "NETWORK_ERROR";
/// Code of [`AppError::Internal`]: the server could not complete the request.
pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";

/// Code of an account deletion sent without its confirmation box ticked. Ours: the check is
/// made by the server function before the auth API is asked.
pub const CONFIRMATION_REQUIRED: &str = "CONFIRMATION_REQUIRED";

/// Why an auth server function failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The auth API refused the request with one of the contract's codes.
    #[error("{message}")]
    Api {
        /// The contract's stable code, e.g. `INVALID_EMAIL_OR_PASSWORD`.
        code: String,
        /// A sentence the user can act on.
        message: String,
        /// The form field the error is about (`name`, `email`, `password`), if any.
        field: Option<String>,
    },
    /// The request did not reach the server, or its answer did not come back.
    #[error("Cannot reach the server. Check your connection and try again.")]
    Network,
    /// The server failed in a way the user cannot fix; details are in the server log.
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl AppError {
    /// An error with a known contract code; the message and field come from [`describe`].
    pub fn from_code(code: &str) -> Self {
        let (message, field) = describe(code);
        AppError::Api {
            code: code.to_owned(),
            message: message.to_owned(),
            field: field.map(str::to_owned),
        }
    }

    /// An error from the body the auth API answered with. The API's own `field` wins over the
    /// one derived from the code.
    pub fn from_body(body: ErrorBody) -> Self {
        let field = body
            .field
            .or_else(|| describe(&body.code).1.map(str::to_owned));
        AppError::Api {
            code: body.code,
            message: body.message,
            field,
        }
    }

    /// The stable machine code.
    pub fn code(&self) -> &str {
        match self {
            AppError::Api { code, .. } => code,
            AppError::Network => NETWORK_ERROR,
            AppError::Internal => INTERNAL_ERROR,
        }
    }

    /// The same error, with the auth API's JSON field names replaced by the names of the form
    /// fields they were entered in (`renames` holds `(api name, form name)` pairs).
    pub fn with_form_fields(self, renames: &[(&str, &str)]) -> Self {
        match self {
            AppError::Api {
                code,
                message,
                field: Some(field),
            } => {
                let field = renames
                    .iter()
                    .find(|(api, _)| *api == field)
                    .map_or(field, |(_, form)| (*form).to_owned());
                AppError::Api {
                    code,
                    message,
                    field: Some(field),
                }
            }
            other => other,
        }
    }

    /// The form field this error belongs to; `None` for errors about the whole form.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Api { field, .. } => field.as_deref(),
            _ => None,
        }
    }
}

/// The message and form field shown for a contract code. Used when only the code is known (the
/// code travels in the URL when a form was posted without JavaScript, and the URL is never
/// trusted to carry text shown on the page).
pub fn describe(code: &str) -> (&'static str, Option<&'static str>) {
    match code {
        "INVALID_EMAIL_OR_PASSWORD" => ("Invalid email or password.", None),
        "INVALID_EMAIL" => ("Enter a valid email address.", Some("email")),
        "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" => (
            "An account with this email already exists. Sign in or use another email.",
            Some("email"),
        ),
        "PASSWORD_TOO_SHORT" => ("The password is too short.", Some("password")),
        "PASSWORD_TOO_LONG" => ("The password is too long.", Some("password")),
        "PASSWORD_TOO_COMMON" => (
            "This password is too common to be safe. Choose another.",
            Some("password"),
        ),
        // Only ever about the password that confirms a change: the field of that name.
        "INVALID_PASSWORD" => ("The password is not correct.", Some("current_password")),
        "INVALID_TOKEN" | "TOKEN_EXPIRED" => (
            "This link is invalid or has expired. Ask for a new one.",
            None,
        ),
        "UNAUTHORIZED" => ("Your session has ended. Sign in again.", None),
        CONFIRMATION_REQUIRED => (
            "Tick the box to confirm that you want to delete your account.",
            Some("confirm"),
        ),
        "EMAIL_NOT_VERIFIED" => ("Verify your email address first.", Some("email")),
        "NAME_REQUIRED" => ("Enter your name.", Some("name")),
        "TOO_MANY_REQUESTS" => ("Too many attempts. Wait a few seconds and try again.", None),
        NETWORK_ERROR => (
            "Cannot reach the server. Check your connection and try again.",
            None,
        ),
        _ => ("Something went wrong on our side. Please try again.", None),
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Network,
            _ => AppError::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_code_gets_its_message_and_field() {
        let error = AppError::from_code("USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL");
        assert_eq!(error.code(), "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL");
        assert_eq!(error.field(), Some("email"));
        assert_eq!(
            error.to_string(),
            "An account with this email already exists. Sign in or use another email."
        );
    }

    #[test]
    fn wrong_credentials_are_a_form_level_error() {
        let error = AppError::from_code("INVALID_EMAIL_OR_PASSWORD");
        assert_eq!(error.field(), None);
        assert_eq!(error.to_string(), "Invalid email or password.");
    }

    #[test]
    fn the_api_field_wins_over_the_field_derived_from_the_code() {
        let error = AppError::from_body(ErrorBody {
            message: "Name is required.".into(),
            code: "VALIDATION_ERROR".into(),
            field: Some("name".into()),
        });
        assert_eq!(error.field(), Some("name"));
        assert_eq!(error.to_string(), "Name is required.");
    }

    #[test]
    fn a_wrong_current_password_belongs_to_the_current_password_field() {
        let error = AppError::from_code("INVALID_PASSWORD");
        assert_eq!(error.field(), Some("current_password"));
        assert_eq!(error.to_string(), "The password is not correct.");
    }

    #[test]
    fn api_field_names_are_renamed_to_form_field_names() {
        let error = AppError::from_body(ErrorBody {
            message: "Invalid field `newPassword`: required.".into(),
            code: "VALIDATION_ERROR".into(),
            field: Some("newPassword".into()),
        })
        .with_form_fields(&[("newPassword", "password")]);
        assert_eq!(error.field(), Some("password"));

        let untouched = AppError::from_code("INVALID_TOKEN").with_form_fields(&[("a", "b")]);
        assert_eq!(untouched.field(), None);
    }

    #[test]
    fn an_unknown_code_shows_a_generic_message() {
        let error = AppError::from_code("<script>");
        assert_eq!(error.code(), "<script>");
        assert_eq!(
            error.to_string(),
            "Something went wrong on our side. Please try again."
        );
    }

    #[test]
    fn a_network_failure_of_the_server_fn_client_is_a_network_error() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::Request("offline".into()));
        assert_eq!(error, AppError::Network);
        assert_eq!(error.code(), "NETWORK_ERROR");
    }
}
