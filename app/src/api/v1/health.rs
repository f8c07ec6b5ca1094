//! `/engagement`, `/communities/at-risk` and `/communities/{id}/health`: the figures of the
//! communities pages, from the same use cases, in the API's own stable shape; and
//! `/communities/{id}/care` to record who looks after a community and when it renews.
use super::auth::Caller;
use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, ApiQuery};
use super::results::EstimateOut;
use crate::auth::model::Role;
use crate::community_health::health;
use crate::community_health::model::{Reason, RiskFilter, Share};
use crate::monitoring::stats::Comparison;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct ShareOut {
    /// Communities with at least one completed response in the period, of `invited`.
    pub engaged: i64,
    /// Communities sent at least one invitation in the period.
    pub invited: i64,
    /// engaged / invited in percent with its 95% Wilson interval (no finite population
    /// correction); absent when no community was invited.
    pub share: Option<EstimateOut>,
}

impl From<Share> for ShareOut {
    fn from(s: Share) -> Self {
        Self {
            engaged: s.engaged,
            invited: s.invited,
            share: s.estimate.map(Into::into),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierShareOut {
    pub tier: String,
    #[serde(flatten)]
    pub share: ShareOut,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuarterOut {
    /// "2026 Q3": a calendar quarter in the team's time zone.
    pub label: String,
    /// Its first moment and its end (now, while it runs), seconds since the Unix epoch.
    pub from: i64,
    pub until: i64,
    pub so_far: bool,
    #[serde(flatten)]
    pub share: ShareOut,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierRateOut {
    pub tier: String,
    pub delivered: i64,
    /// Absent when a survey's results do not show the tier's count (an anonymous survey
    /// that reached fewer people than the small-group minimum in it).
    pub completed: Option<i64>,
    /// completed / delivered in percent.
    pub rate: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReleaseRatesOut {
    pub release: String,
    /// When its first invitation went out (seconds since the Unix epoch).
    pub first_sent: i64,
    pub tiers: Vec<TierRateOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EngagementOut {
    pub window_days: i64,
    pub overall: ShareOut,
    pub by_tier: Vec<TierShareOut>,
    /// Oldest first; the last is the current quarter so far.
    pub by_quarter: Vec<QuarterOut>,
    /// Newest release first.
    pub rates_by_release: Vec<ReleaseRatesOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonOut {
    /// silent_surveys, silent_periods, below_baseline or falling_rate.
    pub code: String,
    /// The reason in a sentence, as the page says it.
    pub text: String,
}

fn reasons(reasons: &[Reason]) -> Vec<ReasonOut> {
    reasons
        .iter()
        .map(|r| ReasonOut {
            code: r.code().to_string(),
            text: r.words(),
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AtRiskOut {
    pub community_id: String,
    pub name: String,
    pub tier: String,
    /// The team member who looks after it (their email).
    pub owner: Option<String>,
    /// YYYY-MM-DD.
    pub renews_on: Option<String>,
    /// The latest completion in an identified survey (seconds since the Unix epoch).
    pub last_answered: Option<i64>,
    /// Heaviest first.
    pub reasons: Vec<ReasonOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AtRiskList {
    /// Ordered by risk: the heaviest reason, then how many, then the nearest renewal.
    pub items: Vec<AtRiskOut>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RiskParams {
    /// A tier's name; absent for all.
    #[param(max_length = 60)]
    pub tier: Option<String>,
    /// A team member's email, or "none" for communities nobody looks after.
    #[param(max_length = 254)]
    pub owner: Option<String>,
}

/// Engagement over the baseline's window: overall, per tier and per quarter, with 95%
/// intervals, and the response rate per tier over releases.
#[utoipa::path(get, path = "/engagement", tag = "communities",
    responses((status = 200, body = EngagementOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn engagement(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<EngagementOut>> {
    caller.require(Role::Viewer)?;
    let h = health::load(
        crate::community_health::scope(&state),
        &RiskFilter::default(),
    )
    .await?;
    let e = h.engagement;
    Ok(Json(EngagementOut {
        window_days: e.window_days,
        overall: e.overall.into(),
        by_tier: e
            .by_tier
            .into_iter()
            .map(|(tier, share)| TierShareOut {
                tier,
                share: share.into(),
            })
            .collect(),
        by_quarter: e
            .by_quarter
            .into_iter()
            .map(|q| QuarterOut {
                label: q.label,
                from: q.from,
                until: q.until,
                so_far: q.so_far,
                share: q.share.into(),
            })
            .collect(),
        rates_by_release: e
            .rates_by_release
            .into_iter()
            .map(|r| ReleaseRatesOut {
                release: r.release,
                first_sent: r.first_sent,
                tiers: r
                    .tiers
                    .into_iter()
                    .map(|t| TierRateOut {
                        tier: t.tier,
                        delivered: t.delivered,
                        completed: t.completed,
                        rate: t.rate,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// The communities at risk, each with its reasons in words, narrowed by tier and owner.
#[utoipa::path(get, path = "/communities/at-risk", tag = "communities", params(RiskParams),
    responses((status = 200, body = AtRiskList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn at_risk(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<RiskParams>,
) -> ApiResult<Json<AtRiskList>> {
    caller.require(Role::Viewer)?;
    let filter = RiskFilter {
        tier: params.tier.unwrap_or_default().trim().to_string(),
        owner: params.owner.unwrap_or_default().trim().to_string(),
    };
    let h = health::load(crate::community_health::scope(&state), &filter).await?;
    Ok(Json(AtRiskList {
        items: h
            .at_risk
            .into_iter()
            .map(|r| AtRiskOut {
                reasons: reasons(&r.reasons),
                community_id: r.community_id,
                name: r.name,
                tier: r.tier,
                owner: r.owner,
                renews_on: r.renews_on,
                last_answered: r.last_answered,
            })
            .collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommunitySurveyOut {
    pub survey_id: String,
    pub title: String,
    pub release: Option<String>,
    pub anonymous: bool,
    pub closed: bool,
    /// When its first invitation reached the community (seconds since the Unix epoch).
    pub first_sent: i64,
    pub delivered: i64,
    /// Absent when the survey's results do not show it.
    pub completed: Option<i64>,
    pub rate: Option<f64>,
    /// The community's headline score; absent for small groups and anonymous surveys.
    pub score: Option<f64>,
    pub headline_label: Option<String>,
    /// The baseline of the same kind of score.
    pub baseline: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgainstBaselineOut {
    pub label: String,
    pub own: EstimateOut,
    pub answers: i64,
    /// Everyone else's answers to the same questions.
    pub others: EstimateOut,
    /// above, below, not_distinguishable; absent with nothing to compare.
    pub comparison: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityHealthOut {
    pub community_id: String,
    pub name: String,
    pub tier: String,
    pub time_zone: String,
    pub owner: Option<String>,
    pub renews_on: Option<String>,
    pub contacts: i64,
    pub last_answered: Option<i64>,
    /// Newest first.
    pub surveys: Vec<CommunitySurveyOut>,
    pub against_baseline: Vec<AgainstBaselineOut>,
    pub reasons: Vec<ReasonOut>,
}

/// One community over the baseline's window: its surveys, its scores where its group is
/// large enough to be shown, its own score against everyone else's, and why it is at risk.
#[utoipa::path(get, path = "/communities/{community_id}/health", tag = "communities", params(("community_id" = String, Path)),
    responses((status = 200, body = CommunityHealthOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn community(
    State(state): State<AppState>,
    caller: Caller,
    Path(community_id): Path<String>,
) -> ApiResult<Json<CommunityHealthOut>> {
    caller.require(Role::Viewer)?;
    let c = health::community(
        crate::community_health::scope(&state),
        community_id.trim(),
        false,
    )
    .await?;
    Ok(Json(CommunityHealthOut {
        reasons: reasons(&c.reasons),
        community_id: c.community_id,
        name: c.name,
        tier: c.tier,
        time_zone: c.time_zone,
        owner: c.owner,
        renews_on: c.renews_on,
        contacts: c.contact_count,
        last_answered: c.last_answered,
        surveys: c
            .surveys
            .into_iter()
            .map(|s| CommunitySurveyOut {
                survey_id: s.survey_id,
                title: s.title,
                release: s.release,
                anonymous: s.anonymous,
                closed: s.closed,
                first_sent: s.first_sent,
                delivered: s.delivered,
                completed: s.completed,
                rate: s.rate,
                score: s.score,
                headline_label: s.headline_label,
                baseline: s.baseline,
            })
            .collect(),
        against_baseline: c
            .against_baseline
            .into_iter()
            .map(
                |(label, own, answers, others, comparison)| AgainstBaselineOut {
                    label,
                    own: own.into(),
                    answers,
                    others: others.into(),
                    comparison: comparison.map(|c| {
                        match c {
                            Comparison::Above => "above",
                            Comparison::Below => "below",
                            Comparison::NotDistinguishable => "not_distinguishable",
                        }
                        .to_string()
                    }),
                },
            )
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CareIn {
    /// A team member's email; "" for nobody.
    #[schema(max_length = 254)]
    pub owner: String,
    /// YYYY-MM-DD; "" when not known.
    #[schema(max_length = 10)]
    pub renews_on: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CareOut {
    pub owner: Option<String>,
    pub renews_on: Option<String>,
}

/// Who on the team looks after the community, and when its membership renews.
#[utoipa::path(put, path = "/communities/{community_id}/care", tag = "communities", params(("community_id" = String, Path)),
    request_body = CareIn,
    responses((status = 200, body = CareOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn care(
    State(state): State<AppState>,
    caller: Caller,
    Path(community_id): Path<String>,
    ApiJson(body): ApiJson<CareIn>,
) -> ApiResult<Json<CareOut>> {
    caller.require(Role::Editor)?;
    let (owner, renews_on) =
        health::set_care(&state.db, community_id.trim(), &body.owner, &body.renews_on).await?;
    Ok(Json(CareOut { owner, renews_on }))
}
