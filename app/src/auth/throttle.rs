//! Throttling of failed sign-ins, per account and per client address. Failures are kept in
//! the database so that several instances behind one PostgreSQL share the count.
use super::db;
use crate::error::{AppError, AppResult};
use crate::server::token::sha256_hex;
use crate::server::AppState;

/// Password-reset requests allowed per client address within the throttle window.
pub const RESET_REQUESTS_PER_ADDRESS: i64 = 10;

/// One counter: an account or a client address, stored hashed (it is personal data).
pub struct ThrottleKey {
    key: String,
    limit: i64,
}

impl ThrottleKey {
    pub fn account(state: &AppState, email: &str) -> Self {
        Self {
            key: sha256_hex(&format!("account:{email}")),
            limit: state.config.throttle_per_account,
        }
    }

    /// Password-reset requests from one client address: each counts, whatever its
    /// outcome, so nobody can mail reset links to a whole team list.
    pub fn reset_requests(address: &str) -> Self {
        Self {
            key: sha256_hex(&format!("reset:{address}")),
            limit: RESET_REQUESTS_PER_ADDRESS,
        }
    }

    pub fn address(state: &AppState, address: &str) -> Self {
        Self {
            key: sha256_hex(&format!("address:{address}")),
            limit: state.config.throttle_per_address,
        }
    }
}

/// Refuses the attempt when any key has used up its failures in the current window.
pub async fn check(state: &AppState, keys: &[ThrottleKey]) -> AppResult<()> {
    let window = state.config.throttle_window_secs;
    let now = state.clock.now();
    for key in keys {
        let (failures, oldest) =
            db::fetch_sign_in_failures(&state.db, &key.key, now - window).await?;
        if failures >= key.limit {
            let retry_after = oldest.map_or(window, |t| t + window - now).max(1);
            return Err(AppError::TooManyRequests {
                retry_after_secs: retry_after as u64,
            });
        }
    }
    Ok(())
}

pub async fn record_failure(state: &AppState, keys: &[ThrottleKey]) -> AppResult<()> {
    let now = state.clock.now();
    for key in keys {
        db::insert_sign_in_failure(&state.db, &key.key, now).await?;
    }
    Ok(())
}

/// A successful sign-in forgives the account's earlier failures (not the address's).
pub async fn forgive(state: &AppState, key: &ThrottleKey) -> AppResult<()> {
    db::delete_sign_in_failures(&state.db, &key.key).await?;
    Ok(())
}
