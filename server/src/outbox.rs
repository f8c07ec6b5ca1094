//! The outbox worker: runs beside the web server, claims due messages, sends them with
//! bounded concurrency and a rate limit, and records each outcome. Nothing here runs in a
//! web request; a crash at any point leaves every message either sent or due again.
use crate::mailer::{self, Envelope, Mailer, SendError};
use crate::settings::MailSettings;
use app::distribution::sending::outbox::{self as db, Claim};
use app::server::AppState;
use futures::FutureExt;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Everything the worker holds.
pub struct Worker {
    state: AppState,
    mailer: Mailer,
    envelope: Envelope,
    settings: MailSettings,
    limiter: Arc<DefaultDirectRateLimiter>,
}

impl Worker {
    pub fn new(
        state: AppState,
        mailer: Mailer,
        envelope: Envelope,
        settings: MailSettings,
    ) -> Self {
        let per_second = NonZeroU32::new(settings.per_second).unwrap_or(NonZeroU32::MIN);
        Self {
            state,
            mailer,
            envelope,
            settings,
            limiter: Arc::new(RateLimiter::direct(Quota::per_second(per_second))),
        }
    }

    /// Sends until `stop` turns true. Messages already handed to the mail server finish;
    /// claimed ones not yet started are given back, so nothing waits for a lease to expire.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let wakeup = self.state.mail_wakeup.clone();
        let poll = Duration::from_millis(self.settings.poll_millis);
        let mut reminders =
            tokio::time::interval(Duration::from_millis(self.settings.reminder_check_millis));
        reminders.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // Whether mail went out since finished sends were last looked for.
        let mut sent_since_report = false;
        while !*stop.borrow() {
            if futures::FutureExt::now_or_never(reminders.tick()).is_some() {
                self.run_schedule().await;
                self.queue_due_reminders().await;
                self.queue_due_digests().await;
                // Also catches a send whose last message another instance handled.
                sent_since_report = true;
            }
            if self.round(&stop).await > 0 {
                // More may be due right away: go again without waiting.
                sent_since_report = true;
                continue;
            }
            if std::mem::take(&mut sent_since_report) {
                self.report_finished_sends().await;
            }
            tokio::select! {
                _ = wakeup.notified() => {}
                _ = tokio::time::sleep(poll) => {}
                changed = stop.changed() => {
                    // The sender is gone: nobody can tell this worker to stop any more.
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        tracing::info!("outbox worker stopped");
    }

    async fn report_finished_sends(&self) {
        match app::webhooks::emit::report_finished_sends(&self.state.db, self.state.clock.now())
            .await
        {
            Ok(0) => {}
            Ok(sends) => tracing::info!(sends, "sends finished"),
            Err(error) => tracing::warn!(%error, "could not look for finished sends"),
        }
    }

    /// Opens, sends and closes the surveys whose time has come.
    async fn run_schedule(&self) {
        let now = self.state.clock.now();
        match app::surveys::schedule::run_due(&self.state.db, now).await {
            Ok(ran) if ran.anything() => {
                tracing::info!(
                    opened = ran.opened,
                    sent = ran.sent,
                    closed = ran.closed,
                    "scheduled survey steps done"
                );
                if ran.sent > 0 {
                    self.state.mail_wakeup.notify_one();
                }
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "could not run the survey schedule"),
        }
    }

    async fn queue_due_reminders(&self) {
        match app::distribution::sending::reminders::queue_due_reminders(
            &self.state.db,
            self.state.clock.now(),
        )
        .await
        {
            Ok(0) => {}
            Ok(queued) => tracing::info!(queued, "scheduled reminders queued"),
            Err(error) => tracing::warn!(%error, "could not queue scheduled reminders"),
        }
    }

    async fn queue_due_digests(&self) {
        let (zone, now) = (&self.state.config.time_zone, self.state.clock.now());
        match app::community_health::digest::queue_due(&self.state.db, zone, now).await {
            Ok(0) => {}
            Ok(queued) => {
                tracing::info!(queued, "weekly digests queued");
                self.state.mail_wakeup.notify_one();
            }
            Err(error) => tracing::warn!(%error, "could not queue the weekly digests"),
        }
    }

    /// Claims one batch and sends it; returns how many messages it claimed.
    async fn round(&self, stop: &watch::Receiver<bool>) -> usize {
        // Twice the concurrency: each claim's lease is renewed just before its send, and a
        // small batch keeps the time between claim and send short.
        let batch = (self.settings.concurrency * 2) as i64;
        let ids = match db::claim_due(&self.state.db, self.state.clock.now(), batch).await {
            Ok(ids) => ids,
            Err(error) => {
                tracing::warn!(%error, "could not claim due mail");
                return 0;
            }
        };
        let count = ids.len();
        let concurrency = self.settings.concurrency;
        let skipped = crate::claims::handle_all(ids, concurrency, stop, |claim| async move {
            self.deliver(&claim).await;
        })
        .await;
        if !skipped.is_empty() {
            match db::release_claims(&self.state.db, &skipped).await {
                Ok(()) => tracing::info!(count = skipped.len(), "gave back claimed messages"),
                Err(error) => {
                    tracing::warn!(%error, "could not give back claimed messages; their lease will run out")
                }
            }
        }
        count
    }

    /// Sends one message. A failure of ours (not the mail server's), even a panic, is
    /// retried like a temporary one, so it can neither stop the worker nor lose the message.
    async fn deliver(&self, claim: &Claim) {
        let outcome = AssertUnwindSafe(self.try_deliver(claim))
            .catch_unwind()
            .await;
        let error = match outcome {
            Ok(Ok(())) => return,
            Ok(Err(error)) => format!("{error:#}"),
            Err(_) => "the worker panicked".to_string(),
        };
        let message_id = &claim.message_id;
        tracing::error!(error, message_id, "could not handle an outgoing message");

        let db = &self.state.db;
        let result = if claim.attempts >= self.settings.max_attempts {
            db::mark_undeliverable(db, claim, false, "internal error", self.state.clock.now()).await
        } else {
            let next = self.state.clock.now() + self.backoff(claim.attempts);
            db::mark_retry(db, claim, next, "internal error").await
        };
        if let Err(error) = result {
            tracing::warn!(%error, message_id, "could not record the failure; the lease will run out");
        }
    }

    async fn try_deliver(&self, claim: &Claim) -> anyhow::Result<()> {
        if claim.is_digest() {
            return self.try_deliver_digest(claim).await;
        }
        if claim.is_account() {
            return self.try_deliver_account(claim).await;
        }
        let db = &self.state.db;
        let Some(outgoing) =
            db::fetch_outgoing(db, &claim.message_id, self.state.clock.now()).await?
        else {
            // Its survey is gone: nothing left to send.
            db::mark_cancelled(db, claim).await?;
            return Ok(());
        };
        if outgoing.withdrawn {
            db::mark_cancelled(db, claim).await?;
            return Ok(());
        }
        let now = self.state.clock.now();
        let leaves_at = db::may_leave_at(db, &self.state.config, &claim.message_id, now).await?;
        if leaves_at > now {
            // Outside the recipient's sending window: back to the outbox until it opens.
            db::defer(db, claim, leaves_at).await?;
            return Ok(());
        }
        if outgoing.to_address.parse::<lettre::Address>().is_err() {
            let reason = "the contact's address is not one a mail server would accept";
            db::mark_undeliverable(db, claim, false, reason, self.state.clock.now()).await?;
            return Ok(());
        }
        let composed = db::compose(db, &self.state.config, &outgoing).await?;
        self.hand_over(claim, &composed).await
    }

    /// A team member's weekly digest: composed from community health as things stand, and
    /// cancelled if the member turned it off after it was queued.
    async fn try_deliver_digest(&self, claim: &Claim) -> anyhow::Result<()> {
        let scope = app::community_health::scope(&self.state);
        let composed = app::community_health::digest::compose(
            scope,
            &self.state.db,
            &self.state.config,
            &claim.message_id,
        )
        .await
        .map_err(|error| anyhow::anyhow!("could not compose the digest: {error}"))?;
        let Some(composed) = composed else {
            db::mark_cancelled(&self.state.db, claim).await?;
            return Ok(());
        };
        self.hand_over(claim, &composed).await
    }

    /// A password reset or an invitation: cancelled if its link no longer works (a newer
    /// one replaced it, it was used, or it expired while the mail waited).
    async fn try_deliver_account(&self, claim: &Claim) -> anyhow::Result<()> {
        let composed = app::auth::links::compose(
            &self.state.db,
            &self.state.config,
            &claim.message_id,
            self.state.clock.now(),
        )
        .await
        .map_err(|error| anyhow::anyhow!("could not compose an account mail: {error}"))?;
        let Some(composed) = composed else {
            db::mark_cancelled(&self.state.db, claim).await?;
            return Ok(());
        };
        self.hand_over(claim, &composed).await
    }

    /// Puts a composed message in its envelope, sends it once the rate allows, and
    /// records what the mail server said.
    async fn hand_over(&self, claim: &Claim, composed: &db::Composed) -> anyhow::Result<()> {
        let db = &self.state.db;
        let message = mailer::build(&self.envelope, composed)?;
        let message = self
            .envelope
            .seal(&message, &composed.message_id, self.state.clock.now())?;
        self.limiter.until_ready().await;
        if !db::renew_claim(db, claim, self.state.clock.now()).await? {
            // Our lease ran out and another worker holds the message now.
            return Ok(());
        }
        let outcome = |outcome: &'static str| {
            metrics::counter!("soundings_mail_total", "kind" => claim.kind.clone(), "outcome" => outcome)
                .increment(1)
        };
        match self.mailer.send(&message, composed).await {
            Ok(()) => {
                outcome("sent");
                self.record_sent(claim).await
            }
            Err(SendError::Bounced(reply)) => {
                outcome("bounced");
                tracing::warn!(message_id = claim.message_id, reply, "message bounced");
                db::mark_undeliverable(db, claim, true, &reply, self.state.clock.now()).await?;
            }
            Err(SendError::Transient(reason)) if claim.attempts >= self.settings.max_attempts => {
                outcome("failed");
                tracing::warn!(
                    message_id = claim.message_id,
                    reason,
                    "message failed after its last attempt"
                );
                db::mark_undeliverable(db, claim, false, &reason, self.state.clock.now()).await?;
            }
            Err(SendError::Transient(reason)) => {
                outcome("retried");
                let next = self.state.clock.now() + self.backoff(claim.attempts);
                tracing::info!(
                    message_id = claim.message_id,
                    reason,
                    next,
                    "message will be retried"
                );
                db::mark_retry(db, claim, next, &reason).await?;
            }
        }
        Ok(())
    }

    /// Records an accepted message. Never falls back to a retry: that would send it again.
    /// If the database stays unreachable, the lease runs out and the message goes once
    /// more, with the same Message-ID (the documented rare duplicate).
    async fn record_sent(&self, claim: &Claim) {
        for wait in [0, 1, 2, 4] {
            tokio::time::sleep(Duration::from_secs(wait)).await;
            match db::mark_sent(&self.state.db, claim, self.state.clock.now()).await {
                Ok(()) => return,
                Err(error) => {
                    tracing::warn!(%error, message_id = claim.message_id, "could not record a sent message yet")
                }
            }
        }
    }

    fn backoff(&self, attempts: i64) -> i64 {
        retry_delay(self.settings.retry_base_secs, attempts, jitter())
    }
}

/// Seconds until the next attempt: the base doubled for each attempt made, at most an
/// hour, plus up to a quarter more so that many failures do not retry in lockstep.
pub fn retry_delay(base: i64, attempts: i64, jitter: f64) -> i64 {
    let exponent = (attempts - 1).clamp(0, 16) as u32;
    let delay = base.saturating_mul(1 << exponent).min(3600);
    delay + (delay as f64 * 0.25 * jitter.clamp(0.0, 1.0)) as i64
}

fn jitter() -> f64 {
    let mut byte = [0u8; 1];
    let _ = getrandom::fill(&mut byte);
    f64::from(byte[0]) / 255.0
}

#[cfg(test)]
mod tests {
    use super::retry_delay;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_an_hour_plus_jitter() {
        assert_eq!(retry_delay(60, 1, 0.0), 60);
        assert_eq!(retry_delay(60, 2, 0.0), 120);
        assert_eq!(retry_delay(60, 4, 0.0), 480);
        assert_eq!(retry_delay(60, 30, 0.0), 3600);
        assert_eq!(retry_delay(60, 1, 1.0), 75);
        assert_eq!(retry_delay(1, 1, 0.5), 1);
    }
}
