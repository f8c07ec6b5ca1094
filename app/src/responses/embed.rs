//! The compact form of a respondent page, for the survey's panel inside the team's own
//! product (`?embed=1`): the survey's listed origins may frame it, and the page starts
//! with the first question and has a close button.
use super::db;
use crate::server::token::{SecretToken, LINK_TOKEN_BYTES};
use crate::server::AppState;

/// Whether a request asked for the compact form.
pub fn wanted(flag: Option<&str>) -> bool {
    flag.is_some_and(|f| f == "1")
}

/// The origins that may frame the pages of the survey behind `token`: empty (nobody) for an
/// unknown token, when the channel is off, or when the database cannot say.
pub async fn frame_origins(state: &AppState, token: &str) -> String {
    let Some(token) = SecretToken::parse(token, LINK_TOKEN_BYTES) else {
        return String::new();
    };
    db::fetch_frame_origins(state.db.reads(), token.hash().as_str())
        .await
        .unwrap_or_default()
}
