//! The one auth router: every `/api/auth/*` route, behind the rate limiter and the cross-site
//! origin check, over one shared [`AuthState`].

use std::sync::Arc;

use app::model::auth::SessionWithUser;
use axum::{
    http::HeaderMap,
    middleware,
    routing::{get, post},
    Router,
};

use super::{
    account_routes,
    error::AuthError,
    rate_limit::RateLimiter,
    recovery::{recovery_routes, Recovery},
    service::AuthService,
    session_routes,
};

/// Adds headers to a signed-in `get-session` response (the JWT issuer adds `set-auth-jwt`).
#[async_trait::async_trait]
pub trait SessionHeaders: Send + Sync {
    /// The headers to add for this session.
    async fn headers(&self, session: &SessionWithUser) -> Result<HeaderMap, AuthError>;
}

/// The state every auth route shares. Cheap to clone.
#[derive(Clone)]
pub struct AuthState {
    pub service: Arc<AuthService>,
    pub limiter: Arc<RateLimiter>,
    /// Contributors of extra `get-session` headers, called in order.
    pub session_headers: Vec<Arc<dyn SessionHeaders>>,
    /// Password reset and email verification by mail. Without it the router serves none of
    /// their routes and sign-up sends no verification email.
    pub recovery: Option<Recovery>,
}

impl AuthState {
    /// State over the service and the limiter, with no extra `get-session` headers.
    pub fn new(service: AuthService, limiter: RateLimiter) -> Self {
        Self {
            service: Arc::new(service),
            limiter: Arc::new(limiter),
            session_headers: Vec::new(),
            recovery: None,
        }
    }

    /// Adds a contributor of `get-session` response headers.
    pub fn with_session_headers(mut self, hook: Arc<dyn SessionHeaders>) -> Self {
        self.session_headers.push(hook);
        self
    }

    /// Adds the recovery services: the router then serves `/request-password-reset`,
    /// `/reset-password`, `/send-verification-email` and `/verify-email`, and sign-up and
    /// sign-in send verification links as the configuration asks.
    pub fn with_recovery(mut self, recovery: Recovery) -> Self {
        self.recovery = Some(recovery);
        self
    }
}

/// The auth router, mounted once at `/api/auth` by [`crate::startup`].
pub fn router(state: AuthState) -> Router {
    router_with(state, Router::new())
}

/// The auth router with `extra` routes (e.g. `/token`, `/jwks`) served beside the built-in ones,
/// behind the same rate limits and origin check. The recovery routes are among the built-in
/// ones when the state has [`AuthState::with_recovery`].
pub fn router_with(state: AuthState, extra: Router<AuthState>) -> Router {
    let recovery = match &state.recovery {
        Some(recovery) => recovery_routes(recovery.clone()),
        None => Router::new(),
    };
    Router::new()
        .route("/ok", get(session_routes::ok))
        .route("/sign-up/email", post(session_routes::sign_up))
        .route("/sign-in/email", post(session_routes::sign_in))
        .route("/sign-out", post(session_routes::sign_out))
        .route("/get-session", get(session_routes::get_session))
        .route("/list-sessions", get(account_routes::list_sessions))
        .route("/revoke-session", post(account_routes::revoke_session))
        .route("/revoke-sessions", post(account_routes::revoke_sessions))
        .route(
            "/revoke-other-sessions",
            post(account_routes::revoke_other_sessions),
        )
        .route("/update-user", post(account_routes::update_user))
        .route("/change-password", post(account_routes::change_password))
        .route("/delete-user", post(account_routes::delete_user))
        .merge(recovery)
        .merge(extra)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            super::origin::require_trusted_origin,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            super::rate_limit::limit_requests,
        ))
        .with_state(state)
}
