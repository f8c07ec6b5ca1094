//! Server functions for setup, sign-in and sign-out. Each is a public POST endpoint.
use super::model::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::{db, model::NewPassword, model::Role, password, session, throttle},
    crate::db::new_id,
    crate::email::EmailAddress,
    crate::server::{guard, AppState},
};

/// Who is signed in, and whether the instance still needs its first admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: Option<CurrentUser>,
    pub needs_setup: bool,
    /// No SMTP server is configured: mail lands in the in-app development mailbox.
    pub dev_mailbox: bool,
    /// The team's time zone, for every date and time the pages show.
    pub zone: crate::ui::TeamZone,
    /// Single sign-on's button words ("Sign in with …"), when it is set up.
    pub sso: Option<String>,
    /// Password sign-in is off (but for one break-glass admin).
    pub sso_only: bool,
}

#[server(prefix = "/fn", endpoint = "session_info", output = crate::ui::wire::Postcard)]
pub async fn get_session_info() -> Result<SessionInfo, AppError> {
    guard::respond(async {
        let (state, parts) = guard::context()?;
        let needs_setup = db::count_users(&state.db).await? == 0;
        let user = session::current_user(&state, &parts.headers).await?;
        let dev_mailbox = state.config.mail_mode == crate::server::MailMode::DevMailbox;
        Ok(SessionInfo {
            user,
            needs_setup,
            dev_mailbox,
            zone: state.config.time_zone.for_pages(state.clock.now()),
            sso: state.config.sso.as_ref().map(|s| s.name.clone()),
            sso_only: state.config.sso.as_ref().is_some_and(|s| s.only),
        })
    })
    .await
}

/// Creates the first admin and signs them in; refused once anyone has an account.
#[server(prefix = "/fn", endpoint = "set_up_first_admin", output = crate::ui::wire::Postcard)]
pub async fn set_up_first_admin(
    email: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, _) = guard::context()?;
        if db::count_users(&state.db).await? > 0 {
            return Err(already_set_up());
        }
        let (email, password) = parse_new_account(&email, password, &confirm)?;
        let hash = password::hash(&state.config, password.expose().to_string()).await?;
        let user_id = new_id();
        let mut tx = state.db.begin().await?;
        if db::insert_setup_claim(&mut *tx, state.clock.now())
            .await
            .is_err()
        {
            return Err(already_set_up());
        }
        db::insert_user(
            &mut *tx,
            &user_id,
            email.as_str(),
            &hash,
            Role::Admin,
            state.clock.now(),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(user_id, "first admin created");
        sign_in_as(&state, &user_id).await
    })
    .await
}

#[cfg(feature = "ssr")]
fn already_set_up() -> AppError {
    AppError::Conflict("Soundings is already set up. Sign in instead.".into())
}

/// Checks the fields of a new account, reporting every problem at once.
#[cfg(feature = "ssr")]
pub fn parse_new_account(
    email: &str,
    password: String,
    confirm: &str,
) -> Result<(EmailAddress, NewPassword), AppError> {
    let mut errors = Vec::new();
    let email = EmailAddress::parse(email)
        .map_err(|m| errors.push(crate::error::FieldError::new("email", m)))
        .ok();
    let matches = password == confirm;
    let password = NewPassword::parse(password)
        .map_err(|m| errors.push(crate::error::FieldError::new("password", m)))
        .ok();
    if password.is_some() && !matches {
        errors.push(crate::error::FieldError::new(
            "confirm",
            "The two passwords differ. Type the same password twice.",
        ));
    }
    match (email, password) {
        (Some(email), Some(password)) if errors.is_empty() => Ok((email, password)),
        _ => Err(AppError::Validation(errors)),
    }
}

#[server(prefix = "/fn", endpoint = "sign_in", output = crate::ui::wire::Postcard)]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, parts) = guard::context()?;
        let email = EmailAddress::parse(&email).map_err(|m| AppError::field("email", m))?;
        if let Some(sso) = state.config.sso.as_ref() {
            if !sso.allows_password(email.as_str()) {
                // The same answer for every address, so it tells nobody who has an account.
                return Err(AppError::field(
                    "password",
                    format!(
                        "Password sign-in is off here: use “Sign in with {}”.",
                        sso.name
                    ),
                ));
            }
        }
        let account = throttle::ThrottleKey::account(&state, email.as_str());
        let address = guard::client_address(&parts, &state.config);
        let keys = [account, throttle::ThrottleKey::address(&state, &address)];
        throttle::check(&state, &keys).await?;
        let stored = db::fetch_user_by_email(&state.db, email.as_str()).await?;
        let (user_id, hash) = match stored {
            Some(user) => (Some(user.user_id), Some(user.password_hash)),
            None => (None, None),
        };
        // Always verified, even for an unknown account, so timing does not tell them apart.
        let valid = password::verify(&state.config, password, hash).await;
        match user_id {
            Some(user_id) if valid => {
                throttle::forgive(&state, &keys[0]).await?;
                sign_in_as(&state, &user_id).await
            }
            _ => {
                throttle::record_failure(&state, &keys).await?;
                tracing::info!("sign-in refused");
                Err(AppError::field(
                    "password",
                    "That email and password don't match an account.",
                ))
            }
        }
    })
    .await
}

#[cfg(feature = "ssr")]
async fn sign_in_as(state: &AppState, user_id: &str) -> Result<(), AppError> {
    let cookie = session::start(state, user_id).await?;
    set_cookie(&cookie)?;
    leptos_axum::redirect("/surveys");
    Ok(())
}

#[cfg(feature = "ssr")]
fn set_cookie(cookie: &str) -> Result<(), AppError> {
    let options = use_context::<leptos_axum::ResponseOptions>().ok_or(AppError::Internal)?;
    let value = http::HeaderValue::from_str(cookie).map_err(|_| AppError::Internal)?;
    options.append_header(http::header::SET_COOKIE, value);
    Ok(())
}

#[server(prefix = "/fn", endpoint = "sign_out", output = crate::ui::wire::Postcard)]
pub async fn sign_out() -> Result<(), AppError> {
    guard::respond(async {
        let (state, parts) = guard::context()?;
        let cookie = session::end(&state, &parts.headers).await?;
        set_cookie(&cookie)?;
        leptos_axum::redirect("/sign-in");
        Ok(())
    })
    .await
}
