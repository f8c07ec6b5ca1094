//! Each release's score and 95% interval drawn against the baseline: one row per release,
//! a dot with its interval, and the baseline as a vertical band. Pure SVG with
//! presentation attributes and classes (the content security policy allows no inline style).
use super::stats::{Comparison, Estimate};
use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const LABEL: f64 = 180.0;
const ROW: f64 = 28.0;
const AXIS: f64 = 24.0;

/// One release in the plot.
#[derive(Clone)]
pub struct PlotRow {
    pub label: String,
    pub estimate: Estimate,
    pub against: Option<Comparison>,
}

fn class_of(against: Option<Comparison>) -> &'static str {
    match against {
        Some(Comparison::Above) => "dot dot-above",
        Some(Comparison::Below) => "dot dot-below",
        _ => "dot",
    }
}

#[component]
pub fn IntervalPlot(
    title: String,
    rows: Vec<PlotRow>,
    baseline: Estimate,
    scale: (f64, f64),
) -> impl IntoView {
    let height = AXIS + ROW * rows.len() as f64 + 8.0;
    let x = move |v: f64| LABEL + (WIDTH - LABEL - 12.0) * (v - scale.0) / (scale.1 - scale.0);
    let description = format!(
        "{title}: baseline {:.1} (95% interval {:.1} to {:.1}); {}",
        baseline.value,
        baseline.low,
        baseline.high,
        rows.iter()
            .map(|r| format!(
                "{} {:.1} ({:.1} to {:.1})",
                r.label, r.estimate.value, r.estimate.low, r.estimate.high
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    view! {
        <svg class="interval-plot" viewBox=format!("0 0 {WIDTH} {height}") role="img">
            <title>{description}</title>
            <rect class="baseline-band" x=x(baseline.low) y=AXIS - 4.0 width=(x(baseline.high) - x(baseline.low)).max(1.0) height=height - AXIS/>
            <line class="baseline-line" x1=x(baseline.value) y1=AXIS - 4.0 x2=x(baseline.value) y2=height - 4.0/>
            <text class="tick" x=x(scale.0) y=14.0>{format!("{}", scale.0)}</text>
            <text class="tick" x=x(scale.1) y=14.0 text-anchor="end">{format!("{}", scale.1)}</text>
            <text class="tick" x=x(baseline.value) y=14.0 text-anchor="middle">"baseline"</text>
            {rows.into_iter().enumerate().map(|(i, r)| {
                let y = AXIS + ROW * i as f64 + ROW / 2.0;
                view! {
                    <text class="plot-label" x=LABEL - 8.0 y=y + 4.0 text-anchor="end">{r.label.clone()}</text>
                    <line class="whisker" x1=x(r.estimate.low) y1=y x2=x(r.estimate.high) y2=y/>
                    <circle class=class_of(r.against) cx=x(r.estimate.value) cy=y r="5"/>
                }
            }).collect_view()}
        </svg>
    }
}
