//! The signed-in user of the page, loaded once at the root so the server renders the header and
//! protected pages for the right person.

use leptos::prelude::*;

use crate::{auth::current_user, model::auth::User};

/// The current user (`None` when signed out), provided as context by [`provide_user`].
#[derive(Clone, Copy)]
pub struct UserResource(pub Resource<Option<User>>);

/// Loads the current user and provides it to every component below. The resource is blocking:
/// the server sends no HTML before it is known, so redirects of protected pages can still be
/// answered with a 302. A failure to ask is treated as signed out.
pub fn provide_user() {
    let user = Resource::new_blocking(
        || (),
        |_| async move { current_user().await.ok().flatten() },
    );
    provide_context(UserResource(user));
}

/// The current user resource provided by [`provide_user`].
pub fn use_user() -> Resource<Option<User>> {
    expect_context::<UserResource>().0
}
