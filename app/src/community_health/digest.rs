//! The weekly community digest: every Monday at 08:00 in the team's time zone, each team
//! member who opted in gets an email with the communities at risk (theirs first), those
//! new on the list and those off it since the week before, and engagement. It goes through
//! the outbox like every other message, so a crash or a mail server that is down delays
//! it and loses nothing; its message id names the member and the week, so no instance
//! and no retry sends a week's digest twice.
use super::digest_db as db;
use super::health::{self, Scope};
use super::model::{AtRisk, DigestSetting};
use crate::distribution::sending::mail::RenderedMail;
use crate::distribution::sending::outbox::Composed;
use crate::error::{AppError, AppResult};
use crate::local_time::Zone;
use crate::monitoring::baseline_model::Share;
use crate::monitoring::engagement::engagement_in;
use crate::server::token::{SecretToken, LINK_TOKEN_BYTES};
use crate::server::Config;
use minijinja::context;
use serde::Serialize;
use std::collections::HashSet;

/// The hour of Monday, in the team's time zone, at which the week's digest is due.
pub const SEND_HOUR: i8 = 8;
/// Communities listed by name; the rest are counted, with a link to the page.
pub const LISTED: usize = 10;
const WEEK: i64 = 7 * 86_400;

const HTML_LAYOUT: &str = include_str!("../../templates/digest.html");
const TEXT_LAYOUT: &str = include_str!("../../templates/digest.txt");

/// The member's digest as the communities page shows it.
pub async fn setting(
    db: &crate::db::Db,
    zone: &Zone,
    user_id: &str,
    now: i64,
) -> AppResult<DigestSetting> {
    let (email, since) = db::fetch_choice(db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // This week's digest has gone (or is going) to a member who opted in before the week
    // began, and one who opts in now starts with next week's: next Monday, either way.
    let next_at = zone
        .week_start(now + WEEK, SEND_HOUR)
        .map_or(now + WEEK, |(start, _)| start);
    Ok(DigestSetting {
        on: since.is_some(),
        email,
        next_at,
        zone: zone.name().to_string(),
    })
}

/// Turns the member's own digest on or off.
pub async fn choose(db: &crate::db::Db, user_id: &str, on: bool, now: i64) -> AppResult<()> {
    let found = if on {
        db::opt_in(db, user_id, now).await?
    } else {
        db::opt_out(db, user_id).await?
    };
    found.then_some(()).ok_or(AppError::NotFound)
}

/// Queues the current week's digests once the week has begun; returns how many were
/// queued. The outbox worker calls it on every tick: all but the first call of a week
/// queue nothing.
pub async fn queue_due(db: &crate::db::Db, zone: &Zone, now: i64) -> AppResult<u64> {
    let Some((start, week)) = zone.week_start(now, SEND_HOUR) else {
        return Ok(0);
    };
    Ok(db::queue_week(db, &week, start, now).await?)
}

/// The digest for the outbox message `message_id`, composed as things stand now; None
/// when it is no longer wanted (the member opted out after it was queued) or is not a
/// digest. `writes` keeps the week's list (the scope reads from the read-only pool).
pub async fn compose(
    scope: Scope<'_>,
    writes: &crate::db::Db,
    config: &Config,
    message_id: &str,
) -> AppResult<Option<Composed>> {
    let Some((user_id, email, Some(_))) = db::fetch_recipient(writes, message_id).await? else {
        return Ok(None);
    };
    let at_risk = health::at_risk(scope).await?;
    let week = scope
        .zone
        .week_start(scope.now, SEND_HOUR)
        .map(|(_, label)| label)
        .unwrap_or_default();
    let ids: Vec<String> = at_risk.iter().map(|r| r.community_id.clone()).collect();
    db::record_week(writes, &week, &ids, scope.now).await?;
    let before = db::fetch_week_before(writes, &week)
        .await?
        .map(|(week, ids)| (week, ids.into_iter().collect()));
    let (engagement, _) =
        engagement_in(scope.db, scope.now - scope.window_days * 86_400, scope.now).await?;
    let letter = Letter {
        week,
        recipient: &email,
        at_risk: &at_risk,
        before,
        engagement: &engagement,
        window_days: scope.window_days,
        communities_link: config.team_link("/communities"),
        stop_link: stop_link(config, &user_id),
    };
    let mail = letter.render().map_err(|error| {
        tracing::error!(%error, "the digest does not render");
        AppError::Internal
    })?;
    Ok(Some(Composed {
        from_name: None,
        message_id: message_id.to_string(),
        to_address: email.clone(),
        to_name: String::new(),
        unsubscribe_link: Some(letter.stop_link.clone()),
        grants_access: false,
        mail,
    }))
}

/// The link in every digest that stops it, without signing in (and through a mail
/// client's one-click unsubscribe). It names the member and carries a token derived from
/// the server's secret, so nobody can make one for someone else.
pub fn stop_link(config: &Config, user_id: &str) -> String {
    let token = stop_token(config, user_id);
    config.team_link(&format!("/digest/stop/{user_id}/{}", token.expose()))
}

fn stop_token(config: &Config, user_id: &str) -> SecretToken {
    SecretToken::derive(&config.secret, "digest-stop", user_id, LINK_TOKEN_BYTES)
}

/// Stops the digest of the member a stop link names, if its token is theirs; returns the
/// member's address, or None for a link that is not genuine.
pub async fn stop_by_link(
    db: &crate::db::Db,
    config: &Config,
    user_id: &str,
    token: &str,
    stop: bool,
) -> AppResult<Option<(String, bool)>> {
    let Some(given) = SecretToken::parse(token, LINK_TOKEN_BYTES) else {
        return Ok(None);
    };
    // Compared as hashes: equal-length digests, so the comparison tells nothing useful.
    if given.hash() != stop_token(config, user_id).hash() {
        return Ok(None);
    }
    if stop {
        db::opt_out(db, user_id).await?;
    }
    Ok(db::fetch_choice(db, user_id)
        .await?
        .map(|(email, since)| (email, since.is_some())))
}

/// One week's letter to one member.
struct Letter<'a> {
    /// The Monday the week began, YYYY-MM-DD.
    week: String,
    recipient: &'a str,
    at_risk: &'a [AtRisk],
    /// The last digest's week and who was at risk then; None before the first.
    before: Option<(String, HashSet<String>)>,
    engagement: &'a Share,
    window_days: i64,
    communities_link: String,
    stop_link: String,
}

#[derive(Serialize)]
struct Entry {
    name: String,
    tier: String,
    link: String,
    reasons: Vec<String>,
    renews_on: Option<String>,
    owner: Option<String>,
    yours: bool,
    new: bool,
}

impl Letter<'_> {
    fn render(&self) -> Result<RenderedMail, minijinja::Error> {
        let mut entries: Vec<Entry> = self
            .at_risk
            .iter()
            .map(|row| Entry {
                name: row.name.clone(),
                tier: row.tier.clone(),
                link: format!("{}/{}", self.communities_link, row.community_id),
                reasons: row.reasons.iter().map(|r| r.words()).collect(),
                renews_on: row.renews_on.clone(),
                yours: row
                    .owner
                    .as_deref()
                    .is_some_and(|o| o.eq_ignore_ascii_case(self.recipient)),
                owner: row.owner.clone(),
                new: self
                    .before
                    .as_ref()
                    .is_some_and(|(_, ids)| !ids.contains(&row.community_id)),
            })
            .collect();
        // The member's own communities first; the list's order (heaviest risk) otherwise.
        entries.sort_by_key(|e| !e.yours);
        let new = entries.iter().filter(|e| e.new).count();
        let now_ids: HashSet<&str> = self
            .at_risk
            .iter()
            .map(|r| r.community_id.as_str())
            .collect();
        let left = self.before.as_ref().map_or(0, |(_, ids)| {
            ids.iter()
                .filter(|id| !now_ids.contains(id.as_str()))
                .count()
        });
        let since = self.before.as_ref().map(|(week, _)| week.clone());
        let total = entries.len();
        let more = total.saturating_sub(LISTED);
        entries.truncate(LISTED);
        let subject = match (total, new, &since) {
            (0, ..) => "Community digest: no community at risk this week".to_string(),
            (n, _, None) => format!("Community digest: {n} at risk"),
            (n, 0, Some(_)) => format!("Community digest: {n} at risk, none new"),
            (n, k, Some(_)) => format!("Community digest: {n} at risk, {k} new"),
        };
        let engagement = match self.engagement.estimate {
            Some(e) => format!(
                "{:.0}% of the communities invited in the last {} days answered at least once ({} of {}; 95% interval {:.0} to {:.0}).",
                e.value, self.window_days, self.engagement.engaged, self.engagement.invited, e.low, e.high
            ),
            None => format!("No community was invited in the last {} days.", self.window_days),
        };
        let values = context! {
            subject, week => self.week, engagement, entries, more, total, new, left, since,
            communities_link => self.communities_link, stop_link => self.stop_link,
        };
        // Community names and reasons are placed as text: the HTML version escapes them.
        let env = crate::distribution::sending::mail::environment();
        Ok(RenderedMail {
            text: env.render_str(TEXT_LAYOUT, &values)?,
            html: env
                .template_from_named_str("digest.html", HTML_LAYOUT)?
                .render(&values)?,
            subject: env.render_str("{{ subject }}", &values)?,
        })
    }
}
