//! One error body for the whole API: RFC 9457 problem details with a stable snake_case `code`.
//! Causes are logged, never sent to the client.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use api_types::{FieldError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Missing, or not the caller's: the two look the same from outside.
    #[error("not found")]
    NotFound,
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("authentication required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("{0}")]
    Conflict(String),
    #[error("too many requests")]
    TooManyRequests,
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> ApiError {
        ApiError::Validation(vec![FieldError { field: field.into(), code: code.into(), message: message.into() }])
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::Validation(_) => "validation_failed",
            ApiError::BadRequest { code, .. } => code,
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::Conflict(_) => "conflict",
            ApiError::TooManyRequests => "too_many_requests",
            ApiError::Internal(_) => "internal_error",
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            ApiError::BadRequest { detail, .. } => Some(detail.clone()),
            ApiError::Conflict(detail) => Some(detail.clone()),
            ApiError::Validation(_) => Some("Some fields are not valid.".into()),
            _ => None,
        };
        Problem {
            type_: format!("https://e-naleznosci.example/problems/{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            code: self.code().to_string(),
            detail,
            errors: match self {
                ApiError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Validation(_) | ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(%cause, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        if matches!(self, ApiError::Unauthorized) {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.json(self.problem())
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        match e {
            store::StoreError::NotFound => ApiError::NotFound,
            store::StoreError::Conflict(detail) => ApiError::Conflict(detail),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// Maps actix's JSON body errors (syntax, unknown field, wrong type, too large) to problem details
/// naming the field where serde says which.
pub fn json_error(err: actix_web::error::JsonPayloadError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    let api = match &err {
        E::OverflowKnownLength { .. } | E::Overflow { .. } => {
            ApiError::BadRequest { code: "payload_too_large", detail: "The request body is too large.".into() }
        }
        E::ContentType => ApiError::BadRequest { code: "unsupported_media_type", detail: "Send application/json.".into() },
        E::Deserialize(e) => {
            let message = e.to_string();
            ApiError::Validation(vec![FieldError {
                field: field_of(&message).unwrap_or_else(|| "body".into()),
                code: "invalid".into(),
                message,
            }])
        }
        _ => ApiError::BadRequest { code: "malformed_body", detail: "The request body could not be read.".into() },
    };
    actix_web::error::InternalError::from_response(err, api.error_response()).into()
}

/// Path parameter errors (e.g. a malformed UUID).
pub fn path_error(err: actix_web::error::PathError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    let api = ApiError::field("path", "invalid", err.to_string());
    actix_web::error::InternalError::from_response(err, api.error_response()).into()
}

/// Query string errors (e.g. a malformed date).
pub fn query_error(err: actix_web::error::QueryPayloadError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    let message = err.to_string();
    let api = ApiError::field(&field_of(&message).unwrap_or_else(|| "query".into()), "invalid", message);
    actix_web::error::InternalError::from_response(err, api.error_response()).into()
}

/// serde names the field in messages like "unknown field `x`" or "missing field `x`"; for type
/// errors inside a field it says nothing, so the caller falls back to "body".
fn field_of(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_string())
}
