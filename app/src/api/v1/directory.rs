//! `/tiers` and `/communities`: read them, and add, rename and move them as lists, all or
//! nothing, as a CRM sync would (the directory's use cases).
use super::auth::Caller;
use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, ApiQuery};
use super::page::{self, PageParams};
use crate::auth::model::Role;
use crate::distribution::contacts::db as audience_db;
use crate::distribution::contacts::directory::{self, CommunityEdit, Saved, TierEdit};
use crate::server::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityOut {
    pub id: String,
    pub name: String,
    pub tier: String,
    pub contacts: i64,
    /// IANA name; empty for the team's.
    pub time_zone: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityPage {
    pub items: Vec<CommunityOut>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierOut {
    pub id: String,
    pub name: String,
    /// How many communities are on it.
    pub communities: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierList {
    /// In the team's order (breakdowns list tiers this way).
    pub items: Vec<TierOut>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierIn {
    /// The tier to rename; without it, a tier of this name is added (or left as it is
    /// when one exists, so a list can be sent again).
    pub id: Option<String>,
    #[schema(max_length = 60)]
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TiersIn {
    #[schema(min_items = 1, max_items = 500)]
    pub tiers: Vec<TierIn>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommunityIn {
    /// The community to rename or move; without it the community is found by name
    /// (ignoring case) and created when unknown.
    pub id: Option<String>,
    #[schema(max_length = 120)]
    pub name: String,
    /// The tier's name (ignoring case); one not known yet is added. Needed to create.
    #[schema(max_length = 60)]
    pub tier: Option<String>,
    /// IANA name such as Australia/Sydney; "" for the team's; absent keeps it.
    #[schema(max_length = 60)]
    pub time_zone: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommunitiesIn {
    #[schema(min_items = 1, max_items = 500)]
    pub communities: Vec<CommunityIn>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedOut {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    /// Tiers added because a community named them.
    pub tiers_created: i64,
}

impl From<Saved> for SavedOut {
    fn from(saved: Saved) -> Self {
        Self {
            created: saved.created as i64,
            updated: saved.updated as i64,
            unchanged: saved.unchanged as i64,
            tiers_created: saved.tiers_created as i64,
        }
    }
}

/// Names a problem's field as the request body does: `list[i].field`, or `list` for the
/// list as a whole.
fn entry_field(list: &'static str) -> impl Fn(usize, &str) -> String + Sync {
    move |i, name| match name {
        "list" => list.to_string(),
        _ => format!("{list}[{i}].{name}"),
    }
}

/// List communities with their tier, by name, a page at a time.
#[utoipa::path(get, path = "/communities", tag = "contacts", params(PageParams),
    responses((status = 200, body = CommunityPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn communities(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Json<CommunityPage>> {
    caller.require(Role::Viewer)?;
    let limit = params.limit()?;
    let after = params.after()?.unwrap_or_default();
    let rows = audience_db::fetch_communities_after(&state.db, &after, limit + 1).await?;
    let (rows, next_cursor) = page::split(rows, limit, |r| r.2.clone());
    let items = rows
        .into_iter()
        .map(|(id, name, _, tier, contacts, time_zone)| CommunityOut {
            id,
            name,
            tier,
            contacts,
            time_zone,
        })
        .collect();
    Ok(Json(CommunityPage { items, next_cursor }))
}

/// Add communities, rename them (by id) and move them to a tier or time zone, all or
/// nothing: any refused entry writes nothing and is named as `communities[i].field`.
#[utoipa::path(put, path = "/communities", tag = "contacts", request_body = CommunitiesIn,
    responses((status = 200, body = SavedOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn save_communities(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CommunitiesIn>,
) -> ApiResult<Json<SavedOut>> {
    caller.require(Role::Editor)?;
    let edits: Vec<CommunityEdit> = body
        .communities
        .into_iter()
        .map(|c| match c.id {
            Some(id) => CommunityEdit::Change {
                id,
                name: c.name,
                tier: c.tier,
                time_zone: c.time_zone,
            },
            None => CommunityEdit::Put {
                name: c.name,
                tier: c.tier,
                time_zone: c.time_zone,
            },
        })
        .collect();
    let field = entry_field("communities");
    let saved = directory::save_communities(&state.db, &edits, &field, state.clock.now()).await?;
    tracing::info!(token = caller.token_id, "communities saved");
    Ok(Json(saved.into()))
}

/// List the tiers in the team's order, with how many communities each holds.
#[utoipa::path(get, path = "/tiers", tag = "contacts",
    responses((status = 200, body = TierList), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn tiers(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<TierList>> {
    caller.require(Role::Viewer)?;
    let items = audience_db::fetch_tier_counts(&state.db)
        .await?
        .into_iter()
        .map(|(id, name, communities)| TierOut {
            id,
            name,
            communities,
        })
        .collect();
    Ok(Json(TierList { items }))
}

/// Add tiers and rename them (by id), all or nothing; at most 12 tiers in all.
#[utoipa::path(put, path = "/tiers", tag = "contacts", request_body = TiersIn,
    responses((status = 200, body = SavedOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn save_tiers(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<TiersIn>,
) -> ApiResult<Json<SavedOut>> {
    caller.require(Role::Editor)?;
    let edits: Vec<TierEdit> = body
        .tiers
        .into_iter()
        .map(|t| TierEdit {
            id: t.id,
            name: t.name,
            refuse_existing: false,
        })
        .collect();
    let field = entry_field("tiers");
    let saved = directory::save_tiers(&state.db, &edits, &field, state.clock.now()).await?;
    tracing::info!(token = caller.token_id, "tiers saved");
    Ok(Json(saved.into()))
}
