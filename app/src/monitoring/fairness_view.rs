//! The results page's fairness card: the headline beside its community-weighted and
//! re-weighted readings, what they say together in words, and who answered against who
//! was invited.
use super::model::Fair;
use leptos::prelude::*;

pub const COMMUNITY_WEIGHTED_DEFINITION: &str = "Community-weighted score: the mean, over communities with at least the small-group minimum of answers, of each community's own score; its 95% interval is mean ± 1.96 · s / √m, with s the standard deviation of the community scores and m their number (communities as clusters). Shown beside the person-weighted score, never instead of it.";
pub const REWEIGHTED_DEFINITION: &str = "Re-weighted score (non-response check): each tier's respondents weighted so that the tier's weight equals its share of delivered invitations (post-stratification by tier; people in no community form their own group). When it and the plain score differ by more than the plain score's half-width, this card says so in words.";

#[component]
pub fn FairCard(fair: Fair) -> impl IntoView {
    let unit = fair.unit.clone();
    let estimate = move |e: crate::monitoring::stats::Estimate| {
        format!(
            "{:.0}{unit} (95% interval {:.0} to {:.0})",
            e.value, e.low, e.high
        )
    };
    let plain = estimate(fair.plain);
    let community = match (fair.community_weighted, &fair.community_weighted_note) {
        (Some(e), _) => format!("{}, {} communities", estimate(e), fair.communities),
        (None, Some(note)) => note.clone(),
        (None, None) => "–".into(),
    };
    let reweighted = match (fair.reweighted, &fair.reweighted_note) {
        (Some(v), Some(note)) => format!("{v:.0}{}. {note}", fair.unit),
        (Some(v), None) => format!("{v:.0}{}", fair.unit),
        (None, Some(note)) => note.clone(),
        (None, None) => "–".into(),
    };
    view! {
        <section class="card" aria-labelledby="fair-title" data-testid="fair">
            <h2 class="section-title" id="fair-title">{format!("Is the {} fair to every community?", fair.label)}</h2>
            <dl class="facts">
                <dt>"Person-weighted (each answer once)"</dt><dd data-testid="fair-plain">{plain}</dd>
                <dt><abbr title=COMMUNITY_WEIGHTED_DEFINITION tabindex="0">"Community-weighted"</abbr>" (each community once)"</dt>
                <dd data-testid="fair-community">{community}</dd>
                <dt><abbr title=REWEIGHTED_DEFINITION tabindex="0">"Re-weighted"</abbr>" to the invited mix of tiers"</dt>
                <dd data-testid="fair-reweighted">{reweighted}</dd>
            </dl>
            {(!fair.findings.is_empty()).then(|| view! {
                <ul class="findings" data-testid="fair-findings">
                    {fair.findings.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view()}
                </ul>
            })}
            <div class="table-wrap">
                <table class="table">
                    <caption>"Who was reached, and who answered"</caption>
                    <thead><tr>
                        <th scope="col">"Group"</th>
                        <th scope="col" class="num">"Of the people reached"</th>
                        <th scope="col" class="num">"Of those who answered"</th>
                    </tr></thead>
                    <tbody>
                        {fair.mix.iter().map(|row| view! {
                            <tr>
                                <th scope="row">{format!("{}: {}", row.by, row.group)}</th>
                                <td class="num">{format!("{:.0}%", row.invited_share)}</td>
                                <td class="num">{format!("{:.0}%", row.respondent_share)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <details class="definition">
                <summary>"How these are computed"</summary>
                <p class="hint">{COMMUNITY_WEIGHTED_DEFINITION}</p>
                <p class="hint">{REWEIGHTED_DEFINITION}</p>
            </details>
        </section>
    }
}
