//! SQL for choosing a survey's recipients from the contacts: by tier, community and tag,
//! leaving out the unsubscribed, the undeliverable, the already invited, (unless
//! overridden) anyone sent a survey within the quiet period, and anyone at the 30-day cap.
use serde::Deserialize;
use sqlx::{Any, Executor};

/// Which contacts to invite; an empty field means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Selection {
    #[serde(default)]
    pub tier: String,
    #[serde(default)]
    pub community: String,
    #[serde(default)]
    pub tag: String,
    /// Include contacts surveyed within the quiet period too.
    #[serde(default)]
    pub override_quiet: Option<String>,
}

impl Selection {
    pub fn overrides_quiet(&self) -> bool {
        self.override_quiet.is_some()
    }
}

/// How often one person may be asked: no message for another survey within the quiet
/// period (unless the editor includes them), and at most `cap` messages in 30 days
/// (0: no cap). Messages count when they left: invitations and reminders alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frequency {
    pub quiet_since: i64,
    pub cap_since: i64,
    pub cap: i64,
}

/// What a selection would do, counted before anything is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub matching: i64,
    pub unsubscribed: i64,
    /// Their address bounced for good.
    pub undeliverable: i64,
    pub already_invited: i64,
    pub quiet: i64,
    /// Sent the most messages the 30-day cap allows.
    pub capped: i64,
    pub to_invite: i64,
}

/// Messages that left for a contact (`c`): invitations and reminders the mail server took.
/// Read through a contact's invitations (`invitations_contact`) and then each one's outbox
/// rows (`outbox_invitation`): `CROSS JOIN` keeps SQLite on that order, and `|| ''` and
/// `+ 0` keep it off `outbox_sent`, which it otherwise range-scanned over every recent
/// message once per contact. Queueing 10,000 contacts mailed minutes before took 90 s that
/// way (bench/drain_run, stop 31); the subquery alone went from 42 s to 0.06 s. Both
/// expressions mean the same on PostgreSQL, which plans the join itself.
const SENT_TO_CONTACT: &str = "FROM invitations i CROSS JOIN outbox o \
     WHERE o.invitation_id = i.invitation_id AND i.contact_id = c.contact_id \
     AND o.status || '' = 'sent' AND o.kind IN ('invitation', 'reminder')";

/// The contacts a selection matches, with why each would or would not be invited:
/// (contact id, unsubscribed, undeliverable, already invited, sent a message for another
/// survey within the quiet period, by email or by its panel in the team's product, messages
/// sent within the cap's 30 days).
fn matches_sql() -> String {
    format!(
        "SELECT c.contact_id, \
         CASE WHEN c.unsubscribed_at IS NULL THEN 0 ELSE 1 END, \
         CASE WHEN c.undeliverable_at IS NULL THEN 0 ELSE 1 END, \
         CASE WHEN EXISTS (SELECT 1 FROM invitations i WHERE i.contact_id = c.contact_id \
           AND i.survey_id = $4) THEN 1 ELSE 0 END, \
         CASE WHEN EXISTS (SELECT 1 {SENT_TO_CONTACT} AND i.survey_id <> $4 AND o.sent_at + 0 >= $5) \
           OR EXISTS (SELECT 1 FROM invitations i WHERE i.contact_id = c.contact_id \
             AND i.survey_id <> $4 AND i.shown_at >= $5) \
           THEN 1 ELSE 0 END, \
         (SELECT COUNT(*) {SENT_TO_CONTACT} AND o.sent_at + 0 >= $6) \
         FROM contacts c LEFT JOIN communities cm ON cm.community_id = c.community_id \
         WHERE c.erased_at IS NULL \
         AND ($1 = '' OR cm.tier_id = $1) AND ($2 = '' OR c.community_id = $2) \
         AND ($3 = '' OR EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.contact_id \
           AND t.tag = $3)) \
         AND ($7 = '' OR c.email = $7)"
    )
}

type MatchRow = (String, i64, i64, i64, i64, i64);

async fn fetch_matches(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    selection: &Selection,
    email: &str,
    frequency: &Frequency,
) -> sqlx::Result<Vec<MatchRow>> {
    sqlx::query_as(&matches_sql())
        .bind(selection.tier.trim())
        .bind(selection.community.trim())
        .bind(selection.tag.trim().to_lowercase())
        .bind(survey_id)
        .bind(frequency.quiet_since)
        .bind(frequency.cap_since)
        .bind(email)
        .fetch_all(db)
        .await
}

/// Why a contact would not be invited, in the order the rules are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    Unsubscribed,
    Undeliverable,
    AlreadyInvited,
    Quiet,
    Capped,
}

impl LeftOut {
    /// Why, in words, for one address the team pasted.
    pub fn reason(self, quiet_days: i64, cap: i64) -> String {
        match self {
            Self::Unsubscribed => "unsubscribed: never invited".into(),
            Self::Undeliverable => {
                "the address bounced for good: cleared on the Contacts page".into()
            }
            Self::AlreadyInvited => "already invited to this survey".into(),
            Self::Quiet => format!("sent a survey in the last {quiet_days} days"),
            Self::Capped => format!("sent {cap} messages in the last 30 days, the most allowed"),
        }
    }
}

fn left_out(row: &MatchRow, overrides_quiet: bool, frequency: &Frequency) -> Option<LeftOut> {
    let (_, unsubscribed, undeliverable, invited, quiet, sent) = row;
    if *unsubscribed != 0 {
        Some(LeftOut::Unsubscribed)
    } else if *undeliverable != 0 {
        Some(LeftOut::Undeliverable)
    } else if *invited != 0 {
        Some(LeftOut::AlreadyInvited)
    } else if *quiet != 0 && !overrides_quiet {
        Some(LeftOut::Quiet)
    } else if frequency.cap > 0 && *sent >= frequency.cap {
        Some(LeftOut::Capped)
    } else {
        None
    }
}

/// Counts what inviting the selection would do, and the ids of those it would invite.
pub async fn plan_selection(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    selection: &Selection,
    frequency: &Frequency,
) -> sqlx::Result<(Counts, Vec<String>)> {
    let rows = fetch_matches(db, survey_id, selection, "", frequency).await?;
    let mut counts = Counts {
        matching: rows.len() as i64,
        ..Counts::default()
    };
    let mut invite = Vec::new();
    for row in rows {
        match left_out(&row, selection.overrides_quiet(), frequency) {
            Some(LeftOut::Unsubscribed) => counts.unsubscribed += 1,
            Some(LeftOut::Undeliverable) => counts.undeliverable += 1,
            Some(LeftOut::AlreadyInvited) => counts.already_invited += 1,
            Some(LeftOut::Quiet) => counts.quiet += 1,
            Some(LeftOut::Capped) => counts.capped += 1,
            None => invite.push(row.0),
        }
    }
    counts.to_invite = invite.len() as i64;
    Ok((counts, invite))
}

/// Why one contact (by address) would be left out of this survey, if they would be.
pub async fn check_contact(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    email: &str,
    overrides_quiet: bool,
    frequency: &Frequency,
) -> sqlx::Result<Option<LeftOut>> {
    let rows = fetch_matches(db, survey_id, &Selection::default(), email, frequency).await?;
    Ok(rows
        .first()
        .and_then(|row| left_out(row, overrides_quiet, frequency)))
}
