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
    sqlx::query_as(&format!(
        "SELECT COUNT(*), COUNT(i.completed_at) FROM invitations i \
         JOIN surveys s ON s.survey_id = i.survey_id \
         WHERE s.status = 'closed' AND s.closed_at >= $1 \
         AND {} GROUP BY i.survey_id",
        crate::distribution::sending::db::DELIVERED_IF
    ))
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

/// Per community, for each period [from, until): whether it was sent an invitation in
/// it, and whether it completed a response in it. One pass over the invitations for all
/// the periods at once (one query a period took seconds at 260,000 invitations).
pub async fn fetch_engagement_flags(
    db: &Db,
    periods: &[(i64, i64)],
) -> sqlx::Result<Vec<(String, Vec<(bool, bool)>)>> {
    use sqlx::Row;
    let earliest = periods.iter().map(|p| p.0).min().unwrap_or(0);
    let mut columns = String::new();
    for k in 0..periods.len() {
        let (from, until) = (2 + 2 * k, 3 + 2 * k);
        columns.push_str(&format!(
            ", CAST(MAX(CASE WHEN i.sent_at >= ${from} AND i.sent_at < ${until} THEN 1 ELSE 0 END) AS BIGINT) \
             , CAST(MAX(CASE WHEN i.completed_at >= ${from} AND i.completed_at < ${until} THEN 1 ELSE 0 END) AS BIGINT)"
        ));
    }
    let sql = format!(
        "SELECT c.community_id{columns} FROM invitations i \
         JOIN contacts c ON c.contact_id = i.contact_id \
         WHERE c.community_id IS NOT NULL AND (i.sent_at >= $1 OR i.completed_at >= $1) \
         GROUP BY c.community_id"
    );
    let mut query = sqlx::query(&sql).bind(earliest);
    for (from, until) in periods {
        query = query.bind(*from).bind(*until);
    }
    let rows = query.fetch_all(db).await?;
    rows.iter()
        .map(|row| {
            let id: String = row.try_get(0)?;
            let flags = (0..periods.len())
                .map(|k| {
                    let sent: i64 = row.try_get(1 + 2 * k)?;
                    let completed: i64 = row.try_get(2 + 2 * k)?;
                    Ok((sent != 0, completed != 0))
                })
                .collect::<sqlx::Result<Vec<_>>>()?;
            Ok((id, flags))
        })
        .collect()
}
