//! Reference values come from tools/stats_reference.py: statsmodels 0.15.0's
//! `proportion_confint(method="wilson")` (z = 1.959964, hence a 0.01-point tolerance) and
//! numpy's `var` of per-respondent NPS scores; planning figures from PRODUCT.md's own
//! example, and by hand where stated.
use super::*;

fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 0.01,
        "{actual} is not {expected} (to 0.01 points)"
    );
}

fn interval(e: Estimate, low: f64, high: f64) {
    close(e.low, low);
    close(e.high, high);
}

#[test]
fn wilson_matches_statsmodels_without_a_population() {
    interval(wilson(40, 50, None).unwrap(), 66.9629, 88.7562);
    close(wilson(40, 50, None).unwrap().value, 80.0);
}

#[test]
fn wilson_narrows_with_the_finite_population_correction() {
    interval(wilson(40, 50, Some(200)).unwrap(), 68.856, 87.8595);
    interval(wilson(7, 12, Some(300)).unwrap(), 32.3552, 80.3835);
}

#[test]
fn wilson_stays_inside_0_to_100_when_every_answer_is_the_same() {
    interval(wilson(0, 10, None).unwrap(), 0.0, 27.7533);
    interval(wilson(10, 10, None).unwrap(), 72.2467, 100.0);
}

#[test]
fn wilson_of_a_single_answer_is_wide() {
    interval(wilson(1, 1, None).unwrap(), 20.6549, 100.0);
}

#[test]
fn a_census_has_no_sampling_error() {
    let e = wilson(30, 40, Some(40)).unwrap();
    assert_eq!((e.value, e.low, e.high), (75.0, 75.0, 75.0));
    let e = nps(3, 1, 1, Some(5)).unwrap();
    assert_eq!((e.low, e.high), (40.0, 40.0));
}

#[test]
fn no_answers_give_no_estimate() {
    assert_eq!(wilson(0, 0, Some(100)), None);
    assert_eq!(nps(0, 0, 0, None), None);
    assert_eq!(mean(0.0, 0.0, 0, None, (1.0, 5.0)), None);
}

#[test]
fn nps_half_width_matches_numpy_variance() {
    let e = nps(50, 30, 20, None).unwrap();
    close(e.value, 30.0);
    close(e.half_width(), 15.3081);
    close(nps(50, 30, 20, Some(400)).unwrap().half_width(), 13.2738);
    close(nps(3, 1, 1, Some(12)).unwrap().half_width(), 55.9389);
}

#[test]
fn nps_interval_is_clipped_to_its_scale() {
    let e = nps(5, 0, 5, None).unwrap();
    close(e.value, 0.0);
    close(e.half_width(), 61.9806);
    let all_detractors = nps(0, 0, 4, None).unwrap();
    assert_eq!((all_detractors.value, all_detractors.low), (-100.0, -100.0));
}

#[test]
fn nps_variance_is_largest_with_half_promoters_half_detractors() {
    assert_eq!(nps_variance(0.5, 0.5), 1.0);
    assert_eq!(nps_variance(1.0, 0.0), 0.0);
    close(nps_variance(0.5, 0.2), 0.61);
}

#[test]
fn the_mean_has_a_normal_interval_and_one_answer_spans_the_scale() {
    // Scores 4, 5, 3, 4: mean 4, sample sd 0.8165, half-width 1.96 * 0.8165 / 2 = 0.8002.
    let e = mean(16.0, 66.0, 4, None, (1.0, 5.0)).unwrap();
    close(e.value, 4.0);
    interval(e, 3.1998, 4.8002);
    let single = mean(6.0, 36.0, 1, None, (1.0, 7.0)).unwrap();
    assert_eq!((single.low, single.high), (1.0, 7.0));
    let same = mean(20.0, 80.0, 5, None, (1.0, 5.0)).unwrap();
    assert_eq!((same.low, same.high), (4.0, 4.0));
}

#[test]
fn planning_matches_the_product_example() {
    assert_eq!(needed_for_share(0.5, 10.0, Some(300)), 73);
    assert_eq!(needed_for_share(0.5, 5.0, Some(300)), 169);
    // By hand: 1.96^2 * 0.25 / 0.01 = 96.04, rounded up.
    assert_eq!(needed_for_share(0.5, 10.0, None), 97);
    // NPS at its widest (v = 1): 196^2 / 10^2 = 384.16 -> 385, then 300 people: 169.
    assert_eq!(needed_for_nps(1.0, 10.0, None), 385);
    assert_eq!(needed_for_nps(1.0, 10.0, Some(300)), 169);
}

#[test]
fn a_share_with_few_answers_plans_with_a_half_and_counts_what_is_in() {
    // 5 answers of 300: planning uses p = 0.5 and needs 73, so 68 more.
    assert_eq!(
        share_verdict(5, 5, 295, Some(300), 10.0),
        Verdict::NeedMore(68)
    );
    assert_eq!(
        share_verdict(0, 0, 300, Some(300), 10.0),
        Verdict::NeedMore(73)
    );
}

#[test]
fn a_share_becomes_actionable_when_its_interval_is_within_target() {
    // 80 of 100 answered out of 300 delivered: Wilson with n_eff = 149.5 is +-6.3 points.
    assert_eq!(
        share_verdict(80, 100, 200, Some(300), 10.0),
        Verdict::Actionable
    );
}

#[test]
fn a_target_beyond_the_audience_is_unreachable() {
    // 30 delivered, 10 answered, 5 unsubscribed: 15 could still answer; a census
    // (all 20) would reach any target, 15 cannot reach +-1 point.
    assert_eq!(
        share_verdict(5, 10, 15, Some(30), 1.0),
        Verdict::Unreachable
    );
    assert_eq!(
        nps_verdict((1, 1, 1), 3, Some(8), 1.0),
        Verdict::Unreachable
    );
}

#[test]
fn all_answers_alike_still_need_wilsons_width_not_zero() {
    // 10 of 10 satisfied: Wilson spans 72.2-100 (+-13.9), so not yet, though the
    // planning formula with p = 1 would say 0 more.
    match share_verdict(10, 10, 1000, None, 10.0) {
        Verdict::NeedMore(k) => assert!(k > 0 && k < 30, "{k}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn nps_needs_ten_answers_before_it_can_be_actionable() {
    assert_eq!(
        nps_verdict((3, 0, 0), 297, Some(300), 10.0),
        Verdict::NeedMore(166)
    );
    assert_eq!(
        nps_verdict((3, 1, 1), 0, Some(5), 10.0),
        Verdict::Actionable
    );
}

#[test]
fn a_release_well_above_its_baseline_is_above() {
    // By hand: p1 = 0.9 (90/100), p0 = 0.7 (280/400), pooled 0.74,
    // se = sqrt(0.74 * 0.26 * (1/100 + 1/400)) = 0.04904, z = 4.08.
    assert_eq!(
        compare_shares((90, 100), (280, 400)),
        Some(Comparison::Above)
    );
    assert_eq!(
        compare_shares((50, 100), (280, 400)),
        Some(Comparison::Below)
    );
}

#[test]
fn a_small_difference_on_few_answers_is_not_distinguishable() {
    // p1 = 0.8 (8/10) against 0.7: z = 0.68.
    assert_eq!(
        compare_shares((8, 10), (280, 400)),
        Some(Comparison::NotDistinguishable)
    );
    assert_eq!(compare_shares((0, 0), (280, 400)), None);
    assert_eq!(
        compare_shares((10, 10), (40, 40)),
        Some(Comparison::NotDistinguishable)
    );
}

#[test]
fn nps_releases_compare_by_the_variance_of_their_difference() {
    // Release NPS +60 (70/20/10 of 100): v = 0.8 - 0.36 = 0.44; baseline +10
    // (40/30/30 of 200): v = 0.7 - 0.01 = 0.69; se = sqrt(0.0044 + 0.00345) = 0.0886,
    // z = 0.5 / 0.0886 = 5.64.
    assert_eq!(
        compare_nps((70, 20, 10), (80, 60, 60)),
        Some(Comparison::Above)
    );
    assert_eq!(
        compare_nps((4, 3, 3), (80, 60, 60)),
        Some(Comparison::NotDistinguishable)
    );
    assert_eq!(compare_nps((0, 0, 0), (80, 60, 60)), None);
}
