//! The recipient form posts here as a plain HTML form, with or without JavaScript. The
//! answer is a page listing each new personal link, so the team can also pass a link on
//! by hand; the invitation emails carry the same links.
use super::links_page::{self, Added};
use super::{db, parse_recipient_list, tokens};
use crate::auth::model::Role;
use crate::db::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::ids::SurveyId;
use crate::server::guard;
use crate::server::AppState;
use crate::surveys::{db as survey_db, model::SurveyStatus};
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use http::{HeaderMap, StatusCode};
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
        Err(AppError::Unauthorized) => Redirect::to("/sign-in").into_response(),
        Err(error) => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let page = links_page::refused(&survey_id, &error, &form.emails);
            (status, Html(page)).into_response()
        }
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
    match survey_db::fetch_survey_status(&state.db, &survey_id).await? {
        None => return Err(AppError::NotFound),
        Some(SurveyStatus::Closed) => {
            return Err(AppError::Conflict(
                "This survey is closed, so it takes no new recipients.".into(),
            ))
        }
        Some(_) => {}
    }
    let addresses = parse_recipient_list(text).map_err(|errors| {
        AppError::Validation(
            errors
                .into_iter()
                .map(|m| crate::error::FieldError::new("emails", m))
                .collect(),
        )
    })?;
    let mut added = Added {
        survey_id: survey_id.to_string(),
        links: Vec::new(),
        already_invited: Vec::new(),
    };
    let now = now();
    let mut tx = state.db.begin().await?;
    for email in addresses {
        let contact_id = db::upsert_contact(&mut tx, &new_id(), email.as_str(), now).await?;
        if let Some(invitation_id) =
            invite(&mut tx, &state.config, &survey_id, &contact_id, now).await?
        {
            let token = tokens::survey_token(&state.config, &invitation_id);
            added
                .links
                .push((email.to_string(), state.config.survey_link(token.expose())));
        } else {
            added.already_invited.push(email.to_string());
        }
    }
    tx.commit().await?;
    tracing::info!(
        survey_id = %survey_id,
        by = user.user_id,
        added = added.links.len(),
        "recipients added"
    );
    Ok(added)
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

/// Invites a contact to a survey, with the hashes of its derived survey and unsubscribe
/// tokens; returns the new invitation's id, or `None` when the contact was already
/// invited (their link stays the only one).
pub async fn invite(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    config: &crate::server::Config,
    survey_id: &str,
    contact_id: &str,
    now: i64,
) -> sqlx::Result<Option<String>> {
    let row = new_invitation(config, contact_id);
    let inserted = db::insert_invitation(&mut **tx, survey_id, &row, now).await?;
    Ok(inserted.then_some(row.invitation_id))
}

/// A new invitation, with the hashes of its derived tokens, for each contact: for
/// `db::insert_invitations` (invite only) or `send_db::invite_and_queue`.
pub fn new_invitations<'a>(
    config: &crate::server::Config,
    contact_ids: impl IntoIterator<Item = &'a String>,
) -> Vec<db::NewInvitation> {
    contact_ids
        .into_iter()
        .map(|contact_id| new_invitation(config, contact_id))
        .collect()
}

/// A new invitation id and the hashes of the two tokens derived from it.
fn new_invitation(config: &crate::server::Config, contact_id: &str) -> db::NewInvitation {
    let invitation_id = new_id();
    db::NewInvitation {
        token_hash: tokens::survey_token(config, &invitation_id).hash(),
        unsubscribe_hash: tokens::unsubscribe_token(config, &invitation_id).hash(),
        contact_id: contact_id.to_string(),
        invitation_id,
    }
}
