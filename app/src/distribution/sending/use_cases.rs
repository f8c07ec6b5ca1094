//! Sending a survey, written once for every front door: invite a selection of contacts
//! and queue their emails, queue the invitations of people chosen on the page, add pasted
//! addresses, and remind everyone who has not answered. Each checks, in the transaction
//! that writes, that the survey may send; the outbox worker does the sending, so the
//! adapter that runs in the server wakes it after a use case returns.
use crate::audit::model::Subject;
use crate::audit::record::record;
use crate::audit::{Action, Actor};
use crate::db::{new_id, Backend, Db};
use crate::distribution::sending::choose_db::{
    check_contact, plan_selection, Counts, Frequency, LeftOut, Selection,
};
use crate::distribution::sending::links_page::Added;
use crate::distribution::{
    sending::db, sending::outbox, sending::reminders, sending::send_db, sending::tokens,
};
use crate::email::EmailAddress;
use crate::error::{AppError, AppResult, FieldError};
use crate::ids::SurveyId;
use crate::server::Config;
use crate::surveys::lifecycle::{require_not_closed, require_open, NeedsOpen};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};
use std::collections::BTreeSet;
use utoipa::ToSchema;

/// Who to invite: contacts in any of `tiers` (names or ids; all tiers when empty), in
/// `community` and with `tag` when given.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Recipients {
    #[serde(default)]
    pub tiers: Vec<String>,
    pub community: Option<String>,
    pub tag: Option<String>,
    /// Also invite contacts surveyed within the quiet period.
    #[serde(default)]
    pub include_recently_surveyed: bool,
    /// Send now, ignoring the survey's sending window (for urgent cases).
    #[serde(default)]
    pub ignore_window: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SendOut {
    /// Contacts given a personal link by this call.
    pub invited: i64,
    /// Invitation emails queued by this call (the outbox sends them).
    pub queued: u64,
    /// The contacts the selection matched but left out, by reason.
    pub left_out: LeftOutCounts,
}

/// How many matching contacts a selection left out, and why.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LeftOutCounts {
    pub already_invited: i64,
    pub unsubscribed: i64,
    /// Their address bounced for good.
    pub undeliverable: i64,
    /// Sent a survey within the quiet period.
    pub quiet: i64,
    /// Sent the most messages the 30-day cap allows.
    pub capped: i64,
}

impl LeftOutCounts {
    fn add(&mut self, counts: &Counts) {
        self.already_invited += counts.already_invited;
        self.unsubscribed += counts.unsubscribed;
        self.undeliverable += counts.undeliverable;
        self.quiet += counts.quiet;
        self.capped += counts.capped;
    }
}

/// Invites the recipients of an open survey and queues every unsent invitation email of
/// it, in one transaction.
#[tracing::instrument(name = "send_to_selection", skip_all, fields(survey_id = %survey_id))]
pub async fn send_to_selection(
    db: &Db,
    config: &Config,
    survey_id: &SurveyId,
    recipients: &Recipients,
    by: &Actor,
    now: i64,
) -> AppResult<SendOut> {
    let mut tx = db.begin_write().await?;
    let backend = db.backend();
    let out =
        send_to_selection_in(&mut tx, backend, config, survey_id, recipients, by, now).await?;
    tx.commit().await?;
    count_send(out.queued);
    Ok(out)
}

/// Counts a committed send, and the invitation emails it queued, for `/metrics`.
pub fn count_send(queued: u64) {
    metrics::counter!("soundings_sends_total").increment(1);
    metrics::counter!("soundings_invitations_queued_total").increment(queued);
}

/// `send_to_selection` inside the caller's transaction (the release flow's); the caller
/// counts it (`count_send`) once committed.
pub async fn send_to_selection_in(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    config: &Config,
    survey_id: &SurveyId,
    recipients: &Recipients,
    by: &Actor,
    now: i64,
) -> AppResult<SendOut> {
    require_open(&mut **tx, survey_id, NeedsOpen::Invitations, now).await?;
    let frequency = frequency(config, now);
    let mut contacts = BTreeSet::new();
    let mut left_out = LeftOutCounts::default();
    for selection in selections(tx, recipients).await? {
        let (counts, ids) = plan_selection(&mut **tx, survey_id, &selection, &frequency).await?;
        left_out.add(&counts);
        contacts.extend(ids);
    }
    let rows = new_invitations(config, &contacts);
    let written = send_db::invite_and_queue(tx, backend, survey_id, &rows, now).await?;
    if recipients.ignore_window {
        outbox::mark_urgent(tx, survey_id, "invitation", now).await?;
    }
    let detail = format!(
        "{} invited, {} invitations queued",
        written.invited, written.queued
    );
    let subject = Some(Subject::survey(survey_id));
    record(&mut **tx, by, Action::SurveySent, subject, &detail, now).await?;
    tracing::info!(
        survey_id = %survey_id,
        by = %by,
        invited = written.invited,
        queued = written.queued,
        "invitations queued for a selection"
    );
    Ok(SendOut {
        invited: written.invited,
        queued: written.queued,
        left_out,
    })
}

/// The selections these recipients stand for: one per tier, each tier and the community
/// named by id or by name. An unknown name is a field error, before anything is written.
async fn selections(
    tx: &mut Transaction<'_, Any>,
    recipients: &Recipients,
) -> AppResult<Vec<Selection>> {
    let community = match recipients
        .community
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        Some(name) => db::fetch_community_id(&mut **tx, name.trim())
            .await?
            .ok_or_else(|| unknown("community", "community", name))?,
        None => String::new(),
    };
    let mut tiers = Vec::new();
    for name in &recipients.tiers {
        tiers.push(
            db::fetch_tier_id(&mut **tx, name.trim())
                .await?
                .ok_or_else(|| unknown("tiers", "tier", name))?,
        );
    }
    if tiers.is_empty() {
        tiers.push(String::new());
    }
    let override_quiet = recipients
        .include_recently_surveyed
        .then(|| "on".to_string());
    Ok(tiers
        .into_iter()
        .map(|tier| Selection {
            tier,
            community: community.clone(),
            tag: recipients.tag.clone().unwrap_or_default(),
            override_quiet: override_quiet.clone(),
        })
        .collect())
}

/// The contact-frequency rules at `now`: the quiet period and the 30-day cap.
pub fn frequency(config: &Config, now: i64) -> Frequency {
    Frequency {
        quiet_since: now - config.quiet_period_days * 86_400,
        cap_since: now - 30 * 86_400,
        cap: config.contact_cap_per_30_days,
    }
}

fn unknown(field: &str, what: &str, name: &str) -> AppError {
    AppError::field(
        field,
        format!("There is no {what} called “{}”.", name.trim()),
    )
}

/// Queues the invitation email of everyone chosen on the survey's page and not sent one
/// yet; returns how many were queued.
#[tracing::instrument(name = "queue_chosen", skip_all, fields(survey_id = %survey_id))]
pub async fn queue_chosen(
    db: &Db,
    survey_id: &SurveyId,
    ignore_window: bool,
    by: &Actor,
    now: i64,
) -> AppResult<u64> {
    let mut tx = db.begin_write().await?;
    require_open(&mut *tx, survey_id, NeedsOpen::Invitations, now).await?;
    let queued = outbox::queue_invitations(&mut tx, survey_id, now).await?;
    if ignore_window {
        outbox::mark_urgent(&mut tx, survey_id, "invitation", now).await?;
    }
    let detail = format!("{queued} invitations queued");
    let subject = Some(Subject::survey(survey_id));
    record(&mut *tx, by, Action::SurveySent, subject, &detail, now).await?;
    tx.commit().await?;
    count_send(queued);
    tracing::info!(survey_id = %survey_id, by = %by, queued, "invitations queued");
    Ok(queued)
}

/// Queues a reminder now for everyone sent the invitation who has not answered; returns
/// how many.
#[tracing::instrument(name = "remind_now", skip_all, fields(survey_id = %survey_id))]
pub async fn remind_now(
    db: &Db,
    survey_id: &SurveyId,
    ignore_window: bool,
    by: &Actor,
    now: i64,
) -> AppResult<u64> {
    let mut tx = db.begin_write().await?;
    require_open(&mut *tx, survey_id, NeedsOpen::Reminders, now).await?;
    let queued = reminders::queue_reminders(&mut tx, survey_id, now, None, 0).await?;
    if ignore_window {
        outbox::mark_urgent(&mut tx, survey_id, "reminder", now).await?;
    }
    let detail = format!("{queued} reminders queued");
    let subject = Some(Subject::survey(survey_id));
    record(&mut *tx, by, Action::SurveyReminded, subject, &detail, now).await?;
    tx.commit().await?;
    tracing::info!(survey_id = %survey_id, by = %by, queued, "reminders queued");
    Ok(queued)
}

/// Invites the contacts a selection chooses (without queuing their emails: the page
/// sends them with "Send invitations"); returns how many were new.
#[tracing::instrument(name = "invite_selection", skip_all, fields(survey_id = %survey_id))]
pub async fn invite_selection(
    db: &Db,
    config: &Config,
    survey_id: &SurveyId,
    selection: &Selection,
    by: &Actor,
    now: i64,
) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    require_not_closed(&mut *tx, survey_id, now).await?;
    let frequency = frequency(config, now);
    let (_, contact_ids) = plan_selection(&mut *tx, survey_id, selection, &frequency).await?;
    let rows = new_invitations(config, &contact_ids);
    let invited = db::insert_invitations(&mut tx, db.backend(), survey_id, &rows, now).await?;
    let detail = format!("{invited} chosen from the contacts");
    let subject = Some(Subject::survey(survey_id));
    record(&mut *tx, by, Action::RecipientsAdded, subject, &detail, now).await?;
    tx.commit().await?;
    tracing::info!(survey_id = %survey_id, by = %by, invited, "recipients chosen from contacts");
    Ok(invited)
}

/// Invites pasted addresses (creating contacts for new ones), each with a personal link
/// the team may also pass on by hand. The whole list is checked first: one bad address
/// refuses it all, naming each problem.
#[tracing::instrument(name = "add_pasted", skip_all, fields(survey_id = %survey_id))]
pub async fn add_pasted(
    db: &Db,
    config: &Config,
    survey_id: &SurveyId,
    text: &str,
    include_recently_surveyed: bool,
    by: &Actor,
    now: i64,
) -> AppResult<Added> {
    let mut tx = db.begin_write().await?;
    require_not_closed(&mut *tx, survey_id, now).await?;
    let addresses: Vec<EmailAddress> =
        crate::distribution::parse_recipient_list(text).map_err(|errors| {
            AppError::Validation(
                errors
                    .into_iter()
                    .map(|m| FieldError::new("emails", m))
                    .collect(),
            )
        })?;
    let mut added = Added {
        survey_id: survey_id.to_string(),
        links: Vec::new(),
        already_invited: Vec::new(),
        left_out: Vec::new(),
    };
    let frequency = frequency(config, now);
    for email in addresses {
        let contact_id = db::upsert_contact(&mut tx, &new_id(), email.as_str(), now).await?;
        // The same rules as choosing from the contacts: a pasted address is no way round
        // an unsubscribe, a dead address, the quiet period or the cap.
        let rules = check_contact(
            &mut *tx,
            survey_id,
            email.as_str(),
            include_recently_surveyed,
            &frequency,
        )
        .await?;
        match rules {
            Some(LeftOut::AlreadyInvited) => {
                added.already_invited.push(email.to_string());
                continue;
            }
            Some(reason) => {
                let why = reason.reason(config.quiet_period_days, frequency.cap);
                added.left_out.push((email.to_string(), why));
                continue;
            }
            None => {}
        }
        let row = new_invitation(config, &contact_id);
        if db::insert_invitation(&mut *tx, survey_id, &row, now).await? {
            let token = tokens::survey_token(config, &row.invitation_id);
            added
                .links
                .push((email.to_string(), config.survey_link(token.expose())));
        } else {
            added.already_invited.push(email.to_string());
        }
    }
    if !added.links.is_empty() {
        let detail = format!("{} pasted", added.links.len());
        let subject = Some(Subject::survey(survey_id));
        record(&mut *tx, by, Action::RecipientsAdded, subject, &detail, now).await?;
    }
    tx.commit().await?;
    tracing::info!(survey_id = %survey_id, by = %by, added = added.links.len(), "recipients added");
    Ok(added)
}

/// A new invitation, with the hashes of its derived tokens, for each contact.
pub fn new_invitations<'a>(
    config: &Config,
    contact_ids: impl IntoIterator<Item = &'a String>,
) -> Vec<db::NewInvitation> {
    contact_ids
        .into_iter()
        .map(|contact_id| new_invitation(config, contact_id))
        .collect()
}

/// A new invitation id and the hashes of the two tokens derived from it.
pub(crate) fn new_invitation(config: &Config, contact_id: &str) -> db::NewInvitation {
    let invitation_id = new_id();
    db::NewInvitation {
        token_hash: tokens::survey_token(config, &invitation_id).hash(),
        unsubscribe_hash: tokens::unsubscribe_token(config, &invitation_id).hash(),
        contact_id: contact_id.to_string(),
        invitation_id,
    }
}
