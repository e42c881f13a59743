//! The sessions part of the account page: where the user is signed in, with a way to sign any
//! other device out, or all of them at once.

use leptos::{html, prelude::*};

use crate::{
    auth::{
        account::ChangePassword,
        error::AppError,
        sessions::{
            list_sessions, AccountSession, RevokeOtherSessions, RevokeSession, REVOKE_FORM,
            REVOKE_OTHERS_FORM,
        },
    },
    components::form::{form_outcome, FormAlert},
};

use super::short_utc;

/// The user's sessions, loaded again after each change to the sessions and after a password
/// change (which may have ended the other sessions).
pub type SessionList = Resource<Result<Vec<AccountSession>, AppError>>;

/// The resource behind [`Sessions`]. Created by the page itself, once, outside the protected
/// part of the page (see `TasksPage` for why).
pub fn session_list(
    revoke: ServerAction<RevokeSession>,
    revoke_others: ServerAction<RevokeOtherSessions>,
    password_changes: ServerAction<ChangePassword>,
) -> SessionList {
    Resource::new(
        move || {
            (
                revoke.version().get(),
                revoke_others.version().get(),
                password_changes.version().get(),
            )
        },
        |_| list_sessions(),
    )
}

/// The list of the user's sessions, with a button to end each other one and all of them.
#[component]
pub fn Sessions(
    sessions: SessionList,
    revoke: ServerAction<RevokeSession>,
    revoke_others: ServerAction<RevokeOtherSessions>,
) -> impl IntoView {
    let message = last_message(revoke, revoke_others);
    let pending = Signal::derive(move || revoke.pending().get() || revoke_others.pending().get());

    // The button that was pressed leaves the list with its session: keep keyboard focus in
    // this section, on its heading, right before the message about what happened.
    let heading = NodeRef::<html::H2>::new();
    Effect::new(move || {
        let answered =
            revoke.value().with(Option::is_some) || revoke_others.value().with(Option::is_some);
        if answered {
            if let Some(heading) = heading.get_untracked() {
                let _ = heading.focus();
            }
        }
    });

    view! {
        <section class="page" aria-labelledby="sessions-title">
            <h2 id="sessions-title" tabindex="-1" node_ref=heading>
                "Where you are signed in"
            </h2>
            <p class="form-success" role="status" data-testid="sessions-success">
                {move || message.get().and_then(Result::ok)}
            </p>
            <FormAlert message=Signal::derive(move || message.get().and_then(Result::err))/>
            <Transition fallback=|| view! { <p class="loading">"Loading your sessions…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => {
                            let others = list.iter().filter(|session| !session.current).count();
                            view! {
                                <ul class="session-list" aria-label="Sessions">
                                    {list
                                        .into_iter()
                                        .map(|session| view! { <SessionItem session revoke pending/> })
                                        .collect_view()}
                                </ul>
                                <Show when=move || { others > 0 }>
                                    <ActionForm action=revoke_others>
                                        <button
                                            type="submit"
                                            class="secondary"
                                            disabled=move || pending.get()
                                        >
                                            "Sign out everywhere else"
                                        </button>
                                    </ActionForm>
                                </Show>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! {
                                <p class="form-error" role="alert">
                                    {format!("Your sessions could not be loaded. {error}")}
                                </p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// The message of whichever of the two session actions answered last: its success sentence or
/// its error message.
fn last_message(
    revoke: ServerAction<RevokeSession>,
    revoke_others: ServerAction<RevokeOtherSessions>,
) -> Signal<Option<Result<&'static str, String>>> {
    const REVOKED: &str = "The session was ended; that device is signed out.";
    const OTHERS_REVOKED: &str = "Every other session was ended; only this device is signed in.";
    let sentence = |outcome: Option<Result<(), AppError>>, success: &'static str| {
        outcome.map(|outcome| outcome.map(|()| success).map_err(|error| error.to_string()))
    };

    let revoke_outcome = form_outcome(revoke, REVOKE_FORM);
    let others_outcome = form_outcome(revoke_others, REVOKE_OTHERS_FORM);
    let answered = RwSignal::new(None);
    Effect::new(move || {
        if let Some(outcome) = revoke.value().get() {
            answered.set(sentence(Some(outcome), REVOKED));
        }
    });
    Effect::new(move || {
        if let Some(outcome) = revoke_others.value().get() {
            answered.set(sentence(Some(outcome), OTHERS_REVOKED));
        }
    });
    // Before any answer in this page: what the URL says after a post without JavaScript.
    Signal::derive(move || {
        answered.get().or_else(|| {
            sentence(revoke_outcome.get(), REVOKED)
                .or_else(|| sentence(others_outcome.get(), OTHERS_REVOKED))
        })
    })
}

/// One session: device, address, when it started and was last active, and either the mark
/// "This device" or a button that ends it.
#[component]
fn SessionItem(
    session: AccountSession,
    revoke: ServerAction<RevokeSession>,
    pending: Signal<bool>,
) -> impl IntoView {
    let address = session
        .ip_address
        .clone()
        .unwrap_or_else(|| "unknown address".to_owned());
    let revoke_label = format!("Revoke the session on {} from {address}", session.device);

    view! {
        <li class="session" data-testid="session" data-current=session.current.to_string()>
            <div class="session-device">
                <strong>{session.device.clone()}</strong>
                {session
                    .current
                    .then(|| view! { <span class="badge" data-testid="this-device">"This device"</span> })}
            </div>
            <dl class="session-facts">
                <dt>"Address"</dt>
                <dd>{address}</dd>
                <dt>"Signed in"</dt>
                <dd>
                    <time datetime=session.created_at.clone()>{short_utc(&session.created_at)}</time>
                </dd>
                <dt>"Last active"</dt>
                <dd>
                    <time datetime=session.last_active_at.clone()>
                        {short_utc(&session.last_active_at)}
                    </time>
                </dd>
            </dl>
            {(!session.current)
                .then(|| {
                    view! {
                        <ActionForm action=revoke>
                            <input type="hidden" name="id" value=session.id.clone()/>
                            <button
                                type="submit"
                                class="secondary"
                                aria-label=revoke_label
                                disabled=move || pending.get()
                            >
                                "Revoke"
                            </button>
                        </ActionForm>
                    }
                })}
        </li>
    }
}
