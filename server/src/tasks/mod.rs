//! The tasks backend: each user's task list, behind `Authorization: Bearer <jwt>` only.
//!
//! The backend knows users only through verified JWTs (and checks that the user row still
//! exists). It can run inside the main server, verifying against the issuer in process, or as
//! a separate service that knows nothing but the main server's JWKS URL
//! ([`standalone_router`]).

mod bearer;
mod body;
mod error;
mod handlers;
mod store;

use axum::{
    routing::{get, patch, post},
    Router,
};

use crate::{db::Db, jwt::JwtVerifier};

pub use bearer::Caller;
pub use error::TasksError;

/// The body limit of the standalone service (the main server sets its own for the whole site).
const STANDALONE_BODY_LIMIT: usize = 64 * 1024;

/// What the tasks routes need: the database and a verifier for bearer tokens.
#[derive(Clone, Debug)]
pub struct TasksState {
    /// Holds the `tasks` table and the `users` table checked on every request.
    pub db: Db,
    /// Checks the bearer tokens.
    pub verifier: JwtVerifier,
}

impl TasksState {
    /// The state for [`router`].
    pub fn new(db: Db, verifier: JwtVerifier) -> Self {
        Self { db, verifier }
    }
}

/// The tasks router, mounted at `/api/tasks`:
///
/// | route | success |
/// |---|---|
/// | `GET /?filter=all\|active\|completed` | 200 `[Task]`, oldest first |
/// | `POST /` `{title}` | 201 `Task` |
/// | `PATCH /{id}` `{title?, completed?}` | 200 `Task` |
/// | `DELETE /{id}` | 204 |
/// | `POST /toggle-all` `{completed}` | 200 `[Task]` (all of them afterwards) |
/// | `POST /clear-completed` | 200 `{deleted}` |
///
/// Errors: 401 `UNAUTHORIZED` with a `WWW-Authenticate: Bearer` challenge, 400
/// `VALIDATION_ERROR`, 415 `UNSUPPORTED_MEDIA_TYPE`, 404 `TASK_NOT_FOUND`.
pub fn router(state: TasksState) -> Router {
    Router::new()
        .route("/", get(handlers::list).post(handlers::create))
        .route("/toggle-all", post(handlers::toggle_all))
        .route("/clear-completed", post(handlers::clear_completed))
        .route("/{id}", patch(handlers::update).delete(handlers::delete))
        .with_state(state)
}

/// The tasks backend as a service of its own: `/api/tasks` with the shared HTTP layers,
/// trusting tokens that `verifier` accepts (typically [`JwtVerifier::remote`] pointed at the
/// main server's `/api/auth/jwks`). `db` must hold the users and tasks tables (the main
/// server's database), since each request checks that its user still exists.
pub fn standalone_router(db: Db, verifier: JwtVerifier) -> Router {
    let api = Router::new().nest("/api/tasks", router(TasksState::new(db, verifier)));
    // The tasks API serves JSON only; the policy still forbids framing and active content.
    crate::http::apply(
        api,
        STANDALONE_BODY_LIMIT,
        crate::http::csp::ContentSecurityPolicy::new(None),
    )
}
