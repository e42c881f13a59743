//! Start-up: validate the configuration, open the database, build every service once, assemble
//! the router, serve until a shutdown signal.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use app::{backend::ApiRouter, shell, App};
use axum::{extract::State, http::StatusCode, routing::get, Json, Router};
use leptos::{config::LeptosOptions, prelude::provide_context};
use leptos_axum::{generate_route_list, LeptosRoutes};
use serde_json::json;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use crate::{
    auth,
    config::{Config, ConfigError, Environment, Mode},
    db::{Db, DbError},
    http,
    jwt::{JwtError, JwtIssuer, JwtVerifier},
    mail::{MailError, Mailer},
    tasks::{self, TasksState},
};

/// Why the server did not start. Displayed as one line naming the setting and the fix.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("DATABASE_URL: {0}; check that the database is reachable (server running, file writable) and the URL is right")]
    Database(#[source] DbError),
    #[error("APP_ADDRESS: cannot listen on {address}: {source}; stop the other process using the port or choose another address")]
    Bind {
        address: SocketAddr,
        source: std::io::Error,
    },
    #[error("APP_DATA_DIR: cannot create {path}: {source}; make the directory writable or choose another")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("mail: {0}")]
    Mail(#[source] MailError),
    #[error("{0}")]
    Jwt(#[from] JwtError),
    #[error("auth: {0}")]
    Auth(#[source] auth::AuthError),
    #[error("{0}")]
    Bundle(#[from] crate::site::UnsplitBundle),
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("server error: {0}")]
    Serve(#[source] std::io::Error),
}

/// Reads the configuration from `env`, then serves until SIGINT or SIGTERM.
pub fn run(env: Environment) -> Result<(), StartupError> {
    let config = Config::load(&env)?;
    init_tracing(&config.log_filter);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(StartupError::Runtime)?;
    runtime.block_on(serve(config))
}

fn init_tracing(filter: &str) {
    // The filter was validated with the rest of the configuration.
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only on a terminal: log files and collectors get plain `key=value` text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(ansi)
        .try_init();
}

async fn serve(config: Config) -> Result<(), StartupError> {
    if config.secret_generated {
        tracing::warn!(
            "no APP_SECRET set: using a generated development secret kept in {}; \
             set APP_SECRET in production",
            config.data_dir.display()
        );
    }
    if config.mode == Mode::Development {
        tracing::info!("running in development mode");
    }

    crate::site::check_bundle(
        &config.site.site_root,
        &config.site.site_pkg_dir,
        &config.site.output_name,
    )?;
    let site = build(&config).await?;
    let listener =
        TcpListener::bind(config.address)
            .await
            .map_err(|source| StartupError::Bind {
                address: config.address,
                source,
            })?;
    tracing::info!("listening on http://{}", config.address);

    axum::serve(
        listener,
        site.router
            .into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal(config.shutdown_grace))
    .await
    .map_err(StartupError::Serve)
}

/// The assembled site and the services behind it (tests use both).
pub struct Site {
    pub router: Router,
    pub db: Db,
    /// The one mailer, built from `[mail]`.
    pub mailer: Mailer,
    pub issuer: JwtIssuer,
}

/// Opens the database and builds every service and the full router, without listening.
pub async fn build(config: &Config) -> Result<Site, StartupError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| StartupError::DataDir {
        path: config.data_dir.display().to_string(),
        source,
    })?;
    let db = Db::connect(&config.database_url)
        .await
        .map_err(StartupError::Database)?;
    let mailer = Mailer::from_settings(&config.mail, &config.data_dir, config.mode)
        .map_err(StartupError::Mail)?;

    let issuer = JwtIssuer::start(db.clone(), &config.secret, &config.jwt).await?;
    let tasks_state = TasksState::new(db.clone(), JwtVerifier::in_process(issuer.clone()));

    let auth_config = auth::AuthConfig::new(config);
    let limiter = auth::RateLimiter::new(auth_config.rate_limit.clone(), &db);
    // Computes the dummy password hash (tens of milliseconds) before serving.
    let auth_service = auth::AuthService::new(auth_config, &db).map_err(StartupError::Auth)?;
    let auth_state = auth::AuthState::new(auth_service, limiter)
        .with_session_headers(Arc::new(auth::JwtSessionHeader(issuer.clone())))
        .with_recovery(auth::Recovery::new(&db, mailer.clone()));

    let api = Router::new()
        .nest(
            "/api/auth",
            auth::router_with(auth_state, auth::jwt_routes(issuer.clone())),
        )
        .nest("/api/tasks", tasks::router(tasks_state));

    let leptos_options = leptos_options(config);
    let routes = generate_route_list(App);
    // What every page, the not-found page and every server function get: the API router to
    // call in-process and this response's CSP nonce.
    let app_context = {
        let api_for_app = ApiRouter(api.clone());
        move || {
            provide_context(api_for_app.clone());
            http::csp::provide_to_leptos();
        }
    };
    let site = Router::new()
        .leptos_routes_with_context(&leptos_options, routes, app_context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        // The not-found page renders the same header (the signed-in user), so it gets the same
        // context as every route.
        .fallback(leptos_axum::file_and_error_handler_with_context(
            app_context,
            shell,
        ))
        .with_state(leptos_options)
        .merge(api)
        .route("/healthz", get(healthz).with_state(db.clone()));

    Ok(Site {
        router: http::apply(
            site,
            config.body_limit_bytes,
            content_security_policy(config),
        ),
        db,
        mailer,
        issuer,
    })
}

fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(config.site.output_name.clone())
        .site_root(config.site.site_root.display().to_string())
        .site_pkg_dir(config.site.site_pkg_dir.clone())
        .site_addr(config.address)
        .reload_port(config.site.reload_port)
        .env(match config.mode {
            Mode::Development => leptos::config::Env::DEV,
            Mode::Production => leptos::config::Env::PROD,
        })
        .build()
}

/// The site's CSP; under `cargo leptos watch` it also admits the live-reload websocket, which
/// the page opens on the host it was loaded from.
fn content_security_policy(config: &Config) -> http::csp::ContentSecurityPolicy {
    // LIMITATION: only the base URL's host is admitted for the websocket, so a page opened under
    // another name for the same server (localhost for 127.0.0.1) cannot live-reload.
    let host = config.auth.base_url.host_str().unwrap_or("127.0.0.1");
    http::csp::ContentSecurityPolicy::new(
        config.site.watch.then_some((host, config.site.reload_port)),
    )
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
async fn healthz(State(db): State<Db>) -> (StatusCode, Json<serde_json::Value>) {
    match db.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ok" }))),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "database unavailable" })),
            )
        }
    }
}

/// Resolves on SIGINT or SIGTERM; in-flight requests then get `grace` to finish.
async fn shutdown_signal(grace: Duration) {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!(
        "shutting down: finishing in-flight requests (up to {}s)",
        grace.as_secs()
    );
    tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        tracing::warn!("in-flight requests did not finish within the grace period; exiting");
        std::process::exit(0);
    });
}
