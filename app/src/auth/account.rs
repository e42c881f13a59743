//! Changing the signed-in user's account: the name, the password, and deleting the account.
//! Each server function forwards to the auth router; a form posted without JavaScript is sent
//! back to `/account` with `done=<form>` or `form=<form>&error=<code>` in the query.

use leptos::prelude::*;

use crate::auth::error::AppError;

/// The form name of the profile form in the account page's URL codes.
pub const PROFILE_FORM: &str = "profile";
/// The form name of the change-password form.
pub const PASSWORD_FORM: &str = "password";
/// The form name of the delete-account form.
pub const DELETE_FORM: &str = "delete";

/// Renames the user, then reloads `/account` so every part of the page (the header too) shows
/// the new name; the page then says the name was saved.
#[server(prefix = "/ui", endpoint = "update-name")]
pub async fn update_name(name: String) -> Result<(), AppError> {
    let body = serde_json::json!({ "name": name.trim() });
    match ssr::call_auth(http::Method::POST, "/api/auth/update-user", Some(body)).await {
        Ok(_) => {
            leptos_axum::redirect(&ssr::page_url("/account", &[("done", PROFILE_FORM)]));
            Ok(())
        }
        Err(error) => Err(ssr::back_to_page("/account", PROFILE_FORM, &[], error)),
    }
}

/// Changes the password after checking the current one. With `sign_out_others` set (a ticked
/// checkbox sends any value) every other session ends and this browser gets a new session.
#[server(prefix = "/ui", endpoint = "change-password")]
pub async fn change_password(
    current_password: String,
    password: String,
    sign_out_others: Option<String>,
) -> Result<(), AppError> {
    let body = serde_json::json!({
        "currentPassword": current_password,
        "newPassword": password,
        "revokeOtherSessions": sign_out_others.is_some(),
    });
    match ssr::call_auth(http::Method::POST, "/api/auth/change-password", Some(body)).await {
        Ok(_) => {
            ssr::done_on_page("/account", PASSWORD_FORM);
            Ok(())
        }
        Err(error) => {
            let error = error.with_form_fields(&[
                ("currentPassword", "current_password"),
                ("newPassword", "password"),
            ]);
            Err(ssr::back_to_page("/account", PASSWORD_FORM, &[], error))
        }
    }
}

/// Deletes the account once the password is given and the confirmation box is ticked, then
/// sends the browser, now signed out, to the home page.
#[server(prefix = "/ui", endpoint = "delete-account")]
pub async fn delete_account(
    current_password: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    if confirm.is_none() {
        let error = AppError::from_code(crate::auth::error::CONFIRMATION_REQUIRED);
        return Err(ssr::back_to_page("/account", DELETE_FORM, &[], error));
    }
    let body = serde_json::json!({ "password": current_password });
    match ssr::call_auth(http::Method::POST, "/api/auth/delete-user", Some(body)).await {
        Ok(_) => {
            leptos_axum::redirect("/");
            Ok(())
        }
        Err(error) => {
            let error = error.with_form_fields(&[("password", "current_password")]);
            Err(ssr::back_to_page("/account", DELETE_FORM, &[], error))
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    pub(super) use crate::auth::functions::ssr::{back_to_page, call_auth, done_on_page, page_url};
}
