//! Server functions of the survey pages.
use super::model::{SurveyDetail, SurveySummary};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{db, lifecycle, model::PublicLink},
    crate::ids::SurveyId,
    crate::{
        auth::model::Role,
        distribution::{model::EmailKind, sending::wording},
        server::guard,
    },
};

#[server(prefix = "/fn", endpoint = "list_surveys", output = crate::ui::wire::Postcard)]
pub async fn list_surveys() -> Result<Vec<SurveySummary>, AppError> {
    guard::respond(async {
        let (state, _) = guard::require_role(Role::Viewer).await?;
        Ok(db::fetch_survey_summaries(&state.db).await?)
    })
    .await
}

#[server(prefix = "/fn", endpoint = "get_survey", output = crate::ui::wire::Postcard)]
pub async fn get_survey(survey_id: String) -> Result<SurveyDetail, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Viewer).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let (summary, texts) = lifecycle::load(&state.db, &survey_id).await?;
        let release = match &texts.release_id {
            Some(id) => db::fetch_release(&state.db, id).await?,
            None => None,
        };
        let questions = db::fetch_questions(&state.db, &survey_id).await?;
        // The email previews reuse what this page loads anyway.
        let language = wording::default_language(&state, &survey_id).await?;
        let sample = wording::Sample::new(
            &summary.title,
            release.as_ref().map(|r| r.name.as_str()),
            questions.first(),
            language,
        );
        let emails = vec![
            wording::load(&state, &survey_id, EmailKind::Invitation, &sample).await?,
            wording::load(&state, &survey_id, EmailKind::Reminder, &sample).await?,
        ];
        let schedule = schedule(&state.config, &texts);
        Ok(SurveyDetail {
            summary,
            intro: texts.intro,
            thank_you: texts.thank_you,
            anonymity: texts.anonymity,
            closes_at: texts.closes_at,
            release,
            questions,
            responses: db::count_responses(&state.db, &survey_id).await?,
            public_link: PublicLink {
                url: db::fetch_public_token(&state.db, &survey_id)
                    .await?
                    .map(|token| state.config.public_link(&token)),
                responses: db::count_public_responses(&state.db, &survey_id).await?,
                limit_per_hour: state.config.public_link_per_hour,
            },
            funnel: crate::distribution::sending::db::fetch_funnel(&state.db, &survey_id).await?,
            in_product: crate::distribution::in_product::use_cases::load(
                &state.db,
                &state.config,
                &survey_id,
                user.role.includes(Role::Editor),
            )
            .await?,
            closing: crate::distribution::close_the_loop::use_cases::load(&state.db, &survey_id)
                .await?,
            emails,
            schedule,
            languages: language_statuses(&state, &survey_id).await?,
        })
    })
    .await
}

/// The survey's languages as the Build step's card lists them.
#[cfg(feature = "ssr")]
async fn language_statuses(
    state: &crate::server::AppState,
    survey_id: &SurveyId,
) -> Result<Vec<crate::languages::card::LanguageStatus>, AppError> {
    use crate::languages::card::LanguageStatus;
    use crate::languages::model::Language;
    let overview = crate::languages::use_cases::overview(&state.db, survey_id).await?;
    let status = |language: Language, missing: Option<usize>| LanguageStatus {
        code: language.code().to_string(),
        name: language.label(),
        missing: missing.map(|n| n as u32),
    };
    let mut list = vec![status(overview.languages.default_language(), None)];
    list.extend(
        overview
            .missing
            .into_iter()
            .map(|(l, n)| status(l, Some(n))),
    );
    Ok(list)
}

/// The survey's schedule as the page shows it, in the team's time zone.
#[cfg(feature = "ssr")]
fn schedule(config: &crate::server::Config, texts: &db::SurveyTexts) -> super::model::Schedule {
    use crate::distribution::sending::window;
    let zone = &config.time_zone;
    let time = |at: Option<i64>| super::model::ScheduledTime {
        input: at.map(|at| zone.to_input(at)).unwrap_or_default(),
        text: at.map(|at| zone.describe(at)),
    };
    super::model::Schedule {
        time_zone: zone.name().to_string(),
        opens_at: time(texts.opens_at),
        send_at: time(texts.send_at),
        closes_at: time(texts.closes_at),
        window: window::shown(texts.sending_window.as_deref()).unwrap_or_default(),
        default_window: window::describe(config.default_window),
    }
}

/// Creates a draft survey from a template and opens its builder.
#[server(prefix = "/fn", endpoint = "create_survey", output = crate::ui::wire::Postcard)]
pub async fn create_survey(title: String, template: String) -> Result<String, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let new = lifecycle::NewFromTemplate::parse(&title, &template, None)?;
        let survey_id = lifecycle::create_from_template(
            &state.db,
            &new,
            Some(&user.user_id),
            &user.actor(),
            state.clock.now(),
        )
        .await?;
        leptos_axum::redirect(&format!("/surveys/{survey_id}"));
        Ok(survey_id.into())
    })
    .await
}

#[server(prefix = "/fn", endpoint = "open_survey", output = crate::ui::wire::Postcard)]
pub async fn open_survey(survey_id: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        lifecycle::open(&state.db, &survey_id, &user.actor(), state.clock.now()).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "close_survey", output = crate::ui::wire::Postcard)]
pub async fn close_survey(survey_id: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        lifecycle::close(&state.db, &survey_id, &user.actor(), state.clock.now())
            .await
            .map(|_| ())
    })
    .await
}

/// Reopens a closed survey until `closes_at` (a local date and time in the team's time
/// zone; empty: until closed by hand).
#[server(prefix = "/fn", endpoint = "reopen_survey", output = crate::ui::wire::Postcard)]
pub async fn reopen_survey(survey_id: String, closes_at: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let closes_at = match closes_at.trim() {
            "" => None,
            text => Some(
                state
                    .config
                    .time_zone
                    .parse_local(text)
                    .map_err(|message| AppError::field("closes_at", message))?,
            ),
        };
        let now = state.clock.now();
        lifecycle::reopen(&state.db, &survey_id, closes_at, &user.actor(), now).await
    })
    .await
}
