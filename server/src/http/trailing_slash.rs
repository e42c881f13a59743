//! A page address with a trailing slash (`/account/`) is sent to the address without it, so
//! that a typed or pasted URL finds its page instead of a 404.

use axum::{
    extract::Request,
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Middleware: a GET or HEAD of a page path ending in `/` gets a 308 to the same path without
/// the trailing slashes (query kept). API and asset paths are left alone.
pub async fn redirect(request: Request, next: Next) -> Response {
    if request.method() == Method::GET || request.method() == Method::HEAD {
        if let Some(target) = target(request.uri().path(), request.uri().query()) {
            if let Ok(location) = HeaderValue::from_str(&target) {
                return (
                    StatusCode::PERMANENT_REDIRECT,
                    [(header::LOCATION, location)],
                )
                    .into_response();
            }
        }
    }
    next.run(request).await
}

/// Where `path?query` should go, or `None` when it stays.
fn target(path: &str, query: Option<&str>) -> Option<String> {
    if path == "/" || !path.ends_with('/') || path.starts_with("/api/") || path.starts_with("/pkg/")
    {
        return None;
    }
    let trimmed = path.trim_end_matches('/');
    // `//host` would be read by the browser as another site: such a path stays where it is.
    if trimmed.is_empty() || trimmed.starts_with("//") || trimmed.contains('\\') {
        return None;
    }
    Some(match query {
        Some(query) => format!("{trimmed}?{query}"),
        None => trimmed.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::target;

    #[test]
    fn a_page_path_loses_its_trailing_slashes_and_keeps_its_query() {
        assert_eq!(target("/account/", None).as_deref(), Some("/account"));
        assert_eq!(
            target("/tasks//", Some("a=1")).as_deref(),
            Some("/tasks?a=1")
        );
        assert_eq!(
            target("/tasks/active/", None).as_deref(),
            Some("/tasks/active")
        );
    }

    #[test]
    fn the_root_api_assets_and_other_sites_are_not_redirected() {
        assert_eq!(target("/", None), None);
        assert_eq!(target("///", None), None);
        assert_eq!(target("/account", None), None);
        assert_eq!(target("/api/auth/ok/", None), None);
        assert_eq!(target("/pkg/tasks.js/", None), None);
        assert_eq!(target("//evil.example/", None), None);
        assert_eq!(target("/\\evil.example/", None), None);
    }
}
