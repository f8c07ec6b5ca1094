//! Who is calling: an API token from the `Authorization: Bearer` header, and nothing
//! else. A session cookie alone never authorises an API call.
use super::error::ApiError;
use crate::api::model::{TOKEN_BYTES, TOKEN_PREFIX};
use crate::api::tokens_db;
use crate::auth::model::Role;
use crate::server::{token::sha256_hex, AppState};
use axum::extract::FromRequestParts;
use http::request::Parts;

/// A caller with a live token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: String,
    pub role: Role,
    /// The admin who created the token: surveys the token creates are theirs.
    pub created_by: Option<String>,
}

impl Caller {
    /// The token, as the audit log and the use cases name who acts.
    pub fn actor(&self) -> crate::audit::Actor {
        crate::audit::Actor::Token(self.token_id.clone())
    }

    /// Refuses (403) a caller whose token's role does not include `role`.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.role.includes(role) {
            Ok(())
        } else {
            Err(crate::error::AppError::Forbidden.into())
        }
    }
}

/// The token in the header, if it has the shape of one: anything else is refused before
/// it reaches a query.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts
        .headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let token = value.strip_prefix("Bearer ")?.trim();
    let secret = token.strip_prefix(TOKEN_PREFIX)?;
    crate::server::token::SecretToken::parse(secret, TOKEN_BYTES).map(|_| token)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or_else(ApiError::unauthorized)?;
        let now = state.clock.now();
        let live = tokens_db::find_live_token(state.db.reads(), &sha256_hex(token), now)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        let role: Role = live.role.parse().map_err(|_| ApiError::unauthorized())?;
        if let Err(wait) = state.api_limiter.take(&live.token_id) {
            return Err(crate::error::AppError::TooManyRequests {
                retry_after_secs: wait,
            }
            .into());
        }
        if tokens_db::use_is_stale(live.last_used_at, now) {
            if let Err(error) = tokens_db::touch_token(&state.db, &live.token_id, now).await {
                tracing::warn!(%error, "could not record an API token's use");
            }
        }
        Ok(Self {
            token_id: live.token_id,
            role,
            created_by: live.created_by,
        })
    }
}
