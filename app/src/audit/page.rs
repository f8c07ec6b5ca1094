//! `/audit` and `/audit.csv`: the audit log for admins, plain server-rendered (no WASM),
//! filtered by action, actor and local dates, newest first, 100 at a time; the export
//! holds every entry the filter matches and is itself recorded.
use super::db::{self, Filter};
use super::model::{Action, Actor, Entry};
use super::record::record;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::responses::export::neutralised;
use crate::server::edge::{alert, attachment, refusal};
use crate::server::guard;
use crate::server::html::{team_document, Input};
use crate::server::AppState;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::HeaderMap;
use leptos::prelude::*;
use serde::Deserialize;

/// Entries per page.
const PAGE: i64 = 100;
/// At most this many rows in one export.
const EXPORT_LIMIT: i64 = 100_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/audit", get(show))
        .route("/audit.csv", get(export))
}

/// The filter as the form and links carry it; every field may be empty.
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    who: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    before: String,
}

impl FilterQuery {
    /// The filter, or the problems with it, each named after its field.
    fn parse(&self, state: &AppState) -> AppResult<Filter> {
        let mut errors = Vec::new();
        let action = match self.action.trim() {
            "" => None,
            code => Action::parse(code).or_else(|| {
                errors.push(crate::error::FieldError::new(
                    "action",
                    "Choose an action from the list.",
                ));
                None
            }),
        };
        let actor = match self.who.trim() {
            "" => None,
            who => Some(match who.split_once(':') {
                Some((kind, id)) => (kind.to_string(), Some(id.to_string())),
                None => (who.to_string(), None),
            }),
        };
        let zone = &state.config.time_zone;
        let mut day = |field: &str, text: &str| -> Option<i64> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match zone.parse_local(&format!("{text} 00:00")) {
                Ok(at) if crate::ui::parse_date(text).is_some() => Some(at),
                _ => {
                    errors.push(crate::error::FieldError::new(
                        field,
                        "Enter a date as YYYY-MM-DD, e.g. 2026-12-31.",
                    ));
                    None
                }
            }
        };
        let from = day("from", &self.from);
        // "Until" includes its whole day: entries before the next day's midnight.
        let until = day("until", &self.until).map(|at| at + 86_400);
        let before = self
            .before
            .split_once(':')
            .and_then(|(at, id)| at.parse::<i64>().ok().map(|at| (at, id.to_string())));
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(Filter {
            action,
            actor,
            from,
            until,
            before,
        })
    }

    /// The query string of this filter (without the page), for links.
    fn query(&self) -> String {
        let pairs = [
            ("action", &self.action),
            ("who", &self.who),
            ("from", &self.from),
            ("until", &self.until),
        ];
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in pairs {
            if !value.trim().is_empty() {
                query.append_pair(key, value.trim());
            }
        }
        query.finish()
    }
}

async fn show(
    State(state): State<AppState>,
    Query(query): Query<FilterQuery>,
    headers: HeaderMap,
) -> Response {
    let result: AppResult<Response> = async {
        guard::require_role_in(&state, &headers, Role::Admin).await?;
        let actors = db::fetch_actors(state.db.reads()).await?;
        let filter = match query.parse(&state) {
            Ok(filter) => filter,
            Err(error) => {
                let html = page(&state, &query, &actors, Err(&error));
                return Ok((error.status_code(), Html(html)).into_response());
            }
        };
        let entries = db::fetch_entries(state.db.reads(), &filter, PAGE + 1).await?;
        Ok(Html(page(&state, &query, &actors, Ok(&entries))).into_response())
    }
    .await;
    result.unwrap_or_else(|error| refusal(error, error_page))
}

async fn export(
    State(state): State<AppState>,
    Query(query): Query<FilterQuery>,
    headers: HeaderMap,
) -> Response {
    let result: AppResult<Vec<u8>> = async {
        let admin = guard::require_role_in(&state, &headers, Role::Admin).await?;
        let filter = query.parse(&state)?;
        let entries = db::fetch_entries(state.db.reads(), &filter, EXPORT_LIMIT).await?;
        let csv = to_csv(&state, &entries).map_err(|_| AppError::Internal)?;
        let detail = format!("{} entries", entries.len());
        let actor = Actor::Member(admin.user_id);
        let now = state.clock.now();
        record(&state.db, &actor, Action::AuditExported, None, &detail, now).await?;
        Ok(csv)
    }
    .await;
    attachment(result, "text/csv; charset=utf-8", "soundings-audit-log.csv")
}

fn to_csv(state: &AppState, entries: &[Entry]) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "at_utc",
        "at_local",
        "actor_kind",
        "actor_id",
        "actor",
        "action",
        "action_label",
        "subject_kind",
        "subject_id",
        "subject",
        "detail",
    ])?;
    let zone = state.config.time_zone.for_pages(state.clock.now());
    for e in entries {
        let label = Action::parse(&e.action).map_or("", Action::label);
        writer.write_record([
            crate::local_time::rfc3339(e.at),
            zone.time(e.at),
            e.actor_kind.clone(),
            e.actor_id.clone().unwrap_or_default(),
            neutralised(&e.actor_label),
            e.action.clone(),
            label.to_string(),
            e.subject_kind.clone().unwrap_or_default(),
            e.subject_id.clone().unwrap_or_default(),
            neutralised(e.subject_label.as_deref().unwrap_or_default()),
            neutralised(&e.detail),
        ])?;
    }
    Ok(writer.into_inner()?)
}

fn back() -> (String, String) {
    ("/team".to_string(), "Team".to_string())
}

fn error_page(error: &AppError) -> String {
    team_document("Audit log".into(), back(), "Audit log", alert(error))
}

fn page(
    state: &AppState,
    query: &FilterQuery,
    actors: &[(String, Option<String>, String)],
    entries: Result<&Vec<Entry>, &AppError>,
) -> String {
    let zone = state.config.time_zone.for_pages(state.clock.now());
    let days = state.config.audit_retention_days;
    let filtered = !query.query().is_empty();
    let export_href = match query.query() {
        q if q.is_empty() => "/audit.csv".to_string(),
        q => format!("/audit.csv?{q}"),
    };
    let error = entries.err();
    let message = |field: &str| error.and_then(|e| e.message_for(field));
    let action_options = Action::ALL
        .iter()
        .map(|a| {
            let selected = query.action == a.code();
            view! { <option value=a.code() selected=selected>{a.label()}</option> }
        })
        .collect_view();
    let actor_options = actors
        .iter()
        .map(|(kind, id, label)| {
            let value = match id {
                Some(id) => format!("{kind}:{id}"),
                None => kind.clone(),
            };
            let selected = query.who == value;
            let text = match kind.as_str() {
                "token" => format!("{label} (API token)"),
                _ => label.clone(),
            };
            view! { <option value=value selected=selected>{text}</option> }
        })
        .collect_view();
    let date_field =
        |id, label, value: &str| Input::new("date", id, label, error).value(value).render();
    let table = match entries {
        Err(error) => alert(error),
        Ok(entries) if entries.is_empty() => {
            let text = if filtered {
                "No entry matches these filters. Clear them to see everything."
            } else {
                "Nothing recorded yet. Changes to surveys, contacts, the team, tokens, webhooks and settings appear here as they happen."
            };
            view! { <div class="empty-state"><p>{text}</p></div> }.into_any()
        }
        Ok(entries) => {
            let more = entries.len() as i64 > PAGE;
            let shown = &entries[..entries.len().min(PAGE as usize)];
            let older = more.then(|| {
                let last = &shown[shown.len() - 1];
                let base = query.query();
                let sep = if base.is_empty() { "" } else { "&" };
                format!("/audit?{base}{sep}before={}:{}", last.at, last.entry_id)
            });
            let rows = shown.iter().map(|e| row(&zone, e)).collect_view();
            view! {
                <div class="table-wrap">
                    <table class="table">
                        <caption class="visually-hidden">"Audit log entries, newest first"</caption>
                        <thead><tr>
                            <th scope="col">"When"</th>
                            <th scope="col">"Who"</th>
                            <th scope="col">"What"</th>
                            <th scope="col">"About"</th>
                            <th scope="col">"Detail"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {older.map(|href| view! { <p><a class="button" href=href>"Older entries"</a></p> })}
            }
            .into_any()
        }
    };
    let body = view! {
        <p class="lead">{format!("Every change made by a team member, an API token, a survey's schedule or the command line: who, when and what. Entries are kept for {days} days (AUDIT_RETENTION_DAYS).")}</p>
        <form method="get" action="/audit" class="card filters" aria-label="Filter the audit log">
            <div class="field">
                <label for="action">"What"</label>
                <select id="action" name="action">
                    <option value="">"Every action"</option>
                    {action_options}
                </select>
                {message("action").map(|m| view! { <p class="field-error">{m}</p> })}
            </div>
            <div class="field">
                <label for="who">"Who"</label>
                <select id="who" name="who">
                    <option value="">"Anyone"</option>
                    {actor_options}
                </select>
            </div>
            {date_field("from", "From", &query.from)}
            {date_field("until", "Until", &query.until)}
            <div class="filters-actions">
                <button type="submit" class="button primary">"Show"</button>
                {filtered.then(|| view! { <a class="button" href="/audit">"Clear"</a> })}
                <a class="button" href=export_href>"Export CSV"</a>
            </div>
        </form>
        {table}
    };
    team_document("Audit log".into(), back(), "Audit log", body)
}

fn row(zone: &crate::ui::TeamZone, e: &Entry) -> impl IntoView {
    let what = Action::parse(&e.action).map_or(e.action.clone(), |a| a.label().to_string());
    let who = match e.actor_kind.as_str() {
        "token" => format!("{} (API token)", e.actor_label),
        _ => e.actor_label.clone(),
    };
    let label = e.subject_label.clone();
    let about = match (e.subject_kind.as_deref(), e.subject_id.as_deref(), label) {
        (Some("survey"), Some(id), Some(title)) => {
            let href = format!("/surveys/{id}");
            view! { <a href=href>{title}</a> }.into_any()
        }
        (Some(kind), Some(_), Some(name)) => {
            let kind = match kind {
                "member" => "Member",
                "token" => "API token",
                "webhook" => "Webhook",
                _ => kind,
            };
            view! { <span>{format!("{kind}: {name}")}</span> }.into_any()
        }
        // Gone since: its id, so the export can still be matched.
        (Some(kind), Some(id), None) => {
            view! { <span class="hint">{format!("a removed {kind} ")}<code>{short(id)}</code></span> }.into_any()
        }
        _ => view! { <span class="hint">"—"</span> }.into_any(),
    };
    let detail = e.detail.clone();
    view! {
        <tr>
            <td class="nowrap">{zone.time(e.at)}</td>
            <td>{who}</td>
            <td>{what}</td>
            <td>{about}</td>
            <td>{detail}</td>
        </tr>
    }
}

/// The first 8 characters of an id: enough to tell entries apart on screen (the export
/// has the whole id).
fn short(id: &str) -> String {
    id.chars().take(8).collect()
}
