//! A survey as one JSON document: `POST /surveys/definitions` creates a draft from it and
//! `PUT /surveys/{id}` replaces a draft's settings and questions with it. Every question
//! goes through the builder's own checks, so the API accepts exactly what the builder does.
use super::auth::Caller;
use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::ApiJson;
use super::surveys::{detail, within, SurveyDetailOut};
use crate::auth::model::Role;
use crate::db::new_id;
use crate::error::{AppError, FieldError};
use crate::ids::SurveyId;
use crate::local_time::Zone;
use crate::server::AppState;
use crate::surveys::builder_api::{check_schedule, optional_date, text_field};
use crate::surveys::defined::{create_from_definition, replace_draft, DefinedSurvey};
use crate::surveys::definition::{apply_edit, QuestionEdit};
use crate::surveys::model::{Anonymity, SurveyTitle};
use crate::surveys::question::{Question, QuestionKind, MAX_QUESTIONS};
use crate::ui::format_date;
use axum::extract::{Path, State};
use axum::Json;
use http::StatusCode;
use serde::Deserialize;
use std::collections::HashMap;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyDefinition {
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub title: String,
    /// The release the survey asks about (created if new).
    #[schema(max_length = 120, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub release: Option<String>,
    /// Shown above the first question.
    #[schema(max_length = 1000)]
    pub intro: Option<String>,
    /// Shown after the answers are in.
    #[schema(max_length = 500)]
    pub thank_you: Option<String>,
    /// Anonymous surveys store no link between an answer and a person.
    #[serde(default)]
    pub anonymous: bool,
    /// The last day answers are taken, as YYYY-MM-DD: the survey closes at the end of
    /// that day in the team's time zone. `closes_at` says the minute instead.
    #[schema(pattern = r"^(\d{4}-\d{2}-\d{2})?$")]
    pub closes_on: Option<String>,
    /// When the survey closes by itself: RFC 3339 (`2026-12-10T16:00:00Z`) or a local
    /// date and time in the team's time zone (`2026-12-10T17:00`).
    #[schema(max_length = 40)]
    pub closes_at: Option<String>,
    /// When the draft opens by itself (same forms as `closes_at`).
    #[schema(max_length = 40)]
    pub opens_at: Option<String>,
    /// When the invitations of the people chosen by then are queued; opens the draft too.
    #[schema(max_length = 40)]
    pub send_at: Option<String>,
    #[schema(min_items = 1, max_items = 15)]
    pub questions: Vec<QuestionDefinition>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionDefinition {
    /// Your name for the question, so a later one can depend on it in `show_if`.
    #[schema(min_length = 1, max_length = 40, pattern = r"^[A-Za-z0-9_-]+$")]
    pub key: Option<String>,
    pub kind: QuestionKind,
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub prompt: String,
    #[schema(max_length = 300)]
    pub help: Option<String>,
    /// Defaults to true.
    pub required: Option<bool>,
    /// The choices of single_choice and multiple_choice questions (2 to 20, each one line
    /// of at most 120 characters); other kinds have a fixed scale or free text and take none.
    #[schema(max_items = 20)]
    pub options: Option<Vec<String>>,
    /// Whether a choice question also offers "Other: ___".
    #[serde(default)]
    pub allow_other: bool,
    /// Ask this question only when an earlier scored question's answer is in a range.
    pub show_if: Option<ShowIfDefinition>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowIfDefinition {
    /// The `key` of an earlier csat, nps, ces or rating question.
    #[schema(min_length = 1, max_length = 40, pattern = r"^[A-Za-z0-9_-]+$")]
    pub question: String,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// Create a draft survey from a full definition: settings and questions.
#[utoipa::path(post, path = "/surveys/definitions", tag = "surveys", request_body = SurveyDefinition,
    responses((status = 201, body = SurveyDetailOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<SurveyDefinition>,
) -> ApiResult<(StatusCode, Json<SurveyDetailOut>)> {
    caller.require(Role::Editor)?;
    let defined = check(&body, &state.config.time_zone, state.clock.now())?;
    let by = caller.created_by.as_deref();
    let survey_id = create_from_definition(&state.db, &defined, by, state.clock.now()).await?;
    Ok((
        StatusCode::CREATED,
        Json(detail(&state.db, &survey_id).await?),
    ))
}

/// Replace a draft survey's settings and questions with a full definition. A survey that
/// is open or closed is refused with 409: people may already have its questions.
#[utoipa::path(put, path = "/surveys/{survey_id}", tag = "surveys", request_body = SurveyDefinition,
    params(("survey_id" = String, Path, format = Uuid)),
    responses((status = 200, body = SurveyDetailOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
    ApiJson(body): ApiJson<SurveyDefinition>,
) -> ApiResult<Json<SurveyDetailOut>> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    let defined = check(&body, &state.config.time_zone, state.clock.now())?;
    replace_draft(
        &state.db,
        &survey_id,
        &defined,
        &caller.actor(),
        state.clock.now(),
    )
    .await?;
    Ok(Json(detail(&state.db, &survey_id).await?))
}

/// Every problem of the definition at once, each on its field (`questions[2].options`).
fn check(body: &SurveyDefinition, zone: &Zone, now: i64) -> ApiResult<DefinedSurvey> {
    within("title", &body.title, 120)?;
    let mut errors = Vec::new();
    let title = SurveyTitle::parse(&body.title)
        .map_err(|m| errors.push(FieldError::new("title", m)))
        .ok();
    let release = body
        .release
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if release.is_some_and(|r| r.chars().count() > 120 || r.chars().any(char::is_control)) {
        errors.push(FieldError::new(
            "release",
            "Name the release in at most 120 characters, on one line.",
        ));
    }
    let intro = text_field(
        "intro",
        body.intro.as_deref().unwrap_or_default(),
        1000,
        &mut errors,
    );
    let thank_you = text_field(
        "thank_you",
        body.thank_you.as_deref().unwrap_or_default(),
        500,
        &mut errors,
    );
    let closes_on = body.closes_on.as_deref().unwrap_or_default();
    let end_of_day = optional_date("closes_on", closes_on, &mut errors).and_then(|day| {
        zone.parse_local(&format!("{}T00:00", format_date((day + 1) * 86_400)))
            .ok()
    });
    let mut time = |field: &str, text: &Option<String>| {
        let text = text.as_deref().unwrap_or_default().trim();
        if text.is_empty() {
            return None;
        }
        if text.chars().count() > 40 {
            errors.push(FieldError::new(field, "Keep it to 40 characters."));
            return None;
        }
        zone.parse_api(text)
            .map_err(|message| errors.push(FieldError::new(field, message)))
            .ok()
    };
    let closes_at = time("closes_at", &body.closes_at).or(end_of_day);
    let opens_at = time("opens_at", &body.opens_at);
    let send_at = time("send_at", &body.send_at);
    check_schedule(opens_at, send_at, closes_at, now, &mut errors);
    let questions = questions(&body.questions, &mut errors);
    match (title, errors.is_empty()) {
        (Some(title), true) => Ok(DefinedSurvey {
            title,
            release: release.map(str::to_string),
            intro,
            thank_you,
            anonymity: if body.anonymous {
                Anonymity::Anonymous
            } else {
                Anonymity::Identified
            },
            closes_at,
            opens_at,
            send_at,
            questions,
        }),
        _ => Err(ApiError::from(AppError::Validation(errors))),
    }
}

/// The questions, each checked against those before it, as the builder checks an edit.
fn questions(definitions: &[QuestionDefinition], errors: &mut Vec<FieldError>) -> Vec<Question> {
    if definitions.is_empty() || definitions.len() > MAX_QUESTIONS {
        errors.push(FieldError::new(
            "questions",
            format!("Give 1 to {MAX_QUESTIONS} questions. Short surveys get more answers."),
        ));
        return Vec::new();
    }
    let mut ids: HashMap<&str, String> = HashMap::new();
    let mut built: Vec<Question> = Vec::new();
    for (i, definition) in definitions.iter().enumerate() {
        let at = |field: &str| format!("questions[{i}].{field}");
        let question_id = new_id();
        if let Some(key) = definition.key.as_deref() {
            if !is_key(key) {
                errors.push(FieldError::new(&at("key"), KEY_RULE));
            } else if ids.insert(key, question_id.clone()).is_some() {
                errors.push(FieldError::new(
                    &at("key"),
                    format!("The key “{key}” is used twice."),
                ));
            }
        }
        if let Some(message) = options_problem(definition) {
            errors.push(FieldError::new(&at("options"), message));
            continue;
        }
        let show_if = definition.show_if.as_ref();
        let edit = QuestionEdit {
            prompt: definition.prompt.clone(),
            help: definition.help.clone().unwrap_or_default(),
            required: definition.required.unwrap_or(true),
            options: options_text(definition),
            allow_other: definition.allow_other,
            show_if_question_id: show_if
                .map(|s| {
                    ids.get(s.question.as_str())
                        .cloned()
                        .unwrap_or_else(|| "unknown".into())
                })
                .unwrap_or_default(),
            show_if_min: show_if.and_then(|s| s.min),
            show_if_max: show_if.and_then(|s| s.max),
        };
        let position = built.len() as i64 + 1;
        let fresh = Question::new(question_id, position, definition.kind);
        match apply_edit(&fresh, &built, edit, false) {
            Ok(question) => built.push(question),
            Err(list) => errors.extend(
                list.into_iter()
                    .map(|e| FieldError::new(&at(&e.field), e.message)),
            ),
        }
    }
    built
}

const KEY_RULE: &str = "A key is 1 to 40 letters, digits, - or _.";

fn is_key(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn options_text(definition: &QuestionDefinition) -> String {
    let options = definition.options.as_deref().unwrap_or_default();
    options.join("\n")
}

/// What the builder's line-based option parsing cannot see: options on a scale or text
/// question, and an option that would split into two lines.
fn options_problem(definition: &QuestionDefinition) -> Option<String> {
    let options = definition.options.as_deref().unwrap_or_default();
    if !definition.kind.has_options() && (!options.is_empty() || definition.allow_other) {
        return Some(format!(
            "A {} question has a fixed scale or free text: give it no options.",
            definition.kind.as_str()
        ));
    }
    if options
        .iter()
        .any(|o| o.trim().is_empty() || o.chars().any(char::is_control))
    {
        return Some("Each option is one non-empty line.".into());
    }
    None
}
