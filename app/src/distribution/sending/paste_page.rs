//! The recipient form posts here as a plain HTML form, with or without JavaScript. The
//! answer is a page listing each new personal link, so the team can also pass a link on
//! by hand; the invitation emails carry the same links.
use crate::auth::model::Role;
use crate::distribution::sending::links_page::{self, Added};
use crate::distribution::sending::use_cases as sending;
use crate::error::AppResult;
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
    /// "on": include people sent a survey within the quiet period.
    #[serde(default)]
    include_recently_surveyed: Option<String>,
}

pub async fn add_recipients(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<RecipientsForm>,
) -> Response {
    let include = form.include_recently_surveyed.is_some();
    match add(&state, &survey_id, &headers, &form.emails, include).await {
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
    include_recently_surveyed: bool,
) -> AppResult<Added> {
    let user = guard::require_role_in(state, headers, Role::Editor).await?;
    let survey_id = SurveyId::parse(survey_id)?;
    sending::add_pasted(
        &state.db,
        &state.config,
        &survey_id,
        text,
        include_recently_surveyed,
        &user.actor(),
        state.clock.now(),
    )
    .await
}
