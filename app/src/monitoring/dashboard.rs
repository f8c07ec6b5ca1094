//! `/overview`: what the team opens every morning. Open surveys with their live rate and
//! verdict (and a reminder one click away where the rate lags), the satisfaction baseline
//! with each release against it, and how many communities take part.
use super::baseline::get_dashboard;
use super::baseline_model::{
    Baseline, Dashboard, Engagement, OpenSurvey, Pooled, ReleaseScore, Scored,
};
use super::baseline_plot::{PlotRow, ReleaseTimeline};
use super::stats::{Comparison, Verdict};
use crate::auth::model::Role;
use crate::distribution::sending::api::RemindNow;
use crate::ui::{
    format_date, use_current_user, use_team_zone, ErrorPanel, FormAction, FormMessage, Guarded,
    Loading, PageHeader, ServerForm,
};
use leptos::prelude::*;

/// "12 months" for the default window, else months or days.
pub fn window_text(days: i64) -> String {
    match days {
        365 => "12 months".into(),
        d if d % 30 == 0 => format!("{} months", d / 30),
        d => format!("{d} days"),
    }
}

fn baseline_definition(window: &str) -> String {
    format!("Release baseline: all completed answers to the first CSAT (likewise NPS, CES) question of every survey about the releases whose surveys closed in the last {window}, pooled per release, each answer weighing the same.")
}
const COMPARISON_DEFINITION: &str = "Each release is compared with the pool of the other releases in the window (CSAT and CES: share of 4-5 and of 5-7, two-proportion z-test with pooled variance; NPS: z-test on the difference with each side's variance), at 95%. A release still being surveyed is shown “so far” with its own interval, and is labelled like the others only once its surveys have closed.";

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Viewer>
            <OverviewView/>
        </Guarded>
    }
}

#[component]
fn OverviewView() -> impl IntoView {
    let remind = FormAction::<RemindNow>::new();
    let dashboard = crate::ui::wire::resource(move || remind.version().get(), |_| get_dashboard());
    view! {
        <PageHeader title="Overview".into() lead="Open surveys, the satisfaction baseline across your releases, and which communities take part."/>
        <FormMessage error=Signal::derive(move || remind.value().get().and_then(Result::err)) fields=&[]/>
        {move || remind.value().get().and_then(Result::ok).map(|n| view! {
            <div class="notice notice-success" role="status">{format!("{} queued.", crate::ui::count(n as i64, "reminder", "reminders"))}</div>
        })}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(d) => view! { <DashboardBody d remind/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DashboardBody(d: Dashboard, remind: FormAction<RemindNow>) -> impl IntoView {
    let window = window_text(d.window_days);
    let expected = if d.expected_from_history {
        format!(
            "Expected rate {:.0}%: the mean final rate of surveys closed in the last {window}.",
            d.expected_rate
        )
    } else {
        format!("Expected rate {:.0}%, a common rate for email surveys, until closed surveys give your own.", d.expected_rate)
    };
    view! {
        <section class="card" aria-labelledby="open-title">
            <h2 class="section-title" id="open-title">{format!("Open surveys ({})", d.open.len())}</h2>
            <p class="hint">{expected}</p>
            {if d.open.is_empty() {
                view! { <p class="empty-inline">"No survey is open. Open one from the survey list to start collecting answers."</p> }.into_any()
            } else {
                view! { <OpenTable open=d.open remind/> }.into_any()
            }}
        </section>
        <BaselineCard baseline=d.baseline window=window.clone()/>
        <EngagementCard engagement=d.engagement window/>
    }
}

fn percent(rate: Option<f64>) -> String {
    rate.map(|r| format!("{r:.1}%"))
        .unwrap_or_else(|| "–".into())
}

fn verdict_text(verdict: &Option<Verdict>) -> String {
    match verdict {
        Some(Verdict::Actionable) => "Actionable".into(),
        Some(Verdict::NeedMore(k)) => format!("Not yet: about {k} more"),
        Some(Verdict::Unreachable) => "Not reachable with this audience".into(),
        None => "No scored question".into(),
    }
}

#[component]
fn OpenTable(open: Vec<OpenSurvey>, remind: FormAction<RemindNow>) -> impl IntoView {
    let can_edit = use_current_user().role.includes(Role::Editor);
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead><tr>
                    <th scope="col">"Survey"</th><th scope="col" class="num">"Completed"</th>
                    <th scope="col" class="num"><abbr title="Completed responses / invitations delivered (sent and not bounced; in your product, the panel shown).">"Rate"</abbr></th>
                    <th scope="col">"Verdict"</th><th scope="col">"Needs attention"</th>
                </tr></thead>
                <tbody>
                    {open.into_iter().map(|s| {
                        let href = format!("/surveys/{}/results", s.survey_id);
                        let remind_form = (can_edit && s.needs_attention && s.remindable > 0).then(|| {
                            let id = s.survey_id.clone();
                            view! {
                                <ServerForm action=remind attr:class="inline-form">
                                    <input type="hidden" name="survey_id" value=id/>
                                    <button type="submit" class="button small">{format!("Remind {} now", s.remindable)}</button>
                                </ServerForm>
                            }
                        });
                        view! {
                            <tr data-testid="open-survey">
                                <td><a href=href>{s.title.clone()}</a></td>
                                <td class="num">{format!("{} of {}", crate::ui::format_count(s.completed), crate::ui::format_count(s.delivered))}</td>
                                <td class="num">{percent(s.rate)}</td>
                                <td>{verdict_text(&s.verdict)}</td>
                                <td>
                                    {if s.needs_attention { view! { <span class="badge badge-draft">"Below expected rate"</span> }.into_any() } else { view! { <span class="muted">"On track"</span> }.into_any() }}
                                    " "{remind_form}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A pooled baseline score in words, with its interval and how much it rests on.
pub fn pooled_text(label: &str, pooled: Option<Pooled>, unit: &str, window: &str) -> String {
    match pooled {
        Some(p) => format!(
            "{label} {:.1}{unit} (95% interval {:.1} to {:.1}), {} from {}",
            p.estimate.value,
            p.estimate.low,
            p.estimate.high,
            crate::ui::count(p.answers, "answer", "answers"),
            crate::ui::count(p.releases, "release", "releases")
        ),
        None => format!("{label}: no release whose surveys closed in the last {window} yet."),
    }
}

/// A release's score with its interval and where it stands against the others.
pub fn scored_text(scored: Option<Scored>, unit: &str, so_far: bool) -> String {
    let Some(s) = scored else {
        return "–".into();
    };
    let against = match (so_far, s.against_others) {
        (true, _) => "so far",
        (_, Some(Comparison::Above)) => "above",
        (_, Some(Comparison::Below)) => "below",
        (_, Some(Comparison::NotDistinguishable)) => "not distinguishable",
        (_, None) => "nothing to compare with",
    };
    format!(
        "{:.1}{unit} ({:.1} to {:.1}, n = {}): {against}",
        s.estimate.value, s.estimate.low, s.estimate.high, s.answers
    )
}

fn shipped(release: &ReleaseScore) -> String {
    match &release.released_on {
        Some(day) => day.clone(),
        None => format!("{} (first survey)", format_date(release.dated)),
    }
}

#[component]
fn BaselineCard(baseline: Baseline, window: String) -> impl IntoView {
    let zone = use_team_zone();
    let definition = baseline_definition(&window);
    let has_ces = baseline.ces.is_some() || baseline.releases.iter().any(|r| r.ces.is_some());
    view! {
        <section class="card" aria-labelledby="baseline-title">
            <h2 class="section-title" id="baseline-title"><abbr title=definition.clone() tabindex="0">"Satisfaction baseline"</abbr></h2>
            <p data-testid="baseline-csat">{pooled_text("CSAT", baseline.csat, "%", &window)}</p>
            <p data-testid="baseline-nps">{pooled_text("NPS", baseline.nps, "", &window)}</p>
            {has_ces.then(|| view! { <p data-testid="baseline-ces">{pooled_text("CES (5-7)", baseline.ces, "%", &window)}</p> })}
            <details class="definition">
                <summary>"How these are computed"</summary>
                <p class="hint">{definition}" "{COMPARISON_DEFINITION}</p>
            </details>
            <Plots baseline=baseline.clone()/>
            {(!baseline.releases.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="table">
                        <thead><tr>
                            <th scope="col">"Release"</th><th scope="col">"Shipped"</th><th scope="col">"Surveys closed"</th>
                            <th scope="col">"CSAT against the others"</th><th scope="col">"NPS against the others"</th>
                            {has_ces.then(|| view! { <th scope="col">"CES against the others"</th> })}
                        </tr></thead>
                        <tbody>
                            {baseline.releases.into_iter().map(|r| {
                                let day = shipped(&r);
                                view! {
                                    <tr class:so-far=r.so_far>
                                        <th scope="row">{r.release.clone()}
                                            <ul class="release-surveys">
                                                {r.surveys.iter().map(|(id, title)| view! {
                                                    <li><a href=format!("/surveys/{id}/results")>{title.clone()}</a></li>
                                                }).collect_view()}
                                            </ul>
                                        </th>
                                        <td>{day}</td>
                                        <td>{match r.closed_at {
                                            Some(at) => zone.date(at),
                                            None => "still open: so far".into(),
                                        }}</td>
                                        <td>{scored_text(r.csat, "%", r.so_far)}</td>
                                        <td>{scored_text(r.nps, "", r.so_far)}</td>
                                        {has_ces.then(|| view! { <td>{scored_text(r.ces, "%", r.so_far)}</td> })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

const ENGAGEMENT_DEFINITION: &str = "Engagement: communities with at least one completed response in the window, of the communities sent at least one invitation in it, with its 95% Wilson interval (no finite population correction), so tiers and periods can be compared honestly.";

fn share_text(share: &super::baseline_model::Share) -> String {
    match share.estimate {
        Some(e) => format!(
            "{:.0}% ({} of {}; {:.0} to {:.0})",
            e.value, share.engaged, share.invited, e.low, e.high
        ),
        None => "no community invited".into(),
    }
}

#[component]
fn EngagementCard(engagement: Engagement, window: String) -> impl IntoView {
    let overall = engagement.overall;
    view! {
        <section class="card" aria-labelledby="engagement-title">
            <h2 class="section-title" id="engagement-title"><abbr title=ENGAGEMENT_DEFINITION tabindex="0">"Engagement"</abbr></h2>
            <p class="headline-number" data-testid="engagement">{percent(overall.estimate.map(|e| e.value))}</p>
            <p class="hint">{match overall.estimate {
                Some(e) => format!(
                    "{} of {} sent an invitation in the last {window} answered at least once (95% interval {:.0}% to {:.0}%).",
                    crate::ui::format_count(overall.engaged),
                    crate::ui::count(overall.invited, "community", "communities"),
                    e.low, e.high
                ),
                None => format!("No community was sent an invitation in the last {window}."),
            }}</p>
            <ul class="tier-list">
                {engagement.by_tier.into_iter().map(|(tier, share)| view! {
                    <li><span>{tier}</span><span>{share_text(&share)}</span></li>
                }).collect_view()}
            </ul>
            <p><a href="/communities">"Engagement by quarter, and the communities at risk"</a></p>
        </section>
    }
}

/// The CSAT, NPS and CES of each release over time against the baseline, where any
/// release has answers to that kind of question.
#[component]
fn Plots(baseline: Baseline) -> impl IntoView {
    let rows = |pick: fn(&ReleaseScore) -> Option<Scored>| -> Vec<PlotRow> {
        // The table lists the newest first; time runs left to right.
        baseline
            .releases
            .iter()
            .rev()
            .filter_map(|r| {
                pick(r).map(|s| PlotRow {
                    label: r.release.clone(),
                    estimate: s.estimate,
                    against: s.against_others,
                    so_far: r.so_far,
                })
            })
            .collect()
    };
    let plot = |title: &str, rows: Vec<PlotRow>, pooled: Option<Pooled>, scale: (f64, f64)| {
        (!rows.is_empty()).then(|| view! {
            <ReleaseTimeline title=title.to_string() rows baseline=pooled.map(|p| p.estimate) scale/>
        })
    };
    view! {
        {plot("CSAT by release, % satisfied (4-5)", rows(|r| r.csat), baseline.csat, (0.0, 100.0))}
        {plot("NPS by release", rows(|r| r.nps), baseline.nps, (-100.0, 100.0))}
        {plot("CES by release, % finding it easy (5-7)", rows(|r| r.ces), baseline.ces, (0.0, 100.0))}
        <p class="hint">"Each dot is a release's score with its 95% interval, in the order they shipped: green above the other releases, red below, grey not distinguishable, hollow while its surveys are still open. The shaded band is the baseline's own interval."</p>
    }
}
