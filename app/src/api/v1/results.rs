//! `/surveys/{id}/summary` and `/baseline`: the figures of the results page and the
//! overview, in the API's own stable shape.
use super::auth::Caller;
use super::error::{ApiResult, ErrorBody};
use crate::auth::model::Role;
use crate::ids::SurveyId;
use crate::monitoring::baseline_model::Scored;
use crate::monitoring::stats::{Comparison, Estimate, Verdict};
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// An estimate in points with its 95% interval.
#[derive(Debug, Serialize, ToSchema)]
pub struct EstimateOut {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

impl From<Estimate> for EstimateOut {
    fn from(e: Estimate) -> Self {
        Self {
            value: e.value,
            low: e.low,
            high: e.high,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreOut {
    pub question_id: String,
    pub prompt: String,
    pub kind: String,
    pub answered: i64,
    pub headline_label: String,
    pub headline: Option<EstimateOut>,
    pub mean: Option<EstimateOut>,
    /// actionable, need_more or unreachable.
    pub verdict: String,
    /// With need_more: about how many more completed answers the target needs.
    pub more_needed: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupOut {
    pub name: String,
    pub invited: i64,
    pub delivered: i64,
    /// None in an anonymous survey for a group that reached fewer people than the
    /// small-group minimum, or would give such a group away by subtraction.
    pub completed: Option<i64>,
    pub rate: Option<f64>,
    /// None for small groups and in anonymous surveys.
    pub score: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryOut {
    pub survey_id: String,
    /// Invitations the mail server accepted and did not bounce.
    pub delivered: i64,
    pub completed: i64,
    pub remaining: i64,
    /// completed / delivered, in percent.
    pub response_rate: Option<f64>,
    pub target_points: i64,
    pub scores: Vec<ScoreOut>,
    pub by_tier: Vec<GroupOut>,
    pub by_community: Vec<GroupOut>,
    /// The headline beside its community-weighted and re-weighted readings; absent in
    /// an anonymous survey or without a scored question.
    pub fair: Option<FairOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FairOut {
    /// CSAT, CES (5-7), NPS or Share 4-5.
    pub label: String,
    /// The person-weighted headline.
    pub plain: EstimateOut,
    /// The mean of each community's own score (communities with at least the
    /// small-group minimum of answers), mean ± 1.96 s / sqrt(m).
    pub community_weighted: Option<EstimateOut>,
    pub communities: i64,
    pub community_weighted_note: Option<String>,
    /// Post-stratified by tier to the shares of delivered invitations.
    pub reweighted: Option<f64>,
    pub reweighted_note: Option<String>,
    /// What the readings say together, in words, as the page says it.
    pub findings: Vec<String>,
    pub mix: Vec<MixOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MixOut {
    /// Tier or Community size.
    pub by: String,
    pub group: String,
    /// Percent of the people reached (delivered invitations).
    pub invited_share: f64,
    /// Percent of those who completed.
    pub respondent_share: f64,
}

fn fair(f: crate::monitoring::model::Fair) -> FairOut {
    FairOut {
        label: f.label,
        plain: f.plain.into(),
        community_weighted: f.community_weighted.map(Into::into),
        communities: f.communities,
        community_weighted_note: f.community_weighted_note,
        reweighted: f.reweighted,
        reweighted_note: f.reweighted_note,
        findings: f.findings,
        mix: f
            .mix
            .into_iter()
            .map(|m| MixOut {
                by: m.by,
                group: m.group,
                invited_share: m.invited_share,
                respondent_share: m.respondent_share,
            })
            .collect(),
    }
}

fn verdict(v: &Verdict) -> (String, Option<i64>) {
    match v {
        Verdict::Actionable => ("actionable".into(), None),
        Verdict::NeedMore(k) => ("need_more".into(), Some(*k)),
        Verdict::Unreachable => ("unreachable".into(), None),
    }
}

fn groups(rows: Vec<crate::monitoring::model::GroupRow>) -> Vec<GroupOut> {
    rows.into_iter()
        .map(|r| GroupOut {
            name: r.name,
            invited: r.invited,
            delivered: r.delivered,
            completed: r.completed,
            rate: r.rate,
            score: r.score,
        })
        .collect()
}

/// The response rate, each score with its 95% interval and verdict, and breakdowns.
#[utoipa::path(get, path = "/surveys/{survey_id}/summary", tag = "results", params(("survey_id" = String, Path, format = Uuid)),
    responses((status = 200, body = SummaryOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn summary(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
) -> ApiResult<Json<SummaryOut>> {
    caller.require(Role::Viewer)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    use crate::monitoring::summary::Detail;
    let protection = state.config.protection();
    let r = state
        .results
        .get(state.db.reads(), &survey_id, protection, Detail::Summary)
        .await?;
    let scores = r
        .scores
        .into_iter()
        .map(|s| {
            let (verdict, more_needed) = verdict(&s.verdict);
            ScoreOut {
                question_id: s.question_id,
                prompt: s.prompt,
                kind: s.kind.as_str().to_string(),
                answered: s.answered,
                headline_label: s.headline_label,
                headline: s.headline.map(Into::into),
                mean: s.mean.map(Into::into),
                verdict,
                more_needed,
            }
        })
        .collect();
    Ok(Json(SummaryOut {
        survey_id: r.survey_id,
        delivered: r.rate.delivered,
        completed: r.rate.completed,
        remaining: r.rate.remaining,
        response_rate: r.rate.percent,
        target_points: r.target_points,
        scores,
        by_tier: groups(r.by_tier),
        by_community: groups(r.by_community),
        fair: r.fair.map(fair),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PooledOut {
    pub estimate: EstimateOut,
    pub answers: i64,
    /// Closed releases that gave answers to this kind of question.
    pub releases: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReleaseOut {
    pub release_id: String,
    pub release: String,
    /// The day it shipped (YYYY-MM-DD), when recorded.
    pub released_on: Option<String>,
    /// When its last survey closed (seconds since the Unix epoch); absent while one is open.
    pub closed_at: Option<i64>,
    /// Still being surveyed: its comparison is provisional until its surveys close.
    pub so_far: bool,
    pub surveys: Vec<BaselineSurveyOut>,
    pub csat: Option<ComparedOut>,
    pub nps: Option<ComparedOut>,
    pub ces: Option<ComparedOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BaselineSurveyOut {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComparedOut {
    pub estimate: EstimateOut,
    pub answers: i64,
    /// above, below, not_distinguishable, or absent with nothing to compare.
    pub against_others: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BaselineOut {
    pub window_days: i64,
    pub csat: Option<PooledOut>,
    pub nps: Option<PooledOut>,
    pub ces: Option<PooledOut>,
    /// Newest first by the day they shipped.
    pub releases: Vec<ReleaseOut>,
}

fn compared(s: Scored) -> ComparedOut {
    ComparedOut {
        estimate: s.estimate.into(),
        answers: s.answers,
        against_others: s.against_others.map(|c| {
            match c {
                Comparison::Above => "above",
                Comparison::Below => "below",
                Comparison::NotDistinguishable => "not_distinguishable",
            }
            .to_string()
        }),
    }
}

/// The satisfaction baseline and each closed release against it.
#[utoipa::path(get, path = "/baseline", tag = "results",
    responses((status = 200, body = BaselineOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn baseline(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<BaselineOut>> {
    caller.require(Role::Viewer)?;
    let window = crate::monitoring::baseline::Window {
        now: state.clock.now(),
        days: state.config.baseline_window_days,
    };
    let d = crate::monitoring::baseline::load(&state.db, window).await?;
    let pooled = |p: crate::monitoring::baseline_model::Pooled| PooledOut {
        estimate: p.estimate.into(),
        answers: p.answers,
        releases: p.releases,
    };
    Ok(Json(BaselineOut {
        window_days: d.window_days,
        csat: d.baseline.csat.map(pooled),
        nps: d.baseline.nps.map(pooled),
        ces: d.baseline.ces.map(pooled),
        releases: d
            .baseline
            .releases
            .into_iter()
            .map(|r| ReleaseOut {
                release_id: r.release_id,
                release: r.release,
                released_on: r.released_on,
                closed_at: r.closed_at,
                so_far: r.so_far,
                surveys: r
                    .surveys
                    .into_iter()
                    .map(|(id, title)| BaselineSurveyOut { id, title })
                    .collect(),
                csat: r.csat.map(compared),
                nps: r.nps.map(compared),
                ces: r.ces.map(compared),
            })
            .collect(),
    }))
}
