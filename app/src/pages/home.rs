//! The landing page: what the product is, with a short tour of how sign-in works.

use leptos::prelude::*;

/// One step of the tour on the home page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TourStep {
    Session,
    Token,
    Api,
}

impl TourStep {
    const ALL: [TourStep; 3] = [TourStep::Session, TourStep::Token, TourStep::Api];

    fn label(self) -> &'static str {
        match self {
            TourStep::Session => "Session",
            TourStep::Token => "Token",
            TourStep::Api => "API",
        }
    }

    fn text(self) -> &'static str {
        match self {
            TourStep::Session => {
                "You sign in once. The server keeps your session and your browser holds only an \
                 HttpOnly cookie that scripts cannot read."
            }
            TourStep::Token => {
                "When the page needs your tasks, it asks the server for a short-lived token \
                 signed with Ed25519, and keeps it in memory only."
            }
            TourStep::Api => {
                "The tasks service trusts nothing but that token, checked against the \
                 published keys, so it could run anywhere."
            }
        }
    }
}

/// The landing page.
#[component]
pub fn HomePage() -> impl IntoView {
    let step = RwSignal::new(TourStep::Session);

    view! {
        <section class="page hero">
            <h1>"Your tasks, kept safe"</h1>
            <p class="lead">"Sign up, sign in and keep a simple list of things to do."</p>
        </section>
        <section class="page tour" aria-labelledby="tour-title">
            <h2 id="tour-title">"How it works"</h2>
            <div role="tablist" aria-label="How it works">
                {TourStep::ALL
                    .into_iter()
                    .map(|s| {
                        view! {
                            <button
                                role="tab"
                                type="button"
                                aria-selected=move || (step.get() == s).to_string()
                                on:click=move |_| step.set(s)
                            >
                                {s.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <p role="tabpanel" class="tour-text">{move || step.get().text()}</p>
        </section>
    }
}
