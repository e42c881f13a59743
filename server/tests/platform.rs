//! Server basics over real HTTP.

use crate::common;

use common::TestServer;

#[tokio::test]
async fn healthz_reports_ok_when_the_database_answers() {
    let server = TestServer::start(&[]).await;
    let response = server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({"status": "ok"})
    );
}

#[tokio::test]
async fn healthz_works_on_postgres() {
    let Some(server) = TestServer::start_on(common::Store::Postgres, &[]).await else {
        return;
    };
    let response = server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_security_headers() {
    let server = TestServer::start(&[]).await;
    let response = server.client.get(server.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers.contains_key("x-request-id"));
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413_before_any_handler_runs() {
    let server = TestServer::start(&[]).await;
    let limit = server.config.body_limit_bytes;
    assert_eq!(limit, 65536);
    let response = server
        .client
        .post(server.url("/api/auth/sign-in/email"))
        .header("content-type", "application/json")
        .body(vec![b' '; limit + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({
            "message": "The request body is larger than the server accepts.",
            "code": "PAYLOAD_TOO_LARGE"
        })
    );
}

#[tokio::test]
async fn under_api_an_unknown_path_or_method_gets_a_json_error_and_pages_keep_html() {
    let server = TestServer::start(&[]).await;
    let not_found = serde_json::json!({
        "message": "No API route has this path.",
        "code": "NOT_FOUND"
    });
    for path in [
        "/api/nothing-here",
        "/api/auth/nothing-here",
        "/api/tasks/a/b",
    ] {
        let response = server.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/json",
            "{path}"
        );
        assert_eq!(
            response.json::<serde_json::Value>().await.unwrap(),
            not_found,
            "{path}"
        );
    }

    let response = server
        .client
        .put(server.url("/api/tasks"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET,HEAD,POST");
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap()["code"],
        "METHOD_NOT_ALLOWED"
    );

    let page = server
        .client
        .get(server.url("/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
}

#[tokio::test]
async fn html_is_compressed_with_the_encoding_the_client_asks_for() {
    let server = TestServer::start(&[]).await;
    for (accept, expected) in [("gzip", "gzip"), ("br", "br"), ("br, gzip", "br")] {
        let response = server
            .client
            .get(server.url("/"))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-encoding"], expected, "{accept}");
        assert_eq!(response.headers()["vary"], "accept-encoding");
        let body = response.bytes().await.unwrap();
        if expected == "gzip" {
            assert_eq!(&body[..2], &[0x1f, 0x8b], "gzip magic number");
        }
    }
    let plain = server.client.get(server.url("/")).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert!(plain.text().await.unwrap().starts_with("<!DOCTYPE html>"));
}

/// The nonce in a response's `Content-Security-Policy` header.
fn csp_nonce(response: &reqwest::Response) -> String {
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    let start = policy.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
    let end = start + policy[start..].find('\'').unwrap();
    policy[start..end].to_owned()
}

#[tokio::test]
async fn pages_send_a_csp_whose_fresh_nonce_is_the_one_on_every_inline_script() {
    let server = TestServer::start(&[]).await;
    let mut nonces = Vec::new();
    for (path, status) in [("/", 200), ("/", 200), ("/no-such-page", 404)] {
        let response = server.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), status, "{path}");
        let nonce = csp_nonce(&response);
        assert_eq!(
            response.headers()["content-security-policy"],
            format!(
                "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
                 style-src 'self'; img-src 'self' data:; connect-src 'self'; \
                 frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
            )
        );
        let html = response.text().await.unwrap();
        let scripts: Vec<&str> = html
            .match_indices("<script")
            .map(|(at, _)| &html[at..at + html[at..].find('>').unwrap()])
            .collect();
        assert!(!scripts.is_empty(), "{path}: no inline script");
        for script in scripts {
            assert!(script.contains(&format!("nonce=\"{nonce}\"")), "{script}");
        }
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a nonce is never reused");
}

#[tokio::test]
async fn api_responses_carry_the_csp_too() {
    let server = TestServer::start(&[]).await;
    let response = server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert!(response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn a_page_path_with_a_trailing_slash_is_sent_to_the_path_without_it() {
    let server = TestServer::start(&[]).await;
    let response = server
        .client
        .get(server.url("/tasks/active/?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 308);
    assert_eq!(response.headers()["location"], "/tasks/active?x=1");
    assert!(response.headers().contains_key("content-security-policy"));

    // The API is not redirected: its clients may not follow redirects on every method.
    let api = server
        .client
        .get(server.url("/api/auth/ok/"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 404);
}
