//! `/surveys/{id}/results`: the response rate, each score with its interval and verdict,
//! and the breakdowns by tier and community. Every number has its definition a hover or
//! focus away.
use super::activity_view::{NonResponders, TimelineChart};
use super::api::{get_results, SetPrecisionTarget};
use super::comments_view::{comments_resource, CommentsResource, CommentsSection};
use super::model::{Coverage, GroupRow, QuestionScore, Results};
use super::stats::Verdict;
use crate::auth::model::Role;
use crate::error::AppError;
use crate::ui::{
    use_current_user, ErrorPanel, FormAction, FormMessage, Guarded, Loading, PageHeader, ServerForm,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

const RATE_DEFINITION: &str =
    "Response rate: completed responses / invitations delivered (sent and not bounced; in your product, the panel shown).";
const INTERVAL_DEFINITION: &str = "95% interval: Wilson score interval for shares, the NPS variance formula for NPS, with the finite population correction for the people delivered.";

#[component]
pub fn ResultsPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Viewer>
            <ResultsView/>
        </Guarded>
    }
}

#[component]
fn ResultsView() -> impl IntoView {
    let params = use_params_map();
    let target = FormAction::<SetPrecisionTarget>::new();
    let comments = comments_resource(Signal::derive(move || {
        params.get().get("id").unwrap_or_default()
    }));
    let results = crate::ui::wire::resource(
        move || {
            (
                params.get().get("id").unwrap_or_default(),
                target.version().get(),
            )
        },
        |(id, _)| get_results(id),
    );
    super::live::refresh_while_open(move || results.refetch());
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(results) => view! { <ResultsBody results target comments/> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::app::NotFoundPage/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ResultsBody(
    results: Results,
    target: FormAction<SetPrecisionTarget>,
    comments: CommentsResource,
) -> impl IntoView {
    let can_edit = use_current_user().role.includes(Role::Editor);
    let back = format!("/surveys/{}", results.survey_id);
    let target_points = results.target_points;
    let silent = silent_tiers(&results.by_tier);
    let comment_scale = results
        .scores
        .first()
        .and_then(|s| Some((s.distribution.first()?.0, s.distribution.last()?.0)));
    view! {
        <p class="breadcrumb"><a href=back>{results.title.clone()}</a></p>
        <PageHeader title=format!("Results: {}", results.title) lead="Live from the invitation ledger: the figures refresh every 5 seconds while this page is open (reload them if scripts are off)."/>
        <RateCard results=results.clone()/>
        {results.anonymous.then(|| view! {
            <div class="notice" role="note" data-testid="anonymous-step">{anonymous_note(results.anonymous_step, results.held_back)}</div>
        })}
        <section class="card" aria-labelledby="timeline-title">
            <h2 class="section-title" id="timeline-title">"Completed responses over time"</h2>
            <TimelineChart timeline=results.timeline.clone() delivered=results.rate.delivered/>
        </section>
        {quiet_communities(&results.by_community).map(|warning| view! {
            <div class="notice notice-warning" role="note">{warning}</div>
        })}
        {(!silent.is_empty()).then(|| view! {
            <div class="notice notice-warning" role="note">
                {format!("No answers yet from the {} {}: the result may not speak for them (non-response bias).", silent.join(", "), if silent.len() == 1 { "tier" } else { "tiers" })}
            </div>
        })}
        {if results.scores.is_empty() {
            view! { <p class="empty-inline">"This survey has no scored question (CSAT, NPS, CES or rating)."</p> }.into_any()
        } else {
            results.scores.into_iter().map(|score| view! { <ScoreCard score target=target_points/> }).collect_view().into_any()
        }}
        {results.fair.map(|fair| view! { <super::fairness_view::FairCard fair/> })}
        <CommentsSection comments scale=comment_scale/>
        <Breakdown title="By tier" rows=results.by_tier anonymous=results.anonymous tier_column=false small_group=results.small_group/>
        <Breakdown title="By community" rows=results.by_community anonymous=results.anonymous tier_column=true small_group=results.small_group/>
        <CoverageCard coverage=results.coverage/>
        <section class="card" aria-labelledby="waiting-title">
            <h2 class="section-title" id="waiting-title">{format!("Not answered yet ({})", crate::ui::format_count(results.rate.remaining))}</h2>
            <p class="hint">"People the invitation reached who have not completed and are still subscribed: a personal word from someone they know raises answers more than another reminder."</p>
            <NonResponders people=results.non_responders.clone() remaining=results.rate.remaining anonymous=results.anonymous/>
        </section>
        {can_edit.then(|| view! {
            <TargetForm survey_id=results.survey_id.clone() target_points stop=results.stop_reminders_at_target action=target/>
        })}
        {results.channels.map(|channels| view! { <ChannelsCard channels/> })}
        {results.languages.map(|by_language| view! { <LanguagesCard by_language small_group=results.small_group/> })}
        {results.heard_back.map(|split| view! { <HeardBackCard split/> })}
        {(results.public_link_answers > 0).then(|| view! {
            <p class="hint">{format!("{} came through the public link. They are in no rate or score: nobody knows how many people saw that link.", crate::ui::count(results.public_link_answers, "answer", "answers"))}</p>
        })}
    }
}

/// A warning when more than half of the communities the invitation reached gave no
/// answer: the result may speak for a few of them only.
fn quiet_communities(rows: &[GroupRow]) -> Option<String> {
    let reached: Vec<&GroupRow> = rows.iter().filter(|r| r.delivered > 0).collect();
    let silent = reached.iter().filter(|r| r.completed == Some(0)).count();
    (reached.len() >= 4 && silent * 2 > reached.len()).then(|| {
        format!(
            "{silent} of {} communities reached have not answered yet: the result may speak for a few of them only.",
            reached.len()
        )
    })
}

fn silent_tiers(rows: &[GroupRow]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.delivered > 0 && r.completed == Some(0))
        .map(|r| r.name.clone())
        .collect()
}

fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

/// The response rate of each channel: email, and the panel in the team's product.
#[component]
fn ChannelsCard(channels: super::model::Channels) -> impl IntoView {
    let row = |label: &'static str,
               definition: &'static str,
               (reached, completed): (i64, i64),
               testid: &'static str| {
        let rate = (reached > 0).then(|| {
            format!(
                "{}%",
                one_decimal(100.0 * completed as f64 / reached as f64)
            )
        });
        view! {
            <tr>
                <th scope="row"><abbr title=definition tabindex="0">{label}</abbr></th>
                <td class="num" data-testid=testid>{rate.unwrap_or_else(|| "–".into())}</td>
                <td class="num">{format!("{} of {}", crate::ui::format_count(completed), crate::ui::format_count(reached))}</td>
            </tr>
        }
    };
    view! {
        <section class="card" aria-labelledby="channels-title">
            <h2 class="section-title" id="channels-title">"By channel"</h2>
            <p class="hint">"Each channel's rate: people who completed through it, of the people it reached. Someone reached both ways counts as reached in both rows, and as completed in the one they answered through."</p>
            <table class="table">
                <thead><tr><th scope="col">"Channel"</th><th scope="col" class="num">"Response rate"</th><th scope="col" class="num">"Completed"</th></tr></thead>
                <tbody>
                    {row("Email", "Reached: the invitation email was delivered (sent and not bounced). Completed through the emailed link.", channels.email, "rate-email")}
                    {row("In your product", "Reached: the panel was shown in your product. Completed in the panel.", channels.in_product, "rate-in-product")}
                </tbody>
            </table>
        </section>
    }
}

/// The answers in each language the survey offers: do people reading a translation
/// answer, and do they score it the same?
#[component]
fn LanguagesCard(by_language: super::model::ByLanguage, small_group: i64) -> impl IntoView {
    let hidden = format!(
        "Hidden: fewer than {small_group} answers, or a figure that with the others would give away a group that small."
    );
    let body = if !by_language.kept {
        view! {
            <p class="hint">"This survey is anonymous, so its answers keep no language: with few people reading one language, it would say whose answers they are."</p>
        }
        .into_any()
    } else {
        let label = by_language.headline_label.clone();
        let cell = move |value: Option<String>| match value {
            Some(text) => view! { <span>{text}</span> }.into_any(),
            None => view! { <span class="muted" title=hidden.clone()>"hidden"</span> }.into_any(),
        };
        let rows = by_language
            .rows
            .into_iter()
            .map(|row| {
                view! {
                    <tr>
                        <th scope="row">{row.language}</th>
                        <td class="num">{cell(row.completed.map(crate::ui::format_count))}</td>
                        <td class="num">{match row.completed {
                            // Nobody answered in it: there is no score to hide.
                            Some(0) => view! { <span>"–"</span> }.into_any(),
                            _ => cell(row.score.map(one_decimal)),
                        }}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <p class="hint">{format!("Completed answers by the language the person answered in, and the headline score{}. Each figure shows with at least {small_group} answers behind it.", label.map(|l| format!(" ({l})")).unwrap_or_default())}</p>
            <table class="table">
                <thead><tr><th scope="col">"Language"</th><th scope="col" class="num">"Completed"</th><th scope="col" class="num">"Score"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="languages-title">
            <h2 class="section-title" id="languages-title">"By language"</h2>
            {body}
        </section>
    }
}

/// Did telling people what changed last time make them answer this time? The rate of those
/// an earlier survey's closing message reached, beside everyone else's.
#[component]
fn HeardBackCard(split: crate::distribution::close_the_loop::model::HeardBack) -> impl IntoView {
    let (told, not_told) = split.rates();
    let shown = |rate: Option<f64>| {
        rate.map(|p| format!("{}%", one_decimal(p)))
            .unwrap_or_else(|| "–".into())
    };
    let row = |label: &'static str,
               (reached, completed): (i64, i64),
               rate: Option<f64>,
               testid: &'static str| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td class="num" data-testid=testid>{shown(rate)}</td>
                <td class="num">{format!("{} of {}", crate::ui::format_count(completed), crate::ui::format_count(reached))}</td>
            </tr>
        }
    };
    view! {
        <section class="card" aria-labelledby="heard-back-title">
            <h2 class="section-title" id="heard-back-title">"After hearing back"</h2>
            <p class="hint">"Response rate among the people this survey reached who had received an earlier survey's “what we heard” message first, against those who had not. A difference hints that closing the loop helps; the groups chose themselves, so it is not proof."</p>
            <table class="table">
                <thead><tr><th scope="col">"People reached"</th><th scope="col" class="num">"Response rate"</th><th scope="col" class="num">"Completed"</th></tr></thead>
                <tbody>
                    {row("Told what we did last time", split.told, told, "rate-told")}
                    {row("Not told", split.not_told, not_told, "rate-not-told")}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn RateCard(results: Results) -> impl IntoView {
    let rate = results.rate;
    let shown = rate
        .percent
        .map(|p| format!("{}%", one_decimal(p)))
        .unwrap_or_else(|| "–".into());
    view! {
        <section class="card" aria-labelledby="rate-title">
            <h2 id="rate-title"><abbr title=RATE_DEFINITION tabindex="0">"Response rate"</abbr></h2>
            <p class="headline-number" data-testid="response-rate">{shown}</p>
            <p class="hint">{format!("{} completed of {} delivered · {} could still answer", crate::ui::format_count(rate.completed), crate::ui::format_count(rate.delivered), crate::ui::format_count(rate.remaining))}</p>
            <p class="hint">{RATE_DEFINITION}</p>
        </section>
    }
}

#[component]
fn ScoreCard(score: QuestionScore, target: i64) -> impl IntoView {
    let unit = if score.kind == crate::surveys::question::QuestionKind::Nps {
        ""
    } else {
        "%"
    };
    // Wilson intervals are not symmetric, so the value and its interval are shown apart.
    let exact = score.headline.is_some_and(|e| e.low == e.high);
    let headline = score.headline.map(|e| {
        (
            format!("{}{unit}", one_decimal(e.value)),
            format!(
                "95% interval {} to {} (±{} points)",
                one_decimal(e.low),
                one_decimal(e.high),
                one_decimal(e.half_width())
            ),
        )
    });
    let peak = score
        .distribution
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(1);
    view! {
        <section class="card score-card">
            <h2 class="section-title">{score.prompt.clone()}</h2>
            <p class="hint">{format!("{} · {}", score.headline_label, crate::ui::count(score.answered, "answer", "answers"))}</p>
            {match headline {
                Some((value, interval)) => view! {
                    <p class="headline-number" data-testid="headline-score">{value}</p>
                    <p class="hint"><abbr title=INTERVAL_DEFINITION tabindex="0">{interval}</abbr></p>
                }.into_any(),
                None => view! { <p class="empty-inline">"No answers counted yet."</p> }.into_any(),
            }}
            <VerdictLine verdict=score.verdict.clone() target exact/>
            {score.mean.map(|m| view! { <p class="hint">{format!("Mean {:.2} (95% interval {:.2} to {:.2})", m.value, m.low, m.high)}</p> })}
            {score.nps_groups.map(|(p, m, d)| view! {
                <p class="hint">{format!("Promoters {}% · passives {}% · detractors {}%", one_decimal(p), one_decimal(m), one_decimal(d))}</p>
            })}
            <ul class="bars" aria-label="Answers per score">
                {score.distribution.into_iter().map(|(value, n)| view! {
                    <li>
                        <span class="bar-label">{value}</span>
                        <meter class="bar" min="0" max=peak value=n>{n}</meter>
                        <span class="bar-count">{n}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn VerdictLine(verdict: Verdict, target: i64, exact: bool) -> impl IntoView {
    let (class, text) = match verdict {
        Verdict::Actionable if exact => ("verdict verdict-yes", "Actionable: everyone the invitation reached has answered, so there is no sampling error.".to_string()),
        Verdict::Actionable => ("verdict verdict-yes", format!("Actionable: the 95% interval is within ±{target} points.")),
        Verdict::NeedMore(k) => ("verdict verdict-not-yet", format!("Not yet: about {} more needed for ±{target} points.", crate::ui::count(k, "completed answer", "completed answers"))),
        Verdict::Unreachable => ("verdict verdict-not-yet", format!("Not reachable with this audience: even if everyone who can still answer did, the interval would stay wider than ±{target} points.")),
    };
    view! { <p class=class data-testid="verdict">{text}</p> }
}

#[component]
fn Breakdown(
    title: &'static str,
    rows: Vec<GroupRow>,
    anonymous: bool,
    tier_column: bool,
    small_group: i64,
) -> impl IntoView {
    let score_note = if anonymous {
        "Scores by group are hidden in an anonymous survey.".to_string()
    } else {
        format!("Score: the first scored question's headline, shown for rows with at least {small_group} answers, unless showing it would let a smaller group's be worked out by subtraction.")
    };
    let note = format!(
        "Hidden: this row has fewer than {small_group} answers, or its score with the others would give away a group that small."
    );
    let count_note = format!(
        "Hidden: in an anonymous survey a row that reached fewer than {small_group} people, or whose count with the others would give such a row away, does not say how many answered."
    );
    view! {
        <section class="card">
            <h2 class="section-title">{title}</h2>
            <p class="hint">{score_note}</p>
            {if rows.is_empty() {
                view! { <p class="empty-inline">"No invited contact belongs to a community yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table">
                            <thead><tr>
                                <th scope="col">"Name"</th>
                                {tier_column.then(|| view! { <th scope="col">"Tier"</th> })}
                                <th scope="col" class="num">"Invited"</th><th scope="col" class="num">"Delivered"</th>
                                <th scope="col" class="num">"Completed"</th>
                                <th scope="col" class="num"><abbr title=RATE_DEFINITION>"Rate"</abbr></th>
                                <th scope="col" class="num">"Score"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td>{r.name}</td>
                                        {tier_column.then(|| view! { <td>{r.tier}</td> })}
                                        <td class="num">{crate::ui::format_count(r.invited)}</td><td class="num">{crate::ui::format_count(r.delivered)}</td><td class="num">{match r.completed {
                                            Some(n) => view! { <span>{crate::ui::format_count(n)}</span> }.into_any(),
                                            None => view! { <span class="muted" title=count_note.clone()>"hidden"</span> }.into_any(),
                                        }}</td>
                                        <td class="num">{r.rate.map(|p| format!("{}%", one_decimal(p))).unwrap_or_else(|| "–".into())}</td>
                                        <td class="num">{match r.score {
                                            Some(s) => view! { <span>{one_decimal(s)}</span> }.into_any(),
                                            None => view! { <span class="muted" title=note.clone()>"hidden"</span> }.into_any(),
                                        }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn CoverageCard(coverage: Vec<Coverage>) -> impl IntoView {
    view! {
        <section class="card">
            <h2 class="section-title"><abbr title="Community coverage: communities with at least one completed response, of the communities invited." tabindex="0">"Community coverage"</abbr></h2>
            <ul class="tier-list">
                {coverage.into_iter().map(|c| view! {
                    <li><span>{c.tier.clone()}</span><span>{coverage_text(&c)}</span></li>
                }).collect_view()}
            </ul>
        </section>
    }
}

fn coverage_text(c: &Coverage) -> String {
    let answered = format!(
        "{} of {} answered",
        crate::ui::format_count(c.with_answers),
        crate::ui::count(c.communities, "community", "communities")
    );
    let small = match c.not_shown {
        1 => "1 community too small to show".to_string(),
        n => format!("{n} communities too small to show"),
    };
    match (c.communities, c.not_shown) {
        (_, 0) => answered,
        (0, _) => small,
        _ => format!("{answered} · {small}"),
    }
}

/// The survey's target precision, and whether reminders stop once it is reached.
#[component]
fn TargetForm(
    survey_id: String,
    target_points: i64,
    stop: bool,
    action: FormAction<SetPrecisionTarget>,
) -> impl IntoView {
    let error: Signal<Option<AppError>> =
        Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="target-title">
            <h2 class="section-title" id="target-title">"Target precision"</h2>
            <p class="hint">"A score is actionable once its 95% interval is this narrow. ±10 points suits most release decisions; ±5 needs about four times the answers."</p>
            <ServerForm action attr:class="stack">
                <input type="hidden" name="survey_id" value=survey_id/>
                <FormMessage error fields=&["target_points"]/>
                <div class="field">
                    <label for="target-points">"Half-width of the interval, in points"</label>
                    <input id="target-points" name="target_points" type="number" min="1" max="50" class="narrow" value=target_points.to_string()/>
                    {move || error.get().and_then(|e| e.message_for("target_points")).map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <label class="inline-choice">
                    <input type="checkbox" name="stop_reminders" value="on" checked=stop/>
                    " Stop automatic reminders once every score is actionable"
                </label>
                <button type="submit" class="button">"Save target"</button>
            </ServerForm>
        </section>
    }
}

/// What an anonymous survey's results page says about the answers it holds back.
fn anonymous_note(step: i64, held: i64) -> String {
    let rule = format!(
        "Anonymous survey: you see how many answered, never who. Scores and written answers \
         appear once {step} answers are in and then change only in steps of {step}, so no \
         single answer can be read off a change."
    );
    match held {
        0 => rule,
        1 => format!("{rule} 1 answer is waiting for {} more.", step - 1),
        n => format!("{rule} {n} answers are waiting for {} more.", step - n),
    }
}
