//! SQL of the dashboard: the releases in the window with their surveys and the score
//! counts of each survey's first CSAT, NPS and CES question, final response rates, open
//! surveys, and who was invited and who answered between two moments (engagement).
use crate::db::Db;

/// A release with the surveys about it that were opened: whether any is still open,
/// when the last closed, when the first opened.
pub struct ReleaseRow {
    pub release_id: String,
    pub name: String,
    pub released_on: Option<String>,
    pub open_surveys: i64,
    pub last_closed_at: Option<i64>,
    pub first_opened_at: Option<i64>,
}

/// Releases with a survey still open, or whose last survey closed since `since`.
pub async fn fetch_releases(db: &Db, since: i64) -> sqlx::Result<Vec<ReleaseRow>> {
    type Row = (
        String,
        String,
        Option<String>,
        i64,
        Option<i64>,
        Option<i64>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.release_id, r.name, r.released_on, \
         CAST(SUM(CASE WHEN s.status = 'open' THEN 1 ELSE 0 END) AS BIGINT), \
         MAX(s.closed_at), MIN(s.opened_at) \
         FROM releases r JOIN surveys s ON s.release_id = r.release_id \
         WHERE s.status IN ('open', 'closed') \
         GROUP BY r.release_id, r.name, r.released_on \
         HAVING SUM(CASE WHEN s.status = 'open' THEN 1 ELSE 0 END) > 0 OR MAX(s.closed_at) >= $1",
    )
    .bind(since)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ReleaseRow {
            release_id: r.0,
            name: r.1,
            released_on: r.2,
            open_surveys: r.3,
            last_closed_at: r.4,
            first_opened_at: r.5,
        })
        .collect())
}

/// (release, survey, title) of every opened survey about a release, oldest first.
pub async fn fetch_release_surveys(db: &Db) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as(
        "SELECT release_id, survey_id, title FROM surveys \
         WHERE release_id IS NOT NULL AND status IN ('open', 'closed') ORDER BY created_at",
    )
    .fetch_all(db)
    .await
}

/// (release, kind, score, answers) over every opened survey about a release: the answers
/// to each survey's first CSAT, first NPS and first CES question, from completed
/// responses (public-link answers left out), pooled per release.
pub async fn fetch_release_scores(db: &Db) -> sqlx::Result<Vec<(String, String, i64, i64)>> {
    sqlx::query_as(
        "SELECT s.release_id, q.kind, CAST(a.score AS BIGINT), COUNT(*) FROM questions q \
         JOIN surveys s ON s.survey_id = q.survey_id \
         JOIN answers a ON a.question_id = q.question_id \
         JOIN responses r ON r.response_id = a.response_id \
         WHERE s.status IN ('open', 'closed') AND s.release_id IS NOT NULL \
         AND q.kind IN ('csat', 'nps', 'ces') AND r.completed = 1 AND r.via_public_link = 0 \
         AND a.score IS NOT NULL AND q.position = (SELECT MIN(q2.position) FROM questions q2 \
           WHERE q2.survey_id = q.survey_id AND q2.kind = q.kind) \
         GROUP BY s.release_id, q.kind, a.score",
    )
    .fetch_all(db)
    .await
}

/// (delivered, completed) of each survey closed in the window that delivered anything.
pub async fn fetch_closed_rates(db: &Db, since: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT COUNT(*), COUNT(i.completed_at) FROM invitations i \
         JOIN surveys s ON s.survey_id = i.survey_id \
         WHERE s.status = 'closed' AND s.closed_at >= $1 \
         AND i.sent_at IS NOT NULL AND i.bounced_at IS NULL GROUP BY i.survey_id",
    )
    .bind(since)
    .fetch_all(db)
    .await
}

/// (survey, title, first invitation sent) of open surveys, newest first.
pub async fn fetch_open_surveys(db: &Db) -> sqlx::Result<Vec<(String, String, Option<i64>)>> {
    sqlx::query_as(
        "SELECT s.survey_id, s.title, (SELECT MIN(i.sent_at) FROM invitations i \
           WHERE i.survey_id = s.survey_id) FROM surveys s \
         WHERE s.status = 'open' ORDER BY s.created_at DESC",
    )
    .fetch_all(db)
    .await
}

/// Tier names in the tiers' order.
pub async fn fetch_tier_names(db: &Db) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT name FROM tiers ORDER BY position")
        .fetch_all(db)
        .await
}

/// (community, its tier's name) of every community.
pub async fn fetch_community_tiers(db: &Db) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT cm.community_id, t.name FROM communities cm JOIN tiers t ON t.tier_id = cm.tier_id",
    )
    .fetch_all(db)
    .await
}

/// Communities sent at least one invitation in [from, until).
pub async fn fetch_invited_between(db: &Db, from: i64, until: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT c.community_id FROM invitations i \
         JOIN contacts c ON c.contact_id = i.contact_id \
         WHERE i.sent_at >= $1 AND i.sent_at < $2 AND c.community_id IS NOT NULL",
    )
    .bind(from)
    .bind(until)
    .fetch_all(db)
    .await
}

/// Communities with at least one completed response in [from, until).
pub async fn fetch_engaged_between(db: &Db, from: i64, until: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT c.community_id FROM invitations i \
         JOIN contacts c ON c.contact_id = i.contact_id \
         WHERE i.completed_at >= $1 AND i.completed_at < $2 AND c.community_id IS NOT NULL",
    )
    .bind(from)
    .bind(until)
    .fetch_all(db)
    .await
}
