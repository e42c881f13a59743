//! The banner on the tasks page for a user whose email address is not verified yet, with a
//! button that sends the verification link again.

use leptos::prelude::*;

use crate::{
    auth::recovery::{SendVerificationEmail, VERIFY_FORM},
    components::form::{form_outcome, outcome_error, outcome_succeeded, FormAlert, FormSuccess},
};

/// "Please verify your email address", the resend button and its result.
#[component]
pub fn VerifyEmailBanner(
    /// The address the link goes to.
    email: String,
) -> impl IntoView {
    let action = ServerAction::<SendVerificationEmail>::new();
    let pending = action.pending();
    let outcome = form_outcome(action, VERIFY_FORM);
    let error = Signal::derive(move || outcome_error(outcome).get().map(|e| e.to_string()));
    let sent = outcome_succeeded(outcome);

    view! {
        <section class="page verify-banner" aria-labelledby="verify-title" data-testid="verify-banner">
            <h2 id="verify-title">"Please verify your email address"</h2>
            <p>
                "We sent a link to " <strong>{email}</strong>
                ". Open it to confirm that this address is yours."
            </p>
            <ActionForm action=action>
                <button type="submit" class="secondary" disabled=move || pending.get()>
                    {move || if pending.get() { "Sending…" } else { "Resend verification email" }}
                </button>
            </ActionForm>
            <FormSuccess
                when=sent
                message="We sent a new verification link. It may take a minute to arrive."
                test_id="verify-success"
            />
            <FormAlert message=error/>
        </section>
    }
}
