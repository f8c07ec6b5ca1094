//! Community health over a year of releases: thirty communities, twelve monthly release
//! surveys and one still open, seeded straight into the tables with known answers. The
//! engagement KPI with its interval and the at-risk list with its reasons are checked
//! against a computation written here from PRODUCT.md's definitions, without the app's
//! code; small groups stay hidden on the community page.
use crate::helpers::{on_both_backends, TestApp};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

const DAY: i64 = 86_400;
const Z: f64 = 1.96;
const TIERS: [(&str, &str); 3] = [
    ("tier-essential", "Essential"),
    ("tier-professional", "Professional"),
    ("tier-enterprise", "Enterprise"),
];
const SURVEYS: i64 = 12;

on_both_backends!(
    a_year_of_releases_gives_the_engagement_and_the_at_risk_list_computed_independently,
    a_score_carried_by_one_large_community_is_set_beside_its_community_weighted_and_reweighted_readings,
);

/// One seeded invitation: who, in which survey, and how it went.
#[derive(Clone)]
struct Invite {
    community: usize,
    survey: usize,
    sent_at: i64,
    bounced: bool,
    /// (completed at, CSAT score).
    answer: Option<(i64, i64)>,
}

/// The communities as designed: most answer steadily; a few are built to be at risk for
/// one reason each, and two are too small for any score of theirs to be shown.
fn size(c: usize) -> usize {
    match c {
        2 | 8 => 2,
        _ => 3 + c % 4,
    }
}

fn tier(c: usize) -> usize {
    c % 3
}

/// When survey `r` (0..12 closed, 12 open) was sent: monthly, the last closed 31 days ago.
fn sent_at(now: i64, r: usize) -> i64 {
    if r == SURVEYS as usize {
        return now - 3 * DAY;
    }
    now - (350 - 29 * r as i64) * DAY
}

fn bounces(c: usize) -> bool {
    c % 7 == 1 && size(c) >= 4
}

/// How many of the delivered people of community `c` answer survey `r`, and what each
/// gives (the j-th answerer).
fn answers(c: usize, r: usize, delivered: usize) -> (usize, Box<dyn Fn(usize) -> i64>) {
    let steady = if !(c + r).is_multiple_of(4) {
        delivered
    } else {
        3
    };
    let usual = move |j: usize| [5, 4, 4, 3, 5, 2][(c + r + j) % 6];
    match c {
        _ if r == SURVEYS as usize => (0, Box::new(usual)),
        // Quiet from the seventh release on.
        5 if r >= 6 => (0, Box::new(usual)),
        // Quiet in the last two.
        17 if r >= 10 => (0, Box::new(usual)),
        // Never answers.
        29 => (0, Box::new(usual)),
        // Answers as steadily, but unhappy.
        11 => (steady, Box::new(move |j| 1 + ((c + r + j) % 2) as i64)),
        // Everyone answers until the tenth release, then one person.
        20 if r >= 9 => (1, Box::new(usual)),
        20 => (delivered, Box::new(usual)),
        // Too small to show: both answer, unhappy.
        2 | 8 => (delivered, Box::new(|_| 1)),
        _ => (steady, Box::new(usual)),
    }
}

fn design(now: i64) -> Vec<Invite> {
    let mut invites = Vec::new();
    for c in 0..30 {
        for r in 0..=SURVEYS as usize {
            let at = sent_at(now, r);
            let delivered = size(c) - usize::from(bounces(c));
            let (count, score) = answers(c, r, delivered);
            for person in 0..size(c) {
                let bounced = bounces(c) && person == 0;
                // The j-th of the people the invitation reached.
                let j = person.checked_sub(usize::from(bounces(c)));
                let answer = j
                    .filter(|j| !bounced && *j < count)
                    .map(|j| (at + 2 * DAY + j as i64 * 3_600, score(j)));
                invites.push(Invite {
                    community: c,
                    survey: r,
                    sent_at: at,
                    bounced,
                    answer,
                });
            }
        }
    }
    invites
}

async fn seed(app: &TestApp, invites: &[Invite]) {
    let now = app.clock.now();
    let mut tx = app.db.begin().await.unwrap();
    for c in 0..30 {
        sqlx::query(
            "INSERT INTO communities (community_id, name, name_key, tier_id, created_at) \
             VALUES ($1, $2, $3, $4, 0)",
        )
        .bind(format!("community-{c:02}"))
        .bind(format!("Community {c:02}"))
        .bind(format!("community {c:02}"))
        .bind(TIERS[tier(c)].0)
        .execute(&mut *tx)
        .await
        .unwrap();
        for person in 0..size(c) {
            sqlx::query(
                "INSERT INTO contacts (contact_id, email, created_at, name, community_id) \
                 VALUES ($1, $2, 0, $3, $4)",
            )
            .bind(format!("contact-{c:02}-{person}"))
            .bind(format!("p{person}@c{c:02}.example.org"))
            .bind(format!("Person {person} of {c:02}"))
            .bind(format!("community-{c:02}"))
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    for r in 0..=SURVEYS as usize {
        let open = r == SURVEYS as usize;
        let at = sent_at(now, r);
        sqlx::query("INSERT INTO releases (release_id, name, created_at) VALUES ($1, $2, 0)")
            .bind(format!("release-{r:02}"))
            .bind(format!("Release {r:02}"))
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO surveys (survey_id, title, status, created_at, opened_at, closed_at, release_id) \
             VALUES ($1, $2, $3, $4, $4, $5, $6)",
        )
        .bind(survey_id(r))
        .bind(format!("Survey {r:02}"))
        .bind(if open { "open" } else { "closed" })
        .bind(at - DAY)
        .bind((!open).then_some(at + 14 * DAY))
        .bind(format!("release-{r:02}"))
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO questions (question_id, survey_id, position, kind, prompt) \
             VALUES ($1, $2, 0, 'csat', 'How satisfied are you?')",
        )
        .bind(format!("question-{r:02}"))
        .bind(survey_id(r))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    let mut person_of: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (i, inv) in invites.iter().enumerate() {
        let person = person_of.entry((inv.community, inv.survey)).or_default();
        let invitation_id = format!("invitation-{i}");
        sqlx::query(
            "INSERT INTO invitations (invitation_id, survey_id, contact_id, token_hash, created_at, \
             sent_at, bounced_at, completed_at) VALUES ($1, $2, $3, $4, $5, $5, $6, $7)",
        )
        .bind(&invitation_id)
        .bind(survey_id(inv.survey))
        .bind(format!("contact-{:02}-{}", inv.community, person))
        .bind(format!("hash-{i}"))
        .bind(inv.sent_at)
        .bind(inv.bounced.then_some(inv.sent_at + 60))
        .bind(inv.answer.map(|(at, _)| at))
        .execute(&mut *tx)
        .await
        .unwrap();
        *person += 1;
        if let Some((at, score)) = inv.answer {
            sqlx::query(
                "INSERT INTO responses (response_id, survey_id, invitation_id, submitted_at, \
                 updated_at, completed) VALUES ($1, $2, $3, $4, $4, 1)",
            )
            .bind(format!("response-{i}"))
            .bind(survey_id(inv.survey))
            .bind(&invitation_id)
            .bind(at)
            .execute(&mut *tx)
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO answers (response_id, question_id, score) VALUES ($1, $2, $3)",
            )
            .bind(format!("response-{i}"))
            .bind(format!("question-{:02}", inv.survey))
            .bind(score)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

fn survey_id(r: usize) -> String {
    format!("00000000-0000-4000-8000-{r:012}")
}

/// The Wilson score interval in percent, z = 1.96, no finite population correction.
fn wilson(x: f64, n: f64) -> (f64, f64, f64) {
    let p = x / n;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let spread = Z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    (
        100.0 * p,
        100.0 * (centre - spread).max(0.0),
        100.0 * (centre + spread).min(1.0),
    )
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm), and back.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m)
}

/// The five calendar quarters (UTC) up to now: (label, from, until).
fn quarters(now: i64) -> Vec<(String, i64, i64)> {
    let (y, m) = civil_from_days(now.div_euclid(DAY));
    let mut q = (y, (m - 1) / 3);
    let mut out = Vec::new();
    for _ in 0..5 {
        let start = days_from_civil(q.0, q.1 * 3 + 1, 1) * DAY;
        let next = if q.1 == 3 {
            (q.0 + 1, 0)
        } else {
            (q.0, q.1 + 1)
        };
        let end = days_from_civil(next.0, next.1 * 3 + 1, 1) * DAY;
        out.push((format!("{} Q{}", q.0, q.1 + 1), start, end.min(now)));
        q = if q.1 == 0 {
            (q.0 - 1, 3)
        } else {
            (q.0, q.1 - 1)
        };
    }
    out.reverse();
    out
}

/// (engaged, invited) between two moments: communities sent an invitation in it, and of
/// those the ones with a completed response in it.
fn engagement(invites: &[Invite], from: i64, until: i64, tier_only: Option<usize>) -> (f64, f64) {
    let keep = |c: usize| tier_only.is_none_or(|t| tier(c) == t);
    let invited: HashSet<usize> = invites
        .iter()
        .filter(|i| i.sent_at >= from && i.sent_at < until && keep(i.community))
        .map(|i| i.community)
        .collect();
    let engaged = invites
        .iter()
        .filter(|i| i.answer.is_some_and(|(at, _)| at >= from && at < until))
        .map(|i| i.community)
        .filter(|c| invited.contains(c))
        .collect::<HashSet<_>>();
    (engaged.len() as f64, invited.len() as f64)
}

/// The at-risk reasons by PRODUCT.md, as reason codes, over the designed data. Here no
/// small group can be worked out by subtraction (checked below), so a community's score
/// in a survey shows exactly when it has at least three answers.
fn expected_reasons(invites: &[Invite], now: i64) -> BTreeMap<usize, Vec<&'static str>> {
    let closed = |r: usize| r < SURVEYS as usize;
    // The pool: every answer to the twelve closed release surveys.
    let (mut pool_x, mut pool_n) = (0.0, 0.0);
    for (_, score) in invites
        .iter()
        .filter(|i| closed(i.survey))
        .filter_map(|i| i.answer)
    {
        pool_n += 1.0;
        pool_x += f64::from(score >= 4);
    }
    let mut out = BTreeMap::new();
    for c in 0..30 {
        let cell = |r: usize| -> (i64, i64, Vec<i64>) {
            let mine: Vec<&Invite> = invites
                .iter()
                .filter(|i| i.community == c && i.survey == r)
                .collect();
            let delivered = mine.iter().filter(|i| !i.bounced).count() as i64;
            let scores: Vec<i64> = mine.iter().filter_map(|i| i.answer.map(|a| a.1)).collect();
            (delivered, scores.len() as i64, scores)
        };
        let mut reasons = Vec::new();
        if cell(11).1 == 0 && cell(10).1 == 0 {
            reasons.push("silent_surveys");
        }
        let period = |back: i64| -> (i64, i64) {
            let (from, until) = (now - (back + 1) * 91 * DAY, now - back * 91 * DAY);
            (0..SURVEYS as usize)
                .filter(|r| (from..until).contains(&sent_at(now, *r)))
                .map(cell)
                .fold((0, 0), |(d, k), (dd, kk, _)| (d + dd, k + kk))
        };
        let (latest, earlier) = (period(0), period(1));
        if latest.0 > 0 && earlier.0 > 0 && latest.1 == 0 && earlier.1 == 0 {
            reasons.push("silent_periods");
        }
        let (mut own_x, mut own_n) = (0.0, 0.0);
        for r in 0..SURVEYS as usize {
            let (_, n, scores) = cell(r);
            if n >= 3 {
                own_n += n as f64;
                own_x += scores.iter().filter(|s| **s >= 4).count() as f64;
            }
        }
        if own_n >= 3.0 {
            let (ox, on) = (pool_x - own_x, pool_n - own_n);
            let pooled = pool_x / pool_n;
            let z = (own_x / own_n - ox / on)
                / (pooled * (1.0 - pooled) * (1.0 / own_n + 1.0 / on)).sqrt();
            if z < -1.959964 {
                reasons.push("below_baseline");
            }
        }
        if latest.0 > 0 && earlier.0 > 0 {
            let (value, low, high) = wilson(latest.1 as f64, latest.0 as f64);
            let before = 100.0 * earlier.1 as f64 / earlier.0 as f64;
            if before - value > (high - low) / 2.0 {
                reasons.push("falling_rate");
            }
        }
        if !reasons.is_empty() {
            out.insert(c, reasons);
        }
    }
    out
}

async fn health(app: &TestApp, tier: &str, owner: &str) -> Value {
    let (status, body) = app
        .call("get_health", &[("tier", tier), ("owner", owner)])
        .await;
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn close(value: &Value, expected: f64, what: &str) {
    let v = value.as_f64().unwrap_or(f64::NAN);
    assert!(
        (v - expected).abs() < 1e-6,
        "{what}: {v} against {expected}"
    );
}

fn same_share(share: &Value, (x, n): (f64, f64), what: &str) {
    assert_eq!(share["engaged"].as_f64(), Some(x), "{what} engaged");
    assert_eq!(share["invited"].as_f64(), Some(n), "{what} invited");
    let (value, low, high) = wilson(x, n);
    close(&share["estimate"]["value"], value, what);
    close(&share["estimate"]["low"], low, what);
    close(&share["estimate"]["high"], high, what);
}

async fn a_year_of_releases_gives_the_engagement_and_the_at_risk_list_computed_independently(
    app: TestApp,
) {
    app.set_up_admin().await;
    let now = app.clock.now();
    let invites = design(now);
    // The design leaves no small group to be worked out by subtraction: in every survey
    // the hidden answers of a tier (communities with one or two) add up to none or three
    // or more, so a community's score shows exactly when it has three answers or more.
    for r in 0..=SURVEYS as usize {
        for t in 0..3 {
            let hidden: i64 = (0..30)
                .filter(|c| tier(*c) == t)
                .map(|c| {
                    invites
                        .iter()
                        .filter(|i| i.community == c && i.survey == r && i.answer.is_some())
                        .count() as i64
                })
                .filter(|n| (1..3).contains(n))
                .sum();
            assert!(hidden == 0 || hidden >= 3, "survey {r}, tier {t}: {hidden}");
        }
    }
    seed(&app, &invites).await;
    // The nearest renewal goes first among equally heavy reasons.
    let c17 = "community-17";
    let (status, body) = app
        .call(
            "set_community_care",
            &[
                ("community_id", c17),
                ("owner", crate::helpers::ADMIN_EMAIL),
                ("renews_on", "2027-01-31"),
            ],
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");

    let h = health(&app, "", "").await;
    let e = &h["engagement"];
    let year = now - 365 * DAY;
    same_share(
        &e["overall"],
        engagement(&invites, year, now, None),
        "overall",
    );
    for (t, (_, name)) in TIERS.iter().enumerate() {
        let row = e["by_tier"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row[0] == *name)
            .unwrap_or_else(|| panic!("{name} in {e}"));
        same_share(&row[1], engagement(&invites, year, now, Some(t)), name);
    }
    let expected_quarters = quarters(now);
    let got = e["by_quarter"].as_array().unwrap();
    assert_eq!(got.len(), expected_quarters.len());
    for (row, (label, from, until)) in got.iter().zip(&expected_quarters) {
        assert_eq!(row["label"], *label);
        assert_eq!(row["from"].as_i64(), Some(*from), "{label}");
        let share = engagement(&invites, *from, *until, None);
        if share.1 > 0.0 {
            same_share(&row["share"], share, label);
        } else {
            assert_eq!(row["share"]["estimate"], Value::Null, "{label}");
        }
    }
    assert_eq!(
        got.last().unwrap()["so_far"],
        true,
        "the current quarter is so far"
    );
    // Designed numbers, read off the design: every community but the one that never
    // answers took part over the year.
    assert_eq!(e["overall"]["engaged"], 29);
    assert_eq!(e["overall"]["invited"], 30);

    let expected = expected_reasons(&invites, now);
    // What each designed community was built to show.
    assert_eq!(expected[&5], ["silent_surveys", "silent_periods"]);
    assert_eq!(expected[&29], ["silent_surveys", "silent_periods"]);
    assert_eq!(expected[&17], ["silent_surveys", "falling_rate"]);
    assert_eq!(expected[&11], ["below_baseline"]);
    assert_eq!(expected[&20], ["falling_rate"]);
    assert!(
        !expected.contains_key(&2) && !expected.contains_key(&8),
        "too small to judge"
    );
    let got: Vec<(String, Vec<String>)> = h["at_risk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let reasons = row["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(reason_code)
                .collect();
            (row["name"].as_str().unwrap().to_string(), reasons)
        })
        .collect();
    let mut want: Vec<(String, Vec<String>)> = expected
        .iter()
        .map(|(c, reasons)| {
            let mut codes: Vec<String> = reasons.iter().map(|r| r.to_string()).collect();
            codes.sort_by_key(|code| std::cmp::Reverse(weight(code)));
            (format!("Community {c:02}"), codes)
        })
        .collect();
    want.sort_by(|a, b| {
        let heaviest = |r: &(String, Vec<String>)| weight(&r.1[0]);
        heaviest(b)
            .cmp(&heaviest(a))
            .then(b.1.len().cmp(&a.1.len()))
            .then((b.0 == "Community 17").cmp(&(a.0 == "Community 17")))
            .then(a.0.cmp(&b.0))
    });
    assert_eq!(got, want, "the at-risk list, ordered by risk");
    let c17_row = &h["at_risk"][0];
    assert_eq!(c17_row["renews_on"], "2027-01-31");
    assert_eq!(c17_row["owner"], crate::helpers::ADMIN_EMAIL);

    // Filters: by tier, and by who looks after a community.
    let essential = health(&app, "Essential", "").await;
    let names = |h: &Value| -> Vec<String> {
        h["at_risk"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_string())
            .collect()
    };
    let want_essential: Vec<String> = want
        .iter()
        .filter(|(name, _)| {
            let c: usize = name[10..].parse().unwrap();
            tier(c) == 0
        })
        .map(|(name, _)| name.clone())
        .collect();
    assert_eq!(names(&essential), want_essential);
    let mine = health(&app, "", crate::helpers::ADMIN_EMAIL).await;
    assert_eq!(names(&mine), ["Community 17"]);
    let nobodys = health(&app, "", "none").await;
    assert_eq!(names(&nobodys).len(), want.len() - 1);

    // The API and the CSV export carry the same list, in the same order, with the same
    // reasons in the same words.
    let viewer = crate::public_api::token(&app, "viewer").await;
    let (status, listed, _) =
        crate::public_api::api(&app, "GET", "/communities/at-risk", Some(&viewer), None).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{listed}");
    let items = listed["items"].as_array().unwrap();
    let page_rows = h["at_risk"].as_array().unwrap();
    assert_eq!(items.len(), page_rows.len());
    for (item, row) in items.iter().zip(page_rows) {
        assert_eq!(item["community_id"], row["community_id"]);
        let codes: Vec<String> = row["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(reason_code)
            .collect();
        let api_codes: Vec<String> = item["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(api_codes, codes);
    }
    let (_, engagement_out, _) =
        crate::public_api::api(&app, "GET", "/engagement", Some(&viewer), None).await;
    assert_eq!(
        engagement_out["overall"]["engaged"],
        e["overall"]["engaged"]
    );
    assert_eq!(engagement_out["overall"]["share"], e["overall"]["estimate"]);
    let (_, filtered, _) = crate::public_api::api(
        &app,
        "GET",
        "/communities/at-risk?tier=Essential",
        Some(&viewer),
        None,
    )
    .await;
    assert_eq!(
        filtered["items"].as_array().unwrap().len(),
        want_essential.len()
    );
    let csv = app.get("/communities/at-risk.csv").await;
    assert_eq!(csv.status(), reqwest::StatusCode::OK);
    let csv = csv.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let csv_rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(csv_rows.len(), items.len());
    for (record, item) in csv_rows.iter().zip(items) {
        assert_eq!(&record[0], item["name"].as_str().unwrap());
        let words: Vec<&str> = item["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["text"].as_str().unwrap())
            .collect();
        assert_eq!(&record[5], words.join(" "));
    }

    // The page says the reasons in words.
    let page = app.get("/communities").await.text().await.unwrap();
    assert!(
        page.contains("Answered none of its last 2 surveys (Survey 11; Survey 10)."),
        "{page}"
    );
    assert!(page.contains("below the"), "{page}");

    // The quarterly report of the last complete quarter: its engagement as computed here,
    // the quarter before to compare with, and a file to attach with every definition.
    let (status, body) = app.call("get_quarterly_report", &[("quarter", "")]).await;
    assert!(status.is_success(), "{status}: {body}");
    let report: Value = serde_json::from_str(&body).unwrap();
    let (label, from, until) = &expected_quarters[expected_quarters.len() - 2];
    assert_eq!(report["quarter"], *label);
    same_share(
        &report["engagement"],
        engagement(&invites, *from, *until, None),
        label,
    );
    // As things stood at the quarter's end: no survey sent after it is named.
    let at_risk = report["at_risk"].to_string();
    for r in (0..=SURVEYS as usize).filter(|r| sent_at(now, *r) > *until) {
        assert!(
            !at_risk.contains(&format!("Survey {r:02}")),
            "Survey {r:02}: {at_risk}"
        );
    }
    let (before, b_from, b_until) = &expected_quarters[expected_quarters.len() - 3];
    assert_eq!(report["previous"][0], *before);
    same_share(
        &report["previous"][1],
        engagement(&invites, *b_from, *b_until, None),
        before,
    );
    let (status, body) = app
        .call("get_quarterly_report", &[("quarter", "1999 Q1")])
        .await;
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Choose one of the last 8 quarters"), "{body}");
    let file = app
        .get(&format!(
            "/reports/quarterly.html?quarter={}",
            label.replace(' ', "%20")
        ))
        .await;
    assert_eq!(file.status(), reqwest::StatusCode::OK);
    assert!(file.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(&format!("soundings-{}.html", label.replace(' ', "-"))));
    let file = file.text().await.unwrap();
    for definition in [
        "Release baseline:",
        "Engagement:",
        "At risk:",
        "two-proportion z-test",
    ] {
        assert!(file.contains(definition), "{definition} in the file");
    }
    assert!(
        file.contains("<style>") && !file.contains("<script"),
        "self-contained, no script"
    );

    // A community of two: its answers count in the pool and the engagement, but its
    // score shows nowhere, on its page or in a judgement against the baseline.
    let (status, body) = app
        .call("get_community", &[("community_id", "community-02")])
        .await;
    assert!(status.is_success(), "{status}: {body}");
    let small: Value = serde_json::from_str(&body).unwrap();
    let surveys = small["surveys"].as_array().unwrap();
    assert_eq!(surveys.len(), 13, "{small}");
    assert!(surveys.iter().all(|s| s["score"].is_null()), "{small}");
    assert!(
        surveys
            .iter()
            .filter(|s| s["closed"] == true)
            .all(|s| s["completed"] == 2),
        "its counts show: an identified survey hides scores, not who answered"
    );
    assert_eq!(small["against_baseline"], serde_json::json!([]));
    assert_eq!(small["reasons"], serde_json::json!([]));
    let page = app
        .get("/communities/community-02")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("hidden: fewer than 3 answers"), "{page}");

    // The unhappy community's own score, set against everyone else's.
    let (_, body) = app
        .call("get_community", &[("community_id", "community-11")])
        .await;
    let unhappy: Value = serde_json::from_str(&body).unwrap();
    let against = &unhappy["against_baseline"][0];
    assert_eq!(against[4], "Below", "{unhappy}");
    close(&against[1]["value"], 0.0, "all its answers are 1 or 2");
}

fn weight(code: &str) -> u8 {
    match code {
        "silent_surveys" => 4,
        "silent_periods" => 3,
        "below_baseline" => 2,
        _ => 1,
    }
}

/// The server function's JSON names a reason by its variant.
fn reason_code(reason: &Value) -> String {
    let variant = match reason {
        Value::String(s) => s.as_str(),
        Value::Object(map) => map.keys().next().map(String::as_str).unwrap_or_default(),
        _ => "",
    };
    match variant {
        "SilentSurveys" => "silent_surveys",
        "SilentPeriods" => "silent_periods",
        "BelowBaseline" => "below_baseline",
        "Falling" => "falling_rate",
        other => panic!("unknown reason {other}"),
    }
    .to_string()
}

/// One identified CSAT survey sent yesterday to the communities given as (name, tier,
/// people, scores of those who answered), seeded straight into the tables.
async fn one_survey(
    app: &TestApp,
    key: &str,
    communities: &[(&str, usize, usize, Vec<i64>)],
) -> String {
    let now = app.clock.now();
    let survey = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO surveys (survey_id, title, status, created_at, opened_at) \
         VALUES ($1, $2, 'open', $3, $3)",
    )
    .bind(&survey)
    .bind(format!("Survey {key}"))
    .bind(now - 2 * DAY)
    .execute(&app.db)
    .await
    .unwrap();
    let question = format!("{key}-csat");
    sqlx::query(
        "INSERT INTO questions (question_id, survey_id, position, kind, prompt) \
         VALUES ($1, $2, 0, 'csat', 'How satisfied are you?')",
    )
    .bind(&question)
    .bind(&survey)
    .execute(&app.db)
    .await
    .unwrap();
    for (name, t, people, scores) in communities {
        let community = format!("{key}-{name}");
        sqlx::query(
            "INSERT INTO communities (community_id, name, name_key, tier_id, created_at) \
             VALUES ($1, $2, $3, $4, 0) ON CONFLICT (community_id) DO NOTHING",
        )
        .bind(&community)
        .bind(*name)
        .bind(name.to_lowercase())
        .bind(TIERS[*t].0)
        .execute(&app.db)
        .await
        .unwrap();
        for person in 0..*people {
            let contact = format!("{community}-{person}");
            let invitation = format!("{key}-{name}-inv-{person}");
            sqlx::query(
                "INSERT INTO contacts (contact_id, email, created_at, name, community_id) \
                 VALUES ($1, $2, 0, '', $3) ON CONFLICT (contact_id) DO NOTHING",
            )
            .bind(&contact)
            .bind(format!(
                "p{person}@{}.example.org",
                name.to_lowercase().replace(' ', "-")
            ))
            .bind(&community)
            .execute(&app.db)
            .await
            .unwrap();
            let answer = scores.get(person).copied();
            sqlx::query(
                "INSERT INTO invitations (invitation_id, survey_id, contact_id, token_hash, created_at, \
                 sent_at, completed_at) VALUES ($1, $2, $3, $1, $4, $4, $5)",
            )
            .bind(&invitation)
            .bind(&survey)
            .bind(&contact)
            .bind(now - DAY)
            .bind(answer.map(|_| now - 3_600))
            .execute(&app.db)
            .await
            .unwrap();
            if let Some(score) = answer {
                sqlx::query(
                    "INSERT INTO responses (response_id, survey_id, invitation_id, submitted_at, \
                     updated_at, completed) VALUES ($1, $2, $1, $3, $3, 1)",
                )
                .bind(&invitation)
                .bind(&survey)
                .bind(now - 3_600)
                .execute(&app.db)
                .await
                .unwrap();
                sqlx::query(
                    "INSERT INTO answers (response_id, question_id, score) VALUES ($1, $2, $3)",
                )
                .bind(&invitation)
                .bind(&question)
                .bind(score)
                .execute(&app.db)
                .await
                .unwrap();
            }
        }
    }
    survey
}

async fn a_score_carried_by_one_large_community_is_set_beside_its_community_weighted_and_reweighted_readings(
    app: TestApp,
) {
    app.set_up_admin().await;
    // One large Enterprise community answers in force and happily; five small Essential
    // ones answer three each, mostly unhappily.
    let smalls: [Vec<i64>; 5] = [
        vec![2, 3, 4],
        vec![2, 2, 4],
        vec![3, 3, 2],
        vec![4, 2, 2],
        vec![1, 2, 5],
    ];
    let mut layout: Vec<(&str, usize, usize, Vec<i64>)> = vec![("Bigco", 2, 30, vec![5; 27])];
    let names = ["Small A", "Small B", "Small C", "Small D", "Small E"];
    for (name, scores) in names.iter().zip(&smalls) {
        layout.push((name, 0, 6, scores.clone()));
    }
    let survey = one_survey(&app, "fair", &layout).await;

    // Computed here from the definitions.
    let satisfied = |scores: &[i64]| scores.iter().filter(|s| **s >= 4).count() as f64;
    let all: Vec<i64> = layout.iter().flat_map(|c| c.3.clone()).collect();
    let (x, n, big_n) = (satisfied(&all), all.len() as f64, 60.0);
    let plain = 100.0 * x / n;
    // Wilson with the finite population correction, as the score card shows it.
    let n_eff = n * (big_n - 1.0) / (big_n - n);
    let (_, low, high) = wilson(x * n_eff / n, n_eff);
    let plain_half = (high - low) / 2.0;
    let per_community: Vec<f64> = layout
        .iter()
        .map(|c| 100.0 * satisfied(&c.3) / c.3.len() as f64)
        .collect();
    let m = per_community.len() as f64;
    let mean = per_community.iter().sum::<f64>() / m;
    let sd = (per_community
        .iter()
        .map(|v| (v - mean).powi(2))
        .sum::<f64>()
        / (m - 1.0))
        .sqrt();
    let half = 1.96 * sd / m.sqrt();
    let essential: Vec<i64> = smalls.iter().flatten().copied().collect();
    let reweighted = 0.5 * 100.0 + 0.5 * 100.0 * satisfied(&essential) / essential.len() as f64;
    assert!(
        (reweighted - plain).abs() > plain_half,
        "the design makes them disagree"
    );

    let (status, body) = app.call("get_results", &[("survey_id", &survey)]).await;
    assert!(status.is_success(), "{status}: {body}");
    let results: Value = serde_json::from_str(&body).unwrap();
    let fair = &results["fair"];
    close(&fair["plain"]["value"], plain, "plain");
    close(
        &fair["community_weighted"]["value"],
        mean,
        "community-weighted",
    );
    close(
        &fair["community_weighted"]["low"],
        (mean - half).max(0.0),
        "its low end",
    );
    close(
        &fair["community_weighted"]["high"],
        (mean + half).min(100.0),
        "its high end",
    );
    assert_eq!(fair["communities"], 6);
    close(&fair["reweighted"], reweighted, "re-weighted");
    let finding = format!(
        "Enterprise members answered more than others; weighted to the invited mix, CSAT is {reweighted:.0}% instead of {plain:.0}%."
    );
    assert_eq!(fair["findings"][0], finding.as_str(), "{fair}");
    let mix = |by: &str, group: &str| -> (f64, f64) {
        let row = fair["mix"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["by"] == by && r["group"] == group)
            .unwrap_or_else(|| panic!("{by} {group} in {fair}"));
        (
            row["invited_share"].as_f64().unwrap(),
            row["respondent_share"].as_f64().unwrap(),
        )
    };
    let answered_big = 27.0 / n * 100.0;
    assert_eq!(mix("Tier", "Enterprise").0, 50.0);
    close(
        &Value::from(mix("Tier", "Enterprise").1),
        answered_big,
        "Enterprise's share of answers",
    );
    close(
        &Value::from(mix("Community size", "20 people or more").1),
        answered_big,
        "large communities' share",
    );
    close(
        &Value::from(mix("Community size", "5 to 19 people").1),
        100.0 - answered_big,
        "small ones'",
    );

    // The page and the API carry the same figures and words.
    let page = app
        .get(&format!("/surveys/{survey}/results"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&finding), "{page}");
    let token = crate::public_api::token(&app, "viewer").await;
    let (_, summary, _) = crate::public_api::api(
        &app,
        "GET",
        &format!("/surveys/{survey}/summary"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(summary["fair"]["findings"], fair["findings"]);
    assert_eq!(
        summary["fair"]["community_weighted"],
        fair["community_weighted"]
    );

    // A tier of two: the re-weighted reading would let its score be solved for from the
    // plain one, so it is not shown; nor is any reading that would.
    let survey = one_survey(
        &app,
        "small",
        &[
            ("Pro", 1, 4, vec![5, 5]),
            ("Small F", 0, 6, vec![2, 3, 4]),
            ("Small G", 0, 6, vec![2, 2, 2]),
            ("Large", 2, 10, vec![4, 4, 2, 5]),
        ],
    )
    .await;
    let (_, body) = app.call("get_results", &[("survey_id", &survey)]).await;
    let results: Value = serde_json::from_str(&body).unwrap();
    let fair = &results["fair"];
    assert_eq!(fair["reweighted"], Value::Null, "{fair}");
    assert!(
        fair["reweighted_note"]
            .as_str()
            .unwrap()
            .starts_with("Not shown"),
        "{fair}"
    );
}
