//! The API's errors: JSON with a stable machine-readable code, a message for people, and
//! per-field details, under the right status. Internal causes never leave the server.
use crate::error::AppError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

/// Every error response's body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable: not_found, unauthorized, forbidden, validation_failed, conflict,
    /// rate_limited, bad_request, payload_too_large, unavailable, internal.
    pub code: String,
    pub message: String,
    pub details: Vec<FieldDetail>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldDetail {
    pub field: String,
    pub message: String,
}

/// An error on its way to becoming a JSON response.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
    retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorBody {
                code: code.into(),
                message: message.into(),
                details: Vec::new(),
            },
            retry_after: None,
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Send a live API token as “Authorization: Bearer <token>”; this one is missing, unknown, expired or revoked.",
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::field(field, message).into()
    }

    /// The message a person reads, with any field details after it.
    pub fn message(&self) -> String {
        let details: Vec<String> = self
            .body
            .details
            .iter()
            .map(|d| format!("{}: {}", d.field, d.message))
            .collect();
        if details.is_empty() {
            self.body.message.clone()
        } else {
            format!("{} {}", self.body.message, details.join("; "))
        }
    }

    pub fn push_details(&mut self, details: impl IntoIterator<Item = FieldDetail>) {
        self.body.details.extend(details);
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        let status = error.status_code();
        let code = match &error {
            AppError::NotFound => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::Validation(_) => "validation_failed",
            AppError::Conflict(_) => "conflict",
            AppError::TooManyRequests { .. } => "rate_limited",
            AppError::BadRequest => "bad_request",
            AppError::Unavailable => "unavailable",
            AppError::Internal => "internal",
        };
        let details = match &error {
            AppError::Validation(fields) => fields
                .iter()
                .map(|f| FieldDetail {
                    field: f.field.clone(),
                    message: f.message.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let retry_after = match &error {
            AppError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        let message = match &error {
            AppError::Validation(_) => "Some fields are not valid; see details.".to_string(),
            other => other.to_string(),
        };
        Self {
            status,
            body: ErrorBody {
                code: code.into(),
                message,
                details,
            },
            retry_after,
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        AppError::from(error).into()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let status = rejection.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::UNPROCESSABLE_ENTITY => "validation_failed",
            _ => "bad_request",
        };
        let text = rejection.body_text();
        let mut error = Self::new(status, code, text.clone());
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            error.body.details.extend(field_of(&text));
        }
        error
    }
}

/// The field a body's data error is about, from serde's message: "Failed to deserialize
/// ...: template: unknown variant ..." names it first; "missing field `title`" in quotes.
fn field_of(text: &str) -> Option<FieldDetail> {
    let problem = text
        .split_once("target type: ")
        .map_or(text, |(_, rest)| rest);
    let (field, message) = match problem.split_once("missing field `") {
        Some((_, rest)) => (
            rest.split('`').next()?.to_string(),
            "This field is required.".to_string(),
        ),
        None => {
            let (path, message) = problem.split_once(": ")?;
            (path.to_string(), message.to_string())
        }
    };
    Some(FieldDetail { field, message })
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::bad_request(rejection.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        let headers = response.headers_mut();
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after {
            if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
                headers.insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
