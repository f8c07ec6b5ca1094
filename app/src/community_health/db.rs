//! SQL of community health: the communities with who looks after them, which surveys
//! reached each community and when, who answered in a period, and when each community
//! last answered an identified survey.
use crate::db::Db;
use crate::distribution::sending::db::REACHED_AT;

/// A community as the health pages list it.
pub struct CommunityRow {
    pub id: String,
    pub name: String,
    pub tier: String,
    pub time_zone: String,
    pub owner: Option<String>,
    pub renews_on: Option<String>,
}

/// Every community with its tier, in the tiers' order then by name.
pub async fn fetch_communities(db: &Db) -> sqlx::Result<Vec<CommunityRow>> {
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT cm.community_id, cm.name, t.name, cm.time_zone, u.email, cm.renews_on \
         FROM communities cm JOIN tiers t ON t.tier_id = cm.tier_id \
         LEFT JOIN users u ON u.user_id = cm.owner_id ORDER BY t.position, cm.name",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CommunityRow {
            id: r.0,
            name: r.1,
            tier: r.2,
            time_zone: r.3,
            owner: r.4,
            renews_on: r.5,
        })
        .collect())
}

/// A survey that sent invitations in the window.
pub struct SurveyRow {
    pub survey_id: String,
    pub title: String,
    pub closed: bool,
    pub anonymous: bool,
    pub release_id: Option<String>,
    pub release: Option<String>,
    /// When its first invitation went out.
    pub first_sent: i64,
}

/// Surveys with an invitation sent from `since` to `until`; closed means closed by then.
pub async fn fetch_sent_surveys(db: &Db, since: i64, until: i64) -> sqlx::Result<Vec<SurveyRow>> {
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
    );
    // An invitation counts from when it reached its person, by email or in the product.
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT s.survey_id, s.title, \
         CASE WHEN s.status = 'closed' AND s.closed_at <= $2 THEN 'closed' ELSE 'open' END, \
         s.anonymity, s.release_id, r.name, MIN({REACHED_AT}) FROM surveys s \
         LEFT JOIN releases r ON r.release_id = s.release_id \
         JOIN invitations i ON i.survey_id = s.survey_id AND {REACHED_AT} <= $2 \
         GROUP BY s.survey_id, s.title, s.status, s.closed_at, s.anonymity, s.release_id, r.name \
         HAVING MAX({REACHED_AT}) >= $1",
    ))
    .bind(since)
    .bind(until)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SurveyRow {
            survey_id: r.0,
            title: r.1,
            closed: r.2 == "closed",
            anonymous: r.3 == "anonymous",
            release_id: r.4,
            release: r.5,
            first_sent: r.6,
        })
        .collect())
}

/// (community, survey, first invitation sent to the community) from `since` to `until`.
pub async fn fetch_community_sends(
    db: &Db,
    since: i64,
    until: i64,
) -> sqlx::Result<Vec<(String, String, i64)>> {
    sqlx::query_as(&format!(
        "SELECT c.community_id, i.survey_id, MIN({REACHED_AT}) FROM invitations i \
         JOIN contacts c ON c.contact_id = i.contact_id \
         WHERE {REACHED_AT} >= $1 AND {REACHED_AT} <= $2 AND c.community_id IS NOT NULL \
         GROUP BY c.community_id, i.survey_id",
    ))
    .bind(since)
    .bind(until)
    .fetch_all(db)
    .await
}

/// (community, the latest completion by `until`) over identified surveys: an
/// anonymous survey keeps no day the team may tie to a community.
pub async fn fetch_last_answered(db: &Db, until: i64) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT c.community_id, MAX(i.completed_at) FROM invitations i \
         JOIN contacts c ON c.contact_id = i.contact_id \
         JOIN surveys s ON s.survey_id = i.survey_id \
         WHERE i.completed_at <= $1 AND s.anonymity <> 'anonymous' \
         AND c.community_id IS NOT NULL GROUP BY c.community_id",
    )
    .bind(until)
    .fetch_all(db)
    .await
}

/// A community's contacts that are not erased: (name, email, role).
pub async fn fetch_contacts(
    db: &Db,
    community_id: &str,
) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as(
        "SELECT name, email, role FROM contacts \
         WHERE community_id = $1 AND erased_at IS NULL ORDER BY name, email",
    )
    .bind(community_id)
    .fetch_all(db)
    .await
}

/// Sets who looks after a community and when it renews. False when no such community.
pub async fn update_care(
    db: &Db,
    community_id: &str,
    owner_email: Option<&str>,
    renews_on: Option<&str>,
) -> sqlx::Result<bool> {
    sqlx::query(
        "UPDATE communities SET owner_id = (SELECT user_id FROM users WHERE email = $2), \
         renews_on = $3 WHERE community_id = $1",
    )
    .bind(community_id)
    .bind(owner_email)
    .bind(renews_on)
    .execute(db)
    .await
    .map(|r| r.rows_affected() > 0)
}
