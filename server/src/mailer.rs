//! Putting composed messages in envelopes and handing them over: to an SMTP server
//! through a pool of connections (ours for `smtp://`, lettre's for `smtps://`), or, in
//! development mode, to the in-app mailbox.
use crate::dkim::Signer;
use crate::oauth::TokenSource;
use crate::settings::MailSettings;
use crate::smtp_pool::{PoolError, SmtpPool, SmtpServer};
use anyhow::Context;
use app::db::{new_id, now, Db};
use app::distribution::delivery::model::{dns_records, MailSetup};
use app::distribution::sending::outbox::Composed;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;

/// What became of one hand-over.
#[derive(Debug)]
pub enum SendError {
    /// Worth trying again later: no connection, a timeout, a 4xx reply.
    Transient(String),
    /// The recipient's server refused this recipient or message for good: it bounced.
    Bounced(String),
}

/// Where messages go.
#[derive(Clone)]
pub enum Mailer {
    Smtp(Relay),
    /// SMTP with XOAUTH2: the relay is rebuilt whenever the access token is renewed.
    SmtpOauth(Arc<OauthSmtp>),
    /// No SMTP configured: messages are stored for the team to read in the app.
    DevMailbox(Db),
}

/// The connections to the SMTP server.
#[derive(Clone)]
pub enum Relay {
    /// `smtp://` (STARTTLS or none): our own pool with Nagle off (see smtp_pool.rs).
    Pool(Arc<SmtpPool>),
    /// `smtps://`: lettre's pooled transport.
    Lettre(AsyncSmtpTransport<Tokio1Executor>),
    /// `smtps://` with a connection per message: a transport per message.
    LettrePerMessage(String, Option<Credentials>),
}

impl Relay {
    /// The relay for `url`, keeping up to `connections` connections open (none with
    /// `per_message`), logging in with `oauth` (user, access token) when given.
    fn new(
        url: &str,
        connections: usize,
        per_message: bool,
        oauth: Option<(&str, &str)>,
    ) -> anyhow::Result<Self> {
        if let Some(server) = SmtpServer::from_url(url)? {
            let server = match oauth {
                Some((user, token)) => server.with_oauth(user, token),
                None => server,
            };
            let keep = if per_message { 0 } else { connections.max(1) };
            return Ok(Self::Pool(Arc::new(SmtpPool::new(server, keep))));
        }
        let credentials = oauth.map(|(user, token)| Credentials::new(user.into(), token.into()));
        if per_message {
            // Checked now, so a bad SMTP_URL stops the start-up, not the first send.
            lettre_transport(url, 1, credentials.clone())?;
            return Ok(Self::LettrePerMessage(url.to_string(), credentials));
        }
        Ok(Self::Lettre(lettre_transport(
            url,
            connections,
            credentials,
        )?))
    }

    async fn send(&self, message: &Outgoing) -> Result<(), SendError> {
        let (envelope, raw) = (&message.envelope, message.raw.as_slice());
        match self {
            Self::Pool(pool) => pool
                .send_raw(envelope, raw)
                .await
                .map_err(|error| match error {
                    PoolError::Smtp(error) => classify(error),
                    PoolError::Network(message) => SendError::Transient(message),
                }),
            Self::Lettre(transport) => transport
                .send_raw(envelope, raw)
                .await
                .map(|_| ())
                .map_err(classify),
            Self::LettrePerMessage(url, credentials) => {
                // A pool of one, dropped with its connection once this message is handed over.
                lettre_transport(url, 1, credentials.clone())
                    .map_err(|error| SendError::Transient(error.to_string()))?
                    .send_raw(envelope, raw)
                    .await
                    .map(|_| ())
                    .map_err(classify)
            }
        }
    }
}

/// An SMTP relay that logs in with the current OAuth access token.
pub struct OauthSmtp {
    url: String,
    connections: usize,
    per_message: bool,
    tokens: TokenSource,
    relay: tokio::sync::Mutex<Option<Relay>>,
}

impl OauthSmtp {
    /// The relay for the next message: with a new token, a new one (connections already
    /// logged in with the old token are dropped with the old relay).
    async fn relay(&self) -> Result<Relay, SendError> {
        let (token, fresh) = self.tokens.token().await.map_err(|error| {
            SendError::Transient(format!("could not get an OAuth access token: {error:#}"))
        })?;
        let mut current = self.relay.lock().await;
        if fresh || current.is_none() {
            let relay = Relay::new(
                &self.url,
                self.connections,
                self.per_message,
                Some((self.tokens.user(), &token)),
            )
            .map_err(|error| SendError::Transient(error.to_string()))?;
            *current = Some(relay);
        }
        Ok(current.clone().expect("set just above"))
    }
}

/// The fixed parts of every envelope, parsed once at start-up.
#[derive(Clone)]
pub struct Envelope {
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
    /// Signs every message when a DKIM key is configured.
    pub dkim: Option<Arc<Signer>>,
    /// BOUNCE_ADDRESS split at its `@`: each message's return path is `local+id@domain`.
    pub bounce: Option<(String, String)>,
}

/// A message ready to hand over: the SMTP envelope and the exact bytes, signed.
pub struct Outgoing {
    pub envelope: lettre::address::Envelope,
    pub raw: Vec<u8>,
}

impl Envelope {
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Self> {
        let from: Mailbox = settings
            .from
            .parse()
            .context("MAIL_FROM must be an address like `Product team <product@example.org>`")?;
        let reply_to = match &settings.reply_to {
            Some(text) => Some(
                text.parse()
                    .context("MAIL_REPLY_TO must be an email address")?,
            ),
            None => None,
        };
        let dkim = match &settings.dkim {
            Some(dkim) => {
                let pem = std::fs::read(&dkim.key_file).with_context(|| {
                    format!(
                        "could not read DKIM_PRIVATE_KEY_FILE {}",
                        dkim.key_file.display()
                    )
                })?;
                let domain = dkim
                    .domain
                    .clone()
                    .unwrap_or_else(|| from.email.domain().to_string());
                let signer = Signer::from_pem(&pem, &domain, &dkim.selector)
                    .context("DKIM_PRIVATE_KEY_FILE")?;
                Some(Arc::new(signer))
            }
            None => None,
        };
        let bounce = match &settings.bounce_address {
            Some(text) => {
                let address: lettre::Address = text
                    .trim()
                    .parse()
                    .context("BOUNCE_ADDRESS must be an email address like bounces@example.org")?;
                if address.user().contains('+') {
                    anyhow::bail!(
                        "BOUNCE_ADDRESS must not hold a + (Soundings adds +<message id>)"
                    );
                }
                Some((
                    address.user().to_ascii_lowercase(),
                    address.domain().to_ascii_lowercase(),
                ))
            }
            None => None,
        };
        Ok(Self {
            from,
            reply_to,
            dkim,
            bounce,
        })
    }

    /// What the delivery page shows: sender, relay, signing and the DNS records.
    pub fn setup(&self, settings: &MailSettings) -> MailSetup {
        let relay_host = settings
            .smtp_url
            .as_ref()
            .and_then(|url| reqwest::Url::parse(&url.0).ok())
            .and_then(|url| url.host_str().map(str::to_string));
        MailSetup {
            from: match &self.from.name {
                Some(name) => format!("{name} <{}>", self.from.email),
                None => self.from.email.to_string(),
            },
            dkim_algorithm: self.dkim.as_ref().map(|s| s.algorithm().to_string()),
            records: dns_records(
                self.domain(),
                relay_host.as_deref(),
                self.dkim.as_ref().map(|s| s.dns_record()),
            ),
            relay_host,
            intake: app::distribution::intake::model::IntakeStatus {
                bounce_address: self.bounce.as_ref().map(|(l, d)| format!("{l}@{d}")),
                ..Default::default()
            },
        }
    }

    /// The return path of one message: `bounces+<message id>@domain` when BOUNCE_ADDRESS
    /// is set, so a bounce names the message it is about.
    pub fn return_path(&self, message_id: &str) -> Option<lettre::Address> {
        let (local, domain) = self.bounce.as_ref()?;
        lettre::Address::new(format!("{local}+{message_id}"), domain).ok()
    }

    /// The local part of BOUNCE_ADDRESS, which the bounce mailbox's reader looks for.
    pub fn bounce_local(&self) -> Option<&str> {
        self.bounce.as_ref().map(|(local, _)| local.as_str())
    }

    /// The message as it goes out: with its own return path, and signed when a key is
    /// configured.
    pub fn seal(
        &self,
        message: &Message,
        message_id: &str,
        unix_time: i64,
    ) -> anyhow::Result<Outgoing> {
        let raw = message.formatted();
        let raw = match &self.dkim {
            Some(signer) => signer.sign(&raw, unix_time)?,
            None => raw,
        };
        let envelope = match self.return_path(message_id) {
            Some(path) => {
                lettre::address::Envelope::new(Some(path), message.envelope().to().to_vec())
                    .context("the message has no recipient")?
            }
            None => message.envelope().clone(),
        };
        Ok(Outgoing { envelope, raw })
    }

    /// RFC 2919's List-Id: one list for all of this team's surveys, named after MAIL_FROM,
    /// so a recipient's filter or a provider's feedback loop can tell them apart from the
    /// team's other mail. The label is under the sender's own domain, which it controls.
    fn list_id(&self) -> String {
        let name = self.from.name.as_deref().map(one_line).unwrap_or_default();
        let name: String = name.chars().filter(|c| !matches!(c, '"' | '\\')).collect();
        let description = match name.trim() {
            "" => "Surveys".to_string(),
            name => format!("{name} surveys"),
        };
        format!("\"{description}\" <surveys.{}>", self.domain())
    }

    /// The domain of Message-IDs: the sender's own.
    fn domain(&self) -> &str {
        self.from.email.domain()
    }
}

/// lettre's transport for `url` (used for `smtps://`) whose pool holds up to
/// `connections` connections; `oauth` logs in with XOAUTH2 (a password comes in the URL).
fn lettre_transport(
    url: &str,
    connections: usize,
    oauth: Option<Credentials>,
) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let pool = PoolConfig::new().max_size(connections.max(1) as u32);
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .context("SMTP_URL is not a valid SMTP address")?
        .timeout(Some(Duration::from_secs(30)))
        .pool_config(pool);
    if let Some(credentials) = oauth {
        builder = builder
            .credentials(credentials)
            .authentication(vec![Mechanism::Xoauth2]);
    }
    Ok(builder.build())
}

impl Mailer {
    pub fn from_settings(settings: &MailSettings, db: Db) -> anyhow::Result<Self> {
        let Some(url) = &settings.smtp_url else {
            return Ok(Self::DevMailbox(db));
        };
        // Built either way, so a bad SMTP_URL stops the start-up, not the first send.
        let relay = Relay::new(
            &url.0,
            settings.concurrency,
            settings.connection_per_message,
            None,
        )?;
        if let Some(oauth) = &settings.oauth {
            return Ok(Self::SmtpOauth(Arc::new(OauthSmtp {
                url: url.0.clone(),
                connections: settings.concurrency,
                per_message: settings.connection_per_message,
                tokens: TokenSource::new(oauth.clone())?,
                relay: tokio::sync::Mutex::new(None),
            })));
        }
        Ok(Self::Smtp(relay))
    }

    pub async fn send(&self, message: &Outgoing, composed: &Composed) -> Result<(), SendError> {
        match self {
            Self::Smtp(relay) => relay.send(message).await,
            Self::SmtpOauth(oauth) => oauth.relay().await?.send(message).await,
            Self::DevMailbox(db) => store(db, message, composed).await.map_err(|e| {
                SendError::Transient(format!("could not store in the development mailbox: {e}"))
            }),
        }
    }
}

fn classify(error: lettre::transport::smtp::Error) -> SendError {
    let text = error.to_string();
    let code = error.status().map(|c| c.to_string());
    if error.is_permanent() && is_bounce(code.as_deref().unwrap_or_default(), &text) {
        SendError::Bounced(text)
    } else {
        SendError::Transient(text)
    }
}

/// Whether a permanent (5xx) reply is about this recipient or message, and so a bounce.
/// Replies about our own setup (530/535: authentication, 5.7.x: relaying or policy) would
/// bounce every invitation alike; they are retried instead and end as failed, with the
/// reply shown, if nobody fixes the settings meanwhile.
pub fn is_bounce(code: &str, text: &str) -> bool {
    let recipient_code = matches!(code, "550" | "551" | "552" | "553" | "554");
    let policy = text.split_whitespace().any(|word| word.starts_with("5.7."));
    recipient_code && !policy
}

/// The whole message: multipart plain text and HTML, a Message-ID that stays the same if
/// it is ever sent twice, a List-Id, and RFC 8058 one-click unsubscribe headers. The From
/// address is always MAIL_FROM's (DKIM and DMARC align on it); a survey may name the sender. Every header is
/// built through lettre's types, which encode values, so no text can add header lines.
pub fn build(envelope: &Envelope, composed: &Composed) -> anyhow::Result<Message> {
    let address = composed
        .to_address
        .parse()
        .context("the contact's address is not valid")?;
    let name = Some(one_line(&composed.to_name)).filter(|n| !n.is_empty());
    let from = match &composed.from_name {
        Some(name) => Mailbox::new(Some(one_line(name)), envelope.from.email.clone()),
        None => envelope.from.clone(),
    };
    let mut builder = Message::builder()
        .from(from)
        .to(Mailbox::new(name, address))
        .subject(composed.mail.subject.clone())
        .message_id(Some(format!(
            "<{}@{}>",
            composed.message_id,
            envelope.domain()
        )));
    if let Some(reply_to) = &envelope.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    // A member's own account mail (a reset, an invitation) is not list mail: it has no
    // list headers, so no mail client offers to unsubscribe from it.
    if let Some(unsubscribe_link) = &composed.unsubscribe_link {
        builder = list_headers(builder, envelope, &composed.message_id, unsubscribe_link);
    }
    let body = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(composed.mail.text.clone()),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(composed.mail.html.clone()),
        );
    builder
        .multipart(body)
        .context("could not assemble the message")
}

/// The list headers of a survey mail or digest.
fn list_headers(
    builder: lettre::message::MessageBuilder,
    envelope: &Envelope,
    message_id: &str,
    unsubscribe_link: &str,
) -> lettre::message::MessageBuilder {
    // With a bounce mailbox, the unsubscribe mail goes there, to an address that names
    // the message: only its recipient knows it, so a forged From cannot unsubscribe anyone.
    let mailto = match envelope.return_path(message_id) {
        Some(path) => format!("mailto:{path}?subject=unsubscribe"),
        None => format!(
            "mailto:{}?subject=unsubscribe",
            envelope.reply_to.as_ref().unwrap_or(&envelope.from).email
        ),
    };
    let list_unsubscribe = format!("<{unsubscribe_link}>, <{mailto}>");
    builder
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Id"),
            envelope.list_id(),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            list_unsubscribe,
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".to_string(),
        ))
}

/// A display name on one line. lettre encodes names, but fails (panics) on line breaks,
/// and a name should not carry them anyway.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

async fn store(db: &Db, message: &Outgoing, composed: &Composed) -> sqlx::Result<()> {
    let raw = String::from_utf8_lossy(&message.raw).into_owned();
    app::distribution::mailbox::db::insert_mail_unless_erased(
        db,
        &app::distribution::mailbox::db::NewMail {
            mail_id: &new_id(),
            to_address: &composed.to_address,
            subject: &composed.mail.subject,
            text_body: &composed.mail.text,
            html_body: &composed.mail.html,
            raw: &raw,
            admins_only: composed.grants_access,
        },
        &composed.message_id,
        now(),
    )
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::is_bounce;

    #[test]
    fn only_replies_about_the_recipient_or_message_count_as_bounces() {
        assert!(is_bounce(
            "550",
            "permanent error (550): 5.1.1 No such user"
        ));
        assert!(is_bounce("552", "permanent error (552): mailbox full"));
        assert!(!is_bounce(
            "535",
            "permanent error (535): 5.7.8 Authentication failed"
        ));
        assert!(!is_bounce(
            "530",
            "permanent error (530): Must issue STARTTLS"
        ));
        assert!(!is_bounce(
            "550",
            "permanent error (550): 5.7.1 Relaying denied"
        ));
    }
}
