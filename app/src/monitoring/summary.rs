//! Turns the aggregates of `db` into the results page's figures.
use super::activity;
use super::db::{self, GroupCounts};
use super::disclosure::{self, Atom};
use super::model::{Coverage, GroupRow, Protection, QuestionScore, Rate, Results};
use super::stats::{self, nps_counts, success_from, Estimate, Verdict};
use crate::db::Db;
use crate::error::AppError;
use crate::surveys::db as survey_db;
use crate::surveys::question::{Question, QuestionKind};
use std::collections::{BTreeMap, HashMap};

/// How much of the results to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Detail {
    /// Everything the results page shows; the chart's days start `utc_offset` seconds
    /// before midnight UTC (the team's time zone).
    Page { utc_offset: i64 },
    /// Rate, scores and breakdowns only: the timeline stays empty and the non-responders
    /// unlisted, which saves two queries over every invitation (the API's summary).
    Summary,
}

pub async fn load_with(
    db: &Db,
    survey_id: &str,
    protection: Protection,
    detail: Detail,
) -> Result<Results, AppError> {
    let small_group = protection.small_group;
    let (title, anonymity, target_points, stop) = db::fetch_survey_head(db, survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (rate, scores) = rate_and_scores(db, survey_id, target_points).await?;
    let anonymous = anonymity == "anonymous";
    let communities = db::fetch_community_counts(db, survey_id).await?;
    let headline = scores.first().filter(|_| !anonymous);
    let community_scores = match headline {
        Some(first) => db::fetch_community_scores(db, survey_id, &first.question_id).await?,
        None => Vec::new(),
    };
    let group = Grouping {
        kind: headline.map(|s| s.kind),
        small_group,
    };
    let mut by_tier = tier_rows(&communities, &community_scores, group);
    let mut by_community = community_rows(&communities, &community_scores, group);
    if let Some(first) = headline {
        let answered_overall = first.answered;
        protect_by_subtraction(
            &mut by_tier,
            &mut by_community,
            &communities,
            &community_scores,
            answered_overall,
            small_group,
        );
    }
    let counts_hidden = if anonymous {
        protect_who_answered(
            &mut by_tier,
            &mut by_community,
            &communities,
            rate.delivered,
            small_group,
        )
    } else {
        vec![false; communities.len()]
    };
    let fair = headline.and_then(|first| {
        super::fairness::fair(super::fairness::Inputs {
            headline: first,
            communities: &communities,
            community_scores: &community_scores,
            by_tier: &by_tier,
            by_community: &by_community,
            delivered: rate.delivered,
            completed: rate.completed,
            small_group,
        })
    });
    let languages = match detail {
        Detail::Page { .. } => by_language(db, survey_id, anonymous, headline, small_group).await?,
        Detail::Summary => None,
    };
    Ok(Results {
        fair,
        survey_id: survey_id.to_string(),
        title,
        anonymous,
        small_group,
        anonymous_step: protection.anonymous_step,
        held_back: if anonymous {
            crate::responses::db::count_held(db, survey_id).await?
        } else {
            0
        },
        rate,
        target_points,
        stop_reminders_at_target: stop != 0,
        by_tier,
        by_community,
        coverage: coverage(&communities, &counts_hidden),
        timeline: match detail {
            Detail::Page { utc_offset } => activity::timeline(db, survey_id, utc_offset).await?,
            Detail::Summary => Default::default(),
        },
        non_responders: match detail {
            Detail::Page { .. } => activity::non_responders(db, survey_id, anonymous).await?,
            Detail::Summary => None,
        },
        scores,
        public_link_answers: db::count_public_link_answers(db, survey_id).await?,
        // Only the results page shows these; the API's summary and community health skip
        // their passes over the ledger.
        heard_back: match detail {
            Detail::Page { .. } => heard_back(db, survey_id, anonymous, small_group).await?,
            Detail::Summary => None,
        },
        channels: match detail {
            Detail::Page { .. } => channels(db, survey_id, anonymous, small_group).await?,
            Detail::Summary => None,
        },
        languages,
    })
}

/// The answers in each of the survey's languages, when it offers several: completed
/// responses and the headline score per language, with the small-group rule applied to
/// each column on its own (the totals are on the page already).
async fn by_language(
    db: &Db,
    survey_id: &str,
    anonymous: bool,
    headline: Option<&QuestionScore>,
    small_group: i64,
) -> Result<Option<super::model::ByLanguage>, AppError> {
    use super::model::{ByLanguage, LanguageRow};
    use crate::languages::model::Language;
    let Some(offered) = crate::languages::db::fetch_languages(db, survey_id).await? else {
        return Ok(None);
    };
    if offered.all().len() < 2 {
        return Ok(None);
    }
    if anonymous {
        let rows = Vec::new();
        return Ok(Some(ByLanguage {
            kept: false,
            headline_label: None,
            rows,
        }));
    }
    let question = headline.map(|h| h.question_id.as_str());
    let (completed, scores) = db::fetch_language_counts(db, survey_id, question).await?;
    // The survey's languages in order, then any others answers were given in (a language
    // removed since), then answers whose language was not recorded.
    let mut keys: Vec<Option<String>> = offered
        .all()
        .iter()
        .map(|l| Some(l.code().to_string()))
        .collect();
    let answered_in = completed.iter().map(|(l, _)| l);
    for language in answered_in.chain(scores.iter().map(|(l, ..)| l)) {
        if !keys.contains(language) {
            keys.push(language.clone());
        }
    }
    keys.sort_by_key(|k| k.is_none());
    let count_of = |key: &Option<String>| -> i64 {
        completed
            .iter()
            .filter(|(l, _)| l == key)
            .map(|(_, n)| n)
            .sum()
    };
    let distribution_of = |key: &Option<String>| -> Vec<(i64, i64)> {
        scores
            .iter()
            .filter(|(l, ..)| l == key)
            .map(|(_, s, n)| (*s, *n))
            .collect()
    };
    let counts: Vec<i64> = keys.iter().map(count_of).collect();
    let answered: Vec<i64> = keys
        .iter()
        .map(|k| distribution_of(k).iter().map(|(_, n)| n).sum())
        .collect();
    let (hide_counts, hide_scores) = (
        disclosure::hidden_cells(&counts, small_group),
        disclosure::hidden_cells(&answered, small_group),
    );
    let group = Grouping {
        kind: headline.map(|h| h.kind),
        small_group,
    };
    let offered_count = offered.all().len();
    let rows = keys
        .iter()
        .enumerate()
        // Languages nobody answered in beyond those offered would be noise.
        .filter(|(i, _)| *i < offered_count || counts[*i] > 0)
        .map(|(i, key)| LanguageRow {
            language: match key.as_deref().map(Language::parse) {
                Some(Ok(l)) => l.label(),
                Some(Err(_)) => key.clone().unwrap_or_default(),
                None => "Not recorded".to_string(),
            },
            completed: (!hide_counts[i]).then_some(counts[i]),
            score: match hide_scores[i] {
                true => None,
                false => group_value(group, &distribution_of(key)),
            },
        })
        .collect();
    Ok(Some(ByLanguage {
        kept: true,
        headline_label: headline.map(|h| h.headline_label.clone()),
        rows,
    }))
}

/// Whether two groups' figures may be shown: in an anonymous survey each group must have at
/// least the small-group minimum, or its rate would tell who answered.
fn both_groups_shown(anonymous: bool, small_group: i64, sizes: [i64; 2]) -> bool {
    !anonymous || sizes.iter().all(|&n| n >= small_group)
}

/// The rate of each channel, once the panel was shown to anyone.
async fn channels(
    db: &Db,
    survey_id: &str,
    anonymous: bool,
    small_group: i64,
) -> Result<Option<super::model::Channels>, AppError> {
    let (email, by_email, shown, in_panel) = db::fetch_channel_counts(db, survey_id).await?;
    let shown_ok = both_groups_shown(anonymous, small_group, [email, shown]);
    Ok((shown > 0 && shown_ok).then_some(super::model::Channels {
        email: (email, by_email),
        in_product: (shown, in_panel),
    }))
}

/// The split by earlier closing messages, when there is one to show: in an anonymous
/// survey a group smaller than the minimum would tell who answered.
async fn heard_back(
    db: &Db,
    survey_id: &str,
    anonymous: bool,
    small_group: i64,
) -> Result<Option<crate::distribution::close_the_loop::model::HeardBack>, AppError> {
    use crate::distribution::close_the_loop::{db::fetch_heard_back, model::HeardBack};
    let (told, told_done, not_told, not_told_done) = fetch_heard_back(db, survey_id).await?;
    let shown_ok = both_groups_shown(anonymous, small_group, [told, not_told]);
    Ok((told > 0 && shown_ok).then_some(HeardBack {
        told: (told, told_done),
        not_told: (not_told, not_told_done),
    }))
}

/// The response rate and each scored question with its verdict: what the overview and
/// the reminder check need, without the page's breakdowns, timeline and lists.
pub async fn load_scores(db: &Db, survey_id: &str) -> Result<(Rate, Vec<QuestionScore>), AppError> {
    let (_, _, target_points, _) = db::fetch_survey_head(db, survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    rate_and_scores(db, survey_id, target_points).await
}

async fn rate_and_scores(
    db: &Db,
    survey_id: &str,
    target_points: i64,
) -> Result<(Rate, Vec<QuestionScore>), AppError> {
    let (delivered, completed, remaining) = db::fetch_rate_counts(db, survey_id).await?;
    let rate = Rate::new(delivered, completed, remaining);
    let questions = survey_db::fetch_questions(db, survey_id).await?;
    let counts = db::fetch_score_counts(db, survey_id).await?;
    let scores = questions
        .iter()
        .filter_map(|q| score(q, &counts, &rate, target_points as f64))
        .collect();
    Ok((rate, scores))
}

/// Whether the survey has a scored question and every one is within its target
/// precision: then automatic reminders may stop, if the team asked for that.
pub async fn all_actionable(db: &Db, survey_id: &str) -> Result<bool, AppError> {
    let (_, scores) = load_scores(db, survey_id).await?;
    Ok(!scores.is_empty() && scores.iter().all(|s| s.verdict == Verdict::Actionable))
}

/// The scale a scored question's answers fall on.
fn scale(kind: QuestionKind) -> Option<(i64, i64)> {
    match kind {
        QuestionKind::Csat | QuestionKind::Rating => Some((1, 5)),
        QuestionKind::Nps => Some((0, 10)),
        QuestionKind::Ces => Some((1, 7)),
        _ => None,
    }
}

fn score(
    question: &Question,
    counts: &[(String, i64, i64)],
    rate: &Rate,
    target: f64,
) -> Option<QuestionScore> {
    let (low, high) = scale(question.kind)?;
    let mine: HashMap<i64, i64> = counts
        .iter()
        .filter(|(id, ..)| *id == question.question_id)
        .map(|(_, score, n)| (*score, *n))
        .collect();
    let distribution: Vec<(i64, i64)> = (low..=high)
        .map(|s| (s, mine.get(&s).copied().unwrap_or(0)))
        .collect();
    let answered: i64 = distribution.iter().map(|(_, n)| n).sum();
    let population = (rate.delivered > 0).then_some(rate.delivered);
    let (sum, squares) = distribution.iter().fold((0.0, 0.0), |(s, q), &(score, n)| {
        let x = score as f64;
        (s + x * n as f64, q + x * x * n as f64)
    });
    let mean = stats::mean(
        sum,
        squares,
        answered,
        population,
        (low as f64, high as f64),
    );
    let (headline_label, headline, verdict, nps_groups) = if question.kind == QuestionKind::Nps {
        nps_headline(&distribution, rate.remaining, population, target)
    } else {
        share_headline(
            question.kind,
            &distribution,
            rate.remaining,
            population,
            target,
        )
    };
    Some(QuestionScore {
        question_id: question.question_id.clone(),
        prompt: question.prompt.clone(),
        kind: question.kind,
        answered,
        headline_label,
        headline,
        verdict,
        mean,
        nps_groups,
        distribution,
    })
}

type Headline = (String, Option<Estimate>, Verdict, Option<(f64, f64, f64)>);

fn share_headline(
    kind: QuestionKind,
    distribution: &[(i64, i64)],
    remaining: i64,
    population: Option<i64>,
    target: f64,
) -> Headline {
    let from = success_from(kind);
    let answered: i64 = distribution.iter().map(|(_, n)| n).sum();
    let successes: i64 = distribution
        .iter()
        .filter(|(s, _)| *s >= from)
        .map(|(_, n)| n)
        .sum();
    let label = match kind {
        QuestionKind::Csat => "CSAT: share answering 4 or 5".to_string(),
        QuestionKind::Ces => "CES: share answering 5 to 7 (easy)".to_string(),
        _ => "Share rating 4 or 5".to_string(),
    };
    let estimate = stats::wilson(successes, answered, population);
    let verdict = stats::share_verdict(successes, answered, remaining, population, target);
    (label, estimate, verdict, None)
}

fn nps_headline(
    distribution: &[(i64, i64)],
    remaining: i64,
    population: Option<i64>,
    target: f64,
) -> Headline {
    let (promoters, passives, detractors) = nps_counts(distribution);
    let answered = promoters + passives + detractors;
    let groups = (answered > 0).then(|| {
        let pct = |n: i64| 100.0 * n as f64 / answered as f64;
        (pct(promoters), pct(passives), pct(detractors))
    });
    let counts = (promoters, passives, detractors);
    (
        "NPS: % promoters (9-10) minus % detractors (0-6)".to_string(),
        stats::nps(promoters, passives, detractors, population),
        stats::nps_verdict(counts, remaining, population, target),
        groups,
    )
}

/// How breakdown rows get their score: the headline question's kind (None: no score,
/// as in anonymous surveys) and the fewest answers a row needs.
#[derive(Clone, Copy)]
struct Grouping {
    kind: Option<QuestionKind>,
    small_group: i64,
}

/// The headline value of one group's distribution, or None for a small group.
fn group_value(group: Grouping, distribution: &[(i64, i64)]) -> Option<f64> {
    let kind = group.kind?;
    let answered: i64 = distribution.iter().map(|(_, n)| n).sum();
    if answered < group.small_group {
        return None;
    }
    if kind == QuestionKind::Nps {
        let (p, m, d) = nps_counts(distribution);
        return stats::nps(p, m, d, None).map(|e| e.value);
    }
    let from = success_from(kind);
    let successes: i64 = distribution
        .iter()
        .filter(|(s, _)| *s >= from)
        .map(|(_, n)| n)
        .sum();
    stats::wilson(successes, answered, None).map(|e| e.value)
}

fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

fn community_rows(
    communities: &[GroupCounts],
    scores: &[(String, i64, i64)],
    group: Grouping,
) -> Vec<GroupRow> {
    communities
        .iter()
        .map(|(id, name, tier, invited, delivered, completed)| {
            let distribution: Vec<(i64, i64)> = scores
                .iter()
                .filter(|(c, ..)| c == id)
                .map(|(_, s, n)| (*s, *n))
                .collect();
            GroupRow {
                name: name.clone(),
                tier: tier.clone(),
                invited: *invited,
                delivered: *delivered,
                completed: Some(*completed),
                rate: percent(*completed, *delivered),
                score: group_value(group, &distribution),
            }
        })
        .collect()
}

fn tier_rows(
    communities: &[GroupCounts],
    scores: &[(String, i64, i64)],
    group: Grouping,
) -> Vec<GroupRow> {
    let tier_of: HashMap<&str, &str> = communities
        .iter()
        .map(|(id, _, tier, ..)| (id.as_str(), tier.as_str()))
        .collect();
    // Tiers in the order the communities query gives them (by tier position).
    let mut order: Vec<&str> = Vec::new();
    let mut totals: HashMap<&str, (i64, i64, i64)> = HashMap::new();
    for (_, _, tier, invited, delivered, completed) in communities {
        if !order.contains(&tier.as_str()) {
            order.push(tier);
        }
        let t = totals.entry(tier).or_default();
        *t = (t.0 + invited, t.1 + delivered, t.2 + completed);
    }
    let mut distributions: HashMap<&str, BTreeMap<i64, i64>> = HashMap::new();
    for (community, score, n) in scores {
        if let Some(tier) = tier_of.get(community.as_str()) {
            *distributions
                .entry(tier)
                .or_default()
                .entry(*score)
                .or_default() += n;
        }
    }
    order
        .into_iter()
        .map(|tier| {
            let (invited, delivered, completed) = totals[tier];
            let distribution: Vec<(i64, i64)> = distributions
                .get(tier)
                .map(|d| d.iter().map(|(s, n)| (*s, *n)).collect())
                .unwrap_or_default();
            GroupRow {
                name: tier.to_string(),
                tier: String::new(),
                invited,
                delivered,
                completed: Some(completed),
                rate: percent(completed, delivered),
                score: group_value(group, &distribution),
            }
        })
        .collect()
}

/// Per tier, how many communities answered. `hidden` marks communities whose counts an
/// anonymous survey does not show: they are left out and only counted as not shown.
fn coverage(communities: &[GroupCounts], hidden: &[bool]) -> Vec<Coverage> {
    let mut rows: Vec<Coverage> = Vec::new();
    for ((_, _, tier, _, _, completed), hidden) in communities.iter().zip(hidden) {
        if rows.last().is_none_or(|r| r.tier != *tier) {
            rows.push(Coverage {
                tier: tier.clone(),
                communities: 0,
                with_answers: 0,
                not_shown: 0,
            });
        }
        if let Some(row) = rows.last_mut() {
            if *hidden {
                row.not_shown += 1;
            } else {
                row.communities += 1;
                row.with_answers += i64::from(*completed > 0);
            }
        }
    }
    rows
}

/// What to hide among groups given as (their tier, their answers), listed tier by tier,
/// when `total` answers came in all (the rest from people in no community). Returns the
/// tiers in the order first seen, which is the order the tier rows are listed in.
fn hide_groups<'a>(
    groups: impl Iterator<Item = (&'a str, i64)> + Clone,
    total: i64,
    small_group: i64,
) -> (Vec<&'a str>, disclosure::Hidden) {
    let mut tiers: Vec<&str> = Vec::new();
    for (tier, _) in groups.clone() {
        if !tiers.contains(&tier) {
            tiers.push(tier);
        }
    }
    let atoms: Vec<Atom> = groups
        .map(|(tier, answered)| Atom {
            tier: tiers.iter().position(|t| *t == tier).unwrap_or_default(),
            answered,
        })
        .collect();
    let placed: i64 = atoms.iter().map(|a| a.answered).sum();
    let hide = disclosure::hidden(tiers.len(), &atoms, (total - placed).max(0), small_group);
    (tiers, hide)
}

/// Hides the scores of further rows wherever the visible ones would let a small group's
/// be worked out by subtraction (see `disclosure`).
fn protect_by_subtraction(
    by_tier: &mut [GroupRow],
    by_community: &mut [GroupRow],
    communities: &[GroupCounts],
    scores: &[(String, i64, i64)],
    answered_overall: i64,
    small_group: i64,
) {
    let groups = communities.iter().map(|(id, _, tier, ..)| {
        let answered = scores
            .iter()
            .filter(|(c, ..)| c == id)
            .map(|(_, _, n)| n)
            .sum();
        (tier.as_str(), answered)
    });
    let (_, hide) = hide_groups(groups, answered_overall, small_group);
    // `hide.overall` holds only when the whole survey has fewer answers than a small
    // group: its headline is the survey's own figure and stays.
    for (row, hidden) in by_tier.iter_mut().zip(&hide.tiers) {
        if *hidden {
            row.score = None;
        }
    }
    for (row, hidden) in by_community.iter_mut().zip(&hide.communities) {
        if *hidden {
            row.score = None;
        }
    }
}

/// In an anonymous survey, hides the completed count and rate of every row that reached
/// fewer people than `small_group`, and of as many further rows as it takes that no such
/// row's count can be worked out by subtraction: a community of two whose count reads 1
/// would say which of two people answered. The same rule as the scores', over the people
/// each row reached (`delivered`) instead of its answers. Returns the communities hidden.
fn protect_who_answered(
    by_tier: &mut [GroupRow],
    by_community: &mut [GroupRow],
    communities: &[GroupCounts],
    delivered_overall: i64,
    small_group: i64,
) -> Vec<bool> {
    let groups = communities
        .iter()
        .map(|(_, _, tier, _, delivered, _)| (tier.as_str(), *delivered));
    let (_, hide) = hide_groups(groups, delivered_overall, small_group);
    for (row, hidden) in by_tier
        .iter_mut()
        .zip(&hide.tiers)
        .chain(by_community.iter_mut().zip(&hide.communities))
    {
        if *hidden {
            row.completed = None;
            row.rate = None;
        }
    }
    hide.communities
}

/// The names of the communities and tiers a written answer may be shown with, and
/// filtered by: groups whose respondents the breakdown rule would show (at least
/// `small_group`, and none that would give a smaller group away by subtraction).
pub async fn groups_shown_with_answers(
    db: &Db,
    survey_id: &str,
    small_group: i64,
) -> Result<(Vec<String>, Vec<String>), AppError> {
    let (communities, completed) = db::fetch_respondents_by_community(db, survey_id).await?;
    let groups = communities
        .iter()
        .map(|(_, tier, done)| (tier.as_str(), *done));
    let (tiers, hide) = hide_groups(groups, completed, small_group);
    let shown_communities = communities
        .iter()
        .zip(&hide.communities)
        .filter(|(_, hidden)| !**hidden)
        .map(|((name, ..), _)| name.clone())
        .collect();
    let shown_tiers = tiers
        .into_iter()
        .zip(&hide.tiers)
        .filter(|(_, hidden)| !**hidden)
        .map(|(tier, _)| tier.to_string())
        .collect();
    Ok((shown_communities, shown_tiers))
}
