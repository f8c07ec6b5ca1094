//! `/contacts/import`: upload a CSV file, see row by row what it would create, update or
//! reject, then apply it in one transaction. Plain form posts: works without JavaScript.
use crate::db::new_id;
use crate::distribution::contacts::db;
use crate::distribution::contacts::import::{ImportPlan, Outcome, MAX_IMPORT_ROWS};
use crate::distribution::contacts::use_cases::{self as contacts, Imported};
use crate::error::{AppError, AppResult};
use crate::server::edge::refusal;
use crate::server::guard::Editor;
use crate::server::html::team_document;
use crate::server::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use http::StatusCode;
use leptos::prelude::*;

/// The largest file accepted (25,000 rows of a few columns fit well within it).
pub const MAX_IMPORT_BYTES: usize = 8 * 1024 * 1024;
/// Rows listed in a preview besides the rejected ones.
const ROWS_SHOWN: usize = 200;
/// A previewed file can be applied for this long.
const PENDING_SECS: i64 = 24 * 3600;

pub async fn show(_: Editor) -> Response {
    page(StatusCode::OK, upload_form(None))
}

pub async fn preview(
    State(state): State<AppState>,
    Editor(user): Editor,
    multipart: Multipart,
) -> Response {
    let result: AppResult<Response> = async {
        let user_id = user.user_id;
        let Some((file_name, bytes)) = read_file(multipart).await else {
            return Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                upload_form(Some(format!(
                    "Choose a CSV file (at most {} MB) to upload.",
                    MAX_IMPORT_BYTES / (1024 * 1024)
                ))),
            ));
        };
        let plan = contacts::plan_import(&state.db, &bytes).await?;
        if !plan.file_errors.is_empty() {
            let message = plan.file_errors.join(" ");
            return Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                upload_form(Some(message)),
            ));
        }
        let import_id = match (plan.can_apply(), String::from_utf8(bytes)) {
            (true, Ok(content)) => {
                let id = new_id();
                db::insert_pending_import(
                    &state.db,
                    &id,
                    &user_id,
                    &file_name,
                    &content,
                    state.clock.now(),
                )
                .await?;
                Some(id)
            }
            _ => None,
        };
        Ok(page(
            StatusCode::OK,
            preview_view(&file_name, &plan, import_id),
        ))
    }
    .await;
    result.unwrap_or_else(refused)
}

pub async fn apply(
    State(state): State<AppState>,
    Path(import_id): Path<String>,
    Editor(user): Editor,
) -> Response {
    let result: AppResult<Response> = async {
        let user_id = user.user_id;
        let Some(content) = db::fetch_pending_import(
            &state.db,
            &import_id,
            &user_id,
            state.clock.now() - PENDING_SECS,
        )
        .await?
        else {
            return Ok(Redirect::to("/contacts/import").into_response());
        };
        // Checked again: contacts or communities may have changed since the preview.
        let plan = contacts::plan_import(&state.db, content.as_bytes()).await?;
        if !plan.can_apply() {
            return Ok(page(
                StatusCode::CONFLICT,
                preview_view("the file", &plan, None),
            ));
        }
        let imported = contacts::apply_import(
            &state.db,
            &plan,
            Some(&import_id),
            &crate::audit::Actor::Member(user_id),
            state.clock.now(),
        )
        .await?;
        Ok(page(StatusCode::OK, applied_view(imported)))
    }
    .await;
    result.unwrap_or_else(refused)
}

/// The uploaded file's name and bytes; `None` when there is no non-empty file.
async fn read_file(mut multipart: Multipart) -> Option<(String, Vec<u8>)> {
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("contacts.csv").to_string();
        let bytes = field.bytes().await.ok()?;
        return (!bytes.is_empty()).then(|| (name, bytes.to_vec()));
    }
    None
}

fn refused(error: AppError) -> Response {
    refusal(error, |error| {
        document(upload_form(Some(error.to_string())))
    })
}

fn page(status: StatusCode, body: AnyView) -> Response {
    (status, Html(document(body))).into_response()
}

fn document(body: AnyView) -> String {
    let back = ("/contacts".to_string(), "Contacts".to_string());
    team_document("Import contacts".into(), back, "Import contacts", body)
}

fn upload_form(error: Option<String>) -> AnyView {
    view! {
        {error.map(|m| view! { <div class="notice notice-error" role="alert" id="file-error"><p>{m}</p></div> })}
        <section class="card">
            <p>"A CSV file (UTF-8, comma- or semicolon-separated) with a header row and these columns:"</p>
            <ul>
                <li><code>"email"</code>", "<code>"name"</code>", "<code>"community"</code>" (required)"</li>
                <li><code>"role"</code>" and "<code>"tags"</code>" (optional; tags separated by ; or |)"</li>
                <li><code>"tier"</code>" and "<code>"time_zone"</code>" (optional): a community not known yet is created on its tier, a known one moves to the tier given, and its time zone is set. Without a tier column, each community must already exist."</li>
            </ul>
            <p class="hint">{format!("At most {MAX_IMPORT_ROWS} rows. Nothing is saved until you have seen the preview and applied it; a file with any rejected row applies nothing.")}</p>
            <form method="post" action="/contacts/import" enctype="multipart/form-data" class="stack">
                <div class="field">
                    <label for="file">"File"</label>
                    <input type="file" id="file" name="file" accept=".csv,text/csv" required/>
                </div>
                <button type="submit" class="button primary">"Preview the import"</button>
            </form>
        </section>
    }
    .into_any()
}

/// What the file does to communities and tiers, before the rows.
fn community_view(plan: &crate::distribution::contacts::import::CommunityPlan) -> AnyView {
    let describe = |c: &crate::distribution::contacts::import::PlannedCommunity| {
        let zone = if c.time_zone.is_empty() {
            "the team's time zone".to_string()
        } else {
            c.time_zone.clone()
        };
        format!("{} · {} · {} (line {})", c.name, c.tier, zone, c.line)
    };
    let list = |items: Vec<String>| {
        let hidden = items.len().saturating_sub(ROWS_SHOWN);
        view! {
            <ul class="plain-list">
                {items.into_iter().take(ROWS_SHOWN).map(|i| view! { <li>{i}</li> }).collect_view()}
                {(hidden > 0).then(|| view! { <li class="hint">{format!("and {hidden} more")}</li> })}
            </ul>
        }
    };
    let new_tiers = plan.new_tiers.clone();
    let created: Vec<String> = plan.created.iter().map(describe).collect();
    let changed: Vec<String> = plan.changed.iter().map(describe).collect();
    view! {
        <section class="card" aria-labelledby="import-communities">
            <h2 id="import-communities" data-testid="import-communities">{format!(
                "Communities: {} to create, {} to change{}",
                created.len(),
                changed.len(),
                if new_tiers.is_empty() { String::new() } else { format!(", {}", crate::ui::count(new_tiers.len() as i64, "new tier", "new tiers")) }
            )}</h2>
            {(!new_tiers.is_empty()).then(|| view! {
                <div class="notice notice-warning"><p>{format!(
                    "New {}: {}. Check the spelling: a tier the file misspells becomes a tier of its own.",
                    if new_tiers.len() == 1 { "tier" } else { "tiers" },
                    new_tiers.join(", ")
                )}</p></div>
            })}
            {(!created.is_empty()).then(|| view! { <h3>"New communities"</h3> {list(created)} })}
            {(!changed.is_empty()).then(|| view! { <h3>"Communities that change tier or time zone"</h3> {list(changed)} })}
        </section>
    }
    .into_any()
}

fn preview_view(file_name: &str, plan: &ImportPlan, import_id: Option<String>) -> AnyView {
    let (create, update, unchanged, rejected) = plan.counts();
    let summary = format!(
        "{file_name}: {create} to create, {update} to update, {unchanged} unchanged, {rejected} rejected."
    );
    let action = match (import_id, rejected) {
        (Some(id), _) => view! {
            <form method="post" action=format!("/contacts/import/{id}/apply") class="inline-form">
                <button type="submit" class="button primary">{format!("Apply: create {create}, update {update}")}</button>
                <a class="button" href="/contacts/import">"Choose another file"</a>
            </form>
        }
        .into_any(),
        (None, 0) => view! {
            <div class="notice notice-warning" role="alert"><p>"The contacts changed since this preview. Upload the file again to see what it would do now."</p></div>
        }
        .into_any(),
        (None, n) => view! {
            <div class="notice notice-error" role="alert">
                <p>{format!("{} can't be imported, so nothing was saved. Fix them in the file and upload it again.", crate::ui::count(n as i64, "row", "rows"))}</p>
            </div>
            <p><a class="button" href="/contacts/import">"Upload the corrected file"</a></p>
        }
        .into_any(),
    };
    let warnings = plan.warnings.clone();
    let communities = (!plan.communities.is_empty()).then(|| community_view(&plan.communities));
    // Every rejected row first (those are what the person must fix), then the others up
    // to a screenful; a 10,000-row preview would help no one.
    let rejected_rows = plan
        .rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Rejected(_)));
    let other_rows = plan
        .rows
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Rejected(_)));
    let shown: Vec<_> = rejected_rows.chain(other_rows.take(ROWS_SHOWN)).collect();
    let hidden = plan.rows.len() - shown.len();
    let rows = shown.into_iter().map(row_view).collect_view();
    view! {
        <p class="lead" data-testid="import-summary">{summary}</p>
        {(!warnings.is_empty()).then(|| view! { <div class="notice"><ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul></div> })}
        {communities}
        {action}
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">"What each row would do"</caption>
                <thead><tr><th scope="col" class="num">"Line"</th><th scope="col">"Email"</th><th scope="col">"Result"</th><th scope="col">"Details"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {(hidden > 0).then(|| view! { <p class="hint">{format!("And {} like those above.", crate::ui::count(hidden as i64, "more row", "more rows"))}</p> })}
    }
    .into_any()
}

fn row_view(row: &crate::distribution::contacts::import::PlannedRow) -> impl IntoView {
    let (badge, label, detail) = match &row.outcome {
        Outcome::Create(c) => (
            "badge badge-open",
            "Create",
            format!("{} · {}", c.name, c.community),
        ),
        Outcome::Update { changes, .. } => (
            "badge badge-draft",
            "Update",
            format!("Changes {}", changes.join(", ")),
        ),
        Outcome::Unchanged => ("badge", "Unchanged", String::new()),
        Outcome::Rejected(why) => ("badge badge-error", "Rejected", why.clone()),
    };
    view! {
        <tr>
            <td class="num">{row.line}</td>
            <td>{row.email.clone()}</td>
            <td><span class=badge>{label}</span></td>
            <td>{detail}</td>
        </tr>
    }
}

fn applied_view(imported: Imported) -> AnyView {
    let Imported {
        created,
        updated,
        unchanged,
    } = imported;
    view! {
        <div class="notice notice-success" role="status">
            <p data-testid="import-result">{format!("Imported: {created} created, {updated} updated, {unchanged} unchanged.")}</p>
        </div>
        <p><a class="button primary" href="/contacts">"See the contacts"</a></p>
    }
    .into_any()
}
