//! `AuthConfig`: the one auth configuration, built once at start-up from [`Config`] and handed
//! down to the auth service, its router and its layers.

use std::{net::IpAddr, time::Duration};

use url::Url;

use crate::config::{Config, PasswordHashSettings, RateLimitSettings, ServerSecret};

/// Everything the auth service needs to know, validated by the configuration module and fixed
/// for the life of the process. Built by [`AuthConfig::new`] in `startup` and nowhere else.
#[derive(Clone, Debug)]
pub struct AuthConfig {
    /// Signs session cookies. Its `Debug` is redacted.
    pub secret: ServerSecret,
    /// The public URL of the site; its origin is always trusted.
    pub base_url: Url,
    /// Serialised origins (`scheme://host[:port]`) allowed to send cookie-bearing requests and
    /// to be named in `callbackURL`/`redirectTo`, the base URL's own origin first.
    pub trusted_origins: Vec<String>,
    /// Peers whose `X-Forwarded-For` header is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// The session cookie's full name, `__Secure-` prefix included when the base URL is https.
    pub session_cookie_name: String,
    /// The name of the cookie marking a session created with `rememberMe: false`.
    pub dont_remember_cookie_name: String,
    /// Whether cookies get the `Secure` attribute (https base URL).
    pub secure_cookies: bool,
    /// How long a session lasts after its last extension (default 7 days).
    pub session_lifetime: Duration,
    /// A session used more than this long after its last extension is extended again.
    pub session_refresh_age: Duration,
    /// Fewest characters in a new password, counted after NFKC normalisation.
    pub password_min_len: usize,
    /// Most characters in any password, counted after NFKC normalisation.
    pub password_max_len: usize,
    /// Argon2id cost and the bound on hashes computed at once.
    pub password_hash: PasswordHashSettings,
    /// Sign-in refuses users whose email is not verified.
    pub require_email_verification: bool,
    /// Sign-up mails a verification link (always true when verification is required).
    pub send_verification_on_sign_up: bool,
    /// Rate-limit rules and where their counters live.
    pub rate_limit: RateLimitSettings,
}

impl AuthConfig {
    /// Derives the auth configuration from the server configuration.
    pub fn new(config: &Config) -> Self {
        let auth = &config.auth;
        let secure_cookies = auth.base_url.scheme() == "https";
        let cookie_prefix = if secure_cookies {
            format!("__Secure-{}", auth.cookie_prefix)
        } else {
            auth.cookie_prefix.clone()
        };
        let mut trusted_origins = vec![auth.base_url.origin().ascii_serialization()];
        for origin in &auth.trusted_origins {
            let origin = origin.origin().ascii_serialization();
            if !trusted_origins.contains(&origin) {
                trusted_origins.push(origin);
            }
        }
        Self {
            secret: config.secret.clone(),
            base_url: auth.base_url.clone(),
            trusted_origins,
            trusted_proxies: auth.trusted_proxies.clone(),
            session_cookie_name: format!("{cookie_prefix}.session_token"),
            dont_remember_cookie_name: format!("{cookie_prefix}.dont_remember"),
            secure_cookies,
            session_lifetime: auth.session_lifetime,
            session_refresh_age: auth.session_refresh_age,
            password_min_len: auth.password_min_len,
            password_max_len: auth.password_max_len,
            password_hash: auth.password_hash,
            require_email_verification: auth.require_email_verification,
            send_verification_on_sign_up: auth.send_verification_on_sign_up,
            rate_limit: auth.rate_limit.clone(),
        }
    }

    /// Whether `origin` (serialised `scheme://host[:port]`) is the site's or a trusted one.
    pub fn is_trusted_origin(&self, origin: &str) -> bool {
        self.trusted_origins.iter().any(|o| o == origin)
    }
}
