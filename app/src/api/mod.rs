//! The typed client of the tasks API and the one way to obtain the JWT it sends.

pub mod client;
pub mod error;
pub mod token;
pub mod token_cache;
pub mod token_source;
pub mod transport;

pub use client::ApiClient;
pub use error::ApiError;
pub use token::{get_auth_token, AuthToken, TokenGrant};
pub use token_source::TokenSource;

/// The API client of the side this code runs on (in-process on the server, HTTP in the
/// browser), for the page's own origin.
#[cfg(any(feature = "ssr", feature = "hydrate"))]
pub fn default_client() -> ApiClient<token_source::DefaultTokens, transport::DefaultTransport> {
    ApiClient::new("", token_source::DefaultTokens::default())
}
