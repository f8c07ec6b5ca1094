//! The statistics of PRODUCT.md, exactly: Wilson intervals with the finite population
//! correction, the NPS interval, and how many more answers a target precision needs.
//! Everything is in percentage points; `population` is the number of invitations
//! delivered when it is known.
use crate::surveys::question::QuestionKind;
use serde::{Deserialize, Serialize};

/// 95% confidence.
pub const Z: f64 = 1.96;
/// Below this many answers, planning assumes the widest spread (p = 0.5), as the
/// observed proportion of a handful of answers says little.
pub const FEW_ANSWERS: i64 = 10;

/// An estimate with its 95% interval, in points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

impl Estimate {
    /// Half the interval's width: the "±" shown beside the value.
    pub fn half_width(&self) -> f64 {
        (self.high - self.low) / 2.0
    }
}

/// The share `successes / n` in percent with its Wilson score interval. With a known
/// population the effective sample size n (N - 1) / (N - n) carries the finite
/// population correction; a census (n = N) is exact. None without answers.
pub fn wilson(successes: i64, n: i64, population: Option<i64>) -> Option<Estimate> {
    if n <= 0 || successes < 0 || successes > n {
        return None;
    }
    let p = successes as f64 / n as f64;
    let Some(n_eff) = effective_size(n, population) else {
        let value = 100.0 * p;
        return Some(Estimate {
            value,
            low: value,
            high: value,
        });
    };
    let z2 = Z * Z;
    let denominator = 1.0 + z2 / n_eff;
    let centre = (p + z2 / (2.0 * n_eff)) / denominator;
    let spread = Z / denominator * (p * (1.0 - p) / n_eff + z2 / (4.0 * n_eff * n_eff)).sqrt();
    Some(Estimate {
        value: 100.0 * p,
        low: 100.0 * (centre - spread).max(0.0),
        high: 100.0 * (centre + spread).min(1.0),
    })
}

/// n (N - 1) / (N - n), or None for a census. Without a population, n itself.
fn effective_size(n: i64, population: Option<i64>) -> Option<f64> {
    match population {
        Some(big_n) if n >= big_n => None,
        Some(big_n) => Some(n as f64 * (big_n - 1) as f64 / (big_n - n) as f64),
        None => Some(n as f64),
    }
}

/// The finite population correction of a standard error, sqrt((N - n) / (N - 1)).
fn fpc(n: i64, population: Option<i64>) -> f64 {
    match population {
        Some(big_n) if big_n > 1 && n < big_n => ((big_n - n) as f64 / (big_n - 1) as f64).sqrt(),
        Some(_) => 0.0,
        None => 1.0,
    }
}

/// Net Promoter Score from the three groups' counts, with its interval.
pub fn nps(
    promoters: i64,
    passives: i64,
    detractors: i64,
    population: Option<i64>,
) -> Option<Estimate> {
    let n = promoters + passives + detractors;
    if n <= 0 {
        return None;
    }
    let (p_p, p_d) = (promoters as f64 / n as f64, detractors as f64 / n as f64);
    let value = 100.0 * (p_p - p_d);
    let half = 100.0 * Z * (nps_variance(p_p, p_d) / n as f64).sqrt() * fpc(n, population);
    Some(Estimate {
        value,
        low: (value - half).max(-100.0),
        high: (value + half).min(100.0),
    })
}

/// The per-respondent variance of NPS: p_P + p_D - (p_P - p_D)^2.
pub fn nps_variance(p_promoters: f64, p_detractors: f64) -> f64 {
    p_promoters + p_detractors - (p_promoters - p_detractors).powi(2)
}

/// The mean of scores with a normal 95% interval (sample standard deviation, finite
/// population correction). None without answers; a single answer has no spread to
/// measure, so its interval is the whole `scale`.
pub fn mean(
    sum: f64,
    sum_of_squares: f64,
    n: i64,
    population: Option<i64>,
    scale: (f64, f64),
) -> Option<Estimate> {
    if n <= 0 {
        return None;
    }
    let count = n as f64;
    let value = sum / count;
    if n == 1 {
        let known = population == Some(1);
        let (low, high) = if known { (value, value) } else { scale };
        return Some(Estimate { value, low, high });
    }
    let variance = ((sum_of_squares - count * value * value) / (count - 1.0)).max(0.0);
    let half = Z * (variance / count).sqrt() * fpc(n, population);
    Some(Estimate {
        value,
        low: (value - half).max(scale.0),
        high: (value + half).min(scale.1),
    })
}

/// How far a result is from its target precision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// The interval's half-width is within the target.
    Actionable,
    /// About this many more completed answers would bring it within the target.
    NeedMore(i64),
    /// Even if everyone who has not answered did, the target would not be reached.
    Unreachable,
}

/// The completed answers a share needs for a half-width of `target` points:
/// n0 = z^2 p (1 - p) / (E/100)^2, then n = ceil(n0 / (1 + (n0 - 1) / N)).
pub fn needed_for_share(p: f64, target: f64, population: Option<i64>) -> i64 {
    planned(Z * Z * p * (1.0 - p) / (target / 100.0).powi(2), population)
}

/// The same for NPS, whose half-width is 100 z sqrt(v / n) (with the correction).
pub fn needed_for_nps(variance: f64, target: f64, population: Option<i64>) -> i64 {
    planned((100.0 * Z).powi(2) * variance / target.powi(2), population)
}

fn planned(n0: f64, population: Option<i64>) -> i64 {
    let n = match population {
        Some(big_n) if big_n > 0 => n0 / (1.0 + (n0 - 1.0) / big_n as f64),
        _ => n0,
    };
    n.ceil() as i64
}

/// The verdict for a share: `successes` of `answered`, `remaining` people who could
/// still answer, a `target` half-width in points.
pub fn share_verdict(
    successes: i64,
    answered: i64,
    remaining: i64,
    population: Option<i64>,
    target: f64,
) -> Verdict {
    let Some(estimate) = wilson(successes, answered, population) else {
        let needed = needed_for_share(0.5, target, population);
        return more_or_unreachable(needed, remaining);
    };
    if estimate.half_width() <= target {
        return Verdict::Actionable;
    }
    let p = planning_share(successes, answered);
    let mut needed = needed_for_share(p, target, population) - answered;
    if needed <= 0 {
        // Near 0% or 100% the planning formula's normal approximation is narrower than
        // Wilson's interval: find the answers that bring Wilson itself within target.
        needed = extra_for_wilson(p, answered, remaining, population, target);
    }
    more_or_unreachable(needed, remaining)
}

/// The verdict for NPS from its three counts.
pub fn nps_verdict(
    counts: (i64, i64, i64),
    remaining: i64,
    population: Option<i64>,
    target: f64,
) -> Verdict {
    let (promoters, passives, detractors) = counts;
    let answered = promoters + passives + detractors;
    let variance = if answered < FEW_ANSWERS {
        1.0
    } else {
        let n = answered as f64;
        nps_variance(promoters as f64 / n, detractors as f64 / n)
    };
    let census = population == Some(answered) && answered > 0;
    match nps(promoters, passives, detractors, population) {
        Some(e) if (answered >= FEW_ANSWERS || census) && e.half_width() <= target => {
            Verdict::Actionable
        }
        _ => {
            let needed = (needed_for_nps(variance, target, population) - answered).max(1);
            more_or_unreachable(needed, remaining)
        }
    }
}

fn planning_share(successes: i64, answered: i64) -> f64 {
    if answered < FEW_ANSWERS {
        0.5
    } else {
        successes as f64 / answered as f64
    }
}

fn extra_for_wilson(
    p: f64,
    answered: i64,
    remaining: i64,
    population: Option<i64>,
    target: f64,
) -> i64 {
    for extra in 1..=remaining.max(0) {
        let n = answered + extra;
        let successes = (p * n as f64).round() as i64;
        if wilson(successes, n, population).is_some_and(|e| e.half_width() <= target) {
            return extra;
        }
    }
    remaining + 1
}

fn more_or_unreachable(needed: i64, remaining: i64) -> Verdict {
    if needed > remaining {
        Verdict::Unreachable
    } else {
        Verdict::NeedMore(needed.max(1))
    }
}

#[cfg(test)]
mod tests;

/// Where a release's score stands against the baseline of the other releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    Above,
    Below,
    NotDistinguishable,
}

fn compare_z(z: f64) -> Comparison {
    if z > Z {
        Comparison::Above
    } else if z < -Z {
        Comparison::Below
    } else {
        Comparison::NotDistinguishable
    }
}

/// Two-proportion z-test at 95% (pooled variance): a release's `(successes, n)` against
/// the baseline's. None when either side has no answers or there is no spread at all.
pub fn compare_shares(release: (i64, i64), baseline: (i64, i64)) -> Option<Comparison> {
    let ((x1, n1), (x0, n0)) = (release, baseline);
    if n1 <= 0 || n0 <= 0 {
        return None;
    }
    let (p1, p0) = (x1 as f64 / n1 as f64, x0 as f64 / n0 as f64);
    let pooled = (x1 + x0) as f64 / (n1 + n0) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n0 as f64)).sqrt();
    if se == 0.0 {
        return Some(Comparison::NotDistinguishable);
    }
    Some(compare_z((p1 - p0) / se))
}

/// NPS difference test at 95%: each side's (promoters, passives, detractors); the
/// variance of the difference is v1 / n1 + v0 / n0 with the per-respondent variance.
pub fn compare_nps(release: (i64, i64, i64), baseline: (i64, i64, i64)) -> Option<Comparison> {
    let side = |(p, m, d): (i64, i64, i64)| {
        let n = (p + m + d) as f64;
        (n > 0.0).then(|| {
            let (pp, pd) = (p as f64 / n, d as f64 / n);
            (pp - pd, nps_variance(pp, pd) / n)
        })
    };
    let ((s1, v1), (s0, v0)) = (side(release)?, side(baseline)?);
    let se = (v1 + v0).sqrt();
    if se == 0.0 {
        return Some(Comparison::NotDistinguishable);
    }
    Some(compare_z((s1 - s0) / se))
}

/// The lowest score counted as a success in a share headline.
pub fn success_from(kind: QuestionKind) -> i64 {
    match kind {
        QuestionKind::Ces => 5,
        _ => 4,
    }
}

/// (promoters 9-10, passives 7-8, detractors 0-6) of an NPS distribution.
pub fn nps_counts(distribution: &[(i64, i64)]) -> (i64, i64, i64) {
    distribution
        .iter()
        .fold((0, 0, 0), |(p, m, d), &(score, n)| match score {
            9.. => (p + n, m, d),
            7 | 8 => (p, m + n, d),
            _ => (p, m, d + n),
        })
}
