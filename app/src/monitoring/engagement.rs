//! Engagement, PRODUCT.md's second key number: the communities with at least one
//! completed response in a period, of those sent at least one invitation in it, with the
//! 95% Wilson interval (no finite population correction). The overview shows the window;
//! the communities page adds the quarters.
use super::baseline_db as db;
use super::baseline_model::Share;
use super::stats;
use crate::db::Db;
use crate::error::AppResult;
use std::collections::HashMap;

/// The share of the invited communities that engaged, with its Wilson interval.
fn share(flags: &[(bool, bool)]) -> Share {
    let invited = flags.iter().filter(|(sent, _)| *sent).count() as i64;
    let engaged = flags.iter().filter(|(sent, done)| *sent && *done).count() as i64;
    Share {
        engaged,
        invited,
        estimate: stats::wilson(engaged, invited, None),
    }
}

/// Engagement in each of `periods` ([from, until)), overall and per tier (tiers in
/// `tiers`' order), from one pass over the invitations.
pub async fn engagement_over(
    db: &Db,
    periods: &[(i64, i64)],
    tier_of: &HashMap<String, String>,
    tiers: &[String],
) -> AppResult<Vec<(Share, Vec<(String, Share)>)>> {
    let flags = db::fetch_engagement_flags(db, periods).await?;
    Ok((0..periods.len())
        .map(|k| {
            let of = |keep: &dyn Fn(&str) -> bool| -> Vec<(bool, bool)> {
                flags
                    .iter()
                    .filter(|(id, _)| keep(id))
                    .map(|(_, f)| f[k])
                    .collect()
            };
            let by_tier = tiers
                .iter()
                .map(|tier| {
                    let mine = of(&|id| tier_of.get(id) == Some(tier));
                    (tier.clone(), share(&mine))
                })
                .collect();
            (share(&of(&|_| true)), by_tier)
        })
        .collect())
}

/// Engagement between two moments, overall and per tier.
pub async fn engagement_in(
    db: &Db,
    from: i64,
    until: i64,
) -> AppResult<(Share, Vec<(String, Share)>)> {
    let tier_of: HashMap<String, String> =
        db::fetch_community_tiers(db).await?.into_iter().collect();
    let tiers = db::fetch_tier_names(db).await?;
    let mut periods = engagement_over(db, &[(from, until)], &tier_of, &tiers).await?;
    Ok(periods.pop().unwrap_or_default())
}
