//! JSON request bodies with the tasks API's error codes: 415 for another media type, 400
//! `VALIDATION_ERROR` for malformed JSON or missing fields, 413 beyond the body limit.

use axum::{
    extract::{rejection::JsonRejection, FromRequest, Request},
    Json,
};
use serde::de::DeserializeOwned;

use super::error::TasksError;

/// A JSON body of type `T`.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = TasksError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(TasksError::UnsupportedMediaType),
            Err(JsonRejection::JsonDataError(error)) => Err(TasksError::Validation {
                message: format!(
                    "The request body does not have the expected fields: {}",
                    serde_detail(&error)
                ),
                field: None,
            }),
            Err(JsonRejection::BytesRejection(error))
                if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(TasksError::PayloadTooLarge)
            }
            Err(_) => Err(TasksError::Validation {
                message: "The request body is not valid JSON.".to_owned(),
                field: None,
            }),
        }
    }
}

/// serde's own description (e.g. "missing field `title` at line 1 column 2"), without axum's
/// prefix.
fn serde_detail(error: &dyn std::error::Error) -> String {
    let mut innermost = error;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    innermost.to_string()
}
