//! Building the application from settings and serving it until a shutdown signal.
use crate::database::{connect_and_migrate, with_read_pool};
use crate::intake::IntakeWorker;
use crate::mailer::{Envelope, Mailer};
use crate::outbox::Worker;
use crate::routes::router;
use crate::settings::Settings;
use crate::site::Site;
use crate::webhooks::WebhookWorker;
use anyhow::Context;
use app::clock::Clock;
use app::monitoring::cache::ResultsCache;
use app::responses::opened::OpenedMarks;
use app::server::limiter::{GuessThrottle, KeyedLimiter};
use app::server::{AppState, MailMode};
use leptos::config::{Env, LeptosOptions};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// A bound, migrated, ready-to-serve Soundings.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    site: Site,
    metrics_token: Option<crate::settings::Hidden>,
    worker: Worker,
    webhooks: WebhookWorker,
    /// Reads the bounce mailbox, when one is configured.
    intake: Option<IntakeWorker>,
}

impl Application {
    pub async fn build(mut settings: Settings) -> anyhow::Result<Self> {
        let db = connect_and_migrate(&settings.database_url, settings.max_connections).await?;
        let db = with_read_pool(&settings.database_url, db, settings.max_connections).await?;
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("could not listen on {}", settings.listen))?;
        if !settings.base_url_given {
            // With port 0 (tests) the real port is known only now.
            settings.app.base_url = format!("http://{}", listener.local_addr()?);
        }
        let site = Site::choose(settings.site_root.clone());
        let leptos_options = LeptosOptions::builder()
            .output_name("soundings")
            .site_root(site.folder().to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .site_addr(listener.local_addr()?)
            .env(Env::PROD)
            .build();
        settings.app.secret = crate::secret::load_or_create(&settings.secret)?;
        crate::secret::check_fingerprint(&db, &settings.app.secret).await?;
        settings.app.mail_mode = match settings.mail.smtp_url {
            Some(_) => MailMode::Smtp,
            None => {
                tracing::warn!(
                    "SMTP_URL is not set: no email leaves this server. Invitations land in the \
                     development mailbox (/mailbox). Set SMTP_URL before inviting real people."
                );
                MailMode::DevMailbox
            }
        };
        let envelope = Envelope::from_settings(&settings.mail)?;
        settings.app.mail_setup = envelope.setup(&settings.mail);
        let intake_settings = match (&settings.mail.bounce_mailbox, envelope.bounce_local()) {
            (Some(mailbox), Some(local)) => Some((mailbox.clone(), local.to_string())),
            _ => None,
        };
        if let Some((mailbox, _)) = &intake_settings {
            let shown = &mut settings.app.mail_setup.intake;
            shown.mailbox = Some(crate::intake::describe(&mailbox.url.0)?);
            shown.processed_folder = mailbox.processed_folder.clone();
            shown.unreadable_folder = mailbox.unreadable_folder.clone();
        }
        let public_limiter = KeyedLimiter::per_hour(settings.app.public_link_per_hour);
        let api_limiter = KeyedLimiter::per_minute(settings.app.api_calls_per_minute);
        let link_guesses = GuessThrottle::per_minute(settings.app.link_misses_per_minute);
        let results = ResultsCache::new(Duration::from_millis(settings.app.results_cache_millis));
        let state = AppState {
            db: db.clone(),
            clock: Clock::system(),
            config: Arc::new(settings.app),
            leptos_options,
            public_limiter,
            api_limiter,
            link_guesses,
            results,
            opened: OpenedMarks::start(db.clone()),
            mail_wakeup: Arc::new(tokio::sync::Notify::new()),
            last_intake_poll: Default::default(),
        };
        let worker = Worker::new(
            state.clone(),
            Mailer::from_settings(&settings.mail, db)?,
            envelope,
            settings.mail.clone(),
        );
        let webhooks = WebhookWorker::new(state.clone(), settings.webhooks.clone())?;
        let intake = match intake_settings {
            Some((mailbox, local)) => Some(IntakeWorker::new(state.clone(), mailbox, &local)?),
            None => None,
        };
        Ok(Self {
            listener,
            state,
            site,
            metrics_token: settings.metrics_token.clone(),
            worker,
            webhooks,
            intake,
        })
    }

    pub fn address(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let _sweeper = AbortOnDrop(tokio::spawn(sweep_expired_sessions(self.state.clone())));
        let (stop_worker, stopped) = tokio::sync::watch::channel(false);
        let mut worker = AbortOnDrop(tokio::spawn(self.worker.run(stopped.clone())));
        let mut webhooks = AbortOnDrop(tokio::spawn(self.webhooks.run(stopped.clone())));
        let _intake = self
            .intake
            .map(|intake| AbortOnDrop(tokio::spawn(intake.run(stopped))));
        let app = router(self.state.clone(), &self.site, self.metrics_token)
            .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await;
        // The worker finishes the messages it is handing over and gives back the rest.
        let _ = stop_worker.send(true);
        let _ = (&mut worker.0).await;
        let _ = (&mut webhooks.0).await;
        self.state.opened.flush().await;
        self.state.db.close().await;
        served.context("the HTTP server failed")
    }
}

/// A background task that ends with the future holding it: if `run_until` is dropped
/// mid-flight (as the tests' simulated crash does), no worker keeps sending on its own.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Removes expired sessions, old sign-in failures and idle rate-limit entries once an hour.
async fn sweep_expired_sessions(state: AppState) {
    let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        let now = state.clock.now();
        let config = &state.config;
        let swept = app::auth::db::delete_expired_sessions(
            &state.db,
            now - config.session_idle_secs,
            now - config.session_absolute_secs,
        )
        .await;
        let pruned = app::auth::db::delete_old_sign_in_failures(
            &state.db,
            now - config.throttle_window_secs,
        )
        .await;
        let month_ago = now - 30 * 86_400;
        let retention = config.audit_retention_days;
        if let Err(error) = app::audit::record::prune(&state.db, retention, now).await {
            tracing::warn!(%error, "could not remove old audit log entries");
        }
        if let Err(error) = app::auth::links::prune(&state.db, now).await {
            tracing::warn!(%error, "could not prune old account links");
        }
        if let Err(error) = app::webhooks::db::prune(&state.db, month_ago).await {
            tracing::warn!(%error, "could not prune the webhook delivery log");
        }
        state.public_limiter.forget_idle();
        state.api_limiter.forget_idle();
        state.link_guesses.forget_idle();
        state.results.forget_stale();
        if let Err(error) = swept.and(pruned) {
            tracing::warn!(%error, "could not sweep expired sessions");
        }
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
