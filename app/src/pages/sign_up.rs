//! `/sign-up`: name, email and password. Works without JavaScript (a plain form post).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    auth::{next::encode_query_value, SignUp},
    components::form::{field_error, form_error_state, whole_form_error, FormAlert, FormField},
};

/// The sign-up page; after success the new user is signed in and redirected to `next` or
/// `/tasks`.
#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let pending = action.pending();
    let error = form_error_state(action);
    let next = use_query_map().with_untracked(|query| query.get("next"));
    let sign_in_href = match &next {
        Some(next) => format!("/sign-in?next={}", encode_query_value(next)),
        None => "/sign-in".to_owned(),
    };

    view! {
        <section class="page narrow auth-page" aria-labelledby="sign-up-title">
            <h1 id="sign-up-title">"Create an account"</h1>
            <ActionForm action=action>
                <FormAlert message=whole_form_error(error, &["name", "email", "password"])/>
                <FormField
                    label="Name"
                    name="name"
                    input_type="text"
                    autocomplete="name"
                    error=field_error(error, "name")
                />
                <FormField
                    label="Email"
                    name="email"
                    input_type="email"
                    autocomplete="email"
                    error=field_error(error, "email")
                />
                <FormField
                    label="Password"
                    name="password"
                    input_type="password"
                    autocomplete="new-password"
                    hint="At least 8 characters."
                    error=field_error(error, "password")
                />
                <input type="hidden" name="next" value=next.unwrap_or_default()/>
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Creating account…" } else { "Sign up" }}
                </button>
            </ActionForm>
            <p class="switch">"Already have an account? " <a href=sign_in_href>"Sign in"</a></p>
        </section>
    }
}
