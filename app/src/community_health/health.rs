//! The use cases of community health, written once for the pages, the API, the CSV and the
//! command line: engagement as a share with its interval, each community's surveys and
//! figures, and the at-risk rules of PRODUCT.md.
//!
//! Everything said about one community is built from the figures each survey's results
//! already show (`monitoring::summary`): a community's count or score that its survey's
//! results hide under the small-group rule stays hidden here too, and a rule that would
//! need it is not judged. Engagement counts communities, not people, over every survey.
use super::db;
use super::model::{
    AtRisk, CommunityHealth, CommunitySurvey, Engagement, Health, QuarterShare, Reason,
    ReleaseRates, RiskFilter, TierRate, PERIOD_DAYS,
};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::local_time::Zone;
use crate::monitoring::baseline::{closed_pool, Counts};
use crate::monitoring::cache::ResultsCache;
use crate::monitoring::engagement::engagement_over;
use crate::monitoring::model::{Protection, Results};
use crate::monitoring::stats::{self, Comparison, Estimate};
use crate::monitoring::summary::Detail;
use crate::surveys::question::QuestionKind;
use std::collections::{HashMap, HashSet};

/// Quarters in the engagement trend: the current one and the four before it.
pub const QUARTERS: usize = 5;

/// What the health figures are computed over.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub db: &'a Db,
    pub results: &'a ResultsCache,
    pub protection: Protection,
    pub zone: &'a Zone,
    pub now: i64,
    pub window_days: i64,
}

impl Scope<'_> {
    fn since(&self) -> i64 {
        self.now - self.window_days * 86_400
    }
}

/// The team members' emails, for the owner field and filter.
async fn member_emails(db: &Db) -> AppResult<Vec<String>> {
    Ok(crate::auth::db::fetch_member_emails(db).await?)
}

/// Everything the health pages read, computed once per request.
struct Facts {
    communities: Vec<db::CommunityRow>,
    tiers: Vec<String>,
    /// The response rate per tier over releases, from the surveys' results read here.
    rates_by_release: Vec<ReleaseRates>,
    /// Per community id: its surveys, newest first.
    surveys: HashMap<String, Vec<CommunitySurvey>>,
    /// Per community id: its own pooled counts over the baseline's surveys whose
    /// community score its results show.
    own_counts: HashMap<String, Counts>,
    pool: Counts,
    last_answered: HashMap<String, i64>,
}

async fn facts(scope: Scope<'_>) -> AppResult<Facts> {
    let db = scope.db;
    let since = scope.since();
    let communities = db::fetch_communities(db).await?;
    let tiers = crate::monitoring::baseline_db::fetch_tier_names(db).await?;
    let id_of: HashMap<&str, &str> = communities
        .iter()
        .map(|c| (c.name.as_str(), c.id.as_str()))
        .collect();

    let (pool, pool_surveys) = closed_pool(db, since).await?;
    let baseline_of =
        |kind: QuestionKind| -> Option<f64> { estimate_of(kind, pool).map(|e| e.value) };
    let surveys = db::fetch_sent_surveys(db, since, scope.now).await?;
    let mut results: HashMap<String, Results> = HashMap::new();
    let mut own_counts: HashMap<String, Counts> = HashMap::new();
    for survey in &surveys {
        let r = scope
            .results
            .get(db, &survey.survey_id, scope.protection, Detail::Summary)
            .await?;
        // One community's answers to the baseline's question, where its results show
        // the community's score (never for anonymous surveys or small groups).
        let headline = r.scores.first().filter(|h| {
            !r.anonymous
                && matches!(
                    h.kind,
                    QuestionKind::Csat | QuestionKind::Nps | QuestionKind::Ces
                )
        });
        if let Some(first) = headline.filter(|_| pool_surveys.contains(&survey.survey_id)) {
            let shown: HashSet<&str> = r
                .by_community
                .iter()
                .filter(|row| row.score.is_some())
                .filter_map(|row| id_of.get(row.name.as_str()).copied())
                .collect();
            let counts = crate::monitoring::db::fetch_community_scores(
                db,
                &survey.survey_id,
                &first.question_id,
            )
            .await?;
            for (community, score, n) in counts {
                if shown.contains(community.as_str()) {
                    own_counts
                        .entry(community)
                        .or_default()
                        .count(first.kind.as_str(), score, n);
                }
            }
        }
        results.insert(survey.survey_id.clone(), r);
    }

    let survey_of: HashMap<&str, &db::SurveyRow> =
        surveys.iter().map(|s| (s.survey_id.as_str(), s)).collect();
    let name_of: HashMap<&str, &str> = communities
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let mut per_community: HashMap<String, Vec<CommunitySurvey>> = HashMap::new();
    for (community, survey_id, first_sent) in
        db::fetch_community_sends(db, since, scope.now).await?
    {
        let (Some(survey), Some(r), Some(name)) = (
            survey_of.get(survey_id.as_str()),
            results.get(&survey_id),
            name_of.get(community.as_str()),
        ) else {
            continue;
        };
        let Some(row) = r.by_community.iter().find(|row| row.name == *name) else {
            continue;
        };
        let headline = r.scores.first();
        per_community
            .entry(community.clone())
            .or_default()
            .push(CommunitySurvey {
                survey_id: survey_id.clone(),
                title: survey.title.clone(),
                release: survey.release.clone(),
                anonymous: survey.anonymous,
                closed: survey.closed,
                first_sent,
                delivered: row.delivered,
                completed: row.completed,
                rate: row.rate,
                headline_label: headline.map(|h| h.headline_label.clone()),
                score: row.score,
                baseline: headline.and_then(|h| baseline_of(h.kind)),
            });
    }
    for list in per_community.values_mut() {
        list.sort_by(|a, b| b.first_sent.cmp(&a.first_sent).then(a.title.cmp(&b.title)));
    }

    Ok(Facts {
        rates_by_release: rates_by_release(&surveys, &results, &tiers),
        surveys: per_community,
        own_counts,
        pool,
        last_answered: db::fetch_last_answered(db, scope.now)
            .await?
            .into_iter()
            .collect(),
        communities,
        tiers,
    })
}

/// Per release (newest first by its surveys' first sends), each tier's delivered and
/// completed summed over the release's surveys as their results show them.
fn rates_by_release(
    surveys: &[db::SurveyRow],
    results: &HashMap<String, Results>,
    tiers: &[String],
) -> Vec<ReleaseRates> {
    // (release, name, its surveys' first send).
    let mut releases: Vec<(String, String, i64)> = Vec::new();
    for s in surveys {
        if let (Some(id), Some(name)) = (&s.release_id, &s.release) {
            match releases.iter_mut().find(|(r, ..)| r == id) {
                Some(known) => known.2 = known.2.min(s.first_sent),
                None => releases.push((id.clone(), name.clone(), s.first_sent)),
            }
        }
    }
    releases.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    releases
        .into_iter()
        .map(|(release_id, release, first_sent)| {
            let mine: Vec<&Results> = surveys
                .iter()
                .filter(|s| s.release_id.as_deref() == Some(release_id.as_str()))
                .filter_map(|s| results.get(&s.survey_id))
                .collect();
            let tiers = tiers
                .iter()
                .filter_map(|tier| {
                    let cells: Vec<_> = mine
                        .iter()
                        .flat_map(|r| r.by_tier.iter().filter(|row| row.name == *tier))
                        .collect();
                    let delivered: i64 = cells.iter().map(|c| c.delivered).sum();
                    (delivered > 0).then(|| {
                        let completed: Option<i64> = cells.iter().map(|c| c.completed).sum();
                        TierRate {
                            tier: tier.clone(),
                            delivered,
                            completed,
                            rate: completed.map(|c| 100.0 * c as f64 / delivered as f64),
                        }
                    })
                })
                .collect();
            ReleaseRates {
                release,
                first_sent,
                so_far: surveys
                    .iter()
                    .any(|s| s.release_id.as_deref() == Some(release_id.as_str()) && !s.closed),
                tiers,
            }
        })
        .collect()
}

/// A pooled score of one kind with its interval (no finite population: the pool is a
/// sample of what members think over time).
fn estimate_of(kind: QuestionKind, counts: Counts) -> Option<Estimate> {
    match kind {
        QuestionKind::Csat => stats::wilson(counts.csat.0, counts.csat.1, None),
        QuestionKind::Ces => stats::wilson(counts.ces.0, counts.ces.1, None),
        QuestionKind::Nps => stats::nps(counts.nps.0, counts.nps.1, counts.nps.2, None),
        _ => None,
    }
}

fn answers_of(kind: QuestionKind, counts: Counts) -> i64 {
    match kind {
        QuestionKind::Csat => counts.csat.1,
        QuestionKind::Ces => counts.ces.1,
        QuestionKind::Nps => counts.nps.0 + counts.nps.1 + counts.nps.2,
        _ => 0,
    }
}

fn label_of(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Csat => "CSAT (% answering 4 or 5)",
        QuestionKind::Ces => "CES (% answering 5 to 7)",
        _ => "NPS",
    }
}

/// Each kind of score the community has at least `small_group` answers to, its own
/// against everyone else's in the baseline's surveys.
type Against = (String, Estimate, i64, Estimate, Option<Comparison>);

fn against_baseline(own: Counts, pool: Counts, small_group: i64) -> Vec<Against> {
    let others = pool.minus(own);
    [QuestionKind::Csat, QuestionKind::Nps, QuestionKind::Ces]
        .into_iter()
        .filter_map(|kind| {
            let answers = answers_of(kind, own);
            if answers < small_group {
                return None;
            }
            let mine = estimate_of(kind, own)?;
            let theirs = estimate_of(kind, others)?;
            let comparison = match kind {
                QuestionKind::Nps => stats::compare_nps(own.nps, others.nps),
                QuestionKind::Csat => stats::compare_shares(own.csat, others.csat),
                _ => stats::compare_shares(own.ces, others.ces),
            };
            Some((
                label_of(kind).to_string(),
                mine,
                answers,
                theirs,
                comparison,
            ))
        })
        .collect()
}

/// The at-risk rules over one community's surveys (newest first) and scores.
fn reasons(surveys: &[CommunitySurvey], against: &[Against], now: i64) -> Vec<Reason> {
    let mut reasons = Vec::new();
    // Only closed surveys: an open survey's answers are still coming.
    let closed: Vec<&CommunitySurvey> = surveys
        .iter()
        .filter(|s| s.closed && s.delivered > 0)
        .collect();
    if let [a, b, ..] = closed.as_slice() {
        if a.completed == Some(0) && b.completed == Some(0) {
            reasons.push(Reason::SilentSurveys(vec![
                a.title.clone(),
                b.title.clone(),
            ]));
        }
    }
    let period = PERIOD_DAYS * 86_400;
    // (delivered, completed) of the closed surveys first sent in each period; None when
    // a count there is not shown.
    let in_period = |back: i64| -> (i64, Option<i64>) {
        let (from, until) = (now - (back + 1) * period, now - back * period);
        let mine: Vec<&&CommunitySurvey> = closed
            .iter()
            .filter(|s| s.first_sent >= from && s.first_sent < until)
            .collect();
        (
            mine.iter().map(|s| s.delivered).sum(),
            mine.iter().map(|s| s.completed).sum(),
        )
    };
    let (latest, earlier) = (in_period(0), in_period(1));
    if latest.0 > 0 && earlier.0 > 0 && latest.1 == Some(0) && earlier.1 == Some(0) {
        reasons.push(Reason::SilentPeriods);
    }
    for (label, own, answers, others, comparison) in against {
        if *comparison == Some(Comparison::Below) {
            reasons.push(Reason::BelowBaseline {
                label: label.clone(),
                own: *own,
                answers: *answers,
                others: *others,
            });
        }
    }
    if let ((d0, Some(c0)), (d1, Some(c1))) = (latest, earlier) {
        if let (Some(now_rate), true) = (stats::wilson(c0, d0, None), d1 > 0) {
            let before = 100.0 * c1 as f64 / d1 as f64;
            if before - now_rate.value > now_rate.half_width() {
                reasons.push(Reason::Falling {
                    earlier: before,
                    latest: now_rate,
                });
            }
        }
    }
    reasons.sort_by_key(|r| std::cmp::Reverse(r.weight()));
    reasons
}

fn at_risk_list(facts: &Facts, small_group: i64, now: i64) -> Vec<AtRisk> {
    let mut list: Vec<AtRisk> = facts
        .communities
        .iter()
        .filter_map(|c| {
            let surveys = facts.surveys.get(&c.id).map(Vec::as_slice).unwrap_or(&[]);
            let own = facts.own_counts.get(&c.id).copied().unwrap_or_default();
            let against = against_baseline(own, facts.pool, small_group);
            let reasons = reasons(surveys, &against, now);
            (!reasons.is_empty()).then(|| AtRisk {
                community_id: c.id.clone(),
                name: c.name.clone(),
                tier: c.tier.clone(),
                owner: c.owner.clone(),
                renews_on: c.renews_on.clone(),
                last_answered: facts.last_answered.get(&c.id).copied(),
                reasons,
            })
        })
        .collect();
    // Ordered by risk: the heaviest reason, then how many, then the nearest renewal.
    list.sort_by(|a, b| {
        let weight = |r: &AtRisk| r.reasons.first().map(Reason::weight).unwrap_or(0);
        weight(b)
            .cmp(&weight(a))
            .then(b.reasons.len().cmp(&a.reasons.len()))
            .then(match (&a.renews_on, &b.renews_on) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then(a.name.cmp(&b.name))
    });
    list
}

/// Engagement over the window and each quarter, from one pass over the invitations: only
/// the communities page shows it, so a community's page and the report skip the pass.
async fn engagement(scope: Scope<'_>, facts: &Facts) -> AppResult<Engagement> {
    let tier_of: HashMap<String, String> = facts
        .communities
        .iter()
        .map(|c| (c.id.clone(), c.tier.clone()))
        .collect();
    // The window and the quarters, from one pass over the invitations.
    let quarters = scope.zone.quarters(scope.now, QUARTERS);
    let mut periods = vec![(scope.since(), scope.now)];
    periods.extend(
        quarters
            .iter()
            .map(|(_, from, until)| (*from, (*until).min(scope.now))),
    );
    let mut shares = engagement_over(scope.db, &periods, &tier_of, &facts.tiers)
        .await?
        .into_iter();
    let (overall, by_tier) = shares.next().unwrap_or_default();
    let by_quarter = quarters
        .into_iter()
        .zip(shares)
        .map(|((label, from, until), (share, _))| QuarterShare {
            so_far: until > scope.now,
            until: until.min(scope.now),
            label,
            from,
            share,
        })
        .collect();
    Ok(Engagement {
        window_days: scope.window_days,
        overall,
        by_tier,
        by_quarter,
        rates_by_release: facts.rates_by_release.clone(),
    })
}

/// The communities at risk as things stand at `scope.now`, unfiltered (the report's list).
pub async fn at_risk(scope: Scope<'_>) -> AppResult<Vec<AtRisk>> {
    let facts = facts(scope).await?;
    Ok(at_risk_list(
        &facts,
        scope.protection.small_group,
        scope.now,
    ))
}

/// The communities page: engagement, the at-risk list (filtered), and every community.
pub async fn load(scope: Scope<'_>, filter: &RiskFilter) -> AppResult<Health> {
    let facts = facts(scope).await?;
    let at_risk = at_risk_list(&facts, scope.protection.small_group, scope.now)
        .into_iter()
        .filter(|row| filter.keeps(row))
        .collect();
    Ok(Health {
        at_risk,
        communities: facts
            .communities
            .iter()
            .map(|c| (c.id.clone(), c.name.clone(), c.tier.clone()))
            .collect(),
        owners: member_emails(scope.db).await?,
        tiers: facts.tiers.clone(),
        small_group: scope.protection.small_group,
        engagement: engagement(scope, &facts).await?,
    })
}

/// One community's page. `with_contacts` lists its people (editors); otherwise only
/// their number is given.
pub async fn community(
    scope: Scope<'_>,
    community_id: &str,
    with_contacts: bool,
) -> AppResult<CommunityHealth> {
    let facts = facts(scope).await?;
    let c = facts
        .communities
        .iter()
        .find(|c| c.id == community_id)
        .ok_or(AppError::NotFound)?;
    let contacts = db::fetch_contacts(scope.db, community_id).await?;
    let surveys = facts.surveys.get(&c.id).cloned().unwrap_or_default();
    let own = facts.own_counts.get(&c.id).copied().unwrap_or_default();
    let against = against_baseline(own, facts.pool, scope.protection.small_group);
    Ok(CommunityHealth {
        community_id: c.id.clone(),
        name: c.name.clone(),
        tier: c.tier.clone(),
        time_zone: c.time_zone.clone(),
        owner: c.owner.clone(),
        renews_on: c.renews_on.clone(),
        contact_count: contacts.len() as i64,
        contacts: if with_contacts { contacts } else { Vec::new() },
        last_answered: facts.last_answered.get(&c.id).copied(),
        reasons: reasons(&surveys, &against, scope.now),
        surveys,
        against_baseline: against,
        small_group: scope.protection.small_group,
        window_days: scope.window_days,
        members: member_emails(scope.db).await?,
    })
}

/// Records who looks after a community (a team member's email, or none) and when it
/// renews (YYYY-MM-DD, or none); returns both as stored.
pub async fn set_care(
    db: &Db,
    community_id: &str,
    owner: &str,
    renews_on: &str,
) -> AppResult<(Option<String>, Option<String>)> {
    let owner = owner.trim();
    let owner = if owner.is_empty() {
        None
    } else {
        let members = member_emails(db).await?;
        let found = members
            .into_iter()
            .find(|m| m.eq_ignore_ascii_case(owner))
            .ok_or_else(|| {
                AppError::field(
                    "owner",
                    "Choose a member of the team (their email), or leave it empty.",
                )
            })?;
        Some(found)
    };
    let renews_on = renews_on.trim();
    let renews_on = if renews_on.is_empty() {
        None
    } else {
        crate::ui::parse_date(renews_on)
            .map(|day| crate::ui::format_date(day * 86_400))
            .ok_or_else(|| {
                AppError::field(
                    "renews_on",
                    "Give the renewal date as YYYY-MM-DD, or leave it empty.",
                )
            })
            .map(Some)?
    };
    if db::update_care(db, community_id, owner.as_deref(), renews_on.as_deref()).await? {
        Ok((owner, renews_on))
    } else {
        Err(AppError::NotFound)
    }
}

/// The at-risk list as CSV: one row per community, its reasons joined, names and reasons
/// neutralised for spreadsheets.
pub fn at_risk_csv(rows: &[AtRisk], zone: &crate::ui::TeamZone) -> AppResult<Vec<u8>> {
    use crate::responses::export::neutralised;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let result: Result<(), csv::Error> = (|| {
        writer.write_record([
            "community",
            "tier",
            "owner",
            "renews_on",
            "last_answered",
            "reasons",
            "reason_codes",
        ])?;
        for row in rows {
            writer.write_record([
                neutralised(&row.name),
                neutralised(&row.tier),
                neutralised(row.owner.as_deref().unwrap_or_default()),
                row.renews_on.clone().unwrap_or_default(),
                row.last_answered
                    .map(|at| zone.date(at))
                    .unwrap_or_default(),
                neutralised(
                    &row.reasons
                        .iter()
                        .map(Reason::words)
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                row.reasons
                    .iter()
                    .map(Reason::code)
                    .collect::<Vec<_>>()
                    .join(";"),
            ])?;
        }
        Ok(())
    })();
    result.map_err(|_| AppError::Internal)?;
    writer.into_inner().map_err(|_| AppError::Internal)
}
