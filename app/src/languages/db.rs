//! SQL for a survey's languages and its translations.
use super::model::{Language, SurveyLanguages, Translation};
use crate::db::Db;
use sqlx::{Any, Executor, Transaction};

/// The survey's languages, if the survey exists.
pub async fn fetch_languages(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
) -> sqlx::Result<Option<SurveyLanguages>> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT languages FROM surveys WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_optional(db)
            .await?;
    Ok(stored.map(|s| SurveyLanguages::from_stored(&s)))
}

pub async fn update_languages(
    tx: &mut Transaction<'_, Any>,
    survey_id: &str,
    languages: &SurveyLanguages,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE surveys SET languages = $2 WHERE survey_id = $1")
        .bind(survey_id)
        .bind(languages.to_stored())
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// The survey's translation into `language`, if one was saved. A document that no longer
/// parses (never written so) reads as an empty translation: the default's texts show.
pub async fn fetch_translation(
    db: &Db,
    survey_id: &str,
    language: Language,
) -> sqlx::Result<Option<Translation>> {
    let content: Option<String> = sqlx::query_scalar(
        "SELECT content FROM survey_translations WHERE survey_id = $1 AND language = $2",
    )
    .bind(survey_id)
    .bind(language.code())
    .fetch_optional(db)
    .await?;
    Ok(content.map(|c| serde_json::from_str(&c).unwrap_or_default()))
}

/// Every saved translation of the survey, by language.
pub async fn fetch_translations(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
) -> sqlx::Result<Vec<(Language, Translation)>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT language, content FROM survey_translations WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(code, content)| {
            let language = Language::parse(&code).ok()?;
            Some((language, serde_json::from_str(&content).unwrap_or_default()))
        })
        .collect())
}

pub async fn upsert_translation(
    tx: &mut Transaction<'_, Any>,
    survey_id: &str,
    language: Language,
    translation: &Translation,
    now: i64,
) -> sqlx::Result<()> {
    let content = serde_json::to_string(translation).unwrap_or_else(|_| "{}".to_string());
    sqlx::query(
        "INSERT INTO survey_translations (survey_id, language, content, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (survey_id, language) \
         DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at",
    )
    .bind(survey_id)
    .bind(language.code())
    .bind(content)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Drops the translations into languages the survey no longer offers.
pub async fn delete_translations_except(
    tx: &mut Transaction<'_, Any>,
    survey_id: &str,
    languages: &SurveyLanguages,
) -> sqlx::Result<()> {
    let keep: Vec<String> = (0..languages.all().len())
        .map(|n| format!("${}", n + 2))
        .collect();
    let sql = format!(
        "DELETE FROM survey_translations WHERE survey_id = $1 AND language NOT IN ({})",
        keep.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(survey_id);
    for language in languages.all() {
        query = query.bind(language.code());
    }
    query.execute(&mut **tx).await.map(|_| ())
}

/// The survey's languages and, for a message to an invited person, that contact's
/// preferred language: what an email's language is chosen from.
pub async fn fetch_mail_languages(
    db: &Db,
    survey_id: &str,
    invitation_id: Option<&str>,
) -> sqlx::Result<(SurveyLanguages, Option<Language>)> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT s.languages, c.language FROM surveys s \
         LEFT JOIN invitations i ON i.survey_id = s.survey_id AND i.invitation_id = $2 \
         LEFT JOIN contacts c ON c.contact_id = i.contact_id \
         WHERE s.survey_id = $1",
    )
    .bind(survey_id)
    .bind(invitation_id)
    .fetch_optional(db)
    .await?;
    let (languages, preferred) = row.unwrap_or_default();
    Ok((
        SurveyLanguages::from_stored(&languages),
        preferred.and_then(|code| Language::parse(&code).ok()),
    ))
}
