//! The shape of `Leptos.toml`, with the defaults for every setting left out of it.

use std::{path::Path, time::Duration};

use serde::Deserialize;
use url::Url;

use super::{
    AuthSettings, ConfigError, Environment, JwtSettings, MailSettings, MailTransport,
    PasswordHashSettings, RateLimitSettings, RateLimitStorage, RateRule,
};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConfigFile {
    #[serde(default)]
    pub server: ServerSection,
    #[serde(default)]
    pub auth: AuthSection,
    #[serde(default)]
    pub jwt: JwtSection,
    #[serde(default)]
    pub mail: MailSection,
}

impl ConfigFile {
    /// Reads and parses the file. A missing file is an error: the caller named it.
    pub fn read(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::invalid(
                "APP_CONFIG",
                format!("cannot read {}: {e}", path.display()),
                "run from the project directory or point APP_CONFIG at the configuration file",
            )
        })?;
        toml::from_str(&text).map_err(|e| {
            let detail = e.message().replace('\n', " ");
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1)
                .map(|n| format!(" at line {n}"))
                .unwrap_or_default();
            ConfigError::invalid(
                "APP_CONFIG",
                format!("{} is malformed{line}: {detail}", path.display()),
                "fix the file (see the comments in the project's Leptos.toml)",
            )
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct ServerSection {
    pub mode: String,
    pub address: String,
    pub data_dir: String,
    pub database_url: Option<String>,
    pub log: String,
    pub body_limit_bytes: usize,
    pub shutdown_grace_secs: u64,
}

impl Default for ServerSection {
    fn default() -> Self {
        Self {
            mode: "development".into(),
            address: "127.0.0.1:3000".into(),
            data_dir: "data".into(),
            database_url: None,
            log: "info".into(),
            body_limit_bytes: 64 * 1024,
            shutdown_grace_secs: 10,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct AuthSection {
    pub base_url: Option<String>,
    pub trusted_origins: Vec<String>,
    pub trusted_proxies: Vec<String>,
    pub cookie_prefix: String,
    pub session_lifetime_secs: u64,
    pub session_refresh_secs: u64,
    pub password_min_len: usize,
    pub password_max_len: usize,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
    pub max_concurrent_hashes: usize,
    pub require_email_verification: bool,
    pub send_verification_on_sign_up: bool,
    pub rate_limit: RateLimitSection,
}

impl Default for AuthSection {
    fn default() -> Self {
        Self {
            base_url: None,
            trusted_origins: Vec::new(),
            trusted_proxies: Vec::new(),
            cookie_prefix: "better-auth".into(),
            session_lifetime_secs: 7 * 24 * 3600,
            session_refresh_secs: 24 * 3600,
            password_min_len: 8,
            password_max_len: 128,
            // OWASP's minimum for Argon2id: m=19 MiB, t=2, p=1.
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            argon2_parallelism: 1,
            max_concurrent_hashes: 1,
            require_email_verification: false,
            send_verification_on_sign_up: false,
            rate_limit: RateLimitSection::default(),
        }
    }
}

impl AuthSection {
    pub fn into_settings(
        self,
        base_url: Url,
        trusted_origins: Vec<Url>,
        trusted_proxies: Vec<std::net::IpAddr>,
    ) -> Result<AuthSettings, ConfigError> {
        if self.cookie_prefix.is_empty()
            || !self
                .cookie_prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(ConfigError::invalid(
                "auth.cookie_prefix",
                format!("`{}` cannot be part of a cookie name", self.cookie_prefix),
                "use letters, digits, `-`, `_` or `.`, e.g. better-auth",
            ));
        }
        if self.password_min_len < 1 || self.password_min_len > self.password_max_len {
            return Err(ConfigError::invalid(
                "auth.password_min_len",
                format!(
                    "{}..={} is not a length range",
                    self.password_min_len, self.password_max_len
                ),
                "keep 1 <= password_min_len <= password_max_len (defaults 8 and 128)",
            ));
        }
        if self.argon2_memory_kib < 19 * 1024
            || self.argon2_iterations < 2
            || self.argon2_parallelism < 1
        {
            return Err(ConfigError::invalid(
                "auth.argon2_memory_kib",
                "the Argon2id cost is below OWASP's minimum (m=19456 KiB, t=2, p=1)".to_owned(),
                "raise argon2_memory_kib / argon2_iterations / argon2_parallelism",
            ));
        }
        if self.max_concurrent_hashes == 0 {
            return Err(ConfigError::invalid(
                "auth.max_concurrent_hashes",
                "0 would block every sign-in",
                "use 1 or more",
            ));
        }
        if self.session_lifetime_secs == 0
            || self.session_refresh_secs >= self.session_lifetime_secs
        {
            return Err(ConfigError::invalid(
                "auth.session_refresh_secs",
                "the refresh age must be shorter than a non-zero session lifetime",
                "keep session_refresh_secs < session_lifetime_secs (defaults 1 day and 7 days)",
            ));
        }
        Ok(AuthSettings {
            base_url,
            trusted_origins,
            trusted_proxies,
            cookie_prefix: self.cookie_prefix,
            session_lifetime: Duration::from_secs(self.session_lifetime_secs),
            session_refresh_age: Duration::from_secs(self.session_refresh_secs),
            password_min_len: self.password_min_len,
            password_max_len: self.password_max_len,
            password_hash: PasswordHashSettings {
                memory_kib: self.argon2_memory_kib,
                iterations: self.argon2_iterations,
                parallelism: self.argon2_parallelism,
                max_concurrent: self.max_concurrent_hashes,
            },
            require_email_verification: self.require_email_verification,
            send_verification_on_sign_up: self.send_verification_on_sign_up
                || self.require_email_verification,
            rate_limit: self.rate_limit.into_settings()?,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RateLimitSection {
    pub general_max: u32,
    pub general_window_secs: u64,
    pub credentials_max: u32,
    pub credentials_window_secs: u64,
    pub email_max: u32,
    pub email_window_secs: u64,
    /// `memory` or `database`.
    pub storage: String,
}

impl Default for RateLimitSection {
    fn default() -> Self {
        Self {
            general_max: 100,
            general_window_secs: 10,
            credentials_max: 3,
            credentials_window_secs: 10,
            email_max: 3,
            email_window_secs: 60,
            storage: "memory".into(),
        }
    }
}

impl RateLimitSection {
    fn into_settings(self) -> Result<RateLimitSettings, ConfigError> {
        let rule = |setting: &'static str, max: u32, secs: u64| {
            if max == 0 || secs == 0 {
                Err(ConfigError::invalid(
                    setting,
                    "a limit and its window must be above zero",
                    "rate limits stay on; raise the number instead",
                ))
            } else {
                Ok(RateRule {
                    max,
                    window: Duration::from_secs(secs),
                })
            }
        };
        let storage = match self.storage.as_str() {
            "memory" => RateLimitStorage::Memory,
            "database" => RateLimitStorage::Database,
            other => {
                return Err(ConfigError::invalid(
                    "auth.rate_limit.storage",
                    format!("`{other}` is not a storage"),
                    "use `memory` (one server) or `database` (several replicas)",
                ))
            }
        };
        Ok(RateLimitSettings {
            general: rule(
                "auth.rate_limit.general_max",
                self.general_max,
                self.general_window_secs,
            )?,
            credentials: rule(
                "auth.rate_limit.credentials_max",
                self.credentials_max,
                self.credentials_window_secs,
            )?,
            email: rule(
                "auth.rate_limit.email_max",
                self.email_max,
                self.email_window_secs,
            )?,
            storage,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct JwtSection {
    pub lifetime_secs: u64,
    /// 0 turns rotation off.
    pub rotation_interval_secs: u64,
    pub grace_period_secs: u64,
    pub issuer: Option<String>,
    pub audience: Option<String>,
}

impl Default for JwtSection {
    fn default() -> Self {
        Self {
            lifetime_secs: 15 * 60,
            rotation_interval_secs: 0,
            grace_period_secs: 30 * 24 * 3600,
            issuer: None,
            audience: None,
        }
    }
}

impl JwtSection {
    pub fn into_settings(self, origin: &str) -> Result<JwtSettings, ConfigError> {
        if self.lifetime_secs < 30 || self.lifetime_secs > 24 * 3600 {
            return Err(ConfigError::invalid(
                "jwt.lifetime_secs",
                format!("{} seconds is outside 30..=86400", self.lifetime_secs),
                "use a short lifetime such as 900 (15 minutes)",
            ));
        }
        Ok(JwtSettings {
            lifetime: Duration::from_secs(self.lifetime_secs),
            rotation_interval: (self.rotation_interval_secs > 0)
                .then(|| Duration::from_secs(self.rotation_interval_secs)),
            grace_period: Duration::from_secs(self.grace_period_secs),
            issuer: self.issuer.unwrap_or_else(|| origin.to_owned()),
            audience: self.audience.unwrap_or_else(|| origin.to_owned()),
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct MailSection {
    pub from: String,
    /// `outbox` or `smtp`.
    pub transport: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_username: Option<String>,
}

impl Default for MailSection {
    fn default() -> Self {
        Self {
            from: "Tasks <no-reply@localhost>".into(),
            transport: "outbox".into(),
            smtp_host: "127.0.0.1".into(),
            smtp_port: 25,
            smtp_username: None,
        }
    }
}

impl MailSection {
    pub fn into_settings(self, env: &Environment) -> Result<MailSettings, ConfigError> {
        let transport = match env.get("APP_MAIL_TRANSPORT").unwrap_or(&self.transport) {
            "outbox" => MailTransport::Outbox,
            "smtp" => MailTransport::Smtp {
                host: env
                    .get("APP_SMTP_HOST")
                    .unwrap_or(&self.smtp_host)
                    .to_owned(),
                port: match env.get("APP_SMTP_PORT") {
                    Some(p) => p.parse().map_err(|_| {
                        ConfigError::invalid(
                            "APP_SMTP_PORT",
                            format!("`{p}` is not a port"),
                            "use a number such as 587",
                        )
                    })?,
                    None => self.smtp_port,
                },
                username: env
                    .get("APP_SMTP_USERNAME")
                    .map(str::to_owned)
                    .or(self.smtp_username),
                // The password is only taken from the environment, never from the file.
                password: env.get("APP_SMTP_PASSWORD").map(str::to_owned),
            },
            other => {
                return Err(ConfigError::invalid(
                    "mail.transport",
                    format!("`{other}` is not a mail transport"),
                    "use `outbox` (development) or `smtp`",
                ))
            }
        };
        Ok(MailSettings {
            from: self.from,
            transport,
        })
    }
}
