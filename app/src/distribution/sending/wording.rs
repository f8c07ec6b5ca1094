//! The invitation's and the reminder's wording: editing it, and previewing it rendered
//! for a sample person with the survey's own feature and first question.
use crate::distribution::model::EmailWording;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::distribution::model::EmailKind,
    crate::distribution::sending::mail::{self, MailWording, OneClick, RenderedMail},
    crate::distribution::sending::settings,
    crate::languages::{model::Language, words::Words},
    crate::surveys::question::Question,
    crate::{
        auth::model::Role,
        ids::SurveyId,
        server::{guard, AppState},
        surveys::db as survey_db,
    },
};

#[server(prefix = "/fn", endpoint = "get_email_wording", output = crate::ui::wire::Postcard)]
pub async fn get_email_wording(survey_id: String, kind: String) -> Result<EmailWording, AppError> {
    guard::respond(async move {
        let (state, _) = guard::require_role(Role::Viewer).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let kind = EmailKind::parse(&kind).ok_or(AppError::BadRequest)?;
        let sample = Sample::fetch(&state, &survey_id).await?;
        load(&state, &survey_id, kind, &sample).await
    })
    .await
}

/// The wording of one of the survey's emails with its preview for `sample`.
#[cfg(feature = "ssr")]
pub async fn load(
    state: &AppState,
    survey_id: &str,
    kind: EmailKind,
    sample: &Sample,
) -> Result<EmailWording, AppError> {
    let wording = stored(state, survey_id, kind).await?;
    let preview = sample.render(&wording)?;
    let sender_name: String =
        sqlx::query_scalar("SELECT sender_name FROM surveys WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_optional(&state.db)
            .await?
            .unwrap_or_default();
    Ok(EmailWording {
        kind,
        subject: wording.subject,
        body: wording.body,
        preview_subject: preview.subject,
        preview_text: preview.text,
        sender_name,
        default_sender: state.config.mail_setup.from.clone(),
    })
}

#[server(prefix = "/fn", endpoint = "update_email_wording", output = crate::ui::wire::Postcard)]
pub async fn update_email_wording(
    survey_id: String,
    kind: String,
    subject: String,
    body: String,
    #[server(default)] sender_name: Option<String>,
) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let kind = EmailKind::parse(&kind).ok_or(AppError::BadRequest)?;
        // Every problem at once: the wording's and the sender name's.
        let wording = settings::parse_wording(&subject, &body);
        // The invitation's form always carries the sender name (a field left empty comes
        // as none at all, and means the team's own name); the reminder's never does.
        let sender_name = match kind {
            EmailKind::Invitation => {
                settings::parse_sender_name("sender_name", &sender_name.unwrap_or_default())
                    .map(Some)
            }
            EmailKind::Reminder => Ok(None),
        };
        let (wording, sender_name) = match (wording, sender_name) {
            (Ok(wording), Ok(name)) => (wording, name),
            (Err(AppError::Validation(mut a)), Err(AppError::Validation(b))) => {
                a.extend(b);
                return Err(AppError::Validation(a));
            }
            (Err(error), _) | (_, Err(error)) => return Err(error),
        };
        let change = match kind {
            EmailKind::Invitation => settings::SendingChange {
                invitation: Some(wording),
                sender_name,
                ..Default::default()
            },
            EmailKind::Reminder => settings::SendingChange {
                reminder: Some(wording),
                sender_name,
                ..Default::default()
            },
        };
        settings::change(
            &state.db,
            &survey_id,
            &change,
            &user.actor(),
            state.clock.now(),
        )
        .await?;
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
fn columns(kind: EmailKind) -> (&'static str, &'static str) {
    match kind {
        EmailKind::Invitation => ("email_subject", "email_body"),
        EmailKind::Reminder => ("reminder_subject", "reminder_body"),
    }
}

/// The survey's wording of this email, the built-in one where it has none.
#[cfg(feature = "ssr")]
pub async fn stored(
    state: &AppState,
    survey_id: &str,
    kind: EmailKind,
) -> Result<MailWording, AppError> {
    let (subject_column, body_column) = columns(kind);
    let row: Option<(String, String)> = sqlx::query_as(&format!(
        "SELECT {subject_column}, {body_column} FROM surveys WHERE survey_id = $1"
    ))
    .bind(survey_id)
    .fetch_optional(&state.db)
    .await?;
    let (subject, body) = row.ok_or(AppError::NotFound)?;
    Ok(match kind {
        EmailKind::Reminder => MailWording::reminder(&subject, &body),
        EmailKind::Invitation => MailWording::invitation(&subject, &body),
    })
}

/// A sample person's values with the survey's own feature, title and first question:
/// what previews render the wording with.
#[cfg(feature = "ssr")]
pub struct Sample {
    values: mail::MailValues,
    one_click: Option<OneClick>,
    /// The survey's default language: the layout's own words (button, footer) in it, as
    /// a contact with no language of the survey's gets them.
    language: Language,
}

#[cfg(feature = "ssr")]
impl Sample {
    /// From survey data already at hand: its title, its release's name, its first question
    /// and its default language.
    pub fn new(
        title: &str,
        release: Option<&str>,
        first: Option<&Question>,
        language: Language,
    ) -> Self {
        let mut values = mail::sample_values();
        values.feature = release.unwrap_or(title).to_string();
        values.survey_title = title.to_string();
        let words = Words::new(language);
        let one_click =
            first.and_then(|q| OneClick::for_question_in(q, &values.survey_link, &words));
        Self {
            values,
            one_click,
            language,
        }
    }

    /// Loads what `new` needs for the survey.
    pub async fn fetch(state: &AppState, survey_id: &SurveyId) -> Result<Self, AppError> {
        let (summary, texts) = crate::surveys::lifecycle::load(&state.db, survey_id).await?;
        let release = match &texts.release_id {
            Some(id) => survey_db::fetch_release(&state.db, id).await?,
            None => None,
        };
        let questions = survey_db::fetch_questions(&state.db, survey_id).await?;
        let release = release.map(|r| r.name);
        let language = default_language(state, survey_id).await?;
        Ok(Self::new(
            &summary.title,
            release.as_deref(),
            questions.first(),
            language,
        ))
    }

    pub fn render(&self, wording: &MailWording) -> Result<RenderedMail, AppError> {
        let (values, one_click) = (&self.values, self.one_click.as_ref());
        mail::render_in(self.language, wording, values, one_click).map_err(|message| {
            AppError::Validation(vec![crate::error::FieldError::new("body", message)])
        })
    }
}

/// The language a survey's own texts are written in.
#[cfg(feature = "ssr")]
pub async fn default_language(state: &AppState, survey_id: &str) -> Result<Language, AppError> {
    let languages = crate::languages::db::fetch_languages(state.db.reads(), survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(languages.default_language())
}

/// `GET /surveys/{id}/email-preview/{kind}`: the HTML version for a sample person, for the
/// wording panel to frame. Sandboxed like the development mailbox's messages.
#[cfg(feature = "ssr")]
pub async fn preview_html(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path((survey_id, kind)): axum::extract::Path<(String, String)>,
    headers: http::HeaderMap,
) -> axum::response::Response {
    let result: Result<String, AppError> = async {
        guard::require_role_in(&state, &headers, Role::Viewer).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let kind = EmailKind::parse(&kind).ok_or(AppError::NotFound)?;
        let wording = stored(&state, &survey_id, kind).await?;
        Ok(Sample::fetch(&state, &survey_id)
            .await?
            .render(&wording)?
            .html)
    }
    .await;
    crate::server::html::sandboxed_email(result)
}
