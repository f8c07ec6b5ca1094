//! The releases over time against the baseline: one column per release in the order they
//! shipped, its score as a dot with its 95% interval as a whisker, and the baseline's own
//! interval as a horizontal band. A release still being surveyed is a hollow dot. Pure
//! SVG with presentation attributes and classes (the content security policy allows no
//! inline style).
use super::stats::{Comparison, Estimate};
use leptos::prelude::*;

const WIDTH: f64 = 720.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 34.0;
const PLOT: f64 = 200.0;
const LABELS: f64 = 70.0;

/// One release in the plot.
#[derive(Clone)]
pub struct PlotRow {
    pub label: String,
    pub estimate: Estimate,
    pub against: Option<Comparison>,
    pub so_far: bool,
}

fn class_of(row: &PlotRow) -> &'static str {
    match (row.so_far, row.against) {
        (true, _) => "dot dot-so-far",
        (_, Some(Comparison::Above)) => "dot dot-above",
        (_, Some(Comparison::Below)) => "dot dot-below",
        _ => "dot",
    }
}

/// A label short enough to sit under its column; the full name is in the description.
fn short(label: &str) -> String {
    let mut chars = label.chars();
    let head: String = chars.by_ref().take(16).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

fn describe(row: &PlotRow) -> String {
    let state = match (row.so_far, row.against) {
        (true, _) => "so far",
        (_, Some(Comparison::Above)) => "above the others",
        (_, Some(Comparison::Below)) => "below the others",
        (_, Some(Comparison::NotDistinguishable)) => "not distinguishable",
        (_, None) => "nothing to compare with",
    };
    format!(
        "{} {:.1} ({:.1} to {:.1}), {state}",
        row.label, row.estimate.value, row.estimate.low, row.estimate.high
    )
}

/// `rows` oldest first; `scale` is the score's range (0 to 100, or -100 to 100 for NPS).
#[component]
pub fn ReleaseTimeline(
    title: String,
    rows: Vec<PlotRow>,
    baseline: Option<Estimate>,
    scale: (f64, f64),
) -> impl IntoView {
    let height = TOP + PLOT + LABELS;
    let y = move |v: f64| TOP + PLOT * (scale.1 - v) / (scale.1 - scale.0);
    let step = (WIDTH - LEFT - RIGHT) / rows.len().max(1) as f64;
    let x = move |i: usize| LEFT + step * (i as f64 + 0.5);
    let description = format!(
        "{title}. {}{}",
        match baseline {
            Some(b) => format!(
                "Baseline {:.1} (95% interval {:.1} to {:.1}). ",
                b.value, b.low, b.high
            ),
            None => "No closed release yet to form a baseline. ".into(),
        },
        rows.iter().map(describe).collect::<Vec<_>>().join("; ")
    );
    let middle = (scale.0 + scale.1) / 2.0;
    // The legend sits above the plot, where no release's whisker can cover it.
    let any_so_far = rows.iter().any(|r| r.so_far);
    view! {
        <figure class="release-timeline">
            <figcaption class="plot-title">{title.clone()}</figcaption>
            <svg class="interval-plot" viewBox=format!("0 0 {WIDTH} {height}") role="img">
                <title>{description}</title>
                {[scale.0, middle, scale.1].into_iter().map(|v| view! {
                    <line class="gridline" x1=LEFT y1=y(v) x2=WIDTH - RIGHT y2=y(v)/>
                    <text class="tick" x=LEFT - 6.0 y=y(v) + 4.0 text-anchor="end">{format!("{v}")}</text>
                }).collect_view()}
                {baseline.map(|b| view! {
                    <rect class="baseline-band" x=LEFT y=y(b.high) width=WIDTH - LEFT - RIGHT height=(y(b.low) - y(b.high)).max(1.0)/>
                    <line class="baseline-line" x1=LEFT y1=y(b.value) x2=WIDTH - RIGHT y2=y(b.value)/>
                    <rect class="baseline-band" x=LEFT y=4.0 width=22.0 height=12.0/>
                    <line class="baseline-line" x1=LEFT y1=10.0 x2=LEFT + 22.0 y2=10.0/>
                    <text class="tick" x=LEFT + 28.0 y=14.0>{format!("baseline {:.1} (95% interval {:.1} to {:.1})", b.value, b.low, b.high)}</text>
                })}
                {any_so_far.then(|| view! {
                    <circle class="dot dot-so-far" cx=WIDTH - RIGHT - 150.0 cy=10.0 r="5"/>
                    <text class="tick" x=WIDTH - RIGHT - 140.0 y=14.0>"still being surveyed"</text>
                })}
                {rows.iter().enumerate().map(|(i, r)| {
                    let cx = x(i);
                    let label_y = TOP + PLOT + 14.0;
                    view! {
                        <line class="whisker" x1=cx y1=y(r.estimate.high) x2=cx y2=y(r.estimate.low)/>
                        <circle class=class_of(r) cx=cx cy=y(r.estimate.value) r="5"/>
                        <text class="plot-label" x=cx y=label_y text-anchor="end"
                            transform=format!("rotate(-35 {cx} {label_y})")>{short(&r.label)}</text>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}
