//! `/contacts`: read them a page at a time, add or update contacts in bulk with the same
//! checks as the CSV import (all or nothing), and erase one (GDPR).
use super::auth::Caller;
use super::error::{ApiError, ApiResult, ErrorBody, FieldDetail};
use super::extract::{ApiJson, ApiQuery};
use super::page::{self, PageParams};
use crate::auth::model::Role;
use crate::distribution::contacts::use_cases as contact_list;
use crate::distribution::{contacts::db as audience_db, contacts::import};
use crate::error::AppError;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::Json;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most contacts one upsert takes (the request body is limited to 64 KB as well).
pub const MAX_UPSERT: usize = 500;

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactOut {
    pub email: String,
    pub name: String,
    pub community: Option<String>,
    pub role: String,
    pub tags: Vec<String>,
    pub unsubscribed: bool,
    /// The address bounced for good: left out of every selection until cleared.
    pub undeliverable: bool,
    /// The mail server's reply that marked it, when undeliverable.
    pub undeliverable_reason: Option<String>,
    /// The preferred language (ISO 639-1 code, e.g. de): their invitations, reminders and
    /// survey pages are in it when a survey offers it.
    pub language: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactPage {
    pub items: Vec<ContactOut>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactIn {
    #[schema(max_length = 254)]
    pub email: String,
    #[schema(max_length = 200)]
    pub name: String,
    /// The community's name (compared ignoring case). Unknown ones are created when
    /// `tier` is given.
    #[schema(max_length = 120)]
    pub community: String,
    /// The community's tier: creates the community on it, or moves it there (a tier
    /// not yet known is created).
    #[schema(max_length = 60)]
    pub tier: Option<String>,
    /// The community's IANA time zone, e.g. Australia/Sydney.
    #[schema(max_length = 60)]
    pub time_zone: Option<String>,
    #[schema(max_length = 200)]
    pub role: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The preferred language: a code such as de or pt-BR, or its English name; empty or
    /// absent clears it.
    #[schema(max_length = 35)]
    pub language: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactsIn {
    #[schema(min_items = 1, max_items = 500)]
    pub contacts: Vec<ContactIn>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UpsertOut {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
}

impl From<crate::distribution::model::Contact> for ContactOut {
    fn from(c: crate::distribution::model::Contact) -> Self {
        Self {
            email: c.email,
            name: c.name,
            community: c.community,
            role: c.role,
            tags: c.tags,
            unsubscribed: c.unsubscribed,
            undeliverable: c.undeliverable.is_some(),
            undeliverable_reason: c.undeliverable,
            language: c.language,
        }
    }
}

/// List contacts by address, a page at a time (erased people are gone).
#[utoipa::path(get, path = "/contacts", tag = "contacts", params(PageParams),
    responses((status = 200, body = ContactPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn contacts(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Json<ContactPage>> {
    caller.require(Role::Viewer)?;
    let limit = params.limit()?;
    let after = params.after()?.unwrap_or_default();
    let rows = audience_db::fetch_contacts_after(&state.db, &after, limit + 1).await?;
    let (rows, next_cursor) = page::split(rows, limit, |c| c.email.clone());
    let items = rows.into_iter().map(ContactOut::from).collect();
    Ok(Json(ContactPage { items, next_cursor }))
}

/// The contacts as the CSV the import reads, so both take exactly the same checks.
fn as_csv(contacts: &[ContactIn]) -> ApiResult<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let internal = |_| ApiError::from(AppError::Internal);
    writer
        .write_record([
            "email",
            "name",
            "community",
            "role",
            "tags",
            "tier",
            "time_zone",
            "language",
        ])
        .map_err(internal)?;
    for c in contacts {
        let tags = c.tags.join(";");
        writer
            .write_record([
                c.email.as_str(),
                &c.name,
                &c.community,
                c.role.as_deref().unwrap_or_default(),
                &tags,
                c.tier.as_deref().unwrap_or_default(),
                c.time_zone.as_deref().unwrap_or_default(),
                c.language.as_deref().unwrap_or_default(),
            ])
            .map_err(internal)?;
    }
    writer.into_inner().map_err(|_| AppError::Internal.into())
}

/// Every rejected row as a field error `contacts[i]`, or the file's own problem.
fn refusal(plan: &import::ImportPlan) -> ApiError {
    let mut error = ApiError::from(AppError::Validation(Vec::new()));
    let details = plan.file_errors.iter().map(|m| FieldDetail {
        field: "contacts".into(),
        message: m.clone(),
    });
    let rows = plan
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, row)| match &row.outcome {
            import::Outcome::Rejected(message) => Some(FieldDetail {
                field: format!("contacts[{i}]"),
                message: message.clone(),
            }),
            _ => None,
        });
    error.push_details(details.chain(rows));
    error
}

/// Add or update contacts, all or nothing, with the CSV import's checks.
#[utoipa::path(put, path = "/contacts", tag = "contacts", request_body = ContactsIn,
    responses((status = 200, body = UpsertOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upsert(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ContactsIn>,
) -> ApiResult<Json<UpsertOut>> {
    caller.require(Role::Editor)?;
    if body.contacts.is_empty() || body.contacts.len() > MAX_UPSERT {
        return Err(ApiError::field(
            "contacts",
            format!("Send from 1 to {MAX_UPSERT} contacts per call."),
        ));
    }
    let csv = as_csv(&body.contacts)?;
    let plan = contact_list::plan_import(&state.db, &csv).await?;
    if !plan.can_apply() {
        return Err(refusal(&plan));
    }
    let imported =
        contact_list::apply_import(&state.db, &plan, None, &caller.actor(), state.clock.now())
            .await?;
    Ok(Json(UpsertOut {
        created: imported.created as i64,
        updated: imported.updated as i64,
        unchanged: imported.unchanged as i64,
    }))
}

/// Erase a person for good (GDPR): address, name, role, tags, links and waiting mail.
#[utoipa::path(delete, path = "/contacts/{email}", tag = "contacts", params(("email" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn erase(
    State(state): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require(Role::Editor)?;
    let email = crate::email::EmailAddress::parse(&email).map_err(|_| AppError::NotFound)?;
    let now = state.clock.now();
    contact_list::erase_contact(&state.db, &email, &caller.actor(), now).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark a contact's address deliverable again after a hard bounce: later selections
/// include it.
#[utoipa::path(post, path = "/contacts/{email}/deliverable", tag = "contacts", params(("email" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn mark_deliverable(
    State(state): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require(Role::Editor)?;
    let email = crate::email::EmailAddress::parse(&email).map_err(|_| AppError::NotFound)?;
    contact_list::mark_deliverable(&state.db, &email, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Everything stored about one person (GDPR access request): the contact, their tags,
/// invitations, answers in identified surveys, and the mail sent to them.
#[utoipa::path(get, path = "/contacts/{email}/access", tag = "contacts", params(("email" = String, Path)),
    responses((status = 200, content_type = "application/json", body = Object), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn access(
    State(state): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    caller.require(Role::Editor)?;
    let email = crate::email::EmailAddress::parse(&email).map_err(|_| AppError::NotFound)?;
    let report = crate::distribution::contacts::access::access_report(&state.db, &email).await?;
    let report = serde_json::to_value(report).map_err(|_| AppError::Internal)?;
    Ok(Json(report))
}
