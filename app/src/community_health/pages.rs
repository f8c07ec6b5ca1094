//! `/communities`: engagement as a measured share with its interval, the communities at
//! risk with their reasons in words, and every community; `/communities/{id}`: one
//! community over time. The filters are plain GET forms, the same with and without
//! JavaScript.
use super::api::{get_community, get_health, SetCommunityCare};
use super::model::{
    AtRisk, CommunityHealth, CommunitySurvey, Engagement, Health, Reason, Share, PERIOD_DAYS,
};
use crate::auth::model::Role;
use crate::error::AppError;
use crate::monitoring::dashboard::window_text;
use crate::monitoring::stats::Comparison;
use crate::ui::{
    format_count, use_current_user, use_team_zone, ErrorPanel, FormAction, FormMessage, Guarded,
    Loading, PageHeader, ServerForm,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

pub const ENGAGEMENT_DEFINITION: &str = "Engagement: communities with at least one completed response in the period, of the communities sent at least one invitation in it. The count is exact; the 95% Wilson interval beside it (no finite population correction) reads the share as a community's propensity to take part, so two quarters or tiers can be compared honestly.";
pub const RATE_DEFINITION: &str =
    "Response rate: completed responses / invitations delivered (sent and not bounced; in your product, the panel shown).";

fn at_risk_definition() -> String {
    format!("At risk: a community that answered none of its last two closed surveys, or was invited in each of the last two periods of {PERIOD_DAYS} days and answered in neither, or whose score over the last year is below everyone else's in the same surveys with a difference larger than chance (two-proportion z-test for CSAT and CES, z-test for NPS, 95%), or whose response rate in the last {PERIOD_DAYS} days fell below the {PERIOD_DAYS} before by more than the latest rate's 95% half-width. Only closed surveys count, and only figures the surveys' own results show: a count or score hidden to protect a small group is not used.")
}

fn share_text(share: &Share) -> String {
    match share.estimate {
        Some(e) => format!("{:.0}%", e.value),
        None => "–".into(),
    }
}

fn interval_text(share: &Share) -> String {
    match share.estimate {
        Some(e) => format!("{:.0} to {:.0}", e.low, e.high),
        None => "–".into(),
    }
}

#[component]
pub fn CommunitiesPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Viewer>
            <CommunitiesView/>
        </Guarded>
    }
}

#[component]
fn CommunitiesView() -> impl IntoView {
    let query = use_query_map();
    let health = crate::ui::wire::resource(
        move || {
            let chosen = |key: &str| query.with(|q| q.get(key).unwrap_or_default());
            (chosen("tier"), chosen("owner"))
        },
        |(tier, owner)| get_health(Some(tier), Some(owner)),
    );
    view! {
        <PageHeader title="Communities".into() lead="Which member organisations take part, and which are going quiet or unhappy before their renewal.">
            <a class="button secondary" href="/reports/quarterly">"Quarterly report"</a>
        </PageHeader>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match health.await {
                    Ok(health) => view! { <HealthBody health/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
        // Outside the list's Transition: its resource is made when the page is, in the same
        // order on the server and in the browser (one made inside a resolved Suspend
        // could be numbered differently there and break hydration).
        <super::digest_card::DigestCard/>
    }
}

#[component]
fn HealthBody(health: Health) -> impl IntoView {
    let query = use_query_map();
    let chosen = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let (tier, owner) = (chosen("tier"), chosen("owner"));
    view! {
        <EngagementCard engagement=health.engagement.clone()/>
        <section class="card" aria-labelledby="risk-title">
            <h2 class="section-title" id="risk-title">
                <abbr title=at_risk_definition() tabindex="0">"At risk"</abbr>
                {format!(" ({})", health.at_risk.len())}
            </h2>
            <RiskFilters tiers=health.tiers.clone() owners=health.owners.clone() tier=tier.clone() owner=owner.clone()/>
            <details class="definition">
                <summary>"How a community comes onto this list"</summary>
                <p class="hint">{at_risk_definition()}</p>
            </details>
            <RiskTable rows=health.at_risk filtered=!(tier.is_empty() && owner.is_empty())/>
            <p><a class="button secondary" href=csv_href(&tier, &owner) download="at-risk-communities.csv">"Download this list (CSV)"</a></p>
        </section>
        <RatesByRelease engagement=health.engagement.clone()/>
        <section class="card" aria-labelledby="all-title">
            <h2 class="section-title" id="all-title">{format!("All communities ({})", health.communities.len())}</h2>
            {if health.communities.is_empty() {
                view! { <p class="empty-inline">"No communities yet: add the organisations you survey on the Contacts page."</p> }.into_any()
            } else {
                view! {
                    <ul class="community-list">
                        {health.communities.into_iter().map(|(id, name, tier)| view! {
                            <li><a href=format!("/communities/{id}")>{name}</a>" "<span class="muted">{tier}</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

fn csv_href(tier: &str, owner: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (key, value) in [("tier", tier), ("owner", owner)] {
        if !value.is_empty() {
            query.append_pair(key, value);
        }
    }
    match query.finish() {
        query if query.is_empty() => "/communities/at-risk.csv".into(),
        query => format!("/communities/at-risk.csv?{query}"),
    }
}

#[component]
fn RiskFilters(
    tiers: Vec<String>,
    owners: Vec<String>,
    tier: String,
    owner: String,
) -> impl IntoView {
    let option = |value: String, label: String, selected: &str| {
        let is = value == selected;
        view! { <option value=value selected=is>{label}</option> }
    };
    view! {
        <form method="get" action="/communities" class="filters" aria-label="Filter the communities at risk">
            <div class="field">
                <label for="risk-tier">"Tier"</label>
                <select id="risk-tier" name="tier">
                    {option(String::new(), "Any".into(), &tier)}
                    {tiers.into_iter().map(|t| option(t.clone(), t, &tier)).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="risk-owner">"Looked after by"</label>
                <select id="risk-owner" name="owner">
                    {option(String::new(), "Anyone".into(), &owner)}
                    {option("none".into(), "Nobody yet".into(), &owner)}
                    {owners.into_iter().map(|o| option(o.clone(), o, &owner)).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">"Filter"</button>
        </form>
    }
}

#[component]
fn RiskTable(rows: Vec<AtRisk>, filtered: bool) -> impl IntoView {
    let zone = use_team_zone();
    if rows.is_empty() {
        let text = if filtered {
            "No community matching these filters is at risk."
        } else {
            "No community is at risk: every community invited recently has answered, and none scores below the others."
        };
        return view! { <p class="empty-inline" data-testid="at-risk-empty">{text}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table table-stack" data-testid="at-risk">
                <thead><tr>
                    <th scope="col">"Community"</th><th scope="col">"Tier"</th>
                    <th scope="col">"Why"</th><th scope="col">"Last answered"</th>
                    <th scope="col">"Renews"</th><th scope="col">"Looked after by"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr data-testid="at-risk-row">
                            <th scope="row"><a href=format!("/communities/{}", r.community_id)>{r.name.clone()}</a></th>
                            <td data-label="Tier">{r.tier.clone()}</td>
                            <td data-label="Why"><ReasonList reasons=r.reasons.clone()/></td>
                            <td data-label="Last answered" class="nowrap">{r.last_answered.map(|at| zone.date(at)).unwrap_or_else(|| "Never".into())}</td>
                            <td data-label="Renews" class="nowrap">{r.renews_on.clone().unwrap_or_else(|| "–".into())}</td>
                            <td data-label="Looked after by">{r.owner.clone().unwrap_or_else(|| "Nobody yet".into())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ReasonList(reasons: Vec<Reason>) -> impl IntoView {
    view! {
        <ul class="reasons">
            {reasons.iter().map(|r| view! { <li>{r.words()}</li> }).collect_view()}
        </ul>
    }
}

#[component]
fn EngagementCard(engagement: Engagement) -> impl IntoView {
    let window = window_text(engagement.window_days);
    let overall = engagement.overall;
    view! {
        <section class="card" aria-labelledby="engagement-title">
            <h2 class="section-title" id="engagement-title"><abbr title=ENGAGEMENT_DEFINITION tabindex="0">"Engagement"</abbr></h2>
            <p class="headline-number" data-testid="engagement-share">{share_text(&overall)}</p>
            <p class="hint" data-testid="engagement-counts">{match overall.estimate {
                Some(e) => format!(
                    "{} of {} sent an invitation in the last {window} answered at least once (95% interval {:.0}% to {:.0}%).",
                    format_count(overall.engaged),
                    crate::ui::count(overall.invited, "community", "communities"),
                    e.low, e.high
                ),
                None => format!("No community was sent an invitation in the last {window}."),
            }}</p>
            <details class="definition">
                <summary>"How this is computed"</summary>
                <p class="hint">{ENGAGEMENT_DEFINITION}</p>
            </details>
            <div class="table-wrap">
                <table class="table" data-testid="engagement-by-tier">
                    <caption>{format!("By tier, last {window}")}</caption>
                    <thead><tr>
                        <th scope="col">"Tier"</th><th scope="col" class="num">"Answered"</th>
                        <th scope="col" class="num">"Share"</th><th scope="col" class="num">"95% interval"</th>
                    </tr></thead>
                    <tbody>
                        {engagement.by_tier.iter().map(|(tier, s)| view! {
                            <tr>
                                <th scope="row">{tier.clone()}</th>
                                <td class="num">{format!("{} of {}", s.engaged, s.invited)}</td>
                                <td class="num">{share_text(s)}</td>
                                <td class="num">{interval_text(s)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="table-wrap">
                <table class="table" data-testid="engagement-by-quarter">
                    <caption>"By quarter (calendar quarters in the team's time zone)"</caption>
                    <thead><tr>
                        <th scope="col">"Quarter"</th><th scope="col" class="num">"Answered"</th>
                        <th scope="col" class="num">"Share"</th><th scope="col" class="num">"95% interval"</th>
                    </tr></thead>
                    <tbody>
                        {engagement.by_quarter.iter().map(|q| view! {
                            <tr>
                                <th scope="row">{q.label.clone()}{q.so_far.then_some(" (so far)")}</th>
                                <td class="num">{format!("{} of {}", q.share.engaged, q.share.invited)}</td>
                                <td class="num">{share_text(&q.share)}</td>
                                <td class="num">{interval_text(&q.share)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn RatesByRelease(engagement: Engagement) -> impl IntoView {
    // The tables are laid out by the tiers, in the tiers' order.
    let tiers: Vec<String> = engagement.by_tier.iter().map(|(t, _)| t.clone()).collect();
    (!engagement.rates_by_release.is_empty()).then(|| view! {
        <section class="card" aria-labelledby="rates-title">
        <h2 class="section-title" id="rates-title"><abbr title=RATE_DEFINITION tabindex="0">"Response rate"</abbr>" per tier over releases"</h2>
        <p class="hint">"Newest first; completed of delivered, summed over each release's surveys as their results show them."</p>
        <div class="table-wrap">
            <table class="table" data-testid="rates-by-release">
                <thead><tr>
                    <th scope="col">"Release"</th>
                    {tiers.iter().map(|t| view! { <th scope="col" class="num">{t.clone()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {engagement.rates_by_release.iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.release.clone()}{r.so_far.then(|| view! { " "<span class="badge badge-open">"open"</span> })}</th>
                            {tiers.iter().map(|t| {
                                let cell = r.tiers.iter().find(|c| c.tier == *t);
                                let text = match cell {
                                    None => "–".to_string(),
                                    Some(c) => match (c.rate, c.completed) {
                                        (Some(rate), Some(done)) => format!("{rate:.0}% ({done} of {})", c.delivered),
                                        _ => "not shown (small group)".into(),
                                    },
                                };
                                view! { <td class="num">{text}</td> }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        </section>
    })
}

#[component]
pub fn CommunityPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Viewer>
            <CommunityView/>
        </Guarded>
    }
}

#[component]
fn CommunityView() -> impl IntoView {
    let params = use_params_map();
    let care = FormAction::<SetCommunityCare>::new();
    let community = crate::ui::wire::resource(
        move || {
            (
                params.get().get("id").unwrap_or_default(),
                care.version().get(),
            )
        },
        |(id, _)| get_community(id),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match community.await {
                    Ok(c) => view! { <CommunityBody c care/> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::app::NotFoundPage/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CommunityBody(c: CommunityHealth, care: FormAction<SetCommunityCare>) -> impl IntoView {
    let zone = use_team_zone();
    let can_edit = use_current_user().role.includes(Role::Editor);
    let window = window_text(c.window_days);
    let lead = format!(
        "{} tier · {}",
        c.tier,
        if c.time_zone.is_empty() {
            "the team's time zone".to_string()
        } else {
            c.time_zone.clone()
        }
    );
    view! {
        <PageHeader title=c.name.clone() lead>
            <a class="button secondary" href="/communities">"All communities"</a>
        </PageHeader>
        {(!c.reasons.is_empty()).then(|| view! {
            <div class="notice notice-warning" role="status" data-testid="community-at-risk">
                <p><strong>"At risk. "</strong>"Why:"</p>
                <ReasonList reasons=c.reasons.clone()/>
            </div>
        })}
        <section class="card" aria-labelledby="about-title">
            <h2 class="section-title" id="about-title">"About"</h2>
            <dl class="facts">
                <dt>"Tier"</dt><dd>{c.tier.clone()}</dd>
                <dt>"Time zone"</dt><dd>{if c.time_zone.is_empty() { "The team's".to_string() } else { c.time_zone.clone() }}</dd>
                <dt>"Contacts"</dt><dd>{crate::ui::count(c.contact_count, "person", "people")}</dd>
                <dt>"Last answered"</dt><dd data-testid="last-answered">{c.last_answered.map(|at| zone.date(at)).unwrap_or_else(|| "Never (in an identified survey)".into())}</dd>
                <dt>"Looked after by"</dt><dd data-testid="owner">{c.owner.clone().unwrap_or_else(|| "Nobody yet".into())}</dd>
                <dt>"Renews"</dt><dd data-testid="renews-on">{c.renews_on.clone().unwrap_or_else(|| "Not recorded".into())}</dd>
            </dl>
            <p class="hint">"Last answered counts identified surveys only: an anonymous survey keeps no day the team could tie to a community."</p>
            {can_edit.then(|| view! { <CareForm c=c.clone() care/> })}
        </section>
        <section class="card" aria-labelledby="satisfaction-title">
            <h2 class="section-title" id="satisfaction-title">{format!("Satisfaction over the last {window}")}</h2>
            {if c.against_baseline.is_empty() {
                view! { <p class="empty-inline">{format!("Fewer than {} answers from this community in surveys about closed releases, where its results show its score: nothing to set against the baseline yet.", c.small_group)}</p> }.into_any()
            } else {
                view! {
                    <div data-testid="against-baseline">
                        {c.against_baseline.iter().map(|(label, own, answers, others, comparison)| {
                            let verdict = match comparison {
                                Some(Comparison::Above) => "above the others",
                                Some(Comparison::Below) => "below the others",
                                Some(Comparison::NotDistinguishable) => "not distinguishable from the others",
                                None => "nothing to compare with",
                            };
                            view! {
                                <p><strong>{format!("{label}: {:.0}", own.value)}</strong>
                                {format!(" (95% interval {:.0} to {:.0}, {answers} answers), against {:.0} for everyone else: {verdict}.", own.low, own.high, others.value)}</p>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            }}
            <p class="hint">{format!("Its answers to the first CSAT, NPS and CES question of each survey about a release whose surveys have closed, pooled, against everyone else's answers to the same questions (the release baseline without this community). Only surveys whose results show this community's score count: a group of fewer than {} answers stays hidden here too.", c.small_group)}</p>
        </section>
        <SurveysCard surveys=c.surveys.clone() small_group=c.small_group/>
        {(!c.contacts.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="people-title">
                <h2 class="section-title" id="people-title">"People"</h2>
                <ul class="community-list">
                    {c.contacts.iter().map(|(name, email, role)| view! {
                        <li>{if name.is_empty() { email.clone() } else { format!("{name} <{email}>") }}
                            {(!role.is_empty()).then(|| view! { " "<span class="muted">{role.clone()}</span> })}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

#[component]
fn CareForm(c: CommunityHealth, care: FormAction<SetCommunityCare>) -> impl IntoView {
    let error = Signal::derive(move || care.value().get().and_then(Result::err));
    let owner = c.owner.clone().unwrap_or_default();
    view! {
        <ServerForm action=care attr:class="care-form">
            <input type="hidden" name="community_id" value=c.community_id.clone()/>
            <div class="field">
                <label for="owner">"Looked after by"</label>
                <select id="owner" name="owner">
                    <option value="" selected=owner.is_empty()>"Nobody yet"</option>
                    {c.members.iter().map(|m| {
                        let is = m.eq_ignore_ascii_case(&owner);
                        view! { <option value=m.clone() selected=is>{m.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="renews_on">"Membership renews on"</label>
                <input id="renews_on" name="renews_on" type="date" value=c.renews_on.clone().unwrap_or_default()/>
            </div>
            <button type="submit" class="button">"Save"</button>
        </ServerForm>
        <FormMessage error fields=&["owner", "renews_on"]/>
        {move || matches!(care.value().get(), Some(Ok(_))).then(|| view! {
            <div class="notice notice-success" role="status">"Saved."</div>
        })}
    }
}

#[component]
fn SurveysCard(surveys: Vec<CommunitySurvey>, small_group: i64) -> impl IntoView {
    let zone = use_team_zone();
    view! {
        <section class="card" aria-labelledby="surveys-title">
            <h2 class="section-title" id="surveys-title">{format!("Surveys it was invited to ({})", surveys.len())}</h2>
            {if surveys.is_empty() {
                view! { <p class="empty-inline">"No survey has reached this community in the last year."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table table-stack" data-testid="community-surveys">
                            <thead><tr>
                                <th scope="col">"Survey"</th><th scope="col">"Sent"</th>
                                <th scope="col" class="num"><abbr title=RATE_DEFINITION tabindex="0">"Rate"</abbr></th>
                                <th scope="col" class="num"><abbr title="The community's own headline score in the survey (share answering 4-5 for CSAT, 5-7 for CES, or NPS), shown only when its group is large enough under the small-group rule." tabindex="0">"Score"</abbr></th>
                                <th scope="col" class="num"><abbr title="The release baseline of the same kind of score: every answer to the releases whose surveys closed in the window, pooled." tabindex="0">"Baseline"</abbr></th>
                            </tr></thead>
                            <tbody>
                                {surveys.into_iter().map(|s| {
                                    let rate = match (s.rate, s.completed) {
                                        (Some(rate), Some(done)) => format!("{rate:.0}% ({done} of {})", s.delivered),
                                        (None, Some(_)) => "–".into(),
                                        _ => format!("not shown: reached fewer than {small_group}"),
                                    };
                                    let score = match (s.score, &s.headline_label, s.completed) {
                                        (Some(v), ..) => format!("{v:.0}"),
                                        (None, None, _) => "no scored question".into(),
                                        (None, Some(_), _) if s.anonymous => "none by group (anonymous)".into(),
                                        (None, Some(_), Some(0)) => "no answers".into(),
                                        (None, Some(_), Some(n)) if n < small_group => format!("hidden: fewer than {small_group} answers"),
                                        (None, Some(_), _) => "hidden to protect a small group".into(),
                                    };
                                    view! {
                                        <tr>
                                            <th scope="row">
                                                <a href=format!("/surveys/{}/results", s.survey_id)>{s.title.clone()}</a>
                                                {s.release.clone().map(|r| view! { <span class="hint">{format!(" · {r}")}</span> })}
                                                {(!s.closed).then(|| view! { " "<span class="badge badge-open">"open"</span> })}
                                            </th>
                                            <td data-label="Sent" class="nowrap">{zone.date(s.first_sent)}</td>
                                            <td data-label="Rate" class="num nowrap">{rate}</td>
                                            <td data-label="Score" class="num" title=s.headline_label.clone().unwrap_or_default()>{score}</td>
                                            <td data-label="Baseline" class="num">{s.baseline.map(|b| format!("{b:.0}")).unwrap_or_else(|| "–".into())}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
