//! API tokens as the admin page shows them.
use serde::{Deserialize, Serialize};

/// What a token's secret starts with, so secret scanners and people recognise one.
pub const TOKEN_PREFIX: &str = "snd_";
/// Bytes of randomness in a token (256 bits).
pub const TOKEN_BYTES: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub token_id: String,
    pub name: String,
    pub role: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// A token just created: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub name: String,
    pub secret: String,
}
