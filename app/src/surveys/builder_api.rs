//! Server functions of the survey builder. Each needs the editor role; once a survey has
//! a response its questions keep their structure (kind, scale, options, presence).
// A server function takes one argument per form field, and the `#[server]` macro copies
// them into generated client code where an item-level allow does not reach.
#![allow(clippy::too_many_arguments)]
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{
        db,
        definition::{apply_edit, QuestionEdit},
        lifecycle,
        model::{Anonymity, SurveyStatus, SurveyTitle},
        question::{Question, QuestionKind, MAX_QUESTIONS},
    },
    crate::ids::SurveyId,
    crate::{
        auth::model::Role,
        db::new_id,
        error::FieldError,
        server::{guard, AppState},
        ui::parse_date,
    },
};

/// The questions of a survey the editor may change, and how many responses it has.
#[cfg(feature = "ssr")]
async fn editable(
    state: &AppState,
    survey_id: &str,
) -> Result<(SurveyId, Vec<Question>, i64, SurveyStatus), AppError> {
    let survey_id = SurveyId::parse(survey_id)?;
    let status = db::fetch_survey_status(&state.db, &survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let questions = db::fetch_questions(&state.db, &survey_id).await?;
    let responses = db::count_responses(&state.db, &survey_id).await?;
    Ok((survey_id, questions, responses, status))
}

/// Records an edit of a survey people may already have seen (open or closed). A draft's
/// edits are not audited: nobody has its questions yet.
#[cfg(feature = "ssr")]
async fn record_edit(
    state: &AppState,
    user: &crate::auth::model::CurrentUser,
    survey_id: &SurveyId,
    status: SurveyStatus,
    what: &str,
) -> Result<(), AppError> {
    if status != SurveyStatus::Draft {
        let subject = Some(crate::audit::model::Subject::survey(survey_id));
        let action = crate::audit::Action::SurveyEdited;
        let now = state.clock.now();
        crate::audit::record::record(&state.db, &user.actor(), action, subject, what, now).await?;
    }
    Ok(())
}

#[cfg(feature = "ssr")]
fn locked(what: &str) -> AppError {
    AppError::Conflict(format!(
        "This survey already has responses, so {what} would change what people answered. \
         Wording can still be edited; duplicate the survey to change its structure."
    ))
}

#[cfg(feature = "ssr")]
pub(crate) fn text_field(
    field: &str,
    input: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> String {
    let text = input.trim();
    let chars = text.chars().count();
    if chars > max {
        errors.push(FieldError::new(
            field,
            format!("Keep it under {max} characters (it has {chars})."),
        ));
    }
    text.to_string()
}

#[server(prefix = "/fn", endpoint = "update_survey_settings", output = crate::ui::wire::Postcard)]
pub async fn update_survey_settings(
    survey_id: String,
    title: String,
    intro: String,
    thank_you: String,
    anonymity: String,
    closes_at: String,
    release_name: String,
    released_on: String,
    #[server(default)] opens_at: String,
    #[server(default)] send_at: String,
) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let (survey_id, _, responses, status) = editable(&state, &survey_id).await?;
        let mut errors = Vec::new();
        let title = SurveyTitle::parse(&title)
            .map_err(|m| errors.push(FieldError::new("title", m)))
            .ok();
        let intro = text_field("intro", &intro, 1000, &mut errors);
        let thank_you = text_field("thank_you", &thank_you, 500, &mut errors);
        let release_name = text_field("release_name", &release_name, 120, &mut errors);
        // A value that is neither mode is refused: falling back to "identified" would
        // quietly name the people an anonymous survey promised not to.
        let anonymity: Option<Anonymity> = anonymity
            .parse()
            .map_err(|_: String| {
                errors.push(FieldError::new(
                    "anonymity",
                    "Choose whether answers are identified or anonymous.",
                ))
            })
            .ok();
        let zone = &state.config.time_zone;
        let closes_at = optional_time(zone, "closes_at", &closes_at, &mut errors);
        let opens_at = optional_time(zone, "opens_at", &opens_at, &mut errors);
        let send_at = optional_time(zone, "send_at", &send_at, &mut errors);
        let released_on = optional_date("released_on", &released_on, &mut errors)
            .map(|_| released_on.trim().to_string());
        let current = db::fetch_survey_texts(&state.db, &survey_id)
            .await?
            .ok_or(AppError::NotFound)?;
        // A closing time already past is kept as it is (the survey closed then); only a
        // new one must still be to come.
        let now = state.clock.now();
        let closing_changed = closes_at != current.closes_at;
        check_schedule(
            opens_at,
            send_at,
            closes_at.filter(|_| closing_changed),
            now,
            &mut errors,
        );
        if responses > 0 && anonymity.is_some_and(|chosen| chosen != current.anonymity) {
            errors.push(FieldError::new(
                "anonymity",
                "This survey already has responses, so its anonymity can't change.",
            ));
        }
        let (Some(title), Some(anonymity), true) = (title, anonymity, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let mut tx = state.db.begin().await?;
        let release_id = match release_name.is_empty() {
            true => None,
            false => Some(
                db::upsert_release(
                    &mut tx,
                    &new_id(),
                    &release_name,
                    released_on.as_deref(),
                    state.clock.now(),
                )
                .await?,
            ),
        };
        let settings = db::SurveySettings {
            title: title.as_str(),
            intro: &intro,
            thank_you: &thank_you,
            anonymity,
            closes_at,
            release_id: release_id.as_deref(),
            opens_at,
            send_at,
            // The window is the Send step's to change (`set_sending_window`).
            sending_window: current.sending_window.as_deref(),
        };
        db::update_survey_settings(&mut *tx, &survey_id, &settings).await?;
        tx.commit().await?;
        tracing::info!(survey_id = %survey_id, by = user.user_id, "survey settings saved");
        record_edit(&state, &user, &survey_id, status, "settings").await
    })
    .await
}

/// A local date and time in the team's time zone, or nothing when left empty.
#[cfg(feature = "ssr")]
pub(crate) fn optional_time(
    zone: &crate::local_time::Zone,
    field: &str,
    input: &str,
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
    if input.trim().is_empty() {
        return None;
    }
    zone.parse_local(input)
        .map_err(|message| errors.push(FieldError::new(field, message)))
        .ok()
}

/// A schedule that can happen: opening and sending before closing, and a closing time
/// still to come (a past one would close the survey the moment it is saved).
#[cfg(feature = "ssr")]
pub(crate) fn check_schedule(
    opens_at: Option<i64>,
    send_at: Option<i64>,
    closes_at: Option<i64>,
    now: i64,
    errors: &mut Vec<FieldError>,
) {
    let Some(closes) = closes_at else { return };
    if let Err(AppError::Validation(fields)) =
        crate::surveys::lifecycle::new_closing_time(Some(closes), now)
    {
        errors.extend(fields);
    }
    if opens_at.is_some_and(|at| at >= closes) {
        errors.push(FieldError::new("opens_at", "Open it before it closes."));
    }
    if send_at.is_some_and(|at| at >= closes) {
        errors.push(FieldError::new("send_at", "Send it before it closes."));
    }
}

#[cfg(feature = "ssr")]
pub(crate) fn optional_date(field: &str, input: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    if input.trim().is_empty() {
        return None;
    }
    let day = parse_date(input);
    if day.is_none() {
        errors.push(FieldError::new(
            field,
            "Enter a date as YYYY-MM-DD, e.g. 2026-12-31.",
        ));
    }
    day
}

#[server(prefix = "/fn", endpoint = "add_question", output = crate::ui::wire::Postcard)]
pub async fn add_question(survey_id: String, kind: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let (survey_id, questions, _, status) = editable(&state, &survey_id).await?;
        let kind: QuestionKind = kind.parse().map_err(|m: String| AppError::field("kind", m))?;
        if questions.len() >= MAX_QUESTIONS {
            return Err(AppError::field(
                "kind",
                format!("A survey can have at most {MAX_QUESTIONS} questions. Short surveys get more answers."),
            ));
        }
        let position = questions.iter().map(|q| q.position).max().unwrap_or(0) + 1;
        db::insert_question(&state.db, &survey_id, &Question::new(new_id(), position, kind)).await?;
        record_edit(&state, &user, &survey_id, status, "question added").await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "update_question", output = crate::ui::wire::Postcard)]
pub async fn update_question(
    survey_id: String,
    question_id: String,
    prompt: String,
    help: String,
    required: Option<String>,
    options: Option<String>,
    allow_other: Option<String>,
    show_if_question_id: Option<String>,
    show_if_min: Option<String>,
    show_if_max: Option<String>,
) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let (survey_id, questions, responses, status) = editable(&state, &survey_id).await?;
        let index = questions
            .iter()
            .position(|q| q.question_id == question_id)
            .ok_or(AppError::NotFound)?;
        let number = |v: Option<String>| v.and_then(|v| v.trim().parse::<i64>().ok());
        let edit = QuestionEdit {
            prompt,
            help,
            required: required.is_some(),
            options: options.unwrap_or_default(),
            allow_other: allow_other.is_some(),
            show_if_question_id: show_if_question_id.unwrap_or_default(),
            show_if_min: number(show_if_min),
            show_if_max: number(show_if_max),
        };
        // Field names carry the question id: the builder shows many question forms at once.
        let updated = apply_edit(&questions[index], &questions[..index], edit, responses > 0)
            .map_err(|errors| {
                AppError::Validation(
                    errors
                        .into_iter()
                        .map(|e| FieldError::new(&format!("{}:{question_id}", e.field), e.message))
                        .collect(),
                )
            })?;
        db::update_question(&state.db, &updated).await?;
        record_edit(&state, &user, &survey_id, status, "question changed").await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "move_question", output = crate::ui::wire::Postcard)]
pub async fn move_question(
    survey_id: String,
    question_id: String,
    direction: String,
) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let (survey_id, questions, _, status) = editable(&state, &survey_id).await?;
        let index = questions
            .iter()
            .position(|q| q.question_id == question_id)
            .ok_or(AppError::NotFound)?;
        let other = match direction.as_str() {
            "up" if index > 0 => index - 1,
            "down" if index + 1 < questions.len() => index + 1,
            _ => return Ok(()),
        };
        let (a, b) = (&questions[index], &questions[other]);
        if b.show_if
            .as_ref()
            .is_some_and(|r| r.question_id == a.question_id)
            || a.show_if
                .as_ref()
                .is_some_and(|r| r.question_id == b.question_id)
        {
            return Err(AppError::Conflict(
                "A follow-up must come after the question it depends on.".into(),
            ));
        }
        // Positions are unique per survey, so one side steps aside first.
        let mut tx = state.db.begin().await?;
        db::update_question_position(&mut *tx, &a.question_id, -1).await?;
        db::update_question_position(&mut *tx, &b.question_id, a.position).await?;
        db::update_question_position(&mut *tx, &a.question_id, b.position).await?;
        tx.commit().await?;
        record_edit(&state, &user, &survey_id, status, "question moved").await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "remove_question", output = crate::ui::wire::Postcard)]
pub async fn remove_question(survey_id: String, question_id: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let (survey_id, questions, responses, status) = editable(&state, &survey_id).await?;
        if !questions.iter().any(|q| q.question_id == question_id) {
            return Err(AppError::NotFound);
        }
        if responses > 0 {
            return Err(locked("removing a question"));
        }
        if questions.len() == 1 {
            return Err(AppError::Conflict(
                "A survey needs at least one question.".into(),
            ));
        }
        let mut tx = state.db.begin().await?;
        db::clear_follow_ups_of(&mut *tx, &question_id).await?;
        db::delete_question(&mut *tx, &question_id).await?;
        // Close the gap; moving each question down into a free slot never collides.
        let remaining = questions.iter().filter(|q| q.question_id != question_id);
        for (i, q) in remaining.enumerate() {
            if q.position != i as i64 + 1 {
                db::update_question_position(&mut *tx, &q.question_id, i as i64 + 1).await?;
            }
        }
        tx.commit().await?;
        record_edit(&state, &user, &survey_id, status, "question removed").await
    })
    .await
}

/// Copies a survey (settings and questions, no recipients or answers) as a new draft.
#[server(prefix = "/fn", endpoint = "duplicate_survey", output = crate::ui::wire::Postcard)]
pub async fn duplicate_survey(survey_id: String) -> Result<String, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let now = state.clock.now();
        let owner = Some(user.user_id.as_str());
        let copy_id =
            lifecycle::duplicate(&state.db, &survey_id, owner, &user.actor(), now).await?;
        leptos_axum::redirect(&format!("/surveys/{copy_id}"));
        Ok(copy_id.into())
    })
    .await
}
