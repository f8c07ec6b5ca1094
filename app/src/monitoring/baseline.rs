//! The dashboard's server function and the satisfaction baseline: every closed release
//! survey of the last 12 months pooled (each answer weighs the same), and each release
//! compared with the pool of the others.
use super::baseline_model::Dashboard;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::baseline_db as db,
    super::baseline_model::{
        Baseline, Engagement, OpenSurvey, Pooled, ReleaseScore, Scored, DEFAULT_EXPECTED_RATE,
        QUARTER_DAYS,
    },
    super::stats,
    super::summary,
    crate::surveys::question::QuestionKind,
    crate::{auth::model::Role, db::Db, server::guard},
    std::collections::HashMap,
};

/// The period the dashboard looks back over: `days` up to `now`.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub now: i64,
    pub days: i64,
}

#[cfg(feature = "ssr")]
impl Window {
    fn since(self) -> i64 {
        self.now - self.days * 86_400
    }
}

#[server(prefix = "/fn", endpoint = "get_dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    guard::respond(async {
        let (state, _) = guard::require_role(Role::Viewer).await?;
        let window = Window {
            now: state.clock.now(),
            days: state.config.baseline_window_days,
        };
        load(&state.db, window).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub async fn load(db: &Db, window: Window) -> Result<Dashboard, AppError> {
    let (now, since) = (window.now, window.since());
    let rates = db::fetch_closed_rates(db, since).await?;
    let history: Vec<f64> = rates
        .iter()
        .filter(|(delivered, _)| *delivered > 0)
        .map(|(delivered, completed)| 100.0 * *completed as f64 / *delivered as f64)
        .collect();
    let expected_from_history = !history.is_empty();
    let expected_rate = if expected_from_history {
        history.iter().sum::<f64>() / history.len() as f64
    } else {
        DEFAULT_EXPECTED_RATE
    };
    Ok(Dashboard {
        open: open_surveys(db, now, expected_rate).await?,
        baseline: baseline(db, since).await?,
        engagement: engagement(db, window).await?,
        expected_rate,
        expected_from_history,
        window_days: window.days,
    })
}

#[cfg(feature = "ssr")]
async fn open_surveys(db: &Db, now: i64, expected: f64) -> Result<Vec<OpenSurvey>, AppError> {
    let mut open = Vec::new();
    for (survey_id, title, first_sent) in db::fetch_open_surveys(db).await? {
        let (rate, scores) = summary::load_scores(db, &survey_id).await?;
        let remindable =
            crate::distribution::sending::reminders::count_remindable(db, &survey_id, now).await?;
        let settled = first_sent.is_some_and(|at| now - at >= 2 * 86_400);
        open.push(OpenSurvey {
            survey_id,
            title,
            delivered: rate.delivered,
            completed: rate.completed,
            rate: rate.percent,
            verdict: scores.first().map(|s| s.verdict.clone()),
            remindable,
            needs_attention: settled && rate.percent.is_some_and(|r| r < expected),
        });
    }
    Ok(open)
}

/// A release's counts: CSAT (successes, answered) and NPS (promoters, passives, detractors).
#[cfg(feature = "ssr")]
#[derive(Default, Clone, Copy)]
struct Counts {
    csat: (i64, i64),
    nps: (i64, i64, i64),
}

#[cfg(feature = "ssr")]
async fn baseline(db: &Db, since: i64) -> Result<Baseline, AppError> {
    let releases = db::fetch_closed_releases(db, since).await?;
    let mut counts: HashMap<String, Counts> = HashMap::new();
    for (survey_id, kind, score, n) in db::fetch_release_scores(db, since).await? {
        let c = counts.entry(survey_id).or_default();
        match kind.as_str() {
            "csat" => {
                let satisfied = score >= summary::success_from(QuestionKind::Csat);
                c.csat = (c.csat.0 + if satisfied { n } else { 0 }, c.csat.1 + n);
            }
            _ => {
                let (p, m, d) = summary::nps_counts(&[(score, n)]);
                c.nps = (c.nps.0 + p, c.nps.1 + m, c.nps.2 + d);
            }
        }
    }
    let total = counts.values().fold(Counts::default(), |t, c| Counts {
        csat: (t.csat.0 + c.csat.0, t.csat.1 + c.csat.1),
        nps: (t.nps.0 + c.nps.0, t.nps.1 + c.nps.1, t.nps.2 + c.nps.2),
    });
    let with = |pick: fn(&Counts) -> i64| counts.values().filter(|c| pick(c) > 0).count() as i64;
    let csat = stats::wilson(total.csat.0, total.csat.1, None).map(|estimate| Pooled {
        estimate,
        answers: total.csat.1,
        surveys: with(|c| c.csat.1),
    });
    let nps_n = total.nps.0 + total.nps.1 + total.nps.2;
    let nps = stats::nps(total.nps.0, total.nps.1, total.nps.2, None).map(|estimate| Pooled {
        estimate,
        answers: nps_n,
        surveys: with(|c| c.nps.0 + c.nps.1 + c.nps.2),
    });
    let releases = releases
        .into_iter()
        .map(|(survey_id, title, release, closed_at)| {
            let own = counts.get(&survey_id).copied().unwrap_or_default();
            ReleaseScore {
                csat: scored_csat(own, total),
                nps: scored_nps(own, total),
                survey_id,
                title,
                release,
                closed_at,
            }
        })
        .collect();
    Ok(Baseline {
        csat,
        nps,
        releases,
    })
}

/// The release's CSAT against the pool of the other releases.
#[cfg(feature = "ssr")]
fn scored_csat(own: Counts, total: Counts) -> Option<Scored> {
    let (x, n) = own.csat;
    let estimate = stats::wilson(x, n, None)?;
    let others = (total.csat.0 - x, total.csat.1 - n);
    Some(Scored {
        estimate,
        answers: n,
        against_others: stats::compare_shares((x, n), others),
    })
}

#[cfg(feature = "ssr")]
fn scored_nps(own: Counts, total: Counts) -> Option<Scored> {
    let (p, m, d) = own.nps;
    let estimate = stats::nps(p, m, d, None)?;
    let others = (total.nps.0 - p, total.nps.1 - m, total.nps.2 - d);
    Some(Scored {
        estimate,
        answers: p + m + d,
        against_others: stats::compare_nps((p, m, d), others),
    })
}

#[cfg(feature = "ssr")]
async fn engagement(db: &Db, window: Window) -> Result<Engagement, AppError> {
    let (now, since) = (window.now, window.since());
    let sizes = db::fetch_tier_sizes(db).await?;
    let engaged: HashMap<String, i64> = db::fetch_engaged_by_tier(db, since)
        .await?
        .into_iter()
        .collect();
    let by_tier: Vec<(String, i64, i64)> = sizes
        .into_iter()
        .map(|(tier, size)| {
            let n = engaged.get(&tier).copied().unwrap_or(0);
            (tier, n, size)
        })
        .collect();
    let quarter = QUARTER_DAYS * 86_400;
    let by_quarter: HashMap<i64, i64> = db::fetch_engaged_by_quarter(db, since, now, quarter)
        .await?
        .into_iter()
        .collect();
    let quarters = (window.days / QUARTER_DAYS).max(1);
    Ok(Engagement {
        engaged: by_tier.iter().map(|t| t.1).sum(),
        communities: by_tier.iter().map(|t| t.2).sum(),
        by_tier,
        trend: (0..quarters)
            .rev()
            .map(|ago| (ago, by_quarter.get(&ago).copied().unwrap_or(0)))
            .collect(),
    })
}
