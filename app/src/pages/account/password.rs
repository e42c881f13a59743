//! The change-password part of the account page.

use leptos::{html, prelude::*};

use crate::{
    auth::account::{ChangePassword, PASSWORD_FORM},
    components::form::{
        field_error, form_outcome, outcome_error, outcome_succeeded, whole_form_error, FormAlert,
        FormField, FormSuccess,
    },
};

/// Current password, new password and whether to sign out the other sessions. A wrong current
/// password is shown on its field. The fields are emptied after a change.
#[component]
pub fn PasswordForm(action: ServerAction<ChangePassword>) -> impl IntoView {
    let pending = action.pending();
    let outcome = form_outcome(action, PASSWORD_FORM);
    let error = outcome_error(outcome);
    let form = NodeRef::<html::Form>::new();
    Effect::new(move || {
        if matches!(action.value().get(), Some(Ok(()))) {
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
    });

    view! {
        <section class="page" aria-labelledby="password-title">
            <h2 id="password-title">"Change password"</h2>
            <ActionForm action=action node_ref=form>
                <FormSuccess
                    when=outcome_succeeded(outcome)
                    message="Your password was changed."
                    test_id="password-success"
                />
                <FormAlert message=whole_form_error(error, &["current_password", "password"])/>
                <FormField
                    label="Current password"
                    name="current_password"
                    input_type="password"
                    autocomplete="current-password"
                    form=PASSWORD_FORM
                    error=field_error(error, "current_password")
                />
                <FormField
                    label="New password"
                    name="password"
                    input_type="password"
                    autocomplete="new-password"
                    hint="At least 8 characters."
                    form=PASSWORD_FORM
                    error=field_error(error, "password")
                />
                <div class="checkbox">
                    <input id="field-password-sign-out-others" type="checkbox" name="sign_out_others" value="true"/>
                    <label for="field-password-sign-out-others">"Sign out other sessions"</label>
                </div>
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Changing password…" } else { "Change password" }}
                </button>
            </ActionForm>
        </section>
    }
}
