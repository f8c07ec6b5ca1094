//! Taking in one message from the bounce mailbox, written once for every poller.
use crate::db::Db;
use crate::distribution::intake::db::{self, Claim};
use crate::distribution::intake::model::Outcome;
use crate::distribution::intake::report::{self, Report};
use crate::distribution::sending::db as sending_db;
use crate::distribution::sending::outbox;
use crate::error::AppResult;

/// How long an instance holds a message it is processing before another may take it up.
pub const LEASE_SECS: i64 = 300;

/// What taking in a message came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TakenIn {
    /// Processed: move the message to the folder for `Outcome`.
    Done(Outcome),
    /// Another instance is processing it, or processed it a moment ago and is moving it:
    /// leave it where it is. (Two sessions moving one message at once may each copy it.)
    Busy,
}

/// Reads and acts on one message, once across all instances: the message is keyed by the
/// SHA-256 of its bytes, claimed, understood, acted on and recorded. Acting twice (after a
/// crash between acting and recording) changes nothing more: each action is idempotent.
#[tracing::instrument(name = "take_in_mail", skip_all, fields(key = %key))]
pub async fn take_in(
    db: &Db,
    key: &str,
    raw: &[u8],
    bounce_local: &str,
    now: i64,
) -> AppResult<TakenIn> {
    match db::claim(db, key, now, LEASE_SECS).await? {
        Claim::Busy => return Ok(TakenIn::Busy),
        // Its processor moves it; one that has not after a lease's time (it stopped) has
        // left the move to whoever sees the message next.
        Claim::Done(outcome, at) if at + LEASE_SECS < now => return Ok(TakenIn::Done(outcome)),
        Claim::Done(..) => return Ok(TakenIn::Busy),
        Claim::Taken => {}
    }
    let report = report::read(raw, bounce_local);
    let (outcome, detail, message_id) = act(db, &report, now).await?;
    db::finish(db, key, outcome, &detail, message_id.as_deref(), now).await?;
    metrics::counter!("soundings_mail_intake_total", "outcome" => outcome.as_str()).increment(1);
    tracing::info!(
        outcome = outcome.as_str(),
        detail,
        "bounce mailbox message taken in"
    );
    Ok(TakenIn::Done(outcome))
}

/// The key of a raw message: the same bytes are the same message, wherever they sit.
pub fn key_of(raw: &[u8]) -> String {
    use sha2::Digest;
    crate::server::token::hex(&sha2::Sha256::digest(raw))
}

async fn act(db: &Db, report: &Report, now: i64) -> AppResult<(Outcome, String, Option<String>)> {
    Ok(match report {
        Report::Unreadable { why } => (Outcome::Unreadable, why.clone(), None),
        Report::Delivery {
            message_id,
            recipient,
            status,
            permanent,
            diagnostic,
        } => {
            let detail = format!("{status} {diagnostic}");
            if !permanent {
                (Outcome::Delayed, detail, message_id.clone())
            } else if bounce(
                db,
                message_id.as_deref(),
                recipient.as_deref(),
                &detail,
                now,
            )
            .await?
            {
                (Outcome::Bounced, detail, message_id.clone())
            } else {
                (Outcome::Unmatched, detail, message_id.clone())
            }
        }
        Report::Complaint {
            message_id,
            feedback_type,
            ..
        } => {
            // A feedback loop names the recipient as the provider saw it (often redacted):
            // the message it quotes is what identifies the contact.
            let done = unsubscribe(db, message_id.as_deref(), None, now).await?;
            let outcome = if done {
                Outcome::Complained
            } else {
                Outcome::Unmatched
            };
            (
                outcome,
                format!("feedback type {feedback_type}"),
                message_id.clone(),
            )
        }
        Report::Unsubscribe { message_id, sender } => {
            // No sender at all is refused too: the check must have something to compare.
            let sender = sender.as_deref().or(Some(""));
            let done = unsubscribe(db, message_id.as_deref(), sender, now).await?;
            let outcome = if done {
                Outcome::Unsubscribed
            } else {
                Outcome::Unmatched
            };
            (
                outcome,
                "unsubscribe request by mail".into(),
                message_id.clone(),
            )
        }
    })
}

/// Bounces the invitation a report names, or else suppresses the failed address; whether
/// anything of ours matched.
async fn bounce(
    db: &Db,
    message_id: Option<&str>,
    recipient: Option<&str>,
    reason: &str,
    now: i64,
) -> AppResult<bool> {
    if let Some(message_id) = message_id {
        if outbox::mark_bounced_later(db, message_id, reason, now).await? {
            return Ok(true);
        }
    }
    match recipient {
        Some(address) => Ok(db::suppress_address(db, address, reason, now).await?),
        None => Ok(false),
    }
}

/// Unsubscribes the contact of the message a report names. With `sender`, only if the
/// sender is that contact: an unsubscribe mail must come from the invited address, so a
/// forwarded invitation or a forged From cannot unsubscribe someone else. Nothing is done
/// for a report that names no message of ours; it is counted as unmatched.
async fn unsubscribe(
    db: &Db,
    message_id: Option<&str>,
    sender: Option<&str>,
    now: i64,
) -> AppResult<bool> {
    let Some(message_id) = message_id else {
        return Ok(false);
    };
    let Some(invitation_id) = db::fetch_invitation_of(db, message_id).await? else {
        return Ok(false);
    };
    let Some(target) = sending_db::fetch_by_invitation(db, &invitation_id).await? else {
        return Ok(false);
    };
    if sender.is_some_and(|sender| !sender.eq_ignore_ascii_case(&target.email)) {
        return Ok(false);
    }
    sending_db::unsubscribe(db, &target, now).await?;
    Ok(true)
}
