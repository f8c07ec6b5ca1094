//! A member's own access: changing their password (the current one required) and
//! signing out of every session. The use cases behind `/account`.
use super::model::{CurrentUser, NewPassword};
use super::{db, password, session, throttle};
use crate::audit::{model::Subject, record::record, Action};
use crate::error::{AppError, AppResult, FieldError};
use crate::server::AppState;

/// What a member types to change their password.
pub struct PasswordChange {
    pub current: String,
    pub new: String,
    pub confirm: String,
}

/// Changes the member's password when the current one is right, then ends every session
/// they have (a thief holding one is out) and starts a fresh one for this browser; returns
/// its `Set-Cookie` value. Wrong current passwords count against the account's sign-in
/// throttle, so a stolen session cannot guess its way to a new password.
pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    change: PasswordChange,
) -> AppResult<String> {
    let key = throttle::ThrottleKey::account(state, &user.email);
    throttle::check(state, std::slice::from_ref(&key)).await?;
    let mut errors = Vec::new();
    let new = NewPassword::parse(change.new)
        .map_err(|m| errors.push(FieldError::new("new_password", m)))
        .ok();
    if new.as_ref().is_some_and(|p| p.expose() != change.confirm) {
        errors.push(FieldError::new(
            "confirm_password",
            "The two new passwords are not the same.",
        ));
    }
    let stored = db::fetch_user_by_email(&state.db, &user.email).await?;
    let hash = stored.map(|s| s.password_hash);
    if !password::verify(&state.config, change.current, hash).await {
        throttle::record_failure(state, std::slice::from_ref(&key)).await?;
        errors.insert(
            0,
            FieldError::new("current_password", "That is not your current password."),
        );
    }
    let Some(new) = new.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let hash = password::hash(&state.config, new.expose().to_string())
        .await
        .map_err(|_| AppError::Internal)?;
    let mut tx = state.db.begin_write().await?;
    db::update_password_hash(&mut *tx, &user.user_id, &hash).await?;
    db::delete_sessions_of(&mut *tx, &user.user_id).await?;
    let subject = Some(Subject::member(&user.user_id));
    let detail = "on their account page";
    let now = state.clock.now();
    record(
        &mut *tx,
        &user.actor(),
        Action::PasswordChanged,
        subject,
        detail,
        now,
    )
    .await?;
    tx.commit().await?;
    throttle::forgive(state, &key).await?;
    tracing::info!(user_id = %user.user_id, "password changed; every session ended");
    session::start(state, &user.user_id).await
}

/// Ends every session of the member, this one included; returns the cookie that clears
/// this browser's.
pub async fn sign_out_everywhere(state: &AppState, user: &CurrentUser) -> AppResult<String> {
    db::delete_sessions_of(&state.db, &user.user_id).await?;
    tracing::info!(user_id = %user.user_id, "signed out of every session");
    Ok(session::cookie(&state.config, "", 0))
}
