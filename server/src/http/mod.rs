//! HTTP concerns shared by every route: request ids and request logs, security headers (the
//! Content-Security-Policy in [`csp`]), compression, the body limit, and JSON bodies for the
//! refusals made below the API handlers.

mod api_errors;
pub mod csp;
mod trailing_slash;

use std::time::Duration;

use axum::{
    extract::Request,
    http::{header, HeaderName, HeaderValue},
    Router,
};
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps the whole site in the layers every response gets.
pub fn apply(
    router: Router,
    body_limit_bytes: usize,
    policy: csp::ContentSecurityPolicy,
) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request| {
            let id = request
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            // The query string is left out: it can carry tokens (verify-email, reset links).
            tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path())
        })
        .on_request(())
        .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(tower_http::LatencyUnit::Micros))
        .on_failure(DefaultOnFailure::new().level(Level::ERROR));

    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(trace)
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::REFERRER_POLICY,
                HeaderValue::from_static("strict-origin-when-cross-origin"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static("DENY"),
            ))
            .layer(axum::middleware::from_fn_with_state(policy, csp::apply))
            .layer(axum::middleware::from_fn(trailing_slash::redirect))
            .layer(CompressionLayer::new())
            // Inside compression (it replaces bodies) and outside the limit and the timeout
            // (whose refusals it rewrites).
            .layer(axum::middleware::from_fn(api_errors::json_refusals))
            .layer(RequestBodyLimitLayer::new(body_limit_bytes))
            .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                axum::http::StatusCode::REQUEST_TIMEOUT,
                Duration::from_secs(30),
            )),
    )
}
