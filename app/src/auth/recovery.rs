//! Getting back into an account: asking for a password reset link, setting a new password with
//! it, and asking again for the email-verification link.

use leptos::prelude::*;

use crate::auth::error::AppError;

/// The form name of the forgot-password form in its page's URL codes.
pub const FORGOT_FORM: &str = "forgot";
/// The form name of the reset-password form.
pub const RESET_FORM: &str = "reset";
/// The form name of the resend-verification button on the tasks page.
pub const VERIFY_FORM: &str = "verify";

/// Where the reset link in the email leads: this app's reset page.
pub const RESET_PAGE: &str = "/reset-password";
/// Where the verification link leads after the email is verified.
pub const AFTER_VERIFICATION: &str = "/tasks";

/// Asks the auth API to email a reset link to `email`. The answer is the same whether or not
/// an account exists for the address, so the page cannot be used to find out.
#[server(prefix = "/ui", endpoint = "request-password-reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let body = serde_json::json!({ "email": email.trim(), "redirectTo": RESET_PAGE });
    let path = "/api/auth/request-password-reset";
    match ssr::call_auth(http::Method::POST, path, Some(body)).await {
        Ok(_) => {
            ssr::done_on_page("/forgot-password", FORGOT_FORM);
            Ok(())
        }
        Err(error) => Err(ssr::back_to_page(
            "/forgot-password",
            FORGOT_FORM,
            &[],
            error,
        )),
    }
}

/// Sets a new password with the one-time `token` from a reset email. The auth API ends every
/// session of the user, so the user signs in again afterwards.
#[server(prefix = "/ui", endpoint = "reset-password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let body = serde_json::json!({ "newPassword": password, "token": token });
    match ssr::call_auth(http::Method::POST, "/api/auth/reset-password", Some(body)).await {
        Ok(_) => {
            ssr::done_on_page(RESET_PAGE, RESET_FORM);
            Ok(())
        }
        Err(error) => {
            let error = error.with_form_fields(&[("newPassword", "password")]);
            // A password the API refused can be tried again with the same link; a dead link
            // is not put back into the address bar.
            let keep: &[(&str, &str)] = match error.code() {
                "INVALID_TOKEN" | "TOKEN_EXPIRED" => &[],
                _ => &[("token", token.as_str())],
            };
            Err(ssr::back_to_page(RESET_PAGE, RESET_FORM, keep, error))
        }
    }
}

/// Emails the signed-in user a new link to verify their address.
#[server(prefix = "/ui", endpoint = "send-verification-email")]
pub async fn send_verification_email() -> Result<(), AppError> {
    let result = async {
        let current = ssr::require_session().await?;
        let body = serde_json::json!({
            "email": current.user.email,
            "callbackURL": AFTER_VERIFICATION,
        });
        let path = "/api/auth/send-verification-email";
        ssr::call_auth(http::Method::POST, path, Some(body)).await
    }
    .await;
    match result {
        Ok(_) => {
            ssr::done_on_page(AFTER_VERIFICATION, VERIFY_FORM);
            Ok(())
        }
        Err(error) => Err(ssr::back_to_page(
            AFTER_VERIFICATION,
            VERIFY_FORM,
            &[],
            error,
        )),
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    pub(super) use crate::auth::functions::ssr::{
        back_to_page, call_auth, done_on_page, require_session,
    };
}
