//! A survey's life, written once for every front door (server functions, the JSON API,
//! the command line): created from a template or as a copy, opened, closed, and the one
//! check, with one wording, that a survey is open before anything is sent for it.
//!
//! Each step that another use case may compose comes in two forms: `*_in` works inside a
//! transaction the caller holds (so the release flow creates, opens and sends in one), the
//! plain form takes the database and commits on its own.
use super::db::{self, SurveyTexts};
use super::model::{SurveyStatus, SurveySummary, SurveyTitle};
use super::templates::Template;
use crate::audit::model::Subject;
use crate::audit::record::record;
use crate::audit::{Action, Actor};
use crate::db::{new_id, Db};
use crate::error::{AppError, AppResult};
use crate::ids::SurveyId;
use crate::languages::db as language_db;
use sqlx::{Any, Executor, Transaction};

/// What needs an open survey, in the words of the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedsOpen {
    Invitations,
    Reminders,
}

impl NeedsOpen {
    fn verb(self) -> &'static str {
        match self {
            Self::Invitations => "sends invitations",
            Self::Reminders => "sends reminders",
        }
    }
}

/// The refusal for a survey that is not open, the same wherever it is asked.
pub fn not_open(status: SurveyStatus, needs: NeedsOpen) -> AppError {
    let verb = needs.verb();
    AppError::Conflict(match status {
        SurveyStatus::Draft => format!(
            "Only an open survey {verb}: this one is a draft, so open it first (its links work only once it is open)."
        ),
        _ => format!("Only an open survey {verb}: this one is {}.", status.as_str()),
    })
}

/// `NotFound` for a survey that does not exist, the refusal above for one that is not
/// open (or whose closing time has passed). Inside a write transaction, so the survey
/// cannot close between check and send.
pub async fn require_open(
    db: impl Executor<'_, Database = Any>,
    survey_id: &SurveyId,
    needs: NeedsOpen,
    now: i64,
) -> AppResult<()> {
    match db::fetch_survey_status_at(db, survey_id, now).await? {
        None => Err(AppError::NotFound),
        Some(SurveyStatus::Open) => Ok(()),
        Some(status) => Err(not_open(status, needs)),
    }
}

/// A closed survey takes no new recipients (a draft does: people may be chosen before it
/// opens). For a caller that has read the status already.
pub fn takes_recipients(status: SurveyStatus) -> AppResult<()> {
    match status {
        SurveyStatus::Closed => Err(AppError::Conflict(
            "This survey is closed, so it takes no new recipients.".into(),
        )),
        _ => Ok(()),
    }
}

/// `NotFound` for a survey that does not exist, `takes_recipients`' refusal for a closed one.
pub async fn require_not_closed(
    db: impl Executor<'_, Database = Any>,
    survey_id: &SurveyId,
    now: i64,
) -> AppResult<()> {
    let status = db::fetch_survey_status_at(db, survey_id, now).await?;
    takes_recipients(status.ok_or(AppError::NotFound)?)
}

/// A survey's summary and texts; a survey that does not exist is `NotFound`.
pub async fn load(db: &Db, survey_id: &SurveyId) -> AppResult<(SurveySummary, SurveyTexts)> {
    let summary = db::fetch_survey_summary(db, survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let texts = db::fetch_survey_texts(db, survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((summary, texts))
}

/// What a new survey from a template is made of, checked.
pub struct NewFromTemplate {
    title: SurveyTitle,
    template: Template,
    release: Option<String>,
    /// The day the release shipped, as YYYY-MM-DD.
    released_on: Option<String>,
}

impl NewFromTemplate {
    /// Checks the title, the template's name and the release's name (optional, one line
    /// of at most 120 characters), each failing with its field's message.
    pub fn parse(title: &str, template: &str, release: Option<&str>) -> AppResult<Self> {
        let title = SurveyTitle::parse(title).map_err(|m| AppError::field("title", m))?;
        let template: Template = template
            .parse()
            .map_err(|m: String| AppError::field("template", m))?;
        let release = release.map(str::trim).filter(|r| !r.is_empty());
        if release.is_some_and(|r| r.chars().count() > 120 || r.chars().any(char::is_control)) {
            return Err(AppError::field(
                "release",
                "Name the release in at most 120 characters, on one line.",
            ));
        }
        Ok(Self {
            title,
            template,
            release: release.map(str::to_string),
            released_on: None,
        })
    }

    /// Records the day the release shipped (YYYY-MM-DD; empty or absent keeps what the
    /// release has). Needs a release to belong to.
    pub fn released_on(mut self, day: Option<&str>) -> AppResult<Self> {
        let Some(day) = day.map(str::trim).filter(|d| !d.is_empty()) else {
            return Ok(self);
        };
        let days = crate::ui::parse_date(day).ok_or_else(|| {
            AppError::field(
                "released_on",
                "Enter a date as YYYY-MM-DD, e.g. 2026-12-31.",
            )
        })?;
        if self.release.is_none() {
            return Err(AppError::field(
                "released_on",
                "A release date needs the release it belongs to.",
            ));
        }
        self.released_on = Some(crate::ui::format_date(days * 86_400));
        Ok(self)
    }
}

/// A draft survey from a template, about its release (created if new) when given.
#[tracing::instrument(name = "create_from_template", skip_all)]
pub async fn create_from_template(
    db: &Db,
    new: &NewFromTemplate,
    created_by: Option<&str>,
    by: &Actor,
    now: i64,
) -> AppResult<SurveyId> {
    let mut tx = db.begin_write().await?;
    let survey_id = create_from_template_in(&mut tx, new, created_by, by, now).await?;
    tx.commit().await?;
    Ok(survey_id)
}

/// `create_from_template` inside the caller's transaction.
pub async fn create_from_template_in(
    tx: &mut Transaction<'_, Any>,
    new: &NewFromTemplate,
    created_by: Option<&str>,
    by: &Actor,
    now: i64,
) -> AppResult<SurveyId> {
    let survey_id = SurveyId::generate();
    db::insert_survey(&mut **tx, &survey_id, new.title.as_str(), created_by, now).await?;
    for question in new.template.questions(new_id) {
        db::insert_question(&mut **tx, &survey_id, &question).await?;
    }
    if let Some(name) = &new.release {
        let released_on = new.released_on.as_deref();
        let release_id = db::upsert_release(tx, &new_id(), name, released_on, now).await?;
        db::update_survey_release(&mut **tx, &survey_id, &release_id).await?;
    }
    let detail = format!("from the “{}” template", new.template.label());
    let subject = Some(Subject::survey(&survey_id));
    record(&mut **tx, by, Action::SurveyCreated, subject, &detail, now).await?;
    tracing::info!(
        survey_id = %survey_id,
        by = %by,
        template = new.template.as_str(),
        "survey created"
    );
    Ok(survey_id)
}

/// Opens a draft, so its links work. `by` names who did it in the log.
#[tracing::instrument(name = "open", skip_all, fields(survey_id = %survey_id))]
pub async fn open(db: &Db, survey_id: &SurveyId, by: &Actor, now: i64) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    open_in(&mut tx, survey_id, by, now).await?;
    tx.commit().await?;
    Ok(())
}

/// `open` inside the caller's transaction.
pub async fn open_in(
    tx: &mut Transaction<'_, Any>,
    survey_id: &SurveyId,
    by: &Actor,
    now: i64,
) -> AppResult<()> {
    if db::fetch_closes_at(&mut **tx, survey_id)
        .await?
        .is_some_and(|at| at <= now)
    {
        return Err(AppError::Conflict(
            "Its closing time has passed: choose a later one in the survey's settings, then open it."
                .into(),
        ));
    }
    move_status(
        tx,
        survey_id,
        SurveyStatus::Draft,
        SurveyStatus::Open,
        by,
        now,
    )
    .await
}

/// Closes an open survey, by hand or at its closing time: it takes no more answers, its
/// invitations and reminders still waiting are withdrawn, it reports `survey.closed`,
/// leaves the open surveys and enters the baseline. Returns how many messages were
/// withdrawn.
#[tracing::instrument(name = "close", skip_all, fields(survey_id = %survey_id))]
pub async fn close(db: &Db, survey_id: &SurveyId, by: &Actor, now: i64) -> AppResult<u64> {
    let mut tx = db.begin_write().await?;
    move_status(
        &mut tx,
        survey_id,
        SurveyStatus::Open,
        SurveyStatus::Closed,
        by,
        now,
    )
    .await?;
    let withdrawn =
        crate::distribution::sending::outbox::withdraw_survey_mail(&mut tx, survey_id, now).await?;
    tx.commit().await?;
    let trigger = if *by == Actor::Schedule {
        "schedule"
    } else {
        "by_hand"
    };
    metrics::counter!("soundings_surveys_closed_total", "trigger" => trigger).increment(1);
    if withdrawn > 0 {
        tracing::info!(survey_id = %survey_id, withdrawn, "waiting mail withdrawn at closing");
    }
    Ok(withdrawn)
}

/// When a reopened survey closes again: none (closed by hand), or a time still to come.
pub fn new_closing_time(closes_at: Option<i64>, now: i64) -> AppResult<Option<i64>> {
    match closes_at {
        Some(at) if at <= now => Err(AppError::field(
            "closes_at",
            "Choose a closing time that is still to come.",
        )),
        other => Ok(other),
    }
}

/// Opens a closed survey again, until `closes_at` (checked by `new_closing_time`): its
/// links work again and it leaves the baseline until it closes.
#[tracing::instrument(name = "reopen", skip_all, fields(survey_id = %survey_id))]
pub async fn reopen(
    db: &Db,
    survey_id: &SurveyId,
    closes_at: Option<i64>,
    by: &Actor,
    now: i64,
) -> AppResult<()> {
    let closes_at = new_closing_time(closes_at, now)?;
    let mut tx = db.begin_write().await?;
    if db::reopen_survey(&mut *tx, survey_id, closes_at).await? != 1 {
        return match db::fetch_survey_status(&mut *tx, survey_id).await? {
            None => Err(AppError::NotFound),
            Some(current) => Err(AppError::Conflict(format!(
                "Only a closed survey can be reopened: this one is {}.",
                current.as_str()
            ))),
        };
    }
    let subject = Some(Subject::survey(survey_id));
    record(&mut *tx, by, Action::SurveyReopened, subject, "", now).await?;
    tx.commit().await?;
    tracing::info!(survey_id = %survey_id, by = %by, ?closes_at, "survey reopened");
    Ok(())
}

/// Moves a survey from `from` to `to`: not found, or a conflict naming where it is now.
async fn move_status(
    tx: &mut Transaction<'_, Any>,
    survey_id: &SurveyId,
    from: SurveyStatus,
    to: SurveyStatus,
    by: &Actor,
    now: i64,
) -> AppResult<()> {
    let moved = db::update_survey_status(&mut **tx, survey_id, from, to, now).await? == 1;
    if !moved {
        return match db::fetch_survey_status(&mut **tx, survey_id).await? {
            None => Err(AppError::NotFound),
            Some(current) => Err(AppError::Conflict(format!(
                "This survey is {}, so it can't be made {} now.",
                current.as_str(),
                to.as_str()
            ))),
        };
    }
    if to == SurveyStatus::Closed {
        crate::webhooks::emit::survey_closed(tx, survey_id, now).await?;
    }
    let action = match to {
        SurveyStatus::Closed => Action::SurveyClosed,
        _ => Action::SurveyOpened,
    };
    record(
        &mut **tx,
        by,
        action,
        Some(Subject::survey(survey_id)),
        "",
        now,
    )
    .await?;
    tracing::info!(survey_id = %survey_id, by = %by, status = to.as_str(), "survey status changed");
    Ok(())
}

/// Copies a survey as a new draft for the next release: everything that is not answers
/// (settings, questions and follow-ups, both emails' wording, the reminder schedule, the
/// target precision and stop-at-target, the sending window), but no release, schedule,
/// recipients or answers. Returns the copy's id.
#[tracing::instrument(name = "duplicate", skip_all, fields(survey_id = %survey_id))]
pub async fn duplicate(
    db: &Db,
    survey_id: &SurveyId,
    created_by: Option<&str>,
    by: &Actor,
    now: i64,
) -> AppResult<SurveyId> {
    let (summary, texts) = load(db, survey_id).await?;
    let questions = db::fetch_questions(db, survey_id).await?;
    let copy_id = SurveyId::generate();
    let ids: std::collections::HashMap<String, String> = questions
        .iter()
        .map(|q| (q.question_id.clone(), new_id()))
        .collect();
    let title: String = format!("{} (copy)", summary.title)
        .chars()
        .take(SurveyTitle::MAX_CHARS)
        .collect();
    let mut tx = db.begin_write().await?;
    db::insert_survey(&mut *tx, &copy_id, &title, created_by, now).await?;
    let settings = db::SurveySettings {
        title: &title,
        intro: &texts.intro,
        thank_you: &texts.thank_you,
        anonymity: texts.anonymity,
        closes_at: None,
        release_id: None,
        opens_at: None,
        send_at: None,
        sending_window: texts.sending_window.as_deref(),
    };
    db::update_survey_settings(&mut *tx, &copy_id, &settings).await?;
    db::copy_sending_settings(&mut *tx, survey_id, &copy_id).await?;
    for question in &questions {
        let mut copy = question.clone();
        copy.question_id = ids[&question.question_id].clone();
        if let Some(rule) = copy.show_if.as_mut() {
            rule.question_id = ids.get(&rule.question_id).cloned().unwrap_or_default();
        }
        db::insert_question(&mut *tx, &copy_id, &copy).await?;
    }
    // The next release's survey speaks the same languages, its translations carried over
    // to the copied questions.
    if let Some(languages) = language_db::fetch_languages(&mut *tx, survey_id).await? {
        language_db::update_languages(&mut tx, &copy_id, &languages).await?;
        for (language, translation) in language_db::fetch_translations(&mut *tx, survey_id).await? {
            let copied = translation.with_question_ids(&ids);
            language_db::upsert_translation(&mut tx, &copy_id, language, &copied, now).await?;
        }
    }
    let detail = format!("a copy of survey {survey_id}");
    record(
        &mut *tx,
        by,
        Action::SurveyCreated,
        Some(Subject::survey(&copy_id)),
        &detail,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(from = %survey_id, survey_id = %copy_id, by = %by, "survey duplicated");
    Ok(copy_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_told_to_open_first_and_a_closed_survey_that_it_is_closed() {
        let draft = not_open(SurveyStatus::Draft, NeedsOpen::Invitations).to_string();
        assert!(
            draft.starts_with("Only an open survey sends invitations"),
            "{draft}"
        );
        assert!(draft.contains("open it first"), "{draft}");
        let closed = not_open(SurveyStatus::Closed, NeedsOpen::Reminders).to_string();
        assert_eq!(
            closed,
            "Only an open survey sends reminders: this one is closed."
        );
    }

    #[test]
    fn a_release_name_on_two_lines_is_refused_with_its_field() {
        let refused = NewFromTemplate::parse("Storage", "blank", Some("Storage\n2.0"));
        assert!(matches!(refused, Err(AppError::Validation(ref f)) if f[0].field == "release"));
        let unknown = NewFromTemplate::parse("Storage", "no such template", None);
        assert!(matches!(unknown, Err(AppError::Validation(ref f)) if f[0].field == "template"));
    }
}
