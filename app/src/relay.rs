//! Server side only: sends one request to the API router in-process (see [`crate::backend`]) on
//! behalf of the browser request being handled, and relays the API's `Set-Cookie` headers onto
//! the response the browser gets.

use axum::body::{to_bytes, Body, Bytes};
use http::{header, Request, StatusCode};
use leptos::prelude::use_context;

use crate::backend::ApiRouter;

/// The largest API response body read, in bytes; task lists are far smaller.
const MAX_REPLY_BYTES: usize = 4 * 1024 * 1024;

/// The status and body of an API response.
#[derive(Debug)]
pub struct ApiReply {
    /// The HTTP status code.
    pub status: StatusCode,
    /// The response body (JSON for every API route).
    pub body: Bytes,
}

/// Why an in-process call could not be made. Never carries request or response contents.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// The API router or the incoming request is missing from the reactive context: the call was
    /// made outside a server function or server-side rendering.
    #[error("no API router or incoming request in context")]
    NoContext,
    /// The API response body could not be read.
    #[error("cannot read the API response body: {0}")]
    Body(String),
}

/// Sends `request` to the API router with the browser's cookie, origin, user agent and address,
/// and appends every `Set-Cookie` of the API response to the browser's response.
pub async fn call_api(request: Request<Body>) -> Result<ApiReply, RelayError> {
    let api = use_context::<ApiRouter>().ok_or(RelayError::NoContext)?;
    let incoming = use_context::<http::request::Parts>().ok_or(RelayError::NoContext)?;

    let response = api.call(&incoming, request).await;
    let (parts, body) = response.into_parts();

    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        for cookie in parts.headers.get_all(header::SET_COOKIE) {
            options.append_header(header::SET_COOKIE, cookie.clone());
        }
    }

    let body = to_bytes(body, MAX_REPLY_BYTES)
        .await
        .map_err(|error| RelayError::Body(error.to_string()))?;
    Ok(ApiReply {
        status: parts.status,
        body,
    })
}

/// True when the browser request being handled is a plain HTML form post (no JavaScript): such
/// a request asks for `text/html` and must be answered with a redirect, not data.
pub fn is_native_form_post() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(header::ACCEPT)
                .and_then(|value| value.to_str().ok())
                .map(|accept| accept.contains("text/html"))
        })
        .unwrap_or(false)
}
