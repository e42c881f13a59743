//! The delete-account part of the account page: folded away behind a disclosure, and asking for
//! the password and a ticked confirmation box before anything is deleted.

use leptos::prelude::*;

use crate::{
    auth::account::{DeleteAccount, DELETE_FORM},
    components::form::{
        field_error, form_outcome, outcome_error, whole_form_error, FormAlert, FormField,
    },
};

/// Deleting the account. On success the server signs the browser out and sends it to the home
/// page. The disclosure is open when the last attempt failed, so its error is visible.
#[component]
pub fn DeleteAccountForm() -> impl IntoView {
    let action = ServerAction::<DeleteAccount>::new();
    let pending = action.pending();
    let error = outcome_error(form_outcome(action, DELETE_FORM));
    let confirm_error = field_error(error, "confirm");

    view! {
        <section class="page danger-zone" aria-labelledby="delete-title">
            <h2 id="delete-title">"Delete account"</h2>
            <details open=move || error.with(Option::is_some)>
                <summary>"Delete my account…"</summary>
                <p>
                    "This deletes your account and all of your tasks, and signs you out "
                    "everywhere. It cannot be undone."
                </p>
                <ActionForm action=action>
                    <FormAlert message=whole_form_error(error, &["current_password", "confirm"])/>
                    <FormField
                        label="Password"
                        name="current_password"
                        input_type="password"
                        autocomplete="current-password"
                        form=DELETE_FORM
                        error=field_error(error, "current_password")
                    />
                    <div class="checkbox">
                        <input
                            id="field-delete-confirm"
                            type="checkbox"
                            name="confirm"
                            value="true"
                            required
                            aria-invalid=move || confirm_error.with(Option::is_some).then_some("true")
                            aria-describedby=move || {
                                confirm_error.with(Option::is_some).then_some("field-delete-confirm-error")
                            }
                        />
                        <label for="field-delete-confirm">
                            "I understand that my account and my tasks will be deleted for good"
                        </label>
                    </div>
                    {move || {
                        confirm_error
                            .get()
                            .map(|message| {
                                view! {
                                    <p
                                        id="field-delete-confirm-error"
                                        class="field-error"
                                        data-testid="delete-confirm-error"
                                    >
                                        {message}
                                    </p>
                                }
                            })
                    }}
                    <button type="submit" class="danger" disabled=move || pending.get()>
                        {move || if pending.get() { "Deleting…" } else { "Delete my account" }}
                    </button>
                </ActionForm>
            </details>
        </section>
    }
}
