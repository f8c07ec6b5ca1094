//! SQL for the development mailbox: where mail lands when no SMTP server is configured.
use crate::db::Db;
use crate::distribution::model::{MailSummary, MailView};

/// A message as the outbox hands it to the mailbox.
pub struct NewMail<'a> {
    pub mail_id: &'a str,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
    pub raw: &'a str,
    /// It carries a link that opens an account: admins only may read it.
    pub admins_only: bool,
}

/// Stores the message unless its recipient was erased while it was on its way: the
/// check and the insert share one transaction that holds the contact's row (SQLite's
/// write lock; a share lock on PostgreSQL), so an erase either comes first and the mail
/// is dropped, or comes after and deletes it with the rest.
pub async fn insert_mail_unless_erased(
    db: &Db,
    mail: &NewMail<'_>,
    message_id: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let lock = db.row_lock(" FOR SHARE OF c");
    let mut tx = db.begin_write().await?;
    let erased: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT CASE WHEN c.erased_at IS NULL THEN 0 ELSE 1 END FROM outbox o \
         JOIN invitations i ON i.invitation_id = o.invitation_id \
         JOIN contacts c ON c.contact_id = i.contact_id WHERE o.message_id = $1{lock}"
    ))
    .bind(message_id)
    .fetch_optional(&mut *tx)
    .await?;
    if erased == Some(1) {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO dev_mailbox (mail_id, to_address, subject, text_body, html_body, raw, created_at, admins_only) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(mail.mail_id)
    .bind(mail.to_address)
    .bind(mail.subject)
    .bind(mail.text_body)
    .bind(mail.html_body)
    .bind(mail.raw)
    .bind(now)
    .bind(i32::from(mail.admins_only))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Which messages a reader may see: an account mail only when `admin` (1) is set.
const VISIBLE: &str = "(admins_only = 0 OR $2 = 1)";

/// The newest messages first; account mail only for an admin.
pub async fn fetch_mails(db: &Db, limit: i64, admin: bool) -> sqlx::Result<Vec<MailSummary>> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT mail_id, to_address, subject, created_at FROM dev_mailbox WHERE {VISIBLE} \
         ORDER BY created_at DESC, mail_id LIMIT $1"
    ))
    .bind(limit)
    .bind(i32::from(admin))
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

pub async fn fetch_mail(db: &Db, mail_id: &str, admin: bool) -> sqlx::Result<Option<MailView>> {
    type Row = (String, String, String, String, String, i64);
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT mail_id, to_address, subject, text_body, raw, created_at FROM dev_mailbox \
         WHERE mail_id = $1 AND {VISIBLE}"
    ))
    .bind(mail_id)
    .bind(i32::from(admin))
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
pub async fn fetch_mail_html(db: &Db, mail_id: &str, admin: bool) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(&format!(
        "SELECT html_body FROM dev_mailbox WHERE mail_id = $1 AND {VISIBLE}"
    ))
    .bind(mail_id)
    .bind(i32::from(admin))
    .fetch_optional(db)
    .await
}
