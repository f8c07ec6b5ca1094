//! Fair headline numbers: the person-weighted headline beside the community-weighted
//! score (each community counts once) and the score re-weighted to the invited mix of
//! tiers (post-stratification), with the non-response check that compares who answered
//! with who was invited, by tier and by community size.
//!
//! Neither reading may give away what the small-group rule hides: the community-weighted
//! score is shown only when every community it averages shows its own score, and the
//! re-weighted one only when every tier with answers shows its own (two linear readings
//! of the same hidden cells would otherwise let both be solved for).
use super::db::GroupCounts;
use super::model::{Fair, GroupRow, MixRow, QuestionScore};
use super::stats::{nps_counts, success_from, Estimate, Z};
use crate::surveys::question::QuestionKind;
use std::collections::{BTreeMap, HashMap};

/// The groups of community size the non-response check compares, by people reached.
const SIZE_BANDS: [(i64, i64, &str); 3] = [
    (1, 4, "1 to 4 people"),
    (5, 19, "5 to 19 people"),
    (20, i64::MAX, "20 people or more"),
];

/// A distribution's headline value: the share of successes in percent, or the NPS.
fn value(kind: QuestionKind, distribution: &BTreeMap<i64, i64>) -> Option<f64> {
    let n: i64 = distribution.values().sum();
    if n == 0 {
        return None;
    }
    if kind == QuestionKind::Nps {
        let pairs: Vec<(i64, i64)> = distribution.iter().map(|(s, c)| (*s, *c)).collect();
        let (p, _, d) = nps_counts(&pairs);
        return Some(100.0 * (p - d) as f64 / n as f64);
    }
    let from = success_from(kind);
    let x: i64 = distribution
        .iter()
        .filter(|(s, _)| **s >= from)
        .map(|(_, c)| c)
        .sum();
    Some(100.0 * x as f64 / n as f64)
}

fn label(kind: QuestionKind) -> (&'static str, &'static str) {
    match kind {
        QuestionKind::Csat => ("CSAT", "%"),
        QuestionKind::Ces => ("CES (5-7)", "%"),
        QuestionKind::Nps => ("NPS", ""),
        _ => ("Share 4-5", "%"),
    }
}

/// The inputs: the headline, the survey's per-community counts and the headline's
/// answers per community, the rows as the results show them after protection, the
/// people reached in all, and the small-group minimum.
pub struct Inputs<'a> {
    pub headline: &'a QuestionScore,
    pub communities: &'a [GroupCounts],
    pub community_scores: &'a [(String, i64, i64)],
    pub by_tier: &'a [GroupRow],
    pub by_community: &'a [GroupRow],
    pub delivered: i64,
    pub completed: i64,
    pub small_group: i64,
}

pub fn fair(i: Inputs<'_>) -> Option<Fair> {
    let kind = i.headline.kind;
    let plain = i.headline.headline?;
    let (name, unit) = label(kind);
    let scale = if kind == QuestionKind::Nps {
        (-100.0, 100.0)
    } else {
        (0.0, 100.0)
    };
    let mut per_community: HashMap<&str, BTreeMap<i64, i64>> = HashMap::new();
    for (community, score, n) in i.community_scores {
        *per_community
            .entry(community.as_str())
            .or_default()
            .entry(*score)
            .or_default() += n;
    }
    let answered = |id: &str| -> i64 { per_community.get(id).map_or(0, |d| d.values().sum()) };

    // Community-weighted: each community with enough answers counts once.
    let counted: Vec<(usize, f64)> = i
        .communities
        .iter()
        .enumerate()
        .filter(|(_, c)| answered(&c.0) >= i.small_group)
        .filter_map(|(at, c)| Some((at, value(kind, per_community.get(c.0.as_str())?)?)))
        .collect();
    let m = counted.len() as i64;
    let hidden_among = counted.iter().any(|(at, _)| {
        i.by_community
            .get(*at)
            .is_none_or(|row| row.score.is_none())
    });
    let (community_weighted, community_weighted_note) = if m < 2 {
        (
            None,
            Some(format!(
                "Needs two communities or more with at least {} answers each; {m} so far.",
                i.small_group
            )),
        )
    } else if hidden_among {
        (
            None,
            Some("Not shown: with the scores on this page it would let a hidden small group's be worked out.".to_string()),
        )
    } else {
        let values: Vec<f64> = counted.iter().map(|(_, v)| *v).collect();
        let mean = values.iter().sum::<f64>() / m as f64;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (m - 1) as f64;
        let half = Z * variance.sqrt() / (m as f64).sqrt();
        (
            Some(Estimate {
                value: mean,
                low: (mean - half).max(scale.0),
                high: (mean + half).min(scale.1),
            }),
            None,
        )
    };

    // Strata: each tier, and the people in no community.
    let mut strata: Vec<(String, i64, i64, BTreeMap<i64, i64>)> = Vec::new();
    for (id, _, tier, _, delivered, completed) in i.communities {
        let at = match strata.iter().position(|s| s.0 == *tier) {
            Some(at) => at,
            None => {
                strata.push((tier.clone(), 0, 0, BTreeMap::new()));
                strata.len() - 1
            }
        };
        let s = &mut strata[at];
        s.1 += delivered;
        s.2 += completed;
        for (score, n) in per_community.get(id.as_str()).into_iter().flatten() {
            *s.3.entry(*score).or_default() += n;
        }
    }
    let placed_delivered: i64 = strata.iter().map(|s| s.1).sum();
    let placed_completed: i64 = strata.iter().map(|s| s.2).sum();
    let mut unplaced: BTreeMap<i64, i64> = i.headline.distribution.iter().copied().collect();
    for s in &strata {
        for (score, n) in &s.3 {
            if let Some(left) = unplaced.get_mut(score) {
                *left -= n;
            }
        }
    }
    unplaced.retain(|_, n| *n > 0);
    let unplaced_answers: i64 = unplaced.values().sum();
    let tier_count = strata.len();
    if i.delivered > placed_delivered {
        strata.push((
            "No community".into(),
            i.delivered - placed_delivered,
            (i.completed - placed_completed).max(0),
            unplaced,
        ));
    }
    let tier_hidden = strata.iter().take(tier_count).any(|s| {
        s.3.values().sum::<i64>() > 0
            && i.by_tier
                .iter()
                .find(|row| row.name == s.0)
                .is_none_or(|row| row.score.is_none())
    });
    let unplaced_small = unplaced_answers > 0 && unplaced_answers < i.small_group;
    let with_answers: Vec<&(String, i64, i64, BTreeMap<i64, i64>)> =
        strata.iter().filter(|s| !s.3.is_empty()).collect();
    let weight_total: i64 = with_answers.iter().map(|s| s.1).sum();
    let silent: Vec<&str> = strata
        .iter()
        .filter(|s| s.1 > 0 && s.3.is_empty())
        .map(|s| s.0.as_str())
        .collect();
    let (reweighted, reweighted_note) = if tier_hidden || unplaced_small {
        (
            None,
            Some(format!("Not shown: a tier has fewer than {} answers, and with the plain score it would let that tier's be worked out.", i.small_group)),
        )
    } else if weight_total == 0 {
        (None, Some("No answers yet.".to_string()))
    } else {
        let value: f64 = with_answers
            .iter()
            .filter_map(|s| Some(s.1 as f64 / weight_total as f64 * value(kind, &s.3)?))
            .sum();
        let note = (!silent.is_empty()).then(|| {
            format!(
                "No answers from {}: weighting cannot speak for people nobody heard from.",
                silent.join(", ")
            )
        });
        (Some(value), note)
    };

    let mut findings = Vec::new();
    let half = plain.half_width();
    if let Some(rw) = reweighted {
        if (rw - plain.value).abs() > half {
            let over = with_answers
                .iter()
                .filter(|s| s.1 > 0 && i.completed > 0)
                .max_by(|a, b| {
                    let ratio = |s: &&&(String, i64, i64, BTreeMap<i64, i64>)| {
                        (s.2 as f64 / i.completed as f64) / (s.1 as f64 / i.delivered as f64)
                    };
                    ratio(a).total_cmp(&ratio(b))
                })
                .map(|s| s.0.clone())
                .unwrap_or_default();
            findings.push(format!(
                "{over} members answered more than others; weighted to the invited mix, {name} is {rw:.0}{unit} instead of {:.0}{unit}.",
                plain.value
            ));
        } else {
            findings.push(format!(
                "Weighted to the invited mix of tiers, {name} is {rw:.0}{unit}: within the plain score's ±{half:.0}, so who answered does not move it."
            ));
        }
    }
    if let Some(cw) = community_weighted {
        if (cw.value - plain.value).abs() > half {
            findings.push(format!(
                "Counting each community once, {name} is {:.0}{unit} instead of {:.0}{unit}: the communities that answered in force carry the plain score.",
                cw.value, plain.value
            ));
        } else {
            findings.push(format!(
                "Counting each community once, {name} is {:.0}{unit}: within the plain score's ±{half:.0}.",
                cw.value
            ));
        }
    }

    let share = |part: i64, whole: i64| {
        if whole > 0 {
            100.0 * part as f64 / whole as f64
        } else {
            0.0
        }
    };
    let mut mix: Vec<MixRow> = strata
        .iter()
        .map(|s| MixRow {
            by: "Tier".into(),
            group: s.0.clone(),
            invited_share: share(s.1, i.delivered),
            respondent_share: share(s.2, i.completed),
        })
        .collect();
    for (low, high, band) in SIZE_BANDS {
        let (d, c) = i
            .communities
            .iter()
            .filter(|c| (low..=high).contains(&c.4))
            .fold((0, 0), |(d, k), c| (d + c.4, k + c.5));
        if d > 0 {
            mix.push(MixRow {
                by: "Community size".into(),
                group: band.into(),
                invited_share: share(d, i.delivered),
                respondent_share: share(c, i.completed),
            });
        }
    }

    Some(Fair {
        label: name.into(),
        unit: unit.into(),
        plain,
        community_weighted,
        communities: m,
        community_weighted_note,
        reweighted,
        reweighted_note,
        findings,
        mix,
    })
}
