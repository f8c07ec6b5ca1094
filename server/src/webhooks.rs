//! The webhook worker: claims due deliveries, posts each signed body to its endpoint
//! (never following a redirect, never to a private address unless allowed), and records
//! the answer. Failures are retried with the mail outbox's backoff until attempts run out.
use crate::outbox::retry_delay;
use crate::settings::WebhookSettings;
use app::server::AppState;
use app::webhooks::db::{self, Claim, Outgoing};
use app::webhooks::{signing, target};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

pub struct WebhookWorker {
    state: AppState,
    settings: WebhookSettings,
    /// One client for endpoints that must be public, one for those an admin allowed on a
    /// private network; each resolver checks the addresses it hands to the connector.
    public: reqwest::Client,
    private: reqwest::Client,
}

/// Resolves host names and refuses private addresses unless allowed, at connect time, so
/// a name that changes its answer between the check and the connection gains nothing.
struct CheckedResolver {
    allow_private: bool,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let target = target::Target {
                url: String::new(),
                host,
                port: 0,
            };
            let addresses = target::resolve(&target, allow_private).await?;
            Ok(Box::new(addresses.into_iter()) as Addrs)
        })
    }
}

fn client(allow_private: bool, timeout: Duration) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .dns_resolver(Arc::new(CheckedResolver { allow_private }))
        .connect_timeout(Duration::from_secs(5).min(timeout))
        .timeout(timeout)
        .user_agent(concat!("Soundings-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()?)
}

/// What one attempt came to.
enum Attempt {
    Delivered(u16),
    /// Worth trying again: the endpoint failed or could not be reached.
    Failed(Option<u16>, String),
    /// Never worth retrying: the address is refused.
    Refused(String),
}

impl WebhookWorker {
    pub fn new(state: AppState, settings: WebhookSettings) -> anyhow::Result<Self> {
        let timeout = Duration::from_secs(settings.timeout_secs.max(1));
        Ok(Self {
            public: client(false, timeout)?,
            private: client(true, timeout)?,
            state,
            settings,
        })
    }

    /// Delivers until `stop` turns true; claims not yet started are given back.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let poll = Duration::from_millis(self.settings.poll_millis);
        while !*stop.borrow() {
            if self.round(&stop).await > 0 {
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                changed = stop.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        tracing::info!("webhook worker stopped");
    }

    async fn round(&self, stop: &watch::Receiver<bool>) -> usize {
        let db = &self.state.db;
        let batch = (self.settings.concurrency * 2) as i64;
        let claims = match db::claim_due(db, self.state.clock.now(), batch).await {
            Ok(claims) => claims,
            Err(error) => {
                tracing::warn!(%error, "could not claim due webhook deliveries");
                return 0;
            }
        };
        let count = claims.len();
        let skipped = crate::claims::handle_all(claims, self.settings.concurrency, stop, |claim| async move {
            if let Err(error) = self.deliver(&claim).await {
                tracing::warn!(%error, delivery = claim.delivery_id, "could not record a webhook delivery; its lease will run out");
            }
        })
        .await;
        if let Err(error) = db::release_claims(db, &skipped).await {
            tracing::warn!(%error, "could not give back claimed webhook deliveries");
        }
        count
    }

    async fn deliver(&self, claim: &Claim) -> sqlx::Result<()> {
        let db = &self.state.db;
        let Some(outgoing) = db::fetch_outgoing(db, &claim.delivery_id).await? else {
            return Ok(());
        };
        let now = self.state.clock.now();
        let outcome = |outcome: &'static str| {
            metrics::counter!("soundings_webhook_deliveries_total", "outcome" => outcome)
                .increment(1)
        };
        match self.attempt(claim, &outgoing).await {
            Attempt::Delivered(code) => {
                outcome("delivered");
                db::mark_delivered(db, claim, code, now).await
            }
            Attempt::Refused(reason) => {
                outcome("failed");
                tracing::warn!(
                    webhook = outgoing.webhook_id,
                    reason,
                    "webhook address refused"
                );
                db::mark_failed_attempt(db, claim, None, &reason, None, now).await
            }
            Attempt::Failed(code, reason) => {
                let next = (claim.attempts < self.settings.max_attempts)
                    .then(|| now + retry_delay(self.settings.retry_base_secs, claim.attempts, 0.5));
                outcome(if next.is_some() { "retried" } else { "failed" });
                tracing::info!(
                    webhook = outgoing.webhook_id,
                    reason,
                    ?next,
                    "webhook delivery failed"
                );
                db::mark_failed_attempt(db, claim, code, &reason, next, now).await
            }
        }
    }

    async fn attempt(&self, claim: &Claim, outgoing: &Outgoing) -> Attempt {
        let target = match target::parse(&outgoing.url, outgoing.allow_private) {
            Ok(target) => target,
            Err(reason) => return Attempt::Refused(reason),
        };
        if let Err(reason) = target::resolve(&target, outgoing.allow_private).await {
            return Attempt::Refused(reason);
        }
        let secret = signing::secret(
            &self.state.config,
            &outgoing.webhook_id,
            &outgoing.secret_nonce,
        );
        let timestamp = self.state.clock.now();
        let client = if outgoing.allow_private {
            &self.private
        } else {
            &self.public
        };
        let sent = client
            .post(&target.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("Soundings-Event", &outgoing.event)
            .header("Soundings-Delivery", &claim.delivery_id)
            .header(
                signing::SIGNATURE_HEADER,
                signing::signature(&secret, timestamp, &outgoing.payload),
            )
            .body(outgoing.payload.clone())
            .send()
            .await;
        match sent {
            Ok(response) => {
                let code = response.status();
                if code.is_success() {
                    Attempt::Delivered(code.as_u16())
                } else if code.is_redirection() {
                    Attempt::Failed(
                        Some(code.as_u16()),
                        format!("answered {code} (a redirect); redirects are not followed"),
                    )
                } else {
                    Attempt::Failed(Some(code.as_u16()), format!("answered {code}"))
                }
            }
            Err(error) if error.is_timeout() => {
                Attempt::Failed(None, "no answer within the time limit".into())
            }
            Err(error) if error.is_connect() => Attempt::Failed(None, "could not connect".into()),
            Err(error) => {
                Attempt::Failed(None, format!("the request failed: {}", without_url(&error)))
            }
        }
    }
}

/// The error's text without the URL (which the log shows beside it anyway).
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "the endpoint");
    }
    text
}
