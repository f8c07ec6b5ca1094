//! Server functions of the team page; every one needs the admin role.
use super::model::{Role, TeamMember};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{db, password},
    crate::db::new_id,
    crate::server::guard,
};

#[server(prefix = "/fn", endpoint = "list_team", output = crate::ui::wire::Postcard)]
pub async fn list_team() -> Result<Vec<TeamMember>, AppError> {
    guard::respond(async {
        let (state, _) = guard::require_role(Role::Admin).await?;
        Ok(db::fetch_team(&state.db).await?)
    })
    .await
}

/// Adds a member with a first password the admin passes on to them.
#[server(prefix = "/fn", endpoint = "add_team_member", output = crate::ui::wire::Postcard)]
pub async fn add_team_member(email: String, role: Role, password: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, admin) = guard::require_role(Role::Admin).await?;
        let confirm = password.clone();
        let (email, password) = super::api::parse_new_account(&email, password, &confirm)?;
        if db::fetch_user_by_email(&state.db, email.as_str())
            .await?
            .is_some()
        {
            return Err(AppError::field(
                "email",
                format!("{email} is already on the team."),
            ));
        }
        let hash = password::hash(&state.config, password.expose().to_string()).await?;
        let user_id = new_id();
        db::insert_user(
            &state.db,
            &user_id,
            email.as_str(),
            &hash,
            role,
            state.clock.now(),
        )
        .await?;
        tracing::info!(by = admin.user_id, user_id, %role, "team member added");
        Ok(())
    })
    .await
}

#[server(prefix = "/fn", endpoint = "change_role", output = crate::ui::wire::Postcard)]
pub async fn change_role(user_id: String, role: Role) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, admin) = guard::require_role(Role::Admin).await?;
        let mut tx = state.db.begin().await?;
        if db::update_user_role(&mut *tx, &user_id, role).await? == 0 {
            return Err(AppError::NotFound);
        }
        if db::count_admins(&mut *tx).await? == 0 {
            return Err(last_admin());
        }
        // Sessions carry no role, but ending them makes the change felt at once.
        if user_id != admin.user_id {
            db::delete_sessions_of(&mut *tx, &user_id).await?;
        }
        tx.commit().await?;
        tracing::info!(by = admin.user_id, user_id, %role, "role changed");
        Ok(())
    })
    .await
}

#[server(prefix = "/fn", endpoint = "remove_team_member", output = crate::ui::wire::Postcard)]
pub async fn remove_team_member(user_id: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, admin) = guard::require_role(Role::Admin).await?;
        if user_id == admin.user_id {
            return Err(AppError::Conflict(
                "You can't remove yourself. Ask another admin to do it.".into(),
            ));
        }
        let mut tx = state.db.begin_write().await?;
        if db::fetch_user_role(&mut *tx, &user_id).await?.is_none() {
            return Err(AppError::NotFound);
        }
        db::delete_user(&mut *tx, &user_id).await?;
        if db::count_admins(&mut *tx).await? == 0 {
            return Err(last_admin());
        }
        tx.commit().await?;
        tracing::info!(by = admin.user_id, user_id, "team member removed");
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
fn last_admin() -> AppError {
    AppError::Conflict("The team needs at least one admin. Make someone else admin first.".into())
}
