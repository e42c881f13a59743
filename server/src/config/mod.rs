//! The server's configuration: read once at start-up from `Leptos.toml` (the runtime
//! configuration file) and environment overrides, validated as a whole, then passed down.
//!
//! This module is the only code in the workspace that reads the environment.

mod error;
mod file;
mod secret;

use std::{
    net::{IpAddr, SocketAddr},
    path::{Path, PathBuf},
    time::Duration,
};

use url::Url;

pub use error::ConfigError;
pub use secret::ServerSecret;

use file::ConfigFile;

/// Development or production. Production refuses unsafe defaults (a generated secret).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Development,
    Production,
}

/// Where data lives: SQLite file (the embedded default) or a PostgreSQL server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    /// The URL as sqlx takes it.
    pub fn as_str(&self) -> &str {
        match self {
            DatabaseUrl::Sqlite(url) | DatabaseUrl::Postgres(url) => url,
        }
    }
}

/// One fixed-window rate-limit rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateRule {
    pub max: u32,
    pub window: Duration,
}

/// Where rate-limit counters live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateLimitStorage {
    /// In this process: right for a single server.
    Memory,
    /// In the shared database: right when several replicas serve one site.
    Database,
}

/// Rate limits on the auth routes (see the auth contract for the defaults).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimitSettings {
    pub general: RateRule,
    /// `/sign-in/*`, `/sign-up/*`, `/change-password`.
    pub credentials: RateRule,
    /// `/request-password-reset`, `/send-verification-email`.
    pub email: RateRule,
    pub storage: RateLimitStorage,
}

/// Argon2id cost parameters and the bound on hashes computed at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordHashSettings {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    pub max_concurrent: usize,
}

/// Authentication settings, from which the server builds its one `AuthConfig`.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    pub base_url: Url,
    pub trusted_origins: Vec<Url>,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    pub cookie_prefix: String,
    pub session_lifetime: Duration,
    pub session_refresh_age: Duration,
    pub password_min_len: usize,
    pub password_max_len: usize,
    pub password_hash: PasswordHashSettings,
    pub require_email_verification: bool,
    pub send_verification_on_sign_up: bool,
    pub rate_limit: RateLimitSettings,
}

/// JWT issuing settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwtSettings {
    pub lifetime: Duration,
    /// `None`: one key, never rotated.
    pub rotation_interval: Option<Duration>,
    pub grace_period: Duration,
    /// `iss` and `aud`; default: the base URL's origin.
    pub issuer: String,
    pub audience: String,
}

/// How email leaves the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailTransport {
    /// Development outbox: each message is written to `<data dir>/outbox` and logged.
    Outbox,
    /// An SMTP relay.
    Smtp {
        host: String,
        port: u16,
        username: Option<String>,
        password: Option<String>,
    },
}

/// Email settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailSettings {
    pub from: String,
    pub transport: MailTransport,
}

/// Where cargo-leptos put the compiled site (WASM, JS, CSS, assets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteSettings {
    pub output_name: String,
    pub site_root: PathBuf,
    pub site_pkg_dir: String,
    /// Set by `cargo leptos watch`: the page then includes the live-reload script.
    pub reload_port: u32,
    pub watch: bool,
}

/// The validated configuration of the whole server.
#[derive(Clone, Debug)]
pub struct Config {
    pub mode: Mode,
    pub address: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: DatabaseUrl,
    pub log_filter: String,
    pub body_limit_bytes: usize,
    pub shutdown_grace: Duration,
    pub secret: ServerSecret,
    /// True when the secret was generated for development rather than configured.
    pub secret_generated: bool,
    pub auth: AuthSettings,
    pub jwt: JwtSettings,
    pub mail: MailSettings,
    pub site: SiteSettings,
}

/// The environment variables the configuration reads, as a snapshot (so tests can pass their
/// own instead of mutating the process environment).
#[derive(Clone, Debug, Default)]
pub struct Environment {
    vars: Vec<(String, String)>,
}

impl Environment {
    /// Snapshot of the process environment.
    pub fn from_process() -> Self {
        Self {
            vars: std::env::vars().collect(),
        }
    }

    /// An explicit set of variables (for tests and tools).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.vars
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// The configuration file read when `APP_CONFIG` is not set.
pub const DEFAULT_CONFIG_FILE: &str = "Leptos.toml";

impl Config {
    /// Reads `Leptos.toml` (or the file named by `APP_CONFIG`) and applies environment overrides.
    pub fn load(env: &Environment) -> Result<Self, ConfigError> {
        let path = PathBuf::from(env.get("APP_CONFIG").unwrap_or(DEFAULT_CONFIG_FILE));
        let file = ConfigFile::read(&path)?;
        Self::from_parts(file, env)
    }

    /// Builds the configuration from file contents (already parsed) and the environment.
    fn from_parts(file: ConfigFile, env: &Environment) -> Result<Self, ConfigError> {
        let mode = parse_mode(env.get("APP_MODE").unwrap_or(&file.server.mode))?;
        let address = parse_address(env.get("APP_ADDRESS").unwrap_or(&file.server.address))?;
        let data_dir = PathBuf::from(env.get("APP_DATA_DIR").unwrap_or(&file.server.data_dir));
        let database_url = parse_database_url(
            env.get("DATABASE_URL")
                .or(file.server.database_url.as_deref()),
            &data_dir,
        )?;
        let log_filter = env.get("APP_LOG").unwrap_or(&file.server.log).to_owned();
        validate_log_filter(&log_filter)?;

        let base_url_text = env
            .get("APP_BASE_URL")
            .map(str::to_owned)
            .or(file.auth.base_url.clone())
            .unwrap_or_else(|| format!("http://{address}"));
        let base_url = parse_url("APP_BASE_URL", &base_url_text)?;
        let trusted_origins =
            list_override(env.get("APP_TRUSTED_ORIGINS"), &file.auth.trusted_origins)
                .iter()
                .map(|o| parse_url("auth.trusted_origins", o))
                .collect::<Result<Vec<_>, _>>()?;
        let trusted_proxies =
            list_override(env.get("APP_TRUSTED_PROXIES"), &file.auth.trusted_proxies)
                .iter()
                .map(|p| {
                    p.parse::<IpAddr>().map_err(|_| {
                        ConfigError::invalid(
                            "auth.trusted_proxies",
                            format!("`{p}` is not an IP address"),
                            "list proxy IP addresses such as 127.0.0.1",
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;

        let (secret, secret_generated) = secret::resolve(env.get("APP_SECRET"), mode, &data_dir)?;

        let auth = file
            .auth
            .into_settings(base_url.clone(), trusted_origins, trusted_proxies)?;
        let origin = base_url.origin().ascii_serialization();
        let jwt = file.jwt.into_settings(&origin)?;
        let mail = file.mail.into_settings(env)?;

        let site = SiteSettings {
            output_name: env.get("LEPTOS_OUTPUT_NAME").unwrap_or("tasks").to_owned(),
            site_root: PathBuf::from(env.get("LEPTOS_SITE_ROOT").unwrap_or("target/site")),
            site_pkg_dir: env.get("LEPTOS_SITE_PKG_DIR").unwrap_or("pkg").to_owned(),
            reload_port: parse_number(
                "LEPTOS_RELOAD_PORT",
                env.get("LEPTOS_RELOAD_PORT").unwrap_or("3001"),
            )?,
            watch: env
                .get("LEPTOS_WATCH")
                .is_some_and(|v| v == "true" || v == "ON"),
        };

        if file.server.body_limit_bytes < 1024 {
            return Err(ConfigError::invalid(
                "server.body_limit_bytes",
                format!("{} is too small", file.server.body_limit_bytes),
                "use at least 1024 (the default is 65536)",
            ));
        }

        Ok(Config {
            mode,
            address,
            data_dir,
            database_url,
            log_filter,
            body_limit_bytes: file.server.body_limit_bytes,
            shutdown_grace: Duration::from_secs(file.server.shutdown_grace_secs),
            secret,
            secret_generated,
            auth,
            jwt,
            mail,
            site,
        })
    }
}

fn parse_mode(text: &str) -> Result<Mode, ConfigError> {
    match text.to_ascii_lowercase().as_str() {
        "development" | "dev" => Ok(Mode::Development),
        "production" | "prod" => Ok(Mode::Production),
        other => Err(ConfigError::invalid(
            "APP_MODE",
            format!("`{other}` is not a mode"),
            "use `development` or `production`",
        )),
    }
}

fn parse_address(text: &str) -> Result<SocketAddr, ConfigError> {
    text.parse().map_err(|_| {
        ConfigError::invalid(
            "APP_ADDRESS",
            format!("`{text}` is not an IP address and port"),
            "use a form like 127.0.0.1:3000",
        )
    })
}

fn parse_number<T: std::str::FromStr>(setting: &'static str, text: &str) -> Result<T, ConfigError> {
    text.parse().map_err(|_| {
        ConfigError::invalid(
            setting,
            format!("`{text}` is not a number"),
            "use a whole number",
        )
    })
}

fn parse_url(setting: &'static str, text: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(text).map_err(|_| {
        ConfigError::invalid(
            setting,
            format!("`{text}` is not a URL"),
            "use a full URL such as http://127.0.0.1:3000",
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(ConfigError::invalid(
            setting,
            format!("`{text}` is not an http(s) URL"),
            "use a full URL such as https://tasks.example.com",
        ));
    }
    Ok(url)
}

fn parse_database_url(text: Option<&str>, data_dir: &Path) -> Result<DatabaseUrl, ConfigError> {
    let Some(text) = text else {
        let file = data_dir.join("tasks.db");
        return Ok(DatabaseUrl::Sqlite(format!(
            "sqlite://{}?mode=rwc",
            file.display()
        )));
    };
    if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        let parsed = Url::parse(text).map_err(|_| {
            ConfigError::invalid(
                "DATABASE_URL",
                "the PostgreSQL URL does not parse".to_owned(),
                "use a form like postgres://user@127.0.0.1:5432/tasks",
            )
        })?;
        if parsed.host().is_none() {
            return Err(ConfigError::invalid(
                "DATABASE_URL",
                "the PostgreSQL URL names no host".to_owned(),
                "use a form like postgres://user@127.0.0.1:5432/tasks",
            ));
        }
        return Ok(DatabaseUrl::Postgres(text.to_owned()));
    }
    if let Some(rest) = text.strip_prefix("sqlite:") {
        if rest.trim_start_matches('/').is_empty() {
            return Err(ConfigError::invalid(
                "DATABASE_URL",
                "the SQLite URL names no file".to_owned(),
                "use a form like sqlite://data/tasks.db",
            ));
        }
        return Ok(DatabaseUrl::Sqlite(text.to_owned()));
    }
    // The value is not echoed: a malformed URL may still carry a password.
    Err(ConfigError::invalid(
        "DATABASE_URL",
        "the value is neither a sqlite: nor a postgres:// URL".to_owned(),
        "use sqlite://data/tasks.db or postgres://user@host:5432/db, or unset it for the default",
    ))
}

fn validate_log_filter(filter: &str) -> Result<(), ConfigError> {
    tracing_subscriber::EnvFilter::try_new(filter)
        .map(|_| ())
        .map_err(|_| {
            ConfigError::invalid(
                "APP_LOG",
                format!("`{filter}` is not a log filter"),
                "use a level such as `info` or `info,server=debug`",
            )
        })
}

/// A list setting: the comma-separated environment value when it is set (blank items dropped),
/// else the file's list.
fn list_override(env_value: Option<&str>, from_file: &[String]) -> Vec<String> {
    match env_value {
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect(),
        None => from_file.to_vec(),
    }
}

#[cfg(test)]
mod tests;
