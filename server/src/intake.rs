//! Reading the bounce mailbox over IMAP: every poll takes in each message of the folder
//! (app's `intake::use_cases::take_in` decides what it is and acts, once across all
//! instances) and moves it out of the way: read ones to the processed folder, ones nobody
//! could read to the unreadable folder, where a person finds them. Nothing is deleted.
use crate::settings::BounceMailbox;
use anyhow::{anyhow, Context};
use app::distribution::intake::model::{LastPoll, Outcome};
use app::distribution::intake::use_cases::{self, TakenIn};
use app::server::AppState;
use futures::TryStreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::watch;

/// Messages fetched per IMAP command: a bounce quotes the original, so a few hundred KB
/// each at most; fifty keeps a poll's memory small whatever the backlog.
const BATCH: usize = 50;

/// The longest wait between polls while the mailbox keeps failing.
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// A whole poll (connect, log in, read, move) gives up after this long.
const POLL_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Where and how to log in, parsed once from BOUNCE_IMAP_URL.
#[derive(Clone)]
struct Target {
    tls: bool,
    host: String,
    port: u16,
    user: String,
    password: String,
    folder: String,
}

impl Target {
    fn parse(url: &str) -> anyhow::Result<Self> {
        let url = reqwest::Url::parse(url).context("BOUNCE_IMAP_URL is not a URL")?;
        let tls = match url.scheme() {
            "imaps" => true,
            "imap" => false,
            _ => anyhow::bail!("BOUNCE_IMAP_URL must start with imaps:// or imap://"),
        };
        let host = url
            .host_str()
            .context("BOUNCE_IMAP_URL names no host")?
            .to_string();
        let decode = |text: &str| crate::settings::url_part(text, "BOUNCE_IMAP_URL");
        let user = decode(url.username())?;
        if user.is_empty() {
            anyhow::bail!("BOUNCE_IMAP_URL names no user (imaps://user:password@host)");
        }
        let folder = decode(url.path().trim_start_matches('/'))?;
        Ok(Self {
            tls,
            port: url.port().unwrap_or(if tls { 993 } else { 143 }),
            host,
            user,
            password: decode(url.password().unwrap_or_default())?,
            folder: if folder.is_empty() {
                "INBOX".into()
            } else {
                folder
            },
        })
    }

    /// Host and folder, never the password: what the delivery page shows.
    fn shown(&self) -> String {
        format!(
            "{}:{} {} as {}",
            self.host, self.port, self.folder, self.user
        )
    }
}

/// What the delivery page shows of BOUNCE_IMAP_URL: host, port, folder and user, never
/// the password. Fails as start-up should on a URL that cannot be used.
pub fn describe(url: &str) -> anyhow::Result<String> {
    Ok(Target::parse(url)?.shown())
}

/// The poller.
pub struct IntakeWorker {
    state: AppState,
    target: Target,
    mailbox: BounceMailbox,
    bounce_local: String,
    tls: Arc<tokio_rustls::rustls::ClientConfig>,
}

impl IntakeWorker {
    pub fn new(
        state: AppState,
        mailbox: BounceMailbox,
        bounce_local: &str,
    ) -> anyhow::Result<Self> {
        let target = Target::parse(&mailbox.url.0)?;
        let mut roots = tokio_rustls::rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let tls = tokio_rustls::rustls::ClientConfig::builder_with_provider(Arc::new(
            tokio_rustls::rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .context("TLS for the bounce mailbox")?
        .with_root_certificates(roots)
        .with_no_client_auth();
        Ok(Self {
            state,
            target,
            mailbox,
            bounce_local: bounce_local.to_string(),
            tls: Arc::new(tls),
        })
    }

    /// Polls every BOUNCE_POLL_SECONDS; after a failure waits twice as long each time, up
    /// to 15 minutes, so a mailbox that is down is not hammered.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let normal = Duration::from_secs(self.mailbox.poll_secs);
        let mut wait = normal;
        loop {
            let error = self.poll_once().await.err().map(|e| format!("{e:#}"));
            match &error {
                None => wait = normal,
                Some(error) => {
                    metrics::counter!("soundings_mail_intake_poll_failures_total").increment(1);
                    wait = (wait * 2).min(MAX_BACKOFF);
                    tracing::warn!(
                        error,
                        retry_in_secs = wait.as_secs(),
                        "could not read the bounce mailbox"
                    );
                }
            }
            *self
                .state
                .last_intake_poll
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(LastPoll {
                at: self.state.clock.now(),
                error,
            });
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return,
            }
        }
    }

    /// One poll: connect, take in every message of the folder, move each one out.
    pub async fn poll_once(&self) -> anyhow::Result<()> {
        tokio::time::timeout(POLL_TIMEOUT, self.connect_and_poll())
            .await
            .map_err(|_| anyhow!("the bounce mailbox took longer than 5 minutes"))?
    }

    async fn connect_and_poll(&self) -> anyhow::Result<()> {
        let address = (self.target.host.as_str(), self.target.port);
        let tcp = tokio::net::TcpStream::connect(address)
            .await
            .with_context(|| format!("could not connect to {}", self.target.shown()))?;
        if self.target.tls {
            let name =
                tokio_rustls::rustls::pki_types::ServerName::try_from(self.target.host.clone())
                    .context("BOUNCE_IMAP_URL's host is not a TLS server name")?;
            let stream = tokio_rustls::TlsConnector::from(self.tls.clone())
                .connect(name, tcp)
                .await
                .context("TLS with the bounce mailbox failed")?;
            self.poll_on(stream).await
        } else {
            self.poll_on(tcp).await
        }
    }

    async fn poll_on<S>(&self, stream: S) -> anyhow::Result<()>
    where
        S: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
    {
        let mut client = async_imap::Client::new(stream);
        client
            .read_response()
            .await?
            .context("the IMAP server closed the connection before greeting")?;
        let mut session = client
            .login(&self.target.user, &self.target.password)
            .await
            .map_err(|(error, _)| anyhow!("the bounce mailbox refused the login: {error}"))?;
        for folder in [
            &self.mailbox.processed_folder,
            &self.mailbox.unreadable_folder,
        ] {
            // Already there after the first poll: the server says so, which is fine.
            let _ = session.create(folder).await;
        }
        let can_move = session.capabilities().await?.has_str("MOVE");
        session
            .select(&self.target.folder)
            .await
            .with_context(|| format!("could not open the folder {}", self.target.folder))?;
        let mut uids: Vec<u32> = session.uid_search("ALL").await?.into_iter().collect();
        uids.sort_unstable();
        for batch in uids.chunks(BATCH) {
            let set = batch
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let fetched: Vec<_> = session
                .uid_fetch(&set, "BODY.PEEK[]")
                .await?
                .try_collect()
                .await?;
            for fetch in fetched {
                let (Some(uid), Some(raw)) = (fetch.uid, fetch.body()) else {
                    continue;
                };
                let key = use_cases::key_of(raw);
                let now = self.state.clock.now();
                let taken =
                    use_cases::take_in(&self.state.db, &key, raw, &self.bounce_local, now).await;
                let outcome = match taken {
                    Ok(TakenIn::Done(outcome)) => outcome,
                    Ok(TakenIn::Busy) => continue,
                    Err(error) => {
                        // Left where it is: the next poll tries again.
                        tracing::warn!(%error, uid, "could not take in a bounce mailbox message");
                        continue;
                    }
                };
                let folder = match outcome {
                    Outcome::Unreadable => &self.mailbox.unreadable_folder,
                    _ => &self.mailbox.processed_folder,
                };
                // Another instance may have moved it a moment ago: not worth failing the
                // poll for, and the message is taken in either way.
                if let Err(error) = move_message(&mut session, uid, folder, can_move).await {
                    tracing::info!(error = %format!("{error:#}"), uid, "a bounce mailbox message did not move");
                }
            }
        }
        session.logout().await.ok();
        Ok(())
    }
}

/// Moves one message: MOVE where the server has it (RFC 6851), else copy, flag deleted
/// and expunge.
async fn move_message<S>(
    session: &mut async_imap::Session<S>,
    uid: u32,
    folder: &str,
    can_move: bool,
) -> anyhow::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let uid = uid.to_string();
    if can_move {
        session
            .uid_mv(&uid, folder)
            .await
            .with_context(|| format!("could not move a message to {folder}"))?;
        return Ok(());
    }
    session.uid_copy(&uid, folder).await?;
    let _: Vec<_> = session
        .uid_store(&uid, "+FLAGS.SILENT (\\Deleted)")
        .await?
        .try_collect()
        .await?;
    let _: Vec<_> = session.expunge().await?.try_collect().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_imap_url_gives_host_port_user_password_and_folder() {
        let target =
            Target::parse("imaps://bounces%40example.org:p%40ss@imap.example.org/Bounces").unwrap();
        assert!(target.tls);
        assert_eq!(target.host, "imap.example.org");
        assert_eq!(target.port, 993);
        assert_eq!(target.user, "bounces@example.org");
        assert_eq!(target.password, "p@ss");
        assert_eq!(target.folder, "Bounces");
        assert!(!target.shown().contains("p@ss"));
        let plain = Target::parse("imap://u:p@127.0.0.1:1143").unwrap();
        assert_eq!(
            (plain.tls, plain.port, plain.folder.as_str()),
            (false, 1143, "INBOX")
        );
        assert!(Target::parse("http://u:p@host").is_err());
        assert!(Target::parse("imaps://host").is_err());
    }
}
