//! The profile part of the account page: the name (editable), the email and the sign-up date.

use leptos::prelude::*;

use crate::{
    auth::account::{UpdateName, PROFILE_FORM},
    components::form::{
        field_error, form_outcome, outcome_error, outcome_succeeded, whole_form_error, FormAlert,
        FormField, FormSuccess,
    },
    model::auth::User,
};

/// The user's details with a form to change the name. Saving reloads the page, so the header
/// shows the new name too.
#[component]
pub fn Profile(user: User) -> impl IntoView {
    let action = ServerAction::<UpdateName>::new();
    let pending = action.pending();
    let outcome = form_outcome(action, PROFILE_FORM);
    let error = outcome_error(outcome);
    let member_since = user
        .created_at
        .get(..10)
        .unwrap_or(&user.created_at)
        .to_owned();

    view! {
        <section class="page" aria-labelledby="profile-title">
            <h2 id="profile-title">"Profile"</h2>
            <dl class="account-details">
                <dt>"Email"</dt>
                <dd data-testid="account-email">{user.email}</dd>
                <dt>"Member since"</dt>
                <dd data-testid="account-since">
                    <time datetime=user.created_at.clone()>{member_since}</time>
                </dd>
            </dl>
            <ActionForm action=action>
                <FormSuccess
                    when=outcome_succeeded(outcome)
                    message="Your name was saved."
                    test_id="profile-success"
                />
                <FormAlert message=whole_form_error(error, &["name"])/>
                <FormField
                    label="Name"
                    name="name"
                    input_type="text"
                    autocomplete="name"
                    form=PROFILE_FORM
                    value=user.name
                    error=field_error(error, "name")
                />
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Saving…" } else { "Save name" }}
                </button>
            </ActionForm>
        </section>
    }
}
