//! How server functions and server-side rendering reach the API routes (`/api/auth/*`,
//! `/api/tasks/*`): in-process, through the very router that serves them over HTTP, so the UI
//! never has a second implementation of auth or tasks.

#[cfg(feature = "ssr")]
pub use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    use axum::body::Body;
    use http::{header, HeaderMap, Request, Response};
    use tower::ServiceExt;

    /// The API router (auth and tasks), provided to server functions and rendering as context.
    #[derive(Clone)]
    pub struct ApiRouter(pub axum::Router);

    /// Request headers copied from the browser's request onto an in-process API call, so the
    /// API sees the same client: its session cookie, origin, user agent and forwarding headers.
    const FORWARDED_HEADERS: [header::HeaderName; 5] = [
        header::COOKIE,
        header::ORIGIN,
        header::REFERER,
        header::USER_AGENT,
        header::HeaderName::from_static("x-forwarded-for"),
    ];

    impl ApiRouter {
        /// Sends `request` to the API router in-process, after copying the forwarded headers and
        /// the connection info (client address) of `incoming`.
        pub async fn call(
            &self,
            incoming: &http::request::Parts,
            mut request: Request<Body>,
        ) -> Response<Body> {
            copy_client_identity(incoming, &mut request);
            match self.0.clone().oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            }
        }
    }

    fn copy_client_identity(incoming: &http::request::Parts, request: &mut Request<Body>) {
        let headers: &mut HeaderMap = request.headers_mut();
        for name in FORWARDED_HEADERS {
            if headers.contains_key(&name) {
                continue;
            }
            for value in incoming.headers.get_all(&name) {
                headers.append(name.clone(), value.clone());
            }
        }
        if let Some(info) = incoming
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        {
            request.extensions_mut().insert(*info);
        }
    }
}
