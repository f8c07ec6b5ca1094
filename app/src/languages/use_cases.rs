//! The languages use cases: what a person's page says in their language, a survey's list of
//! languages with what each translation lacks, and one language's translation read and
//! saved. Every front door (the respondent pages, the translation page, `/api/v1`) calls
//! these.
use super::content::SurveyTexts;
use super::db;
use super::model::{Language, SourceTexts, SurveyLanguages, TextPair, Translation};
use crate::audit::{model::Subject, record::record, Action, Actor};
use crate::db::Db;
use crate::distribution::sending::mail::{check_wording, MailWording};
use crate::distribution::sending::settings;
use crate::error::{AppError, AppResult, FieldError};
use crate::ids::SurveyId;
use crate::surveys::{db as survey_db, lifecycle};

/// The survey's texts in `language`: as written when it is the default, else translated
/// where the translation has a text and as written where it does not.
pub async fn texts_in(
    db: &Db,
    survey_id: &str,
    languages: &SurveyLanguages,
    language: Language,
    texts: SurveyTexts,
) -> AppResult<SurveyTexts> {
    if language == languages.default_language() || !languages.offers(language) {
        return Ok(texts);
    }
    // No translation saved yet: every text is the default's, and marked so.
    let translation = db::fetch_translation(db.reads(), survey_id, language)
        .await?
        .unwrap_or_default();
    Ok(texts.translated(&translation, languages.default_language()))
}

/// A survey's languages and, for each besides the default, how many of the default's
/// texts its translation still lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    pub languages: SurveyLanguages,
    pub missing: Vec<(Language, usize)>,
}

pub async fn overview(db: &Db, survey_id: &SurveyId) -> AppResult<Overview> {
    let languages = languages_of(db, survey_id).await?;
    let source = source(db, survey_id).await?;
    let translations = db::fetch_translations(db.reads(), survey_id).await?;
    let empty = Translation::default();
    let missing = languages
        .translations()
        .iter()
        .map(|language| {
            let translation = translations
                .iter()
                .find(|(l, _)| l == language)
                .map_or(&empty, |(_, t)| t);
            (*language, source.missing(translation))
        })
        .collect();
    Ok(Overview { languages, missing })
}

/// Sets the survey's languages. Translations into languages it no longer offers go.
pub async fn set_languages(
    db: &Db,
    survey_id: &SurveyId,
    languages: &SurveyLanguages,
    by: &Actor,
    now: i64,
) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    if db::fetch_languages(&mut *tx, survey_id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    db::update_languages(&mut tx, survey_id, languages).await?;
    db::delete_translations_except(&mut tx, survey_id, languages).await?;
    let codes: Vec<&str> = languages.all().iter().map(|l| l.code()).collect();
    let detail = format!("languages: {}", codes.join(", "));
    let subject = Some(Subject::survey(survey_id));
    record(&mut *tx, by, Action::SettingsChanged, subject, &detail, now).await?;
    tx.commit().await?;
    Ok(())
}

/// One language's translation as an editor fills it in: each of the default's texts next
/// to its translation, and how many are still missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editing {
    pub language: Language,
    pub default_language: Language,
    pub pairs: Vec<TextPair>,
    pub translation: Translation,
}

impl Editing {
    /// Texts still shown in the default language: not translated, or outdated.
    pub fn missing(&self) -> usize {
        self.pairs.iter().filter(|p| p.missing()).count()
    }
}

pub async fn editing(db: &Db, survey_id: &SurveyId, language: Language) -> AppResult<Editing> {
    let languages = languages_of(db, survey_id).await?;
    not_a_translation(&languages, language)?;
    let source = source(db, survey_id).await?;
    let translation = db::fetch_translation(db.reads(), survey_id, language)
        .await?
        .unwrap_or_default();
    Ok(Editing {
        language,
        default_language: languages.default_language(),
        pairs: source.pairs(&translation),
        translation,
    })
}

/// Saves the survey's translation into `language`, which it must offer besides its
/// default. Every problem is reported at once, by field, and nothing is saved then.
pub async fn save_translation(
    db: &Db,
    survey_id: &SurveyId,
    language: Language,
    translation: &Translation,
    by: &Actor,
    now: i64,
) -> AppResult<()> {
    let languages = languages_of(db, survey_id).await?;
    not_a_translation(&languages, language)?;
    let source = source(db, survey_id).await?;
    // Only the default's texts are kept (no unknown question, option or email), each with
    // the original it was translated from.
    let stored = source.stored(translation);
    let mut errors: Vec<FieldError> = source
        .problems(&stored)
        .into_iter()
        .map(|(field, message)| FieldError::new(&field, message))
        .collect();
    errors.extend(email_problems(&stored));
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = db.begin_write().await?;
    db::upsert_translation(&mut tx, survey_id, language, &stored, now).await?;
    let detail = format!("translation: {}", language.code());
    let subject = Some(Subject::survey(survey_id));
    record(&mut *tx, by, Action::SettingsChanged, subject, &detail, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A translated email must render and keep its link, as the default's must; an email
/// left untranslated (both texts empty) is sent in the default's wording.
fn email_problems(translation: &Translation) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (kind, email) in &translation.emails {
        if email.subject.trim().is_empty() && email.body.trim().is_empty() {
            continue;
        }
        let wording = MailWording {
            subject: email.subject.clone(),
            body: email.body.clone(),
        };
        for problem in check_wording(&wording).err().unwrap_or_default() {
            // A text left empty falls back to the default's, which was checked already.
            let part = if problem.field == "email_subject" {
                "subject"
            } else {
                "body"
            };
            let text = if part == "subject" {
                &email.subject
            } else {
                &email.body
            };
            if !text.trim().is_empty() {
                errors.push(FieldError::new(
                    &format!("email.{kind}.{part}"),
                    problem.message,
                ));
            }
        }
    }
    errors
}

async fn languages_of(db: &Db, survey_id: &SurveyId) -> AppResult<SurveyLanguages> {
    db::fetch_languages(db.reads(), survey_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Everything the survey says in its default language.
async fn source(db: &Db, survey_id: &SurveyId) -> AppResult<SourceTexts> {
    let (summary, texts) = lifecycle::load(db, survey_id).await?;
    let questions = survey_db::fetch_questions(db.reads(), survey_id).await?;
    let sending = settings::load(db, survey_id).await?;
    Ok(SourceTexts {
        title: summary.title,
        intro: texts.intro,
        thank_you: texts.thank_you,
        questions,
        emails: vec![
            (
                "invitation",
                sending.invitation.subject,
                sending.invitation.body,
            ),
            ("reminder", sending.reminder.subject, sending.reminder.body),
        ],
    })
}

/// A language the survey does not offer, or its default, has no translation to edit: the
/// survey's state, not the request, is in the way (409).
fn not_a_translation(languages: &SurveyLanguages, language: Language) -> AppResult<()> {
    let name = language.english_name();
    if languages.default_language() == language {
        return Err(AppError::Conflict(format!(
            "{name} is the survey's own language: edit its texts in the builder."
        )));
    }
    if !languages.offers(language) {
        return Err(AppError::Conflict(format!(
            "The survey doesn't offer {name}; add it to the survey's languages first."
        )));
    }
    Ok(())
}
