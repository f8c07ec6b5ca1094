//! A survey given whole (settings and questions, checked by the caller's parser): create
//! a draft from it, or replace a draft with it. The JSON API's definitions are the front
//! door today; a file import or a template store would call the same two use cases.
use super::db;
use super::model::{Anonymity, SurveyStatus, SurveyTitle};
use super::question::Question;
use crate::audit::Actor;
use crate::db::{new_id, Db};
use crate::error::{AppError, AppResult};
use crate::ids::SurveyId;
use sqlx::{Any, Transaction};

/// A definition checked and ready to store.
pub struct DefinedSurvey {
    pub title: SurveyTitle,
    pub release: Option<String>,
    pub intro: String,
    pub thank_you: String,
    pub anonymity: Anonymity,
    pub closes_at: Option<i64>,
    pub opens_at: Option<i64>,
    pub send_at: Option<i64>,
    pub questions: Vec<Question>,
}

/// A new draft with the definition's settings and questions; returns its id.
#[tracing::instrument(name = "create_from_definition", skip_all)]
pub async fn create_from_definition(
    db: &Db,
    defined: &DefinedSurvey,
    created_by: Option<&str>,
    now: i64,
) -> AppResult<SurveyId> {
    let survey_id = SurveyId::generate();
    let mut tx = db.begin_write().await?;
    db::insert_survey(
        &mut *tx,
        &survey_id,
        defined.title.as_str(),
        created_by,
        now,
    )
    .await?;
    store(&mut tx, &survey_id, defined, now).await?;
    tx.commit().await?;
    tracing::info!(
        survey_id = %survey_id,
        by = created_by.unwrap_or("api"),
        "survey created from a definition"
    );
    Ok(survey_id)
}

/// Replaces a draft's settings and questions with the definition. A survey that has been
/// opened is refused: people may already have its questions.
#[tracing::instrument(name = "replace_draft", skip_all, fields(survey_id = %survey_id))]
pub async fn replace_draft(
    db: &Db,
    survey_id: &SurveyId,
    defined: &DefinedSurvey,
    by: &Actor,
    now: i64,
) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    match db::fetch_survey_status_for_update(&mut tx, db.row_lock(" FOR UPDATE"), survey_id)
        .await?
    {
        None => return Err(AppError::NotFound),
        Some(SurveyStatus::Draft) => {}
        Some(_) => {
            return Err(AppError::Conflict(
                "Only a draft can be replaced: this survey has been opened, so people may already have its questions.".into(),
            ))
        }
    }
    db::delete_questions(&mut *tx, survey_id).await?;
    store(&mut tx, survey_id, defined, now).await?;
    tx.commit().await?;
    tracing::info!(survey_id = %survey_id, by = %by, "draft replaced from a definition");
    Ok(())
}

async fn store(
    tx: &mut Transaction<'_, Any>,
    survey_id: &SurveyId,
    defined: &DefinedSurvey,
    now: i64,
) -> sqlx::Result<()> {
    let release_id = match &defined.release {
        Some(name) => Some(db::upsert_release(tx, &new_id(), name, None, now).await?),
        None => None,
    };
    let settings = db::SurveySettings {
        title: defined.title.as_str(),
        intro: &defined.intro,
        thank_you: &defined.thank_you,
        anonymity: defined.anonymity,
        closes_at: defined.closes_at,
        opens_at: defined.opens_at,
        send_at: defined.send_at,
        sending_window: None,
        release_id: release_id.as_deref(),
    };
    db::update_survey_settings(&mut **tx, survey_id, &settings).await?;
    for question in &defined.questions {
        db::insert_question(&mut **tx, survey_id, question).await?;
    }
    Ok(())
}
