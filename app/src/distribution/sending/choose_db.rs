//! SQL for choosing a survey's recipients from the contacts: by tier, community and tag,
//! leaving out the unsubscribed, the already invited, and (unless overridden) anyone
//! surveyed within the quiet period.
use serde::Deserialize;
use sqlx::{Any, Executor};

/// Which contacts to invite; an empty field means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Selection {
    #[serde(default)]
    pub tier: String,
    #[serde(default)]
    pub community: String,
    #[serde(default)]
    pub tag: String,
    /// Include contacts surveyed within the quiet period too.
    #[serde(default)]
    pub override_quiet: Option<String>,
}

impl Selection {
    pub fn overrides_quiet(&self) -> bool {
        self.override_quiet.is_some()
    }
}

/// What a selection would do, counted before anything is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub matching: i64,
    pub unsubscribed: i64,
    pub already_invited: i64,
    pub quiet: i64,
    pub to_invite: i64,
}

/// The contacts a selection matches, with why each would or would not be invited:
/// (contact id, unsubscribed, already invited, surveyed within the quiet period).
const MATCHES: &str = "SELECT c.contact_id, \
     CASE WHEN c.unsubscribed_at IS NULL THEN 0 ELSE 1 END, \
     CASE WHEN EXISTS (SELECT 1 FROM invitations i WHERE i.contact_id = c.contact_id \
       AND i.survey_id = $4) THEN 1 ELSE 0 END, \
     CASE WHEN EXISTS (SELECT 1 FROM invitations i WHERE i.contact_id = c.contact_id \
       AND i.survey_id <> $4 AND i.created_at >= $5) THEN 1 ELSE 0 END \
     FROM contacts c LEFT JOIN communities cm ON cm.community_id = c.community_id \
     WHERE c.erased_at IS NULL \
     AND ($1 = '' OR cm.tier_id = $1) AND ($2 = '' OR c.community_id = $2) \
     AND ($3 = '' OR EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.contact_id \
       AND t.tag = $3))";

type MatchRow = (String, i64, i64, i64);

async fn fetch_matches(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    selection: &Selection,
    quiet_since: i64,
) -> sqlx::Result<Vec<MatchRow>> {
    sqlx::query_as(MATCHES)
        .bind(selection.tier.trim())
        .bind(selection.community.trim())
        .bind(selection.tag.trim().to_lowercase())
        .bind(survey_id)
        .bind(quiet_since)
        .fetch_all(db)
        .await
}

/// Counts what inviting the selection would do, and the ids of those it would invite.
pub async fn plan_selection(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    selection: &Selection,
    quiet_since: i64,
) -> sqlx::Result<(Counts, Vec<String>)> {
    let rows = fetch_matches(db, survey_id, selection, quiet_since).await?;
    let mut counts = Counts {
        matching: rows.len() as i64,
        ..Counts::default()
    };
    let mut invite = Vec::new();
    for (contact_id, unsubscribed, invited, quiet) in rows {
        match (unsubscribed != 0, invited != 0, quiet != 0) {
            (true, ..) => counts.unsubscribed += 1,
            (_, true, _) => counts.already_invited += 1,
            (_, _, true) if !selection.overrides_quiet() => counts.quiet += 1,
            _ => invite.push(contact_id),
        }
    }
    counts.to_invite = invite.len() as i64;
    Ok((counts, invite))
}
