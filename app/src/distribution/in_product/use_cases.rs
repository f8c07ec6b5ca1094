//! The in-product channel's use cases: an editor turns it on and sets its origins and
//! snooze; the panel admits a signed-in user of the team's product to their own survey
//! page; the person closes the panel. Every front door (the Send step, `/api/v1`, the
//! `/w/...` routes) calls these.
use super::db;
use super::model::{ChannelCounts, FrameOrigin, InProduct};
use super::signature::{self, SECRET_BYTES};
use crate::audit::Actor;
use crate::db::{new_id, Db};
use crate::distribution::sending::{db as sending_db, tokens, use_cases::new_invitation};
use crate::email::EmailAddress;
use crate::error::{AppError, AppResult};
use crate::ids::SurveyId;
use crate::responses::access::not_answerable;
use crate::server::token::{hex, SecretToken, LINK_TOKEN_BYTES};
use crate::server::Config;
use crate::surveys::model::SurveyStatus;

/// Turning the channel on, making a new key and secret, or turning it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    /// On, keeping the current key and secret if there are any.
    On,
    /// A new key and secret: the old snippet and signatures stop working.
    Renew,
    Off,
}

impl Switch {
    pub fn parse(text: &str) -> Result<Self, AppError> {
        match text {
            "on" => Ok(Self::On),
            "renew" => Ok(Self::Renew),
            "off" => Ok(Self::Off),
            _ => Err(AppError::field("switch", "Choose on, renew or off.")),
        }
    }
}

/// What an editor changes; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelChange {
    pub switch: Option<Switch>,
    pub origins: Option<Vec<FrameOrigin>>,
    pub snooze_days: Option<i64>,
}

/// The channel as the Send step and the API show it; the secret only when `reveal`.
pub async fn load(
    db: &Db,
    config: &Config,
    survey_id: &SurveyId,
    reveal: bool,
) -> AppResult<InProduct> {
    let (key, secret, origins, snooze_days) = db::fetch_settings(db, survey_id.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(InProduct {
        key,
        secret: secret.filter(|_| reveal),
        origins: origins.split_whitespace().map(str::to_string).collect(),
        snooze_days,
        base_url: config.base_url.trim_end_matches('/').to_string(),
        counts: protected(db, config, survey_id).await?,
    })
}

/// The channel's counts; in an anonymous survey shown to fewer people than the small-group
/// minimum, only how many were shown (who closed it or answered would say who answered).
async fn protected(db: &Db, config: &Config, survey_id: &SurveyId) -> AppResult<ChannelCounts> {
    let counts = db::fetch_counts(db, survey_id.as_str()).await?;
    let anonymous = db::fetch_is_anonymous(db, survey_id.as_str()).await?;
    Ok(if anonymous && counts.shown < config.small_group_min {
        ChannelCounts {
            shown: counts.shown,
            hidden: true,
            ..ChannelCounts::default()
        }
    } else {
        counts
    })
}

/// Applies an editor's change. A closed survey can be turned off but not on.
pub async fn change(
    db: &Db,
    survey_id: &SurveyId,
    change: &ChannelChange,
    by: &Actor,
    now: i64,
) -> AppResult<()> {
    let status = crate::surveys::db::fetch_survey_status(db, survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (key, secret, origins, snooze_days) = db::fetch_settings(db, survey_id.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let turning_on = matches!(change.switch, Some(Switch::On | Switch::Renew));
    if turning_on && status == SurveyStatus::Closed {
        return Err(AppError::Conflict(
            "This survey is closed, so the panel would take no answers. Reopen it first.".into(),
        ));
    }
    let (key, secret) = match change.switch {
        None => (key, secret),
        Some(Switch::Off) => (None, None),
        Some(Switch::On) if key.is_some() && secret.is_some() => (key, secret),
        Some(Switch::On | Switch::Renew) => (
            Some(
                SecretToken::generate(LINK_TOKEN_BYTES)?
                    .expose()
                    .to_string(),
            ),
            Some(new_secret()?),
        ),
    };
    let origins = match &change.origins {
        Some(list) => list
            .iter()
            .map(FrameOrigin::as_str)
            .collect::<Vec<_>>()
            .join(" "),
        None => origins,
    };
    let snooze_days = change.snooze_days.unwrap_or(snooze_days);
    db::update_settings(db, survey_id.as_str(), &(key, secret, origins, snooze_days)).await?;
    let detail = match change.switch {
        Some(Switch::On) => "in-product panel: on",
        Some(Switch::Off) => "in-product panel: off",
        Some(Switch::Renew) => "in-product panel: key renewed",
        None => "in-product panel: sites or snooze",
    };
    let subject = Some(crate::audit::model::Subject::survey(survey_id));
    let action = crate::audit::Action::SettingsChanged;
    crate::audit::record::record(db, by, action, subject, detail, now).await?;
    tracing::info!(survey_id = %survey_id, by = %by, ?change.switch, "in-product channel changed");
    Ok(())
}

fn new_secret() -> AppResult<String> {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes).map_err(|_| AppError::Internal)?;
    Ok(format!("sps_{}", hex(&bytes)))
}

/// How the person arrived: the panel the product shows by itself, or the link they chose
/// to follow (which a closed panel's snooze does not hold back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    Panel,
    Link,
}

/// What the host page passed for its signed-in user.
pub struct Visitor<'a> {
    pub key: &'a str,
    pub email: &'a str,
    pub signature: &'a str,
}

/// Lets a signed-in user of the team's product into their own survey page, if the
/// signature is right and they may be asked now: the survey is open, they are subscribed,
/// they have not completed it, not closed the panel within the snooze, and (when new to
/// this survey) no other survey reached them within the quiet period. Their invitation is
/// found or made (channel `in_product`, never mailed unasked) and the first showing noted.
/// Returns their personal link's token, or `None` with nothing written.
pub async fn admit(
    db: &Db,
    config: &Config,
    visitor: &Visitor<'_>,
    arrival: Arrival,
    now: i64,
) -> AppResult<Option<SecretToken>> {
    if visitor.key.len() > 64 {
        return Ok(None);
    }
    let Some((survey_id, status, closes_at, secret, snooze_days)) =
        db::fetch_target(db, visitor.key).await?
    else {
        return Ok(None);
    };
    if !signature::verify(&secret, visitor.email, visitor.signature) {
        return Ok(None);
    }
    let Ok(email) = EmailAddress::parse(visitor.email) else {
        return Ok(None);
    };
    let status = status.parse().unwrap_or(SurveyStatus::Closed);
    if not_answerable(status, closes_at, "", now).is_some() {
        return Ok(None);
    }
    let mut tx = db.begin_write().await?;
    let contact_id = sending_db::upsert_contact(&mut tx, &new_id(), email.as_str(), now).await?;
    let (_, unsubscribed, invitation_id, completed_at, dismissed_at, left_at) =
        db::fetch_standing(&mut tx, &survey_id, &contact_id).await?;
    let snoozed = dismissed_at.is_some_and(|at| at + snooze_days * 86_400 > now);
    if unsubscribed != 0
        || completed_at.is_some()
        || left_at.is_some()
        || (snoozed && arrival == Arrival::Panel)
    {
        return Ok(None);
    }
    let invitation_id = match invitation_id {
        Some(id) => id,
        None => {
            let quiet_since = now - config.quiet_period_days * 86_400;
            if db::asked_elsewhere_since(&mut tx, &survey_id, &contact_id, quiet_since).await? {
                return Ok(None);
            }
            let row = new_invitation(config, &contact_id);
            // Another of this person's tabs made it in the meantime (PostgreSQL): that
            // one shows the panel.
            if !sending_db::insert_invitation(&mut *tx, &survey_id, &row, now).await? {
                return Ok(None);
            }
            db::mark_channel_in_product(&mut tx, &row.invitation_id).await?;
            row.invitation_id
        }
    };
    db::mark_shown(&mut tx, &invitation_id, now).await?;
    tx.commit().await?;
    tracing::info!(survey_id = %survey_id, ?arrival, "in-product survey shown");
    Ok(Some(tokens::survey_token(config, &invitation_id)))
}

/// The person behind a link closed the panel: it stays away for the survey's snooze.
/// Returns those days and the origins that may frame the answer, or `None` for a link that
/// opens nothing.
pub async fn dismiss(db: &Db, token: &str, now: i64) -> AppResult<Option<(i64, String)>> {
    let Some(token) = SecretToken::parse(token, LINK_TOKEN_BYTES) else {
        return Ok(None);
    };
    Ok(db::mark_dismissed(db, token.hash().as_str(), now).await?)
}
