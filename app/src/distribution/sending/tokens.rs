//! The two secrets of an invitation: its personal survey link and its unsubscribe link.
//! Both are derived from the server's secret and the invitation id, so the outbox can put
//! them in a reminder weeks later, while the database keeps only their hashes.
use crate::server::token::{SecretToken, LINK_TOKEN_BYTES};
use crate::server::Config;

/// The token of the invitation's personal link (`/s/{token}`).
pub fn survey_token(config: &Config, invitation_id: &str) -> SecretToken {
    SecretToken::derive(
        &config.secret,
        "survey-link",
        invitation_id,
        LINK_TOKEN_BYTES,
    )
}

/// The token of the invitation's unsubscribe link (`/u/{token}`).
pub fn unsubscribe_token(config: &Config, invitation_id: &str) -> SecretToken {
    SecretToken::derive(
        &config.secret,
        "unsubscribe",
        invitation_id,
        LINK_TOKEN_BYTES,
    )
}
