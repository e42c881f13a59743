//! The application shared by the server (rendering, server functions) and the browser
//! (hydration): components, routes, the auth server functions and the typed tasks API client.

#![recursion_limit = "256"]

pub mod api;
pub mod auth;
pub mod backend;
pub mod components;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod relay;
pub mod session;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{FlatRoutes, Route, Router},
    ChooseView, OptionalParamSegment, SsrMode, StaticSegment,
};
#[cfg(not(debug_assertions))]
use leptos_router::{lazy_route, Lazy, LazyRoute};

use components::layout::{Footer, Header};
use pages::{
    account::AccountPage, forgot_password::ForgotPasswordPage, home::HomePage, not_found::NotFound,
    reset_password::ResetPasswordPage, sign_in::SignInPage, sign_up::SignUpPage, tasks::TasksPage,
};

/// The HTML document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The root component: the current user, layout and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    session::provide_user();
    #[cfg(feature = "hydrate")]
    install_redirect_hook();
    // A page loaded on demand hydrates after its chunk arrives and marks itself then (see
    // `on_demand_view`); marking it here would announce a page whose forms are not live yet.
    #[cfg(feature = "hydrate")]
    if !loads_on_demand(&window().location().pathname().unwrap_or_default()) {
        Effect::new(mark_hydrated);
    }

    view! {
        <Stylesheet id="leptos" href="/pkg/tasks.css"/>
        <Title text="Tasks"/>
        <Router>
            <Header/>
            <main id="main">
                // No route nests another, so the flat router does: it is about 10 KB (brotli)
                // less WASM than the nested one.
                <FlatRoutes fallback=NotFound>
                    // Every page renders completely before the response starts: the header's
                    // signed-in state is then in the first HTML, which matters without
                    // JavaScript, and protected pages can still answer with a redirect.
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("sign-in") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("sign-up") view=SignUpPage ssr=SsrMode::Async/>
                    <Route
                        path=StaticSegment(FORGOT_PASSWORD)
                        view=forgot_password_view()
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment(RESET_PASSWORD)
                        view=reset_password_view()
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("tasks"), OptionalParamSegment("filter"))
                        view=TasksPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment(ACCOUNT)
                        view=account_view()
                        ssr=SsrMode::Async
                    />
                </FlatRoutes>
            </main>
            <Footer/>
        </Router>
    }
}

// The pages few visits need are loaded on demand in release builds: `cargo leptos build
// --release --split` (as `scripts/run.sh`, `scripts/test.sh` and the benchmark run it) makes each
// a WASM chunk of its own that the browser fetches when the page is first shown, so the first
// load of every other page does not carry it. A release bundle built without `--split` cannot
// hydrate (its lazy imports point nowhere), so the server refuses to start with one (see
// `server/src/site.rs`). Debug builds (`cargo leptos watch`) are never split and route to the
// pages directly.

const ACCOUNT: &str = "account";
const FORGOT_PASSWORD: &str = "forgot-password";
const RESET_PASSWORD: &str = "reset-password";
const ON_DEMAND: [&str; 3] = [ACCOUNT, FORGOT_PASSWORD, RESET_PASSWORD];

/// Whether the page at `path` (a location's pathname) is, or may be, one loaded on demand.
/// Hydrating such a page has to wait for its chunk (`leptos::mount::hydrate_lazy`); every other
/// page hydrates synchronously, as it always has. Always false in debug builds, which load
/// nothing on demand.
pub fn loads_on_demand(path: &str) -> bool {
    cfg!(not(debug_assertions)) && is_on_demand_path(path)
}

fn is_on_demand_path(path: &str) -> bool {
    // A percent-encoded path may spell one of these pages (`/%61ccount`); the asynchronous
    // hydration works for every page, so it is the safe choice when in doubt.
    path.contains('%') || ON_DEMAND.contains(&path.trim_matches('/'))
}

/// `/account`.
fn account_view() -> impl ChooseView {
    #[cfg(debug_assertions)]
    return AccountPage;
    #[cfg(not(debug_assertions))]
    return Lazy::<AccountRoute>::new();
}

/// `/forgot-password`.
fn forgot_password_view() -> impl ChooseView {
    #[cfg(debug_assertions)]
    return ForgotPasswordPage;
    #[cfg(not(debug_assertions))]
    return Lazy::<ForgotPasswordRoute>::new();
}

/// `/reset-password`.
fn reset_password_view() -> impl ChooseView {
    #[cfg(debug_assertions)]
    return ResetPasswordPage;
    #[cfg(not(debug_assertions))]
    return Lazy::<ResetPasswordRoute>::new();
}

/// The view of a page loaded on demand. It is built only once its chunk has arrived, so its
/// hydration is the last: this is where the document is marked hydrated.
#[cfg(not(debug_assertions))]
fn on_demand_view(page: AnyView) -> AnyView {
    #[cfg(feature = "hydrate")]
    Effect::new(mark_hydrated);
    page
}

#[cfg(not(debug_assertions))]
struct AccountRoute;

#[cfg(not(debug_assertions))]
#[lazy_route]
impl LazyRoute for AccountRoute {
    fn data() -> Self {
        AccountRoute
    }

    fn view(_this: Self) -> AnyView {
        on_demand_view(view! { <AccountPage/> }.into_any())
    }
}

#[cfg(not(debug_assertions))]
struct ForgotPasswordRoute;

#[cfg(not(debug_assertions))]
#[lazy_route]
impl LazyRoute for ForgotPasswordRoute {
    fn data() -> Self {
        ForgotPasswordRoute
    }

    fn view(_this: Self) -> AnyView {
        on_demand_view(view! { <ForgotPasswordPage/> }.into_any())
    }
}

#[cfg(not(debug_assertions))]
struct ResetPasswordRoute;

#[cfg(not(debug_assertions))]
#[lazy_route]
impl LazyRoute for ResetPasswordRoute {
    fn data() -> Self {
        ResetPasswordRoute
    }

    fn view(_this: Self) -> AnyView {
        on_demand_view(view! { <ResetPasswordPage/> }.into_any())
    }
}

/// Makes a redirect requested by a server function (after signing in, up or out) load the new
/// page from the server instead of navigating inside the app: the header, the current user and
/// the in-memory token then all start fresh for the new session. Must run before the router
/// installs its own hook; the first one installed wins.
#[cfg(feature = "hydrate")]
fn install_redirect_hook() {
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(location);
        }
    });
}

/// Sets `data-hydrated` on the document element once the page is interactive, so styles and
/// browser tests can tell a hydrated page from the server-rendered HTML that works without
/// JavaScript.
#[cfg(feature = "hydrate")]
fn mark_hydrated() {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

#[cfg(test)]
mod tests {
    use super::is_on_demand_path;

    #[test]
    fn the_pages_loaded_on_demand_are_known_by_their_paths() {
        for path in [
            "/account",
            "/account/",
            "/forgot-password",
            "/reset-password",
            "/%61ccount",
        ] {
            assert!(is_on_demand_path(path), "{path}");
        }
        for path in [
            "/",
            "/tasks",
            "/tasks/active",
            "/sign-in",
            "/account/x",
            "/accounts",
        ] {
            assert!(!is_on_demand_path(path), "{path}");
        }
    }
}
