//! The outbox: mail waiting to go. Queuing writes ledger and outbox rows in one
//! transaction; the server's worker claims due rows with a lease, composes each message
//! from the current survey and contact, and records what the mail server said.
use crate::db::Db;
use crate::distribution::sending::mail::{self, MailValues, MailWording, OneClick, RenderedMail};
use crate::distribution::sending::tokens;
use crate::distribution::sending::window::SendingWindow;
use crate::languages::choice;
use crate::languages::content::SurveyTexts;
use crate::languages::db as language_db;
use crate::languages::model::Language;
use crate::languages::words::Words;
use crate::local_time::Zone;
use crate::server::Config;
use crate::surveys::db as survey_db;
use sqlx::Any;

/// How long a claim lasts. A worker that dies holding one loses it after this long, and
/// the message becomes due again.
pub const LEASE_SECS: i64 = 300;

/// Queues the invitation email of every invited contact of the survey who has none
/// queued yet, is still subscribed and not erased. (Invitations made before links were
/// derived from the server key have no unsubscribe link, so no email can carry them.) An
/// invitation the in-product panel made is never mailed by this, nor one whose person has
/// answered in the panel already. (Someone who answered through a link the team pasted and
/// shared still gets the email, as before: the team chose to send it.)
/// A message cancelled by an unsubscribe that was later undone is queued again.
/// Returns how many were queued.
pub async fn queue_invitations(
    tx: &mut sqlx::Transaction<'_, Any>,
    survey_id: &str,
    now: i64,
) -> sqlx::Result<u64> {
    sqlx::query(
        "INSERT INTO outbox (message_id, invitation_id, kind, status, attempts, next_attempt_at, created_at) \
         SELECT 'invite-' || i.invitation_id, i.invitation_id, 'invitation', 'queued', 0, $2, $2 \
         FROM invitations i JOIN contacts c ON c.contact_id = i.contact_id \
         WHERE i.survey_id = $1 AND i.queued_at IS NULL AND i.unsubscribe_hash IS NOT NULL \
         AND i.channel = 'email' AND i.completed_in_product = 0 \
         AND c.unsubscribed_at IS NULL AND c.erased_at IS NULL AND c.undeliverable_at IS NULL \
         ON CONFLICT (message_id) DO UPDATE SET status = 'queued', attempts = 0, \
           next_attempt_at = excluded.next_attempt_at, last_error = NULL \
         WHERE outbox.status = 'cancelled'",
    )
    .bind(survey_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE invitations SET queued_at = $2 WHERE survey_id = $1 AND queued_at IS NULL \
         AND EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = 'invite-' || invitations.invitation_id \
           AND o.status = 'queued')",
    )
    .bind(survey_id)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected())
}

/// Marks the survey's `kind` messages queued by this call (at `now`) to leave at once,
/// whatever their sending window: "send now, ignore windows".
pub async fn mark_urgent(
    tx: &mut sqlx::Transaction<'_, Any>,
    survey_id: &str,
    kind: &str,
    now: i64,
) -> sqlx::Result<u64> {
    sqlx::query(
        "UPDATE outbox SET ignore_window = 1 WHERE kind = $2 AND status = 'queued' \
         AND next_attempt_at = $3 \
         AND invitation_id IN (SELECT invitation_id FROM invitations WHERE survey_id = $1)",
    )
    .bind(survey_id)
    .bind(kind)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected())
}

/// Withdraws the survey's invitations and reminders still waiting (a closed survey asks
/// nobody): their outbox rows are cancelled, and the invitations whose email never left
/// count as not sent again, so reopening the survey can send them. Returns how many
/// messages were withdrawn. Messages a worker holds right now are stopped by the
/// worker's own check (`Outgoing::withdrawn`).
pub async fn withdraw_survey_mail(
    tx: &mut sqlx::Transaction<'_, Any>,
    survey_id: &str,
    now: i64,
) -> sqlx::Result<u64> {
    let withdrawn = sqlx::query(
        "UPDATE outbox SET status = 'cancelled', last_error = 'The survey closed.', \
         next_attempt_at = $2 \
         WHERE status = 'queued' AND kind IN ('invitation', 'reminder') \
         AND invitation_id IN (SELECT invitation_id FROM invitations WHERE survey_id = $1)",
    )
    .bind(survey_id)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    sqlx::query(
        "UPDATE invitations SET queued_at = NULL WHERE survey_id = $1 AND sent_at IS NULL \
         AND queued_at IS NOT NULL AND EXISTS (SELECT 1 FROM outbox o \
           WHERE o.message_id = 'invite-' || invitations.invitation_id AND o.status = 'cancelled')",
    )
    .bind(survey_id)
    .execute(&mut **tx)
    .await?;
    Ok(withdrawn)
}

/// Claims up to `limit` due messages (queued and due, or claimed by a worker whose lease
/// ran out), each with its attempts so far. PostgreSQL skips rows another instance is
/// claiming at the same moment; SQLite runs one writer at a time, so the single statement
/// is already exclusive.
pub async fn claim_due(db: &Db, now: i64, limit: i64) -> sqlx::Result<Vec<Claim>> {
    let lock = db.row_lock(" FOR UPDATE SKIP LOCKED");
    let sql = format!(
        "UPDATE outbox SET status = 'sending', lease_until = $1, attempts = attempts + 1 \
         WHERE message_id IN (SELECT message_id FROM outbox \
           WHERE (status = 'queued' AND next_attempt_at <= $2) \
              OR (status = 'sending' AND lease_until < $2) \
           ORDER BY next_attempt_at LIMIT $3{lock}) \
         RETURNING message_id, CAST(attempts AS BIGINT), kind"
    );
    let rows: Vec<(String, i64, String)> = sqlx::query_as(&sql)
        .bind(now + LEASE_SECS)
        .bind(now)
        .bind(limit)
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(message_id, attempts, kind)| Claim {
            message_id,
            attempts,
            kind,
        })
        .collect())
}

/// A worker's hold on one message. `attempts` fences it: every later update names the
/// attempt it belongs to, so a worker whose lease ran out (and whose message another
/// worker claimed since) changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub message_id: String,
    pub attempts: i64,
    /// `invitation`, `reminder`, `test` or `digest`: a digest is composed by community
    /// health, the others from their survey.
    pub kind: String,
}

impl Claim {
    pub fn is_digest(&self) -> bool {
        self.kind == "digest"
    }

    /// A member's own account mail: a password reset or an invitation to the team.
    pub fn is_account(&self) -> bool {
        self.kind == "account"
    }
}

const HELD: &str = "message_id = $1 AND status = 'sending' AND attempts = $2";

/// Extends the claim's lease just before sending; false when the claim was lost.
pub async fn renew_claim(db: &Db, claim: &Claim, now: i64) -> sqlx::Result<bool> {
    sqlx::query(&format!("UPDATE outbox SET lease_until = $3 WHERE {HELD}"))
        .bind(&claim.message_id)
        .bind(claim.attempts)
        .bind(now + LEASE_SECS)
        .execute(db)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// A claimed message with everything needed to compose it.
pub struct Outgoing {
    pub message_id: String,
    pub attempts: i64,
    /// None for a test message, which goes to a team member and invites no one.
    pub invitation_id: Option<String>,
    pub survey_id: String,
    pub to_address: String,
    pub to_name: String,
    pub community: String,
    pub survey_title: String,
    pub feature: String,
    pub wording: MailWording,
    /// The survey's own From name; empty: MAIL_FROM's.
    pub sender_name: String,
    /// What the team heard and is doing, sent after the survey closed: it carries no
    /// survey link, and a closed survey does not withdraw it.
    pub is_loop: bool,
    /// Whose wording it is: `invitation` or `reminder` (a test's, the one it tests), or
    /// `loop`.
    pub wording_kind: String,
    /// The contact asked for no more mail, or was erased, or the survey closed, after
    /// this was queued.
    pub withdrawn: bool,
}

/// message_id, attempts, invitation_id, survey_id, to_address, to_name, community,
/// survey_title, feature, withdrawn, wording_kind, subject, body, kind, sender_name.
type OutgoingRow = (
    String,
    i64,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
);

/// The message with its recipient and survey. A test message has no invitation: its
/// recipient is the team member's address stored with it, and its survey is named too.
pub async fn fetch_outgoing(db: &Db, message_id: &str, now: i64) -> sqlx::Result<Option<Outgoing>> {
    let row: Option<OutgoingRow> = sqlx::query_as(
        "SELECT o.message_id, CAST(o.attempts AS BIGINT), i.invitation_id, s.survey_id, \
         COALESCE(c.email, o.to_address, ''), COALESCE(c.name, ''), \
         COALESCE(cm.name, ''), s.title, COALESCE(r.name, s.title), \
         CASE WHEN o.kind = 'test' OR (c.unsubscribed_at IS NULL AND c.erased_at IS NULL \
           AND c.undeliverable_at IS NULL AND (o.kind = 'loop' \
           OR (s.status = 'open' AND (s.closes_at IS NULL OR s.closes_at > $2) \
             AND COALESCE(i.completed_in_product, 0) = 0))) THEN 0 ELSE 1 END, \
         CASE WHEN o.kind = 'test' THEN COALESCE(o.test_of, 'invitation') ELSE o.kind END, \
         CASE COALESCE(o.test_of, o.kind) WHEN 'reminder' THEN s.reminder_subject \
           WHEN 'loop' THEN s.loop_subject ELSE s.email_subject END, \
         CASE COALESCE(o.test_of, o.kind) WHEN 'reminder' THEN s.reminder_body \
           WHEN 'loop' THEN s.loop_body ELSE s.email_body END, \
         o.kind, s.sender_name \
         FROM outbox o LEFT JOIN invitations i ON i.invitation_id = o.invitation_id \
         LEFT JOIN contacts c ON c.contact_id = i.contact_id \
         JOIN surveys s ON s.survey_id = COALESCE(i.survey_id, o.survey_id) \
         LEFT JOIN communities cm ON cm.community_id = c.community_id \
         LEFT JOIN releases r ON r.release_id = s.release_id \
         WHERE o.message_id = $1",
    )
    .bind(message_id)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(row.map(outgoing))
}

fn outgoing(row: OutgoingRow) -> Outgoing {
    let (message_id, attempts, invitation_id, survey_id, to_address, to_name, community) =
        (row.0, row.1, row.2, row.3, row.4, row.5, row.6);
    let (survey_title, feature, withdrawn, wording_kind) = (row.7, row.8, row.9, row.10);
    let wording = if wording_kind == "reminder" {
        MailWording::reminder(&row.11, &row.12)
    } else {
        MailWording {
            subject: row.11,
            body: row.12,
        }
    };
    let test = row.13 == "test";
    let is_loop = row.13 == "loop";
    Outgoing {
        message_id,
        attempts,
        invitation_id: invitation_id.filter(|_| !test),
        survey_id,
        to_address,
        to_name,
        community,
        survey_title,
        feature,
        wording,
        sender_name: row.14,
        withdrawn: withdrawn != 0,
        is_loop,
        wording_kind,
    }
}

/// When a claimed message may leave: now, or (outside its survey's sending window in the
/// recipient's community's time zone) the window's next opening. Test messages and sends
/// marked "ignore windows" leave now.
pub async fn may_leave_at(
    db: &Db,
    config: &Config,
    message_id: &str,
    now: i64,
) -> sqlx::Result<i64> {
    let row: Option<(Option<String>, String, i64, String)> = sqlx::query_as(
        "SELECT s.sending_window, COALESCE(cm.time_zone, ''), CAST(o.ignore_window AS BIGINT), o.kind \
         FROM outbox o JOIN invitations i ON i.invitation_id = o.invitation_id \
         JOIN surveys s ON s.survey_id = i.survey_id \
         JOIN contacts c ON c.contact_id = i.contact_id \
         LEFT JOIN communities cm ON cm.community_id = c.community_id \
         WHERE o.message_id = $1",
    )
    .bind(message_id)
    .fetch_optional(db)
    .await?;
    let Some((window, zone, ignore, kind)) = row else {
        return Ok(now);
    };
    if ignore != 0 || kind == "test" {
        return Ok(now);
    }
    let window = match window {
        None => config.default_window,
        // A stored window always parsed when it was saved; one that no longer does
        // (an edit by hand) holds nothing back.
        Some(text) => SendingWindow::parse(&text).ok().flatten(),
    };
    let Some(window) = window else {
        return Ok(now);
    };
    // A community with no time zone of its own is in the team's.
    let zone = match zone.trim() {
        "" => config.time_zone.clone(),
        name => Zone::parse(name).unwrap_or_else(|_| config.time_zone.clone()),
    };
    Ok(window.next_open(now, zone.tz()))
}

/// Gives a claimed message back to wait for its sending window: queued again, due at
/// `at`, and the attempt not counted (nothing was tried).
pub async fn defer(db: &Db, claim: &Claim, at: i64) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "UPDATE outbox SET status = 'queued', lease_until = NULL, next_attempt_at = $3, \
         attempts = attempts - 1 WHERE {HELD}"
    ))
    .bind(&claim.message_id)
    .bind(claim.attempts)
    .bind(at)
    .execute(db)
    .await
    .map(|_| ())
}

/// A message ready for the envelope: who it goes to, its id, its links and its texts.
pub struct Composed {
    pub message_id: String,
    /// The From name when it is not MAIL_FROM's own.
    pub from_name: Option<String>,
    pub to_address: String,
    pub to_name: String,
    /// None for a member's own account mail, which is no list mail and has no unsubscribe.
    pub unsubscribe_link: Option<String>,
    /// It carries a link that opens an account: the development mailbox shows it to
    /// admins only.
    pub grants_access: bool,
    pub mail: RenderedMail,
}

/// Renders a claimed message with the survey's current wording and first question.
pub async fn compose(db: &Db, config: &Config, outgoing: &Outgoing) -> anyhow::Result<Composed> {
    let (mut survey_link, unsubscribe_link) = links(config, outgoing);
    let mut questions = survey_db::fetch_questions(db, &outgoing.survey_id).await?;
    let (language, wording, survey_title) = in_language(db, outgoing, &mut questions).await?;
    let words = Words::new(language);
    let one_click = questions
        .first()
        .filter(|_| !outgoing.is_loop)
        .and_then(|q| OneClick::for_question_in(q, &survey_link, &words));
    // The survey has closed: its link would only say so.
    if outgoing.is_loop {
        survey_link.clear();
    }
    let name = match outgoing.to_name.trim() {
        "" => words.get("mail-name-fallback"),
        name => name.to_string(),
    };
    let values = MailValues {
        name,
        community: non_empty_or(&outgoing.community, &words.get("mail-community-fallback")),
        feature: outgoing.feature.clone(),
        survey_title,
        survey_link,
        unsubscribe_link: unsubscribe_link.clone(),
    };
    let mut mail = mail::render_in(language, &wording, &values, one_click.as_ref())
        .map_err(|e| anyhow::anyhow!("the survey's email wording does not render: {e}"))?;
    if outgoing.invitation_id.is_none() {
        mail.subject = format!("[Test] {}", mail.subject);
    }
    Ok(Composed {
        message_id: outgoing.message_id.clone(),
        from_name: Some(outgoing.sender_name.trim().to_string()).filter(|n| !n.is_empty()),
        to_address: outgoing.to_address.clone(),
        to_name: outgoing.to_name.clone(),
        unsubscribe_link: Some(unsubscribe_link),
        grants_access: false,
        mail,
    })
}

/// The message's language and what it says in it. An invitation or reminder is in the
/// contact's preferred language when the survey offers it and its translation has that
/// email's text (translated from the text as it is now); then its subject, the survey's
/// title and the first question (for one-click answers) are translated where the
/// translation has them. Otherwise, and for a closing message or a test, the whole message
/// is in the survey's default language: never a default-language text under another
/// language's button and footer.
async fn in_language(
    db: &Db,
    outgoing: &Outgoing,
    questions: &mut Vec<crate::surveys::question::Question>,
) -> anyhow::Result<(Language, MailWording, String)> {
    let invitation = outgoing.invitation_id.as_deref();
    let (languages, preferred) =
        language_db::fetch_mail_languages(db, &outgoing.survey_id, invitation).await?;
    let default = languages.default_language();
    let wording = outgoing.wording.clone();
    let title = outgoing.survey_title.clone();
    let language = match outgoing.is_loop || invitation.is_none() {
        true => default,
        false => choice::choose(&languages, None, preferred, None),
    };
    if language == default {
        return Ok((default, wording, title));
    }
    let Some(translation) =
        language_db::fetch_translation(db, &outgoing.survey_id, language).await?
    else {
        return Ok((default, wording, title));
    };
    // The wording as it is sent, built-in texts filled in: what a translation was made from.
    let sent = match outgoing.wording_kind.as_str() {
        "reminder" => MailWording::reminder(&wording.subject, &wording.body),
        _ => MailWording::invitation(&wording.subject, &wording.body),
    };
    let kind = &outgoing.wording_kind;
    let email = translation.emails.get(kind).cloned().unwrap_or_default();
    let body_key = format!("email.{kind}.body");
    let Some(body) = translation.current(&body_key, &email.body, &sent.body) else {
        return Ok((default, wording, title));
    };
    let subject_key = format!("email.{kind}.subject");
    let subject = translation
        .current(&subject_key, &email.subject, &sent.subject)
        .unwrap_or(&sent.subject);
    let translated = MailWording {
        subject: subject.to_string(),
        body: body.to_string(),
    };
    let title = translation
        .current("title", &translation.title, &title)
        .map(str::to_string)
        .unwrap_or(title);
    let texts = SurveyTexts::new(
        String::new(),
        String::new(),
        String::new(),
        std::mem::take(questions),
    );
    *questions = texts.translated(&translation, default).questions;
    Ok((language, translated, title))
}

/// The survey and unsubscribe links: a person's own, or in a test the survey's preview
/// and its page, so a team member's clicks neither answer nor unsubscribe anyone.
fn links(config: &Config, outgoing: &Outgoing) -> (String, String) {
    match &outgoing.invitation_id {
        Some(id) => (
            config.survey_link(tokens::survey_token(config, id).expose()),
            config.unsubscribe_link(tokens::unsubscribe_token(config, id).expose()),
        ),
        None => {
            let survey = format!("/surveys/{}", outgoing.survey_id);
            (
                config.team_link(&format!("{survey}/preview")),
                config.team_link(&survey),
            )
        }
    }
}

fn non_empty_or(text: &str, default: &str) -> String {
    if text.trim().is_empty() {
        default.to_string()
    } else {
        text.to_string()
    }
}

/// The mail server accepted the message.
pub async fn mark_sent(db: &Db, claim: &Claim, now: i64) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    let held = sqlx::query(&guarded(
        "status = 'sent', sent_at = $3, lease_until = NULL, last_error = NULL",
    ))
    .bind(&claim.message_id)
    .bind(claim.attempts)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if held {
        // The invitation records when it went out; a reminder counts itself.
        for (kind, set) in [
            (
                "invitation",
                "sent_at = COALESCE(sent_at, $2), delivery_error = NULL",
            ),
            (
                "reminder",
                "reminders_sent = reminders_sent + 1, last_reminded_at = $2",
            ),
        ] {
            sqlx::query(&format!(
                "UPDATE invitations SET {set} WHERE invitation_id = \
                 (SELECT invitation_id FROM outbox WHERE message_id = $1 AND kind = '{kind}')"
            ))
            .bind(&claim.message_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await
}

/// A temporary failure: the message is due again at `next_at`.
pub async fn mark_retry(db: &Db, claim: &Claim, next_at: i64, error: &str) -> sqlx::Result<()> {
    sqlx::query(&guarded(
        "status = 'queued', next_attempt_at = $3, lease_until = NULL, last_error = $4",
    ))
    .bind(&claim.message_id)
    .bind(claim.attempts)
    .bind(next_at)
    .bind(error)
    .execute(db)
    .await
    .map(|_| ())
}

/// The end of the road: `failed` (retries used up, or an address no server would take)
/// or `bounced` (refused for good by the recipient's server).
pub async fn mark_undeliverable(
    db: &Db,
    claim: &Claim,
    bounced: bool,
    error: &str,
    now: i64,
) -> sqlx::Result<()> {
    let (status, column) = if bounced {
        ("bounced", "bounced_at")
    } else {
        ("failed", "failed_at")
    };
    let mut tx = db.begin().await?;
    let held = sqlx::query(&guarded("status = $3, lease_until = NULL, last_error = $4"))
        .bind(&claim.message_id)
        .bind(claim.attempts)
        .bind(status)
        .bind(error)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if held {
        sqlx::query(&ledger(&format!("{column} = $2, delivery_error = $3")))
            .bind(&claim.message_id)
            .bind(now)
            .bind(error)
            .execute(&mut *tx)
            .await?;
        if bounced {
            suppress_contact(&mut tx, &claim.message_id, error, now).await?;
        }
    }
    tx.commit().await
}

/// A bounce that came back after the message was sent (a delivery report in the bounce
/// mailbox): the message and its invitation are bounced (the first reason kept) and the
/// contact suppressed, as `mark_undeliverable` does for a refusal at send time. Whether
/// the message belongs to an invitation (tests and digests do not).
pub async fn mark_bounced_later(
    db: &Db,
    message_id: &str,
    reason: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let reason: String = reason.chars().take(500).collect();
    let mut tx = db.begin_write().await?;
    sqlx::query(&ledger(
        "bounced_at = COALESCE(bounced_at, $2), delivery_error = COALESCE(delivery_error, $3)",
    ))
    .bind(message_id)
    .bind(now)
    .bind(&reason)
    .execute(&mut *tx)
    .await?;
    let invited: Option<String> = sqlx::query_scalar(
        "SELECT invitation_id FROM outbox WHERE message_id = $1 AND invitation_id IS NOT NULL",
    )
    .bind(message_id)
    .fetch_optional(&mut *tx)
    .await?;
    let invited = invited.is_some();
    if invited {
        sqlx::query(
            "UPDATE outbox SET status = 'bounced', last_error = $2 \
             WHERE message_id = $1 AND status = 'sent'",
        )
        .bind(message_id)
        .bind(&reason)
        .execute(&mut *tx)
        .await?;
        suppress_contact(&mut tx, message_id, &reason, now).await?;
    }
    tx.commit().await?;
    Ok(invited)
}

/// A hard bounce marks the contact's address undeliverable (the first reason is kept):
/// every later selection leaves it out until an editor clears it.
async fn suppress_contact(
    tx: &mut sqlx::Transaction<'_, Any>,
    message_id: &str,
    reason: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE contacts SET undeliverable_at = $2, undeliverable_reason = $3 \
         WHERE undeliverable_at IS NULL AND contact_id = (SELECT i.contact_id FROM outbox o \
           JOIN invitations i ON i.invitation_id = o.invitation_id WHERE o.message_id = $1)",
    )
    .bind(message_id)
    .bind(now)
    .bind(reason.chars().take(500).collect::<String>())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The contact withdrew (unsubscribed or erased) after the message was queued: the
/// invitation counts as not queued again, so an undo lets it be sent after all.
pub async fn mark_cancelled(db: &Db, claim: &Claim) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    let held = sqlx::query(&guarded("status = 'cancelled', lease_until = NULL"))
        .bind(&claim.message_id)
        .bind(claim.attempts)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if held {
        sqlx::query(&ledger("queued_at = NULL"))
            .bind(&claim.message_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// Gives back claims a stopping worker did not start, so they go out without waiting for
/// the lease to run out; the attempt is not counted.
pub async fn release_claims(db: &Db, claims: &[Claim]) -> sqlx::Result<()> {
    for claim in claims {
        sqlx::query(&guarded(
            "status = 'queued', lease_until = NULL, attempts = attempts - 1",
        ))
        .bind(&claim.message_id)
        .bind(claim.attempts)
        .execute(db)
        .await?;
    }
    Ok(())
}

/// An update of a claimed row that applies only while the claim holds ($1, $2).
fn guarded(set: &str) -> String {
    format!("UPDATE outbox SET {set} WHERE {HELD}")
}

/// An update of the invitation behind the message `$1`, when the message invites: what
/// happens to a message sent after the survey closed (`loop`) is not the invitation's.
fn ledger(set: &str) -> String {
    format!(
        "UPDATE invitations SET {set} WHERE invitation_id = \
         (SELECT invitation_id FROM outbox WHERE message_id = $1 \
           AND kind IN ('invitation', 'reminder'))"
    )
}
