//! Account links: a password reset a member asks for, and an invitation an admin sends
//! instead of choosing someone's password. Each link is mailed through the outbox, works
//! once, and expires; the database keeps only its hash, and the mail is composed by
//! deriving the token again from the server's secret and the link's id.
use super::links_db::{self as db, NewLink};
use super::model::{CurrentUser, NewPassword, Role};
use super::{db as users_db, password, session, throttle};
use crate::audit::{model::Subject, record::record, Action, Actor};
use crate::db::new_id;
use crate::distribution::sending::mail::RenderedMail;
use crate::distribution::sending::outbox::Composed;
use crate::email::EmailAddress;
use crate::error::{AppError, AppResult, FieldError};
use crate::server::token::{SecretToken, SESSION_TOKEN_BYTES};
use crate::server::{AppState, Config};
use minijinja::context;

/// A reset link works for an hour: long enough to find the mail, short enough that an
/// old mailbox is no key.
pub const RESET_SECS: i64 = 3600;
/// An invitation works for a week.
pub const INVITATION_SECS: i64 = 7 * 86_400;
/// At most this many reset mails per account per hour; more asks are answered the same
/// way and send nothing, so nobody can fill a colleague's inbox.
pub const RESETS_PER_HOUR: i64 = 3;

const HTML_LAYOUT: &str = include_str!("../../templates/account.html");
const TEXT_LAYOUT: &str = include_str!("../../templates/account.txt");

/// Why a link was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Reset,
    Invitation,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Reset => "reset",
            Purpose::Invitation => "invitation",
        }
    }

    fn parse(text: &str) -> Self {
        if text == "invitation" {
            Purpose::Invitation
        } else {
            Purpose::Reset
        }
    }
}

/// A link as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenedLink {
    /// Usable: the address it is for, and why it was sent.
    Usable {
        email: String,
        purpose: Purpose,
    },
    Used(Purpose),
    Expired(Purpose),
    Unknown,
}

fn token_for(config: &Config, link_id: &str) -> SecretToken {
    SecretToken::derive(&config.secret, "account-link", link_id, SESSION_TOKEN_BYTES)
}

/// Makes a link for the member and queues its mail, in the caller's transaction. Earlier
/// unused links of theirs stop working: only the newest mail counts.
async fn make_link(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    config: &Config,
    user_id: &str,
    purpose: Purpose,
    invited_by: Option<&str>,
    now: i64,
) -> AppResult<()> {
    let link_id = new_id();
    let hash = token_for(config, &link_id).hash();
    let lifetime = match purpose {
        Purpose::Reset => RESET_SECS,
        Purpose::Invitation => INVITATION_SECS,
    };
    db::retire_links_of(&mut **tx, user_id, now).await?;
    let link = NewLink {
        link_id: &link_id,
        token_hash: hash.as_str(),
        user_id,
        purpose: purpose.as_str(),
        invited_by,
        now,
        expires_at: now + lifetime,
    };
    db::insert_link(&mut **tx, &link).await?;
    db::queue_link_mail(&mut **tx, &link_id, user_id, now).await?;
    Ok(())
}

/// Sends a reset link to the account with this address, if there is one and it has not
/// had `RESETS_PER_HOUR` already. The caller answers the same whatever happens here (and
/// without waiting for it), so neither the words nor the time of the answer tell whether
/// an address has an account.
pub async fn request_reset(state: &AppState, email: &EmailAddress) -> AppResult<()> {
    let Some(user) = users_db::fetch_user_by_email(&state.db, email.as_str()).await? else {
        tracing::info!("password reset asked for an address without an account");
        return Ok(());
    };
    if let Some(sso) = state.config.sso.as_ref() {
        if !sso.allows_password(email.as_str()) {
            tracing::info!(
                user_id = user.user_id,
                "password reset not sent: single sign-on only"
            );
            return Ok(());
        }
    }
    let now = state.clock.now();
    if db::count_resets_since(&state.db, &user.user_id, now - 3600).await? >= RESETS_PER_HOUR {
        tracing::info!(
            user_id = user.user_id,
            "password reset not sent: hourly limit reached"
        );
        return Ok(());
    }
    let mut tx = state.db.begin_write().await?;
    make_link(
        &mut tx,
        &state.config,
        &user.user_id,
        Purpose::Reset,
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    tracing::info!(user_id = user.user_id, "password reset link queued");
    Ok(())
}

/// Invites a new member: their account exists at once, with the role the admin chose and
/// no password, and they get a link to choose one. Inviting someone whose invitation is
/// still waiting sends a fresh link (the old one stops working) and takes the new role.
pub async fn invite(
    state: &AppState,
    admin: &CurrentUser,
    email: &str,
    role: Role,
) -> AppResult<String> {
    let email = EmailAddress::parse(email).map_err(|m| AppError::field("email", m))?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let user_id = match users_db::fetch_user_by_email(&mut *tx, email.as_str()).await? {
        Some(user) if !user.password_hash.is_empty() => {
            return Err(AppError::field(
                "email",
                format!("{email} is already on the team."),
            ));
        }
        Some(user) => {
            users_db::update_user_role(&mut *tx, &user.user_id, role).await?;
            user.user_id
        }
        None => {
            let user_id = new_id();
            users_db::insert_user(&mut *tx, &user_id, email.as_str(), "", role, now).await?;
            user_id
        }
    };
    make_link(
        &mut tx,
        &state.config,
        &user_id,
        Purpose::Invitation,
        Some(&admin.user_id),
        now,
    )
    .await?;
    let subject = Some(Subject::member(&user_id));
    let detail = format!("{email} as {role}");
    record(
        &mut *tx,
        &admin.actor(),
        Action::MemberInvited,
        subject,
        &detail,
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    tracing::info!(by = admin.user_id, user_id, %role, "team member invited");
    Ok(user_id)
}

/// What a link from a mail leads to, as things stand.
pub async fn open(state: &AppState, token: &str) -> AppResult<OpenedLink> {
    let Some(token) = SecretToken::parse(token, SESSION_TOKEN_BYTES) else {
        return Ok(OpenedLink::Unknown);
    };
    let Some(link) = db::fetch_link_by_hash(&state.db, token.hash().as_str()).await? else {
        return Ok(OpenedLink::Unknown);
    };
    let purpose = Purpose::parse(&link.purpose);
    Ok(if link.used_at.is_some() {
        OpenedLink::Used(purpose)
    } else if link.expires_at <= state.clock.now() {
        OpenedLink::Expired(purpose)
    } else {
        OpenedLink::Usable {
            email: link.email,
            purpose,
        }
    })
}

/// Sets the member's password through a usable link, which then works no more. Every
/// session of theirs ends (whoever knew the old password is out) and a fresh one starts
/// for this browser; returns its `Set-Cookie` value.
pub async fn set_password(
    state: &AppState,
    token: &str,
    new: String,
    confirm: &str,
) -> AppResult<String> {
    let gone = || AppError::Conflict("This link no longer works. Ask for a new one.".into());
    let token = SecretToken::parse(token, SESSION_TOKEN_BYTES).ok_or(AppError::NotFound)?;
    let hash = token.hash();
    let link = db::fetch_link_by_hash(&state.db, hash.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let new = NewPassword::parse(new).map_err(|m| AppError::field("new_password", m))?;
    if new.expose() != confirm {
        return Err(AppError::Validation(vec![FieldError::new(
            "confirm_password",
            "The two passwords are not the same.",
        )]));
    }
    let password_hash = password::hash(&state.config, new.expose().to_string())
        .await
        .map_err(|_| AppError::Internal)?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    if !db::use_link(&mut *tx, &link.link_id, now).await? {
        return Err(gone());
    }
    users_db::update_password_hash(&mut *tx, &link.user_id, &password_hash).await?;
    db::retire_links_of(&mut *tx, &link.user_id, now).await?;
    users_db::delete_sessions_of(&mut *tx, &link.user_id).await?;
    let (action, detail) = match Purpose::parse(&link.purpose) {
        Purpose::Invitation => (Action::MemberJoined, "through their invitation"),
        Purpose::Reset => (Action::PasswordChanged, "through a reset link"),
    };
    let actor = Actor::Member(link.user_id.clone());
    let subject = Some(Subject::member(&link.user_id));
    record(&mut *tx, &actor, action, subject, detail, now).await?;
    tx.commit().await?;
    throttle::forgive(state, &throttle::ThrottleKey::account(state, &link.email)).await?;
    tracing::info!(
        user_id = link.user_id,
        purpose = link.purpose,
        "password set through a link"
    );
    session::start(state, &link.user_id).await
}

/// Forgets links that expired a month ago: the team page no longer needs them to say
/// an invitation expired, and nobody can use them.
pub async fn prune(db: &crate::db::Db, now: i64) -> AppResult<u64> {
    Ok(db::delete_old_links(db, now - 30 * 86_400).await?)
}

/// The mail of outbox message `message_id`, or None when its link is no longer usable
/// (a newer one replaced it, it was used, or it expired while the mail waited).
pub async fn compose(
    db: &crate::db::Db,
    config: &Config,
    message_id: &str,
    now: i64,
) -> AppResult<Option<Composed>> {
    let Some(link) = db::fetch_link_mail(db, message_id, now).await? else {
        return Ok(None);
    };
    if !link.usable {
        return Ok(None);
    }
    let token = token_for(config, &link.link_id);
    // Where passwords are off, an invitation says how to sign in instead of offering a
    // password nobody could use.
    let sso = config
        .sso
        .as_ref()
        .filter(|sso| !sso.allows_password(&link.email))
        .map(|sso| sso.name.as_str());
    let purpose = Purpose::parse(&link.purpose);
    let letter = Letter {
        purpose,
        link: match sso {
            Some(_) if purpose == Purpose::Invitation => config.team_link("/sign-in"),
            _ => config.team_link(&format!("/password/{}", token.expose())),
        },
        invited_by: link.invited_by.as_deref(),
        hours: (link.expires_at - now + 1799) / 3600,
        sso,
    };
    let mail = letter.render().map_err(|error| {
        tracing::error!(%error, "an account mail does not render");
        AppError::Internal
    })?;
    Ok(Some(Composed {
        from_name: None,
        message_id: message_id.to_string(),
        to_address: link.email,
        to_name: String::new(),
        unsubscribe_link: None,
        grants_access: true,
        mail,
    }))
}

struct Letter<'a> {
    purpose: Purpose,
    link: String,
    invited_by: Option<&'a str>,
    /// Hours the link still works, rounded.
    hours: i64,
    /// Single sign-on is the only way in: its button's name.
    sso: Option<&'a str>,
}

impl Letter<'_> {
    fn render(&self) -> Result<RenderedMail, minijinja::Error> {
        let invitation = self.purpose == Purpose::Invitation;
        let subject = if invitation {
            "You're invited to Soundings"
        } else {
            "Reset your Soundings password"
        };
        let lasts = match self.hours {
            h if h >= 48 => format!("{} days", h / 24),
            1 => "1 hour".to_string(),
            h => format!("{h} hours"),
        };
        let values = context! {
            subject, invitation, link => self.link, invited_by => self.invited_by, lasts,
            sso => self.sso,
        };
        let env = crate::distribution::sending::mail::environment();
        Ok(RenderedMail {
            text: env.render_str(TEXT_LAYOUT, &values)?,
            html: env
                .template_from_named_str("account.html", HTML_LAYOUT)?
                .render(&values)?,
            subject: subject.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(purpose: Purpose, hours: i64) -> RenderedMail {
        Letter {
            purpose,
            link: "https://surveys.example.org/password/abc".into(),
            invited_by: Some("ada@example.org"),
            hours,
            sso: None,
        }
        .render()
        .unwrap()
    }

    #[test]
    fn a_reset_mail_carries_its_link_and_says_how_long_it_works() {
        let mail = letter(Purpose::Reset, 1);
        assert_eq!(mail.subject, "Reset your Soundings password");
        assert!(mail
            .text
            .contains("https://surveys.example.org/password/abc"));
        assert!(mail.text.contains("1 hour"));
        // The HTML version escapes the link's slashes, as an attribute may.
        let html = mail.html.replace("&#x2f;", "/");
        assert!(html.contains("href=\"https://surveys.example.org/password/abc\""));
        assert!(!mail.text.contains("ada@example.org"));
    }

    #[test]
    fn an_invitation_names_who_sent_it_and_lasts_a_week() {
        let mail = letter(Purpose::Invitation, 168);
        assert_eq!(mail.subject, "You're invited to Soundings");
        assert!(mail.text.contains("ada@example.org"));
        assert!(mail.text.contains("7 days"));
        assert!(mail.html.contains("ada@example.org"));
    }

    #[test]
    fn where_passwords_are_off_an_invitation_says_how_to_sign_in_instead() {
        let mail = Letter {
            purpose: Purpose::Invitation,
            link: "https://surveys.example.org/sign-in".into(),
            invited_by: None,
            hours: 168,
            sso: Some("Corp ID"),
        }
        .render()
        .unwrap();
        assert!(mail.text.contains("Sign in with Corp ID"), "{}", mail.text);
        assert!(!mail.text.contains("password"), "{}", mail.text);
        assert!(mail.html.contains("Sign in with Corp ID"));
    }

    #[test]
    fn the_token_depends_on_the_server_secret_and_the_link() {
        let config = Config::default();
        let other = Config {
            secret: crate::server::token::ServerSecret::new(&[7; 32]).unwrap(),
            ..Config::default()
        };
        let a = token_for(&config, "link-1");
        assert_eq!(a.expose(), token_for(&config, "link-1").expose());
        assert_ne!(a.expose(), token_for(&config, "link-2").expose());
        assert_ne!(a.expose(), token_for(&other, "link-1").expose());
    }
}
