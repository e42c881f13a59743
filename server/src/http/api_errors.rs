//! Refusals made below the API handlers (axum's routing, the body limit, the request timeout)
//! get the same JSON error body under `/api/` as every handler's own errors, so a client of the
//! auth or tasks API never has to parse HTML or plain text.

use app::model::ErrorBody;
use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::Next,
    response::Response,
};

/// Middleware: under `/api/`, a 404, 405, 408 or 413 that is not JSON gets a JSON body with a
/// stable code; its status and other headers (`Allow` on a 405) are kept.
pub async fn json_refusals(request: Request, next: Next) -> Response {
    let under_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if under_api {
        as_json(response)
    } else {
        response
    }
}

fn as_json(response: Response) -> Response {
    let Some((code, message)) = describe(response.status()) else {
        return response;
    };
    if is_json(response.headers()) {
        return response;
    }
    let body = ErrorBody {
        message: message.to_owned(),
        code: code.to_owned(),
        field: None,
    };
    let Ok(json) = serde_json::to_vec(&body) else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(json))
}

/// The code and message of each refusal this module rewrites.
fn describe(status: StatusCode) -> Option<(&'static str, &'static str)> {
    Some(match status {
        StatusCode::NOT_FOUND => ("NOT_FOUND", "No API route has this path."),
        StatusCode::METHOD_NOT_ALLOWED => (
            "METHOD_NOT_ALLOWED",
            "This route does not take this method; the Allow header lists the ones it takes.",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "REQUEST_TIMEOUT",
            "The request was not answered within 30 seconds.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "PAYLOAD_TOO_LARGE",
            "The request body is larger than the server accepts.",
        ),
        _ => return None,
    })
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: StatusCode, content_type: Option<&'static str>) -> Response {
        let mut builder = Response::builder()
            .status(status)
            .header(header::ALLOW, "GET");
        if let Some(content_type) = content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        builder.body(Body::from("not json")).unwrap()
    }

    async fn body_of(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn a_plain_refusal_becomes_json_and_keeps_its_status_and_headers() {
        let rewritten = as_json(response(StatusCode::METHOD_NOT_ALLOWED, None));
        assert_eq!(rewritten.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(rewritten.headers()[header::ALLOW], "GET");
        assert_eq!(
            rewritten.headers()[header::CONTENT_TYPE],
            "application/json"
        );
        assert_eq!(
            body_of(rewritten).await,
            r#"{"message":"This route does not take this method; the Allow header lists the ones it takes.","code":"METHOD_NOT_ALLOWED"}"#
        );
    }

    #[tokio::test]
    async fn json_bodies_and_other_statuses_are_left_alone() {
        let json = as_json(response(StatusCode::NOT_FOUND, Some("application/json")));
        assert_eq!(body_of(json).await, "not json");
        let teapot = as_json(response(StatusCode::BAD_REQUEST, Some("text/plain")));
        assert_eq!(body_of(teapot).await, "not json");
    }
}
