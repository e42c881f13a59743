//! `/reset-password?token=…`: sets a new password with the link from a reset email. Works
//! without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    auth::recovery::{ResetPassword, RESET_FORM},
    components::form::{
        field_error, form_outcome, outcome_error, outcome_succeeded, whole_form_error, FormAlert,
        FormField,
    },
};

/// What the page shows, from the link and the last answer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ResetStage {
    /// A link with a token: the new-password form.
    // LIMITATION: a used or expired token also gets the form; it shows as dead only once a new
    // password is sent, since the auth contract has no route to check a token without spending it.
    Form,
    /// The password was changed.
    Done,
    /// No token, or the API refused it as invalid or expired.
    DeadLink,
}

/// The reset-password page.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let pending = action.pending();
    let outcome = form_outcome(action, RESET_FORM);
    let error = outcome_error(outcome);
    let token = use_query_map().with_untracked(|query| query.get("token").unwrap_or_default());
    let succeeded = outcome_succeeded(outcome);
    let stage = {
        let has_token = !token.is_empty();
        Memo::new(move |_| {
            if succeeded.get() {
                ResetStage::Done
            } else if !has_token
                || error.with(|e| {
                    matches!(
                        e.as_ref().map(|e| e.code()),
                        Some("INVALID_TOKEN" | "TOKEN_EXPIRED")
                    )
                })
            {
                ResetStage::DeadLink
            } else {
                ResetStage::Form
            }
        })
    };

    view! {
        <section class="page narrow auth-page" aria-labelledby="reset-title">
            <h1 id="reset-title">"Set a new password"</h1>
            {move || match stage.get() {
                ResetStage::Done => {
                    view! {
                        <p class="form-success" role="status" data-testid="reset-success">
                            "Your password was changed, and every device signed in to your "
                            "account was signed out. "
                            <a href="/sign-in">"Sign in with your new password"</a>
                            "."
                        </p>
                    }
                        .into_any()
                }
                ResetStage::DeadLink => {
                    view! {
                        <p class="form-error" role="alert" data-testid="reset-invalid">
                            "This reset link is invalid, has expired or was already used. "
                            <a href="/forgot-password">"Ask for a new link"</a>
                            "."
                        </p>
                    }
                        .into_any()
                }
                ResetStage::Form => {
                    let token = token.clone();
                    view! {
                        <ActionForm action=action>
                            <FormAlert message=whole_form_error(error, &["password"])/>
                            <FormField
                                label="New password"
                                name="password"
                                input_type="password"
                                autocomplete="new-password"
                                hint="At least 8 characters."
                                error=field_error(error, "password")
                            />
                            <input type="hidden" name="token" value=token/>
                            <button type="submit" class="primary" disabled=move || pending.get()>
                                {move || if pending.get() { "Saving…" } else { "Set new password" }}
                            </button>
                        </ActionForm>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
