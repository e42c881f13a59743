//! `/sign-in`: email and password. Works without JavaScript (a plain form post).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    auth::{next::encode_query_value, SignIn},
    components::form::{field_error, form_error_state, whole_form_error, FormAlert, FormField},
};

/// The sign-in page; after success the server redirects to `next` or `/tasks`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let pending = action.pending();
    let error = form_error_state(action);
    let next = use_query_map().with_untracked(|query| query.get("next"));
    let sign_up_href = match &next {
        Some(next) => format!("/sign-up?next={}", encode_query_value(next)),
        None => "/sign-up".to_owned(),
    };

    view! {
        <section class="page narrow auth-page" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">"Sign in"</h1>
            <ActionForm action=action>
                <FormAlert message=whole_form_error(error, &["email", "password"])/>
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
                    autocomplete="current-password"
                    error=field_error(error, "password")
                />
                <p class="field-hint">
                    <a href="/forgot-password">"Forgot your password?"</a>
                </p>
                <input type="hidden" name="next" value=next.unwrap_or_default()/>
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p class="switch">"No account yet? " <a href=sign_up_href>"Sign up"</a></p>
        </section>
    }
}
