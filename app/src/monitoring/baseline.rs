//! The dashboard's server function and the satisfaction baseline: the answers to every
//! survey about a release, pooled per release; the releases whose surveys all closed in
//! the window pooled into the baseline (each answer weighs the same), each compared with
//! the pool of the others, and a release still being surveyed placed "so far".
use super::baseline_model::Dashboard;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::baseline_db as db,
    super::baseline_model::{
        Baseline, Engagement, OpenSurvey, Pooled, ReleaseScore, Scored, SurveyRef,
        DEFAULT_EXPECTED_RATE,
    },
    super::stats,
    super::stats::Estimate,
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

#[server(prefix = "/fn", endpoint = "get_dashboard", output = crate::ui::wire::Postcard)]
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

/// A release's counts: CSAT and CES (successes, answered), NPS (promoters, passives,
/// detractors).
#[cfg(feature = "ssr")]
#[derive(Default, Clone, Copy, Debug, PartialEq)]
pub struct Counts {
    pub csat: (i64, i64),
    pub ces: (i64, i64),
    pub nps: (i64, i64, i64),
}

#[cfg(feature = "ssr")]
impl Counts {
    fn add(self, other: Counts) -> Counts {
        self.combined(other, 1)
    }

    pub fn minus(self, other: Counts) -> Counts {
        self.combined(other, -1)
    }

    /// Each count plus `sign` times the other's.
    fn combined(self, other: Counts, sign: i64) -> Counts {
        let pair = |a: (i64, i64), b: (i64, i64)| (a.0 + sign * b.0, a.1 + sign * b.1);
        Counts {
            csat: pair(self.csat, other.csat),
            ces: pair(self.ces, other.ces),
            nps: (
                self.nps.0 + sign * other.nps.0,
                self.nps.1 + sign * other.nps.1,
                self.nps.2 + sign * other.nps.2,
            ),
        }
    }

    /// One score's answers counted in.
    pub fn count(&mut self, kind: &str, score: i64, n: i64) {
        let share =
            |(x, total): (i64, i64), success: bool| (x + if success { n } else { 0 }, total + n);
        match kind {
            "csat" => {
                self.csat = share(self.csat, score >= stats::success_from(QuestionKind::Csat))
            }
            "ces" => self.ces = share(self.ces, score >= stats::success_from(QuestionKind::Ces)),
            _ => {
                let (p, m, d) = stats::nps_counts(&[(score, n)]);
                self.nps = (self.nps.0 + p, self.nps.1 + m, self.nps.2 + d);
            }
        }
    }
}

/// The baseline: releases with every survey closed and the last closed in the window are
/// pooled; each is compared with the pool of the others, and a release still being
/// surveyed with the whole pool.
#[cfg(feature = "ssr")]
pub async fn baseline(db: &Db, since: i64) -> Result<Baseline, AppError> {
    let rows = db::fetch_releases(db, since).await?;
    let mut counts: HashMap<String, Counts> = HashMap::new();
    for (release_id, kind, score, n) in db::fetch_release_scores(db).await? {
        counts.entry(release_id).or_default().count(&kind, score, n);
    }
    let mut surveys: HashMap<String, Vec<SurveyRef>> = HashMap::new();
    for (release_id, survey_id, title) in db::fetch_release_surveys(db).await? {
        surveys
            .entry(release_id)
            .or_default()
            .push((survey_id, title));
    }
    let own = |id: &str| counts.get(id).copied().unwrap_or_default();
    let closed = |r: &db::ReleaseRow| r.open_surveys == 0;
    let total = rows
        .iter()
        .filter(|r| closed(r))
        .fold(Counts::default(), |t, r| t.add(own(&r.release_id)));
    let with = |pick: fn(&Counts) -> i64| {
        rows.iter()
            .filter(|r| closed(r) && pick(&own(&r.release_id)) > 0)
            .count() as i64
    };
    let pooled = |estimate: Option<Estimate>, answers: i64, releases: i64| {
        estimate.map(|estimate| Pooled {
            estimate,
            answers,
            releases,
        })
    };
    let nps_n = total.nps.0 + total.nps.1 + total.nps.2;
    let csat = pooled(
        stats::wilson(total.csat.0, total.csat.1, None),
        total.csat.1,
        with(|c| c.csat.1),
    );
    let ces = pooled(
        stats::wilson(total.ces.0, total.ces.1, None),
        total.ces.1,
        with(|c| c.ces.1),
    );
    let nps = pooled(
        stats::nps(total.nps.0, total.nps.1, total.nps.2, None),
        nps_n,
        with(|c| c.nps.0 + c.nps.1 + c.nps.2),
    );
    let mut releases: Vec<ReleaseScore> = rows
        .into_iter()
        .map(|row| {
            let mine = own(&row.release_id);
            let so_far = !closed(&row);
            // The others: the pool without this release (a release still being surveyed
            // is not in the pool, so it meets all of it).
            let others = if so_far { total } else { total.minus(mine) };
            ReleaseScore {
                csat: scored_share(mine.csat, others.csat),
                ces: scored_share(mine.ces, others.ces),
                nps: scored_nps(mine.nps, others.nps),
                dated: release_day(&row),
                surveys: surveys.remove(&row.release_id).unwrap_or_default(),
                closed_at: row.last_closed_at.filter(|_| !so_far),
                so_far,
                release_id: row.release_id,
                release: row.name,
                released_on: row.released_on,
            }
        })
        .collect();
    releases.sort_by(|a, b| b.dated.cmp(&a.dated).then(a.release.cmp(&b.release)));
    Ok(Baseline {
        csat,
        nps,
        ces,
        releases,
    })
}

/// The baseline's pool on its own: the counts of every release whose surveys have all
/// closed, the last in the window, and the ids of those surveys, so a part of the pool
/// (one community's answers) can be set against the rest.
#[cfg(feature = "ssr")]
pub async fn closed_pool(
    db: &Db,
    since: i64,
) -> Result<(Counts, std::collections::HashSet<String>), AppError> {
    let closed: std::collections::HashSet<String> = db::fetch_releases(db, since)
        .await?
        .into_iter()
        .filter(|r| r.open_surveys == 0)
        .map(|r| r.release_id)
        .collect();
    let mut total = Counts::default();
    for (release_id, kind, score, n) in db::fetch_release_scores(db).await? {
        if closed.contains(&release_id) {
            total.count(&kind, score, n);
        }
    }
    let surveys = db::fetch_release_surveys(db)
        .await?
        .into_iter()
        .filter(|(release_id, ..)| closed.contains(release_id))
        .map(|(_, survey_id, _)| survey_id)
        .collect();
    Ok((total, surveys))
}

/// The day a release shipped as the team recorded it, else when its first survey opened.
#[cfg(feature = "ssr")]
fn release_day(row: &db::ReleaseRow) -> i64 {
    row.released_on
        .as_deref()
        .and_then(crate::ui::parse_date)
        .map(|day| day * 86_400)
        .or(row.first_opened_at)
        .or(row.last_closed_at)
        .unwrap_or(0)
}

/// A share (CSAT's 4-5, CES's 5-7) against the others' share.
#[cfg(feature = "ssr")]
fn scored_share((x, n): (i64, i64), others: (i64, i64)) -> Option<Scored> {
    let estimate = stats::wilson(x, n, None)?;
    Some(Scored {
        estimate,
        answers: n,
        against_others: stats::compare_shares((x, n), others),
    })
}

#[cfg(feature = "ssr")]
fn scored_nps((p, m, d): (i64, i64, i64), others: (i64, i64, i64)) -> Option<Scored> {
    let estimate = stats::nps(p, m, d, None)?;
    Some(Scored {
        estimate,
        answers: p + m + d,
        against_others: stats::compare_nps((p, m, d), others),
    })
}

#[cfg(feature = "ssr")]
async fn engagement(db: &Db, window: Window) -> Result<Engagement, AppError> {
    let (overall, by_tier) =
        super::engagement::engagement_in(db, window.since(), window.now).await?;
    Ok(Engagement { overall, by_tier })
}
