//! Test harness: a real server on an ephemeral loopback port, on a fresh SQLite file or a fresh
//! PostgreSQL database, configured through the same `Config` as production.

use std::{net::SocketAddr, path::PathBuf};

use server::{
    config::{Config, Environment},
    startup,
};
use tokio::net::TcpListener;

/// The PostgreSQL server used by the PostgreSQL tests. Override with `TEST_POSTGRES_URL`
/// (a URL whose user may create databases); the tests are skipped with a message when it is
/// unreachable.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Which database a test server uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    Sqlite,
    Postgres,
}

/// A running server for one test.
pub struct TestServer {
    pub base_url: String,
    pub data_dir: PathBuf,
    pub config: Config,
    pub db: server::db::Db,
    pub client: reqwest::Client,
}

impl TestServer {
    /// Starts a server on SQLite with default settings plus `overrides` (environment pairs).
    pub async fn start(overrides: &[(&str, &str)]) -> Self {
        Self::start_on(Store::Sqlite, overrides)
            .await
            .expect("sqlite always available")
    }

    /// Starts a server on the given store; `None` when PostgreSQL is unreachable.
    pub async fn start_on(store: Store, overrides: &[(&str, &str)]) -> Option<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let data_dir = std::env::temp_dir().join(format!("tasks-test-{}", rand::random::<u64>()));
        let base_url = format!("http://{addr}");

        let mut pairs: Vec<(String, String)> = vec![
            ("APP_CONFIG".into(), workspace_file("Leptos.toml")),
            ("APP_ADDRESS".into(), addr.to_string()),
            ("APP_BASE_URL".into(), base_url.clone()),
            ("APP_DATA_DIR".into(), data_dir.display().to_string()),
            (
                "APP_SECRET".into(),
                "test-secret-test-secret-test-secret-0123456789".into(),
            ),
            ("APP_LOG".into(), "warn".into()),
        ];
        if store == Store::Postgres {
            pairs.push(("DATABASE_URL".into(), fresh_postgres_database().await?));
        }
        pairs.extend(
            overrides
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );

        let config = Config::load(&Environment::from_pairs(pairs)).expect("test config is valid");
        let site = startup::build(&config).await.expect("site builds");
        let db = site.db.clone();
        let router = site.router;
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .expect("test server runs");
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Some(Self {
            base_url,
            data_dir,
            config,
            db,
            client,
        })
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

/// Creates an empty database on the PostgreSQL server and returns its URL.
async fn fresh_postgres_database() -> Option<String> {
    use sqlx::{Connection, Executor};
    let admin = postgres_admin_url();
    let mut conn = match sqlx::PgConnection::connect(&admin).await {
        Ok(conn) => conn,
        Err(error) => {
            eprintln!("skipping PostgreSQL test: {admin} unreachable: {error}");
            return None;
        }
    };
    let name = format!("tasks_test_{}", rand::random::<u64>());
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create database");
    let mut url = url::Url::parse(&admin).expect("admin url parses");
    url.set_path(&format!("/{name}"));
    Some(url.to_string())
}

fn workspace_file(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(name)
        .display()
        .to_string()
}
