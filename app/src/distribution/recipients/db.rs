//! SQL of the recipients table. Every query narrows the survey's invitations the same way
//! (`FILTERED`: search, community, tier), so the counts and the page always agree.
use super::model::RecipientStatus;
use crate::db::Db;
use sqlx::any::{Any, AnyArguments};

/// Each invitation's status with everything shown.
const STATUS: &str = "CASE WHEN i.completed_at IS NOT NULL THEN 'completed' \
     WHEN i.unsubscribed_at IS NOT NULL OR c.unsubscribed_at IS NOT NULL THEN 'unsubscribed' \
     WHEN i.bounced_at IS NOT NULL OR i.failed_at IS NOT NULL THEN 'bounced' \
     WHEN i.opened_at IS NOT NULL THEN 'opened' \
     WHEN i.sent_at IS NOT NULL THEN 'sent' WHEN i.shown_at IS NOT NULL THEN 'shown' \
     ELSE 'not_sent' END";

/// Each invitation's status where who opened or answered is not shown: those are "sent".
const STATUS_WITHOUT_ANSWERS: &str =
    "CASE WHEN i.unsubscribed_at IS NOT NULL OR c.unsubscribed_at IS NOT NULL THEN 'unsubscribed' \
     WHEN i.bounced_at IS NOT NULL OR i.failed_at IS NOT NULL THEN 'bounced' \
     WHEN i.sent_at IS NOT NULL THEN 'sent' WHEN i.shown_at IS NOT NULL THEN 'shown' \
     ELSE 'not_sent' END";

/// The survey's invitations ($1) narrowed by a lowercase `LIKE` pattern on the address or
/// the name ($2, empty for any), a community id ($3) and a tier id ($4).
const FILTERED: &str = "FROM invitations i JOIN contacts c ON c.contact_id = i.contact_id \
     LEFT JOIN communities cm ON cm.community_id = c.community_id \
     WHERE i.survey_id = $1 \
     AND ($2 = '' OR LOWER(c.email) LIKE $2 ESCAPE '\\' OR LOWER(c.name) LIKE $2 ESCAPE '\\') \
     AND ($3 = '' OR c.community_id = $3) AND ($4 = '' OR cm.tier_id = $4)";

/// The narrowing every query shares.
pub struct Narrowing<'a> {
    pub survey_id: &'a str,
    /// A `LIKE` pattern, lowercase with its wildcards escaped; empty for any.
    pub pattern: &'a str,
    pub community_id: &'a str,
    pub tier_id: &'a str,
    pub shows_who_answered: bool,
}

impl<'a> Narrowing<'a> {
    /// Binds $1 to $4, which every query shares.
    fn bind<O>(
        &self,
        query: sqlx::query::QueryAs<'a, Any, O, AnyArguments<'a>>,
    ) -> sqlx::query::QueryAs<'a, Any, O, AnyArguments<'a>> {
        query
            .bind(self.survey_id)
            .bind(self.pattern)
            .bind(self.community_id)
            .bind(self.tier_id)
    }

    fn status(&self) -> &'static str {
        if self.shows_who_answered {
            STATUS
        } else {
            STATUS_WITHOUT_ANSWERS
        }
    }
}

pub type RowTuple = (
    String,
    String,
    Option<String>,
    i64,
    String,
    Option<i64>,
    Option<String>,
    i64,
    String,
);

/// Up to `limit` rows after the cursor (address, invitation id), in address order, of one
/// status or any (empty).
pub async fn fetch_rows(
    db: &Db,
    narrowing: &Narrowing<'_>,
    status: &str,
    after: (&str, &str),
    limit: i64,
) -> sqlx::Result<Vec<RowTuple>> {
    let completed = if narrowing.shows_who_answered {
        "i.completed_at"
    } else {
        "CAST(NULL AS BIGINT)"
    };
    let sql = format!(
        "SELECT * FROM (SELECT c.email AS email, COALESCE(c.name, '') AS name, cm.name AS community, \
         i.created_at AS invited_at, {status} AS status, {completed} AS completed_at, \
         i.delivery_error AS delivery_error, \
         CASE WHEN i.queued_at IS NOT NULL AND i.sent_at IS NULL THEN 1 ELSE 0 END AS queued, \
         i.invitation_id AS invitation_id {FILTERED}) r \
         WHERE ($5 = '' OR r.status = $5) \
         AND (r.email > $6 OR (r.email = $6 AND r.invitation_id > $7)) \
         ORDER BY r.email, r.invitation_id LIMIT $8",
        status = narrowing.status(),
    );
    narrowing
        .bind(sqlx::query_as(&sql))
        .bind(status)
        .bind(after.0)
        .bind(after.1)
        .bind(limit)
        .fetch_all(db)
        .await
}

/// Rows per status under the narrowing.
pub async fn fetch_status_counts(
    db: &Db,
    narrowing: &Narrowing<'_>,
) -> sqlx::Result<Vec<(String, i64)>> {
    let sql = format!(
        "SELECT r.status, COUNT(*) FROM (SELECT {status} AS status {FILTERED}) r GROUP BY r.status",
        status = narrowing.status(),
    );
    narrowing.bind(sqlx::query_as(&sql)).fetch_all(db).await
}

pub async fn count_invitations(db: &Db, survey_id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_one(db)
        .await
}

/// (community id, community, tier id, tier) of every community with someone invited to
/// the survey, by tier and name. Asked community by community (whether any of its contacts
/// is invited), which reads far fewer rows than grouping every invitation.
pub async fn fetch_groups(
    db: &Db,
    survey_id: &str,
) -> sqlx::Result<Vec<(String, String, String, String)>> {
    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT cm.community_id, cm.name, t.tier_id, t.name, CAST(t.position AS BIGINT) \
         FROM communities cm JOIN tiers t ON t.tier_id = cm.tier_id \
         WHERE EXISTS (SELECT 1 FROM contacts c JOIN invitations i ON i.contact_id = c.contact_id \
           WHERE c.community_id = cm.community_id AND i.survey_id = $1) \
         ORDER BY 5, 4, 2",
    )
    .bind(survey_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, tier_id, tier, _)| (id, name, tier_id, tier))
        .collect())
}

/// The status a row's text names (the queries write only these).
pub fn status_of(text: &str) -> RecipientStatus {
    RecipientStatus::named(text).unwrap_or(RecipientStatus::NotSent)
}
