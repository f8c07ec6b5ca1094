//! `GET` and `POST /s/{token}`: show a person their survey, and take their answers to
//! `recording`. HTTP adapters only: what is stored, and how, is decided there.
use super::access::{self, Refusal};
use super::answers::is_visible;
use super::answers::Problem;
use super::link::Link;
use super::page::{FormPage, Notice, SeenAs};
use super::recording::{record_answers, Sent, Via};
use super::reply::{error_page, framed_html, harden_framed};
use super::{db, parse_answers, stored, Answers};
use crate::error::{AppError, AppResult};
use crate::languages::choice;
use crate::languages::content::{PageLanguage, SurveyTexts};
use crate::languages::model::{Language, SurveyLanguages};
use crate::languages::use_cases::texts_in;
use crate::server::AppState;
use crate::surveys::model::Anonymity;
use crate::surveys::question::Question;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
    /// A one-click answer from the email: pre-selects the first question's answer.
    answer: Option<String>,
    /// `1`: the compact form, in the survey's panel inside the team's product.
    embed: Option<String>,
    /// The language the person picked on the page (`de`).
    lang: Option<String>,
}

/// Where a link's page is and in which language: what the page links to and posts to.
struct Place<'a> {
    token: &'a str,
    embed: bool,
    /// The page's language and its switcher; addresses carry the language through it.
    page: PageLanguage,
}

impl<'a> Place<'a> {
    fn new(token: &'a str, embed: bool, language: Language, offered: &SurveyLanguages) -> Self {
        let base = match embed {
            true => format!("/s/{token}?embed=1"),
            false => format!("/s/{token}"),
        };
        Self {
            token,
            embed,
            page: PageLanguage::new(language, offered.all(), &base),
        }
    }

    /// The page's address, with `extra` query parameters (`saved=1`).
    fn address(&self, extra: &str) -> String {
        let query: Vec<&str> = [extra, if self.embed { "embed=1" } else { "" }]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect();
        let base = format!("/s/{}", self.token);
        self.page.keep(&match query.is_empty() {
            true => base,
            false => format!("{base}?{}", query.join("&")),
        })
    }
}

/// The page's language (picked, else the contact's, else the browser's, else the
/// survey's default) and the survey's texts in it.
async fn in_language(
    state: &AppState,
    invitation: &db::Invitation,
    questions: Vec<Question>,
    picked: Option<&str>,
    headers: &HeaderMap,
) -> AppResult<(Language, SurveyTexts)> {
    let offered = &invitation.languages;
    let accept = choice::accept_language(headers);
    let language = choice::choose(offered, picked, invitation.preferred_language, accept);
    let texts = SurveyTexts::new(
        invitation.title.clone(),
        invitation.intro.clone(),
        invitation.thank_you.clone(),
        questions,
    );
    let texts = texts_in(&state.db, &invitation.survey_id, offered, language, texts).await?;
    Ok((language, texts))
}

pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<ShowQuery>,
    headers: HeaderMap,
) -> Response {
    let embed = super::embed::wanted(query.embed.as_deref());
    let result: AppResult<Response> = async {
        let Link {
            invitation,
            questions,
            stored,
        } = match access::answerable(&state, &token).await? {
            Ok(link) => link,
            Err(refusal) => {
                // Following the link counts as opening it, answered already or not.
                if let Refusal::AlreadyAnswered(invitation) = &refusal {
                    if !embed {
                        mark_opened(&state, invitation).await;
                    }
                }
                return Ok(refused(&state, &token, &refusal, embed, &headers).await);
            }
        };
        let picked = query.lang.as_deref();
        let (language, texts) =
            in_language(&state, &invitation, questions, picked, &headers).await?;
        let questions = &texts.questions;
        // A panel the product showed by itself is not a link the person chose to open:
        // the ledger notes it as shown (`/w/...`), and "opened" stays the honest signal.
        if !embed {
            mark_opened(&state, &invitation).await;
        }
        let (mut values, mut answers) = match invitation.anonymity {
            Anonymity::Identified => stored::to_form(questions, stored),
            Anonymity::Anonymous => (Vec::new(), Answers::new()),
        };
        let answered = invitation.completed_at.is_some();
        let preselected = query
            .answer
            .as_deref()
            .is_some_and(|a| preselect(questions, a, &mut values, &mut answers));
        let notice = match (preselected, query.saved.is_some() && answered) {
            (true, _) => Notice::Preselected,
            (false, true) => Notice::Saved,
            (false, false) => Notice::None,
        };
        let no_errors = BTreeMap::new();
        let place = Place::new(&token, embed, language, &invitation.languages);
        let form = form_page(
            &place,
            &invitation,
            &texts,
            (&values, &answers, &no_errors),
            notice,
        );
        let origins = &invitation.frame_origins;
        Ok(framed_html(StatusCode::OK, form.render(), origins))
    }
    .await;
    result.unwrap_or_else(error_page)
}

/// A refusal's page; in the panel, framed as the survey's pages are, so the person sees
/// why rather than a blocked frame.
async fn refused(
    state: &AppState,
    token: &str,
    refusal: &Refusal,
    embed: bool,
    headers: &HeaderMap,
) -> Response {
    let mut response = refusal.page(choice::words_language(choice::accept_language(headers)));
    if embed {
        let origins = super::embed::frame_origins(state, token).await;
        harden_framed(&mut response, &origins);
    }
    response
}

/// Hands the first visit through a link to the batch writer (`super::opened`); later
/// visits hand over nothing. The page does not wait for the write.
async fn mark_opened(state: &AppState, invitation: &db::Invitation) {
    if invitation.opened_at.is_none() {
        state
            .opened
            .note(&invitation.invitation_id, state.clock.now())
            .await;
    }
}

/// Puts a one-click answer in place of the first question's, if it is a valid point of
/// that question's scale. Only selected: nothing is stored until the person sends it,
/// so a mail scanner following every link in the email records nothing.
fn preselect(
    questions: &[Question],
    answer: &str,
    values: &mut Vec<(String, String)>,
    answers: &mut Answers,
) -> bool {
    let Some(first) = questions.first() else {
        return false;
    };
    let Some(score) = answer
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|s| first.kind.scale().is_some_and(|scale| scale.contains(*s)))
    else {
        return false;
    };
    let field = super::answers::field_name(&first.question_id);
    values.retain(|(name, _)| name != &field);
    values.push((field, score.to_string()));
    answers.insert(first.question_id.clone(), super::AnswerValue::Score(score));
    true
}

pub async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<ShowQuery>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let embed = super::embed::wanted(query.embed.as_deref());
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    let result: AppResult<Response> = async {
        let Link {
            invitation,
            questions,
            ..
        } = match access::answerable(&state, &token).await? {
            Ok(link) => link,
            Err(refusal) => return Ok(refused(&state, &token, &refusal, embed, &headers).await),
        };
        let picked = query.lang.as_deref();
        let (language, texts) =
            in_language(&state, &invitation, questions, picked, &headers).await?;
        let submission = parse_answers(&texts.questions, &fields);
        let place = Place::new(&token, embed, language, &invitation.languages);
        // The form again, with what the person sent, under a notice or next to errors.
        let again = |status: StatusCode, errors: &BTreeMap<String, Problem>, notice| {
            let form = form_page(
                &place,
                &invitation,
                &texts,
                (&fields, &submission.answers, errors),
                notice,
            );
            framed_html(status, form.render(), &invitation.frame_origins)
        };
        if !submission.errors.is_empty() {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(again(status, &submission.errors, Notice::None));
        }
        let complete = submission.is_complete();
        let no_errors = BTreeMap::new();
        if let Err(error) = record_answers(
            &state.db,
            &invitation,
            &submission.answers,
            Sent {
                complete,
                via: if embed { Via::Panel } else { Via::Page },
                wants_loop: super::page::wants_loop(&fields),
                language,
            },
            state.config.anonymous_step,
            state.clock.now(),
        )
        .await
        {
            if error != AppError::Unavailable {
                return Err(error);
            }
            // A full disk or a database restart: the person keeps what they typed.
            let status = StatusCode::SERVICE_UNAVAILABLE;
            return Ok(again(status, &no_errors, Notice::NotSaved));
        }
        if !complete {
            return Ok(again(StatusCode::OK, &no_errors, Notice::FollowUp));
        }
        let mut response = Redirect::to(&place.address("saved=1")).into_response();
        harden_framed(&mut response, &invitation.frame_origins);
        Ok(response)
    }
    .await;
    result.unwrap_or_else(error_page)
}

/// `POST /s/{token}/autosave`: with JavaScript, the page sends its answers as the person
/// goes. Valid answers are stored as a started (never completed) response; the reply names
/// the questions now visible, so the page can show a follow-up an answer revealed.
pub async fn autosave(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<ShowQuery>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    let result: AppResult<Response> = async {
        let Link {
            invitation,
            questions,
            ..
        } = match access::answerable(&state, &token).await? {
            Ok(link) => link,
            Err(refusal) => return Ok(refusal.json()),
        };
        if invitation.anonymity == Anonymity::Anonymous {
            return Ok(access::anonymous_autosave());
        }
        let submission = parse_answers(&questions, &fields);
        let accept = choice::accept_language(&headers);
        let picked = query.lang.as_deref();
        let offered = &invitation.languages;
        let language = choice::choose(offered, picked, invitation.preferred_language, accept);
        record_answers(
            &state.db,
            &invitation,
            &submission.answers,
            Sent {
                complete: false,
                via: Via::Page,
                wants_loop: None,
                language,
            },
            state.config.anonymous_step,
            state.clock.now(),
        )
        .await?;
        let visible: Vec<&str> = questions
            .iter()
            .filter(|q| is_visible(q, &submission.answers))
            .map(|q| q.question_id.as_str())
            .collect();
        Ok(Json(serde_json::json!({ "saved": true, "visible": visible })).into_response())
    }
    .await;
    result.unwrap_or_else(|error| {
        let status = error.status_code();
        access::json_error(status, &error.to_string())
    })
}

/// What the form shows: the values as sent or stored, the valid answers among them (which
/// decide the follow-ups), and the problems to show next to questions.
type Filled<'a> = (
    &'a [(String, String)],
    &'a Answers,
    &'a BTreeMap<String, Problem>,
);

fn form_page<'a>(
    place: &'a Place<'_>,
    invitation: &'a db::Invitation,
    texts: &'a SurveyTexts,
    (values, answers, errors): Filled<'a>,
    notice: Notice,
) -> FormPage<'a> {
    let (token, page) = (place.token, &place.page);
    FormPage {
        action: place.address(""),
        dismiss: place
            .embed
            .then(|| page.keep(&format!("/s/{token}/dismiss"))),
        texts,
        values,
        answers,
        errors,
        notice,
        answered_before: invitation.completed_at.is_some() || notice == Notice::FollowUp,
        seen_as: match invitation.anonymity {
            Anonymity::Identified => SeenAs::Named,
            Anonymity::Anonymous => SeenAs::Anonymous,
        },
        // Anonymous answers cannot be saved piecemeal: nothing may tie them to the link.
        autosave: (invitation.anonymity == Anonymity::Identified)
            .then(|| page.keep(&format!("/s/{token}/autosave"))),
        // As sent when the form comes back, else as stored.
        loop_choice: Some(super::page::wants_loop(values).unwrap_or(invitation.wants_loop)),
        language: page,
    }
}
