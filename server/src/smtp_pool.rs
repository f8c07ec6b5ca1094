//! Our own pool of SMTP connections, made with lettre's `AsyncSmtpConnection` over TCP
//! sockets that have Nagle's algorithm off.
//!
//! Why: lettre 0.11.23's own pool leaves Nagle on, and it writes a message's body and its
//! final `.` in two writes. The second waits for the receiver to acknowledge the first,
//! which a Linux receiver delays by about 40 ms, so each connection carried at most about
//! 22 messages a second (BENCHMARKS.md, stop 13's profile). The fix is merged upstream but
//! not released. lettre lets a caller hand it a connected stream
//! (`connect_with_transport`), so the socket is ours to configure and the rest (EHLO,
//! STARTTLS, AUTH, the transaction) stays lettre's. Implicit TLS (`smtps://`) would need
//! the TLS handshake before lettre reads the greeting, which that entry point cannot do;
//! it keeps lettre's own transport.
use anyhow::Context;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a connection may sit idle before it is closed rather than reused.
const IDLE_LIMIT: Duration = Duration::from_secs(60);

/// How long connecting (TCP, greeting, EHLO, STARTTLS, AUTH) or one message may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Whether and how a plain `smtp://` connection is upgraded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StartTls {
    Never,
    WhenOffered,
    Required,
}

/// The server and how to log in, from SMTP_URL as lettre reads it.
#[derive(Clone)]
pub struct SmtpServer {
    host: String,
    port: u16,
    starttls: StartTls,
    hello: ClientId,
    credentials: Option<Credentials>,
    mechanisms: Vec<Mechanism>,
}

impl SmtpServer {
    /// `smtp://[user:password@]host[:port][/hello-name][?tls=required|opportunistic]`;
    /// None for `smtps://`, which this pool does not serve.
    pub fn from_url(url: &str) -> anyhow::Result<Option<Self>> {
        let parsed = reqwest::Url::parse(url).context("SMTP_URL is not a valid SMTP address")?;
        if parsed.scheme() != "smtp" {
            return Ok(None);
        }
        let host = parsed
            .host_str()
            .context("SMTP_URL names no host")?
            .to_string();
        let tls = parsed
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.to_string());
        let (starttls, default_port) = match tls.as_deref() {
            None => (StartTls::Never, 25),
            Some("required") => (StartTls::Required, 587),
            Some("opportunistic") => (StartTls::WhenOffered, 587),
            Some(other) => {
                anyhow::bail!("SMTP_URL's tls must be required or opportunistic, not {other:?}")
            }
        };
        let decode = |text: &str| crate::settings::url_part(text, "SMTP_URL");
        let credentials = match parsed.password() {
            Some(password) => Some(Credentials::new(
                decode(parsed.username())?,
                decode(password)?,
            )),
            None => None,
        };
        let hello = match parsed.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_string()),
        };
        Ok(Some(Self {
            port: parsed.port().unwrap_or(default_port),
            host,
            starttls,
            hello,
            credentials,
            mechanisms: vec![Mechanism::Plain, Mechanism::Login],
        }))
    }

    /// The same server, logging in with XOAUTH2 as `user` with `token`.
    pub fn with_oauth(mut self, user: &str, token: &str) -> Self {
        self.credentials = Some(Credentials::new(user.to_string(), token.to_string()));
        self.mechanisms = vec![Mechanism::Xoauth2];
        self
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, PoolError> {
        let tcp = tokio::net::TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|error| {
                PoolError::Network(format!(
                    "could not connect to {}:{}: {error}",
                    self.host, self.port
                ))
            })?;
        // The reason for this module: each write goes at once.
        tcp.set_nodelay(true)
            .map_err(|error| PoolError::Network(format!("could not set TCP_NODELAY: {error}")))?;
        let mut conn =
            AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello).await?;
        let upgrade = match self.starttls {
            StartTls::Never => false,
            StartTls::WhenOffered => conn.can_starttls(),
            StartTls::Required => true,
        };
        if upgrade {
            conn.starttls(TlsParameters::new(self.host.clone())?, &self.hello)
                .await?;
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(&self.mechanisms, credentials).await?;
        }
        Ok(conn)
    }
}

/// Why a hand-over failed: what the server or lettre said, or our own socket's trouble.
#[derive(Debug)]
pub enum PoolError {
    Smtp(lettre::transport::smtp::Error),
    Network(String),
}

impl From<lettre::transport::smtp::Error> for PoolError {
    fn from(error: lettre::transport::smtp::Error) -> Self {
        PoolError::Smtp(error)
    }
}

impl std::fmt::Display for PoolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PoolError::Smtp(error) => error.fmt(f),
            PoolError::Network(message) => f.write_str(message),
        }
    }
}

/// Connections to one server, reused message after message.
pub struct SmtpPool {
    server: SmtpServer,
    /// How many idle connections are kept (0: a connection per message).
    keep: usize,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

impl SmtpPool {
    pub fn new(server: SmtpServer, keep: usize) -> Self {
        Self {
            server,
            keep,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Hands one message over. A reused connection that the server had closed meanwhile
    /// is replaced once by a new one before the failure counts.
    pub async fn send_raw(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), PoolError> {
        let reused = self.take_idle();
        let fresh = reused.is_none();
        let mut conn = match reused {
            Some(conn) => conn,
            None => self.connect().await?,
        };
        let mut result = self.send_on(&mut conn, envelope, raw).await;
        // A reply from the server is an answer; anything else on a reused connection may
        // be the server having closed it while it sat idle.
        let answered = matches!(&result, Err(PoolError::Smtp(e)) if e.is_response());
        if !fresh && conn.has_broken() && result.is_err() && !answered {
            conn = self.connect().await?;
            result = self.send_on(&mut conn, envelope, raw).await;
        }
        if !conn.has_broken() {
            self.give_back(conn).await;
        }
        result
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, PoolError> {
        tokio::time::timeout(TIMEOUT, self.server.connect())
            .await
            .unwrap_or_else(|_| {
                Err(PoolError::Network(
                    "connecting to the SMTP server timed out".into(),
                ))
            })
    }

    async fn send_on(
        &self,
        conn: &mut AsyncSmtpConnection,
        envelope: &Envelope,
        raw: &[u8],
    ) -> Result<(), PoolError> {
        match tokio::time::timeout(TIMEOUT, conn.send(envelope, raw)).await {
            Ok(result) => result.map(|_| ()).map_err(PoolError::from),
            Err(_) => {
                conn.abort().await;
                Err(PoolError::Network(
                    "the SMTP server took longer than 30 s".into(),
                ))
            }
        }
    }

    fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        while let Some((conn, since)) = idle.pop() {
            if since.elapsed() < IDLE_LIMIT {
                return Some(conn);
            }
            // Too old to trust: dropped (the server has likely closed it already).
            drop(conn);
        }
        None
    }

    async fn give_back(&self, mut conn: AsyncSmtpConnection) {
        {
            let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < self.keep {
                idle.push((conn, Instant::now()));
                return;
            }
        }
        let _ = conn.quit().await;
    }
}
