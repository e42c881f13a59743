//! Account recovery inside the one auth router: password reset ([`super::password_reset`]) and
//! email verification ([`super::verify_email`]), both by one-time links sent by email.
//!
//! A [`Recovery`] joins the auth state with [`super::AuthState::with_recovery`]; the router
//! then serves the four routes of [`recovery_routes`], and sign-up and sign-in use it to send
//! verification links.

use std::time::Duration;

use axum::{
    routing::{get, post},
    Extension, Router,
};
use url::{form_urlencoded, Url};

use super::{password_reset, recovery_store::RecoveryStore, router::AuthState, verify_email};
use crate::{
    db::Db,
    mail::{self, Mailer, OutgoingMail},
    verification::{PlainToken, Purpose, VerificationStore},
};

/// How long an email verification link works. Longer than a reset link: it grants no access
/// to the account, and people often open their mail hours after signing up.
pub(super) const VERIFICATION_TOKEN_TTL: Duration = Duration::from_secs(24 * 3600);

/// Where a verification link sends the browser when the request named no `callbackURL`.
pub(super) const DEFAULT_VERIFIED_CALLBACK: &str = "/";

/// What the recovery routes need beside the auth service: the mailer, the one-time token store
/// and their own queries. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Recovery {
    pub(super) mailer: Mailer,
    pub(super) tokens: VerificationStore,
    pub(super) store: RecoveryStore,
}

impl Recovery {
    /// The recovery services over `db`, sending mail through `mailer`.
    pub fn new(db: &Db, mailer: Mailer) -> Self {
        Self {
            mailer,
            tokens: VerificationStore::new(db.clone()),
            store: RecoveryStore::new(db),
        }
    }

    /// Issues a token of `purpose` for `user_id` and sends the mail `compose` makes from it,
    /// all on a background task: the caller answers at once, in the same time whether or not
    /// a mail goes out. Failures are logged (without the token) and never reach the client.
    pub(super) fn send_link_in_background(
        &self,
        purpose: Purpose,
        user_id: String,
        ttl: Duration,
        compose: impl FnOnce(&PlainToken) -> OutgoingMail + Send + 'static,
    ) {
        let recovery = self.clone();
        // LIMITATION: the mail lives only in this task: if the process stops before it ends,
        // the mail is lost (there is no outgoing queue and no retry) and the person has to ask
        // again. A failed delivery is logged, not reported to the client.
        tokio::spawn(async move {
            let token = match recovery.tokens.issue(purpose, &user_id, ttl).await {
                Ok(token) => token,
                Err(error) => {
                    tracing::warn!(code = error.code(), %error, purpose = purpose.prefix(),
                        "one-time token not issued; no mail sent");
                    return;
                }
            };
            // `send` logs its own failures.
            let _ = recovery.mailer.send(&compose(&token)).await;
        });
    }

    /// Mails `email` a link to `<base_url>/api/auth/verify-email?token=…&callbackURL=…` for
    /// `user_id`, in the background. `callback_url` must already have passed
    /// [`super::origin::check_callback_url`].
    pub(super) fn send_verification_in_background(
        &self,
        base_url: &Url,
        user_id: String,
        email: String,
        name: String,
        callback_url: Option<String>,
    ) {
        let base_url = base_url.clone();
        let callback_url = callback_url.unwrap_or_else(|| DEFAULT_VERIFIED_CALLBACK.to_owned());
        self.send_link_in_background(
            Purpose::VerifyEmail,
            user_id,
            VERIFICATION_TOKEN_TTL,
            move |token| {
                let link = site_link(
                    &base_url,
                    "/api/auth/verify-email",
                    &[("token", token.as_str()), ("callbackURL", &callback_url)],
                );
                mail::email_verification(&email, &name, &link)
            },
        );
    }
}

/// `/request-password-reset`, `/reset-password`, `/send-verification-email` and
/// `/verify-email`, served inside the one auth router.
pub(super) fn recovery_routes(recovery: Recovery) -> Router<AuthState> {
    Router::new()
        .route(
            "/request-password-reset",
            post(password_reset::request_password_reset),
        )
        .route("/reset-password", post(password_reset::reset_password))
        .route(
            "/send-verification-email",
            post(verify_email::send_verification_email),
        )
        .route("/verify-email", get(verify_email::verify_email))
        .layer(Extension(recovery))
}

/// `<base_url><path>?<query>`, the query form-encoded (a base URL with a path keeps it).
pub(super) fn site_link(base_url: &Url, path: &str, query: &[(&str, &str)]) -> String {
    let base = base_url.as_str().trim_end_matches('/');
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query)
        .finish();
    format!("{base}{path}?{query}")
}

/// `target` as an absolute URL: a path on this site (`/…`) is appended to `base_url` the way
/// [`site_link`] does, anything else parsed as it stands. `None` when it does not parse.
/// Callers check `target` with [`super::origin::check_callback_url`] first.
pub(super) fn site_url(base_url: &Url, target: &str) -> Option<Url> {
    let absolute = if target.starts_with('/') {
        format!("{}{target}", base_url.as_str().trim_end_matches('/'))
    } else {
        target.to_owned()
    };
    Url::parse(&absolute).ok()
}

/// [`site_url`] of `target` with `name=value` added to its query.
pub(super) fn with_query_param(
    base_url: &Url,
    target: &str,
    name: &str,
    value: &str,
) -> Option<String> {
    let mut url = site_url(base_url, target)?;
    url.query_pairs_mut().append_pair(name, value);
    Some(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_link_joins_base_path_and_an_encoded_query() {
        let base = Url::parse("http://127.0.0.1:3000/").unwrap();

        let link = site_link(
            &base,
            "/api/auth/verify-email",
            &[("token", "a-b_c"), ("callbackURL", "/tasks?x=1&y")],
        );

        assert_eq!(
            link,
            "http://127.0.0.1:3000/api/auth/verify-email?token=a-b_c&callbackURL=%2Ftasks%3Fx%3D1%26y"
        );
    }

    #[test]
    fn site_link_keeps_a_base_url_path() {
        let base = Url::parse("https://example.com/app/").unwrap();

        assert_eq!(
            site_link(&base, "/reset-password", &[("token", "t")]),
            "https://example.com/app/reset-password?token=t"
        );
    }

    #[test]
    fn with_query_param_adds_to_a_relative_path_an_existing_query_and_an_absolute_url() {
        let base = Url::parse("https://example.com/app/").unwrap();

        assert_eq!(
            with_query_param(&base, "/reset-password", "token", "t").as_deref(),
            Some("https://example.com/app/reset-password?token=t")
        );
        assert_eq!(
            with_query_param(&base, "/done?from=mail#top", "error", "INVALID_TOKEN").as_deref(),
            Some("https://example.com/app/done?from=mail&error=INVALID_TOKEN#top")
        );
        assert_eq!(
            with_query_param(&base, "https://other.example/x", "token", "a b").as_deref(),
            Some("https://other.example/x?token=a+b")
        );
    }
}
