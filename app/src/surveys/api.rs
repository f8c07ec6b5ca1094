//! Server functions of the survey pages.
use super::model::{SurveyDetail, SurveySummary};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{
        db,
        model::{PublicLink, SurveyStatus, SurveyTitle},
        templates::Template,
    },
    crate::ids::SurveyId,
    crate::{
        auth::model::Role,
        db::{new_id, now},
        distribution::{model::EmailKind, wording},
        server::guard,
    },
};

#[server(prefix = "/fn", endpoint = "list_surveys")]
pub async fn list_surveys() -> Result<Vec<SurveySummary>, AppError> {
    guard::respond(async {
        let (state, _) = guard::require_role(Role::Viewer).await?;
        Ok(db::fetch_survey_summaries(&state.db).await?)
    })
    .await
}

#[server(prefix = "/fn", endpoint = "get_survey")]
pub async fn get_survey(survey_id: String) -> Result<SurveyDetail, AppError> {
    guard::respond(async move {
        let (state, _) = guard::require_role(Role::Viewer).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let (summary, texts) = load_survey(&state.db, &survey_id).await?;
        let release = match &texts.release_id {
            Some(id) => db::fetch_release(&state.db, id).await?,
            None => None,
        };
        let questions = db::fetch_questions(&state.db, &survey_id).await?;
        // The email previews reuse what this page loads anyway.
        let sample = wording::Sample::new(
            &summary.title,
            release.as_ref().map(|r| r.name.as_str()),
            questions.first(),
        );
        let emails = vec![
            wording::load(&state, &survey_id, EmailKind::Invitation, &sample).await?,
            wording::load(&state, &survey_id, EmailKind::Reminder, &sample).await?,
        ];
        Ok(SurveyDetail {
            summary,
            intro: texts.intro,
            thank_you: texts.thank_you,
            anonymity: texts.anonymity,
            closes_at: texts.closes_at,
            release,
            questions,
            recipients: db::fetch_recipients(&state.db, &survey_id).await?,
            responses: db::count_responses(&state.db, &survey_id).await?,
            public_link: PublicLink {
                url: db::fetch_public_token(&state.db, &survey_id)
                    .await?
                    .map(|token| state.config.public_link(&token)),
                responses: db::count_public_responses(&state.db, &survey_id).await?,
                limit_per_hour: state.config.public_link_per_hour,
            },
            funnel: crate::distribution::db::fetch_funnel(&state.db, &survey_id).await?,
            emails,
        })
    })
    .await
}

/// Creates a draft survey from a template and opens its builder.
#[server(prefix = "/fn", endpoint = "create_survey")]
pub async fn create_survey(title: String, template: String) -> Result<String, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id =
            create_from_template(&state.db, &title, &template, None, Some(&user.user_id)).await?;
        leptos_axum::redirect(&format!("/surveys/{survey_id}"));
        Ok(survey_id)
    })
    .await
}

/// A draft survey from `template`, about `release` (created if new) when given: what
/// the builder's "New survey" and the API's "create" share. Returns its id.
#[cfg(feature = "ssr")]
pub async fn create_from_template(
    db: &crate::db::Db,
    title: &str,
    template: &str,
    release: Option<&str>,
    created_by: Option<&str>,
) -> Result<String, AppError> {
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
    let survey_id = new_id();
    let mut tx = db.begin_write().await?;
    db::insert_survey(&mut *tx, &survey_id, title.as_str(), created_by, now()).await?;
    for question in template.questions(new_id) {
        db::insert_question(&mut *tx, &survey_id, &question).await?;
    }
    if let Some(name) = release {
        let release_id = db::upsert_release(&mut tx, &new_id(), name, None, now()).await?;
        sqlx::query("UPDATE surveys SET release_id = $1 WHERE survey_id = $2")
            .bind(&release_id)
            .bind(&survey_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    tracing::info!(
        survey_id = %survey_id,
        by = created_by.unwrap_or("api"),
        template = template.as_str(),
        "survey created"
    );
    Ok(survey_id)
}

#[server(prefix = "/fn", endpoint = "open_survey")]
pub async fn open_survey(survey_id: String) -> Result<(), AppError> {
    change_status(survey_id, SurveyStatus::Draft, SurveyStatus::Open).await
}

#[server(prefix = "/fn", endpoint = "close_survey")]
pub async fn close_survey(survey_id: String) -> Result<(), AppError> {
    change_status(survey_id, SurveyStatus::Open, SurveyStatus::Closed).await
}

#[cfg(feature = "ssr")]
async fn change_status(
    survey_id: String,
    from: SurveyStatus,
    to: SurveyStatus,
) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        move_status(&state.db, &survey_id, from, to, &user.user_id).await
    })
    .await
}

/// Moves a survey from `from` to `to`: not found, or a conflict naming where it is now.
#[cfg(feature = "ssr")]
pub async fn move_status(
    db: &crate::db::Db,
    survey_id: &str,
    from: SurveyStatus,
    to: SurveyStatus,
    by: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let now = now();
    let moved = db::update_survey_status(&mut *tx, survey_id, from, to, now).await? == 1;
    if moved && to == SurveyStatus::Closed {
        crate::webhooks::emit::survey_closed(&mut tx, survey_id, now).await?;
    }
    tx.commit().await?;
    if !moved {
        return match db::fetch_survey_status(db, survey_id).await? {
            None => Err(AppError::NotFound),
            Some(current) => Err(AppError::Conflict(format!(
                "This survey is {}, so it can't be made {} now.",
                current.as_str(),
                to.as_str()
            ))),
        };
    }
    tracing::info!(survey_id = %survey_id, by, status = to.as_str(), "survey status changed");
    Ok(())
}

/// A survey's summary and texts; a survey that does not exist is `NotFound`.
#[cfg(feature = "ssr")]
pub async fn load_survey(
    db: &crate::db::Db,
    survey_id: &str,
) -> Result<(super::model::SurveySummary, db::SurveyTexts), AppError> {
    let summary = db::fetch_survey_summary(db, survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let texts = db::fetch_survey_texts(db, survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((summary, texts))
}
