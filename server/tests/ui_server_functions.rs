//! The UI's server functions (`/ui/*`) over HTTP: a refusal by the auth API is answered with
//! the API's status, not a server error; without JavaScript it is a redirect back to the form;
//! the not-found page knows the signed-in user like every other page.

use crate::auth_support;

use auth_support::{server, sign_up};
use reqwest::{header, redirect::Policy, StatusCode};

const PASSWORD: &str = "a long private phrase";

async fn post_sign_in(base_url: &str, accept: &str, password: &str) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    client
        .post(format!("{base_url}/ui/sign-in"))
        .header(header::ORIGIN, base_url)
        .header(header::ACCEPT, accept)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!(
            "email=ada%40example.com&password={}",
            password.replace(' ', "+")
        ))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_refused_sign_in_answers_the_server_function_call_with_401_and_the_code() {
    let server = server().await;
    sign_up(&server, "ada@example.com", PASSWORD).await;

    let response = post_sign_in(&server.base_url, "application/json", "not the password").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body = response.text().await.unwrap();
    assert!(body.contains("INVALID_EMAIL_OR_PASSWORD"), "{body}");
}

#[tokio::test]
async fn a_refused_sign_in_without_javascript_redirects_back_to_the_form_with_the_code() {
    let server = server().await;
    sign_up(&server, "ada@example.com", PASSWORD).await;

    let response = post_sign_in(&server.base_url, "text/html", "not the password").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        response.headers()[header::LOCATION],
        "/sign-in?error=INVALID_EMAIL_OR_PASSWORD"
    );
}

#[tokio::test]
async fn an_accepted_sign_in_without_javascript_redirects_to_the_tasks_with_a_cookie() {
    let server = server().await;
    sign_up(&server, "ada@example.com", PASSWORD).await;

    let response = post_sign_in(&server.base_url, "text/html", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()[header::LOCATION], "/tasks");
    let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("better-auth.session_token="), "{cookie}");
}

#[tokio::test]
async fn the_not_found_page_shows_the_signed_in_user_in_its_header() {
    let server = server().await;
    let signed_up = sign_up(&server, "ada@example.com", PASSWORD).await;
    let cookie = signed_up.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();

    let response = server
        .client
        .get(server.url("/no-such-page"))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = response.text().await.unwrap();
    assert!(html.contains("ada@example.com"), "{html}");
}
