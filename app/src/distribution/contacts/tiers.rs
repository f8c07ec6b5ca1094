//! The team's own tiers (added and renamed), and changing a community's name or tier.
//! A tier is never deleted here: past results are broken down by it.
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::distribution::contacts::api::one_line_name,
    crate::{
        auth::model::Role,
        db::{new_id, Db},
        server::guard,
    },
};

/// Most tiers a team can define: a breakdown by tier stays readable.
pub const MAX_TIERS: i64 = 12;

/// Adds a tier (empty `tier_id`) or renames one.
#[server(prefix = "/fn", endpoint = "save_tier")]
pub async fn save_tier(tier_id: String, name: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let name = one_line_name(&name, "tier_name", "tier")?;
        let taken = || {
            AppError::field(
                "tier_name",
                format!("A tier called “{name}” exists already."),
            )
        };
        if tier_id.is_empty() {
            if count_tiers(&state.db).await? >= MAX_TIERS {
                return Err(AppError::field(
                    "tier_name",
                    format!("At most {MAX_TIERS} tiers: rename one instead."),
                ));
            }
            if !insert_tier(&state.db, &name, state.clock.now()).await? {
                return Err(taken());
            }
        } else {
            match rename_tier(&state.db, &tier_id, &name).await? {
                Renamed::Done => {}
                Renamed::Missing => return Err(AppError::NotFound),
                Renamed::Taken => return Err(taken()),
            }
        }
        tracing::info!(by = user.user_id, "tier saved");
        Ok(())
    })
    .await
}

/// Renames a community or moves it to another tier.
#[server(prefix = "/fn", endpoint = "update_community")]
pub async fn update_community(
    community_id: String,
    name: String,
    tier_id: String,
    #[server(default)] time_zone: String,
) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let name = one_line_name(&name, "community_name", "community")?;
        let time_zone = community_zone(&time_zone)
            .map_err(|message| AppError::field("community_time_zone", message))?;
        if !tier_exists(&state.db, &tier_id).await? {
            return Err(AppError::field(
                "community_tier",
                "Choose one of the tiers.",
            ));
        }
        match change_community(&state.db, &community_id, &name, &tier_id, &time_zone).await? {
            Renamed::Done => {}
            Renamed::Missing => return Err(AppError::NotFound),
            Renamed::Taken => {
                return Err(AppError::field(
                    "community_name",
                    format!("“{name}” already exists (names are compared ignoring case)."),
                ))
            }
        }
        tracing::info!(by = user.user_id, "community changed");
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
enum Renamed {
    Done,
    Missing,
    Taken,
}

#[cfg(feature = "ssr")]
impl Renamed {
    /// After a name check passed: one row changed, or no such row.
    fn from_changed(rows: u64) -> Self {
        if rows == 1 {
            Self::Done
        } else {
            Self::Missing
        }
    }
}

#[cfg(feature = "ssr")]
async fn count_tiers(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM tiers")
        .fetch_one(db)
        .await
}

#[cfg(feature = "ssr")]
async fn tier_exists(db: &Db, tier_id: &str) -> sqlx::Result<bool> {
    let found: Option<String> = sqlx::query_scalar("SELECT tier_id FROM tiers WHERE tier_id = $1")
        .bind(tier_id)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// Adds a tier after the others; false when the name is taken.
#[cfg(feature = "ssr")]
async fn insert_tier(db: &Db, name: &str, now: i64) -> sqlx::Result<bool> {
    if name_taken(db, "tiers", "tier_id", "name", name, "").await? {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO tiers (tier_id, name, position, created_at) \
         SELECT $1, $2, COALESCE(MAX(position), 0) + 1, $3 FROM tiers WHERE true \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(new_id())
    .bind(name)
    .bind(now)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

#[cfg(feature = "ssr")]
async fn rename_tier(db: &Db, tier_id: &str, name: &str) -> sqlx::Result<Renamed> {
    if name_taken(db, "tiers", "tier_id", "name", name, tier_id).await? {
        return Ok(Renamed::Taken);
    }
    let changed = sqlx::query("UPDATE tiers SET name = $2 WHERE tier_id = $1")
        .bind(tier_id)
        .bind(name)
        .execute(db)
        .await?
        .rows_affected();
    Ok(Renamed::from_changed(changed))
}

/// A community's time zone as stored: an IANA name, or "" for the team's.
#[cfg(feature = "ssr")]
pub fn community_zone(input: &str) -> Result<String, String> {
    match input.trim() {
        "" => Ok(String::new()),
        name => crate::local_time::Zone::parse(name).map(|zone| zone.name().to_string()),
    }
}

#[cfg(feature = "ssr")]
async fn change_community(
    db: &Db,
    community_id: &str,
    name: &str,
    tier_id: &str,
    time_zone: &str,
) -> sqlx::Result<Renamed> {
    let key = name.to_lowercase();
    if name_taken(
        db,
        "communities",
        "community_id",
        "name_key",
        &key,
        community_id,
    )
    .await?
    {
        return Ok(Renamed::Taken);
    }
    let changed = sqlx::query(
        "UPDATE communities SET name = $2, name_key = $3, tier_id = $4, time_zone = $5 \
         WHERE community_id = $1",
    )
    .bind(community_id)
    .bind(name)
    .bind(&key)
    .bind(tier_id)
    .bind(time_zone)
    .execute(db)
    .await?
    .rows_affected();
    Ok(Renamed::from_changed(changed))
}

/// Whether another row than `own_id` already has this name, compared ignoring case for
/// tiers (communities store their lower-cased key). The unique index stays the backstop.
#[cfg(feature = "ssr")]
async fn name_taken(
    db: &Db,
    table: &'static str,
    id_column: &'static str,
    name_column: &'static str,
    name: &str,
    own_id: &str,
) -> sqlx::Result<bool> {
    let sql = format!(
        "SELECT COUNT(*) FROM {table} WHERE LOWER({name_column}) = LOWER($1) AND {id_column} <> $2"
    );
    let count: i64 = sqlx::query_scalar(&sql)
        .bind(name)
        .bind(own_id)
        .fetch_one(db)
        .await?;
    Ok(count > 0)
}
