//! A development-mailbox message's HTML, for the mailbox page to frame.
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::server::{guard, AppState};
use axum::extract::{Path, State};
use axum::response::Response;
use http::HeaderMap;

/// The HTML version of a development-mailbox message, for the mailbox page to frame.
/// Sandboxed: the message's links open in a new tab, and nothing in it can run.
pub async fn mail_html(
    State(state): State<AppState>,
    Path(mail_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let result: AppResult<String> = async {
        let user = guard::require_role_in(&state, &headers, Role::Editor).await?;
        let admin = user.role.includes(Role::Admin);
        super::db::fetch_mail_html(&state.db, &mail_id, admin)
            .await?
            .ok_or(AppError::NotFound)
    }
    .await;
    crate::server::html::sandboxed_email(result)
}
