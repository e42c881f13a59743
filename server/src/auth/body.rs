//! Request bodies: JSON everywhere, `application/x-www-form-urlencoded` where a route allows it
//! (sign-in, sign-up), read into [`Fields`] whose typed getters name the field that is wrong.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::header,
};
use serde_json::{Map, Value};

use super::{error::AuthError, router::AuthState};

/// The fields of a JSON object body (or of a form, every value a string).
#[derive(Debug, Default)]
pub struct Fields {
    values: Map<String, Value>,
    /// Form values are all strings; booleans are then read from `"true"`/`"false"`.
    from_form: bool,
}

/// A JSON-only body (an empty body counts as `{}`).
#[derive(Debug)]
pub struct JsonFields(pub Fields);

/// A JSON or form body.
#[derive(Debug)]
pub struct JsonOrFormFields(pub Fields);

impl FromRequest<AuthState> for JsonFields {
    type Rejection = AuthError;

    async fn from_request(request: Request, state: &AuthState) -> Result<Self, AuthError> {
        read(request, state, false).await.map(Self)
    }
}

impl FromRequest<AuthState> for JsonOrFormFields {
    type Rejection = AuthError;

    async fn from_request(request: Request, state: &AuthState) -> Result<Self, AuthError> {
        read(request, state, true).await.map(Self)
    }
}

async fn read(
    request: Request,
    state: &AuthState,
    form_allowed: bool,
) -> Result<Fields, AuthError> {
    let media_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    let bytes = Bytes::from_request(request, state)
        .await
        .map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AuthError::PayloadTooLarge
            } else {
                AuthError::Validation {
                    field: "body",
                    message: "the body could not be read",
                }
            }
        })?;
    match media_type.as_deref() {
        None if bytes.is_empty() => Ok(Fields::default()),
        Some("application/json") => parse_json(&bytes),
        Some("application/x-www-form-urlencoded") if form_allowed => parse_form(&bytes),
        _ => Err(AuthError::UnsupportedMediaType),
    }
}

fn parse_json(bytes: &[u8]) -> Result<Fields, AuthError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Fields::default());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(values)) => Ok(Fields {
            values,
            from_form: false,
        }),
        Ok(_) => Err(AuthError::Validation {
            field: "body",
            message: "expected a JSON object",
        }),
        Err(_) => Err(AuthError::Validation {
            field: "body",
            message: "not valid JSON",
        }),
    }
}

fn parse_form(bytes: &[u8]) -> Result<Fields, AuthError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(bytes).map_err(|_| AuthError::Validation {
            field: "body",
            message: "not a valid form body",
        })?;
    let values = pairs
        .into_iter()
        .map(|(key, value)| (key, Value::String(value)))
        .collect();
    Ok(Fields {
        values,
        from_form: true,
    })
}

impl Fields {
    /// A required string field.
    pub fn string(&self, field: &'static str) -> Result<String, AuthError> {
        self.optional_string(field)?.ok_or(AuthError::Validation {
            field,
            message: "required",
        })
    }

    /// An optional string field (absent or `null` gives `None`).
    pub fn optional_string(&self, field: &'static str) -> Result<Option<String>, AuthError> {
        match self.values.get(field) {
            None | Some(Value::Null) => Ok(None),
            // PostgreSQL cannot store a NUL character, and no name, address, password or token
            // needs one: refuse it here rather than fail in the database.
            Some(Value::String(text)) if text.contains('\0') => Err(AuthError::Validation {
                field,
                message: "must not contain a NUL character",
            }),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(AuthError::Validation {
                field,
                message: "expected a string",
            }),
        }
    }

    /// An optional boolean field.
    pub fn optional_bool(&self, field: &'static str) -> Result<Option<bool>, AuthError> {
        match self.values.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(Value::String(text)) if self.from_form => match text.as_str() {
                "true" | "on" | "1" => Ok(Some(true)),
                "false" | "off" | "0" => Ok(Some(false)),
                _ => Err(AuthError::Validation {
                    field,
                    message: "expected true or false",
                }),
            },
            Some(_) => Err(AuthError::Validation {
                field,
                message: "expected true or false",
            }),
        }
    }

    /// Whether the field is present at all (even as `null`).
    pub fn contains(&self, field: &str) -> bool {
        self.values.contains_key(field)
    }

    /// Whether the field is present with the value `null`.
    pub fn is_null(&self, field: &str) -> bool {
        matches!(self.values.get(field), Some(Value::Null))
    }
}
