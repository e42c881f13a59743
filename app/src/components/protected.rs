//! Pages only for signed-in users: anyone else is sent to `/sign-in?next=<this page>`.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{auth::next::sign_in_url, model::auth::User, session::use_user};

/// Renders `children` with the signed-in user; sends a signed-out visitor to sign in: during
/// server rendering with a `302` (the route must render with `SsrMode::Async` so the status is
/// not sent before this runs), after hydration with a client-side navigation.
#[component]
pub fn Protected<V>(
    /// The page, given the signed-in user.
    children: impl Fn(User) -> V + Send + Sync + Clone + 'static,
) -> impl IntoView
where
    V: IntoView + 'static,
{
    let user = use_user();
    let location = use_location();
    let redirect = SignInRedirect::new();

    view! {
        <Suspense fallback=|| view! { <p class="page loading">"Loading…"</p> }>
            {
                let children = children.clone();
                let redirect = redirect.clone();
                let location = location.clone();
                move || {
                    let children = children.clone();
                    let redirect = redirect.clone();
                    let location = location.clone();
                    Suspend::new(async move {
                        match user.await {
                            Some(user) => children(user).into_any(),
                            None => {
                                let target = sign_in_url(&location.pathname.get_untracked());
                                redirect.go(&target);
                                view! {
                                    <section class="page narrow">
                                        <p>
                                            "Please " <a href=target>"sign in"</a>
                                            " to see this page."
                                        </p>
                                    </section>
                                }
                                    .into_any()
                            }
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// Sends the browser to a sign-in URL: a 302 during server rendering, a navigation in the browser.
#[derive(Clone)]
pub struct SignInRedirect {
    #[cfg(feature = "ssr")]
    response: Option<leptos_axum::ResponseOptions>,
    #[cfg(feature = "hydrate")]
    navigate: std::sync::Arc<dyn Fn(&str) + Send + Sync>,
}

impl SignInRedirect {
    /// Captures what the redirect needs from the current component's context.
    pub fn new() -> Self {
        SignInRedirect {
            #[cfg(feature = "ssr")]
            response: use_context::<leptos_axum::ResponseOptions>(),
            #[cfg(feature = "hydrate")]
            navigate: {
                let navigate = leptos_router::hooks::use_navigate();
                std::sync::Arc::new(move |target: &str| {
                    let navigate = navigate.clone();
                    let target = target.to_owned();
                    // After the current render: navigating while rendering is not allowed.
                    request_animation_frame(move || {
                        navigate(
                            &target,
                            leptos_router::NavigateOptions {
                                replace: true,
                                ..Default::default()
                            },
                        )
                    });
                })
            },
        }
    }

    /// Sends the browser to `target`, a path on this site.
    pub fn go(&self, target: &str) {
        #[cfg(feature = "ssr")]
        if let (Some(response), Ok(location)) =
            (&self.response, http::HeaderValue::from_str(target))
        {
            response.set_status(http::StatusCode::FOUND);
            response.insert_header(http::header::LOCATION, location);
        }
        #[cfg(feature = "hydrate")]
        (self.navigate)(target);
        #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
        let _ = target;
    }
}

impl Default for SignInRedirect {
    fn default() -> Self {
        Self::new()
    }
}
