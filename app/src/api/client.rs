//! The typed tasks API client: the only code that reaches `/api/tasks` and the only code that
//! sets an `Authorization` header (through its [`Transport`]).

use http::Method;
use serde::{de::DeserializeOwned, Serialize};

use crate::{
    api::{
        error::ApiError,
        token_source::TokenSource,
        transport::{ApiRequest, ApiResponse, Transport},
    },
    model::tasks::{Cleared, NewTask, Task, TaskFilter, TaskPatch, ToggleAll},
};

/// A client of the tasks API for the signed-in user.
#[derive(Clone, Debug)]
pub struct ApiClient<T, X> {
    base_url: String,
    tokens: T,
    transport: X,
}

#[cfg(any(feature = "ssr", feature = "hydrate"))]
impl<T: TokenSource> ApiClient<T, crate::api::transport::DefaultTransport> {
    /// A client sending to `base_url` (empty for the page's own origin) with tokens from
    /// `tokens`, over the transport of the side it runs on.
    pub fn new(base_url: impl Into<String>, tokens: T) -> Self {
        Self::with_transport(base_url, tokens, Default::default())
    }
}

impl<T: TokenSource, X: Transport> ApiClient<T, X> {
    /// A client over an explicit transport.
    pub fn with_transport(base_url: impl Into<String>, tokens: T, transport: X) -> Self {
        ApiClient {
            base_url: base_url.into(),
            tokens,
            transport,
        }
    }

    /// `GET /api/tasks?filter=…`: the user's tasks, oldest first.
    pub async fn list_tasks(&self, filter: TaskFilter) -> Result<Vec<Task>, ApiError> {
        let path = format!("/api/tasks?filter={}", filter.as_str());
        self.call(Method::GET, path, None::<&()>).await
    }

    /// `POST /api/tasks`: creates a task.
    pub async fn add_task(&self, title: &str) -> Result<Task, ApiError> {
        let body = NewTask {
            title: title.to_owned(),
        };
        self.call(Method::POST, "/api/tasks".to_owned(), Some(&body))
            .await
    }

    /// `PATCH /api/tasks/{id}` with a new title.
    pub async fn rename_task(&self, id: &str, title: &str) -> Result<Task, ApiError> {
        let patch = TaskPatch {
            title: Some(title.to_owned()),
            completed: None,
        };
        self.call(Method::PATCH, task_path(id), Some(&patch)).await
    }

    /// `PATCH /api/tasks/{id}` marking the task completed or not.
    pub async fn set_completed(&self, id: &str, completed: bool) -> Result<Task, ApiError> {
        let patch = TaskPatch {
            title: None,
            completed: Some(completed),
        };
        self.call(Method::PATCH, task_path(id), Some(&patch)).await
    }

    /// `DELETE /api/tasks/{id}`.
    pub async fn delete_task(&self, id: &str) -> Result<(), ApiError> {
        self.send(Method::DELETE, task_path(id), None).await?;
        Ok(())
    }

    /// `POST /api/tasks/toggle-all`: marks every task completed or not; returns them all.
    pub async fn toggle_all(&self, completed: bool) -> Result<Vec<Task>, ApiError> {
        let body = ToggleAll { completed };
        self.call(
            Method::POST,
            "/api/tasks/toggle-all".to_owned(),
            Some(&body),
        )
        .await
    }

    /// `POST /api/tasks/clear-completed`: deletes the completed tasks; returns how many.
    pub async fn clear_completed(&self) -> Result<Cleared, ApiError> {
        self.call(
            Method::POST,
            "/api/tasks/clear-completed".to_owned(),
            None::<&()>,
        )
        .await
    }

    async fn call<B: Serialize, R: DeserializeOwned>(
        &self,
        method: Method,
        path: String,
        body: Option<&B>,
    ) -> Result<R, ApiError> {
        let json = match body {
            Some(body) => Some(
                serde_json::to_string(body)
                    .map_err(|error| ApiError::Network(error.to_string()))?,
            ),
            None => None,
        };
        let response = self.send(method, path, json).await?;
        serde_json::from_slice(&response.body).map_err(|_| ApiError::Server {
            status: response.status,
            message: "unexpected response".to_owned(),
        })
    }

    /// Sends with the current token; after a 401, once with a new token.
    async fn send(
        &self,
        method: Method,
        path: String,
        json: Option<String>,
    ) -> Result<ApiResponse, ApiError> {
        let token = self.tokens.token().await?;
        let request = ApiRequest {
            method,
            path,
            token: token.clone(),
            json,
        };
        let mut response = self.transport.send(&self.base_url, request.clone()).await?;

        if response.status == 401 {
            self.tokens.reject(&token);
            let token = self.tokens.token().await?;
            let retry = ApiRequest { token, ..request };
            response = self.transport.send(&self.base_url, retry).await?;
        }

        if (200..300).contains(&response.status) {
            Ok(response)
        } else {
            Err(ApiError::from_response(response.status, &response.body))
        }
    }
}

fn task_path(id: &str) -> String {
    format!("/api/tasks/{}", crate::auth::next::encode_query_value(id))
}

#[cfg(test)]
mod tests {
    use std::{cell::RefCell, rc::Rc};

    use futures::executor::block_on;

    use super::*;
    use crate::api::token::AuthToken;

    /// Hands out `t1`, then `t2` once `t1` was rejected.
    #[derive(Clone, Default)]
    struct CountingTokens {
        rejected: Rc<RefCell<Vec<String>>>,
    }

    impl TokenSource for CountingTokens {
        async fn token(&self) -> Result<AuthToken, ApiError> {
            let n = self.rejected.borrow().len() + 1;
            Ok(AuthToken::new(format!("t{n}")))
        }

        fn reject(&self, rejected: &AuthToken) {
            self.rejected
                .borrow_mut()
                .push(rejected.expose().to_owned());
        }
    }

    /// What a transport was sent: method, URL, bearer token, JSON body.
    type Sent = (Method, String, String, Option<String>);

    /// Answers each request with the next scripted response and records what it was sent.
    #[derive(Clone, Default)]
    struct Scripted {
        responses: Rc<RefCell<Vec<ApiResponse>>>,
        sent: Rc<RefCell<Vec<Sent>>>,
    }

    impl Scripted {
        fn answering(responses: Vec<(u16, &str)>) -> Self {
            let scripted = Scripted::default();
            *scripted.responses.borrow_mut() = responses
                .into_iter()
                .rev()
                .map(|(status, body)| ApiResponse {
                    status,
                    body: body.as_bytes().to_vec(),
                })
                .collect();
            scripted
        }
    }

    impl Transport for Scripted {
        async fn send(&self, base: &str, request: ApiRequest) -> Result<ApiResponse, ApiError> {
            self.sent.borrow_mut().push((
                request.method,
                format!("{base}{}", request.path),
                request.token.expose().to_owned(),
                request.json,
            ));
            self.responses
                .borrow_mut()
                .pop()
                .ok_or_else(|| ApiError::Network("no scripted response".into()))
        }
    }

    const TASK: &str = r#"{"id":"k1","title":"Buy milk","completed":false,
        "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}"#;

    #[test]
    fn add_task_posts_the_title_with_the_bearer_token_and_returns_the_task() {
        let transport = Scripted::answering(vec![(201, TASK)]);
        let client =
            ApiClient::with_transport("http://h", CountingTokens::default(), transport.clone());

        let task = block_on(client.add_task("Buy milk")).unwrap();

        assert_eq!(task.id, "k1");
        assert_eq!(task.title, "Buy milk");
        assert_eq!(
            transport.sent.borrow().as_slice(),
            &[(
                Method::POST,
                "http://h/api/tasks".to_owned(),
                "t1".to_owned(),
                Some(r#"{"title":"Buy milk"}"#.to_owned())
            )]
        );
    }

    #[test]
    fn a_401_is_retried_once_with_a_new_token() {
        let transport = Scripted::answering(vec![(401, "{}"), (200, "[]")]);
        let tokens = CountingTokens::default();
        let client = ApiClient::with_transport("", tokens.clone(), transport.clone());

        let tasks = block_on(client.list_tasks(TaskFilter::Active)).unwrap();

        assert_eq!(tasks, vec![]);
        assert_eq!(tokens.rejected.borrow().as_slice(), &["t1".to_owned()]);
        let sent = transport.sent.borrow();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].1, "/api/tasks?filter=active");
        assert_eq!(sent[1].2, "t2");
    }

    #[test]
    fn a_second_401_is_unauthorized() {
        let transport = Scripted::answering(vec![(401, "{}"), (401, "{}")]);
        let client = ApiClient::with_transport("", CountingTokens::default(), transport.clone());

        let result = block_on(client.set_completed("k1", true));

        assert_eq!(result, Err(ApiError::Unauthorized));
        assert_eq!(transport.sent.borrow().len(), 2);
    }

    #[test]
    fn rename_patches_only_the_title_and_maps_a_validation_error() {
        let body = r#"{"message":"Enter a title.","code":"VALIDATION_ERROR","field":"title"}"#;
        let transport = Scripted::answering(vec![(400, body)]);
        let client = ApiClient::with_transport("", CountingTokens::default(), transport.clone());

        let result = block_on(client.rename_task("k1", " "));

        assert_eq!(
            result,
            Err(ApiError::Validation {
                field: "title".into(),
                message: "Enter a title.".into()
            })
        );
        let sent = transport.sent.borrow();
        assert_eq!(sent[0].0, Method::PATCH);
        assert_eq!(sent[0].1, "/api/tasks/k1");
        assert_eq!(sent[0].3.as_deref(), Some(r#"{"title":" "}"#));
    }

    #[test]
    fn delete_of_a_missing_task_is_not_found() {
        let body = r#"{"message":"No such task.","code":"TASK_NOT_FOUND"}"#;
        let transport = Scripted::answering(vec![(404, body)]);
        let client = ApiClient::with_transport("", CountingTokens::default(), transport.clone());

        assert_eq!(
            block_on(client.delete_task("gone")),
            Err(ApiError::NotFound)
        );
        assert_eq!(transport.sent.borrow()[0].0, Method::DELETE);
    }

    #[test]
    fn clear_completed_returns_the_number_deleted() {
        let transport = Scripted::answering(vec![(200, r#"{"deleted":2}"#)]);
        let client = ApiClient::with_transport("", CountingTokens::default(), transport.clone());

        assert_eq!(
            block_on(client.clear_completed()),
            Ok(Cleared { deleted: 2 })
        );
        assert_eq!(transport.sent.borrow()[0].1, "/api/tasks/clear-completed");
        assert_eq!(transport.sent.borrow()[0].3, None);
    }
}
