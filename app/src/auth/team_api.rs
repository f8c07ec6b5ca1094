//! Server functions of the team page; every one needs the admin role.
use super::model::{Role, TeamMember};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{db, links},
    crate::audit::{model::Subject, record::record, Action},
    crate::server::guard,
};

#[server(prefix = "/fn", endpoint = "list_team", output = crate::ui::wire::Postcard)]
pub async fn list_team() -> Result<Vec<TeamMember>, AppError> {
    guard::respond(async {
        let (state, _) = guard::require_role(Role::Admin).await?;
        Ok(db::fetch_team(&state.db, state.clock.now()).await?)
    })
    .await
}

/// Invites a member by email: they choose their own password through the link it
/// carries. Inviting someone whose invitation waits sends it again.
#[server(prefix = "/fn", endpoint = "invite_team_member", output = crate::ui::wire::Postcard)]
pub async fn invite_team_member(email: String, role: Role) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, admin) = guard::require_role(Role::Admin).await?;
        links::invite(&state, &admin, &email, role)
            .await
            .map(|_| ())
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
        let subject = Some(Subject::member(&user_id));
        let detail = format!("now {role}");
        let now = state.clock.now();
        record(
            &mut *tx,
            &admin.actor(),
            Action::RoleChanged,
            subject,
            &detail,
            now,
        )
        .await?;
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
        let email = db::fetch_user_email(&mut *tx, &user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        db::delete_user(&mut *tx, &user_id).await?;
        if db::count_admins(&mut *tx).await? == 0 {
            return Err(last_admin());
        }
        let subject = Some(Subject::member(&user_id));
        let now = state.clock.now();
        record(
            &mut *tx,
            &admin.actor(),
            Action::MemberRemoved,
            subject,
            &email,
            now,
        )
        .await?;
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
