//! `/surveys/{id}/choose`: invite people from the contacts by tier, community and tag.
//! Choosing is a GET (it only counts); inviting is a POST of the same selection, counted
//! again at that moment. Plain forms: works without JavaScript.
use crate::auth::model::{CurrentUser, Role};
use crate::distribution::contacts::db as audience_db;
use crate::distribution::model::{Community, Tier};
use crate::distribution::sending::choose_db::{plan_selection, Counts, Selection};
use crate::distribution::sending::use_cases as sending;
use crate::error::{AppError, AppResult};
use crate::ids::SurveyId;
use crate::server::edge::{alert, refusal};
use crate::server::guard;
use crate::server::html::team_document;
use crate::server::AppState;
use crate::surveys::db as survey_db;
use crate::surveys::lifecycle::takes_recipients;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use http::{HeaderMap, StatusCode};
use leptos::prelude::*;

pub async fn show(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    headers: HeaderMap,
    Query(selection): Query<Selection>,
) -> Response {
    let result: AppResult<Response> = async {
        let (survey_id, title, _) = editable(&state, &survey_id, &headers).await?;
        let (counts, _) = plan(&state, &survey_id, &selection).await?;
        let tiers = audience_db::fetch_tiers(&state.db).await?;
        let communities = audience_db::fetch_communities(&state.db).await?;
        let quiet_days = state.config.quiet_period_days;
        let body = chooser(
            &survey_id,
            &selection,
            &tiers,
            &communities,
            counts,
            quiet_days,
        );
        Ok(page(StatusCode::OK, &survey_id, &title, body))
    }
    .await;
    result.unwrap_or_else(|error| refused(&survey_id, error))
}

pub async fn submit(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    headers: HeaderMap,
    Form(selection): Form<Selection>,
) -> Response {
    let result: AppResult<Response> = async {
        let (survey_id, title, user) = editable(&state, &survey_id, &headers).await?;
        let invited = sending::invite_selection(
            &state.db,
            &state.config,
            &survey_id,
            &selection,
            &user.actor(),
            state.clock.now(),
        )
        .await?;
        Ok(page(
            StatusCode::OK,
            &survey_id,
            &title,
            done(&survey_id, invited),
        ))
    }
    .await;
    result.unwrap_or_else(|error| refused(&survey_id, error))
}

async fn plan(
    state: &AppState,
    survey_id: &str,
    selection: &Selection,
) -> AppResult<(Counts, Vec<String>)> {
    let frequency = sending::frequency(&state.config, state.clock.now());
    Ok(plan_selection(&state.db, survey_id, selection, &frequency).await?)
}

/// The survey's id and title, if an editor may add recipients to it now.
async fn editable(
    state: &AppState,
    survey_id: &str,
    headers: &HeaderMap,
) -> AppResult<(SurveyId, String, CurrentUser)> {
    let user = guard::require_role_in(state, headers, Role::Editor).await?;
    let survey_id = SurveyId::parse(survey_id)?;
    let summary = survey_db::fetch_survey_summary(&state.db, &survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    takes_recipients(summary.status)?;
    Ok((survey_id, summary.title, user))
}

fn refused(survey_id: &str, error: AppError) -> Response {
    refusal(error, |error| document(survey_id, "Survey", alert(error)))
}

fn page(status: StatusCode, survey_id: &str, title: &str, body: AnyView) -> Response {
    (status, Html(document(survey_id, title, body))).into_response()
}

fn document(survey_id: &str, title: &str, body: AnyView) -> String {
    let back = (
        format!("/surveys/{survey_id}/send"),
        format!("Back to {title}"),
    );
    team_document(
        format!("Choose recipients · {title}"),
        back,
        "Choose recipients",
        body,
    )
}

fn chooser(
    survey_id: &str,
    selection: &Selection,
    tiers: &[Tier],
    communities: &[Community],
    counts: Counts,
    quiet_days: i64,
) -> AnyView {
    let action = format!("/surveys/{survey_id}/choose");
    let option = |value: &str, label: &str, chosen: &str| {
        view! { <option value=value.to_string() selected=value == chosen>{label.to_string()}</option> }
    };
    let tier_options = tiers
        .iter()
        .map(|t| option(&t.tier_id, &t.name, &selection.tier))
        .collect_view();
    let community_options = communities
        .iter()
        .map(|c| {
            option(
                &c.community_id,
                &format!("{} ({})", c.name, c.tier),
                &selection.community,
            )
        })
        .collect_view();
    let hidden = selection.clone();
    view! {
        <section class="card">
            <form method="get" action=action.clone() class="stack">
                <div class="field-row">
                    <div class="field">
                        <label for="tier">"Tier"</label>
                        <select id="tier" name="tier">{option("", "Any tier", &selection.tier)}{tier_options}</select>
                    </div>
                    <div class="field">
                        <label for="community">"Community"</label>
                        <select id="community" name="community">{option("", "Any community", &selection.community)}{community_options}</select>
                    </div>
                    <div class="field">
                        <label for="tag">"Tag (optional)"</label>
                        <input type="text" id="tag" name="tag" value=selection.tag.clone()/>
                    </div>
                </div>
                <label class="inline-choice">
                    <input type="checkbox" name="override_quiet" value="on" checked=selection.overrides_quiet()/>
                    {format!(" Include people sent a survey in the last {quiet_days} days")}
                </label>
                <button type="submit" class="button">"Count"</button>
            </form>
        </section>
        <section class="card" aria-labelledby="count-title">
            <h2 id="count-title" data-testid="to-invite">{format!("{} people to invite", counts.to_invite)}</h2>
            <ul class="plain-list">
                <li>{format!("{} this choice.", if counts.matching == 1 { "1 contact matches".to_string() } else { format!("{} contacts match", crate::ui::format_count(counts.matching)) })}</li>
                <li>{format!("{} already invited to this survey.", counts.already_invited)}</li>
                <li>{format!("{} unsubscribed: never invited.", counts.unsubscribed)}</li>
                <li>{format!("{} with an address that bounced for good: left out until cleared on the Contacts page.", counts.undeliverable)}</li>
                <li>{format!("{} sent a survey in the last {quiet_days} days: left out unless you include them.", counts.quiet)}</li>
                {(counts.capped > 0).then(|| view! {
                    <li>{format!("{} sent the most messages allowed in 30 days: left out.", counts.capped)}</li>
                })}
            </ul>
            {(counts.to_invite > 0).then(|| view! {
                <form method="post" action=action class="inline-form">
                    <input type="hidden" name="tier" value=hidden.tier.clone()/>
                    <input type="hidden" name="community" value=hidden.community.clone()/>
                    <input type="hidden" name="tag" value=hidden.tag.clone()/>
                    {hidden.overrides_quiet().then(|| view! { <input type="hidden" name="override_quiet" value="on"/> })}
                    <button type="submit" class="button primary">{format!("Invite {} people", counts.to_invite)}</button>
                </form>
                <p class="hint">"Inviting creates their personal links; the emails go out when you send the invitations from the survey page."</p>
            })}
        </section>
    }
    .into_any()
}

fn done(survey_id: &str, invited: i64) -> AnyView {
    let back = format!("/surveys/{survey_id}/send");
    view! {
        <div class="notice notice-success" role="status">
            <p data-testid="invited-result">{format!("{invited} people invited. Send their invitations from the survey page.")}</p>
        </div>
        <p><a class="button primary" href=back>"Back to the survey"</a></p>
    }
    .into_any()
}
