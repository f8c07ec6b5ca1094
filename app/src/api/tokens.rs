//! Server functions of the API tokens page (admins only).
use super::model::{ApiToken, CreatedToken};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::model::{TOKEN_BYTES, TOKEN_PREFIX},
    super::tokens_db as db,
    crate::{
        auth::model::Role,
        db::new_id,
        server::{guard, token::SecretToken},
    },
};

/// Longest lifetime a token can be given, in days.
pub const MAX_EXPIRY_DAYS: i64 = 730;

#[server(prefix = "/fn", endpoint = "list_api_tokens", output = crate::ui::wire::Postcard)]
pub async fn list_api_tokens() -> Result<Vec<ApiToken>, AppError> {
    guard::respond(async {
        let (state, _) = guard::require_role(Role::Admin).await?;
        Ok(db::fetch_tokens(&state.db).await?)
    })
    .await
}

/// Creates a token; its secret is in the answer and nowhere else, ever.
#[server(prefix = "/fn", endpoint = "create_api_token", output = crate::ui::wire::Postcard)]
pub async fn create_api_token(
    name: String,
    role: String,
    expires_in_days: String,
) -> Result<CreatedToken, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Admin).await?;
        let created = issue(
            &state.db,
            &name,
            &role,
            &expires_in_days,
            &user.actor(),
            state.clock.now(),
        )
        .await?;
        tracing::info!(by = user.user_id, role, "API token created");
        Ok(created)
    })
    .await
}

/// Makes a token: what the page and `soundings token create` share. `expires_in_days`
/// empty means no expiry.
#[cfg(feature = "ssr")]
pub async fn issue(
    db: &crate::db::Db,
    name: &str,
    role: &str,
    expires_in_days: &str,
    by: &crate::audit::Actor,
    now: i64,
) -> Result<CreatedToken, AppError> {
    use crate::audit::{model::Subject, record::record, Action};
    let name = crate::distribution::contacts::api::one_line_name(name, "token_name", "token")?;
    let role: Role = role
        .parse()
        .map_err(|message: String| AppError::field("token_role", message))?;
    let expires_at = match expires_in_days.trim() {
        "" => None,
        days => match days.parse::<i64>() {
            Ok(d) if (1..=MAX_EXPIRY_DAYS).contains(&d) => Some(now + d * 86_400),
            _ => {
                return Err(AppError::field(
                    "token_expiry",
                    format!("Give a number of days from 1 to {MAX_EXPIRY_DAYS}, or leave it empty for no expiry."),
                ))
            }
        },
    };
    let secret = SecretToken::generate(TOKEN_BYTES).map_err(|_| AppError::Internal)?;
    let full = format!("{TOKEN_PREFIX}{}", secret.expose());
    let hash = crate::server::token::sha256_hex(&full);
    let token_id = new_id();
    let token = db::NewToken {
        token_id: &token_id,
        name: &name,
        hash: &hash,
        role: role.as_str(),
        created_by: by.member_id(),
        expires_at,
    };
    let mut tx = db.begin_write().await?;
    db::insert_token(&mut *tx, &token, now).await?;
    let detail = format!("“{name}”, role {role}");
    let subject = Some(Subject::token(&token_id));
    record(&mut *tx, by, Action::TokenCreated, subject, &detail, now).await?;
    tx.commit().await?;
    Ok(CreatedToken { name, secret: full })
}

#[server(prefix = "/fn", endpoint = "revoke_api_token", output = crate::ui::wire::Postcard)]
pub async fn revoke_api_token(token_id: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Admin).await?;
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await?;
        if !db::revoke_token(&mut *tx, &token_id, now).await? {
            return Err(AppError::NotFound);
        }
        let subject = Some(crate::audit::model::Subject::token(&token_id));
        let action = crate::audit::Action::TokenRevoked;
        crate::audit::record::record(&mut *tx, &user.actor(), action, subject, "", now).await?;
        tx.commit().await?;
        tracing::info!(token_id, by = user.user_id, "API token revoked");
        Ok(())
    })
    .await
}
