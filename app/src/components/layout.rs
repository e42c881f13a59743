//! The app shell around every page: header with navigation and the signed-in user, and footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::{auth::SignOut, model::auth::User, session::use_user};

/// The site header: product name, navigation, and either the signed-in user with a "Sign out"
/// button or "Sign in" / "Sign up" links.
#[component]
pub fn Header() -> impl IntoView {
    let user = use_user();

    view! {
        <header class="site-header">
            <a class="brand" href="/">"Tasks"</a>
            <nav aria-label="Main">
                <A href="/">"Home"</A>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Some(user) => view! { <SignedInNav user/> }.into_any(),
                            None => view! { <SignedOutNav/> }.into_any(),
                        }
                    })}
                </Transition>
            </nav>
        </header>
    }
}

#[component]
fn SignedInNav(user: User) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <A href="/tasks">"Tasks"</A>
        <A href="/account">"Account"</A>
        <span class="current-user" data-testid="current-user">
            <span class="user-name">{user.name}</span>
            " "
            <span class="user-email">{user.email}</span>
        </span>
        <ActionForm action=sign_out>
            <button type="submit" class="link-button" disabled=move || sign_out.pending().get()>
                "Sign out"
            </button>
        </ActionForm>
    }
}

#[component]
fn SignedOutNav() -> impl IntoView {
    view! {
        <A href="/sign-in">"Sign in"</A>
        <A href="/sign-up">"Sign up"</A>
    }
}

/// The site footer.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>"Tasks — sessions and JWTs done once, in one place."</p>
        </footer>
    }
}
