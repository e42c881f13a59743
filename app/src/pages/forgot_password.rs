//! `/forgot-password`: asks for a password reset link by email. Works without JavaScript.

use leptos::prelude::*;

use crate::{
    auth::recovery::{RequestPasswordReset, FORGOT_FORM},
    components::form::{
        field_error, form_outcome, outcome_error, outcome_succeeded, whole_form_error, FormAlert,
        FormField, FormSuccess,
    },
};

/// The same sentence for every address, known or not, so the page does not tell who has an
/// account.
pub const LINK_SENT: &str = "If an account exists for that address, we sent a link to reset \
                             the password. It works for one hour.";

/// The forgot-password page.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let pending = action.pending();
    let outcome = form_outcome(action, FORGOT_FORM);
    let error = outcome_error(outcome);

    view! {
        <section class="page narrow auth-page" aria-labelledby="forgot-title">
            <h1 id="forgot-title">"Forgot your password?"</h1>
            <p>"Enter the email address of your account and we will send you a link to set a new password."</p>
            <ActionForm action=action>
                <FormSuccess when=outcome_succeeded(outcome) message=LINK_SENT test_id="forgot-success"/>
                <FormAlert message=whole_form_error(error, &["email"])/>
                <FormField
                    label="Email"
                    name="email"
                    input_type="email"
                    autocomplete="email"
                    error=field_error(error, "email")
                />
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Sending…" } else { "Send reset link" }}
                </button>
            </ActionForm>
            <p class="switch">"Remembered it? " <a href="/sign-in">"Sign in"</a></p>
        </section>
    }
}
