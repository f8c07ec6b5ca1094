//! SQL for editing tiers and communities as lists, inside the caller's transaction.
use crate::db::new_id;
use sqlx::{Any, Transaction};

type Tx<'c> = Transaction<'c, Any>;

/// A community as written, its time zone "" for the team's.
pub struct CommunityRow {
    pub id: String,
    pub name: String,
    pub tier_id: String,
    pub time_zone: String,
}

/// Every community's id, name, tier name and time zone.
pub async fn fetch_communities(
    tx: &mut Tx<'_>,
) -> sqlx::Result<Vec<(String, String, String, String)>> {
    sqlx::query_as(
        "SELECT cm.community_id, cm.name, t.name, cm.time_zone \
         FROM communities cm JOIN tiers t ON t.tier_id = cm.tier_id",
    )
    .fetch_all(&mut **tx)
    .await
}

/// Adds a tier after the others.
pub async fn insert_tier_last(tx: &mut Tx<'_>, name: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO tiers (tier_id, name, position, created_at) \
         SELECT $1, $2, COALESCE(MAX(position), 0) + 1, $3 FROM tiers",
    )
    .bind(new_id())
    .bind(name)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Renames tiers in two steps, each first to its own id, so names may swap within a list
/// without tripping the unique index halfway.
pub async fn rename_tiers(tx: &mut Tx<'_>, renames: &[(String, String)]) -> sqlx::Result<()> {
    for (id, _) in renames {
        sqlx::query("UPDATE tiers SET name = tier_id WHERE tier_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    for (id, name) in renames {
        sqlx::query("UPDATE tiers SET name = $2 WHERE tier_id = $1")
            .bind(id)
            .bind(name)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Renames and moves communities, in two steps for the same reason as tiers.
pub async fn update_communities(tx: &mut Tx<'_>, rows: &[CommunityRow]) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query("UPDATE communities SET name_key = community_id WHERE community_id = $1")
            .bind(&row.id)
            .execute(&mut **tx)
            .await?;
    }
    for row in rows {
        sqlx::query(
            "UPDATE communities SET name = $2, name_key = $3, time_zone = $4, tier_id = $5 \
             WHERE community_id = $1",
        )
        .bind(&row.id)
        .bind(&row.name)
        .bind(row.name.to_lowercase())
        .bind(&row.time_zone)
        .bind(&row.tier_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub async fn insert_community(tx: &mut Tx<'_>, row: &CommunityRow, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO communities (community_id, name, name_key, tier_id, time_zone, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&row.id)
    .bind(&row.name)
    .bind(row.name.to_lowercase())
    .bind(&row.tier_id)
    .bind(&row.time_zone)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
