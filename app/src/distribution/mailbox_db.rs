//! SQL for the development mailbox: where mail lands when no SMTP server is configured.
use super::model::{MailSummary, MailView};
use crate::server::Db;

/// A message as the outbox hands it to the mailbox.
pub struct NewMail<'a> {
    pub mail_id: &'a str,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
    pub raw: &'a str,
}

pub async fn insert_mail(db: &Db, mail: &NewMail<'_>, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO dev_mailbox (mail_id, to_address, subject, text_body, html_body, raw, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(mail.mail_id)
    .bind(mail.to_address)
    .bind(mail.subject)
    .bind(mail.text_body)
    .bind(mail.html_body)
    .bind(mail.raw)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// The newest messages first.
pub async fn fetch_mails(db: &Db, limit: i64) -> sqlx::Result<Vec<MailSummary>> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT mail_id, to_address, subject, created_at FROM dev_mailbox \
         ORDER BY created_at DESC, mail_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(mail_id, to_address, subject, created_at)| MailSummary {
            mail_id,
            to_address,
            subject,
            created_at,
        })
        .collect())
}

pub async fn fetch_mail(db: &Db, mail_id: &str) -> sqlx::Result<Option<MailView>> {
    type Row = (String, String, String, String, String, i64);
    let row: Option<Row> = sqlx::query_as(
        "SELECT mail_id, to_address, subject, text_body, raw, created_at FROM dev_mailbox \
         WHERE mail_id = $1",
    )
    .bind(mail_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(mail_id, to_address, subject, text_body, raw, created_at)| MailView {
            summary: MailSummary {
                mail_id,
                to_address,
                subject,
                created_at,
            },
            text_body,
            headers: raw.split("\r\n\r\n").next().unwrap_or_default().to_string(),
        },
    ))
}

/// The HTML version, served on its own (sandboxed) for the mailbox page to frame.
pub async fn fetch_mail_html(db: &Db, mail_id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT html_body FROM dev_mailbox WHERE mail_id = $1")
        .bind(mail_id)
        .fetch_optional(db)
        .await
}
