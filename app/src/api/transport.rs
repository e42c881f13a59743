//! How the API client's requests travel: in the browser over HTTP with gloo-net; on the server
//! in-process through the API router, with the same headers.

use std::future::Future;

use http::Method;

use crate::api::{error::ApiError, token::AuthToken};

/// One request of the API client.
#[derive(Clone, Debug)]
pub struct ApiRequest {
    /// The HTTP method.
    pub method: Method,
    /// Path and query, e.g. `/api/tasks?filter=all`.
    pub path: String,
    /// The bearer token for the `Authorization` header.
    pub token: AuthToken,
    /// A JSON body, if any.
    pub json: Option<String>,
}

/// The status and body of a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The raw body.
    pub body: Vec<u8>,
}

/// Sends requests of the API client.
pub trait Transport {
    /// Sends `request` to `base_url` + its path; a transport failure is [`ApiError::Network`].
    fn send(
        &self,
        base_url: &str,
        request: ApiRequest,
    ) -> impl Future<Output = Result<ApiResponse, ApiError>>;
}

/// The value of the `Authorization` header for `token`.
fn bearer(token: &AuthToken) -> String {
    format!("Bearer {}", token.expose())
}

/// Server side: the API router in-process, on behalf of the browser request being rendered.
/// The base URL is not used: the request never leaves the process.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, Debug, Default)]
pub struct InProcess;

#[cfg(feature = "ssr")]
impl Transport for InProcess {
    async fn send(&self, _base_url: &str, request: ApiRequest) -> Result<ApiResponse, ApiError> {
        use axum::body::Body;
        use http::header;

        let mut builder = http::Request::builder()
            .method(request.method)
            .uri(&request.path)
            .header(header::ACCEPT, "application/json")
            .header(header::AUTHORIZATION, bearer(&request.token));
        let body = match request.json {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(json)
            }
            None => Body::empty(),
        };
        let built = builder
            .body(body)
            .map_err(|error| ApiError::Network(error.to_string()))?;
        let reply = crate::relay::call_api(built)
            .await
            .map_err(|error| ApiError::Network(error.to_string()))?;
        Ok(ApiResponse {
            status: reply.status.as_u16(),
            body: reply.body.to_vec(),
        })
    }
}

/// Browser side: `fetch` through gloo-net.
#[cfg(feature = "hydrate")]
#[derive(Clone, Copy, Debug, Default)]
pub struct Browser;

#[cfg(feature = "hydrate")]
impl Transport for Browser {
    async fn send(&self, base_url: &str, request: ApiRequest) -> Result<ApiResponse, ApiError> {
        use gloo_net::http::RequestBuilder;

        let url = format!("{base_url}{}", request.path);
        let builder = RequestBuilder::new(&url)
            .method(request.method)
            .header("Accept", "application/json")
            .header("Authorization", &bearer(&request.token));
        let built = match request.json {
            Some(json) => builder
                .header("Content-Type", "application/json")
                .body(json),
            None => builder.build(),
        }
        .map_err(|error| ApiError::Network(error.to_string()))?;
        let response = built
            .send()
            .await
            .map_err(|error| ApiError::Network(error.to_string()))?;
        let status = response.status();
        let body = response
            .binary()
            .await
            .map_err(|error| ApiError::Network(error.to_string()))?;
        Ok(ApiResponse { status, body })
    }
}

/// The transport of the side this code runs on.
#[cfg(feature = "ssr")]
pub type DefaultTransport = InProcess;
/// The transport of the side this code runs on.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub type DefaultTransport = Browser;
