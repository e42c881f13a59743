//! `/account` (signed-in users only): the profile, the sessions, the password and deleting the
//! account. Every form works without JavaScript too: the server then answers with a redirect
//! back here, and the outcome travels in the query (see [`crate::components::form::form_outcome`]).

mod delete;
mod password;
mod profile;
mod sessions;

use leptos::prelude::*;

use crate::{
    auth::{
        account::ChangePassword,
        sessions::{RevokeOtherSessions, RevokeSession},
    },
    components::protected::Protected,
    model::auth::User,
};
use delete::DeleteAccountForm;
use password::PasswordForm;
use profile::Profile;
use sessions::{session_list, Sessions};

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    // Shared: a password change can end the other sessions, so the list reloads after it. The
    // list is created here, once per page, not inside the protected part (see `TasksPage`).
    let password_changes = ServerAction::<ChangePassword>::new();
    let revoke = ServerAction::<RevokeSession>::new();
    let revoke_others = ServerAction::<RevokeOtherSessions>::new();
    let sessions = session_list(revoke, revoke_others, password_changes);
    view! {
        <Protected children=move |user: User| {
            view! {
                <h1 class="page-title">"Your account"</h1>
                <Profile user/>
                <Sessions sessions revoke revoke_others/>
                <PasswordForm action=password_changes/>
                <DeleteAccountForm/>
            }
        }/>
    }
}

/// `2026-12-04T15:20:01.123Z` as `2026-12-04 15:20 UTC`; any other text unchanged.
pub(crate) fn short_utc(iso: &str) -> String {
    match (iso.get(..10), iso.get(11..16)) {
        (Some(date), Some(time)) if iso.ends_with('Z') => format!("{date} {time} UTC"),
        _ => iso.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::short_utc;

    #[test]
    fn an_iso_instant_is_shown_to_the_minute_in_utc() {
        assert_eq!(
            short_utc("2026-12-04T15:20:01.123Z"),
            "2026-12-04 15:20 UTC"
        );
    }

    #[test]
    fn text_that_is_not_an_iso_instant_is_kept() {
        assert_eq!(short_utc("yesterday"), "yesterday");
    }
}
