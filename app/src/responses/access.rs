//! Whether a personal link may answer now, and how each refusal is said: as a page to a
//! person, or as JSON to the autosave script.
use super::db::Invitation;
use super::link::{self, Link};
use super::page;
use super::reply::html;
use crate::error::AppResult;
use crate::languages::model::Language;
use crate::languages::words::Words;
use crate::server::token::{SecretToken, LINK_TOKEN_BYTES};
use crate::server::AppState;
use crate::surveys::model::{Anonymity, SurveyStatus};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;

/// Why a link takes no answers now.
pub enum Refusal {
    /// Malformed or unknown token: the same reply either way, so guessing learns nothing.
    Unknown,
    /// A draft survey; holds its title.
    NotOpen(String),
    /// Closed by hand or past its closing time (410); holds its title.
    Closed(String),
    /// An anonymous survey this person already answered: nothing links them to it.
    AlreadyAnswered(Box<Invitation>),
}

/// The link behind `token` with its questions and stored answers, if it may answer now.
pub async fn answerable(state: &AppState, token: &str) -> AppResult<Result<Link, Refusal>> {
    let Some(token) = SecretToken::parse(token, LINK_TOKEN_BYTES) else {
        return Ok(Err(Refusal::Unknown));
    };
    let Some(link) = link::fetch_link_by_token(state.db.reads(), token.hash().as_str()).await?
    else {
        return Ok(Err(Refusal::Unknown));
    };
    let invitation = &link.invitation;
    if let Some(refusal) = not_answerable(
        invitation.status,
        invitation.closes_at,
        &invitation.title,
        state.clock.now(),
    ) {
        return Ok(Err(refusal));
    }
    if invitation.anonymity == Anonymity::Anonymous && invitation.completed_at.is_some() {
        return Ok(Err(Refusal::AlreadyAnswered(Box::new(link.invitation))));
    }
    Ok(Ok(link))
}

/// Why a survey in this state takes no answers now, if it takes none.
pub fn not_answerable(
    status: SurveyStatus,
    closes_at: Option<i64>,
    title: &str,
    now: i64,
) -> Option<Refusal> {
    let past_close = closes_at.is_some_and(|at| at <= now);
    match status {
        SurveyStatus::Draft => Some(Refusal::NotOpen(title.to_string())),
        SurveyStatus::Open if !past_close => None,
        _ => Some(Refusal::Closed(title.to_string())),
    }
}

impl Refusal {
    /// The page a person sees, in `language` (the survey's title stays as written).
    pub fn page(&self, language: Language) -> Response {
        let words = Words::new(language);
        let message = |status, title: &str, text: String| {
            html(status, page::message_in(language, title, &text))
        };
        match self {
            Self::Unknown => message(
                StatusCode::NOT_FOUND,
                &words.get("link-unknown-heading"),
                words.get("link-unknown-text"),
            ),
            Self::NotOpen(title) => message(StatusCode::OK, title, words.get("not-open-text")),
            Self::Closed(title) => {
                message(StatusCode::GONE, title, words.get("closed-survey-text"))
            }
            Self::AlreadyAnswered(invitation) => {
                let thanks = match invitation.thank_you.as_str() {
                    "" => words.get("answered-default"),
                    text => text.to_string(),
                };
                let text = format!("{thanks} {}", words.get("answered-anonymous"));
                message(StatusCode::OK, &invitation.title, text)
            }
        }
    }

    /// The reply the autosave script gets.
    pub fn json(&self) -> Response {
        match self {
            Self::Unknown => json_error(StatusCode::NOT_FOUND, "This link doesn't work."),
            Self::NotOpen(_) | Self::Closed(_) => {
                json_error(StatusCode::GONE, "This survey takes no answers now.")
            }
            Self::AlreadyAnswered(_) => anonymous_autosave(),
        }
    }
}

/// Anonymous answers are never saved piecemeal: nothing may tie them to the link.
pub fn anonymous_autosave() -> Response {
    json_error(
        StatusCode::CONFLICT,
        "Anonymous answers are stored only when sent.",
    )
}

pub fn json_error(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}
