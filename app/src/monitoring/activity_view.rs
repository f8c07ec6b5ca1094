//! The results page's activity: a chart of completions over time with the send and each
//! reminder marked, and the list of people who have not answered yet.
use super::model::{NonResponder, Timeline, NON_RESPONDERS_SHOWN};
use crate::ui::{use_team_zone, TeamZone};
use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 12.0;

/// Bucket start as a label in the team's time zone: the day, and the hour when buckets
/// are hours.
fn label(zone: &TeamZone, at: i64, bucket_secs: i64) -> String {
    if bucket_secs < 86_400 {
        zone.time(at)
    } else {
        zone.date(at)
    }
}

/// Cumulative completions as a step line over the survey's time, scaled to the people
/// delivered, with dashed lines where invitations and reminders went out. Pure SVG with
/// presentation attributes: the content security policy allows no inline style.
#[component]
pub fn TimelineChart(timeline: Timeline, delivered: i64) -> impl IntoView {
    let zone = use_team_zone();
    let times: Vec<i64> = timeline
        .points
        .iter()
        .map(|(at, _)| *at)
        .chain(timeline.events.iter().map(|e| e.at))
        .collect();
    let (Some(start), Some(end)) = (times.iter().min().copied(), times.iter().max().copied())
    else {
        return view! { <p class="empty-inline">"Nothing sent yet: the chart starts with the first invitation."</p> }.into_any();
    };
    let end = end + timeline.bucket_secs;
    let top = delivered
        .max(timeline.points.last().map_or(0, |p| p.1))
        .max(1);
    let x = move |at: i64| LEFT + (WIDTH - LEFT - 8.0) * (at - start) as f64 / (end - start) as f64;
    let y = move |n: i64| HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * n as f64 / top as f64;
    let mut corners = vec![(x(start), y(0))];
    let mut level = y(0);
    for (at, total) in &timeline.points {
        corners.push((x(*at), level));
        level = y(*total);
        corners.push((x(*at), level));
    }
    corners.push((x(end), level));
    let line: Vec<String> = corners
        .iter()
        .map(|(a, b)| format!("{a:.1},{b:.1}"))
        .collect();
    let line = line.join(" ");
    let last = timeline.points.last().map_or(0, |p| p.1);
    let bucket = timeline.bucket_secs;
    let summary = format!(
        "{} completed of {} delivered, from {} to {}.",
        crate::ui::format_count(last),
        crate::ui::format_count(delivered),
        label(&zone, start, bucket),
        label(&zone, end, bucket)
    );
    view! {
        <svg class="timeline" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby="timeline-desc">
            <desc id="timeline-desc">{format!("Completed responses over time. {summary}")}</desc>
            <line class="axis" x1=LEFT y1=y(0) x2=WIDTH - 8.0 y2=y(0)/>
            <line class="axis" x1=LEFT y1=TOP x2=LEFT y2=y(0)/>
            <text class="tick" x=LEFT - 6.0 y=y(0) text-anchor="end">"0"</text>
            <text class="tick" x=LEFT - 6.0 y=y(top) + 4.0 text-anchor="end">{top}</text>
            <text class="tick" x=LEFT y=HEIGHT - 6.0>{label(&zone, start, bucket)}</text>
            <text class="tick" x=WIDTH - 8.0 y=HEIGHT - 6.0 text-anchor="end">{label(&zone, end, bucket)}</text>
            {timeline.events.iter().map(|e| {
                let what = if e.reminder { "Reminders" } else { "Invitations" };
                view! {
                    <line class=if e.reminder { "mark mark-reminder" } else { "mark" } x1=x(e.at) y1=TOP x2=x(e.at) y2=y(0) stroke-dasharray="4 3">
                        <title>{format!("{what} sent: {} ({})", e.messages, label(&zone, e.at, bucket))}</title>
                    </line>
                }
            }).collect_view()}
            <polyline class="completions" points=line fill="none"/>
        </svg>
        <p class="hint">{summary}" Dashed lines: invitations (blue) and reminders (amber) going out."</p>
        <details>
            <summary>"The figures behind the chart"</summary>
            <table class="table">
                <thead><tr><th scope="col">"From"</th><th scope="col" class="num">"Completed so far"</th></tr></thead>
                <tbody>
                    {timeline.points.into_iter().map(|(at, total)| view! {
                        <tr><td>{label(&zone, at, bucket)}</td><td class="num">{total}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
    .into_any()
}

/// People who could still answer, for a personal word; or why the list is hidden.
#[component]
pub fn NonResponders(
    people: Option<Vec<NonResponder>>,
    remaining: i64,
    anonymous: bool,
) -> impl IntoView {
    let Some(people) = people else {
        let why = if anonymous {
            "Hidden in an anonymous survey: the people not on the list would be the people who answered. Reminders still go only to those who have not."
        } else {
            "Shown to editors only: beside the results, the people not on the list would say what each person who answered said."
        };
        return view! { <p class="hint">{why}</p> }.into_any();
    };
    if people.is_empty() {
        return view! { <p class="empty-inline">"Nobody is waiting: everyone the invitation reached has answered or unsubscribed."</p> }.into_any();
    }
    view! {
        {(remaining > NON_RESPONDERS_SHOWN).then(|| view! {
            <p class="hint">{format!("Showing {NON_RESPONDERS_SHOWN} of {remaining}, by community and name.")}</p>
        })}
        <div class="table-wrap">
            <table class="table">
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Community"</th>
                    <th scope="col" class="num">"Reminders sent"</th>
                </tr></thead>
                <tbody>
                    {people.into_iter().map(|p| view! {
                        <tr>
                            <td>{p.name}</td><td>{p.email}</td><td>{p.community.unwrap_or_default()}</td>
                            <td class="num">{p.reminders}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
