//! Where the API client gets its bearer token: on the server, straight from the token server
//! function for the request being rendered; in the browser, from the in-memory cache.

use std::future::Future;

use crate::api::{error::ApiError, token::AuthToken};

/// Supplies bearer tokens to the API client.
pub trait TokenSource {
    /// A token for the current user; [`ApiError::Unauthorized`] without a session.
    fn token(&self) -> impl Future<Output = Result<AuthToken, ApiError>>;

    /// Called when the API answered 401 to `rejected`, before the client asks for another.
    fn reject(&self, rejected: &AuthToken);
}

/// Server side: every call runs the token function for the browser request being handled
/// (called directly, in-process). Nothing is cached across requests.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, Debug, Default)]
pub struct ServerTokens;

#[cfg(feature = "ssr")]
impl TokenSource for ServerTokens {
    async fn token(&self) -> Result<AuthToken, ApiError> {
        let grant = crate::api::token::get_auth_token().await?;
        Ok(grant.token)
    }

    fn reject(&self, _rejected: &AuthToken) {}
}

/// Browser side: the page's one [`TokenCache`](crate::api::token_cache::TokenCache), in memory.
#[cfg(feature = "hydrate")]
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowserTokens;

#[cfg(feature = "hydrate")]
thread_local! {
    static CACHE: std::rc::Rc<crate::api::token_cache::TokenCache> =
        std::rc::Rc::new(crate::api::token_cache::TokenCache::new());
}

#[cfg(feature = "hydrate")]
impl TokenSource for BrowserTokens {
    async fn token(&self) -> Result<AuthToken, ApiError> {
        let cache = CACHE.with(std::rc::Rc::clone);
        let now = (js_sys::Date::now() / 1000.0) as i64;
        cache
            .token(now, || async {
                crate::api::token::get_auth_token()
                    .await
                    .map_err(ApiError::from)
            })
            .await
    }

    fn reject(&self, rejected: &AuthToken) {
        CACHE.with(|cache| cache.reject(rejected));
    }
}

/// The token source of the side this code runs on.
#[cfg(feature = "ssr")]
pub type DefaultTokens = ServerTokens;
/// The token source of the side this code runs on.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub type DefaultTokens = BrowserTokens;
