//! The one error type a user may see. Internal causes are logged on the server and never
//! serialised: a browser only ever learns *that* something failed, not database text.
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A problem with one form field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// What went wrong, in terms a team member or respondent can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("We couldn't find that.")]
    NotFound,
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("Your role doesn't allow this. Ask an admin if you need it.")]
    Forbidden,
    #[error("{}", validation_summary(.0))]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Try again in {}.", minutes(*.retry_after_secs))]
    TooManyRequests { retry_after_secs: u64 },
    #[error("The request could not be understood. Reload the page and try again.")]
    BadRequest,
    #[error("The service is briefly unavailable. Try again in a moment.")]
    Unavailable,
    #[error("Something went wrong on our side. It has been logged; try again.")]
    Internal,
}

/// The value, or its field errors added to `errors`: for forms and API bodies that report
/// every problem at once. Any other error counts as no value.
pub fn keep_fields<T>(errors: &mut Vec<FieldError>, result: Result<T, AppError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(AppError::Validation(fields)) => {
            errors.extend(fields);
            None
        }
        Err(_) => None,
    }
}

/// A wait in whole minutes, rounded up: "1 minute", "2 minutes".
fn minutes(secs: u64) -> String {
    match secs.div_ceil(60) {
        1 => "1 minute".to_string(),
        n => format!("{n} minutes"),
    }
}

fn validation_summary(errors: &[FieldError]) -> String {
    match errors {
        [one] => one.message.clone(),
        _ => "Some fields need attention.".to_string(),
    }
}

impl AppError {
    /// A validation error for a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// The message for one field, if this error names it.
    pub fn message_for(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// The HTTP status that fits this error.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::Validation(_) => 422,
            Self::Conflict(_) => 409,
            Self::TooManyRequests { .. } => 429,
            Self::BadRequest => 400,
            Self::Unavailable => 503,
            Self::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = crate::ui::wire::PostcardEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => Self::BadRequest,
            ServerFnErrorErr::Request(_) => Self::Unavailable,
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                let _ = other;
                Self::Internal
            }
        }
    }
}

/// The status as the `http` crate has it, for the server's responses: the one place the
/// number becomes a status code.
#[cfg(feature = "ssr")]
impl AppError {
    pub fn status_code(&self) -> http::StatusCode {
        http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if is_unavailable(&error) {
            if matches!(error, sqlx::Error::PoolTimedOut) {
                metrics::counter!("soundings_db_pool_timeouts_total").increment(1);
            }
            tracing::warn!(error = %error, "database unavailable");
            return Self::Unavailable;
        }
        tracing::error!(error = %error, "database error");
        Self::Internal
    }
}

#[cfg(feature = "ssr")]
fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => true,
        sqlx::Error::Database(db) => {
            let sqlite = db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some();
            db.code()
                .is_some_and(|code| is_unavailable_code(sqlite, &code))
        }
        _ => false,
    }
}

/// Database error codes that say the store cannot take writes now, not that the request
/// was wrong: they pass when space returns or the server is back.
#[cfg(feature = "ssr")]
fn is_unavailable_code(sqlite: bool, code: &str) -> bool {
    // SQLite reports its extended result code; the low byte is the primary one.
    const SQLITE_BUSY: i64 = 5;
    const SQLITE_READONLY: i64 = 8;
    const SQLITE_IOERR: i64 = 10;
    const SQLITE_FULL: i64 = 13;
    const SQLITE_CANTOPEN: i64 = 14;
    if sqlite {
        let number = code.parse::<i64>().unwrap_or_default();
        return matches!(
            number & 0xff,
            SQLITE_BUSY | SQLITE_READONLY | SQLITE_IOERR | SQLITE_FULL | SQLITE_CANTOPEN
        );
    }
    // PostgreSQL SQLSTATE classes: 53 insufficient resources (disk full, out of memory),
    // 57P admin shutdown and start-up, 08 connection exceptions; 25006 read-only transaction.
    code.starts_with("53") || code.starts_with("57P") || code.starts_with("08") || code == "25006"
}

#[cfg(feature = "ssr")]
impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        tracing::error!(error = format!("{error:#}"), "internal error");
        Self::Internal
    }
}

/// The result type of every server function.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_field_error_reads_as_its_own_message() {
        let error = AppError::field("email", "Enter an email address.");
        assert_eq!(error.to_string(), "Enter an email address.");
        assert_eq!(
            error.message_for("email").as_deref(),
            Some("Enter an email address.")
        );
        assert_eq!(error.message_for("password"), None);
    }

    #[test]
    fn a_throttle_error_rounds_the_wait_up_to_whole_minutes() {
        let error = AppError::TooManyRequests {
            retry_after_secs: 61,
        };
        assert_eq!(
            error.to_string(),
            "Too many attempts. Try again in 2 minutes."
        );
    }

    #[test]
    fn internal_errors_serialise_without_any_cause() {
        let json = serde_json::to_string(&AppError::Internal).unwrap();
        assert_eq!(json, "\"Internal\"");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_full_or_read_only_store_is_unavailable_and_a_broken_rule_is_not() {
        // SQLite: FULL, READONLY_DBMOVED (8 | 4 << 8), IOERR_WRITE; then CONSTRAINT_UNIQUE.
        for code in ["13", "1032", "778"] {
            assert!(super::is_unavailable_code(true, code), "{code}");
        }
        assert!(!super::is_unavailable_code(true, "2067"));
        // PostgreSQL: disk full, admin shutdown, connection failure, read-only; then
        // unique violation.
        for code in ["53100", "57P01", "08006", "25006"] {
            assert!(super::is_unavailable_code(false, code), "{code}");
        }
        assert!(!super::is_unavailable_code(false, "23505"));
    }
}
