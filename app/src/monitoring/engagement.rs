//! Engagement, PRODUCT.md's second key number: the communities with at least one
//! completed response in a period, of those sent at least one invitation in it, with the
//! 95% Wilson interval (no finite population correction). The overview shows the window;
//! the communities page adds the quarters.
use super::baseline_db as db;
use super::baseline_model::Share;
use super::stats;
use crate::db::Db;
use crate::error::AppResult;
use std::collections::{HashMap, HashSet};

/// The share of `invited` that is in `engaged`, with its Wilson interval.
fn share(invited: &HashSet<&str>, engaged: &HashSet<String>) -> Share {
    let n = invited.len() as i64;
    let x = invited.iter().filter(|c| engaged.contains(**c)).count() as i64;
    Share {
        engaged: x,
        invited: n,
        estimate: stats::wilson(x, n, None),
    }
}

/// Engagement between two moments, overall and per tier (tiers in `tiers`' order).
pub async fn engagement_between(
    db: &Db,
    from: i64,
    until: i64,
    tier_of: &HashMap<String, String>,
    tiers: &[String],
) -> AppResult<(Share, Vec<(String, Share)>)> {
    let invited = db::fetch_invited_between(db, from, until).await?;
    let engaged: HashSet<String> = db::fetch_engaged_between(db, from, until)
        .await?
        .into_iter()
        .collect();
    let all: HashSet<&str> = invited.iter().map(String::as_str).collect();
    let by_tier = tiers
        .iter()
        .map(|tier| {
            let mine: HashSet<&str> = all
                .iter()
                .copied()
                .filter(|c| tier_of.get(*c) == Some(tier))
                .collect();
            (tier.clone(), share(&mine, &engaged))
        })
        .collect();
    Ok((share(&all, &engaged), by_tier))
}

/// Engagement between two moments, overall and per tier.
pub async fn engagement_in(
    db: &Db,
    from: i64,
    until: i64,
) -> AppResult<(Share, Vec<(String, Share)>)> {
    let communities = db::fetch_community_tiers(db).await?;
    let tiers = db::fetch_tier_names(db).await?;
    let tier_of: HashMap<String, String> = communities.into_iter().collect();
    engagement_between(db, from, until, &tier_of, &tiers).await
}
