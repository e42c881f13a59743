//! Pieces of the sign-in and sign-up forms: a labelled field with its inline error, and the
//! alert for errors about the whole form.

use leptos::prelude::*;

use crate::auth::AppError;

/// A labelled input with an inline error below it, tied together with `aria-describedby`.
/// The input's id is `field-<name>` (`field-<form>-<name>` when `form` is given, for pages with
/// several forms); the error has `data-testid="<name>-error"` (`<form>-<name>-error`).
#[component]
pub fn FormField(
    /// The visible label.
    label: &'static str,
    /// The input's `name`, which is also the server function argument.
    name: &'static str,
    /// The input's `type`.
    input_type: &'static str,
    /// The input's `autocomplete` token.
    autocomplete: &'static str,
    /// The error to show for this field, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// A hint shown below the input.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// The form this field belongs to, when the page has several.
    #[prop(optional)]
    form: Option<&'static str>,
    /// The initial value.
    #[prop(optional, into)]
    value: Option<String>,
) -> impl IntoView {
    let key = match form {
        Some(form) => format!("{form}-{name}"),
        None => name.to_owned(),
    };
    let id = format!("field-{key}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let error_id = error_id.clone();
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };

    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=input_type
                autocomplete=autocomplete
                value=value
                required
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described_by
            />
            {hint.map(|hint| view! { <p id=hint_id class="field-hint">{hint}</p> })}
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p id=error_id.clone() class="field-error" data-testid=format!("{key}-error")>
                                {message}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// An error about the whole form, announced by screen readers (`role="alert"`,
/// `data-testid="form-error"`).
#[component]
pub fn FormAlert(
    /// The message, if any.
    #[prop(into)]
    message: Signal<Option<String>>,
) -> impl IntoView {
    move || {
        message.get().map(|message| {
            view! { <p class="form-error" role="alert" data-testid="form-error">{message}</p> }
        })
    }
}

/// The error an auth form shows: the last answer of its server function when it was submitted
/// with JavaScript, else the `error` code in the URL (put there when it was posted without).
pub fn form_error_state<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || match action.value().get() {
        Some(Err(error)) => Some(error),
        Some(Ok(())) => None,
        None => query
            .with(|query| query.get("error"))
            .map(|code| AppError::from_code(&code)),
    })
}

/// The outcome of one form among several on a page: the last answer of its server function
/// when it was submitted with JavaScript, else what the URL says about this form after a post
/// without JavaScript (`done=<form>` for success, `form=<form>&error=<code>` for a failure).
pub fn form_outcome<S>(
    action: ServerAction<S>,
    form: &'static str,
) -> Signal<Option<Result<(), AppError>>>
where
    S: leptos::server_fn::ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || {
        if let Some(answer) = action.value().get() {
            return Some(answer);
        }
        query.with(|query| {
            if query.get_str("done") == Some(form) {
                Some(Ok(()))
            } else if query.get_str("form") == Some(form) {
                query
                    .get("error")
                    .map(|code| Err(AppError::from_code(&code)))
            } else {
                None
            }
        })
    })
}

/// The error of a form's outcome, if it failed.
pub fn outcome_error(outcome: Signal<Option<Result<(), AppError>>>) -> Signal<Option<AppError>> {
    Signal::derive(move || outcome.with(|outcome| outcome.clone().and_then(Result::err)))
}

/// True when a form's outcome is a success.
pub fn outcome_succeeded(outcome: Signal<Option<Result<(), AppError>>>) -> Signal<bool> {
    Signal::derive(move || outcome.with(|outcome| matches!(outcome, Some(Ok(())))))
}

/// A success message, announced politely by screen readers (`role="status"`).
#[component]
pub fn FormSuccess(
    /// Whether to show the message.
    #[prop(into)]
    when: Signal<bool>,
    /// The message.
    message: &'static str,
    /// The `data-testid` of the message.
    test_id: &'static str,
) -> impl IntoView {
    view! {
        <p class="form-success" role="status" data-testid=test_id>
            {move || when.get().then_some(message)}
        </p>
    }
}

/// The message of `error` when it belongs to `field`.
pub fn field_error(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        error.with(|error| {
            error
                .as_ref()
                .filter(|error| error.field() == Some(field))
                .map(ToString::to_string)
        })
    })
}

/// The message of `error` when it belongs to none of the form's `fields`.
pub fn whole_form_error(
    error: Signal<Option<AppError>>,
    fields: &'static [&'static str],
) -> Signal<Option<String>> {
    Signal::derive(move || {
        error.with(|error| {
            error
                .as_ref()
                .filter(|error| !error.field().is_some_and(|field| fields.contains(&field)))
                .map(ToString::to_string)
        })
    })
}
