//! The tasks API over HTTP: every route with exact status codes and bodies, validation, media
//! types, per-user isolation (404, never 403), bearer-only authentication.

use crate::common;
use crate::jwt_support;

use common::{Store, TestServer};
use jwt_support::user_with_token;
use reqwest::Method;
use serde_json::{json, Value};

/// A signed-in caller of one server.
struct Caller<'a> {
    server: &'a TestServer,
    token: String,
    user_id: String,
}

impl<'a> Caller<'a> {
    async fn new(server: &'a TestServer, email: &str) -> Self {
        let (user_id, token) = user_with_token(server, email).await;
        Self {
            server,
            token,
            user_id,
        }
    }

    /// Sends a request with the bearer token and a JSON body (if any): status and body.
    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self
            .server
            .client
            .request(method, self.server.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        };
        (status, body)
    }

    async fn create(&self, title: &str) -> Value {
        let (status, task) = self
            .send(Method::POST, "/api/tasks", Some(json!({ "title": title })))
            .await;
        assert_eq!(status, 201);
        task
    }

    async fn titles(&self, filter: &str) -> Vec<String> {
        let (status, tasks) = self
            .send(Method::GET, &format!("/api/tasks?filter={filter}"), None)
            .await;
        assert_eq!(status, 200);
        tasks
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap().to_owned())
            .collect()
    }
}

fn not_found() -> Value {
    json!({ "message": "This task does not exist.", "code": "TASK_NOT_FOUND" })
}

async fn every_operation_works(server: &TestServer) {
    let ada = Caller::new(server, "ada@example.com").await;

    // Create: trimmed title, not completed, the two dates equal.
    let task = ada.create("  Buy milk  ").await;
    let id = task["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 32);
    let created_at = task["createdAt"].as_str().unwrap().to_owned();
    assert_eq!(
        task,
        json!({ "id": id, "title": "Buy milk", "completed": false,
                "createdAt": created_at, "updatedAt": created_at })
    );
    assert!(
        created_at.ends_with('Z') && created_at.len() == 24,
        "{created_at}"
    );

    // List: ordered by creation, filters.
    ada.create("Walk the dog").await;
    ada.create("Write tests").await;
    assert_eq!(
        ada.titles("all").await,
        ["Buy milk", "Walk the dog", "Write tests"]
    );
    let (status, listed) = ada.send(Method::GET, "/api/tasks", None).await;
    assert_eq!(status, 200);
    assert_eq!(listed[0], task);

    // Patch: completed, then title, then both; an empty patch changes nothing.
    let (status, patched) = ada
        .send(
            Method::PATCH,
            &format!("/api/tasks/{id}"),
            Some(json!({ "completed": true })),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(patched["completed"], true);
    assert_eq!(patched["title"], "Buy milk");
    assert_eq!(patched["createdAt"], created_at.as_str());
    let (status, patched) = ada
        .send(
            Method::PATCH,
            &format!("/api/tasks/{id}"),
            Some(json!({ "title": " Buy oat milk " })),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (&patched["title"], &patched["completed"]),
        (&json!("Buy oat milk"), &json!(true))
    );
    let (status, unchanged) = ada
        .send(Method::PATCH, &format!("/api/tasks/{id}"), Some(json!({})))
        .await;
    assert_eq!((status, &unchanged), (200, &patched));
    assert_eq!(ada.titles("completed").await, ["Buy oat milk"]);
    assert_eq!(ada.titles("active").await, ["Walk the dog", "Write tests"]);

    // Toggle all: every task completed, all returned in creation order.
    let (status, all) = ada
        .send(
            Method::POST,
            "/api/tasks/toggle-all",
            Some(json!({ "completed": true })),
        )
        .await;
    assert_eq!(status, 200);
    let states: Vec<(&str, bool)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["title"].as_str().unwrap(),
                t["completed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("Buy oat milk", true),
            ("Walk the dog", true),
            ("Write tests", true)
        ]
    );
    let (status, all) = ada
        .send(
            Method::POST,
            "/api/tasks/toggle-all",
            Some(json!({ "completed": false })),
        )
        .await;
    assert_eq!(status, 200);
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["completed"] == false));

    // Clear completed: only the completed ones go.
    let walk = ada.send(Method::GET, "/api/tasks", None).await.1[1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ada.send(
        Method::PATCH,
        &format!("/api/tasks/{walk}"),
        Some(json!({ "completed": true })),
    )
    .await;
    let (status, cleared) = ada
        .send(Method::POST, "/api/tasks/clear-completed", None)
        .await;
    assert_eq!((status, cleared), (200, json!({ "deleted": 1 })));
    assert_eq!(ada.titles("all").await, ["Buy oat milk", "Write tests"]);
    let (status, cleared) = ada
        .send(Method::POST, "/api/tasks/clear-completed", None)
        .await;
    assert_eq!((status, cleared), (200, json!({ "deleted": 0 })));

    // Delete: 204 with no body, then 404.
    let (status, body) = ada
        .send(Method::DELETE, &format!("/api/tasks/{id}"), None)
        .await;
    assert_eq!((status, body), (204, Value::Null));
    let (status, body) = ada
        .send(Method::DELETE, &format!("/api/tasks/{id}"), None)
        .await;
    assert_eq!((status, body), (404, not_found()));
    assert_eq!(ada.titles("all").await, ["Write tests"]);
}

#[tokio::test]
async fn every_task_operation_works_with_exact_statuses_and_bodies_on_sqlite() {
    let server = TestServer::start(&[]).await;
    every_operation_works(&server).await;
}

#[tokio::test]
async fn every_task_operation_works_with_exact_statuses_and_bodies_on_postgres() {
    let Some(server) = TestServer::start_on(Store::Postgres, &[]).await else {
        return;
    };
    every_operation_works(&server).await;
}

/// The list is folded into JSON by the database: titles with quotes, backslashes, markup and
/// characters outside the BMP come back exactly, and each filter keeps the creation order.
async fn list_round_trips_awkward_titles(server: &TestServer) {
    let ada = Caller::new(server, "ada@example.com").await;
    let titles = [
        r#"He said "hi" \ then left"#,
        "<b>bold</b> & 'quoted'",
        "emoji 😀 and ü",
        "tab\there",
    ];
    let mut ids = Vec::new();
    for title in titles {
        ids.push(ada.create(title).await["id"].as_str().unwrap().to_owned());
    }
    let (status, _) = ada
        .send(
            Method::PATCH,
            &format!("/api/tasks/{}", ids[1]),
            Some(json!({ "completed": true })),
        )
        .await;
    assert_eq!(status, 200);

    assert_eq!(ada.titles("all").await, titles);
    assert_eq!(
        ada.titles("active").await,
        [titles[0], titles[2], titles[3]]
    );
    assert_eq!(ada.titles("completed").await, [titles[1]]);
    let (status, tasks) = ada.send(Method::GET, "/api/tasks", None).await;
    assert_eq!(status, 200);
    assert_eq!(tasks[1]["completed"], json!(true));
    assert_eq!(tasks[0]["completed"], json!(false));
    assert_eq!(tasks[0]["id"], json!(ids[0]));
}

#[tokio::test]
async fn the_list_round_trips_awkward_titles_on_sqlite() {
    let server = TestServer::start(&[]).await;
    list_round_trips_awkward_titles(&server).await;
}

#[tokio::test]
async fn the_list_round_trips_awkward_titles_on_postgres() {
    let Some(server) = TestServer::start_on(Store::Postgres, &[]).await else {
        return;
    };
    list_round_trips_awkward_titles(&server).await;
}

#[tokio::test]
async fn tasks_created_within_one_millisecond_keep_their_creation_order() {
    let server = TestServer::start(&[]).await;
    let ada = Caller::new(&server, "ada@example.com").await;
    let titles: Vec<String> = (0..20).map(|i| format!("task {i:02}")).collect();
    for title in &titles {
        ada.create(title).await;
    }
    assert_eq!(ada.titles("all").await, titles);
}

#[tokio::test]
async fn titles_are_validated_on_create_and_patch() {
    let server = TestServer::start(&[]).await;
    let ada = Caller::new(&server, "ada@example.com").await;
    let empty =
        json!({ "message": "Enter a title.", "code": "VALIDATION_ERROR", "field": "title" });
    let long = json!({ "message": "A title can be at most 500 characters.",
                       "code": "VALIDATION_ERROR", "field": "title" });

    for (title, expected) in [
        ("", &empty),
        ("   \n\t ", &empty),
        (&*"x".repeat(501), &long),
    ] {
        let response = ada
            .send(Method::POST, "/api/tasks", Some(json!({ "title": title })))
            .await;
        assert_eq!(response, (400, expected.clone()));
    }
    // 500 characters (after trimming) are fine, counted as characters, not bytes.
    let at_limit = "é".repeat(500);
    assert_eq!(
        ada.create(&format!(" {at_limit} ")).await["title"],
        at_limit.as_str()
    );

    let id = ada.create("ok").await["id"].as_str().unwrap().to_owned();
    let response = ada
        .send(
            Method::PATCH,
            &format!("/api/tasks/{id}"),
            Some(json!({ "title": " " })),
        )
        .await;
    assert_eq!(response, (400, empty.clone()));
    assert_eq!(ada.titles("all").await, [at_limit.as_str(), "ok"]);
}

#[tokio::test]
async fn bodies_that_are_not_json_or_not_the_right_shape_are_refused() {
    let server = TestServer::start(&[]).await;
    let ada = Caller::new(&server, "ada@example.com").await;
    let raw = |content_type: &'static str, body: &'static str| {
        server
            .client
            .post(server.url("/api/tasks"))
            .bearer_auth(&ada.token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };

    let response = raw("text/plain", "{\"title\":\"x\"}").await.unwrap();
    assert_eq!(response.status(), 415);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({ "message": "Send the request body as application/json.",
                "code": "UNSUPPORTED_MEDIA_TYPE" })
    );

    let response = raw("application/json", "{\"title\":").await.unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({ "message": "The request body is not valid JSON.", "code": "VALIDATION_ERROR" })
    );

    let response = raw("application/json", "{\"name\":\"x\"}").await.unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "VALIDATION_ERROR");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("missing field `title`"),
        "{body}"
    );

    let response = ada
        .send(
            Method::POST,
            "/api/tasks/toggle-all",
            Some(json!({ "completed": "yes" })),
        )
        .await;
    assert_eq!(response.0, 400);
    assert_eq!(response.1["code"], "VALIDATION_ERROR");

    let bad_filter = (
        400,
        json!({ "message": "The filter must be all, active or completed.",
                "code": "VALIDATION_ERROR", "field": "filter" }),
    );
    for query in ["filter=done", "filter=active&filter=completed"] {
        let response = ada
            .send(Method::GET, &format!("/api/tasks?{query}"), None)
            .await;
        assert_eq!(response, bad_filter, "{query}");
    }
    assert!(ada.titles("all").await.is_empty());
}

#[tokio::test]
async fn another_users_task_is_not_found_for_every_operation() {
    let server = TestServer::start(&[]).await;
    let ada = Caller::new(&server, "ada@example.com").await;
    let bob = Caller::new(&server, "bob@example.com").await;
    let task = ada.create("Ada's secret").await;
    let id = task["id"].as_str().unwrap();
    ada.send(
        Method::PATCH,
        &format!("/api/tasks/{id}"),
        Some(json!({ "completed": true })),
    )
    .await;

    let path = format!("/api/tasks/{id}");
    for (method, body) in [
        (Method::PATCH, Some(json!({ "title": "mine now" }))),
        (Method::PATCH, Some(json!({ "completed": false }))),
        (Method::PATCH, Some(json!({}))),
        (Method::DELETE, None),
    ] {
        assert_eq!(bob.send(method, &path, body).await, (404, not_found()));
    }
    assert!(bob.titles("all").await.is_empty());
    let (status, all) = bob
        .send(
            Method::POST,
            "/api/tasks/toggle-all",
            Some(json!({ "completed": false })),
        )
        .await;
    assert_eq!((status, all), (200, json!([])));
    let (status, cleared) = bob
        .send(Method::POST, "/api/tasks/clear-completed", None)
        .await;
    assert_eq!((status, cleared), (200, json!({ "deleted": 0 })));

    // Ada's task is untouched.
    let (_, tasks) = ada.send(Method::GET, "/api/tasks", None).await;
    assert_eq!(tasks.as_array().unwrap().len(), 1);
    assert_eq!(tasks[0]["title"], "Ada's secret");
    assert_eq!(tasks[0]["completed"], true);
    assert_ne!(ada.user_id, bob.user_id);

    // Unknown and odd ids are simply not found.
    for path in [
        "/api/tasks/does-not-exist",
        &format!("/api/tasks/{}", "x".repeat(300)),
    ] {
        assert_eq!(
            ada.send(Method::DELETE, path, None).await,
            (404, not_found())
        );
    }
}

#[tokio::test]
async fn requests_without_a_bearer_token_get_401_with_a_bare_challenge() {
    let server = TestServer::start(&[]).await;
    let ada = Caller::new(&server, "ada@example.com").await;
    ada.create("Ada's task").await;
    let expected = json!({ "message": "Sign in to see your tasks.", "code": "UNAUTHORIZED" });

    for (method, path) in [
        (Method::GET, "/api/tasks"),
        (Method::POST, "/api/tasks"),
        (Method::PATCH, "/api/tasks/abc"),
        (Method::DELETE, "/api/tasks/abc"),
        (Method::POST, "/api/tasks/toggle-all"),
        (Method::POST, "/api/tasks/clear-completed"),
    ] {
        let response = server
            .client
            .request(method.clone(), server.url(path))
            .json(&json!({ "title": "x", "completed": true }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{method} {path}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_eq!(response.json::<Value>().await.unwrap(), expected);
    }

    // Another scheme is not a bearer token either.
    let response = server
        .client
        .get(server.url("/api/tasks"))
        .basic_auth("ada", Some("pw"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
}

#[tokio::test]
async fn session_cookies_are_ignored_by_the_tasks_backend() {
    let server = TestServer::start(&[]).await;
    let ada = Caller::new(&server, "ada@example.com").await;
    ada.create("Ada's task").await;

    // A session cookie alone (whatever its value, even the JWT itself) does not authenticate.
    for cookie in [
        "better-auth.session_token=abc.def".to_owned(),
        format!("better-auth.session_token={}", ada.token),
        format!("token={}", ada.token),
    ] {
        let response = server
            .client
            .get(server.url("/api/tasks"))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
    }

    // A bearer token with a cookie for a session that does not exist still works.
    let response = server
        .client
        .get(server.url("/api/tasks"))
        .bearer_auth(&ada.token)
        .header("cookie", "better-auth.session_token=abc.def")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_deleted_users_still_valid_token_is_refused_on_its_next_request_on_sqlite() {
    let server = TestServer::start(&[]).await;
    deleted_users_token_is_refused(&server).await;
}

#[tokio::test]
async fn a_deleted_users_still_valid_token_is_refused_on_its_next_request_on_postgres() {
    let Some(server) = TestServer::start_on(Store::Postgres, &[]).await else {
        return;
    };
    deleted_users_token_is_refused(&server).await;
}

/// The list checks the user in its own statement, the other routes before theirs: both refuse.
async fn deleted_users_token_is_refused(server: &TestServer) {
    let ada = Caller::new(server, "ada@example.com").await;
    ada.create("Ada's task").await;

    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(&ada.user_id)
        .execute(&server.db.pool)
        .await
        .unwrap();

    for (method, path, body) in [
        (Method::GET, "/api/tasks", None),
        (Method::GET, "/api/tasks?filter=active", None),
        (
            Method::POST,
            "/api/tasks",
            Some(json!({ "title": "After" })),
        ),
        (
            Method::POST,
            "/api/tasks/toggle-all",
            Some(json!({ "completed": true })),
        ),
    ] {
        let mut request = server
            .client
            .request(method.clone(), server.url(path))
            .bearer_auth(&ada.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401, "{method} {path}");
        assert_eq!(
            response.headers()["www-authenticate"],
            "Bearer error=\"invalid_token\"",
            "{method} {path}"
        );
        assert_eq!(
            response.json::<Value>().await.unwrap(),
            json!({ "message": "Your access token is invalid or has expired. Sign in again.",
                    "code": "UNAUTHORIZED" }),
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn a_nul_character_is_a_400_in_a_title_and_an_unknown_task_in_an_id_on_both_backends() {
    for store in [Store::Sqlite, Store::Postgres] {
        let Some(server) = TestServer::start_on(store, &[]).await else {
            continue;
        };
        let ada = Caller::new(&server, "ada@example.com").await;
        let task = ada.create("Kept").await;
        let id = task["id"].as_str().unwrap();

        for (method, path) in [
            (Method::POST, "/api/tasks".to_owned()),
            (Method::PATCH, format!("/api/tasks/{id}")),
        ] {
            let (status, body) = ada
                .send(method, &path, Some(json!({ "title": "a\u{0}b" })))
                .await;
            assert_eq!(status, 400, "{store:?} {path}");
            assert_eq!(
                body,
                json!({ "message": "A title cannot contain a NUL character.",
                        "code": "VALIDATION_ERROR", "field": "title" })
            );
        }
        for method in [Method::PATCH, Method::DELETE] {
            let (status, body) = ada
                .send(
                    method,
                    "/api/tasks/a%00b",
                    Some(json!({ "completed": true })),
                )
                .await;
            assert_eq!(status, 404, "{store:?}");
            assert_eq!(body["code"], "TASK_NOT_FOUND");
        }
        assert_eq!(ada.titles("all").await, vec!["Kept".to_owned()]);
    }
}
