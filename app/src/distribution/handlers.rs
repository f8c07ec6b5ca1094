//! The recipient form posts here as a plain HTML form, with or without JavaScript. The
//! answer is a page listing each new personal link, so the team can also pass a link on
//! by hand; the invitation emails carry the same links.
use super::links_page::{self, Added};
use super::sending;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::ids::SurveyId;
use crate::server::edge::refusal;
use crate::server::guard;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use http::HeaderMap;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct RecipientsForm {
    #[serde(default)]
    emails: String,
}

pub async fn add_recipients(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<RecipientsForm>,
) -> Response {
    match add(&state, &survey_id, &headers, &form.emails).await {
        Ok(added) => Html(links_page::added(added)).into_response(),
        Err(error) => refusal(error, |error| {
            links_page::refused(&survey_id, error, &form.emails)
        }),
    }
}

async fn add(
    state: &AppState,
    survey_id: &str,
    headers: &HeaderMap,
    text: &str,
) -> AppResult<Added> {
    let user = guard::require_role_in(state, headers, Role::Editor).await?;
    let survey_id = SurveyId::parse(survey_id)?;
    sending::add_pasted(
        &state.db,
        &state.config,
        &survey_id,
        text,
        &user.user_id,
        state.clock.now(),
    )
    .await
}

/// The HTML version of a development-mailbox message, for the mailbox page to frame.
/// Sandboxed: the message's links open in a new tab, and nothing in it can run.
pub async fn mail_html(
    State(state): State<AppState>,
    Path(mail_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let result: AppResult<String> = async {
        guard::require_role_in(&state, &headers, Role::Viewer).await?;
        super::mailbox_db::fetch_mail_html(&state.db, &mail_id)
            .await?
            .ok_or(AppError::NotFound)
    }
    .await;
    crate::server::html::sandboxed_email(result)
}
