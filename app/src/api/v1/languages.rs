//! `/surveys/{id}/languages` and `/surveys/{id}/translations/{language}`: the languages a
//! survey offers, and its texts in each. Adapters over `languages::use_cases`.
use super::auth::Caller;
use super::error::{ApiResult, ErrorBody};
use super::extract::ApiJson;
use crate::auth::model::Role;
use crate::error::AppError;
use crate::ids::SurveyId;
use crate::languages::model::{Language, SurveyLanguages, Translation};
use crate::languages::use_cases::{self, Overview};
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct LanguageOut {
    /// ISO 639-1 code, e.g. de.
    pub code: String,
    /// Its name in English, e.g. German.
    pub name: String,
    /// Its name in itself, as the respondent page's switcher shows it, e.g. Deutsch.
    pub native_name: String,
    /// Texts of the default language this translation lacks (shown in the default
    /// language until translated); 0 for the default itself.
    pub missing: i64,
    /// Whether the respondent pages' own words (buttons, errors) ship in this language;
    /// otherwise they are in English.
    pub page_words: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LanguagesOut {
    /// The language the survey's own texts are written in.
    pub default: String,
    /// Every language offered, the default first.
    pub languages: Vec<LanguageOut>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguagesIn {
    /// The language the survey's own texts are written in, e.g. en.
    #[schema(min_length = 2, max_length = 35)]
    pub default: String,
    /// The other languages offered, in order; translations into languages left out are
    /// deleted.
    #[schema(max_items = 7)]
    pub translations: Vec<String>,
}

fn language_out(language: Language, missing: usize) -> LanguageOut {
    LanguageOut {
        code: language.code().to_string(),
        name: language.english_name().to_string(),
        native_name: language.native_name().to_string(),
        missing: missing as i64,
        page_words: language.has_ui_words(),
    }
}

fn languages_out(overview: Overview) -> LanguagesOut {
    let default = overview.languages.default_language();
    let mut languages = vec![language_out(default, 0)];
    languages.extend(
        overview
            .missing
            .into_iter()
            .map(|(language, missing)| language_out(language, missing)),
    );
    LanguagesOut {
        default: default.code().to_string(),
        languages,
    }
}

/// The survey's languages and what each translation lacks.
#[utoipa::path(get, path = "/surveys/{survey_id}/languages", tag = "surveys", params(("survey_id" = String, Path, format = Uuid)),
    responses((status = 200, body = LanguagesOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
) -> ApiResult<Json<LanguagesOut>> {
    caller.require(Role::Viewer)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    Ok(Json(languages_out(
        use_cases::overview(&state.db, &survey_id).await?,
    )))
}

/// Set the survey's languages: its default and, in order, the translations it offers (at
/// most 8 languages in all).
#[utoipa::path(put, path = "/surveys/{survey_id}/languages", tag = "surveys", params(("survey_id" = String, Path, format = Uuid)),
    request_body = LanguagesIn,
    responses((status = 200, body = LanguagesOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
    ApiJson(body): ApiJson<LanguagesIn>,
) -> ApiResult<Json<LanguagesOut>> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    let languages = SurveyLanguages::parse(&body.default, &body.translations)
        .map_err(|message| AppError::field("translations", message))?;
    let now = state.clock.now();
    use_cases::set_languages(&state.db, &survey_id, &languages, &caller.actor(), now).await?;
    Ok(Json(languages_out(
        use_cases::overview(&state.db, &survey_id).await?,
    )))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TranslationOut {
    pub language: String,
    /// Texts of the default language this translation still lacks.
    pub missing: i64,
    pub content: Translation,
}

/// The survey's texts in one of its other languages; what is empty shows in the default.
/// A language it does not offer, or its default, is refused with 409.
#[utoipa::path(get, path = "/surveys/{survey_id}/translations/{language}", tag = "surveys",
    params(("survey_id" = String, Path, format = Uuid), ("language" = String, Path, description = "A language the survey offers besides its default, e.g. de")),
    responses((status = 200, body = TranslationOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn read_translation(
    State(state): State<AppState>,
    caller: Caller,
    Path((survey_id, language)): Path<(String, String)>,
) -> ApiResult<Json<TranslationOut>> {
    caller.require(Role::Viewer)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    let language = parse_language(&language)?;
    Ok(Json(translation_out(&state, &survey_id, language).await?))
}

/// Replace the survey's texts in one of its other languages. Texts are matched to the
/// default's by question id and option position; every problem is reported at once.
#[utoipa::path(put, path = "/surveys/{survey_id}/translations/{language}", tag = "surveys",
    params(("survey_id" = String, Path, format = Uuid), ("language" = String, Path, description = "A language the survey offers besides its default, e.g. de")),
    request_body = Translation,
    responses((status = 200, body = TranslationOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_translation(
    State(state): State<AppState>,
    caller: Caller,
    Path((survey_id, language)): Path<(String, String)>,
    ApiJson(body): ApiJson<Translation>,
) -> ApiResult<Json<TranslationOut>> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    let language = parse_language(&language)?;
    let now = state.clock.now();
    let by = caller.actor();
    use_cases::save_translation(&state.db, &survey_id, language, &body, &by, now).await?;
    Ok(Json(translation_out(&state, &survey_id, language).await?))
}

/// The translation as it is stored now, with what it still lacks.
async fn translation_out(
    state: &AppState,
    survey_id: &SurveyId,
    language: Language,
) -> Result<TranslationOut, AppError> {
    let editing = use_cases::editing(&state.db, survey_id, language).await?;
    Ok(TranslationOut {
        language: language.code().to_string(),
        missing: editing.missing() as i64,
        content: editing.translation,
    })
}

/// A language code in the path: one Soundings does not know names no translation (404).
fn parse_language(code: &str) -> Result<Language, AppError> {
    Language::parse(code).map_err(|_| AppError::NotFound)
}
