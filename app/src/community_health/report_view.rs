//! `/reports/quarterly`: the quarterly report for leadership, a page that prints to
//! readable pages (the print stylesheet drops the app's chrome), and the same body as a
//! standalone HTML file to attach. Every figure carries a footnote with its definition.
use super::api::get_quarterly_report;
use super::model::{QuarterlyReport, Share};
use super::pages::{ENGAGEMENT_DEFINITION, RATE_DEFINITION};
use crate::auth::model::Role;
use crate::monitoring::dashboard::{pooled_text, scored_text, window_text};
use crate::ui::{use_team_zone, ErrorPanel, FormMessage, Guarded, Loading, PageHeader};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const BASELINE_NOTE: &str = "Release baseline: all completed answers to the first CSAT (likewise NPS, CES) question of every survey about the releases whose surveys closed in the window ending with the quarter, pooled, each answer weighing the same.";
const COMPARISON_NOTE: &str = "Each release is compared with the pool of the other releases in the window (CSAT and CES: share of 4-5 and of 5-7, two-proportion z-test with pooled variance; NPS: z-test on the difference with each side's variance), at 95%. A release still being surveyed is shown “so far” with its own interval.";
const AT_RISK_NOTE: &str = "At risk: answered none of its last two closed surveys; or invited in each of the last two periods of 91 days and answered in neither; or its score over the last year below everyone else's in the same surveys with a difference larger than chance at 95%; or its response rate fell by more than the latest rate's 95% half-width between the last two periods. Judged on the surveys sent and closed by the quarter's end, with their figures as they stand today, and only the figures the surveys' own results show (small groups stay hidden).";
const INTERVAL_NOTE: &str = "95% intervals: Wilson score interval for shares (no finite population correction for engagement), the NPS variance formula for NPS.";

#[component]
pub fn QuarterlyReportPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Viewer>
            <ReportView/>
        </Guarded>
    }
}

#[component]
fn ReportView() -> impl IntoView {
    let query = use_query_map();
    let report = crate::ui::wire::resource(
        move || query.with(|q| q.get("quarter").unwrap_or_default()),
        |quarter| get_quarterly_report(Some(quarter)),
    );
    view! {
        <div class="no-print">
            <PageHeader title="Quarterly report".into() lead="Baseline, releases against it, engagement and the communities at risk, for one quarter: print it, or download it to attach."/>
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => view! {
                        <ReportControls report=report.clone()/>
                        <ReportBody report/>
                    }.into_any(),
                    Err(error @ crate::error::AppError::Validation(_)) => view! {
                        <FormMessage error=Signal::derive(move || Some(error.clone())) fields=&[]/>
                        <p><a href="/reports/quarterly">"Show the last complete quarter"</a></p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ReportControls(report: QuarterlyReport) -> impl IntoView {
    let chosen = report.quarter.clone();
    let download = format!(
        "/reports/quarterly.html?quarter={}",
        form_urlencoded::byte_serialize(chosen.as_bytes()).collect::<String>()
    );
    view! {
        <div class="card no-print report-controls">
            <form method="get" action="/reports/quarterly" class="filters" aria-label="Choose the quarter">
                <div class="field">
                    <label for="quarter">"Quarter"</label>
                    <select id="quarter" name="quarter">
                        {report.choices.iter().map(|q| {
                            let is = *q == chosen;
                            view! { <option value=q.clone() selected=is>{q.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button">"Show"</button>
            </form>
            <p class="report-actions">
                <a class="button secondary" href=download download>"Download as HTML"</a>
                " "
                <span class="hint">"To make a PDF, print this page and choose “Save as PDF”: the menus and buttons are left out."</span>
            </p>
        </div>
    }
}

fn share(s: &Share) -> String {
    match s.estimate {
        Some(e) => format!(
            "{:.0}% ({} of {}; 95% interval {:.0} to {:.0})",
            e.value, s.engaged, s.invited, e.low, e.high
        ),
        None => "No community was sent an invitation in this period.".into(),
    }
}

/// A footnote mark linking to its definition.
fn note(n: u8) -> impl IntoView {
    view! { <sup><a href=format!("#note-{n}") aria-label=format!("Definition {n}")>{n}</a></sup> }
}

/// The report itself, the same on the page, in print and in the downloaded file.
#[component]
pub fn ReportBody(report: QuarterlyReport) -> impl IntoView {
    let zone = use_team_zone();
    let period = format!(
        "{} to {}{}",
        zone.date(report.from),
        zone.date(report.until - 1),
        if report.so_far { " (so far)" } else { "" }
    );
    let window = window_text(report.window_days);
    let b = report.baseline.clone();
    let has_ces = b.ces.is_some() || b.releases.iter().any(|r| r.ces.is_some());
    let has_nps = b.releases.iter().any(|r| r.nps.is_some());
    let change = report.previous.as_ref().and_then(|(label, prev)| {
        let (now, before) = (report.engagement.estimate?, prev.estimate?);
        Some(format!(
            "{label}: {:.0}% ({} of {}), so {:.0} points {}.",
            before.value,
            prev.engaged,
            prev.invited,
            (now.value - before.value).abs(),
            if now.value >= before.value {
                "up"
            } else {
                "down"
            }
        ))
    });
    view! {
        <article class="report" data-testid="quarterly-report">
            <header class="report-header">
                <p class="report-kicker">"Soundings · quarterly report"</p>
                <h2 class="report-title">{report.quarter.clone()}</h2>
                <p class="hint">{format!("{period}. Made {}.", zone.time(report.made_at))}</p>
            </header>

            <section class="report-section" aria-labelledby="r-baseline">
                <h3 id="r-baseline">"Satisfaction baseline"{note(1)}</h3>
                <p class="hint">{format!("Over the {window} ending with the quarter.")}</p>
                <ul class="report-figures">
                    <li data-testid="report-csat">{pooled_text("CSAT", b.csat, "%", &window)}</li>
                    <li>{pooled_text("NPS", b.nps, "", &window)}</li>
                    {has_ces.then(|| view! { <li>{pooled_text("CES (5-7)", b.ces, "%", &window)}</li> })}
                </ul>
            </section>

            <section class="report-section" aria-labelledby="r-releases">
                <h3 id="r-releases">"Releases against the baseline"{note(2)}</h3>
                {if b.releases.is_empty() {
                    view! { <p class="empty-inline">"No release's surveys closed in this quarter."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="table report-table">
                            <thead><tr>
                                <th scope="col">"Release"</th>
                                <th scope="col">"CSAT"</th>
                                {has_nps.then(|| view! { <th scope="col">"NPS"</th> })}
                                {has_ces.then(|| view! { <th scope="col">"CES (5-7)"</th> })}
                            </tr></thead>
                            <tbody>
                                {b.releases.iter().map(|r| view! {
                                    <tr>
                                        <th scope="row">{r.release.clone()}</th>
                                        <td>{scored_text(r.csat, "%", r.so_far)}</td>
                                        {has_nps.then(|| view! { <td>{scored_text(r.nps, "", r.so_far)}</td> })}
                                        {has_ces.then(|| view! { <td>{scored_text(r.ces, "%", r.so_far)}</td> })}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any()
                }}
            </section>

            <section class="report-section" aria-labelledby="r-engagement">
                <h3 id="r-engagement">"Engagement"{note(3)}</h3>
                <p class="report-headline" data-testid="report-engagement">{share(&report.engagement)}</p>
                {change.map(|c| view! { <p class="hint">{c}</p> })}
                <div class="table-wrap"><table class="table report-table">
                    <thead><tr><th scope="col">"Tier"</th><th scope="col">"Communities that answered"</th></tr></thead>
                    <tbody>
                        {report.engagement_by_tier.iter().map(|(tier, s)| view! {
                            <tr><th scope="row">{tier.clone()}</th><td>{share(s)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            </section>

            <section class="report-section" aria-labelledby="r-risk">
                <h3 id="r-risk">{format!("Communities at risk ({})", report.at_risk.len())}{note(4)}</h3>
                {if report.at_risk.is_empty() {
                    view! { <p class="empty-inline">"None at the quarter's end."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="table report-table" data-testid="report-at-risk">
                            <thead><tr>
                                <th scope="col">"Community"</th><th scope="col">"Why"</th>
                                <th scope="col">"Renews"</th><th scope="col">"Looked after by"</th>
                            </tr></thead>
                            <tbody>
                                {report.at_risk.iter().map(|r| view! {
                                    <tr>
                                        <th scope="row">{r.name.clone()}<br/><span class="hint">{r.tier.clone()}</span></th>
                                        <td><ul class="reasons">{r.reasons.iter().map(|x| view! { <li>{x.words()}</li> }).collect_view()}</ul></td>
                                        <td class="nowrap">{r.renews_on.clone().unwrap_or_else(|| "–".into())}</td>
                                        <td>{r.owner.clone().unwrap_or_else(|| "Nobody yet".into())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any()
                }}
            </section>

            <footer class="report-notes">
                <h3>"Definitions"</h3>
                <ol>
                    <li id="note-1">{BASELINE_NOTE}" "{INTERVAL_NOTE}</li>
                    <li id="note-2">{COMPARISON_NOTE}</li>
                    <li id="note-3">{ENGAGEMENT_DEFINITION}" "{RATE_DEFINITION}</li>
                    <li id="note-4">{AT_RISK_NOTE}{format!(" Small-group minimum: {} answers.", report.small_group)}</li>
                </ol>
            </footer>
        </article>
    }
}
